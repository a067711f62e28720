//! One vote: who may cast it, for whom, and what it does to the vote already standing for that member in that
//! ballot. The server's vote writer gathers the facts of a batch (ballots, memberships, proxies, standing
//! votes) and asks [`decide_vote`] for each vote, in order; it only records what this function decides.
//!
//! Pure: no IO, no clock (the caller passes `now`), no randomness.

use crate::{
    ballot::{Choice, Proxy, represented_by},
    ids::{BallotId, MemberId},
    member::{Actor, MemberStatus, Role},
    motion::Phase,
    policy::{Action, can},
    refusal::Refusal,
};

/// What a vote needs to know of its ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BallotFacts {
    /// The ballot.
    pub id: BallotId,
    /// Whether votes are taken now.
    pub open: bool,
    /// Whether a recorded choice may be changed while the ballot is open.
    pub allow_change: bool,
}

/// A vote as it is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteAsk {
    /// Who votes, with their role and status in the ballot's edition.
    pub voter: Actor,
    /// For whom: the voter, or a member whose proxy they hold.
    pub represented: MemberId,
    /// The represented member's role and status in the edition (`None`: no membership).
    pub represented_standing: Option<(Role, MemberStatus)>,
    /// The choice.
    pub choice: Choice,
}

/// The vote standing for the represented member in this ballot, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The choice recorded.
    pub choice: Choice,
    /// When (ms since the epoch).
    pub recorded_at: i64,
}

/// What to do with a vote that the rules accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteDecision {
    /// The first vote for this member: record it.
    Record,
    /// The same choice is already recorded: nothing to write, answer with the first recording.
    Same(Standing),
    /// Another choice replaces the recorded one (the ballot allows changes).
    Change,
}

