//! Ballots: the chair's server functions (open, hall count, close, voting order), the voter's (cast a vote),
//! the organizers' (rules of procedure, proxies) and the reads of the voting panel, the ballots page and the
//! results pages.
//!
//! Thin: who asks → store (one command path for the log; the vote writer for votes) → answer. The rules are in
//! `domain::ballot` and `domain::command`; nothing here decides a result.

#![allow(
    clippy::too_many_arguments,
    reason = "a server function takes one argument per form field; `#[server]` copies no attribute onto the client stub it generates"
)]

use domain::ballot::{BallotRules, BallotSubject, Choice, Outcome, Tally};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;

/// One ballot as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    /// Its id.
    pub id: i32,
    /// "Scrutin n° N".
    pub number: u32,
    /// What it decides.
    pub subject: BallotSubject,
    /// Its title.
    pub title: String,
    /// Its rules.
    pub rules: BallotRules,
    /// When it opened (ms).
    pub opened_at: i64,
    /// When the announced countdown ends (ms), if one was announced.
    pub closes_at: Option<i64>,
    /// When it closed (ms).
    pub closed_at: Option<i64>,
    /// Votes recorded so far (members represented).
    pub turnout: u32,
    /// Eligible voters (frozen at closing).
    pub eligible: u32,
    /// The electronic counts: after closing, or live if the ballot shows results live.
    pub counts: Option<Tally>,
    /// The hall counts: `(label, counts)`.
    pub hall_counts: Vec<(String, Tally)>,
    /// The result, once closed.
    pub outcome: Option<Outcome>,
    /// The result in words, in French and in English.
    pub explanation: Option<(String, String)>,
    /// The result with every figure it was computed from (registered, present, required…), once closed.
    pub result: Option<domain::ballot::BallotResult>,
}

/// Someone the signed-in member votes for in the open ballot: themself, or a member whose proxy they hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterSeat {
    /// The member represented.
    pub member_id: i32,
    /// Their name.
    pub name: String,
    /// Whether this is the signed-in member themself.
    pub own: bool,
    /// Their vote recorded so far, with its time (ms).
    pub recorded: Option<(Choice, i64)>,
}

/// The voting panel of a motion: its open ballot, whom the member votes for, the closed ballots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotingView {
    /// The ballot open now.
    pub open: Option<BallotView>,
    /// Whom the signed-in member votes for in it (empty: they do not vote).
    pub seats: Vec<VoterSeat>,
    /// Why they do not vote, if a ballot is open and they are signed in but have no seat (a message key).
    pub no_seat_reason: Option<String>,
    /// Closed ballots, most recent first.
    pub closed: Vec<BallotView>,
}

/// One named vote, for the audit view of a closed ballot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedVote {
    /// The member the vote counts for.
    pub member_name: String,
    /// Who cast it (differs under a proxy).
    pub cast_by_name: String,
    /// The choice.
    pub choice: Choice,
    /// When (ms).
    pub cast_at: i64,
    /// How many times it was changed while open.
    pub changes: u32,
}

/// A ballot's results page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotResultView {
    /// The motion's title.
    pub motion_title: String,
    /// The last event of the motion's log this view includes (read first): where a live client starts.
    pub seq: i64,
    /// The ballot.
    pub ballot: BallotView,
    /// Named votes (once closed; empty while open).
    pub votes: Vec<NamedVote>,
}

/// An amendment proposed to the chair in the voting order of its paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedAmendment {
    /// Its id.
    pub id: i32,
    /// "Amendement n° N".
    pub number: u32,
    /// `replace`, `delete` or `insert`.
    pub kind: String,
    /// Its author's name.
    pub author_name: String,
}

/// The chair's view of a paragraph's competing amendments, in voting order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphOrder {
    /// The paragraph.
    pub paragraph_id: i32,
    /// "Paragraphe N".
    pub ordinal: usize,
    /// Its text now.
    pub text: String,
    /// Admissible amendments, first voted first.
    pub amendments: Vec<OrderedAmendment>,
    /// The chair's reason, when they changed the usual order.
    pub reason: Option<String>,
}

