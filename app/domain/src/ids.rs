//! Typed identifiers of the domain: members, motions, sections, paragraphs, amendments, ballots, and
//! paragraph version numbers.
//!
//! Owns nothing but the types: ids are allocated by the store (database keys) and passed in by
//! callers, never generated here. Pure: no IO, no clock, no randomness, no other module of this
//! crate.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares a transparent `i32` id newtype with its traits and docs.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Invariant: none beyond being the store's key; serialized as the bare integer.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl $name {
            /// The raw integer, as stored.
            #[must_use]
            pub fn get(self) -> i32 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<i32> for $name {
            fn from(raw: i32) -> Self {
                Self(raw)
            }
        }
    };
}

id_type!(
    /// A member (participant·e) of an edition.
    MemberId
);
id_type!(
    /// A motion.
    MotionId
);
id_type!(
    /// A titled section of a motion.
    SectionId
);
id_type!(
    /// A paragraph: stable across every edit, reordering and deletion.
    ParagraphId
);
id_type!(
    /// An amendment (its database key, not its human number "Amendement n° N").
    AmendmentId
);
id_type!(
    /// A ballot (scrutin).
    BallotId
);

/// The number of a paragraph's version: 1 is the initial text, each new version adds one.
///
/// Invariant: versions of one paragraph are numbered `1..=n` without gaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionNumber(pub u32);

impl VersionNumber {
    /// The first version of every paragraph.
    pub const INITIAL: VersionNumber = VersionNumber(1);

    /// The raw number, as stored.
    #[must_use]
    pub fn get(self) -> u32 {
        self.0
    }

    /// The version after this one (saturating at `u32::MAX`).
    #[must_use]
    pub fn next(self) -> VersionNumber {
        VersionNumber(self.0.saturating_add(1))
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_bare_integers_and_display_as_such() {
        let cases = [
            (
                serde_json::to_string(&MemberId(7)).ok(),
                "7",
                MemberId(7).to_string(),
            ),
            (
                serde_json::to_string(&ParagraphId(-1)).ok(),
                "-1",
                ParagraphId(-1).to_string(),
            ),
            (
                serde_json::to_string(&VersionNumber(3)).ok(),
                "3",
                VersionNumber(3).to_string(),
            ),
        ];
        for (json, expected, shown) in cases {
            assert_eq!(json.as_deref(), Some(expected));
            assert_eq!(shown, expected);
        }
        assert_eq!(
            serde_json::from_str::<AmendmentId>("42").ok(),
            Some(AmendmentId(42))
        );
    }

    #[test]
    fn the_version_after_the_initial_one_is_two() {
        assert_eq!(VersionNumber::INITIAL.next(), VersionNumber(2));
        assert_eq!(VersionNumber(u32::MAX).next(), VersionNumber(u32::MAX));
    }
}
