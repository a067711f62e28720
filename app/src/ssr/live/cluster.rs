//! Several instances on one PostgreSQL: after commit, each instance sends `NOTIFY hemicycle_events` with
//! `motion:seq` only (batched over a few milliseconds, one notification per motion and batch), and `LISTEN`s
//! to the others'. A notification only wakes the motion's room, which reads the log itself, so a lost or
//! late notification costs latency, never an event; after the listening connection is re-established every
//! room re-reads from its last seq. Revocations travel the same way on `hemicycle_revocations`.
//!
//! No cluster protocol of our own: PostgreSQL is the only thing instances share.

use std::{collections::BTreeMap, sync::Weak, time::Duration};

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value,
    sqlx::postgres::PgListener,
};
use tokio::sync::{mpsc, watch};

/// What notifications from the other instances ask of this one. The hub implements it; the link holds it
/// weakly, so the link's tasks end with the hub.
pub(super) trait Local: Send + Sync {
    /// The log of `motion_id` holds events up to `seq`.
    fn signal(&self, motion_id: i32, seq: i64);
    /// Signals may have been missed: every room reads the log again.
    fn reread_all(&self);
    /// Close every socket of a member here.
    fn end_member_here(&self, member_id: i32) -> usize;
    /// Make every socket of a member reconnect here.
    fn rights_changed_here(&self, member_id: i32) -> usize;
    /// Close the sockets of one session here.
    fn end_session_here(&self, session_hash: &str) -> usize;
}

/// Channel of committed seqs; payload `"{motion}:{seq}"`.
pub const EVENTS_CHANNEL: &str = "hemicycle_events";
/// Channel of ended sessions; payload `"m:{member}"`, `"s:{session hash}"`, or `"r:{member}"` for a member
/// whose rights changed (their sockets reconnect).
pub const REVOCATIONS_CHANNEL: &str = "hemicycle_revocations";

/// Signals within this window leave in one round of notifications.
const COALESCE: Duration = Duration::from_millis(3);

enum Outgoing {
    Event(i32, i64),
    Revocation(String),
}

/// This instance's side of the link: what it tells the others. Dropping it stops both tasks.
pub(super) struct Link {
    tx: mpsc::UnboundedSender<Outgoing>,
    _stop: watch::Sender<()>,
}

impl Link {
    pub(super) fn event(&self, motion_id: i32, seq: i64) {
        let _ = self.tx.send(Outgoing::Event(motion_id, seq));
    }

    pub(super) fn end_member(&self, member_id: i32) {
        let _ = self.tx.send(Outgoing::Revocation(format!("m:{member_id}")));
    }

    pub(super) fn rights_changed(&self, member_id: i32) {
        let _ = self.tx.send(Outgoing::Revocation(format!("r:{member_id}")));
    }

    pub(super) fn end_session(&self, session_hash: &str) {
        let _ = self
            .tx
            .send(Outgoing::Revocation(format!("s:{session_hash}")));
    }
}

/// The tasks of a link, spawned once the hub they serve exists.
pub(super) struct Tasks {
    rx: mpsc::UnboundedReceiver<Outgoing>,
    stopped: watch::Receiver<()>,
}

impl Tasks {
    /// Spawns the notifier and the listener. They hold the hub weakly and end when it is dropped.
    pub(super) fn spawn(self, db: DatabaseConnection, hub: Weak<dyn Local>) {
        tokio::spawn(notify(db.clone(), self.rx));
        tokio::spawn(listen(db, hub, self.stopped));
    }
}

/// A link for a PostgreSQL hub, and the tasks that serve it.
pub(super) fn link() -> (Link, Tasks) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (stop, stopped) = watch::channel(());
    (Link { tx, _stop: stop }, Tasks { rx, stopped })
}

/// The statement and values for one batch: the highest seq per motion, then the revocations.
fn batch_statement(batch: Vec<Outgoing>) -> Option<Statement> {
    let mut heads: BTreeMap<i32, i64> = BTreeMap::new();
    let mut payloads: Vec<(&str, String)> = Vec::new();
    let mut revocations = Vec::new();
    for item in batch {
        match item {
            Outgoing::Event(motion, seq) => {
                let head = heads.entry(motion).or_insert(seq);
                *head = (*head).max(seq);
            }
            Outgoing::Revocation(payload) => revocations.push(payload),
        }
    }
    payloads.extend(
        heads
            .into_iter()
            .map(|(motion, seq)| (EVENTS_CHANNEL, format!("{motion}:{seq}"))),
    );
    revocations.dedup();
    payloads.extend(revocations.into_iter().map(|p| (REVOCATIONS_CHANNEL, p)));
    if payloads.is_empty() {
        return None;
    }
    let calls: Vec<String> = (0..payloads.len())
        .map(|i| format!("pg_notify(${}, ${})", 2 * i + 1, 2 * i + 2))
        .collect();
    let values: Vec<Value> = payloads
        .into_iter()
        .flat_map(|(channel, payload)| [Value::from(channel), Value::from(payload)])
        .collect();
    Some(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        format!("SELECT {}", calls.join(", ")),
        values,
    ))
}

