//! Editions, motions, sections, paragraphs with stable ids, immutable paragraph versions and the motion's
//! append-only, hash-chained event log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Editions::Table)
                    .col(pk_auto(Editions::Id))
                    .col(string_uniq(Editions::Slug))
                    .col(string(Editions::Title))
                    .col(string(Editions::Place))
                    .col(string(Editions::StartsOn))
                    .col(string(Editions::EndsOn))
                    .col(big_integer(Editions::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Motions::Table)
                    .col(pk_auto(Motions::Id))
                    .col(integer(Motions::EditionId))
                    .col(string(Motions::Title))
                    .col(text(Motions::Preamble))
                    .col(string(Motions::Phase))
                    .col(integer(Motions::LineWidth))
                    .col(big_integer(Motions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_motions_edition")
                            .from(Motions::Table, Motions::EditionId)
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_motions_edition_title")
                    .table(Motions::Table)
                    .col(Motions::EditionId)
                    .col(Motions::Title)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sections::Table)
                    .col(pk_auto(Sections::Id))
                    .col(integer(Sections::MotionId))
                    .col(integer(Sections::Position))
                    .col(string(Sections::Title))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sections_motion")
                            .from(Sections::Table, Sections::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sections_motion_position")
                    .table(Sections::Table)
                    .col(Sections::MotionId)
                    .col(Sections::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // A paragraph row is the paragraph's stable identity: its id never changes, whatever happens to its text
        // or its place. The text lives in immutable versions.
        manager
            .create_table(
                Table::create()
                    .table(Paragraphs::Table)
                    .col(pk_auto(Paragraphs::Id))
                    .col(integer(Paragraphs::MotionId))
                    .col(integer(Paragraphs::SectionId))
                    .col(integer(Paragraphs::Position))
                    .col(integer(Paragraphs::CurrentVersion))
                    .col(boolean(Paragraphs::Deleted).default(false))
                    .col(big_integer(Paragraphs::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paragraphs_motion")
                            .from(Paragraphs::Table, Paragraphs::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paragraphs_section")
                            .from(Paragraphs::Table, Paragraphs::SectionId)
                            .to(Sections::Table, Sections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_paragraphs_section_position")
                    .table(Paragraphs::Table)
                    .col(Paragraphs::SectionId)
                    .col(Paragraphs::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ParagraphVersions::Table)
                    .col(pk_auto(ParagraphVersions::Id))
                    .col(integer(ParagraphVersions::ParagraphId))
                    .col(integer(ParagraphVersions::Number))
                    .col(text(ParagraphVersions::Body))
                    .col(string(ParagraphVersions::Reason))
                    .col(text_null(ParagraphVersions::ReasonDetail))
                    .col(big_integer(ParagraphVersions::EventSeq))
                    .col(big_integer(ParagraphVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_versions_paragraph")
                            .from(ParagraphVersions::Table, ParagraphVersions::ParagraphId)
                            .to(Paragraphs::Table, Paragraphs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_versions_paragraph_number")
                    .table(ParagraphVersions::Table)
                    .col(ParagraphVersions::ParagraphId)
                    .col(ParagraphVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // The primary key (motion, seq) is what makes the log gapless and single-writer: two concurrent appends
        // that read the same head cannot both commit.
        manager
            .create_table(
                Table::create()
                    .table(MotionEvents::Table)
                    .col(integer(MotionEvents::MotionId))
                    .col(big_integer(MotionEvents::Seq))
                    .col(string(MotionEvents::Kind))
                    .col(integer_null(MotionEvents::ActorId))
                    .col(big_integer(MotionEvents::OccurredAt))
                    .col(text(MotionEvents::Payload))
                    .col(string(MotionEvents::PrevHash))
                    .col(string(MotionEvents::Hash))
                    .primary_key(
                        Index::create()
                            .name("pk_motion_events")
                            .col(MotionEvents::MotionId)
                            .col(MotionEvents::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_events_motion")
                            .from(MotionEvents::Table, MotionEvents::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MotionEvents::Table.into_iden(),
            ParagraphVersions::Table.into_iden(),
            Paragraphs::Table.into_iden(),
            Sections::Table.into_iden(),
            Motions::Table.into_iden(),
            Editions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
    Slug,
    Title,
    Place,
    StartsOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Motions {
    Table,
    Id,
    EditionId,
    Title,
    Preamble,
    Phase,
    LineWidth,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sections {
    Table,
    Id,
    MotionId,
    Position,
    Title,
}

#[derive(DeriveIden)]
enum Paragraphs {
    Table,
    Id,
    MotionId,
    SectionId,
    Position,
    CurrentVersion,
    Deleted,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ParagraphVersions {
    Table,
    Id,
    ParagraphId,
    Number,
    Body,
    Reason,
    ReasonDetail,
    EventSeq,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MotionEvents {
    Table,
    MotionId,
    Seq,
    Kind,
    ActorId,
    OccurredAt,
    Payload,
    PrevHash,
    Hash,
}
