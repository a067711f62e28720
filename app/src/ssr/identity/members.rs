//! Members, their memberships per edition, invitations and the CSV import: reads and writes.

use std::collections::HashMap;

use domain::{
    ids::MemberId,
    invitation::{Account, Purpose, Use},
    member::{MemberStatus, Role},
    refusal::Refusal,
    registration::{
        Field, FieldProblem, Problem, Registration, RegistrationInput, check_registration,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::secrets;
use crate::ssr::store::{
    StoreError,
    entities::{invitation, member, membership},
    motions::current_edition_id,
};

/// A member's status in the current edition, if they have a membership there: sign-in refuses suspended and
/// rejected members with a clear message rather than opening a session that could do nothing.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_status<C: ConnectionTrait>(
    conn: &C,
    member_id: i32,
) -> Result<Option<MemberStatus>, StoreError> {
    let Some(edition_id) = current_edition_id(conn).await? else {
        return Ok(None);
    };
    Ok(membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(member_id))
        .one(conn)
        .await?
        .and_then(|m| MemberStatus::from_code(&m.status)))
}

/// Creates the member if their e-mail is new, and gives them a membership in `edition_id` if they have none.
/// Returns the member id. An existing member's identity is left unchanged (no one can overwrite someone
/// else's account by registering with their e-mail).
///
/// # Errors
/// `Db` when the database fails.
pub async fn upsert_membership<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    registration: &Registration,
    role: Role,
    status: MemberStatus,
    now: i64,
) -> Result<(i32, bool), StoreError> {
    let existing = member::Entity::find()
        .filter(member::Column::Email.eq(registration.email.clone()))
        .one(conn)
        .await?;
    let member_id = match existing {
        Some(existing) => existing.id,
        None => {
            member::ActiveModel {
                given_name: Set(registration.given_name.clone()),
                usual_name: Set(registration.usual_name.clone()),
                email: Set(registration.email.clone()),
                phone: Set(registration.phone.clone()),
                mandate_function: Set(registration.function.code().to_owned()),
                collectivity_name: Set(registration.collectivity.clone()),
                collectivity_code: Set(registration.collectivity_code.clone()),
                password_hash: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await
            .map_err(|err| StoreError::from_write(err, "members_email"))?
            .id
        }
    };
    let has_membership = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(member_id))
        .one(conn)
        .await?
        .is_some();
    if !has_membership {
        membership::ActiveModel {
            edition_id: Set(edition_id),
            member_id: Set(member_id),
            role: Set(role.code().to_owned()),
            status: Set(status.code().to_owned()),
            status_reason: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .map_err(|err| StoreError::from_write(err, "memberships_edition_member"))?;
    }
    Ok((member_id, !has_membership))
}

/// Sets a member's password hash.
///
/// # Errors
/// `NotFound` for an unknown member; `Db` when the database fails.
pub async fn set_password_hash<C: ConnectionTrait>(
    conn: &C,
    member_id: i32,
    hash: String,
) -> Result<(), StoreError> {
    let mut row = member::Entity::find_by_id(member_id)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_active_model();
    row.password_hash = Set(Some(hash));
    row.update(conn).await?;
    Ok(())
}

/// The member whose e-mail and password match, if any. Takes as long for an unknown e-mail as for a wrong
/// password.
///
/// # Errors
/// `Db` when the database fails.
pub async fn check_local_login<C: ConnectionTrait>(
    conn: &C,
    email: &str,
    password: &str,
) -> Result<Option<i32>, StoreError> {
    let email = email.trim().to_lowercase();
    let found = member::Entity::find()
        .filter(member::Column::Email.eq(email))
        .one(conn)
        .await?;
    let (hash, id) = match &found {
        Some(m) => (m.password_hash.as_deref(), Some(m.id)),
        None => (None, None),
    };
    let password = password.to_owned();
    let hash = hash.unwrap_or(secrets::decoy_hash()).to_owned();
    // Argon2 is CPU-bound by design: keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    Ok(id.filter(|_| matches && found.as_ref().is_some_and(|m| m.password_hash.is_some())))
}

/// Every member of an edition with their membership there (in no particular order).
///
/// # Errors
/// `Db` when the database fails.
pub async fn members_of<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<(member::Model, membership::Model)>, StoreError> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .all(conn)
        .await?;
    let mut members: HashMap<i32, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(memberships.iter().map(|m| m.member_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    Ok(memberships
        .into_iter()
        .filter_map(|ms| Some((members.remove(&ms.member_id)?, ms)))
        .collect())
}

/// Changes a member's status (and its reason) or role in an edition.
///
/// # Errors
/// `NotFound` when the member has no membership there; `Db` when the database fails.
pub async fn update_membership<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    member_id: i32,
    role: Option<Role>,
    status: Option<(MemberStatus, Option<String>)>,
    now: i64,
) -> Result<(), StoreError> {
    let mut row = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(member_id))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_active_model();
    if let Some(role) = role {
        row.role = Set(role.code().to_owned());
    }
    if let Some((status, reason)) = status {
        row.status = Set(status.code().to_owned());
        row.status_reason = Set(reason);
    }
    row.updated_at = Set(now);
    row.update(conn).await?;
    Ok(())
}

