//! The chair's commands for ballots: open, hall count, close (with what the result changes in the
//! text), and the voting order of competing amendments.
//!
//! Votes themselves are not commands of the log: the store's vote writer records them one row per
//! represented member and gives [`close_ballot`] their tally. Pure: no IO, no clock, no
//! randomness.

use crate::amendment::{AmendmentStatus, AmendmentTarget, FallReason};
use crate::ballot::{BallotRules, BallotSubject, Outcome, Tally, decide};
use crate::diff::{diff_stats, word_diff};
use crate::event::MotionEvent;
use crate::ids::{AmendmentId, BallotId, ParagraphId};
use crate::member::Actor;
use crate::motion::Phase;
use crate::motion_state::MotionState;
use crate::paragraph::Provenance;
use crate::policy::{Action, can};
use crate::refusal::Refusal;
use crate::text::normalize;

use super::{adoption, find_amendment, live_paragraph, require_status, required_reason};

/// The longest countdown a chair may announce, in seconds.
pub const MAX_COUNTDOWN_SECONDS: u32 = 3600;
/// The shortest countdown a chair may announce, in seconds.
pub const MIN_COUNTDOWN_SECONDS: u32 = 5;
/// The largest count of one choice in a hall count (a guard against typing mistakes).
pub const MAX_HALL_COUNT: u32 = 100_000;
/// The longest ballot title or hall-count label, in `char`s.
pub const MAX_LABEL_CHARS: usize = 200;

/// What the chair asks when opening a ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningBallot {
    /// New ballot id (allocated by the store).
    pub ballot: BallotId,
    /// What it decides.
    pub subject: BallotSubject,
    /// Its title; empty: one is made from the subject ("Amendement n° 3").
    pub title: String,
    /// Its rules (the edition's, possibly overridden).
    pub rules: BallotRules,
    /// A countdown to announce, in seconds.
    pub countdown_seconds: Option<u32>,
}

/// What the store counted when the chair closes a ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClosingCount {
    /// The votes recorded in the app (one per represented member).
    pub electronic: Tally,
    /// The eligible voters, frozen at closing.
    pub registered: u32,
    /// The chair's roll call of members present, if taken.
    pub roll_call: Option<u32>,
    /// The id for a paragraph an adopted insertion creates (allocated by the store).
    pub new_paragraph: Option<ParagraphId>,
}

/// Opens a ballot (the chair, in session). One ballot at a time per motion.
///
/// # Errors
/// The policy's refusals for [`Action::OpenBallot`]; [`Refusal::BallotAlreadyOpen`];
/// [`Refusal::InvalidQuorum`]; [`Refusal::NumberOutOfRange`] for the countdown;
/// [`Refusal::TextTooLong`] for the title; for an amendment [`Refusal::AmendmentNotFound`],
/// [`Refusal::StatusForbids`] unless admissible, [`Refusal::ConflictUnresolved`]; for a
/// paragraph [`Refusal::ParagraphNotFound`], [`Refusal::ParagraphDeleted`].
pub fn open_ballot(
    state: &MotionState,
    actor: &Actor,
    opening: OpeningBallot,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::OpenBallot, state.phase())?;
    if let Some(open) = state.open_ballot() {
        return Err(Refusal::BallotAlreadyOpen { ballot: open.id });
    }
    if state.ballot(opening.ballot).is_some() {
        return Err(Refusal::BallotAlreadyOpen {
            ballot: opening.ballot,
        });
    }
    if opening
        .rules
        .quorum
        .is_some_and(|quorum| !quorum.is_valid())
    {
        return Err(Refusal::InvalidQuorum);
    }
    if let Some(seconds) = opening.countdown_seconds
        && !(MIN_COUNTDOWN_SECONDS..=MAX_COUNTDOWN_SECONDS).contains(&seconds)
    {
        return Err(Refusal::NumberOutOfRange {
            min: MIN_COUNTDOWN_SECONDS,
            max: MAX_COUNTDOWN_SECONDS,
        });
    }
    let default_title = match opening.subject {
        BallotSubject::Amendment { amendment } => {
            let found = find_amendment(state, amendment)?;
            require_status(found, Action::OpenBallot, |s| {
                *s == AmendmentStatus::Admissible
            })?;
            if found.is_conflicted() {
                return Err(Refusal::ConflictUnresolved { amendment });
            }
            format!("Amendement n° {}", found.number)
        }
        BallotSubject::Paragraph { paragraph } => {
            live_paragraph(state, paragraph)?;
            let position = state
                .paragraphs()
                .filter(|p| !p.is_deleted())
                .position(|p| p.id == paragraph)
                .unwrap_or(0);
            format!("Paragraphe {}", position + 1)
        }
        BallotSubject::Motion => format!("Vote final : {}", state.title()),
    };
    let title = label(&opening.title, &default_title)?;
    let number = u32::try_from(state.ballots().count())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    Ok(vec![MotionEvent::BallotOpened {
        ballot: opening.ballot,
        number,
        subject: opening.subject,
        title,
        rules: opening.rules,
        countdown_seconds: opening.countdown_seconds,
    }])
}

