//! Reading editions and motions: the home page, the reader, the projector.

use leptos::prelude::*;

use super::{ApiError, EditionSummary, MotionView, SiteInfo};

/// The header's data: the current edition.
///
/// # Errors
/// `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "get_site_info")]
pub async fn get_site_info() -> Result<SiteInfo, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    super::views::site_info(&state.db)
        .await
        .map_err(ApiError::from)
}

/// Every edition, newest first, with its motions.
///
/// # Errors
/// `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "list_editions")]
pub async fn list_editions() -> Result<Vec<EditionSummary>, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    super::views::editions(&state.db)
        .await
        .map_err(ApiError::from)
}

/// One motion with its paragraphs at their current version, numbered.
///
/// # Errors
/// `NotFound` when no such motion exists; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "get_motion")]
pub async fn get_motion(id: i32) -> Result<MotionView, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    state
        .views
        .motion(&state.db, id)
        .await
        .map(|view| MotionView::clone(&view))
        .map_err(ApiError::from)
}

/// What the reader of a motion shows, read in one request.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MotionPageView {
    /// The motion now.
    pub motion: MotionView,
    /// What the viewer may do on it; `None` when that could not be read (the text stays readable).
    pub permissions: Option<super::ViewerPermissions>,
}

/// The reader's page: [`get_motion`] and the viewer's [`super::motion_permissions`] in one request.
///
/// # Errors
/// `NotFound` when no such motion exists; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "motion_page_data")]
pub async fn motion_page_data(id: i32) -> Result<MotionPageView, ApiError> {
    use crate::api::state::{AppState, current_viewer};
    let state = AppState::from_context()?;
    let motion = state
        .views
        .motion(&state.db, id)
        .await
        .map(|view| MotionView::clone(&view))
        .map_err(ApiError::from)?;
    // A failure is logged once by `replayed`; the reader then shows the text without the member's tools.
    let permissions = super::replayed(&state, id)
        .await
        .ok()
        .map(|replayed| super::permissions_of(&replayed, current_viewer().as_ref()));
    Ok(MotionPageView {
        motion,
        permissions,
    })
}

/// What the hall's projector shows: the motion as adopted so far, the item under debate, and what changed in
/// each paragraph since the session opened.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProjectorScreen {
    /// The motion now.
    pub motion: MotionView,
    /// Paragraph id → word diff from its text when the session opened to its text now.
    pub changes: Vec<(i32, Vec<domain::diff::Change>)>,
}

/// The projector's view of a motion: for whoever holds one of its projector links (`key`), or a signed-in
/// member.
///
/// # Errors
/// `Unauthenticated` without a valid key or session; `NotFound` for an unknown motion.
#[server(prefix = "/api/fn", endpoint = "projection_view")]
pub async fn projection_view(
    motion_id: i32,
    key: Option<String>,
) -> Result<ProjectorScreen, ApiError> {
    use crate::api::state::{AppState, current_viewer};
    use crate::ssr::store::projection;
    let state = AppState::from_context()?;
    let allowed = match key.as_deref().filter(|k| !k.is_empty()) {
        Some(key) => projection::key_opens(&state.db, motion_id, key)
            .await
            .map_err(ApiError::from)?,
        None => current_viewer().is_some(),
    };
    if !allowed {
        return Err(ApiError::Unauthenticated);
    }
    let motion = state
        .views
        .motion(&state.db, motion_id)
        .await
        .map(|view| MotionView::clone(&view))
        .map_err(ApiError::from)?;
    let mut changes: Vec<(i32, Vec<domain::diff::Change>)> =
        projection::changes_since_session(&state.db, motion_id)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .collect();
    changes.sort_by_key(|(id, _)| *id);
    Ok(ProjectorScreen { motion, changes })
}

/// Creates a read-only link for the hall's projector (organizers); answers its path with its key.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `NotFound` for an unknown motion.
#[server(prefix = "/api/fn", endpoint = "create_projector_link")]
pub async fn create_projector_link(motion_id: i32) -> Result<String, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::{
        now_millis,
        store::{motions, projection},
    };
    let state = AppState::from_context()?;
    let viewer = require_viewer()?;
    super::authorize(&viewer, domain::policy::Action::CreateProjectorLink)?;
    motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(ApiError::from)?;
    let key = projection::create_link(&state.db, motion_id, viewer.member_id, now_millis())
        .await
        .map_err(ApiError::from)?;
    Ok(format!("/projection/{motion_id}?cle={key}"))
}
