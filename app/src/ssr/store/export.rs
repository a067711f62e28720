//! Reads a motion's log and the people it names into a [`MotionDocument`]: the one loader behind every export
//! (PDF, ODT, Markdown, JSON, the dossier) and behind `hemicycle verify-dossier`.
//!
//! The document is built by `domain::document::build_document` from the state replayed up to one event, so an
//! export is a pure function of the log: the same seq always gives the same document (and the same bytes).

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    document::{DocumentContext, EditionInfo, MotionDocument, Person, build_document},
    event::MotionEvent,
    ids::MemberId,
    motion::Phase,
    motion_state::MotionState,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::{
    StoreError,
    entities::{edition, member, motion, motion_event},
    events,
};

/// Which moment of the log to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// Now: the last event (a working version unless the motion is adopted).
    Head,
    /// The event that adopted the motion: the text handed over, whatever was logged after it.
    Adoption,
    /// Right after event `seq`.
    Seq(i64),
}

/// The motion's state at one event of its log, with that event.
pub struct StateAt {
    pub state: MotionState,
    pub seq: i64,
    pub hash: String,
    pub occurred_at: i64,
}

/// Replays the log of `motion_id` up to the moment `at`: the one replay of the server (commands, reads and
/// exports). An event this version cannot read is skipped with a warning, never fatal: the log is the truth.
///
/// # Errors
/// `NotFound` when the motion has no log, when `At::Adoption` is asked of a motion that was never adopted, or
/// `At::Seq` past the head; `Db` when the database fails.
pub async fn state_at<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    at: At,
) -> Result<StateAt, StoreError> {
    let rows = events::since(conn, motion_id, 0).await?;
    let mut state = MotionState::default();
    let mut last: Option<&motion_event::Model> = None;
    for row in &rows {
        if let At::Seq(seq) = at
            && row.seq > seq
        {
            break;
        }
        let parsed = serde_json::from_str::<Value>(&row.payload)
            .ok()
            .and_then(|payload| MotionEvent::from_stored(&row.kind, &payload).ok());
        match parsed {
            Some(event) => state.apply(&event),
            None => tracing::warn!(
                motion.id = motion_id,
                seq = row.seq,
                kind = %row.kind,
                "event skipped at replay: unknown kind or payload"
            ),
        }
        last = Some(row);
        if at == At::Adoption && state.phase() == Phase::Adopted {
            break;
        }
    }
    let last = last.ok_or(StoreError::NotFound)?;
    let reached = match at {
        At::Head => true,
        At::Adoption => state.phase() == Phase::Adopted,
        At::Seq(seq) => last.seq == seq,
    };
    if !reached {
        return Err(StoreError::NotFound);
    }
    Ok(StateAt {
        seq: last.seq,
        hash: last.hash.clone(),
        occurred_at: last.occurred_at,
        state,
    })
}

/// The motion's document at the moment `at` (see [`state_at`]), with its edition and the names and
/// mandates of the authors and co-signatories.
///
/// # Errors
/// As [`state_at`]; `NotFound` also when the motion or its edition row is missing.
pub async fn load_document<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    at: At,
) -> Result<MotionDocument, StoreError> {
    let motion = motion::Entity::find_by_id(motion_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let edition = edition::Entity::find_by_id(motion.edition_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let at = state_at(conn, motion_id, at).await?;
    let named: BTreeSet<i32> = at
        .state
        .amendments()
        .iter()
        .flat_map(|a| std::iter::once(a.author).chain(a.cosigners.iter().copied()))
        .map(MemberId::get)
        .collect();
    let members = if named.is_empty() {
        BTreeMap::new()
    } else {
        member::Entity::find()
            .filter(member::Column::Id.is_in(named))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (MemberId(m.id), person(&m)))
            .collect()
    };
    let ctx = DocumentContext {
        motion_id,
        edition: EditionInfo {
            title: edition.title,
            place: edition.place,
            starts_on: edition.starts_on,
            ends_on: edition.ends_on,
        },
        seq: at.seq.unsigned_abs(),
        at_millis: at.occurred_at,
        head_hash: at.hash,
        members,
    };
    Ok(build_document(&at.state, &ctx))
}

fn person(m: &member::Model) -> Person {
    let name = format!("{} {}", m.given_name.trim(), m.usual_name.trim())
        .trim()
        .to_owned();
    let mandate = [m.mandate_function.trim(), m.collectivity_name.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Person { name, mandate }
}
