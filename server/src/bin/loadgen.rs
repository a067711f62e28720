//! `loadgen`: opens N authenticated websocket clients on one motion, triggers events through the real command
//! path (a server function), and reports delivery latency (p50/p99/max over every delivery), the server's RSS
//! growth per connection, seq gaps and duplicates — then the same against a bare axum broadcast server (the
//! baseline, built in: `loadgen baseline-server`) in the same run, pinned to the same core.
//!
//! Lean on purpose: one task per connection, 4 KiB read buffers, each frame parsed once with the protocol's own
//! types (`app::protocol`, the event's payload left raw), by the socket loop every client shares
//! (`loadgen/socket.rs`). Tokens come from `hemicycle issue-tokens`. See `docs/benchmarks.md` for the commands.

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use app::protocol::{ClientFrame, ServerFrame};
use axum::{
    Router,
    extract::{
        State,
        ws::{Message as AxumMessage, Utf8Bytes, WebSocketUpgrade},
    },
    http::StatusCode,
    response::Response,
    routing::{get, post},
    serve::ListenerExt,
};
use clap::{Parser, Subcommand};
use tokio::sync::{Semaphore, broadcast, mpsc};

use crate::socket::{End, Flow, Handler, Socket};

#[path = "loadgen/commands.rs"]
mod commands;
#[path = "loadgen/fixture.rs"]
mod fixture;
#[path = "loadgen/socket.rs"]
mod socket;
#[path = "loadgen/votes.rs"]
mod votes;

#[derive(Debug, Parser)]
#[command(name = "loadgen", about = "Load generator for the live websocket")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure a running Hémicycle server, then the built-in baseline.
    Run(RunArgs),
    /// A vote storm (or races) against a running server, with the durability and truth checks.
    Votes(votes::VotesArgs),
    /// Commands one after the other: whether their cost grows with the log.
    Commands(commands::CommandsArgs),
    /// Fill a motion with amendments (filed, co-signed, decided) through the server functions.
    Fixture(fixture::FixtureArgs),
    /// Serve the bare axum broadcast baseline (`GET /ws`, `POST /trigger`).
    BaselineServer {
        #[arg(long, default_value = "127.0.0.1:3999")]
        addr: SocketAddr,
    },
}

