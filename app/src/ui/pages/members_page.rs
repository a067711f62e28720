//! `/organisation/participants`: the organizers' members page — pending queue, verify or reject with a
//! reason, roles, suspension, invitation and password links, CSV import with a preview.

use domain::member::{MemberStatus, Role};
use leptos::prelude::*;
use leptos_meta::Title;

use super::ErrorPanel;
use crate::{
    api::{
        ConfirmImport, CreateInvitation, CreatePasswordReset, MemberRowDto, PreviewImport,
        SetMemberRole, SetMemberStatus, list_members,
    },
    i18n::{Locale, t, title_t, tr, tr_with, use_i18n},
    ui::{
        forms::{Reload, problem_sentence},
        pages::register::function_key,
    },
};

/// The translation key of a role.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Organizer => "role.organizer",
        Role::Chair => "role.chair",
        Role::Delegate => "role.delegate",
        Role::Observer => "role.observer",
    }
}

/// The translation key of a status.
pub fn status_key(status: MemberStatus) -> &'static str {
    match status {
        MemberStatus::Pending => "status.pending",
        MemberStatus::Verified => "status.verified",
        MemberStatus::Rejected => "status.rejected",
        MemberStatus::Suspended => "status.suspended",
    }
}

fn matches_filters(row: &MemberRowDto, status: &str, role: &str, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    (status.is_empty() || row.status.code() == status)
        && (role.is_empty() || row.role.code() == role)
        && (text.is_empty()
            || [
                &row.given_name,
                &row.usual_name,
                &row.email,
                &row.collectivity,
                &row.collectivity_code,
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(&text)))
}

