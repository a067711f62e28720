//! Paragraphs and sections of a motion as the reducer builds them: a stable id, its section, its
//! current version and the full, immutable history of its versions with their provenance.
//!
//! Owns the version and provenance model. Built only by [`crate::motion_state::MotionState::apply`];
//! pure: no IO, no clock, no randomness.

use serde::{Deserialize, Serialize};

use crate::ids::{AmendmentId, BallotId, ParagraphId, SectionId, VersionNumber};

/// Why a paragraph version (or a paragraph's deletion, or an inserted paragraph) exists.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Provenance {
    /// The text of the draft as imported or written first.
    Initial,
    /// An amendment was adopted, by a ballot once ballots exist (`None`: adopted by hand).
    Amendment {
        /// The adopted amendment.
        amendment: AmendmentId,
        /// The ballot that adopted it, if any.
        ballot: Option<BallotId>,
    },
    /// An organizer fixed the wording (typo, typography); the reason is mandatory and non-empty.
    EditorialFix {
        /// Why, as written by the organizer (normalized, non-empty).
        reason: String,
    },
    /// An organizer edited the draft before amendments opened.
    DraftEdit,
    /// A ballot on the paragraph itself rejected it (the paragraph is deleted).
    Ballot {
        /// The ballot.
        ballot: BallotId,
    },
}

/// One immutable version of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphVersion {
    /// Its number: 1 for the initial text, then consecutive.
    pub version: VersionNumber,
    /// Its text (normalized by the command that produced it).
    pub text: String,
    /// Why it exists.
    pub provenance: Provenance,
}

/// A paragraph with its history.
///
/// Invariants (as built by the reducer): `history` is not empty, numbered `1..=n` in order, and its
/// last entry has `version` and `text`; a deleted paragraph keeps its id, place and history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Stable id.
    pub id: ParagraphId,
    /// The section holding it.
    pub section: SectionId,
    /// Current version number.
    pub version: VersionNumber,
    /// Current text.
    pub text: String,
    /// Why it was deleted, if it was.
    pub deletion: Option<Provenance>,
    /// Every version, oldest first.
    pub history: Vec<ParagraphVersion>,
}

impl Paragraph {
    /// Whether the paragraph was deleted (by an adopted amendment).
    #[must_use]
    pub fn is_deleted(&self) -> bool {
        self.deletion.is_some()
    }

    /// The text of version `version`, if it exists.
    #[must_use]
    pub fn text_at(&self, version: VersionNumber) -> Option<&str> {
        self.history
            .iter()
            .find(|entry| entry.version == version)
            .map(|entry| entry.text.as_str())
    }
}

/// A titled section; holds its paragraphs' ids in reading order, deleted ones included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stable id.
    pub id: SectionId,
    /// Its position among the sections (sections are kept sorted by it).
    pub position: u32,
    /// Its title.
    pub title: String,
    /// Its paragraphs in reading order, deleted ones included (their place stays known).
    pub paragraphs: Vec<ParagraphId>,
}
