//! `/motions/:id/scrutins`: the chair's ballots console (open a ballot in voting order, hall counts, closing,
//! voting order) and the organizers' rules of procedure and proxies; the list of results for everyone on it.

use domain::ballot::{BallotRules, Majority, Procedure};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, MotionRoute, use_route};
use crate::{
    api::{
        AddProxy, ApiError, BallotView, BallotsPageView, ChairView, CloseBallot, OpenBallot,
        RecordHallCount, RevokeProxy, SetProcedure, SetVoteOrder, ballots_page_data,
    },
    i18n::{t, title_t, tr, tr_with, use_i18n},
    ui::{
        forms::{ActionOutcome, Reload},
        live::{Live, LiveStatus},
        vote_panel::{
            ballot_figures, ballot_heading, ballot_link, date_time_label, explanation_text,
            majority_label, time_label,
        },
    },
};

/// The page's actions.
#[derive(Clone, Copy)]
struct Actions {
    open: ServerAction<OpenBallot>,
    hall: ServerAction<RecordHallCount>,
    close: ServerAction<CloseBallot>,
    order: ServerAction<SetVoteOrder>,
    procedure: ServerAction<SetProcedure>,
    add_proxy: ServerAction<AddProxy>,
    revoke_proxy: ServerAction<RevokeProxy>,
}

/// `/motions/:id/scrutins`.
#[component]
pub fn BallotsPage() -> impl IntoView {
    let route = use_route::<MotionRoute>();
    let reload = Reload::new();
    let actions = Actions {
        open: reload.action(),
        hall: reload.action(),
        close: reload.action(),
        order: reload.action(),
        procedure: reload.action(),
        add_proxy: reload.action(),
        revoke_proxy: reload.action(),
    };
    let live = Live::new();
    on_cleanup(move || live.stop());
    let data = Resource::new(
        move || (route.get().map(|r| r.id), reload.version(), live.tick.get()),
        |(id, _, _)| async move { ballots_page_data(id.ok_or(ApiError::NotFound)?).await },
    );
    Effect::new(move || {
        if let Some(Ok(page)) = data.get() {
            live.start(page.motion_id, page.seq);
        }
    });
    view! {
        <Title text=title_t("ballots.title")/>
        <LiveStatus live/>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) => view! { <Console page actions live/> }.into_any(),
                }
            })}
        </Transition>
        <div class="outcomes">
            <ActionOutcome result=Signal::derive(move || actions.open.value().get()) success="ballots.opened"/>
            <ActionOutcome result=Signal::derive(move || actions.hall.value().get()) success="ballots.hall_recorded"/>
            <ActionOutcome result=Signal::derive(move || actions.close.value().get()) success="ballots.closed"/>
            <ActionOutcome result=Signal::derive(move || actions.order.value().get()) success="ballots.order_set"/>
            <ActionOutcome result=Signal::derive(move || actions.procedure.value().get()) success="ballots.procedure_saved"/>
            <ActionOutcome result=Signal::derive(move || actions.add_proxy.value().get()) success="ballots.proxy_added"/>
            <ActionOutcome result=Signal::derive(move || actions.revoke_proxy.value().get()) success="ballots.proxy_revoked"/>
        </div>
    }
}

#[component]
fn Console(page: BallotsPageView, actions: Actions, live: Live) -> impl IntoView {
    let motion_id = page.motion_id;
    let chair = page.chair;
    let procedure = chair.procedure;
    let open = page.voting.open.clone();
    view! {
        <p class="motion__edition"><a href=format!("/motions/{motion_id}")>{chair.motion_title.clone()}</a></p>
        <h1>{t("ballots.title")}</h1>
        {match open {
            Some(ballot) => view! { <RunningBallot motion_id ballot actions live/> }.into_any(),
            None => view! { <OpenForms motion_id chair=chair.clone() action=actions.open/> }.into_any(),
        }}
        <Results motion_id closed=page.voting.closed.clone()/>
        <VoteOrders motion_id chair=chair.clone() action=actions.order/>
        {page.organizer.then(|| view! {
            <ProcedureForm motion_id procedure action=actions.procedure/>
            <Proxies motion_id chair=chair.clone() add=actions.add_proxy revoke=actions.revoke_proxy/>
        })}
    }
}

