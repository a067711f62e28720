//! Tests of the motion's commands: refusals, stale amendments, merge at adoption, and properties of
//! random sequences of commands replayed through the reducer.

use proptest::prelude::*;

use super::*;
use crate::diff::{new_text, old_text, word_diff};
use crate::ids::{MemberId, SectionId};
use crate::member::MemberStatus;

const P1: ParagraphId = ParagraphId(1);
const P2: ParagraphId = ParagraphId(2);
const P3: ParagraphId = ParagraphId(3);
const P4: ParagraphId = ParagraphId(4);
const S1: SectionId = SectionId(1);
const S2: SectionId = SectionId(2);
const V1: VersionNumber = VersionNumber(1);
const V2: VersionNumber = VersionNumber(2);

const TEXT1: &str = "Les maires demandent à l’État un soutien massif aux communes rurales.";
const TEXT2: &str = "Le congrès affirme le rôle des élu·es locaux dans la transition écologique.";
const TEXT3: &str = "Les intercommunalités doivent rester des coopératives de communes.";

fn organizer() -> Actor {
    Actor::verified(MemberId(1), Role::Organizer)
}
fn chair() -> Actor {
    Actor::verified(MemberId(2), Role::Chair)
}
fn alice() -> Actor {
    Actor::verified(MemberId(10), Role::Delegate)
}
fn bob() -> Actor {
    Actor::verified(MemberId(11), Role::Delegate)
}
fn carol() -> Actor {
    Actor::verified(MemberId(12), Role::Delegate)
}
fn observer() -> Actor {
    Actor::verified(MemberId(20), Role::Observer)
}

