//! Word-level differences between two versions of a paragraph, as shown to people: what an
//! amendment removes and adds.
//!
//! Owns the diff model ([`Change`]) and its readability cleanup. Depends on [`crate::text`] for
//! tokens and on `similar` for the diff algorithm; no IO, no clock, no randomness.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::text::{count_words, tokenize};

/// One chunk of a word diff.
///
/// Invariants (as produced by [`word_diff`]): no chunk is empty; two consecutive chunks are never
/// of the same kind; inside a changed region `Removed` comes before `Added`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// Text present in both versions.
    Same(String),
    /// Text present only in the new version.
    Added(String),
    /// Text present only in the old version.
    Removed(String),
}

impl Change {
    /// The text of the chunk, whatever its kind.
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Change::Same(text) | Change::Added(text) | Change::Removed(text) => text,
        }
    }
}

/// A region of the token sequences: unchanged, or changed (old tokens replaced by new tokens).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Region {
    changed: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// Computes the word-level diff from `old` to `new`.
///
/// Both texts are cut with [`tokenize`] (words, punctuation marks, whitespace runs) and diffed
/// token by token (patience diff). The result is then cleaned up for people, in the manner of
/// diff-match-patch's semantic cleanup: an unchanged stretch between two changes that is no longer
/// (in chars) than the larger side of the change before it and of the change after it is folded
/// into them, so that `le conseil municipal` → `la commission départementale` reads as one
/// `Removed("le conseil municipal")`, `Added("la commission départementale")` rather than three
/// interleaved word swaps.
///
/// Invariants: `old_text(&word_diff(a, b)) == a` and `new_text(&word_diff(a, b)) == b`, for any
/// texts (nothing is normalized); plus the invariants of [`Change`]. Identical texts give one
/// `Same` chunk (or nothing if both are empty).
#[must_use]
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let old_tokens = tokenize(old);
    let new_tokens = tokenize(new);
    let ops = capture_diff_slices(Algorithm::Patience, &old_tokens, &new_tokens);
    let regions = semantic_cleanup(&old_tokens, &new_tokens, regions_of(&ops));

    let mut changes: Vec<Change> = Vec::new();
    for region in regions {
        let old_part = old_tokens[region.old].concat();
        let new_part = new_tokens[region.new].concat();
        if region.changed {
            push_change(&mut changes, Change::Removed(old_part));
            push_change(&mut changes, Change::Added(new_part));
        } else {
            push_change(&mut changes, Change::Same(old_part));
        }
    }
    changes
}

/// Appends a chunk, dropping it if empty and merging it with the previous one of the same kind.
fn push_change(changes: &mut Vec<Change>, change: Change) {
    if change.text().is_empty() {
        return;
    }
    match (changes.last_mut(), change) {
        (Some(Change::Same(last)), Change::Same(text))
        | (Some(Change::Added(last)), Change::Added(text))
        | (Some(Change::Removed(last)), Change::Removed(text)) => last.push_str(&text),
        (_, change) => changes.push(change),
    }
}

/// Turns diff ops into alternating unchanged / changed regions (consecutive edits merged).
fn regions_of(ops: &[DiffOp]) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        let changed = !matches!(op, DiffOp::Equal { .. });
        match regions.last_mut() {
            Some(last) if last.changed == changed => {
                last.old.end = old.end;
                last.new.end = new.end;
            }
            _ => regions.push(Region { changed, old, new }),
        }
    }
    regions
}

/// Length in chars of a run of tokens.
fn chars_of(tokens: &[&str]) -> usize {
    tokens.iter().map(|token| token.chars().count()).sum()
}

/// A region with the length in chars of its old and new sides.
struct Measured {
    region: Region,
    old_chars: usize,
    new_chars: usize,
}

