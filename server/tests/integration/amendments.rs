//! Amendments through the server functions, on both engines: filing and its refusals, co-signatures,
//! admissibility, adoption by hand with its merge (conflicts, fallen amendments), stale amendments rebased,
//! concurrent filings, and the log's chain after all of it.

use app::{
    api::{
        AmendmentView, ApiError, FiledAmendment, MotionView, ParagraphHistoryView, ProvenanceView,
    },
    ssr::store::{
        entities::{amendment, motion_event, paragraph, paragraph_version},
        log,
    },
};
use domain::{
    amendment::{AmendmentStatusCode, FallReason},
    diff::Change,
    log::{ChainLink, verify_chain},
    refusal::Refusal,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::support::{BOTH, Backend, DELEGATE, OBSERVER, ORGANIZER, TestApp, member_id};

const KARIM: (&str, &str) = ("karim.benali@congres-demo.fr", "demo-delegue-2026");

pub(crate) fn refusal(body: &str) -> Refusal {
    match serde_json::from_str::<ApiError>(body) {
        Ok(ApiError::Refused(refusal)) => refusal,
        other => panic!("a refusal, got {other:?} from {body}"),
    }
}

pub(crate) async fn chain(db: &DatabaseConnection, motion: i32) -> Vec<ChainLink> {
    motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion))
        .order_by_asc(motion_event::Column::Seq)
        .all(db)
        .await
        .expect("events load")
        .into_iter()
        .map(|e| ChainLink {
            seq: e.seq.unsigned_abs(),
            canonical: log::canonical_envelope(
                &e.kind,
                e.actor_id,
                e.occurred_at,
                &serde_json::from_str(&e.payload).expect("payload is JSON"),
            ),
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect()
}

async fn last_kinds(db: &DatabaseConnection, motion: i32, n: usize) -> Vec<String> {
    let all = chain(db, motion).await;
    let kinds: Vec<String> = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion))
        .order_by_asc(motion_event::Column::Seq)
        .all(db)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.len(), all.len());
    kinds[kinds.len().saturating_sub(n)..].to_vec()
}

/// The demo's paragraphs in reading order: (id, current text).
pub(crate) async fn paragraphs(db: &DatabaseConnection, motion: i32) -> Vec<(i32, String)> {
    let rows = paragraph::Entity::find()
        .filter(paragraph::Column::MotionId.eq(motion))
        .order_by_asc(paragraph::Column::Position)
        .all(db)
        .await
        .expect("paragraphs");
    let mut out = Vec::new();
    for row in rows {
        let version = paragraph_version::Entity::find()
            .filter(paragraph_version::Column::ParagraphId.eq(row.id))
            .filter(paragraph_version::Column::Number.eq(row.current_version))
            .one(db)
            .await
            .expect("version")
            .expect("current version exists");
        out.push((row.id, version.body));
    }
    out
}

async fn file(
    app: &TestApp,
    cookie: Option<&str>,
    paragraph: i32,
    base: u32,
    text: &str,
) -> (u16, String) {
    let motion = app.demo_motion.to_string();
    let paragraph = paragraph.to_string();
    let base = base.to_string();
    app.call(
        "file_amendment",
        cookie,
        &[
            ("motion_id", &motion),
            ("kind", "replace"),
            ("paragraph_id", &paragraph),
            ("base_version", &base),
            ("text", text),
            ("rationale", "Parce que."),
        ],
    )
    .await
}

pub(crate) async fn file_ok(
    app: &TestApp,
    cookie: &str,
    paragraph: i32,
    base: u32,
    text: &str,
) -> u32 {
    let (status, body) = file(app, Some(cookie), paragraph, base, text).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<FiledAmendment>(&body)
        .expect("filed JSON")
        .number
}

async fn act(
    app: &TestApp,
    function: &str,
    cookie: &str,
    amendment: i32,
    extra: &[(&str, &str)],
) -> (u16, String) {
    let motion = app.demo_motion.to_string();
    let amendment = amendment.to_string();
    let mut form = vec![
        ("motion_id", motion.as_str()),
        ("amendment_id", amendment.as_str()),
    ];
    form.extend_from_slice(extra);
    app.call(function, Some(cookie), &form).await
}

pub(crate) async fn list(app: &TestApp) -> Vec<AmendmentView> {
    let motion = app.demo_motion.to_string();
    let (status, body) = app
        .call("list_amendments", None, &[("motion_id", &motion)])
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("amendments JSON")
}

