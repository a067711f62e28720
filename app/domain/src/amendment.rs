//! Amendments: what they target, their statuses, why they fall, and where a stale one stands after
//! a rebase.
//!
//! Owns the amendment model read by the UI and the commands. Built only by
//! [`crate::motion_state::MotionState::apply`]; pure: no IO, no clock, no randomness.

use serde::{Deserialize, Serialize};

use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId, SectionId, VersionNumber};
use crate::merge::ConflictRegion;

/// What an amendment changes. Points to paragraph ids and versions, never to line numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AmendmentTarget {
    /// Replace the paragraph's text with `text`.
    Replace {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The version the author saw and amended.
        base_version: VersionNumber,
        /// The proposed text (normalized).
        text: String,
    },
    /// Delete the paragraph.
    Delete {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The version the author saw.
        base_version: VersionNumber,
    },
    /// Insert a new paragraph in `section`, after `after` (`None`: at the start of the section).
    InsertAfter {
        /// The section.
        section: SectionId,
        /// The paragraph it follows, if any (it must be in `section`).
        after: Option<ParagraphId>,
        /// The proposed text (normalized).
        text: String,
    },
}

impl AmendmentTarget {
    /// The stable code of the kind of change (`replace`, `delete`, `insert`), stored and used on the wire.
    #[must_use]
    pub fn kind_code(&self) -> &'static str {
        match self {
            AmendmentTarget::Replace { .. } => "replace",
            AmendmentTarget::Delete { .. } => "delete",
            AmendmentTarget::InsertAfter { .. } => "insert",
        }
    }

    /// The paragraph replaced or deleted; `None` for an insertion.
    #[must_use]
    pub fn paragraph(&self) -> Option<ParagraphId> {
        match self {
            AmendmentTarget::Replace { paragraph, .. }
            | AmendmentTarget::Delete { paragraph, .. } => Some(*paragraph),
            AmendmentTarget::InsertAfter { .. } => None,
        }
    }

    /// The version the author saw; `None` for an insertion.
    #[must_use]
    pub fn base_version(&self) -> Option<VersionNumber> {
        match self {
            AmendmentTarget::Replace { base_version, .. }
            | AmendmentTarget::Delete { base_version, .. } => Some(*base_version),
            AmendmentTarget::InsertAfter { .. } => None,
        }
    }

    /// The text as the author wrote it; `None` for a deletion.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match self {
            AmendmentTarget::Replace { text, .. } | AmendmentTarget::InsertAfter { text, .. } => {
                Some(text)
            }
            AmendmentTarget::Delete { .. } => None,
        }
    }
}

/// What an author submits to file or edit an amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentDraft {
    /// What it changes; for a replacement or deletion, with the version the author saw.
    pub target: AmendmentTarget,
    /// The rationale (exposé des motifs); may be empty.
    pub rationale: String,
}

/// Why a pending amendment can no longer apply.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FallReason {
    /// Its paragraph was deleted by adopting amendment `by`.
    TargetDeleted {
        /// The adopted deletion.
        by: AmendmentId,
    },
    /// The text adopted with `amendment` already reads exactly as this one proposes.
    SupersededBy {
        /// The adopted amendment.
        amendment: AmendmentId,
    },
    /// Version `version` (an editorial fix or a draft edit) already reads exactly as this one
    /// proposes.
    AlreadyInText {
        /// The version that made the change.
        version: VersionNumber,
    },
    /// A ballot on its paragraph rejected the paragraph, which was deleted.
    ParagraphRejected {
        /// The ballot.
        ballot: BallotId,
    },
}

/// Where an amendment stands. Exactly one status at a time; `Filed` and `Admissible` are pending,
/// the others are final.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AmendmentStatus {
    /// Déposé: filed, gathering co-signatures.
    Filed,
    /// Recevable: declared admissible by the organizers.
    Admissible,
    /// Irrecevable, with the organizers' reason.
    Inadmissible {
        /// Why (normalized, non-empty).
        reason: String,
    },
    /// Retiré by its author.
    Withdrawn,
    /// Adopté.
    Adopted,
    /// Rejeté.
    Rejected,
    /// Tombé: can no longer apply.
    Fallen {
        /// Why.
        reason: FallReason,
    },
}

impl AmendmentStatus {
    /// The status without its details.
    #[must_use]
    pub fn status_code(&self) -> AmendmentStatusCode {
        match self {
            AmendmentStatus::Filed => AmendmentStatusCode::Filed,
            AmendmentStatus::Admissible => AmendmentStatusCode::Admissible,
            AmendmentStatus::Inadmissible { .. } => AmendmentStatusCode::Inadmissible,
            AmendmentStatus::Withdrawn => AmendmentStatusCode::Withdrawn,
            AmendmentStatus::Adopted => AmendmentStatusCode::Adopted,
            AmendmentStatus::Rejected => AmendmentStatusCode::Rejected,
            AmendmentStatus::Fallen { .. } => AmendmentStatusCode::Fallen,
        }
    }

    /// The stable code (`"filed"`, `"admissible"`, …); the UI translates it.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.status_code().code()
    }

    /// Whether the amendment is still pending (filed or admissible).
    #[must_use]
    pub fn is_pending(&self) -> bool {
        matches!(self, AmendmentStatus::Filed | AmendmentStatus::Admissible)
    }
}

