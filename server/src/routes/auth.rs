//! `POST /connexion` (local accounts) and `POST /deconnexion`: plain forms, so signing in works before
//! hydration and without JavaScript. A new session id is issued at every login.

use std::net::SocketAddr;

use app::ssr::{
    identity::{Viewer, members::check_local_login, sessions},
    now_millis, rate_limit,
    state::AppState,
};
use axum::{
    Extension, Form,
    extract::{ConnectInfo, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{language::safe_back_path, see_other};

/// The local sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub back: String,
    /// `hall` or `remote`; remote when absent.
    #[serde(default)]
    pub attendance: String,
}

fn too_many() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "60")],
        "Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer. / Too many sign-in \
         attempts. Wait a few minutes before trying again.",
    )
        .into_response()
}

/// Checks the password; on success opens a fresh session (ending the one the browser had) and goes back.
/// Every failure gives the same answer, whether the account exists or not.
pub async fn sign_in(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    previous: Option<Extension<Viewer>>,
    Form(form): Form<SignIn>,
) -> Response {
    let now = now_millis();
    let email = form.email.trim().to_lowercase();
    let address = connect.map_or_else(|| "unknown".to_owned(), |c| c.0.0.ip().to_string());
    let account_key = format!("login:acct:{email}");
    let address_key = format!("login:ip:{address}");
    if !state.limiter.allow(
        &[
            (&account_key, rate_limit::LOGIN_PER_ACCOUNT),
            (&address_key, rate_limit::LOGIN_PER_ADDRESS),
        ],
        now,
    ) {
        tracing::warn!("sign-in rate limit reached");
        return too_many();
    }
    let back = safe_back_path(&form.back).to_owned();
    let member = match check_local_login(&state.db, &email, &form.password).await {
        Ok(member) => member,
        Err(err) => {
            tracing::error!(error = %err, "sign-in failed on the database");
            return see_other("/connexion?erreur=indisponible");
        }
    };
    let Some(member_id) = member else {
        return see_other(&format!(
            "/connexion?erreur=identifiants&back={}",
            urlencode(&back)
        ));
    };
    if let Some(Extension(previous)) = previous {
        let _ = sessions::end(&state.db, &previous.session_hash).await;
    }
    let attendance = domain::member::Attendance::from_code(&form.attendance).unwrap_or_default();
    match sessions::open(&state.db, member_id, attendance, now).await {
        Ok(token) => {
            let mut response = see_other(if back == "/connexion" { "/" } else { &back });
            if let Ok(cookie) =
                HeaderValue::from_str(&sessions::session_cookie(&token, state.secure_cookies()))
            {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            tracing::info!(member.id = member_id, "signed in");
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "opening a session failed");
            see_other("/connexion?erreur=indisponible")
        }
    }
}

/// Ends this browser's session and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    if let Some(Extension(viewer)) = viewer {
        match sessions::end(&state.db, &viewer.session_hash).await {
            Ok(()) => state.live.end_session(&viewer.session_hash),
            Err(err) => tracing::error!(error = %err, "ending a session failed"),
        }
    }
    let mut response = see_other("/");
    if let Ok(cookie) = HeaderValue::from_str(&sessions::clear_cookie(state.secure_cookies())) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn urlencode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
