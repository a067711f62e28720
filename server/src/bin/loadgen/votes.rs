//! `loadgen votes`: a vote storm against a running server, over the live websocket, with the checks of issue
//! #6 — every vote acknowledged, none lost, none counted twice, tallies that never lie.
//!
//! One task per voter: connect (bearer token), wait for the start, send its vote(s) at its planned instant with
//! an idempotency key, resend the same key after a refusal marked `retry` or a dropped socket, and keep every
//! `tally` frame it receives. Scenarios: `storm` (one vote each, spread over `--spread-secs` with a burst of
//! `--burst` votes in one second), `races` (`--attempts` submissions at once per voter: replays of one key, new
//! keys, different choices). `--server-cmd` + `--crashes N` start the server and `kill -9` it N times during
//! the storm. With `--database-url`, acknowledged votes are checked against the table itself.

use std::{
    collections::{HashMap, HashSet},
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use app::protocol::{ClientFrame, ServerFrame, VoteFrame, VoteRefusedFrame};
use domain::{
    ballot::Choice,
    ids::{BallotId, MemberId},
};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde::Serialize;
use tokio::sync::{Semaphore, mpsc, watch};

use super::{
    now_micros, percentile,
    socket::{self, End, Flow, Handler, Socket},
};

/// The scenario to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// One vote per voter, spread over time with a burst.
    Storm,
    /// Many concurrent submissions per voter (same key, new keys, other choices).
    Races,
}

#[derive(Clone, Debug, clap::Args)]
pub struct VotesArgs {
    /// The server's base URL (also the Origin sent to server functions).
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// The motion whose paragraph is put to the vote.
    #[arg(long, default_value_t = 1)]
    motion: i32,
    /// Voters' tokens (`hemicycle issue-tokens --role delegate --create-members`), one per line.
    #[arg(long)]
    tokens: PathBuf,
    /// A chair's token (opens and closes the ballot).
    #[arg(long)]
    chair_token: PathBuf,
    /// An organizer's token (moves the motion to the session if needed).
    #[arg(long)]
    organizer_token: PathBuf,
    #[arg(long, value_enum, default_value_t = Scenario::Storm)]
    scenario: Scenario,
    /// Voters (at most the number of tokens).
    #[arg(long, default_value_t = 5000)]
    voters: usize,
    /// The storm lasts this long (0: everyone at once, for the saturation run).
    #[arg(long, default_value_t = 10.0)]
    spread_secs: f64,
    /// Of which this many vote within one second…
    #[arg(long, default_value_t = 2000)]
    burst: usize,
    /// … starting this many seconds in.
    #[arg(long, default_value_t = 4.0)]
    burst_at_secs: f64,
    /// Submissions per voter in the `races` scenario.
    #[arg(long, default_value_t = 10)]
    attempts: usize,
    /// The database, to check acknowledged votes against the table.
    #[arg(long)]
    database_url: Option<String>,
    /// Start the server with this shell command (crash mode), and restart it after each kill.
    #[arg(long)]
    server_cmd: Option<String>,
    /// `kill -9` the server this many times during the storm (needs `--server-cmd`).
    #[arg(long, default_value_t = 0)]
    crashes: u32,
    /// Handshakes in flight at once.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// Give up waiting for acknowledgements after this long.
    #[arg(long, default_value_t = 120)]
    timeout_secs: u64,
    /// Write the report as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// What one voter's task saw.
#[derive(Debug, Default)]
struct Voter {
    /// Acknowledged: key → (member represented, choice, recorded_at).
    acks: HashMap<String, (MemberId, Choice, i64)>,
    /// Refused for good: key → code or refusal name.
    refused: HashMap<String, String>,
    /// Send → acknowledgement, per key (first send to final answer, retries included).
    latencies_us: Vec<u32>,
    /// Tally frames' turnout for the ballot, in arrival order.
    turnouts: Vec<u32>,
    /// Resends (after `retry` or a dropped socket).
    resends: u32,
    reconnects: u32,
    failed: bool,
}

/// The report.
#[derive(Debug, Serialize)]
pub struct VotesReport {
    scenario: String,
    voters: usize,
    /// Frames sent (replays of one key included).
    submissions: usize,
    /// Distinct idempotency keys: each gets one answer.
    distinct_keys: usize,
    acknowledged_voters: usize,
    acknowledged_submissions: usize,
    refused_already_voted: usize,
    refused_other: usize,
    unanswered: usize,
    errors: usize,
    ack_p50_ms: f64,
    ack_p99_ms: f64,
    ack_max_ms: f64,
    /// From the first send to the last acknowledgement.
    storm_secs: f64,
    /// Acknowledged voters per second over the storm.
    votes_per_sec: f64,
    resends: u32,
    reconnects: u32,
    crashes: u32,
    /// Rows in the table for the ballot (with `--database-url`).
    db_votes: Option<u64>,
    /// Acknowledged votes missing from the table or with another choice (with `--database-url`).
    lost: Option<usize>,
    /// Rows beyond one per represented member (with `--database-url`).
    duplicates: Option<u64>,
    /// The turnout every client saw last, and whether it equals the table's count.
    final_turnouts: Vec<u64>,
    truth: bool,
    /// Clients that saw the turnout go down.
    decreasing: usize,
}

impl VotesReport {
    fn ok(&self) -> bool {
        self.unanswered == 0
            && self.errors == 0
            && self.refused_other == 0
            && self.lost.unwrap_or(0) == 0
            && self.duplicates.unwrap_or(0) == 0
            && self.truth
            && self.decreasing == 0
            && self
                .db_votes
                .is_none_or(|n| n == self.acknowledged_voters as u64)
    }
}

struct Setup {
    http: reqwest::Client,
    url: String,
    chair: String,
    motion: i32,
}

impl Setup {
    async fn call(
        &self,
        cookie: &str,
        function: &str,
        form: &[(&str, String)],
    ) -> anyhow::Result<(u16, String)> {
        let response = self
            .http
            .post(format!("{}/api/fn/{function}", self.url))
            .header("origin", &self.url)
            .header("cookie", format!("hemicycle_session={cookie}"))
            .form(form)
            .send()
            .await
            .with_context(|| format!("calling {function}"))?;
        let status = response.status().as_u16();
        Ok((status, response.text().await.unwrap_or_default()))
    }

