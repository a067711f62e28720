//! The edition's command path: rules of procedure and proxies. Like a motion's commands, each one is checked by
//! the pure domain (`domain::edition`), recorded as events in the edition's hash-chained log, and projected into
//! the tables the readers use (`editions.procedure`, `proxies`) — all in one transaction, after the edition's row
//! is locked (PostgreSQL) or the write lock taken (SQLite), so two organizers never both give the last proxy
//! the limit allows.

use domain::{
    ballot::{Procedure, Proxy},
    edition::{EditionEvent, Eligibility},
    ids::MemberId,
    member::{Actor, MemberStatus, Role},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    CommandError, StoreError, ballots,
    entities::{edition, edition_event, membership, proxy},
    log::{NewEvent, chain},
};

/// Every event of an edition's log, in order (for `hemicycle verify-log`).
///
/// # Errors
/// `Db` when the database fails.
pub async fn events<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<edition_event::Model>, StoreError> {
    Ok(edition_event::Entity::find()
        .filter(edition_event::Column::EditionId.eq(edition_id))
        .order_by_asc(edition_event::Column::Seq)
        .all(conn)
        .await?)
}

/// The transaction of an edition command: the edition exists and, on PostgreSQL, its row is locked until the
/// commit (SQLite's write lock is already held by `begin_write`).
async fn begin(
    db: &DatabaseConnection,
    edition_id: i32,
) -> Result<DatabaseTransaction, StoreError> {
    let txn = super::begin_write(db).await?;
    let mut query = edition::Entity::find_by_id(edition_id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(&txn).await?.ok_or(StoreError::NotFound)?;
    Ok(txn)
}

/// Appends the events to the edition's log and projects each into the tables, in the caller's transaction.
async fn record(
    txn: &DatabaseTransaction,
    edition_id: i32,
    actor: &Actor,
    now: i64,
    decided: Vec<EditionEvent>,
) -> Result<(), StoreError> {
    for event in decided {
        let head = edition_event::Entity::find()
            .filter(edition_event::Column::EditionId.eq(edition_id))
            .order_by_desc(edition_event::Column::Seq)
            .one(txn)
            .await?;
        let mut payload = serde_json::to_value(&event).map_err(|err| {
            StoreError::Db(sea_orm::DbErr::Custom(format!("event to JSON: {err}")))
        })?;
        if let serde_json::Value::Object(members) = &mut payload {
            // The `kind` column holds the tag, as in a motion's log.
            members.remove("kind");
        }
        let new = NewEvent {
            kind: event.kind(),
            actor_id: Some(actor.id.get()),
            occurred_at: now,
            payload,
        };
        let chained = chain(head.map(|h| (h.seq, h.hash)), &new);
        edition_event::ActiveModel {
            edition_id: Set(edition_id),
            seq: Set(chained.seq),
            kind: Set(new.kind.to_owned()),
            actor_id: Set(new.actor_id),
            occurred_at: Set(now),
            payload: Set(chained.payload),
            prev_hash: Set(chained.prev_hash),
            hash: Set(chained.hash),
        }
        .insert(txn)
        .await
        .map_err(|err| StoreError::from_write(err, "edition_events_seq"))?;
        project(txn, edition_id, actor, now, &event).await?;
    }
    Ok(())
}

async fn project(
    txn: &DatabaseTransaction,
    edition_id: i32,
    actor: &Actor,
    now: i64,
    event: &EditionEvent,
) -> Result<(), StoreError> {
    match event {
        EditionEvent::ProcedureSet { procedure } => {
            let json = serde_json::to_string(procedure)
                .map_err(|err| StoreError::Db(sea_orm::DbErr::Custom(err.to_string())))?;
            edition::ActiveModel {
                id: Set(edition_id),
                procedure: Set(Some(json)),
                ..Default::default()
            }
            .update(txn)
            .await?;
        }
        EditionEvent::ProxyGranted {
            proxy: id,
            holder,
            represented,
            starts,
            ends,
        } => {
            proxy::ActiveModel {
                id: Set(*id),
                edition_id: Set(edition_id),
                holder_id: Set(holder.get()),
                represented_id: Set(represented.get()),
                starts_at: Set(*starts),
                ends_at: Set(*ends),
                created_by: Set(actor.id.get()),
                created_at: Set(now),
                revoked_at: Set(None),
            }
            .insert(txn)
            .await
            .map_err(|err| StoreError::from_write(err, "proxies_id"))?;
        }
        EditionEvent::ProxyRevoked { proxy: id, at } => {
            proxy::ActiveModel {
                id: Set(*id),
                revoked_at: Set(Some(*at)),
                ..Default::default()
            }
            .update(txn)
            .await?;
        }
    }
    Ok(())
}

/// Sets the edition's rules of procedure (see `domain::edition::set_procedure`).
///
/// # Errors
/// `Refused` with the domain's refusal; `Store(NotFound)` for an unknown edition; `Store(Db)`.
pub async fn set_procedure(
    db: &DatabaseConnection,
    edition_id: i32,
    actor: &Actor,
    procedure: Procedure,
    now: i64,
) -> Result<(), CommandError> {
    let txn = begin(db, edition_id).await?;
    let decided =
        domain::edition::set_procedure(actor, procedure).map_err(CommandError::Refused)?;
    record(&txn, edition_id, actor, now, decided).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(())
}

async fn is_eligible(
    txn: &DatabaseTransaction,
    edition_id: i32,
    member: MemberId,
) -> Result<bool, StoreError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(member.get()))
        .filter(membership::Column::Role.eq(Role::Delegate.code()))
        .filter(membership::Column::Status.eq(MemberStatus::Verified.code()))
        .one(txn)
        .await?
        .is_some())
}

