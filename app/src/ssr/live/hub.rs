//! Rooms, subscriptions, presence and revocation. A room exists while someone follows its motion; one task per
//! room (the pump) is its only publisher, so frames leave in seq order and each event is read from the log once
//! per instance, however many subscribers there are.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, AtomicI64, AtomicU8, AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::extract::ws::Utf8Bytes;
use domain::{ids::MemberId, member::Attendance};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use tokio::{
    sync::{Notify, OnceCell, broadcast, watch},
    time::Instant,
};

use super::cluster::{self, Local as _};
use crate::protocol::ServerFrame;
use crate::ssr::store::{StoreError, log};

/// One frame as it is written to every subscriber's socket. Cloning shares the text.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The event's seq; 0 for frames that are not log events (presence).
    pub seq: i64,
    /// Bytes the room had published once this frame was: how far behind a subscriber is, in bytes.
    pub offset: u64,
    /// The JSON text (protocol v1).
    pub text: Utf8Bytes,
}

/// Bounds of the hub. The defaults are the production values; tests shrink them.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Frames a room keeps for subscribers that read slower than it publishes (shared by all of them).
    pub ring_frames: usize,
    /// A subscriber further behind than this many bytes is lagging: it gets `resync` and is let go.
    pub queue_bytes: u64,
    /// Presence frames are coalesced to at most one per this interval.
    pub presence_every: Duration,
    /// Events read from the log per query when a room catches up.
    pub page: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            ring_frames: 1024,
            queue_bytes: 1024 * 1024,
            presence_every: Duration::from_secs(1),
            page: 500,
        }
    }
}

/// Who follows a motion, as the hub needs to know them.
#[derive(Clone, Debug)]
pub struct Listener {
    /// The member whose session opened the socket; `None` for a projector's read-only link (nobody).
    pub member: Option<MemberId>,
    /// Hash of the session (cookie or bearer token), so that ending that session closes the socket.
    pub session_hash: String,
    /// `Some` for a verified delegate, counted in the presence figures where they take part from.
    pub counted_as: Option<Attendance>,
}

/// Why the hub ends a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The session ended (logout, suspension, replacement, password reset, expiry): code 4401, no reconnection.
    SessionEnded,
    /// The member's role or status changed: code 4403, the client reconnects at once with its new rights.
    RightsChanged,
    /// The server is stopping: code 1001, the client reconnects.
    GoingAway,
}

/// What a subscriber receives next.
#[derive(Debug)]
pub enum Received {
    Frame(Frame),
    /// The subscriber fell further behind than its queue allows: send `resync` and let it go.
    Lagged,
    /// The room is gone (the hub stopped).
    Closed,
}

/// The per-connection switch the hub uses to end a socket.
#[derive(Debug, Default)]
pub struct Control {
    notify: Notify,
    reason: AtomicU8,
}

impl Control {
    fn end(&self, reason: EndReason) {
        // Stronger reasons win: a revocation is never downgraded to a reconnection.
        let code = match reason {
            EndReason::SessionEnded => 3,
            EndReason::RightsChanged => 2,
            EndReason::GoingAway => 1,
        };
        self.reason.fetch_max(code, Ordering::AcqRel);
        self.notify.notify_one();
    }

    /// Resolves when the hub ends this connection.
    pub async fn ended(&self) -> EndReason {
        loop {
            match self.reason.load(Ordering::Acquire) {
                3 => return EndReason::SessionEnded,
                2 => return EndReason::RightsChanged,
                1 => return EndReason::GoingAway,
                _ => self.notify.notified().await,
            }
        }
    }
}

/// The hub of one server instance. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("rooms", &self.room_count())
            .field("connections", &self.connection_count())
            .finish_non_exhaustive()
    }
}

struct Inner {
    db: DatabaseConnection,
    limits: Limits,
    rooms: Mutex<HashMap<i32, Arc<Room>>>,
    connections: Mutex<HashMap<u64, Registered>>,
    next_id: AtomicU64,
    stopping: AtomicBool,
    /// PostgreSQL only: where committed seqs and revocations go to reach the other instances.
    cluster: Option<cluster::Link>,
}

