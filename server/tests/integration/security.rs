//! Regression tests for the defects found by probing Hémicycle as an attacker would, through the real HTTP and
//! websocket interfaces, on both engines: an invitation that took over an existing account, sockets (and votes)
//! that outlived their session, markup injected through a textarea, sign-in throttling that locked owners out,
//! refusals with the wrong status or in English only, the origin check, oversized socket messages.

use std::time::Duration;

use app::{
    api::{ApiError, InvitationView, ViewerInfo},
    ssr::{
        config::parse_networks,
        store::entities::{member, session, vote},
    },
};
use domain::{member::Role, refusal::Refusal};
use futures_util::{SinkExt, StreamExt};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    amendments::paragraphs,
    live::{
        Next, Ws, live_path, next_but_presence, open, open_as_page, read_opening, second_instance,
    },
    support::{BOTH, Backend, DELEGATE, ORGANIZER, TestApp, session_cookie},
    votes::{People, admissible_amendment_in_session, open_on_amendment},
};

const CHAIR: (&str, &str) = ("bernard.lemoine@congres-demo.fr", "demo-presidence-2026");

/// The longest a session's end may take to reach its sockets.
const AT_ONCE: Duration = Duration::from_secs(1);

fn api_error(body: &str) -> ApiError {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("an ApiError, got {body}"))
}

