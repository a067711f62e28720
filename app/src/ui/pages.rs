//! One module per page.

pub mod amendment_edit;
pub mod amendment_editor;
pub mod amendments_page;
pub mod ballot_result_page;
pub mod ballots_page;
pub mod console_page;
pub mod home_page;
pub mod invitation_page;
pub mod members_page;
pub mod motion_page;
pub mod not_found;
pub mod paragraph_history;
pub mod profile;
pub mod projection_page;
pub mod register;
pub mod sign_in;

use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{t, use_i18n},
};

/// An error shown in place of a page's content, in the reader's language, with the status set on the server.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let locale = use_i18n().locale;
    let message = move || error.message(locale.get());
    view! {
        <div class="error-panel" role="alert">
            <h1>{t("error.title")}</h1>
            <p>{message}</p>
            <p><a href="/">{t("motion.back")}</a></p>
        </div>
    }
}