/// A page as people read it (without the hydration markers between text nodes), after checking it answered 200.
async fn page_text(app: &TestApp, path: String, cookie: Option<String>) -> String {
    let response = match cookie {
        Some(cookie) => app.get_with_cookie(&path, &cookie).await,
        None => app.get(&path).await,
    };
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body").replace("<!>", "")
}

fn by_number(all: &[AmendmentView], number: u32) -> &AmendmentView {
    all.iter()
        .find(|a| a.number == number)
        .unwrap_or_else(|| panic!("amendment n° {number} in {all:?}"))
}

#[tokio::test]
async fn a_delegate_files_an_amendment_recorded_in_a_valid_chain() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let cookie = app.sign_in(DELEGATE).await;
        let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        let proposed = text.replacen("Des millions", "Des milliers", 1);
        let number = file_ok(&app, &cookie, first, 1, &proposed).await;
        assert_eq!(number, 1, "{backend:?}");

        let all = list(&app).await;
        let filed = by_number(&all, 1);
        assert_eq!(filed.status, AmendmentStatusCode::Filed);
        assert_eq!(filed.author_name, "Amélie Rousseau");
        assert_eq!(filed.kind, "replace");
        let place = filed.target.as_ref().expect("a live target");
        assert_eq!((place.ordinal, place.first_line), (1, 1));
        assert!(
            filed.diff.contains(&Change::Removed("millions".into())),
            "{:?}",
            filed.diff
        );
        assert!(
            filed.diff.contains(&Change::Added("milliers".into())),
            "{:?}",
            filed.diff
        );

        let row = amendment::Entity::find()
            .filter(amendment::Column::MotionId.eq(app.demo_motion))
            .one(&app.db)
            .await
            .expect("query")
            .expect("materialized");
        assert_eq!((row.status.as_str(), row.number), ("filed", 1));
        assert_eq!(
            last_kinds(&app.db, app.demo_motion, 1).await,
            vec!["amendment_filed"]
        );
        verify_chain(&chain(&app.db, app.demo_motion).await).expect("the chain verifies");

        // The motion page counts it on its paragraph.
        let (status, body) = app
            .call("get_motion", None, &[("id", &app.demo_motion.to_string())])
            .await;
        assert_eq!(status, 200);
        let motion: MotionView = serde_json::from_str(&body).expect("motion");
        assert_eq!(motion.sections[0].paragraphs[0].pending_amendments, 1);
        assert_eq!(motion.sections[0].paragraphs[1].pending_amendments, 0);
    }
}

#[tokio::test]
async fn observers_visitors_and_pending_members_cannot_file_and_the_log_is_untouched() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let (first, _) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        let before = chain(&app.db, app.demo_motion).await.len();

        let (status, _) = file(&app, None, first, 1, "Un autre texte.").await;
        assert_eq!(status, 401, "{backend:?}: visitor");
        let observer = app.sign_in(OBSERVER).await;
        let (status, _) = file(&app, Some(&observer), first, 1, "Un autre texte.").await;
        assert_eq!(status, 403, "{backend:?}: observer");

        // An organizer puts Karim back to pending: he may read, not file.
        let karim = app.sign_in(KARIM).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let karim_id = member_id(&app.db, KARIM.0).await.to_string();
        let (status, body) = app
            .call(
                "set_member_status",
                Some(&organizer),
                &[("member_id", &karim_id), ("status", "pending")],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = file(&app, Some(&karim), first, 1, "Un autre texte.").await;
        assert_eq!(status, 403, "{backend:?}: pending member");
        // Organizers do not file amendments either.
        let (status, _) = file(&app, Some(&organizer), first, 1, "Un autre texte.").await;
        assert_eq!(status, 403, "{backend:?}: organizer");

        assert_eq!(chain(&app.db, app.demo_motion).await.len(), before);
    }
}