async fn viewer(app: &TestApp, cookie: &str) -> Option<ViewerInfo> {
    let (status, body) = app.call("get_viewer", Some(cookie), &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("viewer JSON")
}

async fn member_by_email(db: &DatabaseConnection, email: &str) -> Option<member::Model> {
    member::Entity::find()
        .filter(member::Column::Email.eq(email))
        .one(db)
        .await
        .expect("member lookup")
}

/// An invitation link made by the organizer; answers its token.
async fn invitation(app: &TestApp, organizer: &str, role: &str, email: Option<&str>) -> String {
    let mut form = vec![("role", role)];
    if let Some(email) = email {
        form.push(("email", email));
    }
    let (status, body) = app.call("create_invitation", Some(organizer), &form).await;
    assert_eq!(status, 200, "{body}");
    let link: String = serde_json::from_str(&body).expect("a URL");
    link.rsplit('/').next().expect("a token").to_owned()
}

/// Posts `accept_invitation` (signed in with `cookie`, or not); answers the response.
async fn accept(
    app: &TestApp,
    cookie: Option<&str>,
    token: &str,
    email: &str,
    password: Option<&str>,
) -> reqwest::Response {
    let mut form = vec![
        ("token", token),
        ("given_name", "Nadia"),
        ("usual_name", "Haddad"),
        ("email", email),
        ("function", "adjoint"),
        ("collectivity", "Metz"),
        ("collectivity_code", "57463"),
    ];
    if let Some(password) = password {
        form.push(("password", password));
    }
    let mut request = app
        .client
        .post(app.url("/api/fn/accept_invitation"))
        .header("origin", app.url(""))
        .form(&form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn an_invitation_link_never_takes_over_an_existing_account() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let chair = app.sign_in(CHAIR).await;

        // The attack: a delegate's link, issued for a new address, posted with the chair's address.
        let token = invitation(&app, &organizer, "delegate", Some("nadia.haddad@metz.fr")).await;
        let response = accept(
            &app,
            None,
            &token,
            CHAIR.0,
            Some("mot de passe de l’attaquant"),
        )
        .await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let cookie = session_cookie(&response).expect("a session for the invited address");
        let newcomer = viewer(&app, &cookie).await.expect("signed in");
        assert_eq!(newcomer.display_name, "Nadia Haddad", "{backend:?}");
        assert_eq!(newcomer.role, Some(Role::Delegate));
        assert!(
            member_by_email(&app.db, "nadia.haddad@metz.fr")
                .await
                .is_some(),
            "{backend:?}: the account is the link's address"
        );
        let chair_row = member_by_email(&app.db, CHAIR.0).await.expect("the chair");
        assert_ne!(
            newcomer.member_id, chair_row.id,
            "{backend:?}: not the chair"
        );
        assert!(
            viewer(&app, &chair).await.is_some(),
            "{backend:?}: the chair's session lives"
        );
        assert!(
            app.sign_in_response((CHAIR.0, "mot de passe de l’attaquant"))
                .await
                .headers()
                .get("set-cookie")
                .is_none(),
            "{backend:?}: the attacker's password opens nothing"
        );
        app.sign_in(CHAIR).await;

        // An open link used with an address that has an account: that person is asked to sign in.
        let open_link = invitation(&app, &organizer, "organizer", None).await;
        let response = accept(
            &app,
            None,
            &open_link,
            CHAIR.0,
            Some("mot de passe de l’attaquant"),
        )
        .await;
        assert_eq!(response.status(), 422, "{backend:?}");
        assert!(session_cookie(&response).is_none());
        assert_eq!(
            api_error(&response.text().await.expect("body")),
            ApiError::Refused(Refusal::AccountExists)
        );
        app.sign_in(CHAIR).await;

        // Signed in, the chair uses the open link: their own account joins, nothing else changes.
        let (_, body) = app
            .call("get_invitation", Some(&chair), &[("token", &open_link)])
            .await;
        let offer: InvitationView = serde_json::from_str(&body).expect("an invitation");
        assert_eq!(offer.signed_in_as.as_deref(), Some("Bernard Lemoine"));
        let response = accept(&app, Some(&chair), &open_link, CHAIR.0, None).await;
        assert_eq!(response.status(), 200, "{backend:?}");
        assert!(session_cookie(&response).is_none(), "the session is kept");
        let me = viewer(&app, &chair).await.expect("still signed in");
        assert_eq!(
            me.role,
            Some(Role::Chair),
            "{backend:?}: an open link changes no role"
        );
        app.sign_in(CHAIR).await;

        // A link made for someone else is refused to a signed-in member.
        let other = invitation(&app, &organizer, "delegate", Some("autre@metz.fr")).await;
        let response = accept(&app, Some(&chair), &other, CHAIR.0, None).await;
        assert_eq!(
            api_error(&response.text().await.expect("body")),
            ApiError::Refused(Refusal::InvitationForAnother),
            "{backend:?}"
        );
    }
}

/// Waits for the socket to close; answers the code and whether it came in time.
async fn closed_within(ws: &mut Ws, limit: Duration) -> Option<u16> {
    match tokio::time::timeout(limit, next_but_presence(ws)).await {
        Ok(Next::Closed(code)) => code,
        Ok(Next::Json(frame)) => panic!("the socket should close, it sent {frame}"),
        Err(_) => panic!("the socket was still open after {limit:?}"),
    }
}

/// A delegate of their own for one way of ending a session: invited, with a password; answers their cookie.
async fn fresh_delegate(app: &TestApp, organizer: &str, n: usize) -> (String, String) {
    let email = format!("delegue{n}@villes.fr");
    let token = invitation(app, organizer, "delegate", Some(&email)).await;
    let response = accept(
        app,
        None,
        &token,
        &email,
        Some("une phrase de passe solide"),
    )
    .await;
    assert_eq!(response.status(), 200);
    (session_cookie(&response).expect("a session"), email)
}

async fn member_id_of(app: &TestApp, cookie: &str) -> String {
    viewer(app, cookie)
        .await
        .expect("signed in")
        .member_id
        .to_string()
}

#[tokio::test]
async fn every_way_a_session_ends_closes_its_live_sockets_at_once() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;

        // Sign-out.
        let (cookie, _) = fresh_delegate(&app, &organizer, 1).await;
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
        assert_eq!(
            closed_within(&mut ws, AT_ONCE).await,
            Some(4401),
            "{backend:?}: sign-out"
        );

        // A new sign-in in the same browser replaces the session: the old one's socket closes.
        let (cookie, email) = fresh_delegate(&app, &organizer, 2).await;
        let mut ws = open_as_page(&app, &cookie, Some(0)).await;
        read_opening(&mut ws).await;
        let response = app
            .client
            .post(app.url("/connexion"))
            .header("cookie", &cookie)
            .header("origin", app.url(""))
            .form(&[
                ("email", email.as_str()),
                ("password", "une phrase de passe solide"),
            ])
            .send()
            .await
            .expect("sent");
        assert!(session_cookie(&response).is_some());
        assert_eq!(
            closed_within(&mut ws, AT_ONCE).await,
            Some(4401),
            "{backend:?}: replaced"
        );
        assert!(
            viewer(&app, &cookie).await.is_none(),
            "the replaced session is over"
        );

        // A password reset ends every session of the member, and their sockets.
        let (cookie, _) = fresh_delegate(&app, &organizer, 3).await;
        let member = member_id_of(&app, &cookie).await;
        let mut ws = open_as_page(&app, &cookie, Some(0)).await;
        read_opening(&mut ws).await;
        let (status, link) = app
            .call(
                "create_password_reset",
                Some(&organizer),
                &[("member_id", &member)],
            )
            .await;
        assert_eq!(status, 200, "{link}");
        let link: String = serde_json::from_str(&link).expect("a URL");
        let token = link.rsplit('/').next().expect("a token");
        let response = accept(&app, None, token, "", Some("un tout nouveau mot de passe")).await;
        assert_eq!(response.status(), 200, "{backend:?}");
        assert_eq!(
            closed_within(&mut ws, AT_ONCE).await,
            Some(4401),
            "{backend:?}: reset"
        );

        // Suspension and rejection.
        for (n, status) in [(4, "suspended"), (5, "rejected")] {
            let (cookie, _) = fresh_delegate(&app, &organizer, n).await;
            let member = member_id_of(&app, &cookie).await;
            let mut ws = open_as_page(&app, &cookie, Some(0)).await;
            read_opening(&mut ws).await;
            let (code, body) = app
                .call(
                    "set_member_status",
                    Some(&organizer),
                    &[
                        ("member_id", &member),
                        ("status", status),
                        ("reason", "Essai."),
                    ],
                )
                .await;
            assert_eq!(code, 200, "{body}");
            assert_eq!(
                closed_within(&mut ws, AT_ONCE).await,
                Some(4401),
                "{backend:?}: {status}"
            );
        }

        // A role taken away: the socket is told to reconnect with the new rights (4403).
        let (cookie, _) = fresh_delegate(&app, &organizer, 6).await;
        let member = member_id_of(&app, &cookie).await;
        let mut ws = open_as_page(&app, &cookie, Some(0)).await;
        read_opening(&mut ws).await;
        let (code, body) = app
            .call(
                "set_member_role",
                Some(&organizer),
                &[("member_id", &member), ("role", "observer")],
            )
            .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            closed_within(&mut ws, AT_ONCE).await,
            Some(4403),
            "{backend:?}: role"
        );

        // Expiry: a session that ends by itself closes its socket when it ends.
        let (cookie, _) = fresh_delegate(&app, &organizer, 7).await;
        let member: i32 = member_id_of(&app, &cookie).await.parse().expect("id");
        let row = session::Entity::find()
            .filter(session::Column::MemberId.eq(member))
            .one(&app.db)
            .await
            .expect("query")
            .expect("their session");
        let mut row = row.into_active_model();
        row.expires_at = Set(app::ssr::now_millis() + 1_500);
        row.update(&app.db).await.expect("shortened");
        let mut ws = open_as_page(&app, &cookie, Some(0)).await;
        read_opening(&mut ws).await;
        assert_eq!(
            closed_within(&mut ws, Duration::from_millis(1_500) + AT_ONCE).await,
            Some(4401),
            "{backend:?}: expiry"
        );
    }
}

