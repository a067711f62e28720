//! Amendments and paragraph histories: the server functions of co-writing (file, co-sign, withdraw,
//! admissibility, adoption by hand, editorial fixes, phases, conflicts) and the reads the pages need.
//!
//! Thin: who asks → `store::commands::execute` (load, replay, domain command, log + tables in one transaction)
//! → answer. The rules are in `domain::command`; nothing here decides.

#![allow(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field; `#[server]` copies no attribute onto the client stub it generates"
)]

use domain::{
    amendment::{AmendmentStatusCode, FallReason},
    diff::Change,
    ids::AmendmentId,
    motion::Phase,
    policy::Action,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;

/// Where a paragraph stands in the current text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceView {
    /// The paragraph's stable id.
    pub paragraph_id: i32,
    /// 1-based position among the live paragraphs ("Paragraphe 4").
    pub ordinal: usize,
    /// First line number.
    pub first_line: u32,
    /// Last line number.
    pub last_line: u32,
}

/// A co-signatory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CosignerView {
    /// The member.
    pub member_id: i32,
    /// Their name.
    pub name: String,
}

/// An amendment as the lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentView {
    /// Stable id.
    pub id: i32,
    /// "Amendement n° N".
    pub number: u32,
    /// The author.
    pub author_id: i32,
    /// The author's name.
    pub author_name: String,
    /// `replace`, `delete` or `insert`.
    pub kind: String,
    /// The replaced or deleted paragraph's place in the current text (`None` if deleted since, or an insertion).
    pub target: Option<PlaceView>,
    /// The replaced or deleted paragraph.
    pub paragraph_id: Option<i32>,
    /// For an insertion: its section.
    pub section_id: Option<i32>,
    /// For an insertion: the section's title.
    pub section_title: Option<String>,
    /// For an insertion: the paragraph it follows (`None`: first of its section).
    pub after: Option<PlaceView>,
    /// The version the author saw.
    pub base_version: Option<u32>,
    /// The version its text now applies to (differs from `base_version` once rebased).
    pub applies_to: Option<u32>,
    /// The paragraph's current version.
    pub current_version: Option<u32>,
    /// The text it would give the paragraph now (`None` for a deletion or while in conflict).
    pub proposed_text: Option<String>,
    /// The text as its author wrote it.
    pub author_text: Option<String>,
    /// Word diff from the text it applies to, to the text it proposes.
    pub diff: Vec<Change>,
    /// The rationale.
    pub rationale: String,
    /// Co-signatories, in signing order.
    pub cosigners: Vec<CosignerView>,
    /// Members the author invited who have not co-signed (yet).
    pub invited: Vec<CosignerView>,
    /// Co-signatories needed before it can be declared admissible.
    pub min_cosigners: u32,
    /// Its status.
    pub status: AmendmentStatusCode,
    /// Why it was declared inadmissible.
    pub status_reason: Option<String>,
    /// Why it fell.
    pub fall_reason: Option<FallReason>,
    /// Rebased onto a newer version of its paragraph.
    pub rebased: bool,
    /// Waiting for a person to resolve overlapping edits.
    pub conflicted: bool,
    /// While in conflict: what overlaps, to resolve it.
    pub conflict: Option<ConflictView>,
    /// When it was filed (ms since the epoch).
    pub created_at: i64,
}

/// A conflict between an amendment and the text as it changed since the amendment was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictView {
    /// The version the amendment must now apply to.
    pub onto_version: u32,
    /// The paragraph's text in that version.
    pub current_text: String,
    /// Where the two disagree: (what the text says now, what the amendment proposed there).
    pub regions: Vec<(String, String)>,
}

/// Why a version exists, with what people need to read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProvenanceView {
    /// The draft's text.
    Initial,
    /// An amendment adopted (by a ballot when `ballot_id` is set).
    Amendment {
        /// The amendment.
        amendment_id: i32,
        /// Its number.
        number: Option<u32>,
        /// Its author.
        author_name: Option<String>,
        /// The ballot, if any.
        ballot_id: Option<i32>,
        /// Its number in the motion ("scrutin n° N").
        ballot_number: Option<u32>,
    },
    /// A ballot on the paragraph rejected it (the paragraph was deleted).
    Ballot {
        /// The ballot.
        ballot_id: i32,
        /// Its number in the motion.
        number: Option<u32>,
    },
    /// An editorial fix, with the organizer's reason.
    EditorialFix {
        /// Why.
        reason: String,
    },
    /// An edit of the draft.
    DraftEdit,
}