#[tokio::test]
async fn bad_texts_are_refused_and_markup_is_kept_literally() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let cookie = app.sign_in(DELEGATE).await;
    let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
    let before = chain(&app.db, app.demo_motion).await.len();

    let (status, body) = file(&app, Some(&cookie), first, 1, "   ").await;
    assert_eq!(status, 422);
    assert_eq!(refusal(&body), Refusal::EmptyText);
    let (status, body) = file(&app, Some(&cookie), first, 1, &format!("  {text} ")).await;
    assert_eq!(status, 422);
    assert_eq!(refusal(&body), Refusal::SameAsCurrent);
    let long = "a".repeat(5001);
    let (status, body) = file(&app, Some(&cookie), first, 1, &long).await;
    assert_eq!(status, 422);
    assert!(
        matches!(
            refusal(&body),
            Refusal::TextTooLong {
                chars: 5001,
                max: 5000
            }
        ),
        "{body}"
    );
    let (status, body) = file(&app, Some(&cookie), 999_999, 1, "Texte.").await;
    assert_eq!(status, 422);
    assert!(
        matches!(refusal(&body), Refusal::ParagraphNotFound { .. }),
        "{body}"
    );
    assert_eq!(
        chain(&app.db, app.demo_motion).await.len(),
        before,
        "refusals leave the log untouched"
    );

    let script = "Texte <script>alert('x')</script> & <b>gras</b>";
    file_ok(&app, &cookie, first, 1, script).await;
    let all = list(&app).await;
    assert_eq!(by_number(&all, 1).proposed_text.as_deref(), Some(script));
    let page = app
        .get(&format!("/motions/{}/amendements", app.demo_motion))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        !page.contains("<script>alert"),
        "markup is escaped in pages"
    );
}

#[tokio::test]
async fn adoption_merges_the_text_and_settles_the_competing_amendments() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let (amelie, karim, organizer) = (
            app.sign_in(DELEGATE).await,
            app.sign_in(KARIM).await,
            app.sign_in(ORGANIZER).await,
        );
        let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        let milliers = text.replacen("Des millions", "Des milliers", 1);
        let trop = text.replacen("Des millions", "Trop", 1);
        assert_eq!(file_ok(&app, &amelie, first, 1, &milliers).await, 1);
        assert_eq!(file_ok(&app, &amelie, first, 1, &trop).await, 2);
        assert_eq!(file_ok(&app, &karim, first, 1, &milliers).await, 3);
        let ids: Vec<i32> = list(&app).await.iter().map(|a| a.id).collect();

        // Admissible needs one co-signatory in the demo.
        let (status, body) = act(&app, "declare_admissible", &organizer, ids[0], &[]).await;
        assert_eq!(status, 422, "{backend:?}");
        assert!(matches!(
            refusal(&body),
            Refusal::NotEnoughCoSignatories { have: 0, need: 1 }
        ));
        let (status, body) = act(&app, "co_sign_amendment", &amelie, ids[0], &[]).await;
        assert_eq!(status, 422, "the author cannot co-sign");
        assert!(matches!(refusal(&body), Refusal::AuthorCannotCoSign { .. }));
        let (status, body) = act(&app, "co_sign_amendment", &karim, ids[0], &[]).await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = act(&app, "declare_admissible", &amelie, ids[0], &[]).await;
        assert_eq!(status, 403, "delegates do not decide admissibility");
        let (status, body) = act(&app, "declare_admissible", &organizer, ids[0], &[]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            by_number(&list(&app).await, 1).cosigners[0].name,
            "Karim Benali"
        );

        let (status, body) = act(&app, "adopt_amendment", &organizer, ids[0], &[]).await;
        assert_eq!(status, 200, "{backend:?}: {body}");

        let now = paragraphs(&app.db, app.demo_motion).await[0].clone();
        assert_eq!(now, (first, milliers.clone()), "{backend:?}");
        let version = paragraph_version::Entity::find()
            .filter(paragraph_version::Column::ParagraphId.eq(first))
            .filter(paragraph_version::Column::Number.eq(2))
            .one(&app.db)
            .await
            .expect("query")
            .expect("version 2");
        assert_eq!(version.reason, "amendment");
        let all = list(&app).await;
        assert_eq!(by_number(&all, 1).status, AmendmentStatusCode::Adopted);
        let competing = by_number(&all, 2);
        assert_eq!(competing.status, AmendmentStatusCode::Filed);
        assert!(
            competing.conflicted,
            "{backend:?}: overlapping edit is a conflict: {competing:?}"
        );
        let same = by_number(&all, 3);
        assert_eq!(same.status, AmendmentStatusCode::Fallen);
        assert_eq!(
            same.fall_reason,
            Some(FallReason::SupersededBy {
                amendment: domain::ids::AmendmentId(ids[0])
            })
        );

        // The history tells where version 2 comes from.
        let (status, body) = app
            .call(
                "paragraph_history",
                None,
                &[("paragraph_id", &first.to_string())],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let history: ParagraphHistoryView = serde_json::from_str(&body).expect("history");
        assert_eq!(history.versions.len(), 2);
        assert!(matches!(
            history.versions[1].provenance,
            ProvenanceView::Amendment {
                number: Some(1),
                ..
            }
        ));
        assert_eq!(
            history.versions[1].actor_name.as_deref(),
            Some("Claire Fontaine")
        );
        assert!(
            history.versions[1]
                .diff
                .as_ref()
                .is_some_and(|d| d.contains(&Change::Added("milliers".into())))
        );

        // The reader shows the adopted text; the author resolves the conflict of n° 2.
        let page = app
            .get(&format!("/motions/{}", app.demo_motion))
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains("Des milliers de personnes"), "{backend:?}");
        let (status, body) = act(
            &app,
            "resolve_conflict",
            &amelie,
            ids[1],
            &[(
                "text",
                &text.replacen("Des millions", "Trop de milliers", 1),
            )],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let resolved = by_number(&list(&app).await, 2).clone();
        assert!(!resolved.conflicted && resolved.rebased, "{resolved:?}");
        assert_eq!(resolved.applies_to, Some(2));

        verify_chain(&chain(&app.db, app.demo_motion).await).expect("the chain verifies");
    }
}