#[tokio::test]
async fn a_socket_that_outlives_its_session_votes_nothing() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let amendment = admissible_amendment_in_session(&app, &people, "Un texte meilleur.").await;
        let ballot = open_on_amendment(&app, &people, amendment, &[]).await;
        let mut ws = open_as_page(&app, &people.sophie, Some(0)).await;
        read_opening(&mut ws).await;

        // The session ends behind the socket's back (as if the closing were late): only the row goes.
        let sophie: i32 = member_id_of(&app, &people.sophie)
            .await
            .parse()
            .expect("id");
        session::Entity::delete_many()
            .filter(session::Column::MemberId.eq(sophie))
            .exec(&app.db)
            .await
            .expect("deleted");
        let frame = serde_json::json!({
            "v": 1, "type": "vote", "ballot": ballot, "choice": "pour", "key": "tardif-1"
        });
        ws.send(Message::text(frame.to_string()))
            .await
            .expect("sent");
        let answer = loop {
            match next_but_presence(&mut ws).await {
                Next::Json(frame) if frame["type"] == "tally" => {}
                Next::Json(frame) => break frame,
                Next::Closed(code) => panic!("an answer expected, closed with {code:?}"),
            }
        };
        assert_eq!(answer["type"], "vote_refused", "{backend:?}: {answer}");
        assert_eq!(answer["refusal"]["refusal"], "session_ended", "{answer}");
        let stored = vote::Entity::find()
            .filter(vote::Column::BallotId.eq(ballot))
            .filter(vote::Column::RepresentedId.eq(sophie))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(stored, 0, "{backend:?}: nothing was recorded");
    }
}

