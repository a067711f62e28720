//! `/connexion`: the local sign-in form (a plain POST, works without JavaScript) and, when configured, one
//! button per OpenID provider.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::list_login_providers,
    i18n::{Locale, t, title_t, use_i18n},
};

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let failed = move || {
        query
            .read()
            .get("erreur")
            .is_some_and(|e| e == "identifiants")
    };
    let unavailable = move || {
        query
            .read()
            .get("erreur")
            .is_some_and(|e| e == "indisponible")
    };
    let oidc_failed = move || query.read().get("erreur").is_some_and(|e| e == "oidc");
    let unknown = move || query.read().get("erreur").is_some_and(|e| e == "inconnu");
    let providers = Resource::new(|| (), |_| list_login_providers());
    let locale = use_i18n().locale;
    let back = move || query.read().get("back").unwrap_or_else(|| "/".to_owned());
    view! {
        <Title text=title_t("signin.title")/>
        <div class="narrow">
            <h1>{t("signin.title")}</h1>
            <p class="lead">{t("signin.intro")}</p>
            <div role="alert" class="alert-slot">
                {move || failed().then(|| view! { <p class="outcome__error">{t("signin.failed")}</p> })}
                {move || unavailable().then(|| view! { <p class="outcome__error">{t("error.unreachable")}</p> })}
                {move || oidc_failed().then(|| view! { <p class="outcome__error">{t("signin.oidc_failed")}</p> })}
                {move || unknown().then(|| view! { <p class="outcome__error">{t("signin.oidc_unknown")}</p> })}
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
