//! Paragraph text: how a paragraph's text is normalized before it is stored, and how it is cut into
//! word-level tokens for diffs, merges and line wrapping.
//!
//! Owns the definition of "a word" for the whole crate (écriture inclusive, elisions and hyphenated
//! compounds are one word) and the paragraph length limit. Depends on nothing but Unicode tables: no
//! IO, no clock, no randomness, no other module of this crate.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The longest paragraph accepted, in Unicode scalar values (`char`s) of its normalized text.
pub const MAX_PARAGRAPH_CHARS: usize = 5000;

/// U+00A0 NO-BREAK SPACE, used in French typography before `:` and inside « guillemets ».
pub const NO_BREAK_SPACE: char = '\u{00A0}';

/// U+202F NARROW NO-BREAK SPACE, used in French typography before `;`, `!`, `?` and as a thousands
/// separator.
pub const NARROW_NO_BREAK_SPACE: char = '\u{202F}';

/// Why a paragraph text cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ParagraphTextError {
    /// The text is empty once normalized (only whitespace or control characters).
    #[error("the paragraph is empty")]
    Empty,
    /// The normalized text is longer than [`MAX_PARAGRAPH_CHARS`].
    #[error("the paragraph has {chars} characters, more than the {max} allowed")]
    TooLong {
        /// Length of the normalized text, in `char`s.
        chars: usize,
        /// The limit, [`MAX_PARAGRAPH_CHARS`].
        max: usize,
    },
}

/// Whether `c` is one of the two no-break spaces French typography relies on, which
/// [`normalize`] keeps (U+00A0 and U+202F).
#[must_use]
pub fn is_no_break_space(c: char) -> bool {
    c == NO_BREAK_SPACE || c == NARROW_NO_BREAK_SPACE
}

/// Normalizes a paragraph text before it is stored or compared.
///
/// In order:
/// 1. control characters (Unicode category Cc: C0 `U+0000..=U+001F`, DEL `U+007F`, C1
///    `U+0080..=U+009F`) are removed, except those that are whitespace (`\t`, `\n`, `\r`, VT, FF,
///    NEL U+0085), which count as whitespace;
/// 2. every run of whitespace (Unicode `White_Space`: spaces, tabs, newlines, U+2028, U+3000…)
///    becomes **one** character: a plain space U+0020, unless the run contains a no-break space
///    (U+00A0 or U+202F), in which case it becomes the first no-break space of the run, so that
///    « guillemets », `texte :` and `10 000` keep their typography;
/// 3. leading and trailing whitespace (no-break spaces included) is removed;
/// 4. the result is put in Unicode Normalization Form C (NFC).
///
/// Invariants: the result has no control character, no leading or trailing whitespace, no two
/// consecutive whitespace characters, and `normalize(&normalize(x)) == normalize(x)`.
/// Other format characters (zero-width space, soft hyphen…) are kept as they are.
#[must_use]
pub fn normalize(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    // The whitespace run being read: `None` outside a run, else the character it will become.
    let mut pending: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            pending = match pending {
                Some(kept) if is_no_break_space(kept) => Some(kept),
                _ if is_no_break_space(c) => Some(c),
                _ => Some(' '),
            };
        } else if c.is_control() {
            // Removed, and it does not end a whitespace run either.
        } else {
            if let Some(space) = pending.take()
                && !collapsed.is_empty()
            {
                collapsed.push(space);
            }
            collapsed.push(c);
        }
    }
    // A trailing run is dropped: `pending` is simply forgotten.
    collapsed.nfc().collect()
}

/// Normalizes a paragraph text (see [`normalize`]) and checks it can be stored.
///
/// # Errors
/// - [`ParagraphTextError::Empty`] if nothing is left once normalized;
/// - [`ParagraphTextError::TooLong`] if the normalized text has more than [`MAX_PARAGRAPH_CHARS`]
///   `char`s.
pub fn normalize_paragraph(text: &str) -> Result<String, ParagraphTextError> {
    let normalized = normalize(text);
    let chars = normalized.chars().count();
    if chars == 0 {
        Err(ParagraphTextError::Empty)
    } else if chars > MAX_PARAGRAPH_CHARS {
        Err(ParagraphTextError::TooLong {
            chars,
            max: MAX_PARAGRAPH_CHARS,
        })
    } else {
        Ok(normalized)
    }
}