/// Gives a proxy (see `domain::edition::grant_proxy`); answers its id.
///
/// # Errors
/// `Refused` (`NotEligibleVoter`, `ProxyRefused`, role); `Store(NotFound)` for an unknown edition; `Store(Db)`.
pub async fn grant_proxy(
    db: &DatabaseConnection,
    edition_id: i32,
    actor: &Actor,
    new: Proxy,
    now: i64,
) -> Result<i32, CommandError> {
    let txn = begin(db, edition_id).await?;
    let eligible = Eligibility {
        holder: is_eligible(&txn, edition_id, new.holder).await?,
        represented: is_eligible(&txn, edition_id, new.represented).await?,
    };
    let limit = ballots::procedure(&txn, edition_id).await?.proxy_limit;
    let existing: Vec<Proxy> = ballots::proxies(&txn, edition_id)
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let id: i32 = proxy::Entity::find()
        .select_only()
        .column_as(proxy::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await
        .map_err(StoreError::from)?
        .flatten()
        .unwrap_or(0)
        .saturating_add(1);
    let decided = domain::edition::grant_proxy(actor, id, new, eligible, &existing, limit)
        .map_err(CommandError::Refused)?;
    record(&txn, edition_id, actor, now, decided).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

/// Revokes a proxy in force (it stays in the audit trail with its revocation time).
///
/// # Errors
/// `Refused(ProxyNotFound)` when the edition has no such proxy in force, or the role's refusal;
/// `Store(NotFound)` for an unknown edition; `Store(Db)`.
pub async fn revoke_proxy(
    db: &DatabaseConnection,
    edition_id: i32,
    actor: &Actor,
    id: i32,
    now: i64,
) -> Result<(), CommandError> {
    let txn = begin(db, edition_id).await?;
    let in_force = proxy::Entity::find_by_id(id)
        .filter(proxy::Column::EditionId.eq(edition_id))
        .filter(proxy::Column::RevokedAt.is_null())
        .one(&txn)
        .await
        .map_err(StoreError::from)?
        .is_some();
    let decided =
        domain::edition::revoke_proxy(actor, id, in_force, now).map_err(CommandError::Refused)?;
    record(&txn, edition_id, actor, now, decided).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(())
}
