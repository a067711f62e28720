//! Server-rendered pages: readable without JavaScript, in French by default, in English on request.

use app::api::ApiError;

use crate::support::{BOTH, Backend, TestApp};

#[tokio::test]
async fn the_home_page_lists_the_demo_edition_and_its_motion_in_french() {
    for backend in BOTH {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("body");
        assert!(html.contains("lang=\"fr\""), "{backend:?}: html lang");
        assert!(
            html.contains("Congrès et motions"),
            "{backend:?}: French heading"
        );
        assert!(
            html.contains("6e Congrès national des élu·es au numérique"),
            "{backend:?}: edition"
        );
        assert!(
            html.contains("Le 10 décembre 2026"),
            "{backend:?}: French date"
        );
        assert!(
            html.contains(&format!("href=\"/motions/{}\"", app.demo_motion)),
            "{backend:?}: link"
        );
        assert!(
            html.contains("12 paragraphes"),
            "{backend:?}: paragraph count"
        );
        assert!(html.contains("Amendements ouverts"), "{backend:?}: phase");
    }
}

#[tokio::test]
async fn the_language_cookie_renders_the_page_in_english() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let html = app
        .get_with_cookie("/", "hemicycle_lang=en")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Congresses and motions"));
    assert!(html.contains("On 10 December 2026"));
    assert!(!html.contains("Congrès et motions"));
}

#[tokio::test]
async fn the_motion_page_shows_every_paragraph_with_continuous_line_numbers() {
    for backend in BOTH {
        let app = TestApp::spawn(backend).await;
        let html = app
            .get(&format!("/motions/{}", app.demo_motion))
            .await
            .text()
            .await
            .expect("body");
        assert!(html.contains("Motion 2026 : un numérique public proche des habitants"));
        for section in [
            "Inclusion numérique : n’oublier personne",
            "La mairie, premier lieu d’accès aux services publics",
            "Mutualiser entre communes sans déposséder les communes",
        ] {
            assert!(html.contains(section), "{backend:?}: section {section}");
        }
        assert_eq!(
            html.matches("class=\"paragraph\"").count(),
            12,
            "{backend:?}"
        );
        assert!(html.contains("Paragraphe 12"), "{backend:?}");
        // The first paragraph starts at line 1 and the numbering runs on across sections.
        assert!(html.contains("Paragraphe 1 — l. 1 à "), "{backend:?}");
        let last_label = html
            .split("Paragraphe 12 — l. ")
            .nth(1)
            .expect("label of paragraph 12");
        let first_of_last: u32 = last_label
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a line number");
        assert!(
            first_of_last > 30,
            "line numbers must run on across the motion, got {first_of_last}"
        );
        assert!(
            html.contains("Des millions de personnes renoncent"),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn an_unknown_motion_is_a_404_with_a_french_message() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for path in ["/motions/99999", "/motions/abc", "/pas-de-page-ici"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains("Cette page n’existe pas ou n’existe plus."),
            "{path}"
        );
    }
}

#[tokio::test]
async fn pages_send_a_csp_whose_nonce_is_on_the_inline_scripts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy carries a nonce")
        .to_owned();
    assert!(nonce.len() >= 16, "nonce too short: {nonce}");
    let html = response.text().await.expect("body");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script must carry the nonce"
    );
    let other = app.get("/").await.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(csp, other, "a nonce is used once");
}

#[tokio::test]
async fn the_language_form_sets_the_cookie_and_only_goes_back_to_local_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let post = |to: &str, back: &str| {
        app.client
            .post(app.url("/langue"))
            .header("origin", app.url(""))
            .form(&[("to", to), ("back", back)])
            .send()
    };
    let response = post("en", "/motions/1").await.expect("sent");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/motions/1");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("hemicycle_lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    let response = post("fr", "//evil.example/").await.expect("sent");
    assert_eq!(response.headers()["location"], "/");

    let response = post("klingon", "/").await.expect("sent");
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Langue inconnue")
    );
}

#[tokio::test]
async fn a_server_function_answers_not_found_as_a_typed_error_without_internals() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app
        .client
        .post(app.url("/api/fn/get_motion"))
        .header("origin", app.url(""))
        .form(&[("id", "424242")])
        .send()
        .await
        .expect("sent");
    assert!(!response.status().is_success());
    let body = response.text().await.expect("body");
    let error: ApiError = serde_json::from_str(&body).expect("the body is an ApiError");
    assert_eq!(error, ApiError::NotFound);
}

#[tokio::test]
async fn assets_are_served_precompressed_and_revalidated_at_each_use() {
    // A site folder of its own, as a release build with `--precompress` leaves it.
    let site = std::env::temp_dir().join(format!("hemicycle-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).expect("site folder");
    let css = "body { color: #161616; }\n".repeat(40);
    std::fs::write(site.join("pkg/hemicycle.css"), &css).expect("css");
    // What the browser gets is the file the build compressed, byte for byte (here a marker, not real brotli).
    std::fs::write(site.join("pkg/hemicycle.css.br"), b"brotli bytes").expect("br");
    let root = site.to_string_lossy().into_owned();
    let app = TestApp::spawn_configured(Backend::Sqlite, Vec::new(), |config| {
        config.site_root = root;
    })
    .await;
    let url = format!("http://{}/pkg/hemicycle.css", app.addr);
    let client = reqwest::Client::new();

    let brotli = client
        .get(&url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("css answers");
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["cache-control"], "no-cache");
    let modified = brotli.headers()["last-modified"].clone();
    assert_eq!(&brotli.bytes().await.expect("body")[..], b"brotli bytes");

    let plain = client.get(&url).send().await.expect("css answers");
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    assert_eq!(plain.text().await.expect("body"), css);

    // Asking again costs no bytes while the file has not changed.
    let again = client
        .get(&url)
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("css answers");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["cache-control"], "no-cache");

    // Pages are not assets: they keep their own caching rules.
    let page = app.get("/").await;
    assert_ne!(
        page.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("no-cache")
    );
    let _ = std::fs::remove_dir_all(&site);
}
