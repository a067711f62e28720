//! The client end of the live socket, shared by every kind of loadgen client (followers, voters, the flooding
//! client, the probes): one way to connect, to wait for `live`, to keep a quiet socket alive and to read frames,
//! so that what one client measures is comparable with what another does.
//!
//! Every frame is parsed once, with the protocol's own types (`app::protocol`), and handed by value to the
//! client's [`Handler`]. A socket costs its 4 KiB read buffer and two timers, nothing per frame.

use std::time::Duration;

use anyhow::{Context, bail};
use app::protocol::{ClientFrame, ProtocolError, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use tokio::{net::TcpStream, sync::watch, time::Instant};
use tokio_tungstenite::{
    WebSocketStream, client_async_with_config,
    tungstenite::{self, Message, client::IntoClientRequest, protocol::WebSocketConfig},
};

use super::now_micros;

/// `docs/protocol.md`: a client sends `ping` after ~25 s without hearing anything…
const PING_AFTER: Duration = Duration::from_secs(25);
/// … and treats 60 s of silence as a dropped connection.
const DEAD_AFTER: Duration = Duration::from_secs(60);

/// What the handler wants after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The client has what it came for: the socket is closed (normally).
    Close,
}

/// Why reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// `stop` was raised; the socket was closed.
    Stopped,
    /// The handler asked to close; the socket was closed.
    Closed,
    /// The server closed, the connection broke, or the server fell silent: the client may reconnect.
    Dropped,
}

/// The per-use part of a client: what it does with each frame, and an optional timer of its own.
pub trait Handler {
    /// One parsed frame (frames of unknown types are skipped before this), `received_at` in µs since the
    /// epoch, taken right after the read. Frames pushed to `send` are written before the next read.
    fn frame(&mut self, frame: ServerFrame, received_at: u64, send: &mut Vec<ClientFrame>) -> Flow;

    /// When [`Handler::wake`] is due, if ever; only looked at once `live` was seen (or in
    /// [`Socket::follow`]). `wake` must move or clear it.
    fn wake_at(&self) -> Option<Instant> {
        None
    }

    /// The timer of [`Handler::wake_at`] fired.
    fn wake(&mut self, _send: &mut Vec<ClientFrame>) {}
}

/// An open live socket.
pub struct Socket {
    ws: WebSocketStream<TcpStream>,
}