struct Registered {
    member: Option<MemberId>,
    session_hash: String,
    control: Arc<Control>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every critical section here leaves the maps consistent, so a panic elsewhere does not poison them.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// A hub fed by this instance's commits only (SQLite, single instance).
    pub fn local(db: DatabaseConnection, limits: Limits) -> Self {
        Hub {
            inner: Arc::new(Inner::new(db, limits, None)),
        }
    }

    /// The hub for `db`: on PostgreSQL it also sends this instance's commits with `NOTIFY` and `LISTEN`s to the
    /// others'; on SQLite it is [`Hub::local`]. Must be called inside the Tokio runtime (spawns tasks).
    pub fn start(db: DatabaseConnection, limits: Limits) -> Self {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Self::local(db, limits);
        }
        let (link, tasks) = cluster::link();
        let inner = Arc::new(Inner::new(db.clone(), limits, Some(link)));
        let local: Arc<dyn cluster::Local> = inner.clone();
        tasks.spawn(db, Arc::downgrade(&local));
        Hub { inner }
    }

    /// The limits this hub applies.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// Rooms open now (motions followed by at least one subscriber).
    pub fn room_count(&self) -> usize {
        lock(&self.inner.rooms).len()
    }

    /// Sockets following a motion on this instance.
    pub fn connection_count(&self) -> usize {
        lock(&self.inner.connections).len()
    }

    /// Called after a transaction that appended events to `motion_id` up to `seq` has **committed**.
    pub fn committed(&self, motion_id: i32, seq: i64) {
        self.signal(motion_id, seq);
        if let Some(link) = &self.inner.cluster {
            link.event(motion_id, seq);
        }
    }

    /// The log of `motion_id` holds events up to `seq`: its room (if any) reads and publishes what it lacks.
    pub fn signal(&self, motion_id: i32, seq: i64) {
        self.inner.signal(motion_id, seq);
    }

    /// Whether someone follows `motion_id` on this instance.
    pub fn is_followed(&self, motion_id: i32) -> bool {
        lock(&self.inner.rooms).contains_key(&motion_id)
    }

    /// Whether [`Hub::stop`] was called.
    pub fn is_stopping(&self) -> bool {
        self.inner.stopping.load(Ordering::Acquire)
    }

    /// Sends a frame that is not a log event (a tally) to everyone following `motion_id` on this instance,
    /// through the room's pump (its only publisher), after the events already signalled.
    pub fn publish_extra(&self, motion_id: i32, text: String) {
        let room = lock(&self.inner.rooms).get(&motion_id).cloned();
        if let Some(room) = room {
            lock(&room.extra).push(text);
            room.wake.notify_one();
        }
    }

    /// Every room reads the log again from its last seq (signals may have been missed: listener reconnected).
    pub fn reread_all(&self) {
        self.inner.reread_all();
    }

    /// Closes every socket of `member_id`, on every instance (suspension, rejection).
    pub fn end_member(&self, member_id: i32) {
        self.end_member_here(member_id);
        if let Some(link) = &self.inner.cluster {
            link.end_member(member_id);
        }
    }

    /// Makes every socket of `member_id` reconnect, on every instance, so that it follows with the member's new
    /// role or status (role changed, verification, an invitation accepted by a signed-in member).
    pub fn rights_changed(&self, member_id: i32) {
        self.rights_changed_here(member_id);
        if let Some(link) = &self.inner.cluster {
            link.rights_changed(member_id);
        }
    }

    pub(super) fn rights_changed_here(&self, member_id: i32) -> usize {
        self.inner.rights_changed_here(member_id)
    }

    /// Closes the sockets opened with one session, on every instance (logout).
    pub fn end_session(&self, session_hash: &str) {
        self.end_session_here(session_hash);
        if let Some(link) = &self.inner.cluster {
            link.end_session(session_hash);
        }
    }

    pub(super) fn end_member_here(&self, member_id: i32) -> usize {
        self.inner.end_member_here(member_id)
    }

    pub(super) fn end_session_here(&self, session_hash: &str) -> usize {
        self.inner.end_session_here(session_hash)
    }

    /// Tells every socket the server is stopping; new subscriptions are refused from now on.
    pub fn stop(&self) {
        self.inner.stopping.store(true, Ordering::Release);
        self.inner.end_where(|_| true, EndReason::GoingAway);
    }

    /// Follows `motion_id`. The returned subscription receives every frame the room publishes from now on; the
    /// caller reads the log after subscribing (so nothing falls between) and skips seqs it already sent.
    ///
    /// # Errors
    /// `Db` when the room's starting point cannot be read; `NotFound` when the hub is stopping.
    pub async fn subscribe(
        &self,
        motion_id: i32,
        listener: Listener,
    ) -> Result<Subscription, StoreError> {
        if self.inner.stopping.load(Ordering::Acquire) {
            return Err(StoreError::NotFound);
        }
        let (room, rx, published) = {
            let mut rooms = lock(&self.inner.rooms);
            let room = rooms
                .entry(motion_id)
                .or_insert_with(|| Arc::new(Room::new(motion_id, &self.inner.limits)))
                .clone();
            room.subscribers.fetch_add(1, Ordering::AcqRel);
            let rx = room.tx.subscribe();
            let published = room.published.subscribe();
            (room, rx, published)
        };
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let control = Arc::new(Control::default());
        lock(&self.inner.connections).insert(
            id,
            Registered {
                member: listener.member,
                session_hash: listener.session_hash,
                control: control.clone(),
            },
        );
        let presence = listener
            .member
            .zip(listener.counted_as)
            .map(|(member, a)| (member.get(), a));
        if let Some((member, attendance)) = presence {
            room.presence_change(member, attendance, true);
        }
        metrics::gauge!("hemicycle_live_connections", "motion" => motion_id.to_string())
            .increment(1);
        let delivered = *published.borrow();
        // From here on, dropping the subscription undoes all of the above.
        let subscription = Subscription {
            hub: self.clone(),
            room,
            rx,
            published,
            id,
            control,
            presence,
            delivered,
        };
        let room = subscription.room.clone();
        let db = self.inner.db.clone();
        let limits = self.inner.limits;
        room.started
            .get_or_try_init(|| async {
                // The room publishes what comes after the head read *now*, after it was registered: a commit
                // either is in this head (the subscriber's replay reads it) or signals the registered room.
                let head = log::head(&db, motion_id).await?;
                room.last_seq.store(head, Ordering::Release);
                tokio::spawn(pump(room.clone(), db.clone(), limits));
                Ok::<(), StoreError>(())
            })
            .await?;
        Ok(subscription)
    }
}

