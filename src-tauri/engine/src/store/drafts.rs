//! Drafts (local edits not yet pushed), conflicts with their history, proposals (drafts pushed
//! to a branch) and pushes in flight. Drafts are the one thing Git cannot give back, so every
//! change to them is a single statement or part of the caller's transaction.

use rusqlite::{params, Connection, OptionalExtension, Row};
use super::CachedSql;

use super::{now, Store};
use crate::error::Result;

/// A resource's desired and draft sides, for merging and pushing.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub path: Option<String>,
    pub desired_text: Option<String>,
    pub desired_value: Option<serde_json::Value>,
    pub desired_blob: Option<String>,
    pub draft_text: Option<String>,
    pub draft_value: Option<serde_json::Value>,
    pub draft_deleted: bool,
    pub draft_issues: super::StoredIssues,
    pub draft_origin: Option<String>,
    pub conflict: bool,
    pub proposal_id: Option<i64>,
    pub draft_updated_at: Option<String>,
}

impl DraftRow {
    pub fn has_draft(&self) -> bool {
        self.draft_text.is_some() || self.draft_deleted
    }
}

const DRAFT_COLUMNS: &str = "id, kind, name, path, desired_text, desired_value, desired_blob, draft_text, draft_value, \
                             draft_deleted, draft_issues, draft_origin, conflict, proposal_id, draft_updated_at";

fn json(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

fn draft_from_row(r: &Row<'_>) -> rusqlite::Result<DraftRow> {
    Ok(DraftRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        desired_text: r.get(4)?,
        desired_value: json(r.get(5)?),
        desired_blob: r.get(6)?,
        draft_text: r.get(7)?,
        draft_value: json(r.get(8)?),
        draft_deleted: r.get(9)?,
        draft_issues: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
        draft_origin: r.get(11)?,
        conflict: r.get(12)?,
        proposal_id: r.get(13)?,
        draft_updated_at: r.get(14)?,
    })
}

/// A conflict, open or resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ConflictRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    /// edit-edit, edit-delete (ours edited, theirs deleted), delete-edit, add-add, or
    /// auto-merge (recorded for history, resolved at once).
    #[serde(rename = "type")]
    pub kind_of: String,
    pub base_text: Option<String>,
    pub ours_text: Option<String>,
    pub theirs_text: Option<String>,
    pub fields: Vec<String>,
    pub theirs_commit: Option<String>,
    pub detected_at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
}

const CONFLICT_COLUMNS: &str = "id, kind, name, type, base_text, ours_text, theirs_text, fields, theirs_commit, detected_at, resolved_at, resolution, resolved_by";

fn conflict_from_row(r: &Row<'_>) -> rusqlite::Result<ConflictRow> {
    Ok(ConflictRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        kind_of: r.get(3)?,
        base_text: r.get(4)?,
        ours_text: r.get(5)?,
        theirs_text: r.get(6)?,
        fields: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
        theirs_commit: r.get(8)?,
        detected_at: r.get(9)?,
        resolved_at: r.get(10)?,
        resolution: r.get(11)?,
        resolved_by: r.get(12)?,
    })
}

/// A new conflict to record.
#[derive(Debug, Clone, Default)]
pub struct NewConflict<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub kind_of: &'a str,
    pub base_text: Option<&'a str>,
    pub ours_text: Option<&'a str>,
    pub theirs_text: Option<&'a str>,
    pub fields: Vec<String>,
    pub theirs_commit: Option<&'a str>,
}

/// Where a proposal (drafts pushed to a branch) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ProposalState {
    /// Waiting for its branch to be merged.
    Open,
    /// Its commit reached the fabric's branch (or its drafts all dissolved into what arrived).
    Merged,
    /// Given up: its drafts are plain drafts again.
    Abandoned,
}

impl super::TextValue for ProposalState {
    const ALL: &'static [Self] = &[Self::Open, Self::Merged, Self::Abandoned];

    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Merged => "merged",
            Self::Abandoned => "abandoned",
        }
    }
}

