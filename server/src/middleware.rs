//! Request middleware: who is asking (session cookie → `Viewer` in the request extensions), and refusal of
//! cross-site state-changing requests (Origin / Sec-Fetch-Site).

use app::api::state::AppState;
use app::ssr::{
    identity::sessions::{resolve, token_from_cookies},
    now_millis,
    origin::bearer_token,
};
use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

use crate::refusal::refusal;

/// Resolves the session — the cookie, or `Authorization: Bearer` for tools — and puts the `Viewer` in the
/// request's extensions.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" {
        return next.run(req).await;
    }
    let token = bearer_token(req.headers())
        .map(str::to_owned)
        .or_else(|| token_from_cookies(req.headers(), state.secure_cookies()));
    if let Some(token) = token {
        match resolve(&state.db, &token, now_millis()).await {
            Ok(Some(viewer)) => {
                req.extensions_mut().insert(viewer);
            }
            Ok(None) => {}
            // Reading a page must not fail because the session store hiccuped: serve it as to a visitor.
            Err(err) => tracing::warn!(error = %err, "session lookup failed"),
        }
    }
    next.run(req).await
}

/// How browsers keep the wasm, its JavaScript glue and the stylesheet. Their names do not change between releases,
/// so a browser must ask again at each use (`no-cache`): a new release reaches every laptop at once, never a
/// client that does not match the server's pages. Asking again costs a round trip and no bytes (a 304 from the
/// file's `Last-Modified`); the files themselves are served precompressed when the release build made `.br` and
/// `.gz` copies (`cargo leptos build --release --precompress`, what `make run` does).
pub async fn cache_assets(req: Request, next: Next) -> Response {
    let asset = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    if asset && (response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED) {
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(header::HeaderValue::from_static("no-cache"));
    }
    response
}

/// A page rendering slower than this is reported (an alarm: with the render panics fixed, none is expected).
const RENDER_ALARM: Duration = Duration::from_secs(5);
/// A page rendering still running after this is abandoned with a clear 503: a person never waits forever.
const RENDER_LIMIT: Duration = Duration::from_secs(30);

/// Whether a request renders a Leptos page.
fn renders_a_page(req: &Request) -> bool {
    let path = req.uri().path();
    *req.method() == Method::GET
        && !req.headers().contains_key(header::UPGRADE)
        && !["/api/", "/pkg/", "/auth/", "/healthz", "/favicon"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// Watches page renders. Leptos issues report rare renders that never complete under load
/// (leptos-rs/leptos#4851, #4673); the ones we saw came with the title panics fixed in `i18n::TitleLocale`,
/// and the mixed-load benchmark (`.ci/bench-pages`) now counts none. Should one happen again, it is logged
/// once as `page rendering stalled` after [`RENDER_ALARM`], and the reader gets a 503 asking to reload after
/// [`RENDER_LIMIT`] instead of an endless spinner. Nothing is rendered twice.
pub async fn watch_renders(req: Request, next: Next) -> Response {
    if !renders_a_page(&req) {
        return next.run(req).await;
    }
    let headers = req.headers().clone();
    let path = req.uri().path().to_owned();
    let render = next.run(req);
    tokio::pin!(render);
    if let Ok(response) = tokio::time::timeout(RENDER_ALARM, &mut render).await {
        return response;
    }
    tracing::error!(path, "page rendering stalled");
    match tokio::time::timeout(RENDER_LIMIT - RENDER_ALARM, render).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(path, "page rendering abandoned");
            let mut response = refusal(
                &headers,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.render_stalled",
            );
            if let Ok(value) = header::HeaderValue::from_str("2") {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

/// Refuses state-changing requests (anything but GET/HEAD/OPTIONS, and websocket upgrades) that do not come
/// from one of our pages or from a tool with a bearer token ([`app::ssr::origin::OriginPolicy`]).
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let upgrade = req.headers().contains_key(header::UPGRADE);
    if (!safe || upgrade) && !state.origins.allows(req.headers()) {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
        return refusal(req.headers(), StatusCode::FORBIDDEN, "error.cross_site");
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    };

    use super::*;
    use axum::{Router, body::Body, routing::get};
    use tower::ServiceExt;

    /// A page that renders after `delay`.
    fn page_taking(delay: Duration) -> (Router, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&calls);
        let router = Router::new()
            .route(
                "/motions/1",
                get(move || {
                    let counted = Arc::clone(&counted);
                    async move {
                        counted.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(delay).await;
                        "la motion"
                    }
                }),
            )
            .layer(axum::middleware::from_fn(watch_renders));
        (router, calls)
    }

    fn get_page() -> Request {
        Request::builder()
            .uri("/motions/1")
            .body(Body::empty())
            .unwrap_or_default()
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_page_is_served_once_not_rendered_again() {
        let (router, calls) = page_taking(RENDER_ALARM + Duration::from_secs(1));
        let response = router.oneshot(get_page()).await;
        assert_eq!(response.map(|r| r.status()).ok(), Some(StatusCode::OK));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_page_that_never_renders_gets_a_clear_503_in_french() {
        let (router, calls) = page_taking(Duration::from_secs(3600));
        let response = router.oneshot(get_page()).await.ok();
        assert_eq!(
            response.as_ref().map(Response::status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let body = match response {
            Some(response) => axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap_or_default(),
            None => Default::default(),
        };
        assert!(String::from_utf8_lossy(&body).contains("rechargez"));
    }
}
