//! Server-side sessions: a random id in an HttpOnly cookie, its hash in the database. Renewed at each
//! login, ended at logout, ended for every device when a member is suspended.

use domain::member::{Attendance, MemberStatus, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{Viewer, ViewerMembership, secrets};
use crate::ssr::store::{
    StoreError,
    entities::{member, membership, session},
    motions::current_edition_id,
};
use crate::ssr::{cookies, live::Hub};
use axum::http::HeaderMap;

/// How long a session lasts without a new login: a congress week.
pub const SESSION_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// The cookie's name: with `Secure`, the `__Host-` prefix also pins it to our host and path.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-hemicycle_session"
    } else {
        "hemicycle_session"
    }
}

/// The `Set-Cookie` value that opens a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    cookies::set(
        cookie_name(secure),
        token,
        "/",
        SESSION_TTL_MS / 1000,
        secure,
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    cookies::set(cookie_name(secure), "", "/", 0, secure)
}

/// The session token of a request: its cookie.
pub fn token_from_cookies(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookies::get(headers, cookie_name(secure))
}

/// Opens a new session for `member_id` and returns the token to put in the cookie.
///
/// # Errors
/// `Db` when the database fails (or the OS has no randomness, reported as a database-level failure).
pub async fn open<C: ConnectionTrait>(
    conn: &C,
    member_id: i32,
    attendance: Attendance,
    now: i64,
) -> Result<String, StoreError> {
    let token = secrets::new_token_for_store()?;
    session::ActiveModel {
        id_hash: Set(secrets::token_hash(&token)),
        member_id: Set(member_id),
        created_at: Set(now),
        expires_at: Set(now + SESSION_TTL_MS),
        attendance: Set(attendance.code().to_owned()),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Who holds `token`, with their standing in the current edition; `None` when the session is unknown,
/// expired, or its member is suspended (whose sessions are then ended).
///
/// # Errors
/// `Db` when the database fails.
pub async fn resolve<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: i64,
) -> Result<Option<Viewer>, StoreError> {
    let hash = secrets::token_hash(token);
    let Some(session) = session::Entity::find_by_id(hash.clone()).one(conn).await? else {
        return Ok(None);
    };
    if session.expires_at <= now {
        session::Entity::delete_by_id(hash).exec(conn).await?;
        return Ok(None);
    }
    let Some(member) = member::Entity::find_by_id(session.member_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let membership = match current_edition_id(conn).await? {
        Some(edition_id) => membership::Entity::find()
            .filter(membership::Column::EditionId.eq(edition_id))
            .filter(membership::Column::MemberId.eq(member.id))
            .one(conn)
            .await?
            .and_then(|m| {
                Some(ViewerMembership {
                    edition_id,
                    role: Role::from_code(&m.role)?,
                    status: MemberStatus::from_code(&m.status)?,
                })
            }),
        None => None,
    };
    if membership.is_some_and(|m| m.status == MemberStatus::Suspended) {
        end_all(conn, member.id).await?;
        return Ok(None);
    }
    Ok(Some(Viewer {
        member_id: member.id,
        given_name: member.given_name,
        usual_name: member.usual_name,
        email: member.email,
        membership,
        attendance: Attendance::from_code(&session.attendance).unwrap_or_default(),
        session_hash: hash,
        session_expires_at: session.expires_at,
    }))
}

/// Records where this session's member takes part from.
///
/// # Errors
/// `Db` when the database fails.
pub async fn set_attendance<C: ConnectionTrait>(
    conn: &C,
    session_hash: &str,
    attendance: Attendance,
) -> Result<(), StoreError> {
    session::Entity::update_many()
        .col_expr(
            session::Column::Attendance,
            sea_orm::sea_query::Expr::value(attendance.code()),
        )
        .filter(session::Column::IdHash.eq(session_hash))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends one session (logout).
///
/// # Errors
/// `Db` when the database fails.
pub async fn end<C: ConnectionTrait>(conn: &C, session_hash: &str) -> Result<(), StoreError> {
    session::Entity::delete_by_id(session_hash.to_owned())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends one session and closes its live sockets on every instance (sign-out, replacement at sign-in).
///
/// # Errors
/// `Db` when the database fails (the sockets are closed anyway).
pub async fn end_and_close<C: ConnectionTrait>(
    conn: &C,
    hub: &Hub,
    session_hash: &str,
) -> Result<(), StoreError> {
    let ended = end(conn, session_hash).await;
    hub.end_session(session_hash);
    ended
}

/// Ends every session of a member and closes their live sockets on every instance (suspension, rejection,
/// password reset).
///
/// # Errors
/// `Db` when the database fails (the sockets are closed anyway).
pub async fn end_all_and_close<C: ConnectionTrait>(
    conn: &C,
    hub: &Hub,
    member_id: i32,
) -> Result<u64, StoreError> {
    let ended = end_all(conn, member_id).await;
    hub.end_member(member_id);
    ended
}

/// Ends every session of a member (inside a transaction: the caller closes the sockets after the commit).
///
/// # Errors
/// `Db` when the database fails.
pub async fn end_all<C: ConnectionTrait>(conn: &C, member_id: i32) -> Result<u64, StoreError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::MemberId.eq(member_id))
        .exec(conn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_httponly_lax_and_host_prefixed_when_secure() {
        let cookie = session_cookie("abc", true);
        assert!(cookie.starts_with("__Host-hemicycle_session=abc"));
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
            assert!(cookie.contains(attr), "{cookie}");
        }
        assert!(!session_cookie("abc", false).contains("Secure"));
    }
}
