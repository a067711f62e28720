//! The one way routes and middleware refuse a request: a status and a sentence from the translation catalog,
//! in the reader's language (the `hemicycle_lang` cookie; French by default). Also the layer that gives
//! axum's and Leptos's own refusals (bad path or query, body too large, unknown server function…) the same
//! treatment, and server functions' errors their real status.

use app::{
    api::ApiError,
    i18n::{Locale, tr, tr_with},
};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Marks a response whose body is already a sentence for people (the rewriting layer leaves it alone).
#[derive(Clone, Copy, Debug)]
pub struct Worded;

/// The reader's language, from the request's cookies.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    Locale::of_request(headers)
}

/// `status` with the catalog's sentence for `key` in the reader's language, as plain text.
pub fn refusal(headers: &HeaderMap, status: StatusCode, key: &'static str) -> Response {
    refusal_with(headers, status, key, &[])
}

/// [`refusal`] with placeholders filled in.
pub fn refusal_with(
    headers: &HeaderMap,
    status: StatusCode,
    key: &'static str,
    args: &[(&str, &str)],
) -> Response {
    worded(status, tr_with(locale_of(headers), key, args))
}

fn worded(status: StatusCode, text: String) -> Response {
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response();
    response.extensions_mut().insert(Worded);
    response
}

/// The catalog key that says what a bare status means, for refusals that come without a sentence of ours.
fn key_of_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::METHOD_NOT_ALLOWED => "error.method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error.unsupported_media_type",
        StatusCode::UNAUTHORIZED => "error.unauthenticated",
        StatusCode::FORBIDDEN => "error.forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error.too_many",
        status if status.is_server_error() => "error.unavailable",
        _ => "error.bad_request",
    }
}

/// Rewrites refusals that are not ours into sentences in the reader's language, and sets the status of a
/// server function's error from the error itself (the framework answers 500 for all of them, arguments
/// that do not parse included).
pub async fn word_refusals(req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let is_server_fn = req.uri().path().starts_with("/api/fn/");
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Worded>().is_some()
    {
        return response;
    }
    if is_server_fn && response.headers().contains_key("serverfnerror") {
        return with_error_status(response).await;
    }
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !plain {
        // Pages (HTML) and JSON bodies already speak to their reader.
        return response;
    }
    let mut worded = refusal(&headers, status, key_of_status(status));
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            worded.headers_mut().insert(name.clone(), value.clone());
        }
    }
    worded
}

/// The largest server-function error body read to find its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

async fn with_error_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes)
        && parts.status == StatusCode::INTERNAL_SERVER_ERROR
    {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The answer to a request that panicked: a short page in French then English (the reader's cookie is not at
/// hand here), status 500. The panic itself is logged once, by the panic hook, inside the request's span.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let text = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\
         <main><h1>{}</h1><p>{}</p><p lang=\"en\">{}</p></main></body></html>",
        tr(Locale::Fr, "error.title"),
        tr(Locale::Fr, "error.title"),
        tr(Locale::Fr, "error.panicked"),
        tr(Locale::En, "error.panicked"),
    );
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        text,
    )
        .into_response();
    response.extensions_mut().insert(Worded);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_gets_their_language_and_french_by_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(locale_of(&headers), Locale::Fr);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hemicycle_lang=en"),
        );
        assert_eq!(locale_of(&headers), Locale::En);
    }

    #[test]
    fn every_bare_status_has_a_sentence_in_both_languages() {
        for status in [400, 401, 403, 404, 405, 413, 415, 422, 429, 500, 503] {
            let key = key_of_status(StatusCode::from_u16(status).expect("status"));
            let (fr, en) = (tr(Locale::Fr, key), tr(Locale::En, key));
            assert!(!fr.starts_with("error."), "{status}: {fr}");
            assert_ne!(fr, en, "{status}");
        }
    }
}
