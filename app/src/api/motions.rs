//! Reading editions and motions.

use leptos::prelude::*;

use super::{ApiError, EditionSummary, MotionView, SiteInfo};

/// The header's data: the current edition.
///
/// # Errors
/// `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "get_site_info")]
pub async fn get_site_info() -> Result<SiteInfo, ApiError> {
    super::error::with_status(
        async move {
            let state = crate::ssr::state::AppState::from_context()?;
            crate::ssr::store::motions::site_info(&state.db)
                .await
                .map_err(|e| e.into_api("site_info"))
        }
        .await,
    )
}

/// Every edition, newest first, with its motions.
///
/// # Errors
/// `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "list_editions")]
pub async fn list_editions() -> Result<Vec<EditionSummary>, ApiError> {
    super::error::with_status(
        async move {
            let state = crate::ssr::state::AppState::from_context()?;
            crate::ssr::store::motions::list_editions(&state.db)
                .await
                .map_err(|e| e.into_api("list_editions"))
        }
        .await,
    )
}

/// One motion with its paragraphs at their current version, numbered.
///
/// # Errors
/// `NotFound` when no such motion exists; `Internal` when the database fails.
#[server(prefix = "/api/fn", endpoint = "get_motion")]
pub async fn get_motion(id: i32) -> Result<MotionView, ApiError> {
    super::error::with_status(
        async move {
            let state = crate::ssr::state::AppState::from_context()?;
            crate::ssr::store::motions::motion_view(&state.db, id)
                .await
                .map_err(|e| e.into_api("get_motion"))
        }
        .await,
    )
}
