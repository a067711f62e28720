//! `GET /healthz`: is the server up and does the database answer.

use std::time::Duration;

use app::api::state::AppState;
use app::ssr::store;
use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;

/// The health report.
#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub version: &'static str,
}

/// 200 with `database: "ok"`, or 503 with `database: "unreachable"` when the database does not answer
/// within two seconds.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let reachable = tokio::time::timeout(Duration::from_secs(2), store::is_reachable(&state.db))
        .await
        .unwrap_or(false);
    let version = env!("CARGO_PKG_VERSION");
    if reachable {
        (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
                version,
            }),
        )
    } else {
        tracing::warn!("health check: database unreachable");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable",
                database: "unreachable",
                version,
            }),
        )
    }
}
