//! The home page: every edition and its motions.

use leptos::prelude::*;
use leptos_meta::Title;

use super::ErrorPanel;
use crate::{
    api::{EditionSummary, list_editions},
    i18n::{Locale, t, title_t, tr, tr_with, use_i18n},
    ui::pages::motion_page::phase_key,
};

/// "Du 10 décembre 2026 au 11 décembre 2026", or "Le 10 décembre 2026" for a one-day congress.
pub fn edition_dates(locale: Locale, starts_on: &str, ends_on: &str) -> String {
    let format = |iso: &str| match locale {
        Locale::Fr => domain::calendar::long_date_fr(iso),
        Locale::En => domain::calendar::long_date_en(iso),
    };
    if starts_on == ends_on {
        tr_with(locale, "edition.one_day", &[("start", &format(starts_on))])
    } else {
        tr_with(
            locale,
            "edition.dates",
            &[("start", &format(starts_on)), ("end", &format(ends_on))],
        )
    }
}

/// Lists the editions, newest first.
#[component]
pub fn HomePage() -> impl IntoView {
    let editions = Resource::new(|| (), |_| list_editions());
    view! {
        <Title text=title_t("home.title")/>
        <h1>{t("home.title")}</h1>
        <p class="lead">{t("home.intro")}</p>
        <Suspense fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match editions.await {
                    Ok(list) if list.is_empty() => view! { <p>{t("home.empty")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="editions">
                            {list.into_iter().map(|e| view! { <EditionCard edition=e/> }).collect_view()}
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditionCard(edition: EditionSummary) -> impl IntoView {
    let locale = use_i18n().locale;
    let heading_id = format!("edition-{}", edition.id);
    let labelled_by = heading_id.clone();
    let dates = {
        let (start, end) = (edition.starts_on.clone(), edition.ends_on.clone());
        move || edition_dates(locale.get(), &start, &end)
    };
    let motions = edition.motions;
    view! {
        <article class="edition" aria-labelledby=labelled_by>
            <h2 id=heading_id>{edition.title}</h2>
            <p class="edition__meta">{dates} " · " {edition.place}</p>
            <h3 class="visually-hidden">{t("home.motions")}</h3>
            {if motions.is_empty() {
                view! { <p>{t("home.no_motion")}</p> }.into_any()
            } else {
                view! {
                    <ul class="motion-list">
                        {motions
                            .into_iter()
                            .map(|m| {
                                let count = m.paragraph_count.to_string();
                                let phase = m.phase;
                                view! {
                                    <li class="motion-list__item">
                                        <a href=format!("/motions/{}", m.id)>{m.title}</a>
                                        <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
                                        <span class="muted">
                                            {move || tr_with(locale.get(), "motion.paragraph_count", &[("n", &count)])}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </article>
    }
}