    async fn close_open_ballot(&self) -> anyhow::Result<()> {
        let (_, body) = self
            .call(
                &self.chair,
                "voting_panel",
                &[("motion_id", self.motion.to_string())],
            )
            .await?;
        let panel: app::api::VotingView = serde_json::from_str(&body).context("voting panel")?;
        if let Some(open) = panel.open {
            self.close(BallotId(open.id)).await?;
        }
        Ok(())
    }

    async fn close(&self, ballot: BallotId) -> anyhow::Result<()> {
        let (status, body) = self
            .call(
                &self.chair,
                "close_ballot",
                &[
                    ("motion_id", self.motion.to_string()),
                    ("ballot_id", ballot.to_string()),
                ],
            )
            .await?;
        if status != 200 {
            bail!("closing ballot {ballot}: {status} {body}");
        }
        Ok(())
    }
}

fn read_tokens(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Opens a ballot on the motion's first paragraph (changes not allowed, live results shown) and answers its id.
async fn prepare(setup: &Setup, organizer: &str) -> anyhow::Result<BallotId> {
    // Already in session is fine: the refusal is ignored.
    let _ = setup
        .call(
            organizer,
            "change_phase",
            &[
                ("motion_id", setup.motion.to_string()),
                ("to", "session".to_owned()),
            ],
        )
        .await?;
    setup.close_open_ballot().await?;
    let motion: app::api::MotionView = setup
        .http
        .post(format!("{}/api/fn/get_motion", setup.url))
        .header("origin", &setup.url)
        .form(&[("id", setup.motion.to_string())])
        .send()
        .await?
        .json()
        .await
        .context("reading the motion")?;
    let paragraph = motion
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter())
        .next()
        .context("a paragraph to vote on")?
        .id;
    let (status, body) = setup
        .call(
            &setup.chair,
            "open_ballot",
            &[
                ("motion_id", setup.motion.to_string()),
                ("subject", "paragraph".to_owned()),
                ("subject_id", paragraph.to_string()),
                ("title", "Scrutin de charge (loadgen)".to_owned()),
                ("allow_change", "off".to_owned()),
                ("live_results", "on".to_owned()),
            ],
        )
        .await?;
    if status != 200 {
        bail!("opening the ballot: {status} {body}");
    }
    body.trim().parse().map(BallotId).context("the ballot's id")
}

/// One submission planned: its key, its choice.
#[derive(Clone, Debug)]
struct Submission {
    key: String,
    choice: Choice,
}

struct VoterPlan {
    index: usize,
    url: String,
    authorization: String,
    ballot: BallotId,
    /// When to send, after the start.
    at: Duration,
    submissions: Vec<Submission>,
}

fn vote(ballot: BallotId, key: &str, choice: Choice) -> ClientFrame {
    ClientFrame::Vote(VoteFrame {
        ballot,
        represented: None,
        choice,
        key: key.to_owned(),
    })
}

/// A key not answered yet.
#[derive(Debug)]
struct Pending {
    /// The last choice planned with this key (what a resend says).
    choice: Choice,
    /// The first send (µs since the epoch), where its latency starts.
    first_sent: Option<u64>,
}

/// A voter's state across its sockets, fed one parsed frame at a time.
struct Ballotting {
    seen: Voter,
    ballot: BallotId,
    /// Spreads resends (no two voters retry in step).
    index: usize,
    pending: HashMap<String, Pending>,
    /// The planned submissions were queued (the start came and the voter's instant with it).
    sent_once: bool,
    said_done: bool,
    /// Resend the pending keys then (a refusal said `retry`).
    retry_at: Option<tokio::time::Instant>,
    done: mpsc::UnboundedSender<()>,
}

/// Why a refusal is final, as the report counts it: the rule's name (`already_voted`…), else the code.
fn refusal_reason(refused: &VoteRefusedFrame) -> String {
    let name = match &refused.refusal {
        Some(refusal) => serde_json::to_value(refusal)
            .ok()
            .and_then(|value| value.get("refusal")?.as_str().map(str::to_owned)),
        None => None,
    };
    name.or_else(|| {
        serde_json::to_value(refused.code)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
    })
    .unwrap_or_default()
}

impl Handler for Ballotting {
    fn frame(&mut self, frame: ServerFrame, received_at: u64, _: &mut Vec<ClientFrame>) -> Flow {
        match frame {
            ServerFrame::Tally(tally) if tally.ballot == self.ballot => {
                self.seen.turnouts.push(tally.turnout);
            }
            ServerFrame::VoteAck(ack) => {
                if let Some(pending) = self.pending.remove(&ack.key) {
                    if let Some(sent) = pending.first_sent {
                        self.seen.latencies_us.push(
                            u32::try_from(received_at.saturating_sub(sent)).unwrap_or(u32::MAX),
                        );
                    }
                    self.seen
                        .acks
                        .insert(ack.key, (ack.represented, ack.choice, ack.recorded_at));
                }
            }
            ServerFrame::VoteRefused(refused) => {
                if refused.retry {
                    // The key stays pending: every pending key goes again, a little later.
                    let index = self.index as u64;
                    self.retry_at.get_or_insert_with(|| {
                        tokio::time::Instant::now() + Duration::from_millis(50 + index % 100)
                    });
                } else if self.pending.remove(&refused.key).is_some() {
                    let reason = refusal_reason(&refused);
                    self.seen.refused.insert(refused.key, reason);
                }
            }
            _ => {}
        }
        if self.sent_once && self.pending.is_empty() && !self.said_done {
            self.said_done = true;
            let _ = self.done.send(());
        }
        Flow::Continue
    }

