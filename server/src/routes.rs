//! HTTP routes outside server functions.

pub mod auth;
pub mod export;
pub mod health;
pub mod language;
pub mod live;
pub mod oidc;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// A `303 See Other` to `location` (the answer to every form post that leads elsewhere).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