/// A proxy as organizers list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyView {
    /// Its id.
    pub id: i32,
    /// Who votes.
    pub holder_name: String,
    /// For whom.
    pub represented_name: String,
    /// From (ms).
    pub starts_at: i64,
    /// Until (ms).
    pub ends_at: i64,
}

/// What the chair's console shows: the edition's rules, the voting order, the proxies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChairView {
    /// The motion's title.
    pub motion_title: String,
    /// The edition's rules of procedure.
    pub procedure: domain::ballot::Procedure,
    /// Paragraphs with admissible amendments, in reading order.
    pub orders: Vec<ParagraphOrder>,
    /// Live paragraphs: `(id, "Paragraphe N")`, for ballots on a paragraph.
    pub paragraphs: Vec<(i32, usize)>,
    /// Proxies in force or to come.
    pub proxies: Vec<ProxyView>,
    /// Verified delegates `(id, name)`, for recording proxies.
    pub delegates: Vec<(i32, String)>,
}

/// The acknowledgement of a vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteReceiptView {
    /// The member it counts for.
    pub represented: i32,
    /// The choice recorded.
    pub choice: Choice,
    /// When it was recorded (ms).
    pub recorded_at: i64,
    /// It had been recorded already (retry, second tab): nothing new.
    pub replayed: bool,
    /// An earlier choice was replaced.
    pub changed: bool,
}

#[cfg(feature = "ssr")]
mod server {
    use std::{collections::HashMap, sync::Arc};

    use domain::{
        ballot::{Ballot, Choice, represented_by},
        ids::{MemberId, ParagraphId},
        member::{Actor, MemberStatus, Role},
        motion_state::MotionState,
        policy::Action,
    };

    use super::{
        BallotView, ChairView, NamedVote, OrderedAmendment, ParagraphOrder, ProxyView, VoterSeat,
        VotingView,
    };
    use crate::{
        api::{
            ApiError,
            state::{AppState, require_viewer},
        },
        ssr::{
            identity::Viewer,
            now_millis,
            store::{StoreError, amendments::names, ballots, entities::ballot, motions},
        },
    };

    /// The view of `ballot`: state from the log; for an open ballot, the figures from the tables (a closed one
    /// carries its own in its result). `row` is the ballot's row (times).
    pub async fn ballot_view<C: sea_orm::ConnectionTrait>(
        conn: &C,
        found: &Ballot,
        row: Option<&ballot::Model>,
        edition_id: i32,
    ) -> Result<BallotView, StoreError> {
        let (turnout, eligible, counts) = match found.result {
            Some(result) => (
                result.electronic.participants(),
                result.registered,
                Some(result.electronic),
            ),
            None => {
                let tally = ballots::tally(conn, found.id.get()).await?;
                let eligible = ballots::eligible_count(conn, edition_id).await?;
                (
                    tally.participants(),
                    eligible,
                    found.rules.live_results.then_some(tally),
                )
            }
        };
        Ok(BallotView {
            id: found.id.get(),
            number: found.number,
            subject: found.subject,
            title: found.title.clone(),
            rules: found.rules,
            opened_at: row.map_or(0, |r| r.opened_at),
            closes_at: row.and_then(|r| r.closes_at),
            closed_at: row.and_then(|r| r.closed_at),
            turnout,
            eligible,
            counts,
            hall_counts: found
                .hall_counts
                .iter()
                .map(|line| (line.label.clone(), line.tally))
                .collect(),
            outcome: found.result.map(|r| r.outcome),
            explanation: found
                .result
                .map(|r| (r.explain_fr(&found.rules), r.explain_en(&found.rules))),
            result: found.result,
        })
    }

    /// Whom `actor` votes for at `now`: themself if they vote and gave no proxy, and those whose proxy they hold.
    pub fn seats(actor: &Actor, proxies: &[domain::ballot::Proxy], now: i64) -> Vec<MemberId> {
        if domain::policy::can(actor, Action::Vote, domain::motion::Phase::Session).is_err() {
            return Vec::new();
        }
        represented_by(actor.id, proxies, now)
    }

