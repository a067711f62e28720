//! The page's live link to its motion (`docs/protocol.md`): one websocket per tab, opened by the browser once the
//! page is hydrated, starting after the `seq` the server-rendered data includes. Events are applied in `seq`
//! order only; a gap, a `resync` or a drop reconnects with the last applied seq (jittered exponential backoff).
//! Each applied event asks the page to read its data again (coalesced, and deferred while someone types), so
//! every view shows what the log says. The connection state is shown calmly: a drop shorter than
//! [`CALM_MS`] shows nothing. Important changes are announced to screen readers.
//!
//! The rules (`accept`, `backoff_ms`, `announcement_key`) are pure and tested natively; the socket itself exists
//! only in the browser (`hydrate`).

use leptos::prelude::*;

use crate::i18n::{tr, tr_with, use_i18n};

/// A drop shorter than this (ms) is not shown: venue Wi-Fi blinks all the time.
pub const CALM_MS: u64 = 3_000;

/// What the link is doing, as people see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Not started (server rendering, visitors) or connecting for the first time.
    Idle,
    /// Following the motion live.
    Live,
    /// Disconnected for more than [`CALM_MS`]; reconnecting.
    Reconnecting,
    /// The session ended (signed out, suspended): no reconnection.
    Ended,
}

/// What to do with an event of sequence `seq` when `last` is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// The next one: apply it.
    Apply,
    /// Already applied (a replay overlapping the page's data): ignore it.
    Duplicate,
    /// One or more events are missing: do not apply, reconnect from `last`.
    Gap,
}

/// The ordering rule of the protocol.
#[must_use]
pub fn accept(last: i64, seq: i64) -> Accept {
    if seq <= last {
        Accept::Duplicate
    } else if seq == last + 1 {
        Accept::Apply
    } else {
        Accept::Gap
    }
}

/// The wait before reconnection attempt `attempt` (0 for the first), in ms: 500 ms doubling to 15 s at most,
/// then a random share between half and all of it (`random` in `[0, 1)`), so that a hall of laptops that lost
/// the Wi-Fi together does not come back in the same millisecond.
#[must_use]
pub fn backoff_ms(attempt: u32, random: f64) -> u64 {
    let ceiling = 500_u64.saturating_mul(1_u64 << attempt.min(5)).min(15_000);
    let share = 0.5 + random.clamp(0.0, 1.0) / 2.0;
    // `ceiling` is at most 15 000: the conversion is exact.
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "small positive numbers (≤ 15 000)"
    )]
    let wait = (ceiling as f64 * share) as u64;
    wait.max(1)
}

/// The announcement for screen readers of an event kind, if it is important enough to interrupt.
#[must_use]
pub fn announcement_key(kind: &str) -> Option<&'static str> {
    match kind {
        "amendment_adopted" => Some("live.announce.adopted"),
        "amendment_rejected" => Some("live.announce.rejected"),
        "phase_changed" => Some("live.announce.phase"),
        "amendment_filed" => Some("live.announce.filed"),
        "paragraph_version_created" => Some("live.announce.text_changed"),
        "current_item_set" => Some("live.announce.current_item"),
        "ballot_opened" => Some("live.announce.ballot_opened"),
        "ballot_closed" => Some("live.announce.ballot_closed"),
        _ => None,
    }
}

pub use crate::protocol::TallyFrame;

/// Whether `next` replaces `last`: turnout never goes back for the same ballot (frames may cross a
/// reconnection); another ballot always replaces.
#[must_use]
pub fn newer_tally(last: Option<&TallyFrame>, next: &TallyFrame) -> bool {
    match last {
        Some(last) if last.ballot == next.ballot => next.turnout >= last.turnout,
        _ => true,
    }
}

/// The live state a page shares with its parts.
#[derive(Clone, Copy, Debug)]
pub struct Live {
    /// Bumped whenever the page should read its data again.
    pub tick: RwSignal<u64>,
    /// The connection, as shown.
    pub state: RwSignal<LinkState>,
    /// Delegates following the motion: (in the hall, remote).
    pub presence: RwSignal<Option<(u32, u32)>>,
    /// The last announcement for screen readers (translation key).
    pub announcement: RwSignal<Option<&'static str>>,
    /// The running figures of the open ballot, if any was heard.
    pub tally: RwSignal<Option<TallyFrame>>,
    started: RwSignal<bool>,
    stopped: RwSignal<bool>,
}

