//! Votes: one writer per server instance that group-commits, and the live tallies.
//!
//! **Why one writer.** A storm is thousands of votes in seconds. Each vote written in its own transaction would
//! cost one fsync (and, on SQLite, one turn of the single write lock). The writer takes what arrived during a
//! few milliseconds, checks every vote in one pass and writes them in **one** transaction: a storm costs a few
//! fsyncs. Voters are answered only after that commit: an acknowledged vote is durable (SQLite runs with
//! `synchronous=FULL`; PostgreSQL commits votes with `synchronous_commit = on`).
//!
//! **Why it never counts twice.** The database holds `UNIQUE(ballot, represented member)`; the client sends an
//! idempotency key with each vote and the answer given to a key is stored (`vote_receipts`), so a double click,
//! a retry after a drop, a second tab or a replay gets the first answer again. Two instances writing the same
//! member at once collide on the unique key: the loser's batch is retried and then sees the winner's vote.
//!
//! **Live tallies.** [`run_tallies`] reads the counts of open ballots at most four times a second and publishes
//! a frame only when they changed: absolute numbers, straight from the table, so they never lie and turnout
//! never goes down.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use domain::{
    ballot::{Choice, Proxy},
    ids::{BallotId, MemberId},
    member::{Actor, MemberStatus, Role},
    refusal::Refusal,
    vote::{BallotFacts, VoteAsk, VoteDecision, decide_vote},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect, Set, Statement,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use crate::protocol::{ServerFrame, TallyFrame};

use super::{
    live::Hub,
    now_millis,
    store::{
        StoreError, ballots,
        entities::{ballot, membership, session, vote, vote_receipt},
    },
};

/// One vote as a client asks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteRequest {
    /// The ballot.
    pub ballot: i32,
    /// Who votes (the signed-in member).
    pub voter: i32,
    /// On whose behalf: the voter themself, or a member whose proxy they hold.
    pub represented: i32,
    /// The choice.
    pub choice: Choice,
    /// The client's idempotency key (a UUID per intent; a retry sends the same one).
    pub key: String,
    /// The hash of the session the vote was sent with: checked alive, and the voter's, when the vote is
    /// written (a socket or a request that outlived its session votes nothing).
    pub session: String,
}

/// The acknowledgement of a vote: what is recorded, since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The ballot.
    pub ballot: i32,
    /// The member the vote counts for.
    pub represented: i32,
    /// The choice recorded.
    pub choice: Choice,
    /// When it was recorded (ms since the epoch).
    pub recorded_at: i64,
    /// This key (or this very choice) had been recorded before: nothing new was written.
    pub replayed: bool,
    /// An earlier choice was replaced (the ballot allows changes).
    pub changed: bool,
}

/// Why a vote was not acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    /// The rules refuse it (closed ballot, not a voter, no proxy, already voted…): say so, do not retry.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The key is longer than [`MAX_KEY_LEN`] or empty.
    #[error("bad idempotency key")]
    BadKey,
    /// The vote could not be made durable now (database unavailable, server stopping): retry with the same key.
    #[error("unavailable")]
    Unavailable,
}

/// The longest idempotency key accepted.
pub const MAX_KEY_LEN: usize = 64;

/// How the writer batches.
#[derive(Clone, Copy, Debug)]
pub struct WriterConfig {
    /// How long the writer waits for more votes once one arrived.
    pub window: Duration,
    /// The most votes written in one transaction.
    pub max_batch: usize,
    /// Votes waiting for the writer before new ones are told to retry.
    pub queue: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        WriterConfig {
            window: Duration::from_millis(4),
            max_batch: 1000,
            queue: 20_000,
        }
    }
}

type Job = (VoteRequest, oneshot::Sender<Result<Receipt, VoteError>>);

/// The handle of this instance's vote writer. Cheap to clone.
#[derive(Clone, Debug)]
pub struct VoteWriter {
    jobs: mpsc::Sender<Job>,
}

