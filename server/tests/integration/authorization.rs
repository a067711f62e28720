//! The authorization matrix: every kind of caller (visitor, unverified, rejected and suspended members,
//! observer, delegates, chair, organizer) × every server function that changes something or reads what is
//! restricted × the motion's phases, through the real HTTP interface, on both engines, checked against one
//! expected-outcome table written by hand from the product's rules (`domain::policy` and the server
//! functions' documented refusals), never derived from the code under test.
//!
//! Allowed calls get fresh, valid arguments (their own amendment, ballot, proxy, invitation…), so "allowed"
//! means 200 and a missing role check shows up as a 200 where the table says 401, 403 or 422. Refused calls
//! must also leave no trace: the database's footprint (log, memberships, invitations, proxies, votes,
//! editions, motions, projector links) is compared around them.

use std::collections::HashMap;

use futures_util::future::join_all;

use app::{
    api::{AmendmentView, ApiError, FiledAmendment},
    ssr::{
        identity::sessions,
        now_millis,
        store::entities::{
            edition, invitation, member, membership, motion, motion_event, projector_link, proxy,
            section, vote,
        },
    },
};
use domain::member::Attendance;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::{
    amendments::paragraphs,
    support::{BOTH, Backend, TestApp, member_id},
    votes::{People, ok},
};

/// Who calls. The unverified and barred members hold the strongest role they could have, so that only
/// their status stands between them and the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    /// No session.
    Visitor,
    /// A delegate who registered and is not verified yet.
    Pending,
    /// An organizer whose registration was rejected, with a session that outlived the decision.
    Rejected,
    /// An organizer who was suspended, with a session opened after the suspension.
    Suspended,
    /// A verified observer.
    Observer,
    /// A verified delegate, the author of the amendments the calls are about.
    Author,
    /// A verified delegate who wrote none of them.
    Delegate,
    /// The verified chair.
    Chair,
    /// The verified organizer.
    Organizer,
}

/// The columns of the table, in order.
const WHO: [Who; 9] = [
    Who::Visitor,
    Who::Pending,
    Who::Rejected,
    Who::Suspended,
    Who::Observer,
    Who::Author,
    Who::Delegate,
    Who::Chair,
    Who::Organizer,
];

/// Where the call happens: a motion in one of its phases, or the edition (no motion).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Stage {
    Draft,
    Amending,
    Session,
    Adopted,
    Edition,
}

/// The server functions under test (one endpoint may be called in two ways).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Call {
    FileAmendment,
    CoSignAmendment,
    WithdrawAmendment,
    EditAmendment,
    InviteCoSigner,
    DeclareAdmissible,
    DeclareInadmissible,
    AdoptAmendment,
    RejectAmendment,
    EditorialFix,
    ResolveConflict,
    SetCurrentItem,
    ImportDraft,
    EditDraftParagraph,
    OpenBallot,
    RecordHallCount,
    /// `cast_vote` for oneself.
    CastVote,
    /// `cast_vote` for a delegate whose proxy the caller does not hold.
    CastVoteForAnother,
    CloseBallot,
    SetVoteOrder,
    SetProcedure,
    AddProxy,
    RevokeProxy,
    CreateProjectorLink,
    ChairConsole,
    ListDelegates,
    ProjectionView,
    ChangePhase,
    Register,
    SetAttendance,
    ListMembers,
    SetMemberStatus,
    SetMemberRole,
    CreateInvitation,
    CreatePasswordReset,
    PreviewImport,
    ConfirmImport,
    CongressConsole,
    CreateEdition,
    CreateMotion,
    AcceptInvitation,
}

impl Call {
    fn endpoint(self) -> &'static str {
        match self {
            Call::FileAmendment => "file_amendment",
            Call::CoSignAmendment => "co_sign_amendment",
            Call::WithdrawAmendment => "withdraw_amendment",
            Call::EditAmendment => "edit_amendment",
            Call::InviteCoSigner => "invite_co_signer",
            Call::DeclareAdmissible => "declare_admissible",
            Call::DeclareInadmissible => "declare_inadmissible",
            Call::AdoptAmendment => "adopt_amendment",
            Call::RejectAmendment => "reject_amendment",
            Call::EditorialFix => "editorial_fix",
            Call::ResolveConflict => "resolve_conflict",
            Call::SetCurrentItem => "set_current_item",
            Call::ImportDraft => "import_draft",
            Call::EditDraftParagraph => "edit_draft_paragraph",
            Call::OpenBallot => "open_ballot",
            Call::RecordHallCount => "record_hall_count",
            Call::CastVote | Call::CastVoteForAnother => "cast_vote",
            Call::CloseBallot => "close_ballot",
            Call::SetVoteOrder => "set_vote_order",
            Call::SetProcedure => "set_procedure",
            Call::AddProxy => "add_proxy",
            Call::RevokeProxy => "revoke_proxy",
            Call::CreateProjectorLink => "create_projector_link",
            Call::ChairConsole => "chair_console",
            Call::ListDelegates => "list_delegates",
            Call::ProjectionView => "projection_view",
            Call::ChangePhase => "change_phase",
            Call::Register => "register",
            Call::SetAttendance => "set_attendance",
            Call::ListMembers => "list_members",
            Call::SetMemberStatus => "set_member_status",
            Call::SetMemberRole => "set_member_role",
            Call::CreateInvitation => "create_invitation",
            Call::CreatePasswordReset => "create_password_reset",
            Call::PreviewImport => "preview_import",
            Call::ConfirmImport => "confirm_import",
            Call::CongressConsole => "congress_console",
            Call::CreateEdition => "create_edition",
            Call::CreateMotion => "create_motion",
            Call::AcceptInvitation => "accept_invitation",
        }
    }

    /// The amendment a call is about, made before the motion leaves the amending phase.
    fn amendment(self) -> Option<Kind> {
        match self {
            Call::CoSignAmendment
            | Call::WithdrawAmendment
            | Call::EditAmendment
            | Call::InviteCoSigner
            | Call::DeclareInadmissible => Some(Kind::Filed),
            Call::DeclareAdmissible => Some(Kind::CoSigned),
            Call::AdoptAmendment | Call::RejectAmendment => Some(Kind::Admissible),
            Call::ResolveConflict => Some(Kind::Conflicted),
            _ => None,
        }
    }
}