/// One version of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    /// Its number, from 1.
    pub number: u32,
    /// Its text.
    pub text: String,
    /// Diff from the previous version (`None` for the first).
    pub diff: Option<Vec<Change>>,
    /// Why it exists.
    pub provenance: ProvenanceView,
    /// Who recorded it (the organizer who adopted or fixed), if known.
    pub actor_name: Option<String>,
    /// When (ms since the epoch), from the log.
    pub occurred_at: Option<i64>,
}

/// A paragraph with its whole history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphHistoryView {
    /// Its motion.
    pub motion_id: i32,
    /// The motion's title.
    pub motion_title: String,
    /// The motion's phase.
    pub phase: Phase,
    /// The paragraph's stable id.
    pub paragraph_id: i32,
    /// Its section.
    pub section_id: i32,
    /// Its place in the current text (`None` once deleted).
    pub place: Option<PlaceView>,
    /// Its current version.
    pub current_version: u32,
    /// Its current text.
    pub current_text: String,
    /// Whether an adopted amendment deleted it.
    pub deleted: bool,
    /// Every version, oldest first.
    pub versions: Vec<VersionView>,
}

/// What the signed-in member may do on a motion now (the UI hides the rest; the server checks again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerPermissions {
    /// The member, `None` for a visitor.
    pub member_id: Option<i32>,
    /// The motion's phase.
    pub phase: Phase,
    /// The actions the policy allows in this phase.
    pub actions: Vec<Action>,
    /// The phases the motion may move to, if the member may change phases.
    pub phase_targets: Vec<Phase>,
}

impl ViewerPermissions {
    /// Whether `action` is allowed.
    #[must_use]
    pub fn allows(&self, action: Action) -> bool {
        self.actions.contains(&action)
    }
}

/// The answer to a filing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledAmendment {
    /// The new amendment's id.
    pub id: AmendmentId,
    /// Its number ("Amendement n° N").
    pub number: u32,
}

#[cfg(feature = "ssr")]
pub(crate) use server::{permissions_of, replayed, run as run_command};

#[cfg(feature = "ssr")]
mod server {
    use std::sync::Arc;

    use domain::{
        command::PHASE_TRANSITIONS,
        event::MotionEvent,
        member::Actor,
        motion_state::MotionState,
        policy::{Action, allowed_actions, can},
        refusal::Refusal,
    };

    use super::ViewerPermissions;
    use crate::{
        api::{
            ApiError,
            state::{AppState, require_viewer},
        },
        ssr::{
            identity::Viewer,
            now_millis,
            store::commands::{self, CommandOutcome, NewIds},
        },
    };

    /// What `viewer` may do on `motion` now (`None`, a visitor: nothing but read).
    pub fn permissions_of(motion: &MotionState, viewer: Option<&Viewer>) -> ViewerPermissions {
        let phase = motion.phase();
        let Some(viewer) = viewer else {
            return ViewerPermissions {
                member_id: None,
                phase,
                actions: vec![Action::ReadMotion],
                phase_targets: Vec::new(),
            };
        };
        let actor = viewer.actor();
        let phase_targets = if can(&actor, Action::ChangePhase, phase).is_ok() {
            PHASE_TRANSITIONS
                .iter()
                .filter(|(from, _)| *from == phase)
                .map(|(_, to)| *to)
                .collect()
        } else {
            Vec::new()
        };
        ViewerPermissions {
            member_id: Some(viewer.member_id),
            phase,
            actions: allowed_actions(&actor, phase),
            phase_targets,
        }
    }

    /// The motion as its log says it is now.
    pub async fn replayed(state: &AppState, motion_id: i32) -> Result<Arc<MotionState>, ApiError> {
        state
            .heads
            .state(&state.db, motion_id)
            .await
            .map_err(ApiError::from)
    }