/// Records a counted show of hands as a separate line of an open ballot (the chair).
///
/// # Errors
/// The policy's refusals for [`Action::RecordHallCount`]; [`Refusal::BallotNotFound`],
/// [`Refusal::BallotNotOpen`]; [`Refusal::NumberOutOfRange`] for a count over
/// [`MAX_HALL_COUNT`]; [`Refusal::TextTooLong`] for the label.
pub fn record_hall_count(
    state: &MotionState,
    actor: &Actor,
    ballot: BallotId,
    label_text: &str,
    tally: Tally,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::RecordHallCount, state.phase())?;
    open(state, ballot)?;
    if [tally.pour, tally.contre, tally.abstention]
        .iter()
        .any(|count| *count > MAX_HALL_COUNT)
    {
        return Err(Refusal::NumberOutOfRange {
            min: 0,
            max: MAX_HALL_COUNT,
        });
    }
    let label = label(label_text, "Salle — à main levée")?;
    Ok(vec![MotionEvent::HallCountRecorded {
        ballot,
        label,
        tally,
    }])
}

/// Closes an open ballot (the chair): the domain decides the result from the count and the
/// ballot's rules, then applies it to the text:
/// - an amendment adopted is merged at once (new version with provenance amendment ← ballot,
///   competing amendments rebased or fallen, as [`super::adopt_amendment`]); rejected, it is
///   rejected; without quorum it stays admissible and can be put to a new vote;
/// - a paragraph rejected is deleted (provenance: the ballot) and its pending amendments fall;
/// - the motion adopted moves to [`Phase::Adopted`] (frozen), rejected to [`Phase::Closed`].
///
/// # Errors
/// The policy's refusals for [`Action::CloseBallot`]; [`Refusal::BallotNotFound`],
/// [`Refusal::BallotNotOpen`]; the refusals of merging an adopted amendment (e.g.
/// [`Refusal::ConflictUnresolved`] if an editorial fix made it conflict meanwhile: resolve, then
/// close).
pub fn close_ballot(
    state: &MotionState,
    actor: &Actor,
    ballot: BallotId,
    count: ClosingCount,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::CloseBallot, state.phase())?;
    let closing = open(state, ballot)?;
    let result = decide(
        &closing.rules,
        count.electronic,
        closing.hall_total(),
        count.registered,
        count.roll_call,
    );
    let mut events = vec![MotionEvent::BallotClosed { ballot, result }];
    match (closing.subject, result.outcome) {
        (_, Outcome::QuorumNotMet) | (BallotSubject::Paragraph { .. }, Outcome::Adopted) => {}
        (BallotSubject::Amendment { amendment }, Outcome::Adopted) => {
            events.extend(adoption(
                state,
                amendment,
                Some(ballot),
                count.new_paragraph,
            )?);
        }
        (BallotSubject::Amendment { amendment }, Outcome::Rejected) => {
            let found = find_amendment(state, amendment)?;
            if found.status == AmendmentStatus::Admissible {
                events.push(MotionEvent::AmendmentRejected {
                    amendment,
                    ballot: Some(ballot),
                });
            }
        }
        (BallotSubject::Paragraph { paragraph }, Outcome::Rejected) => {
            live_paragraph(state, paragraph)?;
            events.push(MotionEvent::ParagraphDeleted {
                paragraph,
                provenance: Provenance::Ballot { ballot },
            });
            events.extend(
                state
                    .competing_amendments(paragraph)
                    .into_iter()
                    .map(|amendment| MotionEvent::AmendmentFell {
                        amendment,
                        reason: FallReason::ParagraphRejected { ballot },
                    }),
            );
        }
        (BallotSubject::Motion, outcome) => {
            let to = if outcome == Outcome::Adopted {
                Phase::Adopted
            } else {
                Phase::Closed
            };
            events.push(MotionEvent::PhaseChanged {
                from: state.phase(),
                to,
            });
        }
    }
    Ok(events)
}

