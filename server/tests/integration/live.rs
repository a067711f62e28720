//! The live websocket through a real server, on both engines: replay after `since` without gap or duplicate,
//! live events after a filing, `resync` for a client that falls behind, origin and session checks, revocation,
//! presence, two instances on one PostgreSQL, and 200 clients each receiving every event once, in order.
//!
//! Waits carry a generous guard so that a broken feature fails the test instead of hanging it; nothing here
//! asserts a duration.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::api::state::AppState;
use app::ssr::{
    config::Config,
    live::{Hub, Limits},
    store::{
        self,
        entities::{paragraph, paragraph_version},
        log::{self, NewEvent},
    },
};
use domain::member::{Attendance, Role};
use futures_util::{SinkExt, StreamExt};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::{Value, json};
use server::tokens::{TokenRequest, issue};
use tokio::{net::TcpStream, sync::oneshot};
use tokio_tungstenite::{
    WebSocketStream, client_async,
    tungstenite::{self, Message, client::IntoClientRequest},
};

use crate::support::{BOTH, Backend, DELEGATE, ORGANIZER, SEED_TIME, TestApp};

pub(crate) type Ws = WebSocketStream<TcpStream>;

/// Long enough for any correct run on a loaded machine; only a missing feature reaches it.
const GUARD: Duration = Duration::from_secs(30);

pub(crate) fn live_path(motion: i32, since: Option<i64>) -> String {
    match since {
        Some(since) => format!("/api/v1/motions/{motion}/live?since={since}"),
        None => format!("/api/v1/motions/{motion}/live"),
    }
}

/// Opens a websocket to `addr` with these headers; `receive_buffer` shrinks the client's kernel buffer (a
/// reader that stops reading then blocks the server's writes quickly).
pub(crate) async fn open(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    receive_buffer: Option<u32>,
) -> Result<Ws, tungstenite::Error> {
    let mut request = format!("ws://{addr}{path}")
        .into_client_request()
        .expect("a valid URL");
    for (name, value) in headers {
        request.headers_mut().insert(
            tungstenite::http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            value.parse().expect("header value"),
        );
    }
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    if let Some(size) = receive_buffer {
        socket.set_recv_buffer_size(size).expect("SO_RCVBUF");
    }
    let stream = socket.connect(addr).await.expect("TCP connect");
    client_async(request, stream).await.map(|(ws, _)| ws)
}

/// A websocket opened as our own page would: session cookie and our origin.
pub(crate) async fn open_as_page(app: &TestApp, cookie: &str, since: Option<i64>) -> Ws {
    let origin = app.url("");
    open(
        app.addr,
        &live_path(app.demo_motion, since),
        &[("cookie", cookie), ("origin", &origin)],
        None,
    )
    .await
    .expect("the handshake succeeds")
}

/// A websocket opened by a tool: bearer token, no origin.
pub(crate) async fn open_as_tool(
    addr: SocketAddr,
    motion: i32,
    token: &str,
    since: Option<i64>,
) -> Ws {
    let authorization = format!("Bearer {token}");
    open(
        addr,
        &live_path(motion, since),
        &[("authorization", &authorization)],
        None,
    )
    .await
    .expect("the handshake succeeds")
}

pub(crate) fn refused_status(result: Result<Ws, tungstenite::Error>) -> u16 {
    match result {
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("an HTTP refusal, got {other}"),
        Ok(_) => panic!("the handshake should have been refused"),
    }
}

/// What the server sent next: a JSON text frame, or the close code.
#[derive(Debug)]
pub(crate) enum Next {
    Json(Value),
    Closed(Option<u16>),
}

