//! The organizers' console and the author's tools through the server functions, on both engines: create an
//! edition and a motion from a Markdown draft, continue and edit the draft, open amendments; invite
//! co-signatories, edit an amendment, fix a paragraph's wording, resolve a conflict — and the refusals.

use app::api::{AmendmentView, ApiError, ConsoleView, MotionView, ParagraphHistoryView};
use domain::{amendment::AmendmentStatusCode, log::verify_chain, refusal::Refusal};

use crate::{
    amendments::{chain, file_ok, list, paragraphs, refusal},
    support::{BOTH, DELEGATE, ORGANIZER, TestApp},
};

const KARIM: (&str, &str) = ("karim.benali@congres-demo.fr", "demo-delegue-2026");

const DRAFT: &str = "Le congrès des élu·es au numérique,\n\n# Les communes\n\nConsidérant que les communes\nsont le premier guichet,\n\nDemande un fonds <b>dédié</b>.\n\n# Les données\n\nAffirme que les données publiques sont un bien commun.\n";

async fn motion(app: &TestApp, id: i32) -> MotionView {
    let (status, body) = app
        .call("get_motion", None, &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("a motion")
}

async fn create_motion(app: &TestApp, cookie: &str, draft: &str) -> (u16, String) {
    let edition = app.call("congress_console", Some(cookie), &[]).await;
    assert_eq!(edition.0, 200, "{}", edition.1);
    let console: ConsoleView = serde_json::from_str(&edition.1).expect("console");
    let edition_id = console.editions[0].id.to_string();
    app.call(
        "create_motion",
        Some(cookie),
        &[
            ("edition_id", &edition_id),
            ("title", "Motion sur les données"),
            ("preamble", "Préambule."),
            ("line_width", "60"),
            ("min_cosigners", "0"),
            ("draft", draft),
        ],
    )
    .await
}

#[tokio::test]
async fn an_organizer_creates_a_motion_from_a_markdown_draft_continues_edits_and_opens_it() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;

        let (status, body) = create_motion(&app, &organizer, DRAFT).await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        let id: i32 = body.parse().expect("the motion's id");
        let created = motion(&app, id).await;
        assert_eq!(created.title, "Motion sur les données");
        assert_eq!(created.phase, domain::motion::Phase::Draft);
        let titles: Vec<&str> = created.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["", "Les communes", "Les données"]);
        let texts: Vec<String> = created
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(|p| p.lines.join(" ")))
            .collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        // Lines of one paragraph are joined; markup stays text.
        assert_eq!(
            paragraphs(&app.db, id).await[1].1,
            "Considérant que les communes sont le premier guichet,"
        );
        assert_eq!(
            paragraphs(&app.db, id).await[2].1,
            "Demande un fonds <b>dédié</b>."
        );

        // The draft continues: leading paragraphs join the last section.
        let (status, body) = app
            .call(
                "import_draft",
                Some(&organizer),
                &[
                    ("motion_id", &id.to_string()),
                    ("draft", "Et la cybersécurité.\n\n# Fin\n\nDernier."),
                ],
            )
            .await;
        assert_eq!((status, body.as_str()), (200, "2"));
        let all = paragraphs(&app.db, id).await;
        assert_eq!(all.len(), 6);

        // Editing a paragraph of the draft makes a version 2 with its provenance.
        let (first, _) = all[0].clone();
        let (status, body) = app
            .call(
                "edit_draft_paragraph",
                Some(&organizer),
                &[
                    ("motion_id", &id.to_string()),
                    ("paragraph_id", &first.to_string()),
                    ("seen_version", "1"),
                    ("text", "Le congrès national des élu·es au numérique,"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, body) = app
            .call(
                "paragraph_history",
                None,
                &[("paragraph_id", &first.to_string())],
            )
            .await;
        let history: ParagraphHistoryView = serde_json::from_str(&body).expect("history");
        assert_eq!(history.current_version, 2);

        // A stale edit is refused, the log untouched.
        let before = chain(&app.db, id).await.len();
        let (status, body) = app
            .call(
                "edit_draft_paragraph",
                Some(&organizer),
                &[
                    ("motion_id", &id.to_string()),
                    ("paragraph_id", &first.to_string()),
                    ("seen_version", "1"),
                    ("text", "Autre texte."),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert!(matches!(refusal(&body), Refusal::StaleVersion { .. }));
        assert_eq!(chain(&app.db, id).await.len(), before);

        // Amendments open; the draft can no longer be imported into.
        let (status, _) = app
            .call(
                "change_phase",
                Some(&organizer),
                &[("motion_id", &id.to_string()), ("to", "amending")],
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .call(
                "import_draft",
                Some(&organizer),
                &[("motion_id", &id.to_string()), ("draft", "Encore.")],
            )
            .await;
        assert_eq!(status, 422);
        assert!(matches!(refusal(&body), Refusal::PhaseForbids { .. }));
        verify_chain(&chain(&app.db, id).await).expect("the chain verifies");
    }
}

#[tokio::test]
async fn bad_congress_input_is_refused_clearly_and_only_organizers_may_create() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let delegate = app.sign_in(DELEGATE).await;

        let (status, body) = create_motion(&app, &organizer, "Un.\n\n#\n\nDeux.").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(refusal(&body), Refusal::DraftEmptyHeading { line: 3 });

        let (status, _) = app.call("congress_console", Some(&delegate), &[]).await;
        assert_eq!(status, 403);
        let (status, _) = app.call("congress_console", None, &[]).await;
        assert_eq!(status, 401);
        let (status, _) = app
            .call(
                "create_edition",
                Some(&delegate),
                &[
                    ("title", "X"),
                    ("place", "Y"),
                    ("starts_on", "2030-01-01"),
                    ("ends_on", "2030-01-01"),
                ],
            )
            .await;
        assert_eq!(status, 403);

        let (status, body) = app
            .call(
                "create_edition",
                Some(&organizer),
                &[
                    ("title", "Congrès"),
                    ("place", "Lyon"),
                    ("starts_on", "2030-01-02"),
                    ("ends_on", "2030-01-01"),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(refusal(&body), Refusal::InvalidDates);
        let message = serde_json::from_str::<ApiError>(&body)
            .expect("an error")
            .message(app::i18n::Locale::Fr);
        assert!(message.contains("AAAA-MM-JJ"), "{message}");

        // An earlier congress does not become the current one; its creator organizes it.
        let (status, body) = app
            .call(
                "create_edition",
                Some(&organizer),
                &[
                    ("title", "1er Congrès"),
                    ("place", "Lille"),
                    ("starts_on", "2020-03-01"),
                    ("ends_on", "2020-03-02"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, body) = app.call("congress_console", Some(&organizer), &[]).await;
        let console: ConsoleView = serde_json::from_str(&body).expect("console");
        let slugs: Vec<&str> = console.editions.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs.last(), Some(&"2020-1er-congres"), "{slugs:?}");
        assert_eq!(console.editions.len(), 2);
    }
}

fn by_number(all: &[AmendmentView], number: u32) -> AmendmentView {
    all.iter()
        .find(|a| a.number == number)
        .cloned()
        .unwrap_or_else(|| panic!("amendment n° {number} in {all:?}"))
}

#[tokio::test]
async fn an_author_invites_a_co_signer_edits_and_the_invited_person_signs() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let amelie = app.sign_in(DELEGATE).await;
        let karim = app.sign_in(KARIM).await;
        let motion_id = app.demo_motion.to_string();
        let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        file_ok(
            &app,
            &amelie,
            first,
            1,
            &text.replacen("Des millions", "Des milliers", 1),
        )
        .await;

        let (_, body) = app
            .call(
                "list_delegates",
                Some(&amelie),
                &[("motion_id", &motion_id)],
            )
            .await;
        let delegates: Vec<app::api::DelegateOption> =
            serde_json::from_str(&body).expect("delegates");
        let karim_id = delegates
            .iter()
            .find(|d| d.label.starts_with("Karim Benali"))
            .map(|d| d.member_id)
            .expect("Karim is a verified delegate");
        let invite = |cookie: String, member: i32| {
            let app = &app;
            let motion_id = motion_id.clone();
            async move {
                app.call(
                    "invite_co_signer",
                    Some(&cookie),
                    &[
                        ("motion_id", &motion_id),
                        ("amendment_id", "1"),
                        ("member_id", &member.to_string()),
                    ],
                )
                .await
            }
        };
        assert_eq!(invite(amelie.clone(), karim_id).await.0, 200);
        let (status, body) = invite(amelie.clone(), karim_id).await;
        assert_eq!(status, 422);
        assert!(matches!(refusal(&body), Refusal::AlreadyInvited { .. }));
        // Karim may not invite on Amélie's amendment; an organizer (a member, not a delegate) and nobody at all
        // cannot be invited.
        let (status, body) = invite(karim.clone(), karim_id).await;
        assert_eq!(status, 422, "{body}");
        let organizer_id = crate::support::member_id(&app.db, ORGANIZER.0).await;
        assert_eq!(invite(amelie.clone(), organizer_id).await.0, 400);
        assert_eq!(invite(amelie.clone(), 999_999).await.0, 400);

        let listed = by_number(&list(&app).await, 1);
        assert_eq!(listed.invited.len(), 1);
        assert_eq!(listed.invited[0].member_id, karim_id);

        // Karim signs; then Amélie rewrites: the signature is cleared, the invitation stays.
        let (status, _) = app
            .call(
                "co_sign_amendment",
                Some(&karim),
                &[("motion_id", &motion_id), ("amendment_id", "1")],
            )
            .await;
        assert_eq!(status, 200);
        let signed = by_number(&list(&app).await, 1);
        assert_eq!((signed.cosigners.len(), signed.invited.len()), (1, 0));
        let (status, body) = app
            .call(
                "edit_amendment",
                Some(&amelie),
                &[
                    ("motion_id", &motion_id),
                    ("amendment_id", "1"),
                    ("base_version", "1"),
                    ("text", &text.replacen("Des millions", "Des centaines", 1)),
                    ("rationale", "Plus juste."),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let edited = by_number(&list(&app).await, 1);
        assert_eq!(edited.cosigners.len(), 0);
        assert_eq!(edited.invited.len(), 1);
        assert_eq!(edited.rationale, "Plus juste.");
        assert!(
            edited
                .proposed_text
                .as_deref()
                .is_some_and(|t| t.contains("Des centaines"))
        );
        // Only the author edits.
        let (status, body) = app
            .call(
                "edit_amendment",
                Some(&karim),
                &[
                    ("motion_id", &motion_id),
                    ("amendment_id", "1"),
                    ("text", "Autre."),
                    ("rationale", ""),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert!(matches!(refusal(&body), Refusal::NotTheAuthor { .. }));
        assert_eq!(edited.status, AmendmentStatusCode::Filed);
    }
}

#[tokio::test]
async fn an_editorial_fix_makes_a_competing_amendment_conflict_and_its_author_resolves_it() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let amelie = app.sign_in(DELEGATE).await;
        let motion_id = app.demo_motion.to_string();
        let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        let first_word = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        file_ok(
            &app,
            &amelie,
            first,
            1,
            &text.replacen(&first_word, "Plusieurs", 1),
        )
        .await;

        // The fix touches the same words: the amendment is now in conflict.
        let (status, body) = app
            .call(
                "editorial_fix",
                Some(&organizer),
                &[
                    ("motion_id", &motion_id),
                    ("paragraph_id", &first.to_string()),
                    ("seen_version", "1"),
                    ("text", &text.replacen(&first_word, "Quelques", 1)),
                    ("reason", "Coquille."),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let conflicted = by_number(&list(&app).await, 1);
        let conflict = conflicted.conflict.clone().expect("a conflict to resolve");
        assert_eq!(conflict.onto_version, 2);
        assert!(
            conflict.current_text.starts_with("Quelques"),
            "{conflict:?}"
        );
        assert!(
            conflict
                .regions
                .iter()
                .any(|(now, proposed)| now.contains("Quelques") && proposed.contains("Plusieurs")),
            "{conflict:?}"
        );

        let (status, body) = app
            .call(
                "resolve_conflict",
                Some(&amelie),
                &[
                    ("motion_id", &motion_id),
                    ("amendment_id", "1"),
                    ("text", &text.replacen(&first_word, "Plusieurs", 1)),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let resolved = by_number(&list(&app).await, 1);
        assert!(resolved.conflict.is_none() && !resolved.conflicted);
        assert_eq!(resolved.applies_to, Some(2));
        verify_chain(&chain(&app.db, app.demo_motion).await).expect("the chain verifies");
    }
}

#[tokio::test]
async fn the_chair_puts_a_paragraph_then_an_amendment_under_debate_and_the_reader_says_so() {
    const CHAIR: (&str, &str) = ("bernard.lemoine@congres-demo.fr", "demo-presidence-2026");
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let organizer = app.sign_in(ORGANIZER).await;
        let chair = app.sign_in(CHAIR).await;
        let amelie = app.sign_in(DELEGATE).await;
        let motion_id = app.demo_motion.to_string();
        let (first, text) = paragraphs(&app.db, app.demo_motion).await[0].clone();
        file_ok(
            &app,
            &amelie,
            first,
            1,
            &text.replacen("Des millions", "Des milliers", 1),
        )
        .await;
        let put = |cookie: String, field: &'static str, id: i32| {
            let app = &app;
            let motion_id = motion_id.clone();
            async move {
                app.call(
                    "set_current_item",
                    Some(&cookie),
                    &[("motion_id", &motion_id), (field, &id.to_string())],
                )
                .await
            }
        };
        // Not before the session opens.
        let (status, body) = put(chair.clone(), "paragraph_id", first).await;
        assert_eq!(status, 422, "{body}");
        assert!(matches!(refusal(&body), Refusal::PhaseForbids { .. }));
        let (status, _) = app
            .call(
                "change_phase",
                Some(&organizer),
                &[("motion_id", &motion_id), ("to", "session")],
            )
            .await;
        assert_eq!(status, 200);

        assert_eq!(put(amelie.clone(), "paragraph_id", first).await.0, 403);
        assert_eq!(put(chair.clone(), "paragraph_id", first).await.0, 200);
        let current = motion(&app, app.demo_motion)
            .await
            .current_item
            .expect("an item");
        assert_eq!(
            (current.paragraph_id, current.amendment_id),
            (Some(first), None)
        );

        assert_eq!(put(chair.clone(), "amendment_id", 1).await.0, 200);
        let current = motion(&app, app.demo_motion)
            .await
            .current_item
            .expect("an item");
        assert_eq!(
            (
                current.paragraph_id,
                current.amendment_id,
                current.amendment_number
            ),
            (Some(first), Some(1), Some(1))
        );
        let (status, _) = app
            .call(
                "set_current_item",
                Some(&chair),
                &[("motion_id", &motion_id)],
            )
            .await;
        assert_eq!(status, 200);
        assert!(motion(&app, app.demo_motion).await.current_item.is_none());
        verify_chain(&chain(&app.db, app.demo_motion).await).expect("the chain verifies");
    }
}