#[tokio::test]
async fn a_password_reset_on_one_instance_closes_the_sockets_on_the_other() {
    let app = TestApp::spawn_with_accounts(Backend::Postgres).await;
    let other = second_instance(&app).await;
    let organizer = app.sign_in(ORGANIZER).await;
    let cookie = app.sign_in(DELEGATE).await;
    let member = member_id_of(&app, &cookie).await;
    let origin = format!("http://{}", other.addr);
    let mut ws = open(
        other.addr,
        &live_path(app.demo_motion, Some(0)),
        &[("cookie", &cookie), ("origin", &origin)],
        None,
    )
    .await
    .expect("the handshake succeeds");
    read_opening(&mut ws).await;
    let (status, link) = app
        .call(
            "create_password_reset",
            Some(&organizer),
            &[("member_id", &member)],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let link: String = serde_json::from_str(&link).expect("a URL");
    let response = accept(
        &app,
        None,
        link.rsplit('/').next().expect("a token"),
        "",
        Some("un tout nouveau mot de passe"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(closed_within(&mut ws, AT_ONCE).await, Some(4401));
    assert_eq!(other.live.connection_count(), 0);
}

/// Posts the sign-in form as if from `address` (the test server trusts 127.0.0.1 as its reverse proxy).
async fn sign_in_from(
    app: &TestApp,
    address: &str,
    (email, password): (&str, &str),
) -> reqwest::Response {
    app.client
        .post(app.url("/connexion"))
        .header("origin", app.url(""))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password), ("back", "/")])
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn sign_in_slows_attackers_down_but_never_locks_the_owner_or_the_hall_out() {
    let app = TestApp::spawn_configured(Backend::Sqlite, Vec::new(), |config| {
        config.trusted_proxies = parse_networks("127.0.0.1").expect("valid");
        config.trusted_addresses = parse_networks("192.0.2.0/24").expect("valid");
    })
    .await;
    app::ssr::demo::seed_accounts(&app.db, crate::support::SEED_TIME)
        .await
        .expect("demo accounts");

    // Successful sign-ins are never counted: the chair signs in from every laptop of the hall.
    for _ in 0..30 {
        let response = sign_in_from(&app, "192.0.2.10", CHAIR).await;
        assert!(
            session_cookie(&response).is_some(),
            "every correct sign-in works"
        );
    }
    // An attacker guessing the chair's password from elsewhere is slowed down, and told how long to wait.
    let mut refused = None;
    for _ in 0..12 {
        let response = sign_in_from(&app, "203.0.113.66", (CHAIR.0, "devinette")).await;
        if response.status() == 429 {
            refused = Some(response);
            break;
        }
    }
    let refused = refused.expect("the attacker is slowed down");
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(wait >= 1);
    let text = refused.text().await.expect("body");
    assert!(text.contains("réessayez dans"), "{text}");
    assert!(
        text.contains("Mot de passe oublié"),
        "says what to do: {text}"
    );
    // The owner, in the hall, is not: neither are the hall's other people.
    assert!(session_cookie(&sign_in_from(&app, "192.0.2.10", CHAIR).await).is_some());
    // The whole hall typing wrong passwords behind the venue's address never holds anyone up there.
    for i in 0..100 {
        sign_in_from(&app, "192.0.2.10", (&format!("faute{i}@villes.fr"), "faux")).await;
    }
    assert!(session_cookie(&sign_in_from(&app, "192.0.2.10", DELEGATE).await).is_some());
}

#[tokio::test]
async fn bad_requests_get_their_status_and_a_sentence_in_the_readers_language() {
    for backend in BOTH {
        let app = TestApp::spawn(backend).await;
        for id in ["2147483648", "1e3", "", "abc"] {
            let (status, body) = app.call("get_motion", None, &[("id", id)]).await;
            assert_eq!(status, 400, "{backend:?}: id {id:?}: {body}");
            assert!(
                matches!(api_error(&body), ApiError::BadRequest(_)),
                "{body}"
            );
        }
        let response = app
            .client
            .post(app.url("/api/fn/get_motion"))
            .header("origin", app.url(""))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![b'i', b'd', b'=', 0xff, 0xfe])
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 400, "{backend:?}: invalid UTF-8");

        let huge = "x".repeat(3 * 1024 * 1024);
        let response = app
            .client
            .post(app.url("/api/fn/preview_import"))
            .header("origin", app.url(""))
            .form(&[("csv", huge.as_str())])
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 413, "{backend:?}");
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("trop volumineux"),
            "said in French"
        );

        for (path, status) in [
            ("/api/v1/motions/abc/export/motion.pdf", 400),
            ("/api/v1/motions/1/live?since=beaucoup", 400),
            ("/api/fn/pas_de_fonction", 404),
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status().as_u16(), status, "{backend:?}: {path}");
            let french = response.text().await.expect("body");
            assert!(
                french.contains("demande n’est pas valide") || french.contains("n’existe pas"),
                "{path}: {french}"
            );
            let english = app
                .get_with_cookie(path, "hemicycle_lang=en")
                .await
                .text()
                .await
                .expect("body");
            assert!(
                english.contains("request is not valid") || english.contains("does not exist"),
                "{path}: {english}"
            );
        }
    }
}

