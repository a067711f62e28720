//! The organizers' console: create an edition and its motions, import a draft, edit the draft; and the
//! author's tools on an amendment (edit it, invite co-signatories).
//!
//! Thin: who asks → `domain::congress` / `domain::command` → `store` → answer. Nothing here decides.

#![allow(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field; `#[server]` copies no attribute onto the client stub it generates"
)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{ApiError, EditionSummary};

/// What the console shows: every edition with its motions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleView {
    /// Newest first.
    pub editions: Vec<EditionSummary>,
}

/// A member who may be invited to co-sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegateOption {
    /// The member.
    pub member_id: i32,
    /// "Given Usual — collectivity".
    pub label: String,
}

/// The console's data (organizers).
///
/// # Errors
/// `Unauthenticated`; `Forbidden` for anyone but a verified organizer.
#[server(prefix = "/api/fn", endpoint = "congress_console")]
pub async fn congress_console() -> Result<ConsoleView, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    let state = AppState::from_context()?;
    super::authorize(&require_viewer()?, domain::policy::Action::ManageCongress)?;
    let editions = super::views::editions(&state.db)
        .await
        .map_err(ApiError::from)?;
    Ok(ConsoleView { editions })
}

/// Creates an edition; its creator becomes its organizer. The edition that starts last is the current one.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (empty or long title or place, invalid dates); `Conflict` when
/// the slug is taken ten times over.
#[server(prefix = "/api/fn", endpoint = "create_edition")]
pub async fn create_edition(
    title: String,
    place: String,
    starts_on: String,
    ends_on: String,
) -> Result<i32, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::{now_millis, store::motions};
    let state = AppState::from_context()?;
    let viewer = require_viewer()?;
    let actor = viewer.actor();
    let new = domain::congress::new_edition(&actor, &title, &place, &starts_on, &ends_on)
        .map_err(ApiError::from_refusal)?;
    motions::create_edition(&state.db, &new, viewer.member_id, now_millis())
        .await
        .map_err(ApiError::from)
}

