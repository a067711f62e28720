//! Why the domain refuses a command: one enum of facts, with a stable translation key and the
//! placeholders the UI fills in.
//!
//! Owns the refusal vocabulary shared by every command and the policy. Carries no HTTP status and
//! no sentence to parse: the API maps it, the UI translates [`Refusal::message_key`] with
//! [`Refusal::args`]. Pure: no IO, no clock, no randomness.

use serde::{Deserialize, Serialize};

use crate::amendment::AmendmentStatusCode;
use crate::ballot::ProxyProblem;
use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId, SectionId, VersionNumber};
use crate::member::{MemberStatus, Role};
use crate::motion::Phase;
use crate::policy::Action;
use crate::text::ParagraphTextError;

/// A command refused by the domain. Each variant is a fact about the request or the motion; the
/// `Display` text (English) is for logs, people read the translation of [`Refusal::message_key`].
#[derive(thiserror::Error, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The member is not verified (pending or rejected members may only read; suspended ones
    /// nothing).
    #[error("member status {status:?} does not allow this")]
    NotVerified {
        /// Their status.
        status: MemberStatus,
    },
    /// The member's role never allows this action.
    #[error("role {role:?} cannot {action:?}")]
    RoleCannot {
        /// Their role.
        role: Role,
        /// The action asked.
        action: Action,
    },
    /// The role allows the action, but not in the motion's current phase.
    #[error("phase {phase:?} forbids {action:?}")]
    PhaseForbids {
        /// The motion's phase.
        phase: Phase,
        /// The action asked.
        action: Action,
    },
    /// The motion cannot go from `from` to `to`.
    #[error("the motion cannot go from {from:?} to {to:?}")]
    PhaseTransitionForbidden {
        /// The current phase.
        from: Phase,
        /// The phase asked.
        to: Phase,
    },
    /// The text is empty once normalized.
    #[error("the text is empty")]
    EmptyText,
    /// The normalized text is longer than allowed.
    #[error("the text has {chars} characters, more than {max}")]
    TextTooLong {
        /// Its length in `char`s.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// The proposed text changes nothing: it equals the current text (or the version it amends),
    /// or its change is already in the current text.
    #[error("the text is the same as the current one")]
    SameAsCurrent,
    /// No such paragraph in this motion.
    #[error("paragraph {paragraph} not found")]
    ParagraphNotFound {
        /// The id asked.
        paragraph: ParagraphId,
    },
    /// The paragraph was deleted.
    #[error("paragraph {paragraph} was deleted")]
    ParagraphDeleted {
        /// The deleted paragraph.
        paragraph: ParagraphId,
    },
    /// The paragraph is not in the section named with it.
    #[error("paragraph {paragraph} is not in section {section}")]
    ParagraphNotInSection {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The section named.
        section: SectionId,
    },
    /// The paragraph has no such version.
    #[error("paragraph {paragraph} has no version {version}")]
    VersionNotFound {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The version asked.
        version: VersionNumber,
    },
    /// No such section in this motion.
    #[error("section {section} not found")]
    SectionNotFound {
        /// The id asked.
        section: SectionId,
    },
    /// No such amendment in this motion.
    #[error("amendment {amendment} not found")]
    AmendmentNotFound {
        /// The id asked.
        amendment: AmendmentId,
    },
    /// The id given for a new amendment is already used (a store bug or a replayed command).
    #[error("amendment id {amendment} is already used")]
    AmendmentIdTaken {
        /// The id given.
        amendment: AmendmentId,
    },
    /// The id given for a new paragraph is already used.
    #[error("paragraph id {paragraph} is already used")]
    ParagraphIdTaken {
        /// The id given.
        paragraph: ParagraphId,
    },
    /// Adopting an insertion needs the id of the paragraph to create, and none was given.
    #[error("adopting an insertion needs a new paragraph id")]
    NewParagraphIdRequired,
    /// Only the amendment's author may do this.
    #[error("only the author of amendment {amendment} may do this")]
    NotTheAuthor {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The member already co-signed the amendment.
    #[error("member {member} already co-signed amendment {amendment}")]
    AlreadyCoSigned {
        /// The amendment.
        amendment: AmendmentId,
        /// The member.
        member: MemberId,
    },
    /// The author cannot co-sign their own amendment.
    #[error("the author cannot co-sign amendment {amendment}")]
    AuthorCannotCoSign {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The amendment has fewer co-signatories than the motion requires.
    #[error("{have} co-signatories, {need} needed")]
    NotEnoughCoSignatories {
        /// How many it has.
        have: u32,
        /// How many the motion requires.
        need: u32,
    },
    /// The amendment's status forbids the action.
    #[error("amendment {amendment} is {status:?}, which forbids {action:?}")]
    StatusForbids {
        /// The amendment.
        amendment: AmendmentId,
        /// Its status.
        status: AmendmentStatusCode,
        /// The action asked.
        action: Action,
    },
    /// A reason is mandatory (inadmissibility, editorial fix) and none was given.
    #[error("a reason is required")]
    ReasonRequired,
    /// The amendment is in conflict with the current text; resolve it first.
    #[error("amendment {amendment} has an unresolved conflict")]
    ConflictUnresolved {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The amendment has no conflict to resolve.
    #[error("amendment {amendment} has no conflict")]
    NoConflict {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The text changed since the version the person saw: reload and retry.
    #[error("version {expected} was expected, the current one is {current}")]
    StaleVersion {
        /// The version the person saw.
        expected: VersionNumber,
        /// The current version.
        current: VersionNumber,
    },
    /// The member was already invited to co-sign the amendment.
    #[error("member {member} is already invited to co-sign amendment {amendment}")]
    AlreadyInvited {
        /// The amendment.
        amendment: AmendmentId,
        /// The member.
        member: MemberId,
    },
    /// The imported draft has no paragraph.
    #[error("the draft has no paragraph")]
    DraftEmpty,
    /// A paragraph of the imported draft is too long.
    #[error("the draft's paragraph starting line {line} has {chars} characters, over {max}")]
    DraftParagraphTooLong {
        /// The 1-based line where the paragraph starts.
        line: usize,
        /// Its length in `char`s.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A heading of the imported draft is empty.
    #[error("the draft's heading line {line} is empty")]
    DraftEmptyHeading {
        /// The 1-based line of the heading.
        line: usize,
    },
    /// A date is not a calendar day `YYYY-MM-DD`, or the end comes before the start.
    #[error("invalid dates")]
    InvalidDates,
    /// A number is outside its range.
    #[error("the number must be between {min} and {max}")]
    NumberOutOfRange {
        /// The smallest accepted.
        min: u32,
        /// The largest accepted.
        max: u32,
    },
    /// No such ballot in this motion.
    #[error("ballot {ballot} not found")]
    BallotNotFound {
        /// The id asked.
        ballot: BallotId,
    },
    /// Another ballot of this motion is open: one vote at a time.
    #[error("ballot {ballot} is still open")]
    BallotAlreadyOpen {
        /// The open ballot.
        ballot: BallotId,
    },
    /// The ballot is closed: no more votes, hall counts or closing.
    #[error("ballot {ballot} is closed")]
    BallotNotOpen {
        /// The ballot.
        ballot: BallotId,
    },
    /// A quorum's fraction must be between 0 (excluded) and 1.
    #[error("invalid quorum")]
    InvalidQuorum,
    /// The member is not among the eligible voters (verified delegates) of the edition.
    #[error("member {member} is not an eligible voter")]
    NotEligibleVoter {
        /// The member.
        member: MemberId,
    },
    /// The voter holds no proxy in force for that member.
    #[error("no proxy for member {member}")]
    NoProxy {
        /// The member voted for.
        member: MemberId,
    },
    /// A vote for that member is already recorded and this ballot does not allow changes.
    #[error("already voted in ballot {ballot}")]
    AlreadyVoted {
        /// The ballot.
        ballot: BallotId,
    },
    /// The proxy breaks the rules of procedure.
    #[error("proxy refused: {problem:?}")]
    ProxyRefused {
        /// What is wrong.
        problem: ProxyProblem,
    },
    /// The member gave a proxy in force: their holder votes for them.
    #[error("member {member} gave a proxy")]
    ProxyGiven {
        /// The member.
        member: MemberId,
    },
    /// The amendment is not a pending amendment of that paragraph, or is listed twice.
    #[error("amendment {amendment} cannot be ordered here")]
    NotInVoteOrder {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The address already has an account: its owner signs in, then opens the link again (a link never
    /// changes an existing account's password).
    #[error("an account exists for this address")]
    AccountExists,
    /// The link was issued for another address than the signed-in member's.
    #[error("the invitation is for another address")]
    InvitationForAnother,
    /// The session this request (or socket) was opened with has ended.
    #[error("the session has ended")]
    SessionEnded,
    /// Another motion of the congress already has this title.
    #[error("a motion of this congress already has this title")]
    MotionTitleTaken,
    /// No proxy of the edition with this id is in force.
    #[error("proxy {proxy} not found")]
    ProxyNotFound {
        /// The id asked.
        proxy: i32,
    },
}

/// Every translation key of [`Refusal::message_key`], once each.
pub const MESSAGE_KEYS: &[&str] = &[
    "refusal.not_verified",
    "refusal.role_cannot",
    "refusal.phase_forbids",
    "refusal.phase_transition_forbidden",
    "refusal.empty_text",
    "refusal.text_too_long",
    "refusal.same_as_current",
    "refusal.paragraph_not_found",
    "refusal.paragraph_deleted",
    "refusal.paragraph_not_in_section",
    "refusal.version_not_found",
    "refusal.section_not_found",
    "refusal.amendment_not_found",
    "refusal.amendment_id_taken",
    "refusal.paragraph_id_taken",
    "refusal.new_paragraph_id_required",
    "refusal.not_the_author",
    "refusal.already_co_signed",
    "refusal.author_cannot_co_sign",
    "refusal.not_enough_co_signatories",
    "refusal.status_forbids",
    "refusal.reason_required",
    "refusal.conflict_unresolved",
    "refusal.no_conflict",
    "refusal.stale_version",
    "refusal.already_invited",
    "refusal.draft_empty",
    "refusal.draft_paragraph_too_long",
    "refusal.draft_empty_heading",
    "refusal.invalid_dates",
    "refusal.number_out_of_range",
    "refusal.ballot_not_found",
    "refusal.ballot_already_open",
    "refusal.ballot_not_open",
    "refusal.invalid_quorum",
    "refusal.not_eligible_voter",
    "refusal.no_proxy",
    "refusal.already_voted",
    "refusal.proxy_refused",
    "refusal.proxy_given",
    "refusal.not_in_vote_order",
    "refusal.account_exists",
    "refusal.invitation_for_another",
    "refusal.session_ended",
    "refusal.motion_title_taken",
    "refusal.proxy_not_found",
];

impl Refusal {
    /// The stable translation key of this refusal (`"refusal.phase_forbids"`…), one of
    /// [`MESSAGE_KEYS`].
    #[must_use]
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NotVerified { .. } => "refusal.not_verified",
            Refusal::RoleCannot { .. } => "refusal.role_cannot",
            Refusal::PhaseForbids { .. } => "refusal.phase_forbids",
            Refusal::PhaseTransitionForbidden { .. } => "refusal.phase_transition_forbidden",
            Refusal::EmptyText => "refusal.empty_text",
            Refusal::TextTooLong { .. } => "refusal.text_too_long",
            Refusal::SameAsCurrent => "refusal.same_as_current",
            Refusal::ParagraphNotFound { .. } => "refusal.paragraph_not_found",
            Refusal::ParagraphDeleted { .. } => "refusal.paragraph_deleted",
            Refusal::ParagraphNotInSection { .. } => "refusal.paragraph_not_in_section",
            Refusal::VersionNotFound { .. } => "refusal.version_not_found",
            Refusal::SectionNotFound { .. } => "refusal.section_not_found",
            Refusal::AmendmentNotFound { .. } => "refusal.amendment_not_found",
            Refusal::AmendmentIdTaken { .. } => "refusal.amendment_id_taken",
            Refusal::ParagraphIdTaken { .. } => "refusal.paragraph_id_taken",
            Refusal::NewParagraphIdRequired => "refusal.new_paragraph_id_required",
            Refusal::NotTheAuthor { .. } => "refusal.not_the_author",
            Refusal::AlreadyCoSigned { .. } => "refusal.already_co_signed",
            Refusal::AuthorCannotCoSign { .. } => "refusal.author_cannot_co_sign",
            Refusal::NotEnoughCoSignatories { .. } => "refusal.not_enough_co_signatories",
            Refusal::StatusForbids { .. } => "refusal.status_forbids",
            Refusal::ReasonRequired => "refusal.reason_required",
            Refusal::ConflictUnresolved { .. } => "refusal.conflict_unresolved",
            Refusal::NoConflict { .. } => "refusal.no_conflict",
            Refusal::StaleVersion { .. } => "refusal.stale_version",
            Refusal::AlreadyInvited { .. } => "refusal.already_invited",
            Refusal::DraftEmpty => "refusal.draft_empty",
            Refusal::DraftParagraphTooLong { .. } => "refusal.draft_paragraph_too_long",
            Refusal::DraftEmptyHeading { .. } => "refusal.draft_empty_heading",
            Refusal::InvalidDates => "refusal.invalid_dates",
            Refusal::NumberOutOfRange { .. } => "refusal.number_out_of_range",
            Refusal::BallotNotFound { .. } => "refusal.ballot_not_found",
            Refusal::BallotAlreadyOpen { .. } => "refusal.ballot_already_open",
            Refusal::BallotNotOpen { .. } => "refusal.ballot_not_open",
            Refusal::InvalidQuorum => "refusal.invalid_quorum",
            Refusal::NotEligibleVoter { .. } => "refusal.not_eligible_voter",
            Refusal::NoProxy { .. } => "refusal.no_proxy",
            Refusal::AlreadyVoted { .. } => "refusal.already_voted",
            Refusal::ProxyRefused { .. } => "refusal.proxy_refused",
            Refusal::ProxyGiven { .. } => "refusal.proxy_given",
            Refusal::NotInVoteOrder { .. } => "refusal.not_in_vote_order",
            Refusal::AccountExists => "refusal.account_exists",
            Refusal::InvitationForAnother => "refusal.invitation_for_another",
            Refusal::SessionEnded => "refusal.session_ended",
            Refusal::MotionTitleTaken => "refusal.motion_title_taken",
            Refusal::ProxyNotFound { .. } => "refusal.proxy_not_found",
        }
    }

    /// The placeholders of the translated message, by name, as strings (codes for enums, decimal
    /// for numbers and ids). Empty for refusals without details.
    #[must_use]
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let id = |name, value: &dyn std::fmt::Display| (name, value.to_string());
        match self {
            Refusal::NotVerified { status } => vec![("status", status.code().to_owned())],
            Refusal::RoleCannot { role, action } => vec![
                ("role", role.code().to_owned()),
                ("action", action.code().to_owned()),
            ],
            Refusal::PhaseForbids { phase, action } => vec![
                ("phase", phase.code().to_owned()),
                ("action", action.code().to_owned()),
            ],
            Refusal::PhaseTransitionForbidden { from, to } => vec![
                ("from", from.code().to_owned()),
                ("to", to.code().to_owned()),
            ],
            Refusal::EmptyText
            | Refusal::SameAsCurrent
            | Refusal::NewParagraphIdRequired
            | Refusal::ReasonRequired
            | Refusal::DraftEmpty
            | Refusal::InvalidDates => Vec::new(),
            Refusal::TextTooLong { chars, max } => vec![id("chars", chars), id("max", max)],
            Refusal::ParagraphNotFound { paragraph }
            | Refusal::ParagraphDeleted { paragraph }
            | Refusal::ParagraphIdTaken { paragraph } => vec![id("paragraph", paragraph)],
            Refusal::ParagraphNotInSection { paragraph, section } => {
                vec![id("paragraph", paragraph), id("section", section)]
            }
            Refusal::VersionNotFound { paragraph, version } => {
                vec![id("paragraph", paragraph), id("version", version)]
            }
            Refusal::SectionNotFound { section } => vec![id("section", section)],
            Refusal::AmendmentNotFound { amendment }
            | Refusal::AmendmentIdTaken { amendment }
            | Refusal::NotTheAuthor { amendment }
            | Refusal::AuthorCannotCoSign { amendment }
            | Refusal::ConflictUnresolved { amendment }
            | Refusal::NoConflict { amendment } => vec![id("amendment", amendment)],
            Refusal::AlreadyCoSigned { amendment, member } => {
                vec![id("amendment", amendment), id("member", member)]
            }
            Refusal::NotEnoughCoSignatories { have, need } => {
                vec![id("have", have), id("need", need)]
            }
            Refusal::StatusForbids {
                amendment,
                status,
                action,
            } => vec![
                id("amendment", amendment),
                ("status", status.code().to_owned()),
                ("action", action.code().to_owned()),
            ],
            Refusal::StaleVersion { expected, current } => {
                vec![id("expected", expected), id("current", current)]
            }
            Refusal::AlreadyInvited { amendment, member } => {
                vec![id("amendment", amendment), id("member", member)]
            }
            Refusal::DraftParagraphTooLong { line, chars, max } => {
                vec![id("line", line), id("chars", chars), id("max", max)]
            }
            Refusal::DraftEmptyHeading { line } => vec![id("line", line)],
            Refusal::NumberOutOfRange { min, max } => vec![id("min", min), id("max", max)],
            Refusal::BallotNotFound { ballot }
            | Refusal::BallotAlreadyOpen { ballot }
            | Refusal::BallotNotOpen { ballot }
            | Refusal::AlreadyVoted { ballot } => vec![id("ballot", ballot)],
            Refusal::InvalidQuorum => Vec::new(),
            Refusal::NotEligibleVoter { member }
            | Refusal::NoProxy { member }
            | Refusal::ProxyGiven { member } => {
                vec![id("member", member)]
            }
            Refusal::ProxyRefused { problem } => vec![("problem", problem.code().to_owned())],
            Refusal::NotInVoteOrder { amendment } => vec![id("amendment", amendment)],
            Refusal::AccountExists
            | Refusal::InvitationForAnother
            | Refusal::SessionEnded
            | Refusal::MotionTitleTaken => Vec::new(),
            Refusal::ProxyNotFound { proxy } => vec![id("proxy", proxy)],
        }
    }
}

impl From<crate::draft::DraftProblem> for Refusal {
    fn from(problem: crate::draft::DraftProblem) -> Self {
        use crate::draft::DraftProblem;
        match problem {
            DraftProblem::Empty => Refusal::DraftEmpty,
            DraftProblem::ParagraphTooLong { line, chars, max } => {
                Refusal::DraftParagraphTooLong { line, chars, max }
            }
            DraftProblem::EmptyHeading { line } => Refusal::DraftEmptyHeading { line },
        }
    }
}

impl From<ParagraphTextError> for Refusal {
    fn from(error: ParagraphTextError) -> Self {
        match error {
            ParagraphTextError::Empty => Refusal::EmptyText,
            ParagraphTextError::TooLong { chars, max } => Refusal::TextTooLong { chars, max },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// One refusal of each variant. The exhaustive match below stops compiling when a variant is
    /// added, so that this list (and the keys) are updated.
    fn one_of_each() -> Vec<Refusal> {
        let all = vec![
            Refusal::NotVerified {
                status: MemberStatus::Pending,
            },
            Refusal::RoleCannot {
                role: Role::Observer,
                action: Action::Vote,
            },
            Refusal::PhaseForbids {
                phase: Phase::Draft,
                action: Action::FileAmendment,
            },
            Refusal::PhaseTransitionForbidden {
                from: Phase::Session,
                to: Phase::Draft,
            },
            Refusal::EmptyText,
            Refusal::TextTooLong {
                chars: 5001,
                max: 5000,
            },
            Refusal::SameAsCurrent,
            Refusal::ParagraphNotFound {
                paragraph: ParagraphId(1),
            },
            Refusal::ParagraphDeleted {
                paragraph: ParagraphId(1),
            },
            Refusal::ParagraphNotInSection {
                paragraph: ParagraphId(1),
                section: SectionId(2),
            },
            Refusal::VersionNotFound {
                paragraph: ParagraphId(1),
                version: VersionNumber(9),
            },
            Refusal::SectionNotFound {
                section: SectionId(2),
            },
            Refusal::AmendmentNotFound {
                amendment: AmendmentId(3),
            },
            Refusal::AmendmentIdTaken {
                amendment: AmendmentId(3),
            },
            Refusal::ParagraphIdTaken {
                paragraph: ParagraphId(1),
            },
            Refusal::NewParagraphIdRequired,
            Refusal::NotTheAuthor {
                amendment: AmendmentId(3),
            },
            Refusal::AlreadyCoSigned {
                amendment: AmendmentId(3),
                member: MemberId(4),
            },
            Refusal::AuthorCannotCoSign {
                amendment: AmendmentId(3),
            },
            Refusal::NotEnoughCoSignatories { have: 1, need: 2 },
            Refusal::StatusForbids {
                amendment: AmendmentId(3),
                status: AmendmentStatusCode::Withdrawn,
                action: Action::CoSignAmendment,
            },
            Refusal::ReasonRequired,
            Refusal::ConflictUnresolved {
                amendment: AmendmentId(3),
            },
            Refusal::NoConflict {
                amendment: AmendmentId(3),
            },
            Refusal::StaleVersion {
                expected: VersionNumber(1),
                current: VersionNumber(2),
            },
            Refusal::AlreadyInvited {
                amendment: AmendmentId(3),
                member: MemberId(4),
            },
            Refusal::DraftEmpty,
            Refusal::DraftParagraphTooLong {
                line: 7,
                chars: 5001,
                max: 5000,
            },
            Refusal::DraftEmptyHeading { line: 3 },
            Refusal::InvalidDates,
            Refusal::NumberOutOfRange { min: 30, max: 160 },
            Refusal::BallotNotFound {
                ballot: BallotId(1),
            },
            Refusal::BallotAlreadyOpen {
                ballot: BallotId(2),
            },
            Refusal::BallotNotOpen {
                ballot: BallotId(3),
            },
            Refusal::InvalidQuorum,
            Refusal::NotEligibleVoter {
                member: MemberId(5),
            },
            Refusal::NoProxy {
                member: MemberId(6),
            },
            Refusal::AlreadyVoted {
                ballot: BallotId(4),
            },
            Refusal::ProxyRefused {
                problem: ProxyProblem::SelfProxy,
            },
            Refusal::ProxyGiven {
                member: MemberId(7),
            },
            Refusal::NotInVoteOrder {
                amendment: AmendmentId(8),
            },
            Refusal::AccountExists,
            Refusal::InvitationForAnother,
            Refusal::SessionEnded,
            Refusal::MotionTitleTaken,
            Refusal::ProxyNotFound { proxy: 9 },
        ];
        for refusal in &all {
            match refusal {
                Refusal::NotVerified { .. }
                | Refusal::RoleCannot { .. }
                | Refusal::PhaseForbids { .. }
                | Refusal::PhaseTransitionForbidden { .. }
                | Refusal::EmptyText
                | Refusal::TextTooLong { .. }
                | Refusal::SameAsCurrent
                | Refusal::ParagraphNotFound { .. }
                | Refusal::ParagraphDeleted { .. }
                | Refusal::ParagraphNotInSection { .. }
                | Refusal::VersionNotFound { .. }
                | Refusal::SectionNotFound { .. }
                | Refusal::AmendmentNotFound { .. }
                | Refusal::AmendmentIdTaken { .. }
                | Refusal::ParagraphIdTaken { .. }
                | Refusal::NewParagraphIdRequired
                | Refusal::NotTheAuthor { .. }
                | Refusal::AlreadyCoSigned { .. }
                | Refusal::AuthorCannotCoSign { .. }
                | Refusal::NotEnoughCoSignatories { .. }
                | Refusal::StatusForbids { .. }
                | Refusal::ReasonRequired
                | Refusal::ConflictUnresolved { .. }
                | Refusal::NoConflict { .. }
                | Refusal::StaleVersion { .. }
                | Refusal::AlreadyInvited { .. }
                | Refusal::DraftEmpty
                | Refusal::DraftParagraphTooLong { .. }
                | Refusal::DraftEmptyHeading { .. }
                | Refusal::InvalidDates
                | Refusal::NumberOutOfRange { .. }
                | Refusal::BallotNotFound { .. }
                | Refusal::BallotAlreadyOpen { .. }
                | Refusal::BallotNotOpen { .. }
                | Refusal::InvalidQuorum
                | Refusal::NotEligibleVoter { .. }
                | Refusal::NoProxy { .. }
                | Refusal::AlreadyVoted { .. }
                | Refusal::ProxyRefused { .. }
                | Refusal::ProxyGiven { .. }
                | Refusal::NotInVoteOrder { .. }
                | Refusal::AccountExists
                | Refusal::InvitationForAnother
                | Refusal::SessionEnded
                | Refusal::MotionTitleTaken
                | Refusal::ProxyNotFound { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_refusal_has_its_own_listed_message_key() {
        let refusals = one_of_each();
        let keys: Vec<&str> = refusals.iter().map(Refusal::message_key).collect();
        assert_eq!(
            keys, MESSAGE_KEYS,
            "one key per variant, in declaration order"
        );
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), MESSAGE_KEYS.len());
    }

    #[test]
    fn message_keys_are_the_serialized_variant_names() {
        for refusal in one_of_each() {
            let json = serde_json::to_value(&refusal).ok();
            let name = json
                .as_ref()
                .and_then(|j| j.get("refusal"))
                .and_then(|n| n.as_str())
                .map(|n| format!("refusal.{n}"));
            assert_eq!(name.as_deref(), Some(refusal.message_key()));
        }
    }

    #[test]
    fn refusals_round_trip_through_json() {
        for refusal in one_of_each() {
            let json = serde_json::to_string(&refusal).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Refusal>(&json).ok(), Some(refusal));
        }
    }

    #[test]
    fn args_give_codes_and_numbers_for_the_placeholders() {
        let cases = [
            (
                Refusal::PhaseForbids {
                    phase: Phase::Session,
                    action: Action::FileAmendment,
                },
                vec![("phase", "session"), ("action", "file_amendment")],
            ),
            (
                Refusal::NotEnoughCoSignatories { have: 1, need: 3 },
                vec![("have", "1"), ("need", "3")],
            ),
            (
                Refusal::StatusForbids {
                    amendment: AmendmentId(12),
                    status: AmendmentStatusCode::Adopted,
                    action: Action::WithdrawAmendment,
                },
                vec![
                    ("amendment", "12"),
                    ("status", "adopted"),
                    ("action", "withdraw_amendment"),
                ],
            ),
            (Refusal::EmptyText, vec![]),
        ];
        for (refusal, expected) in cases {
            let args = refusal.args();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(args, expected, "{refusal:?}");
        }
    }

    #[test]
    fn paragraph_text_errors_become_refusals() {
        assert_eq!(Refusal::from(ParagraphTextError::Empty), Refusal::EmptyText);
        assert_eq!(
            Refusal::from(ParagraphTextError::TooLong { chars: 9, max: 5 }),
            Refusal::TextTooLong { chars: 9, max: 5 }
        );
    }
}