#[tokio::test]
async fn concurrent_writes_to_two_motions_are_retried_never_a_500() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let delegate = app.sign_in(DELEGATE).await;
        let (status, body) = app.call("congress_console", Some(&organizer), &[]).await;
        assert_eq!(status, 200, "{body}");
        let console: app::api::ConsoleView = serde_json::from_str(&body).expect("the console");
        let edition = console.editions[0].id.to_string();
        let (status, second) = app
            .call(
                "create_motion",
                Some(&organizer),
                &[
                    ("edition_id", &edition),
                    ("title", "Seconde motion"),
                    ("line_width", "80"),
                    ("min_cosigners", "0"),
                    (
                        "draft",
                        "# Section\n\nPremier paragraphe de la seconde motion.",
                    ),
                ],
            )
            .await;
        assert_eq!(status, 200, "{second}");
        let second: i32 = serde_json::from_str(&second).expect("its id");
        let (status, body) = app
            .call(
                "change_phase",
                Some(&organizer),
                &[("motion_id", &second.to_string()), ("to", "amending")],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let targets = [
            (
                app.demo_motion,
                paragraphs(&app.db, app.demo_motion).await[0].0,
            ),
            (second, paragraphs(&app.db, second).await[0].0),
        ];
        let calls = (0..40).map(|i| {
            let (motion, paragraph) = targets[i % 2];
            let (app, delegate) = (&app, &delegate);
            async move {
                app.call(
                    "file_amendment",
                    Some(delegate),
                    &[
                        ("motion_id", &motion.to_string()),
                        ("kind", "replace"),
                        ("paragraph_id", &paragraph.to_string()),
                        ("base_version", "1"),
                        ("text", &format!("Une proposition concurrente numéro {i}.")),
                        ("rationale", "Essai de concurrence."),
                    ],
                )
                .await
            }
        });
        let answers = futures_util::future::join_all(calls).await;
        let failed: Vec<_> = answers
            .iter()
            .filter(|(status, _)| *status >= 500)
            .collect();
        assert!(failed.is_empty(), "{backend:?}: {failed:?}");
        assert!(
            answers.iter().all(|(status, _)| *status == 200),
            "{backend:?}: {answers:?}"
        );
    }
}