/// An amendment status without its details: for refusals, filters and storage.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AmendmentStatusCode {
    /// See [`AmendmentStatus::Filed`].
    Filed,
    /// See [`AmendmentStatus::Admissible`].
    Admissible,
    /// See [`AmendmentStatus::Inadmissible`].
    Inadmissible,
    /// See [`AmendmentStatus::Withdrawn`].
    Withdrawn,
    /// See [`AmendmentStatus::Adopted`].
    Adopted,
    /// See [`AmendmentStatus::Rejected`].
    Rejected,
    /// See [`AmendmentStatus::Fallen`].
    Fallen,
}

impl AmendmentStatusCode {
    /// Every status code.
    pub const ALL: [AmendmentStatusCode; 7] = [
        AmendmentStatusCode::Filed,
        AmendmentStatusCode::Admissible,
        AmendmentStatusCode::Inadmissible,
        AmendmentStatusCode::Withdrawn,
        AmendmentStatusCode::Adopted,
        AmendmentStatusCode::Rejected,
        AmendmentStatusCode::Fallen,
    ];

    /// The stable code stored in the database and used in the API.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Where a stale amendment stands after the paragraph changed under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Rebasing {
    /// Rebased cleanly (or its conflict resolved): `text` applies to `onto_version`.
    Rebased {
        /// The paragraph version the text applies to.
        onto_version: VersionNumber,
        /// The amendment's text against that version.
        text: String,
    },
    /// The amendment's changes overlap the changes made since its base: a person must decide.
    Conflicted {
        /// The paragraph version the rebase was attempted onto.
        onto_version: VersionNumber,
        /// The overlapping regions (never empty).
        regions: Vec<ConflictRegion>,
    },
}

/// An amendment as the reducer builds it.
///
/// Invariants (as built by the reducer): `cosigners` has no duplicate and never holds `author`;
/// `rebasing` is only set for a replacement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// Stable id (the store's key).
    pub id: AmendmentId,
    /// Human number, sequential per motion from 1 ("Amendement n° 3").
    pub number: u32,
    /// Who filed it.
    pub author: MemberId,
    /// What it changes, as the author wrote it.
    pub target: AmendmentTarget,
    /// The rationale.
    pub rationale: String,
    /// Co-signatories, in signing order.
    pub cosigners: Vec<MemberId>,
    /// Members its author invited to co-sign, in invitation order (they stay listed once they sign).
    pub invited: Vec<MemberId>,
    /// Its one status.
    pub status: AmendmentStatus,
    /// For a replacement written against an older version: its rebase or conflict.
    pub rebasing: Option<Rebasing>,
}

impl Amendment {
    /// Whether it is still pending (filed or admissible).
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.status.is_pending()
    }

    /// Whether it waits for a conflict to be resolved.
    #[must_use]
    pub fn is_conflicted(&self) -> bool {
        matches!(self.rebasing, Some(Rebasing::Conflicted { .. }))
    }

    /// The number of co-signatories.
    #[must_use]
    pub fn cosigner_count(&self) -> u32 {
        u32::try_from(self.cosigners.len()).unwrap_or(u32::MAX)
    }

    /// The paragraph version the amendment's text applies to: its rebase target if rebased (or
    /// conflicted), else the version the author saw; `None` for an insertion.
    #[must_use]
    pub fn applies_to(&self) -> Option<VersionNumber> {
        match &self.rebasing {
            Some(
                Rebasing::Rebased { onto_version, .. } | Rebasing::Conflicted { onto_version, .. },
            ) => Some(*onto_version),
            None => self.target.base_version(),
        }
    }

    /// The text it would give the paragraph now: the rebased text if rebased, the author's text
    /// otherwise; `None` for a deletion or while in conflict.
    #[must_use]
    pub fn proposed_text(&self) -> Option<&str> {
        match &self.rebasing {
            Some(Rebasing::Rebased { text, .. }) => Some(text),
            Some(Rebasing::Conflicted { .. }) => None,
            None => self.target.text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_code_round_trips_and_matches_the_status() {
        for code in AmendmentStatusCode::ALL {
            assert_eq!(AmendmentStatusCode::from_code(code.code()), Some(code));
            assert_eq!(serde_json::to_value(code).ok(), Some(code.code().into()));
        }
        let statuses = [
            (AmendmentStatus::Filed, "filed", true),
            (AmendmentStatus::Admissible, "admissible", true),
            (
                AmendmentStatus::Inadmissible {
                    reason: "Hors sujet".into(),
                },
                "inadmissible",
                false,
            ),
            (AmendmentStatus::Withdrawn, "withdrawn", false),
            (AmendmentStatus::Adopted, "adopted", false),
            (AmendmentStatus::Rejected, "rejected", false),
            (
                AmendmentStatus::Fallen {
                    reason: FallReason::TargetDeleted { by: AmendmentId(1) },
                },
                "fallen",
                false,
            ),
        ];
        for (status, code, pending) in statuses {
            assert_eq!(status.code(), code);
            assert_eq!(status.is_pending(), pending, "{code}");
            let json = serde_json::to_value(&status).ok();
            assert_eq!(
                json.as_ref()
                    .and_then(|j| j.get("code"))
                    .and_then(|c| c.as_str()),
                Some(code)
            );
        }
    }
}
