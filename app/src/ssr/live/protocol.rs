//! The live protocol, version 1: JSON text frames between the server and a client following one motion.
//! Every message is an object with `"v": 1` and a `"type"`; `docs/protocol.md` shows an example of each.
//!
//! Pure encoding and parsing: no IO, no clock. Event frames embed the payload stored in the log verbatim
//! (canonical JSON written by the store), so the hot path formats one string and parses nothing.

use serde::Deserialize;
use serde_json::json;

/// The protocol version spoken by this server.
pub const VERSION: u64 = 1;

/// Close codes of the live socket (4000–4999 are the application's own range).
pub mod close_code {
    /// The client fell behind: it reconnects with `since` = the last seq it applied.
    pub const RESYNC: u16 = 4000;
    /// The client sent something that is not a message of this protocol (or another version).
    pub const BAD_MESSAGE: u16 = 4400;
    /// The session ended (logout, suspension, a new sign-in, a password reset, expiry): reconnecting needs a
    /// new sign-in.
    pub const SESSION_ENDED: u16 = 4401;
    /// The member's role or status changed: reconnect at once (the socket then follows with the new rights)
    /// and read the page's data again.
    pub const RIGHTS_CHANGED: u16 = 4403;
    /// Nothing was heard from the client for too long.
    pub const SILENT: u16 = 4408;
    /// The server is stopping: reconnect (to another instance, or to this one once restarted).
    pub const GOING_AWAY: u16 = 1001;
}

/// What a client may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientMessage {
    /// Start (or restart) the stream after `since`; only meaningful as the first message.
    Hello { since: i64 },
    /// Application-level heartbeat (browsers cannot send websocket pings); answered with `pong`.
    Ping,
    /// A vote; answered with `vote_ack` or `vote_refused` carrying the same key.
    Vote(VoteMessage),
}

/// A vote sent over the socket.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct VoteMessage {
    /// The ballot.
    pub ballot: i32,
    /// On whose behalf (absent: oneself).
    #[serde(rename = "for")]
    pub represented: Option<i32>,
    /// `pour`, `contre` or `abstention`.
    pub choice: domain::ballot::Choice,
    /// The idempotency key (same key on a retry).
    pub key: String,
}

/// Why a client frame was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("not a JSON message of this protocol")]
    Malformed,
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u64),
    #[error("unknown message type")]
    UnknownType,
}

impl ProtocolError {
    /// The `code` of the `error` frame that answers it.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ProtocolError::Malformed => "malformed",
            ProtocolError::UnsupportedVersion(_) => "unsupported_version",
            ProtocolError::UnknownType => "unknown_type",
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    v: u64,
    #[serde(rename = "type")]
    kind: String,
    since: Option<i64>,
}

/// Reads one client text frame.
///
/// # Errors
/// See [`ProtocolError`].
pub fn parse_client(text: &str) -> Result<ClientMessage, ProtocolError> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|_| ProtocolError::Malformed)?;
    if envelope.v != VERSION {
        return Err(ProtocolError::UnsupportedVersion(envelope.v));
    }
    match envelope.kind.as_str() {
        "hello" => Ok(ClientMessage::Hello {
            since: envelope.since.unwrap_or(0).max(0),
        }),
        "ping" => Ok(ClientMessage::Ping),
        "vote" => serde_json::from_str::<VoteMessage>(text)
            .map(ClientMessage::Vote)
            .map_err(|_| ProtocolError::Malformed),
        _ => Err(ProtocolError::UnknownType),
    }
}

/// One event of the log. `payload` must be the JSON text stored in the log (it is embedded as is).
#[must_use]
pub fn event(seq: i64, kind: &str, at: i64, actor: Option<i32>, payload: &str) -> String {
    let kind = serde_json::Value::from(kind);
    let actor = actor.map_or_else(|| "null".to_owned(), |a| a.to_string());
    format!(
        r#"{{"v":1,"type":"event","seq":{seq},"kind":{kind},"at":{at},"actor":{actor},"data":{payload}}}"#
    )
}

/// First frame: who is connected, to which motion, and the seq after which events follow.
#[must_use]
pub fn welcome(motion: i32, member: i32, since: i64) -> String {
    json!({"v": VERSION, "type": "welcome", "motion": motion, "member": member, "since": since})
        .to_string()
}

/// The replay is over: every event up to `seq` was sent; what follows is live.
#[must_use]
pub fn live(seq: i64) -> String {
    json!({"v": VERSION, "type": "live", "seq": seq}).to_string()
}

/// How many verified delegates follow the motion now, in the hall and remotely (each counted once).
#[must_use]
pub fn presence(hall: u32, remote: u32) -> String {
    json!({"v": VERSION, "type": "presence", "hall": hall, "remote": remote}).to_string()
}