    /// The voting panel of `motion` (of edition `edition`) for `viewer` (`None`: a visitor, who sees the
    /// ballots and no seat).
    pub async fn voting_view<C: sea_orm::ConnectionTrait>(
        conn: &C,
        motion: &MotionState,
        motion_id: i32,
        edition: i32,
        viewer: Option<&Viewer>,
    ) -> Result<VotingView, StoreError> {
        let mut open = None;
        let mut closed = Vec::new();
        let rows = ballots::rows_of_motion(conn, motion_id).await?;
        for found in motion.ballots() {
            let view = ballot_view(conn, found, rows.get(&found.id.get()), edition).await?;
            if found.is_open() {
                open = Some(view);
            } else {
                closed.push(view);
            }
        }
        closed.reverse();
        let mut seats = Vec::new();
        let mut no_seat_reason = None;
        if let (Some(ballot), Some(viewer)) = (&open, viewer) {
            let actor = viewer.actor();
            let proxies: Vec<_> = ballots::proxies(conn, edition)
                .await?
                .into_iter()
                .map(|(_, p)| p)
                .collect();
            let members = self::seats(&actor, &proxies, now_millis());
            if members.is_empty() {
                no_seat_reason = Some(
                    if domain::policy::can(&actor, Action::Vote, domain::motion::Phase::Session)
                        .is_ok()
                    {
                        "refusal.proxy_given"
                    } else {
                        "voting.not_a_voter"
                    }
                    .to_owned(),
                );
            }
            let who = names(conn, members.iter().map(|m| m.get())).await?;
            let mut votes =
                ballots::votes_for(conn, ballot.id, members.iter().map(|m| m.get())).await?;
            seats = members
                .into_iter()
                .map(|member| VoterSeat {
                    member_id: member.get(),
                    name: who.get(&member.get()).cloned().unwrap_or_default(),
                    own: member == actor.id,
                    recorded: votes
                        .remove(&member.get())
                        .and_then(|v| Some((Choice::from_code(&v.choice)?, v.cast_at))),
                })
                .collect();
        }
        Ok(VotingView {
            open,
            seats,
            no_seat_reason,
            closed,
        })
    }

    /// Refuses anyone but a verified chair or organizer: the chair's console is theirs only.
    pub fn require_chair(viewer: &Viewer) -> Result<(), ApiError> {
        let actor = viewer.actor();
        if !matches!(actor.role, Role::Chair | Role::Organizer)
            || actor.status != MemberStatus::Verified
        {
            return Err(ApiError::Forbidden);
        }
        Ok(())
    }

    /// The chair's console of `motion` (of edition `edition`); who asks is checked by the caller.
    pub async fn chair_view<C: sea_orm::ConnectionTrait>(
        conn: &C,
        motion: &MotionState,
        edition: i32,
    ) -> Result<ChairView, StoreError> {
        let procedure = ballots::procedure(conn, edition).await?;
        let orders = orders(conn, motion).await?;
        let paragraphs = motion
            .paragraphs()
            .filter(|p| !p.is_deleted())
            .enumerate()
            .map(|(i, p)| (p.id.get(), i + 1))
            .collect();
        let proxies = ballots::proxies(conn, edition).await?;
        let who = names(
            conn,
            proxies
                .iter()
                .flat_map(|(_, p)| [p.holder.get(), p.represented.get()]),
        )
        .await?;
        let now = now_millis();
        let proxies = proxies
            .into_iter()
            .filter(|(_, p)| p.ends > now)
            .map(|(id, p)| ProxyView {
                id,
                holder_name: who.get(&p.holder.get()).cloned().unwrap_or_default(),
                represented_name: who.get(&p.represented.get()).cloned().unwrap_or_default(),
                starts_at: p.starts,
                ends_at: p.ends,
            })
            .collect();
        let delegates = motions::verified_delegates(conn, edition).await?;
        Ok(ChairView {
            motion_title: motion.title().to_owned(),
            procedure,
            orders,
            paragraphs,
            proxies,
            delegates,
        })
    }

    /// The named votes of a closed ballot.
    pub async fn named_votes<C: sea_orm::ConnectionTrait>(
        conn: &C,
        ballot_id: i32,
    ) -> Result<Vec<NamedVote>, StoreError> {
        let rows = ballots::audit(conn, ballot_id).await?;
        let who = names(
            conn,
            rows.iter().flat_map(|r| [r.represented_id, r.cast_by]),
        )
        .await?;
        let mut out: Vec<NamedVote> = rows
            .into_iter()
            .filter_map(|row| {
                Some(NamedVote {
                    member_name: who.get(&row.represented_id).cloned().unwrap_or_default(),
                    cast_by_name: who.get(&row.cast_by).cloned().unwrap_or_default(),
                    choice: Choice::from_code(&row.choice)?,
                    cast_at: row.cast_at,
                    changes: u32::try_from(row.changes).unwrap_or(0),
                })
            })
            .collect();
        out.sort_by(|a, b| a.member_name.cmp(&b.member_name));
        Ok(out)
    }