/// What an invitation link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationPurpose {
    /// Join the edition with a role, choosing a password.
    Join,
    /// Set a new password for an existing member (reset by an organizer).
    ResetPassword,
}

impl InvitationPurpose {
    fn code(self) -> &'static str {
        match self {
            InvitationPurpose::Join => "join",
            InvitationPurpose::ResetPassword => "reset",
        }
    }
}

/// Creates a single-use link valid for `ttl_ms`; returns the token (shown once, stored hashed).
///
/// # Errors
/// `Db` when the database fails.
#[expect(
    clippy::too_many_arguments,
    reason = "an invitation is these facts; a struct would only rename them"
)]
pub async fn create_invitation<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    purpose: InvitationPurpose,
    role: Role,
    email: Option<String>,
    member_id: Option<i32>,
    created_by: Option<i32>,
    now: i64,
    ttl_ms: i64,
) -> Result<String, StoreError> {
    let token = secrets::new_token_for_store()?;
    invitation::ActiveModel {
        token_hash: Set(secrets::token_hash(&token)),
        purpose: Set(purpose.code().to_owned()),
        edition_id: Set(edition_id),
        role: Set(role.code().to_owned()),
        email: Set(email.map(|e| e.trim().to_lowercase())),
        member_id: Set(member_id),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(now + ttl_ms),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// A valid, unused, unexpired invitation for `token`.
///
/// # Errors
/// `NotFound` when the link is unknown, used or expired (one answer for all three); `Db` otherwise.
pub async fn find_invitation<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: i64,
) -> Result<invitation::Model, StoreError> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(secrets::token_hash(token)))
        .one(conn)
        .await?
        .filter(|i| i.used_at.is_none() && i.expires_at > now)
        .ok_or(StoreError::NotFound)
}

/// What an invitation was issued for, as the domain reads it.
///
/// # Errors
/// `NotFound` for a row this version cannot read (unknown purpose or role, a reset link without its member).
pub fn purpose_of(invite: &invitation::Model) -> Result<Purpose, StoreError> {
    match (invite.purpose.as_str(), invite.member_id) {
        ("join", _) => Ok(Purpose::Join {
            role: Role::from_code(&invite.role).ok_or(StoreError::NotFound)?,
            email: invite.email.as_deref().map(|e| e.trim().to_lowercase()),
        }),
        ("reset", Some(member)) => Ok(Purpose::Reset {
            member: MemberId(member),
        }),
        _ => Err(StoreError::NotFound),
    }
}

