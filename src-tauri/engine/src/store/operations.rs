//! The audit trail: one `sync_operations` row per init, ingest, pull (and later push, PR,
//! resolution), and the per-document report of each ingest.
//!
//! A row is written `running` when an operation starts and given its outcome when it ends. A
//! process killed in between (kill -9, a crash, power loss) cannot write that outcome, so the
//! next operation on the fabric marks the row `interrupted`: it holds the fabric's lock, and
//! the lock is the proof that no one else is running there.

use rusqlite::{params, Connection, Row};
use super::CachedSql;

use super::{now, Store};
use crate::error::{Code, Result};

/// Who or what started an operation, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    User,
    Cli,
    Poll,
    Webhook,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Cli => "cli",
            Self::Poll => "poll",
            Self::Webhook => "webhook",
        }
    }
}

impl super::TextValue for Trigger {
    const ALL: &'static [Self] = &[Self::User, Self::Cli, Self::Poll, Self::Webhook];

    fn as_str(self) -> &'static str {
        Trigger::as_str(self)
    }
}

super::stored_as_text!(Trigger);

/// What an operation does, as the audit trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Pull,
    Ingest,
    Push,
    Init,
    Revert,
    Resolve,
    Pr,
    Poll,
}

impl super::TextValue for OperationKind {
    const ALL: &'static [Self] = &[Self::Pull, Self::Ingest, Self::Push, Self::Init, Self::Revert, Self::Resolve, Self::Pr, Self::Poll];

    fn as_str(self) -> &'static str {
        match self {
            Self::Pull => "pull",
            Self::Ingest => "ingest",
            Self::Push => "push",
            Self::Init => "init",
            Self::Revert => "revert",
            Self::Resolve => "resolve",
            Self::Pr => "pr",
            Self::Poll => "poll",
        }
    }
}

/// How an operation ended (or that it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OperationStatus {
    Running,
    Succeeded,
    /// Done, but something needs a look (invalid documents, conflicts).
    Attention,
    Failed,
    /// Its process died before it finished.
    Interrupted,
}

impl super::TextValue for OperationStatus {
    const ALL: &'static [Self] = &[Self::Running, Self::Succeeded, Self::Attention, Self::Failed, Self::Interrupted];

    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Attention => "attention",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }
}

impl super::TextValue for Code {
    const ALL: &'static [Self] = Code::ALL;

    fn as_str(self) -> &'static str {
        Code::as_str(self)
    }
}

super::stored_as_text!(OperationKind);
super::stored_as_text!(Code);
super::stored_as_text!(OperationStatus);

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct OperationRow {
    pub id: i64,
    pub kind: OperationKind,
    pub trigger: Trigger,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: OperationStatus,
    pub commit_before: Option<String>,
    pub commit_after: Option<String>,
    pub counts: serde_json::Value,
    pub error: Option<String>,
    /// The error's code, for failed operations.
    pub error_code: Option<Code>,
    pub pr_url: Option<String>,
}

/// One document's line in an ingestion report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportRow {
    pub file: String,
    pub index: Option<usize>,
    pub line: Option<usize>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub outcome: String,
    pub path: Option<String>,
    pub reason: Option<String>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<OperationRow> {
    let counts: String = r.get(8)?;
    Ok(OperationRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        trigger: r.get(2)?,
        started_at: r.get(3)?,
        finished_at: r.get(4)?,
        status: r.get(5)?,
        commit_before: r.get(6)?,
        commit_after: r.get(7)?,
        counts: serde_json::from_str(&counts).unwrap_or_default(),
        error: r.get(9)?,
        pr_url: r.get(10)?,
        error_code: r.get(11)?,
    })
}

/// Kinds of operation recorded without the fabric's lock: a watch noting that the remote
/// stopped or started answering, an instant's work that may overlap a real operation. Their
/// start proves nothing about other rows, so it marks none of them interrupted.
const UNLOCKED_KINDS: [OperationKind; 1] = [OperationKind::Poll];

/// The error text of an interrupted operation.
const INTERRUPTED: &str = "interrupted: the process ended (killed or crashed) before the operation finished; pull to see where the fabric stands";

