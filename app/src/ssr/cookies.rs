//! Cookies, read and written with the `cookie` crate: the one place their attributes are decided. Every cookie
//! of ours is `HttpOnly` (but the language preference, which the page itself may set), `SameSite=Lax` (the
//! redirect back from an OpenID provider must carry the pending login), and `Secure` when the public URL is
//! https.

use axum::http::{HeaderMap, header};
use cookie::{Cookie, SameSite, time::Duration};

/// The non-empty value of cookie `name` in a request's `Cookie` headers, if any.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

/// A `Set-Cookie` value: `name=value` for `path`, kept `max_age_secs` (0 removes it).
pub fn set(name: &str, value: &str, path: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name.to_owned(), value.to_owned()))
        .path(path.to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_cookie_is_found_among_others_and_an_empty_one_is_none() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("hemicycle_lang=fr; hemicycle_session=tok"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("other=1; empty="));
        assert_eq!(get(&headers, "hemicycle_session").as_deref(), Some("tok"));
        assert_eq!(get(&headers, "other").as_deref(), Some("1"));
        assert_eq!(get(&headers, "empty"), None);
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn our_cookies_are_httponly_lax_and_secure_with_https() {
        let cookie = set("__Host-hemicycle_session", "abc", "/", 60, true);
        for attr in [
            "__Host-hemicycle_session=abc",
            "HttpOnly",
            "SameSite=Lax",
            "Path=/",
            "Secure",
            "Max-Age=60",
        ] {
            assert!(cookie.contains(attr), "{cookie}");
        }
        assert!(!set("hemicycle_session", "abc", "/", 60, false).contains("Secure"));
        assert!(set("hemicycle_session", "", "/", 0, false).contains("Max-Age=0"));
    }
}
