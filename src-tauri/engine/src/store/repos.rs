//! Rows of the `repositories` table.

use rusqlite::{params, Connection, OptionalExtension, Row};
use super::CachedSql;

use super::{now, Store};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RepoRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub branch: String,
    /// The bare clone, relative to the data directory.
    pub clone_dir: String,
    pub created_at: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<RepoRow> {
    Ok(RepoRow {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        branch: r.get(3)?,
        clone_dir: r.get(4)?,
        created_at: r.get(5)?,
    })
}

const COLUMNS: &str = "id, name, url, branch, clone_dir, created_at";

impl Store {
    pub fn insert_repo(&self, conn: &Connection, name: &str, url: &str, branch: &str, clone_dir: &str) -> Result<RepoRow> {
        if self.find_repo(conn, name)?.is_some() {
            return Err(Error::RepositoryExists(name.to_owned()));
        }
        conn.exec_cached(
            "INSERT INTO repositories (name, url, branch, clone_dir, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, url, branch, clone_dir, now()],
        )
        .map_err(|e| self.err(e))?;
        self.repo(conn, name)
    }

    pub fn find_repo(&self, conn: &Connection, name: &str) -> Result<Option<RepoRow>> {
        conn.row_cached(&format!("SELECT {COLUMNS} FROM repositories WHERE name = ?1"), [name], from_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn repo(&self, conn: &Connection, name: &str) -> Result<RepoRow> {
        self.find_repo(conn, name)?.ok_or_else(|| Error::RepositoryNotFound(name.to_owned()))
    }

    pub fn repo_by_id(&self, conn: &Connection, id: i64) -> Result<RepoRow> {
        conn.row_cached(&format!("SELECT {COLUMNS} FROM repositories WHERE id = ?1"), [id], from_row)
            .map_err(|e| self.err(e))
    }

    pub fn repos(&self, conn: &Connection) -> Result<Vec<RepoRow>> {
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM repositories ORDER BY name")).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    pub fn delete_repo(&self, conn: &Connection, id: i64) -> Result<()> {
        conn.exec_cached("DELETE FROM repositories WHERE id = ?1", [id]).map_err(|e| self.err(e))?;
        Ok(())
    }
}
