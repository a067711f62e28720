//! `/connexion`: the local sign-in form (a plain POST, works without JavaScript) and, when configured, one
//! button per OpenID provider.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::list_login_providers,
    i18n::{Locale, t, title_t, tr, use_i18n},
};

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    // What the last attempt ran into, said on the page it leads back to (works without JavaScript).
    let problem = move || {
        query
            .read()
            .get("erreur")
            .and_then(|code| match code.as_str() {
                "identifiants" => Some("signin.failed"),
                "indisponible" => Some("error.unreachable"),
                "oidc" => Some("signin.oidc_failed"),
                "inconnu" => Some("signin.oidc_unknown"),
                "suspendu" => Some("signin.suspended"),
                "refuse" => Some("signin.rejected"),
                _ => None,
            })
    };
    let providers = Resource::new(|| (), |_| list_login_providers());
    let locale = use_i18n().locale;
    let back = move || query.read().get("back").unwrap_or_else(|| "/".to_owned());
    view! {
        <Title text=title_t("signin.title")/>
        <div class="narrow">
            <h1>{t("signin.title")}</h1>
            <p class="lead">{t("signin.intro")}</p>
            <div role="alert" class="alert-slot">
                {move || problem().map(|key| view! { <p class="outcome__error">{move || tr(locale.get(), key)}</p> })}
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let providers = providers.await.unwrap_or_default();
                    (!providers.is_empty()).then(|| view! {
                        <section aria-labelledby="connexion-oidc">
                            <h2 id="connexion-oidc">{t("signin.providers")}</h2>
                            {providers.into_iter().map(|p| {
                                let (fr, en) = (p.label_fr, p.label_en);
                                view! {
                                    <form method="post" action=format!("/auth/oidc/{}", p.id) class="form">
                                        <button type="submit" class="button button--primary">
                                            {move || match locale.get() { Locale::Fr => fr.clone(), Locale::En => en.clone() }}
                                        </button>
                                    </form>
                                }
                            }).collect_view()}
                        </section>
                    })
                })}
            </Suspense>
            <section aria-labelledby="connexion-locale">
                <h2 id="connexion-locale">{t("signin.local")}</h2>
                <form method="post" action="/connexion" class="form">
                    <input type="hidden" name="back" value=back/>
                    <div class="field">
                        <label for="connexion-email">{t("signin.email")}</label>
                        <input id="connexion-email" name="email" type="email" autocomplete="username" required/>
                    </div>
                    <div class="field">
                        <label for="connexion-mdp">{t("signin.password")}</label>
                        <input
                            id="connexion-mdp"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                        />
                    </div>
                    <fieldset class="field">
                        <legend>{t("signin.attendance")}</legend>
                        <label><input type="radio" name="attendance" value="hall"/> {t("attendance.hall")}</label>
                        <label><input type="radio" name="attendance" value="remote" checked/> {t("attendance.remote")}</label>
                    </fieldset>
                    <button type="submit" class="button button--primary">{t("signin.submit")}</button>
                </form>
            </section>
            <p><a href="/inscription">{t("signin.no_account")}</a></p>
        </div>
    }
}