pub(crate) async fn next(ws: &mut Ws) -> Next {
    loop {
        let message = tokio::time::timeout(GUARD, ws.next())
            .await
            .expect("the server said something before the guard");
        match message {
            Some(Ok(Message::Text(text))) => {
                return Next::Json(serde_json::from_str(text.as_str()).expect("frames are JSON"));
            }
            Some(Ok(Message::Close(frame))) => {
                return Next::Closed(frame.map(|f| u16::from(f.code)));
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
            Some(Ok(Message::Binary(_))) => panic!("the protocol sends text only"),
            Some(Err(_)) | None => return Next::Closed(None),
        }
    }
}

/// Like [`next`], skipping presence frames (they come whenever the figures change).
pub(crate) async fn next_but_presence(ws: &mut Ws) -> Next {
    loop {
        match next(ws).await {
            Next::Json(frame) if frame["type"] == "presence" => {}
            other => return other,
        }
    }
}

pub(crate) async fn next_json(ws: &mut Ws) -> Value {
    match next(ws).await {
        Next::Json(value) => value,
        Next::Closed(code) => panic!("a frame expected, the socket closed ({code:?})"),
    }
}

/// Reads the opening (`welcome`, replayed events, `live`, first `presence`); returns the replayed seqs and
/// the `live` seq.
pub(crate) async fn read_opening(ws: &mut Ws) -> (Value, Vec<i64>, i64) {
    let welcome = next_json(ws).await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["v"], 1);
    let mut replayed = Vec::new();
    loop {
        let frame = next_json(ws).await;
        match frame["type"].as_str() {
            Some("event") => replayed.push(frame["seq"].as_i64().expect("seq")),
            Some("live") => {
                let seq = frame["seq"].as_i64().expect("seq");
                let presence = next_json(ws).await;
                assert_eq!(presence["type"], "presence", "{presence}");
                return (welcome, replayed, seq);
            }
            _ => panic!("unexpected frame during the replay: {frame}"),
        }
    }
}

/// Event frames until `last` is reached (presence frames are skipped).
async fn events_until(ws: &mut Ws, last: i64) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let frame = next_json(ws).await;
        match frame["type"].as_str() {
            Some("presence") => continue,
            Some("event") => {
                let seq = frame["seq"].as_i64().expect("seq");
                seen.push(frame);
                if seq >= last {
                    return seen;
                }
            }
            _ => panic!("unexpected frame: {frame}"),
        }
    }
}

fn seqs(frames: &[Value]) -> Vec<i64> {
    frames
        .iter()
        .map(|f| f["seq"].as_i64().expect("seq"))
        .collect()
}

/// The first paragraph of the demo motion: id and current text.
async fn first_paragraph(db: &DatabaseConnection, motion: i32) -> (i32, String) {
    let row = paragraph::Entity::find()
        .filter(paragraph::Column::MotionId.eq(motion))
        .filter(paragraph::Column::Deleted.eq(false))
        .order_by_asc(paragraph::Column::Position)
        .one(db)
        .await
        .expect("query")
        .expect("a paragraph");
    let version = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.eq(row.id))
        .filter(paragraph_version::Column::Number.eq(row.current_version))
        .one(db)
        .await
        .expect("query")
        .expect("its version");
    (row.id, version.body)
}

