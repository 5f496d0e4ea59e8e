//! What an operation changed, for the app's History: its commit against the commit's parent
//! (for a pull, against the commit the fabric was at: a pull may bring several commits), file by
//! file below the fabric's directory, with a unified diff of each. Read-only: no lock,
//! no network (the commit is in the local clone since the operation made or fetched it).

use super::Engine;
use crate::error::{Error, Result};
use crate::gitops::layout::{self, FileRole};
use crate::sync::diff::unified;

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum FileChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One file an operation's commit changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct OperationFile {
    /// Relative to the fabric's directory.
    pub path: String,
    /// `Kind/name` of a managed file (the name as its file is named).
    pub resource: Option<String>,
    pub change: FileChangeKind,
    /// Unified diff (empty for a file that is not text, or not a regular file).
    pub diff: String,
}

/// An operation's commit and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct OperationDiff {
    pub operation_id: i64,
    /// None when the operation made no commit.
    pub commit: Option<String>,
    pub parent: Option<String>,
    /// The proposal branch the commit was pushed to, when it did not go to the fabric's branch.
    pub branch: Option<String>,
    pub message: Option<String>,
    pub author: Option<String>,
    pub files: Vec<OperationFile>,
}

impl Engine {
    /// What operation `operation` of `fabric` committed. An operation that made no commit (a
    /// pull, a failed push) has `commit: None` and no files.
    pub fn operation_diff(&self, fabric: &str, operation: i64) -> Result<OperationDiff> {
        let row = self.fabric_row(fabric)?;
        let op = {
            let conn = self.store.connect()?;
            self.store.operations(&conn, row.id, usize::MAX)?.into_iter().find(|o| o.id == operation)
        }
        .ok_or_else(|| Error::OperationNotFound { fabric: row.name.clone(), operation })?;
        let mut diff = OperationDiff { operation_id: operation, commit: None, parent: None, branch: None, message: None, author: None, files: Vec::new() };
        let commit = match (&op.commit_after, &op.commit_before) {
            (Some(after), before) if before.as_deref() != Some(after.as_str()) => after.clone(),
            _ => return Ok(diff),
        };
        diff.branch = self.proposal_branch_of(&row, &commit)?;
        let repo = self.open_clone(&row)?;
        // A pull moves the fabric over every commit between the two; anything else made one
        // commit, whose parent may be a colleague's (a push rebased onto it).
        let parent = match (op.kind, &op.commit_before) {
            (crate::store::OperationKind::Pull, Some(before)) => Some(before.clone()),
            _ => repo.parent(&commit)?,
        };
        let (author, _, _) = repo.commit_summary(&commit)?;
        diff.message = Some(repo.commit_message(&commit)?);
        diff.author = Some(author);
        let changes = match &parent {
            Some(p) => repo.diff_files(p, &commit, &row.directory)?,
            None => repo.entries_as_added(&commit, &row.directory)?,
        };
        let text = |blob: &Option<String>| -> Result<String> {
            Ok(match blob {
                Some(b) => String::from_utf8(repo.read_blob(b)?).unwrap_or_default(),
                None => String::new(),
            })
        };
        for c in changes {
            let change = match (&c.old_blob, &c.new_blob) {
                (None, _) => FileChangeKind::Added,
                (_, None) if c.not_a_file.is_none() => FileChangeKind::Deleted,
                _ => FileChangeKind::Modified,
            };
            let resource = match layout::role(&c.path) {
                FileRole::Managed(kind) => c.path.rsplit('/').next().and_then(|f| f.strip_suffix(".yaml")).map(|stem| format!("{kind}/{stem}")),
                _ => None,
            };
            let diff_text = unified(&text(&c.old_blob)?, &text(&c.new_blob)?, &c.path, &c.path);
            diff.files.push(OperationFile { path: c.path, resource, change, diff: diff_text });
        }
        diff.commit = Some(commit);
        diff.parent = parent;
        Ok(diff)
    }

    /// The branch of the proposal whose commit this is, if any: such a commit is not on the
    /// fabric's branch (until its pull request is merged).
    pub(super) fn proposal_branch_of(&self, row: &crate::store::FabricRow, commit: &str) -> Result<Option<String>> {
        let conn = self.store.connect()?;
        Ok(self.store.proposals(&conn, row.id)?.into_iter().find(|p| p.commit_id == commit).map(|p| p.branch))
    }
}
