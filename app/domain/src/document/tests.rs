use super::*;
use crate::amendment::AmendmentTarget;
use crate::ballot::{BallotResult, BallotRules, Outcome, Tally};
use crate::event::MotionEvent;
use crate::ids::{SectionId, VersionNumber};

const DAY_MS: i64 = 1_765_382_400_000; // 2025-12-10T16:00:00Z

fn ctx(seq: u64) -> DocumentContext {
    let mut members = BTreeMap::new();
    members.insert(
        MemberId(7),
        Person {
            name: "Claire Lefèvre".into(),
            mandate: "Maire, Plougastel".into(),
        },
    );
    members.insert(
        MemberId(8),
        Person {
            name: "Amadou Diallo".into(),
            mandate: "Conseiller municipal, Lyon".into(),
        },
    );
    DocumentContext {
        motion_id: 3,
        edition: EditionInfo {
            title: "6e Congrès".into(),
            place: "Paris".into(),
            starts_on: "2025-12-09".into(),
            ends_on: "2025-12-10".into(),
        },
        seq,
        at_millis: DAY_MS,
        head_hash: "ab".repeat(32),
        members,
    }
}

fn adopted_result(pour: u32) -> BallotResult {
    let total = Tally {
        pour,
        contre: 2,
        abstention: 1,
    };
    BallotResult {
        electronic: total,
        hall: Tally::default(),
        total,
        registered: 20,
        present: pour + 3,
        required: 3,
        quorum_required: None,
        outcome: Outcome::Adopted,
    }
}

/// A motion of two paragraphs; amendment 1 (by member 7, co-signed by 8) rewrites the first and is
/// adopted by ballot 1; amendment 2 deletes the second and is withdrawn; the final vote adopts.
fn congress_log() -> Vec<MotionEvent> {
    let p1 = ParagraphId(1);
    let p2 = ParagraphId(2);
    vec![
        MotionEvent::MotionCreated {
            title: "Motion d'Hémicycle".into(),
            preamble: "Les élu·es réuni·es : adoptent".into(),
            line_width: 30,
            min_cosigners: 0,
        },
        MotionEvent::SectionAdded {
            section: SectionId(1),
            position: 1,
            title: "Inclusion".into(),
        },
        MotionEvent::ParagraphAdded {
            paragraph: p1,
            section: SectionId(1),
            position: 1,
            text: "Les communes accueillent les habitants qui peinent en ligne.".into(),
        },
        MotionEvent::ParagraphAdded {
            paragraph: p2,
            section: SectionId(1),
            position: 2,
            text: "Un second paragraphe à supprimer.".into(),
        },
        MotionEvent::PhaseChanged {
            from: Phase::Draft,
            to: Phase::Amending,
        },
        MotionEvent::AmendmentFiled {
            amendment: AmendmentId(10),
            number: 1,
            author: MemberId(7),
            target: AmendmentTarget::Replace {
                paragraph: p1,
                base_version: VersionNumber(1),
                text: "Les mairies accueillent chaque habitant qui peine en ligne.".into(),
            },
            rationale: "Plus juste ; plus clair".into(),
        },
        MotionEvent::AmendmentCoSigned {
            amendment: AmendmentId(10),
            member: MemberId(8),
        },
        MotionEvent::AmendmentFiled {
            amendment: AmendmentId(11),
            number: 2,
            author: MemberId(99),
            target: AmendmentTarget::Delete {
                paragraph: p2,
                base_version: VersionNumber(1),
            },
            rationale: String::new(),
        },
        MotionEvent::AmendmentWithdrawn {
            amendment: AmendmentId(11),
        },
        MotionEvent::AmendmentDeclaredAdmissible {
            amendment: AmendmentId(10),
        },
        MotionEvent::PhaseChanged {
            from: Phase::Amending,
            to: Phase::Session,
        },
        MotionEvent::BallotOpened {
            ballot: BallotId(5),
            number: 1,
            subject: BallotSubject::Amendment {
                amendment: AmendmentId(10),
            },
            title: "Amendement n° 1".into(),
            rules: BallotRules::default(),
            countdown_seconds: None,
        },
        MotionEvent::BallotClosed {
            ballot: BallotId(5),
            result: adopted_result(12),
        },
        MotionEvent::AmendmentAdopted {
            amendment: AmendmentId(10),
            ballot: Some(BallotId(5)),
        },
        MotionEvent::ParagraphVersionCreated {
            paragraph: p1,
            version: VersionNumber(2),
            text: "Les mairies accueillent chaque habitant qui peine en ligne.".into(),
            provenance: Provenance::Amendment {
                amendment: AmendmentId(10),
                ballot: Some(BallotId(5)),
            },
        },
        MotionEvent::BallotOpened {
            ballot: BallotId(6),
            number: 2,
            subject: BallotSubject::Motion,
            title: "Vote final".into(),
            rules: BallotRules::default(),
            countdown_seconds: None,
        },
        MotionEvent::BallotClosed {
            ballot: BallotId(6),
            result: adopted_result(15),
        },
        MotionEvent::PhaseChanged {
            from: Phase::Session,
            to: Phase::Adopted,
        },
    ]
}