impl Inner {
    fn end_where(&self, matches: impl Fn(&Registered) -> bool, reason: EndReason) -> usize {
        let connections = lock(&self.connections);
        let mut ended = 0;
        for registered in connections.values().filter(|r| matches(r)) {
            registered.control.end(reason);
            ended += 1;
        }
        ended
    }
}

impl cluster::Local for Inner {
    fn signal(&self, motion_id: i32, seq: i64) {
        let room = lock(&self.rooms).get(&motion_id).cloned();
        if let Some(room) = room {
            room.target.fetch_max(seq, Ordering::AcqRel);
            room.wake.notify_one();
        }
    }

    fn reread_all(&self) {
        let rooms: Vec<Arc<Room>> = lock(&self.rooms).values().cloned().collect();
        for room in rooms {
            room.reread.store(true, Ordering::Release);
            room.wake.notify_one();
        }
    }

    fn end_member_here(&self, member_id: i32) -> usize {
        self.end_where(
            |r| r.member == Some(MemberId(member_id)),
            EndReason::SessionEnded,
        )
    }

    fn rights_changed_here(&self, member_id: i32) -> usize {
        self.end_where(
            |r| r.member == Some(MemberId(member_id)),
            EndReason::RightsChanged,
        )
    }

    fn end_session_here(&self, session_hash: &str) -> usize {
        self.end_where(|r| r.session_hash == session_hash, EndReason::SessionEnded)
    }
}

