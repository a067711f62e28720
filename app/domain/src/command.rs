//! The motion's commands: each checks the policy, then the rules, against the current
//! [`MotionState`], and returns the events to append — or a [`Refusal`], leaving the log untouched.
//!
//! Owns the rules of amending: validation of texts, co-signatures, admissibility, stale amendments
//! (rebased with a word-level three-way merge, conflicts kept for a person), and the merge at
//! adoption (new version with provenance, competing amendments rebased or fallen). Ids of new
//! things are passed in by the caller (the store allocates them). Pure: no IO, no clock, no
//! randomness.

use crate::amendment::{
    Amendment, AmendmentDraft, AmendmentStatus, AmendmentTarget, FallReason, Rebasing,
};
use crate::event::{DebateItem, MotionEvent};
use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId, SectionId, VersionNumber};
use crate::member::{Actor, Role};
use crate::merge::{ConflictRegion, Rebase, rebase};
use crate::motion::Phase;
use crate::motion_state::MotionState;
use crate::paragraph::{Paragraph, Provenance};
use crate::policy::{Action, can};
use crate::refusal::Refusal;
use crate::text::{MAX_PARAGRAPH_CHARS, normalize, normalize_paragraph, tokenize};

/// The longest rationale or reason accepted, in `char`s of its normalized text.
pub const MAX_RATIONALE_CHARS: usize = MAX_PARAGRAPH_CHARS;

/// The phase changes that exist, `(from, to)`: forward one step, back from the session to the
/// amendments (a procedural vote can send a text back), and closing from any open phase.
pub const PHASE_TRANSITIONS: &[(Phase, Phase)] = &[
    (Phase::Draft, Phase::Amending),
    (Phase::Amending, Phase::Session),
    (Phase::Session, Phase::Amending),
    (Phase::Session, Phase::Adopted),
    (Phase::Draft, Phase::Closed),
    (Phase::Amending, Phase::Closed),
    (Phase::Session, Phase::Closed),
];

/// Moves the motion to phase `to`.
///
/// # Errors
/// The policy's refusals for [`Action::ChangePhase`] (organizers, not from a frozen phase);
/// [`Refusal::PhaseTransitionForbidden`] when `(current, to)` is not in [`PHASE_TRANSITIONS`].
pub fn change_phase(
    state: &MotionState,
    actor: &Actor,
    to: Phase,
) -> Result<Vec<MotionEvent>, Refusal> {
    let from = state.phase();
    can(actor, Action::ChangePhase, from)?;
    if !PHASE_TRANSITIONS.contains(&(from, to)) {
        return Err(Refusal::PhaseTransitionForbidden { from, to });
    }
    // Votes would go on in a phase that takes none: the chair closes the ballot first.
    if let Some(open) = state.open_ballot() {
        return Err(Refusal::BallotAlreadyOpen { ballot: open.id });
    }
    Ok(vec![MotionEvent::PhaseChanged { from, to }])
}

/// Edits a paragraph of the draft (organizers, draft phase): a new version with provenance
/// [`Provenance::DraftEdit`]. `seen_version` is the version the organizer edited.
///
/// # Errors
/// The policy's refusals for [`Action::EditDraft`]; [`Refusal::ParagraphNotFound`],
/// [`Refusal::ParagraphDeleted`]; [`Refusal::StaleVersion`] if `seen_version` is not current;
/// [`Refusal::EmptyText`], [`Refusal::TextTooLong`]; [`Refusal::SameAsCurrent`].
pub fn edit_draft_paragraph(
    state: &MotionState,
    actor: &Actor,
    paragraph: ParagraphId,
    seen_version: VersionNumber,
    text: &str,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::EditDraft, state.phase())?;
    let current = live_paragraph(state, paragraph)?;
    let text = new_version_text(current, seen_version, text)?;
    let version = current.version.next();
    let mut events = vec![MotionEvent::DraftParagraphEdited {
        paragraph,
        version,
        text: text.clone(),
    }];
    events.extend(follow_new_version(
        state,
        current,
        None,
        version,
        &text,
        &FallReason::AlreadyInText { version },
    ));
    Ok(events)
}

