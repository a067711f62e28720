//! Pages rendered concurrently by the real `hemicycle` binary (its multi-threaded runtime, as in production):
//! several hundred requests across page types, visitors and signed-in members at once. Every one must be
//! answered completely with its expected status, no connection may drop, and the server must log no panic
//! and no stalled render. Nothing is timed: the figures live in `.ci/bench-pages`.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
};

use futures_util::StreamExt;

use crate::support::{Backend, DELEGATE, ORGANIZER, TestDb};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The server with the demo congress and accounts; its output lines are collected.
struct Server {
    child: Child,
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(database_url: &str) -> Self {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_hemicycle"))
            .arg("--demo")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let lines = Arc::clone(&lines);
            let ready = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("listens on") {
                        let _ = ready.send(());
                    }
                    lines.lock().expect("lines").push(line);
                }
            });
        }
        ready_rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the server says it listens");
        Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            lines,
        }
    }

    fn log(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sign_in(client: &reqwest::Client, url: &str, (email, password): (&str, &str)) -> String {
    let response = client
        .post(format!("{url}/connexion"))
        .header("origin", url)
        .form(&[("email", email), ("password", password), ("back", "/")])
        .send()
        .await
        .expect("sent");
    crate::support::session_cookie(&response).expect("signed in")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_concurrent_page_renders_all_complete_without_a_panic() {
    let _turn = crate::support::heavy().await;
    let db = TestDb::new(Backend::Sqlite).await;
    let server = Server::start(&db.url);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client");
    let delegate = sign_in(&client, &server.url, DELEGATE).await;
    let organizer = sign_in(&client, &server.url, ORGANIZER).await;
    // (path, session, expected status): a visitor on the chair's page is asked to sign in (401).
    let pages: Vec<(&str, Option<&str>, u16)> = vec![
        ("/", None, 200),
        ("/connexion", None, 200),
        ("/inscription", None, 200),
        ("/motions/1", None, 200),
        ("/motions/1/amendements", None, 200),
        ("/motions/1/paragraphes/3/historique", None, 200),
        ("/motions/1/scrutins", None, 401),
        ("/motions/1", Some(delegate.as_str()), 200),
        (
            "/motions/1/paragraphes/3/amender",
            Some(delegate.as_str()),
            200,
        ),
        ("/profil", Some(delegate.as_str()), 200),
        ("/organisation", Some(organizer.as_str()), 200),
        ("/organisation/participants", Some(organizer.as_str()), 200),
        ("/motions/1/scrutins", Some(organizer.as_str()), 200),
        ("/motions/1/amendements", Some(organizer.as_str()), 200),
    ];
    let requests: Vec<(String, Option<String>, u16)> = (0..520)
        .map(|i| {
            let (path, cookie, expected) = pages[i % pages.len()];
            (
                format!("{}{path}", server.url),
                cookie.map(str::to_owned),
                expected,
            )
        })
        .collect();
    let answers: Vec<Result<(String, u16, u16, bool), String>> =
        futures_util::stream::iter(requests)
            .map(|(url, cookie, expected)| {
                let client = client.clone();
                async move {
                    let mut request = client.get(&url);
                    if let Some(cookie) = cookie {
                        request = request.header("cookie", cookie);
                    }
                    let response = request.send().await.map_err(|e| format!("{url}: {e}"))?;
                    let status = response.status().as_u16();
                    let body = response.text().await.map_err(|e| format!("{url}: {e}"))?;
                    Ok((url, expected, status, body.contains("</html>")))
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
    let dropped: Vec<&String> = answers.iter().filter_map(|a| a.as_ref().err()).collect();
    let unexpected: Vec<&(String, u16, u16, bool)> = answers
        .iter()
        .filter_map(|a| a.as_ref().ok())
        .filter(|(_, expected, status, complete)| status != expected || !complete)
        .collect();
    let log = server.log();
    let troubles: Vec<&String> = log
        .iter()
        .filter(|line| line.contains("panicked") || line.contains("stalled"))
        .collect();
    assert!(dropped.is_empty(), "dropped connections: {dropped:?}");
    assert!(
        unexpected.is_empty(),
        "responses other than the expected status and a complete page: {unexpected:?}"
    );
    assert!(troubles.is_empty(), "the server logged: {troubles:?}");
}
