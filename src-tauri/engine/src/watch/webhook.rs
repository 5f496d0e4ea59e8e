//! The local webhook receiver: GitHub `push` events (fed e.g. by `gh webhook forward`) on
//! 127.0.0.1 only. Every request must carry `X-Hub-Signature-256`, the HMAC-SHA256 of its exact
//! body under the repository's webhook secret (kept in the keychain), compared in constant
//! time; unsigned or wrongly signed requests (a captured signature replayed with another body,
//! say) are rejected and logged, a delivery id seen before is ignored, and a push to another
//! branch does nothing. Accepted pushes to the fabric's branch are handed to the watcher.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::secrets::Secret;

/// GitHub caps webhook payloads at 25 MB.
const MAX_BODY: usize = 25 * 1024 * 1024;
/// Delivery ids remembered to ignore repeats.
const REMEMBERED: usize = 1000;

/// What the receiver did with one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Delivery {
    /// A signed push to the fabric's branch: pull.
    Accepted { after: Option<String> },
    /// Signed, but nothing to do (a ping, another branch, another event, a repeat).
    Ignored { reason: String },
    /// Refused: not signed, wrong signature, malformed.
    Rejected { reason: String },
}

impl Delivery {
    fn status(&self) -> u16 {
        match self {
            Self::Accepted { .. } => 202,
            Self::Ignored { .. } => 200,
            Self::Rejected { reason } if reason.starts_with("unsigned") || reason.starts_with("wrong signature") => 401,
            Self::Rejected { .. } => 400,
        }
    }
}

/// Checks `X-Hub-Signature-256: sha256=HEX` against the HMAC-SHA256 of `body`, in constant time.
pub fn verify_signature(secret: &Secret, body: &[u8], header: Option<&str>) -> Result<(), String> {
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or_else(|| "unsigned request (no X-Hub-Signature-256)".to_owned())?;
    let hex = header.strip_prefix("sha256=").ok_or_else(|| "wrong signature format (expected sha256=HEX)".to_owned())?;
    let expected = decode_hex(hex).ok_or_else(|| "wrong signature format (not 64 hex digits)".to_owned())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).map_err(|_| "unusable webhook secret".to_owned())?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| "wrong signature (not made with this repository's webhook secret for this body)".to_owned())
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

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect()
}

/// Decides about one request; pure, for the receiver and for tests.
pub struct Gate {
    secret: Secret,
    branch: String,
    seen: Mutex<VecDeque<String>>,
}

impl Gate {
    pub fn new(secret: Secret, branch: &str) -> Self {
        Self { secret, branch: branch.to_owned(), seen: Mutex::new(VecDeque::new()) }
    }

    pub fn decide(&self, event: Option<&str>, signature: Option<&str>, delivery: Option<&str>, body: &[u8]) -> Delivery {
        if let Err(reason) = verify_signature(&self.secret, body, signature) {
            return Delivery::Rejected { reason };
        }
        if let Some(id) = delivery.filter(|d| !d.is_empty()) {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if seen.iter().any(|s| s == id) {
                return Delivery::Ignored { reason: format!("delivery {id} was already received") };
            }
            seen.push_back(id.to_owned());
            if seen.len() > REMEMBERED {
                seen.pop_front();
            }
        }
        match event {
            Some("ping") => return Delivery::Ignored { reason: "ping".to_owned() },
            Some("push") => {}
            Some(other) => return Delivery::Ignored { reason: format!("{other} events are not used") },
            None => return Delivery::Rejected { reason: "no X-GitHub-Event header".to_owned() },
        }
        let payload: serde_json::Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return Delivery::Rejected { reason: format!("the push payload is not JSON: {e}") },
        };
        let Some(git_ref) = payload.get("ref").and_then(|r| r.as_str()) else {
            return Delivery::Rejected { reason: "the push payload has no ref".to_owned() };
        };
        if git_ref != format!("refs/heads/{}", self.branch) {
            return Delivery::Ignored { reason: format!("push to {git_ref}, not to {}", self.branch) };
        }
        let after = payload.get("after").and_then(|a| a.as_str()).map(str::to_owned);
        Delivery::Accepted { after }
    }
}

/// The running receiver; stops when dropped.
pub struct WebhookServer {
    server: Arc<tiny_http::Server>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl WebhookServer {
    /// Listens on 127.0.0.1:`port` (0: any free port) and sends every decision to `events`.
    pub fn start(port: u16, gate: Gate, events: Sender<Delivery>) -> Result<Self> {
        let server = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| Error::InvalidInput(format!("cannot listen for webhooks on 127.0.0.1:{port}: {e}")))?;
        let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (server, stop) = (server.clone(), stop.clone());
            std::thread::Builder::new()
                .name("webhook".to_owned())
                .spawn(move || serve(&server, &gate, &stop, &events))
                .map_err(|e| Error::InvalidInput(format!("cannot start the webhook receiver: {e}")))?
        };
        tracing::info!(port, "listening for GitHub webhooks on 127.0.0.1");
        Ok(Self { server, stop, thread: Some(thread), port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for WebhookServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(server: &tiny_http::Server, gate: &Gate, stop: &AtomicBool, events: &Sender<Delivery>) {
    while !stop.load(Ordering::SeqCst) {
        let mut request = match server.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "webhook receiver: cannot accept a request");
                continue;
            }
        };
        let header = |name: &str| {
            request.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str().to_owned())
        };
        let (event, signature, delivery_id) = (header("X-GitHub-Event"), header("X-Hub-Signature-256"), header("X-GitHub-Delivery"));
        let decision = if *request.method() != tiny_http::Method::Post {
            Delivery::Rejected { reason: format!("{} requests are not accepted; GitHub sends POST", request.method()) }
        } else if request.body_length().is_some_and(|n| n > MAX_BODY) {
            Delivery::Rejected { reason: "payload larger than 25 MB".to_owned() }
        } else {
            let mut body = Vec::new();
            match request.as_reader().take(MAX_BODY as u64 + 1).read_to_end(&mut body) {
                Ok(_) if body.len() > MAX_BODY => Delivery::Rejected { reason: "payload larger than 25 MB".to_owned() },
                Ok(_) => gate.decide(event.as_deref(), signature.as_deref(), delivery_id.as_deref(), &body),
                Err(e) => Delivery::Rejected { reason: format!("cannot read the request: {e}") },
            }
        };
        let from = request.remote_addr().map(|a| a.to_string()).unwrap_or_default();
        match &decision {
            Delivery::Rejected { reason } => tracing::warn!(%from, event = event.as_deref().unwrap_or("-"), reason, "webhook rejected"),
            Delivery::Ignored { reason } => tracing::info!(event = event.as_deref().unwrap_or("-"), reason, "webhook ignored"),
            Delivery::Accepted { after } => tracing::info!(after = after.as_deref().unwrap_or("-"), "webhook push accepted"),
        }
        let text = match &decision {
            Delivery::Accepted { .. } => "accepted\n".to_owned(),
            Delivery::Ignored { reason } => format!("ignored: {reason}\n"),
            Delivery::Rejected { reason } => format!("rejected: {reason}\n"),
        };
        let status = decision.status();
        let _ = events.send(decision);
        let _ = request.respond(tiny_http::Response::from_string(text).with_status_code(status));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
