//! Who is asking: secrets (tokens, password hashes), server-side sessions, members and their memberships,
//! invitations. Server-only; the rules on what a member may do are in `domain::policy`.

pub mod members;
pub mod secrets;
pub mod sessions;

use domain::member::{Actor, Attendance, MemberStatus, Role};
use serde::{Deserialize, Serialize};

/// The signed-in member of a request, put in the request's extensions by the session middleware.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub member_id: i32,
    pub given_name: String,
    pub usual_name: String,
    pub email: String,
    /// Role and status in the current edition, if the member belongs to it.
    pub membership: Option<ViewerMembership>,
    /// In the hall or remote, for this session.
    pub attendance: Attendance,
    /// Hash of the session id, to end this very session at logout.
    pub session_hash: String,
    /// When the session ends by itself (ms since the epoch): its live sockets close then.
    pub session_expires_at: i64,
}

/// A member's standing in the current edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerMembership {
    pub edition_id: i32,
    pub role: Role,
    pub status: MemberStatus,
}

impl Viewer {
    /// The member as the domain sees them in the current edition; a member without a membership is a
    /// pending observer (may read what is public, nothing else).
    pub fn actor(&self) -> Actor {
        let (role, status) = self
            .membership
            .map_or((Role::Observer, MemberStatus::Pending), |m| {
                (m.role, m.status)
            });
        Actor {
            id: domain::ids::MemberId(self.member_id),
            role,
            status,
        }
    }
}
