//! The motion reader: sections, paragraphs with their line numbers in the margin, one anchor per paragraph.

use domain::{motion::Phase, policy::Action};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ErrorPanel, MotionRoute, use_route};
use crate::{
    api::{
        ApiError, DebateItemView, MotionView, ParagraphView, SetCurrentItem, ViewerPermissions,
        motion_page_data,
    },
    i18n::{t, tr, tr_with, use_i18n},
    ui::{
        export_links::AdoptedTextLinks,
        forms::ActionOutcome,
        live::{Live, LiveStatus},
        vote_panel::VotePanel,
    },
};

/// The translation key naming a phase.
pub fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Draft => "phase.draft",
        Phase::Amending => "phase.amending",
        Phase::Session => "phase.session",
        Phase::Adopted => "phase.adopted",
        Phase::Closed => "phase.closed",
    }
}

/// `/motions/:id`.
#[component]
pub fn MotionPage() -> impl IntoView {
    let route = use_route::<MotionRoute>();
    let id = move || route.get().map(|r| r.id);
    let live = Live::new();
    on_cleanup(move || live.stop());
    let debate = ServerAction::<SetCurrentItem>::new();
    let follow = RwSignal::new(true);
    let motion = Resource::new(
        move || (id(), live.tick.get(), debate.version().get()),
        |(id, _, _)| async move {
            let page = motion_page_data(id.ok_or(ApiError::NotFound)?).await?;
            let tools = page
                .permissions
                .as_ref()
                .map_or_else(Tools::default, Tools::of);
            Ok::<_, ApiError>((page.motion, tools))
        },
    );
    // Follow mode: when the chair moves the debate, bring the debated paragraph into view.
    let seen_item = StoredValue::new(None::<Option<i32>>);
    Effect::new(move || {
        let Some(Ok((motion, _))) = motion.get() else {
            return;
        };
        let now = motion
            .current_item
            .as_ref()
            .and_then(|item| item.paragraph_id);
        let before = seen_item.get_value();
        seen_item.set_value(Some(now));
        if let (Some(before), Some(paragraph)) = (before, now)
            && before != Some(paragraph)
            && follow.get_untracked()
        {
            request_animation_frame(move || {
                if let Some(element) = document().get_element_by_id(&format!("p-{paragraph}")) {
                    element.scroll_into_view();
                }
            });
        }
    });
    // Visitors read; signed-in members follow the motion live.
    Effect::new(move || {
        if let Some(Ok((motion, tools))) = motion.get()
            && tools.signed_in
        {
            live.start(motion.id, motion.seq);
        }
    });
    view! {
        // Outside the refreshed part: the live region must stay in place to be heard.
        <LiveStatus live/>
        <p class="follow">
            <input type="checkbox" id="suivre" prop:checked=move || follow.get()
                on:change=move |ev| follow.set(event_target_checked(&ev))/>
            <label for="suivre">{t("debate.follow")}</label>
        </p>
        <ActionOutcome result=Signal::derive(move || debate.value().get()) success="debate.set"/>
        {move || id().map(|motion_id| view! { <VotePanel motion_id live/> })}
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || Suspend::new(async move {
                match motion.await {
                    Ok((motion, tools)) => view! { <MotionText motion tools debate/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the viewer may do from the reader, paragraph by paragraph.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Tools {
    signed_in: bool,
    set_item: bool,
    ballots: bool,
    amend: bool,
    edit_draft: bool,
    fix: bool,
}

impl Tools {
    fn of(p: &ViewerPermissions) -> Self {
        Tools {
            signed_in: p.member_id.is_some(),
            amend: p.allows(Action::FileAmendment),
            edit_draft: p.allows(Action::EditDraft),
            fix: p.allows(Action::EditorialFix),
            set_item: p.allows(Action::SetCurrentItem),
            ballots: p.allows(Action::OpenBallot) || p.allows(Action::ManageProxies),
        }
    }
}

#[component]
fn MotionText(
    motion: MotionView,
    tools: Tools,
    debate: ServerAction<SetCurrentItem>,
) -> impl IntoView {
    let current = motion.current_item.clone();
    let locale = use_i18n().locale;
    let phase = motion.phase;
    let empty = motion.sections.iter().all(|s| s.paragraphs.is_empty());
    let title = motion.title.clone();
    let motion_id = motion.id;
    let pending: usize = motion
        .sections
        .iter()
        .flat_map(|s| s.paragraphs.iter())
        .map(|p| p.pending_amendments)
        .sum();
    view! {
            <Title text=title/>
            <article class="motion" aria-labelledby="motion-title">
                <p class="motion__edition">{motion.edition_title}</p>
                <h1 id="motion-title">{motion.title}</h1>
                <p class="motion__phase">
                    {t("motion.phase")} " : " <span class="badge">{move || tr(locale.get(), phase_key(phase))}</span>
                </p>
                <AdoptedTextLinks motion_id phase/>
                <p class="motion__amendments">
                    <a href=format!("/motions/{motion_id}/amendements")>
                        {move || tr_with(locale.get(), "motion.all_amendments", &[("n", &pending.to_string())])}
                    </a>
                    {tools.ballots.then(|| view! {
                        " · " <a href=format!("/motions/{motion_id}/scrutins")>{t("ballots.link")}</a>
                    })}
                </p>
                <section class="motion__preamble" aria-label=t("motion.preamble")>
                    <p>{motion.preamble}</p>
                </section>
                <nav class="toc" aria-label=t("motion.toc")>
                    <h2 class="toc__title">{t("motion.toc")}</h2>
                    <ol>
                        {motion
                            .sections
                            .iter()
    .filter(|s| !s.title.is_empty())
                            .map(|s| view! { <li><a href=format!("#section-{}", s.id)>{s.title.clone()}</a></li> })
                            .collect_view()}
                    </ol>
                </nav>
                {empty.then(|| view! { <p>{t("motion.empty")}</p> })}
                {motion
                    .sections
                    .into_iter()
                    .map(|section| {
                        let heading = format!("section-{}", section.id);
                        // A draft's paragraphs before its first heading form a section without a title.
                        let titled = !section.title.is_empty();
                        let labelled_by = titled.then(|| heading.clone());
                        view! {
                            <section class="motion__section" id=(!titled).then(|| heading.clone()) aria-labelledby=labelled_by>
                                {titled.then(|| view! { <h2 id=heading.clone()>{section.title.clone()}</h2> })}
                                {section
                                    .paragraphs
                                    .into_iter()
                                    .map(|p| {
                                    let debated = current.as_ref().filter(|item| item.paragraph_id == Some(p.id)).cloned();
                                    view! { <NumberedParagraph paragraph=p motion_id tools debated debate/> }
                                })
                                    .collect_view()}
                            </section>
                        }
                    })
                    .collect_view()}
            </article>
        }
}

/// One paragraph: a heading for assistive technologies, then its lines, each with its number in the margin.
/// Numbers are hidden from screen readers (they would interrupt every line); the range is said once instead.
#[component]
fn NumberedParagraph(
    paragraph: ParagraphView,
    motion_id: i32,
    tools: Tools,
    debated: Option<DebateItemView>,
    debate: ServerAction<SetCurrentItem>,
) -> impl IntoView {
    let can_amend = tools.amend;
    let paragraph_id = paragraph.id;
    let is_debated = debated.is_some();
    let debated_label = debated.map(|item| match item.amendment_number {
        Some(n) => ("debate.amendment", n.to_string()),
        None => ("debate.paragraph", String::new()),
    });
    let locale = use_i18n().locale;
    let anchor = format!("p-{}", paragraph.id);
    let first = paragraph.first_line;
    let last = first + u32::try_from(paragraph.lines.len().saturating_sub(1)).unwrap_or(0);
    let ordinal = paragraph.ordinal.to_string();
    let pending = paragraph.pending_amendments;
    let base = format!("/motions/{motion_id}/paragraphes/{}", paragraph.id);
    let amend_href = format!("{base}/amender");
    let history_href = format!("{base}/historique");
    let of_paragraph = {
        let ordinal = ordinal.clone();
        move || tr_with(locale.get(), "motion.of_paragraph", &[("n", &ordinal)])
    };
    let label = move || {
        let range = match locale.get() {
            crate::i18n::Locale::Fr => domain::lines::line_range_label_fr(first, last),
            crate::i18n::Locale::En => domain::lines::line_range_label_en(first, last),
        };
        format!(
            "{} — {}",
            tr_with(locale.get(), "motion.paragraph", &[("n", &ordinal)]),
            range
        )
    };
    view! {
        <div class="paragraph" class:paragraph--debated=is_debated id=anchor.clone() data-paragraph-id=paragraph.id>
            <p class="paragraph__label">
                <a href=format!("#{anchor}") class="paragraph__anchor">{label}</a>
                {debated_label.map(|(key, n)| view! {
                    " " <strong class="badge badge--debate">{move || tr_with(locale.get(), key, &[("n", &n)])}</strong>
                })}
            </p>
            <p class="paragraph__text">
                {paragraph
                    .lines
                    .into_iter()
                    .zip(first..)
                    .map(|(line, number)| {
                        view! {
                            <span class="line">
                                <span class="line__number" aria-hidden="true">{number}</span>
                                <span class="line__text">{line} " "</span>
                            </span>
                        }
                    })
                    .collect_view()}
            </p>
            <div class="paragraph__tools">
                <a class="paragraph__count" href=format!("/motions/{motion_id}/amendements?paragraphe={}", paragraph.id)>
                    {move || match pending {
                        0 => tr(locale.get(), "motion.no_amendment").to_owned(),
                        1 => tr(locale.get(), "motion.one_amendment").to_owned(),
                        n => tr_with(locale.get(), "motion.amendments", &[("n", &n.to_string())]),
                    }}
                    <span class="visually-hidden">" " {of_paragraph.clone()}</span>
                </a>
                {can_amend.then({
                    let of_paragraph = of_paragraph.clone();
                    move || view! {
                    " · "
                    <a href=amend_href>
                        {t("motion.amend")} <span class="visually-hidden">" " {of_paragraph}</span>
                    </a>
                }})}
                {tools.edit_draft.then({
                    let of_paragraph = of_paragraph.clone();
                    let href = format!("{history_href}#modifier");
                    move || view! {
                        " · "
                        <a href=href>{t("motion.edit_draft")} <span class="visually-hidden">" " {of_paragraph}</span></a>
                    }
                })}
                {tools.fix.then({
                    let of_paragraph = of_paragraph.clone();
                    let href = format!("{history_href}#corriger");
                    move || view! {
                        " · "
                        <a href=href>{t("motion.fix")} <span class="visually-hidden">" " {of_paragraph}</span></a>
                    }
                })}
                {(tools.set_item && !is_debated).then(|| view! {
                    " · "
                    <ActionForm action=debate attr:class="inline-form">
                        <input type="hidden" name="motion_id" value=motion_id/>
                        <input type="hidden" name="paragraph_id" value=paragraph_id/>
                        <button type="submit" class="link-button">{t("debate.put")}</button>
                    </ActionForm>
                })}
                " · "
                <a href=history_href>
                    {t("motion.history")} <span class="visually-hidden">" " {of_paragraph}</span>
                </a>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn every_phase_has_a_label_in_both_languages() {
        for phase in Phase::ALL {
            for locale in [Locale::Fr, Locale::En] {
                assert_ne!(tr(locale, phase_key(phase)), phase_key(phase));
            }
        }
    }
}
