use proptest::prelude::*;

use super::*;

fn t(pour: u32, contre: u32, abstention: u32) -> Tally {
    Tally {
        pour,
        contre,
        abstention,
    }
}

fn rules(majority: Majority, quorum: Option<(u32, u32)>) -> BallotRules {
    BallotRules {
        majority,
        quorum: quorum.map(|(numerator, denominator)| Quorum {
            numerator,
            denominator,
        }),
        ..BallotRules::default()
    }
}

/// Every majority × quorum × abstention case the rules of procedure distinguish, as a table:
/// (majority, quorum, electronic, hall, registered, roll call) → (required pour, outcome).
#[test]
fn the_rules_of_procedure_as_a_table() {
    use Majority::*;
    use Outcome::*;
    type Case = (
        Majority,
        Option<(u32, u32)>,
        Tally,
        Tally,
        u32,
        Option<u32>,
        u32,
        Outcome,
    );
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // Majority of votes cast: abstentions do not count, a tie rejects, nobody voting rejects.
        (VotesCast, None, t(212, 48, 17), t(0, 0, 0), 300, None, 131, Adopted),
        (VotesCast, None, t(10, 10, 5), t(0, 0, 0), 30, None, 11, Rejected),
        (VotesCast, None, t(0, 0, 20), t(0, 0, 0), 30, None, 1, Rejected),
        (VotesCast, None, t(5, 4, 100), t(0, 0, 0), 200, None, 5, Adopted),
        (VotesCast, None, t(1, 0, 0), t(0, 0, 0), 200, None, 1, Adopted),
        // Two thirds of votes cast: exactly two thirds adopts, one short rejects.
        (TwoThirds, None, t(20, 10, 0), t(0, 0, 0), 50, None, 20, Adopted),
        (TwoThirds, None, t(19, 10, 7), t(0, 0, 0), 50, None, 20, Rejected),
        (TwoThirds, None, t(0, 0, 3), t(0, 0, 0), 50, None, 1, Rejected),
        // Absolute majority of members present: abstentions count as present (against adoption).
        (AbsoluteOfPresent, None, t(50, 30, 21), t(0, 0, 0), 200, None, 51, Rejected),
        (AbsoluteOfPresent, None, t(51, 30, 20), t(0, 0, 0), 200, None, 51, Adopted),
        // … a roll call higher than the participants raises the bar; a lower one does not lower it.
        (AbsoluteOfPresent, None, t(55, 10, 5), t(0, 0, 0), 200, Some(120), 61, Rejected),
        (AbsoluteOfPresent, None, t(40, 20, 10), t(0, 0, 0), 200, Some(50), 36, Adopted),
        // Absolute majority of registered members.
        (AbsoluteOfRegistered, None, t(100, 0, 0), t(0, 0, 0), 200, None, 101, Rejected),
        (AbsoluteOfRegistered, None, t(101, 90, 9), t(0, 0, 0), 200, None, 101, Adopted),
        (AbsoluteOfRegistered, None, t(100, 0, 0), t(0, 0, 0), 199, None, 100, Adopted),
        // Quorum of a third of 152 registered = 51 participants, abstentions included.
        (VotesCast, Some((1, 3)), t(50, 0, 0), t(0, 0, 0), 152, None, 26, QuorumNotMet),
        (VotesCast, Some((1, 3)), t(30, 20, 1), t(0, 0, 0), 152, None, 26, Adopted),
        (VotesCast, Some((1, 3)), t(20, 30, 1), t(0, 0, 0), 152, None, 26, Rejected),
        (VotesCast, Some((1, 2)), t(0, 0, 76), t(0, 0, 0), 152, None, 1, Rejected),
        (TwoThirds, Some((1, 2)), t(60, 10, 5), t(0, 0, 0), 152, None, 47, QuorumNotMet),
        (AbsoluteOfRegistered, Some((1, 4)), t(30, 0, 8), t(0, 0, 0), 152, None, 77, Rejected),
        // Hall counts are added to the electronic votes, for the majority and the quorum.
        (VotesCast, None, t(10, 12, 0), t(5, 0, 0), 100, None, 14, Adopted),
        (VotesCast, Some((1, 3)), t(20, 0, 0), t(10, 3, 1), 100, None, 17, Adopted),
        (VotesCast, Some((1, 3)), t(20, 0, 0), t(10, 2, 2), 100, None, 17, Adopted),
        (VotesCast, Some((1, 3)), t(20, 0, 0), t(10, 1, 1), 100, None, 16, QuorumNotMet),
    ];
    for (i, &(majority, quorum, electronic, hall, registered, roll_call, required, outcome)) in
        cases.iter().enumerate()
    {
        let result = decide(
            &rules(majority, quorum),
            electronic,
            hall,
            registered,
            roll_call,
        );
        assert_eq!(
            (result.required, result.outcome),
            (required, outcome),
            "case {i}: {majority:?} quorum {quorum:?} {electronic:?} + {hall:?}"
        );
        assert_eq!(result.total, electronic.plus(hall), "case {i}");
    }
}

