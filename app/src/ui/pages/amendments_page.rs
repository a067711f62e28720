//! `/motions/:id/amendements`: every amendment of a motion with its diff, rationale, co-signatories and status;
//! a status filter that works without JavaScript; the viewer's invitations to co-sign first; co-sign, withdraw
//! and edit for delegates; conflict resolution for the author and organizers; admissibility, adoption and
//! rejection by hand and the phase control for organizers. The server checks every action again.

use domain::{
    amendment::{AmendmentStatusCode, FallReason},
    motion::Phase,
    policy::Action,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ErrorPanel, MotionRoute, motion_page::phase_key, use_route};
use crate::{
    api::{
        AdoptAmendment, AmendmentView, ApiError, ChangePhase, CoSignAmendment, ConflictView,
        CosignerView, DeclareAdmissible, DeclareInadmissible, PlaceView, RejectAmendment,
        ResolveConflict, SetCurrentItem, ViewerPermissions, WithdrawAmendment,
        amendments_page_data,
    },
    i18n::{Locale, t, title_t, tr, tr_with, use_i18n},
    ui::{
        diff_view::DiffView,
        forms::{ActionOutcome, Reload, textarea_text},
        live::{Live, LiveStatus},
    },
};

/// The translation key of an amendment status.
pub fn status_key(status: AmendmentStatusCode) -> &'static str {
    match status {
        AmendmentStatusCode::Filed => "amendment.status.filed",
        AmendmentStatusCode::Admissible => "amendment.status.admissible",
        AmendmentStatusCode::Inadmissible => "amendment.status.inadmissible",
        AmendmentStatusCode::Withdrawn => "amendment.status.withdrawn",
        AmendmentStatusCode::Adopted => "amendment.status.adopted",
        AmendmentStatusCode::Rejected => "amendment.status.rejected",
        AmendmentStatusCode::Fallen => "amendment.status.fallen",
    }
}

/// "Claire Fontaine, Karim Benali": the names of a list of people.
pub fn names(people: &[CosignerView]) -> String {
    people
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "l. 12 à 15" / "ll. 12–15".
pub fn line_label(locale: Locale, first: u32, last: u32) -> String {
    match locale {
        Locale::Fr => domain::lines::line_range_label_fr(first, last),
        Locale::En => domain::lines::line_range_label_en(first, last),
    }
}

/// "Paragraphe 4 (l. 12 à 15)".
pub fn place_label(locale: Locale, place: &PlaceView) -> String {
    format!(
        "{} ({})",
        tr_with(
            locale,
            "motion.paragraph",
            &[("n", &place.ordinal.to_string())]
        ),
        line_label(locale, place.first_line, place.last_line)
    )
}

/// What an amendment targets, for people.
fn target_label(locale: Locale, a: &AmendmentView) -> String {
    match a.kind.as_str() {
        "insert" => match &a.after {
            Some(after) => tr_with(
                locale,
                "amendment.insert_after",
                &[("p", &place_label(locale, after))],
            ),
            None => tr_with(
                locale,
                "amendment.insert_first",
                &[("s", a.section_title.as_deref().unwrap_or_default())],
            ),
        },
        _ => match &a.target {
            Some(place) => place_label(locale, place),
            None => tr(locale, "amendment.target_deleted").to_owned(),
        },
    }
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        "delete" => "amendment.kind.delete",
        "insert" => "amendment.kind.insert",
        _ => "amendment.kind.replace",
    }
}