/// Sets the item under debate (the chair, in session): a live paragraph, or a pending amendment; `None`
/// clears it.
///
/// # Errors
/// The policy's refusals for [`Action::SetCurrentItem`]; [`Refusal::ParagraphNotFound`],
/// [`Refusal::ParagraphDeleted`]; [`Refusal::AmendmentNotFound`]; [`Refusal::StatusForbids`] for an
/// amendment no longer pending.
pub fn set_current_item(
    state: &MotionState,
    actor: &Actor,
    item: Option<DebateItem>,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::SetCurrentItem, state.phase())?;
    match item {
        Some(DebateItem::Paragraph { paragraph }) => {
            live_paragraph(state, paragraph)?;
        }
        Some(DebateItem::Amendment { amendment }) => {
            let found = find_amendment(state, amendment)?;
            require_status(found, Action::SetCurrentItem, AmendmentStatus::is_pending)?;
        }
        None => {}
    }
    if state.current_item() == item {
        return Ok(Vec::new());
    }
    Ok(vec![MotionEvent::CurrentItemSet { item }])
}

/// Imports a draft written in Markdown or plain text at the end of the motion (organizers, draft
/// phase): headings open sections, blank lines separate paragraphs (see [`crate::draft`]).
/// Paragraphs before the first heading go to the motion's last section, or to a section without a
/// title when the motion has none yet. New sections take the ids `first_section`, `first_section
/// + 1`…, new paragraphs `first_paragraph`, `first_paragraph + 1`… (allocated by the store).
///
/// # Errors
/// The policy's refusals for [`Action::ImportDraft`]; the draft's first problem
/// ([`Refusal::DraftEmpty`], [`Refusal::DraftEmptyHeading`], [`Refusal::DraftParagraphTooLong`]);
/// [`Refusal::ParagraphIdTaken`] if an id to allocate is taken.
pub fn import_draft(
    state: &MotionState,
    actor: &Actor,
    text: &str,
    first_section: SectionId,
    first_paragraph: ParagraphId,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::ImportDraft, state.phase())?;
    let sections = crate::draft::parse_draft(text).map_err(|problems| {
        problems
            .into_iter()
            .next()
            .map_or(Refusal::DraftEmpty, Refusal::from)
    })?;
    let mut events = Vec::new();
    let mut next_section = first_section.get();
    let mut next_paragraph = first_paragraph.get();
    let mut section_position = state
        .sections()
        .iter()
        .map(|s| s.position)
        .max()
        .unwrap_or(0);
    let mut paragraph_position = u32::try_from(state.paragraphs().count()).unwrap_or(u32::MAX);
    let mut current = state.sections().last().map(|s| s.id);
    for section in sections {
        if section.title.is_some() || current.is_none() {
            section_position += 1;
            let id = SectionId(next_section);
            next_section += 1;
            events.push(MotionEvent::SectionAdded {
                section: id,
                position: section_position,
                title: section.title.unwrap_or_default(),
            });
            current = Some(id);
        }
        let Some(in_section) = current else {
            continue;
        };
        for text in section.paragraphs {
            let paragraph = ParagraphId(next_paragraph);
            if state.paragraph(paragraph).is_some() {
                return Err(Refusal::ParagraphIdTaken { paragraph });
            }
            next_paragraph += 1;
            paragraph_position += 1;
            events.push(MotionEvent::ParagraphAdded {
                paragraph,
                section: in_section,
                position: paragraph_position,
                text,
            });
        }
    }
    Ok(events)
}