/// Creates a motion in an edition, in the draft phase, from a title, a preamble, its line width, the
/// co-signatories an amendment needs, and a draft in Markdown or plain text (may be empty). Answers its id.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `NotFound` for an unknown edition; `Refused` (title, preamble, numbers out
/// of range, the draft's first problem with its line).
#[server(prefix = "/api/fn", endpoint = "create_motion")]
pub async fn create_motion(
    edition_id: i32,
    title: String,
    preamble: Option<String>,
    line_width: u32,
    min_cosigners: u32,
    draft: Option<String>,
) -> Result<i32, ApiError> {
    use sea_orm::EntityTrait;

    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::{
        now_millis,
        store::{commands, entities::edition},
    };
    let state = AppState::from_context()?;
    let actor = require_viewer()?.actor();
    let created = domain::congress::new_motion(
        &actor,
        &title,
        preamble.as_deref().unwrap_or_default(),
        line_width,
        min_cosigners,
    )
    .map_err(ApiError::from_refusal)?;
    edition::Entity::find_by_id(edition_id)
        .one(&state.db)
        .await
        .map_err(ApiError::from)?
        .ok_or(ApiError::NotFound)?;
    let (id, _) = commands::create_motion(
        &state.db,
        &state.heads,
        edition_id,
        &actor,
        now_millis(),
        created,
        draft.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(ApiError::from)?;
    Ok(id)
}

/// Imports a draft (Markdown or plain text) at the end of a motion still in the draft phase. Answers how
/// many paragraphs were added.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (phase, the draft's first problem with its line).
#[server(prefix = "/api/fn", endpoint = "import_draft")]
pub async fn import_draft(motion_id: i32, draft: String) -> Result<usize, ApiError> {
    use domain::event::MotionEvent;
    let outcome =
        super::amendments::run_command(motion_id, "import_draft", |motion, actor, ids| {
            domain::command::import_draft(motion, actor, &draft, ids.section, ids.paragraph)
        })
        .await?;
    Ok(outcome
        .events
        .iter()
        .filter(|(_, e)| matches!(e, MotionEvent::ParagraphAdded { .. }))
        .count())
}

/// Edits a paragraph of the draft (organizers, draft phase); `seen_version` is the version edited.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (phase, stale version, empty, identical, too long).
#[server(prefix = "/api/fn", endpoint = "edit_draft_paragraph")]
pub async fn edit_draft_paragraph(
    motion_id: i32,
    paragraph_id: i32,
    seen_version: u32,
    text: String,
) -> Result<(), ApiError> {
    use domain::ids::{ParagraphId, VersionNumber};
    super::amendments::run_command(motion_id, "edit_draft_paragraph", |motion, actor, _| {
        domain::command::edit_draft_paragraph(
            motion,
            actor,
            ParagraphId(paragraph_id),
            VersionNumber(seen_version),
            &text,
        )
    })
    .await
    .map(drop)
}

/// Edits one's own amendment while it is only filed: its new text (for a replacement or an insertion; a
/// replacement is rewritten against `base_version`, the version the author now sees) and rationale.
/// Co-signatures are cleared (they signed another text); invitations stay.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (not the author, status, phase, empty, identical, too long).
#[server(prefix = "/api/fn", endpoint = "edit_amendment")]
pub async fn edit_amendment(
    motion_id: i32,
    amendment_id: i32,
    base_version: Option<u32>,
    text: Option<String>,
    rationale: Option<String>,
) -> Result<(), ApiError> {
    use domain::{
        amendment::{AmendmentDraft, AmendmentTarget},
        ids::{AmendmentId, VersionNumber},
        refusal::Refusal,
    };
    let id = AmendmentId(amendment_id);
    super::amendments::run_command(motion_id, "edit_amendment", |motion, actor, _| {
        // Who asks comes first: an observer learns nothing about which amendments exist.
        domain::policy::can(actor, domain::policy::Action::EditAmendment, motion.phase())?;
        let existing = motion
            .amendment(id)
            .ok_or(Refusal::AmendmentNotFound { amendment: id })?;
        let new_text = text.clone().unwrap_or_default();
        let target = match &existing.target {
            AmendmentTarget::Replace {
                paragraph,
                base_version: old,
                ..
            } => AmendmentTarget::Replace {
                paragraph: *paragraph,
                base_version: base_version.map_or(*old, VersionNumber),
                text: new_text,
            },
            AmendmentTarget::Delete { .. } => existing.target.clone(),
            AmendmentTarget::InsertAfter { section, after, .. } => AmendmentTarget::InsertAfter {
                section: *section,
                after: *after,
                text: new_text,
            },
        };
        let draft = AmendmentDraft {
            target,
            rationale: rationale.clone().unwrap_or_default(),
        };
        domain::command::edit_amendment(motion, actor, id, draft)
    })
    .await
    .map(drop)
}

/// Invites a verified delegate of the motion's edition to co-sign one's own filed amendment.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` when `member_id` is not a verified delegate of the edition;
/// `Refused` (not the author, status, phase, already invited or co-signed, the author).
#[server(prefix = "/api/fn", endpoint = "invite_co_signer")]
pub async fn invite_co_signer(
    motion_id: i32,
    amendment_id: i32,
    member_id: i32,
) -> Result<(), ApiError> {
    use domain::ids::{AmendmentId, MemberId};

    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::store::motions;
    let state = AppState::from_context()?;
    // Who asks comes first: the check below must not tell a visitor who the verified delegates are.
    require_viewer()?;
    let edition = motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(ApiError::from)?;
    let delegates = motions::verified_delegates(&state.db, edition)
        .await
        .map_err(ApiError::from)?;
    if !delegates.iter().any(|(id, _)| *id == member_id) {
        return Err(ApiError::BadRequest("member_id".to_owned()));
    }
    super::amendments::run_command(motion_id, "invite_co_signer", |motion, actor, _| {
        domain::command::invite_co_signers(
            motion,
            actor,
            AmendmentId(amendment_id),
            &[MemberId(member_id)],
        )
    })
    .await
    .map(drop)
}

/// The verified delegates of the motion's edition, by name, for invitations (signed-in members only).
///
/// # Errors
/// `Unauthenticated`; `NotFound` for an unknown motion.
#[server(prefix = "/api/fn", endpoint = "list_delegates")]
pub async fn list_delegates(motion_id: i32) -> Result<Vec<DelegateOption>, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::store::motions;
    let state = AppState::from_context()?;
    require_viewer()?;
    let edition = motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(ApiError::from)?;
    Ok(motions::verified_delegates(&state.db, edition)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|(member_id, label)| DelegateOption { member_id, label })
        .collect())
}
