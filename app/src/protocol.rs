//! The live protocol, version 1: one serde-tagged enum per direction, the only definition of the frames. The
//! server writes [`ServerFrame`]s and reads [`ClientFrame`]s; the hydrated page and the tools (load generator)
//! do the opposite with the very same types. `docs/protocol.md` shows an example of each frame, and a test
//! checks the document against these enums both ways.
//!
//! Every frame is a JSON object with `"v": 1` and a `"type"`. Event frames carry the payload stored in the log
//! as it is (`RawValue`): the server formats each event once per instance, and no reader has to parse a
//! payload it does not need. Compiled for the server and the browser alike: no IO.

use domain::{
    ballot::{Choice, Tally},
    ids::{BallotId, MemberId, MotionId},
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The protocol version spoken by this code.
pub const VERSION: u8 = 1;

/// Close codes of the live socket (4000–4999 are the application's own range).
pub mod close_code {
    /// The client fell behind: it reconnects with `since` = the last seq it applied.
    pub const RESYNC: u16 = 4000;
    /// The client sent something that is not a message of this protocol (or another version, or too large).
    pub const BAD_MESSAGE: u16 = 4400;
    /// The session ended (sign-out, a new sign-in, a password reset, expiry, suspension, rejection):
    /// reconnecting needs a new sign-in.
    pub const SESSION_ENDED: u16 = 4401;
    /// The member's role or status changed: reconnect at once (the socket then follows with the new rights)
    /// and read the page's data again.
    pub const RIGHTS_CHANGED: u16 = 4403;
    /// Nothing was heard from the client for too long.
    pub const SILENT: u16 = 4408;
    /// The log could not be read: reconnect with backoff.
    pub const UNAVAILABLE: u16 = 1011;
    /// The server is stopping: reconnect (to another instance, or to this one once restarted).
    pub const GOING_AWAY: u16 = 1001;
}

/// What a client sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Start the stream after `since`; only meaningful as the first message (when the URL has no `since`).
    Hello {
        /// The last seq the client has applied (0: everything).
        since: i64,
    },
    /// Application-level heartbeat (browsers cannot send websocket pings); answered with `pong`.
    Ping,
    /// A vote; answered with `vote_ack` or `vote_refused` carrying the same key.
    Vote(VoteFrame),
}

/// A vote sent over the socket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteFrame {
    /// The ballot.
    pub ballot: BallotId,
    /// On whose behalf (absent: oneself).
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub represented: Option<MemberId>,
    /// `pour`, `contre` or `abstention`.
    pub choice: Choice,
    /// The idempotency key (the same key on a retry).
    pub key: String,
}

/// What the server sends.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The socket is accepted; events after `since` follow.
    Welcome {
        /// The motion followed.
        motion: MotionId,
        /// The member whose session opened the socket; `None` for a projector's read-only link, which the
        /// wire says as member `0` (no member has that id).
        #[serde(with = "nobody_is_zero")]
        member: Option<MemberId>,
        /// Events after this seq follow.
        since: i64,
    },
    /// One entry of the motion's log, exactly as stored.
    Event(EventFrame),
    /// The replay is over: every event up to `seq` was sent; what follows is live.
    Live {
        /// The last seq replayed.
        seq: i64,
    },
    /// Verified delegates following the motion now, each counted once.
    Presence {
        /// In the hall.
        hall: u32,
        /// Remote.
        remote: u32,
    },
    /// The running figures of an open ballot (at most four a second, absolute, turnout never decreasing).
    Tally(TallyFrame),
    /// The vote is recorded and durable.
    VoteAck(VoteAckFrame),
    /// The vote was not recorded.
    VoteRefused(VoteRefusedFrame),
    /// The answer to a `ping`.
    Pong,
    /// The client fell behind; the server closes after this (code 4000). Reconnect with `since` = `seq`.
    Resync {
        /// The last seq this socket was sent.
        seq: i64,
    },
    /// A client frame was refused; the server closes after this (code 4400).
    Error {
        /// `malformed`, `unsupported_version`, `unknown_type`, `hello_expected`, `too_large`.
        code: ProtocolError,
    },
}

/// One event of the log.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventFrame {
    /// Its position in the log.
    pub seq: i64,
    /// Its kind (`amendment_filed`…).
    pub kind: String,
    /// When (ms since the epoch, UTC).
    pub at: i64,
    /// Who caused it; `null` for the system.
    pub actor: Option<MemberId>,
    /// The payload as stored in the log.
    pub data: Box<RawValue>,
}

