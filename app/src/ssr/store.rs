//! Storage on sea-orm: connection, migrations, and the queries and writes of each resource.
//! One error type (`StoreError`) maps database failures to facts the API can answer with.

pub mod amendments;
pub mod ballots;
pub mod commands;
pub mod editions;
pub mod entities;
pub mod export;
pub mod log;
pub mod motions;
pub mod projection;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, RuntimeErr, SqlErr, TransactionTrait,
};

/// What the store can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A named unique constraint was hit, usually by a concurrent write.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl StoreError {
    /// Maps a unique-constraint violation to `Conflict(name)`, anything else to `Db`.
    pub fn from_write(err: DbErr, constraint: &'static str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(constraint),
            _ => StoreError::Db(err),
        }
    }
}

/// Why a command did not happen; the log is untouched in both cases.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The domain refused the command.
    #[error("refused: {0:?}")]
    Refused(domain::refusal::Refusal),
    /// The store failed (after retries for lost races).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once, as `BEGIN IMMEDIATE` does
/// (which sea-orm cannot issue): a transaction that first reads and then writes would otherwise fail with
/// `SQLITE_BUSY_SNAPSHOT` (517) — without waiting for the busy timeout — whenever another connection committed
/// in between, e.g. two motions written at once. The lock is taken by a write that changes nothing.
///
/// # Errors
/// `Db` when the database fails or stays locked past the busy timeout.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        txn.execute_unprepared("UPDATE motions SET id = id WHERE 0")
            .await?;
    }
    Ok(txn)
}

/// Whether a failure is transient and the whole transaction worth trying again, by the engine's error code
/// (never by the message's text): SQLite busy or locked (5, 6 and their extended codes), PostgreSQL
/// serialization failures and deadlocks (40001, 40P01).
pub fn is_transient(err: &DbErr) -> bool {
    let code = match err {
        DbErr::Exec(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(db)))
        | DbErr::Query(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(db))) => db.code(),
        _ => None,
    };
    let Some(code) = code else {
        return matches!(err, DbErr::ConnectionAcquire(_));
    };
    match code.parse::<i32>() {
        // SQLite: the primary code is the low byte of the extended one (517 = SQLITE_BUSY_SNAPSHOT).
        Ok(sqlite) => matches!(sqlite & 0xff, 5 | 6),
        Err(_) => matches!(code.as_ref(), "40001" | "40P01"),
    }
}

/// A short reference shown to the user and written in the log next to the cause.
pub fn error_reference() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("E-{}", id[..8].to_ascii_uppercase())
}

/// Why the database could not be opened, said for an operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "DATABASE_URL n’est pas une adresse SQLite ou PostgreSQL valide / DATABASE_URL is not a valid SQLite or PostgreSQL URL: {0}"
    )]
    BadUrl(String),
    #[error(
        "impossible de créer le dossier de données {path} / cannot create the data folder {path}: {cause}"
    )]
    DataDir { path: String, cause: String },
    #[error(
        "base de données injoignable / database unreachable ({url}): {cause}. Vérifiez DATABASE_URL et que le serveur tourne / check DATABASE_URL and that the server is running."
    )]
    Unreachable { url: String, cause: String },
    #[error("la migration du schéma a échoué / the schema migration failed: {0}")]
    Migration(String),
}

/// Hides the password of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Opens the database named by `url` (SQLite file or PostgreSQL), creating the SQLite file and its folder if
/// needed, and applies pending migrations.
///
/// # Errors
/// See [`OpenError`]: every variant says what is wrong and what to do.
pub async fn open(url: &str) -> Result<DatabaseConnection, OpenError> {
    let is_sqlite = url.starts_with("sqlite:");
    if !is_sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        return Err(OpenError::BadUrl(redact_url(url)));
    }
    if is_sqlite {
        prepare_sqlite_dir(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if is_sqlite {
        // WAL lets readers proceed during a write; foreign keys and the busy timeout are per connection.
        // `synchronous=FULL`: a commit (an acknowledged vote among others) survives a power cut, not only a crash.
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .create_if_missing(true)
            });
    } else {
        options.max_connections(20).min_connections(1);
    }
    let db = Database::connect(options).await.map_err(|err| match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => OpenError::Unreachable {
            url: redact_url(url),
            cause: err.to_string(),
        },
        other => OpenError::BadUrl(format!("{}: {other}", redact_url(url))),
    })?;
    // Connecting lazily can succeed without a server: ask it something.
    db.ping().await.map_err(|err| OpenError::Unreachable {
        url: redact_url(url),
        cause: err.to_string(),
    })?;
    Migrator::up(&db, None)
        .await
        .map_err(|err| OpenError::Migration(err.to_string()))?;
    Ok(db)
}

fn prepare_sqlite_dir(url: &str) -> Result<(), OpenError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|err| OpenError::DataDir {
        path: dir.display().to_string(),
        cause: err.to_string(),
    })?;
    // Fail now, with a clear message, rather than at the first write.
    let probe = dir.join(".hemicycle-write-test");
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|err| OpenError::DataDir {
            path: dir.display().to_string(),
            cause: err.to_string(),
        })
}

/// Whether the database answers, for `/healthz`.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// Which engine the connection talks to, for logs and health.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => "sqlite",
        DatabaseBackend::Postgres => "postgresql",
        DatabaseBackend::MySql => "mysql",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_appear_in_shown_urls() {
        assert_eq!(
            redact_url("postgres://hemicycle:s3cret@db:5432/hemicycle"),
            "postgres://hemicycle:***@db:5432/hemicycle"
        );
        assert_eq!(
            redact_url("sqlite://data/hemicycle.db"),
            "sqlite://data/hemicycle.db"
        );
    }

    #[test]
    fn error_references_are_short_and_distinct() {
        let (a, b) = (error_reference(), error_reference());
        assert_eq!(a.len(), 10);
        assert!(a.starts_with("E-"));
        assert_ne!(a, b);
    }
}