#[tokio::test]
async fn an_amendment_to_a_version_that_moved_on_is_rebased() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let (amelie, organizer) = (app.sign_in(DELEGATE).await, app.sign_in(ORGANIZER).await);
        let (second, text) = paragraphs(&app.db, app.demo_motion).await[1].clone();
        let fixed = text.replacen(
            "partout sur le territoire",
            "partout sur le territoire national",
            1,
        );
        let (status, body) = app
            .call(
                "editorial_fix",
                Some(&organizer),
                &[
                    ("motion_id", &app.demo_motion.to_string()),
                    ("paragraph_id", &second.to_string()),
                    ("seen_version", "1"),
                    ("text", &fixed),
                    ("reason", "Précision"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");

        // Amélie still had version 1 on screen.
        let mine = text.replacen("Nous demandons", "Nous exigeons", 1);
        file_ok(&app, &amelie, second, 1, &mine).await;
        let filed = by_number(&list(&app).await, 1).clone();
        assert!(filed.rebased && !filed.conflicted, "{backend:?}: {filed:?}");
        assert_eq!((filed.base_version, filed.applies_to), (Some(1), Some(2)));
        let proposed = filed.proposed_text.expect("rebased text");
        assert!(proposed.starts_with("Nous exigeons"), "{proposed}");
        assert!(proposed.contains("territoire national"), "{proposed}");
        let row = amendment::Entity::find_by_id(filed.id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        assert_eq!(row.rebased_text.as_deref(), Some(proposed.as_str()));
    }
}

#[tokio::test]
async fn concurrent_filings_get_distinct_numbers_and_a_gapless_log() {
    for backend in BOTH {
        let app = std::sync::Arc::new(TestApp::spawn_with_accounts(backend).await);
        let cookies = [app.sign_in(DELEGATE).await, app.sign_in(KARIM).await];
        let texts = paragraphs(&app.db, app.demo_motion).await;
        let before = chain(&app.db, app.demo_motion).await.len();
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let app = app.clone();
                let cookie = cookies[i % 2].clone();
                let (id, text) = texts[i].clone();
                tokio::spawn(async move {
                    file(&app, Some(&cookie), id, 1, &format!("{text} Ajout {i}.")).await
                })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            let (status, body) = task.await.expect("task");
            assert_eq!(status, 200, "{backend:?}: {body}");
            numbers.push(
                serde_json::from_str::<FiledAmendment>(&body)
                    .expect("filed")
                    .number,
            );
        }
        numbers.sort_unstable();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6], "{backend:?}");
        let links = chain(&app.db, app.demo_motion).await;
        assert_eq!(links.len(), before + 6);
        verify_chain(&links).expect("gapless, valid chain");
    }
}

