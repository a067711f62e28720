//! `/organisation`: the organizers' console — every edition and its motions with their phase; create a motion
//! from a draft pasted in Markdown or plain text (previewed live in the browser with the domain's own reader);
//! continue a draft still being written; create an edition.

use domain::{
    congress::{LINE_WIDTHS, MAX_MIN_COSIGNERS},
    draft::{DraftProblem, parse_draft},
    lines::DEFAULT_LINE_WIDTH,
    motion::Phase,
};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, motion_page::phase_key};
use crate::ui::export_links::OrganizerExport;
use crate::{
    api::{
        ConsoleView, CreateEdition, CreateMotion, CreateProjectorLink, EditionSummary, ImportDraft,
        congress_console,
    },
    i18n::{Locale, t, title_t, tr, tr_with, use_i18n},
    ui::forms::{ActionOutcome, Reload, outcome_with},
};

/// "3 sections, 12 paragraphes" or the draft's first problem, for the live preview.
pub fn draft_summary(locale: Locale, draft: &str) -> String {
    if draft.trim().is_empty() {
        return String::new();
    }
    match parse_draft(draft) {
        Ok(sections) => {
            let titled = sections.iter().filter(|s| s.title.is_some()).count();
            let paragraphs: usize = sections.iter().map(|s| s.paragraphs.len()).sum();
            tr_with(
                locale,
                "console.draft_summary",
                &[
                    ("sections", &titled.to_string()),
                    ("paragraphs", &paragraphs.to_string()),
                ],
            )
        }
        Err(problems) => match problems.first() {
            Some(DraftProblem::ParagraphTooLong { line, chars, max }) => tr_with(
                locale,
                "refusal.draft_paragraph_too_long",
                &[
                    ("line", &line.to_string()),
                    ("chars", &chars.to_string()),
                    ("max", &max.to_string()),
                ],
            ),
            Some(DraftProblem::EmptyHeading { line }) => tr_with(
                locale,
                "refusal.draft_empty_heading",
                &[("line", &line.to_string())],
            ),
            Some(DraftProblem::Empty) | None => tr(locale, "refusal.draft_empty").to_owned(),
        },
    }
}