impl VoteWriter {
    /// Starts the writer task on `db`. Must be called inside the Tokio runtime.
    pub fn start(db: DatabaseConnection, config: WriterConfig) -> Self {
        let (jobs, queue) = mpsc::channel(config.queue.max(1));
        tokio::spawn(write_loop(db, queue, config));
        VoteWriter { jobs }
    }

    /// Records a vote and answers once it is durable.
    ///
    /// # Errors
    /// See [`VoteError`].
    pub async fn submit(&self, request: VoteRequest) -> Result<Receipt, VoteError> {
        if request.key.is_empty() || request.key.len() > MAX_KEY_LEN {
            return Err(VoteError::BadKey);
        }
        let started = std::time::Instant::now();
        let (reply, answer) = oneshot::channel();
        self.jobs
            .try_send((request, reply))
            .map_err(|_| VoteError::Unavailable)?;
        let answer = answer.await.unwrap_or(Err(VoteError::Unavailable));
        let outcome = match &answer {
            Ok(receipt) if receipt.replayed => "replayed",
            Ok(_) => "recorded",
            Err(VoteError::Refused(_)) => "refused",
            Err(VoteError::BadKey) => "bad_key",
            Err(VoteError::Unavailable) => "unavailable",
        };
        metrics::counter!("hemicycle_votes_total", "outcome" => outcome).increment(1);
        metrics::histogram!("hemicycle_vote_ack_seconds").record(started.elapsed().as_secs_f64());
        answer
    }
}

async fn write_loop(db: DatabaseConnection, mut queue: mpsc::Receiver<Job>, config: WriterConfig) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + config.window;
        while batch.len() < config.max_batch {
            match tokio::time::timeout_at(deadline, queue.recv()).await {
                Ok(Some(job)) => batch.push(job),
                Ok(None) | Err(_) => break,
            }
        }
        let requests: Vec<&VoteRequest> = batch.iter().map(|(request, _)| request).collect();
        #[expect(
            clippy::cast_precision_loss,
            reason = "a batch holds at most a few thousand votes"
        )]
        metrics::histogram!("hemicycle_vote_batch_size").record(requests.len() as f64);
        let answers = write_with_retries(&db, &requests).await;
        for ((_, reply), answer) in batch.into_iter().zip(answers) {
            let _ = reply.send(answer);
        }
    }
}

async fn write_with_retries(
    db: &DatabaseConnection,
    requests: &[&VoteRequest],
) -> Vec<Result<Receipt, VoteError>> {
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        match write_batch(db, requests, now_millis()).await {
            Ok(answers) => return answers,
            Err(err) if attempt < 8 => {
                tracing::debug!(attempt, error = %err, votes = requests.len(), "vote batch retried");
                tokio::time::sleep(Duration::from_millis(2 * u64::from(attempt))).await;
            }
            Err(err) => {
                tracing::error!(error = %err, votes = requests.len(), "vote batch failed: voters will retry");
                return requests
                    .iter()
                    .map(|_| Err(VoteError::Unavailable))
                    .collect();
            }
        }
    }
}

/// A vote as it stands in the batch being decided.
#[derive(Clone, Copy)]
struct Standing {
    choice: Choice,
    recorded_at: i64,
    /// Already in the table (an update) or new in this batch (an insert).
    stored: bool,
}

