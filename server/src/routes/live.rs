//! `GET /api/v1/motions/{id}/live`: the websocket a page (or a tool) follows a motion with.
//!
//! Who asks (session cookie, or `Authorization: Bearer` for tools) and from where (`Origin` must be ours:
//! cross-site websocket hijacking) are checked before the upgrade. Then: subscribe to the motion's room, replay
//! the log after `since` from the database, and stream the room — subscribing first and skipping seqs already
//! sent, so the replay/live boundary has neither gap nor duplicate. The protocol is in `docs/protocol.md`.
//!
//! One task per socket, small buffers: a 4 KiB read buffer, client messages of 4 KiB at most, and no queue of
//! our own (the room's shared ring is the queue). A write that blocks while the room publishes more than the
//! queue's bytes makes the client lagging (`resync`, then close); a write blocked for [`STALL`] is cut.

use std::time::Duration;

use crate::refusal::refusal;
use app::api::state::AppState;
use app::protocol::{
    ClientFrame, ProtocolError, ServerFrame, VoteAckFrame, VoteFrame, VoteRefusalCode,
    VoteRefusedFrame, close_code,
};
use app::ssr::{
    identity::{Viewer, secrets, sessions},
    live::{Control, EndReason, Hub, Listener, Received, Subscription},
    now_millis,
    origin::bearer_token,
    store::{entities::motion, log, projection},
    votes::{VoteError, VoteRequest, VoteWriter},
};
use axum::{
    Extension,
    body::Bytes,
    extract::{
        Path, Query, State,
        ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode},
    response::Response,
};
use domain::{
    ids::{BallotId, MemberId, MotionId},
    member::{MemberStatus, Role},
};
use futures_util::SinkExt;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Deserialize;
use tokio::{
    sync::mpsc,
    time::{Instant, MissedTickBehavior},
};

/// Bytes read from the socket at a time, and the largest client message accepted (a larger one closes the
/// socket with 4400 `too_large`).
pub const READ_BUFFER: usize = 4 * 1024;
/// The largest frame read at all: frames between [`READ_BUFFER`] and this are read, then refused with 4400;
/// larger ones are refused by the websocket layer before they are read, with the same answer.
const LARGEST_FRAME: usize = 64 * 1024;
/// The server pings this often.
pub const HEARTBEAT: Duration = Duration::from_secs(20);
/// A client heard from less recently than this is closed (code 4408).
pub const SILENCE: Duration = Duration::from_secs(60);
/// Without `?since=`, the client has this long to say `hello`.
const HELLO_WAIT: Duration = Duration::from_secs(10);
/// A write that does not complete in this time belongs to a reader that stopped reading: the socket is cut.
pub const STALL: Duration = Duration::from_secs(30);
/// Closing frames get this long to leave.
const CLOSE_WAIT: Duration = Duration::from_secs(1);
/// Events read from the log per query during a replay.
const REPLAY_PAGE: u64 = 256;
/// Frames already waiting in the room are written together, up to this many, with one flush.
const BURST: usize = 64;

/// `?since=N`: the last seq the client has (0 or absent: from the start, unless it says `hello`).
#[derive(Debug, Default, Deserialize)]
pub struct LiveQuery {
    pub since: Option<i64>,
    /// The key of a projector link: read-only access to this motion without a session.
    pub cle: Option<String>,
}