/// The member who holds `email`, with their status in `edition_id`.
async fn account_for<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    member_id: Option<i32>,
    email: Option<&str>,
) -> Result<Option<Account>, StoreError> {
    let found = match (member_id, email) {
        (Some(id), _) => member::Entity::find_by_id(id).one(conn).await?,
        (None, Some(email)) => {
            member::Entity::find()
                .filter(member::Column::Email.eq(email.trim().to_lowercase()))
                .one(conn)
                .await?
        }
        (None, None) => None,
    };
    let Some(found) = found else {
        return Ok(None);
    };
    let status = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(found.id))
        .one(conn)
        .await?
        .and_then(|m| MemberStatus::from_code(&m.status));
    Ok(Some(Account {
        member: MemberId(found.id),
        status,
    }))
}

/// Why a link could not be used; nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// The domain refused (`AccountExists`, `InvitationForAnother`, `NotVerified`).
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The use needs a field the form did not carry (a new account's profile, a password).
    #[error("invalid fields")]
    Invalid(Vec<FieldProblem>),
    /// The store failed, or the link is unknown, used or expired (`NotFound`), or was used concurrently.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AcceptError {
    fn from(err: sea_orm::DbErr) -> Self {
        AcceptError::Store(err.into())
    }
}

fn missing(field: Field) -> AcceptError {
    AcceptError::Invalid(vec![FieldProblem {
        field,
        problem: Problem::Missing,
    }])
}

/// What accepting a link did, for the caller to finish after the commit (sessions, live sockets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The member the link was used for.
    pub member_id: i32,
    /// What it did (see [`domain::invitation::use_invitation`]).
    pub used: Use,
}

/// Uses an invitation, as [`domain::invitation::use_invitation`] decides: creates the account of a new address
/// (verified with the link's role, its password set), lets a signed-in member join with their own account (no
/// credential touched), or sets the new password of a reset link's member and ends all of their sessions.
/// Marks the link used. All in one transaction.
///
/// `signed_in` is the browser's member and their address; `form_email` the address typed in the form;
/// `registration` the checked profile of a new account; `password_hash` the new password, when the use sets
/// one.
///
/// # Errors
/// See [`AcceptError`].
pub async fn accept_invitation<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    signed_in: Option<(i32, &str)>,
    form_email: Option<&str>,
    registration: Option<&Registration>,
    password_hash: Option<String>,
    now: i64,
) -> Result<Accepted, AcceptError> {
    let txn = crate::ssr::store::begin_write(db).await?;
    let invite = find_invitation(&txn, token, now).await?;
    let purpose = purpose_of(&invite)?;
    let signed_in_account = match signed_in {
        Some((member, email)) => account_for(&txn, invite.edition_id, Some(member), None)
            .await?
            .map(|account| (account, email)),
        None => None,
    };
    let address = domain::invitation::address_for(&purpose, form_email);
    let account_of = match address.as_deref() {
        Some(address) if signed_in_account.is_none() => {
            account_for(&txn, invite.edition_id, None, Some(address)).await?
        }
        _ => None,
    };
    let used =
        domain::invitation::use_invitation(&purpose, signed_in_account, form_email, account_of)
            .map_err(AcceptError::Refused)?;
    let member_id = match &used {
        Use::CreateAccount { email, role } => {
            let registration = registration.ok_or_else(|| missing(Field::GivenName))?;
            let hash = password_hash.ok_or_else(|| missing(Field::Password))?;
            let registration = Registration {
                email: email.clone(),
                ..registration.clone()
            };
            let (member_id, _) = upsert_membership(
                &txn,
                invite.edition_id,
                &registration,
                *role,
                MemberStatus::Verified,
                now,
            )
            .await?;
            set_password_hash(&txn, member_id, hash).await?;
            member_id
        }
        Use::JoinWithAccount { member, role } => {
            join_edition(&txn, invite.edition_id, member.get(), *role, now).await?;
            member.get()
        }
        Use::ResetPassword { member } => {
            let hash = password_hash.ok_or_else(|| missing(Field::Password))?;
            set_password_hash(&txn, member.get(), hash).await?;
            super::sessions::end_all(&txn, member.get()).await?;
            member.get()
        }
    };
    // Single use, even under a double submit: only the first update finds `used_at` empty.
    let marked = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::Id.eq(invite.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(StoreError::Conflict("invitations_used").into());
    }
    txn.commit().await?;
    Ok(Accepted { member_id, used })
}