#[tokio::test]
async fn socket_messages_over_the_limit_close_with_4400() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(DELEGATE).await;
    for size in [4_097, 10 * 1024 * 1024] {
        let ws = open_as_page(&app, &cookie, Some(0)).await;
        let (mut sink, mut stream) = ws.split();
        // A browser reads while it sends: the closing frame arrives while the message is still going out.
        let sending = tokio::spawn(async move {
            let _ = sink.send(Message::text("x".repeat(size))).await;
        });
        let mut code = None;
        while let Ok(Some(message)) =
            tokio::time::timeout(Duration::from_secs(10), stream.next()).await
        {
            match message {
                Ok(Message::Close(frame)) => {
                    code = frame.map(|f| u16::from(f.code));
                    break;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        sending.abort();
        assert_eq!(code, Some(4400), "{size} bytes");
    }
}

#[tokio::test]
async fn forms_and_sockets_share_one_origin_policy() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(DELEGATE).await;
    let port = app.addr.port();
    let post = |origin: Option<String>| {
        let mut request = app
            .client
            .post(app.url("/api/fn/set_attendance"))
            .header("cookie", &cookie)
            .form(&[("attendance", "hall")]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    // The other loopback spelling of the default address works for forms and sockets alike.
    let localhost = format!("http://localhost:{port}");
    assert_eq!(
        post(Some(localhost.clone())).await.expect("sent").status(),
        200
    );
    let mut ws = open(
        app.addr,
        &live_path(app.demo_motion, Some(0)),
        &[("cookie", &cookie), ("origin", &localhost)],
        None,
    )
    .await
    .expect("the socket opens from localhost too");
    read_opening(&mut ws).await;
    // The scheme counts; so does the port; and a cookie without any origin is not enough.
    for origin in [
        Some(format!("https://127.0.0.1:{port}")),
        Some(format!("http://127.0.0.1:{}", port + 1)),
        None,
    ] {
        let response = post(origin.clone()).await.expect("sent");
        assert_eq!(response.status(), 403, "{origin:?}");
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("ne vient pas d’une page de Hémicycle")
        );
        if let Some(origin) = origin {
            let refused = open(
                app.addr,
                &live_path(app.demo_motion, Some(0)),
                &[("cookie", &cookie), ("origin", &origin)],
                None,
            )
            .await;
            assert_eq!(crate::live::refused_status(refused), 403, "{origin}");
        }
    }
}

#[tokio::test]
async fn a_stored_text_that_closes_a_textarea_stays_text_on_every_editor() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let organizer = app.sign_in(ORGANIZER).await;
    let (paragraph, _) = paragraphs(&app.db, app.demo_motion).await[0].clone();
    let hostile = "Texte </textarea><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\
                   <form action=\"/deconnexion\" method=\"post\"><button>Valider</button></form> fin.";
    let (status, body) = app
        .call(
            "editorial_fix",
            Some(&organizer),
            &[
                ("motion_id", &app.demo_motion.to_string()),
                ("paragraph_id", &paragraph.to_string()),
                ("seen_version", "1"),
                ("text", hostile),
                ("reason", "Coquille </title><script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for path in [
        format!(
            "/motions/{}/paragraphes/{paragraph}/amender",
            app.demo_motion
        ),
        format!(
            "/motions/{}/paragraphes/{paragraph}/historique",
            app.demo_motion
        ),
    ] {
        let html = app
            .get_with_cookie(&path, &organizer)
            .await
            .text()
            .await
            .expect("body");
        assert!(
            !html.contains("<meta http-equiv=\"refresh\""),
            "{path}: markup injected"
        );
        assert!(
            !html.contains("<form action=\"/deconnexion\" method=\"post\"><button>Valider"),
            "{path}"
        );
        assert!(!html.contains("<script>alert(1)"), "{path}");
        assert!(
            html.contains("&lt;/textarea&gt;"),
            "{path}: the text is shown, escaped"
        );
    }
}