super::stored_as_text!(ProposalState);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ProposalRow {
    pub id: i64,
    pub branch: String,
    pub commit_id: String,
    pub base_commit: Option<String>,
    pub created_at: String,
    pub state: ProposalState,
    pub pr_url: Option<String>,
    pub pr_number: Option<i64>,
    pub resources: Vec<String>,
}

impl Store {
    pub fn draft_row(&self, conn: &Connection, fabric_id: i64, kind: &str, name: &str) -> Result<Option<DraftRow>> {
        conn.row_cached(
            &format!("SELECT {DRAFT_COLUMNS} FROM resources WHERE fabric_id = ?1 AND kind = ?2 AND name = ?3"),
            params![fabric_id, kind, name],
            draft_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Resources read from `path` that have a draft.
    pub fn drafts_at(&self, conn: &Connection, fabric_id: i64, path: &str) -> Result<Vec<DraftRow>> {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM resources WHERE fabric_id = ?1 AND path = ?2 AND (draft_text IS NOT NULL OR draft_deleted = 1)"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![fabric_id, path], draft_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Every resource with a draft, by kind and name.
    pub fn drafts(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<DraftRow>> {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM resources WHERE fabric_id = ?1 AND (draft_text IS NOT NULL OR draft_deleted = 1) ORDER BY kind, name"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], draft_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Saves a draft (text and value), creating the resource row for a new resource.
    #[allow(clippy::too_many_arguments)]
    pub fn save_draft(
        &self,
        conn: &Connection,
        fabric_id: i64,
        kind: &str,
        name: &str,
        text: &str,
        value: &serde_json::Value,
        issues: &super::StoredIssues,
        origin: &str,
    ) -> Result<()> {
        let issues = super::issues_text(issues);
        conn.exec_cached(
            "INSERT INTO resources (fabric_id, kind, name, draft_text, draft_value, draft_deleted, draft_issues, draft_origin, draft_updated_at, issues)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?6)
             ON CONFLICT (fabric_id, kind, name) DO UPDATE SET draft_text = ?4, draft_value = ?5, draft_deleted = 0,
                draft_issues = ?6, draft_origin = ?7, draft_updated_at = ?8, proposal_id = NULL",
            params![fabric_id, kind, name, text, value.to_string(), issues, origin, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Marks a resource for deletion.
    pub fn save_delete_marker(&self, conn: &Connection, id: i64, origin: &str) -> Result<()> {
        conn.exec_cached(
            "UPDATE resources SET draft_text = NULL, draft_value = NULL, draft_deleted = 1, draft_issues = '[]',
                draft_origin = ?2, draft_updated_at = ?3, proposal_id = NULL WHERE id = ?1",
            params![id, origin, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Drops a draft; a resource that existed only as a draft disappears.
    pub fn clear_draft(&self, conn: &Connection, id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM resources WHERE id = ?1 AND desired_text IS NULL", [id]).map_err(|e| self.err(e))?;
        conn.exec_cached(
            "UPDATE resources SET draft_text = NULL, draft_value = NULL, draft_deleted = 0, draft_issues = '[]',
                draft_origin = NULL, draft_updated_at = NULL, conflict = 0, proposal_id = NULL WHERE id = ?1",
            [id],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn set_conflict_flag(&self, conn: &Connection, id: i64, conflict: bool) -> Result<()> {
        conn.exec_cached("UPDATE resources SET conflict = ?2 WHERE id = ?1", params![id, conflict]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn set_proposal(&self, conn: &Connection, id: i64, proposal: Option<i64>) -> Result<()> {
        conn.exec_cached("UPDATE resources SET proposal_id = ?2 WHERE id = ?1", params![id, proposal]).map_err(|e| self.err(e))?;
        Ok(())
    }

    // Conflicts.

    pub fn insert_conflict(&self, conn: &Connection, fabric_id: i64, c: &NewConflict<'_>) -> Result<i64> {
        // A newer conflict on the same resource replaces an open older one in the view; the
        // older is kept in history as superseded.
        conn.exec_cached(
            "UPDATE conflicts SET resolved_at = ?4, resolution = 'superseded' WHERE fabric_id = ?1 AND kind = ?2 AND name = ?3 AND resolved_at IS NULL",
            params![fabric_id, c.kind, c.name, now()],
        )
        .map_err(|e| self.err(e))?;
        let resolved = (c.kind_of == "auto-merge").then(now);
        conn.exec_cached(
            "INSERT INTO conflicts (fabric_id, kind, name, type, base_text, ours_text, theirs_text, fields, theirs_commit, detected_at, resolved_at, resolution, resolved_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?11 IS NULL THEN NULL ELSE 'auto-merged' END, CASE WHEN ?11 IS NULL THEN NULL ELSE 'hhsync' END)",
            params![
                fabric_id, c.kind, c.name, c.kind_of, c.base_text, c.ours_text, c.theirs_text,
                serde_json::to_string(&c.fields).unwrap_or_else(|_| "[]".into()), c.theirs_commit, now(), resolved
            ],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// Open conflicts (`open_only`) or the whole history, oldest first.
    pub fn conflicts(&self, conn: &Connection, fabric_id: i64, open_only: bool) -> Result<Vec<ConflictRow>> {
        let filter = if open_only { "AND resolved_at IS NULL" } else { "" };
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE fabric_id = ?1 {filter} ORDER BY id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], conflict_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn open_conflict(&self, conn: &Connection, fabric_id: i64, kind: &str, name: &str) -> Result<Option<ConflictRow>> {
        conn.row_cached(
            &format!("SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE fabric_id = ?1 AND kind = ?2 AND name = ?3 AND resolved_at IS NULL ORDER BY id DESC LIMIT 1"),
            params![fabric_id, kind, name],
            conflict_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    pub fn resolve_conflict(&self, conn: &Connection, id: i64, resolution: &str, by: &str) -> Result<()> {
        conn.exec_cached(
            "UPDATE conflicts SET resolved_at = ?2, resolution = ?3, resolved_by = ?4 WHERE id = ?1",
            params![id, now(), resolution, by],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    // Proposals and pushes in flight.

    pub fn insert_proposal(&self, conn: &Connection, fabric_id: i64, branch: &str, commit: &str, base: Option<&str>, resources: &[String]) -> Result<i64> {
        conn.exec_cached(
            "INSERT INTO proposals (fabric_id, branch, commit_id, base_commit, created_at, resources) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![fabric_id, branch, commit, base, now(), serde_json::to_string(resources).unwrap_or_else(|_| "[]".into())],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    pub fn proposals(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<ProposalRow>> {
        let mut stmt = conn
            .prepare_cached("SELECT id, branch, commit_id, base_commit, created_at, state, pr_url, pr_number, resources FROM proposals WHERE fabric_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([fabric_id], |r| {
                Ok(ProposalRow {
                    id: r.get(0)?,
                    branch: r.get(1)?,
                    commit_id: r.get(2)?,
                    base_commit: r.get(3)?,
                    created_at: r.get(4)?,
                    state: r.get(5)?,
                    pr_url: r.get(6)?,
                    pr_number: r.get(7)?,
                    resources: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn set_proposal_state(&self, conn: &Connection, id: i64, state: ProposalState) -> Result<()> {
        conn.exec_cached("UPDATE proposals SET state = ?2 WHERE id = ?1", params![id, state]).map_err(|e| self.err(e))?;
        if state != ProposalState::Open {
            conn.exec_cached("UPDATE resources SET proposal_id = NULL WHERE proposal_id = ?1", [id]).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    pub fn insert_pending_push(&self, conn: &Connection, fabric_id: i64, commit: &str, branch: &str) -> Result<i64> {
        conn.exec_cached(
            "INSERT INTO pending_pushes (fabric_id, commit_id, branch, started_at) VALUES (?1, ?2, ?3, ?4)",
            params![fabric_id, commit, branch, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// (id, commit, branch) of pushes that started and were not recorded as finished.
    pub fn pending_pushes(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = conn
            .prepare_cached("SELECT id, commit_id, branch FROM pending_pushes WHERE fabric_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn delete_pending_push(&self, conn: &Connection, id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM pending_pushes WHERE id = ?1", [id]).map_err(|e| self.err(e))?;
        Ok(())
    }
}
