//! Rows of the `resources` table: one per resource of a fabric, with its desired version (what
//! Git holds at the fabric's synced commit), its validation issues and, later, its draft.

use std::collections::HashMap;
use super::CachedSql;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::Store;
use crate::error::Result;

/// A validation finding as stored: the field path, the file line when known, and the message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct StoredIssue {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    pub message: String,
    pub severity: crate::hedgehog::Severity,
    pub rule: String,
}

pub type StoredIssues = Vec<StoredIssue>;

/// What the user sees a resource as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ResourceStatus {
    Synced,
    Modified,
    New,
    Deleted,
    Conflict,
    Invalid,
}

impl ResourceStatus {
    pub const ALL: [ResourceStatus; 6] = [Self::Synced, Self::Modified, Self::New, Self::Deleted, Self::Conflict, Self::Invalid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Synced => "synced",
            Self::Modified => "modified",
            Self::New => "new",
            Self::Deleted => "deleted",
            Self::Conflict => "conflict",
            Self::Invalid => "invalid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResourceRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub path: Option<String>,
    pub status: ResourceStatus,
    /// Set while the resource's draft waits on a pushed branch (a proposal).
    pub proposal_id: Option<i64>,
    pub legacy: bool,
    pub issues: StoredIssues,
    pub desired_blob: Option<String>,
    pub desired_commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft_text: Option<String>,
}

/// The desired version of a resource as read from Git.
#[derive(Debug, Clone)]
pub struct ResourceUpsert {
    pub kind: String,
    pub name: String,
    pub path: String,
    pub text: String,
    pub value: serde_json::Value,
    pub blob: String,
    pub commit: String,
    pub legacy: bool,
    pub document_issues: StoredIssues,
}

fn status(has_desired: bool, draft: bool, deleted: bool, conflict: bool, issues: &StoredIssues) -> ResourceStatus {
    if conflict {
        ResourceStatus::Conflict
    } else if deleted {
        ResourceStatus::Deleted
    } else if draft && !has_desired {
        ResourceStatus::New
    } else if draft {
        ResourceStatus::Modified
    } else if issues.iter().any(|i| i.severity == crate::hedgehog::Severity::Error) {
        ResourceStatus::Invalid
    } else {
        ResourceStatus::Synced
    }
}

/// The columns [`input_from_row`] reads.
pub(super) const INPUT_COLUMNS: &str = "id, kind, name, COALESCE(draft_value, desired_value), \
     CASE WHEN draft_text IS NOT NULL THEN draft_issues ELSE document_issues END, issues";

pub(super) fn input_from_row(r: &Row<'_>) -> rusqlite::Result<ValidationInput> {
    Ok(ValidationInput {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        value: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(serde_json::Value::Null),
        document_issues: parse_issues(&r.get::<_, String>(4)?),
        issues: r.get(5)?,
    })
}

fn parse_issues(text: &str) -> StoredIssues {
    serde_json::from_str(text).unwrap_or_default()
}

const COLUMNS: &str = "id, kind, name, path, legacy, issues, desired_blob, desired_commit, draft_deleted, draft_text IS NOT NULL, \
                       desired_text IS NOT NULL, conflict, proposal_id";

fn from_row(r: &Row<'_>, with_text: bool) -> rusqlite::Result<ResourceRow> {
    let issues = parse_issues(&r.get::<_, String>(5)?);
    let deleted: bool = r.get(8)?;
    let draft: bool = r.get(9)?;
    let has_desired: bool = r.get(10)?;
    let conflict: bool = r.get(11)?;
    Ok(ResourceRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        status: status(has_desired, draft, deleted, conflict, &issues),
        proposal_id: r.get(12)?,
        legacy: r.get(4)?,
        issues,
        desired_blob: r.get(6)?,
        desired_commit: r.get(7)?,
        desired_text: if with_text { r.get(13)? } else { None },
        draft_text: if with_text { r.get(14)? } else { None },
    })
}

/// The insert of a resource's desired version, for [`Store::upsert_desired`] and
/// [`Store::insert_desired`] alike.
macro_rules! insert_desired_sql {
    () => {
        "INSERT INTO resources (fabric_id, kind, name, path, desired_text, desired_value, desired_blob, desired_commit, legacy, document_issues, issues)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
    };
}

/// Issues as the store keeps them (JSON).
pub fn issues_text(issues: &[StoredIssue]) -> String {
    serde_json::to_string(issues).unwrap_or_else(|_| "[]".into())
}