/// Files an amendment through the server function, as a page does; returns nothing but checks success.
async fn file(app: &TestApp, cookie: &str, n: usize) {
    let (paragraph, text) = first_paragraph(&app.db, app.demo_motion).await;
    let (status, body) = app
        .call(
            "file_amendment",
            Some(cookie),
            &[
                ("motion_id", &app.demo_motion.to_string()),
                ("kind", "replace"),
                ("paragraph_id", &paragraph.to_string()),
                ("base_version", "1"),
                ("text", &format!("{text} Proposition {n}.")),
                ("rationale", "Pour l’essai du direct."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

pub(crate) async fn head(app: &TestApp) -> i64 {
    log::head(&app.db, app.demo_motion).await.expect("head")
}

#[tokio::test]
async fn replay_after_since_has_no_gap_and_no_duplicate() {
    for backend in BOTH {
        let app = Arc::new(TestApp::spawn_with_accounts(backend).await);
        let cookie = app.sign_in(DELEGATE).await;
        let start = head(&app).await;
        for n in 0..3 {
            file(&app, &cookie, n).await;
        }
        let mut late = open_as_page(&app, &cookie, Some(start + 1)).await;
        let (welcome, replayed, live) = read_opening(&mut late).await;
        assert_eq!(welcome["since"], start + 1);
        assert_eq!(replayed, vec![start + 2, start + 3], "{backend:?}");
        assert_eq!(live, start + 3);

        // Filings keep committing while another client connects from further back: the replay/live boundary
        // falls somewhere in the middle of them.
        let writer = {
            let app = app.clone();
            let cookie = cookie.clone();
            tokio::spawn(async move {
                for n in 3..11 {
                    file(&app, &cookie, n).await;
                }
            })
        };
        let mut racing = open_as_page(&app, &cookie, Some(start)).await;
        let final_head = start + 11;
        let (_, replayed, _) = read_opening(&mut racing).await;
        let mut all = replayed;
        if all.last().copied().unwrap_or(start) < final_head {
            all.extend(seqs(&events_until(&mut racing, final_head).await));
        }
        writer.await.expect("filings done");
        assert_eq!(
            all,
            ((start + 1)..=final_head).collect::<Vec<_>>(),
            "{backend:?}: every seq once, in order"
        );
        assert_eq!(
            seqs(&events_until(&mut late, final_head).await),
            ((start + 4)..=final_head).collect::<Vec<_>>(),
            "{backend:?}: the first client got the live ones"
        );
    }
}

#[tokio::test]
async fn a_filed_amendment_reaches_open_sockets_as_a_small_event_frame() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let cookie = app.sign_in(DELEGATE).await;
        let start = head(&app).await;
        let mut ws = open_as_page(&app, &cookie, Some(start)).await;
        let (welcome, replayed, _) = read_opening(&mut ws).await;
        assert!(replayed.is_empty());
        file(&app, &cookie, 1).await;
        let frames = events_until(&mut ws, start + 1).await;
        let event = &frames[0];
        assert_eq!(event["kind"], "amendment_filed", "{backend:?}: {event}");
        assert_eq!(event["actor"], welcome["member"]);
        assert_eq!(event["data"]["number"], 1);
        assert!(
            event.to_string().len() < 2048,
            "an event frame carries the event, not the document: {event}"
        );
    }
}

#[tokio::test]
async fn a_client_that_falls_behind_gets_resync_then_is_closed() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let cookie = app.sign_in(DELEGATE).await;
        let origin = app.url("");
        let start = head(&app).await;
        let mut ws = open(
            app.addr,
            &live_path(app.demo_motion, Some(start)),
            &[("cookie", &cookie), ("origin", &origin)],
            Some(16 * 1024),
        )
        .await
        .expect("handshake");
        read_opening(&mut ws).await;

        // Far more than the kernel's buffers (4 MiB at most here) plus the 1 MiB queue, in one commit, while
        // this client reads nothing.
        let padding = "é".repeat(1000);
        let txn = app.db.begin().await.expect("txn");
        let mut last = start;
        for i in 0..5000 {
            last = log::append(
                &txn,
                app.demo_motion,
                NewEvent {
                    kind: "test_padding",
                    actor_id: None,
                    occurred_at: SEED_TIME,
                    payload: json!({ "i": i, "text": padding }),
                },
            )
            .await
            .expect("appended");
        }
        txn.commit().await.expect("committed");
        app.live.committed(app.demo_motion, last);

        let mut expected = start + 1;
        let resync = loop {
            match next(&mut ws).await {
                Next::Json(frame) if frame["type"] == "event" => {
                    assert_eq!(frame["seq"], expected, "{backend:?}: in order, no gap");
                    expected += 1;
                }
                Next::Json(frame) if frame["type"] == "presence" => {}
                Next::Json(frame) if frame["type"] == "resync" => break frame,
                other => panic!("{backend:?}: events then resync expected, got {other:?}"),
            }
        };
        assert!(expected - 1 < last, "{backend:?}: it did fall behind");
        assert_eq!(
            resync["seq"],
            expected - 1,
            "{backend:?}: the last seq written"
        );
        match next_but_presence(&mut ws).await {
            Next::Closed(code) => assert_eq!(code, Some(4000), "{backend:?}"),
            other => panic!("{backend:?}: close expected after resync, got {other:?}"),
        }

        // Reconnecting from the last seq applied resumes without loss.
        let mut again = open_as_page(&app, &cookie, Some(expected - 1)).await;
        let (_, replayed, live) = read_opening(&mut again).await;
        assert_eq!(replayed.first().copied(), Some(expected), "{backend:?}");
        assert_eq!(live, last);
        assert_eq!(replayed.len() as i64, last - expected + 1);
    }
}