    /// The voting order of every paragraph that has admissible amendments.
    pub async fn orders<C: sea_orm::ConnectionTrait>(
        conn: &C,
        state: &MotionState,
    ) -> Result<Vec<ParagraphOrder>, StoreError> {
        let authors: HashMap<i32, String> =
            names(conn, state.amendments().iter().map(|a| a.author.get())).await?;
        let mut out = Vec::new();
        let live: Vec<ParagraphId> = state
            .paragraphs()
            .filter(|p| !p.is_deleted())
            .map(|p| p.id)
            .collect();
        for (index, id) in live.iter().enumerate() {
            let order = domain::command::vote_order(state, *id);
            if order.is_empty() {
                continue;
            }
            out.push(ParagraphOrder {
                paragraph_id: id.get(),
                ordinal: index + 1,
                text: state
                    .paragraph(*id)
                    .map(|p| p.text.clone())
                    .unwrap_or_default(),
                amendments: order
                    .into_iter()
                    .filter_map(|a| state.amendment(a))
                    .map(|a| OrderedAmendment {
                        id: a.id.get(),
                        number: a.number,
                        kind: a.target.kind_code().to_owned(),
                        author_name: authors.get(&a.author.get()).cloned().unwrap_or_default(),
                    })
                    .collect(),
                reason: state.vote_order(*id).map(|o| o.reason.clone()),
            });
        }
        Ok(out)
    }

    /// The motion as its log says it is now, and its edition.
    pub async fn motion_and_edition(
        state: &AppState,
        motion_id: i32,
    ) -> Result<(Arc<MotionState>, i32), ApiError> {
        let motion = crate::api::replayed(state, motion_id).await?;
        let edition = motions::edition_of_motion(&state.db, motion_id)
            .await
            .map_err(ApiError::from)?;
        Ok((motion, edition))
    }

    /// The state, the viewer and the motion's edition, for an edition-level action of the motion's edition
    /// (rules of procedure, proxies): the policy's check does not depend on the motion's phase.
    pub async fn edition_action(
        motion_id: i32,
        action: Action,
    ) -> Result<(AppState, Viewer, i32), ApiError> {
        let state = AppState::from_context()?;
        let viewer = require_viewer()?;
        crate::api::authorize(&viewer, action)?;
        let edition = motions::edition_of_motion(&state.db, motion_id)
            .await
            .map_err(ApiError::from)?;
        Ok((state, viewer, edition))
    }
}

/// The voting panel of a motion for whoever asks (visitors see the ballots, not the buttons).
///
/// # Errors
/// `NotFound` for an unknown motion.
#[server(prefix = "/api/fn", endpoint = "voting_panel")]
pub async fn voting_panel(motion_id: i32) -> Result<VotingView, ApiError> {
    use crate::api::state::{AppState, current_viewer};
    let state = AppState::from_context()?;
    let (motion, edition) = server::motion_and_edition(&state, motion_id).await?;
    server::voting_view(
        &state.db,
        &motion,
        motion_id,
        edition,
        current_viewer().as_ref(),
    )
    .await
    .map_err(ApiError::from)
}

/// What the ballots page of a motion shows, read in one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotsPageView {
    /// The motion.
    pub motion_id: i32,
    /// The last event of the motion's log this view includes (read first): where a live client starts.
    pub seq: i64,
    /// The chair's console.
    pub chair: ChairView,
    /// The open ballot and the closed ones.
    pub voting: VotingView,
    /// Whether the viewer manages the edition's rules of procedure and proxies.
    pub organizer: bool,
}

