//! `hemicycle issue-tokens`: bearer tokens for tools (the load generator, a display), issued by whoever runs
//! the server, i.e. an organizer. Each token is a real session of a real member of the current edition, stored
//! hashed like every session and revoked like one; nothing in authentication is relaxed for tools.

use std::{io::Write, path::Path};

use anyhow::{Context, bail};
use app::ssr::{
    identity::{members, sessions},
    store::entities::{membership, motion},
};
use domain::{
    member::{Attendance, MemberStatus, Role},
    registration::{MandateFunction, Registration},
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// What to issue.
#[derive(Clone, Debug)]
pub struct TokenRequest {
    /// The motion the tools will follow: it must exist.
    pub motion_id: i32,
    /// How many tokens (one session each).
    pub count: u32,
    /// Whose sessions: members with this role, verified, in the current edition.
    pub role: Role,
    /// Where the sessions say their member takes part from (presence figures).
    pub attendance: Attendance,
    /// Create `count` test members (`charge-00001@charge.invalid`, …) first, so that each token is a
    /// different member; otherwise the existing members take turns.
    pub create_members: bool,
}

/// What was issued.
#[derive(Debug)]
pub struct Issued {
    /// The tokens, to be handed to the tool (shown once: only their hashes are stored).
    pub tokens: Vec<String>,
    /// How many distinct members they belong to.
    pub members: usize,
}

/// Opens the sessions, in one transaction.
///
/// # Errors
/// Unknown motion, no current edition, no member to issue for, or a database failure.
pub async fn issue(
    db: &DatabaseConnection,
    request: &TokenRequest,
    now: i64,
) -> anyhow::Result<Issued> {
    if request.count == 0 {
        bail!("--count doit être au moins 1 / --count must be at least 1");
    }
    motion::Entity::find_by_id(request.motion_id)
        .one(db)
        .await
        .context("reading the motion")?
        .with_context(|| {
            format!(
                "la motion {id} n’existe pas / motion {id} does not exist",
                id = request.motion_id
            )
        })?;
    let txn = app::ssr::store::begin_write(db)
        .await
        .context("starting a transaction")?;
    let edition = app::ssr::store::motions::current_edition_id(&txn)
        .await
        .context("reading the current edition")?
        .context("aucune édition / no edition: create the congress first")?;
    let mut member_ids = Vec::new();
    if request.create_members {
        for i in 1..=request.count {
            let registration = Registration {
                given_name: "Charge".to_owned(),
                usual_name: format!("Essai {i:05}"),
                email: format!("charge-{i:05}@charge.invalid"),
                phone: None,
                function: MandateFunction::Autre,
                collectivity: "Banc d’essai".to_owned(),
                collectivity_code: "00000".to_owned(),
            };
            let (member_id, _) = members::upsert_membership(
                &txn,
                edition,
                &registration,
                request.role,
                MemberStatus::Verified,
                now,
            )
            .await
            .context("creating a test member")?;
            member_ids.push(member_id);
        }
    } else {
        member_ids = membership::Entity::find()
            .filter(membership::Column::EditionId.eq(edition))
            .filter(membership::Column::Role.eq(request.role.code()))
            .filter(membership::Column::Status.eq(MemberStatus::Verified.code()))
            .order_by_asc(membership::Column::MemberId)
            .all(&txn)
            .await
            .context("listing members")?
            .into_iter()
            .map(|m| m.member_id)
            .collect();
    }
    if member_ids.is_empty() {
        bail!(
            "aucun membre vérifié de rôle {role} / no verified member with role {role} (use --create-members)",
            role = request.role.code()
        );
    }
    let mut tokens = Vec::with_capacity(request.count as usize);
    for i in 0..request.count as usize {
        let member_id = member_ids[i % member_ids.len()];
        tokens.push(
            sessions::open(&txn, member_id, request.attendance, now)
                .await
                .context("opening a session")?,
        );
    }
    txn.commit().await.context("committing the sessions")?;
    member_ids.sort_unstable();
    member_ids.dedup();
    Ok(Issued {
        tokens,
        members: member_ids.len(),
    })
}

/// Writes one token per line to `path`, readable by its owner only.
///
/// # Errors
/// When the file cannot be created or written.
pub fn write_tokens(path: &Path, tokens: &[String]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    for token in tokens {
        writeln!(file, "{token}").with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