/// Gives an existing member a membership in `edition_id` (verified, with `role`), completes a pending one, or
/// sets a verified one's role when `role` is given. Suspended and rejected memberships are refused before.
async fn join_edition<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
    member_id: i32,
    role: Option<Role>,
    now: i64,
) -> Result<(), StoreError> {
    let existing = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .filter(membership::Column::MemberId.eq(member_id))
        .one(conn)
        .await?;
    match existing {
        None => {
            membership::ActiveModel {
                edition_id: Set(edition_id),
                member_id: Set(member_id),
                role: Set(role.unwrap_or(Role::Delegate).code().to_owned()),
                status: Set(MemberStatus::Verified.code().to_owned()),
                status_reason: Set(None),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await
            .map_err(|err| StoreError::from_write(err, "memberships_edition_member"))?;
        }
        Some(row) => {
            let mut row = row.into_active_model();
            if let Some(role) = role {
                row.role = Set(role.code().to_owned());
            }
            row.status = Set(MemberStatus::Verified.code().to_owned());
            row.status_reason = Set(None);
            row.updated_at = Set(now);
            row.update(conn).await?;
        }
    }
    Ok(())
}

/// One line of a CSV import, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub result: Result<(Registration, Role), Vec<FieldProblem>>,
}

/// Reads a delegate list: a header line naming the columns (`prenom`, `nom`, `email`, `fonction`,
/// `collectivite`, `code`, `role`, in any order; French or English names), `;` or `,` separated, UTF-8.
///
/// # Errors
/// A sentence when the file itself cannot be read (no header, a missing column).
pub fn parse_member_csv(text: &str) -> Result<Vec<ImportLine>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|err| format!("en-tête illisible / unreadable header: {err}"))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let columns = [
        find(&["prenom", "prénom", "given_name"]),
        find(&["nom", "usual_name", "name"]),
        find(&["email", "e-mail", "courriel"]),
        find(&["fonction", "function"]),
        find(&["collectivite", "collectivité", "collectivity"]),
        find(&["code", "insee", "siren", "collectivity_code"]),
        find(&["role", "rôle"]),
    ];
    let names = [
        "prenom",
        "nom",
        "email",
        "fonction",
        "collectivite",
        "code",
        "role",
    ];
    let missing: Vec<&str> = columns
        .iter()
        .zip(names)
        .filter(|(c, _)| c.is_none())
        .map(|(_, n)| n)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "colonnes manquantes / missing columns: {}",
            missing.join(", ")
        ));
    }
    let cols: Vec<usize> = columns.into_iter().flatten().collect();
    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let Ok(record) = record else {
            lines.push(ImportLine {
                line,
                email: String::new(),
                result: Err(vec![FieldProblem {
                    field: Field::Email,
                    problem: Problem::Invalid,
                }]),
            });
            continue;
        };
        let get = |i: usize| record.get(cols[i]).unwrap_or_default().to_owned();
        if record.iter().all(str::is_empty) {
            continue;
        }
        let input = RegistrationInput {
            given_name: get(0),
            usual_name: get(1),
            email: get(2),
            phone: String::new(),
            function: get(3),
            collectivity: get(4),
            collectivity_code: get(5),
        };
        let role = parse_role(&get(6));
        let result = match (check_registration(&input), role) {
            (Ok(registration), Some(role)) => Ok((registration, role)),
            (Ok(_), None) => Err(vec![FieldProblem {
                field: Field::Role,
                problem: Problem::Invalid,
            }]),
            (Err(mut problems), role) => {
                if role.is_none() {
                    problems.push(FieldProblem {
                        field: Field::Role,
                        problem: Problem::Invalid,
                    });
                }
                Err(problems)
            }
        };
        lines.push(ImportLine {
            line,
            email: input.email.trim().to_lowercase(),
            result,
        });
    }
    Ok(lines)
}

