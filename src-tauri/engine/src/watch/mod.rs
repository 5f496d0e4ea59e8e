//! Change detection: a poller that lists the remote's refs every N seconds and pulls when the
//! fabric's branch moved, and an optional local receiver for GitHub push webhooks, verified by
//! HMAC-SHA256. Both feed one loop, so a fabric is pulled by one operation at a time.

mod http;
mod poller;
pub mod webhook;

pub use poller::{backoff, watch, WatchEvent, WatchOptions, WatchSummary};
pub use webhook::{Delivery, Gate, WebhookServer};