/// Fixes a paragraph's wording (organizers, amending or session phase) with a mandatory reason: a
/// new version with provenance [`Provenance::EditorialFix`]. Pending amendments to the paragraph
/// are rebased onto it (or fall if it already reads as they propose).
///
/// # Errors
/// The policy's refusals for [`Action::EditorialFix`]; [`Refusal::ReasonRequired`] (empty once
/// normalized), [`Refusal::TextTooLong`] for a reason over [`MAX_RATIONALE_CHARS`]; then as
/// [`edit_draft_paragraph`].
pub fn editorial_fix(
    state: &MotionState,
    actor: &Actor,
    paragraph: ParagraphId,
    seen_version: VersionNumber,
    text: &str,
    reason: &str,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::EditorialFix, state.phase())?;
    let reason = required_reason(reason)?;
    let current = live_paragraph(state, paragraph)?;
    let text = new_version_text(current, seen_version, text)?;
    let version = current.version.next();
    let mut events = vec![MotionEvent::ParagraphVersionCreated {
        paragraph,
        version,
        text: text.clone(),
        provenance: Provenance::EditorialFix { reason },
    }];
    events.extend(follow_new_version(
        state,
        current,
        None,
        version,
        &text,
        &FallReason::AlreadyInText { version },
    ));
    Ok(events)
}

/// Files an amendment as `new_id` (allocated by the store), numbered after the last one.
///
/// The text is normalized ([`normalize_paragraph`]), the rationale too ([`normalize`], may be
/// empty). A replacement or deletion records the version the author saw (`base_version` in the
/// draft); if that version is no longer current, the amendment is kept and immediately rebased
/// onto the current text: an [`MotionEvent::AmendmentRebased`] or
/// [`MotionEvent::AmendmentConflicted`] follows the filing.
///
/// # Errors
/// The policy's refusals for [`Action::FileAmendment`] (verified delegates, amending phase);
/// [`Refusal::AmendmentIdTaken`]; the draft's refusals (see [`edit_amendment`]).
pub fn file_amendment(
    state: &MotionState,
    actor: &Actor,
    draft: AmendmentDraft,
    new_id: AmendmentId,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::FileAmendment, state.phase())?;
    if state.amendment(new_id).is_some() {
        return Err(Refusal::AmendmentIdTaken { amendment: new_id });
    }
    let (target, rationale) = validate_draft(state, draft)?;
    let follow = rebase_if_stale(state, new_id, &target)?;
    let mut events = vec![MotionEvent::AmendmentFiled {
        amendment: new_id,
        number: state.next_amendment_number(),
        author: actor.id,
        target,
        rationale,
    }];
    events.extend(follow);
    Ok(events)
}

/// Edits one's own amendment while it is only filed (not yet declared admissible). Its
/// co-signatures are cleared (they signed another text); a stale base is rebased as when filing.
///
/// # Errors
/// The policy's refusals for [`Action::EditAmendment`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::NotTheAuthor`]; [`Refusal::StatusForbids`] unless filed; and the draft's refusals:
/// [`Refusal::ParagraphNotFound`], [`Refusal::ParagraphDeleted`], [`Refusal::VersionNotFound`],
/// [`Refusal::SectionNotFound`], [`Refusal::ParagraphNotInSection`], [`Refusal::EmptyText`],
/// [`Refusal::TextTooLong`] (text or rationale), [`Refusal::SameAsCurrent`] (the text equals the
/// version it amends or the current text, or its change is already in the current text).
pub fn edit_amendment(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    draft: AmendmentDraft,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::EditAmendment, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    own(actor, existing)?;
    require_status(existing, Action::EditAmendment, |s| {
        *s == AmendmentStatus::Filed
    })?;
    let (target, rationale) = validate_draft(state, draft)?;
    let follow = rebase_if_stale(state, amendment, &target)?;
    let mut events = vec![MotionEvent::AmendmentEdited {
        amendment,
        target,
        rationale,
    }];
    events.extend(follow);
    Ok(events)
}

/// Co-signs someone else's filed amendment.
///
/// # Errors
/// The policy's refusals for [`Action::CoSignAmendment`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::StatusForbids`] unless filed; [`Refusal::AuthorCannotCoSign`];
/// [`Refusal::AlreadyCoSigned`].
pub fn co_sign_amendment(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::CoSignAmendment, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    require_status(existing, Action::CoSignAmendment, |s| {
        *s == AmendmentStatus::Filed
    })?;
    if existing.author == actor.id {
        return Err(Refusal::AuthorCannotCoSign { amendment });
    }
    if existing.cosigners.contains(&actor.id) {
        return Err(Refusal::AlreadyCoSigned {
            amendment,
            member: actor.id,
        });
    }
    Ok(vec![MotionEvent::AmendmentCoSigned {
        amendment,
        member: actor.id,
    }])
}