#[derive(Clone, Debug, clap::Args)]
struct RunArgs {
    /// The server's base URL (`http://host:port`, also the Origin sent to server functions).
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// The motion to follow.
    #[arg(long, default_value_t = 1)]
    motion: i32,
    /// Tokens from `hemicycle issue-tokens`, one per line (the first one also files the amendments).
    #[arg(long)]
    tokens: PathBuf,
    /// Clients to open (tokens are reused in turn if there are fewer).
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Events to trigger.
    #[arg(long, default_value_t = 30)]
    events: usize,
    /// Pause between two triggers.
    #[arg(long, default_value_t = 200)]
    interval_ms: u64,
    /// The Hémicycle server's process id, for its RSS.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Handshakes in flight at once.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// Skip the baseline.
    #[arg(long)]
    no_baseline: bool,
    /// Where the baseline listens.
    #[arg(long, default_value = "127.0.0.1:3999")]
    baseline_addr: SocketAddr,
    /// The CPU the baseline server is pinned to (`taskset -c`), the one the Hémicycle server uses.
    #[arg(long)]
    baseline_cpu: Option<u32>,
    /// How long to wait for the last deliveries after the last trigger.
    #[arg(long, default_value_t = 30)]
    drain_secs: u64,
    /// Clients reconnect (jittered backoff, `since` = their last seq) when their socket drops, and triggers
    /// are retried: for measuring a server restart.
    #[arg(long)]
    reconnect: bool,
    /// Also open this percentage of extra clients that never read their socket (not measured).
    #[arg(long, default_value_t = 0.0)]
    stalled_percent: f64,
    /// Also open one extra client that sends this many `ping` messages per second (not measured).
    #[arg(long, default_value_t = 0)]
    flood_rate: u32,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    match cli.command {
        Command::BaselineServer { addr } => runtime.block_on(baseline_server(addr)),
        Command::Run(args) => runtime.block_on(run(args)),
        Command::Votes(args) => runtime.block_on(votes::run(args)),
        Command::Commands(args) => runtime.block_on(commands::run(args)),
        Command::Fixture(args) => runtime.block_on(fixture::run(args)),
    }
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// The marker a trigger wrote into its event (`loadgen t=<µs>`), found in the event's stored payload: the one
/// text we search is our own, the frame itself is parsed.
fn marker_micros(payload: &str) -> Option<u64> {
    const MARKER: &str = "loadgen t=";
    let digits = &payload[payload.find(MARKER)? + MARKER.len()..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// What one client saw.
#[derive(Debug, Default)]
struct Seen {
    latencies_us: Vec<u32>,
    gaps: u32,
    duplicates: u32,
    resyncs: u32,
    /// From a dropped socket to `live` on the new one, per reconnection.
    reconnects_us: Vec<u32>,
    failed: bool,
}

/// How a client reaches its server.
#[derive(Clone)]
struct Endpoint {
    /// `ws://…` URL, without query.
    url: String,
    /// `Authorization` header value, if any.
    authorization: Option<String>,
    /// Whether the server takes `?since=` (Hémicycle does, the baseline does not).
    with_since: bool,
}

impl Endpoint {
    fn url_after(&self, seq: Option<i64>) -> String {
        match (self.with_since, seq) {
            (true, Some(seq)) => format!("{}?since={seq}", self.url),
            _ => self.url.clone(),
        }
    }
}

/// The options of one client.
#[derive(Clone)]
struct ClientPlan {
    endpoint: Endpoint,
    /// The seq the client starts after.
    start: Option<i64>,
    events: usize,
    reconnect: bool,
    /// Spreads reconnections (no two clients retry in step).
    index: usize,
}

/// A following client's checks, fed one parsed frame at a time (across its reconnections).
struct Follower {
    seen: Seen,
    /// The last seq applied: where a reconnection starts.
    last_seq: Option<i64>,
    /// Marked events seen, out of `events`.
    marked: usize,
    events: usize,
}

impl Handler for Follower {
    fn frame(&mut self, frame: ServerFrame, received_at: u64, _: &mut Vec<ClientFrame>) -> Flow {
        match frame {
            ServerFrame::Resync { .. } => self.seen.resyncs += 1,
            ServerFrame::Event(event) => {
                let seq = event.seq;
                match self.last_seq {
                    Some(last) if seq <= last => self.seen.duplicates += 1,
                    Some(last) if seq > last + 1 => self.seen.gaps += 1,
                    _ => {}
                }
                self.last_seq = Some(self.last_seq.map_or(seq, |last| last.max(seq)));
                if let Some(sent) = marker_micros(event.data.get()) {
                    let latency = received_at.saturating_sub(sent);
                    self.seen
                        .latencies_us
                        .push(u32::try_from(latency).unwrap_or(u32::MAX));
                    self.marked += 1;
                    if self.marked >= self.events {
                        return Flow::Close;
                    }
                }
            }
            _ => {}
        }
        Flow::Continue
    }
}

/// One client: connect, wait for `live`, report ready, then count until `events` marked events were seen,
/// reconnecting from its last seq if asked to.
async fn client(
    plan: ClientPlan,
    gate: Arc<Semaphore>,
    ready: mpsc::Sender<bool>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Seen {
    let mut follower = Follower {
        seen: Seen::default(),
        last_seq: plan.start,
        marked: 0,
        events: plan.events,
    };
    let mut announced = false;
    let mut dropped_at: Option<Instant> = None;
    let mut attempt: u32 = 0;
    loop {
        let url = plan.endpoint.url_after(follower.last_seq);
        let opened = {
            let _permit = gate.acquire().await;
            Socket::open(&url, plan.endpoint.authorization.as_deref()).await
        };
        let mut socket = match opened {
            Ok(socket) => socket,
            Err(_) if plan.reconnect && dropped_at.is_some() => {
                attempt += 1;
                backoff(plan.index, attempt).await;
                continue;
            }
            Err(_) => {
                follower.seen.failed = true;
                if !announced {
                    let _ = ready.send(false).await;
                }
                return follower.seen;
            }
        };
        let end = match socket.until_live(&mut follower, &mut stop).await {
            Ok(seq) => {
                if follower.last_seq.is_none() {
                    follower.last_seq = Some(seq);
                }
                if let Some(at) = dropped_at.take() {
                    follower
                        .seen
                        .reconnects_us
                        .push(u32::try_from(at.elapsed().as_micros()).unwrap_or(u32::MAX));
                    attempt = 0;
                }
                if !announced {
                    announced = true;
                    let _ = ready.send(true).await;
                }
                socket.follow(&mut follower, &mut stop).await
            }
            Err(end) => end,
        };
        if end != End::Dropped {
            return follower.seen;
        }
        // The socket dropped before every event came.
        if plan.reconnect && announced {
            dropped_at.get_or_insert_with(Instant::now);
            attempt += 1;
            backoff(plan.index, attempt).await;
            continue;
        }
        follower.seen.failed = true;
        if !announced {
            let _ = ready.send(false).await;
        }
        return follower.seen;
    }
}

/// Jittered exponential backoff: 100 ms × 2^attempt, at most 2 s, plus up to 500 ms spread by client.
async fn backoff(index: usize, attempt: u32) {
    let base = 100u64.saturating_mul(1 << attempt.min(5)).min(2000);
    let jitter = (now_micros() ^ (index as u64).wrapping_mul(7919)) % 500;
    tokio::time::sleep(Duration::from_millis(base + jitter)).await;
}

async fn wait_stop(stop: &mut tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// A client that connects and never reads again: the server's writes to it pile up until it is cut.
async fn stalled(
    endpoint: Endpoint,
    start: Option<i64>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> bool {
    match Socket::open(
        &endpoint.url_after(start),
        endpoint.authorization.as_deref(),
    )
    .await
    {
        Ok(socket) => {
            wait_stop(&mut stop).await;
            drop(socket);
            true
        }
        Err(_) => false,
    }
}

/// The flooding client's timer: one `ping` every `period`, late ones sent at once (as `Interval` would).
struct Flood {
    period: Duration,
    next: tokio::time::Instant,
}

impl Handler for Flood {
    fn frame(&mut self, _: ServerFrame, _: u64, _: &mut Vec<ClientFrame>) -> Flow {
        Flow::Continue
    }

    fn wake_at(&self) -> Option<tokio::time::Instant> {
        Some(self.next)
    }

    fn wake(&mut self, send: &mut Vec<ClientFrame>) {
        send.push(ClientFrame::Ping);
        self.next += self.period;
    }
}

/// A client that sends `rate` pings per second and reads the answers.
async fn flood(
    endpoint: Endpoint,
    start: Option<i64>,
    rate: u32,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> bool {
    let Ok(mut socket) = Socket::open(
        &endpoint.url_after(start),
        endpoint.authorization.as_deref(),
    )
    .await
    else {
        return false;
    };
    let mut flood = Flood {
        period: Duration::from_micros(1_000_000 / u64::from(rate.max(1))),
        next: tokio::time::Instant::now(),
    };
    socket.follow(&mut flood, &mut stop).await == End::Stopped
}

/// What a run measured.
#[derive(Debug)]
struct Report {
    label: &'static str,
    clients: usize,
    connected: usize,
    connect_secs: f64,
    rss_before_kib: Option<u64>,
    rss_connected_kib: Option<u64>,
    rss_after_kib: Option<u64>,
    deliveries: usize,
    expected: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    gaps: u64,
    duplicates: u64,
    resyncs: u64,
    trigger_p50_ms: f64,
    /// p50, p99, max of reconnection times (dropped → `live` again), and how many.
    reconnects: Option<(f64, f64, f64, usize)>,
}

impl Report {
    fn per_connection_kib(&self) -> Option<f64> {
        let (before, after) = (self.rss_before_kib?, self.rss_connected_kib?);
        (self.connected > 0).then(|| (after as f64 - before as f64) / self.connected as f64)
    }

    fn print(&self) {
        let rss = |v: Option<u64>| {
            v.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0))
        };
        println!(
            "{:<10} clients={} connected={} connect={:.1}s rss_MiB before={} connected={} after={} \
             per_conn_KiB={} deliveries={}/{} p50={:.1}ms p99={:.1}ms max={:.1}ms gaps={} dups={} resyncs={} \
             trigger_p50={:.1}ms",
            self.label,
            self.clients,
            self.connected,
            self.connect_secs,
            rss(self.rss_before_kib),
            rss(self.rss_connected_kib),
            rss(self.rss_after_kib),
            self.per_connection_kib()
                .map_or_else(|| "n/a".to_owned(), |k| format!("{k:.1}")),
            self.deliveries,
            self.expected,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.gaps,
            self.duplicates,
            self.resyncs,
            self.trigger_p50_ms,
        );
        if let Some((p50, p99, max, count)) = self.reconnects {
            println!(
                "{:<10} reconnections={count} dropped->live p50={p50:.1}ms p99={p99:.1}ms max={max:.1}ms",
                self.label
            );
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

/// How events are triggered on the measured server.
enum Trigger {
    /// Files an amendment (insert at the top of the first section) through the server function.
    Hemicycle {
        http: reqwest::Client,
        url: String,
        cookie: String,
        motion: i32,
        section: i32,
    },
    /// `POST /trigger` on the baseline.
    Baseline { http: reqwest::Client, url: String },
}

impl Trigger {
    async fn fire(&self, n: usize) -> anyhow::Result<()> {
        let marker = format!("loadgen t={}", now_micros());
        let response = match self {
            Trigger::Hemicycle {
                http,
                url,
                cookie,
                motion,
                section,
            } => {
                http.post(format!("{url}/api/fn/file_amendment"))
                    .header("cookie", cookie)
                    .header("origin", url)
                    .form(&[
                        ("motion_id", motion.to_string()),
                        ("kind", "insert".to_owned()),
                        ("section_id", section.to_string()),
                        ("text", format!("Essai de charge n° {n}.")),
                        ("rationale", marker),
                    ])
                    .send()
                    .await?
            }
            Trigger::Baseline { http, url } => {
                http.post(format!("{url}/trigger"))
                    .body(marker)
                    .send()
                    .await?
            }
        };
        if !response.status().is_success() {
            bail!(
                "trigger refused: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        Ok(())
    }
}

async fn measure(
    label: &'static str,
    args: &RunArgs,
    endpoints: Vec<Endpoint>,
    start: Option<i64>,
    trigger: Trigger,
    server_pid: Option<u32>,
) -> anyhow::Result<Report> {
    let rss_before = server_pid.and_then(rss_kib);
    let gate = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let (ready_tx, mut ready_rx) = mpsc::channel(args.clients.max(1));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..args.clients {
        let plan = ClientPlan {
            endpoint: endpoints[i % endpoints.len()].clone(),
            start,
            events: args.events,
            reconnect: args.reconnect,
            index: i,
        };
        tasks.spawn(client(
            plan,
            gate.clone(),
            ready_tx.clone(),
            stop_rx.clone(),
        ));
    }
    drop(ready_tx);
    let mut disturbers = tokio::task::JoinSet::new();
    let stalled_count = (args.clients as f64 * args.stalled_percent / 100.0).round() as usize;
    for i in 0..stalled_count {
        disturbers.spawn(stalled(
            endpoints[i % endpoints.len()].clone(),
            start,
            stop_rx.clone(),
        ));
    }
    if args.flood_rate > 0 {
        disturbers.spawn(flood(
            endpoints[0].clone(),
            start,
            args.flood_rate,
            stop_rx.clone(),
        ));
    }
    let mut connected = 0;
    for _ in 0..args.clients {
        match ready_rx.recv().await {
            Some(true) => connected += 1,
            Some(false) => {}
            None => break,
        }
    }
    let connect_secs = started.elapsed().as_secs_f64();
    // Let allocations settle (handshake buffers freed) before reading the figure.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = server_pid.and_then(rss_kib);
    eprintln!(
        "{label}: {connected}/{} clients connected in {connect_secs:.1}s",
        args.clients
    );

    let mut trigger_ms = Vec::with_capacity(args.events);
    for n in 0..args.events {
        let deadline = Instant::now() + Duration::from_secs(if args.reconnect { 60 } else { 0 });
        let sent = loop {
            let sent = Instant::now();
            match trigger.fire(n).await {
                Ok(()) => break sent,
                // A restarting server: try again until it is back.
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(err) => return Err(err.context(format!("{label}: trigger {n}"))),
            }
        };
        trigger_ms.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
        tokio::time::sleep(Duration::from_millis(args.interval_ms)).await;
    }
    let drained = tokio::time::timeout(Duration::from_secs(args.drain_secs), async {
        let mut all = Vec::new();
        while let Some(result) = tasks.join_next().await {
            if let Ok(seen) = result {
                all.push(seen);
            }
        }
        all
    })
    .await;
    let seen = match drained {
        Ok(all) => all,
        Err(_) => {
            let _ = stop_tx.send(true);
            let mut all = Vec::new();
            while let Some(result) = tasks.join_next().await {
                if let Ok(seen) = result {
                    all.push(seen);
                }
            }
            all
        }
    };
    let _ = stop_tx.send(true);
    let mut disturbing = 0;
    while let Some(result) = disturbers.join_next().await {
        disturbing += usize::from(result.unwrap_or(false));
    }
    if stalled_count > 0 || args.flood_rate > 0 {
        eprintln!(
            "{label}: {stalled_count} stalled readers and {} flooding client(s) ({} of them connected)",
            usize::from(args.flood_rate > 0),
            disturbing
        );
    }
    let rss_after = server_pid.and_then(rss_kib);
    let mut latencies: Vec<u32> = seen
        .iter()
        .flat_map(|s| s.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    trigger_ms.sort_unstable();
    let mut reconnects: Vec<u32> = seen
        .iter()
        .flat_map(|s| s.reconnects_us.iter().copied())
        .collect();
    reconnects.sort_unstable();
    let reconnects = (!reconnects.is_empty()).then(|| {
        (
            percentile(&reconnects, 50.0),
            percentile(&reconnects, 99.0),
            reconnects
                .last()
                .map_or(f64::NAN, |m| f64::from(*m) / 1000.0),
            reconnects.len(),
        )
    });
    Ok(Report {
        label,
        clients: args.clients,
        connected,
        connect_secs,
        rss_before_kib: rss_before,
        rss_connected_kib: rss_connected,
        rss_after_kib: rss_after,
        deliveries: latencies.len(),
        expected: connected * args.events,
        p50_ms: percentile(&latencies, 50.0),
        p99_ms: percentile(&latencies, 99.0),
        max_ms: latencies
            .last()
            .map_or(f64::NAN, |m| f64::from(*m) / 1000.0),
        gaps: seen.iter().map(|s| u64::from(s.gaps)).sum(),
        duplicates: seen.iter().map(|s| u64::from(s.duplicates)).sum(),
        resyncs: seen.iter().map(|s| u64::from(s.resyncs)).sum(),
        trigger_p50_ms: percentile(&trigger_ms, 50.0),
        reconnects,
    })
}

/// The current head seq and the first section, read the way a page reads them.
async fn probe(args: &RunArgs, http: &reqwest::Client, token: &str) -> anyhow::Result<(i64, i32)> {
    let ws_url = format!(
        "{}/api/v1/motions/{}/live",
        args.url.replacen("http", "ws", 1),
        args.motion
    );
    let head = socket::head_seq(&ws_url, &format!("Bearer {token}"))
        .await
        .context("probe connection (is the server up, the token valid?)")?;
    let motion: app::api::MotionView = http
        .post(format!("{}/api/fn/get_motion", args.url))
        .header("origin", &args.url)
        .form(&[("id", args.motion.to_string())])
        .send()
        .await?
        .json()
        .await
        .context("reading the motion")?;
    let section = motion.sections.first().context("a section")?.id;
    Ok((head, section))
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let tokens: Vec<String> = std::fs::read_to_string(&args.tokens)
        .with_context(|| format!("reading {}", args.tokens.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let Some(first) = tokens.first().cloned() else {
        bail!("no token in {}", args.tokens.display());
    };
    let http = reqwest::Client::new();
    let (head, section) = probe(&args, &http, &first).await?;
    eprintln!("hemicycle: head seq {head}, filing into section {section}");
    let ws_url = format!(
        "{}/api/v1/motions/{}/live",
        args.url.replacen("http", "ws", 1),
        args.motion
    );
    let endpoints = tokens
        .iter()
        .map(|token| Endpoint {
            url: ws_url.clone(),
            authorization: Some(format!("Bearer {token}")),
            with_since: true,
        })
        .collect();
    let trigger = Trigger::Hemicycle {
        http: http.clone(),
        url: args.url.clone(),
        cookie: format!("hemicycle_session={first}"),
        motion: args.motion,
        section,
    };
    let ours = measure(
        "hemicycle",
        &args,
        endpoints,
        Some(head),
        trigger,
        args.server_pid,
    )
    .await?;
    ours.print();
    if args.no_baseline {
        return Ok(());
    }

    let exe = std::env::current_exe().context("locating loadgen")?;
    let mut command = match args.baseline_cpu {
        Some(cpu) => {
            let mut command = std::process::Command::new("taskset");
            command.arg("-c").arg(cpu.to_string()).arg(exe);
            command
        }
        None => std::process::Command::new(exe),
    };
    let mut child = command
        .arg("baseline-server")
        .arg("--addr")
        .arg(args.baseline_addr.to_string())
        .stdout(Stdio::null())
        .spawn()
        .context("starting the baseline server")?;
    let pid = child.id();
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(args.baseline_addr)
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if !up {
        let _ = child.kill();
        bail!("the baseline server did not start");
    }
    let endpoints = vec![Endpoint {
        url: format!("ws://{}/ws", args.baseline_addr),
        authorization: None,
        with_since: false,
    }];
    let trigger = Trigger::Baseline {
        http,
        url: format!("http://{}", args.baseline_addr),
    };
    let result = measure("baseline", &args, endpoints, None, trigger, Some(pid)).await;
    let _ = child.kill();
    let _ = child.wait();
    let baseline = result?;
    baseline.print();
    println!(
        "ratio      p99 hemicycle/baseline = {:.2}  per_conn hemicycle/baseline = {}",
        ours.p99_ms / baseline.p99_ms,
        match (ours.per_connection_kib(), baseline.per_connection_kib()) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => "n/a".to_owned(),
        }
    );
    Ok(())
}

/// The baseline: every socket subscribes to one broadcast channel; `POST /trigger` sends an event frame of the
/// protocol (seq + the marker in its payload), so the same client code measures both servers. No database, no
/// authentication, no replay: the floor to compare with.
async fn baseline_server(addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    serve_baseline(listener).await
}

async fn serve_baseline(listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    let (tx, _) = broadcast::channel::<Utf8Bytes>(1024);
    let state = Arc::new((tx, AtomicI64::new(0)));
    let router = Router::new()
        .route("/ws", get(baseline_socket))
        .route("/trigger", post(baseline_trigger))
        .with_state(state);
    axum::serve(
        listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        }),
        router,
    )
    .await
    .context("serving")
}

type BaselineState = Arc<(broadcast::Sender<Utf8Bytes>, AtomicI64)>;

async fn baseline_socket(
    State(state): State<BaselineState>,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .read_buffer_size(4096)
        .write_buffer_size(0)
        .on_upgrade(move |mut socket| async move {
            let mut rx = state.0.subscribe();
            let seq = state.1.load(Ordering::Acquire);
            let ready = ServerFrame::Live { seq }.to_text();
            if socket.send(AxumMessage::Text(ready.into())).await.is_err() {
                return;
            }
            loop {
                tokio::select! {
                    frame = rx.recv() => match frame {
                        Ok(frame) => {
                            if socket.send(AxumMessage::Text(frame)).await.is_err() {
                                return;
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    incoming = socket.recv() => match incoming {
                        Some(Ok(AxumMessage::Close(_)) | Err(_)) | None => return,
                        // Answered as Hémicycle answers it: clients ping a quiet socket.
                        Some(Ok(AxumMessage::Text(text)))
                            if ClientFrame::parse(text.as_str()) == Ok(ClientFrame::Ping) =>
                        {
                            let pong = ServerFrame::Pong.to_text();
                            if socket.send(AxumMessage::Text(pong.into())).await.is_err() {
                                return;
                            }
                        }
                        Some(Ok(_)) => {}
                    },
                }
            }
        })
}

async fn baseline_trigger(State(state): State<BaselineState>, marker: String) -> StatusCode {
    let seq = state.1.fetch_add(1, Ordering::AcqRel) + 1;
    let payload = serde_json::json!({ "rationale": marker }).to_string();
    let at = i64::try_from(now_micros() / 1000).unwrap_or(0);
    let frame = ServerFrame::event(seq, "baseline", at, None, &payload).to_text();
    let _ = state.0.send(frame.into());
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the baseline sends is what Hémicycle sends: the client reads both with one parser.
    #[test]
    fn the_baseline_speaks_the_protocol_and_its_marker_is_found_in_the_payload() {
        let payload = serde_json::json!({ "rationale": "loadgen t=1700000000123456" }).to_string();
        let text = ServerFrame::event(42, "baseline", 1_700_000_000_123, None, &payload).to_text();
        match ServerFrame::parse(&text) {
            Ok(ServerFrame::Event(event)) => {
                assert_eq!(event.seq, 42);
                assert_eq!(marker_micros(event.data.get()), Some(1_700_000_000_123_456));
            }
            other => panic!("an event, got {other:?}"),
        }
        assert!(matches!(
            ServerFrame::parse(&ServerFrame::Live { seq: 7 }.to_text()),
            Ok(ServerFrame::Live { seq: 7 })
        ));
        assert_eq!(marker_micros(r#"{"rationale":"Préciser."}"#), None);
    }

    fn follower(last_seq: Option<i64>, events: usize) -> Follower {
        Follower {
            seen: Seen::default(),
            last_seq,
            marked: 0,
            events,
        }
    }

    fn event(seq: i64, rationale: &str) -> ServerFrame {
        let payload = serde_json::json!({ "rationale": rationale }).to_string();
        ServerFrame::event(seq, "amendment_filed", 0, Some(3), &payload)
    }

    #[test]
    fn a_follower_counts_gaps_duplicates_resyncs_and_marked_deliveries() {
        let mut follower = follower(Some(10), 2);
        let mut send = Vec::new();
        let sent = now_micros();
        let marked = format!("loadgen t={sent}");
        assert_eq!(
            follower.frame(event(11, "autre"), sent, &mut send),
            Flow::Continue
        );
        assert_eq!(
            follower.frame(event(11, "autre"), sent, &mut send),
            Flow::Continue
        );
        assert_eq!(
            follower.frame(event(13, &marked), sent + 1500, &mut send),
            Flow::Continue
        );
        assert_eq!(
            follower.frame(ServerFrame::Resync { seq: 13 }, sent, &mut send),
            Flow::Continue
        );
        assert_eq!(
            follower.frame(ServerFrame::Pong, sent, &mut send),
            Flow::Continue
        );
        assert_eq!(
            follower.frame(event(14, &marked), sent + 10, &mut send),
            Flow::Close
        );
        assert!(send.is_empty(), "a follower only reads");
        let seen = follower.seen;
        assert_eq!((seen.duplicates, seen.gaps, seen.resyncs), (1, 1, 1));
        assert_eq!(seen.latencies_us, vec![1500, 10]);
        assert_eq!(follower.last_seq, Some(14));
    }

    /// A baseline on a free port, for the loop that every client shares.
    async fn baseline() -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(serve_baseline(listener));
        addr
    }

    #[tokio::test]
    async fn a_follower_measures_every_delivery_of_the_baseline_through_the_shared_loop() {
        let addr = baseline().await;
        let plan = ClientPlan {
            endpoint: Endpoint {
                url: format!("ws://{addr}/ws"),
                authorization: None,
                with_since: false,
            },
            start: None,
            events: 3,
            reconnect: false,
            index: 0,
        };
        let (ready_tx, mut ready_rx) = mpsc::channel(1);
        let (_stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(client(plan, Arc::new(Semaphore::new(1)), ready_tx, stop_rx));
        assert_eq!(ready_rx.recv().await, Some(true), "connected and live");
        let trigger = Trigger::Baseline {
            http: reqwest::Client::new(),
            url: format!("http://{addr}"),
        };
        for n in 0..3 {
            trigger.fire(n).await.expect("the baseline takes a trigger");
        }
        let seen = tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the client ends after its events")
            .expect("the client task");
        assert!(!seen.failed);
        assert_eq!(seen.latencies_us.len(), 3);
        assert_eq!((seen.gaps, seen.duplicates, seen.resyncs), (0, 0, 0));
    }

    #[tokio::test]
    async fn the_baseline_answers_a_ping_as_hemicycle_does() {
        /// Closes at the first `pong`.
        struct Pong;
        impl Handler for Pong {
            fn frame(&mut self, frame: ServerFrame, _: u64, _: &mut Vec<ClientFrame>) -> Flow {
                if matches!(frame, ServerFrame::Pong) {
                    Flow::Close
                } else {
                    Flow::Continue
                }
            }
        }
        let addr = baseline().await;
        let mut socket = Socket::open(&format!("ws://{addr}/ws"), None)
            .await
            .expect("connected");
        let (_stop_tx, mut stop) = tokio::sync::watch::channel(false);
        assert_eq!(socket.until_live(&mut Pong, &mut stop).await, Ok(0));
        socket
            .send([ClientFrame::Ping])
            .await
            .expect("the ping is sent");
        let end =
            tokio::time::timeout(Duration::from_secs(10), socket.follow(&mut Pong, &mut stop))
                .await
                .expect("a pong comes");
        assert_eq!(end, End::Closed);
    }

    #[test]
    fn a_flood_pings_once_per_period_and_catches_up() {
        let start = tokio::time::Instant::now();
        let mut flood = Flood {
            period: Duration::from_millis(10),
            next: start,
        };
        let mut send = Vec::new();
        flood.wake(&mut send);
        flood.wake(&mut send);
        assert_eq!(send, vec![ClientFrame::Ping, ClientFrame::Ping]);
        assert_eq!(flood.wake_at(), Some(start + Duration::from_millis(20)));
    }

    #[test]
    fn percentiles_come_from_every_sample() {
        let samples: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(percentile(&samples, 50.0), 51.0);
        assert_eq!(percentile(&samples, 99.0), 99.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
