//! The chair's ballot commands: opening rules, closing with its consequences on the text, hall
//! counts and the voting order.

use super::*;
use crate::amendment::{AmendmentDraft, AmendmentTarget};
use crate::ballot::{Majority, Quorum};
use crate::command::{declare_admissible, file_amendment};
use crate::ids::{MemberId, SectionId, VersionNumber};
use crate::member::Role;

const P1: ParagraphId = ParagraphId(1);
const P2: ParagraphId = ParagraphId(2);
const S1: SectionId = SectionId(1);
const B1: BallotId = BallotId(1);
const B2: BallotId = BallotId(2);
const TEXT1: &str = "Les maires demandent à l’État un soutien massif aux communes rurales.";
const TEXT2: &str = "Le congrès affirme le rôle des élu·es locaux.";

fn organizer() -> Actor {
    Actor::verified(MemberId(1), Role::Organizer)
}
fn chair() -> Actor {
    Actor::verified(MemberId(2), Role::Chair)
}
fn delegate(id: i32) -> Actor {
    Actor::verified(MemberId(id), Role::Delegate)
}

/// Applies a command's events to the state and gives them back; panics on a refusal (tests only).
macro_rules! apply {
    ($state:ident, $command:expr $(,)?) => {{
        let events: Vec<MotionEvent> =
            $command.unwrap_or_else(|refusal| panic!("refused: {refusal:?}"));
        for event in &events {
            $state.apply(event);
        }
        events
    }};
}

/// A motion in session with P1, P2 and admissible amendments: A1 replaces a word of P1, A2 deletes
/// P1, A3 rewrites most of P1, A4 inserts after P1, A5 replaces in P2.
fn session() -> MotionState {
    let mut state = MotionState::replay(&[
        MotionEvent::MotionCreated {
            title: "Motion".into(),
            preamble: String::new(),
            line_width: 40,
            min_cosigners: 0,
        },
        MotionEvent::SectionAdded {
            section: S1,
            position: 1,
            title: "Communes".into(),
        },
        MotionEvent::ParagraphAdded {
            paragraph: P1,
            section: S1,
            position: 1,
            text: TEXT1.into(),
        },
        MotionEvent::ParagraphAdded {
            paragraph: P2,
            section: S1,
            position: 2,
            text: TEXT2.into(),
        },
        MotionEvent::PhaseChanged {
            from: Phase::Draft,
            to: Phase::Amending,
        },
    ]);
    let v1 = VersionNumber(1);
    let targets = [
        AmendmentTarget::Replace {
            paragraph: P1,
            base_version: v1,
            text: TEXT1.replace("massif", "durable"),
        },
        AmendmentTarget::Delete {
            paragraph: P1,
            base_version: v1,
        },
        AmendmentTarget::Replace {
            paragraph: P1,
            base_version: v1,
            text: "Les maires exigent de l’État des moyens pérennes pour toutes les communes."
                .into(),
        },
        AmendmentTarget::InsertAfter {
            section: S1,
            after: Some(P1),
            text: "Un paragraphe nouveau.".into(),
        },
        AmendmentTarget::Replace {
            paragraph: P2,
            base_version: v1,
            text: TEXT2.replace("locaux", "de proximité"),
        },
    ];
    for (i, target) in targets.into_iter().enumerate() {
        let id = AmendmentId(i32::try_from(i).unwrap_or(0) + 1);
        let draft = AmendmentDraft {
            target,
            rationale: String::new(),
        };
        apply!(state, file_amendment(&state, &delegate(10), draft, id));
        apply!(state, declare_admissible(&state, &organizer(), id));
    }
    apply!(
        state,
        crate::command::change_phase(&state, &organizer(), Phase::Session),
    );
    state
}

fn opening(ballot: BallotId, subject: BallotSubject) -> OpeningBallot {
    OpeningBallot {
        ballot,
        subject,
        title: String::new(),
        rules: BallotRules::default(),
        countdown_seconds: None,
    }
}

fn count(pour: u32, contre: u32, abstention: u32) -> ClosingCount {
    ClosingCount {
        electronic: Tally {
            pour,
            contre,
            abstention,
        },
        registered: 100,
        roll_call: None,
        new_paragraph: Some(ParagraphId(50)),
    }
}

#[test]
fn only_the_chair_opens_one_ballot_at_a_time_in_session() {
    let state = session();
    let subject = BallotSubject::Amendment {
        amendment: AmendmentId(1),
    };
    assert!(matches!(
        open_ballot(&state, &delegate(10), opening(B1, subject)),
        Err(Refusal::RoleCannot { .. })
    ));
    assert!(matches!(
        open_ballot(&state, &organizer(), opening(B1, subject)),
        Err(Refusal::RoleCannot { .. })
    ));
    let mut state = state;
    let events = apply!(state, open_ballot(&state, &chair(), opening(B1, subject)),);
    assert!(matches!(
        &events[..],
        [MotionEvent::BallotOpened { number: 1, title, .. }] if title == "Amendement n° 1"
    ));
    assert_eq!(
        open_ballot(&state, &chair(), opening(B2, BallotSubject::Motion)),
        Err(Refusal::BallotAlreadyOpen { ballot: B1 })
    );
}

