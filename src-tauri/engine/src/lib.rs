//! hhsync-engine: everything hhsync does, without a user interface.
//!
//! The desktop app and the `hhsync` command-line tool are thin shells over [`Engine`]; both
//! share one data directory (a SQLite database and bare clones), so what one does the other sees.

pub mod yaml;
