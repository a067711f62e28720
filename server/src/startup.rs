//! Building the router and running the server until SIGINT/SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use app::{
    App,
    api::state::AppState,
    shell,
    ssr::{config::Config, content_security_policy, demo, live::Limits, now_millis, store},
};
use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
    routing::{get, post},
    serve::ListenerExt,
};
use leptos::prelude::LeptosOptions;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::{
    middleware::{cache_assets, refuse_cross_site, resolve_viewer, watch_renders},
    refusal::{panicked, word_refusals},
    routes::{
        auth::{sign_in, sign_out},
        export::{self, Exports},
        health::healthz,
        language::switch_language,
        live, oidc,
    },
};

/// Leptos options for a given listen address and asset folder.
pub fn leptos_options(site_addr: SocketAddr, site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hemicycle")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .build()
}

/// The largest request body accepted (a long motion's draft, a CSV of a few thousand delegates): larger ones
/// get 413 before anything reads them.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The span of one request: method, path and the `x-request-id` the client sees, so every log line of the
/// request (an error, a panic) can be found from what the person reports.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", method = %request.method(), path = request.uri().path(), request.id = id)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The whole HTTP application: pages, server functions, routes, static assets, headers and compression.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // The wasm, its glue and the stylesheet, served by `ServeDir` itself (not the fallback, which drops the
    // conditional headers): a revalidation is a 304, and the build's brotli or gzip copy is sent as it is.
    let assets =
        ServeDir::new(std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir))
            .precompressed_br()
            .precompressed_gzip();
    let assets_path = format!("/{}", options.site_pkg_dir);
    // Responses that are not pages (JSON, assets, redirects) run no script at all.
    let default_csp = HeaderValue::from_str(&content_security_policy(None, &[]))
        .unwrap_or(HeaderValue::from_static("default-src 'self'"));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/langue", post(switch_language))
        .route("/connexion", post(sign_in))
        .route("/deconnexion", post(sign_out))
        .route("/auth/oidc/callback", get(oidc::callback))
        .route("/auth/oidc/{provider}", post(oidc::start))
        .route("/api/v1/motions/{id}/live", get(live::live))
        .route("/api/v1/motions/{id}/export/{file}", get(export::export))
        .nest_service(&assets_path, assets)
        .leptos_routes_with_context(&state, routes, leptos::nonce::provide_nonce, move || {
            shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            leptos::nonce::provide_nonce,
            shell,
        ))
        .layer(axum::Extension(std::sync::Arc::new(Exports::default())))
        .layer(axum::middleware::from_fn(watch_renders))
        .layer(axum::middleware::from_fn(cache_assets))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_viewer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn(word_refusals))
        // Inside the trace span, so the panic hook's one log line carries the request's method, path and id.
        .layer(CatchPanicLayer::custom(panicked))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(())
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            default_csp,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
        .layer(header_layer(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Binds, opens and migrates the database, seeds the demo if asked, then serves until a shutdown signal.
///
/// # Errors
/// Start-up failures, each with a sentence for the operator (port taken, database unreachable, migration).
pub async fn run(config: Config) -> anyhow::Result<()> {
    // Bind first: if the port is taken, nothing else (database file, migrations) is touched.
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
                "le port {addr} est déjà utilisé : arrêtez l’autre programme ou choisissez un autre port avec \
                 LEPTOS_SITE_ADDR / address {addr} is already in use: stop the other program or set \
                 LEPTOS_SITE_ADDR",
                addr = config.site_addr
            ),
            _ => anyhow::anyhow!(
                "impossible d’écouter sur {addr} / cannot listen on {addr}: {err}",
                addr = config.site_addr
            ),
        })?;
    let db = store::open(&config.database_url).await?;
    tracing::info!(database = store::backend_name(&db), "database ready");
    if let Some(addr) = config.metrics_addr {
        crate::metrics::serve(addr, crate::metrics::install()?, db.clone()).await?;
    }

    let local_addr = listener
        .local_addr()
        .context("reading the listen address")?;
    let mut config = config;
    config.site_addr = local_addr;
    let providers = discover_providers(&config.public_url()).await?;
    let options = leptos_options(local_addr, &config.site_root);
    let public_url = config.public_url();
    let demo_requested = config.demo;
    let state = AppState::new(db.clone(), config, options, providers, Limits::default())
        .context("reading HEMICYCLE_PUBLIC_URL")?;

    if demo_requested {
        let summary = demo::seed(&state.db, now_millis()).await.map_err(|err| {
            anyhow::anyhow!(
                "le congrès de démonstration n’a pas pu être créé / demo seeding failed: {err}"
            )
        })?;
        println!(
            "Congrès de démonstration {} / demo congress {}: {public_url}/motions/{}",
            if summary.created {
                "créé"
            } else {
                "déjà présent"
            },
            if summary.created {
                "created"
            } else {
                "already there"
            },
            summary.motion_id
        );
        let accounts = demo::seed_accounts(&state.db, now_millis()).await.map_err(|err| {
            anyhow::anyhow!(
                "les comptes de démonstration n’ont pas pu être créés / demo accounts failed: {err}"
            )
        })?;
        println!(
            "Comptes de démonstration (démo uniquement) / demo accounts (demo only) — {public_url}/connexion :"
        );
        for account in accounts {
            println!(
                "  {:<10} {:<20} {:<38} {}",
                account.role.code(),
                account.name,
                account.email,
                account.password
            );
        }
    }

    let hub = state.live.clone();
    let router = build_router(state);
    println!("Hémicycle écoute sur / listens on {public_url}");
    tracing::info!(addr = %local_addr, "listening");
    axum::serve(
        listener.tap_io(|tcp| {
            // Live frames are small and must leave at once, not wait for the previous one's ACK.
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "TCP_NODELAY not set");
            }
        }),
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Upgraded sockets are not HTTP requests the server waits for: tell them to reconnect elsewhere.
        hub.stop();
    })
    .await
    .context("serving HTTP")?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Discovers the configured OpenID providers. A malformed configuration stops the start-up; a provider that
/// cannot be reached is skipped with a warning (local accounts keep working, the button is not shown).
///
/// # Errors
/// When `HEMICYCLE_OIDC_PROVIDERS` is not valid.
pub async fn discover_providers(
    public_url: &str,
) -> anyhow::Result<Vec<app::ssr::auth::oidc::OidcProvider>> {
    use app::ssr::auth::oidc::{CALLBACK_PATH, OidcProvider, http_client, providers_from_env};
    let configs =
        providers_from_env().map_err(|err| anyhow::anyhow!("HEMICYCLE_OIDC_PROVIDERS : {err}"))?;
    if configs.is_empty() {
        return Ok(Vec::new());
    }
    let http = http_client().context("building the HTTP client for OpenID")?;
    let mut providers = Vec::new();
    for config in configs {
        let id = config.id.clone();
        match OidcProvider::discover(config, format!("{public_url}{CALLBACK_PATH}"), http.clone())
            .await
        {
            Ok(provider) => {
                tracing::info!(provider = %id, "OpenID provider ready");
                providers.push(provider);
            }
            Err(err) => {
                tracing::warn!(provider = %id, error = %err, "OpenID provider unreachable; its button is hidden")
            }
        }
    }
    Ok(providers)
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
