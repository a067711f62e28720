//! OpenID Connect login against a real provider (node-oidc-provider configured like ProConnect), the browser's part
//! driven over plain HTTP: the whole code flow, and the refusals (state, nonce, replayed code, PKCE, unsigned
//! userinfo, unverified e-mail, expired login).

use std::collections::BTreeMap;

use app::ssr::auth::oidc::{
    OidcError, OidcIdentity, OidcProvider, OidcProviderConfig, PENDING_LOGIN_TTL_SECS,
    PendingLogin, http_client,
};
use reqwest::Url;

use crate::support::{
    OidcTestProvider,
    oidc_provider::{CLIENT_ID, CLIENT_SECRET, PLAIN_CLIENT_ID, REDIRECT_URI},
};

pub fn config(issuer: &str) -> OidcProviderConfig {
    OidcProviderConfig {
        id: "test".to_owned(),
        label_fr: "Se connecter avec le fournisseur de test".to_owned(),
        label_en: "Sign in with the test provider".to_owned(),
        issuer: issuer.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: Some(CLIENT_SECRET.to_owned()),
        scopes: [
            "openid",
            "email",
            "given_name",
            "usual_name",
            "siret",
            "uid",
        ]
        .map(str::to_owned)
        .to_vec(),
        pkce: true,
        signed_userinfo: true,
        extra_claims: vec!["siret".to_owned(), "not_sent".to_owned()],
        trust_email: false,
    }
}

async fn discover(config: OidcProviderConfig) -> OidcProvider {
    OidcProvider::discover(
        config,
        REDIRECT_URI.to_owned(),
        http_client().expect("client"),
    )
    .await
    .expect("the test provider is discovered")
}

fn query_param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .expect("authorize URL")
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn marie() -> OidcIdentity {
    OidcIdentity {
        provider_id: "test".to_owned(),
        subject: "marie.dupont".to_owned(),
        email: "marie.dupont@mairie-exemple.fr".to_owned(),
        email_verified: true,
        given_name: Some("Marie".to_owned()),
        usual_name: Some("Dupont".to_owned()),
        siret: Some("21750001600019".to_owned()),
        uid: Some("marie-dupont-uid".to_owned()),
        extra: BTreeMap::from([("siret".to_owned(), "21750001600019".into())]),
    }
}

#[tokio::test]
async fn oidc_the_code_flow_with_pkce_and_signed_userinfo_says_who_logged_in() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();

    assert!(url.starts_with(&format!("{}/auth?", idp.issuer)), "{url}");
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&url, "code_challenge").is_some());
    assert_eq!(
        query_param(&url, "state").as_deref(),
        Some(pending.state.as_str())
    );
    assert_eq!(
        query_param(&url, "nonce").as_deref(),
        Some(pending.nonce.as_str())
    );
    let scope = query_param(&url, "scope").expect("scope");
    for wanted in [
        "openid",
        "email",
        "given_name",
        "usual_name",
        "siret",
        "uid",
    ] {
        assert!(scope.split(' ').any(|s| s == wanted), "{scope}");
    }
    assert!(pending.pkce_verifier.is_some());

    let callback = idp.log_in(&url, "marie.dupont").await;
    assert_eq!(callback.state, pending.state);
    let identity = provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await
        .expect("the login goes through");
    // The provider sends `Marie.Dupont@Mairie-Exemple.fr`: the identity carries it lowercased.
    assert_eq!(identity, marie());
}

#[tokio::test]
async fn oidc_state_and_nonce_are_long_random_and_fresh_at_each_login() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (_, first) = provider.start_login();
    let (_, second) = provider.start_login();
    for pending in [&first, &second] {
        assert!(pending.state.len() >= 32, "state {}", pending.state.len());
        assert!(pending.nonce.len() >= 32, "nonce {}", pending.nonce.len());
        assert_ne!(pending.state, pending.nonce);
        assert_eq!(pending.provider_id, "test");
    }
    assert_ne!(first.state, second.state);
    assert_ne!(first.nonce, second.nonce);
    assert_ne!(first.pkce_verifier, second.pkce_verifier);
}

#[tokio::test]
async fn oidc_a_wrong_state_is_refused() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;

    let (_, other) = provider.start_login();
    let refused = provider
        .finish_login(&pending, &other.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::StateMismatch)),
        "{refused:?}"
    );
    // A pending login of another provider is refused the same way.
    let foreign = PendingLogin {
        provider_id: "another".to_owned(),
        ..pending.clone()
    };
    let refused = provider
        .finish_login(&foreign, &callback.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::StateMismatch)),
        "{refused:?}"
    );

    // The refusal happened before the code was used: with the right state, the same code still works.
    let identity = provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await
        .expect("the right state goes through");
    assert_eq!(identity.email, "marie.dupont@mairie-exemple.fr");
}

