//! People and access: members with their mandate, their role and status per edition, server-side sessions,
//! single-use invitation links, and pending OpenID Connect logins.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(pk_auto(Members::Id))
                    .col(string(Members::GivenName))
                    .col(string(Members::UsualName))
                    // Stored lowercased: the e-mail is how a person is matched, also after an OpenID login.
                    .col(string_uniq(Members::Email))
                    .col(string_null(Members::Phone))
                    .col(string(Members::MandateFunction))
                    .col(string(Members::CollectivityName))
                    .col(string(Members::CollectivityCode))
                    .col(string_null(Members::PasswordHash))
                    .col(big_integer(Members::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(pk_auto(Memberships::Id))
                    .col(integer(Memberships::EditionId))
                    .col(integer(Memberships::MemberId))
                    .col(string(Memberships::Role))
                    .col(string(Memberships::Status))
                    .col(text_null(Memberships::StatusReason))
                    .col(big_integer(Memberships::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_edition")
                            .from(Memberships::Table, Memberships::EditionId)
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_member")
                            .from(Memberships::Table, Memberships::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_memberships_edition_member")
                    .table(Memberships::Table)
                    .col(Memberships::EditionId)
                    .col(Memberships::MemberId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Only a hash of the session id is stored: a leaked table does not leak sessions.
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string(Sessions::IdHash).primary_key())
                    .col(integer(Sessions::MemberId))
                    .col(big_integer(Sessions::CreatedAt))
                    .col(big_integer(Sessions::ExpiresAt))
                    // In the hall or remote: chosen at sign-in, per device, changeable.
                    .col(string(Sessions::Attendance).default("remote"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_member")
                            .from(Sessions::Table, Sessions::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_member")
                    .table(Sessions::Table)
                    .col(Sessions::MemberId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_auto(Invitations::Id))
                    .col(string_uniq(Invitations::TokenHash))
                    .col(string(Invitations::Purpose))
                    .col(integer(Invitations::EditionId))
                    .col(string(Invitations::Role))
                    .col(string_null(Invitations::Email))
                    .col(integer_null(Invitations::MemberId))
                    .col(integer_null(Invitations::CreatedBy))
                    .col(big_integer(Invitations::CreatedAt))
                    .col(big_integer(Invitations::ExpiresAt))
                    .col(big_integer_null(Invitations::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_edition")
                            .from(Invitations::Table, Invitations::EditionId)
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFlows::Table)
                    .col(string(LoginFlows::StateHash).primary_key())
                    .col(text(LoginFlows::Pending))
                    .col(big_integer(LoginFlows::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginFlows::Table.into_iden(),
            Invitations::Table.into_iden(),
            Sessions::Table.into_iden(),
            Memberships::Table.into_iden(),
            Members::Table.into_iden(),
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
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    GivenName,
    UsualName,
    Email,
    Phone,
    MandateFunction,
    CollectivityName,
    CollectivityCode,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    EditionId,
    MemberId,
    Role,
    Status,
    StatusReason,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    MemberId,
    CreatedAt,
    ExpiresAt,
    Attendance,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    TokenHash,
    Purpose,
    EditionId,
    Role,
    Email,
    MemberId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginFlows {
    Table,
    StateHash,
    Pending,
    CreatedAt,
}
