//! The motion as a document to hand over: [`MotionDocument`], built from the motion's state at one
//! point of its log, read by every writer (PDF, ODT, Markdown, JSON open data) so that they all say
//! the same thing with the same line numbers.
//!
//! Owns the document model, its French wording and the integrity hash of the text. Pure: the caller
//! passes the state replayed up to `seq`, the time and hash of that event, and the names of the
//! people; no IO, no clock, no randomness. Display text is set in French typography here, once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::amendment::{Amendment, AmendmentStatus, AmendmentTarget, FallReason};
use crate::ballot::{Ballot, BallotSubject, Outcome, number_fr};
use crate::calendar::{iso_date_from_millis, long_date_fr, time_fr};
use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId};
use crate::lines::{NumberedParagraph, line_range_label_fr};
use crate::log::canonical_json;
use crate::motion::Phase;
use crate::motion_state::MotionState;
use crate::paragraph::{Paragraph, Provenance};
use crate::typography::french;

/// The open data format's name and version, written in every JSON export (`format`).
pub const FORMAT: &str = "hemicycle-motion/1";

/// What the caller knows that the log does not: the edition, and who the members are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentContext {
    /// The motion's id.
    pub motion_id: i32,
    /// The edition the motion belongs to.
    pub edition: EditionInfo,
    /// The log position the state was replayed to (its last event's `seq`).
    pub seq: u64,
    /// When that event happened (milliseconds since the Unix epoch, UTC).
    pub at_millis: i64,
    /// That event's hash: the head of the log the document is built from.
    pub head_hash: String,
    /// Names and mandates of the members the log mentions.
    pub members: BTreeMap<MemberId, Person>,
}

/// An edition, as the document states it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionInfo {
    /// "6e Congrès national des élu·es au numérique".
    pub title: String,
    /// Where it takes place.
    pub place: String,
    /// First day, ISO 8601.
    pub starts_on: String,
    /// Last day, ISO 8601.
    pub ends_on: String,
}

/// A person named in the document.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Person {
    /// Display name.
    pub name: String,
    /// Mandate ("Adjointe au maire chargée du numérique, Lorient"); may be empty.
    pub mandate: String,
}

/// The motion as a document. Every string meant for reading is already in French typography; the
/// stored texts (`text`, `history[].text`) are exactly as the log has them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// The motion's id.
    pub motion_id: i32,
    /// The edition.
    pub edition: EditionBlock,
    /// The motion's title.
    pub title: String,
    /// Its preamble (not numbered); may be empty.
    pub preamble: String,
    /// The title as stored (before typography), for [`document_text_hash`].
    pub stored_title: String,
    /// The preamble as stored.
    pub stored_preamble: String,
    /// Final text or working version.
    pub status: DocumentStatus,
    /// The line width the numbers are computed at.
    pub line_width: u32,
    /// The sections with their current paragraphs, numbered continuously across the motion.
    pub sections: Vec<DocSection>,
    /// Paragraphs of the draft that the congress deleted.
    pub removed_paragraphs: Vec<RemovedParagraph>,
    /// Every amendment, by number.
    pub amendments: Vec<DocAmendment>,
    /// Every closed ballot, by number.
    pub ballots: Vec<DocBallot>,
    /// Authors and co-signatories of amendments, by name.
    pub contributors: Vec<Contributor>,
    /// What proves the text.
    pub integrity: Integrity,
}

/// The edition as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionBlock {
    /// Its title.
    pub title: String,
    /// Its place.
    pub place: String,
    /// "du 9 au 10 décembre 2026", or "le 10 décembre 2026".
    pub dates_fr: String,
}

/// Whether the document is the adopted text or a moment of the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DocumentStatus {
    /// The final vote adopted the motion: this is the text handed over.
    Final {
        /// "Adoptée le 10 décembre 2026".
        label_fr: String,
        /// ISO date of the adoption.
        date: String,
    },
    /// Anything before (or a closed, not adopted, motion): a working version.
    Working {
        /// "Version de travail du 10 décembre 2026 à 15 h 42 (journal n° 120)".
        label_fr: String,
        /// ISO date of the version.
        date: String,
    },
}