/// The log of a motion with two sections, four paragraphs (P4 deleted) in the amending phase;
/// amendments need `min_cosigners` co-signatories.
fn motion_log(min_cosigners: u32) -> Vec<MotionEvent> {
    vec![
        MotionEvent::MotionCreated {
            title: "Motion d’orientation".into(),
            preamble: "Le congrès,".into(),
            line_width: 30,
            min_cosigners,
        },
        MotionEvent::SectionAdded {
            section: S1,
            position: 1,
            title: "Les communes".into(),
        },
        MotionEvent::SectionAdded {
            section: S2,
            position: 2,
            title: "Les intercommunalités".into(),
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
        MotionEvent::ParagraphAdded {
            paragraph: P3,
            section: S2,
            position: 3,
            text: TEXT3.into(),
        },
        MotionEvent::ParagraphAdded {
            paragraph: P4,
            section: S2,
            position: 4,
            text: "Paragraphe supprimé.".into(),
        },
        MotionEvent::ParagraphDeleted {
            paragraph: P4,
            provenance: Provenance::Amendment {
                amendment: AmendmentId(999),
                ballot: None,
            },
        },
        MotionEvent::PhaseChanged {
            from: Phase::Draft,
            to: Phase::Amending,
        },
    ]
}

fn motion(min_cosigners: u32) -> MotionState {
    MotionState::replay(&motion_log(min_cosigners))
}

/// What a command returns.
type CommandResult = Result<Vec<MotionEvent>, Refusal>;

/// Applies a command's events to `state` and returns them; panics on a refusal (tests only).
fn run(
    state: &mut MotionState,
    command: impl FnOnce(&MotionState) -> Result<Vec<MotionEvent>, Refusal>,
) -> Vec<MotionEvent> {
    let events = command(state).unwrap_or_else(|refusal| panic!("refused: {refusal:?}"));
    for event in &events {
        state.apply(event);
    }
    events
}

fn replace(paragraph: ParagraphId, base_version: VersionNumber, text: &str) -> AmendmentDraft {
    AmendmentDraft {
        target: AmendmentTarget::Replace {
            paragraph,
            base_version,
            text: text.into(),
        },
        rationale: "Parce que.".into(),
    }
}

fn delete(paragraph: ParagraphId, base_version: VersionNumber) -> AmendmentDraft {
    AmendmentDraft {
        target: AmendmentTarget::Delete {
            paragraph,
            base_version,
        },
        rationale: String::new(),
    }
}

fn insert(section: SectionId, after: Option<ParagraphId>, text: &str) -> AmendmentDraft {
    AmendmentDraft {
        target: AmendmentTarget::InsertAfter {
            section,
            after,
            text: text.into(),
        },
        rationale: String::new(),
    }
}

/// Files `draft` by `author` as `id`, has it co-signed by carol (or bob if carol is the author),
/// and declared admissible.
fn file_admissible(
    state: &mut MotionState,
    author: &Actor,
    id: AmendmentId,
    draft: AmendmentDraft,
) {
    run(state, |s| {
        file_amendment(s, author, draft, AmendmentId(id.0))
    });
    let cosigner = if author.id == carol().id {
        bob()
    } else {
        carol()
    };
    run(state, |s| co_sign_amendment(s, &cosigner, id));
    run(state, |s| declare_admissible(s, &organizer(), id));
}

fn status(state: &MotionState, id: AmendmentId) -> Option<AmendmentStatus> {
    state.amendment(id).map(|a| a.status.clone())
}

fn with_phase(mut state: MotionState, to: Phase) -> MotionState {
    let from = state.phase();
    state.apply(&MotionEvent::PhaseChanged { from, to });
    state
}

#[test]
fn every_command_refuses_with_the_expected_fact() {
    let mut state = motion(1);
    // A1: alice's filed replacement of P1; A2: alice's admissible one; A3: bob's withdrawn one.
    run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(P1, V1, "Les maires exigent."),
            AmendmentId(1),
        )
    });
    file_admissible(
        &mut state,
        &alice(),
        AmendmentId(2),
        replace(P2, V1, "Le congrès affirme."),
    );
    run(&mut state, |s| {
        file_amendment(s, &bob(), delete(P3, V1), AmendmentId(3))
    });
    run(&mut state, |s| {
        withdraw_amendment(s, &bob(), AmendmentId(3))
    });
    run(&mut state, |s| {
        co_sign_amendment(s, &carol(), AmendmentId(1))
    });
    let pending = Actor {
        status: MemberStatus::Pending,
        ..alice()
    };
    let draft_state = with_phase(state.clone(), Phase::Draft);
    let adopted_state = with_phase(state.clone(), Phase::Adopted);
    let a1 = AmendmentId(1);
    let a2 = AmendmentId(2);
    let a3 = AmendmentId(3);
    let new = AmendmentId(50);
    let too_long = "é".repeat(MAX_PARAGRAPH_CHARS + 1);

    let cases: Vec<(&str, CommandResult, Refusal)> = vec![
        (
            "an observer files",
            file_amendment(&state, &observer(), replace(P1, V1, "Autre."), new),
            Refusal::RoleCannot {
                role: Role::Observer,
                action: Action::FileAmendment,
            },
        ),
        (
            "a delegate files in the draft phase",
            file_amendment(&draft_state, &alice(), replace(P1, V1, "Autre."), new),
            Refusal::PhaseForbids {
                phase: Phase::Draft,
                action: Action::FileAmendment,
            },
        ),
        (
            "a delegate files once the motion is adopted",
            file_amendment(&adopted_state, &alice(), replace(P1, V1, "Autre."), new),
            Refusal::PhaseForbids {
                phase: Phase::Adopted,
                action: Action::FileAmendment,
            },
        ),
        (
            "a pending delegate files",
            file_amendment(&state, &pending, replace(P1, V1, "Autre."), new),
            Refusal::NotVerified {
                status: MemberStatus::Pending,
            },
        ),
        (
            "an empty amendment",
            file_amendment(&state, &alice(), replace(P1, V1, " \n\t "), new),
            Refusal::EmptyText,
        ),
        (
            "an empty insertion",
            file_amendment(&state, &alice(), insert(S1, Some(P1), ""), new),
            Refusal::EmptyText,
        ),
        (
            "a text over the limit",
            file_amendment(&state, &alice(), replace(P1, V1, &too_long), new),
            Refusal::TextTooLong {
                chars: MAX_PARAGRAPH_CHARS + 1,
                max: MAX_PARAGRAPH_CHARS,
            },
        ),
        (
            "a rationale over the limit",
            file_amendment(
                &state,
                &alice(),
                AmendmentDraft {
                    rationale: too_long.clone(),
                    ..replace(P1, V1, "Autre.")
                },
                new,
            ),
            Refusal::TextTooLong {
                chars: MAX_RATIONALE_CHARS + 1,
                max: MAX_RATIONALE_CHARS,
            },
        ),
        (
            "an amendment identical to the current text once normalized",
            file_amendment(
                &state,
                &alice(),
                replace(P1, V1, &format!("  {TEXT1}\n")),
                new,
            ),
            Refusal::SameAsCurrent,
        ),
        (
            "an amendment to a deleted paragraph",
            file_amendment(&state, &alice(), replace(P4, V1, "Rétabli."), new),
            Refusal::ParagraphDeleted { paragraph: P4 },
        ),
        (
            "a deletion of a deleted paragraph",
            file_amendment(&state, &alice(), delete(P4, V1), new),
            Refusal::ParagraphDeleted { paragraph: P4 },
        ),
        (
            "an insertion after a deleted paragraph",
            file_amendment(&state, &alice(), insert(S2, Some(P4), "Nouveau."), new),
            Refusal::ParagraphDeleted { paragraph: P4 },
        ),
        (
            "an amendment to an unknown paragraph",
            file_amendment(
                &state,
                &alice(),
                replace(ParagraphId(77), V1, "Autre."),
                new,
            ),
            Refusal::ParagraphNotFound {
                paragraph: ParagraphId(77),
            },
        ),
        (
            "an amendment to a version that does not exist",
            file_amendment(&state, &alice(), replace(P1, V2, "Autre."), new),
            Refusal::VersionNotFound {
                paragraph: P1,
                version: V2,
            },
        ),
        (
            "an insertion into an unknown section",
            file_amendment(
                &state,
                &alice(),
                insert(SectionId(9), None, "Nouveau."),
                new,
            ),
            Refusal::SectionNotFound {
                section: SectionId(9),
            },
        ),
        (
            "an insertion after a paragraph of another section",
            file_amendment(&state, &alice(), insert(S2, Some(P1), "Nouveau."), new),
            Refusal::ParagraphNotInSection {
                paragraph: P1,
                section: S2,
            },
        ),
        (
            "an amendment id already used",
            file_amendment(&state, &alice(), replace(P1, V1, "Autre."), a1),
            Refusal::AmendmentIdTaken { amendment: a1 },
        ),
        (
            "the author co-signs their own amendment",
            co_sign_amendment(&state, &alice(), a1),
            Refusal::AuthorCannotCoSign { amendment: a1 },
        ),
        (
            "a delegate co-signs twice",
            co_sign_amendment(&state, &carol(), a1),
            Refusal::AlreadyCoSigned {
                amendment: a1,
                member: carol().id,
            },
        ),
        (
            "a delegate co-signs a withdrawn amendment",
            co_sign_amendment(&state, &carol(), a3),
            Refusal::StatusForbids {
                amendment: a3,
                status: crate::amendment::AmendmentStatusCode::Withdrawn,
                action: Action::CoSignAmendment,
            },
        ),
        (
            "a delegate co-signs an unknown amendment",
            co_sign_amendment(&state, &carol(), AmendmentId(404)),
            Refusal::AmendmentNotFound {
                amendment: AmendmentId(404),
            },
        ),
        (
            "a delegate withdraws someone else's amendment",
            withdraw_amendment(&state, &bob(), a1),
            Refusal::NotTheAuthor { amendment: a1 },
        ),
        (
            "an author withdraws an amendment already withdrawn",
            withdraw_amendment(&state, &bob(), a3),
            Refusal::StatusForbids {
                amendment: a3,
                status: crate::amendment::AmendmentStatusCode::Withdrawn,
                action: Action::WithdrawAmendment,
            },
        ),
        (
            "an admissible amendment is edited",
            edit_amendment(&state, &alice(), a2, replace(P2, V1, "Autre.")),
            Refusal::StatusForbids {
                amendment: a2,
                status: crate::amendment::AmendmentStatusCode::Admissible,
                action: Action::EditAmendment,
            },
        ),
        (
            "someone else's amendment is edited",
            edit_amendment(&state, &bob(), a1, replace(P1, V1, "Autre.")),
            Refusal::NotTheAuthor { amendment: a1 },
        ),
        (
            "the chair declares an amendment admissible",
            declare_admissible(&state, &chair(), a1),
            Refusal::RoleCannot {
                role: Role::Chair,
                action: Action::DeclareAdmissibility,
            },
        ),
        (
            "an amendment without co-signatory is declared admissible",
            {
                let mut fresh = motion(2);
                run(&mut fresh, |s| {
                    file_amendment(s, &alice(), replace(P1, V1, "Autre."), new)
                });
                run(&mut fresh, |s| co_sign_amendment(s, &bob(), new));
                declare_admissible(&fresh, &organizer(), new)
            },
            Refusal::NotEnoughCoSignatories { have: 1, need: 2 },
        ),
        (
            "an admissible amendment is declared admissible again",
            declare_admissible(&state, &organizer(), a2),
            Refusal::StatusForbids {
                amendment: a2,
                status: crate::amendment::AmendmentStatusCode::Admissible,
                action: Action::DeclareAdmissibility,
            },
        ),
        (
            "an amendment is declared inadmissible without a reason",
            declare_inadmissible(&state, &organizer(), a1, "  \n"),
            Refusal::ReasonRequired,
        ),
        (
            "a filed amendment is adopted before being declared admissible",
            adopt_amendment(&state, &organizer(), a1, None, None),
            Refusal::StatusForbids {
                amendment: a1,
                status: crate::amendment::AmendmentStatusCode::Filed,
                action: Action::AdoptByHand,
            },
        ),
        (
            "a delegate adopts an amendment",
            adopt_amendment(&state, &alice(), a2, None, None),
            Refusal::RoleCannot {
                role: Role::Delegate,
                action: Action::AdoptByHand,
            },
        ),
        (
            "a withdrawn amendment is rejected",
            reject_amendment(&state, &organizer(), a3, None),
            Refusal::StatusForbids {
                amendment: a3,
                status: crate::amendment::AmendmentStatusCode::Withdrawn,
                action: Action::AdoptByHand,
            },
        ),
        (
            "an editorial fix without a reason",
            editorial_fix(&state, &organizer(), P1, V1, "Texte corrigé.", ""),
            Refusal::ReasonRequired,
        ),
        (
            "an editorial fix from a stale version",
            editorial_fix(&state, &organizer(), P1, V2, "Texte corrigé.", "Coquille"),
            Refusal::StaleVersion {
                expected: V2,
                current: V1,
            },
        ),
        (
            "an editorial fix that changes nothing",
            editorial_fix(&state, &organizer(), P1, V1, TEXT1, "Coquille"),
            Refusal::SameAsCurrent,
        ),
        (
            "an editorial fix of a deleted paragraph",
            editorial_fix(&state, &organizer(), P4, V1, "Texte.", "Coquille"),
            Refusal::ParagraphDeleted { paragraph: P4 },
        ),
        (
            "a draft edit once amendments are open",
            edit_draft_paragraph(&state, &organizer(), P1, V1, "Autre."),
            Refusal::PhaseForbids {
                phase: Phase::Amending,
                action: Action::EditDraft,
            },
        ),
        (
            "a phase change back to the draft",
            change_phase(&state, &organizer(), Phase::Draft),
            Refusal::PhaseTransitionForbidden {
                from: Phase::Amending,
                to: Phase::Draft,
            },
        ),
        (
            "a phase change out of an adopted motion",
            change_phase(&adopted_state, &organizer(), Phase::Session),
            Refusal::PhaseForbids {
                phase: Phase::Adopted,
                action: Action::ChangePhase,
            },
        ),
        (
            "a phase change by a delegate",
            change_phase(&state, &alice(), Phase::Session),
            Refusal::RoleCannot {
                role: Role::Delegate,
                action: Action::ChangePhase,
            },
        ),
        (
            "a conflict resolution without conflict",
            resolve_conflict(&state, &alice(), a1, "Autre."),
            Refusal::NoConflict { amendment: a1 },
        ),
        (
            "a conflict resolution by a delegate who is not the author",
            resolve_conflict(&state, &bob(), a1, "Autre."),
            Refusal::NotTheAuthor { amendment: a1 },
        ),
    ];
    for (what, got, expected) in cases {
        assert_eq!(got, Err(expected), "{what}");
    }
}