/// Decides and writes one batch in one transaction; answers in the order of `requests`.
async fn write_batch(
    db: &DatabaseConnection,
    requests: &[&VoteRequest],
    now: i64,
) -> Result<Vec<Result<Receipt, VoteError>>, StoreError> {
    let txn = super::store::begin_write(db).await?;
    let backend = txn.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        // Durable before acknowledged, whatever the server's default.
        txn.execute(Statement::from_string(
            backend,
            "SET LOCAL synchronous_commit TO on",
        ))
        .await?;
    }
    let ballot_ids: Vec<i32> = unique(requests.iter().map(|r| r.ballot));
    let mut ballots_query = ballot::Entity::find().filter(ballot::Column::Id.is_in(ballot_ids));
    if backend == DatabaseBackend::Postgres {
        // Closing takes this row FOR UPDATE: it waits for this batch, and this batch sees it closed after.
        ballots_query = ballots_query.lock_shared();
    }
    let ballots: HashMap<i32, ballot::Model> = ballots_query
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let keys: Vec<String> = unique(requests.iter().map(|r| r.key.clone()));
    let receipts: HashMap<String, vote_receipt::Model> = vote_receipt::Entity::find()
        .filter(vote_receipt::Column::Key.is_in(keys))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    let session_hashes: Vec<String> = unique(requests.iter().map(|r| r.session.clone()));
    let sessions: HashMap<String, session::Model> = session::Entity::find()
        .filter(session::Column::IdHash.is_in(session_hashes))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id_hash.clone(), s))
        .collect();
    let people: Vec<i32> = unique(requests.iter().flat_map(|r| [r.voter, r.represented]));
    let editions: Vec<i32> = unique(ballots.values().map(|b| b.edition_id));
    let memberships: HashMap<(i32, i32), (Role, MemberStatus)> = membership::Entity::find()
        .filter(membership::Column::EditionId.is_in(editions.clone()))
        .filter(membership::Column::MemberId.is_in(people.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|m| {
            let role = Role::from_code(&m.role)?;
            let status = MemberStatus::from_code(&m.status)?;
            Some(((m.edition_id, m.member_id), (role, status)))
        })
        .collect();
    let mut proxies: HashMap<i32, Vec<Proxy>> = HashMap::new();
    for edition in &editions {
        let all = ballots::proxies(&txn, *edition).await?;
        proxies.insert(*edition, all.into_iter().map(|(_, p)| p).collect());
    }
    let mut standing: HashMap<(i32, i32), Standing> = HashMap::new();
    for ((ballot_id, represented), row) in existing_votes(&txn, requests).await? {
        if let Some(choice) = Choice::from_code(&row.choice) {
            standing.insert(
                (ballot_id, represented),
                Standing {
                    choice,
                    recorded_at: row.cast_at,
                    stored: true,
                },
            );
        }
    }

    let mut answers = Vec::with_capacity(requests.len());
    let mut inserts: HashMap<(i32, i32), (i32, Choice, String)> = HashMap::new();
    let mut updates: HashMap<(i32, i32), (i32, Choice, String)> = HashMap::new();
    let mut new_receipts: Vec<vote_receipt::ActiveModel> = Vec::new();
    let mut seen_keys: HashMap<String, Receipt> = HashMap::new();
    for request in requests {
        let alive = sessions
            .get(&request.session)
            .is_some_and(|s| s.member_id == request.voter && s.expires_at > now);
        if !alive {
            answers.push(Err(VoteError::Refused(Refusal::SessionEnded)));
            continue;
        }
        if let Some(receipt) = receipts.get(&request.key) {
            answers.push(replay(request, receipt));
            continue;
        }
        if let Some(receipt) = seen_keys.get(&request.key) {
            answers.push(Ok(Receipt {
                replayed: true,
                ..receipt.clone()
            }));
            continue;
        }
        let context = Context {
            ballots: &ballots,
            memberships: &memberships,
            proxies: &proxies,
            now,
        };
        let answer = decide(request, &context, &mut standing, &mut inserts, &mut updates);
        if let Ok(receipt) = &answer {
            seen_keys.insert(request.key.clone(), receipt.clone());
            new_receipts.push(vote_receipt::ActiveModel {
                key: Set(request.key.clone()),
                ballot_id: Set(request.ballot),
                represented_id: Set(request.represented),
                cast_by: Set(request.voter),
                choice: Set(receipt.choice.code().to_owned()),
                recorded_at: Set(receipt.recorded_at),
            });
        }
        answers.push(answer);
    }

    let new_votes: Vec<vote::ActiveModel> = inserts
        .into_iter()
        .map(
            |((ballot_id, represented), (cast_by, choice, key))| vote::ActiveModel {
                ballot_id: Set(ballot_id),
                represented_id: Set(represented),
                cast_by: Set(cast_by),
                choice: Set(choice.code().to_owned()),
                receipt_key: Set(key),
                cast_at: Set(now),
                changes: Set(0),
                ..Default::default()
            },
        )
        .collect();
    for chunk in new_votes.chunks(500) {
        vote::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(|err| StoreError::from_write(err, "votes_ballot_represented"))?;
    }
    for ((ballot_id, represented), (cast_by, choice, key)) in updates {
        let sql = match backend {
            DatabaseBackend::Postgres => {
                "UPDATE votes SET choice = $1, cast_by = $2, receipt_key = $3, cast_at = $4, changes = changes + 1 \
                 WHERE ballot_id = $5 AND represented_id = $6"
            }
            _ => {
                "UPDATE votes SET choice = ?, cast_by = ?, receipt_key = ?, cast_at = ?, changes = changes + 1 \
                 WHERE ballot_id = ? AND represented_id = ?"
            }
        };
        txn.execute(Statement::from_sql_and_values(
            backend,
            sql,
            [
                choice.code().into(),
                cast_by.into(),
                key.into(),
                now.into(),
                ballot_id.into(),
                represented.into(),
            ],
        ))
        .await?;
    }
    for chunk in new_receipts.chunks(500) {
        vote_receipt::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(|err| StoreError::from_write(err, "vote_receipts_key"))?;
    }
    txn.commit().await?;
    Ok(answers)
}