/// What state an amendment fixture is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Filed by the author (an insertion), no co-signatory.
    Filed,
    /// Filed and co-signed once (the motion's minimum).
    CoSigned,
    /// Declared admissible.
    Admissible,
    /// A replacement overlapping an editorial fix made after it.
    Conflicted,
}

/// What the server must answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// 200.
    Allowed,
    /// 401 `Unauthenticated`.
    Unauthenticated,
    /// 403 `Forbidden` (the role never may, or the status forbids).
    Forbidden,
    /// 422 `Refused` with this refusal.
    Refused(&'static str),
}

const OK: Expect = Expect::Allowed;
const U: Expect = Expect::Unauthenticated;
const F: Expect = Expect::Forbidden;
/// The role may, but not in this phase.
const PH: Expect = Expect::Refused("phase_forbids");
/// Only the author may.
const NA: Expect = Expect::Refused("not_the_author");
/// The author may not co-sign their own amendment.
const AC: Expect = Expect::Refused("author_cannot_co_sign");
/// The ballot is closed.
const BC: Expect = Expect::Refused("ballot_not_open");
/// Voting for someone needs their proxy.
const NP: Expect = Expect::Refused("no_proxy");
/// The address already has an account: its owner signs in first.
const AE: Expect = Expect::Refused("account_exists");

