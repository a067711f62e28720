//! The motion's append-only, hash-chained log. Every change to a motion goes through `append`, inside the
//! transaction that updates the materialized tables.

use domain::log::{GENESIS_HASH, canonical_json, chain_hash};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};

use super::{StoreError, entities::motion_event};

/// One event to record: what happened, who did it, when (milliseconds since the Unix epoch, UTC).
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub kind: &'static str,
    pub actor_id: Option<i32>,
    pub occurred_at: i64,
    pub payload: Value,
}

/// The canonical text that is hashed for an event: its envelope, keys sorted, NFC strings.
pub fn canonical_envelope(
    kind: &str,
    actor_id: Option<i32>,
    occurred_at: i64,
    payload: &Value,
) -> String {
    canonical_json(&json!({
        "kind": kind,
        "actor": actor_id,
        "at": occurred_at,
        "payload": payload,
    }))
}

/// Appends `event` to the log of `motion_id` with the next `seq`, chained to the previous hash.
/// Call it inside the transaction that changes the materialized tables.
///
/// # Errors
/// `Conflict("motion_events_seq")` when a concurrent append took the same `seq` (the transaction must be
/// retried); `Db` otherwise.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    event: NewEvent,
) -> Result<i64, StoreError> {
    let head = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .order_by_desc(motion_event::Column::Seq)
        .one(conn)
        .await?;
    let (seq, prev_hash) = match head {
        Some(head) => (head.seq + 1, head.hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let envelope = canonical_envelope(
        event.kind,
        event.actor_id,
        event.occurred_at,
        &event.payload,
    );
    let hash = chain_hash(&prev_hash, seq.unsigned_abs(), &envelope);
    motion_event::ActiveModel {
        motion_id: Set(motion_id),
        seq: Set(seq),
        kind: Set(event.kind.to_owned()),
        actor_id: Set(event.actor_id),
        occurred_at: Set(event.occurred_at),
        payload: Set(canonical_json(&event.payload)),
        prev_hash: Set(prev_hash),
        hash: Set(hash),
    }
    .insert(conn)
    .await
    .map_err(|err| StoreError::from_write(err, "motion_events_seq"))?;
    Ok(seq)
}

/// The events of a motion after `since`, in order.
///
/// # Errors
/// `Db` when the database fails.
pub async fn since<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    since: i64,
) -> Result<Vec<motion_event::Model>, StoreError> {
    Ok(motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .filter(motion_event::Column::Seq.gt(since))
        .order_by_asc(motion_event::Column::Seq)
        .all(conn)
        .await?)
}

/// At most `limit` events of a motion after `since`, in order: replays and catch-ups read the log in pages so
/// that a long motion never sits whole in memory.
///
/// # Errors
/// `Db` when the database fails.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    since: i64,
    limit: u64,
) -> Result<Vec<motion_event::Model>, StoreError> {
    Ok(motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .filter(motion_event::Column::Seq.gt(since))
        .order_by_asc(motion_event::Column::Seq)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The seq of the last event of a motion (0 when its log is empty).
///
/// # Errors
/// `Db` when the database fails.
pub async fn head<C: ConnectionTrait>(conn: &C, motion_id: i32) -> Result<i64, StoreError> {
    Ok(motion_event::Entity::find()
        .select_only()
        .column_as(motion_event::Column::Seq.max(), "head")
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten()
        .unwrap_or(0))
}