/// The running figures of an open ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyFrame {
    /// The ballot.
    pub ballot: BallotId,
    /// Members whose vote is recorded so far (proxies included).
    pub turnout: u32,
    /// Eligible voters now.
    pub eligible: u32,
    /// The counts, when the ballot shows results live (`null` otherwise).
    pub counts: Option<Tally>,
}

/// The acknowledgement of a vote: what is recorded, since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteAckFrame {
    /// The client's key.
    pub key: String,
    /// The ballot.
    pub ballot: BallotId,
    /// The member the vote counts for.
    #[serde(rename = "for")]
    pub represented: MemberId,
    /// The choice recorded.
    pub choice: Choice,
    /// When it was recorded (ms since the epoch).
    pub recorded_at: i64,
    /// This key (or this very choice) had been recorded before: nothing new was written.
    pub replayed: bool,
    /// An earlier choice was replaced (the ballot allows changes).
    pub changed: bool,
}

/// Why a vote was not recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRefusedFrame {
    /// The client's key.
    pub key: String,
    /// `refused` (with `refusal`), `bad_key`, `read_only` or `unavailable`.
    pub code: VoteRefusalCode,
    /// The rule that refused it, as the HTTP API says it.
    pub refusal: Option<domain::refusal::Refusal>,
    /// Whether sending the same key again may succeed.
    pub retry: bool,
}

/// The kinds of `vote_refused`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteRefusalCode {
    /// The rules refuse it (`refusal` says which).
    Refused,
    /// The key is empty or longer than 64 characters, or was used for another vote.
    BadKey,
    /// A projector's socket reads, it never votes.
    ReadOnly,
    /// The vote could not be made durable now: send the same key again after a short pause.
    Unavailable,
}

/// Why a client frame was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolError {
    #[error("not a JSON message of this protocol")]
    Malformed,
    #[error("unsupported protocol version")]
    UnsupportedVersion,
    #[error("unknown message type")]
    UnknownType,
    #[error("a hello was expected first")]
    HelloExpected,
    #[error("the message is larger than allowed")]
    TooLarge,
}

/// The part every frame shares (its `type` borrowed from the text: nothing is allocated to find it).
#[derive(Deserialize)]
struct Envelope<'a> {
    v: u8,
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Versioned<'a, T> {
    v: u8,
    #[serde(flatten)]
    frame: &'a T,
}

fn to_text<T: Serialize>(frame: &T) -> String {
    serde_json::to_string(&Versioned { v: VERSION, frame })
        // Frames are plain data (numbers, strings, stored JSON): serializing one cannot fail.
        .unwrap_or_default()
}

impl ClientFrame {
    /// The frame as sent on the socket.
    #[must_use]
    pub fn to_text(&self) -> String {
        to_text(self)
    }

    /// Reads one client text frame.
    ///
    /// # Errors
    /// See [`ProtocolError`].
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        let envelope: Envelope =
            serde_json::from_str(text).map_err(|_| ProtocolError::Malformed)?;
        if envelope.v != VERSION {
            return Err(ProtocolError::UnsupportedVersion);
        }
        if !CLIENT_TYPES.contains(&envelope.kind.as_ref()) {
            return Err(ProtocolError::UnknownType);
        }
        serde_json::from_str(text).map_err(|_| ProtocolError::Malformed)
    }
}

impl ServerFrame {
    /// The frame as sent on the socket.
    #[must_use]
    pub fn to_text(&self) -> String {
        to_text(self)
    }

    /// An event frame for a stored event; `payload` is the JSON text kept in the log. The log only stores
    /// canonical JSON; a damaged row still goes out, in its place in the sequence, with `data: null`.
    #[must_use]
    pub fn event(seq: i64, kind: &str, at: i64, actor: Option<i32>, payload: &str) -> Self {
        ServerFrame::Event(EventFrame {
            seq,
            kind: kind.to_owned(),
            at,
            actor: actor.map(MemberId),
            data: RawValue::from_string(payload.to_owned())
                .unwrap_or_else(|_| RawValue::NULL.to_owned()),
        })
    }

