//! The 404 page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, title_t};

/// Shown for any path that matches no route, with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=title_t("not_found.title")/>
        <div class="error-panel">
            <h1>{t("not_found.title")}</h1>
            <p>{t("error.not_found")}</p>
            <p><a href="/">{t("motion.back")}</a></p>
        </div>
    }
}
