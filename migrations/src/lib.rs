//! Hémicycle's schema: one ordered migration set that runs unchanged on SQLite and PostgreSQL.
//! Must not depend on the application's entities: a migration describes the tables as they were when it was written.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_motion_text;
mod m20261122_000002_identity;
mod m20261122_000003_amendments;
mod m20261122_000004_projector_links;
mod m20261122_000005_votes;
mod m20261204_000006_edition_log;

/// The ordered list of migrations, applied at start-up.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_motion_text::Migration),
            Box::new(m20261122_000002_identity::Migration),
            Box::new(m20261122_000003_amendments::Migration),
            Box::new(m20261122_000004_projector_links::Migration),
            Box::new(m20261122_000005_votes::Migration),
            Box::new(m20261204_000006_edition_log::Migration),
        ]
    }
}
