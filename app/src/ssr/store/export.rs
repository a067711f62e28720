//! Reads a motion's log and the people it names into a [`MotionDocument`]: the one loader behind every export
//! (PDF, ODT, Markdown, JSON, the dossier) and behind `hemicycle verify-dossier`.
//!
//! The document is built by `domain::document::build_document` from the state replayed up to one event, so an
//! export is a pure function of the log: the same seq always gives the same document (and the same bytes).

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    document::{DocumentContext, EditionInfo, MotionDocument, Person, build_document},
    ids::MemberId,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use super::log::{At, StateAt, state_at};
use super::{
    StoreError,
    entities::{edition, member, motion},
};

/// The motion's document at the moment `at` (see [`state_at`]), with its edition and the names and
/// mandates of the authors and co-signatories.
///
/// # Errors
/// As [`state_at`]; `NotFound` also when the motion or its edition row is missing.
pub async fn load_document<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    at: At,
) -> Result<MotionDocument, StoreError> {
    let motion = motion::Entity::find_by_id(motion_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let edition = edition::Entity::find_by_id(motion.edition_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let at = state_at(conn, motion_id, at).await?;
    let named: BTreeSet<i32> = at
        .state
        .amendments()
        .iter()
        .flat_map(|a| std::iter::once(a.author).chain(a.cosigners.iter().copied()))
        .map(MemberId::get)
        .collect();
    let members = if named.is_empty() {
        BTreeMap::new()
    } else {
        member::Entity::find()
            .filter(member::Column::Id.is_in(named))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (MemberId(m.id), person(&m)))
            .collect()
    };
    let ctx = DocumentContext {
        motion_id,
        edition: EditionInfo {
            title: edition.title,
            place: edition.place,
            starts_on: edition.starts_on,
            ends_on: edition.ends_on,
        },
        seq: at.seq.unsigned_abs(),
        at_millis: at.occurred_at,
        head_hash: at.hash,
        members,
    };
    Ok(build_document(&at.state, &ctx))
}

fn person(m: &member::Model) -> Person {
    let name = format!("{} {}", m.given_name.trim(), m.usual_name.trim())
        .trim()
        .to_owned();
    let mandate = [m.mandate_function.trim(), m.collectivity_name.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Person { name, mandate }
}
