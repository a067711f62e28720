//! Line numbers of a motion: derived from the text at a fixed line width, never stored.
//!
//! Owns the wrapping rule shared by the app, the PDF and the ODT export, so that "l. 12" means the
//! same line everywhere. Depends only on [`crate::text`] (normalization) and [`crate::typography`]; no IO, no clock, no
//! randomness, no knowledge of sections or amendments.

use serde::{Deserialize, Serialize};

use crate::text::normalize;
use crate::typography::french;

/// The line width of a published motion, in `char`s.
pub const DEFAULT_LINE_WIDTH: usize = 80;

/// Wraps a paragraph text into lines of at most `width` `char`s, greedily.
///
/// The text is first normalized (see [`normalize`]) and set in French typography (see
/// [`french`]: apostrophes, no-break spaces before `;:!?` and inside « »), so that the reader, the
/// projector, the PDF and the ODT show the same lines; lines are then cut at plain spaces (U+0020)
/// only, so a word, and words bound by a no-break space (`«\u{a0}texte\u{a0}»`, `10\u{202f}000`),
/// are never broken. Each line takes as many words as fit. Lengths are counted in Unicode scalar
/// values (`char`), which after NFC is one per French letter.
///
/// Invariants:
/// - an empty (or whitespace-only) text gives no line; a non-empty text gives no empty line;
/// - `wrap(t, w).join(" ") == french(&normalize(t))`;
/// - every line has at most `width` chars, except a line made of a single word longer than
///   `width`, which is kept whole on its own line;
/// - a `width` of 0 is treated as 1 (one word per line).
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let normalized = french(&normalize(text));
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_chars = 0;
    for word in normalized.split(' ').filter(|word| !word.is_empty()) {
        let word_chars = word.chars().count();
        if line.is_empty() {
            line.push_str(word);
            line_chars = word_chars;
        } else if line_chars + 1 + word_chars <= width {
            line.push(' ');
            line.push_str(word);
            line_chars += 1 + word_chars;
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
            line_chars = word_chars;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A paragraph cut into numbered lines.
///
/// Invariant (as built by [`number_paragraphs`]): `first_line >= 1` and `lines` is not empty, so
/// the paragraph covers lines `first_line..=last_line()`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedParagraph {
    /// Number of the paragraph's first line in the whole motion, from 1.
    pub first_line: u32,
    /// The paragraph's lines, in order (see [`wrap`]).
    pub lines: Vec<String>,
}

impl NumberedParagraph {
    /// Number of the paragraph's last line. Equals `first_line` for a one-line paragraph (and for a
    /// hand-built paragraph with no line at all).
    #[must_use]
    pub fn last_line(&self) -> u32 {
        let extra = u32::try_from(self.lines.len().saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_line.saturating_add(extra)
    }

    /// The lines with their numbers, in order.
    pub fn numbered_lines(&self) -> impl Iterator<Item = (u32, &str)> {
        (self.first_line..).zip(self.lines.iter().map(String::as_str))
    }

    /// Whether line `line` of the motion belongs to this paragraph.
    #[must_use]
    pub fn contains_line(&self, line: u32) -> bool {
        (self.first_line..=self.last_line()).contains(&line)
    }
}

/// Numbers the lines of a motion's paragraphs, continuously from 1.
///
/// Callers pass only the paragraph texts, in reading order: section titles, preambles or anything
/// else that is not numbered must be left out. Each paragraph is wrapped with [`wrap`] at `width`.
///
/// Invariants: the first paragraph starts at line 1; each paragraph starts on the line after the
/// previous one's last line; every paragraph has at least one line — an empty paragraph (which
/// [`crate::text::normalize_paragraph`] refuses, so a valid motion has none) gets one empty line,
/// so that its numbers exist and the following ones do not shift when it gets text. Numbers
/// saturate at `u32::MAX`.
#[must_use]
pub fn number_paragraphs<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    width: usize,
) -> Vec<NumberedParagraph> {
    let mut next_line: u32 = 1;
    paragraphs
        .into_iter()
        .map(|text| {
            let mut lines = wrap(text, width);
            if lines.is_empty() {
                lines.push(String::new());
            }
            let numbered = NumberedParagraph {
                first_line: next_line,
                lines,
            };
            next_line = numbered.last_line().saturating_add(1);
            numbered
        })
        .collect()
}

/// The first and last line numbers of a numbered paragraph (inclusive).
#[must_use]
pub fn line_range(numbered: &NumberedParagraph) -> (u32, u32) {
    (numbered.first_line, numbered.last_line())
}

/// Finds the paragraph holding line `line`: its index in `numbered` and the index of the line
/// inside it. `None` if no paragraph holds that line (0, or past the end).
#[must_use]
pub fn locate_line(numbered: &[NumberedParagraph], line: u32) -> Option<(usize, usize)> {
    let index = numbered.partition_point(|paragraph| paragraph.last_line() < line);
    let paragraph = numbered.get(index)?;
    if !paragraph.contains_line(line) {
        return None;
    }
    let offset = usize::try_from(line - paragraph.first_line).ok()?;
    Some((index, offset))
}

/// French label of a line range: `"l. 12"` for one line, `"l. 12 à 15"` for several.
///
/// The bounds may be given in any order.
#[must_use]
pub fn line_range_label_fr(first: u32, last: u32) -> String {
    let (first, last) = (first.min(last), first.max(last));
    if first == last {
        format!("l. {first}")
    } else {
        format!("l. {first} à {last}")
    }
}

/// English label of a line range: `"l. 12"` for one line, `"ll. 12–15"` (en dash) for several.
///
/// The bounds may be given in any order.
#[must_use]
pub fn line_range_label_en(first: u32, last: u32) -> String {
    let (first, last) = (first.min(last), first.max(last));
    if first == last {
        format!("l. {first}")
    } else {
        format!("ll. {first}\u{2013}{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wrap_fills_lines_greedily_without_breaking_words() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("", 10, &[]),
            ("   ", 10, &[]),
            ("un deux trois", 80, &["un deux trois"]),
            ("un deux trois", 7, &["un deux", "trois"]),
            ("un deux trois", 8, &["un deux", "trois"]),
            ("un deux trois", 13, &["un deux trois"]),
            ("un deux trois", 12, &["un deux", "trois"]),
            // Accented letters count as one char, not two bytes.
            ("élu·es éé", 9, &["élu·es éé"]),
            // A word longer than the width stays whole, on its own line.
            (
                "les anticonstitutionnellement élu·es",
                10,
                &["les", "anticonstitutionnellement", "élu·es"],
            ),
            ("mot", 0, &["mot"]),
            ("a b", 0, &["a", "b"]),
        ];
        for (text, width, expected) in cases {
            assert_eq!(wrap(text, *width), *expected, "text {text:?} width {width}");
        }
    }

    #[test]
    fn wrap_never_breaks_at_a_no_break_space() {
        let text = "Le maire dit\u{a0}: «\u{a0}oui\u{a0}»";
        assert_eq!(
            wrap(text, 10),
            ["Le maire", "dit\u{a0}:", "«\u{a0}oui\u{a0}»"]
        );
    }

    #[test]
    fn wrap_normalizes_the_text_first() {
        assert_eq!(wrap("  un\n\ndeux\t ", 80), ["un deux"]);
    }

    #[test]
    fn numbering_is_continuous_across_paragraphs() {
        let paragraphs = ["un deux trois", "quatre", "cinq six sept huit"];
        let numbered = number_paragraphs(paragraphs, 9);
        let ranges: Vec<(u32, u32)> = numbered.iter().map(line_range).collect();
        assert_eq!(ranges, [(1, 2), (3, 3), (4, 5)]);
        assert_eq!(numbered[2].lines, ["cinq six", "sept huit"]);
        assert_eq!(
            numbered[0].numbered_lines().collect::<Vec<_>>(),
            [(1, "un deux"), (2, "trois")]
        );
    }

    #[test]
    fn an_empty_paragraph_still_takes_one_line() {
        let numbered = number_paragraphs(["un", "", "deux"], 80);
        let ranges: Vec<(u32, u32)> = numbered.iter().map(line_range).collect();
        assert_eq!(ranges, [(1, 1), (2, 2), (3, 3)]);
        assert_eq!(numbered[1].lines, [""]);
    }

    #[test]
    fn no_paragraph_gives_no_numbered_paragraph() {
        assert!(number_paragraphs(std::iter::empty(), 80).is_empty());
    }

    #[test]
    fn locate_line_finds_the_paragraph_and_the_line_inside_it() {
        let numbered = number_paragraphs(["un deux trois", "quatre", "cinq six sept huit"], 9);
        let cases = [
            (0, None),
            (1, Some((0, 0))),
            (2, Some((0, 1))),
            (3, Some((1, 0))),
            (5, Some((2, 1))),
            (6, None),
        ];
        for (line, expected) in cases {
            assert_eq!(locate_line(&numbered, line), expected, "line {line}");
        }
    }

    #[test]
    fn line_range_labels_read_naturally_in_french_and_english() {
        let cases = [
            (12, 12, "l. 12", "l. 12"),
            (12, 15, "l. 12 à 15", "ll. 12\u{2013}15"),
            (15, 12, "l. 12 à 15", "ll. 12\u{2013}15"),
        ];
        for (first, last, fr, en) in cases {
            assert_eq!(line_range_label_fr(first, last), fr);
            assert_eq!(line_range_label_en(first, last), en);
        }
    }

    fn words() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "le",
            "conseil",
            "élu·es",
            "aujourd’hui",
            "Saint-Étienne",
            "«\u{a0}oui\u{a0}»",
            "anticonstitutionnellement",
            ",",
            "a",
            "\n",
            "  ",
        ]);
        prop::collection::vec(word, 0..60).prop_map(|words| words.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn joining_wrapped_lines_gives_back_the_normalized_text(text in words(), width in 0usize..40) {
            let lines = wrap(&text, width);
            prop_assert_eq!(lines.join(" "), french(&normalize(&text)));
        }

        #[test]
        fn wrapped_lines_fit_unless_they_hold_one_long_word(text in words(), width in 1usize..40) {
            for line in wrap(&text, width) {
                prop_assert!(!line.is_empty());
                prop_assert!(
                    line.chars().count() <= width || !line.contains(' '),
                    "line {:?} is too long for width {}", line, width
                );
            }
        }

        #[test]
        fn greedy_wrapping_could_not_have_fitted_the_next_word(text in words(), width in 1usize..40) {
            let lines = wrap(&text, width);
            for pair in lines.windows(2) {
                let next_word = pair[1].split(' ').next().unwrap_or_default();
                prop_assert!(pair[0].chars().count() + 1 + next_word.chars().count() > width);
            }
        }

        #[test]
        fn line_numbers_are_contiguous_from_one(
            paragraphs in prop::collection::vec(words(), 0..8),
            width in 1usize..40,
        ) {
            let numbered = number_paragraphs(paragraphs.iter().map(String::as_str), width);
            let mut expected_first = 1;
            for (paragraph, text) in numbered.iter().zip(&paragraphs) {
                prop_assert_eq!(paragraph.first_line, expected_first);
                prop_assert!(paragraph.last_line() >= paragraph.first_line);
                prop_assert_eq!(paragraph.lines.len().max(1), wrap(text, width).len().max(1));
                expected_first = paragraph.last_line() + 1;
            }
        }
    }
}
