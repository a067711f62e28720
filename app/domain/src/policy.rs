//! The one authorization policy: which verified member may do which action in which phase.
//!
//! Owns the list of every action of the product and the rules, written as data ([`RULES`]). Every
//! command of the domain, every server function and every route asks [`can`]; the UI asks
//! [`allowed_actions`] to hide what a member cannot do. Rules about *whose* amendment (the author
//! only) are checked by the commands, which know the amendment. Pure: no IO, no clock, no
//! randomness.

use serde::{Deserialize, Serialize};

use crate::member::{Actor, MemberStatus, Role};
use crate::motion::Phase;
use crate::refusal::Refusal;

/// Every action of the product that the policy rules on.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Read the motion, its amendments and its history.
    ReadMotion,
    /// Edit a paragraph of the draft (organizers, draft phase).
    EditDraft,
    /// Move the motion to another phase.
    ChangePhase,
    /// Import a draft from Markdown or plain text.
    ImportDraft,
    /// File an amendment.
    FileAmendment,
    /// Co-sign someone else's amendment.
    CoSignAmendment,
    /// Withdraw one's own amendment.
    WithdrawAmendment,
    /// Edit one's own amendment before it is declared admissible.
    EditAmendment,
    /// Declare an amendment admissible or inadmissible.
    DeclareAdmissibility,
    /// Adopt or reject an amendment by hand (without a ballot in the app).
    AdoptByHand,
    /// Fix a paragraph's wording (typo, typography) with a mandatory reason.
    EditorialFix,
    /// Resolve the conflict of a stale amendment (its author or an organizer).
    ResolveConflict,
    /// Set the item under debate.
    SetCurrentItem,
    /// Open a ballot.
    OpenBallot,
    /// Close a ballot.
    CloseBallot,
    /// Record the count of a vote by show of hands in the hall.
    RecordHallCount,
    /// Order the competing amendments of a paragraph for the debate.
    ReorderAmendments,
    /// Vote for oneself.
    Vote,
    /// Vote on behalf of another member who gave a proxy.
    VoteByProxy,
    /// Grant, limit or revoke proxies.
    ManageProxies,
    /// Verify, reject, suspend members and change their roles.
    ManageMembers,
    /// Create an invitation link.
    CreateInvitation,
    /// Import a list of members (CSV).
    ImportMembers,
    /// Export the hand-over dossier (PDF, ODT, JSON).
    Export,
    /// Create a read-only link for the projector.
    CreateProjectorLink,
    /// Issue an API token for a tool.
    IssueToolToken,
    /// Create an edition (congress) and its motions.
    ManageCongress,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 27] = [
        Action::ReadMotion,
        Action::EditDraft,
        Action::ChangePhase,
        Action::ImportDraft,
        Action::FileAmendment,
        Action::CoSignAmendment,
        Action::WithdrawAmendment,
        Action::EditAmendment,
        Action::DeclareAdmissibility,
        Action::AdoptByHand,
        Action::EditorialFix,
        Action::ResolveConflict,
        Action::SetCurrentItem,
        Action::OpenBallot,
        Action::CloseBallot,
        Action::RecordHallCount,
        Action::ReorderAmendments,
        Action::Vote,
        Action::VoteByProxy,
        Action::ManageProxies,
        Action::ManageMembers,
        Action::CreateInvitation,
        Action::ImportMembers,
        Action::Export,
        Action::CreateProjectorLink,
        Action::IssueToolToken,
        Action::ManageCongress,
    ];

    /// The stable code used in the API and in translation placeholders.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// Whether the action may still happen once the motion is frozen (adopted or closed): reading,
    /// exporting and organizational work that changes neither the text, nor an amendment, nor a
    /// ballot, nor the phase.
    #[must_use]
    pub fn survives_freeze(self) -> bool {
        matches!(
            self,
            Action::ReadMotion
                | Action::ManageProxies
                | Action::ManageMembers
                | Action::CreateInvitation
                | Action::ImportMembers
                | Action::Export
                | Action::CreateProjectorLink
                | Action::IssueToolToken
                | Action::ManageCongress
        )
    }
}