/// Folds short unchanged regions squeezed between two changes into one change (see [`word_diff`]).
///
/// Regions go through a stack; whenever it ends with `changed, unchanged, changed` and the
/// unchanged stretch is no longer than the larger side of each neighbour, the three are merged,
/// and the test is repeated since the merged change is larger. Folding only grows changes, so
/// this reaches the same fixpoint as repeated passes.
fn semantic_cleanup(old_tokens: &[&str], new_tokens: &[&str], regions: Vec<Region>) -> Vec<Region> {
    let mut stack: Vec<Measured> = Vec::with_capacity(regions.len());
    for region in regions {
        stack.push(Measured {
            old_chars: chars_of(&old_tokens[region.old.clone()]),
            new_chars: chars_of(&new_tokens[region.new.clone()]),
            region,
        });
        fold_top(&mut stack);
    }
    stack.into_iter().map(|measured| measured.region).collect()
}

/// While the stack ends with a foldable `changed, unchanged, changed`, merges the three.
fn fold_top(stack: &mut Vec<Measured>) {
    while let [.., left, middle, right] = stack.as_slice() {
        let foldable = left.region.changed
            && !middle.region.changed
            && right.region.changed
            && middle.old_chars <= left.old_chars.max(left.new_chars)
            && middle.old_chars <= right.old_chars.max(right.new_chars);
        if !foldable {
            return;
        }
        let (Some(right), Some(middle)) = (stack.pop(), stack.pop()) else {
            return;
        };
        let Some(left) = stack.last_mut() else {
            return;
        };
        left.region.old.end = right.region.old.end;
        left.region.new.end = right.region.new.end;
        left.old_chars += middle.old_chars + right.old_chars;
        left.new_chars += middle.new_chars + right.new_chars;
    }
}

/// Reconstructs the old text from a diff: `Same` and `Removed` chunks, in order.
#[must_use]
pub fn old_text(changes: &[Change]) -> String {
    changes
        .iter()
        .filter(|change| !matches!(change, Change::Added(_)))
        .map(Change::text)
        .collect()
}

/// Reconstructs the new text from a diff: `Same` and `Added` chunks, in order.
#[must_use]
pub fn new_text(changes: &[Change]) -> String {
    changes
        .iter()
        .filter(|change| !matches!(change, Change::Removed(_)))
        .map(Change::text)
        .collect()
}

