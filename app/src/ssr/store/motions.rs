//! Editions, motions, sections and paragraphs: what the pages read (as stored; `api::views` builds what they
//! show), and the creation of an edition.

use std::collections::HashMap;

use domain::{
    congress::NewEdition,
    event::DebateItem,
    member::{MemberStatus, Role},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use super::{
    StoreError,
    entities::{amendment, edition, membership, motion, paragraph, paragraph_version, section},
};

/// The edition people register for and act in: the one that starts last.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_edition_id<C: ConnectionTrait>(conn: &C) -> Result<Option<i32>, StoreError> {
    Ok(edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .order_by_desc(edition::Column::Id)
        .one(conn)
        .await?
        .map(|e| e.id))
}

/// The edition that starts last (the one the header names).
///
/// # Errors
/// `Db` when the database fails.
pub async fn latest_edition<C: ConnectionTrait>(
    conn: &C,
) -> Result<Option<edition::Model>, StoreError> {
    Ok(edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .one(conn)
        .await?)
}

/// Every edition (newest first), every motion (by id) and the number of live paragraphs of each motion.
///
/// # Errors
/// `Db` when the database fails.
pub async fn editions_and_motions<C: ConnectionTrait>(
    conn: &C,
) -> Result<(Vec<edition::Model>, Vec<motion::Model>, HashMap<i32, i64>), StoreError> {
    let editions = edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .order_by_desc(edition::Column::Id)
        .all(conn)
        .await?;
    let motions = motion::Entity::find()
        .order_by_asc(motion::Column::Id)
        .all(conn)
        .await?;
    let counts: HashMap<i32, i64> = paragraph::Entity::find()
        .select_only()
        .column(paragraph::Column::MotionId)
        .column_as(paragraph::Column::Id.count(), "n")
        .filter(paragraph::Column::Deleted.eq(false))
        .group_by(paragraph::Column::MotionId)
        .into_tuple::<(i32, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok((editions, motions, counts))
}

/// What the reader of a motion shows, as stored: the motion, its edition, its sections in order with their
/// live paragraphs in order and each one's current text, the pending amendments per paragraph, the item
/// under debate, and the log's head when this was read.
pub struct MotionRows {
    /// The log's head, read before the tables: the rows are at least as new as it.
    pub seq: i64,
    pub motion: motion::Model,
    pub edition: edition::Model,
    /// Sections by position, each with its live paragraphs by position and their current text.
    pub sections: Vec<(section::Model, Vec<(paragraph::Model, String)>)>,
    /// Pending amendments per paragraph id.
    pub pending: HashMap<i32, usize>,
    pub current_item: Option<(DebateItem, Option<amendment::Model>)>,
}

/// The rows of [`MotionRows`].
///
/// # Errors
/// `NotFound` when there is no such motion; `Db` when the database fails.
pub async fn motion_rows<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<MotionRows, StoreError> {
    // Read before the tables: the page is then at least as new as `seq`, and a live client that starts from it
    // at worst receives again an event the page already shows.
    let seq = super::log::head(conn, motion_id).await?;
    let motion = motion::Entity::find_by_id(motion_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let edition = edition::Entity::find_by_id(motion.edition_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let sections = section::Entity::find()
        .filter(section::Column::MotionId.eq(motion_id))
        .order_by_asc(section::Column::Position)
        .all(conn)
        .await?;
    let paragraphs = paragraph::Entity::find()
        .filter(paragraph::Column::MotionId.eq(motion_id))
        .filter(paragraph::Column::Deleted.eq(false))
        .order_by_asc(paragraph::Column::Position)
        .all(conn)
        .await?;
    let current: HashMap<i32, i32> = paragraphs
        .iter()
        .map(|p| (p.id, p.current_version))
        .collect();
    let mut texts: HashMap<i32, String> = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.is_in(current.keys().copied()))
        .all(conn)
        .await?
        .into_iter()
        .filter(|v| current.get(&v.paragraph_id) == Some(&v.number))
        .map(|v| (v.paragraph_id, v.body))
        .collect();
    let mut by_section: HashMap<i32, Vec<(paragraph::Model, String)>> = HashMap::new();
    for p in paragraphs {
        let text = texts.remove(&p.id).unwrap_or_default();
        by_section.entry(p.section_id).or_default().push((p, text));
    }
    let sections = sections
        .into_iter()
        .map(|s| {
            let paragraphs = by_section.remove(&s.id).unwrap_or_default();
            (s, paragraphs)
        })
        .collect();
    Ok(MotionRows {
        seq,
        pending: super::amendments::pending_counts(conn, motion_id).await?,
        current_item: current_item(conn, motion_id).await?,
        motion,
        edition,
        sections,
    })
}

/// The item under debate: the last `current_item_set` event of the motion's log, with the debated amendment's
/// row when it is an amendment.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_item<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<Option<(DebateItem, Option<amendment::Model>)>, StoreError> {
    use domain::event::MotionEvent;

    use super::entities::motion_event;
    let Some(row) = motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion_id))
        .filter(motion_event::Column::Kind.eq("current_item_set"))
        .order_by_desc(motion_event::Column::Seq)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let event = serde_json::from_str::<serde_json::Value>(&row.payload)
        .ok()
        .and_then(|payload| MotionEvent::from_stored(&row.kind, &payload).ok());
    let Some(MotionEvent::CurrentItemSet { item: Some(item) }) = event else {
        return Ok(None);
    };
    let debated = match item {
        DebateItem::Amendment { amendment: id } => {
            amendment::Entity::find_by_id(id.get()).one(conn).await?
        }
        DebateItem::Paragraph { .. } => None,
    };
    Ok(Some((item, debated)))
}

