//! The one command path of a motion: load its log → replay → ask the domain → append the events and update
//! the materialized tables, in one transaction → signal the realtime hub, after commit. Every change to a motion's text or
//! amendments goes through [`execute`]; server functions, routes and tools call it, never the tables directly.
//!
//! Depends on the store and the pure domain; knows nothing of HTTP or Leptos.
//!
//! **Ids of new things** (amendments, inserted paragraphs) are allocated inside the transaction as
//! `max(id) + 1` over the materialized table, and handed to the domain, which refuses a taken id. Two
//! concurrent commands that pick the same id collide on the primary key (or, for the same motion, on the log's
//! `(motion, seq)` key first); the loser's transaction is retried from scratch with fresh ids. On PostgreSQL the
//! `paragraphs.id` sequence is moved past an explicitly written id so later auto-numbered inserts (draft
//! import, seeding) never collide with it.

use std::time::Duration;

use domain::{
    amendment::{Amendment, AmendmentStatus, AmendmentTarget, Rebasing},
    event::MotionEvent,
    ids::{AmendmentId, BallotId, ParagraphId, SectionId},
    log::canonical_json,
    motion_state::MotionState,
    paragraph::Provenance,
    refusal::Refusal,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::Value;

pub use super::CommandError;
use super::{
    StoreError,
    entities::{
        amendment, amendment_cosigner, ballot, motion, paragraph, paragraph_version, section,
    },
    log::{self, Heads, NewEvent},
};
use crate::ssr::live::Hub;

/// How many times a command's transaction is tried when it loses a race (same `seq`, same new id, SQLite busy).
pub const MAX_ATTEMPTS: u32 = 6;

/// Ids the store allocated for things a command may create (unused ones are simply forgotten).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewIds {
    /// The id a new amendment gets.
    pub amendment: AmendmentId,
    /// The id an inserted paragraph gets (an imported draft numbers its paragraphs from it).
    pub paragraph: ParagraphId,
    /// The id a new section gets (an imported draft numbers its sections from it).
    pub section: SectionId,
    /// The id a new ballot gets.
    pub ballot: BallotId,
}

/// What a command did: the events appended, with their `seq`.
#[derive(Clone, Debug)]
pub struct CommandOutcome {
    /// The appended events, in order, with their `seq` in the motion's log.
    pub events: Vec<(i64, MotionEvent)>,
}

/// What every command of a motion works with: the database, this instance's head states and its hub.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a DatabaseConnection,
    pub heads: &'a Heads,
    pub live: &'a Hub,
}

/// Runs one command on motion `motion_id` for `actor_member_id` (`None`: the system) at `now` (ms since the
/// epoch): in one transaction, takes the motion's state at its head (from `heads`, advanced by the events it
/// lacks: never a replay of the whole log), asks `decide` (with freshly allocated ids), appends
/// each event to the log and projects it into the materialized tables, then commits. A transaction that loses
/// a race is retried from the start (up to [`MAX_ATTEMPTS`]), so `decide` sees the state that wins. Once the
/// transaction has committed, and only then, `live` is told the motion's new head seq.
///
/// # Errors
/// `Refused` with the domain's refusal (nothing written); `Store(NotFound)` for an unknown motion;
/// `Store(Conflict)` when every attempt lost its race; `Store(Db)` when the database fails.
pub async fn execute(
    ctx: Ctx<'_>,
    motion_id: i32,
    actor_member_id: Option<i32>,
    now: i64,
    decide: impl Fn(&MotionState, NewIds) -> Result<Vec<MotionEvent>, Refusal>,
) -> Result<CommandOutcome, CommandError> {
    execute_prepared(
        ctx,
        motion_id,
        actor_member_id,
        now,
        |_, _| Box::pin(async { Ok(()) }),
        |state, ids, ()| decide(state, ids),
    )
    .await
}

/// What the first step of [`execute_prepared`] returns: a future borrowing the transaction.
pub type Prepared<'t, P> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<P, CommandError>> + Send + 't>>;

