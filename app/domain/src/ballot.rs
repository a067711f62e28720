//! Ballots (*scrutins*): the choices, the tallies, the rules of procedure as data, and the result
//! the domain computes from them and explains in words.
//!
//! Owns the vocabulary of votes and the arithmetic of majorities and quorums. Nobody sets a result
//! by hand: [`decide`] turns counts and rules into an [`Outcome`]. Pure: no IO, no clock, no
//! randomness.

use serde::{Deserialize, Serialize};

use crate::ids::{AmendmentId, BallotId, MemberId, ParagraphId};

/// What a voter answers.
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
pub enum Choice {
    /// *Pour*.
    Pour,
    /// *Contre*.
    Contre,
    /// *Abstention*.
    Abstention,
}

impl Choice {
    /// Every choice, in the order of the voting panel.
    pub const ALL: [Choice; 3] = [Choice::Pour, Choice::Contre, Choice::Abstention];

    /// The stable code stored in the database and used in the API.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Counts of each choice. Absolute numbers, never percentages (percentages lie about small rooms).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tally {
    /// Votes *pour*.
    pub pour: u32,
    /// Votes *contre*.
    pub contre: u32,
    /// Abstentions.
    pub abstention: u32,
}

impl Tally {
    /// Counts one more `choice`.
    pub fn add(&mut self, choice: Choice) {
        match choice {
            Choice::Pour => self.pour = self.pour.saturating_add(1),
            Choice::Contre => self.contre = self.contre.saturating_add(1),
            Choice::Abstention => self.abstention = self.abstention.saturating_add(1),
        }
    }

    /// The sum of two tallies (electronic votes and hall counts).
    #[must_use]
    pub fn plus(self, other: Tally) -> Tally {
        Tally {
            pour: self.pour.saturating_add(other.pour),
            contre: self.contre.saturating_add(other.contre),
            abstention: self.abstention.saturating_add(other.abstention),
        }
    }

    /// Everyone who took part, abstentions included.
    #[must_use]
    pub fn participants(self) -> u32 {
        self.pour
            .saturating_add(self.contre)
            .saturating_add(self.abstention)
    }

    /// The votes cast (*suffrages exprimés*): pour and contre, abstentions not counted.
    #[must_use]
    pub fn cast(self) -> u32 {
        self.pour.saturating_add(self.contre)
    }

    /// The tally of a list of choices.
    #[must_use]
    pub fn of(choices: impl IntoIterator<Item = Choice>) -> Tally {
        let mut tally = Tally::default();
        for choice in choices {
            tally.add(choice);
        }
        tally
    }
}

/// Which majority adopts.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Majority {
    /// More *pour* than *contre* (majority of votes cast; abstentions not counted; a tie rejects).
    #[default]
    VotesCast,
    /// At least two thirds of the votes cast.
    TwoThirds,
    /// More than half of the members present (abstentions count as present).
    AbsoluteOfPresent,
    /// More than half of the registered members (eligible voters).
    AbsoluteOfRegistered,
}

impl Majority {
    /// Every majority.
    pub const ALL: [Majority; 4] = [
        Majority::VotesCast,
        Majority::TwoThirds,
        Majority::AbsoluteOfPresent,
        Majority::AbsoluteOfRegistered,
    ];

    /// The stable code stored and posted by forms.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a code; `None` for anything else.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// Its name in French, as the result's explanation says it.
    #[must_use]
    pub fn label_fr(self) -> &'static str {
        match self {
            Majority::VotesCast => "majorité des suffrages exprimés",
            Majority::TwoThirds => "majorité des deux tiers des suffrages exprimés",
            Majority::AbsoluteOfPresent => "majorité absolue des membres présents",
            Majority::AbsoluteOfRegistered => "majorité absolue des membres inscrits",
        }
    }

    /// Its name in English.
    #[must_use]
    pub fn label_en(self) -> &'static str {
        match self {
            Majority::VotesCast => "majority of votes cast",
            Majority::TwoThirds => "two-thirds majority of votes cast",
            Majority::AbsoluteOfPresent => "absolute majority of members present",
            Majority::AbsoluteOfRegistered => "absolute majority of registered members",
        }
    }
}

/// A quorum: at least `numerator / denominator` of the registered members must take part
/// (abstentions included, hall counts included) for the ballot to decide anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quorum {
    /// Numerator of the fraction (e.g. 1 for a third).
    pub numerator: u32,
    /// Denominator of the fraction (never 0 once validated).
    pub denominator: u32,
}

