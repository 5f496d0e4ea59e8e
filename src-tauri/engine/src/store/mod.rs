//! The local state: one SQLite file (WAL) in the data directory, shared by the app and the CLI.
//!
//! It holds the repositories and fabrics the user added, each fabric's resources as of its last
//! synced commit (and, from the drafts issue on, local edits), what is kept but not managed,
//! and the audit trail of sync operations. Everything here can be rebuilt from Git except
//! drafts, which is why writes that move a fabric forward happen in one transaction.

mod cluster;
mod credentials;
mod drafts;
mod fabrics;
mod migrations;
mod operations;
mod repos;
mod resources;
mod text_value;
mod validation;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use cluster::DriftInput;
pub use credentials::{ProposalPr, RepoAuthRow};
pub use drafts::{ConflictRow, DraftRow, NewConflict, ProposalRow, ProposalState};
pub use fabrics::FabricRow;
pub use operations::{OperationKind, OperationRow, OperationStatus, ReportRow, Trigger};
pub use repos::RepoRow;
pub use text_value::TextValue;
pub(crate) use text_value::stored_as_text;
pub use resources::{issues_text, ResourceRow, ResourceStatus, ResourceUpsert, StoredIssue, StoredIssues, ValidationInput};

use crate::error::{Error, Result};

/// Opens connections to the database file; each call gets its own connection so threads do not
/// share one.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let store = Self { path: path.to_owned() };
        let mut conn = store.connect()?;
        store.migrate(&mut conn)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection with the house settings.
    ///
    /// Transactions begin IMMEDIATE: every transaction here writes, and a deferred one that
    /// upgrades from reading to writing while another connection writes fails at once with
    /// "database is locked" (SQLite cannot wait there without risking a deadlock), busy timeout
    /// or not. Taking the write lock up front makes it wait its turn instead.
    pub fn connect(&self) -> Result<Connection> {
        let mut conn = Connection::open(&self.path).map_err(|e| self.err(e))?;
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.busy_timeout(busy_wait()).map_err(|e| self.err(e))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| self.err(e))?;
        // Room for every statement of the store (see CachedSql), so none is evicted and
        // compiled again within one operation.
        conn.set_prepared_statement_cache_capacity(128);
        Ok(conn)
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        let mut message = e.to_string();
        // Another process holds the lock past the busy wait: the caller's `busy`, not a fault.
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) {
                return Error::DatabaseBusy { path: self.path.clone(), waited_secs: busy_wait().as_secs() };
            }
        }
        // With WAL, a full disk often surfaces as a plain "disk I/O error": say what it is.
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if matches!(f.code, rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure) {
                if let Some(free) = self.path.parent().and_then(free_bytes).filter(|free| *free < 1 << 20) {
                    message = format!("the disk is full ({} KiB free): free some space and try again ({message})", free / 1024);
                }
            }
        }
        Error::Storage { path: self.path.clone(), message }
    }

    fn migrate(&self, conn: &mut Connection) -> Result<()> {
        let version: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map_err(|e| self.err(e))? as usize;
        if version > migrations::MIGRATIONS.len() {
            return Err(Error::Storage {
                path: self.path.clone(),
                message: format!(
                    "schema version {version} is newer than this hhsync understands ({}); update hhsync",
                    migrations::MIGRATIONS.len()
                ),
            });
        }
        for (i, sql) in migrations::MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction().map_err(|e| self.err(e))?;
            // Another process may have migrated while this one waited for the write lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))?;
            if now as usize > i {
                tx.commit().map_err(|e| self.err(e))?;
                continue;
            }
            tx.execute_batch(sql).map_err(|e| self.err(e))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(|e| self.err(e))?;
            tx.commit().map_err(|e| self.err(e))?;
            tracing::info!(version = i + 1, path = %self.path.display(), "migrated database");
        }
        Ok(())
    }
}

impl Store {
    pub fn setting(&self, conn: &Connection, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(|e| self.err(e))
    }

    /// Sets (or with `None` removes) a setting.
    pub fn set_setting(&self, conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                rusqlite::params![key, v],
            ),
            None => conn.execute("DELETE FROM settings WHERE key = ?1", [key]),
        }
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn settings(&self, conn: &Connection) -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key").map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }
}

/// How long a statement waits for another process's lock on the database before it fails
/// with `busy` (`HHSYNC_DB_BUSY_MS`, for tests; 10 s).
fn busy_wait() -> Duration {
    std::env::var("HHSYNC_DB_BUSY_MS").ok().and_then(|v| v.parse().ok()).map(Duration::from_millis).unwrap_or(Duration::from_secs(10))
}

/// The current time as RFC 3339 UTC, the one timestamp format in the database.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Bytes free for an unprivileged writer on the file system holding `dir`.
#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a zeroed struct for statvfs(3) to fill.
    (unsafe { libc::statvfs(path.as_ptr(), &mut stat) } == 0).then(|| stat.f_bavail as u64 * stat.f_frsize as u64)
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_once_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let store = Store::open(&path).unwrap();
        let conn = store.connect().unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v as usize, migrations::MIGRATIONS.len());
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        drop(conn);
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_lock_held_by_another_connection_past_the_wait_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let holder = store.connect().unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let waiting = store.connect().unwrap();
        waiting.busy_timeout(Duration::from_millis(50)).unwrap();
        let err = store.err(waiting.execute_batch("BEGIN IMMEDIATE").unwrap_err());
        assert_eq!(err.code(), crate::Code::Busy, "{err}");
        assert!(err.to_string().contains("locked by another program"), "{err}");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let store = Store::open(&path).unwrap();
        store.connect().unwrap().pragma_update(None, "user_version", 999).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}

/// Every statement of the store goes through the connection's cache of prepared statements:
/// an ingest, a pull or a revalidation runs the same few statements once per resource, and
/// compiling each again took an eighth of a 10,000-resource benchmark (perf, `InnerConnection::
/// prepare`).
pub(crate) trait CachedSql {
    fn exec_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn row_cached<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>;
}

impl CachedSql for Connection {
    fn exec_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row_cached<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

