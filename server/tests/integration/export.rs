//! The hand-over dossier over HTTP, on both engines: who may export before the final vote; after it, every
//! file public at its stable URL, built at the adopting event, with the reader's line numbers; and
//! `hemicycle verify-dossier` accepting the real dossier and catching altered ones, with and without the log.

use std::process::Command;

use app::api::MotionView;
use domain::document::MotionDocument;

use crate::{
    support::{BOTH, TestApp},
    votes::{People, admissible_amendment_in_session, close, ok, open_on_amendment, vote_ok},
};

const ADOPTED: &str = "Les mairies accueillent chaque habitant qui peine avec une démarche en ligne : \
                       l'accueil humain reste un droit.";

fn path(motion: i32, file: &str) -> String {
    format!("/api/v1/motions/{motion}/export/{file}")
}

async fn body_of(response: reqwest::Response) -> (u16, Vec<u8>) {
    let status = response.status().as_u16();
    (status, response.bytes().await.expect("body").to_vec())
}

fn verify_dossier(url: &str, file: &std::path::Path, with_database: bool) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemicycle"));
    command
        .arg("verify-dossier")
        .arg(file)
        .env("DATABASE_URL", url)
        .env_remove("HEMICYCLE_DEMO")
        .env("RUST_LOG", "error");
    if with_database {
        command.arg("--with-database");
    }
    let output = command.output().expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

/// Runs the demo congress to its end: an amendment adopted by ballot, then the final vote.
async fn adopt(app: &TestApp, people: &People) {
    let amendment = admissible_amendment_in_session(app, people, ADOPTED).await;
    let ballot = open_on_amendment(app, people, amendment, &[]).await;
    vote_ok(app, &people.amelie, ballot, "pour", "e-1").await;
    vote_ok(app, &people.karim, ballot, "pour", "e-2").await;
    vote_ok(app, &people.sophie, ballot, "contre", "e-3").await;
    assert_eq!(close(app, people, ballot, None).await.0, 200);
    let motion = app.demo_motion.to_string();
    let last: i32 = ok(
        app,
        "open_ballot",
        &people.chair,
        &[("motion_id", &motion), ("subject", "motion")],
    )
    .await
    .parse()
    .expect("id");
    vote_ok(app, &people.amelie, last, "pour", "e-4").await;
    vote_ok(app, &people.karim, last, "pour", "e-5").await;
    assert_eq!(close(app, people, last, None).await.0, 200);
}

#[tokio::test]
async fn before_the_final_vote_only_organizers_export_a_working_version() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion;

        let (status, body) = body_of(app.get(&path(motion, "motion.pdf")).await).await;
        assert_eq!(status, 401, "{backend:?}");
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("pas encore adoptée"), "{text}");
        let (status, body) = body_of(
            app.get_with_cookie(&path(motion, "motion.pdf"), "hemicycle_lang=en")
                .await,
        )
        .await;
        assert_eq!(status, 401, "{backend:?}");
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("not adopted yet") && !text.contains("pas encore"),
            "in the reader's language only: {text}"
        );
        let (status, _) = body_of(
            app.get_with_cookie(&path(motion, "motion.json"), &people.amelie)
                .await,
        )
        .await;
        assert_eq!(status, 403, "a delegate does not export a draft");

        let response = app
            .get_with_cookie(&path(motion, "motion.json"), &people.organizer)
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("private, no-store")
        );
        let doc: MotionDocument = serde_json::from_slice(&body_of(response).await.1).expect("JSON");
        assert!(!doc.status.is_final(), "{:?}", doc.status);
        assert!(doc.status.label_fr().starts_with("Version de travail du "));

        let (status, pdf) = body_of(
            app.get_with_cookie(&path(motion, "motion.pdf"), &people.organizer)
                .await,
        )
        .await;
        assert_eq!(status, 200);
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");

        for bad in [path(motion, "motion.exe"), path(9999, "motion.pdf")] {
            let (status, body) = body_of(app.get_with_cookie(&bad, &people.organizer).await).await;
            assert_eq!(status, 404, "{bad}");
            assert!(String::from_utf8_lossy(&body).contains("Ce document n’existe pas."));
        }
    }
}

