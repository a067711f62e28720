//! `/projection/:id?cle=…`: the hall's screen. Large type, the item under debate, the motion as adopted so far
//! with what changed since the session opened marked (inserted and deleted words, said as such), live. Opened
//! with a read-only link created by organizers: no one signs in on the projector's machine.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ErrorPanel, MotionRoute, motion_page::phase_key, use_route};
use crate::{
    api::{ApiError, DebateItemView, ProjectorScreen, projection_view},
    i18n::{t, title_t, tr, tr_with, use_i18n},
    ui::{
        diff_view::DiffView,
        live::{Live, LiveStatus},
        vote_panel::VotePanel,
    },
};

/// `/projection/:id`.
#[component]
pub fn ProjectionPage() -> impl IntoView {
    let route = use_route::<MotionRoute>();
    let query = use_query_map();
    let id = move || route.get().map(|r| r.id);
    let key = move || query.read().get("cle");
    let live = Live::new();
    on_cleanup(move || live.stop());
    let data = Resource::new(
        move || (id(), key(), live.tick.get()),
        |(id, key, _)| async move {
            let id = id.ok_or(ApiError::NotFound)?;
            projection_view(id, key).await
        },
    );
    Effect::new(move || {
        if let Some(Ok(view)) = data.get() {
            live.start_with_key(view.motion.id, view.motion.seq, key());
        }
    });
    view! {
        <Title text=title_t("projection.title")/>
        <div class="projection">
            <LiveStatus live/>
            // The open ballot's figures for the hall (no buttons: the screen signs in as nobody).
            {move || id().map(|motion_id| view! { <VotePanel motion_id live/> })}
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Screen view/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

fn item_text(locale: crate::i18n::Locale, item: &DebateItemView, ordinal: Option<usize>) -> String {
    match (item.amendment_number, ordinal) {
        (Some(n), _) => tr_with(
            locale,
            "projection.debating_amendment",
            &[("n", &n.to_string())],
        ),
        (None, Some(ordinal)) => tr_with(
            locale,
            "projection.debating_paragraph",
            &[("n", &ordinal.to_string())],
        ),
        (None, None) => tr(locale, "debate.paragraph").to_owned(),
    }
}

#[component]
fn Screen(view: ProjectorScreen) -> impl IntoView {
    let locale = use_i18n().locale;
    let motion = view.motion;
    let phase = motion.phase;
    let current = motion.current_item.clone();
    let ordinal = current.as_ref().and_then(|item| {
        motion
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter())
            .find(|p| Some(p.id) == item.paragraph_id)
            .map(|p| p.ordinal)
    });
    let changed = view.changes;
    view! {
        <h1>{motion.title.clone()}</h1>
        <p class="projection__phase">
            <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
        </p>
        {current.map(|item| view! {
            <p class="projection__item" role="status">{move || item_text(locale.get(), &item, ordinal)}</p>
        })}
        {motion
            .sections
            .into_iter()
            .map(|section| {
                let titled = !section.title.is_empty();
                let paragraphs = section
                    .paragraphs
                    .into_iter()
                    .map(|p| {
                        let debated = motion
                            .current_item
                            .as_ref()
                            .is_some_and(|item| item.paragraph_id == Some(p.id));
                        let diff = changed.iter().find(|(id, _)| *id == p.id).map(|(_, d)| d.clone());
                        let first = p.first_line;
                        view! {
                            <div class="projection__paragraph" class:paragraph--debated=debated id=format!("p-{}", p.id)>
                                <span class="projection__lines" aria-hidden="true">{first}</span>
                                {match diff {
                                    Some(changes) => view! { <p><DiffView changes/></p> }.into_any(),
                                    None => view! { <p>{p.lines.join(" ")}</p> }.into_any(),
                                }}
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <section>
                        {titled.then(|| view! { <h2>{section.title.clone()}</h2> })}
                        {paragraphs}
                    </section>
                }
            })
            .collect_view()}
    }
}