#[test]
fn opening_checks_the_subject_the_quorum_and_the_countdown() {
    let state = session();
    assert_eq!(
        open_ballot(
            &state,
            &chair(),
            opening(
                B1,
                BallotSubject::Amendment {
                    amendment: AmendmentId(77)
                }
            )
        ),
        Err(Refusal::AmendmentNotFound {
            amendment: AmendmentId(77)
        })
    );
    let mut bad_quorum = opening(B1, BallotSubject::Motion);
    bad_quorum.rules.quorum = Some(Quorum {
        numerator: 3,
        denominator: 2,
    });
    assert_eq!(
        open_ballot(&state, &chair(), bad_quorum),
        Err(Refusal::InvalidQuorum)
    );
    let mut countdown = opening(B1, BallotSubject::Motion);
    countdown.countdown_seconds = Some(2);
    assert_eq!(
        open_ballot(&state, &chair(), countdown),
        Err(Refusal::NumberOutOfRange { min: 5, max: 3600 })
    );
    let mut titled = opening(B1, BallotSubject::Paragraph { paragraph: P2 });
    titled.title = "  Paragraphe  sur les élu·es ".into();
    let events = open_ballot(&state, &chair(), titled).unwrap_or_default();
    assert!(matches!(
        &events[..],
        [MotionEvent::BallotOpened { title, .. }] if title == "Paragraphe sur les élu·es"
    ));
}

#[test]
fn an_adopted_amendment_is_merged_at_closing_with_its_ballot_as_provenance() {
    let mut state = session();
    apply!(
        state,
        open_ballot(
            &state,
            &chair(),
            opening(
                B1,
                BallotSubject::Amendment {
                    amendment: AmendmentId(1),
                },
            ),
        ),
    );
    let events = apply!(state, close_ballot(&state, &chair(), B1, count(60, 30, 10)),);
    assert!(matches!(
        &events[0],
        MotionEvent::BallotClosed { result, .. } if result.outcome == Outcome::Adopted && result.required == 46
    ));
    let p1 = state.paragraph(P1).map(|p| (p.version, p.text.clone()));
    assert_eq!(
        p1,
        Some((VersionNumber(2), TEXT1.replace("massif", "durable")))
    );
    let last = state
        .paragraph(P1)
        .and_then(|p| p.history.last())
        .map(|v| v.provenance.clone());
    assert_eq!(
        last,
        Some(Provenance::Amendment {
            amendment: AmendmentId(1),
            ballot: Some(B1)
        })
    );
    assert_eq!(
        state.amendment(AmendmentId(1)).map(|a| a.status.clone()),
        Some(AmendmentStatus::Adopted)
    );
    assert!(!state.ballot(B1).is_some_and(|b| b.is_open()));
    // Closed is closed: no second closing, no hall count.
    assert_eq!(
        close_ballot(&state, &chair(), B1, count(1, 0, 0)),
        Err(Refusal::BallotNotOpen { ballot: B1 })
    );
    assert_eq!(
        record_hall_count(&state, &chair(), B1, "", Tally::default()),
        Err(Refusal::BallotNotOpen { ballot: B1 })
    );
}

#[test]
fn an_adopted_deletion_makes_the_competing_amendments_fall() {
    let mut state = session();
    let subject = BallotSubject::Amendment {
        amendment: AmendmentId(2),
    };
    apply!(state, open_ballot(&state, &chair(), opening(B1, subject)),);
    apply!(state, close_ballot(&state, &chair(), B1, count(51, 49, 0)),);
    assert!(state.paragraph(P1).is_some_and(|p| p.is_deleted()));
    for id in [1, 3] {
        assert_eq!(
            state.amendment(AmendmentId(id)).map(|a| a.status.clone()),
            Some(AmendmentStatus::Fallen {
                reason: FallReason::TargetDeleted { by: AmendmentId(2) }
            }),
            "amendment {id}"
        );
    }
}

#[test]
fn a_rejected_amendment_is_rejected_and_without_quorum_nothing_is_decided() {
    let mut state = session();
    let subject = BallotSubject::Amendment {
        amendment: AmendmentId(5),
    };
    let mut with_quorum = opening(B1, subject);
    with_quorum.rules.quorum = Some(Quorum {
        numerator: 1,
        denominator: 2,
    });
    apply!(state, open_ballot(&state, &chair(), with_quorum));
    apply!(state, close_ballot(&state, &chair(), B1, count(40, 0, 0)),);
    assert_eq!(
        state.ballot(B1).and_then(|b| b.result).map(|r| r.outcome),
        Some(Outcome::QuorumNotMet)
    );
    assert_eq!(
        state.amendment(AmendmentId(5)).map(|a| a.status.clone()),
        Some(AmendmentStatus::Admissible),
        "without quorum the amendment can be put to the vote again"
    );
    apply!(state, open_ballot(&state, &chair(), opening(B2, subject)),);
    apply!(state, close_ballot(&state, &chair(), B2, count(40, 40, 20)),);
    assert_eq!(
        state.amendment(AmendmentId(5)).map(|a| a.status.clone()),
        Some(AmendmentStatus::Rejected)
    );
    assert_eq!(state.paragraph(P2).map(|p| p.text.as_str()), Some(TEXT2));
}