impl Inner {
    fn new(db: DatabaseConnection, limits: Limits, cluster: Option<cluster::Link>) -> Self {
        Inner {
            db,
            limits,
            rooms: Mutex::default(),
            connections: Mutex::default(),
            next_id: AtomicU64::new(1),
            stopping: AtomicBool::new(false),
            cluster,
        }
    }
}

/// One motion followed by someone on this instance.
struct Room {
    motion_id: i32,
    tx: broadcast::Sender<Frame>,
    /// Bytes published so far; subscribers blocked on a slow socket watch it to know when they overflow.
    published: watch::Sender<u64>,
    subscribers: AtomicUsize,
    /// The last seq published.
    last_seq: AtomicI64,
    /// The highest seq signalled.
    target: AtomicI64,
    /// Read the log whatever the target says (signals may have been missed).
    reread: AtomicBool,
    wake: Notify,
    started: OnceCell<()>,
    closed: AtomicBool,
    presence: Mutex<Presence>,
    /// Frames that are not log events (tallies), waiting for the pump, which publishes them in order.
    extra: Mutex<Vec<String>>,
}

/// Verified delegates connected to a room: sockets per member and attendance, and the figures derived.
#[derive(Default)]
struct Presence {
    sockets: HashMap<i32, [u32; 2]>,
    hall: u32,
    remote: u32,
    dirty: bool,
}

impl Presence {
    fn class(sockets: [u32; 2]) -> Option<usize> {
        // A member with a socket in the hall counts as in the hall, whatever their other tabs say.
        if sockets[0] > 0 {
            Some(0)
        } else if sockets[1] > 0 {
            Some(1)
        } else {
            None
        }
    }

    fn change(&mut self, member: i32, attendance: Attendance, joined: bool) {
        let slot = match attendance {
            Attendance::InHall => 0,
            Attendance::Remote => 1,
        };
        let entry = self.sockets.entry(member).or_default();
        let before = Self::class(*entry);
        if joined {
            entry[slot] += 1;
        } else {
            entry[slot] = entry[slot].saturating_sub(1);
        }
        let after = Self::class(*entry);
        if after.is_none() {
            self.sockets.remove(&member);
        }
        if before != after {
            for (class, delta) in [(before, false), (after, true)] {
                let counter = match class {
                    Some(0) => &mut self.hall,
                    Some(_) => &mut self.remote,
                    None => continue,
                };
                *counter = if delta {
                    *counter + 1
                } else {
                    counter.saturating_sub(1)
                };
            }
            self.dirty = true;
        }
    }
}

impl Room {
    fn new(motion_id: i32, limits: &Limits) -> Self {
        let (tx, _) = broadcast::channel(limits.ring_frames.max(1));
        Room {
            motion_id,
            tx,
            published: watch::Sender::new(0),
            subscribers: AtomicUsize::new(0),
            last_seq: AtomicI64::new(0),
            target: AtomicI64::new(0),
            reread: AtomicBool::new(false),
            wake: Notify::new(),
            started: OnceCell::new(),
            closed: AtomicBool::new(false),
            presence: Mutex::default(),
            extra: Mutex::default(),
        }
    }

    fn presence_change(&self, member: i32, attendance: Attendance, joined: bool) {
        let dirty = {
            let mut presence = lock(&self.presence);
            presence.change(member, attendance, joined);
            presence.dirty
        };
        if dirty {
            self.wake.notify_one();
        }
    }

    fn presence_counts(&self) -> (u32, u32) {
        let presence = lock(&self.presence);
        (presence.hall, presence.remote)
    }

    fn publish(&self, seq: i64, text: String) {
        let len = text.len() as u64;
        let offset = *self.published.borrow() + len;
        let _ = self.tx.send(Frame {
            seq,
            offset,
            text: text.into(),
        });
        self.published.send_replace(offset);
    }
}

