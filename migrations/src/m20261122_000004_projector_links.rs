//! Read-only links for the hall's projector: whoever holds one sees a motion live without signing in. Only the
//! SHA-256 of the key is stored, like sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProjectorLinks::Table)
                    .col(pk_auto(ProjectorLinks::Id))
                    .col(integer(ProjectorLinks::MotionId))
                    .col(string(ProjectorLinks::KeyHash))
                    .col(integer(ProjectorLinks::CreatedBy))
                    .col(big_integer(ProjectorLinks::CreatedAt))
                    .col(big_integer_null(ProjectorLinks::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_projector_links_motion")
                            .from(ProjectorLinks::Table, ProjectorLinks::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_projector_links_key_hash")
                    .table(ProjectorLinks::Table)
                    .col(ProjectorLinks::KeyHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProjectorLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProjectorLinks {
    Table,
    Id,
    MotionId,
    KeyHash,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Motions {
    Table,
    Id,
}
