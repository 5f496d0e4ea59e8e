//! Pull and init, and the commit-and-push loop they share with ingestion: fetch, bring the
//! store to the tip, build the commit on that tip, push without force; when the remote moved
//! meanwhile, start over on the new tip a bounded number of times.

use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::git::{FileWrite, GitRepo, PushOutcome};
use crate::gitops::{init, layout};
use crate::store::{now, FabricRow};
use crate::sync::{apply_commit_with, ApplyCounts, ChangedResource};

const PUSH_ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InitReport {
    pub fabric: String,
    pub operation_id: i64,
    pub commit: Option<String>,
    pub already_initialized: bool,
    pub created: Vec<String>,
    pub findings: Vec<super::Finding>,
}

/// What a commit-producing step returns for one attempt.
pub(super) struct Planned<T> {
    pub writes: Vec<FileWrite>,
    pub message: String,
    pub extra: T,
}

impl Engine {
    /// Fetches and, if the branch moved, applies what changed. The caller holds the lock.
    /// Returns the tip.
    pub(super) fn sync_to_tip_locked(&self, fabric: &FabricRow, repo: &GitRepo) -> Result<(Option<String>, ApplyCounts)> {
        self.sync_to_tip_reporting(fabric, repo, "pull").map(|(tip, counts, _)| (tip, counts))
    }

    /// [`Self::sync_to_tip_locked`] with progress reports under `operation`, and the resources
    /// that changed.
    pub(super) fn sync_to_tip_reporting(
        &self,
        fabric: &FabricRow,
        repo: &GitRepo,
        operation: &str,
    ) -> Result<(Option<String>, ApplyCounts, Vec<ChangedResource>)> {
        self.progress.report(&fabric.name, operation, "Fetching from the remote", 0, 1, false);
        let Some(tip) = repo.fetch(&fabric.branch)? else { return Ok((None, ApplyCounts::default(), Vec::new())) };
        crate::crash::point("pull:after-fetch");
        let on_file = |done: usize, total: usize| {
            self.progress.report(&fabric.name, operation, "Reading what changed", done as u64, total as u64, true);
            self.progress.check(operation)
        };
        let (counts, changed) = apply_commit_with(&self.store, repo, fabric, &tip, &on_file)?;
        self.settle_proposals_locked(fabric, repo, &tip)?;
        Ok((Some(tip), counts, changed))
    }

    pub(super) fn refreshed(&self, fabric: &FabricRow) -> Result<FabricRow> {
        self.fabric_row(&fabric.name)
    }

    /// Runs `plan` on the freshly synced tip, commits what it writes and pushes it, retrying on
    /// a non-fast-forward. Returns the pushed commit (none if nothing changed) and the last
    /// plan's extra result. The caller holds the lock.
    pub(super) fn commit_and_push_locked<T>(
        &self,
        fabric: &FabricRow,
        repo: &GitRepo,
        allow_empty_branch: bool,
        mut plan: impl FnMut(&FabricRow, Option<&str>) -> Result<Planned<T>>,
    ) -> Result<(Option<String>, T)> {
        let author = self.author();
        for attempt in 1..=PUSH_ATTEMPTS {
            let (tip, _) = self.sync_to_tip_locked(fabric, repo)?;
            if tip.is_none() && !allow_empty_branch {
                return Err(Error::BranchNotFound { url: fabric.url.clone(), branch: fabric.branch.clone() });
            }
            let current = self.refreshed(fabric)?;
            let planned = plan(&current, tip.as_deref())?;
            if planned.writes.is_empty() {
                return Ok((None, planned.extra));
            }
            self.progress.check("the operation")?;
            self.progress.report(&fabric.name, "commit", "Committing and pushing", 0, 1, false);
            let Some(commit) = repo.commit(tip.as_deref(), &planned.writes, &planned.message, &author)? else {
                return Ok((None, planned.extra));
            };
            match repo.push(&commit, &fabric.branch)? {
                PushOutcome::Pushed => {
                    self.settle_landed_commit(&current, repo, &commit, None);
                    return Ok((Some(commit), planned.extra));
                }
                PushOutcome::NonFastForward => {
                    tracing::info!(fabric = %fabric.name, attempt, "remote moved while pushing; pulling and retrying");
                }
            }
        }
        Err(Error::RetriesExhausted { branch: fabric.branch.clone(), attempts: PUSH_ATTEMPTS })
    }

