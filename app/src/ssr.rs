//! Server-only adapters used by the server functions and the binary: configuration, state, storage, demo data.
//! Compiled with the `ssr` feature only; nothing here reaches the browser.

pub mod auth;
pub mod config;
pub mod cookies;
pub mod demo;
pub mod identity;
pub mod live;
pub mod origin;
pub mod rate_limit;
pub mod store;
pub mod votes;

/// Milliseconds since the Unix epoch: the one place the server reads the clock for events.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The Content-Security-Policy of a response. Pages get a per-request nonce for the hydration scripts;
/// `'wasm-unsafe-eval'` lets the browser compile our WebAssembly, nothing else is evaluated.
///
/// `form_targets` are the origins our forms may lead to besides ours: the OpenID providers, whose sign-in
/// buttons post to us and are redirected there (`form-action` also governs those redirects).
pub fn content_security_policy(nonce: Option<&str>, form_targets: &[String]) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    let mut form_action = String::from("'self'");
    for target in form_targets {
        form_action.push(' ');
        form_action.push_str(target);
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action {form_action}; \
         frame-ancestors 'none'"
    )
}
