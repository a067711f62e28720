//! The primitives of a motion's append-only, hash-chained event log: the canonical form of an
//! event, the hash that links it to the previous one, and the verification of a chain.
//!
//! Owns the byte-exact contract that offline verifiers of an exported dossier rely on. Depends on
//! `serde_json`, `sha2` and Unicode normalization only: no IO, no clock, no randomness, no database
//! and no knowledge of what the events mean.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The `prev_hash` of the first event of every log: 64 ASCII zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The sequence number of the first event of every log. Sequence numbers then increase by one.
pub const FIRST_SEQ: u64 = 1;

/// Serializes a JSON value in the canonical form that is hashed.
///
/// The form, which is part of the public contract:
/// - no insignificant whitespace (no space after `:` or `,`, no newline);
/// - object keys sorted recursively, by the bytes of their UTF-8 encoding (that is, by Unicode
///   code point — not by UTF-16 code units as RFC 8785 does; the two orders differ only between
///   characters above U+FFFF and U+E000..=U+FFFF);
/// - every string, object keys included, put in Unicode Normalization Form C (NFC) before it is
///   written and before keys are sorted;
/// - strings written with the minimal JSON escapes of `serde_json`: `\"`, `\\`, `\b`, `\f`, `\n`,
///   `\r`, `\t`, other characters below U+0020 as `\u00XX` (lowercase hex); everything else,
///   non-ASCII included, as raw UTF-8;
/// - numbers as `serde_json` writes them: integers in decimal, floats in their shortest
///   round-trip form (events should avoid floats);
/// - `true`, `false`, `null` as such; array order kept.
///
/// If two keys of one object become equal once normalized (which only a hand-made value can
/// cause), both members are kept, ordered by their canonical value, so nothing is lost.
#[must_use]
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&value.to_string()),
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut members: Vec<(String, String)> = members
                .iter()
                .map(|(key, value)| (key.nfc().collect(), canonical_json(value)))
                .collect();
            members.sort();
            out.push('{');
            for (index, (key, value)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                out.push_str(value);
            }
            out.push('}');
        }
    }
}

/// Writes `text`, NFC-normalized, as a JSON string.
fn write_string(text: &str, out: &mut String) {
    let normalized: String = text.nfc().collect();
    // A `Value::String` always serializes.
    out.push_str(&Value::String(normalized).to_string());
}

/// The hash of one link of the chain, as lowercase hexadecimal SHA-256.
///
/// Exact byte layout hashed (public contract for offline verifiers):
///
/// ```text
/// SHA-256( prev_hash  0x0A  seq  0x0A  canonical_event )
/// ```
///
/// - `prev_hash`: the previous link's `hash` as given — 64 lowercase hex ASCII characters — or
///   [`GENESIS_HASH`] for the first event;
/// - `0x0A`: one line feed byte (`"\n"`);
/// - `seq`: the event's sequence number in ASCII decimal, no sign, no leading zero (`"1"`, `"42"`);
/// - `canonical_event`: the event's UTF-8 bytes as produced by [`canonical_json`], with no
///   trailing newline.
///
/// The result is 64 lowercase hexadecimal characters.
#[must_use]
pub fn chain_hash(prev_hash: &str, seq: u64, canonical_event: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(seq.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical_event.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// One stored event of the log, with the hashes that chain it.
///
/// Invariant of a valid chain: `hash == chain_hash(&prev_hash, seq, &canonical)`, and `prev_hash`
/// is the previous link's `hash` ([`GENESIS_HASH`] for seq [`FIRST_SEQ`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    /// Position in the log, from [`FIRST_SEQ`], without gaps.
    pub seq: u64,
    /// The event in canonical JSON (see [`canonical_json`]).
    pub canonical: String,
    /// The `hash` of the previous link, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// `chain_hash(prev_hash, seq, canonical)`.
    pub hash: String,
}

impl ChainLink {
    /// Builds the link that follows `previous` (or the first link, if `None`) for an event already
    /// in canonical form, computing its seq, `prev_hash` and hash.
    #[must_use]
    pub fn after(previous: Option<&ChainLink>, canonical: String) -> ChainLink {
        let (seq, prev_hash) = match previous {
            Some(link) => (link.seq.saturating_add(1), link.hash.clone()),
            None => (FIRST_SEQ, GENESIS_HASH.to_owned()),
        };
        let hash = chain_hash(&prev_hash, seq, &canonical);
        ChainLink {
            seq,
            canonical,
            prev_hash,
            hash,
        }
    }
}

/// The first place where a chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BrokenLink {
    /// A link does not carry the next sequence number: one was removed, inserted or moved.
    #[error("expected the event with seq {expected}, found seq {found}")]
    SeqGap {
        /// The sequence number that should come next.
        expected: u64,
        /// The sequence number found instead.
        found: u64,
    },
    /// The link's `prev_hash` is not the previous link's `hash` (or the genesis hash).
    #[error("the event with seq {seq} does not point to the hash of the event before it")]
    PrevHashMismatch {
        /// The sequence number of the offending link.
        seq: u64,
    },
    /// The link's `hash` is not the hash of its content: the event or the hash was altered.
    #[error("the hash of the event with seq {seq} does not match its content")]
    HashMismatch {
        /// The sequence number of the offending link.
        seq: u64,
    },
}