/// Sets the voting order of a paragraph's competing amendments (the chair), with a reason. The
/// amendments not listed keep the usual order after those listed.
///
/// # Errors
/// The policy's refusals for [`Action::ReorderAmendments`]; [`Refusal::ParagraphNotFound`],
/// [`Refusal::ParagraphDeleted`]; [`Refusal::ReasonRequired`]; [`Refusal::NotInVoteOrder`] for
/// an amendment that is not pending on the paragraph, or listed twice.
pub fn set_vote_order(
    state: &MotionState,
    actor: &Actor,
    paragraph: ParagraphId,
    order: &[AmendmentId],
    reason: &str,
) -> Result<Vec<MotionEvent>, Refusal> {
    can(actor, Action::ReorderAmendments, state.phase())?;
    live_paragraph(state, paragraph)?;
    let reason = required_reason(reason)?;
    let candidates = candidates(state, paragraph);
    let mut seen = Vec::with_capacity(order.len());
    for amendment in order {
        if !candidates.contains(amendment) || seen.contains(amendment) {
            return Err(Refusal::NotInVoteOrder {
                amendment: *amendment,
            });
        }
        seen.push(*amendment);
    }
    Ok(vec![MotionEvent::VoteOrderSet {
        paragraph,
        order: seen,
        reason,
    }])
}

/// The order in which a paragraph's admissible amendments are put to the vote: first those the
/// chair ordered (with a reason), then the usual order — deletions (their adoption makes every
/// other amendment impossible), then replacements changing the most words first (a larger change
/// usually covers the smaller ones, which then fall or rebase), then insertions after the
/// paragraph; ties by number.
#[must_use]
pub fn vote_order(state: &MotionState, paragraph: ParagraphId) -> Vec<AmendmentId> {
    let candidates = candidates(state, paragraph);
    let current = state
        .paragraph(paragraph)
        .map(|p| p.text.as_str())
        .unwrap_or_default();
    let mut usual: Vec<(u8, std::cmp::Reverse<usize>, u32, AmendmentId)> = candidates
        .iter()
        .filter_map(|id| state.amendment(*id))
        .map(|a| {
            let (class, magnitude) = match &a.target {
                AmendmentTarget::Delete { .. } => (0, 0),
                AmendmentTarget::Replace { .. } => {
                    let proposed = a.proposed_text().unwrap_or(current);
                    let (added, removed) = diff_stats(&word_diff(current, proposed));
                    (1, added + removed)
                }
                AmendmentTarget::InsertAfter { .. } => (2, 0),
            };
            (class, std::cmp::Reverse(magnitude), a.number, a.id)
        })
        .collect();
    usual.sort();
    let chosen: Vec<AmendmentId> = state
        .vote_order(paragraph)
        .map(|set| {
            set.order
                .iter()
                .copied()
                .filter(|id| candidates.contains(id))
                .collect()
        })
        .unwrap_or_default();
    let rest = usual
        .into_iter()
        .map(|(.., id)| id)
        .filter(|id| !chosen.contains(id));
    chosen.iter().copied().chain(rest).collect()
}

/// The admissible amendments that replace or delete `paragraph` or insert right after it.
fn candidates(state: &MotionState, paragraph: ParagraphId) -> Vec<AmendmentId> {
    state
        .amendments()
        .into_iter()
        .filter(|a| a.status == AmendmentStatus::Admissible)
        .filter(|a| match &a.target {
            AmendmentTarget::InsertAfter { after, .. } => *after == Some(paragraph),
            other => other.paragraph() == Some(paragraph),
        })
        .map(|a| a.id)
        .collect()
}

fn open(state: &MotionState, ballot: BallotId) -> Result<&crate::ballot::Ballot, Refusal> {
    let found = state
        .ballot(ballot)
        .ok_or(Refusal::BallotNotFound { ballot })?;
    if !found.is_open() {
        return Err(Refusal::BallotNotOpen { ballot });
    }
    Ok(found)
}

fn label(text: &str, default: &str) -> Result<String, Refusal> {
    let text = normalize(text);
    let text = if text.is_empty() {
        default.to_owned()
    } else {
        text
    };
    let chars = text.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(Refusal::TextTooLong {
            chars,
            max: MAX_LABEL_CHARS,
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