    /// Runs a domain command for the signed-in member through the one command path.
    pub async fn run(
        motion_id: i32,
        operation: &'static str,
        decide: impl Fn(&MotionState, &Actor, NewIds) -> Result<Vec<MotionEvent>, Refusal>,
    ) -> Result<CommandOutcome, ApiError> {
        use tracing::Instrument;
        let state = AppState::from_context()?;
        let viewer = require_viewer()?;
        let actor = viewer.actor();
        // The command's span: every line it logs (an error turned into a reference, a retried race) says which
        // command, on which motion, for whom.
        let span = tracing::info_span!(
            "command",
            operation,
            motion.id = motion_id,
            member.id = viewer.member_id
        );
        let started = std::time::Instant::now();
        let outcome = commands::execute(
            state.commands(),
            motion_id,
            Some(viewer.member_id),
            now_millis(),
            |motion, ids| decide(motion, &actor, ids),
        )
        .instrument(span)
        .await;
        let result = match &outcome {
            Ok(_) => "done",
            Err(crate::ssr::store::CommandError::Refused(_)) => "refused",
            Err(crate::ssr::store::CommandError::Store(_)) => "failed",
        };
        metrics::counter!("hemicycle_commands_total", "operation" => operation, "outcome" => result)
            .increment(1);
        metrics::histogram!("hemicycle_command_seconds", "operation" => operation)
            .record(started.elapsed().as_secs_f64());
        outcome.map_err(ApiError::from)
    }
}

/// Files an amendment: `kind` is `replace` (needs `paragraph_id`, `base_version`, `text`), `delete` (needs
/// `paragraph_id`, `base_version`) or `insert` (needs `section_id`, `text`; `after_paragraph_id` absent means
/// first of the section). Texts are kept literally (normalized whitespace, NFC), never interpreted.
///
/// # Errors
/// `Unauthenticated`; `Forbidden` (not a verified delegate); `BadRequest` for a missing field or an unknown
/// kind; `Refused` with the domain's refusal (phase, empty, identical, too long, unknown paragraph…).
#[server(prefix = "/api/fn", endpoint = "file_amendment")]
pub async fn file_amendment(
    motion_id: i32,
    kind: String,
    paragraph_id: Option<i32>,
    base_version: Option<u32>,
    section_id: Option<i32>,
    after_paragraph_id: Option<i32>,
    text: Option<String>,
    rationale: Option<String>,
) -> Result<FiledAmendment, ApiError> {
    use domain::{
        amendment::{AmendmentDraft, AmendmentTarget},
        event::MotionEvent,
        ids::{ParagraphId, SectionId, VersionNumber},
    };
    let missing = |field: &str| ApiError::BadRequest(field.to_owned());
    let target = match kind.as_str() {
        "replace" => AmendmentTarget::Replace {
            paragraph: ParagraphId(paragraph_id.ok_or_else(|| missing("paragraph_id"))?),
            base_version: VersionNumber(base_version.ok_or_else(|| missing("base_version"))?),
            text: text.unwrap_or_default(),
        },
        "delete" => AmendmentTarget::Delete {
            paragraph: ParagraphId(paragraph_id.ok_or_else(|| missing("paragraph_id"))?),
            base_version: VersionNumber(base_version.ok_or_else(|| missing("base_version"))?),
        },
        "insert" => AmendmentTarget::InsertAfter {
            section: SectionId(section_id.ok_or_else(|| missing("section_id"))?),
            after: after_paragraph_id.map(ParagraphId),
            text: text.unwrap_or_default(),
        },
        _ => return Err(missing("kind")),
    };
    let draft = AmendmentDraft {
        target,
        rationale: rationale.unwrap_or_default(),
    };
    let outcome = server::run(motion_id, "file_amendment", |motion, actor, ids| {
        domain::command::file_amendment(motion, actor, draft.clone(), ids.amendment)
    })
    .await?;
    outcome
        .events
        .iter()
        .find_map(|(_, event)| match event {
            MotionEvent::AmendmentFiled {
                amendment, number, ..
            } => Some(FiledAmendment {
                id: *amendment,
                number: *number,
            }),
            _ => None,
        })
        .ok_or(ApiError::Conflict)
}

/// Co-signs another member's filed amendment.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (author, already co-signed, status, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "co_sign_amendment")]
pub async fn co_sign_amendment(motion_id: i32, amendment_id: i32) -> Result<(), ApiError> {
    server::run(motion_id, "co_sign_amendment", |motion, actor, _| {
        domain::command::co_sign_amendment(motion, actor, AmendmentId(amendment_id))
    })
    .await
    .map(drop)
}

/// Withdraws one's own pending amendment.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (not the author, status, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "withdraw_amendment")]
pub async fn withdraw_amendment(motion_id: i32, amendment_id: i32) -> Result<(), ApiError> {
    server::run(motion_id, "withdraw_amendment", |motion, actor, _| {
        domain::command::withdraw_amendment(motion, actor, AmendmentId(amendment_id))
    })
    .await
    .map(drop)
}

