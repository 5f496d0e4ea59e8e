//! hhsync-engine: everything hhsync does, without a user interface.
//!
//! The desktop app and the `hhsync` command-line tool are thin shells over [`Engine`]; both
//! share one data directory (a SQLite database and bare clones), so what one does the other sees.

pub mod cluster;
pub mod crash;
pub mod engine;
pub mod error;
pub mod git;
pub mod github;
pub mod gitops;
pub mod hedgehog;
/// The log set-up both shells share; behind the `shell-logging` feature so the engine API does
/// not depend on a subscriber.
#[cfg(feature = "shell-logging")]
pub mod logging;
pub mod secrets;
pub mod store;
pub mod sync;
pub mod topology;
pub mod watch;
pub mod yaml;

pub use engine::{Engine, Trigger};
pub use error::{BlockReason, BlockedResource, Code, Error, Result};
