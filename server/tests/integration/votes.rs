//! Votes through the server functions, on both engines: a ballot on an amendment from opening to the merged
//! paragraph; refusals (closed ballot, observer, suspended member, no proxy, already voted); idempotent retries
//! and changes of vote; proxies; hall counts; the final vote; and concurrent submissions that never make a
//! second ballot.

use app::{
    api::{
        ApiError, BallotResultView, FiledAmendment, ParagraphHistoryView, ProvenanceView,
        VoteReceiptView, VotingView,
    },
    ssr::store::entities::{vote, vote_receipt},
};
use domain::{
    ballot::{Choice, Outcome},
    motion::Phase,
    refusal::Refusal,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    amendments::{paragraphs, refusal},
    support::{BOTH, DELEGATE, OBSERVER, ORGANIZER, TestApp, member_id},
};

const CHAIR: (&str, &str) = ("bernard.lemoine@congres-demo.fr", "demo-presidence-2026");
const KARIM: (&str, &str) = ("karim.benali@congres-demo.fr", "demo-delegue-2026");
const SOPHIE: (&str, &str) = ("sophie.marchand@congres-demo.fr", "demo-maire-2026");
const JEAN_LUC: (&str, &str) = (
    "jean-luc.perrin@congres-demo.fr",
    "demo-intercommunalite-2026",
);

/// Signed-in cookies of the demo's people.
pub(crate) struct People {
    pub(crate) organizer: String,
    pub(crate) chair: String,
    pub(crate) amelie: String,
    pub(crate) karim: String,
    pub(crate) sophie: String,
    pub(crate) jean_luc: String,
    pub(crate) observer: String,
}

impl People {
    pub(crate) async fn sign_in(app: &TestApp) -> Self {
        People {
            organizer: app.sign_in(ORGANIZER).await,
            chair: app.sign_in(CHAIR).await,
            amelie: app.sign_in(DELEGATE).await,
            karim: app.sign_in(KARIM).await,
            sophie: app.sign_in(SOPHIE).await,
            jean_luc: app.sign_in(JEAN_LUC).await,
            observer: app.sign_in(OBSERVER).await,
        }
    }
}