impl DocumentStatus {
    /// The label to print.
    #[must_use]
    pub fn label_fr(&self) -> &str {
        match self {
            DocumentStatus::Final { label_fr, .. } | DocumentStatus::Working { label_fr, .. } => {
                label_fr
            }
        }
    }

    /// Whether this is the adopted text.
    #[must_use]
    pub fn is_final(&self) -> bool {
        matches!(self, DocumentStatus::Final { .. })
    }
}

/// A section of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSection {
    /// Its title; may be empty (untitled leading section).
    pub title: String,
    /// Its title as stored.
    pub stored_title: String,
    /// Its current paragraphs, in reading order.
    pub paragraphs: Vec<DocParagraph>,
}

/// A paragraph as the document shows it, with its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocParagraph {
    /// Its stable id.
    pub id: i32,
    /// Its current version number.
    pub version: u32,
    /// Its first line number in the motion.
    pub first_line: u32,
    /// Its lines, as the reader shows them (French typography applied).
    pub lines: Vec<String>,
    /// Its current text, as stored.
    pub text: String,
    /// Every version, oldest first.
    pub history: Vec<DocVersion>,
}

impl DocParagraph {
    /// Its last line number.
    #[must_use]
    pub fn last_line(&self) -> u32 {
        let extra = u32::try_from(self.lines.len().saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_line.saturating_add(extra)
    }

    /// Its lines with their numbers, in order.
    pub fn numbered_lines(&self) -> impl Iterator<Item = (u32, &str)> {
        (self.first_line..).zip(self.lines.iter().map(String::as_str))
    }
}

/// One version of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocVersion {
    /// Its number, from 1.
    pub version: u32,
    /// Its text, as stored.
    pub text: String,
    /// Why it exists, in French ("amendement n° 3 adopté par le scrutin n° 2").
    pub why_fr: String,
    /// Why it exists, as data.
    pub provenance: Provenance,
}

/// A paragraph the congress deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedParagraph {
    /// Its stable id.
    pub id: i32,
    /// The title of its section.
    pub section: String,
    /// Its last text, as stored.
    pub text: String,
    /// Why it was deleted, in French.
    pub why_fr: String,
}

/// An amendment in the annex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocAmendment {
    /// "n° 3".
    pub number: u32,
    /// `replace`, `delete` or `insert`.
    pub kind: String,
    /// What it targets, in French ("l. 12 à 15", "après la l. 15", "paragraphe supprimé").
    pub target_fr: String,
    /// The paragraph it replaces or deletes (or follows, for an insertion), if any.
    pub paragraph_id: Option<i32>,
    /// Its author.
    pub author: Person,
    /// Its co-signatories, in signing order.
    pub cosigners: Vec<Person>,
    /// The stable status code (`adopted`, `rejected`, `fallen`, …).
    pub status: String,
    /// The status in French, with its reason where there is one.
    pub status_fr: String,
    /// The text it proposed (French typography), for a replacement or insertion.
    pub proposed_text: Option<String>,
    /// The rationale (French typography); may be empty.
    pub rationale: String,
    /// The ballot that decided it, if any.
    pub ballot: Option<BallotRef>,
}

/// The ballot that decided an amendment, in short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRef {
    /// The ballot's number.
    pub number: u32,
    /// *Pour* (hall counts included).
    pub pour: u32,
    /// *Contre*.
    pub contre: u32,
    /// Abstentions.
    pub abstention: u32,
    /// The rule applied, in French.
    pub rule_fr: String,
    /// The outcome code.
    pub outcome: String,
}

/// A closed ballot, with every figure of its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocBallot {
    /// Its number.
    pub number: u32,
    /// Its title as the chair announced it.
    pub title: String,
    /// What it decided, in French ("amendement n° 3", "paragraphe l. 4 à 7", "motion entière").
    pub subject_fr: String,
    /// *Pour*, electronic and hall counts together.
    pub pour: u32,
    /// *Contre*.
    pub contre: u32,
    /// Abstentions.
    pub abstention: u32,
    /// Of which counted by show of hands (participants).
    pub hall_participants: u32,
    /// Eligible voters when it closed.
    pub registered: u32,
    /// Members present.
    pub present: u32,
    /// *Pour* needed.
    pub required: u32,
    /// The majority applied, in French.
    pub rule_fr: String,
    /// `adopted`, `rejected` or `quorum_not_met`.
    pub outcome: String,
    /// The result in words ("adopté : 212 pour, 48 contre, 17 abstentions ; …").
    pub explanation_fr: String,
}

