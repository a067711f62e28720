//! Identity and access: local sign-in, sessions, cross-site refusal, rate limits, registration and
//! verification, roles, suspension, invitations, CSV import.

use app::api::{ApiError, InvitationView, MemberRowDto, ViewerInfo};
use domain::{
    member::{MemberStatus, Role},
    registration::Field,
};

use crate::support::{BOTH, Backend, DELEGATE, OBSERVER, ORGANIZER, TestApp, session_cookie};

fn error(body: &str) -> ApiError {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("an ApiError, got {body}"))
}

async fn viewer(app: &TestApp, cookie: Option<&str>) -> Option<ViewerInfo> {
    let (status, body) = app.call("get_viewer", cookie, &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("viewer JSON")
}

async fn members(app: &TestApp, cookie: &str) -> Vec<MemberRowDto> {
    let (status, body) = app.call("list_members", Some(cookie), &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("members JSON")
}

#[tokio::test]
async fn a_member_signs_in_with_a_fresh_httponly_session_and_signs_out() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let response = app.sign_in_response(DELEGATE).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/");
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .to_owned();
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set_cookie.contains(attr), "{backend:?}: {set_cookie}");
        }
        let first = session_cookie(&response).expect("cookie");
        let me = viewer(&app, Some(&first)).await.expect("signed in");
        assert_eq!(me.display_name, "Amélie Rousseau");
        assert_eq!(me.role, Some(Role::Delegate));

        // Signing in again issues a new session id and ends the one the browser had.
        let again = app
            .client
            .post(app.url("/connexion"))
            .header("origin", app.url(""))
            .header("cookie", &first)
            .form(&[("email", DELEGATE.0), ("password", DELEGATE.1)])
            .send()
            .await
            .expect("sent");
        let second = session_cookie(&again).expect("cookie");
        assert_ne!(
            first, second,
            "{backend:?}: the session id is renewed at login"
        );
        assert!(
            viewer(&app, Some(&first)).await.is_none(),
            "{backend:?}: the old session is over"
        );

        let out = app
            .client
            .post(app.url("/deconnexion"))
            .header("origin", app.url(""))
            .header("cookie", &second)
            .send()
            .await
            .expect("sent");
        assert_eq!(out.status(), 303);
        assert!(
            viewer(&app, Some(&second)).await.is_none(),
            "{backend:?}: signed out"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let wrong = app
        .sign_in_response((DELEGATE.0, "pas le bon mot de passe"))
        .await;
    let unknown = app
        .sign_in_response(("personne@nulle-part.fr", "pas le bon mot de passe"))
        .await;
    for response in [&wrong, &unknown] {
        assert_eq!(response.status(), 303);
        assert!(session_cookie(response).is_none());
        assert!(
            response.headers()["location"]
                .to_str()
                .expect("ascii")
                .starts_with("/connexion?erreur=identifiants")
        );
    }
    let page = app
        .get("/connexion?erreur=identifiants")
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("Adresse e-mail ou mot de passe incorrect."));
}

#[tokio::test]
async fn too_many_sign_in_attempts_on_one_account_get_a_429_in_french() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let mut last = None;
    for _ in 0..11 {
        last = Some(
            app.sign_in_response((DELEGATE.0, "mauvais mot de passe"))
                .await,
        );
    }
    let last = last.expect("attempted");
    assert_eq!(last.status(), 429);
    assert!(
        last.text()
            .await
            .expect("body")
            .contains("Trop de tentatives")
    );
    // Another account behind the same address (the venue's NAT) can still sign in.
    let other = app.sign_in_response(OBSERVER).await;
    assert!(session_cookie(&other).is_some());
}

#[tokio::test]
async fn cross_site_posts_are_refused_with_403() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(ORGANIZER).await;
    for path in [
        "/api/fn/list_members",
        "/connexion",
        "/deconnexion",
        "/langue",
    ] {
        let response = app
            .client
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .header("cookie", &cookie)
            .form(&[("email", DELEGATE.0), ("password", DELEGATE.1)])
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 403, "{path}");
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("Requête refusée")
        );
    }
    let (status, _) = app.call("list_members", Some(&cookie), &[]).await;
    assert_eq!(status, 200, "the same request from our own origin passes");
}

#[tokio::test]
async fn only_verified_organizers_manage_members() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let (_, body) = app.call("list_members", None, &[]).await;
    assert_eq!(error(&body), ApiError::Unauthenticated);
    for account in [DELEGATE, OBSERVER] {
        let cookie = app.sign_in(account).await;
        let (status, body) = app.call("list_members", Some(&cookie), &[]).await;
        assert_ne!(status, 200);
        assert_eq!(error(&body), ApiError::Forbidden);
    }
    let page = app
        .get_with_cookie("/organisation/participants", &app.sign_in(DELEGATE).await)
        .await;
    assert_eq!(page.status(), 403, "the members page refuses a delegate");
}

