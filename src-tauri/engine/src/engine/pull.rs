//! Pull and init: fetch and bring the store to the branch's tip (applying only what changed),
//! and create or repair the GitOps directory through the runner's commit-and-push loop.

use super::operation::{OperationKind, Outcome, Planned, Publish};
use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::git::GitRepo;
use crate::gitops::{init, layout};
use crate::store::{now, FabricRow};
use crate::sync::{apply_commit_with, ApplyCounts, ChangedResource, KnownFiles};

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct PullReport {
    pub fabric: String,
    pub operation_id: i64,
    pub commit_before: Option<String>,
    pub commit_after: Option<String>,
    pub up_to_date: bool,
    pub counts: ApplyCounts,
    /// The resources that were added, changed or deleted.
    pub changed: Vec<ChangedResource>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct InitReport {
    pub fabric: String,
    pub operation_id: i64,
    pub commit: Option<String>,
    pub already_initialized: bool,
    pub created: Vec<String>,
    pub findings: Vec<super::Finding>,
}

impl Engine {
    /// Fetches and, if the branch moved, applies what changed, with progress reports under
    /// `operation`. Returns the tip, the counts and the resources that changed. The caller holds
    /// the lock.
    pub(super) fn sync_to_tip_reporting(
        &self,
        fabric: &FabricRow,
        repo: &GitRepo,
        operation: OperationKind,
    ) -> Result<(Option<String>, ApplyCounts, Vec<ChangedResource>)> {
        self.progress.report(&fabric.name, operation, "Fetching from the remote", 0, 1, false);
        let Some(tip) = repo.fetch(&fabric.branch)? else { return Ok((None, ApplyCounts::default(), Vec::new())) };
        crate::crash::point("pull:after-fetch");
        let on_file = |done: usize, total: usize| {
            self.progress.report(&fabric.name, operation, "Reading what changed", done as u64, total as u64, true);
            self.progress.check(operation)
        };
        let (counts, changed) = apply_commit_with(&self.store, repo, fabric, &tip, KnownFiles::new(), &on_file)?;
        self.settle_proposals_locked(fabric, repo, &tip)?;
        Ok((Some(tip), counts, changed))
    }

    pub(super) fn refreshed(&self, fabric: &FabricRow) -> Result<FabricRow> {
        self.fabric_row(&fabric.name)
    }

    /// Pull: fetch; if the branch moved, apply what changed below the fabric's directory.
    pub fn pull(&self, fabric: &str, trigger: Trigger) -> Result<PullReport> {
        self.operate(fabric, OperationKind::Pull, trigger, |engine, fabric, operation_id| {
            let repo = engine.open_clone(fabric)?;
            let (tip, counts, changed) = engine.sync_to_tip_reporting(fabric, &repo, OperationKind::Pull)?;
            let tip = tip.ok_or_else(|| Error::BranchNotFound { url: fabric.url.clone(), branch: fabric.branch.clone() })?;
            let up_to_date = fabric.synced_commit.as_deref() == Some(tip.as_str());
            let report = PullReport {
                fabric: fabric.name.clone(),
                operation_id,
                commit_before: fabric.synced_commit.clone(),
                commit_after: Some(tip.clone()),
                up_to_date,
                counts,
                changed,
            };
            Ok(Outcome::new(report, Some(tip), counts, counts.conflicts > 0))
        })
    }

    /// Creates or repairs the GitOps directory structure; commits and pushes only if something
    /// was missing. Reports files found where they do not belong and legacy resources.
    pub fn init(&self, fabric: &str, trigger: Trigger) -> Result<InitReport> {
        self.operate(fabric, OperationKind::Init, trigger, |engine, fabric, operation_id| {
            let repo = engine.open_clone(fabric)?;
            let done = engine.commit_and_push_locked(fabric, &repo, OperationKind::Init, Publish::FabricBranch, true, |current, tip| {
                let existing: Vec<String> = match tip {
                    Some(tip) => repo.list_files(tip, &current.directory)?.into_iter().map(|e| e.path).collect(),
                    None => Vec::new(),
                };
                let p = init::plan(&current.directory, &current.name, &existing, &now());
                let message = format!("hhsync: initialise GitOps directory for fabric {}\n\nCreated:\n{}", current.name,
                    p.created.iter().map(|c| format!("- {}", layout::join(&current.directory, c))).collect::<Vec<_>>().join("\n"));
                Ok(Planned { writes: p.writes.clone(), message, extra: p, known: KnownFiles::new() })
            })?;
            let planned = done.extra;
            let findings = engine.findings(fabric)?;
            let attention = !findings.is_empty();
            let counts = InitCounts { created: planned.created.len(), findings: findings.len() };
            let after = engine.refreshed(fabric)?.synced_commit;
            let report = InitReport {
                fabric: fabric.name.clone(),
                operation_id,
                commit: done.commit,
                already_initialized: planned.already_initialized,
                created: planned.created,
                findings,
            };
            Ok(Outcome::new(report, after, counts, attention))
        })
    }
}

/// The counts an init keeps in the audit trail.
#[derive(serde::Serialize)]
struct InitCounts {
    created: usize,
    findings: usize,
}