/// The expected outcome of every call, written from the rules:
/// - a visitor, and a suspended member (whose session is no session), get 401 wherever a session is needed;
/// - a pending or rejected member may only read (403 for everything else, whatever their role);
/// - a role the policy never gives the action gets 403; a role that has it in other phases gets 422
///   `phase_forbids`; the author-only rules and the vote rules refuse with their own reason (422);
/// - edition-level work (procedure, proxies, projector links, members, congress) is the organizer's in every
///   phase, frozen ones included.
///
/// Rows run in this order (change_phase last in its phase; open → hall count → votes → close; the
/// invitation last of all, since it verifies the pending member).
#[rustfmt::skip]
const TABLE: &[(Call, Stage, [Expect; 9])] = &[
    //                                       visitor pending rejected suspended observer author delegate chair organizer
    (Call::FileAmendment,       Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::CoSignAmendment,     Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::WithdrawAmendment,   Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    // The policy is asked before the amendment is looked up: nobody learns which amendments exist.
    (Call::EditAmendment,       Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::InviteCoSigner,      Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::DeclareAdmissible,   Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::DeclareInadmissible, Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::AdoptAmendment,      Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::RejectAmendment,     Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::EditorialFix,        Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::ResolveConflict,     Stage::Draft, [U,  F,  F,  U,  F,  PH, PH, F,  PH]),
    (Call::SetCurrentItem,      Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::ImportDraft,         Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::EditDraftParagraph,  Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::OpenBallot,          Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::RecordHallCount,     Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::CloseBallot,         Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetVoteOrder,        Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetProcedure,        Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AddProxy,            Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RevokeProxy,         Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateProjectorLink, Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ChairConsole,        Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  OK, OK]),
    (Call::ListDelegates,       Stage::Draft, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ProjectionView,      Stage::Draft, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ChangePhase,         Stage::Draft, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),

    (Call::FileAmendment,       Stage::Amending, [U,  F,  F,  U,  F,  OK, OK, F,  F ]),
    (Call::CoSignAmendment,     Stage::Amending, [U,  F,  F,  U,  F,  AC, OK, F,  F ]),
    (Call::WithdrawAmendment,   Stage::Amending, [U,  F,  F,  U,  F,  OK, NA, F,  F ]),
    (Call::EditAmendment,       Stage::Amending, [U,  F,  F,  U,  F,  OK, NA, F,  F ]),
    (Call::InviteCoSigner,      Stage::Amending, [U,  F,  F,  U,  F,  OK, NA, F,  F ]),
    (Call::DeclareAdmissible,   Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::DeclareInadmissible, Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AdoptAmendment,      Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RejectAmendment,     Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::EditorialFix,        Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ResolveConflict,     Stage::Amending, [U,  F,  F,  U,  F,  OK, NA, F,  OK]),
    (Call::SetCurrentItem,      Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::ImportDraft,         Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::EditDraftParagraph,  Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::OpenBallot,          Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::RecordHallCount,     Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::CloseBallot,         Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetVoteOrder,        Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetProcedure,        Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AddProxy,            Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RevokeProxy,         Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateProjectorLink, Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ChairConsole,        Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  OK, OK]),
    (Call::ListDelegates,       Stage::Amending, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ProjectionView,      Stage::Amending, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ChangePhase,         Stage::Amending, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),

    (Call::FileAmendment,       Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::CoSignAmendment,     Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::WithdrawAmendment,   Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::EditAmendment,       Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::InviteCoSigner,      Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::DeclareAdmissible,   Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::DeclareInadmissible, Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AdoptAmendment,      Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RejectAmendment,     Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::EditorialFix,        Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ResolveConflict,     Stage::Session, [U,  F,  F,  U,  F,  PH, PH, F,  OK]),
    (Call::SetCurrentItem,      Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, F ]),
    (Call::ImportDraft,         Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::EditDraftParagraph,  Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::OpenBallot,          Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, F ]),
    (Call::RecordHallCount,     Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, F ]),
    (Call::CastVote,            Stage::Session, [U,  F,  F,  U,  F,  OK, OK, F,  F ]),
    (Call::CastVoteForAnother,  Stage::Session, [U,  F,  F,  U,  F,  NP, NP, F,  F ]),
    (Call::CloseBallot,         Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, F ]),
    (Call::SetVoteOrder,        Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, F ]),
    (Call::SetProcedure,        Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AddProxy,            Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RevokeProxy,         Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateProjectorLink, Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ChairConsole,        Stage::Session, [U,  F,  F,  U,  F,  F,  F,  OK, OK]),
    (Call::ListDelegates,       Stage::Session, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ProjectionView,      Stage::Session, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ChangePhase,         Stage::Session, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),

    (Call::FileAmendment,       Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::CoSignAmendment,     Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::WithdrawAmendment,   Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::EditAmendment,       Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::InviteCoSigner,      Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  F ]),
    (Call::DeclareAdmissible,   Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::DeclareInadmissible, Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::AdoptAmendment,      Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::RejectAmendment,     Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::EditorialFix,        Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::ResolveConflict,     Stage::Adopted, [U,  F,  F,  U,  F,  PH, PH, F,  PH]),
    (Call::SetCurrentItem,      Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::ImportDraft,         Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::EditDraftParagraph,  Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),
    (Call::OpenBallot,          Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::RecordHallCount,     Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    // The final ballot is closed: the vote writer says so before it looks at who votes.
    // Who may vote is checked before the ballot: the others learn nothing about it.
    (Call::CastVote,            Stage::Adopted, [U,  F,  F,  U,  F,  BC, BC, F,  F ]),
    (Call::CastVoteForAnother,  Stage::Adopted, [U,  F,  F,  U,  F,  BC, BC, F,  F ]),
    (Call::CloseBallot,         Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetVoteOrder,        Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  PH, F ]),
    (Call::SetProcedure,        Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::AddProxy,            Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::RevokeProxy,         Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateProjectorLink, Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ChairConsole,        Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  OK, OK]),
    (Call::ListDelegates,       Stage::Adopted, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ProjectionView,      Stage::Adopted, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ChangePhase,         Stage::Adopted, [U,  F,  F,  U,  F,  F,  F,  F,  PH]),

    // Anyone may register (a session changes nothing: it registers the address typed).
    (Call::Register,            Stage::Edition, [OK, OK, OK, OK, OK, OK, OK, OK, OK]),
    (Call::SetAttendance,       Stage::Edition, [U,  OK, OK, U,  OK, OK, OK, OK, OK]),
    (Call::ListMembers,         Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    // Everyone but the organizer tries to verify, then to promote, themself.
    (Call::SetMemberStatus,     Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::SetMemberRole,       Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateInvitation,    Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreatePasswordReset, Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::PreviewImport,       Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::ConfirmImport,       Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CongressConsole,     Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateEdition,       Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    (Call::CreateMotion,        Stage::Edition, [U,  F,  F,  U,  F,  F,  F,  F,  OK]),
    // An open join link (a bearer capability): a visitor gets an account, a pending member is let in, a
    // verified one keeps their role; a rejected member stays out, and a suspended one, who is a visitor
    // again, cannot take their own address back.
    (Call::AcceptInvitation,    Stage::Edition, [OK, OK, F,  AE, OK, OK, OK, OK, OK]),
];

/// The motions' text: seven paragraphs, each with one use in the matrix.
const PARAGRAPHS: [&str; 7] = [
    // 0: replaced by the amendments filed in the matrix.
    "Les habitants attendent des services publics numériques simples, accessibles et sûrs.",
    // 1: replaced by the amendments that an editorial fix then puts in conflict.
    "Les communes demandent un accompagnement durable des habitants éloignés du numérique.",
    // 2: fixed by the organizer's editorial fixes.
    "Les logiciels financés par l’argent public doivent être publiés sous licence libre.",
    // 3: the item under debate and the voting order.
    "Les agents d’accueil des mairies aident chaque jour les habitants dans leurs démarches.",
    // 4: put to the vote.
    "Chaque collectivité garde la maîtrise de ses données et de ses choix de services.",
    // 5: edited while a draft.
    "Un fonds national soutient la cybersécurité des petites collectivités.",
    // 6: the amendments filed for the matrix insert a paragraph after it.
    "Les espaces France services sont implantés en concertation avec les maires.",
];

const PASSWORD: &str = "une phrase de passe assez longue";

type Form = Vec<(&'static str, String)>;

/// A motion in the phase of its stage.
#[derive(Clone, Debug)]
struct StageMotion {
    id: i32,
    paragraphs: Vec<i32>,
    section: i32,
    /// The ballot the ballot calls are about: the session's open one, the adopted motion's final one.
    ballot: Option<i32>,
}

impl StageMotion {
    fn paragraph(&self, index: usize) -> String {
        self.paragraphs[index].to_string()
    }
}

/// Which amendment fixture a call uses: one shared by the refused callers (they change nothing), one of
/// their own for each allowed caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Slot {
    Shared,
    Own(Who),
}

/// One server, its people and the four motions, with what the calls need.
struct World {
    app: TestApp,
    people: People,
    /// Member ids of every caller but the visitor, and of the other delegates.
    ids: HashMap<Who, i32>,
    sophie: i32,
    jean_luc: i32,
    /// Sessions of the pending and rejected members (the suspended one gets a new one at each call).
    pending: String,
    rejected: String,
    edition: i32,
    motions: HashMap<Stage, StageMotion>,
    fixtures: HashMap<(Call, Stage, Slot), i32>,
    /// An amendment of another motion (the demo's).
    foreign_amendment: i32,
    counter: u32,
}

/// A session opened directly in the store, as the cookie a browser would send.
async fn open_session(db: &DatabaseConnection, member: i32) -> String {
    let token = sessions::open(db, member, Attendance::Remote, now_millis())
        .await
        .expect("a session opens");
    format!("hemicycle_session={token}")
}

fn identity(email: &str, usual_name: &str) -> Form {
    vec![
        ("given_name", "Camille".to_owned()),
        ("usual_name", usual_name.to_owned()),
        ("email", email.to_owned()),
        ("phone", String::new()),
        ("function", "maire".to_owned()),
        ("collectivity", "Lunel".to_owned()),
        ("collectivity_code", "34145".to_owned()),
    ]
}

fn pairs(form: &Form) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn draft_text() -> String {
    format!("# Première partie\n\n{}\n", PARAGRAPHS.join("\n\n"))
}

/// The refusal's tag (`phase_forbids`…) in a `Refused` answer.
fn refusal_tag(body: &str) -> Option<String> {
    match serde_json::from_str::<ApiError>(body) {
        Ok(ApiError::Refused(refusal)) => serde_json::to_value(refusal)
            .ok()?
            .get("refusal")?
            .as_str()
            .map(str::to_owned),
        _ => None,
    }
}

fn answers(expect: Expect, status: u16, body: &str) -> bool {
    let error = serde_json::from_str::<ApiError>(body).ok();
    match expect {
        Expect::Allowed => status == 200,
        Expect::Unauthenticated => status == 401 && error == Some(ApiError::Unauthenticated),
        Expect::Forbidden => status == 403 && error == Some(ApiError::Forbidden),
        Expect::Refused(tag) => status == 422 && refusal_tag(body).as_deref() == Some(tag),
    }
}

/// What a refused call must not change.
#[derive(Debug, PartialEq, Eq)]
struct Footprint {
    events: u64,
    members: u64,
    memberships: Vec<(i32, i32, String, String)>,
    invitations: Vec<(i32, Option<i64>)>,
    proxies: Vec<(i32, Option<i64>)>,
    votes: Vec<(i32, String, i32)>,
    editions: Vec<(i32, Option<String>)>,
    motions: Vec<(i32, String)>,
    projector_links: u64,
}

impl Footprint {
    async fn of(db: &DatabaseConnection) -> Self {
        let (events, members, memberships, invitations, proxies, votes, editions, motions, links) = tokio::join!(
            motion_event::Entity::find().count(db),
            member::Entity::find().count(db),
            membership::Entity::find()
                .order_by_asc(membership::Column::Id)
                .all(db),
            invitation::Entity::find()
                .order_by_asc(invitation::Column::Id)
                .all(db),
            proxy::Entity::find()
                .order_by_asc(proxy::Column::Id)
                .all(db),
            vote::Entity::find().order_by_asc(vote::Column::Id).all(db),
            edition::Entity::find()
                .order_by_asc(edition::Column::Id)
                .all(db),
            motion::Entity::find()
                .order_by_asc(motion::Column::Id)
                .all(db),
            projector_link::Entity::find().count(db),
        );
        Footprint {
            events: events.expect("events"),
            members: members.expect("members"),
            memberships: memberships
                .expect("memberships")
                .into_iter()
                .map(|m| (m.edition_id, m.member_id, m.role, m.status))
                .collect(),
            invitations: invitations
                .expect("invitations")
                .into_iter()
                .map(|i| (i.id, i.used_at))
                .collect(),
            proxies: proxies
                .expect("proxies")
                .into_iter()
                .map(|p| (p.id, p.revoked_at))
                .collect(),
            votes: votes
                .expect("votes")
                .into_iter()
                .map(|v| (v.id, v.choice, v.changes))
                .collect(),
            editions: editions
                .expect("editions")
                .into_iter()
                .map(|e| (e.id, e.procedure))
                .collect(),
            motions: motions
                .expect("motions")
                .into_iter()
                .map(|m| (m.id, m.phase))
                .collect(),
            projector_links: links.expect("projector links"),
        }
    }

    fn differences(&self, after: &Footprint) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |same: bool, what| {
            if !same {
                changed.push(what);
            }
        };
        check(self.events == after.events, "log events");
        check(self.members == after.members, "members");
        check(self.memberships == after.memberships, "memberships");
        check(self.invitations == after.invitations, "invitations");
        check(self.proxies == after.proxies, "proxies");
        check(self.votes == after.votes, "votes");
        check(self.editions == after.editions, "editions");
        check(self.motions == after.motions, "motions");
        check(
            self.projector_links == after.projector_links,
            "projector links",
        );
        changed
    }
}

