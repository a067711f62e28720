//! `/motions/:id/paragraphes/:pid/amender`: the amendment editor. Starts from the paragraph's current text and
//! previews the word diff live, in the browser, with the domain's own `word_diff` compiled to wasm. Also
//! proposes deleting the paragraph or inserting a new one after it.

use domain::{diff::word_diff, policy::Action};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, ParagraphRoute, amendments_page::place_label, use_route};
use crate::{
    api::{
        ApiError, FileAmendment, FiledAmendment, ParagraphHistoryView, ParagraphPageView,
        ViewerPermissions, paragraph_page_data,
    },
    i18n::{t, title_t, tr, tr_with, use_i18n},
    ui::{
        diff_view::DiffView,
        forms::{outcome_with, textarea_text},
    },
};

/// Loads the route's paragraph with the viewer's permissions (shared with the history); loads again whenever
/// `reload` changes (after an edit).
pub fn use_paragraph(reload: Signal<usize>) -> Resource<Result<ParagraphPageView, ApiError>> {
    let route = use_route::<ParagraphRoute>();
    Resource::new(
        move || (route.get(), reload.get()),
        |(route, _)| async move {
            let route = route.ok_or(ApiError::NotFound)?;
            paragraph_page_data(route.id, route.pid).await
        },
    )
}

/// `/motions/:id/paragraphes/:pid/amender`.
#[component]
pub fn AmendmentEditorPage() -> impl IntoView {
    let data = use_paragraph(Signal::derive(|| 0));
    view! {
        <Title text=title_t("editor.title")/>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ParagraphPageView { history, permissions }) => view! { <Editor history permissions/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The outcome of a filing: "Amendement n° N déposé" with a link to the list, or the refusal.
fn filed_outcome(action: ServerAction<FileAmendment>, motion_id: i32) -> impl IntoView {
    let locale = use_i18n().locale;
    outcome_with(
        action.value().into(),
        move |FiledAmendment { number, id }| {
            view! {
                <p class="outcome__ok">
                    {tr_with(locale.get(), "editor.filed", &[("n", &number.to_string())])} " "
                    <a href=format!("/motions/{motion_id}/amendements/{}/modifier#inviter", id.get())>
                        {tr(locale.get(), "editor.invite_link")}
                    </a>
                    " · "
                    <a href=format!("/motions/{motion_id}/amendements")>{tr(locale.get(), "editor.see_list")}</a>
                </p>
            }
        },
    )
}

#[component]
fn Editor(history: ParagraphHistoryView, permissions: ViewerPermissions) -> impl IntoView {
    let locale = use_i18n().locale;
    let replace = ServerAction::<FileAmendment>::new();
    let delete = ServerAction::<FileAmendment>::new();
    let insert = ServerAction::<FileAmendment>::new();
    let motion_id = history.motion_id;
    let paragraph_id = history.paragraph_id;
    let version = history.current_version;
    let current = history.current_text.clone();
    let draft = RwSignal::new(current.clone());
    let preview = {
        let current = current.clone();
        move || view! { <DiffView changes=word_diff(&current, &draft.get())/> }
    };
    let place = history.place.clone();
    let heading = move || match &place {
        Some(place) => place_label(locale.get(), place),
        None => tr(locale.get(), "amendment.target_deleted").to_owned(),
    };
    let allowed = permissions.allows(Action::FileAmendment) && !history.deleted;
    view! {
        <p class="motion__edition">
            <a href=format!("/motions/{motion_id}#p-{paragraph_id}")>{history.motion_title.clone()}</a>
        </p>
        <h1>{t("editor.title")} " — " {heading}</h1>
        <section class="panel" aria-labelledby="texte-actuel">
            <h2 id="texte-actuel">{t("editor.current")}</h2>
            <p>{current.clone()}</p>
        </section>
        {(!allowed).then(|| view! { <p class="notice">{t("editor.not_allowed")}</p> })}
        {allowed.then(|| view! {
            <ActionForm action=replace attr:class="editor">
                <input type="hidden" name="motion_id" value=motion_id/>
                <input type="hidden" name="kind" value="replace"/>
                <input type="hidden" name="paragraph_id" value=paragraph_id/>
                <input type="hidden" name="base_version" value=version/>
                <div class="field">
                    <label for="amendement-texte">{t("editor.text")}</label>
                    <p class="field__hint" id="amendement-texte-aide">{t("editor.text_hint")}</p>
                    <textarea id="amendement-texte" name="text" rows="8" maxlength="5000" required=true
                        aria-describedby="amendement-texte-aide"
                        on:input=move |ev| draft.set(event_target_value(&ev))>{textarea_text(current.clone())}</textarea>
                </div>
                <section class="preview" aria-labelledby="apercu-titre">
                    <h2 id="apercu-titre">{t("editor.preview")}</h2>
                    <p class="preview__diff">{preview}</p>
                </section>
                <div class="field">
                    <label for="amendement-expose">{t("amendment.rationale")}</label>
                    <textarea id="amendement-expose" name="rationale" rows="5" maxlength="5000"></textarea>
                </div>
                <button type="submit" class="button button--primary">{t("editor.submit")}</button>
            </ActionForm>
            {filed_outcome(replace, motion_id)}
            <section class="panel" aria-labelledby="autres-propositions">
                <h2 id="autres-propositions">{t("editor.other")}</h2>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="motion_id" value=motion_id/>
                    <input type="hidden" name="kind" value="delete"/>
                    <input type="hidden" name="paragraph_id" value=paragraph_id/>
                    <input type="hidden" name="base_version" value=version/>
                    <label for="suppression-expose">{t("amendment.rationale")}</label>
                    <input id="suppression-expose" name="rationale" type="text"/>
                    <button type="submit" class="button">{t("editor.delete")}</button>
                </ActionForm>
                {filed_outcome(delete, motion_id)}
                <ActionForm action=insert attr:class="editor">
                    <input type="hidden" name="motion_id" value=motion_id/>
                    <input type="hidden" name="kind" value="insert"/>
                    <input type="hidden" name="section_id" value=history.section_id/>
                    <input type="hidden" name="after_paragraph_id" value=paragraph_id/>
                    <div class="field">
                        <label for="insertion-texte">{t("editor.insert_text")}</label>
                        <textarea id="insertion-texte" name="text" rows="4" maxlength="5000" required=true></textarea>
                    </div>
                    <div class="field">
                        <label for="insertion-expose">{t("amendment.rationale")}</label>
                        <textarea id="insertion-expose" name="rationale" rows="3" maxlength="5000"></textarea>
                    </div>
                    <button type="submit" class="button">{t("editor.insert")}</button>
                </ActionForm>
                {filed_outcome(insert, motion_id)}
            </section>
        })}
    }
}