/// Declares a filed amendment admissible (organizers), once it has enough co-signatories.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (co-signatories missing, status, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "declare_admissible")]
pub async fn declare_admissible(motion_id: i32, amendment_id: i32) -> Result<(), ApiError> {
    server::run(motion_id, "declare_admissible", |motion, actor, _| {
        domain::command::declare_admissible(motion, actor, AmendmentId(amendment_id))
    })
    .await
    .map(drop)
}

/// Declares a pending amendment inadmissible (organizers), with a reason.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (reason required or too long, status, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "declare_inadmissible")]
pub async fn declare_inadmissible(
    motion_id: i32,
    amendment_id: i32,
    reason: String,
) -> Result<(), ApiError> {
    server::run(motion_id, "declare_inadmissible", |motion, actor, _| {
        domain::command::declare_inadmissible(motion, actor, AmendmentId(amendment_id), &reason)
    })
    .await
    .map(drop)
}

/// Adopts an admissible amendment by hand (organizers) and merges it into the text: new version with its
/// provenance, competing amendments rebased, in conflict or fallen.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (status, unresolved conflict, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "adopt_amendment")]
pub async fn adopt_amendment(motion_id: i32, amendment_id: i32) -> Result<(), ApiError> {
    server::run(motion_id, "adopt_amendment", |motion, actor, ids| {
        domain::command::adopt_amendment(
            motion,
            actor,
            AmendmentId(amendment_id),
            None,
            Some(ids.paragraph),
        )
    })
    .await
    .map(drop)
}

/// Rejects an admissible amendment by hand (organizers).
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (status, phase, unknown amendment).
#[server(prefix = "/api/fn", endpoint = "reject_amendment")]
pub async fn reject_amendment(motion_id: i32, amendment_id: i32) -> Result<(), ApiError> {
    server::run(motion_id, "reject_amendment", |motion, actor, _| {
        domain::command::reject_amendment(motion, actor, AmendmentId(amendment_id), None)
    })
    .await
    .map(drop)
}

/// Fixes a paragraph's wording (organizers) with a mandatory reason; `seen_version` is the version edited.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (reason, stale version, empty, identical, too long, phase).
#[server(prefix = "/api/fn", endpoint = "editorial_fix")]
pub async fn editorial_fix(
    motion_id: i32,
    paragraph_id: i32,
    seen_version: u32,
    text: String,
    reason: String,
) -> Result<(), ApiError> {
    use domain::ids::{ParagraphId, VersionNumber};
    server::run(motion_id, "editorial_fix", |motion, actor, _| {
        domain::command::editorial_fix(
            motion,
            actor,
            ParagraphId(paragraph_id),
            VersionNumber(seen_version),
            &text,
            &reason,
        )
    })
    .await
    .map(drop)
}

/// Sets the item under debate (the chair, in session): `paragraph_id` or `amendment_id`, neither to clear it.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (phase, unknown or deleted paragraph, amendment not pending).
#[server(prefix = "/api/fn", endpoint = "set_current_item")]
pub async fn set_current_item(
    motion_id: i32,
    paragraph_id: Option<i32>,
    amendment_id: Option<i32>,
) -> Result<(), ApiError> {
    use domain::{event::DebateItem, ids::ParagraphId};
    let item = match (paragraph_id, amendment_id) {
        (_, Some(amendment)) => Some(DebateItem::Amendment {
            amendment: AmendmentId(amendment),
        }),
        (Some(paragraph), None) => Some(DebateItem::Paragraph {
            paragraph: ParagraphId(paragraph),
        }),
        (None, None) => None,
    };
    server::run(motion_id, "set_current_item", |motion, actor, _| {
        domain::command::set_current_item(motion, actor, item)
    })
    .await
    .map(drop)
}