    fn wake_at(&self) -> Option<tokio::time::Instant> {
        self.retry_at
    }

    /// Every key not answered yet goes again, with its key.
    fn wake(&mut self, send: &mut Vec<ClientFrame>) {
        self.retry_at = None;
        for (key, pending) in &self.pending {
            self.seen.resends += 1;
            send.push(vote(self.ballot, key, pending.choice));
        }
    }
}

async fn voter(
    plan: VoterPlan,
    gate: Arc<Semaphore>,
    ready: mpsc::Sender<bool>,
    mut start: watch::Receiver<Option<Instant>>,
    mut stop: watch::Receiver<bool>,
    done: mpsc::UnboundedSender<()>,
) -> Voter {
    let mut state = Ballotting {
        seen: Voter::default(),
        ballot: plan.ballot,
        index: plan.index,
        pending: HashMap::new(),
        sent_once: false,
        said_done: false,
        retry_at: None,
        done,
    };
    let mut announced = false;
    let mut first_batch = true;
    let mut attempt: u32 = 0;
    loop {
        let opened = {
            let _permit = gate.acquire().await;
            Socket::open(&plan.url, Some(&plan.authorization)).await
        };
        let mut socket = match opened {
            Ok(socket) => socket,
            Err(_) if announced && attempt < 200 => {
                attempt += 1;
                super::backoff(plan.index, attempt.min(4)).await;
                continue;
            }
            Err(_) => {
                state.seen.failed = true;
                if !announced {
                    let _ = ready.send(false).await;
                }
                return state.seen;
            }
        };
        match socket.until_live(&mut state, &mut stop).await {
            Ok(_) => {}
            Err(End::Dropped) => {
                attempt += 1;
                super::backoff(plan.index, attempt.min(4)).await;
                continue;
            }
            Err(End::Stopped | End::Closed) => return state.seen,
        }
        if announced {
            state.seen.reconnects += 1;
        } else {
            announced = true;
            let _ = ready.send(true).await;
        }
        attempt = 0;
        // Wait for the start (once), then for this voter's instant.
        if !state.sent_once {
            let started = loop {
                if let Some(at) = *start.borrow() {
                    break at;
                }
                if start.changed().await.is_err() {
                    return state.seen;
                }
            };
            tokio::time::sleep_until((started + plan.at).into()).await;
            for submission in &plan.submissions {
                state.pending.insert(
                    submission.key.clone(),
                    Pending {
                        choice: submission.choice,
                        first_sent: None,
                    },
                );
            }
            state.sent_once = true;
        }
        // Send every planned frame the first time (replays of one key included), then whatever is not answered
        // yet, with the same keys: this batch resends all of it, a pending `retry` is void.
        state.retry_at = None;
        let now = now_micros();
        let frames: Vec<ClientFrame> = if first_batch {
            first_batch = false;
            plan.submissions
                .iter()
                .map(|submission| vote(plan.ballot, &submission.key, submission.choice))
                .collect()
        } else {
            state
                .pending
                .iter()
                .map(|(key, pending)| vote(plan.ballot, key, pending.choice))
                .collect()
        };
        for pending in state.pending.values_mut() {
            pending.first_sent.get_or_insert(now);
        }
        if socket.send(frames).await.is_ok()
            && socket.follow(&mut state, &mut stop).await != End::Dropped
        {
            return state.seen;
        }
        // The socket dropped (a crash, a restart): reconnect and resend the same keys.
        attempt += 1;
        super::backoff(plan.index, attempt.min(4)).await;
    }
}

/// Plans the submissions: `storm` gives each voter one vote and an instant; `races` gives each voter
/// `attempts` submissions at one instant.
fn plan_submissions(args: &VotesArgs, run: &str, index: usize) -> (Duration, Vec<Submission>) {
    match args.scenario {
        Scenario::Storm => {
            let at = if index < args.burst {
                args.burst_at_secs + index as f64 / args.burst.max(1) as f64
            } else if args.spread_secs > 0.0 {
                let rest = (args.voters - args.burst.min(args.voters)).max(1);
                (index - args.burst) as f64 * args.spread_secs / rest as f64
            } else {
                0.0
            };
            let at = if args.spread_secs <= 0.0 { 0.0 } else { at };
            let choice = [
                Choice::Pour,
                Choice::Pour,
                Choice::Contre,
                Choice::Abstention,
            ][index % 4];
            (
                Duration::from_secs_f64(at.max(0.0)),
                vec![Submission {
                    key: format!("{run}-{index}"),
                    choice,
                }],
            )
        }
        Scenario::Races => {
            let submissions = (0..args.attempts)
                .map(|j| Submission {
                    // Half replay one key (a double click, a retry), half are new keys (other tabs).
                    key: if j % 2 == 0 {
                        format!("{run}-{index}-same")
                    } else {
                        format!("{run}-{index}-{j}")
                    },
                    choice: if j % 3 == 2 {
                        Choice::Contre
                    } else {
                        Choice::Pour
                    },
                })
                .collect();
            (Duration::ZERO, submissions)
        }
    }
}

async fn wait_healthy(url: &str) -> bool {
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(response) = http.get(format!("{url}/healthz")).send().await
            && response.status().is_success()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn spawn_server(command: &str) -> anyhow::Result<std::process::Child> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec {command}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting the server")
}

/// `kill -9`, then reap.
fn kill_hard(child: &mut std::process::Child) {
    // `Child::kill` sends SIGKILL on Unix: no graceful shutdown.
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs the scenario; prints the report; fails if a check fails.
pub async fn run(args: VotesArgs) -> anyhow::Result<()> {
    let mut server = match &args.server_cmd {
        Some(command) => {
            let child = spawn_server(command)?;
            if !wait_healthy(&args.url).await {
                bail!("the server did not become healthy");
            }
            Some(child)
        }
        None => None,
    };
    let tokens = read_tokens(&args.tokens)?;
    if tokens.len() < args.voters {
        bail!(
            "{} voters asked, {} tokens given",
            args.voters,
            tokens.len()
        );
    }
    let chair = read_tokens(&args.chair_token)?
        .into_iter()
        .next()
        .context("a chair token")?;
    let organizer = read_tokens(&args.organizer_token)?
        .into_iter()
        .next()
        .context("an organizer token")?;
    let setup = Setup {
        http: reqwest::Client::new(),
        url: args.url.clone(),
        chair,
        motion: args.motion,
    };
    let ballot = prepare(&setup, &organizer).await?;
    let ws_url = format!(
        "{}/api/v1/motions/{}/live",
        args.url.replacen("http", "ws", 1),
        args.motion
    );
    let head = socket::head_seq(&ws_url, &format!("Bearer {}", tokens[0])).await?;
    let run_id = format!("{:x}", now_micros());
    eprintln!(
        "votes: ballot {ballot}, head seq {head}, {} voters, {:?}",
        args.voters, args.scenario
    );

    let gate = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let (ready_tx, mut ready_rx) = mpsc::channel(args.voters.max(1));
    let (start_tx, start_rx) = watch::channel(None);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut tasks = Vec::with_capacity(args.voters);
    let mut submissions = 0;
    let mut distinct_keys = 0;
    for (index, token) in tokens.iter().take(args.voters).enumerate() {
        let (at, planned) = plan_submissions(&args, &run_id, index);
        submissions += planned.len();
        distinct_keys += planned.iter().map(|s| &s.key).collect::<HashSet<_>>().len();
        let plan = VoterPlan {
            index,
            url: format!("{ws_url}?since={head}"),
            authorization: format!("Bearer {token}"),
            ballot,
            at,
            submissions: planned,
        };
        tasks.push(tokio::spawn(voter(
            plan,
            gate.clone(),
            ready_tx.clone(),
            start_rx.clone(),
            stop_rx.clone(),
            done_tx.clone(),
        )));
    }
    drop(ready_tx);
    let mut connected = 0;
    // Each voter says once whether it connected (its sender lives on: count, do not wait for the end).
    for _ in 0..args.voters {
        match ready_rx.recv().await {
            Some(ok) => connected += usize::from(ok),
            None => break,
        }
    }
    if connected < args.voters {
        bail!("only {connected} of {} voters connected", args.voters);
    }
    eprintln!("votes: {connected} voters connected; start");
    let started = Instant::now();
    let _ = start_tx.send(Some(started));

    let mut crashes = 0;
    if let (Some(command), true) = (&args.server_cmd, args.crashes > 0) {
        let storm = args.spread_secs.max(1.0) + 1.0;
        for k in 1..=args.crashes {
            let at = storm * f64::from(k) / f64::from(args.crashes + 1);
            tokio::time::sleep_until((started + Duration::from_secs_f64(at)).into()).await;
            if let Some(child) = server.as_mut() {
                // Nothing is flushed that was not already durable.
                kill_hard(child);
            }
            crashes += 1;
            eprintln!(
                "votes: server killed ({crashes}/{}) at {at:.1}s; restarting",
                args.crashes
            );
            server = Some(spawn_server(command)?);
            if !wait_healthy(&args.url).await {
                bail!("the server did not come back after kill {crashes}");
            }
        }
    }

    // Wait until every voter is answered (or the timeout), then let the last tallies arrive. Voters keep
    // listening to tallies after their answers: they say when they are answered, then wait for `stop`.
    let deadline = tokio::time::Instant::from_std(started + Duration::from_secs(args.timeout_secs));
    let mut answered = 0;
    while answered < args.voters {
        match tokio::time::timeout_at(deadline, done_rx.recv()).await {
            Ok(Some(())) => answered += 1,
            Ok(None) | Err(_) => break,
        }
    }
    let storm_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let _ = stop_tx.send(true);
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.unwrap_or_default());
    }