const ANY: &[Phase] = &Phase::ALL;
const NOT_FROZEN: &[Phase] = &[Phase::Draft, Phase::Amending, Phase::Session];
const DRAFT: &[Phase] = &[Phase::Draft];
const AMENDING: &[Phase] = &[Phase::Amending];
const SESSION: &[Phase] = &[Phase::Session];
const AMENDING_OR_SESSION: &[Phase] = &[Phase::Amending, Phase::Session];

/// The rules, as data: `(role, action, phases)` — a *verified* member with `role` may do `action`
/// in any of `phases`. A `(role, action)` pair absent from the list is never allowed.
///
/// Decisions written here:
/// - everyone, observers included, reads the motion in every phase;
/// - delegates file, co-sign, edit and withdraw (their own) amendments and resolve the conflicts
///   of their own stale amendments while amendments are open; they vote (and vote by proxy) in
///   session;
/// - the chair runs the session and only the session; organizers and the chair do not vote as
///   such (a person who is also a delegate will hold both roles once members have several);
/// - organizers edit and import the draft in the draft phase, change phases until the motion is
///   frozen, decide admissibility, adopt or reject by hand, fix wording and resolve conflicts in
///   the amending and session phases, and do organizational work in every phase.
pub const RULES: &[(Role, Action, &[Phase])] = &[
    (Role::Observer, Action::ReadMotion, ANY),
    (Role::Delegate, Action::ReadMotion, ANY),
    (Role::Delegate, Action::FileAmendment, AMENDING),
    (Role::Delegate, Action::CoSignAmendment, AMENDING),
    (Role::Delegate, Action::WithdrawAmendment, AMENDING),
    (Role::Delegate, Action::EditAmendment, AMENDING),
    (Role::Delegate, Action::ResolveConflict, AMENDING),
    (Role::Delegate, Action::Vote, SESSION),
    (Role::Delegate, Action::VoteByProxy, SESSION),
    (Role::Chair, Action::ReadMotion, ANY),
    (Role::Chair, Action::SetCurrentItem, SESSION),
    (Role::Chair, Action::OpenBallot, SESSION),
    (Role::Chair, Action::CloseBallot, SESSION),
    (Role::Chair, Action::RecordHallCount, SESSION),
    (Role::Chair, Action::ReorderAmendments, SESSION),
    (Role::Organizer, Action::ReadMotion, ANY),
    (Role::Organizer, Action::EditDraft, DRAFT),
    (Role::Organizer, Action::ImportDraft, DRAFT),
    (Role::Organizer, Action::ChangePhase, NOT_FROZEN),
    (
        Role::Organizer,
        Action::DeclareAdmissibility,
        AMENDING_OR_SESSION,
    ),
    (Role::Organizer, Action::AdoptByHand, AMENDING_OR_SESSION),
    (Role::Organizer, Action::EditorialFix, AMENDING_OR_SESSION),
    (
        Role::Organizer,
        Action::ResolveConflict,
        AMENDING_OR_SESSION,
    ),
    (Role::Organizer, Action::ManageProxies, ANY),
    (Role::Organizer, Action::ManageMembers, ANY),
    (Role::Organizer, Action::CreateInvitation, ANY),
    (Role::Organizer, Action::ImportMembers, ANY),
    (Role::Organizer, Action::Export, ANY),
    (Role::Organizer, Action::CreateProjectorLink, ANY),
    (Role::Organizer, Action::IssueToolToken, ANY),
    (Role::Organizer, Action::ManageCongress, ANY),
];

/// The phases in which a verified member with `role` may do `action`; `None` if the role may never
/// do it.
#[must_use]
pub fn allowed_phases(role: Role, action: Action) -> Option<&'static [Phase]> {
    RULES
        .iter()
        .find(|(rule_role, rule_action, _)| *rule_role == role && *rule_action == action)
        .map(|(_, _, phases)| *phases)
}

