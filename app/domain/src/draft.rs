//! Reading a draft motion pasted or imported by organizers: Markdown or plain text, where headings make sections
//! and blank lines separate paragraphs. Pure: text in, structure or located problems out.

use serde::{Deserialize, Serialize};

use crate::text::{MAX_PARAGRAPH_CHARS, normalize};

/// A section of an imported draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSection {
    /// The heading's text; `None` for paragraphs that come before the first heading.
    pub title: Option<String>,
    /// Normalized paragraph texts, in order (never empty strings).
    pub paragraphs: Vec<String>,
}

/// What is wrong in a draft, with the 1-based line where the faulty paragraph or heading starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DraftProblem {
    #[error("the draft has no paragraph")]
    Empty,
    #[error("the paragraph starting line {line} has {chars} characters, over {max}")]
    ParagraphTooLong {
        line: usize,
        chars: usize,
        max: usize,
    },
    #[error("the heading line {line} is empty")]
    EmptyHeading { line: usize },
}

fn heading(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let hashes = trimmed.chars().take_while(|c| *c == '#').count();
    // `#` to `######` followed by a space, as in Markdown; `#hashtag` stays text.
    let marker = (1..=6).contains(&hashes);
    let rest = &trimmed[hashes..];
    if marker && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
        Some(rest.trim().trim_end_matches('#').trim())
    } else {
        None
    }
}

/// Splits a draft into sections and paragraphs. Headings (`#` … `######`) open sections; blank lines end
/// paragraphs; lines of one paragraph are joined with a space and normalized (NFC, single spaces). Sections
/// without paragraphs are kept (a heading may announce a section still to be written).
///
/// # Errors
/// Every problem found, in document order: an empty draft, empty headings, paragraphs over
/// [`MAX_PARAGRAPH_CHARS`].
pub fn parse_draft(text: &str) -> Result<Vec<DraftSection>, Vec<DraftProblem>> {
    let mut sections = vec![DraftSection {
        title: None,
        paragraphs: Vec::new(),
    }];
    let mut problems = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut started_at = 0;

    let flush = |lines: &mut Vec<&str>,
                 start: usize,
                 sections: &mut Vec<DraftSection>,
                 problems: &mut Vec<DraftProblem>| {
        if lines.is_empty() {
            return;
        }
        let paragraph = normalize(&lines.join(" "));
        lines.clear();
        let chars = paragraph.chars().count();
        if chars > MAX_PARAGRAPH_CHARS {
            problems.push(DraftProblem::ParagraphTooLong {
                line: start,
                chars,
                max: MAX_PARAGRAPH_CHARS,
            });
        } else if !paragraph.is_empty()
            && let Some(section) = sections.last_mut()
        {
            section.paragraphs.push(paragraph);
        }
    };

    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(title) = heading(line) {
            flush(&mut current, started_at, &mut sections, &mut problems);
            let title = normalize(title);
            if title.is_empty() {
                problems.push(DraftProblem::EmptyHeading { line: number });
            }
            sections.push(DraftSection {
                title: Some(title),
                paragraphs: Vec::new(),
            });
        } else if line.trim().is_empty() {
            flush(&mut current, started_at, &mut sections, &mut problems);
        } else {
            if current.is_empty() {
                started_at = number;
            }
            current.push(line);
        }
    }
    flush(&mut current, started_at, &mut sections, &mut problems);

    if sections
        .first()
        .is_some_and(|s| s.title.is_none() && s.paragraphs.is_empty())
    {
        sections.remove(0);
    }
    if sections.iter().all(|s| s.paragraphs.is_empty()) && problems.is_empty() {
        problems.push(DraftProblem::Empty);
    }
    if problems.is_empty() {
        Ok(sections)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn headings_make_sections_and_blank_lines_separate_paragraphs() {
        let draft = "# Inclusion numérique\n\nDes millions de personnes\nrenoncent à une démarche.\n\nDeuxième \
                     paragraphe.\n\n## La mairie, premier lieu d’accès\nQuand une démarche échoue…\n";
        let sections = parse_draft(draft).expect("valid");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].title.as_deref(), Some("Inclusion numérique"));
        assert_eq!(
            sections[0].paragraphs,
            vec![
                "Des millions de personnes renoncent à une démarche.",
                "Deuxième paragraphe."
            ]
        );
        assert_eq!(
            sections[1].title.as_deref(),
            Some("La mairie, premier lieu d’accès")
        );
        assert_eq!(sections[1].paragraphs, vec!["Quand une démarche échoue…"]);
    }

    #[test]
    fn plain_text_without_headings_is_one_untitled_section() {
        let sections = parse_draft("Premier.\n\n\n\nSecond,\n  sur deux lignes.").expect("valid");
        assert_eq!(
            sections,
            vec![DraftSection {
                title: None,
                paragraphs: vec!["Premier.".to_owned(), "Second, sur deux lignes.".to_owned()],
            }]
        );
    }

    #[test]
    fn a_hashtag_is_text_not_a_heading() {
        let sections = parse_draft("#NumériqueResponsable pour tous.").expect("valid");
        assert_eq!(sections[0].title, None);
        assert_eq!(
            sections[0].paragraphs,
            vec!["#NumériqueResponsable pour tous."]
        );
    }

    #[test]
    fn problems_are_reported_with_their_lines() {
        let long = "mot ".repeat(1500);
        let problems = parse_draft(&format!("#\n\nCourt.\n\n{long}\n")).expect_err("refused");
        assert_eq!(problems[0], DraftProblem::EmptyHeading { line: 1 });
        assert!(
            matches!(problems[1], DraftProblem::ParagraphTooLong { line: 5, .. }),
            "{problems:?}"
        );
        assert_eq!(
            parse_draft("  \n\n# Titre seul\n").expect_err("empty"),
            vec![DraftProblem::Empty]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn every_paragraph_of_a_well_formed_draft_comes_back_in_order(
            paragraphs in proptest::collection::vec("[a-zàéèç]{1,12}( [a-zàéèç]{1,12}){0,20}", 1..12)
        ) {
            let text = paragraphs.join("\n\n");
            let sections = parse_draft(&text).expect("valid");
            let got: Vec<String> = sections.into_iter().flat_map(|s| s.paragraphs).collect();
            prop_assert_eq!(got, paragraphs);
        }
    }
}
