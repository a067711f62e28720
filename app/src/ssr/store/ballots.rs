//! Ballots in the store: the rows the vote writer reads (projected from the log by the command path), the count
//! taken at closing under a lock, the frozen list of eligible voters, the edition's rules of procedure and its
//! proxies.
//!
//! Eligible voters are the edition's verified delegates ([`ELIGIBLE`]); the list is copied into
//! `ballot_voters` when a ballot closes, so the result's `registered` figure can be checked later.

use domain::{
    ballot::{BallotRules, BallotSubject, Choice, Procedure, Proxy, Tally, check_new_proxy},
    command::ClosingCount,
    ids::{BallotId, MemberId},
    member::{MemberStatus, Role},
    refusal::Refusal,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
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

/// Saves the edition's rules of procedure.
///
/// # Errors
/// `Refused(InvalidQuorum)` for a quorum that is not a fraction in (0, 1]; `Refused(NumberOutOfRange)` for a
/// proxy limit outside 0–10; `Store` when the database fails.
pub async fn set_procedure<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    procedure: &Procedure,
) -> Result<(), CommandError> {
    if procedure
        .ballots
        .quorum
        .is_some_and(|quorum| !quorum.is_valid())
    {
        return Err(CommandError::Refused(Refusal::InvalidQuorum));
    }
    if procedure.proxy_limit > MAX_PROXY_LIMIT {
        return Err(CommandError::Refused(Refusal::NumberOutOfRange {
            min: 0,
            max: MAX_PROXY_LIMIT,
        }));
    }
    let json = serde_json::to_string(procedure).unwrap_or_default();
    edition::ActiveModel {
        id: Set(edition_id),
        procedure: Set(Some(json)),
        ..Default::default()
    }
    .update(conn)
    .await
    .map_err(StoreError::from)?;
    Ok(())
}

/// The most proxies one holder may be allowed by the rules of procedure.
pub const MAX_PROXY_LIMIT: u32 = 10;

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

/// Records a proxy after checking it against the rules of procedure and the proxies already recorded (in one
/// transaction, so two organizers cannot both give the last allowed proxy). Both members must be eligible
/// voters of the edition.
///
/// # Errors
/// `Refused(NotEligibleVoter)`, `Refused(ProxyRefused)`; `Store` when the database fails.
pub async fn add_proxy(
    db: &DatabaseConnection,
    edition_id: i32,
    new: Proxy,
    created_by: i32,
    now: i64,
) -> Result<i32, CommandError> {
    let txn = super::begin_write(db).await.map_err(StoreError::from)?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // Serializes proxy changes of one edition: the limit is checked against what the others wrote.
        edition::Entity::find_by_id(edition_id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(StoreError::from)?;
    }
    for member in [new.holder, new.represented] {
        let eligible = membership::Entity::find()
            .filter(membership::Column::EditionId.eq(edition_id))
            .filter(membership::Column::MemberId.eq(member.get()))
            .filter(membership::Column::Role.eq(Role::Delegate.code()))
            .filter(membership::Column::Status.eq(MemberStatus::Verified.code()))
            .one(&txn)
            .await
            .map_err(StoreError::from)?;
        if eligible.is_none() {
            return Err(CommandError::Refused(Refusal::NotEligibleVoter { member }));
        }
    }
    let limit = procedure(&txn, edition_id).await?.proxy_limit;
    let existing: Vec<Proxy> = proxies(&txn, edition_id)
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    check_new_proxy(&new, &existing, limit)
        .map_err(|problem| CommandError::Refused(Refusal::ProxyRefused { problem }))?;
    let row = proxy::ActiveModel {
        edition_id: Set(edition_id),
        holder_id: Set(new.holder.get()),
        represented_id: Set(new.represented.get()),
        starts_at: Set(new.starts),
        ends_at: Set(new.ends),
        created_by: Set(created_by),
        created_at: Set(now),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(StoreError::from)?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(row.id)
}

/// Revokes a proxy of the edition (it stays in the audit trail with its revocation time).
///
/// # Errors
/// `NotFound` when the edition has no such proxy in force; `Db` when the database fails.
pub async fn revoke_proxy<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    id: i32,
    now: i64,
) -> Result<(), StoreError> {
    let found = proxy::Entity::find_by_id(id)
        .filter(proxy::Column::EditionId.eq(edition_id))
        .filter(proxy::Column::RevokedAt.is_null())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    proxy::ActiveModel {
        id: Set(found.id),
        revoked_at: Set(Some(now)),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
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

/// The vote counted for `represented` in a ballot, if any.
///
/// # Errors
/// `Db` when the database fails.
pub async fn vote_of<C: ConnectionTrait>(
    conn: &C,
    ballot_id: i32,
    represented: i32,
) -> Result<Option<vote::Model>, StoreError> {
    Ok(vote::Entity::find()
        .filter(vote::Column::BallotId.eq(ballot_id))
        .filter(vote::Column::RepresentedId.eq(represented))
        .one(conn)
        .await?)
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
