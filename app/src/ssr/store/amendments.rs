//! Reads about amendments and paragraph histories, built from the replayed log (the truth) plus names and
//! dates from the tables. Writes never happen here: they go through `commands::execute`.

use std::collections::{BTreeSet, HashMap};

use domain::{
    amendment::{Amendment, AmendmentStatus, AmendmentTarget},
    diff::word_diff,
    ids::{MemberId, ParagraphId},
    motion_state::MotionState,
    paragraph::Provenance,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    StoreError,
    commands::{load_state, target_kind},
    entities::{amendment, member, motion, motion_event, paragraph, paragraph_version},
};
use crate::api::{
    AmendmentView, ConflictView, CosignerView, ParagraphHistoryView, PlaceView, ProvenanceView,
    VersionView,
};

/// "Given Usual" of each member in `ids`.
pub(crate) async fn names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, StoreError> {
    let ids: BTreeSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, format!("{} {}", m.given_name, m.usual_name)))
        .collect())
}

/// Where a paragraph stands in the current text: its ordinal among live paragraphs and its lines.
fn place_of(state: &MotionState, id: ParagraphId) -> Option<PlaceView> {
    state
        .numbered_paragraphs()
        .into_iter()
        .enumerate()
        .find(|(_, (pid, _))| *pid == id)
        .map(|(index, (_, numbered))| PlaceView {
            paragraph_id: id.get(),
            ordinal: index + 1,
            first_line: numbered.first_line,
            last_line: numbered.last_line(),
        })
}

fn name_of(names: &HashMap<i32, String>, id: MemberId) -> String {
    names.get(&id.get()).cloned().unwrap_or_default()
}

/// The view of one amendment: its place, its texts and its word diff against the text it applies to.
fn amendment_view(
    state: &MotionState,
    a: &Amendment,
    names: &HashMap<i32, String>,
    created_at: i64,
) -> AmendmentView {
    let paragraph = a.target.paragraph().and_then(|id| state.paragraph(id));
    let text_at = |version| paragraph.and_then(|p| p.text_at(version));
    let (old, new): (String, String) = match &a.target {
        AmendmentTarget::InsertAfter { text, .. } => (String::new(), text.clone()),
        AmendmentTarget::Delete { base_version, .. } => (
            text_at(*base_version).unwrap_or_default().to_owned(),
            String::new(),
        ),
        AmendmentTarget::Replace {
            base_version, text, ..
        } => match a.proposed_text() {
            Some(proposed) => (
                a.applies_to()
                    .and_then(text_at)
                    .unwrap_or_default()
                    .to_owned(),
                proposed.to_owned(),
            ),
            None => (
                text_at(*base_version).unwrap_or_default().to_owned(),
                text.clone(),
            ),
        },
    };
    let (section_id, after) = match &a.target {
        AmendmentTarget::InsertAfter { section, after, .. } => (Some(section.get()), *after),
        _ => (None, None),
    };
    let (status_reason, fall_reason) = match &a.status {
        AmendmentStatus::Inadmissible { reason } => (Some(reason.clone()), None),
        AmendmentStatus::Fallen { reason } => (None, Some(reason.clone())),
        _ => (None, None),
    };
    AmendmentView {
        id: a.id.get(),
        number: a.number,
        author_id: a.author.get(),
        author_name: name_of(names, a.author),
        kind: target_kind(&a.target).to_owned(),
        target: a.target.paragraph().and_then(|id| place_of(state, id)),
        paragraph_id: a.target.paragraph().map(ParagraphId::get),
        section_id,
        section_title: section_id.and_then(|id| {
            state
                .section(domain::ids::SectionId(id))
                .map(|s| s.title.clone())
        }),
        after: after.and_then(|id| place_of(state, id)),
        base_version: a.target.base_version().map(|v| v.get()),
        applies_to: a.applies_to().map(|v| v.get()),
        current_version: paragraph.map(|p| p.version.get()),
        proposed_text: a.proposed_text().map(str::to_owned),
        author_text: a.target.text().map(str::to_owned),
        diff: word_diff(&old, &new),
        rationale: a.rationale.clone(),
        cosigners: a
            .cosigners
            .iter()
            .map(|id| CosignerView {
                member_id: id.get(),
                name: name_of(names, *id),
            })
            .collect(),
        invited: a
            .invited
            .iter()
            .filter(|id| !a.cosigners.contains(id))
            .map(|id| CosignerView {
                member_id: id.get(),
                name: name_of(names, *id),
            })
            .collect(),
        min_cosigners: state.min_cosigners(),
        status: a.status.status_code(),
        status_reason,
        fall_reason,
        rebased: matches!(
            a.rebasing,
            Some(domain::amendment::Rebasing::Rebased { .. })
        ),
        conflicted: a.is_conflicted(),
        conflict: match &a.rebasing {
            Some(domain::amendment::Rebasing::Conflicted {
                onto_version,
                regions,
            }) => Some(ConflictView {
                onto_version: onto_version.get(),
                current_text: text_at(*onto_version).unwrap_or_default().to_owned(),
                regions: regions
                    .iter()
                    .map(|r| (r.theirs.clone(), r.ours.clone()))
                    .collect(),
            }),
            _ => None,
        },
        created_at,
    }
}