struct Context<'a> {
    ballots: &'a HashMap<i32, ballot::Model>,
    memberships: &'a HashMap<(i32, i32), (Role, MemberStatus)>,
    proxies: &'a HashMap<i32, Vec<Proxy>>,
    now: i64,
}

/// One vote against the batch's facts: the rules are `domain::vote::decide_vote`; this keeps the batch's
/// bookkeeping (votes standing so far, rows to insert or update) in step with what it decides.
fn decide(
    request: &VoteRequest,
    context: &Context<'_>,
    standing: &mut HashMap<(i32, i32), Standing>,
    inserts: &mut HashMap<(i32, i32), (i32, Choice, String)>,
    updates: &mut HashMap<(i32, i32), (i32, Choice, String)>,
) -> Result<Receipt, VoteError> {
    let row = context.ballots.get(&request.ballot);
    let edition = row.map(|b| b.edition_id);
    let membership =
        |member: i32| edition.and_then(|e| context.memberships.get(&(e, member)).copied());
    let (role, status) =
        membership(request.voter).unwrap_or((Role::Observer, MemberStatus::Pending));
    let ask = VoteAsk {
        voter: Actor {
            id: MemberId(request.voter),
            role,
            status,
        },
        represented: MemberId(request.represented),
        represented_standing: membership(request.represented),
        choice: request.choice,
    };
    let proxies = edition
        .and_then(|e| context.proxies.get(&e))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let slot = (request.ballot, request.represented);
    let current = standing.get(&slot).copied();
    let decision = decide_vote(
        &ask,
        row.map(|b| BallotFacts {
            id: BallotId(b.id),
            open: b.status == ballots::OPEN,
            allow_change: b.allow_change,
        }),
        BallotId(request.ballot),
        proxies,
        current.map(|s| domain::vote::Standing {
            choice: s.choice,
            recorded_at: s.recorded_at,
        }),
        context.now,
    )
    .map_err(VoteError::Refused)?;
    let receipt = |choice, recorded_at, replayed, changed| Receipt {
        ballot: request.ballot,
        represented: request.represented,
        choice,
        recorded_at,
        replayed,
        changed,
    };
    let change = (request.voter, request.choice, request.key.clone());
    Ok(match decision {
        VoteDecision::Same(same) => receipt(same.choice, same.recorded_at, true, false),
        VoteDecision::Record | VoteDecision::Change => {
            let stored = current.is_some_and(|c| c.stored);
            standing.insert(
                slot,
                Standing {
                    choice: request.choice,
                    recorded_at: context.now,
                    stored,
                },
            );
            if stored {
                updates.insert(slot, change);
            } else {
                inserts.insert(slot, change);
            }
            receipt(
                request.choice,
                context.now,
                false,
                decision == VoteDecision::Change,
            )
        }
    })
}

