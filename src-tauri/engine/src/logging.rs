//! Logging for both shells (the `hhsync` command line and the desktop app): `HHSYNC_LOG` read as
//! an `EnvFilter` (`warn` when unset or unreadable), written to stderr.
//!
//! The HTTP and TLS libraries log every byte they send at trace level: ureq-proto's hex dump
//! shows `authorization: Bearer <token>` in its ASCII column. The README promises that tokens
//! never reach logs, so those targets are capped at debug whatever `HHSYNC_LOG` says, even a
//! directive naming them (`ureq_proto::util=trace`). Their debug lines name the call and
//! redact headers. Both shells call [`init`], so the cap cannot be forgotten in one of them.

use tracing_subscriber::filter::{EnvFilter, LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The environment variable holding the log directives.
pub const ENV: &str = "HHSYNC_LOG";

/// Crates that log request bytes (headers with credentials included) at trace level. A name
/// matches its submodules too; names of crates not linked in do no harm (the desktop app has
/// HTTP crates of its own).
const WIRE_TARGETS: &[&str] = &["ureq", "ureq_proto", "rustls", "hyper", "hyper_util", "h2", "reqwest", "tungstenite"];

/// The filter for `spec` (the value of `HHSYNC_LOG`); `warn` when there is none or it does not
/// parse. The wire cap is a separate layer ([`wire_cap`]) rather than directives appended here:
/// an appended `ureq=debug` would also *raise* those crates from `warn` to debug, and a more
/// specific directive of the user's would still win over it.
pub fn filter(spec: Option<&str>) -> EnvFilter {
    spec.map(str::trim).filter(|s| !s.is_empty()).and_then(|s| EnvFilter::try_new(s).ok()).unwrap_or_else(|| EnvFilter::new("warn"))
}

/// The cap: whatever the filter enables, the wire targets never log below debug; everything
/// else passes to the filter untouched.
pub fn wire_cap() -> Targets {
    WIRE_TARGETS.iter().fold(Targets::new().with_default(LevelFilter::TRACE), |t, target| t.with_target(*target, LevelFilter::DEBUG))
}

/// Installs the global subscriber: `HHSYNC_LOG` (see [`filter`]) under the wire cap, to stderr.
/// Also takes in records of crates that log through `log` (ureq, rustls), and libgit2's own log
/// at debug (never its trace: see [`crate::git::forward_libgit2_log`]). A second call does
/// nothing.
pub fn init() {
    let spec = std::env::var(ENV).ok();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(spec.as_deref()))
        .with_writer(std::io::stderr)
        .finish()
        .with(wire_cap())
        .try_init();
    crate::git::forward_libgit2_log();
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn the_wire_targets_are_capped_at_debug() {
        let cap = wire_cap();
        for target in ["ureq_proto::util", "ureq::run", "rustls::client::hs", "hyper_util::client"] {
            assert!(!cap.would_enable(target, &Level::TRACE), "{target}");
            assert!(cap.would_enable(target, &Level::DEBUG), "{target}");
        }
        assert!(cap.would_enable("hhsync_engine::git", &Level::TRACE));
    }

    #[test]
    fn the_filter_is_the_directives_or_warn() {
        assert_eq!(filter(Some("trace")).max_level_hint(), Some(LevelFilter::TRACE));
        assert_eq!(filter(Some(" hhsync_engine=debug ")).max_level_hint(), Some(LevelFilter::DEBUG));
        assert_eq!(filter(None).max_level_hint(), Some(LevelFilter::WARN));
        assert_eq!(filter(Some("")).max_level_hint(), Some(LevelFilter::WARN));
        assert_eq!(filter(Some("not=a=directive[")).max_level_hint(), Some(LevelFilter::WARN));
    }
}
