//! The motion's phases: who may do what, and when. Pure data; no IO.

use serde::{Deserialize, Serialize};

/// Where a motion stands in the congress. Phases only move forward, except that organizers may reopen
/// amendments from the session (a procedural vote can send a text back).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Phase {
    /// Organizers write the draft; delegates read it.
    Draft,
    /// Delegates file and co-sign amendments.
    Amending,
    /// Debate and votes, paragraph by paragraph.
    Session,
    /// The final vote adopted the motion; the text is frozen.
    Adopted,
    /// Closed without adoption, or archived; the text is frozen.
    Closed,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 5] = [
        Phase::Draft,
        Phase::Amending,
        Phase::Session,
        Phase::Adopted,
        Phase::Closed,
    ];

    /// The stable code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// Whether the text can no longer change.
    pub fn is_frozen(self) -> bool {
        matches!(self, Phase::Adopted | Phase::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_round_trips_through_its_code() {
        for phase in Phase::ALL {
            assert_eq!(Phase::from_code(phase.code()), Some(phase));
        }
        assert_eq!(Phase::from_code("vote"), None);
    }

    #[test]
    fn only_adopted_and_closed_motions_are_frozen() {
        let frozen: Vec<_> = Phase::ALL.into_iter().filter(|p| p.is_frozen()).collect();
        assert_eq!(frozen, vec![Phase::Adopted, Phase::Closed]);
    }
}
