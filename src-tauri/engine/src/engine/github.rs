//! Pull requests for proposals: opening one on GitHub from a branch that branch mode pushed,
//! and reflecting its state back. A merged pull request brings its change in with the next
//! pull (the drafts dissolve into it); one closed without merging abandons the proposal (its
//! drafts stay drafts).

use super::operation::{OperationKind, Outcome};
use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::github::{NewPullRequest, PullState};
use crate::store::{FabricRow, ProposalRow};

/// The pull request opened for a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PullRequestReport {
    pub fabric: String,
    pub branch: String,
    pub base: String,
    pub proposal_id: i64,
    pub number: i64,
    pub url: String,
    pub state: PullState,
    pub title: String,
    /// The `pr` operation in the audit trail.
    pub operation_id: i64,
}

/// A proposal with its pull request as GitHub last reported it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ProposalView {
    #[serde(flatten)]
    pub proposal: ProposalRow,
    /// open, closed or merged; `None` without a pull request or before the first look.
    pub pr_state: Option<String>,
    pub pr_checked_at: Option<String>,
}

/// The default body: what the change is and which resources it touches.
fn default_body(fabric: &FabricRow, proposal: &ProposalRow, message: &str) -> String {
    let mut body = format!(
        "Proposed with hhsync from fabric `{}` (directory `{}` of branch `{}`).\n\n",
        fabric.name, fabric.directory, fabric.branch
    );
    let details: Vec<&str> = message.lines().skip(1).filter(|l| l.starts_with("- ")).collect();
    body.push_str(&format!("### Resources ({})\n\n", proposal.resources.len()));
    if details.is_empty() {
        for r in &proposal.resources {
            body.push_str(&format!("- {r}\n"));
        }
    } else {
        for line in details {
            body.push_str(line);
            body.push('\n');
        }
    }
    body.push_str(&format!("\nCommit: {}\n", proposal.commit_id));
    body
}

/// The counts opening a pull request keeps in the audit trail.
#[derive(serde::Serialize)]
struct PrCounts {
    pull_request: i64,
    resources: usize,
}

impl Engine {
    /// Opens a pull request on GitHub from `branch` (pushed by `push` in branch mode) into the
    /// fabric's branch, and records its URL and number on the proposal and on the push. Asking
    /// again for the same branch returns the pull request already opened.
    pub fn open_pull_request(
        &self,
        fabric: &str,
        branch: &str,
        title: Option<&str>,
        body: Option<&str>,
        trigger: Trigger,
    ) -> Result<PullRequestReport> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let conn = self.store.connect()?;
        let proposal = self
            .store
            .proposals(&conn, fabric.id)?
            .into_iter()
            .rev()
            .find(|p| p.branch == branch)
            .ok_or_else(|| Error::InvalidInput(format!("fabric {} has no proposal on branch {branch}; push the drafts to that branch first", fabric.name)))?;
        let row = self.store.repo_auth(&conn, &fabric.repository)?;
        let (client, repo_ref) = self.github_for(&row)?.ok_or_else(|| {
            Error::InvalidInput(format!(
                "repository {} ({}) is not on github.com; add it with --api-url https://HOST/api/v3 for GitHub Enterprise",
                row.name, row.url
            ))
        })?;
        let clone = self.open_clone(&fabric)?;
        let message = clone.commit_message(&proposal.commit_id).unwrap_or_default();
        let title = title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| message.lines().next().unwrap_or("").trim().to_owned());
        let title = if title.is_empty() { format!("hhsync: changes to fabric {}", fabric.name) } else { title };
        let body = body.map(str::to_owned).unwrap_or_else(|| default_body(&fabric, &proposal, &message));
        self.record(&fabric, OperationKind::Pr, trigger, |_, _, operation_id| {
            let pr = match (&proposal.pr_url, proposal.pr_number) {
                (Some(_), Some(number)) => client.pull(&repo_ref, number)?,
                _ => {
                    let new = NewPullRequest { title: title.clone(), body: body.clone(), head: branch.to_owned(), base: fabric.branch.clone() };
                    client.create_pull(&repo_ref, &new)?
                }
            };
            let conn = self.store.connect()?;
            self.store.set_proposal_pr(&conn, proposal.id, &pr.html_url, pr.number, pr.state.as_str())?;
            self.store.set_operation_pr_url(&conn, operation_id, &pr.html_url)?;
            if let Some(push) = self.store.push_operation_for_commit(&conn, fabric.id, &proposal.commit_id)? {
                self.store.set_operation_pr_url(&conn, push, &pr.html_url)?;
            }
            tracing::info!(fabric = %fabric.name, branch, url = %pr.html_url, "pull request opened");
            let report = PullRequestReport {
                fabric: fabric.name.clone(),
                branch: branch.to_owned(),
                base: fabric.branch.clone(),
                proposal_id: proposal.id,
                number: pr.number,
                url: pr.html_url.clone(),
                state: pr.state,
                title: pr.title.clone(),
                operation_id,
            };
            let counts = PrCounts { pull_request: pr.number, resources: proposal.resources.len() };
            Ok(Outcome::new(report, fabric.synced_commit.clone(), counts, false))
        })
    }

    /// The fabric's proposals with their pull requests' last known state.
    pub fn proposal_views(&self, fabric: &str) -> Result<Vec<ProposalView>> {
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let states = self.store.proposal_pr_states(&conn, fabric.id)?;
        Ok(self
            .store
            .proposals(&conn, fabric.id)?
            .into_iter()
            .map(|p| {
                let (pr_state, pr_checked_at) = states
                    .iter()
                    .find(|s| s.proposal_id == p.id)
                    .map(|s| (s.pr_state.clone(), s.pr_checked_at.clone()))
                    .unwrap_or((None, None));
                ProposalView { proposal: p, pr_state, pr_checked_at }
            })
            .collect())
    }

    /// Asks GitHub for the state of each open proposal's pull request and reflects it: closed
    /// without merging → the proposal is abandoned (its drafts stay drafts); merged → the
    /// fabric is pulled, so the drafts dissolve into the merged change.
    pub fn refresh_pull_requests(&self, fabric: &str, trigger: Trigger) -> Result<Vec<ProposalView>> {
        let row = self.fabric_row(fabric)?;
        let open: Vec<ProposalRow> = {
            let conn = self.store.connect()?;
            self.store.proposals(&conn, row.id)?.into_iter().filter(|p| p.state == crate::store::ProposalState::Open && p.pr_number.is_some()).collect()
        };
        if open.is_empty() {
            return self.proposal_views(fabric);
        }
        let repo = self.repo_auth(&row.repository)?;
        let Some((client, repo_ref)) = self.github_for(&repo)? else { return self.proposal_views(fabric) };
        let mut merged = false;
        {
            let _lock = self.lock(&row)?;
            let conn = self.store.connect()?;
            for p in &open {
                let Some(number) = p.pr_number else { continue };
                let pr = client.pull(&repo_ref, number)?;
                self.store.set_proposal_pr_state(&conn, p.id, pr.state.as_str())?;
                match pr.state {
                    PullState::Closed => {
                        tracing::info!(fabric = %row.name, branch = %p.branch, number, "pull request closed without merging; proposal abandoned");
                        self.store.set_proposal_state(&conn, p.id, crate::store::ProposalState::Abandoned)?;
                    }
                    PullState::Merged => merged = true,
                    PullState::Open => {}
                }
            }
        }
        if merged {
            self.pull(fabric, trigger)?;
        }
        self.proposal_views(fabric)
    }
}