#[tokio::test]
async fn a_registration_lands_pending_and_an_organizer_verifies_it() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let (status, body) = app
            .call(
                "register",
                None,
                &[
                    ("given_name", ""),
                    ("usual_name", "Morel"),
                    ("email", "pas-une-adresse"),
                    ("phone", ""),
                    ("function", "maire"),
                    ("collectivity", "Lunel"),
                    ("collectivity_code", "34145"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let ApiError::Invalid(problems) = error(&body) else {
            panic!("field problems expected: {body}")
        };
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec![Field::GivenName, Field::Email]);

        let form = [
            ("given_name", "Lucie"),
            ("usual_name", "Morel"),
            ("email", "Lucie.Morel@Lunel.fr"),
            ("phone", ""),
            ("function", "maire"),
            ("collectivity", "Lunel"),
            ("collectivity_code", "34145"),
        ];
        let (status, body) = app.call("register", None, &form).await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        // Registering the same e-mail again answers the same (no account enumeration) and changes nothing.
        let (status, _) = app.call("register", None, &form).await;
        assert_eq!(status, 200);

        let organizer = app.sign_in(ORGANIZER).await;
        let list = members(&app, &organizer).await;
        let lucie = list
            .iter()
            .find(|m| m.email == "lucie.morel@lunel.fr")
            .expect("registered");
        assert_eq!(lucie.status, MemberStatus::Pending);
        assert_eq!(
            list.first().map(|m| m.status),
            Some(MemberStatus::Pending),
            "pending requests come first"
        );

        let id = lucie.member_id.to_string();
        let (_, body) = app
            .call(
                "set_member_status",
                Some(&organizer),
                &[("member_id", &id), ("status", "rejected")],
            )
            .await;
        assert!(
            matches!(error(&body), ApiError::Refused(_)),
            "a rejection needs a reason: {body}"
        );
        let (status, _) = app
            .call(
                "set_member_status",
                Some(&organizer),
                &[("member_id", &id), ("status", "verified")],
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .call(
                "set_member_role",
                Some(&organizer),
                &[("member_id", &id), ("role", "observer")],
            )
            .await;
        assert_eq!(status, 200);
        let lucie = members(&app, &organizer)
            .await
            .into_iter()
            .find(|m| m.member_id == lucie.member_id)
            .expect("row");
        assert_eq!(
            (lucie.status, lucie.role),
            (MemberStatus::Verified, Role::Observer),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn a_suspended_member_is_refused_at_the_next_request() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let delegate = app.sign_in(DELEGATE).await;
        let me = viewer(&app, Some(&delegate)).await.expect("signed in");
        let organizer = app.sign_in(ORGANIZER).await;
        let (status, _) = app
            .call(
                "set_member_status",
                Some(&organizer),
                &[
                    ("member_id", &me.member_id.to_string()),
                    ("status", "suspended"),
                ],
            )
            .await;
        assert_eq!(status, 200);
        assert!(
            viewer(&app, Some(&delegate)).await.is_none(),
            "{backend:?}: the session ended"
        );
        let again = app.sign_in_response(DELEGATE).await;
        assert_eq!(again.status(), 303);
        assert!(
            session_cookie(&again).is_none(),
            "{backend:?}: a suspended member gets no session, even with the right password"
        );
        let location = again.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            location.starts_with("/connexion?erreur=suspendu"),
            "{location}"
        );
        let page = app.get(&location).await.text().await.expect("body");
        assert!(
            page.contains("Votre compte est suspendu"),
            "{backend:?}: said on the page"
        );
    }
}

#[tokio::test]
async fn an_invitation_link_works_once_and_signs_the_new_member_in() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let organizer = app.sign_in(ORGANIZER).await;
    let (status, link) = app
        .call(
            "create_invitation",
            Some(&organizer),
            &[("role", "delegate"), ("email", "nadia.haddad@metz.fr")],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let link: String = serde_json::from_str(&link).expect("a URL");
    let token = link.rsplit('/').next().expect("token").to_owned();
    assert!(token.len() >= 43);

    let (_, body) = app.call("get_invitation", None, &[("token", &token)]).await;
    let invite: InvitationView = serde_json::from_str(&body).expect("invitation");
    assert_eq!((invite.reset, invite.role), (false, Role::Delegate));

    let mut form = vec![
        ("token", token.as_str()),
        ("given_name", "Nadia"),
        ("usual_name", "Haddad"),
        ("email", "nadia.haddad@metz.fr"),
        ("function", "adjoint"),
        ("collectivity", "Metz"),
        ("collectivity_code", "57463"),
        ("password", "court"),
    ];
    let (status, body) = app.call("accept_invitation", None, &form).await;
    assert_eq!(status, 422, "{body}");
    form.pop();
    form.push(("password", "une phrase de passe solide"));
    let response = app
        .client
        .post(app.url("/api/fn/accept_invitation"))
        .header("origin", app.url(""))
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).expect("signed in by the invitation");
    let me = viewer(&app, Some(&cookie)).await.expect("member");
    assert_eq!(
        (me.role, me.status),
        (Some(Role::Delegate), Some(MemberStatus::Verified))
    );

    let (_, body) = app.call("accept_invitation", None, &form).await;
    assert_eq!(error(&body), ApiError::NotFound, "single use");
    let signed_in = app
        .sign_in(("nadia.haddad@metz.fr", "une phrase de passe solide"))
        .await;
    assert!(
        viewer(&app, Some(&signed_in)).await.is_some(),
        "the chosen password works"
    );
}