/// A point of a chain to verify from: the seq and hash of the last link already trusted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The seq of the trusted link (`FIRST_SEQ - 1`, i.e. 0, for the genesis).
    pub seq: u64,
    /// The hash of the trusted link ([`GENESIS_HASH`] for the genesis).
    pub hash: String,
}

impl Anchor {
    /// The start of every log: before seq [`FIRST_SEQ`], with [`GENESIS_HASH`].
    #[must_use]
    pub fn genesis() -> Anchor {
        Anchor {
            seq: FIRST_SEQ - 1,
            hash: GENESIS_HASH.to_owned(),
        }
    }
}

/// Verifies a whole log, from its first event, in order.
///
/// For each link, in this order: its seq is the previous one plus one (the first is
/// [`FIRST_SEQ`]); its `prev_hash` is the previous link's `hash` ([`GENESIS_HASH`] for the first);
/// its `hash` is [`chain_hash`] of its own `prev_hash`, seq and canonical event. An empty log is
/// valid. The canonical text is hashed as stored; it is not re-canonicalized.
///
/// # Errors
/// The first broken link, as a [`BrokenLink`]: `SeqGap` for a missing, extra or reordered link,
/// `PrevHashMismatch` for a link that does not point to its predecessor, `HashMismatch` for a
/// link whose content or hash was altered.
pub fn verify_chain<'a>(links: impl IntoIterator<Item = &'a ChainLink>) -> Result<(), BrokenLink> {
    verify_chain_from(&Anchor::genesis(), links)
}

