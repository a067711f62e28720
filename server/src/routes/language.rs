//! `POST /langue`: the language switch without JavaScript. Sets the preference cookie and sends the reader
//! back to the page they were on (a local path only: never an open redirect).

use app::{i18n::Locale, ui::layout::locale_cookie};
use axum::{
    Form,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use serde::Deserialize;

/// The form posted by the switch.
#[derive(Debug, Deserialize)]
pub struct SwitchLanguage {
    pub to: String,
    #[serde(default)]
    pub back: String,
}

/// Where to send the reader back: their page if it is a local path, else the home page.
pub fn safe_back_path(back: &str) -> &str {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.contains('\\');
    if local && !back.chars().any(char::is_control) {
        back
    } else {
        "/"
    }
}

/// Sets the cookie and redirects with 303.
pub async fn switch_language(headers: HeaderMap, Form(form): Form<SwitchLanguage>) -> Response {
    let Some(locale) = Locale::from_code(&form.to) else {
        return crate::refusal::refusal(&headers, StatusCode::BAD_REQUEST, "lang.unknown");
    };
    let mut response = super::see_other(safe_back_path(&form.back));
    if let Ok(cookie) = HeaderValue::from_str(&locale_cookie(locale)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(safe_back_path("/motions/1"), "/motions/1");
        assert_eq!(safe_back_path("//evil.example/"), "/");
        assert_eq!(safe_back_path("https://evil.example/"), "/");
        assert_eq!(safe_back_path("/\\evil.example"), "/");
        assert_eq!(safe_back_path(""), "/");
    }
}