/// The room's only publisher: reads the log after each signal, and the presence figures when they change.
async fn pump(room: Arc<Room>, db: DatabaseConnection, limits: Limits) {
    let mut next_presence = Instant::now();
    let mut last_presence: Option<(u32, u32)> = None;
    loop {
        let presence_pending = lock(&room.presence).dirty;
        tokio::select! {
            () = room.wake.notified() => {}
            () = tokio::time::sleep_until(next_presence), if presence_pending => {}
        }
        if room.closed.load(Ordering::Acquire) {
            return;
        }
        let forced = room.reread.swap(false, Ordering::AcqRel);
        if (forced || room.target.load(Ordering::Acquire) > room.last_seq.load(Ordering::Acquire))
            && let Err(err) = catch_up(&room, &db, limits.page).await
        {
            tracing::warn!(motion.id = room.motion_id, error = %err, "live: reading the log failed; retrying");
            tokio::time::sleep(Duration::from_millis(250)).await;
            room.reread.store(true, Ordering::Release);
            room.wake.notify_one();
            continue;
        }
        let extra = std::mem::take(&mut *lock(&room.extra));
        for text in extra {
            room.publish(0, text);
        }
        let now = Instant::now();
        if now >= next_presence {
            let due = std::mem::take(&mut lock(&room.presence).dirty);
            let counts = room.presence_counts();
            if due && last_presence != Some(counts) {
                let motion = room.motion_id.to_string();
                metrics::gauge!("hemicycle_live_delegates", "motion" => motion.clone(), "attendance" => "hall")
                    .set(f64::from(counts.0));
                metrics::gauge!("hemicycle_live_delegates", "motion" => motion, "attendance" => "remote")
                    .set(f64::from(counts.1));
                room.publish(
                    0,
                    ServerFrame::Presence {
                        hall: counts.0,
                        remote: counts.1,
                    }
                    .to_text(),
                );
                last_presence = Some(counts);
                next_presence = now + limits.presence_every;
            }
        }
    }
}

async fn catch_up(room: &Room, db: &DatabaseConnection, page: u64) -> Result<(), StoreError> {
    loop {
        let last = room.last_seq.load(Ordering::Acquire);
        let rows = log::page(db, room.motion_id, last, page).await?;
        let full = rows.len() as u64 >= page;
        for row in rows {
            room.publish(
                row.seq,
                ServerFrame::event(
                    row.seq,
                    &row.kind,
                    row.occurred_at,
                    row.actor_id,
                    &row.payload,
                )
                .to_text(),
            );
            room.last_seq.store(row.seq, Ordering::Release);
        }
        if !full {
            // A signal that arrived during the read left a wake-up: the pump comes back if it is still ahead.
            return Ok(());
        }
    }
}

/// One socket following one motion. Dropping it leaves the room (and drops the room with its last subscriber).
pub struct Subscription {
    hub: Hub,
    room: Arc<Room>,
    rx: broadcast::Receiver<Frame>,
    published: watch::Receiver<u64>,
    id: u64,
    control: Arc<Control>,
    presence: Option<(i32, Attendance)>,
    /// The offset of the last frame taken from the room.
    delivered: u64,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("motion", &self.room.motion_id)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// The next frame, or `Lagged` once this subscriber is more than the queue's bytes (or frames) behind.
    pub async fn recv(&mut self) -> Received {
        match self.rx.recv().await {
            Ok(frame) => self.accept(frame),
            Err(broadcast::error::RecvError::Lagged(_)) => Received::Lagged,
            Err(broadcast::error::RecvError::Closed) => Received::Closed,
        }
    }

    /// A frame that is already waiting, if any: lets the socket loop write a burst with one flush.
    pub fn try_recv(&mut self) -> Option<Received> {
        match self.rx.try_recv() {
            Ok(frame) => Some(self.accept(frame)),
            Err(broadcast::error::TryRecvError::Lagged(_)) => Some(Received::Lagged),
            Err(broadcast::error::TryRecvError::Closed) => Some(Received::Closed),
            Err(broadcast::error::TryRecvError::Empty) => None,
        }
    }

