//! Push: every draft of a fabric (or a chosen few) as one commit on top of the freshly fetched
//! tip, pushed without force, through the runner's commit-and-push loop (see
//! [`super::operation`]). When the remote moved meanwhile: pull (merging into drafts),
//! re-render, retry, a bounded number of times. Success turns the drafts into desired in one
//! transaction (the pushed commit is applied like any other and the drafts dissolve into it);
//! a crash in between is healed by the next pull the same way, so nothing is pushed twice.
//! Branch mode pushes to a new branch instead and marks the drafts as proposed.

use super::operation::{OperationKind, Outcome, Planned, Publish};
use super::{Engine, Trigger};
use crate::error::{BlockReason, BlockedResource, DraftAction, Error, Result};
use crate::hedgehog::ResourceId;
use crate::git::{FileWrite, GitRepo, PushOutcome};
use crate::gitops::layout;
use crate::gitops::writeback::{Change, RenderedDraft};
use crate::store::FabricRow;
use crate::sync::KnownFiles;

/// The counts a push keeps in the audit trail.
#[derive(serde::Serialize)]
struct PushCounts {
    created: usize,
    modified: usize,
    deleted: usize,
    retries: u32,
    branch: String,
}

/// What to push and how.
#[derive(Debug, Clone, Default)]
pub struct PushRequest {
    pub message: Option<String>,
    /// Push to this new branch instead of the fabric's (proposal / pull request).
    pub branch: Option<String>,
    /// Only these resources; all drafts when empty.
    pub only: Vec<ResourceId>,
    pub allow_invalid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PushedResource {
    pub kind: String,
    pub name: String,
    pub change: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct PushReport {
    pub fabric: String,
    pub operation_id: i64,
    pub commit: Option<String>,
    pub branch: String,
    pub pushed: Vec<PushedResource>,
    /// How many times the remote had moved and the push was redone on the new tip.
    pub retries: u32,
    pub proposal_id: Option<i64>,
}

fn summary(drafts: &[RenderedDraft], fabric: &str) -> String {
    let count = |c: Change| drafts.iter().filter(|d| d.change == c).count();
    let mut parts = Vec::new();
    for (c, label) in [(Change::Created, "created"), (Change::Modified, "modified"), (Change::Deleted, "deleted")] {
        if count(c) > 0 {
            parts.push(format!("{} {label}", count(c)));
        }
    }
    let mut message = if drafts.len() == 1 {
        format!("hhsync: {} {}/{} in fabric {fabric}\n\n", drafts[0].change.as_str(), drafts[0].kind, drafts[0].name)
    } else {
        format!("hhsync: {} in fabric {fabric}\n\n", parts.join(", "))
    };
    for d in drafts {
        message.push_str(&format!("- {} {}/{} ({})\n", d.change.as_str(), d.kind, d.name, d.path));
    }
    message
}

/// A branch name from the fabric and what changed, e.g. `hhsync/fabric-1/modify-switch-leaf-01`.
fn generated_branch(fabric: &str, drafts: &[RenderedDraft], salt: &str) -> String {
    let what = match drafts {
        [one] => format!("{}-{}-{}", one.change.as_str(), one.kind.name().to_ascii_lowercase(), one.name),
        many => format!("{}-changes", many.len()),
    };
    let clean: String = what.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).take(60).collect();
    format!("hhsync/{}/{clean}-{}", layout::safe_stem(fabric), &salt[..salt.len().min(7)])
}

fn check_branch_name(branch: &str) -> Result<()> {
    let bad = branch.is_empty()
        || branch.starts_with(['-', '/', '.'])
        || branch.ends_with(['/', '.'])
        || branch.ends_with(".lock")
        || branch.contains("..")
        || branch.contains("//")
        || branch.chars().any(|c| c.is_ascii_control() || " ~^:?*[\\".contains(c));
    if bad {
        return Err(Error::InvalidInput(format!("{branch:?} is not a valid branch name")));
    }
    Ok(())
}

impl Engine {
    /// The drafts to push, rendered, after checking conflicts and validity.
    fn drafts_to_push(&self, fabric: &FabricRow, request: &PushRequest) -> Result<Vec<RenderedDraft>> {
        let only: Vec<(crate::hedgehog::Kind, &str)> = request.only.iter().map(|i| (i.kind, i.name.as_str())).collect();
        let conn = self.store.connect()?;
        let mut chosen = Vec::new();
        let mut blocked = Vec::new();
        for draft in self.rendered_drafts(fabric)? {
            if !only.is_empty() && !only.iter().any(|(k, n)| *k == draft.kind && *n == draft.name) {
                continue;
            }
            // Each draft's row by its key: the push costs the drafts, not the fabric.
            let Some(r) = self.store.resource(&conn, fabric.id, draft.kind.name(), &draft.name)? else { continue };
            let block = |reason| BlockedResource { kind: r.kind.clone(), name: r.name.clone(), fabric: fabric.name.clone(), reason };
            if r.status == crate::store::ResourceStatus::Conflict {
                blocked.push(block(BlockReason::Conflict));
            } else if draft.change != Change::Deleted && !request.allow_invalid {
                for i in r.issues.iter().filter(|i| i.severity == crate::hedgehog::Severity::Error) {
                    blocked.push(block(BlockReason::Invalid { path: i.path.clone(), line: i.line, message: i.message.clone() }));
                }
            }
            chosen.push(draft);
        }
        for (k, n) in &only {
            if !chosen.iter().any(|d| d.kind == *k && d.name == *n) {
                return Err(Error::NoDraft { fabric: fabric.name.clone(), resource: ResourceId::new(*k, *n), action: DraftAction::Push });
            }
        }
        if !blocked.is_empty() {
            return Err(Error::PushBlocked { fabric: fabric.name.clone(), blocked });
        }
        Ok(chosen)
    }