impl Quorum {
    /// Whether the fraction is a real one: `0 < numerator <= denominator`.
    #[must_use]
    pub fn is_valid(self) -> bool {
        self.denominator > 0 && self.numerator > 0 && self.numerator <= self.denominator
    }

    /// The participants needed out of `registered` members (rounded up).
    #[must_use]
    pub fn required(self, registered: u32) -> u32 {
        if self.denominator == 0 {
            return 0;
        }
        let needed = (u64::from(registered) * u64::from(self.numerator))
            .div_ceil(u64::from(self.denominator));
        u32::try_from(needed).unwrap_or(u32::MAX)
    }

    /// The fraction in French words where it has a usual name ("la moitié", "un tiers"), else
    /// "3/5".
    #[must_use]
    pub fn label_fr(self) -> String {
        match (self.numerator, self.denominator) {
            (1, 2) => "la moitié".to_owned(),
            (1, 3) => "un tiers".to_owned(),
            (2, 3) => "deux tiers".to_owned(),
            (1, 4) => "un quart".to_owned(),
            (n, d) if n == d => "la totalité".to_owned(),
            (n, d) => format!("{n}/{d}"),
        }
    }

    /// The fraction in English words.
    #[must_use]
    pub fn label_en(self) -> String {
        match (self.numerator, self.denominator) {
            (1, 2) => "half".to_owned(),
            (1, 3) => "one third".to_owned(),
            (2, 3) => "two thirds".to_owned(),
            (1, 4) => "one quarter".to_owned(),
            (n, d) if n == d => "all".to_owned(),
            (n, d) => format!("{n}/{d}"),
        }
    }
}

/// The rules one ballot is decided by: the edition's defaults, overridable when it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BallotRules {
    /// The majority that adopts.
    pub majority: Majority,
    /// The quorum, if any.
    pub quorum: Option<Quorum>,
    /// Whether a voter may change their vote while the ballot is open.
    pub allow_change: bool,
    /// Whether tallies are shown while the vote runs (turnout always is).
    pub live_results: bool,
}

impl Default for BallotRules {
    fn default() -> Self {
        BallotRules {
            majority: Majority::VotesCast,
            quorum: None,
            allow_change: true,
            live_results: false,
        }
    }
}

/// An edition's rules of procedure, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// The rules every ballot starts from.
    pub ballots: BallotRules,
    /// How many members one holder may represent by proxy.
    pub proxy_limit: u32,
}

impl Default for Procedure {
    fn default() -> Self {
        Procedure {
            ballots: BallotRules::default(),
            proxy_limit: 1,
        }
    }
}

/// What a ballot decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BallotSubject {
    /// Adopt an amendment.
    Amendment {
        /// The amendment.
        amendment: AmendmentId,
    },
    /// Keep a paragraph as it now reads (rejected: the paragraph is deleted).
    Paragraph {
        /// The paragraph.
        paragraph: ParagraphId,
    },
    /// Adopt the whole motion (the final vote).
    Motion,
}

/// What a ballot decided.
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
pub enum Outcome {
    /// *Adopté*.
    Adopted,
    /// *Rejeté*.
    Rejected,
    /// *Quorum non atteint*: nothing was decided.
    QuorumNotMet,
}

impl Outcome {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A ballot's result with every figure it was computed from, so anyone can check it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BallotResult {
    /// Votes cast in the app (proxies included).
    pub electronic: Tally,
    /// The sum of the hall counts (show of hands).
    pub hall: Tally,
    /// `electronic + hall`: what decides.
    pub total: Tally,
    /// Eligible voters when the ballot closed (the frozen list's length).
    pub registered: u32,
    /// Members present: the chair's roll call, or the participants if higher (or if no roll call).
    pub present: u32,
    /// The *pour* needed to adopt under the ballot's majority.
    pub required: u32,
    /// The participants needed for the quorum, if there is one.
    pub quorum_required: Option<u32>,
    /// The decision.
    pub outcome: Outcome,
}

