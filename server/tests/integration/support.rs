//! `TestApp`: the real router on a loopback port, over a database made for one test.

use std::{net::SocketAddr, path::PathBuf};

use app::api::state::AppState;
use app::ssr::{
    config::Config,
    demo,
    live::{Hub, Limits},
    store,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::sync::oneshot;

pub mod oidc_provider;
pub use oidc_provider::OidcTestProvider;

/// Which engine a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const BOTH: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// A fixed instant for seeded data, so outputs do not depend on the clock. Sessions are opened at the real time:
/// a session lives a week, and this instant is in the past.
pub const SEED_TIME: i64 = 1_796_000_000_000;

static HEAVY: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

/// A turn for a test that loads the machine on purpose (the injection corpus, hundreds of renders or live
/// clients, vote storms). They take turns: two of them at once on a two-core machine starve each other past
/// their timeouts, which measures the test machine, not Hémicycle. Held for the whole test (a test that fails
/// lets go of it as it unwinds).
pub async fn heavy() -> tokio::sync::MutexGuard<'static, ()> {
    HEAVY.lock().await
}

/// [`heavy`] for a test that is not async (it drives processes).
pub fn heavy_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    HEAVY.blocking_lock()
}

fn pg_admin_url() -> String {
    std::env::var("HEMICYCLE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = &base[..base.rfind('/').expect("a PostgreSQL URL has a path")];
    match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    }
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,

    dir: Option<PathBuf>,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("hemicycle-test-{id}"));
                std::fs::create_dir_all(&dir).expect("temp dir is writable");
                let url = format!("sqlite://{}/hemicycle.db?mode=rwc", dir.display());
                TestDb {
                    url,
                    dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let conn = Database::connect(&admin).await.unwrap_or_else(|err| {
                    panic!(
                        "PostgreSQL is required by these tests and is not reachable at {admin}: {err}. \
                         Start it (`make pg`) or set HEMICYCLE_TEST_PG_URL."
                    )
                });
                let name = format!("hemicycle_test_{id}");
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("the test role may create databases");
                conn.close().await.ok();
                TestDb {
                    url: with_database(&admin, &name),
                    dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(name) = self.pg_name.take() {
            // Async drop does not exist: use a private runtime on a thread so any runtime may be running.
            let admin = pg_admin_url();
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(conn) = Database::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// The server under test.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    /// This instance's realtime hub.
    pub live: Hub,
    pub client: reqwest::Client,
    pub demo_motion: i32,
    shutdown: Option<oneshot::Sender<()>>,
    _database: TestDb,
}

impl TestApp {
    /// A server with the demo congress seeded.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with_oidc(backend, Vec::new()).await
    }

    /// A server with the demo congress seeded and these OpenID providers.
    pub async fn spawn_with_oidc(
        backend: Backend,
        oidc: Vec<app::ssr::auth::oidc::OidcProvider>,
    ) -> Self {
        Self::spawn_configured(backend, oidc, |_| {}).await
    }

    /// A server with the demo congress seeded, these OpenID providers, and its configuration changed by
    /// `configure` (trusted addresses, proxies…).
    pub async fn spawn_configured(
        backend: Backend,
        oidc: Vec<app::ssr::auth::oidc::OidcProvider>,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        if std::env::var_os("HEMICYCLE_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(
                    std::env::var("HEMICYCLE_TEST_LOG").unwrap_or_default(),
                ))
                .with_test_writer()
                .try_init();
        }
        let database = TestDb::new(backend).await;
        let db = store::open(&database.url)
            .await
            .expect("a fresh database opens and migrates");
        let summary = demo::seed(&db, SEED_TIME).await.expect("demo seeds");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("bound");
        let mut config = Config {
            demo: true,
            ..Config::new(database.url.clone(), addr)
        };
        configure(&mut config);
        let options = server::leptos_options(addr, &config.site_root);
        let state = AppState::new(db.clone(), config, options, oidc, Limits::default())
            .expect("a valid public URL");
        let live = state.live.clone();
        let (tx, rx) = oneshot::channel::<()>();
        let router = server::build_router(state);
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        });
        // A page that never answers must fail the test with what it printed, not hang the whole run.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client");
        TestApp {
            addr,
            db,
            live,
            client,
            demo_motion: summary.motion_id,
            shutdown: Some(tx),
            _database: database,
        }
    }

    /// The URL of this instance's database (another instance may open it too).
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        send_page(self.client.get(self.url(path))).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        send_page(self.client.get(self.url(path)).header("cookie", cookie)).await
    }
}

