//! Small versions of the vote benchmarks, run by `make test` as correctness tests: the real `hemicycle` binary,
//! the real load generator (`loadgen votes`), both engines. A storm with a burst, races (ten submissions per
//! voter at once: replays of one key, new keys, other choices) and crashes (`kill -9` three times during a
//! storm, restart, clients retry): every vote acknowledged, none lost, none counted twice, every client's last
//! tally equal to the table, turnout never going down.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::support::{BOTH, Backend, TestDb};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Seeds the demo congress (the server starts once with `--demo`) and issues tokens: `voters` delegates
/// created for the run, one chair, one organizer.
fn seed(database_url: &str, dir: &Path, voters: u32) {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .arg("--demo")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let started = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("listens on"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(started, "the demo server started");
    for (role, count, file, create) in [
        ("delegate", voters, "voters.txt", true),
        ("chair", 1, "chair.txt", false),
        ("organizer", 1, "organizer.txt", false),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hemicycle"));
        command
            .args(["issue-tokens", "--motion", "1", "--role", role])
            .args(["--count", &count.to_string()])
            .arg("--out")
            .arg(dir.join(file))
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "error");
        if create {
            command.arg("--create-members");
        }
        let output = command.output().expect("issue-tokens runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("hemicycle-votes-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `loadgen votes` with `extra` arguments against a server it starts itself; answers its JSON report.
fn loadgen(database_url: &str, dir: &Path, extra: &[&str]) -> serde_json::Value {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let server_cmd = format!(
        "env DATABASE_URL='{database_url}' LEPTOS_SITE_ADDR=127.0.0.1:{port} RUST_LOG=error {}",
        env!("CARGO_BIN_EXE_hemicycle")
    );
    let report = dir.join(format!("report-{port}.json"));
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .arg("votes")
        .args(["--url", &url, "--motion", "1"])
        .arg("--tokens")
        .arg(dir.join("voters.txt"))
        .arg("--chair-token")
        .arg(dir.join("chair.txt"))
        .arg("--organizer-token")
        .arg(dir.join("organizer.txt"))
        .args(["--database-url", database_url, "--server-cmd", &server_cmd])
        .args(["--connect-concurrency", "50", "--timeout-secs", "90"])
        .arg("--json")
        .arg(&report)
        .args(extra)
        .output()
        .expect("loadgen runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "loadgen failed:\n{stdout}\n{stderr}"
    );
    let text = std::fs::read_to_string(&report).expect("a report");
    serde_json::from_str(&text).expect("a JSON report")
}

fn check(report: &serde_json::Value, voters: u64) {
    let get = |key: &str| report.get(key).cloned().unwrap_or_default();
    assert_eq!(get("acknowledged_voters"), voters, "{report}");
    assert_eq!(get("db_votes"), voters, "exactly one ballot each: {report}");
    assert_eq!(get("lost"), 0, "{report}");
    assert_eq!(get("duplicates"), 0, "{report}");
    assert_eq!(get("unanswered"), 0, "{report}");
    assert_eq!(get("errors"), 0, "{report}");
    assert_eq!(
        get("truth"),
        true,
        "every client's last tally equals the table: {report}"
    );
    assert_eq!(get("decreasing"), 0, "{report}");
}

fn database(backend: Backend) -> TestDb {
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(TestDb::new(backend))
}

#[test]
fn a_small_storm_with_a_burst_is_acknowledged_counted_once_and_told_truly() {
    let _turn = crate::support::heavy_blocking();
    for backend in BOTH {
        let db = database(backend);
        let dir = temp_dir();
        seed(&db.url, &dir, 200);
        let report = loadgen(
            &db.url,
            &dir,
            &[
                "--voters",
                "200",
                "--spread-secs",
                "3",
                "--burst",
                "100",
                "--burst-at-secs",
                "1",
            ],
        );
        check(&report, 200);
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn racing_submissions_make_exactly_one_ballot_per_voter() {
    let _turn = crate::support::heavy_blocking();
    for backend in BOTH {
        let db = database(backend);
        let dir = temp_dir();
        seed(&db.url, &dir, 100);
        let report = loadgen(
            &db.url,
            &dir,
            &["--scenario", "races", "--voters", "100", "--attempts", "10"],
        );
        check(&report, 100);
        // Every extra attempt got the original acknowledgement or "already voted", nothing else.
        let answered = report["acknowledged_submissions"].as_u64().unwrap_or(0)
            + report["refused_already_voted"].as_u64().unwrap_or(0);
        assert_eq!(
            answered,
            report["distinct_keys"].as_u64().unwrap_or(1),
            "{report}"
        );
        assert_eq!(report["refused_other"], 0, "{report}");
    }
}

#[test]
fn killing_the_server_three_times_during_a_storm_loses_no_acknowledged_vote() {
    let _turn = crate::support::heavy_blocking();
    for backend in BOTH {
        let db = database(backend);
        let dir = temp_dir();
        seed(&db.url, &dir, 150);
        let report = loadgen(
            &db.url,
            &dir,
            &[
                "--voters",
                "150",
                "--spread-secs",
                "4",
                "--burst",
                "50",
                "--burst-at-secs",
                "1",
                "--crashes",
                "3",
            ],
        );
        assert_eq!(report["crashes"], 3, "{report}");
        check(&report, 150);
        let _ = std::fs::remove_dir_all(dir);
    }
}
