//! Who asks, as the domain sees it: a member's role and verification status in an edition.
//!
//! Owns the role and status vocabularies and their stable codes. Identity, mandates and sessions
//! live in the server; this module is pure (no IO, no clock, no randomness).

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;

/// A member's role in an edition.
///
/// One person holds one role per edition here; a person who is both delegate and chair will be
/// modelled later with several roles (the policy then allows the union).
/// Where a member takes part from, for this session (a device): in the hall or remotely. It is not a role:
/// the same delegate may follow from the town hall in the morning and vote in the hall in the afternoon.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Attendance {
    #[strum(serialize = "hall")]
    InHall,
    #[default]
    Remote,
}

impl Attendance {
    /// The stable code stored with the session and posted by forms.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Runs the edition: draft, phases, members, admissibility, adoption by hand, exports.
    Organizer,
    /// Presides the session: current item, ballots, hall counts, order of amendments.
    Chair,
    /// An elected official who files, co-signs amendments and votes.
    Delegate,
    /// Reads only (agents accompanying an official, press).
    Observer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Organizer, Role::Chair, Role::Delegate, Role::Observer];

    /// The stable code stored in the database and used in the API.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Where a member's registration stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MemberStatus {
    /// Registered, waiting for an organizer to verify the mandate. May read.
    Pending,
    /// Mandate verified: may act as the role allows.
    Verified,
    /// Registration rejected (the reason is kept by the server). May read.
    Rejected,
    /// Suspended by an organizer: may do nothing at all.
    Suspended,
}

impl MemberStatus {
    /// Every status.
    pub const ALL: [MemberStatus; 4] = [
        MemberStatus::Pending,
        MemberStatus::Verified,
        MemberStatus::Rejected,
        MemberStatus::Suspended,
    ];

    /// The stable code stored in the database and used in the API.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Who asks for a command, as the domain sees it: loaded by the server from the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// The member.
    pub id: MemberId,
    /// Their role in the edition of the motion.
    pub role: Role,
    /// Their registration status.
    pub status: MemberStatus,
}

impl Actor {
    /// A verified member with `role` (the usual case once registration is done).
    #[must_use]
    pub fn verified(id: MemberId, role: Role) -> Actor {
        Actor {
            id,
            role,
            status: MemberStatus::Verified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_status_round_trips_through_its_code() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for status in MemberStatus::ALL {
            assert_eq!(MemberStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(Role::from_code("admin"), None);
        assert_eq!(MemberStatus::from_code("banned"), None);
    }

    #[test]
    fn codes_match_the_serialized_form() {
        for role in Role::ALL {
            assert_eq!(serde_json::to_value(role).ok(), Some(role.code().into()));
        }
        for status in MemberStatus::ALL {
            assert_eq!(
                serde_json::to_value(status).ok(),
                Some(status.code().into())
            );
        }
    }
}