/// Decides a ballot: the only place where a result comes from.
///
/// - the quorum (if any) is met when participants (pour + contre + abstentions, hall counts
///   included) reach `quorum × registered`, rounded up;
/// - [`Majority::VotesCast`]: pour > contre (pour ≥ ⌊cast / 2⌋ + 1; a tie rejects);
/// - [`Majority::TwoThirds`]: pour ≥ ⌈2 × cast / 3⌉ (and at least 1);
/// - [`Majority::AbsoluteOfPresent`]: pour ≥ ⌊present / 2⌋ + 1;
/// - [`Majority::AbsoluteOfRegistered`]: pour ≥ ⌊registered / 2⌋ + 1.
#[must_use]
pub fn decide(
    rules: &BallotRules,
    electronic: Tally,
    hall: Tally,
    registered: u32,
    roll_call: Option<u32>,
) -> BallotResult {
    let total = electronic.plus(hall);
    let participants = total.participants();
    let present = roll_call.unwrap_or(0).max(participants);
    let half_plus_one = |n: u32| n / 2 + 1;
    let required = match rules.majority {
        Majority::VotesCast => half_plus_one(total.cast()),
        Majority::TwoThirds => {
            let two_thirds = (u64::from(total.cast()) * 2).div_ceil(3);
            u32::try_from(two_thirds).unwrap_or(u32::MAX).max(1)
        }
        Majority::AbsoluteOfPresent => half_plus_one(present),
        Majority::AbsoluteOfRegistered => half_plus_one(registered),
    };
    let quorum_required = rules.quorum.map(|quorum| quorum.required(registered));
    let outcome = if quorum_required.is_some_and(|needed| participants < needed) {
        Outcome::QuorumNotMet
    } else if total.pour >= required {
        Outcome::Adopted
    } else {
        Outcome::Rejected
    };
    BallotResult {
        electronic,
        hall,
        total,
        registered,
        present,
        required,
        quorum_required,
        outcome,
    }
}

/// A number as French typography writes it: groups of three separated by a narrow no-break space.
#[must_use]
pub fn number_fr(n: u32) -> String {
    group_digits(n, '\u{202F}')
}

/// A number as English writes it: groups of three separated by commas.
#[must_use]
pub fn number_en(n: u32) -> String {
    group_digits(n, ',')
}

fn group_digits(n: u32, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

impl BallotResult {
    /// The result in French words: "adopté : 212 pour, 48 contre, 17 abstentions ; majorité des
    /// suffrages exprimés (131 voix requises)".
    #[must_use]
    pub fn explain_fr(&self, rules: &BallotRules) -> String {
        let t = self.total;
        let abstentions = if t.abstention > 1 {
            "abstentions"
        } else {
            "abstention"
        };
        let counts = format!(
            "{} pour, {} contre, {} {abstentions}",
            number_fr(t.pour),
            number_fr(t.contre),
            number_fr(t.abstention)
        );
        let hall = if self.hall.participants() > 0 {
            format!(
                " (dont {} à main levée)",
                number_fr(self.hall.participants())
            )
        } else {
            String::new()
        };
        match self.outcome {
            Outcome::QuorumNotMet => {
                let quorum = rules.quorum.map(Quorum::label_fr).unwrap_or_default();
                format!(
                    "quorum non atteint : {} votants{hall} pour un quorum de {} ({quorum} des {} inscrits) ; {counts}",
                    number_fr(t.participants()),
                    number_fr(self.quorum_required.unwrap_or(0)),
                    number_fr(self.registered),
                )
            }
            Outcome::Adopted | Outcome::Rejected => {
                let verdict = if self.outcome == Outcome::Adopted {
                    "adopté"
                } else {
                    "rejeté"
                };
                let voix = if self.required > 1 {
                    "voix requises"
                } else {
                    "voix requise"
                };
                format!(
                    "{verdict} : {counts}{hall} ; {} ({} {voix})",
                    rules.majority.label_fr(),
                    number_fr(self.required)
                )
            }
        }
    }

    /// The result in English words.
    #[must_use]
    pub fn explain_en(&self, rules: &BallotRules) -> String {
        let t = self.total;
        let abstentions = if t.abstention == 1 {
            "abstention"
        } else {
            "abstentions"
        };
        let counts = format!(
            "{} for, {} against, {} {abstentions}",
            number_en(t.pour),
            number_en(t.contre),
            number_en(t.abstention)
        );
        let hall = if self.hall.participants() > 0 {
            format!(
                " (of which {} by show of hands)",
                number_en(self.hall.participants())
            )
        } else {
            String::new()
        };
        match self.outcome {
            Outcome::QuorumNotMet => {
                let quorum = rules.quorum.map(Quorum::label_en).unwrap_or_default();
                format!(
                    "quorum not met: {} voters{hall} for a quorum of {} ({quorum} of {} registered); {counts}",
                    number_en(t.participants()),
                    number_en(self.quorum_required.unwrap_or(0)),
                    number_en(self.registered),
                )
            }
            Outcome::Adopted | Outcome::Rejected => {
                let verdict = if self.outcome == Outcome::Adopted {
                    "adopted"
                } else {
                    "rejected"
                };
                let votes = if self.required == 1 { "vote" } else { "votes" };
                format!(
                    "{verdict}: {counts}{hall}; {} ({} {votes} required)",
                    rules.majority.label_en(),
                    number_en(self.required)
                )
            }
        }
    }
}

/// A proxy (*procuration*): `holder` votes for `represented` from `starts` to `ends` (instants in
/// milliseconds since the epoch, end excluded), unless revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    /// Who votes.
    pub holder: MemberId,
    /// On whose behalf.
    pub represented: MemberId,
    /// From (inclusive).
    pub starts: i64,
    /// Until (exclusive).
    pub ends: i64,
}

