//! The state of one motion, folded from its log: phase, sections, paragraphs with their histories,
//! amendments with their statuses.
//!
//! Owns the reducer ([`MotionState::apply`]): the one place where events change the state, used by
//! the commands (to decide) and by whoever replays a log (server, browser, offline verifier). Pure:
//! no IO, no clock, no randomness.

use std::collections::BTreeMap;

use crate::amendment::{Amendment, AmendmentStatus, AmendmentTarget, Rebasing};
use crate::ballot::{Ballot, HallCount};
use crate::event::{DebateItem, MotionEvent};
use crate::ids::{AmendmentId, BallotId, ParagraphId, SectionId, VersionNumber};
use crate::lines::{DEFAULT_LINE_WIDTH, NumberedParagraph, number_paragraphs};
use crate::motion::Phase;
use crate::paragraph::{Paragraph, ParagraphVersion, Provenance, Section};

/// A motion as its log says it is.
///
/// Invariants (kept by [`MotionState::apply`], the only way to change it): sections are sorted by
/// position; every paragraph is listed in exactly one section, its own; every amendment has exactly
/// one status; versions of a paragraph are numbered `1..=n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MotionState {
    created: bool,
    title: String,
    preamble: String,
    line_width: u32,
    min_cosigners: u32,
    phase: Phase,
    sections: Vec<Section>,
    paragraphs: BTreeMap<ParagraphId, Paragraph>,
    amendments: BTreeMap<AmendmentId, Amendment>,
    current_item: Option<DebateItem>,
    ballots: BTreeMap<BallotId, Ballot>,
    vote_orders: BTreeMap<ParagraphId, VoteOrder>,
}

/// The voting order the chair set for a paragraph's competing amendments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteOrder {
    /// The amendments, first voted first.
    pub order: Vec<AmendmentId>,
    /// Why the usual order was changed.
    pub reason: String,
}

impl Default for MotionState {
    fn default() -> Self {
        MotionState {
            created: false,
            title: String::new(),
            preamble: String::new(),
            line_width: u32::try_from(DEFAULT_LINE_WIDTH).unwrap_or(80),
            min_cosigners: 0,
            phase: Phase::Draft,
            sections: Vec::new(),
            paragraphs: BTreeMap::new(),
            amendments: BTreeMap::new(),
            current_item: None,
            ballots: BTreeMap::new(),
            vote_orders: BTreeMap::new(),
        }
    }
}

impl MotionState {
    /// What the congress debates now, as the chair last set it.
    #[must_use]
    pub fn current_item(&self) -> Option<DebateItem> {
        self.current_item
    }

    /// Every ballot, by id (so by opening order).
    pub fn ballots(&self) -> impl Iterator<Item = &Ballot> {
        self.ballots.values()
    }

    /// One ballot.
    #[must_use]
    pub fn ballot(&self, id: BallotId) -> Option<&Ballot> {
        self.ballots.get(&id)
    }

    /// The ballot open now, if any (at most one at a time).
    #[must_use]
    pub fn open_ballot(&self) -> Option<&Ballot> {
        self.ballots.values().find(|ballot| ballot.is_open())
    }

    /// The voting order the chair set for `paragraph`, if any.
    #[must_use]
    pub fn vote_order(&self, paragraph: ParagraphId) -> Option<&VoteOrder> {
        self.vote_orders.get(&paragraph)
    }