    /// Records an operation around `work`: started, then finished with its status, commits,
    /// counts and error text.
    pub(super) fn record<T>(
        &self,
        fabric: &FabricRow,
        kind: &str,
        trigger: Trigger,
        work: impl FnOnce(i64) -> Result<(T, Option<String>, serde_json::Value, bool)>,
    ) -> Result<T> {
        let conn = self.store.connect()?;
        self.progress.reset();
        let id = self.store.start_operation(&conn, fabric.id, kind, trigger.as_str(), fabric.synced_commit.as_deref())?;
        let outcome = work(id);
        // Every operation ends with a last progress step, so a progress bar never stays open.
        let last = if outcome.is_ok() { "Done" } else { "Failed" };
        self.progress.report(&fabric.name, kind, last, 1, 1, false);
        match outcome {
            Ok((value, commit_after, counts, attention)) => {
                let status = if attention { "attention" } else { "succeeded" };
                self.store.finish_operation(&conn, id, status, commit_after.as_deref(), &counts, None)?;
                Ok(value)
            }
            Err(e) => {
                let after = self.refreshed(fabric).ok().and_then(|f| f.synced_commit);
                self.store.finish_operation(&conn, id, "failed", after.as_deref(), &serde_json::json!({}), Some(&e.to_string()))?;
                let code = serde_json::to_value(e.code()).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                self.store.set_operation_error_code(&conn, id, &code)?;
                Err(e)
            }
        }
    }

    /// Pull: fetch; if the branch moved, apply what changed below the fabric's directory.
    pub fn pull(&self, fabric: &str, trigger: Trigger) -> Result<PullReport> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let repo = self.open_clone(&fabric)?;
        self.record(&fabric, "pull", trigger, |operation_id| {
            let (tip, counts, changed) = self.sync_to_tip_reporting(&fabric, &repo, "pull")?;
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
            let json = serde_json::to_value(counts).unwrap_or_default();
            Ok((report, Some(tip), json, counts.conflicts > 0))
        })
    }

    /// Creates or repairs the GitOps directory structure; commits and pushes only if something
    /// was missing. Reports files found where they do not belong and legacy resources.
    pub fn init(&self, fabric: &str, trigger: Trigger) -> Result<InitReport> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let repo = self.open_clone(&fabric)?;
        self.record(&fabric, "init", trigger, |operation_id| {
            let (commit, planned) = self.commit_and_push_locked(&fabric, &repo, true, |current, tip| {
                let existing: Vec<String> = match tip {
                    Some(tip) => repo.list_files(tip, &current.directory)?.into_iter().map(|e| e.path).collect(),
                    None => Vec::new(),
                };
                let p = init::plan(&current.directory, &current.name, &existing, &now());
                let message = format!("hhsync: initialise GitOps directory for fabric {}\n\nCreated:\n{}", current.name,
                    p.created.iter().map(|c| format!("- {}", layout::join(&current.directory, c))).collect::<Vec<_>>().join("\n"));
                Ok(Planned { writes: p.writes.clone(), message, extra: p })
            })?;
            let findings = self.findings(&fabric)?;
            let attention = !findings.is_empty();
            let counts = serde_json::json!({"created": planned.created.len(), "findings": findings.len()});
            let after = self.refreshed(&fabric)?.synced_commit;
            let report = InitReport {
                fabric: fabric.name.clone(),
                operation_id,
                commit,
                already_initialized: planned.already_initialized,
                created: planned.created,
                findings,
            };
            Ok((report, after, counts, attention))
        })
    }
}
