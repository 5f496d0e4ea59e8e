//! The local webhook receiver: GitHub `push` events (fed e.g. by `gh webhook forward`) on
//! 127.0.0.1 only. Every request must carry `X-Hub-Signature-256`, the HMAC-SHA256 of its exact
//! body under the repository's webhook secret (kept in the keychain), compared in constant
//! time; unsigned or wrongly signed requests (a captured signature sent with another body, say)
//! are rejected and logged. The signature does not cover `X-GitHub-Delivery`, so a captured
//! delivery could be sent again under a new id: recent payloads are remembered and a repeat is
//! refused (409), while GitHub's own redelivery (same id) is ignored. A push to another branch
//! does nothing. Accepted pushes to the fabric's branch are handed to the watcher.
//!
//! The HTTP side is a small HTTP/1.1 server of our own on `std::net`, one request per
//! connection, because what it must guarantee needs socket timeouts, which tiny_http does not
//! expose: each request is read in its own thread (at most [`MAX_CONNECTIONS`] at once, beyond
//! that 503), whole within [`REQUEST_DEADLINE`] or answered 408, in short reads that notice a
//! stop. So a client trickling its body one byte a second neither delays other deliveries nor
//! keeps `watch` from exiting.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::http::{answer, Incoming, Unreadable};
use crate::error::{Error, Result};
use crate::secrets::Secret;

/// Deliveries (ids and payload signatures) remembered to refuse repeats.
const REMEMBERED: usize = 1000;
/// A whole request (head and body) must arrive within this; GitHub gives up after 10 s too.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// Requests read at once; GitHub sends one delivery at a time, so more is someone else.
pub const MAX_CONNECTIONS: usize = 16;
/// How often the accept loop looks at the stop flag.
const ACCEPT_POLL: Duration = Duration::from_millis(25);
/// An answer is a few hundred bytes; a client that will not take it is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the receiver did with one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Delivery {
    /// A signed push to the fabric's branch: pull.
    Accepted { after: Option<String> },
    /// Signed, but nothing to do (a ping, another branch, another event, a redelivery).
    Ignored { reason: String },
    /// Refused: not signed, wrong signature, replayed, malformed, too slow.
    Rejected { reason: String },
}

/// Checks `X-Hub-Signature-256: sha256=HEX` against the HMAC-SHA256 of `body`, in constant time.
pub fn verify_signature(secret: &Secret, body: &[u8], header: Option<&str>) -> Result<(), String> {
    signed_digest(secret, body, header).map(|_| ())
}

/// The verified signature: the body's HMAC, which names the payload for spotting replays.
fn signed_digest(secret: &Secret, body: &[u8], header: Option<&str>) -> Result<[u8; 32], String> {
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or_else(|| "unsigned request (no X-Hub-Signature-256)".to_owned())?;
    let hex = header.strip_prefix("sha256=").ok_or_else(|| "wrong signature format (expected sha256=HEX)".to_owned())?;
    let expected = decode_hex(hex).ok_or_else(|| "wrong signature format (not 64 hex digits)".to_owned())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).map_err(|_| "unusable webhook secret".to_owned())?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| "wrong signature (not made with this repository's webhook secret for this body)".to_owned())?;
    Ok(expected)
}

