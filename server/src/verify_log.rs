//! `hemicycle verify-log`: recomputes the hash chain of every motion's log from the stored rows and reports
//! the first broken link. Reads only; never migrates nor writes.

use app::ssr::store::{
    entities::{motion, motion_event},
    log::canonical_envelope,
};
use domain::log::{BrokenLink, ChainLink, verify_chain};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The verdict on one motion's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogReport {
    /// The motion.
    pub motion_id: i32,
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
        match &self.broken {
            None => format!(
                "motion {} « {} » : journal intègre / log intact: {} événements / events",
                self.motion_id, self.title, self.events
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
                    "motion {} « {} » : JOURNAL ALTÉRÉ / LOG BROKEN at seq {seq}: {fr} ({broken})",
                    self.motion_id, self.title
                )
            }
        }
    }
}

/// Verifies the log of every motion, in id order.
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
        let mut links = Vec::with_capacity(rows.len());
        let mut unreadable = None;
        for row in &rows {
            let canonical = match serde_json::from_str(&row.payload) {
                Ok(payload) => {
                    canonical_envelope(&row.kind, row.actor_id, row.occurred_at, &payload)
                }
                Err(_) => {
                    // A payload that is not JSON cannot have been hashed as stored: altered.
                    unreadable.get_or_insert(BrokenLink::HashMismatch {
                        seq: row.seq.unsigned_abs(),
                    });
                    break;
                }
            };
            links.push(ChainLink {
                seq: row.seq.unsigned_abs(),
                canonical,
                prev_hash: row.prev_hash.clone(),
                hash: row.hash.clone(),
            });
        }
        let broken = verify_chain(&links).err().or(unreadable);
        reports.push(LogReport {
            motion_id: m.id,
            title: m.title,
            events: rows.len(),
            broken,
        });
    }
    Ok(reports)
}
