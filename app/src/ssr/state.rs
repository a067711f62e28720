//! The one application state, cloned into every request (axum `State`, Leptos context).

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::{LeptosOptions, use_context};
use sea_orm::DatabaseConnection;

use super::{auth::oidc::OidcProvider, config::Config, live::Hub, rate_limit::RateLimiter};
use crate::api::ApiError;

/// Shared by all routes and server functions.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub limiter: Arc<RateLimiter>,
    /// The OpenID providers discovered at start-up, in configuration order.
    pub oidc: Arc<Vec<OidcProvider>>,
    /// The realtime hub: rooms of the motions followed over websockets on this instance.
    pub live: Hub,
    /// Replayed motions and motion views for the current head of each log, shared by every page.
    pub reads: Arc<super::store::reads::Reads>,
    /// This instance's vote writer (group commit) — see [`super::votes`].
    pub votes: super::votes::VoteWriter,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The origins (`scheme://host[:port]`) of the OpenID providers, where sign-in forms lead.
    pub fn oidc_origins(&self) -> Vec<String> {
        self.oidc
            .iter()
            .filter_map(|provider| {
                let issuer = &provider.config().issuer;
                let after_scheme = issuer.find("://")? + 3;
                let end = issuer[after_scheme..]
                    .find('/')
                    .map_or(issuer.len(), |i| after_scheme + i);
                Some(issuer[..end].to_owned())
            })
            .collect()
    }

    /// Whether the public URL is HTTPS, so cookies get `Secure` and the `__Host-` prefix.
    pub fn secure_cookies(&self) -> bool {
        self.config.public_url().starts_with("https://")
    }

    /// The state provided by the router to server functions and SSR.
    ///
    /// # Errors
    /// `Internal` if called outside a request handled by the router (a wiring bug, logged).
    pub fn from_context() -> Result<Self, ApiError> {
        use_context::<AppState>().ok_or_else(|| {
            let reference = super::store::error_reference();
            tracing::error!(%reference, "AppState missing from the Leptos context");
            ApiError::Internal { reference }
        })
    }
}