#[test]
fn filing_numbers_amendments_in_order_and_stores_normalized_texts() {
    let mut state = motion(0);
    let first = run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(P1, V1, "  Les  maires\nexigent. "),
            AmendmentId(7),
        )
    });
    let second = run(&mut state, |s| {
        file_amendment(s, &bob(), delete(P2, V1), AmendmentId(3))
    });
    let third = run(&mut state, |s| {
        file_amendment(s, &bob(), insert(S1, None, "Préambule."), AmendmentId(9))
    });
    let numbers: Vec<Option<u32>> = [&first, &second, &third]
        .iter()
        .map(|events| match events.first() {
            Some(MotionEvent::AmendmentFiled { number, .. }) => Some(*number),
            _ => None,
        })
        .collect();
    assert_eq!(numbers, vec![Some(1), Some(2), Some(3)]);
    assert_eq!(
        state
            .amendment(AmendmentId(7))
            .and_then(|a| a.target.text()),
        Some("Les maires exigent.")
    );
    assert_eq!(
        first.len(),
        1,
        "an amendment to the current version needs no rebase"
    );
}

#[test]
fn an_amendment_to_a_stale_version_is_flagged_for_rebase() {
    let mut state = motion(0);
    run(&mut state, |s| {
        editorial_fix(
            s,
            &organizer(),
            P1,
            V1,
            "Les maires demandent à l’État un soutien massif aux communes rurales !",
            "Ponctuation",
        )
    });
    // Alice saw version 1 and rewrites the beginning: the edits do not overlap.
    let events = run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(
                P1,
                V1,
                "Les élu·es demandent à l’État un soutien massif aux communes rurales.",
            ),
            AmendmentId(1),
        )
    });
    assert_eq!(
        events.get(1),
        Some(&MotionEvent::AmendmentRebased {
            amendment: AmendmentId(1),
            onto_version: V2,
            text: "Les élu·es demandent à l’État un soutien massif aux communes rurales !".into(),
        })
    );
    let amendment = state.amendment(AmendmentId(1));
    assert_eq!(
        amendment.and_then(|a| a.target.base_version()),
        Some(V1),
        "the base is recorded"
    );
    assert_eq!(amendment.and_then(Amendment::applies_to), Some(V2));

    // Bob saw version 1 and changed the final punctuation too: a conflict, kept for a person.
    let events = run(&mut state, |s| {
        file_amendment(
            s,
            &bob(),
            replace(
                P1,
                V1,
                "Les maires demandent à l’État un soutien massif aux communes rurales ?",
            ),
            AmendmentId(2),
        )
    });
    assert!(
        matches!(events.get(1), Some(MotionEvent::AmendmentConflicted { onto_version, .. }) if *onto_version == V2),
        "{events:?}"
    );
    assert!(
        state
            .amendment(AmendmentId(2))
            .is_some_and(Amendment::is_conflicted)
    );

    // Carol saw version 1 and proposes what version 2 already says.
    assert_eq!(
        file_amendment(
            &state,
            &carol(),
            replace(
                P1,
                V1,
                "Les maires demandent à l’État un soutien massif aux communes rurales !"
            ),
            AmendmentId(3),
        ),
        Err(Refusal::SameAsCurrent)
    );
}

