//! The reads every open page of a motion repeats after each live event, kept per motion for the log's current
//! head: when a thousand tabs read the motion again after one amendment, one of them replays the log and builds
//! the view, the others get a copy (one small query for the head each). Keyed by the head `seq`, an entry is
//! never stale: every change to what these reads show is an event, and a new event moves the head.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use domain::motion_state::MotionState;
use sea_orm::ConnectionTrait;

use super::{StoreError, commands::load_state, events, motions};
use crate::api::MotionView;

/// One server's cache of replayed motions and motion views (a few entries per motion at most).
#[derive(Default)]
pub struct Reads {
    states: Mutex<HashMap<i32, (i64, Arc<MotionState>)>>,
    views: Mutex<HashMap<i32, (i64, Arc<MotionView>)>>,
}

fn cached<T>(
    map: &Mutex<HashMap<i32, (i64, Arc<T>)>>,
    motion_id: i32,
    head: i64,
) -> Option<Arc<T>> {
    let map = map
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.get(&motion_id)
        .filter(|(seq, _)| *seq == head)
        .map(|(_, value)| Arc::clone(value))
}

fn keep<T>(map: &Mutex<HashMap<i32, (i64, Arc<T>)>>, motion_id: i32, head: i64, value: &Arc<T>) {
    let mut map = map
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // A slower reader must not replace a newer entry with an older one.
    if map.get(&motion_id).is_none_or(|(seq, _)| *seq <= head) {
        map.insert(motion_id, (head, Arc::clone(value)));
    }
}

impl Reads {
    /// The motion as its log says it is now (see [`load_state`]).
    ///
    /// # Errors
    /// As [`load_state`].
    pub async fn state<C: ConnectionTrait>(
        &self,
        conn: &C,
        motion_id: i32,
    ) -> Result<Arc<MotionState>, StoreError> {
        let head = events::head(conn, motion_id).await?;
        if let Some(state) = cached(&self.states, motion_id, head) {
            return Ok(state);
        }
        // Read after the head: the state is at least as new as the key it is kept under.
        let state = Arc::new(load_state(conn, motion_id).await?);
        keep(&self.states, motion_id, head, &state);
        Ok(state)
    }

    /// The motion as the reader shows it (see [`motions::motion_view`]).
    ///
    /// # Errors
    /// As [`motions::motion_view`].
    pub async fn motion_view<C: ConnectionTrait>(
        &self,
        conn: &C,
        motion_id: i32,
    ) -> Result<Arc<MotionView>, StoreError> {
        let head = events::head(conn, motion_id).await?;
        if let Some(view) = cached(&self.views, motion_id, head) {
            return Ok(view);
        }
        let view = Arc::new(motions::motion_view(conn, motion_id).await?);
        keep(&self.views, motion_id, view.seq, &view);
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_only_its_head_and_is_never_replaced_by_an_older_one() {
        let map: Mutex<HashMap<i32, (i64, Arc<&str>)>> = Mutex::default();
        assert!(cached(&map, 1, 10).is_none());
        keep(&map, 1, 10, &Arc::new("at 10"));
        assert_eq!(cached(&map, 1, 10).as_deref(), Some(&"at 10"));
        assert!(
            cached(&map, 1, 11).is_none(),
            "a new event makes the entry useless"
        );
        assert!(cached(&map, 2, 10).is_none(), "one entry per motion");
        keep(&map, 1, 12, &Arc::new("at 12"));
        keep(&map, 1, 11, &Arc::new("at 11, late"));
        assert_eq!(cached(&map, 1, 12).as_deref(), Some(&"at 12"));
    }
}