#[tokio::test]
async fn the_pages_show_amendments_diffs_and_history_without_javascript() {
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let (amelie, karim, organizer) = (
        app.sign_in(DELEGATE).await,
        app.sign_in(KARIM).await,
        app.sign_in(ORGANIZER).await,
    );
    let motion = app.demo_motion;
    let (first, text) = paragraphs(&app.db, motion).await[0].clone();
    let html = |path: String, cookie: Option<String>| page_text(&app, path, cookie);

    // The reader offers to amend only to those who may.
    let visitor_page = html(format!("/motions/{motion}"), None).await;
    assert!(!visitor_page.contains("Amender ce paragraphe"));
    assert!(visitor_page.contains("Historique"));
    let delegate_page = html(format!("/motions/{motion}"), Some(amelie.clone())).await;
    assert!(delegate_page.contains("Amender ce paragraphe"));
    assert!(delegate_page.contains(&format!("/motions/{motion}/paragraphes/{first}/amender")));

    let editor = html(
        format!("/motions/{motion}/paragraphes/{first}/amender"),
        Some(amelie.clone()),
    )
    .await;
    assert!(editor.contains("Texte proposé") && editor.contains("Aperçu des modifications"));
    assert!(editor.contains("Des millions de personnes"));

    file_ok(
        &app,
        &amelie,
        first,
        1,
        &text.replacen("Des millions", "Des milliers", 1),
    )
    .await;
    let list_page = html(
        format!("/motions/{motion}/amendements"),
        Some(karim.clone()),
    )
    .await;
    assert!(list_page.contains("Amendement n° 1"));
    assert!(list_page.contains("<ins>") && list_page.contains("ajouté :"));
    assert!(list_page.contains("<del>") && list_page.contains("supprimé :"));
    assert!(list_page.contains("Cosigner"), "Karim may co-sign");
    let filtered = html(
        format!("/motions/{motion}/amendements?statut=adopted"),
        None,
    )
    .await;
    assert!(filtered.contains("Aucun amendement pour ce filtre."));
    let organizer_page = html(
        format!("/motions/{motion}/amendements"),
        Some(organizer.clone()),
    )
    .await;
    assert!(
        organizer_page.contains("Déclarer recevable")
            && organizer_page.contains("Changer de phase")
    );

    let id = list(&app).await[0].id;
    act(&app, "co_sign_amendment", &karim, id, &[]).await;
    act(&app, "declare_admissible", &organizer, id, &[]).await;
    let (status, body) = act(&app, "adopt_amendment", &organizer, id, &[]).await;
    assert_eq!(status, 200, "{body}");
    let history = html(
        format!("/motions/{motion}/paragraphes/{first}/historique"),
        None,
    )
    .await;
    assert!(
        history.contains("Version 2 — amendement n° 1 adopté"),
        "{history}"
    );
    assert!(history.contains("Version 1 — texte initial"));
    assert!(history.contains("Claire Fontaine"));
}