pub(crate) async fn ok(
    app: &TestApp,
    function: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> String {
    let (status, body) = app.call(function, Some(cookie), form).await;
    assert_eq!(status, 200, "{function}: {body}");
    body
}

/// Files an admissible amendment replacing the demo's first paragraph, then moves the motion to the session.
pub(crate) async fn admissible_amendment_in_session(
    app: &TestApp,
    people: &People,
    text: &str,
) -> i32 {
    let motion = app.demo_motion.to_string();
    let first = paragraphs(&app.db, app.demo_motion).await[0].0.to_string();
    let body = ok(
        app,
        "file_amendment",
        &people.amelie,
        &[
            ("motion_id", &motion),
            ("kind", "replace"),
            ("paragraph_id", &first),
            ("base_version", "1"),
            ("text", text),
            ("rationale", "Plus juste."),
        ],
    )
    .await;
    let filed: FiledAmendment = serde_json::from_str(&body).expect("filed");
    let id = filed.id.get().to_string();
    let form = [
        ("motion_id", motion.as_str()),
        ("amendment_id", id.as_str()),
    ];
    ok(app, "co_sign_amendment", &people.karim, &form).await;
    ok(app, "declare_admissible", &people.organizer, &form).await;
    ok(
        app,
        "change_phase",
        &people.organizer,
        &[("motion_id", &motion), ("to", "session")],
    )
    .await;
    filed.id.get()
}

pub(crate) async fn open_on_amendment(
    app: &TestApp,
    people: &People,
    amendment: i32,
    extra: &[(&str, &str)],
) -> i32 {
    let motion = app.demo_motion.to_string();
    let amendment = amendment.to_string();
    let mut form = vec![
        ("motion_id", motion.as_str()),
        ("subject", "amendment"),
        ("subject_id", amendment.as_str()),
    ];
    form.extend_from_slice(extra);
    ok(app, "open_ballot", &people.chair, &form)
        .await
        .parse()
        .expect("the ballot's id")
}

async fn vote(
    app: &TestApp,
    cookie: &str,
    ballot: i32,
    represented: Option<i32>,
    choice: &str,
    key: &str,
) -> (u16, String) {
    let ballot = ballot.to_string();
    let represented = represented.map(|r| r.to_string());
    let mut form = vec![
        ("ballot_id", ballot.as_str()),
        ("choice", choice),
        ("key", key),
    ];
    if let Some(represented) = &represented {
        form.push(("represented", represented.as_str()));
    }
    app.call("cast_vote", Some(cookie), &form).await
}

pub(crate) async fn vote_ok(
    app: &TestApp,
    cookie: &str,
    ballot: i32,
    choice: &str,
    key: &str,
) -> VoteReceiptView {
    let (status, body) = vote(app, cookie, ballot, None, choice, key).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("a receipt")
}

pub(crate) async fn close(
    app: &TestApp,
    people: &People,
    ballot: i32,
    roll_call: Option<u32>,
) -> (u16, String) {
    let motion = app.demo_motion.to_string();
    let ballot = ballot.to_string();
    let roll_call = roll_call.map(|r| r.to_string());
    let mut form = vec![
        ("motion_id", motion.as_str()),
        ("ballot_id", ballot.as_str()),
    ];
    if let Some(roll_call) = &roll_call {
        form.push(("roll_call", roll_call.as_str()));
    }
    app.call("close_ballot", Some(&people.chair), &form).await
}

pub(crate) async fn result(app: &TestApp, ballot: i32) -> BallotResultView {
    let motion = app.demo_motion.to_string();
    let ballot = ballot.to_string();
    let (status, body) = app
        .call(
            "ballot_result",
            None,
            &[("motion_id", &motion), ("ballot_id", &ballot)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("a result")
}

async fn votes_in(db: &DatabaseConnection, ballot: i32) -> u64 {
    vote::Entity::find()
        .filter(vote::Column::BallotId.eq(ballot))
        .count(db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_ballot_on_an_amendment_runs_from_opening_to_the_merged_paragraph() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let text =
            "Le numérique public se construit avec les communes, au plus près des habitants.";
        let amendment = admissible_amendment_in_session(&app, &people, text).await;
        let ballot = open_on_amendment(&app, &people, amendment, &[("allow_change", "on")]).await;

        // The panel shows the open ballot, and whom each one votes for.
        let motion = app.demo_motion.to_string();
        let (_, body) = app
            .call(
                "voting_panel",
                Some(&people.karim),
                &[("motion_id", &motion)],
            )
            .await;
        let panel: VotingView = serde_json::from_str(&body).expect("panel");
        assert_eq!(
            panel.open.as_ref().map(|b| b.id),
            Some(ballot),
            "{backend:?}"
        );
        assert_eq!(panel.seats.len(), 1);
        assert!(panel.seats[0].own && panel.seats[0].recorded.is_none());

        let first = vote_ok(&app, &people.amelie, ballot, "pour", "k-amelie-1").await;
        assert!(!first.replayed && !first.changed);
        vote_ok(&app, &people.karim, ballot, "pour", "k-karim-1").await;
        vote_ok(&app, &people.sophie, ballot, "contre", "k-sophie-1").await;
        // Sophie changes her mind (this ballot allows it): still one ballot for her.
        let changed = vote_ok(&app, &people.sophie, ballot, "abstention", "k-sophie-2").await;
        assert!(changed.changed);
        assert_eq!(votes_in(&app.db, ballot).await, 3);

        // The chair counts a show of hands in the hall as a separate line.
        ok(
            &app,
            "record_hall_count",
            &people.chair,
            &[
                ("motion_id", &motion),
                ("ballot_id", &ballot.to_string()),
                ("label", "Salle — à main levée"),
                ("pour", "0"),
                ("contre", "1"),
                ("abstention", "0"),
            ],
        )
        .await;

        let (status, body) = close(&app, &people, ballot, None).await;
        assert_eq!(status, 200, "{body}");
        let closed = result(&app, ballot).await;
        assert_eq!(closed.ballot.outcome, Some(Outcome::Adopted));
        assert_eq!(
            closed.ballot.explanation.as_ref().map(|e| e.0.as_str()),
            Some(
                "adopté : 2 pour, 1 contre, 1 abstention (dont 1 à main levée) ; majorité des suffrages exprimés (2 voix requises)"
            )
        );
        assert_eq!(closed.ballot.hall_counts.len(), 1);
        // Named votes: who voted what.
        let named: Vec<(String, Choice)> = closed
            .votes
            .iter()
            .map(|v| (v.member_name.clone(), v.choice))
            .collect();
        assert_eq!(named.len(), 3);
        assert!(named.contains(&("Sophie Marchand".to_owned(), Choice::Abstention)));

        // The paragraph's new version is the amendment's text, with the ballot as provenance.
        assert_eq!(paragraphs(&app.db, app.demo_motion).await[0].1, text);
        let first_paragraph = paragraphs(&app.db, app.demo_motion).await[0].0.to_string();
        let (_, body) = app
            .call(
                "paragraph_history",
                None,
                &[("motion_id", &motion), ("paragraph_id", &first_paragraph)],
            )
            .await;
        let history: ParagraphHistoryView = serde_json::from_str(&body).expect("history");
        assert!(matches!(
            history.versions.last().map(|v| &v.provenance),
            Some(ProvenanceView::Amendment { amendment_id, ballot_id: Some(b), ballot_number: Some(1), .. })
                if *amendment_id == amendment && *b == ballot
        ));

        // Closed is closed: no more votes.
        let (status, body) = vote(&app, &people.jean_luc, ballot, None, "pour", "k-late").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            refusal(&body),
            Refusal::BallotNotOpen {
                ballot: domain::ids::BallotId(ballot)
            }
        );
        assert_eq!(votes_in(&app.db, ballot).await, 3);
    }
}

#[tokio::test]
async fn who_may_not_vote_is_refused_with_a_reason_and_nothing_is_written() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let amendment =
            admissible_amendment_in_session(&app, &people, "Un texte amendé pour voter.").await;
        let ballot = open_on_amendment(&app, &people, amendment, &[]).await;

        // An observer and the chair do not vote.
        for cookie in [&people.observer, &people.chair] {
            let (status, body) = vote(&app, cookie, ballot, None, "pour", "k-no").await;
            assert_eq!(status, 403, "{backend:?}: {body}");
            let error: ApiError = serde_json::from_str(&body).expect("an error");
            assert_eq!(error, ApiError::Forbidden);
        }
        // Nobody votes for someone whose proxy they do not hold.
        let karim = member_id(&app.db, KARIM.0).await;
        let (status, body) =
            vote(&app, &people.amelie, ballot, Some(karim), "pour", "k-proxy").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            refusal(&body),
            Refusal::NoProxy {
                member: domain::ids::MemberId(karim)
            }
        );
        // Bad input: an unknown choice, an empty key.
        let (status, _) = vote(&app, &people.amelie, ballot, None, "oui", "k-bad").await;
        assert_eq!(status, 400);
        let (status, _) = vote(&app, &people.amelie, ballot, None, "pour", "").await;
        assert_eq!(status, 400);
        // Without a session.
        let (status, _) = app
            .call(
                "cast_vote",
                None,
                &[
                    ("ballot_id", &ballot.to_string()),
                    ("choice", "pour"),
                    ("key", "k"),
                ],
            )
            .await;
        assert_eq!(status, 401);
        // A suspended member: their session ends, and signing in again does not let them vote.
        let jean_luc = member_id(&app.db, JEAN_LUC.0).await;
        ok(
            &app,
            "set_member_status",
            &people.organizer,
            &[
                ("member_id", &jean_luc.to_string()),
                ("status", "suspended"),
            ],
        )
        .await;
        let (status, _) = vote(&app, &people.jean_luc, ballot, None, "pour", "k-suspended").await;
        assert!(status == 401 || status == 403, "{status}");
        let again = app.sign_in_response(JEAN_LUC).await;
        if let Some(cookie) = crate::support::session_cookie(&again) {
            let (status, body) = vote(&app, &cookie, ballot, None, "pour", "k-suspended-2").await;
            assert!(status == 401 || status == 403, "{status}: {body}");
        }
        assert_eq!(votes_in(&app.db, ballot).await, 0, "{backend:?}");
    }
}