fn parse_role(text: &str) -> Option<Role> {
    match text.trim().to_lowercase().as_str() {
        "delegue" | "délégué" | "déléguée" | "délégué·e" | "delegate" | "" => {
            Some(Role::Delegate)
        }
        "observateur" | "observatrice" | "observateur·rice" | "observer" => Some(Role::Observer),
        "president" | "présidente" | "président" | "president·e" | "chair" => Some(Role::Chair),
        "organisateur" | "organisatrice" | "organizer" => Some(Role::Organizer),
        other => Role::from_code(other),
    }
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub unchanged: usize,
}

/// Imports the valid lines in one transaction: new people become verified members with the line's role;
/// people already in the edition are left as they are, so importing the same file twice changes nothing.
///
/// # Errors
/// `Db` when the database fails (nothing is imported then).
pub async fn import_members<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    edition_id: i32,
    lines: &[ImportLine],
    now: i64,
) -> Result<ImportReport, StoreError> {
    let valid: Vec<&(Registration, Role)> = lines
        .iter()
        .filter_map(|l| l.result.as_ref().ok())
        .collect();
    let txn = crate::ssr::store::begin_write(db).await?;
    let mut known: HashMap<String, i32> = HashMap::new();
    for chunk in valid.chunks(500) {
        let emails: Vec<String> = chunk.iter().map(|(r, _)| r.email.clone()).collect();
        for m in member::Entity::find()
            .filter(member::Column::Email.is_in(emails))
            .all(&txn)
            .await?
        {
            known.insert(m.email, m.id);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let new_members: Vec<member::ActiveModel> = valid
        .iter()
        .filter(|(r, _)| !known.contains_key(&r.email) && seen.insert(r.email.clone()))
        .map(|(r, _)| member::ActiveModel {
            given_name: Set(r.given_name.clone()),
            usual_name: Set(r.usual_name.clone()),
            email: Set(r.email.clone()),
            phone: Set(r.phone.clone()),
            mandate_function: Set(r.function.code().to_owned()),
            collectivity_name: Set(r.collectivity.clone()),
            collectivity_code: Set(r.collectivity_code.clone()),
            password_hash: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in new_members.chunks(200) {
        member::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let emails: Vec<String> = valid.iter().map(|(r, _)| r.email.clone()).collect();
    for chunk in emails.chunks(500) {
        for m in member::Entity::find()
            .filter(member::Column::Email.is_in(chunk.to_vec()))
            .all(&txn)
            .await?
        {
            known.insert(m.email, m.id);
        }
    }
    let existing: std::collections::HashSet<i32> = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect();
    let mut added = std::collections::HashSet::new();
    let new_memberships: Vec<membership::ActiveModel> = valid
        .iter()
        .filter_map(|(r, role)| {
            let id = *known.get(&r.email)?;
            (!existing.contains(&id) && added.insert(id)).then(|| membership::ActiveModel {
                edition_id: Set(edition_id),
                member_id: Set(id),
                role: Set(role.code().to_owned()),
                status: Set(MemberStatus::Verified.code().to_owned()),
                status_reason: Set(None),
                updated_at: Set(now),
                ..Default::default()
            })
        })
        .collect();
    let created = new_memberships.len();
    for chunk in new_memberships.chunks(200) {
        membership::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(ImportReport {
        created,
        unchanged: valid.len() - created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_csv_with_french_headers_is_read_with_per_line_problems() {
        let csv = "prénom;nom;email;fonction;collectivité;code;rôle\n\
                   Amélie;Rousseau;amelie@ville.fr;adjoint;Ville;63342;délégué\n\
                   ;Martin;pas-un-mail;roi;Ville;123;astronaute\n";
        let lines = parse_member_csv(csv).expect("readable");
        assert_eq!(lines.len(), 2);
        assert!(lines[0].result.is_ok());
        assert_eq!(lines[1].line, 3);
        let problems = lines[1].result.as_ref().expect_err("bad line");
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::GivenName,
                Field::Email,
                Field::Function,
                Field::CollectivityCode,
                Field::Role
            ]
        );
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused_whole() {
        let error = parse_member_csv("name,mail\nA,b@c.fr\n").expect_err("refused");
        assert!(error.contains("email"), "{error}");
    }
}
