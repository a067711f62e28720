//! The events of a motion's append-only log: what happened, as facts, in the payload the store
//! hashes (`log::canonical_json(&serde_json::to_value(event))`).
//!
//! Owns the event vocabulary and its JSON form (`{"kind": "amendment_filed", …}`). Carries no time
//! and no actor: the log's envelope does. Ids of new things are allocated by the store and passed
//! in, never generated here. Pure: no IO, no clock, no randomness.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::amendment::{AmendmentTarget, FallReason};
use crate::ballot::{BallotResult, BallotRules, BallotSubject, Tally};
use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId, SectionId, VersionNumber};
use crate::merge::ConflictRegion;
use crate::motion::Phase;
use crate::paragraph::Provenance;

/// What the congress debates now: a paragraph, or an amendment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DebateItem {
    /// A paragraph of the motion.
    Paragraph {
        /// The paragraph.
        paragraph: ParagraphId,
    },
    /// An amendment.
    Amendment {
        /// The amendment.
        amendment: AmendmentId,
    },
}

/// One entry of a motion's log. The JSON tag `kind` is [`MotionEvent::kind`].
///
/// Texts in events are already normalized by the command that produced them. Unknown JSON fields
/// are ignored when reading, so older payloads with extra fields still read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MotionEvent {
    /// The motion exists, with its title, preamble, line width and co-signatory minimum.
    MotionCreated {
        /// Title.
        title: String,
        /// Preamble (not numbered).
        preamble: String,
        /// Line width for line numbers, in `char`s.
        line_width: u32,
        /// Co-signatories an amendment needs before it can be declared admissible (0 if absent).
        #[serde(default)]
        min_cosigners: u32,
    },
    /// A section was added at `position`.
    SectionAdded {
        /// New section id.
        section: SectionId,
        /// Position among the sections.
        position: u32,
        /// Title.
        title: String,
    },
    /// A paragraph of the draft was added at the end of its section, in version 1.
    ParagraphAdded {
        /// New paragraph id.
        paragraph: ParagraphId,
        /// Its section.
        section: SectionId,
        /// Its position in the motion as recorded by the store (paragraphs are read in log order).
        position: u32,
        /// Its initial text.
        text: String,
    },
    /// The motion moved from one phase to another.
    PhaseChanged {
        /// The phase left.
        from: Phase,
        /// The phase entered.
        to: Phase,
    },
    /// An organizer edited a paragraph of the draft: version `version` (provenance
    /// [`Provenance::DraftEdit`]).
    DraftParagraphEdited {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The new version number (current + 1).
        version: VersionNumber,
        /// The new text.
        text: String,
    },
    /// An amendment was filed.
    AmendmentFiled {
        /// New amendment id.
        amendment: AmendmentId,
        /// Human number, sequential per motion ("Amendement n° N").
        number: u32,
        /// Its author.
        author: MemberId,
        /// What it changes.
        target: AmendmentTarget,
        /// The rationale.
        rationale: String,
    },
    /// Its author edited a filed amendment (co-signatures are cleared: they signed another text).
    AmendmentEdited {
        /// The amendment.
        amendment: AmendmentId,
        /// What it now changes.
        target: AmendmentTarget,
        /// The new rationale.
        rationale: String,
    },
    /// The author invited members to co-sign their amendment.
    CoSignersInvited {
        /// The amendment.
        amendment: AmendmentId,
        /// The members invited, in the order given.
        members: Vec<MemberId>,
    },
    /// A member co-signed an amendment.
    AmendmentCoSigned {
        /// The amendment.
        amendment: AmendmentId,
        /// The co-signatory.
        member: MemberId,
    },
    /// The author withdrew the amendment.
    AmendmentWithdrawn {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The organizers declared the amendment admissible.
    AmendmentDeclaredAdmissible {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// The organizers declared the amendment inadmissible.
    AmendmentDeclaredInadmissible {
        /// The amendment.
        amendment: AmendmentId,
        /// Why (non-empty).
        reason: String,
    },
    /// The amendment was rebased cleanly onto a newer version of its paragraph.
    AmendmentRebased {
        /// The amendment.
        amendment: AmendmentId,
        /// The version it now applies to.
        onto_version: VersionNumber,
        /// Its text against that version.
        text: String,
    },
    /// Rebasing the amendment onto a newer version met overlapping edits.
    AmendmentConflicted {
        /// The amendment.
        amendment: AmendmentId,
        /// The version the rebase was attempted onto.
        onto_version: VersionNumber,
        /// The overlapping regions.
        regions: Vec<ConflictRegion>,
    },
    /// A person resolved the amendment's conflict: `text` applies to the version of the conflict.
    ConflictResolved {
        /// The amendment.
        amendment: AmendmentId,
        /// The resolved text.
        text: String,
        /// Who resolved it.
        by: MemberId,
    },
    /// The amendment was adopted (by a ballot, or by hand when `ballot` is `None`). The change to
    /// the text follows in the next event.
    AmendmentAdopted {
        /// The amendment.
        amendment: AmendmentId,
        /// The ballot, if any.
        ballot: Option<BallotId>,
    },
    /// The amendment was rejected.
    AmendmentRejected {
        /// The amendment.
        amendment: AmendmentId,
        /// The ballot, if any.
        ballot: Option<BallotId>,
    },
    /// The amendment fell: it can no longer apply.
    AmendmentFell {
        /// The amendment.
        amendment: AmendmentId,
        /// Why.
        reason: FallReason,
    },
    /// A paragraph got a new version.
    ParagraphVersionCreated {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The new version number (current + 1).
        version: VersionNumber,
        /// The new text.
        text: String,
        /// Why.
        provenance: Provenance,
    },
    /// A paragraph was deleted (it keeps its id, place and history).
    ParagraphDeleted {
        /// The paragraph.
        paragraph: ParagraphId,
        /// Why.
        provenance: Provenance,
    },
    /// The chair set the item under debate (`None`: nothing is debated now).
    CurrentItemSet {
        /// The item.
        item: Option<DebateItem>,
    },
    /// A paragraph was inserted in `section` after `after` (`None`: first of the section).
    ParagraphInserted {
        /// New paragraph id (allocated by the store).
        paragraph: ParagraphId,
        /// Its section.
        section: SectionId,
        /// The paragraph it follows.
        after: Option<ParagraphId>,
        /// Its text (version 1).
        text: String,
        /// Why.
        provenance: Provenance,
    },
    /// The chair opened a ballot. Votes are not events of the log (they are stored one row per
    /// represented member); the result is, with every figure it was computed from.
    BallotOpened {
        /// New ballot id (allocated by the store).
        ballot: BallotId,
        /// Its number in the motion ("Scrutin n° N").
        number: u32,
        /// What it decides.
        subject: BallotSubject,
        /// Its title as announced.
        title: String,
        /// The rules it is decided by.
        rules: BallotRules,
        /// The countdown announced, in seconds (the chair still closes it).
        #[serde(default)]
        countdown_seconds: Option<u32>,
    },
    /// The chair recorded a counted show of hands as a separate line of an open ballot.
    HallCountRecorded {
        /// The ballot.
        ballot: BallotId,
        /// What was counted.
        label: String,
        /// The counts.
        tally: Tally,
    },
    /// The chair closed a ballot; the domain computed its result. What it changes in the text
    /// follows in the next events.
    BallotClosed {
        /// The ballot.
        ballot: BallotId,
        /// The result, with its figures.
        result: BallotResult,
    },
    /// The chair set the voting order of a paragraph's competing amendments, with a reason.
    VoteOrderSet {
        /// The paragraph.
        paragraph: ParagraphId,
        /// The amendments in the order they will be put to the vote.
        order: Vec<AmendmentId>,
        /// Why the usual order was changed.
        reason: String,
    },
}

impl MotionEvent {
    /// The event's kind: its JSON tag, also the store's `kind` column (`"amendment_filed"`…).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            MotionEvent::MotionCreated { .. } => "motion_created",
            MotionEvent::SectionAdded { .. } => "section_added",
            MotionEvent::ParagraphAdded { .. } => "paragraph_added",
            MotionEvent::PhaseChanged { .. } => "phase_changed",
            MotionEvent::DraftParagraphEdited { .. } => "draft_paragraph_edited",
            MotionEvent::AmendmentFiled { .. } => "amendment_filed",
            MotionEvent::AmendmentEdited { .. } => "amendment_edited",
            MotionEvent::CoSignersInvited { .. } => "co_signers_invited",
            MotionEvent::AmendmentCoSigned { .. } => "amendment_co_signed",
            MotionEvent::AmendmentWithdrawn { .. } => "amendment_withdrawn",
            MotionEvent::AmendmentDeclaredAdmissible { .. } => "amendment_declared_admissible",
            MotionEvent::AmendmentDeclaredInadmissible { .. } => "amendment_declared_inadmissible",
            MotionEvent::AmendmentRebased { .. } => "amendment_rebased",
            MotionEvent::AmendmentConflicted { .. } => "amendment_conflicted",
            MotionEvent::ConflictResolved { .. } => "conflict_resolved",
            MotionEvent::AmendmentAdopted { .. } => "amendment_adopted",
            MotionEvent::AmendmentRejected { .. } => "amendment_rejected",
            MotionEvent::AmendmentFell { .. } => "amendment_fell",
            MotionEvent::ParagraphVersionCreated { .. } => "paragraph_version_created",
            MotionEvent::ParagraphDeleted { .. } => "paragraph_deleted",
            MotionEvent::ParagraphInserted { .. } => "paragraph_inserted",
            MotionEvent::CurrentItemSet { .. } => "current_item_set",
            MotionEvent::BallotOpened { .. } => "ballot_opened",
            MotionEvent::HallCountRecorded { .. } => "hall_count_recorded",
            MotionEvent::BallotClosed { .. } => "ballot_closed",
            MotionEvent::VoteOrderSet { .. } => "vote_order_set",
        }
    }

    /// Reads an event stored as a `kind` column and a payload object that may lack the `kind` key
    /// (as the store writes them).
    ///
    /// # Errors
    /// The `serde_json` error when the payload is not an object or does not fit the kind.
    pub fn from_stored(kind: &str, payload: &Value) -> Result<MotionEvent, serde_json::Error> {
        let mut value = payload.clone();
        if let Value::Object(members) = &mut value {
            members.insert("kind".to_owned(), Value::String(kind.to_owned()));
        }
        serde_json::from_value(value)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_json_tag_is_the_kind() {
        let events = [
            MotionEvent::PhaseChanged {
                from: Phase::Draft,
                to: Phase::Amending,
            },
            MotionEvent::AmendmentFiled {
                amendment: AmendmentId(1),
                number: 1,
                author: MemberId(2),
                target: AmendmentTarget::Delete {
                    paragraph: ParagraphId(3),
                    base_version: VersionNumber(1),
                },
                rationale: String::new(),
            },
            MotionEvent::AmendmentFell {
                amendment: AmendmentId(1),
                reason: FallReason::TargetDeleted { by: AmendmentId(2) },
            },
            MotionEvent::ParagraphInserted {
                paragraph: ParagraphId(9),
                section: SectionId(1),
                after: None,
                text: "Texte".into(),
                provenance: Provenance::Amendment {
                    amendment: AmendmentId(1),
                    ballot: Some(BallotId(4)),
                },
            },
        ];
        for event in events {
            let value = serde_json::to_value(&event).unwrap_or_default();
            assert_eq!(
                value.get("kind").and_then(Value::as_str),
                Some(event.kind())
            );
            assert_eq!(
                serde_json::from_value::<MotionEvent>(value).ok(),
                Some(event)
            );
        }
    }

    #[test]
    fn the_payloads_the_demo_already_writes_read_back() {
        let cases = [
            (
                "motion_created",
                json!({"edition": "6e-congres", "title": "Motion", "preamble": "", "phase": "draft", "line_width": 80}),
                MotionEvent::MotionCreated {
                    title: "Motion".into(),
                    preamble: String::new(),
                    line_width: 80,
                    min_cosigners: 0,
                },
            ),
            (
                "paragraph_added",
                json!({"paragraph": 5, "section": 2, "position": 3, "version": 1, "text": "Texte"}),
                MotionEvent::ParagraphAdded {
                    paragraph: ParagraphId(5),
                    section: SectionId(2),
                    position: 3,
                    text: "Texte".into(),
                },
            ),
            (
                "phase_changed",
                json!({"from": "draft", "to": "amending"}),
                MotionEvent::PhaseChanged {
                    from: Phase::Draft,
                    to: Phase::Amending,
                },
            ),
        ];
        for (kind, payload, expected) in cases {
            assert_eq!(
                MotionEvent::from_stored(kind, &payload).ok(),
                Some(expected)
            );
        }
    }

    #[test]
    fn an_amendment_filed_event_has_a_stable_canonical_form() {
        let event = MotionEvent::AmendmentFiled {
            amendment: AmendmentId(7),
            number: 3,
            author: MemberId(2),
            target: AmendmentTarget::Replace {
                paragraph: ParagraphId(4),
                base_version: VersionNumber(1),
                text: "Les élu·es".into(),
            },
            rationale: "Inclusif".into(),
        };
        let canonical =
            crate::log::canonical_json(&serde_json::to_value(&event).unwrap_or_default());
        assert_eq!(
            canonical,
            r#"{"amendment":7,"author":2,"kind":"amendment_filed","number":3,"rationale":"Inclusif","target":{"base_version":1,"paragraph":4,"text":"Les élu·es","type":"replace"}}"#
        );
    }
}
