//! Request middleware: who is asking (session cookie → `Viewer` in the request extensions), and refusal of
//! cross-site state-changing requests (Origin / Sec-Fetch-Site).

use app::ssr::{
    identity::sessions::{resolve, token_from_cookies},
    now_millis,
    state::AppState,
};
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
    use super::*;
    use axum::http::HeaderValue;

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