/// Verifies a segment of a log that continues from a trusted `anchor` (e.g. the events after a
/// seq a client already verified).
///
/// Same checks as [`verify_chain`], the anchor playing the previous link.
///
/// # Errors
/// The first broken link, as for [`verify_chain`].
pub fn verify_chain_from<'a>(
    anchor: &Anchor,
    links: impl IntoIterator<Item = &'a ChainLink>,
) -> Result<(), BrokenLink> {
    let mut expected_seq = anchor.seq.saturating_add(1);
    let mut prev_hash: &str = &anchor.hash;
    for link in links {
        if link.seq != expected_seq {
            return Err(BrokenLink::SeqGap {
                expected: expected_seq,
                found: link.seq,
            });
        }
        if link.prev_hash != prev_hash {
            return Err(BrokenLink::PrevHashMismatch { seq: link.seq });
        }
        if chain_hash(&link.prev_hash, link.seq, &link.canonical) != link.hash {
            return Err(BrokenLink::HashMismatch { seq: link.seq });
        }
        expected_seq = expected_seq.saturating_add(1);
        prev_hash = &link.hash;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_recursively_without_whitespace() {
        let value = json!({
            "type": "amendment_filed",
            "amendment": { "paragraph": 12, "author": "m-7", "co_signatories": ["m-2", "m-1"] },
            "at": "2025-11-22T09:30:00Z",
            "flags": { "z": true, "a": null, "m": 1.5 },
        });
        assert_eq!(
            canonical_json(&value),
            concat!(
                r#"{"amendment":{"author":"m-7","co_signatories":["m-2","m-1"],"paragraph":12},"#,
                r#""at":"2025-11-22T09:30:00Z","flags":{"a":null,"m":1.5,"z":true},"#,
                r#""type":"amendment_filed"}"#
            )
        );
    }

    #[test]
    fn canonical_json_normalizes_strings_to_nfc_and_keeps_them_raw() {
        let decomposed =
            json!({ "te\u{301}xte": "Saint-E\u{301}tienne, «\u{a0}oui\u{a0}»\n\"fin\"" });
        let composed = json!({ "t\u{e9}xte": "Saint-\u{c9}tienne, «\u{a0}oui\u{a0}»\n\"fin\"" });
        let expected = "{\"t\u{e9}xte\":\"Saint-\u{c9}tienne, «\u{a0}oui\u{a0}»\\n\\\"fin\\\"\"}";
        assert_eq!(canonical_json(&decomposed), expected);
        assert_eq!(canonical_json(&composed), expected);
    }

    #[test]
    fn canonical_json_writes_scalars_and_escapes_controls() {
        let cases = [
            (json!(null), "null"),
            (json!(true), "true"),
            (json!(-42), "-42"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!("a\u{1}b\tc"), "\"a\\u0001b\\tc\""),
            (json!([3, [], {}]), "[3,[],{}]"),
        ];
        for (value, expected) in cases {
            assert_eq!(canonical_json(&value), expected);
        }
    }

    #[test]
    fn keys_equal_once_normalized_are_both_kept_in_a_fixed_order() {
        let mut object = serde_json::Map::new();
        object.insert("e\u{301}".to_owned(), json!(2));
        object.insert("\u{e9}".to_owned(), json!(1));
        assert_eq!(
            canonical_json(&Value::Object(object)),
            "{\"\u{e9}\":1,\"\u{e9}\":2}"
        );
    }

    #[test]
    fn chain_hash_follows_the_documented_byte_layout() {
        // Independent of `chain_hash`: hash the documented bytes directly.
        let event = r#"{"type":"motion_opened"}"#;
        let bytes = format!("{GENESIS_HASH}\n1\n{event}");
        let expected: String = Sha256::digest(bytes.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(chain_hash(GENESIS_HASH, 1, event), expected);
        assert_eq!(expected.len(), 64);
        assert!(
            expected
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
    }

    #[test]
    fn chain_hash_matches_a_known_vector() {
        // SHA-256 of the 69 bytes "000…000\n1\n{}" (64 zeros), computed with `sha256sum`.
        assert_eq!(
            chain_hash(GENESIS_HASH, 1, "{}"),
            "857ee6299d26533d1f5f46c02209ae8bc34dc4898a8a9545493946b4ea59d6f3"
        );
    }

    #[test]
    fn genesis_hash_is_64_zeros() {
        assert_eq!(GENESIS_HASH.len(), 64);
        assert!(GENESIS_HASH.chars().all(|c| c == '0'));
    }

    fn chain(events: usize) -> Vec<ChainLink> {
        let mut links: Vec<ChainLink> = Vec::with_capacity(events);
        for index in 0..events {
            let event =
                canonical_json(&json!({ "type": "vote_cast", "n": index, "choix": "pour" }));
            let link = ChainLink::after(links.last(), event);
            links.push(link);
        }
        links
    }

    #[test]
    fn a_chain_built_link_by_link_verifies() {
        let links = chain(5);
        assert_eq!(links[0].seq, FIRST_SEQ);
        assert_eq!(links[0].prev_hash, GENESIS_HASH);
        assert_eq!(links[4].seq, 5);
        assert_eq!(verify_chain(&links), Ok(()));
        assert_eq!(verify_chain(&[]), Ok(()));
    }

    #[test]
    fn tampering_is_detected_at_the_right_seq() {
        type Tamper = fn(&mut Vec<ChainLink>);
        let cases: [(&str, Tamper, BrokenLink); 8] = [
            (
                "payload of seq 3 altered",
                |links| links[2].canonical = links[2].canonical.replace("pour", "contre"),
                BrokenLink::HashMismatch { seq: 3 },
            ),
            (
                "hash of seq 2 altered",
                |links| links[1].hash = "f".repeat(64),
                BrokenLink::HashMismatch { seq: 2 },
            ),
            (
                "payload and hash of seq 2 rewritten consistently",
                |links| {
                    links[1].canonical = links[1].canonical.replace("pour", "contre");
                    links[1].hash = chain_hash(&links[1].prev_hash, 2, &links[1].canonical);
                },
                BrokenLink::PrevHashMismatch { seq: 3 },
            ),
            (
                "seq 3 deleted",
                |links| {
                    links.remove(2);
                },
                BrokenLink::SeqGap {
                    expected: 3,
                    found: 4,
                },
            ),
            (
                "first link deleted",
                |links| {
                    links.remove(0);
                },
                BrokenLink::SeqGap {
                    expected: 1,
                    found: 2,
                },
            ),
            (
                "seq 2 and 3 swapped",
                |links| links.swap(1, 2),
                BrokenLink::SeqGap {
                    expected: 2,
                    found: 3,
                },
            ),
            (
                "seq 2 and 3 swapped and renumbered",
                |links| {
                    links.swap(1, 2);
                    links[1].seq = 2;
                    links[2].seq = 3;
                },
                BrokenLink::PrevHashMismatch { seq: 2 },
            ),
            (
                "seq 4 deleted and the rest renumbered",
                |links| {
                    links.remove(3);
                    links[3].seq = 4;
                },
                BrokenLink::PrevHashMismatch { seq: 4 },
            ),
        ];
        for (what, tamper, expected) in cases {
            let mut links = chain(5);
            tamper(&mut links);
            assert_eq!(verify_chain(&links), Err(expected), "{what}");
        }
    }

    #[test]
    fn a_first_link_not_pointing_to_the_genesis_is_refused() {
        let mut links = chain(2);
        links[0].prev_hash = "1".repeat(64);
        links[0].hash = chain_hash(&links[0].prev_hash, 1, &links[0].canonical);
        assert_eq!(
            verify_chain(&links),
            Err(BrokenLink::PrevHashMismatch { seq: 1 })
        );
    }

    #[test]
    fn a_segment_verifies_from_a_trusted_anchor() {
        let links = chain(6);
        let anchor = Anchor {
            seq: links[2].seq,
            hash: links[2].hash.clone(),
        };
        assert_eq!(verify_chain_from(&anchor, &links[3..]), Ok(()));
        assert_eq!(
            verify_chain_from(&anchor, &links[4..]),
            Err(BrokenLink::SeqGap {
                expected: 4,
                found: 5
            })
        );
        let wrong_anchor = Anchor {
            seq: 3,
            hash: links[1].hash.clone(),
        };
        assert_eq!(
            verify_chain_from(&wrong_anchor, &links[3..]),
            Err(BrokenLink::PrevHashMismatch { seq: 4 })
        );
    }

    #[test]
    fn broken_links_say_what_happened() {
        assert_eq!(
            BrokenLink::SeqGap {
                expected: 3,
                found: 4
            }
            .to_string(),
            "expected the event with seq 3, found seq 4"
        );
        assert_eq!(
            BrokenLink::HashMismatch { seq: 7 }.to_string(),
            "the hash of the event with seq 7 does not match its content"
        );
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-zé\u{301} «»\"\\\\\n]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-zé]{0,4}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn canonical_json_is_valid_json_and_a_fixed_point(value in json_value()) {
            let canonical = canonical_json(&value);
            let parsed: Value = serde_json::from_str(&canonical)
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            prop_assert_eq!(canonical_json(&parsed), canonical);
        }

        #[test]
        fn canonical_json_ignores_key_insertion_order(
            members in prop::collection::vec(("[a-z]{1,4}", any::<i64>()), 0..8),
        ) {
            let forward: serde_json::Map<String, Value> =
                members.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
            let backward: serde_json::Map<String, Value> =
                members.iter().rev().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
            // Same keys; with duplicates the last insertion wins, so compare only if no duplicate.
            let mut keys: Vec<&String> = members.iter().map(|(k, _)| k).collect();
            keys.sort();
            keys.dedup();
            prop_assume!(keys.len() == members.len());
            prop_assert_eq!(
                canonical_json(&Value::Object(forward)),
                canonical_json(&Value::Object(backward))
            );
        }

        #[test]
        fn altering_any_one_link_is_detected_at_that_link(
            length in 1usize..12,
            target in 0usize..12,
            byte in any::<u8>(),
        ) {
            let mut links = chain(length);
            let target = target % length;
            let mut canonical = links[target].canonical.clone().into_bytes();
            let position = usize::from(byte) % canonical.len();
            canonical[position] = if canonical[position] == b'x' { b'y' } else { b'x' };
            links[target].canonical = String::from_utf8_lossy(&canonical).into_owned();
            let seq = links[target].seq;
            prop_assert_eq!(verify_chain(&links), Err(BrokenLink::HashMismatch { seq }));
        }
    }
}
