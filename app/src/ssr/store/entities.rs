//! sea-orm entities: the materialized tables as the server reads and writes them today.
//! Migrations describe the schema on their own; these must follow them.

/// An edition of the congress.
pub mod edition {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "editions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        pub title: String,
        pub place: String,
        pub starts_on: String,
        pub ends_on: String,
        pub created_at: i64,
        /// The rules of procedure as JSON (`domain::ballot::Procedure`); `None`: the defaults.
        #[sea_orm(column_type = "Text", nullable)]
        pub procedure: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A motion of an edition.
pub mod motion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "motions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub edition_id: i32,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub preamble: String,
        pub phase: String,
        pub line_width: i32,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A titled section of a motion.
pub mod section {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sections")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub motion_id: i32,
        pub position: i32,
        pub title: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A paragraph's stable identity and place; its text is in `paragraph_version`.
pub mod paragraph {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "paragraphs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub motion_id: i32,
        pub section_id: i32,
        pub position: i32,
        /// The number of the current version (1 for the initial text).
        pub current_version: i32,
        pub deleted: bool,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An immutable text of a paragraph and why it exists.
pub mod paragraph_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "paragraph_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub paragraph_id: i32,
        pub number: i32,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub reason: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub reason_detail: Option<String>,
        /// The log event that created this version.
        pub event_seq: i64,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One entry of a motion's append-only, hash-chained log.
pub mod motion_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "motion_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub motion_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub kind: String,
        pub actor_id: Option<i32>,
        pub occurred_at: i64,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One entry of an edition's own log (rules of procedure, proxies), chained like a motion's.
pub mod edition_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "edition_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub edition_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub kind: String,
        pub actor_id: Option<i32>,
        pub occurred_at: i64,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A person: an elected official (or an organizer, an observer) with a mandate.
pub mod member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "members")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub given_name: String,
        pub usual_name: String,
        #[sea_orm(unique)]
        pub email: String,
        pub phone: Option<String>,
        pub mandate_function: String,
        pub collectivity_name: String,
        pub collectivity_code: String,
        pub password_hash: Option<String>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A member's role and status in one edition.
pub mod membership {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub edition_id: i32,
        pub member_id: i32,
        pub role: String,
        pub status: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub status_reason: Option<String>,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A server-side session; only the hash of its id is stored.
pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id_hash: String,
        pub member_id: i32,
        pub created_at: i64,
        pub expires_at: i64,
        /// `hall` or `remote` (see `domain::member::Attendance`).
        pub attendance: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A single-use link: to join an edition with a role, or to set a new password.
pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub purpose: String,
        pub edition_id: i32,
        pub role: String,
        pub email: Option<String>,
        pub member_id: Option<i32>,
        pub created_by: Option<i32>,
        pub created_at: i64,
        pub expires_at: i64,
        pub used_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An OpenID Connect login under way (state, nonce, PKCE verifier), deleted when used.
pub mod login_flow {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_flows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub state_hash: String,
        #[sea_orm(column_type = "Text")]
        pub pending: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An amendment as materialized from the motion's log (the log is the truth; this row serves lists and counts).
pub mod amendment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "amendments")]
    pub struct Model {
        /// The domain's `AmendmentId`, allocated by the command path.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub motion_id: i32,
        /// "Amendement n° N", sequential per motion.
        pub number: i32,
        pub author_id: i32,
        /// `replace`, `delete` or `insert`.
        pub kind: String,
        pub paragraph_id: Option<i32>,
        pub section_id: Option<i32>,
        pub after_paragraph_id: Option<i32>,
        pub base_version: Option<i32>,
        #[sea_orm(column_type = "Text", nullable)]
        pub text: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub rationale: String,
        /// An `AmendmentStatusCode` code.
        pub status: String,
        /// The inadmissibility reason, or the fall reason as JSON.
        #[sea_orm(column_type = "Text", nullable)]
        pub status_reason: Option<String>,
        /// The text rebased onto the current version, when stale and rebased.
        #[sea_orm(column_type = "Text", nullable)]
        pub rebased_text: Option<String>,
        pub conflicted: bool,
        pub created_at: i64,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A co-signature of an amendment.
pub mod amendment_cosigner {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "amendment_cosigners")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub amendment_id: i32,
        pub member_id: i32,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A read-only projector link of a motion; only the hash of its key is stored.
pub mod projector_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "projector_links")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub motion_id: i32,
        pub key_hash: String,
        pub created_by: i32,
        pub created_at: i64,
        pub revoked_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A ballot of a motion, as the vote writer needs it (the log holds the rest).
pub mod ballot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ballots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub motion_id: i32,
        pub edition_id: i32,
        pub number: i32,
        pub subject_kind: String,
        pub subject_id: Option<i32>,
        /// `open` or `closed`.
        pub status: String,
        pub allow_change: bool,
        pub live_results: bool,
        pub opened_at: i64,
        pub closes_at: Option<i64>,
        pub closed_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The vote counted for one represented member in one ballot (unique per pair).
pub mod vote {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "votes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ballot_id: i32,
        pub represented_id: i32,
        pub cast_by: i32,
        pub choice: String,
        pub receipt_key: String,
        pub cast_at: i64,
        pub changes: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A proxy: `holder_id` votes for `represented_id` from `starts_at` to `ends_at` (ms), unless revoked.
pub mod proxy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proxies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub edition_id: i32,
        pub holder_id: i32,
        pub represented_id: i32,
        pub starts_at: i64,
        pub ends_at: i64,
        pub created_by: i32,
        pub created_at: i64,
        pub revoked_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The answer given to one client idempotency key: a replay of the key gets it again, unchanged.
pub mod vote_receipt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vote_receipts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub ballot_id: i32,
        pub represented_id: i32,
        pub cast_by: i32,
        pub choice: String,
        pub recorded_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