impl Store {
    /// Records the start of an operation and returns its id. Every caller but [`UNLOCKED_KINDS`]
    /// holds the fabric's lock, so operations of the fabric still `running` belong to dead
    /// processes: they are marked interrupted first, before this operation's own row exists.
    pub fn start_operation(&self, conn: &Connection, fabric_id: i64, kind: OperationKind, trigger: Trigger, commit_before: Option<&str>) -> Result<i64> {
        if !UNLOCKED_KINDS.contains(&kind) {
            let stale = self.mark_interrupted(conn, fabric_id)?;
            if stale > 0 {
                tracing::info!(fabric_id, stale, "operations left running by a process that died are marked interrupted");
            }
        }
        conn.exec_cached(
            "INSERT INTO sync_operations (fabric_id, kind, trigger, started_at, status, commit_before) VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            params![fabric_id, kind, trigger, now(), commit_before],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// Marks every operation of the fabric still `running` as `interrupted`; returns how many.
    /// Only for a holder of the fabric's lock (see [`Store::start_operation`]). An operation
    /// that was in fact still running (an unlocked poll) writes its real outcome over this
    /// when it finishes.
    pub fn mark_interrupted(&self, conn: &Connection, fabric_id: i64) -> Result<usize> {
        conn.exec_cached(
            "UPDATE sync_operations SET status = 'interrupted', error = ?2 WHERE fabric_id = ?1 AND status = 'running'",
            params![fabric_id, INTERRUPTED],
        )
        .map_err(|e| self.err(e))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn finish_operation(
        &self,
        conn: &Connection,
        id: i64,
        status: OperationStatus,
        commit_after: Option<&str>,
        counts: &serde_json::Value,
        error: Option<&str>,
    ) -> Result<()> {
        conn.exec_cached(
            "UPDATE sync_operations SET finished_at = ?2, status = ?3, commit_after = ?4, counts = ?5, error = ?6 WHERE id = ?1",
            params![id, now(), status, commit_after, counts.to_string(), error],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn operations(&self, conn: &Connection, fabric_id: i64, limit: usize) -> Result<Vec<OperationRow>> {
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, kind, trigger, started_at, finished_at, status, commit_before, commit_after, counts, error, pr_url, error_code
                 FROM sync_operations WHERE fabric_id = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![fabric_id, limit as i64], from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn set_operation_error_code(&self, conn: &Connection, id: i64, code: Code) -> Result<()> {
        conn.exec_cached("UPDATE sync_operations SET error_code = ?2 WHERE id = ?1", params![id, code]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn set_operation_pr_url(&self, conn: &Connection, id: i64, url: &str) -> Result<()> {
        conn.exec_cached("UPDATE sync_operations SET pr_url = ?2 WHERE id = ?1", params![id, url]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn insert_report(&self, conn: &Connection, operation_id: i64, rows: &[ReportRow]) -> Result<()> {
        // One transaction, not one per row: 10,000 rows each committed on their own were a
        // twentieth of an ingest.
        let tx = conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO ingestion_reports (operation_id, file, doc_index, line, kind, name, outcome, path, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(|e| self.err(e))?;
        for r in rows {
            stmt.execute(params![
                operation_id,
                r.file,
                r.index.map(|i| i as i64),
                r.line.map(|i| i as i64),
                r.kind,
                r.name,
                r.outcome,
                r.path,
                r.reason
            ])
            .map_err(|e| self.err(e))?;
        }
        drop(stmt);
        tx.commit().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_operation_marks_those_left_running_interrupted_but_not_itself() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let conn = store.connect().unwrap();
        let repo = store.insert_repo(&conn, "r", "/nowhere.git", "main", "clones/r").unwrap();
        let fabric = store.insert_fabric(&conn, "f", repo.id, "main", "f").unwrap();
        let other = store.insert_fabric(&conn, "g", repo.id, "main", "g").unwrap();
        let status = |id: i64| store.operations(&conn, fabric.id, 10).unwrap().into_iter().find(|o| o.id == id).unwrap().status;

        let killed = store.start_operation(&conn, fabric.id, OperationKind::Push, Trigger::User, None).unwrap();
        let elsewhere = store.start_operation(&conn, other.id, OperationKind::Pull, Trigger::User, None).unwrap();
        // A poll takes no lock: it proves nothing about the push, which may still be running.
        let poll = store.start_operation(&conn, fabric.id, OperationKind::Poll, Trigger::Poll, None).unwrap();
        assert_eq!(status(killed), OperationStatus::Running);
        store.finish_operation(&conn, poll, OperationStatus::Succeeded, None, &serde_json::json!({}), None).unwrap();

        let next = store.start_operation(&conn, fabric.id, OperationKind::Pull, Trigger::User, None).unwrap();
        assert_eq!(status(killed), OperationStatus::Interrupted);
        assert!(store.operations(&conn, fabric.id, 10).unwrap().iter().any(|o| o.id == killed && o.error.as_deref() == Some(INTERRUPTED)));
        assert_eq!(status(next), OperationStatus::Running, "the new operation's own row is not marked");
        assert_eq!(status(poll), OperationStatus::Succeeded);
        let g = store.operations(&conn, other.id, 10).unwrap();
        assert_eq!((g[0].id, g[0].status), (elsewhere, OperationStatus::Running), "another fabric's operation is untouched");
    }
}