/// Counts the words added and removed by a diff: `(words in Added chunks, words in Removed
/// chunks)`, words as in [`crate::text::TokenKind::Word`].
///
/// A word swapped for another counts once on each side; an unchanged word folded into a change by
/// the cleanup of [`word_diff`] counts on both sides too, as the reader sees it struck and re-added.
#[must_use]
pub fn diff_stats(changes: &[Change]) -> (usize, usize) {
    changes
        .iter()
        .fold((0, 0), |(added, removed), change| match change {
            Change::Same(_) => (added, removed),
            Change::Added(text) => (added + count_words(text), removed),
            Change::Removed(text) => (added, removed + count_words(text)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use Change::{Added, Removed, Same};

    fn same(text: &str) -> Change {
        Same(text.to_owned())
    }
    fn added(text: &str) -> Change {
        Added(text.to_owned())
    }
    fn removed(text: &str) -> Change {
        Removed(text.to_owned())
    }

    #[test]
    fn a_changed_word_shows_as_removed_then_added() {
        let cases = [
            (
                "Les élu·es votent la motion.",
                "Les élu·es adoptent la motion.",
                vec![
                    same("Les élu·es "),
                    removed("votent"),
                    added("adoptent"),
                    same(" la motion."),
                ],
            ),
            (
                "Le conseil municipal vote.",
                "La commission départementale vote.",
                vec![
                    removed("Le conseil municipal"),
                    added("La commission départementale"),
                    same(" vote."),
                ],
            ),
            (
                "aujourd’hui à Saint-Étienne",
                "aujourd’hui à Saint-Denis",
                vec![
                    same("aujourd’hui à "),
                    removed("Saint-Étienne"),
                    added("Saint-Denis"),
                ],
            ),
        ];
        for (old, new, expected) in cases {
            assert_eq!(word_diff(old, new), expected, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn insertions_and_deletions_are_whole_words() {
        let cases = [
            (
                "Nous demandons un plan.",
                "Nous demandons un grand plan.",
                vec![same("Nous demandons un "), added("grand "), same("plan.")],
            ),
            (
                "Nous demandons un grand plan.",
                "Nous demandons un plan.",
                vec![same("Nous demandons un "), removed("grand "), same("plan.")],
            ),
            (
                "«\u{a0}Oui\u{a0}»",
                "«\u{a0}Oui\u{a0}!\u{a0}»",
                vec![same("«\u{a0}Oui\u{a0}"), added("!\u{a0}"), same("»")],
            ),
        ];
        for (old, new, expected) in cases {
            assert_eq!(word_diff(old, new), expected, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn a_meaningful_unchanged_stretch_between_two_changes_is_kept() {
        assert_eq!(
            word_diff(
                "Les maires demandent à l’État un soutien massif.",
                "Les élu·es demandent à l’État un soutien durable."
            ),
            [
                same("Les "),
                removed("maires"),
                added("élu·es"),
                same(" demandent à l’État un soutien "),
                removed("massif"),
                added("durable"),
                same("."),
            ]
        );
    }

    #[test]
    fn identical_and_empty_texts_give_trivial_diffs() {
        assert_eq!(word_diff("même texte", "même texte"), [same("même texte")]);
        assert!(word_diff("", "").is_empty());
        assert_eq!(word_diff("", "nouveau"), [added("nouveau")]);
        assert_eq!(word_diff("ancien", ""), [removed("ancien")]);
    }

    #[test]
    fn diff_stats_counts_words_not_tokens() {
        let changes = word_diff(
            "Les maires de Saint-Étienne votent.",
            "Les conseiller·ères municipaux de Saint-Étienne votent aujourd’hui.",
        );
        assert_eq!(diff_stats(&changes), (3, 1));
        assert_eq!(diff_stats(&[]), (0, 0));
        assert_eq!(
            diff_stats(&[same("a b"), added(", ; !"), removed("x")]),
            (0, 1)
        );
    }

    fn french_words() -> impl Strategy<Value = String> {
        let token = prop::sample::select(vec![
            "le",
            "la",
            "conseil",
            "élu·es",
            "aujourd’hui",
            "Saint-Étienne",
            "vote",
            "motion",
            " ",
            " ",
            " ",
            "\u{a0}",
            ",",
            ".",
            "«",
            "»",
            "\n",
            "-",
            "peut-être",
        ]);
        prop::collection::vec(token, 0..30).prop_map(|tokens| tokens.concat())
    }

    fn assert_well_formed(changes: &[Change]) -> Result<(), TestCaseError> {
        for change in changes {
            prop_assert!(!change.text().is_empty(), "empty chunk in {:?}", changes);
        }
        for pair in changes.windows(2) {
            prop_assert!(
                std::mem::discriminant(&pair[0]) != std::mem::discriminant(&pair[1]),
                "two chunks of the same kind in a row in {:?}",
                changes
            );
            prop_assert!(
                !matches!(pair, [Added(_), Removed(_)]),
                "Added before Removed in {:?}",
                changes
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn applying_the_diff_gives_back_both_texts(old in french_words(), new in french_words()) {
            let changes = word_diff(&old, &new);
            prop_assert_eq!(old_text(&changes), old);
            prop_assert_eq!(new_text(&changes), new);
            assert_well_formed(&changes)?;
        }

        #[test]
        fn applying_the_diff_of_arbitrary_strings_gives_back_both(old in any::<String>(), new in any::<String>()) {
            let changes = word_diff(&old, &new);
            prop_assert_eq!(old_text(&changes), old);
            prop_assert_eq!(new_text(&changes), new);
            assert_well_formed(&changes)?;
        }

        #[test]
        fn a_text_diffed_with_itself_has_no_change(text in french_words()) {
            let changes = word_diff(&text, &text);
            prop_assert!(changes.iter().all(|change| matches!(change, Same(_))));
            prop_assert_eq!(diff_stats(&changes), (0, 0));
        }
    }
}
