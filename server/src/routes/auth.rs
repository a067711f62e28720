//! `POST /connexion` (local accounts) and `POST /deconnexion`: plain forms, so signing in works before
//! hydration and without JavaScript. A new session id is issued at every login; the session it replaces is
//! ended, and so are its live sockets.

use std::net::SocketAddr;

use app::api::state::AppState;
use app::ssr::{
    identity::{
        Viewer,
        members::{check_local_login, current_status},
        sessions,
    },
    now_millis,
};
use axum::{
    Extension, Form,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use domain::member::MemberStatus;
use serde::Deserialize;

use super::{language::safe_back_path, see_other};
use crate::refusal::refusal_with;

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

/// The sign-in page again, with `error` said on it and the way back kept.
fn back_to_sign_in(error: &str, back: &str) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("erreur", error)
        .append_pair("back", back)
        .finish();
    see_other(&format!("/connexion?{query}"))
}

/// The client's address as the rate limits see it (see [`app::ssr::config::Config::client_address`]).
pub fn client_address(
    state: &AppState,
    connect: Option<SocketAddr>,
    headers: &HeaderMap,
) -> String {
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    state
        .config
        .client_address(connect.map(|c| c.ip()), forwarded)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Checks the password; on success opens a fresh session (ending the one the browser had, and its sockets)
/// and goes back. Every failure gives the same answer, whether the account exists or not; only failures are
/// throttled, so the owner of an account is slowed down by nobody's guesses but their own.
pub async fn sign_in(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    previous: Option<Extension<Viewer>>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let now = now_millis();
    let email = form.email.trim().to_lowercase();
    let peer = connect.map(|c| c.0.0);
    let address = client_address(&state, peer, &headers);
    let trusted = address
        .parse()
        .is_ok_and(|ip| state.config.is_trusted_address(ip));
    if let Err(wait) = state.sign_in.check(&email, &address, trusted, now) {
        tracing::warn!(wait_ms = wait.ms, "sign-in throttled");
        let seconds = wait.seconds().to_string();
        let mut response = refusal_with(
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            "error.sign_in_wait",
            &[("s", &seconds)],
        );
        if let Ok(value) = HeaderValue::from_str(&seconds) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let back = safe_back_path(&form.back).to_owned();
    let member = match check_local_login(&state.db, &email, &form.password).await {
        Ok(member) => member,
        Err(err) => {
            tracing::error!(error = %err, "sign-in failed on the database");
            return back_to_sign_in("indisponible", &back);
        }
    };
    let Some(member_id) = member else {
        state.sign_in.failed(&email, &address, now);
        return back_to_sign_in("identifiants", &back);
    };
    state.sign_in.succeeded(&email, &address);
    match current_status(&state.db, member_id).await {
        Ok(Some(MemberStatus::Suspended)) => return back_to_sign_in("suspendu", &back),
        Ok(Some(MemberStatus::Rejected)) => return back_to_sign_in("refuse", &back),
        Ok(_) => {}
        Err(err) => {
            tracing::error!(error = %err, "sign-in failed on the database");
            return back_to_sign_in("indisponible", &back);
        }
    }
    open_session(
        &state,
        previous.map(|Extension(v)| v),
        member_id,
        &back,
        &form.attendance,
    )
    .await
}

/// Opens a session for `member_id` (ending `previous`, the browser's, and its sockets) and goes to `back`.
pub async fn open_session(
    state: &AppState,
    previous: Option<Viewer>,
    member_id: i32,
    back: &str,
    attendance: &str,
) -> Response {
    if let Some(previous) = previous
        && let Err(err) =
            sessions::end_and_close(&state.db, &state.live, &previous.session_hash).await
    {
        tracing::error!(error = %err, "ending the replaced session failed");
        return back_to_sign_in("indisponible", back);
    }
    let attendance = domain::member::Attendance::from_code(attendance).unwrap_or_default();
    match sessions::open(&state.db, member_id, attendance, now_millis()).await {
        Ok(token) => {
            let mut response = see_other(if back == "/connexion" { "/" } else { back });
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
            back_to_sign_in("indisponible", back)
        }
    }
}

/// Ends this browser's session (and its live sockets, on every instance) and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
) -> Response {
    if let Some(Extension(viewer)) = viewer
        && let Err(err) =
            sessions::end_and_close(&state.db, &state.live, &viewer.session_hash).await
    {
        tracing::error!(error = %err, "ending a session failed");
    }
    let mut response = see_other("/");
    if let Ok(cookie) = HeaderValue::from_str(&sessions::clear_cookie(state.secure_cookies())) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