/// The ballots page of a motion (chair and organizers): [`chair_console`] and [`voting_panel`] from one
/// reading of the motion, and whether the viewer manages proxies.
///
/// # Errors
/// `NotFound` for an unknown motion (whoever asks); then `Unauthenticated`; `Forbidden` for other roles.
#[server(prefix = "/api/fn", endpoint = "ballots_page_data")]
pub async fn ballots_page_data(motion_id: i32) -> Result<BallotsPageView, ApiError> {
    use domain::policy::Action;

    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::store::log;
    let state = AppState::from_context()?;
    let fail = ApiError::from;
    // Read before the tables, so the page is at least as new as `seq`. An unknown motion is "not found" for
    // everyone, visitors included, before who asks is checked: what the page always answered.
    let seq = log::head(&state.db, motion_id).await.map_err(&fail)?;
    if seq == 0 {
        return Err(ApiError::NotFound);
    }
    let viewer = require_viewer()?;
    server::require_chair(&viewer)?;
    let (motion, edition) = server::motion_and_edition(&state, motion_id).await?;
    let chair = server::chair_view(&state.db, &motion, edition)
        .await
        .map_err(&fail)?;
    let voting = server::voting_view(&state.db, &motion, motion_id, edition, Some(&viewer))
        .await
        .map_err(&fail)?;
    let organizer =
        crate::api::permissions_of(&motion, Some(&viewer)).allows(Action::ManageProxies);
    Ok(BallotsPageView {
        motion_id,
        seq,
        chair,
        voting,
        organizer,
    })
}

/// Casts a vote in the open ballot `ballot_id`, for oneself or (`represented`) for a member whose proxy one
/// holds. `key` is the client's idempotency key: the same key always gets the same answer.
///
/// # Errors
/// `Unauthenticated`; `Forbidden` (not a verified delegate); `Refused` (closed ballot, no proxy, already voted
/// when changes are not allowed…); `BadRequest` for an unknown choice or a bad key; `Conflict` when the vote
/// could not be made durable now (retry with the same key).
#[server(prefix = "/api/fn", endpoint = "cast_vote")]
pub async fn cast_vote(
    ballot_id: i32,
    represented: Option<i32>,
    choice: String,
    key: String,
) -> Result<VoteReceiptView, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::votes::{VoteError, VoteRequest};
    let state = AppState::from_context()?;
    let viewer = require_viewer()?;
    let choice = Choice::from_code(&choice)
        .ok_or_else(|| ApiError::BadRequest("choix inconnu / unknown choice".to_owned()))?;
    let request = VoteRequest {
        ballot: ballot_id,
        voter: viewer.member_id,
        represented: represented.unwrap_or(viewer.member_id),
        choice,
        key,
        session: viewer.session_hash.clone(),
    };
    match state.votes.submit(request).await {
        Ok(receipt) => Ok(VoteReceiptView {
            represented: receipt.represented,
            choice: receipt.choice,
            recorded_at: receipt.recorded_at,
            replayed: receipt.replayed,
            changed: receipt.changed,
        }),
        Err(VoteError::Refused(refusal)) => Err(ApiError::from_refusal(refusal)),
        Err(VoteError::BadKey) => Err(ApiError::BadRequest(
            "clé d’idempotence invalide / invalid idempotency key".to_owned(),
        )),
        Err(VoteError::Unavailable) => Err(ApiError::Conflict),
    }
}

