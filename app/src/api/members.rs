//! Identity server functions: who am I, registration, the organizers' members page, invitations, CSV import.

// Server functions take one argument per form field (that is how forms post them); the browser build's
// generated stubs cannot carry an item-level `expect`, so the allowance is module-wide.
#![allow(
    clippy::too_many_arguments,
    reason = "one argument per posted form field"
)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;

/// What the header and pages need to know about the signed-in member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerInfo {
    pub member_id: i32,
    pub display_name: String,
    /// `role.*` and `status.*` codes in the current edition, if a member of it.
    pub role: Option<domain::member::Role>,
    pub status: Option<domain::member::MemberStatus>,
    pub can_manage_members: bool,
    /// In the hall or remote, for this session.
    pub attendance: domain::member::Attendance,
}

/// A member as the organizers' list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRowDto {
    pub member_id: i32,
    pub given_name: String,
    pub usual_name: String,
    pub email: String,
    pub function: String,
    pub collectivity: String,
    pub collectivity_code: String,
    pub role: domain::member::Role,
    pub status: domain::member::MemberStatus,
    pub status_reason: Option<String>,
    pub has_password: bool,
}

/// One checked line of a CSV import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLineView {
    pub line: usize,
    pub email: String,
    pub problems: Vec<domain::registration::FieldProblem>,
}

/// What an invitation link offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub reset: bool,
    pub role: domain::member::Role,
    /// The address the link was made for, if the organizer named one (the form then shows it, fixed).
    pub email: Option<String>,
    /// The name of the member signed in on this browser: a join link then adds the edition to their account.
    pub signed_in_as: Option<String>,
}

#[cfg(feature = "ssr")]
mod server {
    use domain::{
        member::Actor,
        motion::Phase,
        policy::{Action, can},
    };

    use crate::{
        api::{
            ApiError,
            state::{AppState, require_viewer},
        },
        ssr::{identity::Viewer, store::motions::current_edition_id},
    };

    /// Edition-level actions (members, invitations) do not depend on a motion's phase.
    pub fn authorize(viewer: &Viewer, action: Action) -> Result<Actor, ApiError> {
        let actor = viewer.actor();
        can(&actor, action, Phase::Draft).map_err(ApiError::from_refusal)?;
        Ok(actor)
    }

    pub async fn organizer(action: Action) -> Result<(AppState, Viewer, i32), ApiError> {
        let state = AppState::from_context()?;
        let viewer = require_viewer()?;
        authorize(&viewer, action)?;
        let edition = current_edition_id(&state.db)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok((state, viewer, edition))
    }

    /// The client's address for rate limits (see `Config::client_address`: behind a trusted proxy, the
    /// address it saw).
    pub fn client_address(state: &AppState) -> String {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                let peer = parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|info| info.0.ip());
                let forwarded = parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok());
                state.config.client_address(peer, forwarded)
            })
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }

    pub fn is_manager(viewer: &Viewer) -> bool {
        authorize(viewer, Action::ManageMembers).is_ok()
    }
}

#[cfg(feature = "ssr")]
pub(crate) use server::authorize;

/// The signed-in member, or `None` for a visitor.
///
/// # Errors
/// Never for a visitor; `Internal` when the state is missing.
#[server(prefix = "/api/fn", endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Option<ViewerInfo>, ApiError> {
    let viewer = crate::api::state::current_viewer();
    Ok(viewer.map(|v| ViewerInfo {
        member_id: v.member_id,
        display_name: format!("{} {}", v.given_name, v.usual_name),
        role: v.membership.map(|m| m.role),
        status: v.membership.map(|m| m.status),
        can_manage_members: server::is_manager(&v),
        attendance: v.attendance,
    }))
}