/// One resource's value for fabric-wide validation.
#[derive(Debug, Clone)]
pub struct ValidationInput {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub value: serde_json::Value,
    pub document_issues: StoredIssues,
    pub issues: String,
}

impl Store {
    /// Inserts or replaces the desired version of a resource, keyed by kind and name. Its issues
    /// are its document issues until the next validation ([`issues_text`]).
    pub fn upsert_desired(&self, conn: &Connection, fabric_id: i64, r: &ResourceUpsert) -> Result<()> {
        self.write_desired(
            conn,
            fabric_id,
            r,
            concat!(
                insert_desired_sql!(),
                " ON CONFLICT (fabric_id, kind, name) DO UPDATE SET path = ?4, desired_text = ?5, desired_value = ?6,
                desired_blob = ?7, desired_commit = ?8, legacy = ?9, document_issues = ?10, issues = ?10"
            ),
        )
    }

    /// Inserts the desired version of a resource the fabric does not hold (the first sync: no
    /// row can be there yet, and a second file for one is kept aside before this); its id. A row
    /// that is there after all fails the insert rather than being replaced. Not an upsert with a
    /// RETURNING clause: SQLite runs that through a temporary table per statement (a tenth of
    /// the writes of a first import of 10,000 files, in perf).
    pub fn insert_desired(&self, conn: &Connection, fabric_id: i64, r: &ResourceUpsert) -> Result<i64> {
        self.write_desired(conn, fabric_id, r, insert_desired_sql!())?;
        Ok(conn.last_insert_rowid())
    }

