//! `hemicycle verify-log`: recomputes the hash chain of every motion's log, and of every edition's (rules of
//! procedure, proxies), from the stored rows and reports the first broken link. Reads only; never migrates nor
//! writes.

use app::ssr::store::{
    editions,
    entities::{edition, motion, motion_event},
    log::canonical_envelope,
};
use domain::log::{BrokenLink, ChainLink, verify_chain};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// Whose log a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A motion's log (its text, amendments, ballots).
    Motion(i32),
    /// An edition's log (its rules of procedure and proxies).
    Edition(i32),
}

/// The verdict on one log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogReport {
    /// The motion or the edition.
    pub subject: Subject,
    /// Its title.
    pub title: String,
    /// How many events its log holds.
    pub events: usize,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

impl LogReport {
    /// One line for people, in French and English.
    #[must_use]
    pub fn line(&self) -> String {
        let whose = match self.subject {
            Subject::Motion(id) => format!("motion {id}"),
            Subject::Edition(id) => format!("congrès / edition {id}"),
        };
        match &self.broken {
            None => format!(
                "{whose} « {} » : journal intègre / log intact: {} événements / events",
                self.title, self.events
            ),
            Some(broken) => {
                let (seq, fr) = match broken {
                    BrokenLink::SeqGap { found, expected } => (
                        *found,
                        format!("numéro inattendu (attendu {expected}) / unexpected seq"),
                    ),
                    BrokenLink::PrevHashMismatch { seq } => (
                        *seq,
                        "ne pointe pas vers l’empreinte précédente / does not point to the previous hash"
                            .to_owned(),
                    ),
                    BrokenLink::HashMismatch { seq } => (
                        *seq,
                        "contenu ou empreinte modifié / content or hash altered".to_owned(),
                    ),
                };
                format!(
                    "{whose} « {} » : JOURNAL ALTÉRÉ / LOG BROKEN at seq {seq}: {fr} ({broken})",
                    self.title
                )
            }
        }
    }
}

/// The first broken link of a chain of stored rows `(seq, kind, actor, at, payload, prev_hash, hash)`, if any.
fn verify_rows<'a>(
    rows: impl IntoIterator<Item = (i64, &'a str, Option<i32>, i64, &'a str, &'a str, &'a str)>,
) -> Option<BrokenLink> {
    let mut links = Vec::new();
    for (seq, kind, actor, at, payload, prev_hash, hash) in rows {
        let Ok(payload) = serde_json::from_str(payload) else {
            // A payload that is not JSON cannot have been hashed as stored: altered. Links before it still count.
            return verify_chain(&links)
                .err()
                .or(Some(BrokenLink::HashMismatch {
                    seq: seq.unsigned_abs(),
                }));
        };
        links.push(ChainLink {
            seq: seq.unsigned_abs(),
            canonical: canonical_envelope(kind, actor, at, &payload),
            prev_hash: prev_hash.to_owned(),
            hash: hash.to_owned(),
        });
    }
    verify_chain(&links).err()
}

/// Verifies the log of every motion, then of every edition, in id order.
///
/// # Errors
/// The database error, if reading fails.
pub async fn verify_all<C: ConnectionTrait>(conn: &C) -> Result<Vec<LogReport>, DbErr> {
    let motions = motion::Entity::find()
        .order_by_asc(motion::Column::Id)
        .all(conn)
        .await?;
    let mut reports = Vec::with_capacity(motions.len());
    for m in motions {
        let rows = motion_event::Entity::find()
            .filter(motion_event::Column::MotionId.eq(m.id))
            .order_by_asc(motion_event::Column::Seq)
            .all(conn)
            .await?;
        let broken = verify_rows(rows.iter().map(|r| {
            (
                r.seq,
                r.kind.as_str(),
                r.actor_id,
                r.occurred_at,
                r.payload.as_str(),
                r.prev_hash.as_str(),
                r.hash.as_str(),
            )
        }));
        reports.push(LogReport {
            subject: Subject::Motion(m.id),
            title: m.title,
            events: rows.len(),
            broken,
        });
    }
    let editions_rows = edition::Entity::find()
        .order_by_asc(edition::Column::Id)
        .all(conn)
        .await?;
    for e in editions_rows {
        let rows = editions::events(conn, e.id)
            .await
            .map_err(|err| match err {
                app::ssr::store::StoreError::Db(db) => db,
                other => DbErr::Custom(other.to_string()),
            })?;
        let broken = verify_rows(rows.iter().map(|r| {
            (
                r.seq,
                r.kind.as_str(),
                r.actor_id,
                r.occurred_at,
                r.payload.as_str(),
                r.prev_hash.as_str(),
                r.hash.as_str(),
            )
        }));
        reports.push(LogReport {
            subject: Subject::Edition(e.id),
            title: e.title,
            events: rows.len(),
            broken,
        });
    }
    Ok(reports)
}