async fn notify(db: DatabaseConnection, mut rx: mpsc::UnboundedReceiver<Outgoing>) {
    while let Some(first) = rx.recv().await {
        tokio::time::sleep(COALESCE).await;
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let Some(statement) = batch_statement(batch) else {
            continue;
        };
        if let Err(err) = db.execute(statement).await {
            // The other instances catch up at the next signal of the same motion (their rooms read the log).
            tracing::warn!(error = %err, "live: NOTIFY failed");
        }
    }
}

/// What a notification asks of this instance.
#[derive(Debug, PartialEq, Eq)]
enum Incoming<'a> {
    Event(i32, i64),
    EndMember(i32),
    RightsChanged(i32),
    EndSession(&'a str),
}

fn parse<'a>(channel: &str, payload: &'a str) -> Option<Incoming<'a>> {
    match channel {
        EVENTS_CHANNEL => {
            let (motion, seq) = payload.split_once(':')?;
            Some(Incoming::Event(motion.parse().ok()?, seq.parse().ok()?))
        }
        REVOCATIONS_CHANNEL => match payload.split_once(':')? {
            ("m", member) => Some(Incoming::EndMember(member.parse().ok()?)),
            ("r", member) => Some(Incoming::RightsChanged(member.parse().ok()?)),
            ("s", hash) if !hash.is_empty() => Some(Incoming::EndSession(hash)),
            _ => None,
        },
        _ => None,
    }
}

async fn listen(db: DatabaseConnection, hub: Weak<dyn Local>, mut stop: watch::Receiver<()>) {
    let pool = db.get_postgres_connection_pool().clone();
    loop {
        let connected = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener
                .listen_all([EVENTS_CHANNEL, REVOCATIONS_CHANNEL])
                .await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            _ = stop.changed() => return,
            connected = connected => match connected {
                Ok(listener) => listener,
                Err(err) => {
                    tracing::warn!(error = %err, "live: LISTEN failed; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        // Whatever was committed while we were not listening is in the log: every room reads it now.
        match hub.upgrade() {
            Some(hub) => hub.reread_all(),
            None => return,
        }
        loop {
            let received = tokio::select! {
                _ = stop.changed() => return,
                received = listener.try_recv() => received,
            };
            let Some(hub) = hub.upgrade() else { return };
            match received {
                Ok(Some(notification)) => {
                    match parse(notification.channel(), notification.payload()) {
                        Some(Incoming::Event(motion, seq)) => hub.signal(motion, seq),
                        Some(Incoming::EndMember(member)) => {
                            hub.end_member_here(member);
                        }
                        Some(Incoming::RightsChanged(member)) => {
                            hub.rights_changed_here(member);
                        }
                        Some(Incoming::EndSession(hash)) => {
                            hub.end_session_here(hash);
                        }
                        None => tracing::warn!(
                            channel = notification.channel(),
                            "live: notification not understood"
                        ),
                    }
                }
                // The connection was lost and is re-established: notifications in between are gone.
                Ok(None) => {
                    tracing::info!("live: LISTEN connection re-established; rooms re-read the log");
                    hub.reread_all();
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live: LISTEN connection failed; reconnecting");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_carry_ids_only_and_are_understood() {
        assert_eq!(parse(EVENTS_CHANNEL, "3:41"), Some(Incoming::Event(3, 41)));
        assert_eq!(
            parse(REVOCATIONS_CHANNEL, "m:7"),
            Some(Incoming::EndMember(7))
        );
        assert_eq!(
            parse(REVOCATIONS_CHANNEL, "r:7"),
            Some(Incoming::RightsChanged(7))
        );
        assert_eq!(
            parse(REVOCATIONS_CHANNEL, "s:ab12"),
            Some(Incoming::EndSession("ab12"))
        );
        assert_eq!(parse(EVENTS_CHANNEL, "3"), None);
        assert_eq!(parse(EVENTS_CHANNEL, "x:1"), None);
        assert_eq!(parse("other", "3:41"), None);
    }

    #[test]
    fn a_batch_sends_the_highest_seq_once_per_motion() {
        let statement = batch_statement(vec![
            Outgoing::Event(1, 5),
            Outgoing::Event(2, 9),
            Outgoing::Event(1, 7),
            Outgoing::Revocation("m:4".into()),
        ])
        .expect("a statement");
        assert_eq!(
            statement.sql,
            "SELECT pg_notify($1, $2), pg_notify($3, $4), pg_notify($5, $6)"
        );
        let values = statement.values.expect("values").0;
        assert_eq!(
            values,
            vec![
                Value::from(EVENTS_CHANNEL),
                Value::from("1:7".to_owned()),
                Value::from(EVENTS_CHANNEL),
                Value::from("2:9".to_owned()),
                Value::from(REVOCATIONS_CHANNEL),
                Value::from("m:4".to_owned()),
            ]
        );
        assert!(batch_statement(Vec::new()).is_none());
    }
}