/// The members page.
#[component]
pub fn MembersPage() -> impl IntoView {
    let reload = Reload::new();
    let set_status = reload.action::<SetMemberStatus>();
    let set_role = reload.action::<SetMemberRole>();
    // A reset link changes nothing the list shows.
    let reset = ServerAction::<CreatePasswordReset>::new();
    let confirm = reload.action::<ConfirmImport>();
    let members = Resource::new(move || reload.version(), |_| list_members());
    let status_filter = RwSignal::new(String::new());
    let role_filter = RwSignal::new(String::new());
    let text_filter = RwSignal::new(String::new());
    let locale = use_i18n().locale;

    view! {
        <Title text=title_t("members.title")/>
        <h1>{t("members.title")}</h1>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(rows) => {
                        let pending = rows.iter().filter(|r| r.status == MemberStatus::Pending).count();
                        let rows = StoredValue::new(rows);
                        let visible = move || {
                            rows.with_value(|rows| {
                                rows.iter()
                                    .filter(|r| {
                                        matches_filters(r, &status_filter.get(), &role_filter.get(), &text_filter.get())
                                    })
                                    .cloned()
                                    .collect::<Vec<_>>()
                            })
                        };
                        view! {
                            <p class="lead">
                                {move || tr_with(locale.get(), "members.count", &[("n", &rows.with_value(Vec::len).to_string())])}
                                " · "
                                {t("members.pending")} " : " {pending}
                            </p>
                            <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
                                <div class="field">
                                    <label for="filtre-texte">{t("members.filter_text")}</label>
                                    <input id="filtre-texte" type="search"
                                        on:input=move |ev| text_filter.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for="filtre-statut">{t("members.filter_status")}</label>
                                    <select id="filtre-statut" on:change=move |ev| status_filter.set(event_target_value(&ev))>
                                        <option value="">{t("members.any")}</option>
                                        {MemberStatus::ALL.into_iter().map(|s| view! {
                                            <option value=s.code()>{move || tr(locale.get(), status_key(s))}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filtre-role">{t("members.filter_role")}</label>
                                    <select id="filtre-role" on:change=move |ev| role_filter.set(event_target_value(&ev))>
                                        <option value="">{t("members.any")}</option>
                                        {Role::ALL.into_iter().map(|r| view! {
                                            <option value=r.code()>{move || tr(locale.get(), role_key(r))}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            </form>
                            <table class="members">
                                <caption class="visually-hidden">{t("members.all")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t("members.name")}</th>
                                        <th scope="col">{t("members.mandate")}</th>
                                        <th scope="col">{t("members.role")}</th>
                                        <th scope="col">{t("members.status")}</th>
                                        <th scope="col">{t("members.actions")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    <For each=visible key=|r| (r.member_id, r.status, r.role) let:row>
                                        <MemberLine row set_status set_role reset locale/>
                                    </For>
                                </tbody>
                            </table>
                            {move || visible().is_empty().then(|| view! { <p>{t("members.none")}</p> })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
        <LinkOutcome result=Signal::derive(move || reset.value().get())/>
        <InviteForm/>
        <ImportForm confirm/>
    }
}

#[component]
fn MemberLine(
    row: MemberRowDto,
    set_status: ServerAction<SetMemberStatus>,
    set_role: ServerAction<SetMemberRole>,
    reset: ServerAction<CreatePasswordReset>,
    locale: RwSignal<Locale>,
) -> impl IntoView {
    let id = row.member_id;
    let name = format!("{} {}", row.given_name, row.usual_name);
    let function = domain::registration::MandateFunction::from_code(&row.function);
    let status = row.status;
    let role = row.role;
    let reason_id = format!("motif-{id}");
    let role_id = format!("role-{id}");
    let status_button = move |target: MemberStatus, label: &'static str| {
        view! {
            <ActionForm action=set_status attr:class="inline-form">
                <input type="hidden" name="member_id" value=id/>
                <input type="hidden" name="status" value=target.code()/>
                <button type="submit" class="button">{t(label)}</button>
            </ActionForm>
        }
    };
    view! {
        <tr data-member=id>
            <th scope="row">{name.clone()} <br/> <span class="muted">{row.email}</span></th>
            <td>
                {move || function.map(|f| tr(locale.get(), function_key(f))).unwrap_or_default()}
                ", " {row.collectivity} " (" {row.collectivity_code} ")"
            </td>
            <td>
                <ActionForm action=set_role attr:class="inline-form">
                    <input type="hidden" name="member_id" value=id/>
                    <label for=role_id.clone() class="visually-hidden">{t("members.change_role")} " — " {name.clone()}</label>
                    <select id=role_id name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=r == role>{move || tr(locale.get(), role_key(r))}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button">{t("members.change_role")}</button>
                </ActionForm>
            </td>
            <td>
                <span class="badge">{move || tr(locale.get(), status_key(status))}</span>
                {row.status_reason.map(|reason| view! { <br/> <span class="muted">{reason}</span> })}
            </td>
            <td class="actions">
                {(status != MemberStatus::Verified).then(|| status_button(MemberStatus::Verified,
                    if status == MemberStatus::Suspended { "members.reinstate" } else { "members.verify" }))}
                {(status == MemberStatus::Verified).then(|| status_button(MemberStatus::Suspended, "members.suspend"))}
                {(status == MemberStatus::Pending).then(|| view! {
                    <ActionForm action=set_status attr:class="inline-form">
                        <input type="hidden" name="member_id" value=id/>
                        <input type="hidden" name="status" value="rejected"/>
                        <label for=reason_id.clone()>{t("members.reject_reason")}</label>
                        <input id=reason_id.clone() name="reason" required/>
                        <button type="submit" class="button">{t("members.reject")}</button>
                    </ActionForm>
                })}
                <ActionForm action=reset attr:class="inline-form">
                    <input type="hidden" name="member_id" value=id/>
                    <button type="submit" class="button">{t("members.reset_password")}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// Shows the link a reset or an invitation produced, for the organizer to pass on.
#[component]
fn LinkOutcome(result: Signal<Option<Result<String, crate::api::ApiError>>>) -> impl IntoView {
    let locale = use_i18n().locale;
    view! {
        <div role="status" aria-live="polite" class="outcome">
            {move || match result.get() {
                Some(Ok(link)) => view! {
                    <p class="outcome__ok">{t("members.link_created")} " " <code class="link">{link}</code></p>
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="outcome__error">{error.message(locale.get())}</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    let invite = ServerAction::<CreateInvitation>::new();
    let locale = use_i18n().locale;
    view! {
        <section aria-labelledby="inviter" class="panel">
            <h2 id="inviter">{t("invite.title")}</h2>
            <ActionForm action=invite attr:class="form form--inline">
                <div class="field">
                    <label for="invite-role">{t("invite.role")}</label>
                    <select id="invite-role" name="role">
                        {[Role::Delegate, Role::Observer, Role::Chair, Role::Organizer].into_iter().map(|r| view! {
                            <option value=r.code()>{move || tr(locale.get(), role_key(r))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="invite-email">{t("invite.email")}</label>
                    <input id="invite-email" name="email" type="email"/>
                </div>
                <button type="submit" class="button button--primary">{t("invite.submit")}</button>
            </ActionForm>
            <LinkOutcome result=Signal::derive(move || invite.value().get())/>
        </section>
    }
}

#[component]
fn ImportForm(confirm: ServerAction<ConfirmImport>) -> impl IntoView {
    let preview = ServerAction::<PreviewImport>::new();
    let csv = RwSignal::new(String::new());
    let locale = use_i18n().locale;
    view! {
        <section aria-labelledby="importer" class="panel">
            <h2 id="importer">{t("import.title")}</h2>
            <p class="field__hint">{t("import.help")}</p>
            <ActionForm action=preview attr:class="form">
                <div class="field">
                    <label for="import-csv">{t("import.file")}</label>
                    <textarea id="import-csv" name="csv" rows="8"
                        on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="button">{t("import.preview")}</button>
            </ActionForm>
            <div role="status" aria-live="polite" class="outcome">
                {move || preview.value().get().map(|result| match result {
                    Ok(lines) => {
                        let bad: Vec<_> = lines.iter().filter(|l| !l.problems.is_empty()).cloned().collect();
                        let ok = lines.len() - bad.len();
                        view! {
                            <p>{tr_with(locale.get(), "import.summary", &[("ok", &ok.to_string()), ("bad", &bad.len().to_string())])}</p>
                            <ul class="import-problems">
                                {bad.into_iter().map(|l| view! {
                                    <li>
                                        {tr_with(locale.get(), "import.line", &[("n", &l.line.to_string())])} " — "
                                        {l.email} " : "
                                        {l.problems.iter().map(|p| problem_sentence(locale.get(), *p)).collect::<Vec<_>>().join(" ; ")}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(ok > 0).then(|| view! {
                                <ActionForm action=confirm attr:class="form">
                                    <input type="hidden" name="csv" value=move || csv.get()/>
                                    <button type="submit" class="button button--primary">{t("import.confirm")}</button>
                                </ActionForm>
                            })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="outcome__error">{error.message(locale.get())}</p> }.into_any(),
                })}
                {move || confirm.value().get().map(|result| match result {
                    Ok((created, unchanged)) => view! {
                        <p class="outcome__ok">
                            {tr_with(locale.get(), "import.done", &[("created", &created.to_string()), ("unchanged", &unchanged.to_string())])}
                        </p>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="outcome__error">{error.message(locale.get())}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