/// Every amendment of a motion, by number.
///
/// # Errors
/// `NotFound` for an unknown motion; `Db` when the database fails.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    reads: &super::reads::Reads,
    motion_id: i32,
) -> Result<Vec<AmendmentView>, StoreError> {
    let state = reads.state(conn, motion_id).await?;
    let all = state.amendments();
    let people = names(
        conn,
        all.iter()
            .flat_map(|a| {
                std::iter::once(a.author)
                    .chain(a.cosigners.iter().copied())
                    .chain(a.invited.iter().copied())
            })
            .map(MemberId::get),
    )
    .await?;
    let created: HashMap<i32, i64> = amendment::Entity::find()
        .filter(amendment::Column::MotionId.eq(motion_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| (row.id, row.created_at))
        .collect();
    Ok(all
        .into_iter()
        .map(|a| {
            let at = created.get(&a.id.get()).copied().unwrap_or_default();
            amendment_view(&state, a, &people, at)
        })
        .collect())
}

/// Pending (filed or admissible) amendments per paragraph of a motion: replacements and deletions of it,
/// and insertions after it.
///
/// # Errors
/// `Db` when the database fails.
pub async fn pending_counts<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<HashMap<i32, usize>, StoreError> {
    let rows = amendment::Entity::find()
        .filter(amendment::Column::MotionId.eq(motion_id))
        .filter(amendment::Column::Status.is_in(["filed", "admissible"]))
        .all(conn)
        .await?;
    let mut counts = HashMap::new();
    for row in rows {
        if let Some(id) = row.paragraph_id.or(row.after_paragraph_id) {
            *counts.entry(id).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// A paragraph's every version with its provenance, its diff from the previous one, who made it and when
/// (from the log event that created it).
///
/// # Errors
/// `NotFound` for an unknown paragraph; `Db` when the database fails.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    paragraph_id: i32,
) -> Result<ParagraphHistoryView, StoreError> {
    let row = paragraph::Entity::find_by_id(paragraph_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let motion = motion::Entity::find_by_id(row.motion_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let state = load_state(conn, row.motion_id).await?;
    let p = state
        .paragraph(ParagraphId(paragraph_id))
        .ok_or(StoreError::NotFound)?;
    let versions = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.eq(paragraph_id))
        .all(conn)
        .await?;
    let seqs: Vec<i64> = versions.iter().map(|v| v.event_seq).collect();
    let events: HashMap<i64, motion_event::Model> = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(row.motion_id))
        .filter(motion_event::Column::Seq.is_in(seqs))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.seq, e))
        .collect();
    let amendment_authors = p.history.iter().filter_map(|v| match v.provenance {
        Provenance::Amendment { amendment, .. } => state.amendment(amendment).map(|a| a.author),
        _ => None,
    });
    let people = names(
        conn,
        events
            .values()
            .filter_map(|e| e.actor_id)
            .chain(amendment_authors.map(MemberId::get)),
    )
    .await?;
    let mut previous: Option<&str> = None;
    let mut views = Vec::with_capacity(p.history.len());
    for version in &p.history {
        let event = versions
            .iter()
            .find(|v| i64::from(v.number) == i64::from(version.version.get()))
            .and_then(|v| events.get(&v.event_seq));
        let provenance = match &version.provenance {
            Provenance::Initial => ProvenanceView::Initial,
            Provenance::DraftEdit => ProvenanceView::DraftEdit,
            Provenance::EditorialFix { reason } => ProvenanceView::EditorialFix {
                reason: reason.clone(),
            },
            Provenance::Amendment { amendment, ballot } => {
                let adopted = state.amendment(*amendment);
                ProvenanceView::Amendment {
                    amendment_id: amendment.get(),
                    number: adopted.map(|a| a.number),
                    author_name: adopted.map(|a| name_of(&people, a.author)),
                    ballot_id: ballot.map(|b| b.get()),
                    ballot_number: ballot.and_then(|b| state.ballot(b)).map(|b| b.number),
                }
            }
            Provenance::Ballot { ballot } => ProvenanceView::Ballot {
                ballot_id: ballot.get(),
                number: state.ballot(*ballot).map(|b| b.number),
            },
        };
        views.push(VersionView {
            number: version.version.get(),
            text: version.text.clone(),
            diff: previous.map(|old| word_diff(old, &version.text)),
            provenance,
            actor_name: event
                .and_then(|e| e.actor_id)
                .and_then(|id| people.get(&id).cloned()),
            occurred_at: event.map(|e| e.occurred_at),
        });
        previous = Some(&version.text);
    }
    Ok(ParagraphHistoryView {
        motion_id: motion.id,
        motion_title: motion.title,
        phase: state.phase(),
        paragraph_id,
        section_id: p.section.get(),
        place: place_of(&state, p.id),
        current_version: p.version.get(),
        current_text: p.text.clone(),
        deleted: p.is_deleted(),
        versions: views,
    })
}