impl World {
    async fn build(backend: Backend) -> World {
        let app = TestApp::spawn_with_accounts(backend).await;
        let people = People::sign_in(&app).await;
        let db = &app.db;
        let mut ids = HashMap::new();
        for (who, email) in [
            (Who::Observer, "ines.garnier@congres-demo.fr"),
            (Who::Author, "amelie.rousseau@congres-demo.fr"),
            (Who::Delegate, "karim.benali@congres-demo.fr"),
            (Who::Chair, "bernard.lemoine@congres-demo.fr"),
            (Who::Organizer, "claire.fontaine@congres-demo.fr"),
        ] {
            ids.insert(who, member_id(db, email).await);
        }
        let sophie = member_id(db, "sophie.marchand@congres-demo.fr").await;
        let jean_luc = member_id(db, "jean-luc.perrin@congres-demo.fr").await;
        let edition = motion::Entity::find_by_id(app.demo_motion)
            .one(db)
            .await
            .expect("motion lookup")
            .expect("the demo motion")
            .edition_id;
        let mut world = World {
            pending: String::new(),
            rejected: String::new(),
            app,
            people,
            ids,
            sophie,
            jean_luc,
            edition,
            motions: HashMap::new(),
            fixtures: HashMap::new(),
            foreign_amendment: 0,
            counter: 0,
        };
        world.members().await;
        let (demo, first) = (world.app.demo_motion, world.first_demo_paragraph().await);
        world.foreign_amendment = world.file_replacement(demo, &first).await;
        for stage in [
            Stage::Draft,
            Stage::Amending,
            Stage::Session,
            Stage::Adopted,
        ] {
            let motion = world.stage_motion(stage).await;
            world.motions.insert(stage, motion);
        }
        world
    }

