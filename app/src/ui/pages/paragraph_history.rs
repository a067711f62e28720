//! `/motions/:id/paragraphes/:pid/historique`: every version of a paragraph, oldest first, with its diff from
//! the previous one, why it exists ("Version 2 — amendement n° 3 adopté"), who recorded it and when.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, amendment_editor::use_paragraph, amendments_page::place_label};
use crate::{
    api::{ParagraphHistoryView, ProvenanceView, VersionView},
    i18n::{Locale, t, tr, tr_with, use_i18n},
    ui::diff_view::DiffView,
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
            number, ballot_id, ..
        } => {
            let n = number.map(|n| n.to_string()).unwrap_or_default();
            let key = if ballot_id.is_some() {
                "history.amendment_by_ballot"
            } else {
                "history.amendment"
            };
            tr_with(locale, key, &[("n", &n)])
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
    let data = use_paragraph();
    view! {
        <Title text=t("history.title")/>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((history, _)) => view! { <History history/> }.into_any(),
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
