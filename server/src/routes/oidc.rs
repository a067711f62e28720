//! Sign-in with OpenID Connect: `POST /auth/oidc/{provider}` starts (state, nonce, PKCE kept server-side and
//! bound to this browser by a short-lived cookie), `GET /auth/oidc/callback` finishes, matches the person to
//! a member by verified e-mail (never by `sub`, which ProConnect varies per service) and opens a session.

use app::api::state::AppState;
use app::ssr::{
    auth::oidc::{PENDING_LOGIN_TTL_SECS, PendingLogin},
    cookies,
    identity::{Viewer, members::current_status, secrets, sessions},
    now_millis,
    store::entities::{login_flow, member},
};
use axum::{
    Extension,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::Response,
};
use domain::member::MemberStatus;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use super::see_other;

const FLOW_COOKIE: &str = "hemicycle_oidc";

fn flow_cookie(state: &str, secure: bool, max_age: i64) -> String {
    cookies::set(FLOW_COOKIE, state, "/auth/oidc", max_age, secure)
}

/// Starts a login with `provider`: records the pending login and sends the browser to the provider.
pub async fn start(State(state): State<AppState>, Path(provider_id): Path<String>) -> Response {
    let Some(provider) = state.oidc.iter().find(|p| p.config().id == provider_id) else {
        return see_other("/connexion?erreur=oidc");
    };
    // Abandoned logins are dropped here rather than by a background task: starting a login is rare.
    let stale_before = now_millis() - PENDING_LOGIN_TTL_SECS * 1000;
    if let Err(err) = login_flow::Entity::delete_many()
        .filter(login_flow::Column::CreatedAt.lt(stale_before))
        .exec(&state.db)
        .await
    {
        tracing::warn!(error = %err, "dropping stale OpenID logins failed");
    }
    let (url, pending) = provider.start_login();
    let Ok(json) = serde_json::to_string(&pending) else {
        return see_other("/connexion?erreur=oidc");
    };
    let stored = login_flow::ActiveModel {
        state_hash: Set(secrets::token_hash(&pending.state)),
        pending: Set(json),
        created_at: Set(now_millis()),
    }
    .insert(&state.db)
    .await;
    if let Err(err) = stored {
        tracing::error!(error = %err, "storing a pending OpenID login failed");
        return see_other("/connexion?erreur=indisponible");
    }
    let mut response = see_other(&url);
    if let Ok(cookie) = HeaderValue::from_str(&flow_cookie(
        &pending.state,
        state.secure_cookies(),
        PENDING_LOGIN_TTL_SECS,
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

fn cookie_state(headers: &HeaderMap) -> Option<String> {
    cookies::get(headers, FLOW_COOKIE)
}

/// Finishes the login: the state must be the one this browser started with, and single-use.
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
    previous: Option<Extension<Viewer>>,
) -> Response {
    let fail = |reason: &str| {
        tracing::warn!(reason, "OpenID sign-in refused");
        let mut response = see_other("/connexion?erreur=oidc");
        if let Ok(cookie) = HeaderValue::from_str(&flow_cookie("", state.secure_cookies(), 0)) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        response
    };
    if query.error.is_some() {
        return fail("the provider answered with an error (cancelled?)");
    }
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return fail("no code or state");
    };
    if cookie_state(&headers).as_deref() != Some(returned_state.as_str()) {
        return fail("the state does not belong to this browser");
    }
    // Single use: the pending login is deleted whatever happens next.
    let hash = secrets::token_hash(&returned_state);
    let flow = match login_flow::Entity::find_by_id(hash.clone())
        .one(&state.db)
        .await
    {
        Ok(Some(flow)) => flow,
        Ok(None) => return fail("unknown or already used state"),
        Err(err) => {
            tracing::error!(error = %err, "reading a pending OpenID login failed");
            return see_other("/connexion?erreur=indisponible");
        }
    };
    if login_flow::Entity::delete_by_id(hash)
        .exec(&state.db)
        .await
        .map(|r| r.rows_affected)
        != Ok(1)
    {
        return fail("the pending login was used concurrently");
    }
    let Ok(pending) = serde_json::from_str::<PendingLogin>(&flow.pending) else {
        return fail("unreadable pending login");
    };
    let Some(provider) = state
        .oidc
        .iter()
        .find(|p| p.config().id == pending.provider_id)
    else {
        return fail("provider no longer configured");
    };
    let identity = match provider
        .finish_login(&pending, &returned_state, &code)
        .await
    {
        Ok(identity) => identity,
        Err(err) => {
            tracing::warn!(error = %err, provider = %pending.provider_id, "OpenID sign-in failed");
            return fail("the provider's answer did not verify");
        }
    };
    if !(identity.email_verified || provider.config().trust_email) {
        return fail("the e-mail address is not verified by the provider");
    }
    let found = member::Entity::find()
        .filter(member::Column::Email.eq(identity.email.clone()))
        .one(&state.db)
        .await;
    let member_id = match found {
        Ok(Some(member)) => member.id,
        Ok(None) => return see_other("/connexion?erreur=inconnu"),
        Err(err) => {
            tracing::error!(error = %err, "matching an OpenID identity failed");
            return see_other("/connexion?erreur=indisponible");
        }
    };
    // A suspended or rejected member is told so here, rather than given a session that can do nothing.
    match current_status(&state.db, member_id).await {
        Ok(Some(MemberStatus::Suspended)) => return see_other("/connexion?erreur=suspendu"),
        Ok(Some(MemberStatus::Rejected)) => return see_other("/connexion?erreur=refuse"),
        Ok(_) => {}
        Err(err) => {
            tracing::error!(error = %err, "reading a member's status failed");
            return see_other("/connexion?erreur=indisponible");
        }
    }
    if let Some(Extension(previous)) = previous
        && let Err(err) =
            sessions::end_and_close(&state.db, &state.live, &previous.session_hash).await
    {
        tracing::error!(error = %err, "ending the replaced session failed");
        return see_other("/connexion?erreur=indisponible");
    }
    match sessions::open(
        &state.db,
        member_id,
        domain::member::Attendance::default(),
        now_millis(),
    )
    .await
    {
        Ok(token) => {
            let mut response = see_other("/");
            let secure = state.secure_cookies();
            for cookie in [
                sessions::session_cookie(&token, secure),
                flow_cookie("", secure, 0),
            ] {
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            tracing::info!(member.id = member_id, provider = %pending.provider_id, "signed in with OpenID");
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "opening a session failed");
            see_other("/connexion?erreur=indisponible")
        }
    }
}