/// The majority a ballot is decided by, among every rule, `selected` chosen.
fn majority_field(id: String, selected: Majority) -> impl IntoView {
    let locale = use_i18n().locale;
    view! {
        <div class="field">
            <label for=id.clone()>{t("ballots.majority")}</label>
            <select id=id name="majority">
                {Majority::ALL
                    .into_iter()
                    .map(|m| view! {
                        <option value=m.code() selected=m == selected>{move || majority_label(locale.get(), m)}</option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The quorum as a fraction of the registered members (`1/3`; empty for none), with its hint.
fn quorum_field(id: String, rules: &BallotRules) -> impl IntoView + use<> {
    let quorum = rules
        .quorum
        .map(|q| format!("{}/{}", q.numerator, q.denominator))
        .unwrap_or_default();
    let hint = format!("{id}-aide");
    view! {
        <div class="field">
            <label for=id.clone()>{t("ballots.quorum")}</label>
            <p class="field__hint" id=hint.clone()>{t("ballots.quorum_hint")}</p>
            <input id=id name="quorum" type="text" value=quorum aria-describedby=hint/>
        </div>
    }
}

/// The overridable rules of a ballot, prefilled with the edition's (a form always sends every field).
#[component]
fn RuleOverrides(prefix: &'static str, procedure: Procedure) -> impl IntoView {
    let locale = use_i18n().locale;
    let rules = procedure.ballots;
    let id = move |name: &str| format!("{prefix}-{name}");
    let on_off = move |on: bool| {
        view! {
            <option value="on" selected=on>{move || tr(locale.get(), "ballots.yes")}</option>
            <option value="off" selected=!on>{move || tr(locale.get(), "ballots.no")}</option>
        }
    };
    view! {
        <details class="ballot-rules">
            <summary>{t("ballots.overrides")}</summary>
            <div class="field">
                <label for=id("titre")>{t("ballots.ballot_title")}</label>
                <input id=id("titre") name="title" type="text" value=""/>
            </div>
            {majority_field(id("majorite"), rules.majority)}
            {quorum_field(id("quorum"), &rules)}
            <div class="field">
                <label for=id("changement")>{t("ballots.allow_change")}</label>
                <select id=id("changement") name="allow_change">{on_off(rules.allow_change)}</select>
            </div>
            <div class="field">
                <label for=id("direct")>{t("ballots.live_results")}</label>
                <select id=id("direct") name="live_results">{on_off(rules.live_results)}</select>
            </div>
            <div class="field">
                <label for=id("compte")>{t("ballots.countdown")}</label>
                <input id=id("compte") name="countdown" type="number" min="0" value="0"/>
            </div>
        </details>
    }
}

/// Opening a ballot: amendments in voting order, paragraphs, the final vote.
#[component]
fn OpenForms(motion_id: i32, chair: ChairView, action: ServerAction<OpenBallot>) -> impl IntoView {
    let locale = use_i18n().locale;
    let procedure = chair.procedure;
    let empty = chair.orders.is_empty();
    view! {
        <section class="panel" aria-labelledby="ouvrir-titre">
            <h2 id="ouvrir-titre">{t("ballots.open")}</h2>
            <h3>{t("ballots.amendments_in_order")}</h3>
            {empty.then(|| view! { <p>{t("ballots.no_amendment")}</p> })}
            <ActionForm action attr:class="ballot-open">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="subject" value="amendment"/>
                {chair
                    .orders
                    .iter()
                    .map(|order| {
                        let ordinal = order.ordinal.to_string();
                        let heading = format!("ordre-{}", order.paragraph_id);
                        let group = heading.clone();
                        view! {
                            <div class="ballot-order" role="group" aria-labelledby=group>
                                <h4 id=heading>{move || tr_with(locale.get(), "motion.paragraph", &[("n", &ordinal)])}</h4>
                                <ol>
                                    {order
                                        .amendments
                                        .iter()
                                        .map(|a| {
                                            let number = a.number.to_string();
                                            let author = a.author_name.clone();
                                            let label = {
                                                let number = number.clone();
                                                move || tr_with(locale.get(), "ballots.put_to_vote_amendment", &[("n", &number)])
                                            };
                                            view! {
                                                <li>
                                                    {move || tr_with(locale.get(), "amendment.number", &[("n", &number)])}
                                                    " — " {author}
                                                    " "
                                                    <button type="submit" class="button button--primary" name="subject_id" value=a.id aria-label=label>
                                                        {t("ballots.put_to_vote")}
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </div>
                        }
                    })
                    .collect_view()}
                {(!empty).then(|| view! { <RuleOverrides prefix="amendement" procedure/> })}
            </ActionForm>
            <h3>{t("ballots.paragraphs")}</h3>
            <ActionForm action attr:class="ballot-open">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="subject" value="paragraph"/>
                <ul class="ballot-paragraphs">
                    {chair
                        .paragraphs
                        .iter()
                        .map(|(id, ordinal)| {
                            let ordinal = ordinal.to_string();
                            view! {
                                <li>
                                    <button type="submit" class="button" name="subject_id" value=*id>
                                        {move || tr_with(locale.get(), "ballots.put_paragraph", &[("n", &ordinal)])}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <RuleOverrides prefix="paragraphe" procedure/>
            </ActionForm>
            <h3>{t("ballots.final_vote")}</h3>
            <ActionForm action attr:class="ballot-open">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="subject" value="motion"/>
                <RuleOverrides prefix="motion" procedure/>
                <button type="submit" class="button button--primary">{t("ballots.put_motion")}</button>
            </ActionForm>
        </section>
    }
}

/// The open ballot: live turnout, hall counts, closing.
#[component]
fn RunningBallot(
    motion_id: i32,
    ballot: BallotView,
    actions: Actions,
    live: Live,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let ballot_id = ballot.id;
    let number = ballot.number.to_string();
    let heading = {
        let ballot = ballot.clone();
        move || ballot_heading(locale.get(), &ballot)
    };
    let opened = ballot.opened_at;
    let halls = ballot.hall_counts.clone();
    view! {
        <section class="panel panel--notice" aria-labelledby="scrutin-ouvert">
            <h2 id="scrutin-ouvert">{t("vote.open_ballot")} " — " {heading}</h2>
            <p>{move || tr_with(locale.get(), "ballots.opened_at", &[("time", &time_label(locale.get(), opened))])}</p>
            {ballot_figures(ballot, live)}
            {(!halls.is_empty()).then(|| view! {
                <ul class="ballot-halls">
                    {halls.into_iter().map(|(label, tally)| view! {
                        <li>{label} " : " {move || tr_with(locale.get(), "vote.counts", &[
                            ("pour", &tally.pour.to_string()),
                            ("contre", &tally.contre.to_string()),
                            ("abstention", &tally.abstention.to_string()),
                        ])}</li>
                    }).collect_view()}
                </ul>
            })}
            <h3>{t("ballots.hall_count")}</h3>
            <ActionForm action=actions.hall attr:class="ballot-hall">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="ballot_id" value=ballot_id/>
                <div class="field">
                    <label for="salle-libelle">{t("ballots.hall_label")}</label>
                    <input id="salle-libelle" name="label" type="text" value=""/>
                </div>
                <div class="field">
                    <label for="salle-pour">{t("vote.choice.pour")}</label>
                    <input id="salle-pour" name="pour" type="number" min="0" value="0" required=true/>
                </div>
                <div class="field">
                    <label for="salle-contre">{t("vote.choice.contre")}</label>
                    <input id="salle-contre" name="contre" type="number" min="0" value="0" required=true/>
                </div>
                <div class="field">
                    <label for="salle-abstention">{t("vote.choice.abstention")}</label>
                    <input id="salle-abstention" name="abstention" type="number" min="0" value="0" required=true/>
                </div>
                <button type="submit" class="button">{t("ballots.record_hall")}</button>
            </ActionForm>
            <h3>{t("ballots.close")}</h3>
            <details class="ballot-close">
                <summary class="button">{t("ballots.close_ballot")}</summary>
                <ActionForm action=actions.close attr:class="ballot-close__form">
                    <input type="hidden" name="motion_id" value=motion_id/>
                    <input type="hidden" name="ballot_id" value=ballot_id/>
                    <div class="field">
                        <label for="appel">{t("ballots.roll_call")}</label>
                        <p class="field__hint" id="appel-aide">{t("ballots.roll_call_hint")}</p>
                        <input id="appel" name="roll_call" type="number" min="0" value="0" aria-describedby="appel-aide"/>
                    </div>
                    <button type="submit" class="button button--danger">
                        {move || tr_with(locale.get(), "ballots.confirm_close", &[("n", &number)])}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}

/// The closed ballots, most recent first, each linking to its results page.
#[component]
fn Results(motion_id: i32, closed: Vec<BallotView>) -> impl IntoView {
    let locale = use_i18n().locale;
    let empty = closed.is_empty();
    view! {
        <section class="panel" aria-labelledby="resultats-titre">
            <h2 id="resultats-titre">{t("ballots.results")}</h2>
            {empty.then(|| view! { <p>{t("ballots.no_result")}</p> })}
            <ul class="ballot-results">
                {closed
                    .into_iter()
                    .map(|ballot| {
                        let link = ballot_link(motion_id, &ballot);
                        view! {
                            <li>
                                {link}
                                {ballot.explanation.map(|e| view! { <br/> <span>{move || explanation_text(locale.get(), &e)}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Changing the voting order of a paragraph's amendments.
#[component]
fn VoteOrders(
    motion_id: i32,
    chair: ChairView,
    action: ServerAction<SetVoteOrder>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let orders: Vec<_> = chair
        .orders
        .into_iter()
        .filter(|o| o.amendments.len() > 1)
        .collect();
    (!orders.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="ordre-titre">
            <h2 id="ordre-titre">{t("ballots.order")}</h2>
            {orders
                .into_iter()
                .map(|order| {
                    let ordinal = order.ordinal.to_string();
                    let pid = order.paragraph_id;
                    let ids = order.amendments.iter().map(|a| a.id.to_string()).collect::<Vec<_>>().join(",");
                    let listing = order
                        .amendments
                        .iter()
                        .map(|a| (a.number.to_string(), a.id.to_string()))
                        .collect::<Vec<_>>();
                    let reason = order.reason.clone();
                    let (order_id, reason_id) = (format!("ordre-{pid}-ids"), format!("ordre-{pid}-motif"));
                    let heading = ordinal.clone();
                    view! {
                        <ActionForm action attr:class="ballot-reorder">
                            <h3>{move || tr_with(locale.get(), "motion.paragraph", &[("n", &heading)])}</h3>
                            <p class="field__hint">
                                {listing.into_iter().map(|(n, id)| view! {
                                    <span class="ballot-reorder__item">{move || tr_with(locale.get(), "ballots.amendment_id", &[("n", &n), ("id", &id)])}</span> " "
                                }).collect_view()}
                            </p>
                            {reason.map(|r| view! { <p>{t("ballots.order_reason_now")} " " {r}</p> })}
                            <input type="hidden" name="motion_id" value=motion_id/>
                            <input type="hidden" name="paragraph_id" value=pid/>
                            <div class="field">
                                <label for=order_id.clone()>{t("ballots.order_ids")}</label>
                                <input id=order_id name="order" type="text" value=ids required=true/>
                            </div>
                            <div class="field">
                                <label for=reason_id.clone()>{t("ballots.order_reason")}</label>
                                <input id=reason_id name="reason" type="text" required=true/>
                            </div>
                            <button type="submit" class="button">{t("ballots.set_order")}</button>
                        </ActionForm>
                    }
                })
                .collect_view()}
        </section>
    })
}

/// The edition's rules of procedure (organizers).
#[component]
fn ProcedureForm(
    motion_id: i32,
    procedure: Procedure,
    action: ServerAction<SetProcedure>,
) -> impl IntoView {
    let rules = procedure.ballots;
    view! {
        <section class="panel" aria-labelledby="reglement-titre">
            <h2 id="reglement-titre">{t("ballots.procedure")}</h2>
            <ActionForm action attr:class="ballot-procedure">
                <input type="hidden" name="motion_id" value=motion_id/>
                {majority_field("reglement-majorite".to_owned(), rules.majority)}
                {quorum_field("reglement-quorum".to_owned(), &rules)}
                <div class="field field--check">
                    <input id="reglement-changement" name="allow_change" type="checkbox" checked=rules.allow_change/>
                    <label for="reglement-changement">{t("ballots.allow_change")}</label>
                </div>
                <div class="field field--check">
                    <input id="reglement-direct" name="live_results" type="checkbox" checked=rules.live_results/>
                    <label for="reglement-direct">{t("ballots.live_results")}</label>
                </div>
                <div class="field">
                    <label for="reglement-procurations">{t("ballots.proxy_limit")}</label>
                    <input id="reglement-procurations" name="proxy_limit" type="number" min="0" value=procedure.proxy_limit required=true/>
                </div>
                <button type="submit" class="button">{t("ballots.save_procedure")}</button>
            </ActionForm>
        </section>
    }
}

/// Proxies (organizers): the list, revocation, a new one.
#[component]
fn Proxies(
    motion_id: i32,
    chair: ChairView,
    add: ServerAction<AddProxy>,
    revoke: ServerAction<RevokeProxy>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let empty = chair.proxies.is_empty();
    let delegates = chair.delegates.clone();
    let options = move || {
        delegates
            .iter()
            .map(|(id, name)| view! { <option value=*id>{name.clone()}</option> })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="procurations-titre">
            <h2 id="procurations-titre">{t("ballots.proxies")}</h2>
            {empty.then(|| view! { <p>{t("ballots.no_proxy")}</p> })}
            <ul class="ballot-proxies">
                {chair
                    .proxies
                    .into_iter()
                    .map(|p| {
                        let (holder, represented) = (p.holder_name.clone(), p.represented_name.clone());
                        let (starts, ends) = (p.starts_at, p.ends_at);
                        view! {
                            <li>
                                {move || tr_with(locale.get(), "ballots.proxy_line", &[
                                    ("holder", &holder),
                                    ("represented", &represented),
                                    ("from", &date_time_label(locale.get(), starts)),
                                    ("to", &date_time_label(locale.get(), ends)),
                                ])}
                                " "
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="motion_id" value=motion_id/>
                                    <input type="hidden" name="proxy_id" value=p.id/>
                                    <button type="submit" class="link-button">{t("ballots.revoke")}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{t("ballots.add_proxy")}</h3>
            <ActionForm action=add attr:class="ballot-proxy">
                <input type="hidden" name="motion_id" value=motion_id/>
                <div class="field">
                    <label for="procuration-mandataire">{t("ballots.holder")}</label>
                    <select id="procuration-mandataire" name="holder" required=true>{options.clone()}</select>
                </div>
                <div class="field">
                    <label for="procuration-mandant">{t("ballots.represented")}</label>
                    <select id="procuration-mandant" name="represented" required=true>{options}</select>
                </div>
                <div class="field">
                    <label for="procuration-debut">{t("ballots.starts")}</label>
                    <input id="procuration-debut" name="starts" type="datetime-local"/>
                </div>
                <div class="field">
                    <label for="procuration-fin">{t("ballots.ends")}</label>
                    <input id="procuration-fin" name="ends" type="datetime-local"/>
                </div>
                <p class="field__hint">{t("ballots.proxy_hint")}</p>
                <button type="submit" class="button">{t("ballots.add")}</button>
            </ActionForm>
        </section>
    }
}