    let report = assemble(
        &args,
        &setup,
        ballot,
        (submissions, distinct_keys),
        crashes,
        storm_secs,
        &outcomes,
    )
    .await?;
    setup.close(ballot).await.ok();
    if let Some(mut child) = server {
        kill_hard(&mut child);
    }
    print(&report);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    if !report.ok() {
        bail!("a check failed (see the report)");
    }
    Ok(())
}

async fn assemble(
    args: &VotesArgs,
    setup: &Setup,
    ballot: BallotId,
    (submissions, distinct_keys): (usize, usize),
    crashes: u32,
    storm_secs: f64,
    outcomes: &[Voter],
) -> anyhow::Result<VotesReport> {
    let mut latencies: Vec<u32> = outcomes
        .iter()
        .flat_map(|v| v.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    let acknowledged_submissions: usize = outcomes.iter().map(|v| v.acks.len()).sum();
    let acknowledged: HashMap<MemberId, Choice> = outcomes
        .iter()
        .flat_map(|v| v.acks.values().map(|(who, choice, _)| (*who, *choice)))
        .collect();
    let refused_already_voted = outcomes
        .iter()
        .flat_map(|v| v.refused.values())
        .filter(|r| r.as_str() == "already_voted")
        .count();
    let refused_other =
        outcomes.iter().map(|v| v.refused.len()).sum::<usize>() - refused_already_voted;
    let unanswered = distinct_keys
        .saturating_sub(acknowledged_submissions + refused_already_voted + refused_other);
    let errors = outcomes.iter().filter(|v| v.failed).count();
    // Acknowledgements for one member must agree with each other (one vote, never two).
    let conflicting = outcomes
        .iter()
        .filter(|v| {
            v.acks
                .values()
                .map(|(_, c, _)| c)
                .collect::<HashSet<_>>()
                .len()
                > 1
        })
        .count();

    // The table's count, as the API reads it (the same figure the tallies come from).
    let (_, body) = setup
        .call(
            &setup.chair,
            "ballot_result",
            &[
                ("motion_id", setup.motion.to_string()),
                ("ballot_id", ballot.to_string()),
            ],
        )
        .await?;
    let result: app::api::BallotResultView =
        serde_json::from_str(&body).context("ballot result")?;
    let table_turnout = u64::from(result.ballot.turnout);
    let final_turnouts: Vec<u64> = outcomes
        .iter()
        .map(|v| v.turnouts.last().copied().map_or(0, u64::from))
        .collect();
    let truth = final_turnouts.iter().all(|t| *t == table_turnout);
    let decreasing = outcomes
        .iter()
        .filter(|v| v.turnouts.windows(2).any(|w| w[1] < w[0]))
        .count();

    let (db_votes, lost, duplicates) = match &args.database_url {
        Some(url) => {
            let db = Database::connect(url)
                .await
                .context("connecting to the database")?;
            let backend = db.get_database_backend();
            let rows = db
                .query_all(Statement::from_string(
                    backend,
                    format!("SELECT represented_id, choice FROM votes WHERE ballot_id = {ballot}"),
                ))
                .await?;
            let mut stored: HashMap<MemberId, String> = HashMap::new();
            for row in &rows {
                let who: i32 = row.try_get("", "represented_id")?;
                let choice: String = row.try_get("", "choice")?;
                stored.insert(MemberId(who), choice);
            }
            let lost = acknowledged
                .iter()
                .filter(|(who, choice)| stored.get(who).map(String::as_str) != Some(choice.code()))
                .count();
            let duplicates = rows.len() as u64 - stored.len() as u64;
            (
                Some(rows.len() as u64),
                Some(lost + conflicting),
                Some(duplicates),
            )
        }
        None => (None, (conflicting > 0).then_some(conflicting), None),
    };
    Ok(VotesReport {
        scenario: format!("{:?}", args.scenario).to_lowercase(),
        voters: args.voters,
        submissions,
        distinct_keys,
        acknowledged_voters: acknowledged.len(),
        acknowledged_submissions,
        refused_already_voted,
        refused_other,
        unanswered,
        errors,
        ack_p50_ms: percentile(&latencies, 50.0),
        ack_p99_ms: percentile(&latencies, 99.0),
        ack_max_ms: percentile(&latencies, 100.0),
        storm_secs,
        votes_per_sec: acknowledged.len() as f64 / storm_secs.max(0.001),
        resends: outcomes.iter().map(|v| v.resends).sum(),
        reconnects: outcomes.iter().map(|v| v.reconnects).sum(),
        crashes,
        db_votes,
        lost,
        duplicates,
        final_turnouts: {
            let mut distinct: Vec<u64> = final_turnouts.clone();
            distinct.sort_unstable();
            distinct.dedup();
            distinct
        },
        truth,
        decreasing,
    })
}

fn print(report: &VotesReport) {
    println!(
        "votes {} voters={} submissions={} acked_voters={} acked={} already_voted={} refused_other={} unanswered={} \
         errors={} ack_p50={:.1}ms ack_p99={:.1}ms ack_max={:.1}ms storm={:.2}s rate={:.0}/s resends={} reconnects={} \
         crashes={} db_votes={} lost={} duplicates={} final_turnouts={:?} truth={} decreasing={}",
        report.scenario,
        report.voters,
        report.submissions,
        report.acknowledged_voters,
        report.acknowledged_submissions,
        report.refused_already_voted,
        report.refused_other,
        report.unanswered,
        report.errors,
        report.ack_p50_ms,
        report.ack_p99_ms,
        report.ack_max_ms,
        report.storm_secs,
        report.votes_per_sec,
        report.resends,
        report.reconnects,
        report.crashes,
        report
            .db_votes
            .map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        report
            .lost
            .map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        report
            .duplicates
            .map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        report.final_turnouts,
        report.truth,
        report.decreasing,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str) -> ServerFrame {
        ServerFrame::parse(text).expect("a frame of the protocol")
    }

    fn ballotting(keys: &[(&str, Choice)]) -> (Ballotting, mpsc::UnboundedReceiver<()>) {
        let (done, answered) = mpsc::unbounded_channel();
        let pending = keys
            .iter()
            .map(|(key, choice)| {
                (
                    (*key).to_owned(),
                    Pending {
                        choice: *choice,
                        first_sent: Some(1_000),
                    },
                )
            })
            .collect();
        let state = Ballotting {
            seen: Voter::default(),
            ballot: BallotId(3),
            index: 7,
            pending,
            sent_once: true,
            said_done: false,
            retry_at: None,
            done,
        };
        (state, answered)
    }

    #[test]
    fn a_voter_keeps_acks_final_refusals_and_its_ballots_tallies() {
        let (mut state, mut answered) = ballotting(&[("a", Choice::Pour), ("b", Choice::Contre)]);
        let mut send = Vec::new();
        for text in [
            r#"{"v":1,"type":"tally","ballot":3,"turnout":5,"eligible":9,"counts":null}"#,
            r#"{"v":1,"type":"tally","ballot":4,"turnout":1,"eligible":9,"counts":null}"#,
            r#"{"v":1,"type":"vote_ack","key":"a","ballot":3,"for":42,"choice":"pour","recorded_at":17,"replayed":false,"changed":false}"#,
            // A second answer to a key already answered (a replay) changes nothing.
            r#"{"v":1,"type":"vote_ack","key":"a","ballot":3,"for":42,"choice":"pour","recorded_at":17,"replayed":true,"changed":false}"#,
        ] {
            assert_eq!(state.frame(frame(text), 3_500, &mut send), Flow::Continue);
        }
        assert!(answered.try_recv().is_err(), "b is not answered yet");
        let refused = r#"{"v":1,"type":"vote_refused","key":"b","code":"refused","refusal":{"ballot":3,"refusal":"already_voted"},"retry":false}"#;
        state.frame(frame(refused), 4_000, &mut send);
        assert!(answered.try_recv().is_ok(), "every key answered");
        assert!(send.is_empty());
        let seen = state.seen;
        assert_eq!(seen.turnouts, vec![5]);
        assert_eq!(seen.acks.get("a"), Some(&(MemberId(42), Choice::Pour, 17)));
        assert_eq!(seen.latencies_us, vec![2_500]);
        assert_eq!(
            seen.refused.get("b").map(String::as_str),
            Some("already_voted")
        );
    }

    #[test]
    fn a_refusal_marked_retry_resends_every_pending_key_with_its_key() {
        let (mut state, _answered) = ballotting(&[("a", Choice::Abstention)]);
        let mut send = Vec::new();
        let retry = r#"{"v":1,"type":"vote_refused","key":"a","code":"unavailable","refusal":null,"retry":true}"#;
        state.frame(frame(retry), 0, &mut send);
        assert!(state.wake_at().is_some(), "a resend is planned");
        assert!(state.pending.contains_key("a"), "still pending");
        state.wake(&mut send);
        assert_eq!(state.wake_at(), None);
        assert_eq!(send, vec![vote(BallotId(3), "a", Choice::Abstention)]);
        assert_eq!(state.seen.resends, 1);
        assert_eq!(
            send[0].to_text(),
            r#"{"v":1,"type":"vote","ballot":3,"choice":"abstention","key":"a"}"#
        );
        let bad = r#"{"v":1,"type":"vote_refused","key":"a","code":"bad_key","refusal":null,"retry":false}"#;
        state.frame(frame(bad), 0, &mut send);
        assert_eq!(
            state.seen.refused.get("a").map(String::as_str),
            Some("bad_key")
        );
    }
}
