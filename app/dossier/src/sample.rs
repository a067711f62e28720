//! Generated documents for tests and benchmarks: a motion of any length, in French, with accents,
//! amendments of every kind and ballots. Deterministic (no randomness): the same sizes give the
//! same document.

use domain::document::{
    BallotRef, Contributor, DocAmendment, DocBallot, DocParagraph, DocSection, DocVersion,
    DocumentStatus, EditionBlock, FORMAT, Integrity, MotionDocument, Person, RemovedParagraph,
    document_text_hash,
};
use domain::lines::number_paragraphs;
use domain::paragraph::Provenance;

const PHRASES: [&str; 8] = [
    "Les communes constatent chaque jour à leurs guichets que l’inclusion numérique n’est pas un supplément",
    "la mutualisation des outils entre communes et intercommunalités ne doit jamais retirer la décision aux élu·es",
    "les médiateurs numériques doivent être formés, reconnus et financés dans la durée",
    "la cybersécurité des petites collectivités exige un accompagnement de l’État et des moyens humains",
    "les données publiques ouvertes servent la transparence à condition d’être documentées",
    "le RGPD protège les habitants : son application demande des compétences que les mairies n’ont pas toujours",
    "aucune démarche administrative ne doit être uniquement en ligne ; un accueil humain reste possible",
    "l’accessibilité des services publics numériques est une obligation, pas une option",
];

fn person(n: usize) -> Person {
    Person {
        name: format!("Élu·e n° {n} Lefèvre-Château"),
        mandate: format!("Adjoint·e au numérique, Saint-Étienne-du-Rouvray {n}"),
    }
}

fn paragraph_text(n: usize) -> String {
    let mut text = String::new();
    for k in 0..(3 + n % 4) {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(PHRASES[(n + k) % PHRASES.len()]);
    }
    text.push('.');
    text
}

/// A final motion with `paragraphs` paragraphs in sections of ten, and `amendments` amendments (a
/// third adopted with a ballot, the others rejected, fallen or withdrawn).
#[must_use]
pub fn motion(paragraphs: usize, amendments: usize) -> MotionDocument {
    let texts: Vec<String> = (0..paragraphs).map(paragraph_text).collect();
    let numbered = number_paragraphs(texts.iter().map(String::as_str), 80);
    let mut sections: Vec<DocSection> = Vec::new();
    for (index, (text, lines)) in texts.iter().zip(numbered).enumerate() {
        if index % 10 == 0 {
            let title = format!(
                "Axe {} : une République numérique à hauteur d’habitant",
                index / 10 + 1
            );
            sections.push(DocSection {
                stored_title: title.clone(),
                title,
                paragraphs: Vec::new(),
            });
        }
        let id = i32::try_from(index + 1).unwrap_or(i32::MAX);
        let paragraph = DocParagraph {
            id,
            version: 1,
            first_line: lines.first_line,
            lines: lines.lines,
            text: text.clone(),
            history: vec![DocVersion {
                version: 1,
                text: text.clone(),
                why_fr: "texte initial".to_owned(),
                provenance: Provenance::Initial,
            }],
        };
        if let Some(section) = sections.last_mut() {
            section.paragraphs.push(paragraph);
        }
    }
    let amendments: Vec<DocAmendment> = (1..=amendments)
        .map(|n| {
            let number = u32::try_from(n).unwrap_or(u32::MAX);
            let (status, status_fr) = match n % 4 {
                0 => ("adopted", "adopté".to_owned()),
                1 => ("rejected", "rejeté".to_owned()),
                2 => (
                    "fallen",
                    "tombé : satisfait par l’amendement n° 1".to_owned(),
                ),
                _ => ("withdrawn", "retiré".to_owned()),
            };
            let ballot = matches!(n % 4, 0 | 1).then(|| BallotRef {
                number,
                pour: 212,
                contre: 48,
                abstention: 17,
                rule_fr: "majorité des suffrages exprimés".to_owned(),
                outcome: if n % 4 == 0 { "adopted" } else { "rejected" }.to_owned(),
            });
            DocAmendment {
                number,
                kind: "replace".to_owned(),
                target_fr: format!("réécrit l. {} à {}", n, n + 3),
                paragraph_id: Some(i32::try_from(n % paragraphs.max(1) + 1).unwrap_or(1)),
                author: person(n),
                cosigners: vec![person(n + 1), person(n + 2)],
                status: status.to_owned(),
                status_fr,
                proposed_text: Some(paragraph_text(n + 3)),
                rationale: format!("Exposé des motifs n° {n} : {}", PHRASES[n % PHRASES.len()]),
                ballot,
            }
        })
        .collect();
    let ballots = amendments
        .iter()
        .filter_map(|a| a.ballot.as_ref().map(|b| (a, b)))
        .map(|(a, b)| DocBallot {
            number: b.number,
            title: format!("Amendement n° {}", a.number),
            subject_fr: format!("amendement n° {}", a.number),
            pour: b.pour,
            contre: b.contre,
            abstention: b.abstention,
            hall_participants: 0,
            registered: 300,
            present: 277,
            required: 131,
            rule_fr: b.rule_fr.clone(),
            outcome: b.outcome.clone(),
            explanation_fr: format!(
                "{} : 212 pour, 48 contre, 17 abstentions ; majorité des suffrages exprimés (131 voix requises)",
                if b.outcome == "adopted" { "adopté" } else { "rejeté" }
            ),
        })
        .collect();
    let contributors = (1..=amendments.len().min(200))
        .map(|n| Contributor {
            person: person(n),
            filed: vec![u32::try_from(n).unwrap_or(0)],
            cosigned: Vec::new(),
        })
        .collect();
    let mut doc = MotionDocument {
        format: FORMAT.to_owned(),
        motion_id: 1,
        edition: EditionBlock {
            title: "6e Congrès national des élu·es au numérique".to_owned(),
            place: "Paris".to_owned(),
            dates_fr: "du 9 au 10 décembre 2026".to_owned(),
        },
        title: "Motion 2026 : un numérique public proche des habitants".to_owned(),
        preamble: "Réuni·es à Paris, les élu·es au numérique adoptent la motion suivante."
            .to_owned(),
        stored_title: "Motion 2026 : un numérique public proche des habitants".to_owned(),
        stored_preamble: "Réuni·es à Paris, les élu·es au numérique adoptent la motion suivante."
            .to_owned(),
        status: DocumentStatus::Final {
            label_fr: "Adoptée le 10 décembre 2026".to_owned(),
            date: "2026-12-10".to_owned(),
        },
        line_width: 80,
        sections,
        removed_paragraphs: vec![RemovedParagraph {
            id: 9999,
            section: "Axe 1".to_owned(),
            text: "Un paragraphe supprimé par le congrès.".to_owned(),
            why_fr: "supprimé : amendement n° 2 adopté par le scrutin n° 2".to_owned(),
        }],
        amendments,
        ballots,
        contributors,
        integrity: Integrity {
            text_sha256: "3f".repeat(32),
            log_head_hash: "a1".repeat(32),
            seq: 1234,
        },
    };
    // The real hash of the sample's text, so that dossiers built from it verify.
    doc.integrity.text_sha256 = document_text_hash(&doc);
    doc
}
