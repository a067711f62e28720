//! Word-level three-way merge, used to rebase an amendment written against an old version of a
//! paragraph onto the paragraph's current text.
//!
//! Owns the merge rules (what merges cleanly, what is a conflict) and the conflict model. Depends
//! on [`crate::text`] for tokens and on `similar` for two-way diffs; no IO, no clock, no
//! randomness, no knowledge of amendments or ballots.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::text::{TokenKind, token_kind, tokenize};

/// Where two sides disagree, with what each side has there.
///
/// Token ranges index the tokens of [`tokenize`] applied to the whole `base`, `ours` (the
/// amendment) and `theirs` (the current text); the strings are those tokens concatenated, so
/// `base == tokenize(base_text)[base_tokens].concat()`, and likewise for the two sides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRegion {
    /// Tokens of the base text covered by the conflict (empty for two competing insertions).
    pub base_tokens: Range<usize>,
    /// Tokens of the amendment's text covered by the conflict.
    pub ours_tokens: Range<usize>,
    /// Tokens of the current text covered by the conflict.
    pub theirs_tokens: Range<usize>,
    /// What the base text had there.
    pub base: String,
    /// What the amendment proposes there.
    pub ours: String,
    /// What the current text has there.
    pub theirs: String,
}

/// One piece of a three-way merge, in text order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MergeChunk {
    /// Text both sides agree on once their non-overlapping changes are combined.
    Resolved(String),
    /// A region both sides changed differently.
    Conflict(ConflictRegion),
}

/// Which side wins a conflict when resolving it mechanically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// The amendment's text.
    Ours,
    /// The paragraph's current text.
    Theirs,
}

/// The outcome of rebasing an amendment onto the current text of its paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rebase {
    /// The amendment's changes and the changes made since its base combine without overlap:
    /// this is the amendment's text as it would read against the current paragraph.
    Clean(String),
    /// Some changes overlap; nothing was dropped, the author (or the chair) must decide.
    Conflict {
        /// The version the amendment was written against, as given.
        base: String,
        /// The amendment's proposed text, as given.
        ours: String,
        /// The paragraph's current text, as given.
        theirs: String,
        /// The conflicting regions, in text order (never empty).
        regions: Vec<ConflictRegion>,
    },
}

impl Rebase {
    /// Whether the rebase went through without conflict.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        matches!(self, Rebase::Clean(_))
    }

    /// The merged text with every conflict settled in favour of `side`, the non-conflicting
    /// changes of both sides being kept. For a clean rebase, its text.
    #[must_use]
    pub fn resolve(&self, side: Side) -> String {
        match self {
            Rebase::Clean(text) => text.clone(),
            Rebase::Conflict {
                base, ours, theirs, ..
            } => merge_chunks(base, ours, theirs)
                .iter()
                .map(|chunk| match (chunk, side) {
                    (MergeChunk::Resolved(text), _) => text.as_str(),
                    (MergeChunk::Conflict(region), Side::Ours) => region.ours.as_str(),
                    (MergeChunk::Conflict(region), Side::Theirs) => region.theirs.as_str(),
                })
                .collect(),
        }
    }
}

/// Rebases an amendment: replays the changes it makes to `base` onto `current`.
///
/// `base` is the paragraph version the amendment was written against, `amendment` the text the
/// amendment proposes, `current` the paragraph's current text. In the result, "ours" is the
/// amendment and "theirs" the current text. The texts are compared as given (not normalized).
///
/// Rules, checked in this order and then token by token (see [`merge_chunks`]):
/// - identical texts on both sides merge to that text (identical edits);
/// - if the amendment equals `base`, the result is `current`;
/// - if `current` equals `base`, the result is the amendment;
/// - edits to regions separated by at least one unchanged word are all kept;
/// - overlapping, different edits are a [`Rebase::Conflict`]; so are insertions made by both sides
///   at the same place unless identical, and an insertion by one side touching an edit by the
///   other (only spaces or punctuation between them). Replacements of two neighbouring words, one
///   by each side, merge.
///
/// Nothing is ever silently dropped: a clean result contains every change of both sides.
#[must_use]
pub fn rebase(base: &str, amendment: &str, current: &str) -> Rebase {
    if amendment == current || current == base {
        return Rebase::Clean(amendment.to_owned());
    }
    if amendment == base {
        return Rebase::Clean(current.to_owned());
    }
    let chunks = merge_chunks(base, amendment, current);
    let regions: Vec<ConflictRegion> = chunks
        .iter()
        .filter_map(|chunk| match chunk {
            MergeChunk::Conflict(region) => Some(region.clone()),
            MergeChunk::Resolved(_) => None,
        })
        .collect();
    if regions.is_empty() {
        Rebase::Clean(
            chunks
                .iter()
                .filter_map(|chunk| match chunk {
                    MergeChunk::Resolved(text) => Some(text.as_str()),
                    MergeChunk::Conflict(_) => None,
                })
                .collect(),
        )
    } else {
        Rebase::Conflict {
            base: base.to_owned(),
            ours: amendment.to_owned(),
            theirs: current.to_owned(),
            regions,
        }
    }
}

