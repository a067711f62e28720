//! The voting panel of a motion (the open ballot, one group of buttons per seat the member votes for, the last
//! result) and the labels, badges and links every ballot view shares. Calls `api::ballots` only.

use domain::ballot::{BallotRules, BallotSubject, Choice, Majority, Outcome};
use leptos::prelude::*;

use crate::{
    api::{BallotView, CastVote, VoterSeat, voting_panel},
    i18n::{Locale, t, tr, tr_with, use_i18n},
    ui::live::Live,
};

/// The translation key of a choice as a button says it ("Pour").
pub fn choice_key(choice: Choice) -> &'static str {
    match choice {
        Choice::Pour => "vote.choice.pour",
        Choice::Contre => "vote.choice.contre",
        Choice::Abstention => "vote.choice.abstention",
    }
}

/// The translation key of a choice inside a sentence ("« pour »").
pub fn choice_word_key(choice: Choice) -> &'static str {
    match choice {
        Choice::Pour => "vote.word.pour",
        Choice::Contre => "vote.word.contre",
        Choice::Abstention => "vote.word.abstention",
    }
}

/// The translation key of an outcome.
pub fn outcome_key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Adopted => "ballot.outcome.adopted",
        Outcome::Rejected => "ballot.outcome.rejected",
        Outcome::QuorumNotMet => "ballot.outcome.quorum_not_met",
    }
}

/// "15 h 42" / "15:42" (Paris time).
pub fn time_label(locale: Locale, millis: i64) -> String {
    match locale {
        Locale::Fr => domain::calendar::time_fr(millis),
        Locale::En => domain::calendar::time_en(millis),
    }
}

/// "22 novembre 2026, 15 h 42" / "22 November 2026, 15:42" (Paris time).
pub fn date_time_label(locale: Locale, millis: i64) -> String {
    let paris = millis + domain::calendar::paris_offset_minutes(millis) * 60_000;
    let iso = domain::calendar::iso_date_from_millis(paris);
    let date = match locale {
        Locale::Fr => domain::calendar::long_date_fr(&iso),
        Locale::En => domain::calendar::long_date_en(&iso),
    };
    format!("{date}, {}", time_label(locale, millis))
}

/// The majority's name.
pub fn majority_label(locale: Locale, majority: Majority) -> &'static str {
    match locale {
        Locale::Fr => majority.label_fr(),
        Locale::En => majority.label_en(),
    }
}

/// The quorum in words, or "no quorum".
pub fn quorum_label(locale: Locale, rules: &BallotRules) -> String {
    match (rules.quorum, locale) {
        (Some(q), Locale::Fr) => q.label_fr(),
        (Some(q), Locale::En) => q.label_en(),
        (None, _) => tr(locale, "ballot.no_quorum").to_owned(),
    }
}

/// The result in words, in the reader's language.
pub fn explanation_text(locale: Locale, explanation: &(String, String)) -> String {
    match locale {
        Locale::Fr => explanation.0.clone(),
        Locale::En => explanation.1.clone(),
    }
}

/// "Scrutin n° 3 : Amendement n° 4".
pub fn ballot_heading(locale: Locale, ballot: &BallotView) -> String {
    tr_with(
        locale,
        "ballot.heading",
        &[("n", &ballot.number.to_string()), ("title", &ballot.title)],
    )
}

/// What the ballot decides, in words.
pub fn subject_label(locale: Locale, subject: &BallotSubject) -> String {
    match subject {
        BallotSubject::Amendment { .. } => tr(locale, "ballot.subject.amendment").to_owned(),
        BallotSubject::Paragraph { .. } => tr(locale, "ballot.subject.paragraph").to_owned(),
        BallotSubject::Motion => tr(locale, "ballot.subject.motion").to_owned(),
    }
}

/// "1 min 05 s" left before `closes_at`, or `None` once passed.
pub fn countdown_label(locale: Locale, closes_at: i64, now: i64) -> Option<String> {
    let left = (closes_at - now).max(0) / 1000;
    (left > 0).then(|| {
        tr_with(
            locale,
            "ballot.countdown",
            &[
                ("m", &(left / 60).to_string()),
                ("s", &format!("{:02}", left % 60)),
            ],
        )
    })
}

