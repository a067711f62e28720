//! The edition's own log: what is decided once for a whole congress rather than for one motion — its rules of
//! procedure and its proxies. Each change is an [`EditionEvent`] recorded in a hash-chained log of its own,
//! exactly like a motion's (`hemicycle verify-log` checks both), so the audit of who could vote for whom, and
//! under which rules, is as complete as the audit of the text.
//!
//! The commands check the policy and the rules and return the events; the server records them in one
//! transaction with the tables it keeps for reading (the proxies, the edition's procedure). Pure: no IO, no
//! clock (times are passed in), no randomness.

use serde::{Deserialize, Serialize};

use crate::{
    ballot::{Procedure, Proxy, check_new_proxy},
    ids::MemberId,
    member::Actor,
    motion::Phase,
    policy::{Action, can},
    refusal::Refusal,
};

/// The most proxies one holder may be allowed by the rules of procedure.
pub const MAX_PROXY_LIMIT: u32 = 10;

/// One entry of an edition's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EditionEvent {
    /// The rules of procedure (majorities, quorum, changes, live results, proxy limit) were set.
    ProcedureSet {
        /// The rules now in force.
        procedure: Procedure,
    },
    /// A proxy was given: `holder` votes for `represented` from `starts` to `ends`.
    ProxyGranted {
        /// The proxy's id (allocated by the store).
        proxy: i32,
        /// Who votes.
        holder: MemberId,
        /// On whose behalf.
        represented: MemberId,
        /// From (ms since the epoch, inclusive).
        starts: i64,
        /// Until (exclusive).
        ends: i64,
    },
    /// A proxy was revoked at `at`; it stays in the audit trail.
    ProxyRevoked {
        /// The proxy's id.
        proxy: i32,
        /// When (ms since the epoch).
        at: i64,
    },
}

impl EditionEvent {
    /// The stable name of the event's kind, as stored in the log's `kind` column.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            EditionEvent::ProcedureSet { .. } => "procedure_set",
            EditionEvent::ProxyGranted { .. } => "proxy_granted",
            EditionEvent::ProxyRevoked { .. } => "proxy_revoked",
        }
    }
}

/// Proxies and rules are managed per edition: the policy's check does not depend on a motion's phase.
fn may_manage(actor: &Actor) -> Result<(), Refusal> {
    can(actor, Action::ManageProxies, Phase::Draft)
}

/// Sets the edition's rules of procedure.
///
/// # Errors
/// `RoleCannot`/`NotVerified` for anyone but a verified organizer; `InvalidQuorum` for a quorum that is not a
/// fraction in (0, 1]; `NumberOutOfRange` for a proxy limit above [`MAX_PROXY_LIMIT`].
pub fn set_procedure(actor: &Actor, procedure: Procedure) -> Result<Vec<EditionEvent>, Refusal> {
    may_manage(actor)?;
    if procedure
        .ballots
        .quorum
        .is_some_and(|quorum| !quorum.is_valid())
    {
        return Err(Refusal::InvalidQuorum);
    }
    if procedure.proxy_limit > MAX_PROXY_LIMIT {
        return Err(Refusal::NumberOutOfRange {
            min: 0,
            max: MAX_PROXY_LIMIT,
        });
    }
    Ok(vec![EditionEvent::ProcedureSet { procedure }])
}

/// Whether each of a proxy's two members may vote in the edition (a verified delegate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eligibility {
    /// The holder is an eligible voter.
    pub holder: bool,
    /// The represented member is an eligible voter.
    pub represented: bool,
}

/// Gives a proxy, checked against the proxies in force (`existing`, revoked ones excluded) and the limit of the
/// rules of procedure.
///
/// # Errors
/// `RoleCannot`/`NotVerified` for anyone but a verified organizer; `NotEligibleVoter` when a member is not a
/// verified delegate; `ProxyRefused` with the rule it breaks (see [`check_new_proxy`]).
pub fn grant_proxy(
    actor: &Actor,
    id: i32,
    new: Proxy,
    eligible: Eligibility,
    existing: &[Proxy],
    limit: u32,
) -> Result<Vec<EditionEvent>, Refusal> {
    may_manage(actor)?;
    for (member, ok) in [
        (new.holder, eligible.holder),
        (new.represented, eligible.represented),
    ] {
        if !ok {
            return Err(Refusal::NotEligibleVoter { member });
        }
    }
    check_new_proxy(&new, existing, limit).map_err(|problem| Refusal::ProxyRefused { problem })?;
    Ok(vec![EditionEvent::ProxyGranted {
        proxy: id,
        holder: new.holder,
        represented: new.represented,
        starts: new.starts,
        ends: new.ends,
    }])
}