/// The websocket route. Answers 403 (foreign origin), 401 (no valid session or token), 404 (no such motion)
/// before upgrading.
pub async fn live(
    State(state): State<AppState>,
    Path(motion_id): Path<i32>,
    Query(query): Query<LiveQuery>,
    viewer: Option<Extension<Viewer>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let bearer = bearer_token(&headers);
    if !state.origins.allows(&headers) {
        tracing::warn!(
            motion.id = motion_id,
            "live: handshake from a foreign origin refused"
        );
        return refusal(&headers, StatusCode::FORBIDDEN, "error.cross_site");
    }
    let viewer = match bearer {
        Some(token) => match sessions::resolve(&state.db, token, now_millis()).await {
            Ok(found) => found,
            Err(err) => {
                tracing::error!(error = %err, "live: session lookup failed");
                return refusal(
                    &headers,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "error.unavailable",
                );
            }
        },
        None => viewer.map(|Extension(viewer)| viewer),
    };
    let projector = match (&viewer, query.cle.as_deref()) {
        (None, Some(key)) => match projection::key_opens(&state.db, motion_id, key).await {
            Ok(true) => Some(secrets::token_hash(key)),
            Ok(false) => None,
            Err(err) => {
                tracing::error!(error = %err, "live: projector key lookup failed");
                return refusal(
                    &headers,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "error.unavailable",
                );
            }
        },
        _ => None,
    };
    let session_expires_at = viewer.as_ref().map(|viewer| viewer.session_expires_at);
    let listener = match (viewer, projector) {
        (Some(viewer), _) => {
            let actor = viewer.actor();
            Listener {
                member: Some(MemberId(viewer.member_id)),
                session_hash: viewer.session_hash,
                counted_as: (actor.role == Role::Delegate
                    && actor.status == MemberStatus::Verified)
                    .then_some(viewer.attendance),
            }
        }
        // A projector is nobody: no member, never counted in the presence figures, never voting.
        (None, Some(key_hash)) => Listener {
            member: None,
            session_hash: format!("projector:{key_hash}"),
            counted_as: None,
        },
        (None, None) => {
            return refusal(&headers, StatusCode::UNAUTHORIZED, "live.sign_in");
        }
    };
    match motion::Entity::find_by_id(motion_id).one(&state.db).await {
        Ok(Some(_)) => {}
        Ok(None) => return refusal(&headers, StatusCode::NOT_FOUND, "error.not_found"),
        Err(err) => {
            tracing::error!(error = %err, "live: motion lookup failed");
            return refusal(
                &headers,
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable",
            );
        }
    }
    let connection = Connection {
        votes: session_expires_at.map(|_| state.votes.clone()),
        session_expires_at,
        db: state.db.clone(),
        hub: state.live.clone(),
        motion_id,
        since: query.since,
        listener,
    };
    upgrade
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_message_size(LARGEST_FRAME)
        .max_frame_size(LARGEST_FRAME)
        .on_upgrade(move |socket| connection.run(socket))
}

/// Why a socket's loop ended.
#[derive(Debug)]
enum Stop {
    /// The client closed, or the connection failed.
    Gone,
    /// The client fell behind the room by more than its queue: `resync`, then close.
    Lagging,
    /// A write made no progress for [`STALL`]: cut.
    Stalled,
    /// Revocation or shutdown.
    Ended(EndReason),
    /// Nothing heard for [`SILENCE`].
    Silent,
    /// The client broke the protocol.
    BadMessage(ProtocolError),
    /// The log could not be read.
    Failed,
}

struct Connection {
    /// `None` for a projector: it reads, it never votes.
    votes: Option<VoteWriter>,
    /// When the session ends by itself (ms since the epoch); `None` for a projector link.
    session_expires_at: Option<i64>,
    db: DatabaseConnection,
    hub: Hub,
    motion_id: i32,
    since: Option<i64>,
    listener: Listener,
}

/// Runs `io` (a write on the socket) unless the socket is ended, lags or stalls meanwhile.
async fn guarded<T, E>(
    io: impl Future<Output = Result<T, E>>,
    subscription: &mut Subscription,
    control: &Control,
) -> Result<T, Stop> {
    tokio::select! {
        // The write first: when it completes at once (the usual case) nothing else is even polled.
        biased;
        done = io => done.map_err(|_| Stop::Gone),
        reason = control.ended() => Err(Stop::Ended(reason)),
        () = subscription.overflowed() => Err(Stop::Lagging),
        () = tokio::time::sleep(STALL) => Err(Stop::Stalled),
    }
}

fn text(frame: impl Into<axum::extract::ws::Utf8Bytes>) -> Message {
    Message::Text(frame.into())
}

impl Connection {
    async fn run(self, mut socket: WebSocket) {
        let since = match self.since {
            Some(since) => since.max(0),
            None => match Box::pin(wait_hello(&mut socket)).await {
                Ok(since) => since,
                Err(code) => {
                    close_with(
                        &mut socket,
                        Some(ServerFrame::Error { code }.to_text()),
                        close_code::BAD_MESSAGE,
                        reason(code),
                    )
                    .await;
                    return;
                }
            },
        };
        let member = self.listener.member;
        let session_hash = self.listener.session_hash.clone();
        // Futures that touch the database are boxed: they are large, and inline they would be part of every
        // socket's task for its whole life, not only while they run.
        let mut subscription = match Box::pin(self.hub.subscribe(self.motion_id, self.listener))
            .await
        {
            Ok(subscription) => subscription,
            Err(err) => {
                tracing::warn!(motion.id = self.motion_id, error = %err, "live: subscription refused");
                close_with(&mut socket, None, close_code::GOING_AWAY, "unavailable").await;
                return;
            }
        };
        tracing::debug!(
            motion.id = self.motion_id,
            member.id = member.map(MemberId::get),
            since,
            "live: connected"
        );
        let (answered, answers) = mpsc::unbounded_channel();
        let mut stream = Stream {
            votes: self.votes,
            session_hash,
            session_expires_at: self.session_expires_at,
            answered,
            answers,
            socket,
            control: subscription.control(),
            db: self.db,
            motion_id: self.motion_id,
            last: since,
        };
        let stop = stream.serve(&mut subscription, member).await;
        tracing::debug!(
            motion.id = self.motion_id,
            member.id = member.map(MemberId::get),
            ?stop,
            "live: closing"
        );
        stream.finish(subscription, stop).await;
    }
}