/// Invites members to co-sign one's own filed amendment. Members already invited, the author and
/// members who already co-signed are refused by name; the same member twice in `members` counts
/// once. Who may be invited (verified delegates of the edition) is checked by the caller, which
/// knows the members.
///
/// # Errors
/// The policy's refusals for [`Action::EditAmendment`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::NotTheAuthor`]; [`Refusal::StatusForbids`] unless filed;
/// [`Refusal::AuthorCannotCoSign`]; [`Refusal::AlreadyCoSigned`]; [`Refusal::AlreadyInvited`].
pub fn invite_co_signers(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    members: &[MemberId],
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::EditAmendment, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    own(actor, existing)?;
    require_status(existing, Action::EditAmendment, |s| {
        *s == AmendmentStatus::Filed
    })?;
    let mut invited: Vec<MemberId> = Vec::with_capacity(members.len());
    for member in members {
        if invited.contains(member) {
            continue;
        }
        if *member == existing.author {
            return Err(Refusal::AuthorCannotCoSign { amendment });
        }
        if existing.cosigners.contains(member) {
            return Err(Refusal::AlreadyCoSigned {
                amendment,
                member: *member,
            });
        }
        if existing.invited.contains(member) {
            return Err(Refusal::AlreadyInvited {
                amendment,
                member: *member,
            });
        }
        invited.push(*member);
    }
    if invited.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![MotionEvent::CoSignersInvited {
        amendment,
        members: invited,
    }])
}

/// Withdraws one's own pending amendment.
///
/// # Errors
/// The policy's refusals for [`Action::WithdrawAmendment`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::NotTheAuthor`]; [`Refusal::StatusForbids`] unless pending.
pub fn withdraw_amendment(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::WithdrawAmendment, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    own(actor, existing)?;
    require_status(
        existing,
        Action::WithdrawAmendment,
        AmendmentStatus::is_pending,
    )?;
    Ok(vec![MotionEvent::AmendmentWithdrawn { amendment }])
}

/// Declares a filed amendment admissible, once it has the motion's minimum of co-signatories.
///
/// # Errors
/// The policy's refusals for [`Action::DeclareAdmissibility`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::StatusForbids`] unless filed; [`Refusal::NotEnoughCoSignatories`].
pub fn declare_admissible(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::DeclareAdmissibility, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    require_status(existing, Action::DeclareAdmissibility, |s| {
        *s == AmendmentStatus::Filed
    })?;
    let (have, need) = (existing.cosigner_count(), state.min_cosigners());
    if have < need {
        return Err(Refusal::NotEnoughCoSignatories { have, need });
    }
    Ok(vec![MotionEvent::AmendmentDeclaredAdmissible { amendment }])
}

/// Declares a pending amendment inadmissible, with a reason (organizers may revise an earlier
/// admissibility).
///
/// # Errors
/// The policy's refusals for [`Action::DeclareAdmissibility`]; [`Refusal::ReasonRequired`],
/// [`Refusal::TextTooLong`] for the reason; [`Refusal::AmendmentNotFound`];
/// [`Refusal::StatusForbids`] unless pending.
pub fn declare_inadmissible(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    reason: &str,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::DeclareAdmissibility, state.phase())?;
    let reason = required_reason(reason)?;
    let existing = find_amendment(state, amendment)?;
    require_status(
        existing,
        Action::DeclareAdmissibility,
        AmendmentStatus::is_pending,
    )?;
    Ok(vec![MotionEvent::AmendmentDeclaredInadmissible {
        amendment,
        reason,
    }])
}