#[tokio::test]
async fn a_long_list_is_filtered_and_cut_into_pages_by_the_server() {
    use app::api::AmendmentsPageView;
    let app = TestApp::spawn_with_accounts(Backend::Sqlite).await;
    let (amelie, karim) = (app.sign_in(DELEGATE).await, app.sign_in(KARIM).await);
    let motion = app.demo_motion;
    let texts = paragraphs(&app.db, motion).await;
    let [(p0, t0), (p1, t1), (p2, t2)] = [0, 1, 2].map(|i| texts[i].clone());
    for i in 1..=55 {
        file_ok(&app, &amelie, p0, 1, &format!("{t0} Variante {i}.")).await;
    }
    for i in 1..=10 {
        file_ok(&app, &karim, p1, 1, &format!("{t1} Variante {i}.")).await;
    }
    let last = file_ok(&app, &amelie, p2, 1, &format!("{t2} Dernière.")).await;
    assert_eq!(last, 66);
    let karim_id = member_id(&app.db, KARIM.0).await;
    let last_id = list(&app)
        .await
        .iter()
        .find(|a| a.number == 66)
        .expect("n° 66")
        .id;
    let (status, body) = act(
        &app,
        "invite_co_signer",
        &amelie,
        last_id,
        &[("member_id", &karim_id.to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let page = |cookie: Option<String>, query: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let mut form = vec![("motion_id", motion.to_string())];
            form.extend(query);
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = app
                .call("amendments_page_data", cookie.as_deref(), &form)
                .await;
            assert_eq!(status, 200, "{body}");
            serde_json::from_str::<AmendmentsPageView>(&body)
                .expect("page JSON")
                .listing
        }
    };
    let numbers = |listing: &app::api::AmendmentListing| -> Vec<u32> {
        listing.amendments.iter().map(|a| a.number).collect()
    };

    // Fifty a page, in order, and the last page shorter; a page beyond the last is the last.
    let first = page(None, vec![]).await;
    assert_eq!(
        (first.total, first.matching, first.pages, first.first),
        (66, 66, 2, 1)
    );
    assert_eq!(numbers(&first), (1..=50).collect::<Vec<_>>());
    let second = page(None, vec![("page", "2".into())]).await;
    assert_eq!((second.page, second.first), (2, 51));
    assert_eq!(numbers(&second), (51..=66).collect::<Vec<_>>());
    assert_eq!(
        numbers(&page(None, vec![("page", "9".into())]).await),
        numbers(&second)
    );

    // What the filters offer comes from the whole list, whatever is shown.
    assert!(
        first
            .status_counts
            .contains(&(AmendmentStatusCode::Filed, 66))
    );
    assert!(
        first
            .status_counts
            .contains(&(AmendmentStatusCode::Adopted, 0))
    );
    let authors: Vec<(String, usize)> = first
        .authors
        .iter()
        .map(|a| (a.name.clone(), a.count))
        .collect();
    assert_eq!(
        authors,
        vec![
            ("Amélie Rousseau".to_owned(), 56),
            ("Karim Benali".to_owned(), 10)
        ]
    );
    let offered: Vec<i32> = first.paragraphs.iter().map(|p| p.paragraph_id).collect();
    assert_eq!(offered, vec![p0, p1, p2]);

    // Filters narrow on the server and combine.
    let of_p1 = page(None, vec![("paragraph", p1.to_string())]).await;
    assert_eq!((of_p1.matching, of_p1.pages), (10, 1));
    assert!(of_p1.amendments.iter().all(|a| a.paragraph_id == Some(p1)));
    let by_karim = page(None, vec![("author", karim_id.to_string())]).await;
    assert_eq!(numbers(&by_karim), (56..=65).collect::<Vec<_>>());
    let none = page(
        None,
        vec![
            ("author", karim_id.to_string()),
            ("paragraph", p0.to_string()),
        ],
    )
    .await;
    assert_eq!((none.matching, none.amendments.len()), (0, 0));
    let filed = page(
        None,
        vec![("status", "filed".into()), ("paragraph", p2.to_string())],
    )
    .await;
    assert_eq!(numbers(&filed), vec![66]);

    // Karim's invitation shows whatever the filter, with the page of the whole list it stands on.
    let karims = page(Some(karim.clone()), vec![("status", "adopted".into())]).await;
    assert_eq!(karims.matching, 0);
    assert_eq!(
        karims
            .invitations
            .iter()
            .map(|i| (i.number, i.page))
            .collect::<Vec<_>>(),
        vec![(66, 2)]
    );
    assert!(page(None, vec![]).await.invitations.is_empty());

    // The page without JavaScript: links to the other pages, the current one marked, the filters kept.
    let html = |path: String, cookie: Option<String>| page_text(&app, path, cookie);
    let base = format!("/motions/{motion}/amendements");
    let one = html(base.clone(), Some(karim.clone())).await;
    assert!(one.contains("Amendement n° 50") && !one.contains("Amendement n° 51 "));
    assert!(one.contains("Page 1 sur 2") && one.contains("rel=\"next\""));
    assert!(
        one.contains(&format!("href=\"{base}?page=2#amendement-{last_id}\"")),
        "{one}"
    );
    let two = html(format!("{base}?page=2"), None).await;
    assert!(two.contains("Page 2 sur 2") && two.contains("rel=\"prev\""));
    assert!(two.contains("aria-current=\"page\"") && two.contains("start=\"51\""));
    assert!(two.contains("Amendement n° 66") && !two.contains("Amendement n° 50 "));
    let narrowed = html(format!("{base}?auteur={karim_id}&paragraphe={p1}"), None).await;
    assert!(
        narrowed.contains("10 retenus par les filtres"),
        "{narrowed}"
    );
    assert!(
        !narrowed.contains("Page 1 sur"),
        "one page needs no navigation"
    );
    // A mangled address is no filter, never an error.
    let mangled = html(format!("{base}?page=deux&statut=%3Cb%3E&auteur=x"), None).await;
    assert!(mangled.contains("Amendement n° 1 ") && mangled.contains("Page 1 sur 2"));
}