/// Someone who filed or co-signed amendments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// Name and mandate.
    pub person: Person,
    /// Numbers of the amendments they filed.
    pub filed: Vec<u32>,
    /// Numbers of the amendments they co-signed.
    pub cosigned: Vec<u32>,
}

/// What proves the text: anyone can recompute both hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrity {
    /// SHA-256 (hex) of [`canonical_text`]: the title, preamble, sections and paragraphs as stored.
    pub text_sha256: String,
    /// The hash of the log's event at `seq` (which chains every event before it).
    pub log_head_hash: String,
    /// The log position the document was built at.
    pub seq: u64,
}

impl Integrity {
    /// The first 12 characters of the text's hash, for footers.
    #[must_use]
    pub fn short_text_hash(&self) -> &str {
        self.text_sha256.get(..12).unwrap_or(&self.text_sha256)
    }
}

/// The canonical text of a motion, hashed by [`Integrity::text_sha256`]: canonical JSON (keys sorted,
/// NFC, no insignificant whitespace) of
/// `{"title", "preamble", "sections": [{"title", "paragraphs": [{"id", "text"}]}]}` with the stored
/// texts of the current paragraphs in reading order.
#[must_use]
pub fn canonical_text(state: &MotionState) -> String {
    canonical(
        state.title(),
        state.preamble(),
        state.sections().iter().map(|section| {
            let paragraphs = section
                .paragraphs
                .iter()
                .filter_map(|id| state.paragraph(*id))
                .filter(|p| !p.is_deleted())
                .map(|p| (p.id.get(), p.text.as_str()))
                .collect();
            (section.title.as_str(), paragraphs)
        }),
    )
}

/// The same canonical text, read back from a document (its stored fields): what anyone holding only the
/// open data recomputes to check [`Integrity::text_sha256`].
#[must_use]
pub fn document_canonical_text(doc: &MotionDocument) -> String {
    canonical(
        &doc.stored_title,
        &doc.stored_preamble,
        doc.sections.iter().map(|section| {
            let paragraphs = section
                .paragraphs
                .iter()
                .map(|p| (p.id, p.text.as_str()))
                .collect();
            (section.stored_title.as_str(), paragraphs)
        }),
    )
}

/// The SHA-256 of [`document_canonical_text`], lowercase hex: equals `doc.integrity.text_sha256` for a
/// document nobody altered.
#[must_use]
pub fn document_text_hash(doc: &MotionDocument) -> String {
    hex(&Sha256::digest(document_canonical_text(doc).as_bytes()))
}

fn canonical<'a>(
    title: &str,
    preamble: &str,
    sections: impl Iterator<Item = (&'a str, Vec<(i32, &'a str)>)>,
) -> String {
    let sections: Vec<serde_json::Value> = sections
        .map(|(title, paragraphs)| {
            let paragraphs: Vec<serde_json::Value> = paragraphs
                .into_iter()
                .map(|(id, text)| json!({"id": id, "text": text}))
                .collect();
            json!({"title": title, "paragraphs": paragraphs})
        })
        .collect();
    canonical_json(&json!({
        "title": title,
        "preamble": preamble,
        "sections": sections,
    }))
}