/// Resolves the conflict of a stale replacement: `text` becomes its text against the version the
/// conflict was found on. Its author (a delegate, amending phase) or an organizer may.
///
/// # Errors
/// The policy's refusals for [`Action::ResolveConflict`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::NotTheAuthor`] for a delegate who is not the author; [`Refusal::StatusForbids`]
/// unless pending; [`Refusal::NoConflict`]; [`Refusal::EmptyText`], [`Refusal::TextTooLong`];
/// [`Refusal::SameAsCurrent`] if `text` is the paragraph's current text.
pub fn resolve_conflict(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    text: &str,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::ResolveConflict, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    if actor.role != Role::Organizer {
        own(actor, existing)?;
    }
    require_status(
        existing,
        Action::ResolveConflict,
        AmendmentStatus::is_pending,
    )?;
    let Some(Rebasing::Conflicted { onto_version, .. }) = existing.rebasing else {
        return Err(Refusal::NoConflict { amendment });
    };
    let text = normalize_paragraph(text)?;
    if let Some(paragraph) = existing.target.paragraph() {
        let current = live_paragraph(state, paragraph)?;
        if current.version != onto_version {
            return Err(Refusal::StaleVersion {
                expected: onto_version,
                current: current.version,
            });
        }
        if current.text == text {
            return Err(Refusal::SameAsCurrent);
        }
    }
    Ok(vec![MotionEvent::ConflictResolved {
        amendment,
        text,
        by: actor.id,
    }])
}

/// Adopts an admissible amendment — by hand (`ballot: None`) or after a ballot — and merges it:
/// - a replacement gives the paragraph a new version (provenance: this amendment, this ballot);
///   every other pending replacement of the paragraph is rebased onto it
///   ([`MotionEvent::AmendmentRebased`]), or marked in conflict
///   ([`MotionEvent::AmendmentConflicted`]), or falls if the new text already reads as it
///   proposes ([`FallReason::SupersededBy`]); pending deletions of the paragraph stay pending;
/// - a deletion deletes the paragraph; every other pending amendment replacing or deleting it
///   falls ([`FallReason::TargetDeleted`]); insertions after it stay pending (the deleted
///   paragraph keeps its place);
/// - an insertion creates paragraph `new_paragraph` (allocated by the store); pending insertions
///   of the same text at the same place fall ([`FallReason::SupersededBy`]).
///
/// # Errors
/// The policy's refusals for [`Action::AdoptByHand`]; [`Refusal::AmendmentNotFound`];
/// [`Refusal::StatusForbids`] unless admissible; [`Refusal::ConflictUnresolved`];
/// [`Refusal::ParagraphNotFound`], [`Refusal::ParagraphDeleted`]; for an insertion
/// [`Refusal::NewParagraphIdRequired`], [`Refusal::ParagraphIdTaken`],
/// [`Refusal::SectionNotFound`], [`Refusal::ParagraphNotInSection`]. Never returned for a state
/// built by these commands, but checked: [`Refusal::StaleVersion`] (text not based on the current
/// version), [`Refusal::SameAsCurrent`].
pub fn adopt_amendment(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    ballot: Option<BallotId>,
    new_paragraph: Option<ParagraphId>,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::AdoptByHand, state.phase())?;
    adoption(state, amendment, ballot, new_paragraph)
}