#[test]
fn a_quorum_is_rounded_up_and_validated() {
    let third = Quorum {
        numerator: 1,
        denominator: 3,
    };
    assert_eq!(third.required(152), 51);
    assert_eq!(third.required(150), 50);
    assert_eq!(third.required(0), 0);
    assert!(third.is_valid());
    for (numerator, denominator) in [(0, 3), (4, 3), (1, 0)] {
        assert!(
            !Quorum {
                numerator,
                denominator
            }
            .is_valid()
        );
    }
}

#[test]
fn the_result_is_explained_in_french_and_english() {
    let r = rules(Majority::VotesCast, None);
    let result = decide(&r, t(212, 48, 17), Tally::default(), 300, None);
    assert_eq!(
        result.explain_fr(&r),
        "adopté : 212 pour, 48 contre, 17 abstentions ; majorité des suffrages exprimés (131 voix requises)"
    );
    assert_eq!(
        result.explain_en(&r),
        "adopted: 212 for, 48 against, 17 abstentions; majority of votes cast (131 votes required)"
    );

    let r = rules(Majority::TwoThirds, None);
    let result = decide(&r, t(1, 1, 1), t(0, 0, 0), 10, None);
    assert_eq!(
        result.explain_fr(&r),
        "rejeté : 1 pour, 1 contre, 1 abstention ; majorité des deux tiers des suffrages exprimés (2 voix requises)"
    );

    let r = rules(Majority::VotesCast, Some((1, 3)));
    let result = decide(&r, t(1200, 30, 0), t(10, 0, 0), 4000, None);
    assert_eq!(
        result.explain_fr(&r),
        "quorum non atteint : 1\u{202F}240 votants (dont 10 à main levée) pour un quorum de 1\u{202F}334 (un tiers des 4\u{202F}000 inscrits) ; 1\u{202F}210 pour, 30 contre, 0 abstention"
    );
    assert_eq!(
        result.explain_en(&r),
        "quorum not met: 1,240 voters (of which 10 by show of hands) for a quorum of 1,334 (one third of 4,000 registered); 1,210 for, 30 against, 0 abstentions"
    );
}

#[test]
fn choices_round_trip_through_their_codes() {
    for choice in Choice::ALL {
        assert_eq!(Choice::from_code(choice.code()), Some(choice));
    }
    assert_eq!(Choice::from_code("oui"), None);
    for majority in Majority::ALL {
        assert_eq!(Majority::from_code(majority.code()), Some(majority));
    }
}

fn proxy(holder: i32, represented: i32, starts: i64, ends: i64) -> Proxy {
    Proxy {
        holder: MemberId(holder),
        represented: MemberId(represented),
        starts,
        ends,
    }
}