#[tokio::test]
async fn a_retry_gets_the_first_answer_and_a_ballot_without_changes_says_already_voted() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let amendment =
            admissible_amendment_in_session(&app, &people, "Un texte pour les retentatives.").await;
        let ballot = open_on_amendment(&app, &people, amendment, &[("allow_change", "off")]).await;

        let first = vote_ok(&app, &people.amelie, ballot, "pour", "k-same").await;
        // The same key again (a retry after a drop, a double click): the same answer, nothing new.
        let retry = vote_ok(&app, &people.amelie, ballot, "pour", "k-same").await;
        assert_eq!(retry.recorded_at, first.recorded_at);
        assert!(retry.replayed);
        // A replay of the key with another choice does not change the vote either.
        let replay = vote_ok(&app, &people.amelie, ballot, "contre", "k-same").await;
        assert_eq!(replay.choice, Choice::Pour);
        // A second tab (new key) with the same choice: the original acknowledgement.
        let tab = vote_ok(&app, &people.amelie, ballot, "pour", "k-tab-2").await;
        assert_eq!((tab.recorded_at, tab.replayed), (first.recorded_at, true));
        // Another choice: changes are not allowed here.
        let (status, body) = vote(&app, &people.amelie, ballot, None, "contre", "k-tab-3").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            refusal(&body),
            Refusal::AlreadyVoted {
                ballot: domain::ids::BallotId(ballot)
            }
        );
        assert_eq!(votes_in(&app.db, ballot).await, 1, "{backend:?}");
        let receipts = vote_receipt::Entity::find()
            .filter(vote_receipt::Column::BallotId.eq(ballot))
            .count(&app.db)
            .await
            .expect("receipts");
        assert_eq!(receipts, 2, "k-same and k-tab-2");
    }
}