/// The events of adopting `amendment` (see [`adopt_amendment`]), once someone was allowed to: an
/// organizer by hand, or the chair's ballot.
fn adoption(
    state: &MotionState,
    amendment: AmendmentId,
    ballot: Option<BallotId>,
    new_paragraph: Option<ParagraphId>,
) -> Result<Vec<MotionEvent>, Refusal> {
    let adopted = find_amendment(state, amendment)?;
    require_status(adopted, Action::AdoptByHand, |s| {
        *s == AmendmentStatus::Admissible
    })?;
    if adopted.is_conflicted() {
        return Err(Refusal::ConflictUnresolved { amendment });
    }
    let provenance = Provenance::Amendment { amendment, ballot };
    let mut events = vec![MotionEvent::AmendmentAdopted { amendment, ballot }];
    match &adopted.target {
        AmendmentTarget::Replace { paragraph, .. } => {
            let current = live_paragraph(state, *paragraph)?;
            let applies_to = adopted.applies_to().unwrap_or(current.version);
            if applies_to != current.version {
                return Err(Refusal::StaleVersion {
                    expected: applies_to,
                    current: current.version,
                });
            }
            let text = adopted.proposed_text().unwrap_or_default().to_owned();
            if text == current.text {
                return Err(Refusal::SameAsCurrent);
            }
            let version = current.version.next();
            events.push(MotionEvent::ParagraphVersionCreated {
                paragraph: *paragraph,
                version,
                text: text.clone(),
                provenance,
            });
            events.extend(follow_new_version(
                state,
                current,
                Some(amendment),
                version,
                &text,
                &FallReason::SupersededBy { amendment },
            ));
        }
        AmendmentTarget::Delete { paragraph, .. } => {
            live_paragraph(state, *paragraph)?;
            events.push(MotionEvent::ParagraphDeleted {
                paragraph: *paragraph,
                provenance,
            });
            events.extend(
                state
                    .competing_amendments(*paragraph)
                    .into_iter()
                    .filter(|other| *other != amendment)
                    .map(|other| MotionEvent::AmendmentFell {
                        amendment: other,
                        reason: FallReason::TargetDeleted { by: amendment },
                    }),
            );
        }
        AmendmentTarget::InsertAfter {
            section,
            after,
            text,
        } => {
            let id = new_paragraph.ok_or(Refusal::NewParagraphIdRequired)?;
            if state.paragraph(id).is_some() {
                return Err(Refusal::ParagraphIdTaken { paragraph: id });
            }
            check_insertion_place(state, *section, *after, false)?;
            events.push(MotionEvent::ParagraphInserted {
                paragraph: id,
                section: *section,
                after: *after,
                text: text.clone(),
                provenance,
            });
            events.extend(
                state
                    .amendments()
                    .into_iter()
                    .filter(|other| other.id != amendment && other.is_pending())
                    .filter(|other| other.target == adopted.target)
                    .map(|other| MotionEvent::AmendmentFell {
                        amendment: other.id,
                        reason: FallReason::SupersededBy { amendment },
                    }),
            );
        }
    }
    Ok(events)
}

/// Rejects an admissible amendment — by hand (`ballot: None`) or after a ballot.
///
/// # Errors
/// The policy's refusals for [`Action::AdoptByHand`] (deciding by hand covers both outcomes);
/// [`Refusal::AmendmentNotFound`]; [`Refusal::StatusForbids`] unless admissible.
pub fn reject_amendment(
    state: &MotionState,
    actor: &Actor,
    amendment: AmendmentId,
    ballot: Option<BallotId>,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::AdoptByHand, state.phase())?;
    let existing = find_amendment(state, amendment)?;
    require_status(existing, Action::AdoptByHand, |s| {
        *s == AmendmentStatus::Admissible
    })?;
    Ok(vec![MotionEvent::AmendmentRejected { amendment, ballot }])
}

/// The pending amendments that replace or delete `paragraph`, by number (see
/// [`MotionState::competing_amendments`]).
#[must_use]
pub fn competing_amendments(state: &MotionState, paragraph: ParagraphId) -> Vec<AmendmentId> {
    state.competing_amendments(paragraph)
}

fn find_amendment(state: &MotionState, amendment: AmendmentId) -> Result<&Amendment, Refusal> {
    state
        .amendment(amendment)
        .ok_or(Refusal::AmendmentNotFound { amendment })
}

fn own(actor: &Actor, amendment: &Amendment) -> Result<(), Refusal> {
    if amendment.author == actor.id {
        Ok(())
    } else {
        Err(Refusal::NotTheAuthor {
            amendment: amendment.id,
        })
    }
}

fn require_status(
    amendment: &Amendment,
    action: Action,
    allowed: impl Fn(&AmendmentStatus) -> bool,
) -> Result<(), Refusal> {
    if allowed(&amendment.status) {
        Ok(())
    } else {
        Err(Refusal::StatusForbids {
            amendment: amendment.id,
            status: amendment.status.status_code(),
            action,
        })
    }
}

