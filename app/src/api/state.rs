//! The one application state, cloned into every request (axum `State`, Leptos context), built in one place for
//! the binary and the tests alike; and what a server function reads from its request: the state, the viewer.
//! Server-only (`ssr`): the edge between Leptos and the adapters of `crate::ssr`.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::{LeptosOptions, use_context};
use sea_orm::DatabaseConnection;

use super::ApiError;
use crate::ssr::{
    auth::oidc::OidcProvider,
    config::Config,
    identity::Viewer,
    live::{Hub, Limits},
    origin::{OriginPolicy, origin_of},
    rate_limit::{RegistrationLimits, SignInThrottle},
};

/// Shared by all routes and server functions.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Registrations per e-mail and per address.
    pub registrations: Arc<RegistrationLimits>,
    /// Failed sign-ins, by account and address (see [`SignInThrottle`]).
    pub sign_in: Arc<SignInThrottle>,
    /// Which pages may post to us and open live sockets (from the public URL).
    pub origins: Arc<OriginPolicy>,
    /// The OpenID providers discovered at start-up, in configuration order.
    pub oidc: Arc<Vec<OidcProvider>>,
    /// The realtime hub: rooms of the motions followed over websockets on this instance.
    pub live: Hub,
    /// The state of each motion at its log's head: commands take and give it back, pages read it.
    pub heads: Arc<crate::ssr::store::log::Heads>,
    /// The reader's view of each motion at its head, shared by every page.
    pub views: Arc<super::views::ViewCache>,
    /// This instance's vote writer (group commit) — see [`crate::ssr::votes`].
    pub votes: crate::ssr::votes::VoteWriter,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state of one instance: starts its realtime hub (and, on PostgreSQL, its link to the other
    /// instances), its vote writer and live tallies. Must be called inside the Tokio runtime.
    ///
    /// # Errors
    /// When the public URL cannot be parsed (the configuration checks it before).
    pub fn new(
        db: DatabaseConnection,
        config: Config,
        leptos_options: LeptosOptions,
        oidc: Vec<OidcProvider>,
        limits: Limits,
    ) -> Result<Self, url::ParseError> {
        let origins = OriginPolicy::new(&config.public_url())?;
        let live = Hub::start(db.clone(), limits);
        Ok(AppState {
            votes: crate::ssr::votes::start(db.clone(), live.clone()),
            db,
            config: Arc::new(config),
            leptos_options,
            registrations: Arc::default(),
            sign_in: Arc::default(),
            origins: Arc::new(origins),
            oidc: Arc::new(oidc),
            live,
            heads: Arc::default(),
            views: Arc::default(),
        })
    }

    /// What a motion's commands work with.
    pub fn commands(&self) -> crate::ssr::store::commands::Ctx<'_> {
        crate::ssr::store::commands::Ctx {
            db: &self.db,
            heads: &self.heads,
            live: &self.live,
        }
    }

    /// The origins (`scheme://host[:port]`) of the OpenID providers, where sign-in forms lead.
    pub fn oidc_origins(&self) -> Vec<String> {
        self.oidc
            .iter()
            .filter_map(|provider| origin_of(&provider.config().issuer))
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
        use_context::<AppState>()
            .ok_or_else(|| ApiError::internal("AppState missing from the context"))
    }
}

/// The viewer of the request being rendered or served, if signed in (put there by the session middleware).
pub fn current_viewer() -> Option<Viewer> {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
}

/// The viewer, or `Unauthenticated`.
///
/// # Errors
/// `Unauthenticated` when no valid session came with the request.
pub fn require_viewer() -> Result<Viewer, ApiError> {
    current_viewer().ok_or(ApiError::Unauthenticated)
}