/// Waits for the client's `hello` when the URL carried no `since`.
async fn wait_hello(socket: &mut WebSocket) -> Result<i64, ProtocolError> {
    let deadline = tokio::time::sleep(HELLO_WAIT);
    tokio::pin!(deadline);
    loop {
        let message = tokio::select! {
            () = &mut deadline => return Err(ProtocolError::HelloExpected),
            message = socket.recv() => message,
        };
        match message {
            Some(Ok(Message::Text(text))) if text.len() > READ_BUFFER => {
                return Err(ProtocolError::TooLarge);
            }
            Some(Err(err)) if is_too_large(&err) => return Err(ProtocolError::TooLarge),
            Some(Ok(Message::Text(text))) => {
                return match ClientFrame::parse(text.as_str()) {
                    Ok(ClientFrame::Hello { since }) => Ok(since.max(0)),
                    Ok(ClientFrame::Ping | ClientFrame::Vote(_)) => {
                        Err(ProtocolError::HelloExpected)
                    }
                    Err(err) => Err(err),
                };
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            Some(Ok(Message::Binary(_))) => return Err(ProtocolError::Malformed),
            Some(Ok(Message::Close(_)) | Err(_)) | None => {
                return Err(ProtocolError::HelloExpected);
            }
        }
    }
}

async fn close_with(
    socket: &mut WebSocket,
    last_words: Option<String>,
    code: u16,
    reason: &'static str,
) {
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        if let Some(words) = last_words {
            socket.send(text(words)).await?;
        }
        socket
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await
    })
    .await;
}

/// A subscribed socket: what it has sent so far.
struct Stream {
    votes: Option<VoteWriter>,
    /// The session the socket was opened with: every vote is checked against it when it is written.
    session_hash: String,
    session_expires_at: Option<i64>,
    /// Answers to votes sent on this socket, written by the loop in the order they come back.
    answered: mpsc::UnboundedSender<String>,
    answers: mpsc::UnboundedReceiver<String>,
    socket: WebSocket,
    control: std::sync::Arc<Control>,
    db: DatabaseConnection,
    motion_id: i32,
    /// The last seq written to the socket.
    last: i64,
}

impl Stream {
    async fn serve(&mut self, subscription: &mut Subscription, member: Option<MemberId>) -> Stop {
        let welcome = ServerFrame::Welcome {
            motion: MotionId(self.motion_id),
            member,
            since: self.last,
        }
        .to_text();
        if let Err(stop) = self.write(subscription, text(welcome)).await {
            return stop;
        }
        if let Err(stop) = Box::pin(self.replay(subscription)).await {
            return stop;
        }
        let caught_up = ServerFrame::Live { seq: self.last }.to_text();
        let presence = subscription.presence_frame();
        if let Err(stop) = self.write(subscription, text(caught_up)).await {
            return stop;
        }
        if let Err(stop) = self.write(subscription, text(presence)).await {
            return stop;
        }
        let mut heartbeat = tokio::time::interval_at(Instant::now() + HEARTBEAT, HEARTBEAT);
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut heard = Instant::now();
        let control = self.control.clone();
        // Kept across iterations: registered once, not at every frame.
        let ended = control.ended();
        tokio::pin!(ended);
        // A session ends by itself at its expiry: its socket closes then, as at a sign-out.
        let expiry = tokio::time::sleep(self.session_expires_at.map_or(Duration::MAX, |at| {
            Duration::from_millis(u64::try_from(at - now_millis()).unwrap_or(0))
        }));
        tokio::pin!(expiry);
        loop {
            tokio::select! {
                reason = &mut ended => return Stop::Ended(reason),
                () = &mut expiry, if self.session_expires_at.is_some() => {
                    return Stop::Ended(EndReason::SessionEnded);
                }
                incoming = self.socket.recv() => {
                    let message = match incoming {
                        Some(Ok(message)) => message,
                        Some(Err(err)) if is_too_large(&err) => {
                            return Stop::BadMessage(ProtocolError::TooLarge);
                        }
                        Some(Err(_)) | None => return Stop::Gone,
                    };
                    heard = Instant::now();
                    match message {
                        Message::Text(frame) if frame.len() > READ_BUFFER => {
                            return Stop::BadMessage(ProtocolError::TooLarge);
                        }
                        Message::Text(frame) => match ClientFrame::parse(frame.as_str()) {
                            Ok(ClientFrame::Ping) => {
                                if let Err(stop) = self.write(subscription, text(ServerFrame::Pong.to_text())).await {
                                    return stop;
                                }
                            }
                            // Already streaming: a late hello changes nothing.
                            Ok(ClientFrame::Hello { .. }) => {}
                            Ok(ClientFrame::Vote(vote)) => self.vote(member, vote),
                            Err(err) => return Stop::BadMessage(err),
                        },
                        Message::Binary(_) => return Stop::BadMessage(ProtocolError::Malformed),
                        Message::Close(_) => return Stop::Gone,
                        Message::Ping(_) | Message::Pong(_) => {}
                    }
                }
                Some(answer) = self.answers.recv() => {
                    if let Err(stop) = self.write(subscription, text(answer)).await {
                        return stop;
                    }
                }
                received = subscription.recv() => {
                    if let Err(stop) = self.forward(subscription, received).await {
                        return stop;
                    }
                }
                _ = heartbeat.tick() => {
                    if heard.elapsed() >= SILENCE {
                        return Stop::Silent;
                    }
                    if let Err(stop) = self.write(subscription, Message::Ping(Bytes::new())).await {
                        return stop;
                    }
                }
            }
        }
    }

