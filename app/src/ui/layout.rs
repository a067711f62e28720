//! The frame of every page: skip link, header with the product and the current edition, language switch, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    api::{get_site_info, get_viewer},
    i18n::{LOCALE_COOKIE, Locale, t, tr_with, use_i18n},
};

/// Remembers the reader's choice for a year, for the whole site.
pub fn locale_cookie(locale: Locale) -> String {
    format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    )
}

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_site_info());
    view! {
        <a class="skip-link" href="#contenu">{t("nav.skip")}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"◖◗"</span>
                    <span class="brand__name">{t("app.name")}</span>
                </a>
                <p class="current-edition">
                    <span class="visually-hidden">{t("header.current_edition")} " : "</span>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match info.await {
                                Ok(info) => match info.current_edition {
                                    Some(title) => view! { <span>{title}</span> }.into_any(),
                                    None => view! { <span>{t("header.no_edition")}</span> }.into_any(),
                                },
                                Err(_) => ().into_any(),
                            }
                        })}
                    </Suspense>
                </p>
                <nav aria-label=t("nav.main") class="site-nav">
                    <a href="/">{t("nav.home")}</a>
                    <AccountLinks/>
                </nav>
                <LanguageSwitch/>
            </div>
        </header>
    }
}

/// Sign-in and registration links for visitors; name, profile, members page and sign-out for members.
#[component]
fn AccountLinks() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    let locale = use_i18n().locale;
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(me)) => {
                        let name = me.display_name.clone();
                        view! {
                            <span class="site-nav__who">
                                {move || tr_with(locale.get(), "nav.signed_in_as", &[("name", &name)])}
                            </span>
                            {me.can_manage_members.then(|| view! {
                                <a href="/organisation">{t("nav.console")}</a>
                                <a href="/organisation/participants">{t("nav.members")}</a>
                            })}
                            <a href="/profil">{t("nav.profile")}</a>
                            <form method="post" action="/deconnexion" class="inline-form">
                                <button type="submit" class="link-button">{t("nav.sign_out")}</button>
                            </form>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <a href="/connexion">{t("nav.sign_in")}</a>
                        <a href="/inscription">{t("nav.register")}</a>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Switches French ⇄ English. Without JavaScript it posts a form (the server sets the cookie and sends the
/// reader back); once hydrated it switches in place, without a reload.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_i18n().locale;
    let location = use_location();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = locale.get_untracked().other();
        locale.set(next);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
                // Losing the preference is harmless: the page already switched.
                let _ = doc.set_cookie(&locale_cookie(next));
            }
        }
    };
    view! {
        <form class="lang-switch" method="post" action="/langue" on:submit=on_submit>
            <input type="hidden" name="to" value=move || locale.get().other().code()/>
            <input type="hidden" name="back" value=move || location.pathname.get()/>
            <button
                type="submit"
                lang=move || locale.get().other().code()
                title=t("lang.switch_label")
            >
                {t("lang.switch")}
            </button>
        </form>
    }
}

/// The page footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t("footer.text")}</p>
            <p>{t("footer.accessibility")}</p>
        </footer>
    }
}