#[test]
fn adoption_creates_the_version_with_its_provenance_and_makes_a_duplicate_fall() {
    let mut state = motion(1);
    let adopted_text = "Les maires demandent à l’État un soutien durable aux communes rurales.";
    file_admissible(
        &mut state,
        &alice(),
        AmendmentId(1),
        replace(P1, V1, adopted_text),
    );
    file_admissible(
        &mut state,
        &bob(),
        AmendmentId(2),
        replace(P1, V1, adopted_text),
    );
    file_admissible(&mut state, &carol(), AmendmentId(3), delete(P1, V1));
    let events = run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(1), Some(BallotId(5)), None)
    });
    let provenance = Provenance::Amendment {
        amendment: AmendmentId(1),
        ballot: Some(BallotId(5)),
    };
    assert_eq!(
        events,
        vec![
            MotionEvent::AmendmentAdopted {
                amendment: AmendmentId(1),
                ballot: Some(BallotId(5))
            },
            MotionEvent::ParagraphVersionCreated {
                paragraph: P1,
                version: V2,
                text: adopted_text.into(),
                provenance: provenance.clone(),
            },
            MotionEvent::AmendmentFell {
                amendment: AmendmentId(2),
                reason: FallReason::SupersededBy {
                    amendment: AmendmentId(1)
                },
            },
        ]
    );
    let paragraph = state.paragraph(P1);
    assert_eq!(paragraph.map(|p| p.text.as_str()), Some(adopted_text));
    assert_eq!(
        paragraph
            .and_then(|p| p.history.last())
            .map(|v| &v.provenance),
        Some(&provenance)
    );
    assert_eq!(
        status(&state, AmendmentId(1)),
        Some(AmendmentStatus::Adopted)
    );
    assert_eq!(
        status(&state, AmendmentId(3)),
        Some(AmendmentStatus::Admissible),
        "deleting the amended paragraph still makes sense"
    );
    assert_eq!(state.competing_amendments(P1), vec![AmendmentId(3)]);
}

#[test]
fn adopting_a_deletion_makes_every_competing_amendment_fall() {
    let mut state = motion(1);
    file_admissible(&mut state, &alice(), AmendmentId(1), delete(P1, V1));
    run(&mut state, |s| {
        file_amendment(s, &bob(), replace(P1, V1, "Autre texte."), AmendmentId(2))
    });
    file_admissible(&mut state, &carol(), AmendmentId(3), delete(P1, V1));
    run(&mut state, |s| {
        file_amendment(s, &bob(), insert(S1, Some(P1), "Après."), AmendmentId(4))
    });
    assert_eq!(
        competing_amendments(&state, P1),
        vec![AmendmentId(1), AmendmentId(2), AmendmentId(3)]
    );
    run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(1), None, None)
    });
    let fell = FallReason::TargetDeleted { by: AmendmentId(1) };
    assert!(state.paragraph(P1).is_some_and(Paragraph::is_deleted));
    assert_eq!(
        status(&state, AmendmentId(2)),
        Some(AmendmentStatus::Fallen {
            reason: fell.clone()
        })
    );
    assert_eq!(
        status(&state, AmendmentId(3)),
        Some(AmendmentStatus::Fallen { reason: fell })
    );
    assert_eq!(
        status(&state, AmendmentId(4)),
        Some(AmendmentStatus::Filed),
        "insertions stay"
    );
    assert!(competing_amendments(&state, P1).is_empty());
    assert_eq!(
        file_amendment(
            &state,
            &alice(),
            replace(P1, V1, "Rétabli."),
            AmendmentId(5)
        ),
        Err(Refusal::ParagraphDeleted { paragraph: P1 })
    );
}

#[test]
fn a_competing_amendment_with_a_non_overlapping_edit_is_rebased_cleanly_and_keeps_both_edits() {
    let mut state = motion(1);
    file_admissible(
        &mut state,
        &alice(),
        AmendmentId(1),
        replace(
            P1,
            V1,
            "Les élu·es demandent à l’État un soutien massif aux communes rurales.",
        ),
    );
    file_admissible(
        &mut state,
        &bob(),
        AmendmentId(2),
        replace(
            P1,
            V1,
            "Les maires demandent à l’État un soutien massif aux communes de montagne.",
        ),
    );
    let events = run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(1), None, None)
    });
    let both = "Les élu·es demandent à l’État un soutien massif aux communes de montagne.";
    assert_eq!(
        events.last(),
        Some(&MotionEvent::AmendmentRebased {
            amendment: AmendmentId(2),
            onto_version: V2,
            text: both.into()
        })
    );
    assert_eq!(
        state
            .amendment(AmendmentId(2))
            .and_then(Amendment::proposed_text),
        Some(both)
    );
    // Adopting the rebased one keeps both edits in version 3.
    run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(2), None, None)
    });
    assert_eq!(
        state.paragraph(P1).map(|p| (p.version, p.text.as_str())),
        Some((VersionNumber(3), both))
    );
}

#[test]
fn overlapping_edits_become_a_conflict_and_are_never_silently_dropped() {
    let mut state = motion(1);
    file_admissible(
        &mut state,
        &alice(),
        AmendmentId(1),
        replace(
            P1,
            V1,
            "Les maires demandent à l’État un soutien durable aux communes rurales.",
        ),
    );
    file_admissible(
        &mut state,
        &bob(),
        AmendmentId(2),
        replace(
            P1,
            V1,
            "Les maires demandent à l’État un soutien exceptionnel aux communes rurales.",
        ),
    );
    run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(1), None, None)
    });
    let Some(Rebasing::Conflicted {
        onto_version,
        regions,
    }) = state
        .amendment(AmendmentId(2))
        .and_then(|a| a.rebasing.clone())
    else {
        panic!("bob's amendment should be in conflict");
    };
    assert_eq!(onto_version, V2);
    let sides: Vec<(&str, &str, &str)> = regions
        .iter()
        .map(|r| (r.base.as_str(), r.ours.as_str(), r.theirs.as_str()))
        .collect();
    assert_eq!(sides, vec![("massif", "exceptionnel", "durable")]);
    assert_eq!(
        status(&state, AmendmentId(2)),
        Some(AmendmentStatus::Admissible),
        "still pending"
    );
    assert_eq!(
        adopt_amendment(&state, &organizer(), AmendmentId(2), None, None),
        Err(Refusal::ConflictUnresolved {
            amendment: AmendmentId(2)
        })
    );
    // The organizer resolves it (the session is under way), then it can be adopted.
    let mut state = with_phase(state, Phase::Session);
    let resolved =
        "Les maires demandent à l’État un soutien durable et exceptionnel aux communes rurales.";
    run(&mut state, |s| {
        resolve_conflict(s, &organizer(), AmendmentId(2), resolved)
    });
    run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(2), None, None)
    });
    assert_eq!(state.paragraph(P1).map(|p| p.text.as_str()), Some(resolved));
}