impl Socket {
    /// Connects (`authorization` is the whole header value, `Bearer …`). Small buffers on purpose: thousands of
    /// these share one machine with the server.
    pub async fn open(url: &str, authorization: Option<&str>) -> anyhow::Result<Self> {
        let mut request = url.into_client_request()?;
        if let Some(authorization) = authorization {
            request
                .headers_mut()
                .insert("authorization", authorization.parse()?);
        }
        let host = request
            .uri()
            .authority()
            .context("a host in the URL")?
            .as_str()
            .to_owned();
        let stream = TcpStream::connect(host).await?;
        stream.set_nodelay(true)?;
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0)
            .max_message_size(Some(1 << 20));
        let (ws, _) = client_async_with_config(request, stream, Some(config)).await?;
        Ok(Self { ws })
    }

    /// Reads the replay: every frame before `live` goes to `handler`; answers `live`'s seq.
    pub async fn until_live<H: Handler>(
        &mut self,
        handler: &mut H,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<i64, End> {
        self.read(handler, stop, true).await
    }

    /// Reads until the end, every frame to `handler` (a `live` included), its timer running.
    pub async fn follow<H: Handler>(
        &mut self,
        handler: &mut H,
        stop: &mut watch::Receiver<bool>,
    ) -> End {
        self.read(handler, stop, false)
            .await
            .err()
            .unwrap_or(End::Dropped)
    }

    /// Writes `frames` with one flush.
    pub async fn send(
        &mut self,
        frames: impl IntoIterator<Item = ClientFrame>,
    ) -> Result<(), tungstenite::Error> {
        for frame in frames {
            self.ws.feed(Message::text(frame.to_text())).await?;
        }
        self.ws.flush().await
    }

    /// A normal close (the server logs nothing unusual).
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// The one reading loop. `until_live`: return at `live` (answering its seq) and leave the handler's timer
    /// alone; otherwise `live` is a frame like the others and this only returns `Err`.
    async fn read<H: Handler>(
        &mut self,
        handler: &mut H,
        stop: &mut watch::Receiver<bool>,
        until_live: bool,
    ) -> Result<i64, End> {
        // The silence timer is re-armed when it fires, not at every frame: a frame only stamps `heard`.
        let mut heard = Instant::now();
        let mut pinged = false;
        let silence = tokio::time::sleep_until(heard + PING_AFTER);
        tokio::pin!(silence);
        let wake = tokio::time::sleep_until(heard);
        tokio::pin!(wake);
        let mut armed: Option<Instant> = None;
        let mut send = Vec::new();
        loop {
            if !until_live {
                let due = handler.wake_at();
                if due != armed {
                    if let Some(at) = due {
                        wake.as_mut().reset(at);
                    }
                    armed = due;
                }
            }
            let message = tokio::select! {
                message = self.ws.next() => message,
                () = super::wait_stop(stop) => {
                    let _ = self.ws.close(None).await;
                    return Err(End::Stopped);
                }
                () = &mut silence => {
                    let quiet = heard.elapsed();
                    if quiet >= DEAD_AFTER {
                        return Err(End::Dropped);
                    }
                    if quiet >= PING_AFTER && !pinged {
                        pinged = true;
                        if self.send([ClientFrame::Ping]).await.is_err() {
                            return Err(End::Dropped);
                        }
                    }
                    silence.as_mut().reset(heard + if pinged { DEAD_AFTER } else { PING_AFTER });
                    continue;
                }
                () = &mut wake, if armed.is_some() => {
                    armed = None;
                    handler.wake(&mut send);
                    if !send.is_empty() && self.send(send.drain(..)).await.is_err() {
                        return Err(End::Dropped);
                    }
                    continue;
                }
            };
            let text = match message {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(Message::Close(_)) | Err(_)) | None => return Err(End::Dropped),
                // Websocket pings (answered by tungstenite), pongs: signs of life all the same.
                Some(Ok(_)) => {
                    heard = Instant::now();
                    pinged = false;
                    continue;
                }
            };
            let received_at = now_micros();
            heard = Instant::now();
            pinged = false;
            // Frames of a newer server (unknown types) are ignored, as the protocol asks of clients.
            let Ok(frame) = ServerFrame::parse(text.as_str()) else {
                continue;
            };
            if until_live && let ServerFrame::Live { seq } = frame {
                return Ok(seq);
            }
            let flow = handler.frame(frame, received_at, &mut send);
            if !send.is_empty() && self.send(send.drain(..)).await.is_err() {
                return Err(End::Dropped);
            }
            if flow == Flow::Close {
                let _ = self.ws.close(None).await;
                return Err(End::Closed);
            }
        }
    }
}

/// The log's head seq, read the way a page starts (everything since 0, up to `live`): clients then connect
/// after it instead of replaying the whole log.
pub async fn head_seq(ws_url: &str, authorization: &str) -> anyhow::Result<i64> {
    /// Keeps the reason, should the server refuse the socket after its upgrade.
    struct Refused(Option<ProtocolError>);
    impl Handler for Refused {
        fn frame(&mut self, frame: ServerFrame, _: u64, _: &mut Vec<ClientFrame>) -> Flow {
            if let ServerFrame::Error { code } = frame {
                self.0 = Some(code);
            }
            Flow::Continue
        }
    }
    let mut socket = Socket::open(&format!("{ws_url}?since=0"), Some(authorization)).await?;
    // Nothing stops a probe but its own end.
    let (_never, mut stop) = watch::channel(false);
    let mut refused = Refused(None);
    match socket.until_live(&mut refused, &mut stop).await {
        Ok(seq) => {
            socket.close().await;
            Ok(seq)
        }
        Err(_) => match refused.0 {
            Some(code) => bail!("the server refused the probe socket: {code}"),
            None => bail!("the probe socket closed before `live`"),
        },
    }
}