/// A fresh idempotency key for one intent of one seat.
pub fn fresh_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "random shares of 2^52 and a positive time in ms"
        )]
        let parts = (
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64,
            (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64,
        );
        format!("{:x}-{:x}-{:x}", parts.0, parts.1, parts.2)
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        uuid::Uuid::new_v4().simple().to_string()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::from("cle")
    }
}

/// The time now (ms) in the browser, ticking each second once hydrated; `None` on the server.
fn clock() -> ReadSignal<Option<i64>> {
    let (now, set_now) = signal(None::<i64>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            #[expect(clippy::cast_possible_truncation, reason = "a time in ms")]
            let read = || js_sys::Date::now() as i64;
            set_now.set(Some(read()));
            if let Ok(handle) = set_interval_with_handle(
                move || {
                    set_now.try_set(Some(read()));
                },
                std::time::Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = set_now;
    });
    now
}

/// The voting panel shown above a motion's text: the open ballot with the member's seats, and the last result.
#[component]
pub fn VotePanel(motion_id: i32, live: Live) -> impl IntoView {
    let data = Resource::new(
        move || live.tick.get(),
        move |_| async move { voting_panel(motion_id).await },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let open = view.open.clone().map(|ballot| view! {
                            <OpenBallot ballot seats=view.seats.clone() reason=view.no_seat_reason.clone() live/>
                        });
                        let last = view.closed.first().cloned().map(|ballot| view! { <LastResult motion_id ballot/> });
                        view! { {open} {last} }.into_any()
                    }
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The reason why someone signed in has no seat.
fn reason_key(reason: &str) -> &'static str {
    match reason {
        "refusal.proxy_given" => "refusal.proxy_given",
        _ => "voting.not_a_voter",
    }
}

#[component]
fn OpenBallot(
    ballot: BallotView,
    seats: Vec<VoterSeat>,
    reason: Option<String>,
    live: Live,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let now = clock();
    let ballot_id = ballot.id;
    let closes_at = ballot.closes_at;
    let allow_change = ballot.rules.allow_change;
    let heading = {
        let ballot = ballot.clone();
        move || ballot_heading(locale.get(), &ballot)
    };
    let figures = ballot_figures(ballot.clone(), live);
    view! {
        <section class="vote-panel" aria-labelledby="scrutin-en-cours" data-ballot=ballot_id>
            <h2 id="scrutin-en-cours">{t("vote.open_ballot")} " — " {heading}</h2>
            {closes_at.map(|at| view! {
                <p class="vote-panel__countdown">
                    {move || tr_with(locale.get(), "ballot.closes_at", &[("time", &time_label(locale.get(), at))])}
                    {move || now.get().and_then(|now| countdown_label(locale.get(), at, now)).map(|left| format!(" — {left}"))}
                </p>
            })}
            {figures}
            {reason.map(|reason| {
                let key = reason_key(&reason);
                view! { <p class="notice">{move || tr(locale.get(), key)}</p> }
            })}
            {(!allow_change).then(|| view! { <p class="field__hint">{t("vote.no_change")}</p> })}
            <div class="vote-panel__seats">
                {seats.into_iter().map(|seat| view! { <SeatForm ballot_id seat/> }).collect_view()}
            </div>
        </section>
    }
}

/// Turnout (live when the socket tells it) and, if the ballot shows them, the counts.
pub fn ballot_figures(ballot: BallotView, live: Live) -> impl IntoView {
    let locale = use_i18n().locale;
    let (id, turnout, eligible, counts) =
        (ballot.id, ballot.turnout, ballot.eligible, ballot.counts);
    let figures = move || {
        live.tally
            .get()
            .filter(|frame| frame.ballot.get() == id && frame.turnout >= turnout)
            .map_or((turnout, eligible, counts), |frame| {
                (frame.turnout, frame.eligible, frame.counts.or(counts))
            })
    };
    view! {
        <p class="vote-panel__turnout" aria-live="polite" data-turnout=move || figures().0>
            {move || {
                let (turnout, eligible, _) = figures();
                tr_with(locale.get(), "vote.turnout", &[("n", &turnout.to_string()), ("e", &eligible.to_string())])
            }}
        </p>
        {move || figures().2.map(|counts| view! {
            <p class="vote-panel__counts">
                {move || tr_with(locale.get(), "vote.counts", &[
                    ("pour", &counts.pour.to_string()),
                    ("contre", &counts.contre.to_string()),
                    ("abstention", &counts.abstention.to_string()),
                ])}
            </p>
        })}
    }
}