/// The SHA-256 of [`canonical_text`], lowercase hex.
#[must_use]
pub fn text_hash(state: &MotionState) -> String {
    hex(&Sha256::digest(canonical_text(state).as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Builds the document of `state` (the motion replayed up to `ctx.seq`).
///
/// The document is final when the motion is adopted, a working version otherwise. Line numbers are
/// those of [`MotionState::numbered_paragraphs`], the very ones the reader shows. Unknown members are
/// named "Participant·e n° N" rather than left out.
#[must_use]
pub fn build_document(state: &MotionState, ctx: &DocumentContext) -> MotionDocument {
    let numbered: BTreeMap<ParagraphId, NumberedParagraph> =
        state.numbered_paragraphs().into_iter().collect();
    let person = |id: MemberId| -> Person {
        ctx.members.get(&id).cloned().map_or_else(
            || Person {
                name: format!("Participant·e n° {id}"),
                mandate: String::new(),
            },
            |p| Person {
                name: french(&p.name),
                mandate: french(&p.mandate),
            },
        )
    };
    let ballots_by_amendment: BTreeMap<AmendmentId, &Ballot> = state
        .ballots()
        .filter(|b| b.result.is_some())
        .filter_map(|b| match b.subject {
            BallotSubject::Amendment { amendment } => Some((amendment, b)),
            _ => None,
        })
        .collect();
    let amendment_numbers: BTreeMap<AmendmentId, u32> = state
        .amendments()
        .iter()
        .map(|a| (a.id, a.number))
        .collect();
    let ballot_numbers: BTreeMap<BallotId, u32> =
        state.ballots().map(|b| (b.id, b.number)).collect();
    let names = Names {
        amendments: &amendment_numbers,
        ballots: &ballot_numbers,
    };

    let sections = state
        .sections()
        .iter()
        .map(|section| DocSection {
            title: french(&section.title),
            stored_title: section.title.clone(),
            paragraphs: section
                .paragraphs
                .iter()
                .filter_map(|id| state.paragraph(*id))
                .filter(|p| !p.is_deleted())
                .map(|p| doc_paragraph(p, numbered.get(&p.id), &names))
                .collect(),
        })
        .collect();
    let removed_paragraphs = state
        .sections()
        .iter()
        .flat_map(|section| {
            section
                .paragraphs
                .iter()
                .filter_map(|id| state.paragraph(*id))
                .filter_map(|p| {
                    p.deletion.as_ref().map(|why| RemovedParagraph {
                        id: p.id.get(),
                        section: french(&section.title),
                        text: p.text.clone(),
                        why_fr: names.deletion_fr(why),
                    })
                })
        })
        .collect();

    let amendments: Vec<DocAmendment> = state
        .amendments()
        .into_iter()
        .map(|a| {
            doc_amendment(
                a,
                state,
                &numbered,
                ballots_by_amendment.get(&a.id).copied(),
                &names,
                &person,
            )
        })
        .collect();
    let ballots = state
        .ballots()
        .filter_map(|b| doc_ballot(b, state, &numbered, &names))
        .collect();
    let contributors = contributors(state, &person);

    let date = iso_date_from_millis(ctx.at_millis);
    let status = if state.phase() == Phase::Adopted {
        DocumentStatus::Final {
            label_fr: format!("Adoptée le {}", long_date_fr(&date)),
            date,
        }
    } else {
        DocumentStatus::Working {
            label_fr: format!(
                "Version de travail du {} à {} (journal n° {})",
                long_date_fr(&date),
                time_fr(ctx.at_millis),
                ctx.seq
            ),
            date,
        }
    };
    MotionDocument {
        format: FORMAT.to_owned(),
        motion_id: ctx.motion_id,
        edition: EditionBlock {
            title: french(&ctx.edition.title),
            place: french(&ctx.edition.place),
            dates_fr: dates_fr(&ctx.edition.starts_on, &ctx.edition.ends_on),
        },
        title: french(state.title()),
        preamble: french(state.preamble()),
        stored_title: state.title().to_owned(),
        stored_preamble: state.preamble().to_owned(),
        status,
        line_width: state.line_width(),
        sections,
        removed_paragraphs,
        amendments,
        ballots,
        contributors,
        integrity: Integrity {
            text_sha256: text_hash(state),
            log_head_hash: ctx.head_hash.clone(),
            seq: ctx.seq,
        },
    }
}

/// "les 9 et 10 décembre 2026", "du 9 au 11 décembre 2026", "le 10 décembre 2026".
fn dates_fr(starts_on: &str, ends_on: &str) -> String {
    if starts_on == ends_on || ends_on.is_empty() {
        return format!("le {}", long_date_fr(starts_on));
    }
    format!(
        "du {} au {}",
        long_date_fr(starts_on),
        long_date_fr(ends_on)
    )
}

/// Numbers of amendments and ballots, for sentences.
struct Names<'a> {
    amendments: &'a BTreeMap<AmendmentId, u32>,
    ballots: &'a BTreeMap<BallotId, u32>,
}

impl Names<'_> {
    fn amendment(&self, id: AmendmentId) -> String {
        self.amendments.get(&id).map_or_else(
            || format!("amendement (id {id})"),
            |n| format!("amendement n° {n}"),
        )
    }

    fn ballot(&self, id: BallotId) -> String {
        self.ballots.get(&id).map_or_else(
            || format!("scrutin (id {id})"),
            |n| format!("scrutin n° {n}"),
        )
    }

    fn provenance_fr(&self, provenance: &Provenance) -> String {
        match provenance {
            Provenance::Initial => "texte initial".to_owned(),
            Provenance::Amendment {
                amendment,
                ballot: Some(ballot),
            } => format!(
                "{} adopté par le {}",
                self.amendment(*amendment),
                self.ballot(*ballot)
            ),
            Provenance::Amendment {
                amendment,
                ballot: None,
            } => format!("{} adopté", self.amendment(*amendment)),
            Provenance::EditorialFix { reason } => {
                format!("correction rédactionnelle : {}", french(reason))
            }
            Provenance::DraftEdit => "modification du projet avant les amendements".to_owned(),
            Provenance::Ballot { ballot } => format!("rejeté par le {}", self.ballot(*ballot)),
        }
    }

    fn deletion_fr(&self, provenance: &Provenance) -> String {
        format!("supprimé : {}", self.provenance_fr(provenance))
    }

    fn status_fr(&self, status: &AmendmentStatus) -> String {
        match status {
            AmendmentStatus::Filed => "déposé".to_owned(),
            AmendmentStatus::Admissible => "recevable".to_owned(),
            AmendmentStatus::Inadmissible { reason } => {
                format!("irrecevable : {}", french(reason))
            }
            AmendmentStatus::Withdrawn => "retiré".to_owned(),
            AmendmentStatus::Adopted => "adopté".to_owned(),
            AmendmentStatus::Rejected => "rejeté".to_owned(),
            AmendmentStatus::Fallen { reason } => match reason {
                FallReason::TargetDeleted { by } => {
                    format!("tombé : paragraphe supprimé par l’{}", self.amendment(*by))
                }
                FallReason::SupersededBy { amendment } => {
                    format!("tombé : satisfait par l’{}", self.amendment(*amendment))
                }
                FallReason::AlreadyInText { version } => {
                    format!("tombé : déjà dans le texte (version {version})")
                }
                FallReason::ParagraphRejected { ballot } => {
                    format!("tombé : paragraphe rejeté par le {}", self.ballot(*ballot))
                }
            },
        }
    }
}

fn doc_paragraph(
    paragraph: &Paragraph,
    numbered: Option<&NumberedParagraph>,
    names: &Names<'_>,
) -> DocParagraph {
    DocParagraph {
        id: paragraph.id.get(),
        version: paragraph.version.get(),
        first_line: numbered.map_or(0, |n| n.first_line),
        lines: numbered.map(|n| n.lines.clone()).unwrap_or_default(),
        text: paragraph.text.clone(),
        history: paragraph
            .history
            .iter()
            .map(|v| DocVersion {
                version: v.version.get(),
                text: v.text.clone(),
                why_fr: names.provenance_fr(&v.provenance),
                provenance: v.provenance.clone(),
            })
            .collect(),
    }
}

fn lines_fr(
    numbered: &BTreeMap<ParagraphId, NumberedParagraph>,
    id: ParagraphId,
) -> Option<String> {
    numbered
        .get(&id)
        .map(|n| line_range_label_fr(n.first_line, n.last_line()))
}

fn doc_amendment(
    amendment: &Amendment,
    state: &MotionState,
    numbered: &BTreeMap<ParagraphId, NumberedParagraph>,
    ballot: Option<&Ballot>,
    names: &Names<'_>,
    person: &dyn Fn(MemberId) -> Person,
) -> DocAmendment {
    let (kind, target_fr, paragraph_id) = match &amendment.target {
        AmendmentTarget::Replace { paragraph, .. } | AmendmentTarget::Delete { paragraph, .. } => {
            let kind = if matches!(amendment.target, AmendmentTarget::Replace { .. }) {
                "replace"
            } else {
                "delete"
            };
            let target = lines_fr(numbered, *paragraph)
                .unwrap_or_else(|| "paragraphe supprimé depuis".to_owned());
            let verb = if kind == "replace" {
                "réécrit"
            } else {
                "supprime"
            };
            (kind, format!("{verb} {target}"), Some(paragraph.get()))
        }
        AmendmentTarget::InsertAfter { section, after, .. } => {
            let target = match after {
                Some(after) => match numbered.get(after) {
                    Some(n) => format!("insère après la l. {}", n.last_line()),
                    None => "insère après un paragraphe supprimé depuis".to_owned(),
                },
                None => {
                    let title = state
                        .section(*section)
                        .map(|s| french(&s.title))
                        .unwrap_or_default();
                    format!("insère en tête de la section « {title} »")
                }
            };
            ("insert", french(&target), after.map(|p| p.get()))
        }
    };
    DocAmendment {
        number: amendment.number,
        kind: kind.to_owned(),
        target_fr,
        paragraph_id,
        author: person(amendment.author),
        cosigners: amendment.cosigners.iter().map(|id| person(*id)).collect(),
        status: amendment.status.code().to_owned(),
        status_fr: names.status_fr(&amendment.status),
        proposed_text: amendment.target.text().map(french),
        rationale: french(&amendment.rationale),
        ballot: ballot.and_then(|b| {
            b.result.map(|r| BallotRef {
                number: b.number,
                pour: r.total.pour,
                contre: r.total.contre,
                abstention: r.total.abstention,
                rule_fr: b.rules.majority.label_fr().to_owned(),
                outcome: r.outcome.code().to_owned(),
            })
        }),
    }
}

fn doc_ballot(
    ballot: &Ballot,
    state: &MotionState,
    numbered: &BTreeMap<ParagraphId, NumberedParagraph>,
    names: &Names<'_>,
) -> Option<DocBallot> {
    let result = ballot.result?;
    let subject_fr = match ballot.subject {
        BallotSubject::Amendment { amendment } => names.amendment(amendment),
        BallotSubject::Paragraph { paragraph } => match lines_fr(numbered, paragraph) {
            Some(lines) => format!("paragraphe, {lines}"),
            None => {
                let deleted = state
                    .paragraph(paragraph)
                    .is_some_and(Paragraph::is_deleted);
                if deleted {
                    "paragraphe (supprimé)".to_owned()
                } else {
                    format!("paragraphe (id {paragraph})")
                }
            }
        },
        BallotSubject::Motion => "motion entière".to_owned(),
    };
    let explanation = result.explain_fr(&ballot.rules);
    Some(DocBallot {
        number: ballot.number,
        title: french(&ballot.title),
        subject_fr,
        pour: result.total.pour,
        contre: result.total.contre,
        abstention: result.total.abstention,
        hall_participants: result.hall.participants(),
        registered: result.registered,
        present: result.present,
        required: result.required,
        rule_fr: ballot.rules.majority.label_fr().to_owned(),
        outcome: result.outcome.code().to_owned(),
        explanation_fr: french(&explanation),
    })
}

fn contributors(state: &MotionState, person: &dyn Fn(MemberId) -> Person) -> Vec<Contributor> {
    let mut by_member: BTreeMap<MemberId, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
    for amendment in state.amendments() {
        by_member
            .entry(amendment.author)
            .or_default()
            .0
            .push(amendment.number);
        for cosigner in &amendment.cosigners {
            by_member
                .entry(*cosigner)
                .or_default()
                .1
                .push(amendment.number);
        }
    }
    let mut out: Vec<Contributor> = by_member
        .into_iter()
        .map(|(id, (filed, cosigned))| Contributor {
            person: person(id),
            filed,
            cosigned,
        })
        .collect();
    out.sort_by(|a, b| a.person.cmp(&b.person));
    out
}

/// "212 pour, 48 contre, 17 abstentions": a ballot's counts in French, for tables.
#[must_use]
pub fn counts_fr(pour: u32, contre: u32, abstention: u32) -> String {
    format!(
        "{} pour, {} contre, {} abst.",
        number_fr(pour),
        number_fr(contre),
        number_fr(abstention)
    )
}

/// The outcome code in French.
#[must_use]
pub fn outcome_fr(code: &str) -> &'static str {
    match code {
        c if c == Outcome::Adopted.code() => "adopté",
        c if c == Outcome::Rejected.code() => "rejeté",
        c if c == Outcome::QuorumNotMet.code() => "quorum non atteint",
        _ => "—",
    }
}

#[cfg(test)]
mod tests;