    fn accept(&mut self, frame: Frame) -> Received {
        self.delivered = self.delivered.max(frame.offset);
        let behind = self.published.borrow().saturating_sub(self.delivered);
        if behind > self.hub.inner.limits.queue_bytes {
            Received::Lagged
        } else {
            Received::Frame(frame)
        }
    }

    /// Resolves once the room has published more than the queue's bytes beyond what this subscriber took:
    /// raced against a socket write, it tells a stalled reader from a slow one.
    pub async fn overflowed(&mut self) {
        let limit = self.delivered + self.hub.inner.limits.queue_bytes;
        if self.published.wait_for(|p| *p > limit).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// The switch the hub uses to end this socket (revocation, shutdown).
    pub fn control(&self) -> Arc<Control> {
        self.control.clone()
    }

    /// The presence figures now, as a frame (sent once to a new subscriber after its replay).
    pub fn presence_frame(&self) -> String {
        let (hall, remote) = self.room.presence_counts();
        ServerFrame::Presence { hall, remote }.to_text()
    }

    /// The last seq the room published (what a replay must at least reach).
    pub fn room_seq(&self) -> i64 {
        self.room.last_seq.load(Ordering::Acquire)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        lock(&self.hub.inner.connections).remove(&self.id);
        metrics::gauge!("hemicycle_live_connections", "motion" => self.room.motion_id.to_string())
            .decrement(1);
        if let Some((member, attendance)) = self.presence {
            self.room.presence_change(member, attendance, false);
        }
        let mut rooms = lock(&self.hub.inner.rooms);
        if self.room.subscribers.fetch_sub(1, Ordering::AcqRel) == 1 {
            if rooms
                .get(&self.room.motion_id)
                .is_some_and(|r| Arc::ptr_eq(r, &self.room))
            {
                rooms.remove(&self.room.motion_id);
            }
            self.room.closed.store(true, Ordering::Release);
            self.room.wake.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegate_counts_once_and_in_the_hall_if_any_tab_is_there() {
        let mut presence = Presence::default();
        presence.change(1, Attendance::Remote, true);
        presence.change(1, Attendance::Remote, true);
        presence.change(2, Attendance::Remote, true);
        assert_eq!((presence.hall, presence.remote), (0, 2));
        presence.change(1, Attendance::InHall, true);
        assert_eq!((presence.hall, presence.remote), (1, 1));
        presence.change(1, Attendance::InHall, false);
        assert_eq!((presence.hall, presence.remote), (0, 2));
        presence.change(1, Attendance::Remote, false);
        presence.change(1, Attendance::Remote, false);
        presence.change(2, Attendance::Remote, false);
        assert_eq!((presence.hall, presence.remote), (0, 0));
        assert!(presence.sockets.is_empty());
    }

    #[test]
    fn an_unchanged_figure_is_not_marked_for_sending() {
        let mut presence = Presence::default();
        presence.change(1, Attendance::Remote, true);
        presence.dirty = false;
        presence.change(1, Attendance::Remote, true);
        assert!(!presence.dirty, "a second tab changes nothing");
    }

    #[test]
    fn a_revocation_is_not_downgraded_by_a_later_shutdown() {
        let control = Control::default();
        control.end(EndReason::SessionEnded);
        control.end(EndReason::GoingAway);
        let reason = block_on(control.ended());
        assert_eq!(reason, EndReason::SessionEnded);
    }

    /// A fresh SQLite database with the demo motion; the folder is removed by the guard.
    struct Scratch {
        dir: std::path::PathBuf,
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    async fn database() -> (DatabaseConnection, i32, Scratch) {
        let dir =
            std::env::temp_dir().join(format!("hemicycle-hub-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}/hub.db?mode=rwc", dir.display());
        let db = crate::ssr::store::open(&url).await.expect("opens");
        let motion = crate::ssr::demo::seed(&db, 0)
            .await
            .expect("seeds")
            .motion_id;
        (db, motion, Scratch { dir })
    }

    fn listener(member_id: i32) -> Listener {
        Listener {
            member: Some(MemberId(member_id)),
            session_hash: format!("session-{member_id}"),
            counted_as: None,
        }
    }

    async fn append(db: &DatabaseConnection, motion: i32, count: usize, size: usize) -> i64 {
        let mut seq = 0;
        for i in 0..count {
            seq = log::append(
                db,
                motion,
                log::NewEvent {
                    kind: "test_padding",
                    actor_id: None,
                    occurred_at: 0,
                    payload: serde_json::json!({ "i": i, "text": "x".repeat(size) }),
                },
            )
            .await
            .expect("appended");
        }
        seq
    }

    #[tokio::test]
    async fn a_room_lives_while_followed_and_gives_each_subscriber_every_committed_event_in_order()
    {
        let (db, motion, _scratch) = database().await;
        let hub = Hub::local(db.clone(), Limits::default());
        let start = log::head(&db, motion).await.expect("head");
        let mut first = hub
            .subscribe(motion, listener(1))
            .await
            .expect("subscribed");
        let mut second = hub
            .subscribe(motion, listener(2))
            .await
            .expect("subscribed");
        assert_eq!((hub.room_count(), hub.connection_count()), (1, 2));
        let head = append(&db, motion, 3, 10).await;
        // Appended but not signalled: nothing is published before the commit is announced.
        assert!(first.try_recv().is_none());
        hub.committed(motion, head);
        for subscription in [&mut first, &mut second] {
            for expected in start + 1..=head {
                match subscription.recv().await {
                    Received::Frame(frame) => assert_eq!(frame.seq, expected),
                    other => panic!("frame {expected} expected, got {other:?}"),
                }
            }
        }
        // A repeated or stale signal publishes nothing twice.
        hub.committed(motion, head);
        hub.committed(motion, start);
        let later = append(&db, motion, 1, 10).await;
        hub.committed(motion, later);
        match first.recv().await {
            Received::Frame(frame) => assert_eq!(frame.seq, later),
            other => panic!("{other:?}"),
        }
        drop(first);
        assert_eq!(hub.room_count(), 1);
        drop(second);
        assert_eq!((hub.room_count(), hub.connection_count()), (0, 0));
    }

    #[tokio::test]
    async fn a_subscriber_further_behind_than_its_queue_is_told_it_lags() {
        let (db, motion, _scratch) = database().await;
        let limits = Limits {
            queue_bytes: 4096,
            ..Limits::default()
        };
        let hub = Hub::local(db.clone(), limits);
        let mut slow = hub
            .subscribe(motion, listener(1))
            .await
            .expect("subscribed");
        let head = append(&db, motion, 20, 1000).await;
        hub.committed(motion, head);
        // The test runtime has one thread: the room publishes the whole burst before this reader runs.
        assert!(matches!(slow.recv().await, Received::Lagged));
    }

    #[tokio::test]
    async fn ending_a_member_or_a_session_reaches_only_their_subscriptions() {
        let (db, motion, _scratch) = database().await;
        let hub = Hub::local(db, Limits::default());
        let first = hub
            .subscribe(motion, listener(1))
            .await
            .expect("subscribed");
        let second = hub
            .subscribe(motion, listener(2))
            .await
            .expect("subscribed");
        assert_eq!(hub.end_member_here(1), 1);
        assert_eq!(first.control().ended().await, EndReason::SessionEnded);
        assert_eq!(hub.end_session_here("session-2"), 1);
        assert_eq!(hub.end_session_here("unknown"), 0);
        hub.stop();
        assert_eq!(second.control().ended().await, EndReason::SessionEnded);
        assert!(
            hub.subscribe(motion, listener(3)).await.is_err(),
            "a stopping hub takes no one"
        );
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }
}
