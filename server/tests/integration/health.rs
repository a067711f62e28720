use serde_json::Value;

use crate::support::{BOTH, TestApp};

#[tokio::test]
async fn healthz_says_ok_with_the_database_and_the_version() {
    for backend in BOTH {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["status"], "ok", "{backend:?}");
        assert_eq!(body["database"], "ok", "{backend:?}");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    }
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_down() {
    for backend in BOTH {
        let app = TestApp::spawn(backend).await;
        // Closing the pool shared with the server makes every query fail, as a lost database would.
        app.db.clone().close().await.expect("pool closes");
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 503, "{backend:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["database"], "unreachable", "{backend:?}");
    }
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let app = TestApp::spawn(crate::support::Backend::Sqlite).await;
    let response = app.get("/healthz").await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}
