//! `hemicycle verify-dossier FILE.zip [--with-database]`: checks a hand-over dossier against itself (every
//! file's SHA-256 against its manifest, the open data against the manifest) and, with the database, against
//! the motion's log: the chain is intact up to the dossier's event, that event's hash is the dossier's head
//! hash, the text replayed up to it has the dossier's text hash, and — since every export is a pure function
//! of the log — the dossier rebuilt from the log at that event has, file for file, the same bytes. A dossier
//! whose files were altered and whose manifest was recomputed to match passes the first check, not this one.
//! Reads only.

use app::ssr::store::{
    StoreError,
    export::{At, load_document, state_at},
};
use domain::document::text_hash;
use dossier::bundle::{Tampering, Verified, build_dossier, verify_dossier};
use sea_orm::ConnectionTrait;

use crate::verify_log;

/// Why a dossier does not match the log.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogDisagreement {
    #[error(
        "le journal de la motion {motion} ne contient pas l’événement n° {seq} / the log of motion {motion} has no event {seq}"
    )]
    NoSuchEvent { motion: i32, seq: u64 },
    #[error(
        "le journal de la motion {motion} est altéré avant l’événement n° {seq} / the log of motion {motion} is broken before event {seq}"
    )]
    BrokenLog { motion: i32, seq: u64 },
    #[error(
        "l’empreinte du journal diffère : le dossier ne vient pas de ce journal / the log hash differs: the dossier does not come from this log"
    )]
    HeadHash,
    #[error(
        "le texte du dossier diffère du texte du journal / the dossier's text differs from the log's text"
    )]
    Text,
    #[error(
        "le fichier {name} diffère de celui que produit le journal / {name} differs from what the log produces"
    )]
    FileDiffers { name: String },
    #[error("le dossier n’a pas pu être reconstruit / the dossier could not be rebuilt: {0}")]
    Rebuild(String),
}

/// Checks the dossier's bytes against themselves.
///
/// # Errors
/// The first tampering found.
pub fn check_file(zip: &[u8]) -> Result<Verified, Tampering> {
    verify_dossier(zip)
}

/// Checks a dossier that is sound in itself against the motion's log in the database.
///
/// # Errors
/// `Ok(Err(_))` when the dossier and the log disagree; `Err` when the database cannot be read.
pub async fn check_against_log<C: ConnectionTrait>(
    conn: &C,
    verified: &Verified,
) -> Result<Result<(), LogDisagreement>, StoreError> {
    let motion = verified.manifest.motion_id;
    let seq = verified.manifest.seq;
    let reports = verify_log::verify_all(conn).await?;
    let broken_before = reports
        .iter()
        .find(|r| r.subject == crate::verify_log::Subject::Motion(motion))
        .and_then(|r| r.broken.as_ref())
        .is_some_and(|broken| broken_seq(broken) <= seq);
    if broken_before {
        return Ok(Err(LogDisagreement::BrokenLog { motion, seq }));
    }
    let at = match state_at(
        conn,
        motion,
        At::Seq(i64::try_from(seq).unwrap_or(i64::MAX)),
    )
    .await
    {
        Ok(at) => at,
        Err(StoreError::NotFound) => return Ok(Err(LogDisagreement::NoSuchEvent { motion, seq })),
        Err(err) => return Err(err),
    };
    if at.hash != verified.manifest.log_head_hash {
        return Ok(Err(LogDisagreement::HeadHash));
    }
    if text_hash(&at.state) != verified.manifest.text_sha256 {
        return Ok(Err(LogDisagreement::Text));
    }
    let document = load_document(conn, motion, At::Seq(at.seq)).await?;
    let rebuilt = match tokio::task::spawn_blocking(move || build_dossier(&document)).await {
        Ok(Ok(rebuilt)) => rebuilt,
        Ok(Err(err)) => return Ok(Err(LogDisagreement::Rebuild(err.to_string()))),
        Err(err) => return Ok(Err(LogDisagreement::Rebuild(err.to_string()))),
    };
    for file in &verified.manifest.files {
        let same = rebuilt
            .manifest
            .files
            .iter()
            .any(|r| r.name == file.name && r.sha256 == file.sha256);
        if !same {
            return Ok(Err(LogDisagreement::FileDiffers {
                name: file.name.clone(),
            }));
        }
    }
    Ok(Ok(()))
}

fn broken_seq(broken: &domain::log::BrokenLink) -> u64 {
    match broken {
        domain::log::BrokenLink::SeqGap { found, .. } => *found,
        domain::log::BrokenLink::PrevHashMismatch { seq }
        | domain::log::BrokenLink::HashMismatch { seq } => *seq,
    }
}