#[tokio::test]
async fn a_vote_posted_by_the_page_without_javascript_is_recorded_and_leads_back_to_the_page() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let amendment =
            admissible_amendment_in_session(&app, &people, "Un texte voté sans JavaScript.").await;
        let ballot = open_on_amendment(&app, &people, amendment, &[]).await;
        let page = format!("/motions/{}", app.demo_motion);
        let html = app
            .get_with_cookie(&page, &people.amelie)
            .await
            .text()
            .await
            .expect("the page");
        // The form as the server rendered it, before any script: its target and its idempotency key.
        assert!(html.contains("action=\"/api/fn/cast_vote\""), "{backend:?}");
        let key = html
            .split("name=\"key\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .filter(|key| !key.is_empty())
            .expect("an idempotency key in the page")
            .to_owned();
        let me = member_id(&app.db, DELEGATE.0).await.to_string();
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let form = [
            ("ballot_id", ballot.to_string()),
            ("represented", me),
            ("key", key),
            ("choice", "pour".to_owned()),
        ];
        let post = || {
            browser
                .post(app.url("/api/fn/cast_vote"))
                .header("cookie", &people.amelie)
                .header("origin", app.url(""))
                .header("referer", app.url(&page))
                .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .form(&form)
                .send()
        };
        let response = post().await.expect("sent");
        assert!(
            response.status().is_redirection(),
            "{backend:?}: {}",
            response.status()
        );
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        // Leptos leads back to the page (with an empty query when the call succeeded).
        let back = location.split('?').next().unwrap_or_default();
        assert!(back.ends_with(&page), "back to the page: {location}");
        assert!(!location.contains("error"), "{location}");
        assert_eq!(votes_in(&app.db, ballot).await, 1);
        // Pressing the button twice (the page was not reloaded in between): still one vote.
        assert!(post().await.expect("sent").status().is_redirection());
        assert_eq!(votes_in(&app.db, ballot).await, 1, "{backend:?}");
    }
}