/// Whether `actor` may do `action` while the motion is in `phase`.
///
/// Checked in this order, the first failing check giving the refusal:
/// 1. status: a suspended member may do nothing; a pending or rejected member may only read;
/// 2. role: the `(role, action)` pair must be in [`RULES`];
/// 3. phase: `phase` must be one of the rule's phases, and a frozen phase (adopted, closed)
///    refuses every action that does not [`Action::survives_freeze`], whatever the rules say.
///
/// For [`Action::ChangePhase`], `phase` is the current phase (the one left); which transitions
/// exist is checked by the command.
///
/// # Errors
/// - [`Refusal::NotVerified`] for a suspended member, or a pending or rejected one asking anything
///   but [`Action::ReadMotion`];
/// - [`Refusal::RoleCannot`] when the role may never do the action;
/// - [`Refusal::PhaseForbids`] when the role may, but not in this phase.
pub fn can(actor: &Actor, action: Action, phase: Phase) -> Result<(), Refusal> {
    let status_allows = match actor.status {
        MemberStatus::Verified => true,
        MemberStatus::Pending | MemberStatus::Rejected => action == Action::ReadMotion,
        MemberStatus::Suspended => false,
    };
    if !status_allows {
        return Err(Refusal::NotVerified {
            status: actor.status,
        });
    }
    let Some(phases) = allowed_phases(actor.role, action) else {
        return Err(Refusal::RoleCannot {
            role: actor.role,
            action,
        });
    };
    if !phases.contains(&phase) || (phase.is_frozen() && !action.survives_freeze()) {
        return Err(Refusal::PhaseForbids { phase, action });
    }
    Ok(())
}

