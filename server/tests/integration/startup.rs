//! The binary itself: bad configuration gives one clear line and a non-zero exit, never a panic;
//! `--demo` serves the demo and a SIGTERM stops it cleanly.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

fn hemicycle(envs: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemicycle"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("HEMICYCLE_DEMO")
        .env("RUST_LOG", "error");
    for (name, value) in envs {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn assert_clear_failure(output: &std::process::Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "must fail: {stderr}");
    assert!(
        stderr.contains(expected),
        "expected «{expected}» in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no backtrace hint: {stderr}"
    );
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hemicycle-bin-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_malformed_database_url_is_refused_clearly() {
    let output = hemicycle(&[
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]);
    assert_clear_failure(&output, "DATABASE_URL");
}

#[test]
fn an_unreachable_postgresql_is_reported_with_what_to_check() {
    let output = hemicycle(&[
        ("DATABASE_URL", "postgres://nobody:secret@127.0.0.1:1/none"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]);
    assert_clear_failure(&output, "injoignable");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("secret"),
        "the password never shows"
    );
}

#[test]
fn an_unwritable_data_folder_is_reported() {
    let output = hemicycle(&[
        (
            "DATABASE_URL",
            "sqlite:///dev/null/data/hemicycle.db?mode=rwc",
        ),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]);
    assert_clear_failure(&output, "dossier de données");
}

#[test]
fn a_bad_listen_address_is_reported() {
    let output = hemicycle(&[("LEPTOS_SITE_ADDR", "pas-une-adresse")]);
    assert_clear_failure(&output, "LEPTOS_SITE_ADDR");
}

#[test]
fn a_port_in_use_is_reported_and_no_database_is_created() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let dir = temp_dir();
    let db_path = dir.join("hemicycle.db");
    let url = format!("sqlite://{}?mode=rwc", db_path.display());
    let output = hemicycle(&[("DATABASE_URL", &url), ("LEPTOS_SITE_ADDR", &addr)]);
    assert_clear_failure(&output, "déjà utilisé");
    assert!(
        !db_path.exists(),
        "nothing is half-written when the port is taken"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_migration_is_reported_and_the_database_left_as_it_was() {
    let dir = temp_dir();
    let db_path = dir.join("hemicycle.db");
    // A foreign table in the way of the first migration.
    let status = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3; c=sqlite3.connect('{}'); c.execute('create table motions(x int)'); c.commit()",
            db_path.display()
        ))
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let url = format!("sqlite://{}?mode=rwc", db_path.display());
    let output = hemicycle(&[("DATABASE_URL", &url), ("LEPTOS_SITE_ADDR", "127.0.0.1:0")]);
    assert_clear_failure(&output, "migration");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_demo_starts_prints_its_address_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir();
    let url = format!("sqlite://{}/hemicycle.db?mode=rwc", dir.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .arg("--demo")
        .env("DATABASE_URL", &url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let base = loop {
        let line = lines.next().expect("a line before exit").expect("utf-8");
        printed.push(line.clone());
        if let Some(at) = line.find("listens on ") {
            break line[at + "listens on ".len()..].trim().to_owned();
        }
    };
    assert!(
        printed.iter().any(|l| l.contains("/motions/")),
        "the demo URL is printed: {printed:?}"
    );
    let health = reqwest::blocking_get(&format!("{base}/healthz"));
    assert!(health.contains("\"database\":\"ok\""), "{health}");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    let mut waited = Duration::ZERO;
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            waited < Duration::from_secs(10),
            "the server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    };
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
    let _ = std::fs::remove_dir_all(dir);
}

mod reqwest {
    /// A tiny blocking GET on a private runtime, enough for a smoke test of the binary.
    pub fn blocking_get(url: &str) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            ::reqwest::get(url)
                .await
                .expect("GET")
                .text()
                .await
                .expect("body")
        })
    }
}
