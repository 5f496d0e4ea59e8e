//! The database side of credentials, pull requests and connectivity (migration 5): how a
//! repository authenticates and the keychain id of its secrets (never a secret itself), its
//! GitHub API base URL, a proposal's pull request as GitHub last reported it, and the last
//! operation that talked to the remote (for "offline").

use rusqlite::{params, Connection, OptionalExtension};
use super::CachedSql;

use super::{now, Store};
use crate::error::{Error, Result};
use crate::git::AuthMethod;

/// A repository with how it authenticates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RepoAuthRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub branch: String,
    pub clone_dir: String,
    pub auth: AuthMethod,
    /// Keychain id of the token and webhook secret (not secret: the key, not the value).
    #[serde(skip)]
    pub credential_id: Option<String>,
    pub api_url: Option<String>,
    pub ssh_key: Option<String>,
}

/// GitHub's view of a proposal's pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalPr {
    pub proposal_id: i64,
    /// open, closed or merged; `None` before the first look.
    pub pr_state: Option<String>,
    pub pr_checked_at: Option<String>,
}

/// The kinds of operation that talk to the remote.
const NETWORK_KINDS: &str = "'pull', 'push', 'init', 'ingest', 'revert', 'pr', 'poll'";

impl Store {
    pub fn repo_auth(&self, conn: &Connection, name: &str) -> Result<RepoAuthRow> {
        conn.row_cached(
            "SELECT id, name, url, branch, clone_dir, auth, credential_id, api_url, ssh_key FROM repositories WHERE name = ?1",
            [name],
            |r| {
                let auth: String = r.get(5)?;
                Ok(RepoAuthRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    url: r.get(2)?,
                    branch: r.get(3)?,
                    clone_dir: r.get(4)?,
                    auth: AuthMethod::parse(&auth).unwrap_or(AuthMethod::None),
                    credential_id: r.get(6)?,
                    api_url: r.get(7)?,
                    ssh_key: r.get(8)?,
                })
            },
        )
        .optional()
        .map_err(|e| self.err(e))?
        .ok_or_else(|| Error::RepositoryNotFound(name.to_owned()))
    }

    pub fn set_repo_auth(
        &self,
        conn: &Connection,
        id: i64,
        auth: AuthMethod,
        credential_id: Option<&str>,
        api_url: Option<&str>,
        ssh_key: Option<&str>,
    ) -> Result<()> {
        conn.exec_cached(
            "UPDATE repositories SET auth = ?2, credential_id = ?3, api_url = ?4, ssh_key = ?5 WHERE id = ?1",
            params![id, auth.as_str(), credential_id, api_url, ssh_key],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records the pull request opened for a proposal.
    pub fn set_proposal_pr(&self, conn: &Connection, id: i64, url: &str, number: i64, pr_state: &str) -> Result<()> {
        conn.exec_cached(
            "UPDATE proposals SET pr_url = ?2, pr_number = ?3, pr_state = ?4, pr_checked_at = ?5 WHERE id = ?1",
            params![id, url, number, pr_state, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records the pull request's state as GitHub reported it (open, closed, merged).
    pub fn set_proposal_pr_state(&self, conn: &Connection, id: i64, pr_state: &str) -> Result<()> {
        conn.exec_cached("UPDATE proposals SET pr_state = ?2, pr_checked_at = ?3 WHERE id = ?1", params![id, pr_state, now()])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// GitHub's view of each proposal's pull request.
    pub fn proposal_pr_states(&self, conn: &Connection, fabric_id: i64) -> Result<Vec<ProposalPr>> {
        let mut stmt = conn
            .prepare_cached("SELECT id, pr_state, pr_checked_at FROM proposals WHERE fabric_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([fabric_id], |r| Ok(ProposalPr { proposal_id: r.get(0)?, pr_state: r.get(1)?, pr_checked_at: r.get(2)? }))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// The push operation that pushed `commit`, newest first.
    pub fn push_operation_for_commit(&self, conn: &Connection, fabric_id: i64, commit: &str) -> Result<Option<i64>> {
        conn.row_cached(
            "SELECT id FROM sync_operations WHERE fabric_id = ?1 AND kind = 'push' AND commit_after = ?2 ORDER BY id DESC LIMIT 1",
            params![fabric_id, commit],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// The error code of the last finished operation that talked to the remote (`None` when it
    /// succeeded or there was none).
    pub fn last_network_error_code(&self, conn: &Connection, fabric_id: i64) -> Result<Option<String>> {
        let row: Option<Option<String>> = conn
            .row_cached(
                &format!(
                    "SELECT error_code FROM sync_operations WHERE fabric_id = ?1 AND kind IN ({NETWORK_KINDS}) \
                     AND status != 'running' ORDER BY id DESC LIMIT 1"
                ),
                [fabric_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.flatten())
    }
}