/// The live figures of an open ballot: turnout and eligible voters always, the counts when the ballot shows
/// results live (`null` otherwise). Absolute numbers; at most four frames a second per ballot.
#[must_use]
pub fn tally(live: &crate::ssr::votes::LiveTally) -> String {
    let counts = live
        .counts
        .map(|t| json!({"pour": t.pour, "contre": t.contre, "abstention": t.abstention}));
    json!({"v": VERSION, "type": "tally", "ballot": live.ballot, "turnout": live.turnout,
           "eligible": live.eligible, "counts": counts})
    .to_string()
}

/// The answer to a client `vote`: the receipt (recorded, or already recorded for this key or choice).
#[must_use]
pub fn vote_ack(key: &str, receipt: &crate::ssr::votes::Receipt) -> String {
    json!({"v": VERSION, "type": "vote_ack", "key": key, "ballot": receipt.ballot,
           "for": receipt.represented, "choice": receipt.choice, "recorded_at": receipt.recorded_at,
           "replayed": receipt.replayed, "changed": receipt.changed})
    .to_string()
}

/// The answer to a client `vote` that was not recorded: `retry` says whether sending the same key again may
/// succeed (server busy) or not (refused by the rules: `refusal` says why, as the API's refusals do).
#[must_use]
pub fn vote_refused(
    key: &str,
    code: &str,
    refusal: Option<serde_json::Value>,
    retry: bool,
) -> String {
    json!({"v": VERSION, "type": "vote_refused", "key": key, "code": code, "refusal": refusal,
           "retry": retry})
    .to_string()
}

/// The answer to a client `ping`.
#[must_use]
pub fn pong() -> String {
    json!({"v": VERSION, "type": "pong"}).to_string()
}

/// The client fell behind; the server closes after this (code 4000). Reconnect with `since` = `seq`.
#[must_use]
pub fn resync(seq: i64) -> String {
    json!({"v": VERSION, "type": "resync", "seq": seq}).to_string()
}

/// A client frame was refused; the server closes after this (code 4400).
#[must_use]
pub fn error(code: &str) -> String {
    json!({"v": VERSION, "type": "error", "code": code}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn an_event_frame_is_valid_json_with_the_stored_payload_inside() {
        let frame = event(
            12,
            "amendment_filed",
            1_796_000_000_000,
            Some(3),
            r#"{"amendment":7}"#,
        );
        let value: Value = serde_json::from_str(&frame).expect("valid JSON");
        assert_eq!(value["v"], 1);
        assert_eq!(value["type"], "event");
        assert_eq!(value["seq"], 12);
        assert_eq!(value["kind"], "amendment_filed");
        assert_eq!(value["actor"], 3);
        assert_eq!(value["data"]["amendment"], 7);
        let system = event(1, "motion_created", 0, None, "{}");
        let value: Value = serde_json::from_str(&system).expect("valid JSON");
        assert!(value["actor"].is_null());
    }

    #[test]
    fn clients_say_hello_with_a_seq_and_ping() {
        assert_eq!(
            parse_client(r#"{"v":1,"type":"hello","since":41}"#),
            Ok(ClientMessage::Hello { since: 41 })
        );
        assert_eq!(
            parse_client(r#"{"v":1,"type":"hello","since":-5}"#),
            Ok(ClientMessage::Hello { since: 0 })
        );
        assert_eq!(
            parse_client(r#"{"v":1,"type":"ping"}"#),
            Ok(ClientMessage::Ping)
        );
    }

    #[test]
    fn other_versions_types_and_garbage_are_refused() {
        assert_eq!(
            parse_client(r#"{"v":2,"type":"ping"}"#),
            Err(ProtocolError::UnsupportedVersion(2))
        );
        assert_eq!(
            parse_client(r#"{"v":1,"type":"applause"}"#),
            Err(ProtocolError::UnknownType)
        );
        // A vote without its fields is malformed, not a vote.
        assert_eq!(
            parse_client(r#"{"v":1,"type":"vote"}"#),
            Err(ProtocolError::Malformed)
        );
        assert_eq!(parse_client("ping"), Err(ProtocolError::Malformed));
        assert_eq!(ProtocolError::Malformed.code(), "malformed");
    }

    #[test]
    fn every_server_frame_carries_the_version_and_its_type() {
        for (frame, kind) in [
            (welcome(1, 2, 3), "welcome"),
            (live(9), "live"),
            (presence(4, 5), "presence"),
            (pong(), "pong"),
            (resync(8), "resync"),
            (error("malformed"), "error"),
        ] {
            let value: Value = serde_json::from_str(&frame).expect("valid JSON");
            assert_eq!(value["v"], 1, "{frame}");
            assert_eq!(value["type"], kind, "{frame}");
        }
    }
}
