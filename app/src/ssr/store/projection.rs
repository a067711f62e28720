//! The projector: read-only links (only the key's hash is stored) and what changed in the text since the
//! session opened, for the hall's screen.

use std::collections::HashMap;

use domain::diff::{Change, word_diff};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    StoreError,
    entities::{motion_event, paragraph, paragraph_version, projector_link},
};
use crate::ssr::identity::secrets;

/// Creates a projector link for `motion_id`; answers its key (shown once, never stored in clear).
///
/// # Errors
/// `Db` when the database fails or has no randomness.
pub async fn create_link<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    creator: i32,
    now: i64,
) -> Result<String, StoreError> {
    let key = secrets::new_token_for_store()?;
    projector_link::ActiveModel {
        motion_id: Set(motion_id),
        key_hash: Set(secrets::token_hash(&key)),
        created_by: Set(creator),
        created_at: Set(now),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(key)
}

/// Whether `key` opens the projector of `motion_id` (and has not been revoked).
///
/// # Errors
/// `Db` when the database fails.
pub async fn key_opens<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    key: &str,
) -> Result<bool, StoreError> {
    Ok(projector_link::Entity::find()
        .filter(projector_link::Column::KeyHash.eq(secrets::token_hash(key)))
        .filter(projector_link::Column::MotionId.eq(motion_id))
        .filter(projector_link::Column::RevokedAt.is_null())
        .one(conn)
        .await?
        .is_some())
}

/// The `seq` of the event that opened the session last (`None` if the motion never went into session).
async fn session_opened_at<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<Option<i64>, StoreError> {
    let changes = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .filter(motion_event::Column::Kind.eq("phase_changed"))
        .order_by_desc(motion_event::Column::Seq)
        .all(conn)
        .await?;
    Ok(changes
        .into_iter()
        .find(|e| {
            serde_json::from_str::<serde_json::Value>(&e.payload)
                .ok()
                .and_then(|p| p.get("to").and_then(|to| to.as_str().map(str::to_owned)))
                .as_deref()
                == Some("session")
        })
        .map(|e| e.seq))
}

/// For each live paragraph whose text changed since the session opened, the word diff from its text then to
/// its text now (a paragraph inserted since shows as all inserted). Empty before any session.
///
/// # Errors
/// `Db` when the database fails.
pub async fn changes_since_session<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<HashMap<i32, Vec<Change>>, StoreError> {
    let Some(opened) = session_opened_at(conn, motion_id).await? else {
        return Ok(HashMap::new());
    };
    let paragraphs = paragraph::Entity::find()
        .filter(paragraph::Column::MotionId.eq(motion_id))
        .filter(paragraph::Column::Deleted.eq(false))
        .all(conn)
        .await?;
    let versions = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.is_in(paragraphs.iter().map(|p| p.id)))
        .order_by_asc(paragraph_version::Column::Number)
        .all(conn)
        .await?;
    let mut changes = HashMap::new();
    for p in paragraphs {
        let own: Vec<&paragraph_version::Model> =
            versions.iter().filter(|v| v.paragraph_id == p.id).collect();
        let Some(now) = own.iter().find(|v| v.number == p.current_version) else {
            continue;
        };
        let then = own.iter().rev().find(|v| v.event_seq <= opened);
        match then {
            Some(then) if then.number == now.number => {}
            Some(then) => {
                changes.insert(p.id, word_diff(&then.body, &now.body));
            }
            None => {
                changes.insert(p.id, word_diff("", &now.body));
            }
        }
    }
    Ok(changes)
}