fn live_paragraph(state: &MotionState, paragraph: ParagraphId) -> Result<&Paragraph, Refusal> {
    let found = state
        .paragraph(paragraph)
        .ok_or(Refusal::ParagraphNotFound { paragraph })?;
    if found.is_deleted() {
        return Err(Refusal::ParagraphDeleted { paragraph });
    }
    Ok(found)
}

fn required_reason(reason: &str) -> Result<String, Refusal> {
    let reason = normalize(reason);
    if reason.is_empty() {
        return Err(Refusal::ReasonRequired);
    }
    within_rationale_limit(reason)
}

fn within_rationale_limit(text: String) -> Result<String, Refusal> {
    let chars = text.chars().count();
    if chars > MAX_RATIONALE_CHARS {
        return Err(Refusal::TextTooLong {
            chars,
            max: MAX_RATIONALE_CHARS,
        });
    }
    Ok(text)
}

/// Checks a new version's text against the paragraph's current version.
fn new_version_text(
    current: &Paragraph,
    seen_version: VersionNumber,
    text: &str,
) -> Result<String, Refusal> {
    if seen_version != current.version {
        return Err(Refusal::StaleVersion {
            expected: seen_version,
            current: current.version,
        });
    }
    let text = normalize_paragraph(text)?;
    if text == current.text {
        return Err(Refusal::SameAsCurrent);
    }
    Ok(text)
}

/// Checks where an insertion goes: the section exists, and `after`, if any, is one of its
/// paragraphs (not deleted, when `live` is asked).
fn check_insertion_place(
    state: &MotionState,
    section: crate::ids::SectionId,
    after: Option<ParagraphId>,
    live: bool,
) -> Result<(), Refusal> {
    let found = state
        .section(section)
        .ok_or(Refusal::SectionNotFound { section })?;
    if let Some(after) = after {
        let paragraph = if live {
            live_paragraph(state, after)?
        } else {
            state
                .paragraph(after)
                .ok_or(Refusal::ParagraphNotFound { paragraph: after })?
        };
        if paragraph.section != section || !found.paragraphs.contains(&after) {
            return Err(Refusal::ParagraphNotInSection {
                paragraph: after,
                section,
            });
        }
    }
    Ok(())
}

/// Validates and normalizes an amendment draft against the current state.
fn validate_draft(
    state: &MotionState,
    draft: AmendmentDraft,
) -> Result<(AmendmentTarget, String), Refusal> {
    let target = match draft.target {
        AmendmentTarget::Replace {
            paragraph,
            base_version,
            text,
        } => {
            let current = live_paragraph(state, paragraph)?;
            let base_text = current
                .text_at(base_version)
                .ok_or(Refusal::VersionNotFound {
                    paragraph,
                    version: base_version,
                })?;
            let text = normalize_paragraph(&text)?;
            if text == base_text || text == current.text {
                return Err(Refusal::SameAsCurrent);
            }
            AmendmentTarget::Replace {
                paragraph,
                base_version,
                text,
            }
        }
        AmendmentTarget::Delete {
            paragraph,
            base_version,
        } => {
            let current = live_paragraph(state, paragraph)?;
            if current.text_at(base_version).is_none() {
                return Err(Refusal::VersionNotFound {
                    paragraph,
                    version: base_version,
                });
            }
            AmendmentTarget::Delete {
                paragraph,
                base_version,
            }
        }
        AmendmentTarget::InsertAfter {
            section,
            after,
            text,
        } => {
            check_insertion_place(state, section, after, true)?;
            AmendmentTarget::InsertAfter {
                section,
                after,
                text: normalize_paragraph(&text)?,
            }
        }
    };
    let rationale = within_rationale_limit(normalize(&draft.rationale))?;
    Ok((target, rationale))
}

