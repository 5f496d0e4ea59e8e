//! A fabric's cluster link and its last snapshot. The snapshot is stored whole, as JSON: it is
//! read back whole (the drift is computed from it), and it is only ever replaced.

use rusqlite::{params, Connection, OptionalExtension};
use super::CachedSql;
use serde_json::Value;

use super::Store;
use crate::cluster::{ClusterLink, Snapshot};
use crate::error::Result;

/// One resource as drift compares it: what Git says, and the draft when there is one
/// (`Some(None)`: the draft deletes it).
#[derive(Debug, Clone)]
pub struct DriftInput {
    pub kind: String,
    pub name: String,
    pub desired: Option<Value>,
    pub draft: Option<Option<Value>>,
}

impl Store {
    pub fn cluster_link(&self, conn: &Connection, fabric_id: i64) -> Result<Option<ClusterLink>> {
        conn.row_cached("SELECT kubeconfig, context, namespace FROM cluster_links WHERE fabric_id = ?1", [fabric_id], |r| {
            Ok(ClusterLink { kubeconfig: r.get(0)?, context: r.get(1)?, namespace: r.get(2)? })
        })
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Sets or (with `None`) removes the link. Removing it also drops the snapshot, which
    /// described that cluster.
    pub fn set_cluster_link(&self, conn: &Connection, fabric_id: i64, link: Option<&ClusterLink>) -> Result<()> {
        let result = match link {
            Some(l) => conn.exec_cached(
                "INSERT INTO cluster_links (fabric_id, kubeconfig, context, namespace) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (fabric_id) DO UPDATE SET kubeconfig = ?2, context = ?3, namespace = ?4",
                params![fabric_id, l.kubeconfig, l.context, l.namespace],
            ),
            None => conn
                .exec_cached("DELETE FROM cluster_links WHERE fabric_id = ?1", [fabric_id])
                .and_then(|_| conn.exec_cached("DELETE FROM cluster_snapshots WHERE fabric_id = ?1", [fabric_id])),
        };
        result.map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The keychain id of the cluster's bearer token, when hhsync was given one.
    pub fn cluster_credential(&self, conn: &Connection, fabric_id: i64) -> Result<Option<String>> {
        let id: Option<Option<String>> = conn
            .row_cached("SELECT credential_id FROM cluster_links WHERE fabric_id = ?1", [fabric_id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(id.flatten())
    }

    pub fn set_cluster_credential(&self, conn: &Connection, fabric_id: i64, credential_id: Option<&str>) -> Result<()> {
        conn.exec_cached("UPDATE cluster_links SET credential_id = ?2 WHERE fabric_id = ?1", params![fabric_id, credential_id]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn cluster_snapshot(&self, conn: &Connection, fabric_id: i64) -> Result<Option<Snapshot>> {
        let body: Option<String> = conn
            .row_cached("SELECT body FROM cluster_snapshots WHERE fabric_id = ?1", [fabric_id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        // A snapshot this version cannot read is as good as none: the next refresh replaces it.
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    pub fn save_cluster_snapshot(&self, conn: &Connection, fabric_id: i64, snapshot: &Snapshot) -> Result<()> {
        let body = serde_json::to_string(snapshot).unwrap_or_default();
        conn.exec_cached(
            "INSERT INTO cluster_snapshots (fabric_id, taken_at, body) VALUES (?1, ?2, ?3)
             ON CONFLICT (fabric_id) DO UPDATE SET taken_at = ?2, body = ?3",
            params![fabric_id, snapshot.taken_at, body],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every resource of the fabric with its desired value and its draft.
    pub fn drift_inputs(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<DriftInput>> {
        let mut stmt = conn
            .prepare_cached(&format!("{DRIFT_INPUT_SELECT} WHERE fabric_id = ?1 ORDER BY kind, name"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], drift_input_of).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// One resource's [`DriftInput`], if the fabric has it.
    pub fn drift_input(&self, conn: &Connection, fabric_id: i64, kind: &str, name: &str) -> Result<Option<DriftInput>> {
        conn.row_cached(&format!("{DRIFT_INPUT_SELECT} WHERE fabric_id = ?1 AND kind = ?2 AND name = ?3"), params![fabric_id, kind, name], drift_input_of)
            .optional()
            .map_err(|e| self.err(e))
    }
}

const DRIFT_INPUT_SELECT: &str = "SELECT kind, name, desired_value, draft_value, draft_deleted FROM resources";

fn drift_input_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<DriftInput> {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str::<Value>(&t).ok());
    let desired = parse(r.get(2)?);
    let draft_value = parse(r.get(3)?);
    let deleted: bool = r.get(4)?;
    let draft = if deleted { Some(None) } else { draft_value.map(Some) };
    Ok(DriftInput { kind: r.get(0)?, name: r.get(1)?, desired, draft })
}