/// The answer already given to a key; a key reused for another vote is refused.
fn replay(request: &VoteRequest, stored: &vote_receipt::Model) -> Result<Receipt, VoteError> {
    let same = stored.ballot_id == request.ballot
        && stored.represented_id == request.represented
        && stored.cast_by == request.voter;
    match Choice::from_code(&stored.choice) {
        Some(choice) if same => Ok(Receipt {
            ballot: stored.ballot_id,
            represented: stored.represented_id,
            choice,
            recorded_at: stored.recorded_at,
            replayed: true,
            changed: false,
        }),
        _ => Err(VoteError::BadKey),
    }
}

async fn existing_votes(
    txn: &DatabaseTransaction,
    requests: &[&VoteRequest],
) -> Result<Vec<((i32, i32), vote::Model)>, StoreError> {
    let mut by_ballot: HashMap<i32, Vec<i32>> = HashMap::new();
    for request in requests {
        by_ballot
            .entry(request.ballot)
            .or_default()
            .push(request.represented);
    }
    let mut out = Vec::new();
    for (ballot_id, members) in by_ballot {
        let rows = vote::Entity::find()
            .filter(vote::Column::BallotId.eq(ballot_id))
            .filter(vote::Column::RepresentedId.is_in(unique(members.into_iter())))
            .all(txn)
            .await?;
        out.extend(
            rows.into_iter()
                .map(|row| ((row.ballot_id, row.represented_id), row)),
        );
    }
    Ok(out)
}

fn unique<T: Eq + std::hash::Hash + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|item| seen.insert(item.clone())).collect()
}

/// Starts this instance's vote writer and its live tallies (four frames a second at most) on `hub`. Must be
/// called inside the Tokio runtime.
pub fn start(db: DatabaseConnection, hub: Hub) -> VoteWriter {
    tokio::spawn(run_tallies(db.clone(), hub, TALLY_EVERY));
    VoteWriter::start(db, WriterConfig::default())
}

/// How often open ballots' tallies are read and, if they changed, published.
pub const TALLY_EVERY: Duration = Duration::from_millis(250);

/// Publishes the tallies of open ballots to the motions followed on this instance, at most every `every`
/// (250 ms: four frames a second) and only when a figure changed. Reads the table, so votes written by other
/// instances show up too. Runs until the hub stops.
pub async fn run_tallies(db: DatabaseConnection, hub: Hub, every: Duration) {
    let mut last: HashMap<i32, TallyFrame> = HashMap::new();
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if hub.is_stopping() {
            return;
        }
        let open = match ballots::open_ballots(&db).await {
            Ok(open) => open,
            Err(err) => {
                tracing::warn!(error = %err, "live tallies: reading open ballots failed");
                continue;
            }
        };
        last.retain(|id, _| open.iter().any(|b| b.id == *id));
        for ballot in open {
            if !hub.is_followed(ballot.motion_id) {
                continue;
            }
            let figures = async {
                let tally = ballots::tally(&db, ballot.id).await?;
                let eligible = ballots::eligible_count(&db, ballot.edition_id).await?;
                Ok::<_, StoreError>((tally, eligible))
            };
            let Ok((tally, eligible)) = figures.await else {
                continue;
            };
            let live = TallyFrame {
                ballot: BallotId(ballot.id),
                turnout: tally.participants(),
                eligible,
                counts: ballot.live_results.then_some(tally),
            };
            if last.get(&ballot.id) == Some(&live) {
                continue;
            }
            last.insert(ballot.id, live);
            hub.publish_extra(ballot.motion_id, ServerFrame::Tally(live).to_text());
        }
    }
}