#[component]
fn SeatForm(ballot_id: i32, seat: VoterSeat) -> impl IntoView {
    let locale = use_i18n().locale;
    let action = ServerAction::<CastVote>::new();
    let key = RwSignal::new(fresh_key());
    let intent = RwSignal::new(None::<Choice>);
    let member_id = seat.member_id;
    let group = format!("siege-{member_id}");
    let name = seat.name.clone();
    let own = seat.own;
    let initial = seat.recorded;
    // The latest acknowledged choice: this page's last receipt, else what the server had.
    let acknowledged = RwSignal::new(None::<(Choice, i64)>);
    let recorded = Memo::new(move |_| acknowledged.get().or(initial));
    // After an acknowledgement, the next intent gets a new key.
    Effect::new(move |_| {
        if let Some(Ok(receipt)) = action.value().get() {
            acknowledged.set(Some((receipt.choice, receipt.recorded_at)));
            intent.set(None);
            key.set(fresh_key());
        }
    });
    let vote = move |choice: Choice| {
        // A retry of the same intent keeps its key; another choice is another intent.
        if intent.get_untracked() != Some(choice) {
            key.set(fresh_key());
            intent.set(Some(choice));
        }
        action.dispatch(CastVote {
            ballot_id,
            represented: Some(member_id),
            choice: choice.code().to_owned(),
            key: key.get_untracked(),
        });
    };
    let legend = {
        let name = name.clone();
        move || {
            if own {
                tr(locale.get(), "vote.own_seat").to_owned()
            } else {
                tr_with(locale.get(), "vote.proxy_seat", &[("name", &name)])
            }
        }
    };
    let confirmation = {
        let name = name.clone();
        move || {
            recorded.get().map(|(choice, at)| {
                let l = locale.get();
                let word = tr(l, choice_word_key(choice));
                let time = time_label(l, at);
                if own {
                    tr_with(l, "vote.recorded", &[("choice", word), ("time", &time)])
                } else {
                    tr_with(
                        l,
                        "vote.recorded_for",
                        &[("choice", word), ("time", &time), ("name", &name)],
                    )
                }
            })
        }
    };
    let cast_url = <CastVote as leptos::server_fn::ServerFn>::url();
    let error = move || match action.value().get() {
        Some(Err(error)) => Some(error.message(locale.get())),
        _ => None,
    };
    view! {
        <form class="vote-seat" method="post" action=cast_url data-seat=member_id>
            <fieldset>
                <legend id=group.clone()>{legend}</legend>
                <input type="hidden" name="ballot_id" value=ballot_id/>
                <input type="hidden" name="represented" value=member_id/>
                <input type="hidden" name="key" value=move || key.get()/>
                <div class="vote-seat__choices">
                    {Choice::ALL
                        .into_iter()
                        .map(|choice| {
                            let pressed = move || {
                                if recorded.get().is_some_and(|(c, _)| c == choice) { "true" } else { "false" }
                            };
                            view! {
                                <button
                                    type="submit"
                                    name="choice"
                                    value=choice.code()
                                    class=format!("vote-button vote-button--{}", choice.code())
                                    aria-pressed=pressed
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        vote(choice);
                                    }
                                >
                                    {move || tr(locale.get(), choice_key(choice))}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <div class="vote-seat__status" role="status" aria-live="polite">
                    {move || action.pending().get().then(|| view! { <p class="field__hint">{t("vote.sending")}</p> })}
                    {move || confirmation().map(|text| view! { <p class="outcome__ok">{text}</p> })}
                    {move || error().map(|text| view! { <p class="outcome__error">{text}</p> })}
                </div>
            </fieldset>
        </form>
    }
}

/// An outcome as a badge ("adopté").
pub fn outcome_badge(outcome: Outcome) -> impl IntoView {
    let locale = use_i18n().locale;
    view! {
        <strong class=format!("badge ballot-outcome ballot-outcome--{}", outcome.code())>
            {move || tr(locale.get(), outcome_key(outcome))}
        </strong>
    }
}

/// A ballot's heading linking to its results page, then its outcome once closed ("… : adopté").
pub fn ballot_link(motion_id: i32, ballot: &BallotView) -> impl IntoView + use<> {
    let locale = use_i18n().locale;
    let href = format!("/motions/{motion_id}/scrutins/{}", ballot.id);
    let outcome = ballot.outcome;
    let heading = {
        let ballot = ballot.clone();
        move || ballot_heading(locale.get(), &ballot)
    };
    view! {
        <a href=href>{heading}</a>
        {outcome.map(|o| view! { " : " {outcome_badge(o)} })}
    }
}

/// The most recent closed ballot, in one line, with its result.
#[component]
fn LastResult(motion_id: i32, ballot: BallotView) -> impl IntoView {
    let locale = use_i18n().locale;
    let link = ballot_link(motion_id, &ballot);
    view! {
        <section class="vote-last" aria-labelledby="dernier-scrutin">
            <h2 id="dernier-scrutin" class="vote-last__title">{t("vote.last_result")}</h2>
            <p>{link}</p>
            {ballot.explanation.map(|e| view! { <p class="vote-last__explanation">{move || explanation_text(locale.get(), &e)}</p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_and_outcome_has_a_label_in_both_languages() {
        for locale in [Locale::Fr, Locale::En] {
            for choice in Choice::ALL {
                assert_ne!(tr(locale, choice_key(choice)), choice_key(choice));
                assert_ne!(tr(locale, choice_word_key(choice)), choice_word_key(choice));
            }
            for outcome in [Outcome::Adopted, Outcome::Rejected, Outcome::QuorumNotMet] {
                assert_ne!(tr(locale, outcome_key(outcome)), outcome_key(outcome));
            }
            for reason in ["refusal.proxy_given", "voting.not_a_voter"] {
                assert_ne!(tr(locale, reason_key(reason)), reason);
            }
        }
    }

    #[test]
    fn the_countdown_says_minutes_and_seconds_left_and_nothing_once_passed() {
        assert_eq!(
            countdown_label(Locale::Fr, 65_000, 0).as_deref(),
            Some("reste 1 min 05 s")
        );
        assert_eq!(
            countdown_label(Locale::En, 9_500, 0).as_deref(),
            Some("0 min 09 s left")
        );
        assert_eq!(countdown_label(Locale::Fr, 1_000, 1_000), None);
        assert_eq!(countdown_label(Locale::Fr, 1_000, 5_000), None);
    }

    #[test]
    fn the_confirmation_names_the_choice_and_the_paris_time() {
        // 2026-11-22 14:42 UTC is 15 h 42 in Paris.
        let at = 1_795_358_520_000;
        let word = tr(Locale::Fr, choice_word_key(Choice::Pour));
        assert_eq!(
            tr_with(
                Locale::Fr,
                "vote.recorded",
                &[("choice", word), ("time", &time_label(Locale::Fr, at))]
            ),
            "Votre vote « pour » est enregistré à 15\u{202F}h\u{202F}42."
        );
        let word = tr(Locale::En, choice_word_key(Choice::Pour));
        assert_eq!(
            tr_with(
                Locale::En,
                "vote.recorded",
                &[("choice", word), ("time", &time_label(Locale::En, at))]
            ),
            "Your vote “for” was recorded at 15:42."
        );
    }

    #[test]
    fn dates_and_times_are_said_in_paris_time() {
        // 2026-11-22 23:30 UTC is already 23 November in Paris.
        let at = 1_795_390_200_000;
        assert_eq!(
            date_time_label(Locale::Fr, at),
            "23 novembre 2026, 0\u{202F}h\u{202F}30"
        );
        assert_eq!(date_time_label(Locale::En, at), "23 November 2026, 00:30");
    }

    #[test]
    fn fresh_keys_are_not_empty_and_fit_the_server_limit() {
        let key = fresh_key();
        assert!(!key.is_empty() && key.len() <= 64);
    }
}
