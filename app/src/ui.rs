//! Pages and components, French first, accessible (RGAA / WCAG 2.1 AA). Views call `api` and never the store.

pub mod diff_view;
pub mod export_links;
pub mod forms;
pub mod layout;
pub mod live;
pub mod pages;
pub mod vote_panel;

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::i18n::{Locale, provide_i18n, title_locale, title_text, tr};
use layout::{Footer, Header};
use pages::{
    amendment_edit::AmendmentEditPage, amendment_editor::AmendmentEditorPage,
    amendments_page::AmendmentsPage, ballot_result_page::BallotResultPage,
    ballots_page::BallotsPage, console_page::ConsolePage, home_page::HomePage,
    invitation_page::InvitationPage, members_page::MembersPage, motion_page::MotionPage,
    not_found::NotFound, paragraph_history::ParagraphHistoryPage, profile::ProfilePage,
    projection_page::ProjectionPage, register::RegisterPage, sign_in::SignInPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language the page starts in: the reader's cookie on the server; on hydration, what the server chose.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| Locale::of_request(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
}

/// The root component: context, document metadata, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n(initial_locale());
    let locale = i18n.locale;
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    // Effects run in the browser only, after hydration: tests (and styles) can tell a live page from HTML.
    Effect::new(|_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-hydrated", "");
        }
    });

    // The formatter is called by leptos_meta after the render, outside the reactive arena: it reads the
    // reference-counted title locale, never `locale` (see `i18n::TitleLocale`).
    let title_locale = title_locale();
    view! {
        <Html {..} lang=move || locale.get().code()/>
        <Stylesheet id="leptos" href="/pkg/hemicycle.css"/>
        <Title formatter=move |page: String| {
            let name = tr(title_locale.get(), "app.name");
            title_text(if page.is_empty() { name.to_owned() } else { format!("{page} — {name}") })
        }/>
        <Router>
            <Header/>
            <main id="contenu" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id") view=MotionPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/amendements") view=AmendmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/scrutins") view=BallotsPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/scrutins/:bid") view=BallotResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/amendements/:aid/modifier") view=AmendmentEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/paragraphes/:pid/amender") view=AmendmentEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/motions/:id/paragraphes/:pid/historique") view=ParagraphHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitation/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/profil") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/organisation") view=ConsolePage ssr=SsrMode::Async/>
                    <Route path=path!("/projection/:id") view=ProjectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisation/participants") view=MembersPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Sends the page's Content-Security-Policy with the nonce its inline hydration scripts carry.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let nonce = leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
    let form_targets = use_context::<crate::api::state::AppState>()
        .map(|state| state.oidc_origins())
        .unwrap_or_default();
    let policy = crate::ssr::content_security_policy(nonce.as_deref(), &form_targets);
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}