    /// Folds a whole log, in order, into a state (see [`MotionState::apply`]).
    #[must_use]
    pub fn replay<'e>(events: impl IntoIterator<Item = &'e MotionEvent>) -> MotionState {
        let mut state = MotionState::default();
        for event in events {
            state.apply(event);
        }
        state
    }

    /// The motion's title.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The motion's preamble (not numbered).
    #[must_use]
    pub fn preamble(&self) -> &str {
        &self.preamble
    }

    /// The line width for line numbers.
    #[must_use]
    pub fn line_width(&self) -> u32 {
        self.line_width
    }

    /// Co-signatories an amendment needs before it can be declared admissible.
    #[must_use]
    pub fn min_cosigners(&self) -> u32 {
        self.min_cosigners
    }

    /// The current phase.
    #[must_use]
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The sections, by position.
    #[must_use]
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// One section.
    #[must_use]
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    /// One paragraph, deleted or not.
    #[must_use]
    pub fn paragraph(&self, id: ParagraphId) -> Option<&Paragraph> {
        self.paragraphs.get(&id)
    }

    /// Every paragraph, deleted ones included, in reading order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.sections
            .iter()
            .flat_map(|section| section.paragraphs.iter())
            .filter_map(|id| self.paragraphs.get(id))
    }

    /// The paragraphs of the current text (deleted ones left out), in reading order.
    pub fn live_paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs()
            .filter(|paragraph| !paragraph.is_deleted())
    }

    /// The current text's paragraphs with their line numbers, continuous across the motion, at the
    /// motion's line width (see [`number_paragraphs`]).
    #[must_use]
    pub fn numbered_paragraphs(&self) -> Vec<(ParagraphId, NumberedParagraph)> {
        let live: Vec<&Paragraph> = self.live_paragraphs().collect();
        let width = usize::try_from(self.line_width).unwrap_or(DEFAULT_LINE_WIDTH);
        let numbered = number_paragraphs(live.iter().map(|p| p.text.as_str()), width);
        live.iter().map(|p| p.id).zip(numbered).collect()
    }

    /// One amendment.
    #[must_use]
    pub fn amendment(&self, id: AmendmentId) -> Option<&Amendment> {
        self.amendments.get(&id)
    }

    /// Every amendment, by number.
    #[must_use]
    pub fn amendments(&self) -> Vec<&Amendment> {
        let mut all: Vec<&Amendment> = self.amendments.values().collect();
        all.sort_by_key(|amendment| (amendment.number, amendment.id));
        all
    }

    /// The number the next filed amendment gets: one more than the highest so far, from 1.
    #[must_use]
    pub fn next_amendment_number(&self) -> u32 {
        self.amendments
            .values()
            .map(|amendment| amendment.number)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }

    /// The pending (filed or admissible) amendments that replace or delete `paragraph`, by number:
    /// those debated together when the chair reaches it. Insertions after it are not included.
    #[must_use]
    pub fn competing_amendments(&self, paragraph: ParagraphId) -> Vec<AmendmentId> {
        self.amendments()
            .into_iter()
            .filter(|a| a.is_pending() && a.target.paragraph() == Some(paragraph))
            .map(|a| a.id)
            .collect()
    }

    /// Applies one event. Total: never panics; an event inconsistent with the state is ignored
    /// (the log is the truth, and the commands never produce one). Ignored are:
    /// - a second `MotionCreated`;
    /// - a section or paragraph whose id exists, a paragraph in an unknown section, an insertion
    ///   after a paragraph that is not in the named section;
    /// - `PhaseChanged` whose `from` is not the current phase;
    /// - a new version of an unknown or deleted paragraph, or whose number is not current + 1; a
    ///   deletion of an unknown or already deleted paragraph;
    /// - an amendment event for an unknown amendment, or a filing with a used id;
    /// - a status change the status does not allow: admissible only from filed; adopted and
    ///   rejected only from admissible; edited only while filed; withdrawn, inadmissible, fallen,
    ///   co-signed, rebased and conflicted only while pending; conflict resolved only while pending
    ///   and in conflict; a co-signature by the author or a second one by the same member.
    pub fn apply(&mut self, event: &MotionEvent) {
        match event {
            MotionEvent::MotionCreated {
                title,
                preamble,
                line_width,
                min_cosigners,
            } => {
                if !self.created {
                    self.created = true;
                    self.title.clone_from(title);
                    self.preamble.clone_from(preamble);
                    self.line_width = *line_width;
                    self.min_cosigners = *min_cosigners;
                }
            }
            MotionEvent::SectionAdded {
                section,
                position,
                title,
            } => {
                if self.section(*section).is_none() {
                    let index = self.sections.partition_point(|s| s.position <= *position);
                    self.sections.insert(
                        index,
                        Section {
                            id: *section,
                            position: *position,
                            title: title.clone(),
                            paragraphs: Vec::new(),
                        },
                    );
                }
            }
            MotionEvent::ParagraphAdded {
                paragraph,
                section,
                text,
                ..
            } => self.insert_paragraph(
                *paragraph,
                *section,
                Placement::End,
                text,
                Provenance::Initial,
            ),
            MotionEvent::ParagraphInserted {
                paragraph,
                section,
                after,
                text,
                provenance,
            } => self.insert_paragraph(
                *paragraph,
                *section,
                Placement::After(*after),
                text,
                provenance.clone(),
            ),
            MotionEvent::PhaseChanged { from, to } => {
                if *from == self.phase {
                    self.phase = *to;
                }
            }
            MotionEvent::DraftParagraphEdited {
                paragraph,
                version,
                text,
            } => self.push_version(*paragraph, *version, text, Provenance::DraftEdit),
            MotionEvent::ParagraphVersionCreated {
                paragraph,
                version,
                text,
                provenance,
            } => self.push_version(*paragraph, *version, text, provenance.clone()),
            MotionEvent::ParagraphDeleted {
                paragraph,
                provenance,
            } => {
                if let Some(paragraph) = self.paragraphs.get_mut(paragraph)
                    && !paragraph.is_deleted()
                {
                    paragraph.deletion = Some(provenance.clone());
                }
            }
            MotionEvent::AmendmentFiled {
                amendment,
                number,
                author,
                target,
                rationale,
            } => {
                self.amendments
                    .entry(*amendment)
                    .or_insert_with(|| Amendment {
                        id: *amendment,
                        number: *number,
                        author: *author,
                        target: target.clone(),
                        rationale: rationale.clone(),
                        cosigners: Vec::new(),
                        invited: Vec::new(),
                        status: AmendmentStatus::Filed,
                        rebasing: None,
                    });
            }
            MotionEvent::AmendmentEdited {
                amendment,
                target,
                rationale,
            } => {
                if let Some(a) = self.amendments.get_mut(amendment)
                    && a.status == AmendmentStatus::Filed
                {
                    a.target = target.clone();
                    a.rationale.clone_from(rationale);
                    a.cosigners.clear();
                    a.rebasing = None;
                }
            }
            MotionEvent::CurrentItemSet { item } => self.current_item = *item,
            MotionEvent::BallotOpened {
                ballot,
                number,
                subject,
                title,
                rules,
                countdown_seconds,
            } => {
                if !self.ballots.contains_key(ballot) {
                    self.ballots.insert(
                        *ballot,
                        Ballot {
                            id: *ballot,
                            number: *number,
                            subject: *subject,
                            title: title.clone(),
                            rules: *rules,
                            countdown_seconds: *countdown_seconds,
                            hall_counts: Vec::new(),
                            result: None,
                        },
                    );
                }
            }
            MotionEvent::HallCountRecorded {
                ballot,
                label,
                tally,
            } => {
                if let Some(b) = self.ballots.get_mut(ballot)
                    && b.is_open()
                {
                    b.hall_counts.push(HallCount {
                        label: label.clone(),
                        tally: *tally,
                    });
                }
            }
            MotionEvent::BallotClosed { ballot, result } => {
                if let Some(b) = self.ballots.get_mut(ballot)
                    && b.is_open()
                {
                    b.result = Some(*result);
                }
            }
            MotionEvent::VoteOrderSet {
                paragraph,
                order,
                reason,
            } => {
                self.vote_orders.insert(
                    *paragraph,
                    VoteOrder {
                        order: order.clone(),
                        reason: reason.clone(),
                    },
                );
            }
            MotionEvent::CoSignersInvited { amendment, members } => {
                if let Some(a) = self.amendments.get_mut(amendment)
                    && a.status == AmendmentStatus::Filed
                {
                    for member in members {
                        if *member != a.author && !a.invited.contains(member) {
                            a.invited.push(*member);
                        }
                    }
                }
            }
            MotionEvent::AmendmentCoSigned { amendment, member } => {
                if let Some(a) = self.pending_mut(*amendment)
                    && a.author != *member
                    && !a.cosigners.contains(member)
                {
                    a.cosigners.push(*member);
                }
            }
            MotionEvent::AmendmentWithdrawn { amendment } => {
                self.set_status_if_pending(*amendment, AmendmentStatus::Withdrawn);
            }
            MotionEvent::AmendmentDeclaredAdmissible { amendment } => {
                if let Some(a) = self.amendments.get_mut(amendment)
                    && a.status == AmendmentStatus::Filed
                {
                    a.status = AmendmentStatus::Admissible;
                }
            }
            MotionEvent::AmendmentDeclaredInadmissible { amendment, reason } => {
                self.set_status_if_pending(
                    *amendment,
                    AmendmentStatus::Inadmissible {
                        reason: reason.clone(),
                    },
                );
            }
            MotionEvent::AmendmentRebased {
                amendment,
                onto_version,
                text,
            } => {
                if let Some(a) = self.pending_mut(*amendment)
                    && matches!(a.target, AmendmentTarget::Replace { .. })
                {
                    a.rebasing = Some(Rebasing::Rebased {
                        onto_version: *onto_version,
                        text: text.clone(),
                    });
                }
            }
            MotionEvent::AmendmentConflicted {
                amendment,
                onto_version,
                regions,
            } => {
                if let Some(a) = self.pending_mut(*amendment)
                    && matches!(a.target, AmendmentTarget::Replace { .. })
                {
                    a.rebasing = Some(Rebasing::Conflicted {
                        onto_version: *onto_version,
                        regions: regions.clone(),
                    });
                }
            }
            MotionEvent::ConflictResolved {
                amendment, text, ..
            } => {
                if let Some(a) = self.pending_mut(*amendment)
                    && let Some(Rebasing::Conflicted { onto_version, .. }) = a.rebasing
                {
                    a.rebasing = Some(Rebasing::Rebased {
                        onto_version,
                        text: text.clone(),
                    });
                }
            }
            MotionEvent::AmendmentAdopted { amendment, .. } => {
                self.set_status_if_admissible(*amendment, AmendmentStatus::Adopted);
            }
            MotionEvent::AmendmentRejected { amendment, .. } => {
                self.set_status_if_admissible(*amendment, AmendmentStatus::Rejected);
            }
            MotionEvent::AmendmentFell { amendment, reason } => {
                self.set_status_if_pending(
                    *amendment,
                    AmendmentStatus::Fallen {
                        reason: reason.clone(),
                    },
                );
            }
        }
    }

    fn insert_paragraph(
        &mut self,
        id: ParagraphId,
        section: SectionId,
        placement: Placement,
        text: &str,
        provenance: Provenance,
    ) {
        if self.paragraphs.contains_key(&id) {
            return;
        }
        let Some(target) = self.sections.iter_mut().find(|s| s.id == section) else {
            return;
        };
        let index = match placement {
            Placement::End => target.paragraphs.len(),
            Placement::After(None) => 0,
            Placement::After(Some(after)) => {
                match target.paragraphs.iter().position(|p| *p == after) {
                    Some(index) => index + 1,
                    None => return,
                }
            }
        };
        target.paragraphs.insert(index, id);
        self.paragraphs.insert(
            id,
            Paragraph {
                id,
                section,
                version: VersionNumber::INITIAL,
                text: text.to_owned(),
                deletion: None,
                history: vec![ParagraphVersion {
                    version: VersionNumber::INITIAL,
                    text: text.to_owned(),
                    provenance,
                }],
            },
        );
    }

    fn push_version(
        &mut self,
        id: ParagraphId,
        version: VersionNumber,
        text: &str,
        provenance: Provenance,
    ) {
        if let Some(paragraph) = self.paragraphs.get_mut(&id)
            && !paragraph.is_deleted()
            && version == paragraph.version.next()
            && version != paragraph.version
        {
            paragraph.version = version;
            paragraph.text = text.to_owned();
            paragraph.history.push(ParagraphVersion {
                version,
                text: text.to_owned(),
                provenance,
            });
        }
    }

    fn pending_mut(&mut self, id: AmendmentId) -> Option<&mut Amendment> {
        self.amendments.get_mut(&id).filter(|a| a.is_pending())
    }

    fn set_status_if_pending(&mut self, id: AmendmentId, status: AmendmentStatus) {
        if let Some(a) = self.pending_mut(id) {
            a.status = status;
        }
    }

    fn set_status_if_admissible(&mut self, id: AmendmentId, status: AmendmentStatus) {
        if let Some(a) = self.amendments.get_mut(&id)
            && a.status == AmendmentStatus::Admissible
        {
            a.status = status;
        }
    }
}