#[test]
fn the_adopted_motion_gives_a_final_document_with_the_readers_line_numbers() {
    let log = congress_log();
    let state = MotionState::replay(&log);
    let doc = build_document(&state, &ctx(18));
    assert_eq!(doc.format, FORMAT);
    assert!(doc.status.is_final());
    assert_eq!(doc.status.label_fr(), "Adoptée le 10 décembre 2025");
    let paragraphs: Vec<&DocParagraph> = doc.sections.iter().flat_map(|s| &s.paragraphs).collect();
    let numbered = state.numbered_paragraphs();
    assert_eq!(paragraphs.len(), numbered.len());
    for (doc_p, (id, lines)) in paragraphs.iter().zip(&numbered) {
        assert_eq!(doc_p.id, id.get());
        assert_eq!(doc_p.first_line, lines.first_line);
        assert_eq!(doc_p.lines, lines.lines);
    }
    // The adopted wording, its provenance in words, and the width of 30 wrapping it over lines 1–2.
    let first = paragraphs[0];
    assert_eq!(first.version, 2);
    assert_eq!(first.first_line, 1);
    assert!(first.lines.len() >= 2, "{:?}", first.lines);
    assert_eq!(
        first.history[1].why_fr,
        "amendement n° 1 adopté par le scrutin n° 1"
    );
    assert_eq!(doc.integrity.seq, 18);
    assert_eq!(doc.integrity.log_head_hash, "ab".repeat(32));
    assert_eq!(doc.integrity.text_sha256, text_hash(&state));
    assert_eq!(
        document_text_hash(&doc),
        doc.integrity.text_sha256,
        "the open data alone proves the text"
    );
    let mut altered = doc.clone();
    altered.sections[0].paragraphs[0].text.push_str(" Ajout.");
    assert_ne!(document_text_hash(&altered), doc.integrity.text_sha256);
    assert_eq!(
        doc.edition.dates_fr,
        "du 9 décembre 2025 au 10 décembre 2025"
    );
}

#[test]
fn the_annex_names_authors_statuses_and_ballot_figures() {
    let state = MotionState::replay(&congress_log());
    let doc = build_document(&state, &ctx(18));
    let first = &doc.amendments[0];
    assert_eq!(first.number, 1);
    assert_eq!(first.author.name, "Claire Lefèvre");
    assert_eq!(first.cosigners[0].name, "Amadou Diallo");
    assert_eq!(first.status, "adopted");
    assert!(
        first.target_fr.starts_with("réécrit l. 1"),
        "{}",
        first.target_fr
    );
    let ballot = first
        .ballot
        .as_ref()
        .map(|b| (b.number, b.pour, b.contre, b.abstention));
    assert_eq!(ballot, Some((1, 12, 2, 1)));
    assert_eq!(first.rationale, "Plus juste\u{202f}; plus clair");
    // An unknown author is named, not dropped; a withdrawn deletion says so.
    let second = &doc.amendments[1];
    assert_eq!(second.author.name, "Participant·e n° 99");
    assert_eq!(second.status_fr, "retiré");
    assert_eq!(doc.ballots.len(), 2);
    assert_eq!(doc.ballots[1].subject_fr, "motion entière");
    assert!(
        doc.ballots[0]
            .explanation_fr
            .starts_with("adopté\u{a0}: 12 pour")
    );
    let names: Vec<&str> = doc
        .contributors
        .iter()
        .map(|c| c.person.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Amadou Diallo", "Claire Lefèvre", "Participant·e n° 99"]
    );
    assert_eq!(doc.contributors[0].cosigned, [1]);
}

#[test]
fn display_text_is_set_in_french_typography_and_stored_text_is_kept_as_written() {
    let state = MotionState::replay(&congress_log());
    let doc = build_document(&state, &ctx(18));
    assert_eq!(doc.title, "Motion d’Hémicycle");
    assert_eq!(doc.preamble, "Les élu·es réuni·es\u{a0}: adoptent");
    let second = &doc.sections[0].paragraphs[1];
    assert_eq!(second.text, "Un second paragraphe à supprimer.");
}

#[test]
fn a_motion_not_yet_adopted_is_a_dated_working_version() {
    let log = congress_log();
    let state = MotionState::replay(&log[..11]);
    let doc = build_document(&state, &ctx(11));
    assert!(!doc.status.is_final());
    assert_eq!(
        doc.status.label_fr(),
        "Version de travail du 10 décembre 2025 à 17\u{202f}h\u{202f}00 (journal n° 11)"
    );
    assert!(doc.ballots.is_empty(), "no ballot was closed yet");
}

#[test]
fn the_text_hash_changes_with_any_word_and_only_with_the_text() {
    let log = congress_log();
    let before = MotionState::replay(&log[..14]);
    let after = MotionState::replay(&log[..15]);
    assert_ne!(
        text_hash(&before),
        text_hash(&after),
        "the adopted amendment changed a word"
    );
    let final_state = MotionState::replay(&log);
    assert_eq!(
        text_hash(&after),
        text_hash(&final_state),
        "ballots and phases are not text"
    );
    assert_eq!(text_hash(&after).len(), 64);
}

#[test]
fn deleted_paragraphs_leave_the_text_and_are_listed_with_why() {
    let mut log = congress_log();
    let adoption = log.pop();
    log.push(MotionEvent::ParagraphDeleted {
        paragraph: ParagraphId(2),
        provenance: Provenance::Ballot {
            ballot: BallotId(6),
        },
    });
    log.extend(adoption);
    let state = MotionState::replay(&log);
    let doc = build_document(&state, &ctx(19));
    assert_eq!(doc.sections[0].paragraphs.len(), 1);
    assert_eq!(doc.removed_paragraphs.len(), 1);
    assert_eq!(
        doc.removed_paragraphs[0].why_fr,
        "supprimé : rejeté par le scrutin n° 2"
    );
    assert!(!canonical_text(&state).contains("second paragraphe"));
}
