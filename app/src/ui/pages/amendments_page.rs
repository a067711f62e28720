//! `/motions/:id/amendements`: every amendment of a motion with its diff, rationale, co-signatories and status;
//! filters (status, paragraph, author) that work without JavaScript and pages of fifty, both applied by the
//! server; the viewer's invitations to co-sign first; co-sign, withdraw
//! and edit for delegates; conflict resolution for the author and organizers; admissibility, adoption and
//! rejection by hand and the phase control for organizers. The server checks every action again.

use domain::{
    amendment::{AmendmentStatusCode, FallReason},
    listing::page_window,
    motion::Phase,
    policy::Action,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

use super::{ErrorPanel, MotionRoute, motion_page::phase_key, use_route};
use crate::{
    api::{
        AdoptAmendment, AmendmentListing, AmendmentView, ApiError, AuthorOption, ChangePhase,
        CoSignAmendment, ConflictView, CosignerView, DeclareAdmissible, DeclareInadmissible,
        PlaceView, RejectAmendment, ResolveConflict, SetCurrentItem, ViewerPermissions,
        WithdrawAmendment, amendments_page_data,
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

/// What the address asks the list to show: `?statut=&paragraphe=&auteur=&page=`. A value that does not parse is
/// no filter (a link mangled by a mail client still opens the list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ListQuery {
    status: Option<AmendmentStatusCode>,
    paragraph: Option<i32>,
    author: Option<i32>,
    page: Option<u32>,
}

impl ListQuery {
    fn from_query(query: &ParamsMap) -> ListQuery {
        ListQuery {
            status: query
                .get("statut")
                .and_then(|code| AmendmentStatusCode::from_code(&code)),
            paragraph: query.get("paragraphe").and_then(|p| p.parse().ok()),
            author: query.get("auteur").and_then(|a| a.parse().ok()),
            page: query.get("page").and_then(|p| p.parse().ok()),
        }
    }

    /// The address of page `page` of the list with these filters.
    fn href(&self, motion_id: i32, page: u32) -> String {
        let mut pairs: Vec<String> = Vec::new();
        if let Some(status) = self.status {
            pairs.push(format!("statut={}", status.code()));
        }
        if let Some(paragraph) = self.paragraph {
            pairs.push(format!("paragraphe={paragraph}"));
        }
        if let Some(author) = self.author {
            pairs.push(format!("auteur={author}"));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        let query = if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        };
        format!("/motions/{motion_id}/amendements{query}")
    }

    fn is_narrowed(&self) -> bool {
        self.status.is_some() || self.paragraph.is_some() || self.author.is_some()
    }
}

/// `/motions/:id/amendements`.
#[component]
pub fn AmendmentsPage() -> impl IntoView {
    let route = use_route::<MotionRoute>();
    let query_map = use_query_map();
    let query = Memo::new(move |_| ListQuery::from_query(&query_map.read()));
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
        move || {
            (
                route.get().map(|r| r.id),
                query.get(),
                reload.version(),
                live.tick.get(),
            )
        },
        |(id, query, _, _)| async move {
            amendments_page_data(
                id.ok_or(ApiError::NotFound)?,
                query.status,
                query.paragraph,
                query.author,
                query.page,
            )
            .await
        },
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
                            listing=page.listing
                            permissions=page.permissions
                            query=query.get_untracked()
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
    listing: AmendmentListing,
    permissions: ViewerPermissions,
    query: ListQuery,
    actions: Actions,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let phase = permissions.phase;
    let AmendmentListing {
        total,
        matching,
        page,
        pages,
        first,
        amendments,
        numbers,
        invitations,
        status_counts,
        paragraphs,
        authors,
    } = listing;
    let empty = amendments.is_empty();
    let phase_targets = permissions.phase_targets.clone();
    let narrowed = query.is_narrowed();
    view! {
        <p class="motion__edition"><a href=format!("/motions/{motion_id}")>{title}</a></p>
        <h1>{t("amendments.title")}</h1>
        <p class="motion__phase">
            {t("motion.phase")} " : " <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
            " · " {move || tr_with(locale.get(), "amendments.count", &[("n", &total.to_string())])}
            {narrowed.then(|| view! {
                " · " {move || tr_with(locale.get(), "amendments.matching", &[("n", &matching.to_string())])}
            })}
        </p>
        {(!invitations.is_empty()).then(|| view! {
            <section class="panel panel--notice" aria-labelledby="invitations-titre">
                <h2 id="invitations-titre">{t("amendments.invitations")}</h2>
                <ul>
                    {invitations
                        .iter()
                        .map(|invitation| {
                            let number = invitation.number.to_string();
                            let href = format!(
                                "{}#amendement-{}",
                                ListQuery::default().href(motion_id, invitation.page),
                                invitation.amendment_id
                            );
                            view! {
                                <li><a href=href>
                                    {move || tr_with(locale.get(), "amendment.number", &[("n", &number)])}
                                </a></li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        })}
        {(!phase_targets.is_empty()).then(|| view! { <PhaseControl motion_id targets=phase_targets.clone() action=actions.phase/> })}
        <Filters motion_id query status_counts paragraphs authors/>
        {empty.then(|| view! { <p>{t("amendments.none")}</p> })}
        <ol class="amendments" start=first>
            {amendments
                .into_iter()
                .map(|a| {
                    let numbers = numbers.clone();
                    view! { <li><AmendmentCard motion_id amendment=a permissions=permissions.clone() numbers actions/></li> }
                })
                .collect_view()}
        </ol>
        <Pagination motion_id query page pages/>
    }
}

/// The list's filters, as a form that works without JavaScript: status, paragraph, author.
#[component]
fn Filters(
    motion_id: i32,
    query: ListQuery,
    status_counts: Vec<(AmendmentStatusCode, usize)>,
    paragraphs: Vec<PlaceView>,
    authors: Vec<AuthorOption>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    // A paragraph asked for by a link but no longer offered (deleted since) stays a filter until cleared.
    let kept_paragraph = query
        .paragraph
        .filter(|p| !paragraphs.iter().any(|place| place.paragraph_id == *p));
    view! {
        {query.paragraph.map(|_| view! {
            <p class="notice">
                {t("amendments.of_one_paragraph")} " "
                <a href=format!("/motions/{motion_id}/amendements")>{t("amendments.all_paragraphs")}</a>
            </p>
        })}
        <form class="filters" id="filtres" method="get" role="search" aria-label=move || tr(locale.get(), "amendments.filters")>
            {kept_paragraph.map(|p| view! { <input type="hidden" name="paragraphe" value=p/> })}
            <div class="field">
                <label for="filtre-statut">{t("amendments.filter_status")}</label>
                <select id="filtre-statut" name="statut">
                    <option value="">{t("amendments.any_status")}</option>
                    {status_counts
                        .into_iter()
                        .map(|(s, count)| {
                            let selected = query.status == Some(s);
                            view! {
                                <option value=s.code() selected=selected>
                                    {move || tr(locale.get(), status_key(s))} " (" {count} ")"
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {(!paragraphs.is_empty()).then(|| view! {
                <div class="field">
                    <label for="filtre-paragraphe">{t("amendments.filter_paragraph")}</label>
                    <select id="filtre-paragraphe" name=kept_paragraph.is_none().then_some("paragraphe")>
                        <option value="">{t("amendments.any_paragraph")}</option>
                        {paragraphs
                            .iter()
                            .map(|place| {
                                let selected = query.paragraph == Some(place.paragraph_id);
                                let place = place.clone();
                                let label = {
                                    let place = place.clone();
                                    move || place_label(locale.get(), &place)
                                };
                                view! { <option value=place.paragraph_id selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            })}
            {(!authors.is_empty()).then(|| view! {
                <div class="field">
                    <label for="filtre-auteur">{t("amendments.filter_author")}</label>
                    <select id="filtre-auteur" name="auteur">
                        <option value="">{t("amendments.any_author")}</option>
                        {authors
                            .iter()
                            .map(|author| {
                                let selected = query.author == Some(author.member_id);
                                view! {
                                    <option value=author.member_id selected=selected>
                                        {author.name.clone()} " (" {author.count} ")"
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button">{t("amendments.filter")}</button>
        </form>
    }
}

/// Links to the list's other pages: previous, next, the first, the last and those near this one.
#[component]
fn Pagination(motion_id: i32, query: ListQuery, page: u32, pages: u32) -> impl IntoView {
    let locale = use_i18n().locale;
    (pages > 1).then(|| {
        let link = move |n: u32| query.href(motion_id, n);
        let of = move || {
            tr_with(
                locale.get(),
                "amendments.page_of",
                &[("n", &page.to_string()), ("m", &pages.to_string())],
            )
        };
        view! {
            <nav class="pagination" aria-label=move || tr(locale.get(), "amendments.pages")>
                <p class="pagination__where">{of}</p>
                <ul>
                    {(page > 1).then(|| view! {
                        <li><a href=link(page - 1) rel="prev">{t("amendments.previous")}</a></li>
                    })}
                    {page_window(page, pages, 2)
                        .into_iter()
                        .map(|n| match n {
                            None => view! { <li class="pagination__gap" aria-hidden="true">"…"</li> }.into_any(),
                            Some(n) => view! {
                                <li><a href=link(n) aria-current=(n == page).then_some("page")>
                                    <span class="visually-hidden">{t("amendments.page")} " "</span>{n}
                                </a></li>
                            }
                            .into_any(),
                        })
                        .collect_view()}
                    {(page < pages).then(|| view! {
                        <li><a href=link(page + 1) rel="next">{t("amendments.next")}</a></li>
                    })}
                </ul>
            </nav>
        }
    })
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