impl Proxy {
    /// Whether the proxy is in force at `now`.
    #[must_use]
    pub fn in_force(&self, now: i64) -> bool {
        self.starts <= now && now < self.ends
    }

    /// Whether two proxies' periods overlap.
    #[must_use]
    pub fn overlaps(&self, other: &Proxy) -> bool {
        self.starts < other.ends && other.starts < self.ends
    }
}

/// Why a proxy cannot be recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProxyProblem {
    /// A member cannot hold their own proxy.
    SelfProxy,
    /// The period is empty or reversed.
    EmptyPeriod,
    /// The holder already holds `limit` proxies over part of that period.
    LimitReached {
        /// The edition's limit.
        limit: u32,
    },
    /// The represented member already gave a proxy over part of that period.
    AlreadyRepresented,
    /// The holder gave a proxy themself over part of that period (no chains: a holder is present).
    HolderIsRepresented,
    /// The represented member holds proxies over part of that period (no chains either).
    RepresentedIsHolder,
}

impl ProxyProblem {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// Checks a new proxy against those already recorded (revoked ones excluded) and the limit.
///
/// # Errors
/// The first [`ProxyProblem`] met, in the order of the enum.
pub fn check_new_proxy(new: &Proxy, existing: &[Proxy], limit: u32) -> Result<(), ProxyProblem> {
    if new.holder == new.represented {
        return Err(ProxyProblem::SelfProxy);
    }
    if new.ends <= new.starts {
        return Err(ProxyProblem::EmptyPeriod);
    }
    let overlapping = || existing.iter().filter(|p| p.overlaps(new));
    let held = overlapping().filter(|p| p.holder == new.holder).count();
    if u32::try_from(held).unwrap_or(u32::MAX) >= limit {
        return Err(ProxyProblem::LimitReached { limit });
    }
    if overlapping().any(|p| p.represented == new.represented) {
        return Err(ProxyProblem::AlreadyRepresented);
    }
    if overlapping().any(|p| p.represented == new.holder) {
        return Err(ProxyProblem::HolderIsRepresented);
    }
    if overlapping().any(|p| p.holder == new.represented) {
        return Err(ProxyProblem::RepresentedIsHolder);
    }
    Ok(())
}

/// Who `voter` may vote for at `now`: themself, unless they gave a proxy in force (their holder
/// votes for them), then everyone whose proxy they hold, in the order given.
#[must_use]
pub fn represented_by(voter: MemberId, proxies: &[Proxy], now: i64) -> Vec<MemberId> {
    let mut out = Vec::new();
    if !proxies
        .iter()
        .any(|p| p.represented == voter && p.in_force(now))
    {
        out.push(voter);
    }
    out.extend(
        proxies
            .iter()
            .filter(|p| p.holder == voter && p.in_force(now))
            .map(|p| p.represented),
    );
    out
}

/// A ballot as the motion's log tells it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// Its id.
    pub id: BallotId,
    /// Its number in the motion ("Scrutin n° N").
    pub number: u32,
    /// What it decides.
    pub subject: BallotSubject,
    /// Its title as the chair announced it.
    pub title: String,
    /// Its rules.
    pub rules: BallotRules,
    /// The countdown announced at opening, in seconds.
    pub countdown_seconds: Option<u32>,
    /// The hall counts recorded, in order.
    pub hall_counts: Vec<HallCount>,
    /// The result, once closed.
    pub result: Option<BallotResult>,
}

impl Ballot {
    /// Whether votes are still taken.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.result.is_none()
    }

    /// The sum of the hall counts.
    #[must_use]
    pub fn hall_total(&self) -> Tally {
        self.hall_counts
            .iter()
            .fold(Tally::default(), |sum, line| sum.plus(line.tally))
    }
}

/// One counted show of hands, as a separate labelled line of a ballot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallCount {
    /// What was counted ("Salle — main levée").
    pub label: String,
    /// The counts.
    pub tally: Tally,
}

#[cfg(test)]
mod tests;