#[test]
fn hall_counts_are_added_to_the_electronic_votes() {
    let mut state = session();
    let subject = BallotSubject::Paragraph { paragraph: P2 };
    apply!(state, open_ballot(&state, &chair(), opening(B1, subject)),);
    apply!(
        state,
        record_hall_count(
            &state,
            &chair(),
            B1,
            "",
            Tally {
                pour: 0,
                contre: 30,
                abstention: 0,
            },
        ),
    );
    assert_eq!(
        state.ballot(B1).map(|b| b.hall_counts[0].label.as_str()),
        Some("Salle — à main levée")
    );
    assert_eq!(
        record_hall_count(
            &state,
            &chair(),
            B1,
            "x",
            Tally {
                pour: 100_001,
                contre: 0,
                abstention: 0
            }
        ),
        Err(Refusal::NumberOutOfRange {
            min: 0,
            max: 100_000
        })
    );
    // 20 pour, 10 contre online; the hall's 30 contre make the paragraph rejected, so deleted.
    apply!(state, close_ballot(&state, &chair(), B1, count(20, 10, 0)),);
    let result = state.ballot(B1).and_then(|b| b.result);
    assert_eq!(
        result.map(|r| (r.total.contre, r.outcome)),
        Some((40, Outcome::Rejected))
    );
    assert_eq!(
        state.paragraph(P2).and_then(|p| p.deletion.clone()),
        Some(Provenance::Ballot { ballot: B1 })
    );
    assert_eq!(
        state.amendment(AmendmentId(5)).map(|a| a.status.clone()),
        Some(AmendmentStatus::Fallen {
            reason: FallReason::ParagraphRejected { ballot: B1 }
        })
    );
}

#[test]
fn the_final_vote_adopts_and_freezes_the_motion() {
    let mut state = session();
    let mut final_vote = opening(B1, BallotSubject::Motion);
    final_vote.rules.majority = Majority::TwoThirds;
    apply!(state, open_ballot(&state, &chair(), final_vote));
    apply!(state, close_ballot(&state, &chair(), B1, count(67, 33, 3)),);
    assert_eq!(state.phase(), Phase::Adopted);
    assert!(matches!(
        open_ballot(&state, &chair(), opening(B2, BallotSubject::Motion)),
        Err(Refusal::PhaseForbids { .. })
    ));

    let mut state = session();
    apply!(
        state,
        open_ballot(&state, &chair(), opening(B1, BallotSubject::Motion)),
    );
    apply!(state, close_ballot(&state, &chair(), B1, count(10, 20, 3)),);
    assert_eq!(state.phase(), Phase::Closed);
}

#[test]
fn competing_amendments_are_ordered_deletion_first_then_the_largest_change() {
    let state = session();
    assert_eq!(
        vote_order(&state, P1),
        vec![
            AmendmentId(2),
            AmendmentId(3),
            AmendmentId(1),
            AmendmentId(4)
        ]
    );
    assert_eq!(vote_order(&state, P2), vec![AmendmentId(5)]);
}

#[test]
fn the_chair_may_reorder_with_a_reason() {
    let mut state = session();
    assert_eq!(
        set_vote_order(&state, &chair(), P1, &[AmendmentId(1)], "  "),
        Err(Refusal::ReasonRequired)
    );
    assert_eq!(
        set_vote_order(&state, &chair(), P1, &[AmendmentId(5)], "raison"),
        Err(Refusal::NotInVoteOrder {
            amendment: AmendmentId(5)
        })
    );
    assert_eq!(
        set_vote_order(
            &state,
            &chair(),
            P1,
            &[AmendmentId(1), AmendmentId(1)],
            "raison"
        ),
        Err(Refusal::NotInVoteOrder {
            amendment: AmendmentId(1)
        })
    );
    apply!(
        state,
        set_vote_order(
            &state,
            &chair(),
            P1,
            &[AmendmentId(1)],
            "L’auteur de la suppression demande un vote après la correction.",
        ),
    );
    assert_eq!(
        vote_order(&state, P1),
        vec![
            AmendmentId(1),
            AmendmentId(2),
            AmendmentId(3),
            AmendmentId(4)
        ]
    );
    assert_eq!(
        state.vote_order(P1).map(|o| o.reason.as_str()),
        Some("L’auteur de la suppression demande un vote après la correction.")
    );
}