#[tokio::test]
async fn oidc_an_id_token_for_another_nonce_is_refused() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;

    let (_, other) = provider.start_login();
    let tampered = PendingLogin {
        nonce: other.nonce,
        ..pending.clone()
    };
    let refused = provider
        .finish_login(&tampered, &callback.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::NonceMismatch)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn oidc_a_replayed_code_is_refused() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;

    provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await
        .expect("the first use goes through");
    let replayed = provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await;
    match replayed {
        Err(OidcError::CodeExchange(reason)) => {
            assert!(reason.contains("invalid_grant"), "{reason}")
        }
        other => panic!("a replayed code must be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn oidc_a_wrong_pkce_verifier_is_refused_by_the_provider() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;

    let (_, other) = provider.start_login();
    let tampered = PendingLogin {
        pkce_verifier: other.pkce_verifier,
        ..pending.clone()
    };
    let refused = provider
        .finish_login(&tampered, &callback.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::CodeExchange(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn oidc_unsigned_userinfo_is_refused_when_signed_userinfo_is_required() {
    let idp = OidcTestProvider::start().await;
    let plain = |signed_userinfo| OidcProviderConfig {
        client_id: PLAIN_CLIENT_ID.to_owned(),
        signed_userinfo,
        pkce: false,
        ..config(&idp.issuer)
    };

    let strict = discover(plain(true)).await;
    let (url, pending) = strict.start_login();
    assert_eq!(query_param(&url, "code_challenge"), None, "PKCE off");
    assert_eq!(pending.pkce_verifier, None);
    let callback = idp.log_in(&url, "marie.dupont").await;
    let refused = strict
        .finish_login(&pending, &callback.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::Userinfo(_))),
        "{refused:?}"
    );

    // The same plain JSON userinfo is accepted when the configuration does not ask for a signature.
    let lenient = discover(plain(false)).await;
    let (url, pending) = lenient.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;
    let identity = lenient
        .finish_login(&pending, &callback.state, &callback.code)
        .await
        .expect("unsigned userinfo accepted when not required");
    assert_eq!(identity, marie());
}

#[tokio::test]
async fn oidc_an_email_the_provider_says_is_unverified_is_refused() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, pending) = provider.start_login();
    let callback = idp.log_in(&url, "jean.nonverifie").await;
    let refused = provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await;
    assert!(
        matches!(refused, Err(OidcError::EmailNotVerified)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn oidc_a_login_started_too_long_ago_is_refused() {
    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let (url, mut pending) = provider.start_login();
    let callback = idp.log_in(&url, "marie.dupont").await;
    pending.created_at_unix -= PENDING_LOGIN_TTL_SECS + 1;
    let refused = provider
        .finish_login(&pending, &callback.state, &callback.code)
        .await;
    assert!(matches!(refused, Err(OidcError::Expired)), "{refused:?}");
}

#[tokio::test]
async fn oidc_a_provider_whose_metadata_name_another_issuer_is_not_discovered() {
    let idp = OidcTestProvider::start().await;
    // The metadata are found at `{issuer}/.well-known/…` but declare `{issuer}`, not `{issuer}/`.
    let wrong = OidcProviderConfig {
        issuer: format!("{}/", idp.issuer),
        ..config(&idp.issuer)
    };
    let refused = OidcProvider::discover(
        wrong,
        REDIRECT_URI.to_owned(),
        http_client().expect("client"),
    )
    .await;
    match refused {
        Err(OidcError::Discovery(reason)) => assert!(reason.contains("issuer"), "{reason}"),
        other => panic!("discovery must fail, got {other:?}"),
    }
}

/// The whole route: the sign-in button, the provider, the callback, a session for the matching member.
#[tokio::test]
async fn oidc_routes_sign_a_registered_member_in_by_verified_email_and_refuse_a_foreign_state() {
    use crate::support::{Backend, TestApp, session_cookie};

    let idp = OidcTestProvider::start().await;
    let provider = discover(config(&idp.issuer)).await;
    let app = TestApp::spawn_with_oidc(Backend::Sqlite, vec![provider]).await;
    // Marie registers first (the provider's e-mail has capitals; matching is case-insensitive).
    let (status, body) = app
        .call(
            "register",
            None,
            &[
                ("given_name", "Marie"),
                ("usual_name", "Dupont"),
                ("email", "marie.dupont@mairie-exemple.fr"),
                ("phone", ""),
                ("function", "maire"),
                ("collectivity", "Exemple-sur-Loire"),
                ("collectivity_code", "45234"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let start = |app: &TestApp| {
        app.client
            .post(app.url("/auth/oidc/test"))
            .header("origin", app.url(""))
            .send()
    };
    let started = start(&app).await.expect("sent");
    assert_eq!(started.status(), 303);
    let authorize = started.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(authorize.starts_with(&idp.issuer), "{authorize}");
    let flow = started.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let back = idp.log_in(&authorize, "marie.dupont").await;

    // The same code and state from another browser (no flow cookie) are refused.
    let foreign = app
        .client
        .get(app.url(&format!(
            "/auth/oidc/callback?code={}&state={}",
            back.code, back.state
        )))
        .send()
        .await
        .expect("sent");
    assert_eq!(foreign.headers()["location"], "/connexion?erreur=oidc");
    assert!(session_cookie(&foreign).is_none());

    let done = app
        .client
        .get(app.url(&format!(
            "/auth/oidc/callback?code={}&state={}",
            back.code, back.state
        )))
        .header("cookie", &flow)
        .send()
        .await
        .expect("sent");
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/");
    let session = session_cookie(&done).expect("signed in");
    let (_, body) = app.call("get_viewer", Some(&session), &[]).await;
    assert!(body.contains("Marie Dupont"), "{body}");

    // Replaying the callback is refused: the pending login was single-use.
    let replay = app
        .client
        .get(app.url(&format!(
            "/auth/oidc/callback?code={}&state={}",
            back.code, back.state
        )))
        .header("cookie", &flow)
        .send()
        .await
        .expect("sent");
    assert_eq!(replay.headers()["location"], "/connexion?erreur=oidc");

    // Someone the provider knows but Hémicycle does not is told to register.
    let started = start(&app).await.expect("sent");
    let authorize = started.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let flow = started.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let back = idp.log_in(&authorize, "paul.martin").await;
    let unknown = app
        .client
        .get(app.url(&format!(
            "/auth/oidc/callback?code={}&state={}",
            back.code, back.state
        )))
        .header("cookie", &flow)
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.headers()["location"], "/connexion?erreur=inconnu");
}