/// The actions `actor` may do in `phase`, in the order of [`Action::ALL`] (for the UI to show only
/// those).
#[must_use]
pub fn allowed_actions(actor: &Actor, phase: Phase) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|action| can(actor, *action, phase).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;
    use crate::ids::MemberId;

    /// The expected policy, written by hand from the product rules (issue 3 and the brief), not
    /// from [`RULES`]: `role action phases`, where `*` means every phase.
    const EXPECTED: &str = "
        organizer read_motion *
        chair read_motion *
        delegate read_motion *
        observer read_motion *
        organizer edit_draft draft
        organizer import_draft draft
        organizer change_phase draft amending session
        organizer declare_admissibility amending session
        organizer adopt_by_hand amending session
        organizer editorial_fix amending session
        organizer resolve_conflict amending session
        organizer manage_proxies *
        organizer manage_members *
        organizer create_invitation *
        organizer import_members *
        organizer export *
        organizer create_projector_link *
        organizer issue_tool_token *
        organizer manage_congress *
        delegate file_amendment amending
        delegate co_sign_amendment amending
        delegate withdraw_amendment amending
        delegate edit_amendment amending
        delegate resolve_conflict amending
        delegate vote session
        delegate vote_by_proxy session
        chair set_current_item session
        chair open_ballot session
        chair close_ballot session
        chair record_hall_count session
        chair reorder_amendments session
    ";

    fn expected_allowed() -> HashSet<(Role, Action, Phase)> {
        let mut allowed = HashSet::new();
        for line in EXPECTED.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (Some(role), Some(action)) = (
                words.first().and_then(|w| Role::from_code(w)),
                words.get(1).and_then(|w| Action::from_code(w)),
            ) else {
                panic!("bad line in EXPECTED: {line}");
            };
            let phases: Vec<Phase> = if words.get(2) == Some(&"*") {
                Phase::ALL.to_vec()
            } else {
                words[2..]
                    .iter()
                    .map(|w| Phase::from_code(w).unwrap_or_else(|| panic!("bad phase {w}")))
                    .collect()
            };
            for phase in phases {
                allowed.insert((role, action, phase));
            }
        }
        allowed
    }

    #[test]
    fn the_policy_matches_the_expected_table_for_every_status_role_action_and_phase() {
        let allowed = expected_allowed();
        let mut checked = 0;
        for status in MemberStatus::ALL {
            for role in Role::ALL {
                let actor = Actor {
                    id: MemberId(1),
                    role,
                    status,
                };
                for action in Action::ALL {
                    let role_may_ever = Phase::ALL
                        .into_iter()
                        .any(|phase| allowed.contains(&(role, action, phase)));
                    for phase in Phase::ALL {
                        let verified_may = allowed.contains(&(role, action, phase));
                        let expected = match status {
                            MemberStatus::Verified => verified_may,
                            MemberStatus::Pending | MemberStatus::Rejected => {
                                verified_may && action == Action::ReadMotion
                            }
                            MemberStatus::Suspended => false,
                        };
                        let got = can(&actor, action, phase);
                        assert_eq!(
                            got.is_ok(),
                            expected,
                            "{status:?} {role:?} {action:?} in {phase:?}: {got:?}"
                        );
                        if let Err(refusal) = got {
                            let expected_refusal = if status == MemberStatus::Suspended
                                || (status != MemberStatus::Verified
                                    && action != Action::ReadMotion)
                            {
                                Refusal::NotVerified { status }
                            } else if !role_may_ever {
                                Refusal::RoleCannot { role, action }
                            } else {
                                Refusal::PhaseForbids { phase, action }
                            };
                            assert_eq!(
                                refusal, expected_refusal,
                                "{status:?} {role:?} {action:?} {phase:?}"
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 4 * 27 * 5);
    }

    #[test]
    fn frozen_phases_refuse_everything_that_changes_the_motion() {
        let organizer = Actor::verified(MemberId(1), Role::Organizer);
        let changing = [
            Action::EditDraft,
            Action::ImportDraft,
            Action::ChangePhase,
            Action::FileAmendment,
            Action::CoSignAmendment,
            Action::WithdrawAmendment,
            Action::EditAmendment,
            Action::DeclareAdmissibility,
            Action::AdoptByHand,
            Action::EditorialFix,
            Action::ResolveConflict,
            Action::OpenBallot,
            Action::Vote,
        ];
        for phase in [Phase::Adopted, Phase::Closed] {
            for role in Role::ALL {
                let actor = Actor::verified(MemberId(1), role);
                for action in changing {
                    assert!(
                        can(&actor, action, phase).is_err(),
                        "{role:?} {action:?} {phase:?}"
                    );
                }
            }
            assert_eq!(can(&organizer, Action::Export, phase), Ok(()));
        }
    }

    #[test]
    fn a_suspended_organizer_cannot_even_read() {
        let actor = Actor {
            id: MemberId(1),
            role: Role::Organizer,
            status: MemberStatus::Suspended,
        };
        assert_eq!(
            can(&actor, Action::ReadMotion, Phase::Amending),
            Err(Refusal::NotVerified {
                status: MemberStatus::Suspended
            })
        );
    }

    #[test]
    fn a_pending_delegate_reads_but_cannot_file() {
        let actor = Actor {
            id: MemberId(1),
            role: Role::Delegate,
            status: MemberStatus::Pending,
        };
        assert_eq!(can(&actor, Action::ReadMotion, Phase::Amending), Ok(()));
        assert_eq!(
            can(&actor, Action::FileAmendment, Phase::Amending),
            Err(Refusal::NotVerified {
                status: MemberStatus::Pending
            })
        );
    }

    #[test]
    fn a_delegate_files_amendments_only_while_amendments_are_open() {
        let delegate = Actor::verified(MemberId(2), Role::Delegate);
        for (phase, allowed) in [
            (Phase::Draft, false),
            (Phase::Amending, true),
            (Phase::Session, false),
            (Phase::Adopted, false),
        ] {
            assert_eq!(
                can(&delegate, Action::FileAmendment, phase).is_ok(),
                allowed,
                "{phase:?}"
            );
        }
    }

    #[test]
    fn observers_only_read_and_the_chair_does_not_vote() {
        let observer = Actor::verified(MemberId(3), Role::Observer);
        assert_eq!(
            allowed_actions(&observer, Phase::Session),
            vec![Action::ReadMotion]
        );
        let chair = Actor::verified(MemberId(4), Role::Chair);
        assert_eq!(
            can(&chair, Action::Vote, Phase::Session),
            Err(Refusal::RoleCannot {
                role: Role::Chair,
                action: Action::Vote
            })
        );
    }

    #[test]
    fn every_action_round_trips_through_its_code_and_is_in_all_once() {
        let codes: BTreeSet<&str> = Action::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(codes.len(), Action::ALL.len());
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
            assert_eq!(
                serde_json::to_value(action).ok(),
                Some(action.code().into())
            );
        }
    }

    #[test]
    fn no_rule_is_written_twice() {
        let pairs: BTreeSet<(Role, Action)> = RULES.iter().map(|(r, a, _)| (*r, *a)).collect();
        assert_eq!(pairs.len(), RULES.len());
    }
}
