//! The index behind incremental validation (`sync/revalidate.rs`): each resource's dependency
//! keys (`hedgehog/dependencies.rs`) and the resources changed since the last validation, which
//! the triggers of migration 8 note on every write to `resources`.

use rusqlite::{params, Connection};

use super::resources::{input_from_row, ValidationInput, INPUT_COLUMNS};
use super::{CachedSql, Store};
use crate::error::Result;
use crate::hedgehog::{DependencyKey, KeyRole};

impl Store {
    /// The resources changed since the last validation (some may be gone).
    pub fn validation_pending(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<i64>> {
        let mut stmt = conn
            .prepare_cached("SELECT resource_id FROM validation_pending WHERE fabric_id = ?1 ORDER BY resource_id")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([fabric_id], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn clear_validation_pending(&self, conn: &Connection, fabric_id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM validation_pending WHERE fabric_id = ?1", [fabric_id]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn resource_count(&self, conn: &Connection, fabric_id: i64) -> Result<usize> {
        self.resource_count_up_to(conn, fabric_id, usize::MAX)
    }

    /// How many resources the fabric has, counting no further than `cap`: counting all of them
    /// reads the whole index (20 ms at 100,000, most of an edit), where the caller only needs to
    /// know whether there are more than a few.
    pub fn resource_count_up_to(&self, conn: &Connection, fabric_id: i64, cap: usize) -> Result<usize> {
        let cap = i64::try_from(cap).unwrap_or(i64::MAX);
        conn.row_cached("SELECT COUNT(*) FROM (SELECT 1 FROM resources WHERE fabric_id = ?1 LIMIT ?2)", [fabric_id, cap], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// The keys the index holds for one resource, as of its last validation.
    pub fn dependency_keys_of(&self, conn: &Connection, fabric_id: i64, resource_id: i64) -> Result<Vec<DependencyKey>> {
        let mut stmt = conn
            .prepare_cached("SELECT role, key, lo, hi FROM validation_keys WHERE resource_id = ?1 AND fabric_id = ?2")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![resource_id, fabric_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })
            .map_err(|e| self.err(e))?;
        let mut keys = Vec::new();
        for row in rows {
            let (role, key, lo, hi) = row.map_err(|e| self.err(e))?;
            if let Some(role) = KeyRole::from_i64(role) {
                keys.push(DependencyKey { role, key, lo, hi });
            }
        }
        Ok(keys)
    }

    /// The resources whose indexed keys meet `key`: the references to a name, the name a
    /// reference names, the same uniqueness key, or an overlapping range of the same namespace.
    pub fn resources_meeting(&self, conn: &Connection, fabric_id: i64, key: &DependencyKey) -> Result<Vec<i64>> {
        // Names meet references both ways; shares and ranges meet their own kind.
        let role = match key.role {
            KeyRole::Name => KeyRole::Ref,
            KeyRole::Ref => KeyRole::Name,
            same => same,
        };
        let sql = match key.role {
            KeyRole::Range => {
                "SELECT resource_id FROM validation_keys WHERE fabric_id = ?1 AND role = ?2 AND key = ?3 AND lo <= ?5 AND hi >= ?4"
            }
            _ => "SELECT resource_id FROM validation_keys WHERE fabric_id = ?1 AND role = ?2 AND key = ?3",
        };
        let mut stmt = conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let ids: rusqlite::Result<Vec<i64>> = if key.role == KeyRole::Range {
            stmt.query_map(params![fabric_id, role as i64, key.key, key.lo, key.hi], |r| r.get(0)).and_then(Iterator::collect)
        } else {
            stmt.query_map(params![fabric_id, role as i64, key.key], |r| r.get(0)).and_then(Iterator::collect)
        };
        ids.map_err(|e| self.err(e))
    }

    /// Replaces the indexed keys of one resource.
    pub fn set_dependency_keys(&self, conn: &Connection, fabric_id: i64, resource_id: i64, keys: &[DependencyKey]) -> Result<()> {
        conn.exec_cached("DELETE FROM validation_keys WHERE resource_id = ?1 AND fabric_id = ?2", params![resource_id, fabric_id])
            .map_err(|e| self.err(e))?;
        self.insert_dependency_keys(conn, fabric_id, resource_id, keys)
    }

    /// Empties the fabric's index, before a full validation writes it again.
    pub fn clear_dependency_keys(&self, conn: &Connection, fabric_id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM validation_keys WHERE fabric_id = ?1", [fabric_id]).map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn insert_dependency_keys(&self, conn: &Connection, fabric_id: i64, resource_id: i64, keys: &[DependencyKey]) -> Result<()> {
        self.insert_dependency_rows(conn, fabric_id, keys.iter().map(|k| (resource_id, k)))
    }

    /// Index rows, of any resources: (resource id, key).
    pub fn insert_dependency_rows<'k>(&self, conn: &Connection, fabric_id: i64, rows: impl IntoIterator<Item = (i64, &'k DependencyKey)>) -> Result<()> {
        let mut stmt = conn
            .prepare_cached("INSERT INTO validation_keys (fabric_id, resource_id, role, key, lo, hi) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(|e| self.err(e))?;
        for (resource_id, k) in rows {
            stmt.execute(params![fabric_id, resource_id, k.role as i64, k.key, k.lo, k.hi]).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// One resource as fabric-wide validation sees it, if it takes part (it exists, is not
    /// marked for deletion and has a value).
    pub fn validation_input(&self, conn: &Connection, fabric_id: i64, resource_id: i64) -> Result<Option<ValidationInput>> {
        use rusqlite::OptionalExtension;
        conn.row_cached(
            &format!("SELECT {INPUT_COLUMNS} FROM resources WHERE id = ?1 AND fabric_id = ?2 AND draft_deleted = 0 AND COALESCE(draft_value, desired_value) IS NOT NULL"),
            params![resource_id, fabric_id],
            input_from_row,
        )
        .optional()
        .map_err(|e| self.err(e))
    }
}