/// Creates an edition checked by `domain::congress::new_edition`, with `creator` as its verified organizer, in
/// one transaction. A taken slug gets a number (`…-2`, `…-3`). Answers the edition's id.
///
/// # Errors
/// `Conflict("editions_slug")` when the slug and its nine numbered variants are taken; `Db` when the database
/// fails.
pub async fn create_edition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    new: &NewEdition,
    creator: i32,
    now: i64,
) -> Result<i32, StoreError> {
    let txn = super::begin_write(db).await?;
    let mut slug = new.slug.clone();
    for n in 2..=10 {
        let taken = edition::Entity::find()
            .filter(edition::Column::Slug.eq(slug.clone()))
            .one(&txn)
            .await?
            .is_some();
        if !taken {
            break;
        }
        if n == 10 {
            return Err(StoreError::Conflict("editions_slug"));
        }
        slug = format!("{}-{n}", new.slug);
    }
    let row = edition::ActiveModel {
        slug: Set(slug),
        title: Set(new.title.clone()),
        place: Set(new.place.clone()),
        starts_on: Set(new.starts_on.clone()),
        ends_on: Set(new.ends_on.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| StoreError::from_write(err, "editions_slug"))?;
    membership::ActiveModel {
        edition_id: Set(row.id),
        member_id: Set(creator),
        role: Set(Role::Organizer.code().to_owned()),
        status: Set(MemberStatus::Verified.code().to_owned()),
        status_reason: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| StoreError::from_write(err, "memberships_edition_member"))?;
    txn.commit().await?;
    Ok(row.id)
}

/// The edition a motion belongs to.
///
/// # Errors
/// `NotFound` for an unknown motion; `Db` when the database fails.
pub async fn edition_of_motion<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<i32, StoreError> {
    motion::Entity::find_by_id(motion_id)
        .one(conn)
        .await?
        .map(|m| m.edition_id)
        .ok_or(StoreError::NotFound)
}

/// The verified delegates of an edition, by name: `(member id, "Given Usual — collectivity")`.
///
/// # Errors
/// `Db` when the database fails.
pub async fn verified_delegates<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<(i32, String)>, StoreError> {
    use super::entities::member;
    let ids: Vec<i32> = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::Role.eq(Role::Delegate.code()))
        .filter(membership::Column::Status.eq(MemberStatus::Verified.code()))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut people: Vec<(String, String, i32, String)> = member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.usual_name.to_lowercase(),
                m.given_name.to_lowercase(),
                m.id,
                format!(
                    "{} {} — {}",
                    m.given_name, m.usual_name, m.collectivity_name
                ),
            )
        })
        .collect();
    people.sort();
    Ok(people
        .into_iter()
        .map(|(_, _, id, label)| (id, label))
        .collect())
}