/// `/motions/:id/amendements`.
#[component]
pub fn AmendmentsPage() -> impl IntoView {
    let route = use_route::<MotionRoute>();
    let query = use_query_map();
    let filter = move || query.read().get("statut").unwrap_or_default();
    let paragraph = move || {
        query
            .read()
            .get("paragraphe")
            .and_then(|p| p.parse::<i32>().ok())
    };
    let reload = Reload::new();
    let actions = Actions {
        co_sign: reload.action(),
        withdraw: reload.action(),
        admissible: reload.action(),
        inadmissible: reload.action(),
        adopt: reload.action(),
        reject: reload.action(),
        phase: reload.action(),
        resolve: reload.action(),
        debate: reload.action(),
    };
    let live = Live::new();
    on_cleanup(move || live.stop());
    let data = Resource::new(
        move || (route.get().map(|r| r.id), reload.version(), live.tick.get()),
        |(id, _, _)| async move { amendments_page_data(id.ok_or(ApiError::NotFound)?).await },
    );
    Effect::new(move || {
        if let Some(Ok(page)) = data.get()
            && page.permissions.member_id.is_some()
        {
            live.start(page.motion_id, page.seq);
        }
    });
    view! {
        <Title text=title_t("amendments.title")/>
        <LiveStatus live/>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) => view! {
                        <AmendmentList
                            motion_id=page.motion_id
                            title=page.title
                            amendments=page.amendments
                            permissions=page.permissions
                            filter=filter()
                            paragraph=paragraph()
                            actions
                        />
                    }
                    .into_any(),
                }
            })}
        </Transition>
        <div class="outcomes">
            <ActionOutcome result=Signal::derive(move || actions.co_sign.value().get()) success="amendments.co_signed"/>
            <ActionOutcome result=Signal::derive(move || actions.withdraw.value().get()) success="amendments.withdrawn"/>
            <ActionOutcome result=Signal::derive(move || actions.admissible.value().get()) success="amendments.declared_admissible"/>
            <ActionOutcome result=Signal::derive(move || actions.inadmissible.value().get()) success="amendments.declared_inadmissible"/>
            <ActionOutcome result=Signal::derive(move || actions.adopt.value().get()) success="amendments.adopted"/>
            <ActionOutcome result=Signal::derive(move || actions.reject.value().get()) success="amendments.rejected"/>
            <ActionOutcome result=Signal::derive(move || actions.phase.value().get()) success="amendments.phase_changed"/>
            <ActionOutcome result=Signal::derive(move || actions.resolve.value().get()) success="amendments.conflict_resolved"/>
            <ActionOutcome result=Signal::derive(move || actions.debate.value().get()) success="debate.set"/>
        </div>
    }
}

/// The page's actions, shared by every amendment's buttons.
#[derive(Clone, Copy)]
struct Actions {
    co_sign: ServerAction<CoSignAmendment>,
    withdraw: ServerAction<WithdrawAmendment>,
    admissible: ServerAction<DeclareAdmissible>,
    inadmissible: ServerAction<DeclareInadmissible>,
    adopt: ServerAction<AdoptAmendment>,
    reject: ServerAction<RejectAmendment>,
    phase: ServerAction<ChangePhase>,
    resolve: ServerAction<ResolveConflict>,
    debate: ServerAction<SetCurrentItem>,
}

