//! Ballots in the store: the rows the vote writer reads (projected from the log by the command path), the count
//! taken at closing under a lock, the frozen list of eligible voters, the edition's rules of procedure and its
//! proxies, and the rows and votes the ballot pages read (one query per kind of row, never one per row).
//!
//! Eligible voters are the edition's verified delegates ([`ELIGIBLE`]); the list is copied into
//! `ballot_voters` when a ballot closes, so the result's `registered` figure can be checked later.

use std::collections::{BTreeSet, HashMap};

use domain::{
    ballot::{BallotRules, BallotSubject, Choice, Procedure, Proxy, Tally},
    command::ClosingCount,
    ids::{BallotId, MemberId},
    member::{MemberStatus, Role},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::{
    CommandError, StoreError,
    entities::{ballot, edition, membership, proxy, vote},
};

/// Ballot statuses as stored.
pub const OPEN: &str = "open";
/// See [`OPEN`].
pub const CLOSED: &str = "closed";

/// Writes the row of a ballot just opened (same transaction as its event).
#[allow(
    clippy::too_many_arguments,
    reason = "one value per column of the projected row"
)]
pub(super) async fn project_opened<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    id: BallotId,
    number: u32,
    subject: BallotSubject,
    rules: &BallotRules,
    closes_at: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    let edition_id = super::motions::edition_of_motion(conn, motion_id).await?;
    let (kind, subject_id) = match subject {
        BallotSubject::Amendment { amendment } => ("amendment", Some(amendment.get())),
        BallotSubject::Paragraph { paragraph } => ("paragraph", Some(paragraph.get())),
        BallotSubject::Motion => ("motion", None),
    };
    ballot::ActiveModel {
        id: Set(id.get()),
        motion_id: Set(motion_id),
        edition_id: Set(edition_id),
        number: Set(i32::try_from(number).unwrap_or(i32::MAX)),
        subject_kind: Set(kind.to_owned()),
        subject_id: Set(subject_id),
        status: Set(OPEN.to_owned()),
        allow_change: Set(rules.allow_change),
        live_results: Set(rules.live_results),
        opened_at: Set(now),
        closes_at: Set(closes_at),
        closed_at: Set(None),
    }
    .insert(conn)
    .await
    .map_err(|err| StoreError::from_write(err, "ballots_id"))?;
    Ok(())
}