#[tokio::test]
async fn handshakes_from_a_foreign_origin_or_without_a_session_are_refused() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(DELEGATE).await;
    let path = live_path(app.demo_motion, Some(0));
    let ours = app.url("");

    let foreign = open(
        app.addr,
        &path,
        &[("cookie", &cookie), ("origin", "http://evil.example")],
        None,
    )
    .await;
    assert_eq!(refused_status(foreign), 403);
    let no_origin = open(app.addr, &path, &[("cookie", &cookie)], None).await;
    assert_eq!(
        refused_status(no_origin),
        403,
        "a cookie without our origin is refused"
    );
    let anonymous = open(app.addr, &path, &[("origin", &ours)], None).await;
    assert_eq!(refused_status(anonymous), 401);
    let bad_token = open(
        app.addr,
        &path,
        &[("authorization", "Bearer not-a-token")],
        None,
    )
    .await;
    assert_eq!(refused_status(bad_token), 401);
    let unknown_motion = open(
        app.addr,
        &live_path(9999, None),
        &[("cookie", &cookie), ("origin", &ours)],
        None,
    )
    .await;
    assert_eq!(refused_status(unknown_motion), 404);
    // The same cookie from our own page is accepted.
    let mut ws = open_as_page(&app, &cookie, Some(0)).await;
    read_opening(&mut ws).await;
}

