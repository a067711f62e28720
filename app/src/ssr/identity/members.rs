//! Members, their memberships per edition, invitations and the CSV import: reads and writes.

use std::collections::HashMap;

use domain::{
    member::{MemberStatus, Role},
    registration::{
        Field, FieldProblem, Problem, Registration, RegistrationInput, check_registration,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::secrets;
use crate::api::MemberRowDto;
use crate::ssr::store::{
    StoreError,
    entities::{edition, invitation, member, membership},
};

/// The edition people register for and act in: the one that starts last.
///
/// # Errors
/// `Db` when the database fails.
pub async fn current_edition_id<C: ConnectionTrait>(conn: &C) -> Result<Option<i32>, StoreError> {
    Ok(edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .order_by_desc(edition::Column::Id)
        .one(conn)
        .await?
        .map(|e| e.id))
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

/// Every member of an edition, pending first, then by name.
///
/// # Errors
/// `Db` when the database fails.
pub async fn list_members<C: ConnectionTrait>(
    conn: &C,
    edition_id: i32,
) -> Result<Vec<MemberRowDto>, StoreError> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::EditionId.eq(edition_id))
        .all(conn)
        .await?;
    let members: HashMap<i32, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(memberships.iter().map(|m| m.member_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut rows: Vec<MemberRowDto> = memberships
        .into_iter()
        .filter_map(|ms| {
            let m = members.get(&ms.member_id)?;
            Some(MemberRowDto {
                member_id: m.id,
                given_name: m.given_name.clone(),
                usual_name: m.usual_name.clone(),
                email: m.email.clone(),
                function: m.mandate_function.clone(),
                collectivity: m.collectivity_name.clone(),
                collectivity_code: m.collectivity_code.clone(),
                role: Role::from_code(&ms.role)?,
                status: MemberStatus::from_code(&ms.status)?,
                status_reason: ms.status_reason,
                has_password: m.password_hash.is_some(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (
            a.status != MemberStatus::Pending,
            a.usual_name.to_lowercase(),
            a.given_name.to_lowercase(),
        )
            .cmp(&(
                b.status != MemberStatus::Pending,
                b.usual_name.to_lowercase(),
                b.given_name.to_lowercase(),
            ))
    });
    Ok(rows)
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

/// Uses an invitation: a join link creates (or completes) the member, verified in its edition with the
/// invitation's role; a reset link targets its member. Sets the password, marks the link used, and ends the
/// member's other sessions. All in one transaction. Returns the member id.
///
/// # Errors
/// `NotFound` for an unknown, used or expired link; `Conflict` when the link was used concurrently.
pub async fn accept_invitation<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    registration: Option<&Registration>,
    password_hash: String,
    now: i64,
) -> Result<i32, StoreError> {
    let txn = db.begin().await?;
    let invite = find_invitation(&txn, token, now).await?;
    let member_id = match (invite.purpose.as_str(), invite.member_id, registration) {
        ("reset", Some(member_id), _) => member_id,
        ("join", _, Some(registration)) => {
            let role = Role::from_code(&invite.role).unwrap_or(Role::Delegate);
            let (member_id, _) = upsert_membership(
                &txn,
                invite.edition_id,
                registration,
                role,
                MemberStatus::Verified,
                now,
            )
            .await?;
            member_id
        }
        _ => return Err(StoreError::NotFound),
    };
    set_password_hash(&txn, member_id, password_hash).await?;
    // Single use, even under a double submit: only the first update finds `used_at` empty.
    let used = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::Id.eq(invite.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(StoreError::Conflict("invitations_used"));
    }
    super::sessions::end_all(&txn, member_id).await?;
    txn.commit().await?;
    Ok(member_id)
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
    let txn = db.begin().await?;
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