/// Where a new paragraph goes in its section.
#[derive(Clone, Copy)]
enum Placement {
    End,
    After(Option<ParagraphId>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MemberId;

    fn base_log() -> Vec<MotionEvent> {
        vec![
            MotionEvent::MotionCreated {
                title: "Motion".into(),
                preamble: "Préambule".into(),
                line_width: 40,
                min_cosigners: 1,
            },
            MotionEvent::SectionAdded {
                section: SectionId(20),
                position: 2,
                title: "Deux".into(),
            },
            MotionEvent::SectionAdded {
                section: SectionId(10),
                position: 1,
                title: "Un".into(),
            },
            MotionEvent::ParagraphAdded {
                paragraph: ParagraphId(1),
                section: SectionId(10),
                position: 1,
                text: "Premier.".into(),
            },
            MotionEvent::ParagraphAdded {
                paragraph: ParagraphId(2),
                section: SectionId(20),
                position: 2,
                text: "Second.".into(),
            },
        ]
    }

    #[test]
    fn sections_are_read_by_position_and_paragraphs_in_their_section() {
        let state = MotionState::replay(&base_log());
        let ids: Vec<ParagraphId> = state.live_paragraphs().map(|p| p.id).collect();
        assert_eq!(ids, vec![ParagraphId(1), ParagraphId(2)]);
        assert_eq!(state.title(), "Motion");
        assert_eq!(state.line_width(), 40);
        assert_eq!(state.min_cosigners(), 1);
        assert_eq!(state.phase(), Phase::Draft);
    }

    #[test]
    fn inconsistent_events_are_ignored() {
        let mut log = base_log();
        let before = MotionState::replay(&log);
        log.extend([
            // Wrong version number (must be current + 1).
            MotionEvent::ParagraphVersionCreated {
                paragraph: ParagraphId(1),
                version: VersionNumber(3),
                text: "X".into(),
                provenance: Provenance::DraftEdit,
            },
            // Unknown paragraph, unknown section, used id.
            MotionEvent::ParagraphDeleted {
                paragraph: ParagraphId(99),
                provenance: Provenance::DraftEdit,
            },
            MotionEvent::ParagraphAdded {
                paragraph: ParagraphId(3),
                section: SectionId(99),
                position: 3,
                text: "X".into(),
            },
            MotionEvent::ParagraphAdded {
                paragraph: ParagraphId(1),
                section: SectionId(10),
                position: 3,
                text: "X".into(),
            },
            // Insertion after a paragraph of another section.
            MotionEvent::ParagraphInserted {
                paragraph: ParagraphId(4),
                section: SectionId(10),
                after: Some(ParagraphId(2)),
                text: "X".into(),
                provenance: Provenance::Initial,
            },
            // A phase change from a phase the motion is not in.
            MotionEvent::PhaseChanged {
                from: Phase::Session,
                to: Phase::Adopted,
            },
            // Events about an unknown amendment.
            MotionEvent::AmendmentAdopted {
                amendment: AmendmentId(5),
                ballot: None,
            },
            MotionEvent::AmendmentCoSigned {
                amendment: AmendmentId(5),
                member: MemberId(1),
            },
            MotionEvent::MotionCreated {
                title: "Autre".into(),
                preamble: String::new(),
                line_width: 10,
                min_cosigners: 0,
            },
        ]);
        assert_eq!(MotionState::replay(&log), before);
    }

    #[test]
    fn a_final_status_never_changes_again() {
        let mut log = base_log();
        log.extend([
            MotionEvent::AmendmentFiled {
                amendment: AmendmentId(1),
                number: 1,
                author: MemberId(7),
                target: AmendmentTarget::Delete {
                    paragraph: ParagraphId(1),
                    base_version: VersionNumber(1),
                },
                rationale: String::new(),
            },
            MotionEvent::AmendmentWithdrawn {
                amendment: AmendmentId(1),
            },
            MotionEvent::AmendmentDeclaredAdmissible {
                amendment: AmendmentId(1),
            },
            MotionEvent::AmendmentFell {
                amendment: AmendmentId(1),
                reason: crate::amendment::FallReason::TargetDeleted { by: AmendmentId(2) },
            },
            MotionEvent::AmendmentAdopted {
                amendment: AmendmentId(1),
                ballot: None,
            },
        ]);
        let state = MotionState::replay(&log);
        assert_eq!(
            state.amendment(AmendmentId(1)).map(|a| &a.status),
            Some(&AmendmentStatus::Withdrawn)
        );
    }
}