    /// Reads one server text frame (the browser and the tools).
    ///
    /// # Errors
    /// `UnsupportedVersion` for another version, `UnknownType` for a type this code does not know (a newer
    /// server: the reader ignores it), `Malformed` otherwise.
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        #[derive(Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        enum Plain {
            Welcome {
                motion: MotionId,
                #[serde(with = "nobody_is_zero")]
                member: Option<MemberId>,
                since: i64,
            },
            Live {
                seq: i64,
            },
            Presence {
                hall: u32,
                remote: u32,
            },
            Tally(TallyFrame),
            VoteAck(VoteAckFrame),
            VoteRefused(VoteRefusedFrame),
            Pong,
            Resync {
                seq: i64,
            },
            Error {
                code: ProtocolError,
            },
        }
        let envelope: Envelope =
            serde_json::from_str(text).map_err(|_| ProtocolError::Malformed)?;
        if envelope.v != VERSION {
            return Err(ProtocolError::UnsupportedVersion);
        }
        let malformed = |_| ProtocolError::Malformed;
        // An event is read as a plain struct: its stored payload stays raw (an internally tagged enum would
        // have to buffer it).
        if envelope.kind == "event" {
            return serde_json::from_str(text)
                .map(ServerFrame::Event)
                .map_err(malformed);
        }
        if !SERVER_TYPES.contains(&envelope.kind.as_ref()) {
            return Err(ProtocolError::UnknownType);
        }
        Ok(
            match serde_json::from_str::<Plain>(text).map_err(malformed)? {
                Plain::Welcome {
                    motion,
                    member,
                    since,
                } => ServerFrame::Welcome {
                    motion,
                    member,
                    since,
                },
                Plain::Live { seq } => ServerFrame::Live { seq },
                Plain::Presence { hall, remote } => ServerFrame::Presence { hall, remote },
                Plain::Tally(tally) => ServerFrame::Tally(tally),
                Plain::VoteAck(ack) => ServerFrame::VoteAck(ack),
                Plain::VoteRefused(refused) => ServerFrame::VoteRefused(refused),
                Plain::Pong => ServerFrame::Pong,
                Plain::Resync { seq } => ServerFrame::Resync { seq },
                Plain::Error { code } => ServerFrame::Error { code },
            },
        )
    }

    /// The frame's `type`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            ServerFrame::Welcome { .. } => "welcome",
            ServerFrame::Event(_) => "event",
            ServerFrame::Live { .. } => "live",
            ServerFrame::Presence { .. } => "presence",
            ServerFrame::Tally(_) => "tally",
            ServerFrame::VoteAck(_) => "vote_ack",
            ServerFrame::VoteRefused(_) => "vote_refused",
            ServerFrame::Pong => "pong",
            ServerFrame::Resync { .. } => "resync",
            ServerFrame::Error { .. } => "error",
        }
    }
}

/// Version 1 of the protocol says "nobody" (a projector) as member `0`.
mod nobody_is_zero {
    use domain::ids::MemberId;
    use serde::{Deserialize, Deserializer, Serializer};