#[test]
fn an_author_resolves_the_conflict_of_a_stale_amendment_before_the_session() {
    let mut state = motion(0);
    run(&mut state, |s| {
        editorial_fix(
            s,
            &organizer(),
            P2,
            V1,
            "Le congrès affirme le rôle des maires dans la transition écologique.",
            "Harmonisation",
        )
    });
    run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(
                P2,
                V1,
                "Le congrès affirme le rôle des conseils municipaux dans la transition écologique.",
            ),
            AmendmentId(1),
        )
    });
    assert!(
        state
            .amendment(AmendmentId(1))
            .is_some_and(Amendment::is_conflicted)
    );
    let text = "Le congrès affirme le rôle des maires et des conseils municipaux dans la transition écologique.";
    let events = run(&mut state, |s| {
        resolve_conflict(s, &alice(), AmendmentId(1), text)
    });
    assert_eq!(
        events,
        vec![MotionEvent::ConflictResolved {
            amendment: AmendmentId(1),
            text: text.into(),
            by: alice().id
        }]
    );
    assert_eq!(
        state
            .amendment(AmendmentId(1))
            .and_then(Amendment::proposed_text),
        Some(text)
    );
    assert_eq!(
        state
            .amendment(AmendmentId(1))
            .and_then(Amendment::applies_to),
        Some(V2)
    );
}

#[test]
fn an_adopted_insertion_creates_a_paragraph_in_place_and_its_duplicate_falls() {
    let mut state = motion(1);
    file_admissible(
        &mut state,
        &alice(),
        AmendmentId(1),
        insert(S1, Some(P1), "Les communes nouvelles."),
    );
    file_admissible(
        &mut state,
        &bob(),
        AmendmentId(2),
        insert(S1, Some(P1), "Les communes nouvelles."),
    );
    file_admissible(
        &mut state,
        &carol(),
        AmendmentId(3),
        insert(S1, Some(P1), "Autre chose."),
    );
    assert_eq!(
        adopt_amendment(&state, &organizer(), AmendmentId(1), None, None),
        Err(Refusal::NewParagraphIdRequired)
    );
    assert_eq!(
        adopt_amendment(&state, &organizer(), AmendmentId(1), None, Some(P2)),
        Err(Refusal::ParagraphIdTaken { paragraph: P2 })
    );
    let new = ParagraphId(40);
    run(&mut state, |s| {
        adopt_amendment(s, &organizer(), AmendmentId(1), None, Some(new))
    });
    let order: Vec<ParagraphId> = state.live_paragraphs().map(|p| p.id).collect();
    assert_eq!(order, vec![P1, new, P2, P3]);
    assert_eq!(
        state
            .paragraph(new)
            .map(|p| (p.version, p.history.first().map(|v| v.provenance.clone()))),
        Some((
            V1,
            Some(Provenance::Amendment {
                amendment: AmendmentId(1),
                ballot: None
            })
        ))
    );
    assert_eq!(
        status(&state, AmendmentId(2)),
        Some(AmendmentStatus::Fallen {
            reason: FallReason::SupersededBy {
                amendment: AmendmentId(1)
            }
        })
    );
    assert_eq!(
        status(&state, AmendmentId(3)),
        Some(AmendmentStatus::Admissible)
    );
}

#[test]
fn an_amendment_goes_from_filed_to_admissible_to_rejected_or_withdrawn() {
    let mut state = motion(1);
    run(&mut state, |s| {
        file_amendment(s, &alice(), replace(P1, V1, "Autre."), AmendmentId(1))
    });
    assert_eq!(status(&state, AmendmentId(1)), Some(AmendmentStatus::Filed));
    run(&mut state, |s| co_sign_amendment(s, &bob(), AmendmentId(1)));
    assert_eq!(
        state.amendment(AmendmentId(1)).map(|a| a.cosigners.clone()),
        Some(vec![bob().id])
    );
    run(&mut state, |s| {
        declare_admissible(s, &organizer(), AmendmentId(1))
    });
    run(&mut state, |s| {
        reject_amendment(s, &organizer(), AmendmentId(1), Some(BallotId(2)))
    });
    assert_eq!(
        status(&state, AmendmentId(1)),
        Some(AmendmentStatus::Rejected)
    );

    run(&mut state, |s| {
        file_amendment(s, &bob(), delete(P2, V1), AmendmentId(2))
    });
    run(&mut state, |s| {
        withdraw_amendment(s, &bob(), AmendmentId(2))
    });
    assert_eq!(
        status(&state, AmendmentId(2)),
        Some(AmendmentStatus::Withdrawn)
    );

    run(&mut state, |s| {
        file_amendment(s, &bob(), delete(P3, V1), AmendmentId(3))
    });
    run(&mut state, |s| {
        declare_inadmissible(s, &organizer(), AmendmentId(3), " Hors  sujet ")
    });
    assert_eq!(
        status(&state, AmendmentId(3)),
        Some(AmendmentStatus::Inadmissible {
            reason: "Hors sujet".into()
        })
    );
}

#[test]
fn editing_an_amendment_clears_its_co_signatures() {
    let mut state = motion(1);
    run(&mut state, |s| {
        file_amendment(s, &alice(), replace(P1, V1, "Autre."), AmendmentId(1))
    });
    run(&mut state, |s| co_sign_amendment(s, &bob(), AmendmentId(1)));
    run(&mut state, |s| {
        edit_amendment(
            s,
            &alice(),
            AmendmentId(1),
            replace(P1, V1, "Encore autre."),
        )
    });
    let amendment = state.amendment(AmendmentId(1));
    assert_eq!(
        amendment.and_then(|a| a.target.text()),
        Some("Encore autre.")
    );
    assert_eq!(amendment.map(|a| a.cosigners.len()), Some(0));
    assert_eq!(
        declare_admissible(&state, &organizer(), AmendmentId(1)),
        Err(Refusal::NotEnoughCoSignatories { have: 0, need: 1 })
    );
}