/// What a token of [`tokenize`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// A word: contains at least one letter or digit (`élu·es`, `aujourd’hui`, `Saint-Étienne`, `2025`).
    Word,
    /// A run of whitespace, no-break spaces included.
    Space,
    /// Anything else: one punctuation mark or symbol (`,`, `«`, `…`, `€`, an emoji).
    Punct,
}

/// Classifies a token produced by [`tokenize`].
///
/// Invariant: a token of `tokenize` is exactly one of the three kinds; for an arbitrary string the
/// answer is `Word` if it contains a letter or digit, else `Space` if it is non-empty and all
/// whitespace, else `Punct` (the empty string is `Punct`).
#[must_use]
pub fn token_kind(token: &str) -> TokenKind {
    if token.chars().any(char::is_alphanumeric) {
        TokenKind::Word
    } else if !token.is_empty() && token.chars().all(char::is_whitespace) {
        TokenKind::Space
    } else {
        TokenKind::Punct
    }
}

/// Characters that glue two words into one token when they sit between them with no space:
/// hyphens (`peut-être`, `Saint-Étienne`, `élu-e-s`) and the dots of écriture inclusive
/// (`élu·es`, `élu•es`, `élu⋅es`). Apostrophes and `.` between letters are already handled by
/// Unicode word boundaries (UAX #29), which keep `aujourd’hui` and `élu.e.s` whole.
fn is_word_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' // HYPHEN
            | '\u{2011}' // NON-BREAKING HYPHEN
            | '\u{00B7}' // MIDDLE DOT
            | '\u{2022}' // BULLET
            | '\u{22C5}' // DOT OPERATOR
            | '\u{2219}' // BULLET OPERATOR
            | '\u{2027}' // HYPHENATION POINT
    )
}

/// Whether `segment` is a single word-joining character.
fn is_joiner_segment(segment: &str) -> bool {
    let mut chars = segment.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_word_joiner(c))
}

/// Cuts a text into word-level tokens: words, single punctuation marks and whitespace runs.
///
/// Words follow Unicode word boundaries (UAX #29), with these French-friendly adjustments:
/// - écriture inclusive stays one word: `élu·es`, `conseiller·ères`, `élu•es`, `élu.e.s`,
///   `élu-e-s`;
/// - elisions stay one word: `aujourd'hui`, `aujourd’hui`, `l’Assemblée`;
/// - hyphenated compounds stay one word: `peut-être`, `Saint-Étienne`, `c’est-à-dire`;
/// - a colon is always its own token (UAX #29 would glue `a:b`);
/// - every other punctuation mark is its own token (`...` is three tokens), and a whole run of
///   whitespace (spaces, newlines, no-break spaces mixed) is one token.
///
/// Numbers written with a space (`10 000`) are three tokens.
///
/// Invariants: no token is empty; `tokenize(t).concat() == t` for every `t`; two consecutive
/// tokens are never both whitespace runs.
#[must_use]
pub fn tokenize(text: &str) -> Vec<&str> {
    token_ranges(text)
        .into_iter()
        .filter_map(|range| text.get(range))
        .collect()
}

/// Byte ranges of the tokens of [`tokenize`], in order, covering `text` exactly.
fn token_ranges(text: &str) -> Vec<Range<usize>> {
    let mut tokens: Vec<(Range<usize>, TokenKind)> = Vec::new();
    for (start, segment) in text.split_word_bound_indices() {
        for (offset, piece) in split_colons(segment) {
            push_segment(
                &mut tokens,
                text,
                start + offset..start + offset + piece.len(),
            );
        }
    }
    tokens.into_iter().map(|(range, _)| range).collect()
}