#[tokio::test]
async fn a_proxy_holder_votes_for_the_member_who_cannot_then_vote_twice() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion.to_string();
        let amelie = member_id(&app.db, DELEGATE.0).await;
        let karim = member_id(&app.db, KARIM.0).await;
        let sophie = member_id(&app.db, SOPHIE.0).await;
        // Karim gives his proxy to Amélie; the default limit is one per holder.
        ok(
            &app,
            "add_proxy",
            &people.organizer,
            &[
                ("motion_id", &motion),
                ("holder", &amelie.to_string()),
                ("represented", &karim.to_string()),
            ],
        )
        .await;
        let (status, body) = app
            .call(
                "add_proxy",
                Some(&people.organizer),
                &[
                    ("motion_id", &motion),
                    ("holder", &amelie.to_string()),
                    ("represented", &sophie.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(matches!(refusal(&body), Refusal::ProxyRefused { .. }));
        // A delegate cannot record proxies.
        let (status, _) = app
            .call(
                "add_proxy",
                Some(&people.karim),
                &[
                    ("motion_id", &motion),
                    ("holder", &sophie.to_string()),
                    ("represented", &karim.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 403);

        let amendment =
            admissible_amendment_in_session(&app, &people, "Un texte voté par procuration.").await;
        let ballot = open_on_amendment(&app, &people, amendment, &[]).await;
        let (_, body) = app
            .call(
                "voting_panel",
                Some(&people.amelie),
                &[("motion_id", &motion)],
            )
            .await;
        let panel: VotingView = serde_json::from_str(&body).expect("panel");
        let seats: Vec<(i32, bool)> = panel.seats.iter().map(|s| (s.member_id, s.own)).collect();
        assert_eq!(seats, vec![(amelie, true), (karim, false)], "{backend:?}");

        vote_ok(&app, &people.amelie, ballot, "pour", "k-a").await;
        let (status, body) = vote(
            &app,
            &people.amelie,
            ballot,
            Some(karim),
            "contre",
            "k-a-for-k",
        )
        .await;
        assert_eq!(status, 200, "{body}");
        // Each seat shows the vote cast for its own member (read for every seat at once).
        let (_, body) = app
            .call(
                "voting_panel",
                Some(&people.amelie),
                &[("motion_id", &motion)],
            )
            .await;
        let panel: VotingView = serde_json::from_str(&body).expect("panel");
        let recorded: Vec<(i32, Option<Choice>)> = panel
            .seats
            .iter()
            .map(|s| (s.member_id, s.recorded.map(|(choice, _)| choice)))
            .collect();
        assert_eq!(
            recorded,
            vec![(amelie, Some(Choice::Pour)), (karim, Some(Choice::Contre))],
            "{backend:?}"
        );
        // Karim gave his proxy: he does not vote himself meanwhile.
        let (status, body) = vote(&app, &people.karim, ballot, None, "pour", "k-k").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            refusal(&body),
            Refusal::ProxyGiven {
                member: domain::ids::MemberId(karim)
            }
        );
        close(&app, &people, ballot, None).await;
        let closed = result(&app, ballot).await;
        let karims = closed
            .votes
            .iter()
            .find(|v| v.member_name == "Karim Benali")
            .expect("Karim's vote");
        assert_eq!(
            (karims.cast_by_name.as_str(), karims.choice),
            ("Amélie Rousseau", Choice::Contre),
            "the audit shows who cast it on whose behalf"
        );
        assert_eq!(votes_in(&app.db, ballot).await, 2);
    }
}

#[tokio::test]
async fn concurrent_submissions_from_tabs_replays_and_a_proxy_make_exactly_one_ballot_each() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion.to_string();
        let amelie = member_id(&app.db, DELEGATE.0).await;
        let karim = member_id(&app.db, KARIM.0).await;
        ok(
            &app,
            "add_proxy",
            &people.organizer,
            &[
                ("motion_id", &motion),
                ("holder", &amelie.to_string()),
                ("represented", &karim.to_string()),
            ],
        )
        .await;
        let amendment =
            admissible_amendment_in_session(&app, &people, "Un texte sous une averse de votes.")
                .await;
        let ballot = open_on_amendment(&app, &people, amendment, &[("allow_change", "off")]).await;

        // Ten attempts each, at once: the same key replayed, new keys (tabs), the holder and the represented
        // member for the same seat.
        let mut attempts = Vec::new();
        for i in 0..10 {
            let key = if i % 2 == 0 {
                "same".to_owned()
            } else {
                format!("tab-{i}")
            };
            attempts.push((people.sophie.clone(), None, format!("s-{key}")));
            attempts.push((people.jean_luc.clone(), None, format!("j-{key}")));
            attempts.push((people.amelie.clone(), Some(karim), format!("ak-{key}")));
            attempts.push((people.karim.clone(), None, format!("k-{key}")));
        }
        let answers =
            futures_util::future::join_all(attempts.iter().map(|(cookie, represented, key)| {
                vote(&app, cookie, ballot, *represented, "pour", key)
            }))
            .await;
        for (status, body) in &answers {
            match status {
                200 => {}
                422 => assert!(matches!(
                    refusal(body),
                    Refusal::AlreadyVoted { .. } | Refusal::ProxyGiven { .. }
                )),
                other => panic!("{backend:?}: unexpected {other}: {body}"),
            }
        }
        // Sophie, Jean-Luc, and Karim (through Amélie): three ballots, whatever the storm.
        assert_eq!(votes_in(&app.db, ballot).await, 3, "{backend:?}");
        let ok_count = answers.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            ok_count, 30,
            "every attempt of a seat that may vote is acknowledged"
        );
    }
}