#[tokio::test]
async fn a_csv_import_reports_bad_lines_imports_the_rest_and_is_idempotent() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let mut csv = String::from("prenom;nom;email;fonction;collectivite;code;role\n");
        for i in 0..2000 {
            csv.push_str(&format!("Élu{i};Nom{i};elu{i}@commune{i}.fr;conseiller_municipal;Commune {i};75056;délégué\n"));
        }
        csv.push_str(";SansPrénom;mauvais;roi;X;1;astronaute\n");
        let (status, body) = app
            .call("preview_import", Some(&organizer), &[("csv", &csv)])
            .await;
        assert_eq!(status, 200, "{body}");
        let preview: Vec<app::api::ImportLineView> = serde_json::from_str(&body).expect("preview");
        assert_eq!(preview.len(), 2001);
        let bad: Vec<_> = preview.iter().filter(|l| !l.problems.is_empty()).collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 2002);
        assert_eq!(
            members(&app, &organizer).await.len(),
            7,
            "a preview imports nothing"
        );

        let (status, body) = app
            .call("confirm_import", Some(&organizer), &[("csv", &csv)])
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        assert_eq!(
            serde_json::from_str::<(usize, usize)>(&body).expect("report"),
            (2000, 0)
        );
        let (_, body) = app
            .call("confirm_import", Some(&organizer), &[("csv", &csv)])
            .await;
        assert_eq!(
            serde_json::from_str::<(usize, usize)>(&body).expect("report"),
            (0, 2000),
            "{backend:?}"
        );
        let list = members(&app, &organizer).await;
        assert_eq!(list.len(), 2007);
        assert!(
            list.iter()
                .filter(|m| m.email.starts_with("elu"))
                .all(|m| m.status == MemberStatus::Verified)
        );
    }
}

#[tokio::test]
async fn a_verified_newcomer_sets_a_password_from_the_organizers_link_and_signs_in_locally() {
    let app = TestApp::spawn_with_accounts(Backend::Postgres).await;
    let form = [
        ("given_name", "Yann"),
        ("usual_name", "Le Goff"),
        ("email", "yann.legoff@quimper.bzh"),
        ("phone", "02 98 00 00 00"),
        ("function", "conseiller_municipal"),
        ("collectivity", "Quimper"),
        ("collectivity_code", "29232"),
    ];
    assert_eq!(app.call("register", None, &form).await.0, 200);
    let organizer = app.sign_in(ORGANIZER).await;
    let yann = members(&app, &organizer)
        .await
        .into_iter()
        .find(|m| m.email == "yann.legoff@quimper.bzh")
        .expect("registered");
    assert!(!yann.has_password);
    let id = yann.member_id.to_string();
    app.call(
        "set_member_status",
        Some(&organizer),
        &[("member_id", &id), ("status", "verified")],
    )
    .await;
    let (status, link) = app
        .call(
            "create_password_reset",
            Some(&organizer),
            &[("member_id", &id)],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let link: String = serde_json::from_str(&link).expect("URL");
    let token = link.rsplit('/').next().expect("token");
    let (_, body) = app.call("get_invitation", None, &[("token", token)]).await;
    assert!(
        serde_json::from_str::<InvitationView>(&body)
            .expect("view")
            .reset
    );
    let (status, body) = app
        .call(
            "accept_invitation",
            None,
            &[("token", token), ("password", "kenavo et à bientôt")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let cookie = app
        .sign_in(("yann.legoff@quimper.bzh", "kenavo et à bientôt"))
        .await;
    let me = viewer(&app, Some(&cookie)).await.expect("signed in");
    assert_eq!(
        (me.role, me.status),
        (Some(Role::Delegate), Some(MemberStatus::Verified))
    );
}

#[tokio::test]
async fn in_the_hall_or_remote_is_chosen_per_session_and_can_change() {
    use domain::member::Attendance;
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let hall = app
        .client
        .post(app.url("/connexion"))
        .header("origin", app.url(""))
        .form(&[
            ("email", DELEGATE.0),
            ("password", DELEGATE.1),
            ("attendance", "hall"),
        ])
        .send()
        .await
        .expect("sent");
    let laptop = session_cookie(&hall).expect("signed in");
    let phone = app.sign_in(DELEGATE).await;
    assert_eq!(
        viewer(&app, Some(&laptop)).await.expect("me").attendance,
        Attendance::InHall
    );
    assert_eq!(
        viewer(&app, Some(&phone)).await.expect("me").attendance,
        Attendance::Remote
    );
    let (status, _) = app
        .call("set_attendance", Some(&laptop), &[("attendance", "remote")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        viewer(&app, Some(&laptop)).await.expect("me").attendance,
        Attendance::Remote
    );
    let (status, _) = app
        .call("set_attendance", Some(&laptop), &[("attendance", "balcon")])
        .await;
    assert_eq!(status, 400);
}