    /// Hands a vote to the writer without holding up the socket; the answer comes back through `answers`.
    fn vote(&self, member: Option<MemberId>, vote: VoteFrame) {
        let answered = self.answered.clone();
        let refused = |key: String, code, refusal, retry| {
            ServerFrame::VoteRefused(VoteRefusedFrame {
                key,
                code,
                refusal,
                retry,
            })
            .to_text()
        };
        let (Some(writer), Some(member)) = (self.votes.clone(), member) else {
            let _ = answered.send(refused(vote.key, VoteRefusalCode::ReadOnly, None, false));
            return;
        };
        let session = self.session_hash.clone();
        tokio::spawn(async move {
            let request = VoteRequest {
                ballot: vote.ballot.get(),
                voter: member.get(),
                represented: vote.represented.unwrap_or(member).get(),
                choice: vote.choice,
                key: vote.key.clone(),
                session,
            };
            let frame = match writer.submit(request).await {
                Ok(receipt) => ServerFrame::VoteAck(VoteAckFrame {
                    key: vote.key,
                    ballot: BallotId(receipt.ballot),
                    represented: MemberId(receipt.represented),
                    choice: receipt.choice,
                    recorded_at: receipt.recorded_at,
                    replayed: receipt.replayed,
                    changed: receipt.changed,
                })
                .to_text(),
                Err(VoteError::Refused(refusal)) => {
                    refused(vote.key, VoteRefusalCode::Refused, Some(refusal), false)
                }
                Err(VoteError::BadKey) => refused(vote.key, VoteRefusalCode::BadKey, None, false),
                Err(VoteError::Unavailable) => {
                    refused(vote.key, VoteRefusalCode::Unavailable, None, true)
                }
            };
            let _ = answered.send(frame);
        });
    }

    async fn write(
        &mut self,
        subscription: &mut Subscription,
        message: Message,
    ) -> Result<(), Stop> {
        guarded(self.socket.send(message), subscription, &self.control).await
    }

    /// Sends the events after `self.last` from the log, a page at a time, each page with one flush.
    async fn replay(&mut self, subscription: &mut Subscription) -> Result<(), Stop> {
        loop {
            let rows = log::page(&self.db, self.motion_id, self.last, REPLAY_PAGE)
                .await
                .map_err(|err| {
                    tracing::warn!(motion.id = self.motion_id, error = %err, "live: replay failed");
                    Stop::Failed
                })?;
            let full = rows.len() as u64 >= REPLAY_PAGE;
            for row in rows {
                let frame = ServerFrame::event(
                    row.seq,
                    &row.kind,
                    row.occurred_at,
                    row.actor_id,
                    &row.payload,
                )
                .to_text();
                guarded(self.socket.feed(text(frame)), subscription, &self.control).await?;
                self.last = row.seq;
            }
            guarded(self.socket.flush(), subscription, &self.control).await?;
            if !full {
                return Ok(());
            }
        }
    }