/// Opens a ballot (the chair): `subject` is `amendment`, `paragraph` (with `subject_id`) or `motion`. The
/// edition's rules apply unless overridden: `majority` (a code), `quorum` (`"1/3"`, empty for none),
/// `allow_change` and `live_results` (`"on"` / `"off"`), `countdown` in seconds.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` for an unknown subject, majority or quorum; `Refused` (another
/// ballot open, amendment not admissible, invalid quorum or countdown…).
#[server(prefix = "/api/fn", endpoint = "open_ballot")]
pub async fn open_ballot(
    motion_id: i32,
    subject: String,
    subject_id: Option<i32>,
    title: Option<String>,
    majority: Option<String>,
    quorum: Option<String>,
    allow_change: Option<String>,
    live_results: Option<String>,
    countdown: Option<u32>,
) -> Result<i32, ApiError> {
    use domain::{
        ballot::{Majority, Quorum},
        command::OpeningBallot,
        ids::{AmendmentId, ParagraphId},
    };

    use crate::api::state::AppState;
    use crate::ssr::store::{ballots, motions};
    let bad = |what: &str| ApiError::BadRequest(what.to_owned());
    let subject = match (subject.as_str(), subject_id) {
        ("amendment", Some(id)) => BallotSubject::Amendment {
            amendment: AmendmentId(id),
        },
        ("paragraph", Some(id)) => BallotSubject::Paragraph {
            paragraph: ParagraphId(id),
        },
        ("motion", _) => BallotSubject::Motion,
        _ => return Err(bad("objet du scrutin inconnu / unknown ballot subject")),
    };
    let state = AppState::from_context()?;
    let edition = motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(ApiError::from)?;
    let mut rules = ballots::procedure(&state.db, edition)
        .await
        .map_err(ApiError::from)?
        .ballots;
    if let Some(code) = majority.filter(|m| !m.is_empty()) {
        rules.majority = Majority::from_code(&code)
            .ok_or_else(|| bad("majorité inconnue / unknown majority"))?;
    }
    if let Some(text) = quorum {
        rules.quorum = parse_quorum(&text)
            .map_err(|UnreadableQuorum| {
                bad("quorum illisible (ex. 1/3) / unreadable quorum (e.g. 1/3)")
            })?
            .map(|(numerator, denominator)| Quorum {
                numerator,
                denominator,
            });
    }
    if let Some(flag) = allow_change {
        rules.allow_change = flag == "on";
    }
    if let Some(flag) = live_results {
        rules.live_results = flag == "on";
    }
    let outcome = crate::api::run_command(motion_id, "open_ballot", |motion, actor, ids| {
        domain::command::open_ballot(
            motion,
            actor,
            OpeningBallot {
                ballot: ids.ballot,
                subject,
                title: title.clone().unwrap_or_default(),
                rules,
                countdown_seconds: countdown.filter(|s| *s > 0),
            },
        )
    })
    .await?;
    outcome
        .events
        .iter()
        .find_map(|(_, event)| match event {
            domain::event::MotionEvent::BallotOpened { ballot, .. } => Some(ballot.get()),
            _ => None,
        })
        .ok_or(ApiError::Conflict)
}

/// A quorum that is neither empty nor `N/D`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnreadableQuorum;

/// Reads `"1/3"` (or empty: no quorum).
///
/// # Errors
/// [`UnreadableQuorum`] when the text is neither empty nor two numbers separated by `/`.
pub fn parse_quorum(text: &str) -> Result<Option<(u32, u32)>, UnreadableQuorum> {
    let text = text.trim();
    if text.is_empty() || text == "0" {
        return Ok(None);
    }
    let (numerator, denominator) = text.split_once('/').ok_or(UnreadableQuorum)?;
    let numerator = numerator.trim().parse().map_err(|_| UnreadableQuorum)?;
    let denominator = denominator.trim().parse().map_err(|_| UnreadableQuorum)?;
    Ok(Some((numerator, denominator)))
}

/// Records a counted show of hands in the open ballot (the chair).
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (closed ballot, count out of range).
#[server(prefix = "/api/fn", endpoint = "record_hall_count")]
pub async fn record_hall_count(
    motion_id: i32,
    ballot_id: i32,
    label: Option<String>,
    pour: u32,
    contre: u32,
    abstention: u32,
) -> Result<(), ApiError> {
    let tally = Tally {
        pour,
        contre,
        abstention,
    };
    crate::api::run_command(motion_id, "record_hall_count", |motion, actor, _| {
        domain::command::record_hall_count(
            motion,
            actor,
            domain::ids::BallotId(ballot_id),
            label.as_deref().unwrap_or_default(),
            tally,
        )
    })
    .await
    .map(drop)
}

