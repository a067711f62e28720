//! Reads about amendments and paragraph histories as stored: names, dates, pending counts, version rows
//! (`api::views` builds what the pages show from them and the replayed log). Writes never happen here: they go
//! through `commands::execute`.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{
    StoreError,
    entities::{amendment, member, motion, motion_event, paragraph, paragraph_version},
};

/// "Given Usual" of each member in `ids`.
pub async fn names<C: ConnectionTrait>(
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

/// When each amendment of a motion was filed (ms since the epoch), by amendment id: every amendment, or only
/// those `among` (one page of a list).
///
/// # Errors
/// `Db` when the database fails.
pub async fn filed_at<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    among: Option<&[i32]>,
) -> Result<HashMap<i32, i64>, StoreError> {
    let mut query = amendment::Entity::find()
        .select_only()
        .column(amendment::Column::Id)
        .column(amendment::Column::CreatedAt)
        .filter(amendment::Column::MotionId.eq(motion_id));
    if let Some(ids) = among {
        query = query.filter(amendment::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(query
        .into_tuple::<(i32, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// When one amendment was filed (ms since the epoch), if it was projected.
///
/// # Errors
/// `Db` when the database fails.
pub async fn filed_at_of<C: ConnectionTrait>(
    conn: &C,
    amendment_id: i32,
) -> Result<Option<i64>, StoreError> {
    Ok(amendment::Entity::find_by_id(amendment_id)
        .one(conn)
        .await?
        .map(|row| row.created_at))
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

/// What a paragraph's history shows, as stored: the paragraph, its motion, its version rows, and the log events
/// that made them (by seq: who and when).
pub struct HistoryRows {
    pub paragraph: paragraph::Model,
    pub motion: motion::Model,
    pub versions: Vec<paragraph_version::Model>,
    pub events: HashMap<i64, motion_event::Model>,
}

/// The rows of [`HistoryRows`].
///
/// # Errors
/// `NotFound` for an unknown paragraph; `Db` when the database fails.
pub async fn history_rows<C: ConnectionTrait>(
    conn: &C,
    paragraph_id: i32,
) -> Result<HistoryRows, StoreError> {
    let paragraph = paragraph::Entity::find_by_id(paragraph_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let motion = motion::Entity::find_by_id(paragraph.motion_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let versions = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.eq(paragraph_id))
        .all(conn)
        .await?;
    let seqs: Vec<i64> = versions.iter().map(|v| v.event_seq).collect();
    let events = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(paragraph.motion_id))
        .filter(motion_event::Column::Seq.is_in(seqs))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.seq, e))
        .collect();
    Ok(HistoryRows {
        paragraph,
        motion,
        versions,
        events,
    })
}
