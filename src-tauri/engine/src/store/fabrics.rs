//! Rows of the `fabrics` table, joined with their repository.

use rusqlite::{params, Connection, OptionalExtension, Row};
use super::CachedSql;

use super::{now, Store};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct FabricRow {
    pub id: i64,
    pub name: String,
    pub repository_id: i64,
    pub repository: String,
    pub url: String,
    pub clone_dir: String,
    pub branch: String,
    /// The GitOps directory inside the repository, without leading or trailing `/`.
    pub directory: String,
    pub synced_commit: Option<String>,
    pub synced_at: Option<String>,
}

const SELECT: &str = "SELECT f.id, f.name, f.repository_id, r.name, r.url, r.clone_dir, f.branch, f.directory, f.synced_commit, f.synced_at \
                      FROM fabrics f JOIN repositories r ON r.id = f.repository_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<FabricRow> {
    Ok(FabricRow {
        id: r.get(0)?,
        name: r.get(1)?,
        repository_id: r.get(2)?,
        repository: r.get(3)?,
        url: r.get(4)?,
        clone_dir: r.get(5)?,
        branch: r.get(6)?,
        directory: r.get(7)?,
        synced_commit: r.get(8)?,
        synced_at: r.get(9)?,
    })
}

/// True when one directory is the other or contains it (`a/b` and `a/b/c`); the root (empty)
/// contains everything.
fn overlaps(a: &str, b: &str) -> bool {
    let within = |outer: &str, inner: &str| outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}/"));
    within(a, b) || within(b, a)
}

impl Store {
    pub fn insert_fabric(&self, conn: &Connection, name: &str, repository_id: i64, branch: &str, directory: &str) -> Result<FabricRow> {
        if self.find_fabric(conn, name)?.is_some() {
            return Err(Error::FabricExists(name.to_owned()));
        }
        for other in self.fabrics(conn)? {
            if other.repository_id == repository_id && other.branch == branch && overlaps(&other.directory, directory) {
                return Err(Error::DirectoryTaken {
                    repository: other.repository,
                    branch: branch.to_owned(),
                    directory: directory.to_owned(),
                    fabric: other.name,
                });
            }
        }
        conn.exec_cached(
            "INSERT INTO fabrics (name, repository_id, branch, directory, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, repository_id, branch, directory, now()],
        )
        .map_err(|e| self.err(e))?;
        self.fabric(conn, name)
    }

    pub fn find_fabric(&self, conn: &Connection, name: &str) -> Result<Option<FabricRow>> {
        conn.row_cached(&format!("{SELECT} WHERE f.name = ?1"), [name], from_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn fabric(&self, conn: &Connection, name: &str) -> Result<FabricRow> {
        self.find_fabric(conn, name)?.ok_or_else(|| Error::FabricNotFound(name.to_owned()))
    }

    pub fn fabrics(&self, conn: &Connection) -> Result<Vec<FabricRow>> {
        let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY f.name")).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn delete_fabric(&self, conn: &Connection, id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM fabrics WHERE id = ?1", [id]).map_err(|e| self.err(e))?;
        // Not tied to the fabric by a foreign key: the deletion of its resources, cascading from
        // the line above, notes them as pending (a trigger), and an id may be used again.
        for table in ["validation_keys", "validation_pending"] {
            conn.exec_cached(&format!("DELETE FROM {table} WHERE fabric_id = ?1"), [id]).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    pub fn set_synced_commit(&self, conn: &Connection, fabric_id: i64, commit: &str) -> Result<()> {
        conn.exec_cached(
            "UPDATE fabrics SET synced_commit = ?2, synced_at = ?3 WHERE id = ?1",
            params![fabric_id, commit, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn overlapping_directories() {
        assert!(overlaps("a/b", "a/b"));
        assert!(overlaps("a/b", "a/b/c"));
        assert!(overlaps("a/b/c", "a/b"));
        assert!(overlaps("", "x"));
        assert!(!overlaps("a/b", "a/bc"));
        assert!(!overlaps("a/b", "a/c"));
    }
}