#[test]
fn the_motion_goes_through_its_phases_and_freezes() {
    let mut state = MotionState::replay(&motion_log(0)[..8]);
    assert_eq!(state.phase(), Phase::Draft);
    run(&mut state, |s| {
        edit_draft_paragraph(s, &organizer(), P1, V1, "Brouillon revu.")
    });
    assert_eq!(
        state
            .paragraph(P1)
            .and_then(|p| p.history.last())
            .map(|v| v.provenance.clone()),
        Some(Provenance::DraftEdit)
    );
    for to in [
        Phase::Amending,
        Phase::Session,
        Phase::Amending,
        Phase::Session,
        Phase::Adopted,
    ] {
        run(&mut state, |s| change_phase(s, &organizer(), to));
        assert_eq!(state.phase(), to);
    }
    assert_eq!(
        editorial_fix(&state, &organizer(), P1, V2, "Figé ?", "Essai"),
        Err(Refusal::PhaseForbids {
            phase: Phase::Adopted,
            action: Action::EditorialFix
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Properties of random sequences of commands.

/// One random operation; indexes are taken modulo what exists.
#[derive(Clone, Debug)]
enum Op {
    /// A delegate files a replacement of a paragraph, from its current or first version, changing
    /// one word.
    File {
        delegate: usize,
        paragraph: usize,
        from_first: bool,
        edit: Edit,
    },
    /// A delegate files a deletion.
    FileDeletion {
        delegate: usize,
        paragraph: usize,
    },
    /// A delegate files an insertion after a paragraph.
    FileInsertion {
        delegate: usize,
        paragraph: usize,
        word: usize,
    },
    CoSign {
        delegate: usize,
        amendment: usize,
    },
    Admit {
        amendment: usize,
    },
    Adopt {
        amendment: usize,
    },
    Reject {
        amendment: usize,
    },
    Withdraw {
        amendment: usize,
    },
    Resolve {
        amendment: usize,
        word: usize,
    },
    Fix {
        paragraph: usize,
        edit: Edit,
    },
}

#[derive(Clone, Debug)]
enum Edit {
    Replace { at: usize, word: usize },
    Insert { at: usize, word: usize },
    Remove { at: usize },
}

const WORDS: &[&str] = &[
    "durable",
    "élu·es",
    "rurales",
    "l’État",
    "Saint-Étienne",
    "communes",
    "fort",
];

fn apply_edit(text: &str, edit: &Edit) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    let len = words.len().max(1);
    match *edit {
        Edit::Replace { at, word } => {
            if let Some(slot) = words.get_mut(at % len) {
                *slot = WORDS[word % WORDS.len()];
            }
        }
        Edit::Insert { at, word } => words.insert(at % (len + 1), WORDS[word % WORDS.len()]),
        Edit::Remove { at } => {
            if words.len() > 1 {
                words.remove(at % len);
            }
        }
    }
    words.join(" ")
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..12usize, 0..7usize).prop_map(|(at, word)| Edit::Replace { at, word }),
        (0..12usize, 0..7usize).prop_map(|(at, word)| Edit::Insert { at, word }),
        (0..12usize).prop_map(|at| Edit::Remove { at }),
    ]
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 0..3usize, any::<bool>(), edit_strategy())
            .prop_map(|(delegate, paragraph, from_first, edit)| Op::File { delegate, paragraph, from_first, edit }),
        1 => (0..3usize, 0..3usize).prop_map(|(delegate, paragraph)| Op::FileDeletion { delegate, paragraph }),
        1 => (0..3usize, 0..3usize, 0..7usize)
            .prop_map(|(delegate, paragraph, word)| Op::FileInsertion { delegate, paragraph, word }),
        1 => (0..3usize, 0..4usize).prop_map(|(delegate, amendment)| Op::CoSign { delegate, amendment }),
        3 => (0..4usize).prop_map(|amendment| Op::Admit { amendment }),
        3 => (0..4usize).prop_map(|amendment| Op::Adopt { amendment }),
        1 => (0..4usize).prop_map(|amendment| Op::Reject { amendment }),
        1 => (0..4usize).prop_map(|amendment| Op::Withdraw { amendment }),
        1 => (0..4usize, 0..7usize).prop_map(|(amendment, word)| Op::Resolve { amendment, word }),
        2 => (0..3usize, edit_strategy()).prop_map(|(paragraph, edit)| Op::Fix { paragraph, edit }),
    ]
}

/// Runs the operations, keeping the accepted commands' events; returns the log (starting with the
/// fixture's) and the state built incrementally.
fn run_ops(ops: &[Op]) -> (Vec<MotionEvent>, MotionState) {
    let mut log = motion_log(0);
    let mut state = MotionState::replay(&log);
    let delegates = [alice(), bob(), carol()];
    let mut next_amendment = 100;
    let mut next_paragraph = 1000;
    for op in ops {
        let paragraphs: Vec<&Paragraph> = state.live_paragraphs().collect();
        let amendments: Vec<AmendmentId> = state.amendments().iter().map(|a| a.id).collect();
        let pick_paragraph = |i: usize| paragraphs.get(i % paragraphs.len().max(1)).copied();
        // Counted from the most recent, so that operations meet the amendments just filed.
        let pick_amendment = |i: usize| {
            let len = amendments.len();
            (len > 0).then(|| amendments[len - 1 - i % len])
        };
        let new_id = AmendmentId(next_amendment);
        let result = match op {
            Op::File {
                delegate,
                paragraph,
                from_first,
                edit,
            } => pick_paragraph(*paragraph).map(|p| {
                let (version, base) = if *from_first {
                    (V1, p.text_at(V1).unwrap_or(&p.text))
                } else {
                    (p.version, p.text.as_str())
                };
                file_amendment(
                    &state,
                    &delegates[delegate % 3],
                    replace(p.id, version, &apply_edit(base, edit)),
                    new_id,
                )
            }),
            Op::FileDeletion {
                delegate,
                paragraph,
            } => pick_paragraph(*paragraph).map(|p| {
                file_amendment(
                    &state,
                    &delegates[delegate % 3],
                    delete(p.id, p.version),
                    new_id,
                )
            }),
            Op::FileInsertion {
                delegate,
                paragraph,
                word,
            } => pick_paragraph(*paragraph).map(|p| {
                let text = format!("Les {}.", WORDS[word % WORDS.len()]);
                file_amendment(
                    &state,
                    &delegates[delegate % 3],
                    insert(p.section, Some(p.id), &text),
                    new_id,
                )
            }),
            Op::CoSign {
                delegate,
                amendment,
            } => pick_amendment(*amendment)
                .map(|a| co_sign_amendment(&state, &delegates[delegate % 3], a)),
            Op::Admit { amendment } => {
                pick_amendment(*amendment).map(|a| declare_admissible(&state, &organizer(), a))
            }
            Op::Adopt { amendment } => pick_amendment(*amendment).map(|a| {
                adopt_amendment(
                    &state,
                    &organizer(),
                    a,
                    None,
                    Some(ParagraphId(next_paragraph)),
                )
            }),
            Op::Reject { amendment } => {
                pick_amendment(*amendment).map(|a| reject_amendment(&state, &organizer(), a, None))
            }
            Op::Withdraw { amendment } => pick_amendment(*amendment).and_then(|a| {
                let author = state.amendment(a)?.author;
                let actor = delegates.iter().find(|d| d.id == author)?;
                Some(withdraw_amendment(&state, actor, a))
            }),
            Op::Resolve { amendment, word } => pick_amendment(*amendment).and_then(|a| {
                let paragraph = state.amendment(a)?.target.paragraph()?;
                let text = format!(
                    "{} {}",
                    state.paragraph(paragraph)?.text,
                    WORDS[word % WORDS.len()]
                );
                Some(resolve_conflict(&state, &organizer(), a, &text))
            }),
            Op::Fix { paragraph, edit } => pick_paragraph(*paragraph).map(|p| {
                editorial_fix(
                    &state,
                    &organizer(),
                    p.id,
                    p.version,
                    &apply_edit(&p.text, edit),
                    "Coquille",
                )
            }),
        };
        if let Some(Ok(events)) = result {
            for event in &events {
                if matches!(event, MotionEvent::AmendmentFiled { .. }) {
                    next_amendment += 1;
                }
                if matches!(event, MotionEvent::ParagraphInserted { .. }) {
                    next_paragraph += 1;
                }
                state.apply(event);
            }
            log.extend(events);
        }
    }
    (log, state)
}

