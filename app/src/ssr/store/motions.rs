//! Editions, motions, sections and paragraphs: reads for the pages, and the creation of an edition.

use std::collections::HashMap;

use domain::{
    congress::NewEdition,
    lines::number_paragraphs,
    member::{MemberStatus, Role},
    motion::Phase,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use super::{
    StoreError,
    entities::{edition, membership, motion, paragraph, paragraph_version, section},
};
use crate::api::{EditionSummary, MotionSummary, MotionView, ParagraphView, SectionView, SiteInfo};

fn phase_of(row: &motion::Model) -> Phase {
    // An unknown code can only come from a newer schema: show the text as frozen rather than fail.
    Phase::from_code(&row.phase).unwrap_or(Phase::Closed)
}

/// The header's data: the edition that starts last.
///
/// # Errors
/// `Db` when the database fails.
pub async fn site_info<C: ConnectionTrait>(conn: &C) -> Result<SiteInfo, StoreError> {
    let current = edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .one(conn)
        .await?;
    Ok(SiteInfo {
        current_edition: current.map(|e| e.title),
    })
}

/// Every edition, newest first, each with its motions and their paragraph counts.
///
/// # Errors
/// `Db` when the database fails.
pub async fn list_editions<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<EditionSummary>, StoreError> {
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
    Ok(editions
        .into_iter()
        .map(|e| EditionSummary {
            motions: motions
                .iter()
                .filter(|m| m.edition_id == e.id)
                .map(|m| MotionSummary {
                    id: m.id,
                    title: m.title.clone(),
                    phase: phase_of(m),
                    paragraph_count: counts
                        .get(&m.id)
                        .copied()
                        .and_then(|n| usize::try_from(n).ok())
                        .unwrap_or(0),
                })
                .collect(),
            id: e.id,
            slug: e.slug,
            title: e.title,
            place: e.place,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
        })
        .collect())
}

/// A motion with its sections and its live paragraphs at their current version, with line numbers
/// continuous across the motion.
///
/// # Errors
/// `NotFound` when there is no such motion; `Db` when the database fails.
pub async fn motion_view<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<MotionView, StoreError> {
    // Read before the tables: the page is then at least as new as `seq`, and a live client that starts from it
    // at worst receives again an event the page already shows.
    let seq = super::events::head(conn, motion_id).await?;
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
    let texts: HashMap<i32, String> = paragraph_version::Entity::find()
        .filter(paragraph_version::Column::ParagraphId.is_in(current.keys().copied()))
        .all(conn)
        .await?
        .into_iter()
        .filter(|v| current.get(&v.paragraph_id) == Some(&v.number))
        .map(|v| (v.paragraph_id, v.body))
        .collect();

    // Reading order: sections by position, then paragraphs by position inside their section.
    let ordered: Vec<(&section::Model, Vec<&paragraph::Model>)> = sections
        .iter()
        .map(|s| {
            (
                s,
                paragraphs.iter().filter(|p| p.section_id == s.id).collect(),
            )
        })
        .collect();
    let flat_texts: Vec<&str> = ordered
        .iter()
        .flat_map(|(_, ps)| {
            ps.iter()
                .map(|p| texts.get(&p.id).map_or("", String::as_str))
        })
        .collect();
    let pending = super::amendments::pending_counts(conn, motion_id).await?;
    let width = usize::try_from(motion.line_width).unwrap_or(domain::lines::DEFAULT_LINE_WIDTH);
    let mut numbered = number_paragraphs(flat_texts, width).into_iter();
    let mut ordinal = 0;
    let sections = ordered
        .into_iter()
        .map(|(s, ps)| SectionView {
            id: s.id,
            title: s.title.clone(),
            paragraphs: ps
                .into_iter()
                .filter_map(|p| {
                    let lines = numbered.next()?;
                    ordinal += 1;
                    Some(ParagraphView {
                        id: p.id,
                        ordinal,
                        version: p.current_version,
                        first_line: lines.first_line,
                        lines: lines.lines,
                        pending_amendments: pending.get(&p.id).copied().unwrap_or(0),
                    })
                })
                .collect(),
        })
        .collect();
    Ok(MotionView {
        id: motion.id,
        edition_title: edition.title,
        phase: phase_of(&motion),
        title: motion.title,
        preamble: motion.preamble,
        line_width: width,
        sections,
        seq,
        current_item: current_item(conn, motion_id).await?,
    })
}

/// The item under debate: the last `current_item_set` event of the motion's log, with the debated amendment's
/// number and paragraph from the tables.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_item<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<Option<crate::api::DebateItemView>, StoreError> {
    use domain::event::{DebateItem, MotionEvent};

    use super::entities::{amendment, motion_event};
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
    Ok(Some(match item {
        DebateItem::Paragraph { paragraph } => crate::api::DebateItemView {
            paragraph_id: Some(paragraph.get()),
            amendment_id: None,
            amendment_number: None,
        },
        DebateItem::Amendment { amendment: id } => {
            let found = amendment::Entity::find_by_id(id.get()).one(conn).await?;
            crate::api::DebateItemView {
                paragraph_id: found
                    .as_ref()
                    .and_then(|a| a.paragraph_id.or(a.after_paragraph_id)),
                amendment_id: Some(id.get()),
                amendment_number: found.and_then(|a| u32::try_from(a.number).ok()),
            }
        }
    }))
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
