//! `/motions/:id/scrutins/:bid`: one ballot's results, with every figure and the named votes.

use domain::ballot::{Choice, Tally};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{BallotRoute, ErrorPanel, use_route};
use crate::{
    api::{ApiError, BallotResultView, ballot_result},
    i18n::{t, title_t, tr, tr_with, use_i18n},
    ui::{
        live::{Live, LiveStatus},
        vote_panel::{
            ballot_heading, choice_key, explanation_text, majority_label, outcome_badge,
            quorum_label, subject_label, time_label,
        },
    },
};

fn count(tally: Tally, choice: Choice) -> u32 {
    match choice {
        Choice::Pour => tally.pour,
        Choice::Contre => tally.contre,
        Choice::Abstention => tally.abstention,
    }
}

/// `/motions/:id/scrutins/:bid`.
#[component]
pub fn BallotResultPage() -> impl IntoView {
    let route = use_route::<BallotRoute>();
    let live = Live::new();
    on_cleanup(move || live.stop());
    let data = Resource::new(
        move || (route.get(), live.tick.get()),
        |(route, _)| async move {
            let route = route.ok_or(ApiError::NotFound)?;
            let result = ballot_result(route.id, route.bid).await?;
            Ok::<_, ApiError>((route.id, result))
        },
    );
    Effect::new(move || {
        if let Some(Ok((id, result))) = data.get()
            && result.ballot.outcome.is_none()
        {
            live.start(id, result.seq);
        }
    });
    view! {
        <Title text=title_t("result.title")/>
        <LiveStatus live/>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok((motion_id, result)) => view! { <ResultView motion_id result/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ResultView(motion_id: i32, result: BallotResultView) -> impl IntoView {
    let locale = use_i18n().locale;
    let ballot = result.ballot.clone();
    let rules = ballot.rules;
    let subject = ballot.subject;
    let heading = {
        let ballot = ballot.clone();
        move || ballot_heading(locale.get(), &ballot)
    };
    let electronic = ballot.counts.unwrap_or_default();
    let halls = ballot.hall_counts.clone();
    let total = halls
        .iter()
        .fold(electronic, |sum, (_, tally)| sum.plus(*tally));
    let figures = ballot.result;
    let registered = figures.map_or(ballot.eligible, |f| f.registered);
    let explanation = ballot.explanation.clone();
    let outcome = ballot.outcome;
    let votes = result.votes;
    let no_votes = votes.is_empty();
    let hall_headers = halls.clone();
    view! {
        <p class="motion__edition"><a href=format!("/motions/{motion_id}")>{result.motion_title}</a></p>
        <h1>{heading}</h1>
        <dl class="ballot-facts">
            <dt>{t("result.subject")}</dt>
            <dd>{move || subject_label(locale.get(), &subject)}</dd>
            <dt>{t("ballots.majority")}</dt>
            <dd>{move || majority_label(locale.get(), rules.majority)}</dd>
            <dt>{t("ballots.quorum")}</dt>
            <dd>{move || quorum_label(locale.get(), &rules)}</dd>
            <dt>{t("result.outcome")}</dt>
            <dd>
                {match outcome {
                    Some(o) => outcome_badge(o).into_any(),
                    None => view! { <span>{t("result.still_open")}</span> }.into_any(),
                }}
            </dd>
        </dl>
        {explanation.map(|e| view! { <p class="ballot-explanation">{move || explanation_text(locale.get(), &e)}</p> })}
        <table class="ballot-figures">
            <caption>{t("result.figures")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("result.choice")}</th>
                    <th scope="col">{t("result.electronic")}</th>
                    {hall_headers.into_iter().map(|(label, _)| view! { <th scope="col">{label}</th> }).collect_view()}
                    <th scope="col">{t("result.total")}</th>
                </tr>
            </thead>
            <tbody>
                {Choice::ALL
                    .into_iter()
                    .map(|choice| {
                        let halls = halls.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || tr(locale.get(), choice_key(choice))}</th>
                                <td>{count(electronic, choice)}</td>
                                {halls.into_iter().map(|(_, tally)| view! { <td>{count(tally, choice)}</td> }).collect_view()}
                                <td>{count(total, choice)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <dl class="ballot-facts">
            <dt>{t("result.registered")}</dt>
            <dd>{registered}</dd>
            {figures.map(|f| view! {
                <dt>{t("result.present")}</dt>
                <dd>{f.present}</dd>
                <dt>{t("result.required")}</dt>
                <dd>{f.required}</dd>
                {f.quorum_required.map(|q| view! {
                    <dt>{t("result.quorum_required")}</dt>
                    <dd>{q}</dd>
                })}
            })}
        </dl>
        <h2 id="votes-nominatifs">{t("result.named_votes")}</h2>
        {no_votes.then(|| view! { <p>{t("result.no_named_vote")}</p> })}
        {(!no_votes).then(|| view! {
            <table class="ballot-votes">
                <caption class="visually-hidden">{t("result.named_votes")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("result.member")}</th>
                        <th scope="col">{t("result.cast_by")}</th>
                        <th scope="col">{t("result.choice")}</th>
                        <th scope="col">{t("result.time")}</th>
                    </tr>
                </thead>
                <tbody>
                    {votes
                        .into_iter()
                        .map(|v| {
                            let by = (v.cast_by_name != v.member_name).then(|| v.cast_by_name.clone());
                            let (choice, at) = (v.choice, v.cast_at);
                            view! {
                                <tr>
                                    <th scope="row">{v.member_name.clone()}</th>
                                    <td>
                                        {match by {
                                            Some(by) => view! { <span>{move || tr_with(locale.get(), "result.by_proxy", &[("name", &by)])}</span> }.into_any(),
                                            None => view! { <span>{t("result.in_person")}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td>{move || tr(locale.get(), choice_key(choice))}</td>
                                    <td>{move || time_label(locale.get(), at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        })}
        <p><a href=format!("/motions/{motion_id}")>{t("result.back")}</a></p>
    }
}