/// Marks a ballot closed and freezes its list of eligible voters (same transaction as its event).
pub(super) async fn project_closed<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    id: BallotId,
    now: i64,
) -> Result<(), StoreError> {
    let edition_id = super::motions::edition_of_motion(conn, motion_id).await?;
    ballot::ActiveModel {
        id: Set(id.get()),
        status: Set(CLOSED.to_owned()),
        closed_at: Set(Some(now)),
        ..Default::default()
    }
    .update(conn)
    .await?;
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO ballot_voters (ballot_id, member_id) SELECT $1, member_id FROM memberships \
             WHERE edition_id = $2 AND role = $3 AND status = $4"
        }
        _ => {
            "INSERT INTO ballot_voters (ballot_id, member_id) SELECT ?, member_id FROM memberships \
             WHERE edition_id = ? AND role = ? AND status = ?"
        }
    };
    conn.execute(Statement::from_sql_and_values(
        backend,
        sql,
        [
            id.get().into(),
            edition_id.into(),
            Role::Delegate.code().into(),
            MemberStatus::Verified.code().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The edition's eligible voters now: its verified delegates.
///
/// # Errors
/// `Db` when the database fails.
pub async fn eligible_count<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<u32, StoreError> {
    let n = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::Role.eq(Role::Delegate.code()))
        .filter(membership::Column::Status.eq(MemberStatus::Verified.code()))
        .count(conn)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The votes recorded in a ballot, by choice.
///
/// # Errors
/// `Db` when the database fails.
pub async fn tally<C: ConnectionTrait>(conn: &C, ballot_id: i32) -> Result<Tally, StoreError> {
    let rows: Vec<(String, i64)> = vote::Entity::find()
        .select_only()
        .column(vote::Column::Choice)
        .column_as(vote::Column::Id.count(), "n")
        .filter(vote::Column::BallotId.eq(ballot_id))
        .group_by(vote::Column::Choice)
        .into_tuple()
        .all(conn)
        .await?;
    let mut tally = Tally::default();
    for (code, n) in rows {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match Choice::from_code(&code) {
            Some(Choice::Pour) => tally.pour = n,
            Some(Choice::Contre) => tally.contre = n,
            Some(Choice::Abstention) => tally.abstention = n,
            None => {}
        }
    }
    Ok(tally)
}

/// What closing `ballot` needs from the store, read under a lock: on PostgreSQL the ballot's row is locked
/// `FOR UPDATE`, which waits for every vote transaction holding it `FOR SHARE` — so the count includes every
/// acknowledged vote and no vote can be acknowledged after it. (SQLite has one writer at a time: the same holds.)
///
/// # Errors
/// `Db` when the database fails.
pub async fn closing_count<C: ConnectionTrait>(
    conn: &C,
    ballot_id: i32,
    edition_id: i32,
    roll_call: Option<u32>,
) -> Result<ClosingCount, CommandError> {
    let mut query = ballot::Entity::find_by_id(ballot_id);
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(conn).await.map_err(StoreError::from)?;
    Ok(ClosingCount {
        electronic: tally(conn, ballot_id).await?,
        registered: eligible_count(conn, edition_id).await?,
        roll_call,
        // Allocated with the command's other ids, in the decision.
        new_paragraph: None,
    })
}

/// The edition's rules of procedure (the defaults when none were set).
///
/// # Errors
/// `NotFound` for an unknown edition; `Db` when the database fails.
pub async fn procedure<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Procedure, StoreError> {
    let row = edition::Entity::find_by_id(edition_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row
        .procedure
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// The proxies of an edition not revoked, as the domain sees them, with their row ids.
///
/// # Errors
/// `Db` when the database fails.
pub async fn proxies<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<(i32, Proxy)>, StoreError> {
    Ok(proxy::Entity::find()
        .filter(proxy::Column::EditionId.eq(edition_id))
        .filter(proxy::Column::RevokedAt.is_null())
        .order_by_asc(proxy::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.id,
                Proxy {
                    holder: MemberId(row.holder_id),
                    represented: MemberId(row.represented_id),
                    starts: row.starts_at,
                    ends: row.ends_at,
                },
            )
        })
        .collect())
}

/// Every vote of a ballot for the audit view: `(represented, cast by, choice, when, changes)`, by represented
/// member.
///
/// # Errors
/// `Db` when the database fails.
pub async fn audit<C: ConnectionTrait>(
    conn: &C,
    ballot_id: i32,
) -> Result<Vec<vote::Model>, StoreError> {
    Ok(vote::Entity::find()
        .filter(vote::Column::BallotId.eq(ballot_id))
        .order_by_asc(vote::Column::RepresentedId)
        .all(conn)
        .await?)
}

/// The votes counted in a ballot for each member of `represented`, by represented member (one query for every
/// seat a voter holds).
///
/// # Errors
/// `Db` when the database fails.
pub async fn votes_for<C: ConnectionTrait>(
    conn: &C,
    ballot_id: i32,
    represented: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, vote::Model>, StoreError> {
    let represented: BTreeSet<i32> = represented.into_iter().collect();
    if represented.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(vote::Entity::find()
        .filter(vote::Column::BallotId.eq(ballot_id))
        .filter(vote::Column::RepresentedId.is_in(represented))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| (row.represented_id, row))
        .collect())
}

/// The rows of a motion's ballots (their times), by id: one query for a whole page.
///
/// # Errors
/// `Db` when the database fails.
pub async fn rows_of_motion<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
) -> Result<HashMap<i32, ballot::Model>, StoreError> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::MotionId.eq(motion_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// The row of one ballot (its times), if it was projected.
///
/// # Errors
/// `Db` when the database fails.
pub async fn row<C: ConnectionTrait>(
    conn: &C,
    ballot_id: i32,
) -> Result<Option<ballot::Model>, StoreError> {
    Ok(ballot::Entity::find_by_id(ballot_id).one(conn).await?)
}

/// The open ballots on every motion (for the live tallies).
///
/// # Errors
/// `Db` when the database fails.
pub async fn open_ballots<C: ConnectionTrait>(conn: &C) -> Result<Vec<ballot::Model>, StoreError> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::Status.eq(OPEN))
        .all(conn)
        .await?)
}
