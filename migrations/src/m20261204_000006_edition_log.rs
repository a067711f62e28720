//! The edition's own append-only, hash-chained log (rules of procedure, proxies), beside each motion's. Same
//! shape and same hashing as `motion_events`; the `proxies` table and `editions.procedure` are its read models.
//! Proxies and rules recorded before this migration stay as they were, outside any log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EditionEvents::Table)
                    .col(integer(EditionEvents::EditionId))
                    .col(big_integer(EditionEvents::Seq))
                    .col(string(EditionEvents::Kind))
                    .col(integer_null(EditionEvents::ActorId))
                    .col(big_integer(EditionEvents::OccurredAt))
                    .col(text(EditionEvents::Payload))
                    .col(string(EditionEvents::PrevHash))
                    .col(string(EditionEvents::Hash))
                    .primary_key(
                        Index::create()
                            .name("pk_edition_events")
                            .col(EditionEvents::EditionId)
                            .col(EditionEvents::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_edition_events_edition")
                            .from(EditionEvents::Table, EditionEvents::EditionId)
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EditionEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EditionEvents {
    Table,
    EditionId,
    Seq,
    Kind,
    ActorId,
    OccurredAt,
    Payload,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
}