#[tokio::test]
async fn the_final_vote_adopts_the_motion_and_a_quorum_can_fail() {
    for backend in BOTH {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let motion = app.demo_motion.to_string();
        ok(
            &app,
            "change_phase",
            &people.organizer,
            &[("motion_id", &motion), ("to", "session")],
        )
        .await;
        // A quorum of everyone registered: two of the four delegates vote, nothing is decided.
        let ballot: i32 = ok(
            &app,
            "open_ballot",
            &people.chair,
            &[
                ("motion_id", &motion),
                ("subject", "motion"),
                ("quorum", "1/1"),
            ],
        )
        .await
        .parse()
        .expect("id");
        // While the ballot is open, the phase cannot change.
        let (status, body) = app
            .call(
                "change_phase",
                Some(&people.organizer),
                &[("motion_id", &motion), ("to", "amending")],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        vote_ok(&app, &people.amelie, ballot, "pour", "q-1").await;
        vote_ok(&app, &people.karim, ballot, "pour", "q-2").await;
        close(&app, &people, ballot, None).await;
        let quorum = result(&app, ballot).await;
        assert_eq!(
            quorum.ballot.outcome,
            Some(Outcome::QuorumNotMet),
            "{backend:?}"
        );
        assert!(
            quorum
                .ballot
                .explanation
                .as_ref()
                .is_some_and(|e| e.0.starts_with("quorum non atteint : 2 votants")),
            "{:?}",
            quorum.ballot.explanation
        );

        let ballot: i32 = ok(
            &app,
            "open_ballot",
            &people.chair,
            &[
                ("motion_id", &motion),
                ("subject", "motion"),
                ("majority", "two_thirds"),
            ],
        )
        .await
        .parse()
        .expect("id");
        vote_ok(&app, &people.amelie, ballot, "pour", "f-1").await;
        vote_ok(&app, &people.karim, ballot, "pour", "f-2").await;
        vote_ok(&app, &people.sophie, ballot, "contre", "f-3").await;
        close(&app, &people, ballot, Some(5)).await;
        let adopted = result(&app, ballot).await;
        assert_eq!(adopted.ballot.outcome, Some(Outcome::Adopted));
        let phase: domain::motion::Phase = {
            let (_, body) = app.call("get_motion", None, &[("id", &motion)]).await;
            serde_json::from_str::<app::api::MotionView>(&body)
                .expect("motion")
                .phase
        };
        assert_eq!(phase, Phase::Adopted);
        // Frozen: no ballot opens any more.
        let (status, _) = app
            .call(
                "open_ballot",
                Some(&people.chair),
                &[("motion_id", &motion), ("subject", "motion")],
            )
            .await;
        assert_eq!(status, 422);
    }
}
