//! `/motions/:id/paragraphes/:pid/historique`: every version of a paragraph, oldest first, with its diff from
//! the previous one, why it exists ("Version 2 — amendement n° 3 adopté"), who recorded it and when. For
//! organizers, the paragraph's own tools: edit it while the motion is a draft, or fix its wording with a
//! reason once amendments are open — both previewed as a live word diff.

use domain::{diff::word_diff, policy::Action};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, amendment_editor::use_paragraph, amendments_page::place_label};
use crate::{
    api::{
        EditDraftParagraph, EditorialFix, ParagraphHistoryView, ParagraphPageView, ProvenanceView,
        VersionView, ViewerPermissions,
    },
    i18n::{Locale, t, title_t, tr, tr_with, use_i18n},
    ui::{
        diff_view::DiffView,
        export_links::AdoptedTextLinks,
        forms::{ActionOutcome, Reload, textarea_text},
    },
};

/// "amendement n° 3 adopté", "correction rédactionnelle : …", for people.
pub fn provenance_text(locale: Locale, provenance: &ProvenanceView) -> String {
    match provenance {
        ProvenanceView::Initial => tr(locale, "history.initial").to_owned(),
        ProvenanceView::DraftEdit => tr(locale, "history.draft_edit").to_owned(),
        ProvenanceView::EditorialFix { reason } => {
            tr_with(locale, "history.editorial_fix", &[("reason", reason)])
        }
        ProvenanceView::Amendment {
            number,
            ballot_number,
            ..
        } => {
            let n = number.map(|n| n.to_string()).unwrap_or_default();
            match ballot_number {
                Some(b) => tr_with(
                    locale,
                    "history.amendment_by_ballot",
                    &[("n", &n), ("b", &b.to_string())],
                ),
                None => tr_with(locale, "history.amendment", &[("n", &n)]),
            }
        }
        ProvenanceView::Ballot { number, .. } => {
            let b = number.map(|n| n.to_string()).unwrap_or_default();
            tr_with(locale, "history.rejected_by_ballot", &[("b", &b)])
        }
    }
}

fn date(locale: Locale, millis: i64) -> String {
    let iso = domain::calendar::iso_date_from_millis(millis);
    match locale {
        Locale::Fr => domain::calendar::long_date_fr(&iso),
        Locale::En => domain::calendar::long_date_en(&iso),
    }
}