fn is_final_status_event(event: &MotionEvent) -> Option<AmendmentId> {
    match event {
        MotionEvent::AmendmentWithdrawn { amendment }
        | MotionEvent::AmendmentDeclaredInadmissible { amendment, .. }
        | MotionEvent::AmendmentAdopted { amendment, .. }
        | MotionEvent::AmendmentRejected { amendment, .. }
        | MotionEvent::AmendmentFell { amendment, .. } => Some(*amendment),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn replaying_the_log_gives_the_state_built_command_by_command(ops in prop::collection::vec(op_strategy(), 0..40)) {
        let (log, state) = run_ops(&ops);
        prop_assert_eq!(MotionState::replay(&log), state);
    }

    #[test]
    fn replaying_a_paragraphs_history_from_its_first_version_gives_its_current_text(
        ops in prop::collection::vec(op_strategy(), 0..40)
    ) {
        let (_, state) = run_ops(&ops);
        for paragraph in state.paragraphs() {
            let numbers: Vec<u32> = paragraph.history.iter().map(|v| v.version.get()).collect();
            let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).unwrap_or(0)).collect();
            prop_assert_eq!(numbers, expected);
            let mut text = paragraph.history.first().map(|v| v.text.clone()).unwrap_or_default();
            for next in paragraph.history.iter().skip(1) {
                let changes = word_diff(&text, &next.text);
                prop_assert_eq!(old_text(&changes), text.clone());
                text = new_text(&changes);
            }
            prop_assert_eq!(&text, &paragraph.text);
            prop_assert_eq!(paragraph.version, paragraph.history.last().map_or(V1, |v| v.version));
        }
    }

    #[test]
    fn no_amendment_is_ever_in_two_statuses_nor_left_stale(ops in prop::collection::vec(op_strategy(), 0..40)) {
        let (log, state) = run_ops(&ops);
        for amendment in state.amendments() {
            let finals = log.iter().filter(|e| is_final_status_event(e) == Some(amendment.id)).count();
            prop_assert!(finals <= 1, "{:?} got {} final statuses", amendment.id, finals);
            prop_assert_eq!(finals == 1, !amendment.is_pending(), "{:?}", amendment);
            if amendment.is_pending() && let Some(paragraph) = amendment.target.paragraph() {
                let paragraph = state.paragraph(paragraph);
                prop_assert!(paragraph.is_some_and(|p| !p.is_deleted()), "pending on a deleted paragraph: {:?}", amendment);
                if let (AmendmentTarget::Replace { .. }, Some(paragraph)) = (&amendment.target, paragraph) {
                    prop_assert_eq!(amendment.applies_to(), Some(paragraph.version), "stale and not flagged: {:?}", amendment);
                    if let Some(text) = amendment.proposed_text() {
                        prop_assert_ne!(text, paragraph.text.as_str());
                    }
                }
            }
        }
    }

    #[test]
    fn line_numbering_of_the_replayed_motion_never_splits_words(ops in prop::collection::vec(op_strategy(), 0..30)) {
        let (log, _) = run_ops(&ops);
        let state = MotionState::replay(&log);
        let numbered = state.numbered_paragraphs();
        let mut next_line = 1;
        for (id, lines) in &numbered {
            let text = state.paragraph(*id).map(|p| p.text.clone()).unwrap_or_default();
            prop_assert_eq!(lines.first_line, next_line);
            next_line = lines.last_line() + 1;
            let typeset = crate::typography::french(&normalize(&text));
            prop_assert_eq!(lines.lines.join(" "), typeset.clone());
            let words: Vec<&str> = typeset.split(' ').collect();
            let wrapped: Vec<&str> = lines.lines.iter().flat_map(|line| line.split(' ')).collect();
            prop_assert_eq!(wrapped, words);
        }
    }
}

fn new_motion_in_draft() -> MotionState {
    MotionState::replay(&[MotionEvent::MotionCreated {
        title: "Motion".into(),
        preamble: String::new(),
        line_width: 80,
        min_cosigners: 1,
    }])
}

#[test]
fn importing_a_draft_makes_sections_of_headings_and_paragraphs_of_blank_lines() {
    let mut state = new_motion_in_draft();
    let draft =
        "Le congrès rappelle.\n\n# Les communes\n\nPremier\nparagraphe.\n\nSecond.\n\n## Vide\n";
    let events = run(&mut state, |s| {
        import_draft(s, &organizer(), draft, SectionId(7), ParagraphId(40))
    });
    assert_eq!(events.len(), 6, "{events:#?}");
    let titles: Vec<&str> = state.sections().iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, vec!["", "Les communes", "Vide"]);
    let ids: Vec<SectionId> = state.sections().iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![SectionId(7), SectionId(8), SectionId(9)]);
    let texts: Vec<(ParagraphId, &str)> = state
        .live_paragraphs()
        .map(|p| (p.id, p.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        vec![
            (ParagraphId(40), "Le congrès rappelle."),
            (ParagraphId(41), "Premier paragraphe."),
            (ParagraphId(42), "Second."),
        ]
    );

    // A second import continues the motion: leading paragraphs join the last section.
    run(&mut state, |s| {
        import_draft(
            s,
            &organizer(),
            "Suite.\n\n# Fin\n\nDernier.",
            SectionId(10),
            ParagraphId(43),
        )
    });
    let last = state.sections().iter().find(|s| s.id == SectionId(9));
    assert_eq!(
        last.map(|s| s.paragraphs.clone()),
        Some(vec![ParagraphId(43)])
    );
    assert_eq!(
        state.sections().last().map(|s| s.title.as_str()),
        Some("Fin")
    );
    assert_eq!(state.live_paragraphs().count(), 5);
}