/// How an unstable stretch of the three token sequences resolves on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resolution {
    /// Only ours changed it.
    Ours,
    /// Only theirs changed it.
    Theirs,
    /// Both changed it the same way.
    Both,
    /// Both changed it differently.
    Conflict,
}

/// A stretch of the three token sequences: ranges into base, ours and theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Span {
    base: Range<usize>,
    ours: Range<usize>,
    theirs: Range<usize>,
}

impl Span {
    /// Extends this span to the end of `later`, which must follow it.
    fn extend_to(&mut self, later: &Span) {
        self.base.end = later.base.end;
        self.ours.end = later.ours.end;
        self.theirs.end = later.theirs.end;
    }
}

/// A stretch of the merge: a base token kept by both sides, or a stretch changed by one or both.
#[derive(Clone, Debug)]
enum Piece {
    Stable(Span),
    Changed(Span, Resolution),
}

/// For each base token, the index of the token of `side` it is matched with, if any.
fn matches(base: &[&str], side: &[&str]) -> Vec<Option<usize>> {
    let mut matched = vec![None; base.len()];
    for op in capture_diff_slices(Algorithm::Myers, base, side) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for offset in 0..len {
                if let Some(slot) = matched.get_mut(old_index + offset) {
                    *slot = Some(new_index + offset);
                }
            }
        }
    }
    matched
}

/// Splits the three sequences into stable tokens (kept by both sides) and changed stretches,
/// diff3-style: a base token is stable when both two-way diffs keep it; what lies between two
/// stable tokens is one changed stretch.
fn pieces(base: &[&str], ours: &[&str], theirs: &[&str]) -> Vec<Piece> {
    let ours_match = matches(base, ours);
    let theirs_match = matches(base, theirs);
    let mut pieces = Vec::new();
    let (mut b, mut o, mut t) = (0, 0, 0);
    loop {
        let next_stable = (b..base.len()).find_map(|k| match (ours_match[k], theirs_match[k]) {
            (Some(ko), Some(kt)) => Some((k, ko, kt)),
            _ => None,
        });
        let (kb, ko, kt) = next_stable.unwrap_or((base.len(), ours.len(), theirs.len()));
        if (kb, ko, kt) != (b, o, t) {
            let span = Span {
                base: b..kb,
                ours: o..ko,
                theirs: t..kt,
            };
            let resolution = resolve_alone(&base[b..kb], &ours[o..ko], &theirs[t..kt]);
            pieces.push(Piece::Changed(span, resolution));
        }
        if next_stable.is_none() {
            return pieces;
        }
        pieces.push(Piece::Stable(Span {
            base: kb..kb + 1,
            ours: ko..ko + 1,
            theirs: kt..kt + 1,
        }));
        (b, o, t) = (kb + 1, ko + 1, kt + 1);
    }
}

/// Resolves a changed stretch by itself.
fn resolve_alone(base: &[&str], ours: &[&str], theirs: &[&str]) -> Resolution {
    if ours == theirs {
        Resolution::Both
    } else if ours == base {
        Resolution::Theirs
    } else if theirs == base {
        Resolution::Ours
    } else {
        Resolution::Conflict
    }
}

