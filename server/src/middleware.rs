//! Request middleware: who is asking (session cookie → `Viewer` in the request extensions), and refusal of
//! cross-site state-changing requests (Origin / Sec-Fetch-Site).

use app::ssr::{
    identity::sessions::{resolve, token_from_cookies},
    now_millis,
    state::AppState,
};
use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Resolves the session cookie, if any, and puts the `Viewer` in the request's extensions.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" {
        return next.run(req).await;
    }
    let token = token_from_cookies(
        req.headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
        state.secure_cookies(),
    );
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

/// Whether a request comes from one of our own pages (or from a non-browser client, which sends neither
/// `Origin` nor `Sec-Fetch-Site` and cannot carry a victim's cookies anyway).
pub fn is_same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        if let Some(public) = public_url {
            return origin.eq_ignore_ascii_case(public_origin(public));
        }
        // No public URL configured: the page's origin must name the host the request was sent to.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

fn public_origin(url: &str) -> &str {
    // scheme://host[:port], without any path.
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

/// How long a page's first rendering may take before it is abandoned and started again; each new attempt
/// waits twice as long (1.5 s, 3 s, 6 s), so a page that is slow for a good reason still gets through.
const RENDER_PATIENCE: Duration = Duration::from_millis(1_500);
/// Renders tried before answering 503.
const RENDER_ATTEMPTS: u32 = 3;

/// Whether a request renders a Leptos page (the only requests worth rendering again).
fn renders_a_page(req: &Request) -> bool {
    let path = req.uri().path();
    *req.method() == Method::GET
        && !req.headers().contains_key(header::UPGRADE)
        && !["/api/", "/pkg/", "/auth/", "/healthz", "/favicon"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// Renders a page again when its server rendering stalls.
///
/// Leptos 0.8 (up to 0.8.23 at least) has a rare race between parallel `<Suspense>` boundaries in which a
/// page's async rendering never completes (leptos-rs/leptos#4851, #4673; the fixes released so far make it
/// rarer, not impossible): the connection stays open with nothing sent. Our integration tests saw about three
/// renders in a hundred stall under load on two cores. A GET page render has no side effect, so after
/// [`RENDER_PATIENCE`] without response headers the render is dropped and tried again, and after
/// [`RENDER_ATTEMPTS`] the visitor gets a clear 503 instead of an endless spinner. Every retry is logged.
pub async fn retry_stalled_render(req: Request, next: Next) -> Response {
    if !renders_a_page(&req) {
        return next.run(req).await;
    }
    let (parts, _) = req.into_parts();
    let mut patience = RENDER_PATIENCE;
    for attempt in 1..=RENDER_ATTEMPTS {
        let request = Request::from_parts(parts.clone(), axum::body::Body::empty());
        let rendered = tokio::time::timeout(patience, next.clone().run(request)).await;
        patience *= 2;
        match rendered {
            Ok(response) => return response,
            Err(_) => tracing::warn!(
                path = parts.uri.path(),
                attempt,
                "page rendering stalled; rendering it again"
            ),
        }
    }
    tracing::error!(
        path = parts.uri.path(),
        "page rendering stalled at every attempt"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "2")],
        "La page n’a pas pu être préparée à temps : rechargez-la. / The page could not be prepared in time: \
         reload it.",
    )
        .into_response()
}

/// Refuses state-changing requests (anything but GET/HEAD/OPTIONS, and websocket upgrades) from other sites.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let upgrade = req.headers().contains_key(header::UPGRADE);
    if (!safe || upgrade) && !is_same_origin(req.headers(), state.config.public_url.as_deref()) {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle ne vient pas d’une page de Hémicycle. / Request refused: it does not come \
             from a Hémicycle page.",
        )
            .into_response();
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
    use axum::{Router, body::Body, http::HeaderValue, routing::get};
    use tower::ServiceExt;

    /// A page whose first `stalls` renderings never finish, like a render caught in the Suspense race.
    fn page_stalling(stalls: u32) -> (Router, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&calls);
        let router = Router::new()
            .route(
                "/motions/1",
                get(move || {
                    let counted = Arc::clone(&counted);
                    async move {
                        if counted.fetch_add(1, Ordering::SeqCst) < stalls {
                            std::future::pending::<()>().await;
                        }
                        "la motion"
                    }
                }),
            )
            .layer(axum::middleware::from_fn(retry_stalled_render));
        (router, calls)
    }

    fn get_page() -> Request {
        Request::builder()
            .uri("/motions/1")
            .body(Body::empty())
            .unwrap_or_default()
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_page_rendering_is_tried_again_and_served() {
        let (router, calls) = page_stalling(2);
        let response = router.oneshot(get_page()).await;
        assert_eq!(response.map(|r| r.status()).ok(), Some(StatusCode::OK));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_page_that_never_renders_gets_a_clear_503_after_three_tries() {
        let (router, calls) = page_stalling(u32::MAX);
        let response = router.oneshot(get_page()).await.ok();
        assert_eq!(
            response.as_ref().map(Response::status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(calls.load(Ordering::SeqCst), RENDER_ATTEMPTS);
        let body = match response {
            Some(response) => axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap_or_default(),
            None => Default::default(),
        };
        assert!(String::from_utf8_lossy(&body).contains("rechargez-la"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn origins_are_compared_with_the_public_url_or_the_host() {
        let public = Some("https://congres.example.fr");
        assert!(is_same_origin(
            &headers(&[("origin", "https://congres.example.fr")]),
            public
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            public
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), public));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            None
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "http://evil:3000"), ("host", "127.0.0.1:3000")]),
            None
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(
            is_same_origin(&headers(&[]), None),
            "tools send neither header"
        );
    }
}
