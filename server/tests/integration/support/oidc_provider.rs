//! `OidcTestProvider`: the real OpenID provider of `e2e/oidc-provider` (node-oidc-provider, configured like
//! ProConnect) on a loopback port, shared by every test of the binary, and a login driven over plain HTTP,
//! without a browser.
//!
//! One process for all tests: starting a dozen Node.js providers at once while cargo still compiles on a
//! two-core CI machine took more than 30 s for the last of them. Tests stay independent because every login
//! has its own state, nonce, PKCE verifier and cookie jar.

use std::{
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, OnceLock, mpsc},
    time::Duration,
};

use reqwest::{StatusCode, Url, header::LOCATION};

/// The static client registered in the provider (userinfo signed RS256, `client_secret_post`).
pub const CLIENT_ID: &str = "hemicycle";
/// A second client of the provider whose userinfo is plain JSON.
pub const PLAIN_CLIENT_ID: &str = "hemicycle-plain";
pub const CLIENT_SECRET: &str = "hemicycle-integration-secret";
/// Nothing listens there: the login stops at the redirect to it and reads `code` and `state` from the URL.
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/auth/oidc/callback";

/// How the provider answered the browser at the end of a login.
#[derive(Debug)]
pub struct Callback {
    pub code: String,
    pub state: String,
}

/// How long the provider may take to print its READY line on a loaded machine.
const START_UP_LIMIT: Duration = Duration::from_secs(120);

/// The provider process. It lives as long as the test binary: its stdin is a pipe from this process, and the
/// provider exits when that pipe closes.
pub struct OidcTestProvider {
    /// `http://127.0.0.1:PORT`, the issuer.
    pub issuer: String,
    _child: Mutex<Child>,
}

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../e2e/oidc-provider")
}

/// Installs the provider's locked dependencies once if they are missing (tests run in parallel).
fn ensure_node_modules(dir: &Path) {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if dir.join("node_modules/oidc-provider/package.json").exists() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|err| {
            panic!(
                "the OpenID provider's dependencies are missing and `npm` could not be run ({err}): \
                 install Node.js 20+ and run `npm ci` in {}",
                dir.display()
            )
        });
    assert!(
        status.success(),
        "`npm ci` failed in {}: run it there by hand to see why",
        dir.display()
    );
}

impl OidcTestProvider {
    /// The shared provider, started on a free loopback port by the first test that asks for it.
    pub async fn start() -> &'static Self {
        static SHARED: OnceLock<OidcTestProvider> = OnceLock::new();
        tokio::task::spawn_blocking(|| SHARED.get_or_init(Self::start_blocking))
            .await
            .expect("the provider start-up thread does not panic")
    }

    fn start_blocking() -> Self {
        let dir = provider_dir();
        ensure_node_modules(&dir);
        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(&dir)
            .env("OIDC_PORT", "0")
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", REDIRECT_URI)
            // If this test process dies, the closed pipe ends the provider too.
            .env("OIDC_EXIT_ON_STDIN_CLOSE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("Node.js 20+ is required to run the OpenID provider: {err}")
            });

        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr is piped");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err_pipe.read_to_string(&mut text);
            if let Ok(mut all) = collected.lock() {
                all.push_str(&text);
            }
        });

        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || {
            // Reads the READY line, then keeps draining so the provider never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("OIDC_PROVIDER_READY ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(START_UP_LIMIT) {
            Ok(issuer) => OidcTestProvider {
                issuer,
                _child: Mutex::new(child),
            },
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                let stderr = stderr.lock().map(|s| s.clone()).unwrap_or_default();
                panic!(
                    "the OpenID provider did not print OIDC_PROVIDER_READY within {} s; stderr:\n{stderr}",
                    START_UP_LIMIT.as_secs()
                );
            }
        }
    }

    /// Logs `login` in at the provider, as a browser would: follows the authorization URL to the login
    /// interaction, posts the login name, lets consent be granted, and stops at the redirect to `REDIRECT_URI`.
    pub async fn log_in(&self, authorize_url: &str, login: &str) -> Callback {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let mut response = browser
            .get(authorize_url)
            .send()
            .await
            .expect("authorization request sent");
        for _ in 0..10 {
            let status = response.status();
            assert!(
                status.is_redirection(),
                "the provider answered {status} instead of a redirect: {}",
                response.text().await.unwrap_or_default()
            );
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|value| value.to_str().ok())
                .expect("a redirect has a Location");
            let next = response.url().join(location).expect("Location is a URL");
            if next.as_str().starts_with(REDIRECT_URI) {
                return callback_from(&next);
            }
            response = if next.path().starts_with("/interaction/") {
                let form = browser
                    .get(next.clone())
                    .send()
                    .await
                    .expect("login page requested");
                assert_eq!(form.status(), StatusCode::OK, "login page");
                let login_url = format!("{}/login", next.as_str().trim_end_matches('/'));
                browser
                    .post(login_url)
                    .form(&[("login", login)])
                    .send()
                    .await
                    .expect("login posted")
            } else {
                browser.get(next).send().await.expect("redirect followed")
            };
        }
        panic!("the provider did not redirect back to the client within 10 steps");
    }
}

fn callback_from(url: &Url) -> Callback {
    let param = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if let Some(error) = param("error") {
        panic!(
            "the provider returned an error to the client: {error}: {}",
            param("error_description").unwrap_or_default()
        );
    }
    Callback {
        code: param("code").expect("the callback has a code"),
        state: param("state").expect("the callback has a state"),
    }
}