/// Merges `ours` and `theirs`, two descendants of `base`, into chunks of agreed text and
/// conflicts. [`rebase`] is built on it.
///
/// The three texts are cut with [`tokenize`]; `base` is diffed against each side; a base token
/// kept by both sides is stable, and the stretches between stable tokens are changed by one side
/// (that side wins), by both identically (taken once) or by both differently (a conflict).
/// Changed stretches separated only by stable whitespace or punctuation (no stable word) form a
/// cluster, which becomes one conflict if it holds a conflict, or changes from both sides one of
/// which is a pure insertion — unless both sides read the same over the whole cluster. The
/// insertion rule makes two insertions at the same place conflict however the two-way diffs
/// aligned them around a space, and makes an insertion touching the other side's edit conflict
/// (an inserted word usually qualifies its neighbour: if the neighbour changed meanwhile, a
/// person must check), whichever side of the edit the insertion is on.
///
/// Invariants: consecutive chunks are never both `Resolved`; if `ours == base` the chunks
/// concatenate to `theirs` (and symmetrically); the regions' strings are the token slices their
/// ranges name.
#[must_use]
pub fn merge_chunks(base: &str, ours: &str, theirs: &str) -> Vec<MergeChunk> {
    let base_tokens = tokenize(base);
    let ours_tokens = tokenize(ours);
    let theirs_tokens = tokenize(theirs);
    let tokens = Tokens {
        base: &base_tokens,
        ours: &ours_tokens,
        theirs: &theirs_tokens,
    };

    let mut chunks = Vec::new();
    let mut cluster: Vec<Piece> = Vec::new();
    for piece in pieces(&base_tokens, &ours_tokens, &theirs_tokens) {
        let ends_cluster = match &piece {
            Piece::Stable(span) => token_kind(base_tokens[span.base.start]) == TokenKind::Word,
            Piece::Changed(..) => false,
        };
        if ends_cluster {
            emit_cluster(&tokens, std::mem::take(&mut cluster), &mut chunks);
            push_resolved(
                &mut chunks,
                &tokens.base[piece_span(&piece).base.clone()].concat(),
            );
        } else {
            cluster.push(piece);
        }
    }
    emit_cluster(&tokens, cluster, &mut chunks);
    chunks
}

/// The three token sequences of a merge.
struct Tokens<'t, 's> {
    base: &'t [&'s str],
    ours: &'t [&'s str],
    theirs: &'t [&'s str],
}

fn piece_span(piece: &Piece) -> &Span {
    match piece {
        Piece::Stable(span) | Piece::Changed(span, _) => span,
    }
}

/// Emits a cluster of pieces (see [`merge_chunks`]): as one conflict, or resolved piece by piece.
fn emit_cluster(tokens: &Tokens<'_, '_>, cluster: Vec<Piece>, chunks: &mut Vec<MergeChunk>) {
    let changed = || {
        cluster.iter().filter_map(|piece| match piece {
            Piece::Changed(span, resolution) => Some((span, *resolution)),
            Piece::Stable(_) => None,
        })
    };
    let has = |wanted: Resolution| changed().any(|(_, resolution)| resolution == wanted);
    let has_insertion = changed().any(|(span, resolution)| {
        matches!(resolution, Resolution::Ours | Resolution::Theirs) && span.base.is_empty()
    });
    let conflicting = has(Resolution::Conflict)
        || (has(Resolution::Ours) && has(Resolution::Theirs) && has_insertion);

    if conflicting {
        // The conflict spans from the first changed piece to the last; the stable spaces and
        // punctuation around them stay agreed text.
        let is_changed = |piece: &Piece| matches!(piece, Piece::Changed(..));
        let (Some(first), Some(last)) = (
            cluster.iter().position(is_changed),
            cluster.iter().rposition(is_changed),
        ) else {
            return;
        };
        for piece in &cluster[..first] {
            push_resolved(
                chunks,
                &tokens.base[piece_span(piece).base.clone()].concat(),
            );
        }
        let mut whole = piece_span(&cluster[first]).clone();
        whole.extend_to(piece_span(&cluster[last]));
        let region = ConflictRegion {
            base: tokens.base[whole.base.clone()].concat(),
            ours: tokens.ours[whole.ours.clone()].concat(),
            theirs: tokens.theirs[whole.theirs.clone()].concat(),
            base_tokens: whole.base,
            ours_tokens: whole.ours,
            theirs_tokens: whole.theirs,
        };
        if region.ours == region.theirs {
            // Both sides read the same over the cluster: the same edit, aligned differently.
            push_resolved(chunks, &region.ours);
        } else {
            chunks.push(MergeChunk::Conflict(region));
        }
        for piece in &cluster[last + 1..] {
            push_resolved(
                chunks,
                &tokens.base[piece_span(piece).base.clone()].concat(),
            );
        }
        return;
    }
    for piece in &cluster {
        let text = match piece {
            Piece::Stable(span) => tokens.base[span.base.clone()].concat(),
            Piece::Changed(span, Resolution::Ours | Resolution::Both) => {
                tokens.ours[span.ours.clone()].concat()
            }
            Piece::Changed(span, Resolution::Theirs) => tokens.theirs[span.theirs.clone()].concat(),
            Piece::Changed(span, Resolution::Conflict) => {
                // Unreachable: a cluster holding a conflict is emitted whole above. Keep both
                // sides' texts rather than lose one, should that ever change.
                chunks.push(MergeChunk::Conflict(ConflictRegion {
                    base_tokens: span.base.clone(),
                    ours_tokens: span.ours.clone(),
                    theirs_tokens: span.theirs.clone(),
                    base: tokens.base[span.base.clone()].concat(),
                    ours: tokens.ours[span.ours.clone()].concat(),
                    theirs: tokens.theirs[span.theirs.clone()].concat(),
                }));
                continue;
            }
        };
        push_resolved(chunks, &text);
    }
}

