//! `/motions/:id/amendements/:aid/modifier`: the author's page for one filed amendment — rewrite it (with the
//! live word diff against the text it would change) and invite co-signatories among the edition's verified
//! delegates. Editing clears co-signatures (they signed another text); invitations stay.

use domain::{diff::word_diff, policy::Action};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{AmendmentRoute, ErrorPanel, amendments_page::names, use_route};
use crate::{
    api::{
        AmendmentEditView, AmendmentView, ApiError, DelegateOption, EditAmendment, InviteCoSigner,
        ViewerPermissions, amendment_edit_data,
    },
    i18n::{t, title_t, tr_with, use_i18n},
    ui::{
        diff_view::DiffView,
        forms::{ActionOutcome, Reload, textarea_text},
    },
};

/// `/motions/:id/amendements/:aid/modifier`.
#[component]
pub fn AmendmentEditPage() -> impl IntoView {
    let route = use_route::<AmendmentRoute>();
    let reload = Reload::new();
    let edit = reload.action::<EditAmendment>();
    let invite = reload.action::<InviteCoSigner>();
    let data = Resource::new(
        move || (route.get(), reload.version()),
        |(route, _)| async move {
            let route = route.ok_or(ApiError::NotFound)?;
            let page = amendment_edit_data(route.id, route.aid).await?;
            Ok::<_, ApiError>((route.id, page))
        },
    );
    view! {
        <Title text=title_t("edit.title")/>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((motion_id, AmendmentEditView { amendment, current_text, permissions, delegates })) => {
                        view! { <EditAmendmentForm motion_id amendment current=current_text permissions delegates edit invite/> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditAmendmentForm(
    motion_id: i32,
    amendment: AmendmentView,
    current: String,
    permissions: ViewerPermissions,
    delegates: Vec<DelegateOption>,
    edit: ServerAction<EditAmendment>,
    invite: ServerAction<InviteCoSigner>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let a = amendment;
    let number = a.number.to_string();
    let mine = permissions.member_id == Some(a.author_id);
    let filed = a.status == domain::amendment::AmendmentStatusCode::Filed;
    let allowed = mine && filed && permissions.allows(Action::EditAmendment);
    let is_delete = a.kind == "delete";
    let written = a
        .proposed_text
        .clone()
        .or(a.author_text.clone())
        .unwrap_or_default();
    let draft = RwSignal::new(written.clone());
    let preview = {
        let current = current.clone();
        move || view! { <DiffView changes=word_diff(&current, &draft.get())/> }
    };
    let excluded: Vec<i32> = std::iter::once(a.author_id)
        .chain(a.cosigners.iter().map(|c| c.member_id))
        .chain(a.invited.iter().map(|c| c.member_id))
        .collect();
    let candidates: Vec<DelegateOption> = delegates
        .into_iter()
        .filter(|d| !excluded.contains(&d.member_id))
        .collect();
    let invited = names(&a.invited);
    let signed = names(&a.cosigners);
    let (amendment_id, version) = (a.id, a.current_version);
    view! {
        <p class="motion__edition">
            <a href=format!("/motions/{}/amendements#amendement-{amendment_id}", motion_id)>{t("amendments.title")}</a>
        </p>
        <h1>{move || tr_with(locale.get(), "edit.heading", &[("n", &number)])}</h1>
        {(!allowed).then(|| view! { <p class="notice">{t("edit.not_allowed")}</p> })}
        {allowed.then(|| view! {
            <section class="panel" aria-labelledby="modifier-titre">
                <h2 id="modifier-titre">{t("edit.rewrite")}</h2>
                <p class="field__hint">{t("edit.clears_signatures")}</p>
                <ActionForm action=edit attr:class="editor">
                    <input type="hidden" name="motion_id" value=motion_id/>
                    <input type="hidden" name="amendment_id" value=amendment_id/>
                    {version.map(|v| view! { <input type="hidden" name="base_version" value=v/> })}
                    {(!is_delete).then(|| view! {
                        <div class="field">
                            <label for="amendement-texte">{t("editor.text")}</label>
                            <textarea id="amendement-texte" name="text" rows="8" maxlength="5000" required=true
                                on:input=move |ev| draft.set(event_target_value(&ev))>{textarea_text(written.clone())}</textarea>
                        </div>
                        <section class="preview" aria-labelledby="apercu-titre">
                            <h3 id="apercu-titre">{t("editor.preview")}</h3>
                            <p class="preview__diff">{preview.clone()}</p>
                        </section>
                    })}
                    <div class="field">
                        <label for="amendement-expose">{t("amendment.rationale")}</label>
                        <textarea id="amendement-expose" name="rationale" rows="5" maxlength="5000">{textarea_text(a.rationale.clone())}</textarea>
                    </div>
                    <button type="submit" class="button button--primary">{t("edit.save")}</button>
                </ActionForm>
                <ActionOutcome result=Signal::derive(move || edit.value().get()) success="edit.saved"/>
            </section>
            <section class="panel" id="inviter" aria-labelledby="inviter-titre">
                <h2 id="inviter-titre">{t("edit.invite_title")}</h2>
                <p>{t("amendment.cosigners")} " : " {if signed.is_empty() { "—".to_owned() } else { signed.clone() }}</p>
                <p>{t("edit.invited")} " : " {if invited.is_empty() { "—".to_owned() } else { invited.clone() }}</p>
                {if candidates.is_empty() {
                    view! { <p>{t("edit.no_candidate")}</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=invite attr:class="inline-form">
                            <input type="hidden" name="motion_id" value=motion_id/>
                            <input type="hidden" name="amendment_id" value=amendment_id/>
                            <label for="invite-membre">{t("edit.invite_who")}</label>
                            <select id="invite-membre" name="member_id">
                                {candidates
                                    .iter()
                                    .map(|d| view! { <option value=d.member_id>{d.label.clone()}</option> })
                                    .collect_view()}
                            </select>
                            <button type="submit" class="button">{t("edit.invite")}</button>
                        </ActionForm>
                    }
                    .into_any()
                }}
                <ActionOutcome result=Signal::derive(move || invite.value().get()) success="edit.invitation_sent"/>
            </section>
        })}
    }
}