    #[expect(clippy::ref_option, reason = "the signature serde's `with` expects")]
    pub fn serialize<S: Serializer>(member: &Option<MemberId>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(member.map_or(0, MemberId::get))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MemberId>, D::Error> {
        Ok(Some(i32::deserialize(d)?)
            .filter(|id| *id != 0)
            .map(MemberId))
    }
}

/// Every `type` the server sends.
pub const SERVER_TYPES: &[&str] = &[
    "welcome",
    "event",
    "live",
    "presence",
    "tally",
    "vote_ack",
    "vote_refused",
    "pong",
    "resync",
    "error",
];

/// Every `type` a client sends.
pub const CLIENT_TYPES: &[&str] = &["hello", "ping", "vote"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn an_event_frame_carries_the_stored_payload_inside_as_it_is() {
        let frame = ServerFrame::event(
            12,
            "amendment_filed",
            1_796_000_000_000,
            Some(3),
            r#"{"amendment":7}"#,
        )
        .to_text();
        assert_eq!(
            frame,
            r#"{"v":1,"type":"event","seq":12,"kind":"amendment_filed","at":1796000000000,"actor":3,"data":{"amendment":7}}"#
        );
        match ServerFrame::parse(&frame) {
            Ok(ServerFrame::Event(event)) => {
                assert_eq!((event.seq, event.actor), (12, Some(MemberId(3))));
                assert_eq!(event.data.get(), r#"{"amendment":7}"#);
            }
            other => panic!("an event, got {other:?}"),
        }
        let system = ServerFrame::event(1, "motion_created", 0, None, "{}").to_text();
        let value: Value = serde_json::from_str(&system).expect("valid JSON");
        assert!(value["actor"].is_null());
    }

    #[test]
    fn clients_say_hello_ping_and_vote() {
        assert_eq!(
            ClientFrame::parse(r#"{"v":1,"type":"hello","since":41}"#),
            Ok(ClientFrame::Hello { since: 41 })
        );
        assert_eq!(
            ClientFrame::parse(r#"{"v":1,"type":"ping"}"#),
            Ok(ClientFrame::Ping)
        );
        assert_eq!(ClientFrame::Ping.to_text(), r#"{"v":1,"type":"ping"}"#);
        let vote = ClientFrame::Vote(VoteFrame {
            ballot: BallotId(3),
            represented: Some(MemberId(42)),
            choice: Choice::Contre,
            key: "b77e".into(),
        });
        assert_eq!(
            vote.to_text(),
            r#"{"v":1,"type":"vote","ballot":3,"for":42,"choice":"contre","key":"b77e"}"#
        );
        assert_eq!(ClientFrame::parse(&vote.to_text()), Ok(vote));
    }

    #[test]
    fn other_versions_types_and_garbage_are_refused() {
        assert_eq!(
            ClientFrame::parse(r#"{"v":2,"type":"ping"}"#),
            Err(ProtocolError::UnsupportedVersion)
        );
        assert_eq!(
            ClientFrame::parse(r#"{"v":1,"type":"applause"}"#),
            Err(ProtocolError::UnknownType)
        );
        // A vote without its fields is malformed, not a vote.
        assert_eq!(
            ClientFrame::parse(r#"{"v":1,"type":"vote"}"#),
            Err(ProtocolError::Malformed)
        );
        assert_eq!(ClientFrame::parse("ping"), Err(ProtocolError::Malformed));
        assert_eq!(
            ServerFrame::parse(r#"{"v":1,"type":"fireworks"}"#).err(),
            Some(ProtocolError::UnknownType),
            "a newer server's frame is recognized as unknown, to be ignored"
        );
    }

    #[test]
    fn every_server_frame_round_trips_with_its_version_and_type() {
        let frames = [
            ServerFrame::Welcome {
                motion: MotionId(1),
                member: Some(MemberId(2)),
                since: 3,
            },
            ServerFrame::Welcome {
                motion: MotionId(1),
                member: None,
                since: 3,
            },
            ServerFrame::Live { seq: 9 },
            ServerFrame::Presence { hall: 4, remote: 5 },
            ServerFrame::Pong,
            ServerFrame::Resync { seq: 8 },
            ServerFrame::Error {
                code: ProtocolError::TooLarge,
            },
        ];
        for frame in frames {
            let text = frame.to_text();
            let value: Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(value["v"], 1, "{text}");
            assert_eq!(value["type"], frame.kind(), "{text}");
            let again = ServerFrame::parse(&text).expect("parses");
            assert_eq!(again.to_text(), text);
        }
    }

    /// The JSON examples of `docs/protocol.md`, one per line of its ```json blocks.
    fn documented_frames() -> Vec<String> {
        let doc = include_str!("../../docs/protocol.md");
        let mut frames = Vec::new();
        let mut inside = false;
        for line in doc.lines() {
            match line.trim() {
                "```json" => inside = true,
                "```" => inside = false,
                frame if inside && !frame.is_empty() => frames.push(frame.replace('…', "")),
                _ => {}
            }
        }
        frames
    }

    #[test]
    fn the_protocol_document_shows_every_frame_type_and_only_those() {
        let mut server = std::collections::BTreeSet::new();
        let mut client = std::collections::BTreeSet::new();
        for frame in documented_frames() {
            let value: Value = serde_json::from_str(&frame)
                .unwrap_or_else(|err| panic!("not JSON in docs/protocol.md: {frame}: {err}"));
            let kind = value["type"].as_str().unwrap_or_default().to_owned();
            if CLIENT_TYPES.contains(&kind.as_str()) {
                assert!(
                    ClientFrame::parse(&frame).is_ok(),
                    "the client frame {frame} does not parse"
                );
                client.insert(kind);
            } else {
                let parsed = ServerFrame::parse(&frame)
                    .unwrap_or_else(|err| panic!("the server frame {frame} does not parse: {err}"));
                assert_eq!(parsed.kind(), kind);
                server.insert(kind);
            }
        }
        let expected_server: std::collections::BTreeSet<String> =
            SERVER_TYPES.iter().map(|t| (*t).to_owned()).collect();
        let expected_client: std::collections::BTreeSet<String> =
            CLIENT_TYPES.iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(
            server, expected_server,
            "server frames documented vs defined"
        );
        assert_eq!(
            client, expected_client,
            "client frames documented vs defined"
        );
    }
}