/// Closes the open ballot (the chair): the votes are counted under a lock, the domain decides, and what the
/// result changes in the text (merge of an adopted amendment, deletion, the motion's phase) is written with it.
/// `roll_call`: the members present, if the chair took a roll call.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `Refused` (already closed, an adopted amendment in conflict…).
#[server(prefix = "/api/fn", endpoint = "close_ballot")]
pub async fn close_ballot(
    motion_id: i32,
    ballot_id: i32,
    roll_call: Option<u32>,
) -> Result<(), ApiError> {
    use crate::api::state::{AppState, require_viewer};
    use crate::ssr::{
        now_millis,
        store::{ballots, commands, motions},
    };
    let state = AppState::from_context()?;
    let viewer = require_viewer()?;
    let actor = viewer.actor();
    let edition = motions::edition_of_motion(&state.db, motion_id)
        .await
        .map_err(ApiError::from)?;
    let ballot = domain::ids::BallotId(ballot_id);
    commands::execute_prepared(
        state.commands(),
        motion_id,
        Some(viewer.member_id),
        now_millis(),
        |txn, motion| {
            // Who asks comes first: a member who may not close a ballot locks and counts nothing.
            let allowed =
                domain::policy::can(&actor, domain::policy::Action::CloseBallot, motion.phase());
            Box::pin(async move {
                allowed.map_err(crate::ssr::store::CommandError::Refused)?;
                ballots::closing_count(txn, ballot_id, edition, roll_call.filter(|n| *n > 0)).await
            })
        },
        |motion, ids, mut count| {
            count.new_paragraph = Some(ids.paragraph);
            domain::command::close_ballot(motion, &actor, ballot, count)
        },
    )
    .await
    .map(drop)
    .map_err(ApiError::from)
}

/// Sets the voting order of a paragraph's amendments (the chair): `order` lists amendment ids separated by
/// commas, first voted first; `reason` is mandatory.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` for an unreadable list; `Refused` (no reason, an amendment not
/// pending on the paragraph…).
#[server(prefix = "/api/fn", endpoint = "set_vote_order")]
pub async fn set_vote_order(
    motion_id: i32,
    paragraph_id: i32,
    order: String,
    reason: String,
) -> Result<(), ApiError> {
    let ids: Result<Vec<domain::ids::AmendmentId>, _> = order
        .split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i32>().map(domain::ids::AmendmentId))
        .collect();
    let ids = ids.map_err(|_| {
        ApiError::BadRequest(
            "ordre illisible : des numéros d’amendements séparés par des virgules / unreadable order: amendment ids separated by commas"
                .to_owned(),
        )
    })?;
    crate::api::run_command(motion_id, "set_vote_order", |motion, actor, _| {
        domain::command::set_vote_order(
            motion,
            actor,
            domain::ids::ParagraphId(paragraph_id),
            &ids,
            &reason,
        )
    })
    .await
    .map(drop)
}

/// A ballot's results page: the result with its figures and, once closed, the named votes (who cast which vote
/// on whose behalf).
///
/// # Errors
/// `NotFound` for an unknown motion or ballot.
#[server(prefix = "/api/fn", endpoint = "ballot_result")]
pub async fn ballot_result(motion_id: i32, ballot_id: i32) -> Result<BallotResultView, ApiError> {
    use crate::api::state::AppState;
    use crate::ssr::store::{ballots, log};
    let state = AppState::from_context()?;
    let fail = ApiError::from;
    // Read before the tables: the page is then at least as new as `seq`.
    let seq = log::head(&state.db, motion_id).await.map_err(&fail)?;
    let (motion, edition) = server::motion_and_edition(&state, motion_id).await?;
    let found = motion
        .ballot(domain::ids::BallotId(ballot_id))
        .ok_or(ApiError::NotFound)?;
    let row = ballots::row(&state.db, ballot_id).await.map_err(&fail)?;
    let ballot = server::ballot_view(&state.db, found, row.as_ref(), edition)
        .await
        .map_err(&fail)?;
    let votes = if found.is_open() {
        Vec::new()
    } else {
        server::named_votes(&state.db, ballot_id)
            .await
            .map_err(&fail)?
    };
    Ok(BallotResultView {
        motion_title: motion.title().to_owned(),
        seq,
        ballot,
        votes,
    })
}

/// The chair's console: rules of procedure, voting order per paragraph, proxies, delegates (chair and
/// organizers).
///
/// # Errors
/// `Unauthenticated`; `Forbidden` for other roles; `NotFound` for an unknown motion.
#[server(prefix = "/api/fn", endpoint = "chair_console")]
pub async fn chair_console(motion_id: i32) -> Result<ChairView, ApiError> {
    use crate::api::state::{AppState, require_viewer};
    let state = AppState::from_context()?;
    server::require_chair(&require_viewer()?)?;
    let (motion, edition) = server::motion_and_edition(&state, motion_id).await?;
    server::chair_view(&state.db, &motion, edition)
        .await
        .map_err(ApiError::from)
}