    fn next(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    fn org(&self) -> &str {
        &self.people.organizer
    }

    /// Registers a new person (pending delegate) and answers their id.
    async fn registrant(&mut self, email: &str) -> i32 {
        let form = identity(email, "Essai");
        let (status, body) = self.app.call("register", None, &pairs(&form)).await;
        assert_eq!(status, 200, "register {email}: {body}");
        member_id(&self.app.db, email).await
    }

    /// The pending delegate, the rejected organizer and the suspended organizer.
    async fn members(&mut self) {
        let pending = self.registrant("paul.attente@essai.fr").await;
        self.pending = open_session(&self.app.db, pending).await;
        self.ids.insert(Who::Pending, pending);

        let organizer = self.org().to_owned();
        let rejected = self.registrant("romane.refus@essai.fr").await;
        let id = rejected.to_string();
        ok(
            &self.app,
            "set_member_role",
            &organizer,
            &[("member_id", &id), ("role", "organizer")],
        )
        .await;
        ok(
            &self.app,
            "set_member_status",
            &organizer,
            &[
                ("member_id", &id),
                ("status", "rejected"),
                ("reason", "Mandat introuvable."),
            ],
        )
        .await;
        // The rejection ended their sessions: this one stands for a session that survived it.
        self.rejected = open_session(&self.app.db, rejected).await;
        self.ids.insert(Who::Rejected, rejected);

        let suspended = self.registrant("simon.suspendu@essai.fr").await;
        let id = suspended.to_string();
        ok(
            &self.app,
            "set_member_role",
            &organizer,
            &[("member_id", &id), ("role", "organizer")],
        )
        .await;
        for status in ["verified", "suspended"] {
            ok(
                &self.app,
                "set_member_status",
                &organizer,
                &[("member_id", &id), ("status", status)],
            )
            .await;
        }
        self.ids.insert(Who::Suspended, suspended);
    }

    async fn cookie(&self, who: Who) -> Option<String> {
        match who {
            Who::Visitor => None,
            Who::Pending => Some(self.pending.clone()),
            Who::Rejected => Some(self.rejected.clone()),
            // A session opened after the suspension (the suspension ended the others).
            Who::Suspended => Some(open_session(&self.app.db, self.ids[&Who::Suspended]).await),
            Who::Observer => Some(self.people.observer.clone()),
            Who::Author => Some(self.people.amelie.clone()),
            Who::Delegate => Some(self.people.karim.clone()),
            Who::Chair => Some(self.people.chair.clone()),
            Who::Organizer => Some(self.people.organizer.clone()),
        }
    }

    async fn first_demo_paragraph(&self) -> String {
        paragraphs(&self.app.db, self.app.demo_motion).await[0]
            .0
            .to_string()
    }

    async fn file(&mut self, form: &[(&str, &str)]) -> i32 {
        let body = ok(&self.app, "file_amendment", &self.people.amelie, form).await;
        serde_json::from_str::<FiledAmendment>(&body)
            .expect("a filed amendment")
            .id
            .get()
    }

    /// The author replaces a paragraph of `motion` (at its first version).
    async fn file_replacement(&mut self, motion: i32, paragraph: &str) -> i32 {
        let n = self.next();
        let text = format!("{} (proposition n° {n})", PARAGRAPHS[0]);
        let motion = motion.to_string();
        self.file(&[
            ("motion_id", &motion),
            ("kind", "replace"),
            ("paragraph_id", paragraph),
            ("base_version", "1"),
            ("text", &text),
            ("rationale", "Plus clair."),
        ])
        .await
    }

    async fn amendment_fixture(&mut self, kind: Kind, motion: &StageMotion) -> i32 {
        let n = self.next();
        let id = motion.id.to_string();
        let amendment = if kind == Kind::Conflicted {
            let text = PARAGRAPHS[1].replace("Les communes", &format!("Les municipalités n° {n}"));
            self.file(&[
                ("motion_id", &id),
                ("kind", "replace"),
                ("paragraph_id", &motion.paragraph(1)),
                ("base_version", "1"),
                ("text", &text),
                ("rationale", "Un autre mot."),
            ])
            .await
        } else {
            let text = format!("Paragraphe inséré pour l’essai n° {n}.");
            self.file(&[
                ("motion_id", &id),
                ("kind", "insert"),
                ("section_id", &motion.section.to_string()),
                ("after_paragraph_id", &motion.paragraph(6)),
                ("text", &text),
                ("rationale", "Un ajout."),
            ])
            .await
        };
        let form = [
            ("motion_id", id.as_str()),
            ("amendment_id", &amendment.to_string()),
        ];
        if matches!(kind, Kind::CoSigned | Kind::Admissible) {
            ok(&self.app, "co_sign_amendment", &self.people.sophie, &form).await;
        }
        if kind == Kind::Admissible {
            ok(&self.app, "declare_admissible", self.org(), &form).await;
        }
        amendment
    }

    async fn change_phase(&self, motion: i32, to: &str) {
        let motion = motion.to_string();
        ok(
            &self.app,
            "change_phase",
            self.org(),
            &[("motion_id", &motion), ("to", to)],
        )
        .await;
    }

    /// A new motion brought to the phase of `stage`, with the amendments its rows need made on the way.
    async fn stage_motion(&mut self, stage: Stage) -> StageMotion {
        let n = self.next();
        let edition = self.edition.to_string();
        let body = ok(
            &self.app,
            "create_motion",
            self.org(),
            &[
                ("edition_id", &edition),
                ("title", &format!("Motion {stage:?} n° {n}")),
                ("preamble", "Préambule."),
                ("line_width", "80"),
                ("min_cosigners", "1"),
                ("draft", &draft_text()),
            ],
        )
        .await;
        let id: i32 = body.parse().expect("the motion's id");
        let section = section::Entity::find()
            .filter(section::Column::MotionId.eq(id))
            .one(&self.app.db)
            .await
            .expect("section lookup")
            .expect("the draft's section")
            .id;
        let mut motion = StageMotion {
            id,
            paragraphs: paragraphs(&self.app.db, id)
                .await
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
            section,
            ballot: None,
        };
        assert_eq!(motion.paragraphs.len(), PARAGRAPHS.len());
        if stage == Stage::Draft {
            return motion;
        }
        self.change_phase(id, "amending").await;
        let mut conflicted = Vec::new();
        for (call, row_stage, expects) in TABLE {
            let (Some(kind), true) = (call.amendment(), *row_stage == stage) else {
                continue;
            };
            let mut slots: Vec<Slot> = WHO
                .iter()
                .zip(expects)
                .filter(|(_, expect)| **expect == OK)
                .map(|(who, _)| Slot::Own(*who))
                .collect();
            slots.push(Slot::Shared);
            for slot in slots {
                let amendment = self.amendment_fixture(kind, &motion).await;
                self.fixtures.insert((*call, stage, slot), amendment);
                if kind == Kind::Conflicted {
                    conflicted.push(amendment);
                }
            }
        }
        // One editorial fix over the word the conflicting amendments change puts them all in conflict.
        let id_text = id.to_string();
        ok(
            &self.app,
            "editorial_fix",
            self.org(),
            &[
                ("motion_id", &id_text),
                ("paragraph_id", &motion.paragraph(1)),
                ("seen_version", "1"),
                (
                    "text",
                    &PARAGRAPHS[1].replace("Les communes", "Les collectivités"),
                ),
                ("reason", "Terme harmonisé."),
            ],
        )
        .await;
        let (_, body) = self
            .app
            .call("list_amendments", None, &[("motion_id", &id_text)])
            .await;
        let listed: Vec<AmendmentView> = serde_json::from_str(&body).expect("amendments");
        for amendment in &conflicted {
            assert!(
                listed.iter().any(|a| a.id == *amendment && a.conflicted),
                "amendment {amendment} is in conflict"
            );
        }
        if stage == Stage::Amending {
            return motion;
        }
        self.change_phase(id, "session").await;
        if stage == Stage::Adopted {
            let ballot: i32 = ok(
                &self.app,
                "open_ballot",
                &self.people.chair,
                &[("motion_id", &id_text), ("subject", "motion")],
            )
            .await
            .parse()
            .expect("the final ballot's id");
            let ballot_text = ballot.to_string();
            for (cookie, key) in [
                (&self.people.amelie, "final-1"),
                (&self.people.karim, "final-2"),
            ] {
                ok(
                    &self.app,
                    "cast_vote",
                    cookie,
                    &[
                        ("ballot_id", &ballot_text),
                        ("choice", "pour"),
                        ("key", key),
                    ],
                )
                .await;
            }
            ok(
                &self.app,
                "close_ballot",
                &self.people.chair,
                &[("motion_id", &id_text), ("ballot_id", &ballot_text)],
            )
            .await;
            let phase = motion::Entity::find_by_id(id)
                .one(&self.app.db)
                .await
                .expect("motion lookup")
                .expect("the motion")
                .phase;
            assert_eq!(phase, "adopted", "the final vote adopted the motion");
            motion.ballot = Some(ballot);
        }
        motion
    }

    /// The ballot the ballot calls of `stage` are about: in a draft or while amending, the adopted motion's
    /// (another motion's); in session the open one, opened now if the matrix has not opened it.
    async fn ballot(&mut self, stage: Stage) -> i32 {
        let stage = match stage {
            Stage::Draft | Stage::Amending => Stage::Adopted,
            other => other,
        };
        if let Some(ballot) = self.motions[&stage].ballot {
            return ballot;
        }
        let motion = self.motions[&stage].clone();
        let ballot: i32 = ok(
            &self.app,
            "open_ballot",
            &self.people.chair,
            &[
                ("motion_id", &motion.id.to_string()),
                ("subject", "paragraph"),
                ("subject_id", &motion.paragraph(4)),
            ],
        )
        .await
        .parse()
        .expect("a ballot's id");
        if let Some(m) = self.motions.get_mut(&stage) {
            m.ballot = Some(ballot);
        }
        ballot
    }

    /// A period of a day, in the future and met by no other proxy of the matrix.
    fn period(&mut self) -> (String, String) {
        let n = self.next();
        let (year, month, day) = (2031 + n / 336, 1 + (n / 28) % 12, 1 + n % 28);
        (
            format!("{year}-{month:02}-{day:02}T08:00"),
            format!("{year}-{month:02}-{day:02}T18:00"),
        )
    }

    fn proxy_form(&mut self, motion: i32) -> Form {
        let (starts, ends) = self.period();
        vec![
            ("motion_id", motion.to_string()),
            ("holder", self.sophie.to_string()),
            ("represented", self.jean_luc.to_string()),
            ("starts", starts),
            ("ends", ends),
        ]
    }

    async fn invitation_token(&mut self, role: &str) -> String {
        let body = ok(
            &self.app,
            "create_invitation",
            &self.people.organizer,
            &[("role", role)],
        )
        .await;
        let link: String = serde_json::from_str(&body).expect("the link");
        link.rsplit('/').next().expect("a token").to_owned()
    }

    /// Fresh arguments for `who`'s call, valid for an allowed caller.
    async fn form(&mut self, call: Call, stage: Stage, who: Who, allowed: bool) -> Form {
        let n = self.next();
        let motion = self.motions.get(&stage).cloned();
        let motion_id = motion.as_ref().map_or(0, |m| m.id);
        let with_motion = |mut rest: Form| {
            rest.insert(0, ("motion_id", motion_id.to_string()));
            rest
        };
        let paragraph = |index: usize| motion.as_ref().map(|m| m.paragraph(index));
        if call.amendment().is_some() {
            let slot = if allowed {
                Slot::Own(who)
            } else {
                Slot::Shared
            };
            let amendment = self
                .fixtures
                .get(&(call, stage, slot))
                .copied()
                .unwrap_or(self.foreign_amendment)
                .to_string();
            let mut form = with_motion(vec![("amendment_id", amendment)]);
            match call {
                Call::EditAmendment => {
                    form.push(("text", format!("Paragraphe inséré et réécrit n° {n}.")));
                    form.push(("rationale", "Mieux dit.".to_owned()));
                }
                Call::InviteCoSigner => form.push(("member_id", self.jean_luc.to_string())),
                Call::DeclareInadmissible => form.push(("reason", "Hors sujet.".to_owned())),
                Call::ResolveConflict => form.push((
                    "text",
                    PARAGRAPHS[1].replace(
                        "Les communes",
                        &format!("Les collectivités et municipalités n° {n}"),
                    ),
                )),
                _ => {}
            }
            return form;
        }
        match call {
            Call::FileAmendment => with_motion(vec![
                ("kind", "replace".to_owned()),
                ("paragraph_id", paragraph(0).unwrap_or_default()),
                ("base_version", "1".to_owned()),
                ("text", format!("{} (proposition n° {n})", PARAGRAPHS[0])),
                ("rationale", "Plus clair.".to_owned()),
            ]),
            Call::EditorialFix => with_motion(vec![
                ("paragraph_id", paragraph(2).unwrap_or_default()),
                ("seen_version", "1".to_owned()),
                ("text", format!("{} Correction n° {n}.", PARAGRAPHS[2])),
                ("reason", "Coquille.".to_owned()),
            ]),
            Call::SetCurrentItem => {
                with_motion(vec![("paragraph_id", paragraph(3).unwrap_or_default())])
            }
            Call::ImportDraft => {
                with_motion(vec![("draft", format!("Paragraphe importé n° {n}."))])
            }
            Call::EditDraftParagraph => with_motion(vec![
                ("paragraph_id", paragraph(5).unwrap_or_default()),
                ("seen_version", "1".to_owned()),
                ("text", format!("{} Révision n° {n}.", PARAGRAPHS[5])),
            ]),
            Call::OpenBallot => with_motion(vec![
                ("subject", "paragraph".to_owned()),
                ("subject_id", paragraph(4).unwrap_or_default()),
            ]),
            Call::RecordHallCount => {
                let ballot = self.ballot(stage).await;
                with_motion(vec![
                    ("ballot_id", ballot.to_string()),
                    ("pour", "3".to_owned()),
                    ("contre", "1".to_owned()),
                    ("abstention", "0".to_owned()),
                ])
            }
            Call::CloseBallot => {
                let ballot = self.ballot(stage).await;
                with_motion(vec![("ballot_id", ballot.to_string())])
            }
            Call::CastVote | Call::CastVoteForAnother => {
                let ballot = self.ballot(stage).await;
                let mut form = vec![
                    ("ballot_id", ballot.to_string()),
                    ("choice", "pour".to_owned()),
                    ("key", format!("matrix-{n}")),
                ];
                if call == Call::CastVoteForAnother {
                    form.push(("represented", self.sophie.to_string()));
                }
                form
            }
            Call::SetVoteOrder => with_motion(vec![
                ("paragraph_id", paragraph(3).unwrap_or_default()),
                ("order", String::new()),
                ("reason", "Ordre de l’essai.".to_owned()),
            ]),
            Call::SetProcedure => with_motion(vec![
                ("majority", "votes_cast".to_owned()),
                ("quorum", String::new()),
                ("allow_change", "on".to_owned()),
                ("proxy_limit", "1".to_owned()),
            ]),
            Call::AddProxy => self.proxy_form(motion_id),
            Call::RevokeProxy => {
                let form = self.proxy_form(motion_id);
                let proxy = ok(&self.app, "add_proxy", self.org(), &pairs(&form)).await;
                with_motion(vec![("proxy_id", proxy)])
            }
            Call::CreateProjectorLink
            | Call::ChairConsole
            | Call::ListDelegates
            | Call::ProjectionView => with_motion(Vec::new()),
            Call::ChangePhase => {
                let to = match stage {
                    Stage::Draft | Stage::Session | Stage::Adopted => "amending",
                    Stage::Amending | Stage::Edition => "session",
                };
                with_motion(vec![("to", to.to_owned())])
            }
            Call::Register => identity(&format!("inscription{n}@essai.fr"), "Inscrite"),
            Call::SetAttendance => vec![("attendance", "hall".to_owned())],
            Call::ListMembers | Call::CongressConsole => Vec::new(),
            // An organizer's link, the most a link can give.
            Call::CreateInvitation => vec![("role", "organizer".to_owned())],
            Call::SetMemberStatus | Call::SetMemberRole => {
                // The organizer acts on a newcomer; everyone else on themself.
                let target = match who {
                    Who::Visitor | Who::Organizer => {
                        self.registrant(&format!("cible{n}@essai.fr")).await
                    }
                    other => self.ids[&other],
                };
                let change = match (call, who) {
                    (Call::SetMemberStatus, _) => ("status", "verified"),
                    (_, Who::Organizer) => ("role", "observer"),
                    _ => ("role", "organizer"),
                };
                vec![
                    ("member_id", target.to_string()),
                    (change.0, change.1.to_owned()),
                ]
            }
            Call::CreatePasswordReset => {
                vec![("member_id", self.ids[&Who::Organizer].to_string())]
            }
            Call::PreviewImport | Call::ConfirmImport => vec![(
                "csv",
                format!(
                    "prenom;nom;email;fonction;collectivite;code;role\n\
                     Import;Essai{n};import{n}@essai.fr;maire;Lunel;34145;organisateur\n"
                ),
            )],
            Call::CreateEdition => vec![
                ("title", format!("Congrès d’essai n° {n}")),
                ("place", "Lyon".to_owned()),
                // Earlier than the demo's: the demo's stays the current edition.
                ("starts_on", "2020-05-01".to_owned()),
                ("ends_on", "2020-05-02".to_owned()),
            ],
            Call::CreateMotion => vec![
                ("edition_id", self.edition.to_string()),
                ("title", format!("Motion d’essai n° {n}")),
                ("preamble", "Préambule.".to_owned()),
                ("line_width", "80".to_owned()),
                ("min_cosigners", "1".to_owned()),
                ("draft", draft_text()),
            ],
            Call::AcceptInvitation => {
                let token = self.invitation_token("delegate").await;
                let email = if who == Who::Suspended {
                    "simon.suspendu@essai.fr".to_owned()
                } else {
                    format!("invitee{n}@essai.fr")
                };
                let mut form = identity(&email, "Invitée");
                form.retain(|(k, _)| *k != "phone");
                form.push(("token", token));
                form.push(("password", PASSWORD.to_owned()));
                form
            }
            Call::CoSignAmendment
            | Call::WithdrawAmendment
            | Call::EditAmendment
            | Call::InviteCoSigner
            | Call::DeclareAdmissible
            | Call::DeclareInadmissible
            | Call::AdoptAmendment
            | Call::RejectAmendment
            | Call::ResolveConflict => unreachable!("amendment calls are built above"),
        }
    }

    /// Runs one row: the refused callers first (and checks they changed nothing), then the allowed ones.
    async fn run(
        &mut self,
        call: Call,
        stage: Stage,
        expects: &[Expect; 9],
        mismatches: &mut Vec<String>,
    ) {
        let mut planned = Vec::new();
        for (who, expect) in WHO.iter().zip(expects) {
            let form = self.form(call, stage, *who, *expect == OK).await;
            planned.push((*who, *expect, form));
        }
        let before = Footprint::of(&self.app.db).await;
        // The refused calls at once (they must change nothing, so their order cannot matter), then the
        // allowed ones in the table's order.
        let mut refused = Vec::new();
        for (who, expect, form) in planned.iter().filter(|(_, expect, _)| *expect != OK) {
            refused.push((*who, *expect, form, self.cookie(*who).await));
        }
        let app = &self.app;
        let answers_of_refused = join_all(refused.iter().map(|(_, _, form, cookie)| async move {
            app.call(call.endpoint(), cookie.as_deref(), &pairs(form))
                .await
        }))
        .await;
        let after = Footprint::of(&self.app.db).await;
        let changed = before.differences(&after);
        if !changed.is_empty() {
            mismatches.push(format!(
                "{} [{stage:?}]: refused calls changed {}",
                call.endpoint(),
                changed.join(", ")
            ));
        }
        let mut answered: Vec<(Who, Expect, u16, String)> = refused
            .iter()
            .zip(answers_of_refused)
            .map(|((who, expect, _, _), (status, body))| (*who, *expect, status, body))
            .collect();
        for (who, expect, form) in planned.iter().filter(|(_, expect, _)| *expect == OK) {
            let cookie = self.cookie(*who).await;
            let (status, body) = self
                .app
                .call(call.endpoint(), cookie.as_deref(), &pairs(form))
                .await;
            if call == Call::OpenBallot
                && status == 200
                && let (Ok(ballot), Some(motion)) =
                    (body.parse::<i32>(), self.motions.get_mut(&stage))
            {
                motion.ballot = Some(ballot);
            }
            answered.push((*who, *expect, status, body));
        }
        for (who, expect, status, body) in answered {
            if !answers(expect, status, &body) {
                let body: String = body.chars().take(300).collect();
                mismatches.push(format!(
                    "{} [{stage:?}] as {who:?}: expected {expect:?}, got {status} {body}",
                    call.endpoint()
                ));
            }
        }
    }
}

#[tokio::test]
async fn every_role_gets_exactly_the_rights_the_policy_table_gives_on_every_state_changing_function()
 {
    // The two engines at once: separate servers and databases, and most of the time is spent waiting.
    let mismatches: Vec<String> = join_all(BOTH.map(|backend| async move {
        let mut world = World::build(backend).await;
        let mut found = Vec::new();
        for (call, stage, expects) in TABLE {
            world.run(*call, *stage, expects, &mut found).await;
        }
        found
            .into_iter()
            .map(|m| format!("{backend:?}: {m}"))
            .collect::<Vec<_>>()
    }))
    .await
    .concat();
    assert!(
        mismatches.is_empty(),
        "{} answers of {} calls per engine are not what the table says:\n{}",
        mismatches.len(),
        TABLE.len() * WHO.len(),
        mismatches.join("\n")
    );
}