#[tokio::test]
async fn the_adopted_motion_is_public_in_every_format_with_the_readers_line_numbers() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion;
        adopt(&app, &people).await;

        let (status, json) = body_of(app.get(&path(motion, "motion.json")).await).await;
        assert_eq!(status, 200, "{backend:?}: public once adopted");
        let doc: MotionDocument = serde_json::from_slice(&json).expect("JSON");
        assert!(doc.status.is_final());
        let first = &doc.sections[0].paragraphs[0];
        assert_eq!(first.text, ADOPTED);
        assert_eq!(first.history.len(), 2);
        assert!(
            first.history[1].why_fr.starts_with("amendement n° "),
            "{:?}",
            first.history[1]
        );

        // The reader's lines and numbers are the document's.
        let (_, body) = app
            .call("get_motion", None, &[("id", &motion.to_string())])
            .await;
        let view: MotionView = serde_json::from_str(&body).expect("motion");
        let reader: Vec<(u32, Vec<String>)> = view
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(|p| (p.first_line, p.lines.clone())))
            .collect();
        let exported: Vec<(u32, Vec<String>)> = doc
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(|p| (p.first_line, p.lines.clone())))
            .collect();
        assert_eq!(exported, reader);
        assert!(
            exported[0].1.join(" ").contains("l’accueil humain"),
            "French typography in both: {:?}",
            exported[0].1
        );

        // Stable URL: same bytes for everyone, a later event changes nothing.
        let (status, pdf) = body_of(app.get(&path(motion, "motion.pdf")).await).await;
        assert_eq!(status, 200);
        assert!(pdf.starts_with(b"%PDF-"));
        let (_, again) = body_of(
            app.get_with_cookie(&path(motion, "motion.pdf"), &people.amelie)
                .await,
        )
        .await;
        assert_eq!(pdf, again);
        for file in ["motion.odt", "motion.md", "dossier.zip"] {
            let response = app.get(&path(motion, file)).await;
            assert_eq!(response.status(), 200, "{file}");
            let disposition = response
                .headers()
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(disposition.contains("adoptee"), "{disposition}");
        }
    }
}

#[tokio::test]
async fn verify_dossier_accepts_the_real_dossier_and_catches_altered_ones() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion;
        adopt(&app, &people).await;
        let (status, zip) = body_of(app.get(&path(motion, "dossier.zip")).await).await;
        assert_eq!(status, 200);
        let dir = std::env::temp_dir().join(format!(
            "hemicycle-dossier-{}-{backend:?}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let real = dir.join("dossier.zip");
        std::fs::write(&real, &zip).expect("written");

        let (code, out) = verify_dossier(app.database_url(), &real, true);
        assert_eq!(code, Some(0), "{backend:?}: {out}");
        assert!(
            out.contains("dossier intègre") && out.contains("conforme au journal"),
            "{out}"
        );

        // One byte changed anywhere in the archive.
        let mut flipped = zip.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        let altered = dir.join("altered.zip");
        std::fs::write(&altered, &flipped).expect("written");
        let (code, out) = verify_dossier(app.database_url(), &altered, false);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("DOSSIER ALTÉRÉ"), "{out}");

        let verified = dossier::bundle::verify_dossier(&zip).expect("the real dossier verifies");
        // A paragraph rewritten in every file, the manifest recomputed: the text no longer has its hash.
        let mut rewritten = verified.document.clone();
        rewritten.sections[0].paragraphs[0].text =
            "Un texte que le congrès n’a jamais voté.".to_owned();
        let resealed = dossier::bundle::build_dossier(&rewritten).expect("sealed");
        let rewritten_path = dir.join("rewritten.zip");
        std::fs::write(&rewritten_path, &resealed.zip).expect("written");
        let (code, out) = verify_dossier(app.database_url(), &rewritten_path, false);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("champ text"), "{out}");

        // A ballot's figures changed in every file, the manifest recomputed: sound in itself (figures are not
        // the text), but not what the log produces.
        let mut forged = verified.document.clone();
        forged.ballots[0].pour += 100;
        let resealed = dossier::bundle::build_dossier(&forged).expect("sealed");
        let forged_path = dir.join("forged.zip");
        std::fs::write(&forged_path, &resealed.zip).expect("written");
        let (code, out) = verify_dossier(app.database_url(), &forged_path, false);
        assert_eq!(code, Some(0), "sound in itself: {out}");
        let (code, out) = verify_dossier(app.database_url(), &forged_path, true);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("NON CONFORME AU JOURNAL")
                && out.contains("diffère de celui que produit le journal"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