#[test]
fn a_bad_draft_or_a_wrong_phase_or_role_is_refused_and_nothing_is_imported() {
    let state = new_motion_in_draft();
    let long = "x".repeat(MAX_PARAGRAPH_CHARS + 1);
    let cases: Vec<(String, Refusal)> = vec![
        ("\n\n  \n".into(), Refusal::DraftEmpty),
        (
            "Un.\n\n#\n\nDeux.".into(),
            Refusal::DraftEmptyHeading { line: 3 },
        ),
        (
            format!("Un.\n\n{long}"),
            Refusal::DraftParagraphTooLong {
                line: 3,
                chars: MAX_PARAGRAPH_CHARS + 1,
                max: MAX_PARAGRAPH_CHARS,
            },
        ),
    ];
    for (draft, expected) in cases {
        assert_eq!(
            import_draft(&state, &organizer(), &draft, SectionId(1), ParagraphId(1)),
            Err(expected)
        );
    }
    assert!(matches!(
        import_draft(&state, &alice(), "Texte.", SectionId(1), ParagraphId(1)),
        Err(Refusal::RoleCannot { .. })
    ));
    let amending = with_phase(state, Phase::Amending);
    assert!(matches!(
        import_draft(
            &amending,
            &organizer(),
            "Texte.",
            SectionId(1),
            ParagraphId(1)
        ),
        Err(Refusal::PhaseForbids { .. })
    ));
    let taken = motion(1);
    let in_draft = MotionState::replay(
        motion_log(1)
            .iter()
            .filter(|e| !matches!(e, MotionEvent::PhaseChanged { .. })),
    );
    assert_eq!(taken.phase(), Phase::Amending);
    assert_eq!(
        import_draft(&in_draft, &organizer(), "Texte.", SectionId(9), P2),
        Err(Refusal::ParagraphIdTaken { paragraph: P2 })
    );
}

#[test]
fn the_author_invites_co_signers_once_each_and_invitations_survive_an_edit() {
    let mut state = motion(1);
    run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(P1, V1, "Les maires exigent."),
            AmendmentId(1),
        )
    });
    let events = run(&mut state, |s| {
        invite_co_signers(
            s,
            &alice(),
            AmendmentId(1),
            &[bob().id, carol().id, bob().id],
        )
    });
    assert_eq!(
        events,
        vec![MotionEvent::CoSignersInvited {
            amendment: AmendmentId(1),
            members: vec![bob().id, carol().id],
        }]
    );
    assert_eq!(
        invite_co_signers(&state, &alice(), AmendmentId(1), &[bob().id]),
        Err(Refusal::AlreadyInvited {
            amendment: AmendmentId(1),
            member: bob().id,
        })
    );
    assert_eq!(
        invite_co_signers(&state, &alice(), AmendmentId(1), &[alice().id]),
        Err(Refusal::AuthorCannotCoSign {
            amendment: AmendmentId(1)
        })
    );
    assert_eq!(
        invite_co_signers(&state, &bob(), AmendmentId(1), &[carol().id]),
        Err(Refusal::NotTheAuthor {
            amendment: AmendmentId(1)
        })
    );
    run(&mut state, |s| co_sign_amendment(s, &bob(), AmendmentId(1)));
    let signed = Actor::verified(MemberId(13), Role::Delegate);
    run(&mut state, |s| {
        co_sign_amendment(s, &signed, AmendmentId(1))
    });
    assert_eq!(
        invite_co_signers(&state, &alice(), AmendmentId(1), &[signed.id]),
        Err(Refusal::AlreadyCoSigned {
            amendment: AmendmentId(1),
            member: signed.id,
        })
    );
    run(&mut state, |s| {
        edit_amendment(
            s,
            &alice(),
            AmendmentId(1),
            replace(P1, V1, "Les maires réclament."),
        )
    });
    let amendment = state.amendment(AmendmentId(1));
    assert_eq!(amendment.map(|a| a.cosigners.len()), Some(0));
    assert_eq!(
        amendment.map(|a| a.invited.clone()),
        Some(vec![bob().id, carol().id])
    );
    // Once admissible, co-signatures are closed, and so are invitations.
    run(&mut state, |s| co_sign_amendment(s, &bob(), AmendmentId(1)));
    run(&mut state, |s| {
        declare_admissible(s, &organizer(), AmendmentId(1))
    });
    assert!(matches!(
        invite_co_signers(&state, &alice(), AmendmentId(1), &[MemberId(30)]),
        Err(Refusal::StatusForbids { .. })
    ));
}

#[test]
fn the_chair_sets_the_item_under_debate_in_session_only() {
    let mut state = motion(0);
    run(&mut state, |s| {
        file_amendment(
            s,
            &alice(),
            replace(P1, V1, "Les maires exigent."),
            AmendmentId(1),
        )
    });
    let paragraph = Some(DebateItem::Paragraph { paragraph: P2 });
    assert!(matches!(
        set_current_item(&state, &chair(), paragraph),
        Err(Refusal::PhaseForbids { .. })
    ));
    let mut state = with_phase(state, Phase::Session);
    assert!(matches!(
        set_current_item(&state, &alice(), paragraph),
        Err(Refusal::RoleCannot { .. })
    ));
    run(&mut state, |s| set_current_item(s, &chair(), paragraph));
    assert_eq!(state.current_item(), paragraph);
    // Setting it again records nothing.
    assert_eq!(
        set_current_item(&state, &chair(), paragraph),
        Ok(Vec::new())
    );
    let amendment = Some(DebateItem::Amendment {
        amendment: AmendmentId(1),
    });
    run(&mut state, |s| set_current_item(s, &chair(), amendment));
    assert_eq!(state.current_item(), amendment);
    assert_eq!(
        set_current_item(
            &state,
            &chair(),
            Some(DebateItem::Paragraph { paragraph: P4 })
        ),
        Err(Refusal::ParagraphDeleted { paragraph: P4 })
    );
    assert_eq!(
        set_current_item(
            &state,
            &chair(),
            Some(DebateItem::Amendment {
                amendment: AmendmentId(9)
            })
        ),
        Err(Refusal::AmendmentNotFound {
            amendment: AmendmentId(9)
        })
    );
    run(&mut state, |s| set_current_item(s, &chair(), None));
    assert_eq!(state.current_item(), None);
}