/// Registers an elected official for the current edition, pending verification. The answer is the same
/// whether or not the e-mail is already known (no account enumeration).
///
/// # Errors
/// `Invalid` with every faulty field; `TooManyRequests` past the rate limits.
#[server(prefix = "/api/fn", endpoint = "register")]
pub async fn register(
    given_name: String,
    usual_name: String,
    email: String,
    phone: String,
    function: String,
    collectivity: String,
    collectivity_code: String,
) -> Result<(), ApiError> {
    use crate::api::state::AppState;
    use crate::ssr::{identity::members, now_millis};
    use domain::{
        member::{MemberStatus, Role},
        registration::{RegistrationInput, check_registration},
    };

    let state = AppState::from_context()?;
    let input = RegistrationInput {
        given_name,
        usual_name,
        email,
        phone,
        function,
        collectivity,
        collectivity_code,
    };
    let registration = check_registration(&input).map_err(ApiError::Invalid)?;
    let now = now_millis();
    if !state
        .registrations
        .allow(&registration.email, &server::client_address(&state))
    {
        return Err(ApiError::TooManyRequests);
    }
    let edition = crate::ssr::store::motions::current_edition_id(&state.db)
        .await
        .map_err(ApiError::from)?
        .ok_or(ApiError::NotFound)?;
    members::upsert_membership(
        &state.db,
        edition,
        &registration,
        Role::Delegate,
        MemberStatus::Pending,
        now,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(())
}

/// The members of the current edition, pending requests first (organizers).
///
/// # Errors
/// `Unauthenticated`, `Forbidden` for anyone but a verified organizer.
#[server(prefix = "/api/fn", endpoint = "list_members")]
pub async fn list_members() -> Result<Vec<MemberRowDto>, ApiError> {
    let (state, _, edition) = server::organizer(domain::policy::Action::ManageMembers).await?;
    super::views::members(&state.db, edition)
        .await
        .map_err(ApiError::from)
}

/// Verifies, rejects (with a reason), suspends or reinstates a member. Suspending ends their sessions at once.
///
/// # Errors
/// `Forbidden` for non-organizers; `Refused(ReasonRequired)` for a rejection without reason; `NotFound`.
#[server(prefix = "/api/fn", endpoint = "set_member_status")]
pub async fn set_member_status(
    member_id: i32,
    status: String,
    reason: Option<String>,
) -> Result<(), ApiError> {
    use crate::ssr::{identity::members, identity::sessions, now_millis};
    use domain::{member::MemberStatus, refusal::Refusal};

    let (state, viewer, edition) = server::organizer(domain::policy::Action::ManageMembers).await?;
    let status =
        MemberStatus::from_code(&status).ok_or_else(|| ApiError::BadRequest("status".into()))?;
    // A reason is public to the member and shown on the organizers' page: a text like any other, as long.
    let reason = match reason.map(|r| domain::text::normalize_paragraph(&r)) {
        Some(Ok(reason)) => Some(reason),
        Some(Err(domain::text::ParagraphTextError::Empty)) | None => None,
        Some(Err(too_long)) => return Err(ApiError::Refused(too_long.into())),
    };
    if status == MemberStatus::Rejected && reason.is_none() {
        return Err(ApiError::Refused(Refusal::ReasonRequired));
    }
    if member_id == viewer.member_id && status != MemberStatus::Verified {
        // An organizer cannot lock themself out by mistake.
        return Err(ApiError::Forbidden);
    }
    members::update_membership(
        &state.db,
        edition,
        member_id,
        None,
        Some((status, reason)),
        now_millis(),
    )
    .await
    .map_err(ApiError::from)?;
    if matches!(status, MemberStatus::Suspended | MemberStatus::Rejected) {
        sessions::end_all_and_close(&state.db, &state.live, member_id)
            .await
            .map_err(ApiError::from)?;
    } else {
        // Verified or back to pending: their open pages reconnect with what they may now do.
        state.live.rights_changed(member_id);
    }
    Ok(())
}

/// Changes a member's role in the current edition.
///
/// # Errors
/// `Forbidden` for non-organizers; `BadRequest` for an unknown role; `NotFound`.
#[server(prefix = "/api/fn", endpoint = "set_member_role")]
pub async fn set_member_role(member_id: i32, role: String) -> Result<(), ApiError> {
    use crate::ssr::{identity::members, now_millis};
    let (state, viewer, edition) = server::organizer(domain::policy::Action::ManageMembers).await?;
    let role = domain::member::Role::from_code(&role)
        .ok_or_else(|| ApiError::BadRequest("role".into()))?;
    if member_id == viewer.member_id {
        return Err(ApiError::Forbidden);
    }
    members::update_membership(
        &state.db,
        edition,
        member_id,
        Some(role),
        None,
        now_millis(),
    )
    .await
    .map_err(ApiError::from)?;
    // A role taken away stops at once: their sockets close and reconnect with the new role.
    state.live.rights_changed(member_id);
    Ok(())
}

#[cfg(feature = "ssr")]
const LINK_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// Creates a single-use invitation link (7 days) for a role; returns the URL to pass on.
///
/// # Errors
/// `Forbidden` for non-organizers; `BadRequest` for an unknown role.
#[server(prefix = "/api/fn", endpoint = "create_invitation")]
pub async fn create_invitation(role: String, email: Option<String>) -> Result<String, ApiError> {
    use crate::ssr::{identity::members, now_millis};
    let (state, viewer, edition) =
        server::organizer(domain::policy::Action::CreateInvitation).await?;
    let role = domain::member::Role::from_code(&role)
        .ok_or_else(|| ApiError::BadRequest("role".into()))?;
    let email = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    // The address is the only one the link will create an account for: it must be one.
    if email
        .as_deref()
        .is_some_and(|e| !domain::registration::is_plausible_email(e))
    {
        return Err(ApiError::Invalid(vec![
            domain::registration::FieldProblem {
                field: domain::registration::Field::Email,
                problem: domain::registration::Problem::Invalid,
            },
        ]));
    }
    let token = members::create_invitation(
        &state.db,
        edition,
        members::InvitationPurpose::Join,
        role,
        email,
        None,
        Some(viewer.member_id),
        now_millis(),
        LINK_TTL_MS,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(format!("{}/invitation/{token}", state.config.public_url()))
}

/// Creates a single-use link for a member to choose a new password (no e-mail server needed).
///
/// # Errors
/// `Forbidden` for non-organizers; `NotFound`.
#[server(prefix = "/api/fn", endpoint = "create_password_reset")]
pub async fn create_password_reset(member_id: i32) -> Result<String, ApiError> {
    use crate::ssr::{identity::members, now_millis};
    let (state, viewer, edition) = server::organizer(domain::policy::Action::ManageMembers).await?;
    let rows = super::views::members(&state.db, edition)
        .await
        .map_err(ApiError::from)?;
    let row = rows
        .into_iter()
        .find(|r| r.member_id == member_id)
        .ok_or(ApiError::NotFound)?;
    let token = members::create_invitation(
        &state.db,
        edition,
        members::InvitationPurpose::ResetPassword,
        row.role,
        Some(row.email),
        Some(member_id),
        Some(viewer.member_id),
        now_millis(),
        LINK_TTL_MS,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(format!("{}/invitation/{token}", state.config.public_url()))
}

/// Checks a CSV delegate list without importing anything: one entry per line with its problems.
///
/// # Errors
/// `Forbidden` for non-organizers; `BadRequest` when the file itself cannot be read.
#[server(prefix = "/api/fn", endpoint = "preview_import")]
pub async fn preview_import(csv: String) -> Result<Vec<ImportLineView>, ApiError> {
    server::organizer(domain::policy::Action::ImportMembers).await?;
    let lines =
        crate::ssr::identity::members::parse_member_csv(&csv).map_err(ApiError::BadRequest)?;
    Ok(lines
        .into_iter()
        .map(|l| ImportLineView {
            line: l.line,
            email: l.email,
            problems: l.result.err().unwrap_or_default(),
        })
        .collect())
}

/// Imports the valid lines of a CSV delegate list (the organizer confirmed after the preview). Importing
/// the same file again changes nothing.
///
/// # Errors
/// `Forbidden` for non-organizers; `BadRequest` when the file cannot be read.
#[server(prefix = "/api/fn", endpoint = "confirm_import")]
pub async fn confirm_import(csv: String) -> Result<(usize, usize), ApiError> {
    use crate::ssr::{identity::members, now_millis};
    let (state, _, edition) = server::organizer(domain::policy::Action::ImportMembers).await?;
    let lines = members::parse_member_csv(&csv).map_err(ApiError::BadRequest)?;
    let report = members::import_members(&state.db, edition, &lines, now_millis())
        .await
        .map_err(ApiError::from)?;
    Ok((report.created, report.unchanged))
}

/// What an invitation link offers, if it is still valid.
///
/// # Errors
/// `NotFound` for an unknown, used or expired link.
#[server(prefix = "/api/fn", endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, ApiError> {
    use crate::api::state::AppState;
    use crate::ssr::{identity::members, now_millis};
    use domain::invitation::Purpose;
    let state = AppState::from_context()?;
    let invite = members::find_invitation(&state.db, &token, now_millis())
        .await
        .map_err(ApiError::from)?;
    let purpose = members::purpose_of(&invite).map_err(ApiError::from)?;
    let viewer =
        crate::api::state::current_viewer().map(|v| format!("{} {}", v.given_name, v.usual_name));
    Ok(match purpose {
        Purpose::Join { role, email } => InvitationView {
            reset: false,
            role,
            email,
            signed_in_as: viewer,
        },
        Purpose::Reset { .. } => InvitationView {
            reset: true,
            role: domain::member::Role::Delegate,
            email: None,
            signed_in_as: viewer,
        },
    })
}

/// Uses an invitation link. A join link creates the account of a new address (the link's address when it
/// names one: the address typed in the form is then ignored) and signs it in, or — for a member already
/// signed in — adds the edition to their own account without touching its password; a reset link sets its
/// member's new password, ends all their sessions and signs them in. A link never changes the password of an
/// account it was not issued for: an address that already has an account is asked to sign in first.
///
/// # Errors
/// `NotFound` for an unknown, used or expired link; `Invalid` with the faulty fields; `Refused(AccountExists)`,
/// `Refused(InvitationForAnother)`, `Forbidden` for a suspended or rejected member.
#[server(prefix = "/api/fn", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    given_name: Option<String>,
    usual_name: Option<String>,
    email: Option<String>,
    function: Option<String>,
    collectivity: Option<String>,
    collectivity_code: Option<String>,
    password: Option<String>,
) -> Result<(), ApiError> {
    use crate::api::state::{AppState, current_viewer};
    use crate::ssr::{
        identity::{
            members::{self, AcceptError},
            secrets, sessions,
        },
        now_millis,
    };
    use domain::{
        invitation::{Purpose, Use, needs_password},
        registration::{RegistrationInput, check_password, check_registration},
    };

    let state = AppState::from_context()?;
    let now = now_millis();
    let viewer = current_viewer();
    let invite = members::find_invitation(&state.db, &token, now)
        .await
        .map_err(ApiError::from)?;
    let purpose = members::purpose_of(&invite).map_err(ApiError::from)?;
    let mut problems = Vec::new();
    let registration = match (&purpose, &viewer) {
        (Purpose::Join { email: invited, .. }, None) => {
            let input = RegistrationInput {
                given_name: given_name.unwrap_or_default(),
                usual_name: usual_name.unwrap_or_default(),
                // The link's address, when it names one: never the one posted.
                email: invited.clone().or(email.clone()).unwrap_or_default(),
                phone: String::new(),
                function: function.unwrap_or_default(),
                collectivity: collectivity.unwrap_or_default(),
                collectivity_code: collectivity_code.unwrap_or_default(),
            };
            check_registration(&input)
                .map_err(|found| problems.extend(found))
                .ok()
        }
        _ => None,
    };
    let password = if needs_password(&purpose, viewer.is_some()) {
        let password = password.unwrap_or_default();
        if let Err(problem) = check_password(&password) {
            problems.push(problem);
        }
        Some(password)
    } else {
        None
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let password_hash = match password {
        Some(password) => Some(
            tokio::task::spawn_blocking(move || secrets::hash_password(&password))
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or_else(|| ApiError::internal("hashing a password"))?,
        ),
        None => None,
    };
    let accepted = members::accept_invitation(
        &state.db,
        &token,
        viewer.as_ref().map(|v| (v.member_id, v.email.as_str())),
        email.as_deref(),
        registration.as_ref(),
        password_hash,
        now,
    )
    .await
    .map_err(|err| match err {
        AcceptError::Refused(refusal) => ApiError::from_refusal(refusal),
        AcceptError::Invalid(problems) => ApiError::Invalid(problems),
        AcceptError::Store(err) => err.into(),
    })?;
    match accepted.used {
        // Their own account: their session stays; their open pages reconnect with the new rights.
        Use::JoinWithAccount { .. } => state.live.rights_changed(accepted.member_id),
        Use::CreateAccount { .. } | Use::ResetPassword { .. } => {
            if matches!(accepted.used, Use::ResetPassword { .. }) {
                // Their sessions were ended with the new password: so are their sockets, everywhere.
                state.live.end_member(accepted.member_id);
            }
            if let Some(previous) = &viewer {
                sessions::end_and_close(&state.db, &state.live, &previous.session_hash)
                    .await
                    .map_err(ApiError::from)?;
            }
            let session = sessions::open(
                &state.db,
                accepted.member_id,
                domain::member::Attendance::default(),
                now,
            )
            .await
            .map_err(ApiError::from)?;
            if let (Some(response), Ok(cookie)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                axum::http::HeaderValue::from_str(&sessions::session_cookie(
                    &session,
                    state.secure_cookies(),
                )),
            ) {
                response.append_header(axum::http::header::SET_COOKIE, cookie);
            }
        }
    }
    Ok(())
}

/// An OpenID provider's sign-in button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProviderView {
    pub id: String,
    pub label_fr: String,
    pub label_en: String,
}

/// The OpenID providers people can sign in with, in configuration order.
///
/// # Errors
/// `Internal` when the state is missing.
#[server(prefix = "/api/fn", endpoint = "list_login_providers")]
pub async fn list_login_providers() -> Result<Vec<LoginProviderView>, ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    Ok(state
        .oidc
        .iter()
        .map(|p| LoginProviderView {
            id: p.config().id.clone(),
            label_fr: p.config().label_fr.clone(),
            label_en: p.config().label_en.clone(),
        })
        .collect())
}

/// Says where this device's member takes part from (in the hall or remote), for presence counts.
///
/// # Errors
/// `Unauthenticated` without a session; `BadRequest` for an unknown value.
#[server(prefix = "/api/fn", endpoint = "set_attendance")]
pub async fn set_attendance(attendance: String) -> Result<(), ApiError> {
    let state = crate::api::state::AppState::from_context()?;
    let viewer = crate::api::state::require_viewer()?;
    let attendance = domain::member::Attendance::from_code(&attendance)
        .ok_or_else(|| ApiError::BadRequest("attendance".into()))?;
    crate::ssr::identity::sessions::set_attendance(&state.db, &viewer.session_hash, attendance)
        .await
        .map_err(ApiError::from)
}