/// Appends agreed text, merging it with a preceding `Resolved` chunk.
fn push_resolved(chunks: &mut Vec<MergeChunk>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(MergeChunk::Resolved(last)) = chunks.last_mut() {
        last.push_str(text);
    } else {
        chunks.push(MergeChunk::Resolved(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clean(text: &str) -> Rebase {
        Rebase::Clean(text.to_owned())
    }

    fn regions(rebase: &Rebase) -> Vec<(&str, &str, &str)> {
        match rebase {
            Rebase::Clean(_) => Vec::new(),
            Rebase::Conflict { regions, .. } => regions
                .iter()
                .map(|r| (r.base.as_str(), r.ours.as_str(), r.theirs.as_str()))
                .collect(),
        }
    }

    const BASE: &str = "Les maires demandent à l’État un soutien massif aux communes rurales.";

    #[test]
    fn edits_to_different_words_are_both_kept() {
        let cases = [
            (
                "Les élu·es demandent à l’État un soutien massif aux communes rurales.",
                "Les maires demandent à l’État un soutien massif aux communes de montagne.",
                "Les élu·es demandent à l’État un soutien massif aux communes de montagne.",
            ),
            (
                "Les maires demandent à l’État un soutien durable aux communes rurales.",
                "Les maires exigent de l’État un soutien massif aux communes rurales.",
                "Les maires exigent de l’État un soutien durable aux communes rurales.",
            ),
            // Replacing two neighbouring words, one per side, is not a conflict.
            (
                "Les maires demandent à l’État un appui massif aux communes rurales.",
                "Les maires demandent à l’État un soutien fort aux communes rurales.",
                "Les maires demandent à l’État un appui fort aux communes rurales.",
            ),
            // An insertion far from the other side's edit.
            (
                "Tous les maires demandent à l’État un soutien massif aux communes rurales.",
                "Les maires demandent à l’État un soutien massif aux communes rurales et périurbaines.",
                "Tous les maires demandent à l’État un soutien massif aux communes rurales et périurbaines.",
            ),
        ];
        for (amendment, current, expected) in cases {
            assert_eq!(
                rebase(BASE, amendment, current),
                clean(expected),
                "{amendment:?}"
            );
            // And the other way round.
            assert_eq!(
                rebase(BASE, current, amendment),
                clean(expected),
                "{current:?}"
            );
        }
    }

    #[test]
    fn an_unchanged_side_yields_the_other_side() {
        let changed = "Les élu·es demandent «\u{a0}un soutien\u{a0}».";
        assert_eq!(rebase(BASE, BASE, changed), clean(changed));
        assert_eq!(rebase(BASE, changed, BASE), clean(changed));
    }

    #[test]
    fn identical_edits_merge_into_one() {
        let both = "Les maires demandent à l’État un soutien durable aux communes rurales.";
        assert_eq!(rebase(BASE, both, both), clean(both));
        // The same insertion plus a different edit elsewhere: the insertion appears once.
        let amendment =
            "Les maires demandent à l’État un soutien massif et durable aux communes rurales.";
        let current =
            "Les élu·es demandent à l’État un soutien massif et durable aux communes rurales.";
        assert_eq!(
            rebase(BASE, amendment, current),
            clean(
                "Les élu·es demandent à l’État un soutien massif et durable aux communes rurales."
            )
        );
    }

    #[test]
    fn different_edits_of_the_same_word_conflict() {
        let amendment = "Les maires demandent à l’État un soutien durable aux communes rurales.";
        let current = "Les maires demandent à l’État un soutien immédiat aux communes rurales.";
        let result = rebase(BASE, amendment, current);
        assert!(!result.is_clean());
        assert_eq!(regions(&result), [("massif", "durable", "immédiat")]);
        let Rebase::Conflict {
            base,
            ours,
            theirs,
            regions,
        } = &result
        else {
            panic!("expected a conflict, got {result:?}");
        };
        assert_eq!(
            (base.as_str(), ours.as_str(), theirs.as_str()),
            (BASE, amendment, current)
        );
        let base_tokens = tokenize(BASE);
        assert_eq!(
            base_tokens[regions[0].base_tokens.clone()].concat(),
            "massif"
        );
        assert_eq!(
            tokenize(ours)[regions[0].ours_tokens.clone()].concat(),
            "durable"
        );
        assert_eq!(
            tokenize(theirs)[regions[0].theirs_tokens.clone()].concat(),
            "immédiat"
        );
    }

    #[test]
    fn a_deletion_against_an_edit_of_the_same_words_conflicts() {
        let amendment = "Les maires demandent à l’État un soutien aux communes rurales.";
        let current = "Les maires demandent à l’État un soutien très massif aux communes rurales.";
        let result = rebase(BASE, amendment, current);
        assert!(!result.is_clean(), "{result:?}");
    }

    #[test]
    fn insertions_at_the_same_place_conflict_unless_identical() {
        let amendment =
            "Les maires demandent à l’État un soutien massif et pérenne aux communes rurales.";
        let current =
            "Les maires demandent à l’État un soutien massif et rapide aux communes rurales.";
        let result = rebase(BASE, amendment, current);
        assert_eq!(regions(&result), [("", "et pérenne ", "et rapide ")]);

        let amendment =
            "Les maires demandent à l’État un soutien massif, pérenne, aux communes rurales.";
        let current = "Les maires demandent à l’État un soutien massif aux communes, rurales.";
        assert!(rebase(BASE, amendment, current).is_clean());

        let result = rebase("a b", "a X b", "a Y b");
        assert_eq!(regions(&result), [("", "X ", "Y ")]);
        let result = rebase("a, b", "a X, b", "a, Y b");
        assert!(
            !result.is_clean(),
            "only a comma between the insertions: {result:?}"
        );
    }

    #[test]
    fn an_insertion_touching_the_other_sides_edit_conflicts() {
        let cases = [
            (
                "aux communes.",
                "aux petites communes.",
                "aux collectivités.",
            ),
            (
                "aux communes.",
                "aux communes rurales.",
                "aux collectivités.",
            ),
            ("aux communes.", "aux petites communes.", "aux."),
            (
                "aux communes.",
                "aux communes rurales.",
                "aux communes, rurales.",
            ),
        ];
        for (base, amendment, current) in cases {
            assert!(
                !rebase(base, amendment, current).is_clean(),
                "{amendment:?} / {current:?}"
            );
            assert!(
                !rebase(base, current, amendment).is_clean(),
                "{current:?} / {amendment:?}"
            );
        }
        // With an unchanged word between them, both are kept.
        assert_eq!(
            rebase(
                "aux communes de France.",
                "aux petites communes de France.",
                "aux communes de la République."
            ),
            clean("aux petites communes de la République.")
        );
    }

    #[test]
    fn a_conflict_covers_the_whole_rewritten_phrase() {
        let amendment =
            "Les maires demandent à l’État une aide exceptionnelle aux communes rurales.";
        let current = "Les maires demandent à l’État un plan ambitieux aux communes rurales.";
        let result = rebase(BASE, amendment, current);
        assert_eq!(
            regions(&result),
            [(
                "un soutien massif",
                "une aide exceptionnelle",
                "un plan ambitieux"
            )]
        );
    }

    #[test]
    fn resolving_a_conflict_keeps_the_other_clean_changes() {
        let amendment = "Les élu·es demandent à l’État un soutien durable aux communes rurales.";
        let current = "Les maires demandent à l’État un soutien immédiat aux communes de montagne.";
        let result = rebase(BASE, amendment, current);
        assert_eq!(regions(&result), [("massif", "durable", "immédiat")]);
        assert_eq!(
            result.resolve(Side::Ours),
            "Les élu·es demandent à l’État un soutien durable aux communes de montagne."
        );
        assert_eq!(
            result.resolve(Side::Theirs),
            "Les élu·es demandent à l’État un soutien immédiat aux communes de montagne."
        );
        assert_eq!(clean("texte").resolve(Side::Theirs), "texte");
    }

    #[test]
    fn merge_chunks_alternate_agreed_text_and_conflicts() {
        let chunks = merge_chunks("a b c", "a X c", "a Y c");
        assert_eq!(
            chunks,
            [
                MergeChunk::Resolved("a ".to_owned()),
                MergeChunk::Conflict(ConflictRegion {
                    base_tokens: 2..3,
                    ours_tokens: 2..3,
                    theirs_tokens: 2..3,
                    base: "b".to_owned(),
                    ours: "X".to_owned(),
                    theirs: "Y".to_owned(),
                }),
                MergeChunk::Resolved(" c".to_owned()),
            ]
        );
        assert!(merge_chunks("", "", "").is_empty());
    }

    /// An edit of a list of words: replace `len` words from `start` with `words`.
    #[derive(Clone, Debug)]
    struct Edit {
        start: usize,
        len: usize,
        words: Vec<String>,
    }

    fn apply(words: &[String], edits: &[&Edit]) -> String {
        // Edits are disjoint and sorted; apply from the last so indices stay valid.
        let mut words = words.to_vec();
        for edit in edits.iter().rev() {
            words.splice(
                edit.start..edit.start + edit.len,
                edit.words.iter().cloned(),
            );
        }
        words.join(" ")
    }

    /// A base of unique words and two edits separated by at least one untouched word.
    fn disjoint_edits() -> impl Strategy<Value = (Vec<String>, Edit, Edit)> {
        (3usize..20)
            .prop_flat_map(|n| {
                (Just(n), 0..n - 2).prop_flat_map(move |(n, start1)| {
                    (Just(n), Just(start1), 0..=(n - 2 - start1)).prop_flat_map(
                        move |(n, start1, len1)| {
                            let start2_min = start1 + len1 + 1;
                            (Just(n), Just(start1), Just(len1), start2_min..=n).prop_flat_map(
                                move |(n, start1, len1, start2)| {
                                    (
                                        Just(n),
                                        Just(start1),
                                        Just(len1),
                                        Just(start2),
                                        0..=(n - start2),
                                        prop::collection::vec("[a-zé]{1,6}", 0..4),
                                        prop::collection::vec("[a-zé]{1,6}", 0..4),
                                    )
                                },
                            )
                        },
                    )
                })
            })
            .prop_filter(
                "an edit must change something",
                |(_, _, len1, _, len2, words1, words2)| {
                    (*len1 > 0 || !words1.is_empty()) && (*len2 > 0 || !words2.is_empty())
                },
            )
            .prop_map(|(n, start1, len1, start2, len2, words1, words2)| {
                let base = (0..n).map(|i| format!("Mot{i}")).collect();
                let edit1 = Edit {
                    start: start1,
                    len: len1,
                    words: words1.into_iter().map(|w| format!("un{w}")).collect(),
                };
                let edit2 = Edit {
                    start: start2,
                    len: len2,
                    words: words2.into_iter().map(|w| format!("deux{w}")).collect(),
                };
                (base, edit1, edit2)
            })
    }

    fn french_words() -> impl Strategy<Value = String> {
        let token = prop::sample::select(vec![
            "le", "la", "conseil", "élu·es", "vote", " ", " ", " ", ",", ".", "«\u{a0}",
        ]);
        prop::collection::vec(token, 0..16).prop_map(|tokens| tokens.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn edits_to_disjoint_regions_merge_cleanly_and_contain_both(
            (base, first, second) in disjoint_edits(),
            amendment_edits_first in any::<bool>(),
        ) {
            let base_text = base.join(" ");
            let first_text = apply(&base, &[&first]);
            let second_text = apply(&base, &[&second]);
            let expected = apply(&base, &[&first, &second]);
            let (amendment, current) = if amendment_edits_first {
                (first_text, second_text)
            } else {
                (second_text, first_text)
            };
            prop_assert_eq!(rebase(&base_text, &amendment, &current), Rebase::Clean(expected));
        }

        #[test]
        fn an_unchanged_side_merges_to_the_other_side_chunk_by_chunk(
            base in french_words(),
            other in french_words(),
        ) {
            for (ours, theirs) in [(&base, &other), (&other, &base)] {
                let chunks = merge_chunks(&base, ours, theirs);
                prop_assert!(chunks.iter().all(|c| matches!(c, MergeChunk::Resolved(_))));
                let merged: String = chunks.iter().map(|c| match c {
                    MergeChunk::Resolved(text) => text.as_str(),
                    MergeChunk::Conflict(region) => region.ours.as_str(),
                }).collect();
                prop_assert_eq!(&merged, &other);
            }
        }

        #[test]
        fn identical_sides_merge_to_themselves_chunk_by_chunk(
            base in french_words(),
            both in french_words(),
        ) {
            let chunks = merge_chunks(&base, &both, &both);
            prop_assert_eq!(chunks.len(), usize::from(!both.is_empty()));
            if let Some(MergeChunk::Resolved(text)) = chunks.first() {
                prop_assert_eq!(text, &both);
            }
        }

        #[test]
        fn the_same_word_replaced_differently_always_conflicts(
            (base, first, _) in disjoint_edits(),
            ours_word in "[a-z]{1,6}",
            theirs_word in "[a-z]{1,6}",
        ) {
            let index = first.start.min(base.len() - 1);
            let edit = |word: String| Edit { start: index, len: 1, words: vec![word] };
            let (ours_word, theirs_word) = (format!("un{ours_word}"), format!("deux{theirs_word}"));
            let amendment = apply(&base, &[&edit(ours_word.clone())]);
            let current = apply(&base, &[&edit(theirs_word.clone())]);
            let result = rebase(&base.join(" "), &amendment, &current);
            let Rebase::Conflict { regions, .. } = &result else {
                return Err(TestCaseError::fail(format!("expected a conflict, got {result:?}")));
            };
            prop_assert!(regions.iter().any(|r| r.ours.contains(&ours_word) && r.theirs.contains(&theirs_word)));
        }

        #[test]
        fn different_insertions_at_the_same_place_always_conflict(
            (base, first, _) in disjoint_edits(),
            ours_words in prop::collection::vec("[a-z]{1,6}", 1..3),
            theirs_words in prop::collection::vec("[a-z]{1,6}", 1..3),
        ) {
            let index = first.start;
            let insert = |prefix: &str, words: &[String]| Edit {
                start: index,
                len: 0,
                words: words.iter().map(|w| format!("{prefix}{w}")).collect(),
            };
            let amendment = apply(&base, &[&insert("un", &ours_words)]);
            let current = apply(&base, &[&insert("deux", &theirs_words)]);
            let result = rebase(&base.join(" "), &amendment, &current);
            prop_assert!(!result.is_clean(), "{:?}", result);
        }

        #[test]
        fn merging_is_symmetric(base in french_words(), ours in french_words(), theirs in french_words()) {
            let forward = rebase(&base, &ours, &theirs);
            let backward = rebase(&base, &theirs, &ours);
            prop_assert_eq!(forward.is_clean(), backward.is_clean());
            if let (Rebase::Clean(forward), Rebase::Clean(backward)) = (&forward, &backward) {
                prop_assert_eq!(forward, backward);
            }
            prop_assert_eq!(forward.resolve(Side::Ours), backward.resolve(Side::Theirs));
        }

        #[test]
        fn conflict_snippets_are_the_token_slices_they_name(
            base in french_words(),
            ours in french_words(),
            theirs in french_words(),
        ) {
            let (b, o, t) = (tokenize(&base), tokenize(&ours), tokenize(&theirs));
            for chunk in merge_chunks(&base, &ours, &theirs) {
                if let MergeChunk::Conflict(region) = chunk {
                    prop_assert_eq!(b[region.base_tokens.clone()].concat(), region.base);
                    prop_assert_eq!(o[region.ours_tokens.clone()].concat(), region.ours);
                    prop_assert_eq!(t[region.theirs_tokens.clone()].concat(), region.theirs);
                }
            }
        }
    }
}