#[component]
fn AmendmentList(
    motion_id: i32,
    title: String,
    amendments: Vec<AmendmentView>,
    permissions: ViewerPermissions,
    filter: String,
    paragraph: Option<i32>,
    actions: Actions,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let phase = permissions.phase;
    let total = amendments.len();
    let numbers: Vec<(i32, u32)> = amendments.iter().map(|a| (a.id, a.number)).collect();
    let me = permissions.member_id;
    let can_co_sign = permissions.allows(Action::CoSignAmendment);
    // From every amendment, whatever the filters: an invitation must not hide behind a status filter.
    let invitations: Vec<(i32, u32)> = amendments
        .iter()
        .filter(|a| {
            can_co_sign
                && a.status == AmendmentStatusCode::Filed
                && a.invited.iter().any(|c| Some(c.member_id) == me)
        })
        .map(|a| (a.id, a.number))
        .collect();
    let shown: Vec<AmendmentView> = amendments
        .into_iter()
        .filter(|a| filter.is_empty() || a.status.code() == filter)
        .filter(|a| {
            paragraph.is_none_or(|p| {
                a.paragraph_id == Some(p)
                    || a.after
                        .as_ref()
                        .is_some_and(|after| after.paragraph_id == p)
            })
        })
        .collect();
    let empty = shown.is_empty();
    let phase_targets = permissions.phase_targets.clone();
    view! {
        <p class="motion__edition"><a href=format!("/motions/{motion_id}")>{title}</a></p>
        <h1>{t("amendments.title")}</h1>
        <p class="motion__phase">
            {t("motion.phase")} " : " <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
            " · " {move || tr_with(locale.get(), "amendments.count", &[("n", &total.to_string())])}
        </p>
        {(!invitations.is_empty()).then(|| view! {
            <section class="panel panel--notice" aria-labelledby="invitations-titre">
                <h2 id="invitations-titre">{t("amendments.invitations")}</h2>
                <ul>
                    {invitations
                        .iter()
                        .map(|(id, number)| {
                            let number = number.to_string();
                            view! {
                                <li><a href=format!("/motions/{motion_id}/amendements#amendement-{id}")>
                                    {move || tr_with(locale.get(), "amendment.number", &[("n", &number)])}
                                </a></li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        })}
        {(!phase_targets.is_empty()).then(|| view! { <PhaseControl motion_id targets=phase_targets.clone() action=actions.phase/> })}
        {paragraph.map(|p| view! {
            <p class="notice">
                {t("amendments.of_one_paragraph")} " "
                <a href=format!("/motions/{motion_id}/amendements")>{t("amendments.all_paragraphs")}</a>
            </p>
            <input type="hidden" form="filtres" name="paragraphe" value=p/>
        })}
        <form class="filters" id="filtres" method="get" role="search">
            <div class="field">
                <label for="filtre-statut">{t("amendments.filter_status")}</label>
                <select id="filtre-statut" name="statut">
                    <option value="">{t("amendments.any_status")}</option>
                    {AmendmentStatusCode::ALL
                        .into_iter()
                        .map(|s| {
                            let selected = s.code() == filter;
                            view! { <option value=s.code() selected=selected>{move || tr(locale.get(), status_key(s))}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("amendments.filter")}</button>
        </form>
        {empty.then(|| view! { <p>{t("amendments.none")}</p> })}
        <ol class="amendments">
            {shown
                .into_iter()
                .map(|a| {
                    let numbers = numbers.clone();
                    view! { <li><AmendmentCard motion_id amendment=a permissions=permissions.clone() numbers actions/></li> }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn PhaseControl(
    motion_id: i32,
    targets: Vec<Phase>,
    action: ServerAction<ChangePhase>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    view! {
        <section class="panel" aria-labelledby="phase-titre">
            <h2 id="phase-titre">{t("amendments.phase_control")}</h2>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="motion_id" value=motion_id/>
                <label for="phase-cible">{t("amendments.phase_to")}</label>
                <select id="phase-cible" name="to">
                    {targets
                        .into_iter()
                        .map(|p| view! { <option value=p.code()>{move || tr(locale.get(), phase_key(p))}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class="button">{t("amendments.change_phase")}</button>
            </ActionForm>
        </section>
    }
}

fn fall_text(locale: Locale, reason: &FallReason, numbers: &[(i32, u32)]) -> String {
    match reason {
        FallReason::TargetDeleted { by } | FallReason::SupersededBy { amendment: by } => {
            let n = numbers
                .iter()
                .find(|(id, _)| *id == by.get())
                .map_or_else(String::new, |(_, n)| n.to_string());
            let key = if matches!(reason, FallReason::TargetDeleted { .. }) {
                "amendment.fall.target_deleted"
            } else {
                "amendment.fall.superseded"
            };
            tr_with(locale, key, &[("n", &n)])
        }
        FallReason::AlreadyInText { version } => tr_with(
            locale,
            "amendment.fall.already_in_text",
            &[("v", &version.get().to_string())],
        ),
        FallReason::ParagraphRejected { .. } => {
            tr(locale, "amendment.fall.paragraph_rejected").to_owned()
        }
    }
}

#[component]
fn AmendmentCard(
    motion_id: i32,
    amendment: AmendmentView,
    permissions: ViewerPermissions,
    numbers: Vec<(i32, u32)>,
    actions: Actions,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let a = amendment;
    let heading_id = format!("amendement-{}", a.id);
    let number = a.number.to_string();
    let me = permissions.member_id;
    let mine = me == Some(a.author_id);
    let pending = matches!(
        a.status,
        AmendmentStatusCode::Filed | AmendmentStatusCode::Admissible
    );
    let can_co_sign = permissions.allows(Action::CoSignAmendment)
        && a.status == AmendmentStatusCode::Filed
        && !mine
        && !a.cosigners.iter().any(|c| Some(c.member_id) == me);
    let can_withdraw = permissions.allows(Action::WithdrawAmendment) && mine && pending;
    let decides = permissions.allows(Action::DeclareAdmissibility);
    let can_admit = decides && a.status == AmendmentStatusCode::Filed;
    let can_refuse = decides && pending;
    let can_adopt =
        permissions.allows(Action::AdoptByHand) && a.status == AmendmentStatusCode::Admissible;
    let can_edit =
        permissions.allows(Action::EditAmendment) && mine && a.status == AmendmentStatusCode::Filed;
    let can_resolve = permissions.allows(Action::ResolveConflict)
        && pending
        && (mine || permissions.allows(Action::DeclareAdmissibility));
    let conflict = a.conflict.clone().filter(|_| can_resolve);
    let invited = names(&a.invited);
    let status = a.status;
    let target = {
        let a = a.clone();
        move || target_label(locale.get(), &a)
    };
    let kind = kind_key(&a.kind);
    let fall = a.fall_reason.clone();
    let cosigners = names(&a.cosigners);
    let cosigner_count = format!("{}/{}", a.cosigners.len(), a.min_cosigners);
    let reason_id = format!("motif-irrecevable-{}", a.id);
    let id = a.id;
    let number_label = {
        let number = a.number.to_string();
        move || tr_with(locale.get(), "amendment.number", &[("n", &number)])
    };
    let button = move |label: &'static str| {
        view! {
            <input type="hidden" name="motion_id" value=motion_id/>
            <input type="hidden" name="amendment_id" value=id/>
            <button type="submit" class="button">{t(label)}</button>
        }
    };
    view! {
        <article class="amendment" id=heading_id.clone() aria-labelledby=format!("{heading_id}-titre") data-status=status.code()>
            <h2 id=format!("{heading_id}-titre")>
                {move || tr_with(locale.get(), "amendment.number", &[("n", &number)])} " — " {target}
            </h2>
            <p class="amendment__meta">
                <span class="badge">{move || tr(locale.get(), status_key(status))}</span>
                " " {move || tr(locale.get(), kind)}
                " · " {t("amendment.author")} " : " {a.author_name.clone()}
                {a.rebased.then(|| view! { " · " <span class="badge">{t("amendment.rebased")}</span> })}
                {a.conflicted.then(|| view! { " · " <span class="badge badge--warning">{t("amendment.conflicted")}</span> })}
            </p>
            {a.status_reason.clone().map(|reason| view! { <p>{t("amendment.inadmissible_reason")} " : " {reason}</p> })}
            {fall.map(|reason| view! { <p>{move || fall_text(locale.get(), &reason, &numbers)}</p> })}
            <div class="amendment__diff">
                <h3 class="visually-hidden">{t("amendment.changes")}</h3>
                <p><DiffView changes=a.diff.clone()/></p>
            </div>
            {(!a.rationale.is_empty()).then(|| view! {
                <div class="amendment__rationale">
                    <h3>{t("amendment.rationale")}</h3>
                    <p>{a.rationale.clone()}</p>
                </div>
            })}
            <p class="amendment__cosigners">
                {t("amendment.cosigners")} " (" {cosigner_count} ") : "
                {if cosigners.is_empty() { None } else { Some(cosigners) }}
            </p>
            {(!invited.is_empty()).then(|| view! {
                <p class="amendment__invited">{t("edit.invited")} " : " {invited}</p>
            })}
            {conflict.map(|conflict| view! { <ConflictForm motion_id amendment_id=a.id conflict action=actions.resolve/> })}
            <div class="amendment__actions">
                {can_co_sign.then(|| view! { <ActionForm action=actions.co_sign attr:class="inline-form">{button("amendment.co_sign")}</ActionForm> })}
                {can_withdraw.then(|| view! { <ActionForm action=actions.withdraw attr:class="inline-form">{button("amendment.withdraw")}</ActionForm> })}
                {can_edit.then(|| view! {
                    <a class="button" href=format!("/motions/{motion_id}/amendements/{id}/modifier")>
                        {t("amendment.edit")} <span class="visually-hidden">" " {number_label.clone()}</span>
                    </a>
                })}
                {can_admit.then(|| view! { <ActionForm action=actions.admissible attr:class="inline-form">{button("amendment.declare_admissible")}</ActionForm> })}
                {(permissions.allows(Action::SetCurrentItem) && pending).then(|| view! {
                    <ActionForm action=actions.debate attr:class="inline-form">{button("debate.put")}</ActionForm>
                })}
                {can_adopt.then(|| view! { <ActionForm action=actions.adopt attr:class="inline-form">{button("amendment.adopt")}</ActionForm> })}
                {can_adopt.then(|| view! { <ActionForm action=actions.reject attr:class="inline-form">{button("amendment.reject")}</ActionForm> })}
                {can_refuse.then(|| view! {
                    <ActionForm action=actions.inadmissible attr:class="inline-form">
                        <label for=reason_id.clone()>{t("amendment.inadmissible_reason")}</label>
                        <input id=reason_id.clone() name="reason" type="text" required=true/>
                        {button("amendment.declare_inadmissible")}
                    </ActionForm>
                })}
            </div>
        </article>
    }
}

/// Resolving a stale amendment's conflict: what overlaps, then the text to keep, starting from the current one.
#[component]
fn ConflictForm(
    motion_id: i32,
    amendment_id: i32,
    conflict: ConflictView,
    action: ServerAction<ResolveConflict>,
) -> impl IntoView {
    let field = format!("resolution-{amendment_id}");
    view! {
        <div class="amendment__conflict">
            <h3>{t("conflict.title")}</h3>
            <p>{t("conflict.explain")}</p>
            <ul>
                {conflict
                    .regions
                    .into_iter()
                    .map(|(now, proposed)| view! {
                        <li>
                            {t("conflict.text_now")} " « " {now} " » — "
                            {t("conflict.amendment_said")} " « " {proposed} " »"
                        </li>
                    })
                    .collect_view()}
            </ul>
            <ActionForm action attr:class="editor">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="amendment_id" value=amendment_id/>
                <div class="field">
                    <label for=field.clone()>{t("conflict.resolved_text")}</label>
                    <textarea id=field.clone() name="text" rows="5" maxlength="5000" required=true>{textarea_text(conflict.current_text)}</textarea>
                </div>
                <button type="submit" class="button button--primary">{t("conflict.resolve")}</button>
            </ActionForm>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_motion_catalogs_have_the_same_keys_in_both_languages() {
        let keys = |json: &str| -> std::collections::BTreeSet<String> {
            serde_json::from_str::<std::collections::HashMap<String, String>>(json)
                .map(|catalog| catalog.into_keys().collect())
                .unwrap_or_default()
        };
        let fr = keys(include_str!("../../../locales/fr.motion.json"));
        assert!(!fr.is_empty());
        assert_eq!(fr, keys(include_str!("../../../locales/en.motion.json")));
    }

    #[test]
    fn every_amendment_status_has_a_label_in_both_languages() {
        for status in AmendmentStatusCode::ALL {
            for locale in [Locale::Fr, Locale::En] {
                assert_ne!(tr(locale, status_key(status)), status_key(status));
            }
        }
    }
}