/// `/organisation`.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let reload = Reload::new();
    let create_motion = reload.action::<CreateMotion>();
    let create_edition = reload.action::<CreateEdition>();
    let import = reload.action::<ImportDraft>();
    // A projector link changes nothing the console lists.
    let projector = ServerAction::<CreateProjectorLink>::new();
    let data = Resource::new(move || reload.version(), |_| congress_console());
    view! {
        <Title text=title_t("console.title")/>
        <h1>{t("console.title")}</h1>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(console) => view! { <Console console create_motion create_edition import projector/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Console(
    console: ConsoleView,
    create_motion: ServerAction<CreateMotion>,
    create_edition: ServerAction<CreateEdition>,
    import: ServerAction<ImportDraft>,
    projector: ServerAction<CreateProjectorLink>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let editions = console.editions;
    let has_edition = !editions.is_empty();
    view! {
        <section class="panel" aria-labelledby="motions-titre">
            <h2 id="motions-titre">{t("console.motions")}</h2>
            {(!has_edition).then(|| view! { <p>{t("console.no_edition")}</p> })}
            {editions.iter().cloned().map(|edition| view! { <EditionMotions edition import projector/> }).collect_view()}
            <ActionOutcome result=Signal::derive(move || import.value().get()) success="console.imported"/>
            {outcome_with(projector.value().into(), move |path: String| view! {
                <p class="outcome__ok">
                    {tr(locale.get(), "console.projector_hint")} " "
                    <a href=path.clone()>{path.clone()}</a>
                </p>
            })}
        </section>
        {has_edition.then(|| view! { <NewMotion editions=editions.clone() action=create_motion/> })}
        <NewEdition action=create_edition/>
    }
}

#[component]
fn EditionMotions(
    edition: EditionSummary,
    import: ServerAction<ImportDraft>,
    projector: ServerAction<CreateProjectorLink>,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let heading = format!("edition-{}", edition.id);
    let empty = edition.motions.is_empty();
    view! {
        <section class="console__edition" aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{edition.title.clone()} " — " {edition.place.clone()} " (" {edition.starts_on.clone()} ")"</h3>
            {empty.then(|| view! { <p>{t("console.no_motion")}</p> })}
            <ul class="console__motions">
                {edition
                    .motions
                    .into_iter()
                    .map(|motion| {
                        let phase = motion.phase;
                        let id = motion.id;
                        let field = format!("suite-{id}");
                        let count = motion.paragraph_count.to_string();
                        view! {
                            <li>
                                <a href=format!("/motions/{id}")>{motion.title.clone()}</a>
                                " · " <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
                                " · " {move || tr_with(locale.get(), "console.paragraphs", &[("n", &count)])}
                                " · " <a href=format!("/motions/{id}/amendements")>{t("console.amendments_and_phases")}</a>
                                " · " <a href=format!("/motions/{id}/scrutins")>{t("ballots.link")}</a>
                                " · "
                                <ActionForm action=projector attr:class="inline-form">
                                    <input type="hidden" name="motion_id" value=id/>
                                    <button type="submit" class="link-button">{t("console.projector")}</button>
                                </ActionForm>
                                <OrganizerExport motion_id=id phase/>
                                {(phase == Phase::Draft).then(|| view! {
                                    <ActionForm action=import attr:class="editor">
                                        <input type="hidden" name="motion_id" value=id/>
                                        <div class="field">
                                            <label for=field.clone()>{t("console.continue_draft")}</label>
                                            <textarea id=field.clone() name="draft" rows="4" required=true></textarea>
                                        </div>
                                        <button type="submit" class="button">{t("console.import")}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewMotion(editions: Vec<EditionSummary>, action: ServerAction<CreateMotion>) -> impl IntoView {
    let locale = use_i18n().locale;
    let draft = RwSignal::new(String::new());
    let (narrowest, widest) = LINE_WIDTHS;
    view! {
        <section class="panel" aria-labelledby="nouvelle-motion">
            <h2 id="nouvelle-motion">{t("console.new_motion")}</h2>
            <ActionForm action attr:class="editor">
                <div class="field">
                    <label for="motion-edition">{t("console.edition")}</label>
                    <select id="motion-edition" name="edition_id">
                        {editions
                            .into_iter()
                            .map(|e| view! { <option value=e.id>{e.title}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="motion-titre">{t("console.motion_title")}</label>
                    <input id="motion-titre" name="title" type="text" required=true maxlength="300"/>
                </div>
                <div class="field">
                    <label for="motion-preambule">{t("motion.preamble")}</label>
                    <textarea id="motion-preambule" name="preamble" rows="3" maxlength="5000"></textarea>
                </div>
                <div class="field">
                    <label for="motion-largeur">{t("console.line_width")}</label>
                    <p class="field__hint" id="motion-largeur-aide">{t("console.line_width_hint")}</p>
                    <input id="motion-largeur" name="line_width" type="number" required=true
                        min=narrowest max=widest value=DEFAULT_LINE_WIDTH aria-describedby="motion-largeur-aide"/>
                </div>
                <div class="field">
                    <label for="motion-cosignataires">{t("console.min_cosigners")}</label>
                    <input id="motion-cosignataires" name="min_cosigners" type="number" required=true
                        min="0" max=MAX_MIN_COSIGNERS value="1"/>
                </div>
                <div class="field">
                    <label for="motion-brouillon">{t("console.draft")}</label>
                    <p class="field__hint" id="motion-brouillon-aide">{t("console.draft_hint")}</p>
                    <textarea id="motion-brouillon" name="draft" rows="14" aria-describedby="motion-brouillon-aide motion-brouillon-apercu"
                        on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <p class="field__hint" id="motion-brouillon-apercu" aria-live="polite">
                        {move || draft_summary(locale.get(), &draft.get())}
                    </p>
                </div>
                <button type="submit" class="button button--primary">{t("console.create_motion")}</button>
            </ActionForm>
            {outcome_with(action.value().into(), move |id: i32| view! {
                <p class="outcome__ok">
                    {tr(locale.get(), "console.motion_created")} " "
                    <a href=format!("/motions/{id}")>{tr(locale.get(), "console.open_motion")}</a>
                </p>
            })}
        </section>
    }
}

#[component]
fn NewEdition(action: ServerAction<CreateEdition>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="nouveau-congres">
            <h2 id="nouveau-congres">{t("console.new_edition")}</h2>
            <p class="field__hint">{t("console.new_edition_hint")}</p>
            <ActionForm action attr:class="editor">
                <div class="field">
                    <label for="edition-titre">{t("console.edition_title")}</label>
                    <input id="edition-titre" name="title" type="text" required=true maxlength="300"/>
                </div>
                <div class="field">
                    <label for="edition-lieu">{t("console.place")}</label>
                    <input id="edition-lieu" name="place" type="text" required=true maxlength="200"/>
                </div>
                <div class="field">
                    <label for="edition-debut">{t("console.starts_on")}</label>
                    <input id="edition-debut" name="starts_on" type="date" required=true/>
                </div>
                <div class="field">
                    <label for="edition-fin">{t("console.ends_on")}</label>
                    <input id="edition-fin" name="ends_on" type="date" required=true/>
                </div>
                <button type="submit" class="button">{t("console.create_edition")}</button>
            </ActionForm>
            <ActionOutcome result=Signal::derive(move || action.value().get()) success="console.edition_created"/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_preview_counts_or_names_the_first_problem() {
        assert_eq!(draft_summary(Locale::Fr, "  "), "");
        assert_eq!(
            draft_summary(Locale::Fr, "# Un\n\nA.\n\nB.\n\n# Deux\n\nC."),
            "Aperçu : 2 sections, 3 paragraphes."
        );
        assert_eq!(
            draft_summary(Locale::Fr, "A.\n\n#\n\nB."),
            "Le titre de la ligne 3 est vide."
        );
    }
}