/// The signature header value GitHub would send for `body`.
pub fn sign(secret: &Secret, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!("sha256={}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn decode_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A delivery already received.
struct Seen {
    id: Option<String>,
    digest: [u8; 32],
}

/// Decides about one request; pure but for the memory of recent deliveries.
pub struct Gate {
    secret: Secret,
    branch: String,
    seen: Mutex<VecDeque<Seen>>,
}

impl Gate {
    pub fn new(secret: Secret, branch: &str) -> Self {
        Self { secret, branch: branch.to_owned(), seen: Mutex::new(VecDeque::new()) }
    }

    pub fn decide(&self, event: Option<&str>, signature: Option<&str>, delivery: Option<&str>, body: &[u8]) -> Delivery {
        self.judge(event, signature, delivery, body).0
    }

    /// The decision and the HTTP status that says it.
    fn judge(&self, event: Option<&str>, signature: Option<&str>, delivery: Option<&str>, body: &[u8]) -> (Delivery, u16) {
        let digest = match signed_digest(&self.secret, body, signature) {
            Ok(digest) => digest,
            Err(reason) => return (Delivery::Rejected { reason }, 401),
        };
        if let Some(repeat) = self.remember(delivery, digest) {
            return repeat;
        }
        let ignored = |reason: String| (Delivery::Ignored { reason }, 200);
        let rejected = |reason: String| (Delivery::Rejected { reason }, 400);
        match event {
            Some("ping") => return ignored("ping".to_owned()),
            Some("push") => {}
            Some(other) => return ignored(format!("{other} events are not used")),
            None => return rejected("no X-GitHub-Event header".to_owned()),
        }
        let payload: serde_json::Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return rejected(format!("the push payload is not JSON: {e}")),
        };
        let Some(git_ref) = payload.get("ref").and_then(|r| r.as_str()) else {
            return rejected("the push payload has no ref".to_owned());
        };
        if git_ref != format!("refs/heads/{}", self.branch) {
            return ignored(format!("push to {git_ref}, not to {}", self.branch));
        }
        let after = payload.get("after").and_then(|a| a.as_str()).map(str::to_owned);
        (Delivery::Accepted { after }, 202)
    }

    /// Notes a signed delivery, or answers a repeat: the same id is GitHub redelivering
    /// (ignored); the same payload under another id is a replay (refused).
    fn remember(&self, delivery: Option<&str>, digest: [u8; 32]) -> Option<(Delivery, u16)> {
        let id = delivery.map(str::trim).filter(|d| !d.is_empty());
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = id {
            if seen.iter().any(|s| s.id.as_deref() == Some(id)) {
                return Some((Delivery::Ignored { reason: format!("delivery {id} was already received") }, 200));
            }
        }
        if let Some(first) = seen.iter().find(|s| s.digest == digest) {
            let first = first.id.as_deref().map(|d| format!("as delivery {d}")).unwrap_or_else(|| "without a delivery id".to_owned());
            let reason = format!("replayed delivery: the same signed payload was already received ({first})");
            return Some((Delivery::Rejected { reason }, 409));
        }
        seen.push_back(Seen { id: id.map(str::to_owned), digest });
        if seen.len() > REMEMBERED {
            seen.pop_front();
        }
        None
    }
}

/// The running receiver; stops when dropped, without waiting for slow clients.
pub struct WebhookServer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl WebhookServer {
    /// Listens on 127.0.0.1:`port` (0: any free port) and sends every decision to `events`.
    pub fn start(port: u16, gate: Gate, events: Sender<Delivery>) -> Result<Self> {
        Self::start_with(port, gate, events, REQUEST_DEADLINE)
    }

    fn start_with(port: u16, gate: Gate, events: Sender<Delivery>, deadline: Duration) -> Result<Self> {
        let cannot = |e: std::io::Error| Error::InvalidInput(format!("cannot listen for webhooks on 127.0.0.1:{port}: {e}"));
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(cannot)?;
        // Polled, so the loop sees the stop flag; a blocking accept would need waking.
        listener.set_nonblocking(true).map_err(cannot)?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        let stop = Arc::new(AtomicBool::new(false));
        let receiver = Receiver { gate: Arc::new(gate), events, stop: stop.clone(), active: Arc::new(AtomicUsize::new(0)), deadline };
        let thread = std::thread::Builder::new()
            .name("webhook".to_owned())
            .spawn(move || receiver.accept_loop(&listener))
            .map_err(|e| Error::InvalidInput(format!("cannot start the webhook receiver: {e}")))?;
        tracing::info!(port, "listening for GitHub webhooks on 127.0.0.1");
        Ok(Self { stop, thread: Some(thread), port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for WebhookServer {
    /// Stops accepting at once; requests being read see the flag within a tick and close.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every request thread shares.
#[derive(Clone)]
struct Receiver {
    gate: Arc<Gate>,
    events: Sender<Delivery>,
    stop: Arc<AtomicBool>,
    active: Arc<AtomicUsize>,
    deadline: Duration,
}

/// One of the [`MAX_CONNECTIONS`] places; freed when its thread ends (or never starts).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Receiver {
    fn accept_loop(&self, listener: &TcpListener) {
        while !self.stop.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, from)) => self.dispatch(stream, from),
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(ACCEPT_POLL),
                Err(e) => {
                    // Out of descriptors, say: wait rather than spin.
                    tracing::warn!(error = %e, "webhook receiver: cannot accept a connection");
                    std::thread::sleep(ACCEPT_POLL);
                }
            }
        }
    }

    /// Reads the request in a thread of its own, within the bound on how many run at once.
    fn dispatch(&self, stream: TcpStream, from: SocketAddr) {
        // Some systems hand out accepted sockets non-blocking like their listener.
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        if self.active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            self.active.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!(%from, "webhook receiver busy: {MAX_CONNECTIONS} requests being read; refused one");
            answer(&stream, 503, "busy: too many requests at once\n");
            return;
        }
        let slot = Slot(self.active.clone());
        let receiver = self.clone();
        let spawned = std::thread::Builder::new().name("webhook-request".to_owned()).spawn(move || {
            let _slot = slot;
            receiver.handle(&stream, from);
        });
        if let Err(e) = spawned {
            tracing::warn!(%from, error = %e, "webhook receiver: cannot start a thread for a request");
        }
    }

    fn handle(&self, stream: &TcpStream, from: SocketAddr) {
        let deadline = Instant::now() + self.deadline;
        let (decision, status, event) = match Incoming::new(stream, deadline, &self.stop).read_request() {
            Ok(request) => {
                let event = request.header("X-GitHub-Event").map(str::to_owned);
                let (decision, status) = if request.method != "POST" {
                    (Delivery::Rejected { reason: format!("{} requests are not accepted; GitHub sends POST", request.method) }, 405)
                } else {
                    let (event, signature) = (request.header("X-GitHub-Event"), request.header("X-Hub-Signature-256"));
                    self.gate.judge(event, signature, request.header("X-GitHub-Delivery"), &request.body)
                };
                (decision, status, event)
            }
            // Shutting down, or the client went away: nobody to answer.
            Err(Unreadable::Stopped | Unreadable::Gone) => return,
            Err(Unreadable::Answer(status, reason)) => (Delivery::Rejected { reason }, status, None),
        };
        let event = event.as_deref().unwrap_or("-");
        let text = match &decision {
            Delivery::Accepted { after } => {
                tracing::info!(after = after.as_deref().unwrap_or("-"), "webhook push accepted");
                "accepted\n".to_owned()
            }
            Delivery::Ignored { reason } => {
                tracing::info!(event, reason, "webhook ignored");
                format!("ignored: {reason}\n")
            }
            Delivery::Rejected { reason } => {
                tracing::warn!(%from, event, status, reason, "webhook rejected");
                format!("rejected: {reason}\n")
            }
        };
        let _ = self.events.send(decision);
        answer(stream, status, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn gate() -> (Gate, Secret) {
        let secret = Secret::new("It's a Secret to Everybody".to_owned()).unwrap();
        (Gate::new(secret.clone(), "main"), secret)
    }

    #[test]
    fn github_documented_example_verifies() {
        // The example from GitHub's "Validating webhook deliveries".
        let secret = Secret::new("It's a Secret to Everybody".to_owned()).unwrap();
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(verify_signature(&secret, b"Hello, World!", Some(header)), Ok(()));
        assert_eq!(sign(&secret, b"Hello, World!"), header);
    }

    #[test]
    fn decisions() {
        let (gate, secret) = gate();
        let body = br#"{"ref":"refs/heads/main","after":"abc"}"#;
        let good = sign(&secret, body);
        assert_eq!(gate.decide(Some("push"), Some(&good), Some("d1"), body), Delivery::Accepted { after: Some("abc".into()) });
        assert!(matches!(gate.decide(Some("push"), Some(&good), Some("d1"), body), Delivery::Ignored { .. }), "repeat");
        assert!(matches!(gate.decide(Some("push"), None, Some("d2"), body), Delivery::Rejected { .. }), "unsigned");
        let other = br#"{"ref":"refs/heads/main","after":"evil"}"#;
        assert!(matches!(gate.decide(Some("push"), Some(&good), Some("d3"), other), Delivery::Rejected { .. }), "replayed with another body");
        let wrong = sign(&Secret::new("other".into()).unwrap(), body);
        assert!(matches!(gate.decide(Some("push"), Some(&wrong), Some("d4"), body), Delivery::Rejected { .. }));
        assert!(matches!(gate.decide(Some("push"), Some("sha256=zz"), Some("d5"), body), Delivery::Rejected { .. }));
        let feature = br#"{"ref":"refs/heads/feature","after":"abc"}"#;
        assert!(matches!(gate.decide(Some("push"), Some(&sign(&secret, feature)), Some("d6"), feature), Delivery::Ignored { .. }));
        assert!(matches!(gate.decide(Some("ping"), Some(&sign(&secret, b"{}")), Some("d7"), b"{}"), Delivery::Ignored { .. }));
        // Regression (issue K): the same signed payload under a new delivery id was accepted.
        let (replay, status) = gate.judge(Some("push"), Some(&good), Some("d8"), body);
        assert!(matches!(&replay, Delivery::Rejected { reason } if reason.contains("replayed") && reason.contains("d1")), "{replay:?}");
        assert_eq!(status, 409);
    }

    /// Sends `raw` on a new connection and returns the answer (read for at most 5 s).
    fn exchange(port: u16, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream.write_all(raw).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    #[test]
    fn a_trickling_client_is_cut_off_at_the_deadline_and_holds_up_nobody() {
        let (gate, secret) = gate();
        let (tx, rx) = std::sync::mpsc::channel();
        let server = WebhookServer::start_with(0, gate, tx, Duration::from_secs(3)).unwrap();
        let port = server.port();
        let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
        slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{").unwrap();

        let body = br#"{"ref":"refs/heads/main","after":"abc"}"#;
        let head = format!("POST / HTTP/1.1\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: {}\r\n", sign(&secret, body));
        let started = Instant::now();
        let fixed = exchange(port, &[format!("{head}X-GitHub-Delivery: a\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(), body].concat());
        assert!(fixed.starts_with("HTTP/1.1 202 "), "{fixed}");
        assert!(started.elapsed() < Duration::from_millis(1500), "answered while the slow client trickles");
        // Chunked, with Expect: 100-continue (curl's way); the same payload again is a replay.
        let chunked = [format!("{head}X-GitHub-Delivery: b\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").as_bytes(), b"5\r\n", &body[..5], b"\r\n", format!("{:x}\r\n", body.len() - 5).as_bytes(), &body[5..], b"\r\n0\r\n\r\n"].concat();
        let replay = exchange(port, &chunked);
        assert!(replay.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 409 ") && replay.contains("replayed"), "{replay}");

        slow.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
        let mut cut = String::new();
        let _ = slow.read_to_string(&mut cut);
        assert!(cut.starts_with("HTTP/1.1 408 "), "{cut}");
        let outcomes: Vec<Delivery> = rx.try_iter().collect();
        assert!(matches!(outcomes.as_slice(), [Delivery::Accepted { .. }, Delivery::Rejected { .. }, Delivery::Rejected { reason }] if reason.contains("within")), "{outcomes:?}");

        // Stopping does not wait for a client in the middle of a request.
        let mut stuck = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stuck.write_all(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let stopping = Instant::now();
        drop(server);
        assert!(stopping.elapsed() < Duration::from_secs(1), "took {:?}", stopping.elapsed());
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "no longer listening");
    }
}
