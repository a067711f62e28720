//! The motion's append-only, hash-chained log, and the one replay of the server. Every change to a motion goes
//! through [`append`], inside the transaction that updates the materialized tables; every read of a motion's
//! state goes through [`Heads`], which keeps the state at the log's head per motion and advances it by the
//! events appended since, so neither a command nor a page replays the whole log again; exports replay up to
//! one moment with [`state_at`].

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use domain::{
    event::MotionEvent,
    log::{GENESIS_HASH, canonical_json, chain_hash},
    motion::Phase,
    motion_state::MotionState,
};
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

/// An event placed in a chain: its seq, the hash it follows, its own hash and its stored (canonical) payload.
pub struct Chained {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub payload: String,
}

/// Places `event` after `head` (the chain's last seq and hash; `None` for the first event). The one hashing of
/// every log: motions' and editions'.
pub fn chain(head: Option<(i64, String)>, event: &NewEvent) -> Chained {
    let (seq, prev_hash) = head.map_or((1, GENESIS_HASH.to_owned()), |(seq, hash)| (seq + 1, hash));
    let envelope = canonical_envelope(
        event.kind,
        event.actor_id,
        event.occurred_at,
        &event.payload,
    );
    Chained {
        hash: chain_hash(&prev_hash, seq.unsigned_abs(), &envelope),
        payload: canonical_json(&event.payload),
        seq,
        prev_hash,
    }
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
    let chained = chain(head.map(|h| (h.seq, h.hash)), &event);
    motion_event::ActiveModel {
        motion_id: Set(motion_id),
        seq: Set(chained.seq),
        kind: Set(event.kind.to_owned()),
        actor_id: Set(event.actor_id),
        occurred_at: Set(event.occurred_at),
        payload: Set(chained.payload),
        prev_hash: Set(chained.prev_hash),
        hash: Set(chained.hash),
    }
    .insert(conn)
    .await
    .map_err(|err| StoreError::from_write(err, "motion_events_seq"))?;
    Ok(chained.seq)
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

/// Events read per query when the log is replayed or a cached state catches up.
const PAGE: u64 = 1000;

/// Applies stored rows to `state`, in order. An event this version cannot read is skipped with a warning, never
/// fatal: the log is the truth, and `hemicycle verify-log` still checks its hash.
fn apply_rows(state: &mut MotionState, motion_id: i32, rows: &[motion_event::Model]) {
    for row in rows {
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
    }
}

/// Brings `state`, which reflects the log up to `from`, up to `to`, a page of events at a time.
async fn advance<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    state: &mut MotionState,
    from: i64,
    to: i64,
) -> Result<(), StoreError> {
    let mut last = from;
    while last < to {
        let rows = page(conn, motion_id, last, PAGE).await?;
        let Some(end) = rows.last().map(|row| row.seq) else {
            break;
        };
        let rows: Vec<_> = rows.into_iter().filter(|row| row.seq <= to).collect();
        apply_rows(state, motion_id, &rows);
        last = end;
    }
    Ok(())
}

/// The state of each motion at its log's head, kept by this instance.
///
/// Keyed by the head's `seq`, an entry is never wrong, only possibly behind: a read finds the head (one small
/// query) and applies the events it lacks. A command takes its motion's entry out for its transaction (it is
/// the only writer of that motion then: SQLite's write lock, PostgreSQL's row lock), mutates it in place and
/// puts it back after the commit; a lost race or a refusal simply drops it, and the next reader rebuilds it.
#[derive(Debug, Default)]
pub struct Heads {
    states: Mutex<HashMap<i32, (i64, Arc<MotionState>)>>,
}

impl Heads {
    fn cached(&self, motion_id: i32) -> Option<(i64, Arc<MotionState>)> {
        self.states
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&motion_id)
            .cloned()
    }

    fn keep(&self, motion_id: i32, seq: i64, state: Arc<MotionState>) {
        let mut states = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        // A slower reader must not replace a newer entry with an older one.
        if states
            .get(&motion_id)
            .is_none_or(|(known, _)| *known <= seq)
        {
            states.insert(motion_id, (seq, state));
        }
    }

    /// The motion as its log says it is now.
    ///
    /// # Errors
    /// `NotFound` when the motion has no log (does not exist); `Db` when the database fails.
    pub async fn state<C: ConnectionTrait>(
        &self,
        conn: &C,
        motion_id: i32,
    ) -> Result<Arc<MotionState>, StoreError> {
        let head = head(conn, motion_id).await?;
        if head == 0 {
            return Err(StoreError::NotFound);
        }
        let (from, mut state) = match self.cached(motion_id) {
            Some((seq, state)) if seq == head => return Ok(state),
            Some((seq, state)) if seq < head => (seq, state),
            _ => (0, Arc::new(MotionState::default())),
        };
        // Other readers may hold the older state: they keep theirs, this one is a copy brought up to date.
        advance(conn, motion_id, Arc::make_mut(&mut state), from, head).await?;
        self.keep(motion_id, head, Arc::clone(&state));
        Ok(state)
    }

    /// The state a command starts from, owned: the cached one when nobody else holds it (no copy), else a copy;
    /// `head` is read inside the command's transaction.
    pub(super) async fn take<C: ConnectionTrait>(
        &self,
        conn: &C,
        motion_id: i32,
    ) -> Result<(i64, MotionState), StoreError> {
        let head = head(conn, motion_id).await?;
        if head == 0 {
            return Err(StoreError::NotFound);
        }
        let taken = self
            .states
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&motion_id);
        let (from, mut state) = match taken {
            Some((seq, state)) if seq <= head => (seq, Arc::unwrap_or_clone(state)),
            _ => (0, MotionState::default()),
        };
        advance(conn, motion_id, &mut state, from, head).await?;
        Ok((head, state))
    }

    /// A command committed: `state` is the motion at `seq`.
    pub(super) fn committed(&self, motion_id: i32, seq: i64, state: MotionState) {
        self.keep(motion_id, seq, Arc::new(state));
    }
}

/// Which moment of the log to replay up to.
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

/// Replays the log of `motion_id` from its start up to the moment `at` (exports and their checks: a pure
/// function of the log, whatever any cache holds).
///
/// # Errors
/// `NotFound` when the motion has no log, when `At::Adoption` is asked of a motion that was never adopted, or
/// `At::Seq` past the head; `Db` when the database fails.
pub async fn state_at<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    at: At,
) -> Result<StateAt, StoreError> {
    let mut state = MotionState::default();
    let mut last: Option<motion_event::Model> = None;
    let mut after = 0;
    'pages: loop {
        let rows = page(conn, motion_id, after, PAGE).await?;
        let full = rows.len() as u64 >= PAGE;
        for row in rows {
            if let At::Seq(seq) = at
                && row.seq > seq
            {
                break 'pages;
            }
            apply_rows(&mut state, motion_id, std::slice::from_ref(&row));
            after = row.seq;
            last = Some(row);
            if at == At::Adoption && state.phase() == Phase::Adopted {
                break 'pages;
            }
        }
        if !full {
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
        hash: last.hash,
        occurred_at: last.occurred_at,
        state,
    })
}