#[tokio::test]
async fn a_suspended_members_socket_is_closed_on_every_instance() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let delegate = app.sign_in(DELEGATE).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let mut ws = open_as_page(&app, &delegate, None).await;
        ws.send(Message::text(r#"{"v":1,"type":"hello","since":0}"#))
            .await
            .expect("hello sent");
        let (welcome, replayed, _) = read_opening(&mut ws).await;
        assert!(!replayed.is_empty(), "hello with since 0 replays the log");
        let member = welcome["member"].as_i64().expect("member id").to_string();
        // An organizer following the same motion stays connected.
        let mut other = open_as_page(&app, &organizer, Some(0)).await;
        read_opening(&mut other).await;

        let (status, body) = app
            .call(
                "set_member_status",
                Some(&organizer),
                &[("member_id", &member), ("status", "suspended")],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        match next_but_presence(&mut ws).await {
            Next::Closed(code) => assert_eq!(code, Some(4401), "{backend:?}"),
            other => panic!("{backend:?}: the socket should close, got {other:?}"),
        }
        other
            .send(Message::text(r#"{"v":1,"type":"ping"}"#))
            .await
            .expect("ping");
        loop {
            let frame = next_json(&mut other).await;
            if frame["type"] == "pong" {
                break;
            }
            assert_eq!(frame["type"], "presence", "{frame}");
        }
        assert_eq!(app.live.connection_count(), 1);
    }
}

#[tokio::test]
async fn signing_out_closes_that_sessions_socket_and_bad_messages_close_with_an_error() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(DELEGATE).await;
    let mut ws = open_as_page(&app, &cookie, Some(0)).await;
    read_opening(&mut ws).await;
    let response = app
        .client
        .post(app.url("/deconnexion"))
        .header("cookie", &cookie)
        .header("origin", app.url(""))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    match next_but_presence(&mut ws).await {
        Next::Closed(code) => assert_eq!(code, Some(4401)),
        other => panic!("closed expected, got {other:?}"),
    }

    let cookie = app.sign_in(DELEGATE).await;
    let mut ws = open_as_page(&app, &cookie, Some(0)).await;
    read_opening(&mut ws).await;
    ws.send(Message::text(r#"{"v":2,"type":"ping"}"#))
        .await
        .expect("sent");
    let Next::Json(error) = next_but_presence(&mut ws).await else {
        panic!("an error frame expected");
    };
    assert_eq!(error["type"], "error");
    assert_eq!(error["code"], "unsupported_version");
    match next_but_presence(&mut ws).await {
        Next::Closed(code) => assert_eq!(code, Some(4400)),
        other => panic!("closed expected, got {other:?}"),
    }
}

pub(crate) async fn tokens(
    app: &TestApp,
    count: u32,
    attendance: Attendance,
    create: bool,
) -> Vec<String> {
    issue(
        &app.db,
        &TokenRequest {
            motion_id: app.demo_motion,
            count,
            role: Role::Delegate,
            attendance,
            create_members: create,
        },
        // Opened now, not at the seed's fixed time: a session lives a week, and the seed's time is in the past.
        app::ssr::now_millis(),
    )
    .await
    .expect("tokens issued")
    .tokens
}

#[tokio::test]
async fn presence_counts_connected_delegates_in_the_hall_and_remote_once_each() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let remote = tokens(&app, 2, Attendance::Remote, true).await;
        let hall = tokens(&app, 1, Attendance::InHall, false).await;
        let mut watcher = open_as_tool(app.addr, app.demo_motion, &remote[0], Some(0)).await;
        read_opening(&mut watcher).await;
        // The second remote token is a second member; a second tab of the first member counts once.
        let mut second = open_as_tool(app.addr, app.demo_motion, &remote[1], Some(0)).await;
        let mut second_tab = open_as_tool(app.addr, app.demo_motion, &remote[0], Some(0)).await;
        let mut in_hall = open_as_tool(app.addr, app.demo_motion, &hall[0], Some(0)).await;
        for ws in [&mut second, &mut second_tab, &mut in_hall] {
            read_opening(ws).await;
        }
        // `hall[0]` is a session of an existing delegate, `remote` of two new test members: hall 1, remote 2.
        loop {
            let frame = next_json(&mut watcher).await;
            if frame["type"] == "presence" && frame["hall"] == 1 && frame["remote"] == 2 {
                break;
            }
        }
        drop(in_hall);
        loop {
            let frame = next_json(&mut watcher).await;
            if frame["type"] == "presence" && frame["hall"] == 0 && frame["remote"] == 2 {
                break;
            }
        }
        drop((second, second_tab));
    }
}

/// Another server instance on the same database, as a second process would be.
pub(crate) struct Instance {
    pub(crate) addr: SocketAddr,
    pub(crate) live: Hub,
    _shutdown: oneshot::Sender<()>,
}

pub(crate) async fn second_instance(app: &TestApp) -> Instance {
    let db = store::open(app.database_url())
        .await
        .expect("the database opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("bound");
    let config = Config::new(app.database_url().to_owned(), addr);
    let options = server::leptos_options(addr, &config.site_root);
    let state = AppState::new(db, config, options, Vec::new(), Limits::default())
        .expect("a valid public URL");
    let live = state.live.clone();
    let router = server::build_router(state);
    let (tx, rx) = oneshot::channel::<()>();
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
    Instance {
        addr,
        live,
        _shutdown: tx,
    }
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_events_and_revocations() {
    let app = TestApp::spawn_with_accounts(Backend::Postgres).await;
    let other = second_instance(&app).await;
    let cookie = app.sign_in(DELEGATE).await;
    let organizer = app.sign_in(ORGANIZER).await;
    let token = tokens(&app, 1, Attendance::Remote, false).await;
    let start = head(&app).await;
    let mut ws = open_as_tool(other.addr, app.demo_motion, &token[0], Some(start)).await;
    let (welcome, _, _) = read_opening(&mut ws).await;

    // Made on the first instance, seen by a client of the second.
    file(&app, &cookie, 1).await;
    file(&app, &cookie, 2).await;
    let frames = events_until(&mut ws, start + 2).await;
    assert_eq!(seqs(&frames), vec![start + 1, start + 2]);
    assert_eq!(frames[0]["kind"], "amendment_filed");

    // Suspended on the first instance, closed on the second.
    let member = welcome["member"].as_i64().expect("member").to_string();
    let (status, body) = app
        .call(
            "set_member_status",
            Some(&organizer),
            &[("member_id", &member), ("status", "suspended")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    match next_but_presence(&mut ws).await {
        Next::Closed(code) => assert_eq!(code, Some(4401)),
        other => panic!("closed expected, got {other:?}"),
    }
    assert_eq!(other.live.connection_count(), 0);
}

#[tokio::test]
async fn two_hundred_clients_each_get_every_event_once_in_order() {
    let _turn = crate::support::heavy().await;
    const CLIENTS: usize = 200;
    const EVENTS: usize = 10;
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let cookie = app.sign_in(DELEGATE).await;
        let tokens = tokens(&app, CLIENTS as u32, Attendance::Remote, true).await;
        let start = head(&app).await;
        let last = start + EVENTS as i64;
        let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(CLIENTS);
        let mut clients = tokio::task::JoinSet::new();
        for token in tokens {
            let (addr, motion, ready) = (app.addr, app.demo_motion, ready_tx.clone());
            clients.spawn(async move {
                let mut ws = open_as_tool(addr, motion, &token, Some(start)).await;
                let (_, mut seen, _) = read_opening(&mut ws).await;
                ready.send(()).await.expect("the test waits");
                if seen.last().copied().unwrap_or(start) < last {
                    seen.extend(seqs(&events_until(&mut ws, last).await));
                }
                seen
            });
        }
        for _ in 0..CLIENTS {
            tokio::time::timeout(GUARD, ready_rx.recv())
                .await
                .expect("every client connects before the guard");
        }
        for n in 0..EVENTS {
            file(&app, &cookie, n).await;
        }
        let expected: Vec<i64> = ((start + 1)..=last).collect();
        let mut done = 0;
        while let Some(seen) = clients.join_next().await {
            assert_eq!(seen.expect("client task"), expected, "{backend:?}");
            done += 1;
        }
        assert_eq!(done, CLIENTS);
    }
}

#[tokio::test]
async fn a_projector_link_shows_the_motion_live_without_signing_in() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let delegate = app.sign_in(DELEGATE).await;
        let motion = app.demo_motion.to_string();
        let (status, _) = app
            .call(
                "create_projector_link",
                Some(&delegate),
                &[("motion_id", &motion)],
            )
            .await;
        assert_eq!(status, 403, "only organizers create projector links");
        let (status, body) = app
            .call(
                "create_projector_link",
                Some(&organizer),
                &[("motion_id", &motion)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let path: String = serde_json::from_str(&body).expect("a path");
        let key = path.split("cle=").nth(1).expect("a key").to_owned();
        assert!(key.len() >= 40, "{key}");

        // The screen's data, with the key and no session; a wrong key is refused.
        let (status, _) = app
            .call(
                "projection_view",
                None,
                &[("motion_id", &motion), ("key", &key)],
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .call(
                "projection_view",
                None,
                &[("motion_id", &motion), ("key", "pas-la-bonne")],
            )
            .await;
        assert_eq!(status, 401);
        let page = app.get(&path).await;
        assert_eq!(page.status(), 200);

        // Live, with the key in place of a session; the key of one motion opens no other.
        let origin = app.url("");
        let since = head(&app).await;
        let mut ws = open(
            app.addr,
            &format!("{}&cle={key}", live_path(app.demo_motion, Some(since))),
            &[("origin", &origin)],
            None,
        )
        .await
        .expect("the projector's handshake succeeds");
        let (welcome, replayed, _) = read_opening(&mut ws).await;
        assert_eq!(welcome["member"], 0);
        assert!(replayed.is_empty());
        file(&app, &delegate, 1).await;
        let frames = events_until(&mut ws, since + 1).await;
        assert_eq!(seqs(&frames), vec![since + 1]);
        let other = open(
            app.addr,
            &format!("{}&cle={key}", live_path(app.demo_motion + 1000, Some(0))),
            &[("origin", &origin)],
            None,
        )
        .await;
        assert_eq!(refused_status(other), 401);
    }
}
