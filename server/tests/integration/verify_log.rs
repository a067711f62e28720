//! `hemicycle verify-log`: an intact log passes; a payload altered in the database is caught at its seq.

use std::process::Command;

use app::ssr::store::entities::member;
use app::ssr::{
    demo,
    live::{Hub, Limits},
    store::editions,
    store::{self, commands},
};
use domain::{
    amendment::{AmendmentDraft, AmendmentTarget},
    ids::{MemberId, ParagraphId, VersionNumber},
    member::{Actor, Role},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::support::{BOTH, SEED_TIME, TestDb};

fn verify_log(url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hemicycle"))
        .arg("verify-log")
        .env("DATABASE_URL", url)
        .env_remove("HEMICYCLE_DEMO")
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn verify_log_passes_an_intact_log_and_names_the_first_altered_event() {
    for backend in BOTH {
        let database = TestDb::new(backend).await;
        let db = store::open(&database.url).await.expect("opens");
        let motion = demo::seed(&db, SEED_TIME).await.expect("seeds").motion_id;
        let accounts = demo::seed_accounts(&db, SEED_TIME).await.expect("accounts");
        assert!(!accounts.is_empty());
        // One command through the command path, so its events are checked too.
        let heads = app::ssr::store::log::Heads::default();
        let state = heads.state(&db, motion).await.expect("state");
        let (first, text) = state
            .live_paragraphs()
            .next()
            .map(|p| (p.id, p.text.clone()))
            .expect("a paragraph");
        let author = member::Entity::find()
            .filter(member::Column::Email.eq("amelie.rousseau@congres-demo.fr"))
            .one(&db)
            .await
            .expect("query")
            .expect("Amélie exists")
            .id;
        let hub = Hub::local(db.clone(), Limits::default());
        commands::execute(
            commands::Ctx {
                db: &db,
                heads: &heads,
                live: &hub,
            },
            motion,
            Some(author),
            SEED_TIME,
            |state, ids| {
                domain::command::file_amendment(
                    state,
                    &Actor::verified(MemberId(author), Role::Delegate),
                    AmendmentDraft {
                        target: AmendmentTarget::Replace {
                            paragraph: ParagraphId(first.get()),
                            base_version: VersionNumber(1),
                            text: format!("{text} Ajout."),
                        },
                        rationale: String::new(),
                    },
                    ids.amendment,
                )
            },
        )
        .await
        .expect("filed");

        // The edition's own log: rules of procedure and a proxy, through the command path.
        let edition = app::ssr::store::motions::edition_of_motion(&db, motion)
            .await
            .expect("its edition");
        let organizer_id = member::Entity::find()
            .filter(member::Column::Email.eq("claire.fontaine@congres-demo.fr"))
            .one(&db)
            .await
            .expect("query")
            .expect("the organizer")
            .id;
        let organizer = Actor::verified(MemberId(organizer_id), Role::Organizer);
        let karim = member::Entity::find()
            .filter(member::Column::Email.eq("karim.benali@congres-demo.fr"))
            .one(&db)
            .await
            .expect("query")
            .expect("Karim")
            .id;
        editions::set_procedure(
            &db,
            edition,
            &organizer,
            domain::ballot::Procedure::default(),
            SEED_TIME,
        )
        .await
        .expect("rules set");
        let proxy = editions::grant_proxy(
            &db,
            edition,
            &organizer,
            domain::ballot::Proxy {
                holder: MemberId(author),
                represented: MemberId(karim),
                starts: SEED_TIME,
                ends: SEED_TIME + 3_600_000,
            },
            SEED_TIME,
        )
        .await
        .expect("proxy given");
        editions::revoke_proxy(&db, edition, &organizer, proxy, SEED_TIME + 1)
            .await
            .expect("proxy revoked");

        let output = verify_log(&database.url);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{backend:?}: {stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("journal intègre / log intact: 18 événements"),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("congrès / edition {edition}"))
                && stdout.contains("log intact: 3 événements"),
            "the edition's log is checked too: {stdout}"
        );
        db.execute_unprepared(&format!(
            "UPDATE edition_events SET payload = REPLACE(payload, '\"represented\":{karim}', '\"represented\":{organizer_id}') \
             WHERE edition_id = {edition} AND seq = 2"
        ))
        .await
        .expect("tampered");
        let output = verify_log(&database.url);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{backend:?}: {stdout}");
        assert!(
            stdout.contains("LOG BROKEN at seq 2"),
            "a forged proxy is found: {stdout}"
        );
        db.execute_unprepared(&format!(
            "UPDATE edition_events SET payload = REPLACE(payload, '\"represented\":{organizer_id}', '\"represented\":{karim}') \
             WHERE edition_id = {edition} AND seq = 2"
        ))
        .await
        .expect("restored");

        db.execute_unprepared(&format!(
            "UPDATE motion_events SET payload = REPLACE(payload, 'Des millions', 'Des milliards') \
             WHERE motion_id = {motion} AND seq = 3"
        ))
        .await
        .expect("tampered");
        let output = verify_log(&database.url);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{backend:?}: {stdout}");
        assert!(stdout.contains("LOG BROKEN at seq 3"), "{stdout}");
        assert!(stdout.contains("content or hash altered"), "{stdout}");
        db.close().await.ok();
    }
}
