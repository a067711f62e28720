//! Materialized amendments and their co-signatories, kept in step with the motion's log by the command path
//! (`app::ssr::store::commands`). The log stays the source of truth; these rows serve lists and counts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The id is the domain's `AmendmentId`, allocated by the command path inside its transaction (not an
        // auto-increment): the id is written in the log before the row exists.
        manager
            .create_table(
                Table::create()
                    .table(Amendments::Table)
                    .col(integer(Amendments::Id).primary_key())
                    .col(integer(Amendments::MotionId))
                    .col(integer(Amendments::Number))
                    .col(integer(Amendments::AuthorId))
                    .col(string(Amendments::Kind))
                    .col(integer_null(Amendments::ParagraphId))
                    .col(integer_null(Amendments::SectionId))
                    .col(integer_null(Amendments::AfterParagraphId))
                    .col(integer_null(Amendments::BaseVersion))
                    .col(text_null(Amendments::Text))
                    .col(text(Amendments::Rationale))
                    .col(string(Amendments::Status))
                    .col(text_null(Amendments::StatusReason))
                    .col(text_null(Amendments::RebasedText))
                    .col(boolean(Amendments::Conflicted).default(false))
                    .col(big_integer(Amendments::CreatedAt))
                    .col(big_integer(Amendments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_amendments_motion")
                            .from(Amendments::Table, Amendments::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_amendments_author")
                            .from(Amendments::Table, Amendments::AuthorId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_amendments_motion_number")
                    .table(Amendments::Table)
                    .col(Amendments::MotionId)
                    .col(Amendments::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_amendments_paragraph")
                    .table(Amendments::Table)
                    .col(Amendments::ParagraphId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AmendmentCosigners::Table)
                    .col(pk_auto(AmendmentCosigners::Id))
                    .col(integer(AmendmentCosigners::AmendmentId))
                    .col(integer(AmendmentCosigners::MemberId))
                    .col(big_integer(AmendmentCosigners::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cosigners_amendment")
                            .from(AmendmentCosigners::Table, AmendmentCosigners::AmendmentId)
                            .to(Amendments::Table, Amendments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cosigners_member")
                            .from(AmendmentCosigners::Table, AmendmentCosigners::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_cosigners_amendment_member")
                    .table(AmendmentCosigners::Table)
                    .col(AmendmentCosigners::AmendmentId)
                    .col(AmendmentCosigners::MemberId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AmendmentCosigners::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Amendments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Amendments {
    Table,
    Id,
    MotionId,
    Number,
    AuthorId,
    Kind,
    ParagraphId,
    SectionId,
    AfterParagraphId,
    BaseVersion,
    Text,
    Rationale,
    Status,
    StatusReason,
    RebasedText,
    Conflicted,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AmendmentCosigners {
    Table,
    Id,
    AmendmentId,
    MemberId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Motions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
}