impl Live {
    /// Fresh signals; nothing connects until [`Live::start`].
    #[must_use]
    pub fn new() -> Self {
        Live {
            tick: RwSignal::new(0),
            state: RwSignal::new(LinkState::Idle),
            presence: RwSignal::new(None),
            announcement: RwSignal::new(None),
            tally: RwSignal::new(None),
            started: RwSignal::new(false),
            stopped: RwSignal::new(false),
        }
    }

    /// Closes the link for good (the page is left); call it from the page's `on_cleanup`.
    pub fn stop(self) {
        self.stopped.try_set(true);
    }

    /// Opens the link to `motion` after `since`, once per page (later calls do nothing). Only in the browser.
    pub fn start(self, motion: i32, since: i64) {
        self.start_with_key(motion, since, None);
    }

    /// [`Live::start`] for a projector: `key` is its read-only link's key, in place of a session.
    pub fn start_with_key(self, motion: i32, since: i64, key: Option<String>) {
        if self.started.get_untracked() || self.stopped.get_untracked() {
            return;
        }
        self.started.set(true);
        #[cfg(feature = "hydrate")]
        client::connect(self, motion, since, key);
        #[cfg(not(feature = "hydrate"))]
        let _ = (motion, since, key);
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// The connection indicator, the presence figures and the live region for announcements.
#[component]
pub fn LiveStatus(live: Live) -> impl IntoView {
    let locale = use_i18n().locale;
    let state = move || match live.state.get() {
        LinkState::Idle => None,
        LinkState::Live => Some(("live--on", "live.on")),
        LinkState::Reconnecting => Some(("live--off", "live.reconnecting")),
        LinkState::Ended => Some(("live--off", "live.ended")),
    };
    view! {
        <p class="live" data-live=move || format!("{:?}", live.state.get()).to_lowercase()>
            {move || state().map(|(class, key)| view! { <span class=class>{tr(locale.get(), key)}</span> })}
            {move || live.presence.get().map(|(hall, remote)| view! {
                " · "
                {tr_with(locale.get(), "live.presence", &[("hall", &hall.to_string()), ("remote", &remote.to_string())])}
            })}
        </p>
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || live.announcement.get().map(|key| tr(locale.get(), key).to_owned())}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    //! The browser side: the socket, its reconnection, heartbeats and refresh scheduling.

    use std::{
        cell::{Cell, RefCell},
        rc::Rc,
        time::Duration,
    };

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    use crate::protocol::{ClientFrame, ServerFrame};

    use super::{
        Accept, CALM_MS, LinkState, Live, accept, announcement_key, backoff_ms, newer_tally,
    };

    /// Send an application ping after this much silence; give up on the socket after [`SILENCE_MS`].
    const PING_MS: f64 = 25_000.0;
    const SILENCE_MS: f64 = 60_000.0;

    struct Link {
        live: Live,
        motion: i32,
        key: Option<String>,
        last: Cell<i64>,
        attempt: Cell<u32>,
        socket: RefCell<Option<WebSocket>>,
        handlers: RefCell<Vec<Box<dyn std::any::Any>>>,
        heard_at: Cell<f64>,
        down_since: Cell<Option<f64>>,
        refresh_pending: Cell<bool>,
        ended: Cell<bool>,
        interval: Cell<Option<IntervalHandle>>,
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    pub(super) fn connect(live: Live, motion: i32, since: i64, key: Option<String>) {
        let link = Rc::new(Link {
            live,
            motion,
            key,
            last: Cell::new(since),
            attempt: Cell::new(0),
            socket: RefCell::new(None),
            handlers: RefCell::new(Vec::new()),
            heard_at: Cell::new(now()),
            down_since: Cell::new(None),
            refresh_pending: Cell::new(false),
            ended: Cell::new(false),
            interval: Cell::new(None),
        });
        open(&link);
        let beat = Rc::clone(&link);
        let interval =
            set_interval_with_handle(move || heartbeat(&beat), Duration::from_secs(1)).ok();
        link.interval.set(interval);
    }

    fn url(motion: i32, since: i64, key: Option<&str>) -> Option<String> {
        let location = window().location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().ok()?;
        let key = key.map(|key| format!("&cle={key}")).unwrap_or_default();
        Some(format!(
            "{scheme}://{host}/api/v1/motions/{motion}/live?since={since}{key}"
        ))
    }

    fn open(link: &Rc<Link>) {
        if link.ended.get() {
            return;
        }
        let Some(url) = url(link.motion, link.last.get(), link.key.as_deref()) else {
            return;
        };
        let Ok(socket) = WebSocket::new(&url) else {
            schedule_reconnect(link);
            return;
        };
        let on_message = {
            let link = Rc::clone(link);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    receive(&link, &text);
                }
            })
        };
        let on_close = {
            let link = Rc::clone(link);
            Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
                closed(&link, event.code());
            })
        };
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        link.heard_at.set(now());
        *link.handlers.borrow_mut() = vec![Box::new(on_message), Box::new(on_close)];
        *link.socket.borrow_mut() = Some(socket);
    }

    fn receive(link: &Rc<Link>, text: &str) {
        link.heard_at.set(now());
        // Frames of a newer protocol, or unknown types, are ignored.
        let Ok(frame) = ServerFrame::parse(text) else {
            return;
        };
        match frame {
            ServerFrame::Event(event) => match accept(link.last.get(), event.seq) {
                Accept::Apply => {
                    link.last.set(event.seq);
                    if let Some(key) = announcement_key(&event.kind) {
                        link.live.announcement.set(Some(key));
                    }
                    schedule_refresh(link);
                }
                Accept::Duplicate => {}
                Accept::Gap => restart(link),
            },
            ServerFrame::Live { .. } => {
                link.attempt.set(0);
                link.down_since.set(None);
                link.live.state.set(LinkState::Live);
            }
            ServerFrame::Presence { hall, remote } => link.live.presence.set(Some((hall, remote))),
            ServerFrame::Tally(frame) => {
                if link
                    .live
                    .tally
                    .with_untracked(|last| newer_tally(last.as_ref(), &frame))
                {
                    link.live.tally.set(Some(frame));
                }
            }
            ServerFrame::Resync { .. } => restart(link),
            ServerFrame::Welcome { .. }
            | ServerFrame::Pong
            | ServerFrame::Error { .. }
            | ServerFrame::VoteAck(_)
            | ServerFrame::VoteRefused(_) => {}
        }
    }

    /// Drops the socket and reconnects from the last applied seq.
    fn restart(link: &Rc<Link>) {
        if let Some(socket) = link.socket.borrow_mut().take() {
            socket.set_onclose(None);
            let _ = socket.close();
        }
        closed(link, 1006);
    }

    fn closed(link: &Rc<Link>, code: u16) {
        link.socket.borrow_mut().take();
        if link.ended.get() {
            return;
        }
        if code == 4401 || code == 4400 {
            // The session ended, or this client speaks wrongly: reconnecting would only loop.
            link.ended.set(true);
            link.live.state.set(LinkState::Ended);
            return;
        }
        if code == 4403 {
            // The member's rights changed: come back at once with the new ones, and show what they allow.
            link.attempt.set(0);
            schedule_refresh(link);
            open(link);
            return;
        }
        if link.down_since.get().is_none() {
            link.down_since.set(Some(now()));
            let calm = Rc::clone(link);
            set_timeout(
                move || {
                    if calm.down_since.get().is_some() && !calm.ended.get() {
                        calm.live.state.set(LinkState::Reconnecting);
                    }
                },
                Duration::from_millis(CALM_MS),
            );
        }
        schedule_reconnect(link);
    }

    fn schedule_reconnect(link: &Rc<Link>) {
        let attempt = link.attempt.get();
        link.attempt.set(attempt.saturating_add(1));
        let wait = backoff_ms(attempt, js_sys::Math::random());
        let again = Rc::clone(link);
        set_timeout(move || open(&again), Duration::from_millis(wait));
    }

    fn heartbeat(link: &Rc<Link>) {
        if link.live.stopped.try_get_untracked().unwrap_or(true) {
            // The page is gone: close for good.
            link.ended.set(true);
            if let Some(interval) = link.interval.take() {
                interval.clear();
            }
            if let Some(socket) = link.socket.borrow_mut().take() {
                socket.set_onclose(None);
                let _ = socket.close();
            }
            return;
        }
        let silent = now() - link.heard_at.get();
        let socket = link.socket.borrow().clone();
        let Some(socket) = socket else {
            return;
        };
        if socket.ready_state() != WebSocket::OPEN {
            return;
        }
        if silent > SILENCE_MS {
            restart(link);
        } else if silent > PING_MS {
            let _ = socket.send_with_str(&ClientFrame::Ping.to_text());
        }
    }

    /// Whether someone is typing in the page: its data must not be re-rendered under their fingers.
    fn typing() -> bool {
        document().active_element().is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        })
    }

    /// Asks the page to read its data again, once for a burst of events, a little later for each tab so that a
    /// full hall does not ask in the same millisecond, and not while someone types.
    fn schedule_refresh(link: &Rc<Link>) {
        if link.refresh_pending.replace(true) {
            return;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a random share of 700 ms"
        )]
        let spread = (js_sys::Math::random() * 700.0) as u64;
        let later = Rc::clone(link);
        set_timeout(move || refresh(&later), Duration::from_millis(200 + spread));
    }

    fn refresh(link: &Rc<Link>) {
        if typing() {
            let later = Rc::clone(link);
            set_timeout(move || refresh(&later), Duration::from_secs(1));
            return;
        }
        link.refresh_pending.set(false);
        link.live.tick.update(|tick| *tick += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ServerFrame;

    #[test]
    fn events_apply_in_order_only_duplicates_are_ignored_and_gaps_detected() {
        assert_eq!(accept(41, 42), Accept::Apply);
        assert_eq!(accept(41, 41), Accept::Duplicate);
        assert_eq!(accept(41, 12), Accept::Duplicate);
        assert_eq!(accept(41, 43), Accept::Gap);
        assert_eq!(accept(0, 1), Accept::Apply);
    }

    #[test]
    fn reconnection_waits_grow_are_capped_and_spread() {
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(0, 0.999_999), 499);
        assert_eq!(backoff_ms(1, 0.0), 500);
        assert_eq!(backoff_ms(4, 0.0), 4_000);
        for attempt in [5, 6, 20, u32::MAX] {
            assert!(backoff_ms(attempt, 0.999) <= 15_000);
            assert!(backoff_ms(attempt, 0.0) >= 7_500);
        }
    }

    #[test]
    fn server_frames_are_read_and_unknown_ones_tolerated() {
        let event = r#"{"v":1,"type":"event","seq":42,"kind":"amendment_filed","at":1,"actor":3,"data":{"x":1}}"#;
        match ServerFrame::parse(event) {
            Ok(ServerFrame::Event(event)) => {
                assert_eq!((event.seq, event.kind.as_str()), (42, "amendment_filed"))
            }
            other => panic!("an event, got {other:?}"),
        }
        assert!(matches!(
            ServerFrame::parse(r#"{"v":1,"type":"presence","hall":2,"remote":1}"#),
            Ok(ServerFrame::Presence { hall: 2, remote: 1 })
        ));
        assert!(ServerFrame::parse(r#"{"v":2,"type":"weather","sky":"grey"}"#).is_err());
        let hidden = r#"{"v":1,"type":"tally","ballot":7,"turnout":3,"eligible":12,"counts":null}"#;
        match ServerFrame::parse(hidden) {
            Ok(ServerFrame::Tally(tally)) => assert_eq!((tally.turnout, tally.counts), (3, None)),
            other => panic!("a tally, got {other:?}"),
        }
    }

    #[test]
    fn turnout_never_goes_back_for_the_same_ballot_but_a_new_ballot_starts_again() {
        let frame = |ballot, turnout| TallyFrame {
            ballot: domain::ids::BallotId(ballot),
            turnout,
            eligible: 10,
            counts: None,
        };
        assert!(newer_tally(None, &frame(1, 0)));
        assert!(newer_tally(Some(&frame(1, 3)), &frame(1, 4)));
        assert!(newer_tally(Some(&frame(1, 3)), &frame(1, 3)));
        assert!(!newer_tally(Some(&frame(1, 3)), &frame(1, 2)));
        assert!(newer_tally(Some(&frame(1, 9)), &frame(2, 0)));
    }

    #[test]
    fn every_announcement_has_a_text_in_both_languages() {
        for kind in [
            "amendment_adopted",
            "amendment_rejected",
            "phase_changed",
            "amendment_filed",
            "paragraph_version_created",
            "current_item_set",
            "ballot_opened",
            "ballot_closed",
        ] {
            let key = announcement_key(kind).unwrap_or("missing");
            for locale in [crate::i18n::Locale::Fr, crate::i18n::Locale::En] {
                assert_ne!(tr(locale, key), key, "{kind}");
            }
        }
        assert_eq!(announcement_key("amendment_co_signed"), None);
    }
}
