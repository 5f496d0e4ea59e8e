//! The audit trail: one `sync_operations` row per init, ingest, pull (and later push, PR,
//! resolution), and the per-document report of each ingest.

use rusqlite::{params, Connection, Row};

use super::{now, Store};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OperationRow {
    pub id: i64,
    pub kind: String,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// running, succeeded, attention (done, but something needs a look) or failed.
    pub status: String,
    pub commit_before: Option<String>,
    pub commit_after: Option<String>,
    pub counts: serde_json::Value,
    pub error: Option<String>,
    /// The error's [`crate::Code`] in kebab-case, for failed operations.
    pub error_code: Option<String>,
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

impl Store {
    /// Records the start of an operation and returns its id.
    pub fn start_operation(&self, conn: &Connection, fabric_id: i64, kind: &str, trigger: &str, commit_before: Option<&str>) -> Result<i64> {
        conn.execute(
            "INSERT INTO sync_operations (fabric_id, kind, trigger, started_at, status, commit_before) VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            params![fabric_id, kind, trigger, now(), commit_before],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn finish_operation(
        &self,
        conn: &Connection,
        id: i64,
        status: &str,
        commit_after: Option<&str>,
        counts: &serde_json::Value,
        error: Option<&str>,
    ) -> Result<()> {
        conn.execute(
            "UPDATE sync_operations SET finished_at = ?2, status = ?3, commit_after = ?4, counts = ?5, error = ?6 WHERE id = ?1",
            params![id, now(), status, commit_after, counts.to_string(), error],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn operations(&self, conn: &Connection, fabric_id: i64, limit: usize) -> Result<Vec<OperationRow>> {
        let mut stmt = conn
            .prepare(
                "SELECT id, kind, trigger, started_at, finished_at, status, commit_before, commit_after, counts, error, pr_url, error_code
                 FROM sync_operations WHERE fabric_id = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![fabric_id, limit as i64], from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn set_operation_error_code(&self, conn: &Connection, id: i64, code: &str) -> Result<()> {
        conn.execute("UPDATE sync_operations SET error_code = ?2 WHERE id = ?1", params![id, code]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn set_operation_pr_url(&self, conn: &Connection, id: i64, url: &str) -> Result<()> {
        conn.execute("UPDATE sync_operations SET pr_url = ?2 WHERE id = ?1", params![id, url]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn insert_report(&self, conn: &Connection, operation_id: i64, rows: &[ReportRow]) -> Result<()> {
        let mut stmt = conn
            .prepare(
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
        Ok(())
    }
}