/// Splits a UAX #29 segment around colons, with byte offsets relative to the segment.
fn split_colons(segment: &str) -> Vec<(usize, &str)> {
    if segment.len() == 1 || !segment.contains(':') {
        return vec![(0, segment)];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for (index, _) in segment.match_indices(':') {
        if index > start {
            pieces.push((start, &segment[start..index]));
        }
        pieces.push((index, &segment[index..=index]));
        start = index + 1;
    }
    if start < segment.len() {
        pieces.push((start, &segment[start..]));
    }
    pieces
}

/// Appends one segment to the tokens, merging whitespace runs and `word joiner word` triples.
fn push_segment(tokens: &mut Vec<(Range<usize>, TokenKind)>, text: &str, range: Range<usize>) {
    let segment = &text[range.clone()];
    let kind = token_kind(segment);
    match kind {
        TokenKind::Space => {
            if let Some((last, TokenKind::Space)) = tokens.last_mut() {
                last.end = range.end;
                return;
            }
        }
        TokenKind::Word => {
            if let [.., (word, TokenKind::Word), (joiner, TokenKind::Punct)] = tokens.as_slice()
                && word.end == joiner.start
                && joiner.end == range.start
                && is_joiner_segment(&text[joiner.clone()])
            {
                let start = word.start;
                tokens.pop();
                tokens.pop();
                tokens.push((start..range.end, TokenKind::Word));
                return;
            }
        }
        TokenKind::Punct => {}
    }
    tokens.push((range, kind));
}

/// Counts the words of a text (tokens of kind [`TokenKind::Word`]).
#[must_use]
pub fn count_words(text: &str) -> usize {
    tokenize(text)
        .into_iter()
        .filter(|token| token_kind(token) == TokenKind::Word)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalize_collapses_whitespace_runs_and_trims() {
        let cases = [
            (
                "  Le   conseil\tmunicipal \n\n vote. ",
                "Le conseil municipal vote.",
            ),
            ("\r\nligne un\r\nligne deux\r\n", "ligne un ligne deux"),
            ("a\u{2028}b\u{3000}c\u{0085}d", "a b c d"),
            ("", ""),
            (" \t\n ", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn normalize_keeps_french_no_break_spaces() {
        let cases = [
            ("«\u{a0}texte\u{a0}»", "«\u{a0}texte\u{a0}»"),
            ("Pourquoi\u{202f}?", "Pourquoi\u{202f}?"),
            ("10\u{202f}000 habitants", "10\u{202f}000 habitants"),
            // A run mixing spaces and a no-break space becomes that no-break space.
            ("« \u{a0} texte", "«\u{a0}texte"),
            ("a \u{202f}\u{a0} b", "a\u{202f}b"),
            ("a\u{a0}\u{a0}b", "a\u{a0}b"),
            // No-break spaces at the edges are trimmed like any whitespace.
            ("\u{a0}texte\u{202f}", "texte"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn normalize_strips_control_characters_without_splitting_words() {
        let cases = [
            ("élu\u{0}es", "élues"),
            ("a\u{7f}b\u{9f}c\u{1b}d", "abcd"),
            ("fin\u{7}.", "fin."),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn normalize_composes_to_nfc() {
        // "é" written as e + combining acute, with a control character in between.
        assert_eq!(normalize("e\u{301}lu"), "\u{e9}lu");
        assert_eq!(normalize("e\u{0}\u{301}lu"), "\u{e9}lu");
        assert_eq!(normalize("Saint-E\u{301}tienne"), "Saint-\u{c9}tienne");
    }

    #[test]
    fn a_paragraph_must_not_be_empty_nor_too_long() {
        assert_eq!(normalize_paragraph(" \n\t"), Err(ParagraphTextError::Empty));
        assert_eq!(normalize_paragraph(" Texte "), Ok("Texte".to_owned()));
        let limit = "é".repeat(MAX_PARAGRAPH_CHARS);
        assert_eq!(normalize_paragraph(&limit), Ok(limit.clone()));
        assert_eq!(
            normalize_paragraph(&format!("{limit}e")),
            Err(ParagraphTextError::TooLong {
                chars: MAX_PARAGRAPH_CHARS + 1,
                max: MAX_PARAGRAPH_CHARS
            })
        );
    }

    #[test]
    fn tokenize_keeps_french_words_whole() {
        let cases: &[(&str, &[&str])] = &[
            ("les élu·es", &["les", " ", "élu·es"]),
            ("conseiller·ères", &["conseiller·ères"]),
            ("élu•es et élu.e.s", &["élu•es", " ", "et", " ", "élu.e.s"]),
            ("élu-e-s", &["élu-e-s"]),
            ("aujourd'hui", &["aujourd'hui"]),
            ("aujourd’hui", &["aujourd’hui"]),
            ("l’Assemblée", &["l’Assemblée"]),
            ("peut-être", &["peut-être"]),
            ("Saint-Étienne", &["Saint-Étienne"]),
            ("c’est-à-dire", &["c’est-à-dire"]),
            ("a-t-il", &["a-t-il"]),
        ];
        for (input, expected) in cases {
            assert_eq!(tokenize(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn tokenize_makes_each_punctuation_mark_a_token() {
        let cases: &[(&str, &[&str])] = &[
            (
                "«\u{a0}Oui\u{a0}!\u{a0}»",
                &["«", "\u{a0}", "Oui", "\u{a0}", "!", "\u{a0}", "»"],
            ),
            ("fin...", &["fin", ".", ".", "."]),
            ("Vote : pour.", &["Vote", " ", ":", " ", "pour", "."]),
            ("note:suite", &["note", ":", "suite"]),
            (
                "pré- et post-congrès",
                &["pré", "-", " ", "et", " ", "post-congrès"],
            ),
            ("« -", &["«", " ", "-"]),
            ("-mot", &["-", "mot"]),
            ("mot-", &["mot", "-"]),
            ("(art. 12)", &["(", "art", ".", " ", "12", ")"]),
        ];
        for (input, expected) in cases {
            assert_eq!(tokenize(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn tokenize_makes_whitespace_runs_one_token() {
        assert_eq!(
            tokenize("un \n\u{a0} deux\r\n"),
            ["un", " \n\u{a0} ", "deux", "\r\n"]
        );
        assert_eq!(tokenize("10 000"), ["10", " ", "000"]);
        assert!(tokenize("").is_empty());
    }

    #[test]
    fn token_kinds_are_words_spaces_or_punctuation() {
        let cases = [
            ("élu·es", TokenKind::Word),
            ("2025", TokenKind::Word),
            (" \u{a0}", TokenKind::Space),
            ("«", TokenKind::Punct),
            ("€", TokenKind::Punct),
            ("", TokenKind::Punct),
        ];
        for (token, expected) in cases {
            assert_eq!(token_kind(token), expected, "token {token:?}");
        }
    }

    #[test]
    fn count_words_counts_inclusive_and_hyphenated_words_once() {
        assert_eq!(
            count_words("Les conseiller·ères de Saint-Étienne, aujourd’hui."),
            5
        );
        assert_eq!(count_words(""), 0);
    }

    /// Text drawn from French-looking fragments, separators and odd characters.
    fn french_text() -> impl Strategy<Value = String> {
        let fragment = prop::sample::select(vec![
            "élu",
            "·",
            "es",
            "-",
            "’",
            "'",
            " ",
            "  ",
            "\n",
            "\u{a0}",
            "\u{202f}",
            "«",
            "»",
            ",",
            ".",
            ":",
            "é",
            "e\u{301}",
            "\u{0}",
            "\t",
            "10",
            "Saint",
            "Étienne",
            "…",
            "\u{1f600}",
        ]);
        prop::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn concatenating_the_tokens_gives_back_the_input(text in any::<String>()) {
            let tokens = tokenize(&text);
            prop_assert_eq!(tokens.concat(), text.clone());
            prop_assert!(tokens.iter().all(|t| !t.is_empty()));
        }

        #[test]
        fn concatenating_the_tokens_of_french_text_gives_back_the_input(text in french_text()) {
            let tokens = tokenize(&text);
            prop_assert_eq!(tokens.concat(), text.clone());
            for pair in tokens.windows(2) {
                prop_assert!(
                    !(token_kind(pair[0]) == TokenKind::Space && token_kind(pair[1]) == TokenKind::Space),
                    "two whitespace tokens in a row: {:?}", pair
                );
            }
        }

        #[test]
        fn normalize_is_idempotent(text in any::<String>()) {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn normalized_text_has_no_control_and_no_double_or_edge_whitespace(text in french_text()) {
            let normalized = normalize(&text);
            prop_assert!(!normalized.chars().any(char::is_control));
            prop_assert!(!normalized.starts_with(char::is_whitespace));
            prop_assert!(!normalized.ends_with(char::is_whitespace));
            let chars: Vec<char> = normalized.chars().collect();
            prop_assert!(chars.windows(2).all(|w| !(w[0].is_whitespace() && w[1].is_whitespace())));
        }
    }
}