    /// Runs `sql`, an insert of the desired version with `insert_desired_sql!`'s parameters.
    fn write_desired(&self, conn: &Connection, fabric_id: i64, r: &ResourceUpsert, sql: &str) -> Result<()> {
        let value = r.value.to_string();
        let doc_issues = issues_text(&r.document_issues);
        conn.exec_cached(sql, params![fabric_id, r.kind, r.name, r.path, r.text, value, r.blob, r.commit, r.legacy, doc_issues])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Forgets the resource read from `path`, unless it now lives at another path (a rename
    /// within one pull). Resources with a draft keep the draft and lose only the desired part.
    /// Returns how many resources lost their desired version.
    pub fn remove_desired_at(&self, conn: &Connection, fabric_id: i64, path: &str) -> Result<usize> {
        let deleted = conn.exec_cached(
            "DELETE FROM resources WHERE fabric_id = ?1 AND path = ?2 AND draft_text IS NULL AND draft_deleted = 0",
            params![fabric_id, path],
        )
        .map_err(|e| self.err(e))?;
        let kept_drafts = conn.exec_cached(
            "UPDATE resources SET desired_text = NULL, desired_value = NULL, desired_blob = NULL, desired_commit = NULL, path = NULL
             WHERE fabric_id = ?1 AND path = ?2",
            params![fabric_id, path],
        )
        .map_err(|e| self.err(e))?;
        Ok(deleted + kept_drafts)
    }

    /// Forgets other resources that were read from `path` before it was changed to hold
    /// `kind`/`name` (someone renamed the resource inside the file).
    pub fn remove_others_at(&self, conn: &Connection, fabric_id: i64, path: &str, kind: &str, name: &str) -> Result<usize> {
        let n = conn
            .exec_cached(
                "DELETE FROM resources WHERE fabric_id = ?1 AND path = ?2 AND NOT (kind = ?3 AND name = ?4)
                 AND draft_text IS NULL AND draft_deleted = 0",
                params![fabric_id, path, kind, name],
            )
            .map_err(|e| self.err(e))?;
        let m = conn
            .exec_cached(
                "UPDATE resources SET desired_text = NULL, desired_value = NULL, desired_blob = NULL, desired_commit = NULL, path = NULL
                 WHERE fabric_id = ?1 AND path = ?2 AND NOT (kind = ?3 AND name = ?4)",
                params![fabric_id, path, kind, name],
            )
            .map_err(|e| self.err(e))?;
        Ok(n + m)
    }

    /// (kind, name) of the resources read from `path`.
    pub fn resources_at(&self, conn: &Connection, fabric_id: i64, path: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare_cached("SELECT kind, name FROM resources WHERE fabric_id = ?1 AND path = ?2").map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![fabric_id, path], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn resources(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<ResourceRow>> {
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM resources WHERE fabric_id = ?1 ORDER BY kind, name"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], |r| from_row(r, false)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn resource(&self, conn: &Connection, fabric_id: i64, kind: &str, name: &str) -> Result<Option<ResourceRow>> {
        conn.row_cached(
            &format!("SELECT {COLUMNS}, desired_text, draft_text FROM resources WHERE fabric_id = ?1 AND kind = ?2 AND name = ?3"),
            params![fabric_id, kind, name],
            |r| from_row(r, true),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// (kind, name) → (path, desired blob) of every resource with a desired version.
    pub fn resource_index(&self, conn: &Connection, fabric_id: i64) -> Result<HashMap<(String, String), (String, String)>> {
        let mut stmt = conn
            .prepare_cached("SELECT kind, name, path, desired_blob FROM resources WHERE fabric_id = ?1 AND path IS NOT NULL AND desired_blob IS NOT NULL")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([fabric_id], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Every resource as the user sees it (the draft where there is one; resources marked for
    /// deletion left out), for fabric-wide validation, in the order they were added.
    pub fn validation_inputs(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<ValidationInput>> {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {INPUT_COLUMNS} FROM resources
                 WHERE fabric_id = ?1 AND draft_deleted = 0 AND COALESCE(draft_value, desired_value) IS NOT NULL ORDER BY id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], input_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// (kind, name, path, value) of every resource as of the synced commit (drafts aside).
    pub fn desired_resources(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<(String, String, String, serde_json::Value)>> {
        let mut stmt = conn
            .prepare_cached("SELECT kind, name, path, desired_value FROM resources WHERE fabric_id = ?1 AND path IS NOT NULL AND desired_value IS NOT NULL")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([fabric_id], |r| {
                let value: String = r.get(3)?;
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, serde_json::from_str(&value).unwrap_or(serde_json::Value::Null)))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn set_issues(&self, conn: &Connection, id: i64, issues: &str) -> Result<()> {
        conn.exec_cached("UPDATE resources SET issues = ?2 WHERE id = ?1", params![id, issues]).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The text the resource's issues refer to: its draft, else its desired version.
    pub fn desired_text_by_id(&self, conn: &Connection, id: i64) -> Result<Option<String>> {
        conn.row_cached("SELECT COALESCE(draft_text, desired_text) FROM resources WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
            .map(Option::flatten)
    }

    pub fn desired_text(&self, conn: &Connection, fabric_id: i64, path: &str) -> Result<Option<String>> {
        conn.row_cached(
            "SELECT desired_text FROM resources WHERE fabric_id = ?1 AND path = ?2",
            params![fabric_id, path],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.err(e))
        .map(Option::flatten)
    }

    // Files the tool keeps but does not manage, and raw files waiting for ingestion.

    pub fn upsert_unmanaged(&self, conn: &Connection, fabric_id: i64, path: &str, reason: &str, blob: &str) -> Result<()> {
        conn.exec_cached(
            "INSERT INTO unmanaged_files (fabric_id, path, reason, blob) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (fabric_id, path) DO UPDATE SET reason = ?3, blob = ?4",
            params![fabric_id, path, reason, blob],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn upsert_raw(&self, conn: &Connection, fabric_id: i64, path: &str, blob: &str) -> Result<()> {
        conn.exec_cached(
            "INSERT INTO raw_files (fabric_id, path, blob) VALUES (?1, ?2, ?3) ON CONFLICT (fabric_id, path) DO UPDATE SET blob = ?3",
            params![fabric_id, path, blob],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Whether the fabric holds any resource, and any raw or unmanaged file.
    pub fn fabric_holds(&self, conn: &Connection, fabric_id: i64) -> Result<(bool, bool)> {
        conn.row_cached(
            "SELECT EXISTS (SELECT 1 FROM resources WHERE fabric_id = ?1),
                EXISTS (SELECT 1 FROM unmanaged_files WHERE fabric_id = ?1) OR EXISTS (SELECT 1 FROM raw_files WHERE fabric_id = ?1)",
            params![fabric_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| self.err(e))
    }

    /// Forgets `path` as an unmanaged or raw file.
    pub fn remove_file(&self, conn: &Connection, fabric_id: i64, path: &str) -> Result<()> {
        for table in ["unmanaged_files", "raw_files"] {
            conn.exec_cached(&format!("DELETE FROM {table} WHERE fabric_id = ?1 AND path = ?2"), params![fabric_id, path])
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// (path, reason) of every unmanaged file.
    pub fn unmanaged_files(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = conn
            .prepare_cached("SELECT path, reason FROM unmanaged_files WHERE fabric_id = ?1 ORDER BY path")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn raw_files(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<String>> {
        let mut stmt = conn
            .prepare_cached("SELECT path FROM raw_files WHERE fabric_id = ?1 ORDER BY path")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }
}