/// The id of the member with this e-mail (a demo or test account that must exist).
pub async fn member_id(db: &DatabaseConnection, email: &str) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    app::ssr::store::entities::member::Entity::find()
        .filter(app::ssr::store::entities::member::Column::Email.eq(email))
        .one(db)
        .await
        .expect("member lookup")
        .unwrap_or_else(|| panic!("a member {email}"))
        .id
}

/// Sends a page request. A page render of a server started inside the test process sometimes never completes
/// (Leptos' render stall, leptos-rs/leptos#4851): measured on this code and on `8dca700`, one run in four or five
/// of the eight `pages::` tests meets one, on any page, while the real binary renders the same pages without
/// one (`render_load::` and `.ci/bench-pages` count every stall there and fail on one). So that the tests that
/// check what a page says do not fail on it, a render that has not answered in 15 s is asked again (twice at most)
/// and said on the test's output; the server logs `page rendering stalled` for each.
pub async fn send_page(request: reqwest::RequestBuilder) -> reqwest::Response {
    for attempt in 1..=3 {
        let this = request
            .try_clone()
            .expect("a page request has no streamed body")
            .timeout(std::time::Duration::from_secs(15));
        match this.send().await {
            Ok(response) => return response,
            Err(err) if err.is_timeout() && attempt < 3 => {
                eprintln!("page render {attempt} stalled, asked again: {err}");
            }
            Err(err) => panic!("page request sent: {err}"),
        }
    }
    unreachable!("the last attempt returns or panics")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Demo accounts (see `app::ssr::demo`): organizer, chair, a delegate, an observer.
pub const ORGANIZER: (&str, &str) = ("claire.fontaine@congres-demo.fr", "demo-organisation-2026");
pub const DELEGATE: (&str, &str) = ("amelie.rousseau@congres-demo.fr", "demo-deleguee-2026");
pub const OBSERVER: (&str, &str) = ("ines.garnier@congres-demo.fr", "demo-observation-2026");

impl TestApp {
    /// The same server with the demo accounts created.
    pub async fn spawn_with_accounts(backend: Backend) -> Self {
        let app = Self::spawn(backend).await;
        demo::seed_accounts(&app.db, SEED_TIME)
            .await
            .expect("demo accounts");
        app
    }

    /// Posts the local sign-in form; returns the response (303 expected).
    pub async fn sign_in_response(&self, (email, password): (&str, &str)) -> reqwest::Response {
        self.client
            .post(self.url("/connexion"))
            .header("origin", self.url(""))
            .form(&[("email", email), ("password", password), ("back", "/")])
            .send()
            .await
            .expect("sent")
    }

    /// Signs in and returns the `Cookie` header value to send afterwards.
    pub async fn sign_in(&self, account: (&str, &str)) -> String {
        let response = self.sign_in_response(account).await;
        assert_eq!(response.status(), 303);
        session_cookie(&response).expect("a session cookie after a successful sign-in")
    }

    /// Calls a server function as a same-origin browser would, with an optional session cookie.
    pub async fn call(
        &self,
        function: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let mut request = self
            .client
            .post(self.url(&format!("/api/fn/{function}")))
            .header("origin", self.url(""))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

/// `hemicycle_session=…` from a response's `Set-Cookie`, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hemicycle_session=") && !v.starts_with("hemicycle_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}