#[test]
fn a_proxy_respects_the_limit_and_forbids_chains_and_doubles() {
    let existing = [proxy(1, 2, 0, 100)];
    assert_eq!(
        check_new_proxy(&proxy(3, 3, 0, 10), &existing, 1),
        Err(ProxyProblem::SelfProxy)
    );
    assert_eq!(
        check_new_proxy(&proxy(3, 4, 10, 10), &existing, 1),
        Err(ProxyProblem::EmptyPeriod)
    );
    assert_eq!(
        check_new_proxy(&proxy(1, 4, 50, 150), &existing, 1),
        Err(ProxyProblem::LimitReached { limit: 1 })
    );
    assert_eq!(check_new_proxy(&proxy(1, 4, 50, 150), &existing, 2), Ok(()));
    assert_eq!(
        check_new_proxy(&proxy(1, 4, 100, 150), &existing, 1),
        Ok(()),
        "after the first ends, the holder may hold another"
    );
    assert_eq!(
        check_new_proxy(&proxy(3, 2, 99, 150), &existing, 1),
        Err(ProxyProblem::AlreadyRepresented)
    );
    assert_eq!(
        check_new_proxy(&proxy(2, 5, 0, 10), &existing, 1),
        Err(ProxyProblem::HolderIsRepresented)
    );
    assert_eq!(
        check_new_proxy(&proxy(5, 1, 0, 10), &existing, 1),
        Err(ProxyProblem::RepresentedIsHolder)
    );
}

#[test]
fn a_member_who_gave_a_proxy_no_longer_votes_for_themself() {
    let proxies = [proxy(1, 2, 0, 100), proxy(1, 3, 0, 50)];
    assert_eq!(
        represented_by(MemberId(1), &proxies, 10),
        vec![MemberId(1), MemberId(2), MemberId(3)]
    );
    assert_eq!(represented_by(MemberId(2), &proxies, 10), vec![]);
    assert_eq!(
        represented_by(MemberId(1), &proxies, 60),
        vec![MemberId(1), MemberId(2)]
    );
    assert_eq!(
        represented_by(MemberId(3), &proxies, 60),
        vec![MemberId(3)],
        "once the proxy ends, the member votes again"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The tally is the sum of the valid votes: each choice counted once, nothing else.
    #[test]
    fn a_tally_is_the_sum_of_the_votes(codes in proptest::collection::vec(0u8..3, 0..400)) {
        let choices: Vec<Choice> = codes.iter().map(|c| Choice::ALL[usize::from(*c)]).collect();
        let tally = Tally::of(choices.iter().copied());
        let count = |wanted| u32::try_from(choices.iter().filter(|c| **c == wanted).count()).unwrap_or(0);
        prop_assert_eq!(tally.pour, count(Choice::Pour));
        prop_assert_eq!(tally.contre, count(Choice::Contre));
        prop_assert_eq!(tally.abstention, count(Choice::Abstention));
        prop_assert_eq!(tally.participants() as usize, choices.len());
    }

    /// Whatever proxies were asked for, those the rules accept leave every member counted exactly
    /// once at any instant: by themself, or by the one holder of their proxy.
    #[test]
    fn with_proxies_nobody_is_counted_twice_or_forgotten(
        asked in proptest::collection::vec((1i32..12, 1i32..12, 0i64..100, 1i64..60), 0..40),
        limit in 1u32..3,
        now in 0i64..160,
    ) {
        let mut accepted: Vec<Proxy> = Vec::new();
        for (holder, represented, starts, length) in asked {
            let new = proxy(holder, represented, starts, starts + length);
            if check_new_proxy(&new, &accepted, limit).is_ok() {
                accepted.push(new);
            }
        }
        let members: Vec<MemberId> = (1..12).map(MemberId).collect();
        for member in &members {
            let counted_by = members
                .iter()
                .filter(|voter| represented_by(**voter, &accepted, now).contains(member))
                .count();
            prop_assert_eq!(counted_by, 1, "member {:?} at {}", member, now);
        }
        for holder in &members {
            let held = accepted.iter().filter(|p| p.holder == *holder && p.in_force(now)).count();
            prop_assert!(u32::try_from(held).unwrap_or(u32::MAX) <= limit);
        }
    }
}
