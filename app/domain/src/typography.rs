//! French typography for display: typographic apostrophes and the no-break spaces French puts around
//! some punctuation. Applied to what people read (the reader, the projector, every export), never to
//! what is stored, so the log keeps exactly what authors wrote.
//!
//! Owns [`french`]; depends on nothing else of the crate. Pure: no IO, no clock, no randomness.

use crate::text::{NARROW_NO_BREAK_SPACE, NO_BREAK_SPACE};

/// Sets a normalized text (see [`crate::text::normalize`]) in French typography:
/// - `'` becomes the typographic apostrophe `’`;
/// - before `;`, `!` and `?`: a narrow no-break space (U+202F), replacing a plain space or inserted
///   after a word (when the mark ends the word: followed by a space, the end, or closing
///   punctuation — so `?id=3` in an address is left alone);
/// - before `:`: a no-break space (U+00A0), likewise (`10:30` and `https://` are left alone);
/// - after `«` and before `»`: a no-break space, replacing a plain space or inserted.
///
/// A space is never added twice: a no-break space already there is kept. Line breaking happens after
/// this pass (see [`crate::lines::wrap`]), so a mark is never alone at the start of a line.
///
/// Invariants: `french(&french(t)) == french(t)`; letters and digits are unchanged and in order.
#[must_use]
pub fn french(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 8);
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        let next = chars.get(index + 1).copied();
        match c {
            '\'' => out.push('’'),
            ';' | '!' | '?' => {
                space_before(&mut out, NARROW_NO_BREAK_SPACE, ends_word(next));
                out.push(c);
            }
            ':' => {
                space_before(&mut out, NO_BREAK_SPACE, ends_word(next));
                out.push(c);
            }
            '«' => {
                out.push(c);
                match next {
                    Some(' ') => {
                        out.push(NO_BREAK_SPACE);
                        index += 1;
                    }
                    Some(n) if !n.is_whitespace() => out.push(NO_BREAK_SPACE),
                    _ => {}
                }
            }
            '»' => {
                space_before(&mut out, NO_BREAK_SPACE, true);
                out.push(c);
            }
            _ => out.push(c),
        }
        index += 1;
    }
    out.into_iter().collect()
}

/// Puts `space` before the mark about to be written: replaces a plain space, or inserts one after a
/// word when `insert` allows it.
fn space_before(out: &mut Vec<char>, space: char, insert: bool) {
    match out.last() {
        Some(' ') => {
            out.pop();
            out.push(space);
        }
        Some(&previous) if insert && (previous.is_alphanumeric() || is_closing(previous)) => {
            out.push(space);
        }
        _ => {}
    }
}

fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '»' | '’' | '"')
}

/// Whether a mark followed by `next` ends a word (rather than sitting inside an address or a time).
fn ends_word(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(n) => n.is_whitespace() || matches!(n, ')' | ']' | '»' | '"' | '.' | ',' | '!' | '?'),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NB: char = NO_BREAK_SPACE;
    const NNB: char = NARROW_NO_BREAK_SPACE;

    #[test]
    fn french_marks_get_their_no_break_spaces_whether_or_not_the_author_typed_a_space() {
        let cases = [
            ("Pourquoi ?", format!("Pourquoi{NNB}?")),
            ("Pourquoi?", format!("Pourquoi{NNB}?")),
            ("Enfin !", format!("Enfin{NNB}!")),
            ("d'abord ; ensuite", format!("d’abord{NNB}; ensuite")),
            ("trois points : un", format!("trois points{NB}: un")),
            ("points: un", format!("points{NB}: un")),
            ("« texte »", format!("«{NB}texte{NB}»")),
            ("«texte»", format!("«{NB}texte{NB}»")),
            ("l'inclusion numérique", "l’inclusion numérique".to_owned()),
            ("Quoi ?!", format!("Quoi{NNB}?!")),
        ];
        for (input, expected) in cases {
            assert_eq!(french(input), expected, "{input}");
        }
    }

    #[test]
    fn times_addresses_and_queries_are_left_alone() {
        for text in ["à 10:30", "https://example.fr/a", "page?id=3", "x;y"] {
            assert_eq!(french(text), text);
        }
    }

    #[test]
    fn typed_no_break_spaces_are_kept_not_doubled() {
        let typed = format!("«{NB}déjà{NB}» et ceci{NB}: oui{NNB}!");
        assert_eq!(french(&typed), typed);
    }

    proptest! {
        #[test]
        fn the_pass_is_idempotent_and_keeps_letters_in_order(text in "[a-zé' ;:!?«»0-9]{0,40}") {
            let once = french(&text);
            prop_assert_eq!(french(&once), once.clone());
            let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            prop_assert_eq!(letters(&once), letters(&text));
        }
    }
}