/// Saves the edition's rules of procedure (organizers), for the motion's edition.
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` for an unknown majority or unreadable quorum; `Refused`
/// (invalid quorum, proxy limit out of range).
#[server(prefix = "/api/fn", endpoint = "set_procedure")]
pub async fn set_procedure(
    motion_id: i32,
    majority: String,
    quorum: Option<String>,
    allow_change: Option<String>,
    live_results: Option<String>,
    proxy_limit: u32,
) -> Result<(), ApiError> {
    use domain::ballot::{Majority, Procedure, Quorum};

    use crate::ssr::{now_millis, store::editions};
    let (state, viewer, edition) =
        server::edition_action(motion_id, domain::policy::Action::ManageProxies).await?;
    let majority = Majority::from_code(&majority)
        .ok_or_else(|| ApiError::BadRequest("majorité inconnue / unknown majority".to_owned()))?;
    let quorum =
        parse_quorum(quorum.as_deref().unwrap_or_default()).map_err(|UnreadableQuorum| {
            ApiError::BadRequest(
                "quorum illisible (ex. 1/3) / unreadable quorum (e.g. 1/3)".to_owned(),
            )
        })?;
    let procedure = Procedure {
        ballots: BallotRules {
            majority,
            quorum: quorum.map(|(numerator, denominator)| Quorum {
                numerator,
                denominator,
            }),
            allow_change: allow_change.as_deref() == Some("on"),
            live_results: live_results.as_deref() == Some("on"),
        },
        proxy_limit,
    };
    editions::set_procedure(&state.db, edition, &viewer.actor(), procedure, now_millis())
        .await
        .map_err(ApiError::from)
}

/// Records a proxy (organizers): `holder` votes for `represented` from `starts` to `ends` (local date-times
/// `YYYY-MM-DDTHH:MM` as a browser's `datetime-local` sends them, read as time in France; or empty: from now, for 24 h).
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `BadRequest` for unreadable dates; `Refused` (not eligible, limit reached,
/// chains, overlapping proxies…).
#[server(prefix = "/api/fn", endpoint = "add_proxy")]
pub async fn add_proxy(
    motion_id: i32,
    holder: i32,
    represented: i32,
    starts: Option<String>,
    ends: Option<String>,
) -> Result<i32, ApiError> {
    use crate::ssr::{now_millis, store::editions};
    let (state, viewer, edition) =
        server::edition_action(motion_id, domain::policy::Action::ManageProxies).await?;
    let now = now_millis();
    let read = |text: Option<String>, default: i64| -> Result<i64, ApiError> {
        match text.filter(|t| !t.trim().is_empty()) {
            None => Ok(default),
            Some(text) => domain::calendar::millis_from_paris_local(&text).ok_or_else(|| {
                ApiError::BadRequest(
                    "date illisible (AAAA-MM-JJTHH:MM) / unreadable date (YYYY-MM-DDTHH:MM)"
                        .to_owned(),
                )
            }),
        }
    };
    let starts = read(starts, now)?;
    let ends = read(ends, starts + 24 * 3600 * 1000)?;
    editions::grant_proxy(
        &state.db,
        edition,
        &viewer.actor(),
        domain::ballot::Proxy {
            holder: domain::ids::MemberId(holder),
            represented: domain::ids::MemberId(represented),
            starts,
            ends,
        },
        now,
    )
    .await
    .map_err(ApiError::from)
}

/// Revokes a proxy (organizers).
///
/// # Errors
/// `Unauthenticated`; `Forbidden`; `NotFound`.
#[server(prefix = "/api/fn", endpoint = "revoke_proxy")]
pub async fn revoke_proxy(motion_id: i32, proxy_id: i32) -> Result<(), ApiError> {
    use crate::ssr::{now_millis, store::editions};
    let (state, viewer, edition) =
        server::edition_action(motion_id, domain::policy::Action::ManageProxies).await?;
    editions::revoke_proxy(&state.db, edition, &viewer.actor(), proxy_id, now_millis())
        .await
        .map_err(ApiError::from)
}