/// `/motions/:id/paragraphes/:pid/historique`.
#[component]
pub fn ParagraphHistoryPage() -> impl IntoView {
    let reload = Reload::new();
    let edit = reload.action::<EditDraftParagraph>();
    let fix = reload.action::<EditorialFix>();
    let data = use_paragraph(Signal::derive(move || reload.version()));
    view! {
        <Title text=title_t("history.title")/>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ParagraphPageView { history, permissions }) => view! {
                        <History history=history.clone()/>
                        <OrganizerTools history permissions edit fix/>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(history: ParagraphHistoryView) -> impl IntoView {
    let locale = use_i18n().locale;
    let (motion_id, paragraph_id) = (history.motion_id, history.paragraph_id);
    let place = history.place.clone();
    let heading = move || match &place {
        Some(place) => place_label(locale.get(), place),
        None => tr(locale.get(), "amendment.target_deleted").to_owned(),
    };
    view! {
        <p class="motion__edition">
            <a href=format!("/motions/{motion_id}#p-{paragraph_id}")>{history.motion_title.clone()}</a>
        </p>
        <h1>{t("history.title")} " — " {heading}</h1>
        <AdoptedTextLinks motion_id phase=history.phase/>
        {history.deleted.then(|| view! { <p class="notice">{t("history.deleted")}</p> })}
        <ol class="versions">
            {history
                .versions
                .into_iter()
                .map(|version| view! { <li><Version version/></li> })
                .collect_view()}
        </ol>
    }
}

#[component]
fn Version(version: VersionView) -> impl IntoView {
    let locale = use_i18n().locale;
    let number = version.number.to_string();
    let provenance = version.provenance.clone();
    let heading_id = format!("version-{}", version.number);
    let labelled_by = heading_id.clone();
    let actor = version.actor_name.clone();
    let at = version.occurred_at;
    view! {
        <article class="version" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                {move || tr_with(locale.get(), "history.version", &[("n", &number)])}
                " — " {move || provenance_text(locale.get(), &provenance)}
            </h2>
            <p class="version__meta">
                {actor.map(|name| view! { {t("history.by")} " " {name} " " })}
                {at.map(|at| view! { {t("history.on")} " " {move || date(locale.get(), at)} })}
            </p>
            {match version.diff {
                Some(changes) => view! { <p><DiffView changes/></p> }.into_any(),
                None => view! { <p>{version.text}</p> }.into_any(),
            }}
        </article>
    }
}

/// Editing the draft (draft phase) or fixing the wording with a reason (amending and session phases).
#[component]
fn OrganizerTools(
    history: ParagraphHistoryView,
    permissions: ViewerPermissions,
    edit: ServerAction<EditDraftParagraph>,
    fix: ServerAction<EditorialFix>,
) -> impl IntoView {
    let can_edit = permissions.allows(Action::EditDraft) && !history.deleted;
    let can_fix = permissions.allows(Action::EditorialFix) && !history.deleted;
    let current = history.current_text.clone();
    let draft = RwSignal::new(current.clone());
    let preview = {
        let current = current.clone();
        move || view! { <DiffView changes=word_diff(&current, &draft.get())/> }
    };
    let (motion_id, paragraph_id, version) = (
        history.motion_id,
        history.paragraph_id,
        history.current_version,
    );
    let hidden = move || {
        view! {
            <input type="hidden" name="motion_id" value=motion_id/>
            <input type="hidden" name="paragraph_id" value=paragraph_id/>
            <input type="hidden" name="seen_version" value=version/>
        }
    };
    let text_field = move |label: &'static str| {
        let preview = preview.clone();
        let current = current.clone();
        view! {
            <div class="field">
                <label for="paragraphe-texte">{t(label)}</label>
                <textarea id="paragraphe-texte" name="text" rows="6" maxlength="5000" required=true
                    on:input=move |ev| draft.set(event_target_value(&ev))>{textarea_text(current)}</textarea>
            </div>
            <section class="preview" aria-labelledby="apercu-titre">
                <h3 id="apercu-titre">{t("editor.preview")}</h3>
                <p class="preview__diff">{preview.clone()}</p>
            </section>
        }
    };
    view! {
        {can_edit.then({
            let text_field = text_field.clone();
            move || view! {
            <section class="panel" id="modifier" aria-labelledby="modifier-titre">
                <h2 id="modifier-titre">{t("history.edit_draft")}</h2>
                <ActionForm action=edit attr:class="editor">
                    {hidden()}
                    {text_field("editor.text")}
                    <button type="submit" class="button button--primary">{t("history.save_draft")}</button>
                </ActionForm>
                <ActionOutcome result=Signal::derive(move || edit.value().get()) success="history.draft_saved"/>
            </section>
        }})}
        {can_fix.then(move || view! {
            <section class="panel" id="corriger" aria-labelledby="corriger-titre">
                <h2 id="corriger-titre">{t("history.fix_title")}</h2>
                <p class="field__hint">{t("history.fix_hint")}</p>
                <ActionForm action=fix attr:class="editor">
                    {hidden()}
                    {text_field("editor.text")}
                    <div class="field">
                        <label for="correction-motif">{t("history.fix_reason")}</label>
                        <input id="correction-motif" name="reason" type="text" required=true maxlength="5000"/>
                    </div>
                    <button type="submit" class="button button--primary">{t("history.fix_submit")}</button>
                </ActionForm>
                <ActionOutcome result=Signal::derive(move || fix.value().get()) success="history.fixed"/>
            </section>
        })}
    }
}
