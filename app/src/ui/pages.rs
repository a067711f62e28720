//! One module per page, the parameters of their routes, and the error panel they share.

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

use leptos::{Params, prelude::*};
use leptos_router::{hooks::use_params, params::Params};

use crate::{
    api::ApiError,
    i18n::{t, use_i18n},
};

/// `/motions/:id` and the motion's pages that take nothing else (`amendements`, `scrutins`); `/projection/:id`.
#[derive(Params, PartialEq, Eq, Clone, Debug)]
pub struct MotionRoute {
    /// The motion.
    pub id: i32,
}

/// `/motions/:id/scrutins/:bid`.
#[derive(Params, PartialEq, Eq, Clone, Debug)]
pub struct BallotRoute {
    /// The motion.
    pub id: i32,
    /// The ballot.
    pub bid: i32,
}

/// `/motions/:id/amendements/:aid/modifier`.
#[derive(Params, PartialEq, Eq, Clone, Debug)]
pub struct AmendmentRoute {
    /// The motion.
    pub id: i32,
    /// The amendment.
    pub aid: i32,
}

/// `/motions/:id/paragraphes/:pid/amender` and `…/historique`.
#[derive(Params, PartialEq, Eq, Clone, Debug)]
pub struct ParagraphRoute {
    /// The motion.
    pub id: i32,
    /// The paragraph.
    pub pid: i32,
}

/// `/invitation/:token`.
#[derive(Params, PartialEq, Eq, Clone, Debug)]
pub struct InvitationRoute {
    /// The invitation's secret.
    pub token: String,
}

/// The current route's parameters, `None` when one is missing or unreadable (`/motions/abc`): the page then
/// says it does not exist.
pub fn use_route<P>() -> Signal<Option<P>>
where
    P: Params + PartialEq + Clone + Send + Sync + 'static,
{
    let params = use_params::<P>();
    Signal::derive(move || params.read().as_ref().ok().cloned())
}

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