    pub fn push(&self, fabric: &str, request: &PushRequest, trigger: Trigger) -> Result<PushReport> {
        if let Some(branch) = request.branch.as_deref().filter(|b| !b.is_empty()) {
            check_branch_name(branch)?;
        }
        self.operate(fabric, OperationKind::Push, trigger, |engine, fabric, operation_id| {
            let repo = engine.open_clone(fabric)?;
            let report = engine.push_locked(fabric, &repo, request, operation_id)?;
            let count = |c: Change| report.pushed.iter().filter(|p| p.change == c.as_str()).count();
            let counts = PushCounts {
                created: count(Change::Created),
                modified: count(Change::Modified),
                deleted: count(Change::Deleted),
                retries: report.retries,
                branch: report.branch.clone(),
            };
            let after = report.commit.clone();
            Ok(Outcome::new(report, after, counts, false))
        })
    }

    /// The push's plan (the drafts rendered into file writes) run through the one
    /// commit-and-push loop; in branch mode, the commit goes to a new branch instead.
    fn push_locked(&self, fabric: &FabricRow, repo: &GitRepo, request: &PushRequest, operation_id: i64) -> Result<PushReport> {
        let mut report = PushReport {
            fabric: fabric.name.clone(),
            operation_id,
            commit: None,
            branch: request.branch.clone().unwrap_or_else(|| fabric.branch.clone()),
            pushed: Vec::new(),
            retries: 0,
            proposal_id: None,
        };
        let publish = if request.branch.is_some() { Publish::CommitOnly } else { Publish::FabricBranch };
        let done = self.commit_and_push_locked(fabric, repo, OperationKind::Push, publish, false, |current, _tip| {
            self.progress.report(&fabric.name, OperationKind::Push, "Rendering drafts", 0, 1, true);
            let drafts = self.drafts_to_push(current, request)?;
            let writes = drafts
                .iter()
                .map(|d| {
                    let path = layout::join(&current.directory, &d.path);
                    match &d.new_text {
                        Some(text) => FileWrite::Put { path, bytes: text.clone().into_bytes() },
                        None => FileWrite::Delete { path },
                    }
                })
                .collect();
            let message = match &request.message {
                Some(m) if !m.trim().is_empty() => m.clone(),
                _ => summary(&drafts, &current.name),
            };
            Ok(Planned { writes, message, extra: drafts, known: KnownFiles::new() })
        })?;
        report.retries = done.retries;
        let drafts = done.extra;
        report.pushed = drafts
            .iter()
            .map(|d| PushedResource { kind: d.kind.name().to_owned(), name: d.name.clone(), change: d.change.as_str().to_owned() })
            .collect();
        let current = self.refreshed(fabric)?;
        let Some(commit) = done.commit else {
            // Every draft renders to the bytes Git already has (or there were none): nothing
            // to commit, and the drafts are settled.
            let mut conn = self.store.connect()?;
            let tx = conn.transaction().map_err(|e| self.store.err(e))?;
            for d in &drafts {
                if let Some(row) = self.store.draft_row(&tx, current.id, d.kind.name(), &d.name)? {
                    self.store.clear_draft(&tx, row.id)?;
                }
            }
            tx.commit().map_err(|e| self.store.err(e))?;
            report.pushed.clear();
            return Ok(report);
        };
        if let Some(branch) = &request.branch {
            let tip = done.tip.unwrap_or_default();
            return self.push_proposal(&current, repo, (&tip, &commit), branch, &drafts, report);
        }
        report.commit = Some(commit);
        Ok(report)
    }