/// [`execute`] with a first step in the same transaction: `prepare` reads (and locks) what the decision needs
/// beyond the log — closing a ballot counts its votes there, so no vote slips between the count and the
/// result.
///
/// # Errors
/// As [`execute`], and whatever `prepare` answers.
pub async fn execute_prepared<P>(
    ctx: Ctx<'_>,
    motion_id: i32,
    actor_member_id: Option<i32>,
    now: i64,
    prepare: impl for<'t> Fn(&'t DatabaseTransaction, &'t MotionState) -> Prepared<'t, P>,
    decide: impl Fn(&MotionState, NewIds, P) -> Result<Vec<MotionEvent>, Refusal>,
) -> Result<CommandOutcome, CommandError> {
    let outcome =
        retrying(|| try_once(ctx, motion_id, actor_member_id, now, &prepare, &decide)).await?;
    // Only the seq crosses: the hub reads the committed events back from the log, as it does for other
    // instances' commits, so there is one path to the sockets.
    if let Some((seq, _)) = outcome.events.last() {
        ctx.live.committed(motion_id, *seq);
    }
    Ok(outcome)
}

/// Runs `attempt` (one whole transaction) again while it loses a race, up to [`MAX_ATTEMPTS`] times, waiting a
/// little longer each time.
async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T, CommandError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, CommandError>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(CommandError::Store(err)) if tries < MAX_ATTEMPTS && is_lost_race(&err) => {
                tracing::debug!(attempt = tries, error = %err, "transaction retried after a lost race");
                tokio::time::sleep(Duration::from_millis(5 * u64::from(tries))).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

async fn try_once<P>(
    Ctx { db, heads, .. }: Ctx<'_>,
    motion_id: i32,
    actor_member_id: Option<i32>,
    now: i64,
    prepare: &impl for<'t> Fn(&'t DatabaseTransaction, &'t MotionState) -> Prepared<'t, P>,
    decide: &impl Fn(&MotionState, NewIds, P) -> Result<Vec<MotionEvent>, Refusal>,
) -> Result<CommandOutcome, CommandError> {
    let txn = super::begin_write(db).await.map_err(StoreError::from)?;
    lock_motion(&txn, motion_id).await?;
    let (head, mut state) = heads.take(&txn, motion_id).await?;
    let ids = allocate_ids(&txn).await?;
    // Until the first event is recorded the state is untouched: a refusal gives it back as it was.
    let decided = match prepare(&txn, &state).await {
        Ok(prepared) => decide(&state, ids, prepared).map_err(CommandError::Refused),
        Err(err) => Err(err),
    };
    let decided = match decided {
        Ok(decided) => decided,
        Err(err) => {
            heads.committed(motion_id, head, state);
            return Err(err);
        }
    };
    // From here a failure drops the state (it may hold events that were never committed).
    let appended = record(&txn, motion_id, actor_member_id, now, &mut state, decided).await?;
    txn.commit().await.map_err(StoreError::from)?;
    let seq = appended.last().map_or(head, |(seq, _)| *seq);
    heads.committed(motion_id, seq, state);
    Ok(CommandOutcome { events: appended })
}

/// On PostgreSQL, commands on one motion wait for each other (the motion's row is locked until the commit)
/// instead of racing for the same `seq` and failing after their retries: a hall filing at once queues up.
/// SQLite needs nothing: [`super::begin_write`] already holds its single write lock.
async fn lock_motion(txn: &DatabaseTransaction, motion_id: i32) -> Result<(), StoreError> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute(sea_orm::Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT id FROM motions WHERE id = $1 FOR UPDATE",
            [motion_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Appends `decided` to the log of `motion_id` and projects each event into the tables, `state` following.
async fn record<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    actor_member_id: Option<i32>,
    now: i64,
    state: &mut MotionState,
    decided: Vec<MotionEvent>,
) -> Result<Vec<(i64, MotionEvent)>, StoreError> {
    let mut appended = Vec::with_capacity(decided.len());
    for event in decided {
        let seq = log::append(
            conn,
            motion_id,
            NewEvent {
                kind: event.kind(),
                actor_id: actor_member_id,
                occurred_at: now,
                payload: stored_payload(&event)?,
            },
        )
        .await?;
        state.apply(&event);
        project(conn, motion_id, seq, &event, state, now).await?;
        appended.push((seq, event));
    }
    Ok(appended)
}

/// Creates a motion of edition `edition_id` from its first event ([`MotionEvent::MotionCreated`], checked by
/// `domain::congress::new_motion`) and, if `draft` is not blank, imports it as its sections and paragraphs —
/// all in one transaction, retried like [`execute`]. The motion starts in the draft phase. Answers its id.
///
/// # Errors
/// `Refused` with the draft's refusal (nothing written); `Store(Conflict)` when every attempt lost its race;
/// `Store(Db)` when the database fails.
pub async fn create_motion(
    db: &DatabaseConnection,
    heads: &Heads,
    edition_id: i32,
    actor: &domain::member::Actor,
    now: i64,
    created: MotionEvent,
    draft: &str,
) -> Result<(i32, CommandOutcome), CommandError> {
    let MotionEvent::MotionCreated {
        title,
        preamble,
        line_width,
        ..
    } = &created
    else {
        return Err(CommandError::Store(StoreError::Db(DbErr::Custom(
            "create_motion needs a motion_created event".to_owned(),
        ))));
    };
    retrying(|| async {
        let txn = super::begin_write(db).await.map_err(StoreError::from)?;
        let row = motion::ActiveModel {
            edition_id: Set(edition_id),
            title: Set(title.clone()),
            preamble: Set(preamble.clone()),
            phase: Set(domain::motion::Phase::Draft.code().to_owned()),
            line_width: Set(to_i32(*line_width)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(
            |err| match StoreError::from_write(err, "motions_edition_title") {
                // Two motions of a congress never share a title: say so, it is the organizer's to change.
                StoreError::Conflict(_) => CommandError::Refused(Refusal::MotionTitleTaken),
                other => CommandError::Store(other),
            },
        )?;
        let actor_id = Some(actor.id.get());
        let mut state = MotionState::default();
        let mut appended = record(
            &txn,
            row.id,
            actor_id,
            now,
            &mut state,
            vec![created.clone()],
        )
        .await?;
        if !draft.trim().is_empty() {
            let ids = allocate_ids(&txn).await?;
            let imported =
                domain::command::import_draft(&state, actor, draft, ids.section, ids.paragraph)
                    .map_err(CommandError::Refused)?;
            appended.extend(record(&txn, row.id, actor_id, now, &mut state, imported).await?);
        }
        txn.commit().await.map_err(StoreError::from)?;
        let seq = appended.last().map_or(0, |(seq, _)| *seq);
        heads.committed(row.id, seq, state);
        Ok::<_, CommandError>((row.id, CommandOutcome { events: appended }))
    })
    .await
}

/// Whether a failure is a lost race worth retrying: a concurrent append took the `seq`, a concurrent command
/// took the new id, or SQLite could not take the write lock.
fn is_lost_race(err: &StoreError) -> bool {
    match err {
        StoreError::Conflict(name) => {
            matches!(
                *name,
                "motion_events_seq"
                    | "paragraphs_id"
                    | "amendments_id"
                    | "sections_id"
                    | "ballots_id"
            )
        }
        StoreError::Db(db) => super::is_transient(db),
        StoreError::NotFound => false,
    }
}

/// The payload stored for an event: its JSON without the `kind` tag (the log's `kind` column holds it), as
/// [`MotionEvent::from_stored`] reads it back.
///
/// # Errors
/// `Db` if the event cannot be serialized (never for the domain's events).
pub fn stored_payload(event: &MotionEvent) -> Result<Value, StoreError> {
    let mut value = serde_json::to_value(event)
        .map_err(|err| StoreError::Db(DbErr::Custom(format!("event to JSON: {err}"))))?;
    if let Value::Object(members) = &mut value {
        members.remove("kind");
    }
    Ok(value)
}

async fn allocate_ids<C: ConnectionTrait>(conn: &C) -> Result<NewIds, StoreError> {
    let max_amendment: Option<i32> = amendment::Entity::find()
        .select_only()
        .column_as(amendment::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(conn)
        .await?
        .flatten();
    let max_paragraph: Option<i32> = paragraph::Entity::find()
        .select_only()
        .column_as(paragraph::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(conn)
        .await?
        .flatten();
    let max_section: Option<i32> = section::Entity::find()
        .select_only()
        .column_as(section::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(conn)
        .await?
        .flatten();
    let max_ballot: Option<i32> = ballot::Entity::find()
        .select_only()
        .column_as(ballot::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(conn)
        .await?
        .flatten();
    Ok(NewIds {
        ballot: BallotId(max_ballot.unwrap_or(0).saturating_add(1)),
        amendment: AmendmentId(max_amendment.unwrap_or(0).saturating_add(1)),
        paragraph: ParagraphId(max_paragraph.unwrap_or(0).saturating_add(1)),
        section: SectionId(max_section.unwrap_or(0).saturating_add(1)),
    })
}

/// The `reason` column of a paragraph version for a provenance.
#[must_use]
pub fn provenance_code(provenance: &Provenance) -> &'static str {
    match provenance {
        Provenance::Initial => "initial",
        Provenance::Amendment { .. } => "amendment",
        Provenance::EditorialFix { .. } => "editorial_fix",
        Provenance::DraftEdit => "draft_edit",
        Provenance::Ballot { .. } => "ballot",
    }
}

fn to_canonical<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .map(|value| canonical_json(&value))
}

fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Updates the materialized tables for one event, `state` being the motion once the event is applied.
async fn project<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    seq: i64,
    event: &MotionEvent,
    state: &MotionState,
    now: i64,
) -> Result<(), StoreError> {
    match event {
        // The motion's row is written by `create_motion` before its first event; invitations and the item
        // under debate live in the log (the reader finds the latter with `motions::current_item`).
        MotionEvent::MotionCreated { .. }
        | MotionEvent::CoSignersInvited { .. }
        | MotionEvent::CurrentItemSet { .. }
        | MotionEvent::HallCountRecorded { .. }
        | MotionEvent::VoteOrderSet { .. } => {}
        MotionEvent::BallotOpened {
            ballot,
            number,
            subject,
            rules,
            countdown_seconds,
            ..
        } => {
            super::ballots::project_opened(
                conn,
                motion_id,
                *ballot,
                *number,
                *subject,
                rules,
                countdown_seconds.map(|s| now + i64::from(s) * 1000),
                now,
            )
            .await?;
        }
        MotionEvent::BallotClosed { ballot, .. } => {
            super::ballots::project_closed(conn, motion_id, *ballot, now).await?;
        }
        MotionEvent::SectionAdded {
            section: id,
            position,
            title,
        } => {
            section::ActiveModel {
                id: Set(id.get()),
                motion_id: Set(motion_id),
                position: Set(to_i32(*position)),
                title: Set(title.clone()),
            }
            .insert(conn)
            .await
            .map_err(|err| StoreError::from_write(err, "sections_id"))?;
            move_serial_past(conn, "sections").await?;
        }
        MotionEvent::ParagraphAdded {
            paragraph: id,
            section,
            position,
            text,
        } => {
            let first = (text.as_str(), &Provenance::Initial, seq);
            new_paragraph(
                conn,
                motion_id,
                *id,
                *section,
                to_i32(*position),
                first,
                now,
            )
            .await?;
        }
        MotionEvent::PhaseChanged { .. } => {
            motion::ActiveModel {
                id: Set(motion_id),
                phase: Set(state.phase().code().to_owned()),
                ..Default::default()
            }
            .update(conn)
            .await?;
        }
        MotionEvent::DraftParagraphEdited {
            paragraph,
            version,
            text,
        } => {
            new_version(
                conn,
                *paragraph,
                version.get(),
                text,
                &Provenance::DraftEdit,
                seq,
                now,
            )
            .await?;
        }
        MotionEvent::ParagraphVersionCreated {
            paragraph,
            version,
            text,
            provenance,
        } => {
            new_version(conn, *paragraph, version.get(), text, provenance, seq, now).await?;
        }
        MotionEvent::ParagraphDeleted { paragraph, .. } => {
            paragraph::ActiveModel {
                id: Set(paragraph.get()),
                deleted: Set(true),
                ..Default::default()
            }
            .update(conn)
            .await?;
        }
        MotionEvent::ParagraphInserted {
            paragraph: id,
            section,
            text,
            provenance,
            ..
        } => {
            // Placed by `renumber_positions` right after.
            new_paragraph(
                conn,
                motion_id,
                *id,
                *section,
                0,
                (text, provenance, seq),
                now,
            )
            .await?;
            renumber_positions(conn, motion_id, state).await?;
        }
        MotionEvent::AmendmentFiled { amendment: id, .. } => {
            if let Some(filed) = state.amendment(*id) {
                save_amendment(conn, motion_id, filed, now, true).await?;
            }
        }
        MotionEvent::AmendmentEdited { amendment: id, .. } => {
            amendment_cosigner::Entity::delete_many()
                .filter(amendment_cosigner::Column::AmendmentId.eq(id.get()))
                .exec(conn)
                .await?;
            sync_amendment(conn, motion_id, *id, state, now).await?;
        }
        MotionEvent::AmendmentCoSigned {
            amendment: id,
            member,
        } => {
            amendment_cosigner::ActiveModel {
                amendment_id: Set(id.get()),
                member_id: Set(member.get()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await
            .map_err(|err| StoreError::from_write(err, "amendment_cosigners_member"))?;
            sync_amendment(conn, motion_id, *id, state, now).await?;
        }
        MotionEvent::AmendmentWithdrawn { amendment: id }
        | MotionEvent::AmendmentDeclaredAdmissible { amendment: id }
        | MotionEvent::AmendmentDeclaredInadmissible { amendment: id, .. }
        | MotionEvent::AmendmentRebased { amendment: id, .. }
        | MotionEvent::AmendmentConflicted { amendment: id, .. }
        | MotionEvent::ConflictResolved { amendment: id, .. }
        | MotionEvent::AmendmentAdopted { amendment: id, .. }
        | MotionEvent::AmendmentRejected { amendment: id, .. }
        | MotionEvent::AmendmentFell { amendment: id, .. } => {
            sync_amendment(conn, motion_id, *id, state, now).await?;
        }
    }
    Ok(())
}

/// Writes a new paragraph row with the id the log gave it, and its version 1 (`first`: text, provenance and
/// the seq of the event that created it).
async fn new_paragraph<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    id: ParagraphId,
    section: SectionId,
    position: i32,
    (text, provenance, seq): (&str, &Provenance, i64),
    now: i64,
) -> Result<(), StoreError> {
    paragraph::ActiveModel {
        id: Set(id.get()),
        motion_id: Set(motion_id),
        section_id: Set(section.get()),
        position: Set(position),
        current_version: Set(1),
        deleted: Set(false),
        created_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|err| StoreError::from_write(err, "paragraphs_id"))?;
    move_serial_past(conn, "paragraphs").await?;
    insert_version(conn, id.get(), 1, text, provenance, seq, now).await
}

/// On PostgreSQL, moves `table`'s id sequence past the ids written explicitly, so that later auto-numbered
/// inserts never collide with them (SQLite's AUTOINCREMENT already follows the largest id).
async fn move_serial_past<C: ConnectionTrait>(
    conn: &C,
    table: &'static str,
) -> Result<(), StoreError> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

async fn new_version<C: ConnectionTrait>(
    conn: &C,
    paragraph_id: ParagraphId,
    number: u32,
    text: &str,
    provenance: &Provenance,
    seq: i64,
    now: i64,
) -> Result<(), StoreError> {
    insert_version(
        conn,
        paragraph_id.get(),
        to_i32(number),
        text,
        provenance,
        seq,
        now,
    )
    .await?;
    paragraph::ActiveModel {
        id: Set(paragraph_id.get()),
        current_version: Set(to_i32(number)),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

async fn insert_version<C: ConnectionTrait>(
    conn: &C,
    paragraph_id: i32,
    number: i32,
    text: &str,
    provenance: &Provenance,
    seq: i64,
    now: i64,
) -> Result<(), StoreError> {
    paragraph_version::ActiveModel {
        paragraph_id: Set(paragraph_id),
        number: Set(number),
        body: Set(text.to_owned()),
        reason: Set(provenance_code(provenance).to_owned()),
        reason_detail: Set(to_canonical(provenance)),
        event_seq: Set(seq),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(|err| StoreError::from_write(err, "paragraph_versions_number"))?;
    Ok(())
}

/// Gives every paragraph of the motion its position in the reading order of `state` (deleted ones keep
/// their place), updating only the rows that moved.
async fn renumber_positions<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    state: &MotionState,
) -> Result<(), StoreError> {
    let rows = paragraph::Entity::find()
        .filter(paragraph::Column::MotionId.eq(motion_id))
        .all(conn)
        .await?;
    for (position, p) in (1..).zip(state.paragraphs()) {
        let moved = rows
            .iter()
            .find(|row| row.id == p.id.get())
            .is_some_and(|row| row.position != position);
        if moved {
            paragraph::ActiveModel {
                id: Set(p.id.get()),
                position: Set(position),
                ..Default::default()
            }
            .update(conn)
            .await?;
        }
    }
    Ok(())
}

async fn sync_amendment<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    id: AmendmentId,
    state: &MotionState,
    now: i64,
) -> Result<(), StoreError> {
    match state.amendment(id) {
        Some(found) => save_amendment(conn, motion_id, found, now, false).await,
        None => Ok(()),
    }
}

async fn save_amendment<C: ConnectionTrait>(
    conn: &C,
    motion_id: i32,
    a: &Amendment,
    now: i64,
    insert: bool,
) -> Result<(), StoreError> {
    let (section_id, after_paragraph_id) = match &a.target {
        AmendmentTarget::InsertAfter { section, after, .. } => {
            (Some(section.get()), after.map(ParagraphId::get))
        }
        _ => (None, None),
    };
    let status_reason = match &a.status {
        AmendmentStatus::Inadmissible { reason } => Some(reason.clone()),
        AmendmentStatus::Fallen { reason } => to_canonical(reason),
        _ => None,
    };
    let rebased_text = match &a.rebasing {
        Some(Rebasing::Rebased { text, .. }) => Some(text.clone()),
        _ => None,
    };
    let mut row = amendment::ActiveModel {
        id: Set(a.id.get()),
        motion_id: Set(motion_id),
        number: Set(to_i32(a.number)),
        author_id: Set(a.author.get()),
        kind: Set(a.target.kind_code().to_owned()),
        paragraph_id: Set(a.target.paragraph().map(ParagraphId::get)),
        section_id: Set(section_id),
        after_paragraph_id: Set(after_paragraph_id),
        base_version: Set(a.target.base_version().map(|v| to_i32(v.get()))),
        text: Set(a.target.text().map(str::to_owned)),
        rationale: Set(a.rationale.clone()),
        status: Set(a.status.code().to_owned()),
        status_reason: Set(status_reason),
        rebased_text: Set(rebased_text),
        conflicted: Set(a.is_conflicted()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    if insert {
        row.insert(conn)
            .await
            .map_err(|err| StoreError::from_write(err, "amendments_id"))?;
    } else {
        row.created_at = sea_orm::ActiveValue::NotSet;
        row.update(conn).await?;
    }
    Ok(())
}