/// Decides one vote. The rules, in this order, so that nobody learns more than they may:
/// 1. the voter may vote at all (a verified delegate: [`can`] `Vote`; ballots are only open in session);
/// 2. the ballot exists and is open;
/// 3. for oneself: unless one gave a proxy in force (the holder votes then); for someone else: one may vote by
///    proxy, the represented member is a verified delegate, and one holds their proxy in force at `now`;
/// 4. against the standing vote: the same choice is a replay, another choice a change if the ballot allows
///    changes, else the member already voted.
///
/// # Errors
/// The refusal of the first rule that fails: `RoleCannot`/`NotVerified`, `BallotNotFound`, `BallotNotOpen`,
/// `ProxyGiven`, `NotEligibleVoter`, `NoProxy`, `AlreadyVoted`.
pub fn decide_vote(
    ask: &VoteAsk,
    ballot: Option<BallotFacts>,
    ballot_id: BallotId,
    proxies: &[Proxy],
    standing: Option<Standing>,
    now: i64,
) -> Result<VoteDecision, Refusal> {
    can(&ask.voter, Action::Vote, Phase::Session)?;
    let ballot = ballot.ok_or(Refusal::BallotNotFound { ballot: ballot_id })?;
    if !ballot.open {
        return Err(Refusal::BallotNotOpen { ballot: ballot.id });
    }
    let allowed = represented_by(ask.voter.id, proxies, now);
    if ask.represented == ask.voter.id {
        if !allowed.contains(&ask.voter.id) {
            return Err(Refusal::ProxyGiven {
                member: ask.voter.id,
            });
        }
    } else {
        can(&ask.voter, Action::VoteByProxy, Phase::Session)?;
        if ask.represented_standing != Some((Role::Delegate, MemberStatus::Verified)) {
            return Err(Refusal::NotEligibleVoter {
                member: ask.represented,
            });
        }
        if !allowed.contains(&ask.represented) {
            return Err(Refusal::NoProxy {
                member: ask.represented,
            });
        }
    }
    match standing {
        None => Ok(VoteDecision::Record),
        Some(current) if current.choice == ask.choice => Ok(VoteDecision::Same(current)),
        Some(_) if ballot.allow_change => Ok(VoteDecision::Change),
        Some(_) => Err(Refusal::AlreadyVoted { ballot: ballot.id }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BALLOT: BallotFacts = BallotFacts {
        id: BallotId(3),
        open: true,
        allow_change: false,
    };
    const AMELIE: MemberId = MemberId(10);
    const KARIM: MemberId = MemberId(11);

    fn delegate(id: MemberId) -> Actor {
        Actor::verified(id, Role::Delegate)
    }

    fn ask(voter: Actor, represented: MemberId) -> VoteAsk {
        VoteAsk {
            voter,
            represented,
            represented_standing: Some((Role::Delegate, MemberStatus::Verified)),
            choice: Choice::Pour,
        }
    }

    fn proxy(holder: MemberId, represented: MemberId) -> Proxy {
        Proxy {
            holder,
            represented,
            starts: 0,
            ends: 1_000,
        }
    }

    fn decide(
        ask: &VoteAsk,
        proxies: &[Proxy],
        standing: Option<Standing>,
    ) -> Result<VoteDecision, Refusal> {
        decide_vote(ask, Some(BALLOT), BALLOT.id, proxies, standing, 500)
    }

    #[test]
    fn a_verified_delegate_records_a_first_vote_for_themself() {
        assert_eq!(
            decide(&ask(delegate(AMELIE), AMELIE), &[], None),
            Ok(VoteDecision::Record)
        );
    }

    #[test]
    fn who_may_not_vote_learns_nothing_about_the_ballot() {
        let observer = Actor::verified(AMELIE, Role::Observer);
        let pending = Actor {
            status: MemberStatus::Pending,
            ..delegate(AMELIE)
        };
        for voter in [observer, pending, Actor::verified(AMELIE, Role::Chair)] {
            let refused = decide_vote(&ask(voter, AMELIE), None, BallotId(99), &[], None, 500);
            assert!(
                matches!(
                    refused,
                    Err(Refusal::RoleCannot { .. } | Refusal::NotVerified { .. })
                ),
                "{voter:?}: {refused:?}"
            );
        }
    }

    #[test]
    fn a_closed_or_unknown_ballot_takes_no_vote() {
        let closed = BallotFacts {
            open: false,
            ..BALLOT
        };
        assert_eq!(
            decide_vote(
                &ask(delegate(AMELIE), AMELIE),
                Some(closed),
                closed.id,
                &[],
                None,
                500
            ),
            Err(Refusal::BallotNotOpen { ballot: closed.id })
        );
        assert_eq!(
            decide_vote(
                &ask(delegate(AMELIE), AMELIE),
                None,
                BallotId(99),
                &[],
                None,
                500
            ),
            Err(Refusal::BallotNotFound {
                ballot: BallotId(99)
            })
        );
    }

    #[test]
    fn a_member_who_gave_a_proxy_lets_the_holder_vote_and_only_while_it_is_in_force() {
        let proxies = [proxy(KARIM, AMELIE)];
        assert_eq!(
            decide(&ask(delegate(AMELIE), AMELIE), &proxies, None),
            Err(Refusal::ProxyGiven { member: AMELIE })
        );
        assert_eq!(
            decide(&ask(delegate(KARIM), AMELIE), &proxies, None),
            Ok(VoteDecision::Record)
        );
        let later = decide_vote(
            &ask(delegate(KARIM), AMELIE),
            Some(BALLOT),
            BALLOT.id,
            &proxies,
            None,
            1_000,
        );
        assert_eq!(
            later,
            Err(Refusal::NoProxy { member: AMELIE }),
            "the period has ended"
        );
        assert_eq!(
            decide(&ask(delegate(KARIM), AMELIE), &[], None),
            Err(Refusal::NoProxy { member: AMELIE })
        );
    }

    #[test]
    fn only_a_verified_delegate_can_be_represented() {
        let mut for_observer = ask(delegate(KARIM), AMELIE);
        for_observer.represented_standing = Some((Role::Observer, MemberStatus::Verified));
        assert_eq!(
            decide(&for_observer, &[proxy(KARIM, AMELIE)], None),
            Err(Refusal::NotEligibleVoter { member: AMELIE })
        );
        for_observer.represented_standing = None;
        assert_eq!(
            decide(&for_observer, &[proxy(KARIM, AMELIE)], None),
            Err(Refusal::NotEligibleVoter { member: AMELIE })
        );
    }

    #[test]
    fn a_vote_against_the_standing_one_is_a_replay_a_change_or_a_refusal() {
        let standing = Standing {
            choice: Choice::Pour,
            recorded_at: 400,
        };
        let same = ask(delegate(AMELIE), AMELIE);
        assert_eq!(
            decide(&same, &[], Some(standing)),
            Ok(VoteDecision::Same(standing))
        );
        let other = VoteAsk {
            choice: Choice::Contre,
            ..same
        };
        assert_eq!(
            decide(&other, &[], Some(standing)),
            Err(Refusal::AlreadyVoted { ballot: BALLOT.id })
        );
        let changeable = BallotFacts {
            allow_change: true,
            ..BALLOT
        };
        assert_eq!(
            decide_vote(
                &other,
                Some(changeable),
                changeable.id,
                &[],
                Some(standing),
                500
            ),
            Ok(VoteDecision::Change)
        );
    }
}