    /// Pushes `commit` (made on `tip`) to a new branch and marks the drafts as proposed.
    fn push_proposal(
        &self,
        fabric: &FabricRow,
        repo: &GitRepo,
        (tip, commit): (&str, &str),
        branch: &str,
        drafts: &[RenderedDraft],
        mut report: PushReport,
    ) -> Result<PushReport> {
        let branch = if branch.is_empty() { generated_branch(&fabric.name, drafts, commit) } else { branch.to_owned() };
        if branch == fabric.branch {
            return Err(Error::InvalidInput(format!("{branch} is the fabric's own branch; push to it directly instead")));
        }
        if repo.fetch(&branch)?.is_some() {
            return Err(Error::BranchExists { url: fabric.url.clone(), branch });
        }
        match repo.push(commit, &branch)? {
            PushOutcome::Pushed => {}
            PushOutcome::NonFastForward => {
                return Err(Error::BranchExists { url: fabric.url.clone(), branch })
            }
        }
        let names: Vec<String> = drafts.iter().map(|d| format!("{}/{}", d.kind, d.name)).collect();
        let mut conn = self.store.connect()?;
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let proposal = self.store.insert_proposal(&tx, fabric.id, &branch, commit, Some(tip), &names)?;
        for d in drafts {
            if let Some(row) = self.store.draft_row(&tx, fabric.id, d.kind.name(), &d.name)? {
                self.store.set_proposal(&tx, row.id, Some(proposal))?;
            }
        }
        tx.commit().map_err(|e| self.store.err(e))?;
        report.commit = Some(commit.to_owned());
        report.branch = branch;
        report.proposal_id = Some(proposal);
        Ok(report)
    }
}

impl Engine {
    /// Marks proposals whose commit reached the fabric's branch (or whose drafts all
    /// dissolved into what arrived) as merged. The caller holds the lock.
    pub(super) fn settle_proposals_locked(&self, fabric: &FabricRow, repo: &GitRepo, tip: &str) -> Result<()> {
        let conn = self.store.connect()?;
        let drafts = self.store.drafts(&conn, fabric.id)?;
        for p in self.store.proposals(&conn, fabric.id)?.into_iter().filter(|p| p.state == crate::store::ProposalState::Open) {
            let landed = repo.is_ancestor(&p.commit_id, tip)?;
            let waiting = drafts.iter().any(|d| d.proposal_id == Some(p.id));
            if landed || !waiting {
                self.store.set_proposal_state(&conn, p.id, crate::store::ProposalState::Merged)?;
            }
        }
        Ok(())
    }

    /// The fabric's proposals (drafts pushed to branches), oldest first.
    pub fn proposals(&self, fabric: &str) -> Result<Vec<crate::store::ProposalRow>> {
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        self.store.proposals(&conn, fabric.id)
    }

    /// Gives up a proposal: its drafts stay drafts, no longer marked as proposed. The branch
    /// on the remote is left alone.
    pub fn abandon(&self, fabric: &str, branch: &str) -> Result<crate::store::ProposalRow> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let conn = self.store.connect()?;
        let proposal = self
            .store
            .proposals(&conn, fabric.id)?
            .into_iter()
            .find(|p| p.branch == branch && p.state == crate::store::ProposalState::Open)
            .ok_or_else(|| Error::ProposalNotFound { fabric: fabric.name.clone(), branch: branch.to_owned() })?;
        self.store.set_proposal_state(&conn, proposal.id, crate::store::ProposalState::Abandoned)?;
        Ok(crate::store::ProposalRow { state: crate::store::ProposalState::Abandoned, ..proposal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_are_checked() {
        for bad in ["", "-x", "a..b", "a b", "a:b", "x.lock", "a/", "a//b", "~x"] {
            assert!(check_branch_name(bad).is_err(), "{bad:?}");
        }
        for good in ["hhsync/fabric-1/change", "feature-x", "a.b"] {
            assert!(check_branch_name(good).is_ok(), "{good:?}");
        }
    }
}