    /// Writes a frame from the room and whatever else is already waiting, with one flush.
    async fn forward(
        &mut self,
        subscription: &mut Subscription,
        first: Received,
    ) -> Result<(), Stop> {
        let mut next = Some(first);
        let mut written = 0;
        while let Some(received) = next.take() {
            match received {
                Received::Frame(frame) => {
                    if frame.seq == 0 {
                        guarded(
                            self.socket.feed(text(frame.text)),
                            subscription,
                            &self.control,
                        )
                        .await?;
                    } else {
                        if frame.seq > self.last + 1 {
                            // Cannot happen by construction (subscribe, then read); if it ever does, the log
                            // fills the hole rather than the client finding it.
                            tracing::warn!(
                                motion.id = self.motion_id,
                                from = self.last,
                                to = frame.seq,
                                "live: gap filled from the log"
                            );
                            guarded(self.socket.flush(), subscription, &self.control).await?;
                            Box::pin(self.replay(subscription)).await?;
                        }
                        if frame.seq > self.last {
                            guarded(
                                self.socket.feed(text(frame.text)),
                                subscription,
                                &self.control,
                            )
                            .await?;
                            self.last = frame.seq;
                        }
                    }
                    written += 1;
                }
                Received::Lagged => return Err(Stop::Lagging),
                Received::Closed => return Err(Stop::Ended(EndReason::GoingAway)),
            }
            next = if written < BURST {
                subscription.try_recv()
            } else {
                None
            };
        }
        guarded(self.socket.flush(), subscription, &self.control).await
    }

    async fn finish(mut self, subscription: Subscription, stop: Stop) {
        // Leave the room first: whatever happens on the socket now holds nothing of the room's.
        drop(subscription);
        let socket = &mut self.socket;
        match stop {
            Stop::Stalled => metrics::counter!("hemicycle_live_stalled_total").increment(1),
            Stop::Gone => {}
            Stop::Lagging => {
                metrics::counter!("hemicycle_live_resyncs_total").increment(1);
                // The client's pending write may still be draining: give it the time a stalled reader gets.
                let _ = tokio::time::timeout(STALL, async {
                    socket
                        .send(text(ServerFrame::Resync { seq: self.last }.to_text()))
                        .await?;
                    socket
                        .send(Message::Close(Some(CloseFrame {
                            code: close_code::RESYNC,
                            reason: "resync".into(),
                        })))
                        .await
                })
                .await;
            }
            Stop::Ended(EndReason::SessionEnded) => {
                close_with(socket, None, close_code::SESSION_ENDED, "session ended").await;
            }
            Stop::Ended(EndReason::RightsChanged) => {
                close_with(socket, None, close_code::RIGHTS_CHANGED, "rights changed").await;
            }
            Stop::Ended(EndReason::GoingAway) => {
                close_with(socket, None, close_code::GOING_AWAY, "restarting").await;
            }
            Stop::Silent => close_with(socket, None, close_code::SILENT, "silent").await,
            Stop::BadMessage(code) => {
                close_with(
                    socket,
                    Some(ServerFrame::Error { code }.to_text()),
                    close_code::BAD_MESSAGE,
                    reason(code),
                )
                .await;
                if code == ProtocolError::TooLarge {
                    // The rest of the oversized message is still coming and is never read: closing the
                    // connection now would reset it and lose the closing frame on the client's side. Hold
                    // it a moment, so the client reads why it was closed.
                    tokio::time::sleep(CLOSE_WAIT).await;
                }
            }
            Stop::Failed => {
                close_with(socket, None, close_code::UNAVAILABLE, "unavailable").await;
            }
        }
    }
}

/// The close frame's reason for a protocol error: its code, as in the `error` frame.
fn reason(code: ProtocolError) -> &'static str {
    match code {
        ProtocolError::Malformed => "malformed",
        ProtocolError::UnsupportedVersion => "unsupported_version",
        ProtocolError::UnknownType => "unknown_type",
        ProtocolError::HelloExpected => "hello_expected",
        ProtocolError::TooLarge => "too_large",
    }
}

/// Whether a read failed because the client sent a frame larger than [`LARGEST_FRAME`] (the websocket layer
/// refuses it before reading it): such a client is told 4400 `too_large`, as for [`READ_BUFFER`].
fn is_too_large(err: &axum::Error) -> bool {
    use std::error::Error as _;
    use tokio_tungstenite::tungstenite::Error;
    err.source()
        .and_then(|source| source.downcast_ref::<Error>())
        .is_some_and(|err| matches!(err, Error::Capacity(_)))
}