/// For a replacement written against an older version: the rebase (or conflict) event that
/// follows its filing or edit.
///
/// # Errors
/// [`Refusal::SameAsCurrent`] when its change is already in the current text.
fn rebase_if_stale(
    state: &MotionState,
    amendment: AmendmentId,
    target: &AmendmentTarget,
) -> Result<Option<MotionEvent>, Refusal> {
    let AmendmentTarget::Replace {
        paragraph,
        base_version,
        text,
    } = target
    else {
        return Ok(None);
    };
    let current = live_paragraph(state, *paragraph)?;
    if *base_version == current.version {
        return Ok(None);
    }
    let base_text = current.text_at(*base_version).unwrap_or(&current.text);
    match rebase_onto(base_text, text, &current.text) {
        Outcome::Clean(merged) if merged == current.text => Err(Refusal::SameAsCurrent),
        Outcome::Clean(merged) => Ok(Some(MotionEvent::AmendmentRebased {
            amendment,
            onto_version: current.version,
            text: merged,
        })),
        Outcome::Conflict(regions) => Ok(Some(MotionEvent::AmendmentConflicted {
            amendment,
            onto_version: current.version,
            regions,
        })),
    }
}

/// After `paragraph` gets version `version` with `text`: the events for every other pending
/// replacement of it — rebased, in conflict, or fallen with `fall` when the new text already reads
/// as it proposes.
fn follow_new_version(
    state: &MotionState,
    paragraph: &Paragraph,
    except: Option<AmendmentId>,
    version: VersionNumber,
    text: &str,
    fall: &FallReason,
) -> Vec<MotionEvent> {
    let mut events = Vec::new();
    for other in state.amendments() {
        if Some(other.id) == except || !other.is_pending() {
            continue;
        }
        let AmendmentTarget::Replace {
            paragraph: target,
            base_version,
            text: original,
        } = &other.target
        else {
            continue;
        };
        if *target != paragraph.id {
            continue;
        }
        // Rebase from what the amendment last read as, against the version it applied to: its
        // rebased (or resolved) text, or, if it never rebased or is in conflict, the author's own.
        let (from_version, ours) = match &other.rebasing {
            Some(Rebasing::Rebased { onto_version, text }) => (*onto_version, text.as_str()),
            Some(Rebasing::Conflicted { .. }) | None => (*base_version, original.as_str()),
        };
        let base_text = paragraph.text_at(from_version).unwrap_or(&paragraph.text);
        events.push(match rebase_onto(base_text, ours, text) {
            Outcome::Clean(merged) if merged == text => MotionEvent::AmendmentFell {
                amendment: other.id,
                reason: fall.clone(),
            },
            Outcome::Clean(merged) => MotionEvent::AmendmentRebased {
                amendment: other.id,
                onto_version: version,
                text: merged,
            },
            Outcome::Conflict(regions) => MotionEvent::AmendmentConflicted {
                amendment: other.id,
                onto_version: version,
                regions,
            },
        });
    }
    events
}

/// A rebase whose clean text is a storable paragraph.
enum Outcome {
    Clean(String),
    Conflict(Vec<ConflictRegion>),
}

/// Rebases and normalizes. A clean merge that is not a storable paragraph (empty, or over the
/// limit, once normalized) becomes one conflict over the whole text: a person decides.
fn rebase_onto(base: &str, ours: &str, current: &str) -> Outcome {
    match rebase(base, ours, current) {
        Rebase::Clean(merged) => match normalize_paragraph(&merged) {
            Ok(merged) => Outcome::Clean(merged),
            Err(_) => Outcome::Conflict(vec![whole_text_conflict(base, ours, current)]),
        },
        Rebase::Conflict { regions, .. } => Outcome::Conflict(regions),
    }
}

fn whole_text_conflict(base: &str, ours: &str, current: &str) -> ConflictRegion {
    ConflictRegion {
        base_tokens: 0..tokenize(base).len(),
        ours_tokens: 0..tokenize(ours).len(),
        theirs_tokens: 0..tokenize(current).len(),
        base: base.to_owned(),
        ours: ours.to_owned(),
        theirs: current.to_owned(),
    }
}

mod ballots;
pub use ballots::{
    ClosingCount, OpeningBallot, close_ballot, open_ballot, record_hall_count, set_vote_order,
    vote_order,
};

#[cfg(test)]
mod tests;
