//! Data sent to the pages. Small, serializable, and free of database types.

use domain::motion::Phase;
use serde::{Deserialize, Serialize};

/// What the header shows on every page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The edition in progress or coming next, if any.
    pub current_edition: Option<String>,
}

/// An edition on the home page, with its motions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub place: String,
    /// ISO 8601 dates (`2026-10-15`), formatted for people by the page.
    pub starts_on: String,
    pub ends_on: String,
    pub motions: Vec<MotionSummary>,
}

/// A motion in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionSummary {
    pub id: i32,
    pub title: String,
    pub phase: Phase,
    pub paragraph_count: usize,
}

/// A motion as read: its sections and numbered paragraphs at the current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionView {
    pub id: i32,
    pub edition_title: String,
    pub title: String,
    pub preamble: String,
    pub phase: Phase,
    pub line_width: usize,
    pub sections: Vec<SectionView>,
    /// The last event of the motion's log this view includes: where a live client starts.
    pub seq: i64,
    /// What the congress debates now.
    pub current_item: Option<DebateItemView>,
}

/// The item under debate, with what the pages need to show and find it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebateItemView {
    /// The paragraph debated, or the one the debated amendment changes (or follows, for an insertion).
    pub paragraph_id: Option<i32>,
    /// The amendment debated, if it is one.
    pub amendment_id: Option<i32>,
    /// Its number.
    pub amendment_number: Option<u32>,
}

/// A titled section of a motion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: i32,
    pub title: String,
    pub paragraphs: Vec<ParagraphView>,
}

/// A paragraph at its current version, already cut into numbered lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphView {
    /// The stable id: it survives every edit and move.
    pub id: i32,
    /// 1-based position in the whole motion, for people ("Paragraphe 4").
    pub ordinal: usize,
    pub version: i32,
    pub first_line: u32,
    pub lines: Vec<String>,
    /// Pending (filed or admissible) amendments replacing or deleting it, or inserting after it.
    pub pending_amendments: usize,
}
