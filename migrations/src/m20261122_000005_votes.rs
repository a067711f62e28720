//! Ballots, votes, receipts, proxies and the frozen list of eligible voters; the edition's rules of procedure.
//!
//! Opening and closing a ballot are events of the motion's log; the votes are not (thousands arrive in
//! seconds): one row per (ballot, represented member), which the database keeps unique whatever the number of
//! tabs, retries or server instances, and one receipt per client idempotency key, so a replay gets the answer
//! it got the first time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // NULL: the default rules of procedure (see `domain::ballot::Procedure`).
        manager
            .alter_table(
                Table::alter()
                    .table(Editions::Table)
                    .add_column(text_null(Editions::Procedure))
                    .to_owned(),
            )
            .await?;

        // The id is the domain's `BallotId`, allocated by the command path (it is in the log before the row).
        manager
            .create_table(
                Table::create()
                    .table(Ballots::Table)
                    .col(integer(Ballots::Id).primary_key())
                    .col(integer(Ballots::MotionId))
                    .col(integer(Ballots::EditionId))
                    .col(integer(Ballots::Number))
                    .col(string(Ballots::SubjectKind))
                    .col(integer_null(Ballots::SubjectId))
                    .col(string(Ballots::Status))
                    .col(boolean(Ballots::AllowChange))
                    .col(boolean(Ballots::LiveResults))
                    .col(big_integer(Ballots::OpenedAt))
                    .col(big_integer_null(Ballots::ClosesAt))
                    .col(big_integer_null(Ballots::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ballots_motion")
                            .from(Ballots::Table, Ballots::MotionId)
                            .to(Motions::Table, Motions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ballots_status")
                    .table(Ballots::Table)
                    .col(Ballots::Status)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Votes::Table)
                    .col(pk_auto(Votes::Id))
                    .col(integer(Votes::BallotId))
                    .col(integer(Votes::RepresentedId))
                    .col(integer(Votes::CastBy))
                    .col(string(Votes::Choice))
                    .col(string(Votes::ReceiptKey))
                    .col(big_integer(Votes::CastAt))
                    .col(integer(Votes::Changes).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_votes_ballot")
                            .from(Votes::Table, Votes::BallotId)
                            .to(Ballots::Table, Ballots::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One vote per represented member and ballot: the rule "never counted twice", held by the database.
        manager
            .create_index(
                Index::create()
                    .name("ux_votes_ballot_represented")
                    .table(Votes::Table)
                    .col(Votes::BallotId)
                    .col(Votes::RepresentedId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VoteReceipts::Table)
                    .col(string(VoteReceipts::Key).primary_key())
                    .col(integer(VoteReceipts::BallotId))
                    .col(integer(VoteReceipts::RepresentedId))
                    .col(integer(VoteReceipts::CastBy))
                    .col(string(VoteReceipts::Choice))
                    .col(big_integer(VoteReceipts::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_vote_receipts_ballot")
                            .from(VoteReceipts::Table, VoteReceipts::BallotId)
                            .to(Ballots::Table, Ballots::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_vote_receipts_ballot")
                    .table(VoteReceipts::Table)
                    .col(VoteReceipts::BallotId)
                    .col(VoteReceipts::RepresentedId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BallotVoters::Table)
                    .col(integer(BallotVoters::BallotId))
                    .col(integer(BallotVoters::MemberId))
                    .primary_key(
                        Index::create()
                            .col(BallotVoters::BallotId)
                            .col(BallotVoters::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ballot_voters_ballot")
                            .from(BallotVoters::Table, BallotVoters::BallotId)
                            .to(Ballots::Table, Ballots::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Proxies::Table)
                    .col(pk_auto(Proxies::Id))
                    .col(integer(Proxies::EditionId))
                    .col(integer(Proxies::HolderId))
                    .col(integer(Proxies::RepresentedId))
                    .col(big_integer(Proxies::StartsAt))
                    .col(big_integer(Proxies::EndsAt))
                    .col(integer(Proxies::CreatedBy))
                    .col(big_integer(Proxies::CreatedAt))
                    .col(big_integer_null(Proxies::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_proxies_edition")
                            .from(Proxies::Table, Proxies::EditionId)
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_proxies_edition")
                    .table(Proxies::Table)
                    .col(Proxies::EditionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Proxies::Table.into_iden(),
            BallotVoters::Table.into_iden(),
            VoteReceipts::Table.into_iden(),
            Votes::Table.into_iden(),
            Ballots::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Editions::Table)
                    .drop_column(Editions::Procedure)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
    Procedure,
}

#[derive(DeriveIden)]
enum Motions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    Id,
    MotionId,
    EditionId,
    Number,
    SubjectKind,
    SubjectId,
    Status,
    AllowChange,
    LiveResults,
    OpenedAt,
    ClosesAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
    BallotId,
    RepresentedId,
    CastBy,
    Choice,
    ReceiptKey,
    CastAt,
    Changes,
}

#[derive(DeriveIden)]
enum VoteReceipts {
    Table,
    Key,
    BallotId,
    RepresentedId,
    CastBy,
    Choice,
    RecordedAt,
}

#[derive(DeriveIden)]
enum BallotVoters {
    Table,
    BallotId,
    MemberId,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    Id,
    EditionId,
    HolderId,
    RepresentedId,
    StartsAt,
    EndsAt,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}