/// Revokes a proxy in force.
///
/// # Errors
/// `RoleCannot`/`NotVerified` for anyone but a verified organizer; `ProxyNotFound` when `id` is not a proxy of
/// the edition that is still in force (`in_force` says whether it is).
pub fn revoke_proxy(
    actor: &Actor,
    id: i32,
    in_force: bool,
    at: i64,
) -> Result<Vec<EditionEvent>, Refusal> {
    may_manage(actor)?;
    if !in_force {
        return Err(Refusal::ProxyNotFound { proxy: id });
    }
    Ok(vec![EditionEvent::ProxyRevoked { proxy: id, at }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ballot::{BallotRules, ProxyProblem, Quorum},
        member::{MemberStatus, Role},
    };

    const ORGANIZER: Actor = Actor {
        id: MemberId(1),
        role: Role::Organizer,
        status: MemberStatus::Verified,
    };

    fn proxy(holder: i32, represented: i32) -> Proxy {
        Proxy {
            holder: MemberId(holder),
            represented: MemberId(represented),
            starts: 0,
            ends: 100,
        }
    }

    const BOTH: Eligibility = Eligibility {
        holder: true,
        represented: true,
    };

    #[test]
    fn only_a_verified_organizer_manages_proxies_and_rules() {
        for actor in [
            Actor::verified(MemberId(2), Role::Chair),
            Actor::verified(MemberId(2), Role::Delegate),
            Actor {
                status: MemberStatus::Suspended,
                ..ORGANIZER
            },
        ] {
            assert!(
                set_procedure(&actor, Procedure::default()).is_err(),
                "{actor:?}"
            );
            assert!(grant_proxy(&actor, 1, proxy(2, 3), BOTH, &[], 1).is_err());
            assert!(revoke_proxy(&actor, 1, true, 0).is_err());
        }
    }

    #[test]
    fn rules_of_procedure_are_checked_then_recorded_whole() {
        let mut procedure = Procedure::default();
        assert_eq!(
            set_procedure(&ORGANIZER, procedure),
            Ok(vec![EditionEvent::ProcedureSet { procedure }])
        );
        procedure.ballots = BallotRules {
            quorum: Some(Quorum {
                numerator: 3,
                denominator: 2,
            }),
            ..procedure.ballots
        };
        assert_eq!(
            set_procedure(&ORGANIZER, procedure),
            Err(Refusal::InvalidQuorum)
        );
        procedure.ballots.quorum = None;
        procedure.proxy_limit = MAX_PROXY_LIMIT + 1;
        assert_eq!(
            set_procedure(&ORGANIZER, procedure),
            Err(Refusal::NumberOutOfRange {
                min: 0,
                max: MAX_PROXY_LIMIT
            })
        );
    }

    #[test]
    fn a_proxy_needs_two_eligible_voters_and_the_rules_of_procedure() {
        assert_eq!(
            grant_proxy(
                &ORGANIZER,
                7,
                proxy(2, 3),
                Eligibility {
                    holder: true,
                    represented: false
                },
                &[],
                1
            ),
            Err(Refusal::NotEligibleVoter {
                member: MemberId(3)
            })
        );
        assert_eq!(
            grant_proxy(&ORGANIZER, 7, proxy(2, 3), BOTH, &[proxy(2, 4)], 1),
            Err(Refusal::ProxyRefused {
                problem: ProxyProblem::LimitReached { limit: 1 }
            })
        );
        assert_eq!(
            grant_proxy(&ORGANIZER, 7, proxy(2, 3), BOTH, &[], 1),
            Ok(vec![EditionEvent::ProxyGranted {
                proxy: 7,
                holder: MemberId(2),
                represented: MemberId(3),
                starts: 0,
                ends: 100
            }])
        );
    }

    #[test]
    fn only_a_proxy_in_force_can_be_revoked() {
        assert_eq!(
            revoke_proxy(&ORGANIZER, 7, false, 50),
            Err(Refusal::ProxyNotFound { proxy: 7 })
        );
        assert_eq!(
            revoke_proxy(&ORGANIZER, 7, true, 50),
            Ok(vec![EditionEvent::ProxyRevoked { proxy: 7, at: 50 }])
        );
    }

    #[test]
    fn edition_events_round_trip_through_their_stored_form() {
        for event in [
            EditionEvent::ProcedureSet {
                procedure: Procedure::default(),
            },
            EditionEvent::ProxyRevoked { proxy: 7, at: 50 },
        ] {
            let json = serde_json::to_value(&event).expect("serializable");
            assert_eq!(json["kind"], event.kind());
            assert_eq!(
                serde_json::from_value::<EditionEvent>(json).ok(),
                Some(event)
            );
        }
    }
}