/// Moves the motion to phase `to` (a phase code: `draft`, `amending`, `session`, `adopted`, `closed`).
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` for an unknown code; `Refused` (transition not allowed).
#[server(prefix = "/api/fn", endpoint = "change_phase")]
pub async fn change_phase(motion_id: i32, to: String) -> Result<(), ApiError> {
    let to = Phase::from_code(&to).ok_or_else(|| ApiError::BadRequest("to".into()))?;
    server::run(motion_id, "change_phase", |motion, actor, _| {
        domain::command::change_phase(motion, actor, to)
    })
    .await
    .map(drop)
}

/// Resolves a stale amendment's conflict (its author or an organizer): `text` applies to the current version.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (no conflict, not the author, text, status, phase).
#[server(prefix = "/api/fn", endpoint = "resolve_conflict")]
pub async fn resolve_conflict(
    motion_id: i32,
    amendment_id: i32,
    text: String,
) -> Result<(), ApiError> {
    server::run(motion_id, "resolve_conflict", |motion, actor, _| {
        domain::command::resolve_conflict(motion, actor, AmendmentId(amendment_id), &text)
    })
    .await
    .map(drop)
}

/// Every amendment of a motion, by number (public, like the motion).
///
/// # Errors
/// `NotFound` for an unknown motion; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "list_amendments")]
pub async fn list_amendments(motion_id: i32) -> Result<Vec<AmendmentView>, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    super::views::amendments(&state.db, &state.heads, motion_id)
        .await
        .map_err(ApiError::from)
}

/// A paragraph's every version with diffs and provenance (public, like the motion).
///
/// # Errors
/// `NotFound` for an unknown paragraph; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "paragraph_history")]
pub async fn paragraph_history(paragraph_id: i32) -> Result<ParagraphHistoryView, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    super::views::history(&state.db, &state.heads, paragraph_id)
        .await
        .map_err(ApiError::from)
}

/// What the signed-in member may do on the motion now (a visitor: nothing but read).
///
/// # Errors
/// `NotFound` for an unknown motion; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "motion_permissions")]
pub async fn motion_permissions(motion_id: i32) -> Result<ViewerPermissions, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    let motion = server::replayed(&state, motion_id).await?;
    Ok(server::permissions_of(
        &motion,
        crate::api::state::current_viewer().as_ref(),
    ))
}

/// An invitation to co-sign that the viewer has not answered, and the page of the whole list it stands on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLink {
    /// The amendment.
    pub amendment_id: i32,
    /// Its number.
    pub number: u32,
    /// The page of the unfiltered list that shows it.
    pub page: u32,
}

/// Someone who filed amendments on the motion, for the author filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorOption {
    /// The member.
    pub member_id: i32,
    /// Their name.
    pub name: String,
    /// How many amendments they filed.
    pub count: usize,
}

/// One page of a motion's amendments, narrowed by the filters the reader chose, with what the filters offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentListing {
    /// Amendments of the motion, whatever the filters.
    pub total: usize,
    /// Those the filters keep.
    pub matching: usize,
    /// This page, from 1.
    pub page: u32,
    /// How many pages the filtered list has (at least 1).
    pub pages: u32,
    /// The position in the filtered list of this page's first amendment, from 1.
    pub first: usize,
    /// This page's amendments, by number.
    pub amendments: Vec<AmendmentView>,
    /// (id, number) of the amendments this page's fall reasons name.
    pub numbers: Vec<(i32, u32)>,
    /// The viewer's pending invitations to co-sign, from the whole list.
    pub invitations: Vec<InvitationLink>,
    /// How many amendments have each status, whatever the filters.
    pub status_counts: Vec<(AmendmentStatusCode, usize)>,
    /// The live paragraphs amendments change or follow, in reading order.
    pub paragraphs: Vec<PlaceView>,
    /// Who filed amendments, by name, with how many.
    pub authors: Vec<AuthorOption>,
}

/// What the amendments page of a motion shows, read in one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentsPageView {
    /// The motion.
    pub motion_id: i32,
    /// The last event of the motion's log this view includes (read first): where a live client starts.
    pub seq: i64,
    /// The motion's title.
    pub title: String,
    /// The page of amendments asked for.
    pub listing: AmendmentListing,
    /// What the viewer may do.
    pub permissions: ViewerPermissions,
}

/// The amendments page of a motion: one page (`page`, from 1; out of range is the nearest) of its amendments
/// narrowed by `status`, `paragraph` (what changes it or is inserted after it) and `author`, with the viewer's
/// permissions, from one reading of the motion.
///
/// # Errors
/// `NotFound` for an unknown motion; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "amendments_page_data")]
pub async fn amendments_page_data(
    motion_id: i32,
    status: Option<AmendmentStatusCode>,
    paragraph: Option<i32>,
    author: Option<i32>,
    page: Option<u32>,
) -> Result<AmendmentsPageView, ApiError> {
    use crate::api::state::{AppState, current_viewer};
    use domain::{
        ids::{MemberId, ParagraphId},
        listing::AmendmentFilter,
    };
    let state = AppState::from_context()?;
    let fail = ApiError::from;
    // The reader's view carries the head read before its tables: the amendments read after it are at least as
    // new.
    let reader = state
        .views
        .motion(&state.db, motion_id)
        .await
        .map_err(&fail)?;
    let motion = server::replayed(&state, motion_id).await?;
    let permissions = server::permissions_of(&motion, current_viewer().as_ref());
    let filter = AmendmentFilter {
        status,
        paragraph: paragraph.map(ParagraphId),
        author: author.map(MemberId),
    };
    let invited = permissions
        .member_id
        .filter(|_| permissions.allows(Action::CoSignAmendment))
        .map(MemberId);
    let listing = super::views::amendment_listing(
        &state.db,
        &motion,
        motion_id,
        &filter,
        page.unwrap_or(1),
        invited,
    )
    .await
    .map_err(&fail)?;
    Ok(AmendmentsPageView {
        motion_id: reader.id,
        seq: reader.seq,
        title: reader.title.clone(),
        listing,
        permissions,
    })
}

/// What the paragraph's pages (its history, the amendment editor) show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphPageView {
    /// The paragraph with its whole history.
    pub history: ParagraphHistoryView,
    /// What the viewer may do on its motion.
    pub permissions: ViewerPermissions,
}

/// A paragraph of a motion with the viewer's permissions: [`paragraph_history`] and [`motion_permissions`] in
/// one request.
///
/// # Errors
/// `NotFound` for an unknown paragraph, or one of another motion; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "paragraph_page_data")]
pub async fn paragraph_page_data(
    motion_id: i32,
    paragraph_id: i32,
) -> Result<ParagraphPageView, ApiError> {
    use crate::api::state::{AppState, current_viewer};
    let state = AppState::from_context()?;
    let fail = ApiError::from;
    let history = super::views::history(&state.db, &state.heads, paragraph_id)
        .await
        .map_err(&fail)?;
    if history.motion_id != motion_id {
        return Err(ApiError::NotFound);
    }
    let motion = server::replayed(&state, motion_id).await?;
    Ok(ParagraphPageView {
        history,
        permissions: server::permissions_of(&motion, current_viewer().as_ref()),
    })
}

/// What the author's page of one amendment shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentEditView {
    /// The amendment.
    pub amendment: AmendmentView,
    /// The current text of the paragraph it changes (empty for an insertion).
    pub current_text: String,
    /// What the viewer may do on its motion.
    pub permissions: ViewerPermissions,
    /// Who may be invited to co-sign: the edition's verified delegates.
    pub delegates: Vec<super::DelegateOption>,
}

/// One amendment of a motion for its author's page, with the text it changes, the viewer's permissions and
/// the delegates who may be invited, in one request (signed-in members only).
///
/// # Errors
/// `NotFound` for an unknown motion or amendment; then `Unauthenticated`; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "amendment_edit_data")]
pub async fn amendment_edit_data(
    motion_id: i32,
    amendment_id: i32,
) -> Result<AmendmentEditView, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::store::motions;
    let state = AppState::from_context()?;
    let fail = ApiError::from;
    let motion = server::replayed(&state, motion_id).await?;
    let amendment = super::views::amendment(&state.db, &motion, AmendmentId(amendment_id))
        .await
        .map_err(&fail)?
        .ok_or(ApiError::NotFound)?;
    let current_text = match amendment.paragraph_id {
        Some(paragraph) => motion
            .paragraph(domain::ids::ParagraphId(paragraph))
            .ok_or(ApiError::NotFound)?
            .text
            .clone(),
        None => String::new(),
    };
    // Who asks comes after what exists, as the page always said: the delegates are for members only.
    let viewer = require_viewer()?;
    let edition = motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(&fail)?;
    let delegates = motions::verified_delegates(&state.db, edition)
        .await
        .map_err(&fail)?
        .into_iter()
        .map(|(member_id, label)| super::DelegateOption { member_id, label })
        .collect();
    Ok(AmendmentEditView {
        amendment,
        current_text,
        permissions: server::permissions_of(&motion, Some(&viewer)),
        delegates,
    })
}
