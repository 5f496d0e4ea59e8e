//! Rollback: undo what one push or ingest changed, as a new commit through the same
//! commit-and-push path (history is never rewritten). Files changed again since that
//! operation, or resources with local drafts, stop the revert with a message saying which.

use super::operation::{OperationKind, Outcome, Planned, Publish};
use super::{Engine, Trigger};
use crate::store::OperationStatus;
use crate::sync::KnownFiles;
use crate::error::{Error, Result, RevertBlock};
use crate::git::FileWrite;
use crate::gitops::layout::{self, FileRole};

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct RevertReport {
    pub fabric: String,
    pub operation_id: i64,
    pub reverted_operation: i64,
    pub commit: Option<String>,
    /// Files restored to how they were before the operation.
    pub files: Vec<String>,
}

impl Engine {
    pub fn revert(&self, fabric: &str, operation: i64, trigger: Trigger) -> Result<RevertReport> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let repo = self.open_clone(&fabric)?;
        let op = {
            let conn = self.store.connect()?;
            self.store.operations(&conn, fabric.id, usize::MAX)?.into_iter().find(|o| o.id == operation)
        }
        .ok_or_else(|| Error::OperationNotFound { fabric: fabric.name.clone(), operation })?;
        if !matches!(op.kind, OperationKind::Push | OperationKind::Ingest | OperationKind::Revert) {
            return Err(Error::InvalidInput(format!("operation #{operation} is a {}; only push, ingest and revert operations can be reverted", op.kind)));
        }
        let after = match (&op.commit_after, op.status) {
            (Some(after), OperationStatus::Succeeded | OperationStatus::Attention) if op.commit_before.as_deref() != Some(after.as_str()) => after.clone(),
            _ => return Err(Error::InvalidInput(format!("operation #{operation} made no commit; there is nothing to revert"))),
        };
        if let Some(branch) = self.proposal_branch_of(&fabric, &after)? {
            return Err(Error::RevertOfProposal { operation, branch, fabric_branch: fabric.branch.clone() });
        }
        // The operation's own change: its commit against its parent (a push or ingest may have
        // pulled others' commits first; those are not undone).
        let before = repo.parent(&after)?.ok_or_else(|| Error::InvalidInput(format!("operation #{operation}'s commit has no parent")))?;
        self.record(&fabric, OperationKind::Revert, trigger, |engine, fabric, operation_id| {
            let done = engine.commit_and_push_locked(fabric, &repo, OperationKind::Revert, Publish::FabricBranch, false, |current, tip| {
                let tip = tip.unwrap_or_default();
                let changes = repo.diff_files(&before, &after, &current.directory)?;
                let conn = self.store.connect()?;
                let drafts = self.store.drafts(&conn, current.id)?;
                let mut writes = Vec::new();
                let mut moved = Vec::new();
                let mut drafted = Vec::new();
                let mut files = Vec::new();
                for change in &changes {
                    let repo_path = layout::join(&current.directory, &change.path);
                    if repo.blob_at(tip, &repo_path)? != change.new_blob {
                        moved.push(change.path.clone());
                        continue;
                    }
                    if matches!(layout::role(&change.path), FileRole::Managed(_)) && drafts.iter().any(|d| d.path.as_deref() == Some(change.path.as_str())) {
                        drafted.push(change.path.clone());
                        continue;
                    }
                    files.push(change.path.clone());
                    writes.push(match &change.old_blob {
                        Some(blob) => FileWrite::PutBlob { path: repo_path, blob: blob.clone() },
                        None => FileWrite::Delete { path: repo_path },
                    });
                }
                if !moved.is_empty() {
                    return Err(Error::RevertBlocked { operation, reason: RevertBlock::ChangedSince, files: moved });
                }
                if !drafted.is_empty() {
                    return Err(Error::RevertBlocked { operation, reason: RevertBlock::Drafts, files: drafted });
                }
                let message = format!("Revert {} #{operation} in fabric {}\n\nThis reverts commit {after}.\n", op.kind, current.name);
                Ok(Planned { writes, message, extra: files, known: KnownFiles::new() })
            })?;
            let report = RevertReport { fabric: fabric.name.clone(), operation_id, reverted_operation: operation, commit: done.commit, files: done.extra };
            let counts = RevertCounts { files: report.files.len(), reverted_operation: operation };
            let after = engine.refreshed(fabric)?.synced_commit;
            Ok(Outcome::new(report, after, counts, false))
        })
    }
}

/// The counts a revert keeps in the audit trail.
#[derive(serde::Serialize)]
struct RevertCounts {
    files: usize,
    reverted_operation: i64,
}
