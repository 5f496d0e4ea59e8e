//! The one way an operation runs on a fabric. [`Engine::operate`] takes the fabric's lock,
//! records the operation (typed kind and trigger), gives it a cancel token and progress of its
//! own, and ends the record with a typed outcome. [`Engine::commit_and_push_locked`] is the one
//! commit → push → retry-on-non-fast-forward loop, with the pending-push record and the crash
//! points, for every operation that writes to Git (push, ingest, init, revert).
//!
//! Why one runner: two loops had drifted apart (different attempt counts, crash safety for push
//! only), and one engine-wide cancel flag let cancelling fabric A stop fabric B. Adding an
//! operation now means writing its plan and its CLI/Tauri mapping, nothing else.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::git::{FileWrite, GitRepo, PushOutcome};
pub(super) use crate::store::OperationKind;
use crate::store::{FabricRow, OperationStatus};
use crate::sync::KnownFiles;

/// How many times a commit is rebuilt on a remote that moved meanwhile.
const PUSH_ATTEMPTS: u32 = 4;

/// What an operation's work hands back to the runner.
#[derive(Debug)]
pub(super) struct Outcome<T> {
    pub value: T,
    /// The fabric's commit once done.
    pub commit_after: Option<String>,
    /// The counts the audit trail keeps (a per-kind struct, serialized).
    pub counts: serde_json::Value,
    pub attention: bool,
}

impl<T> Outcome<T> {
    pub fn new(value: T, commit_after: Option<String>, counts: impl serde::Serialize, attention: bool) -> Self {
        Self { value, commit_after, counts: serde_json::to_value(counts).unwrap_or_default(), attention }
    }
}

/// The cancel tokens of running operations, by operation id; shared by every clone of an
/// engine, so the app can cancel the operation it shows from any thread.
#[derive(Debug, Clone, Default)]
pub(super) struct Running(Arc<Mutex<HashMap<i64, RunningOperation>>>);

/// A running operation's fabric and cancel token.
type RunningOperation = (String, Arc<AtomicBool>);

impl Running {
    fn insert(&self, id: i64, fabric: &str, token: Arc<AtomicBool>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(id, (fabric.to_owned(), token));
    }

    fn remove(&self, id: i64) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }

    /// The token of operation `id`, or of the operation running on `fabric`.
    fn find(&self, id: Option<i64>, fabric: Option<&str>) -> Option<Arc<AtomicBool>> {
        let running = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match (id, fabric) {
            (Some(id), _) => running.get(&id).map(|(_, t)| t.clone()),
            (None, Some(f)) => running.values().find(|(name, _)| name == f).map(|(_, t)| t.clone()),
            (None, None) => None,
        }
    }
}

/// What [`Engine::commit_and_push_locked`] did.
#[derive(Debug)]
pub(super) struct Committed<T> {
    /// The commit that landed on the branch (or was made, with [`Publish::CommitOnly`]); none
    /// when the plan changed nothing.
    pub commit: Option<String>,
    /// The tip the last plan was made on.
    pub tip: Option<String>,
    /// The last plan's result.
    pub extra: T,
    /// How many times the remote had moved and the plan was redone.
    pub retries: u32,
}

/// What a commit-producing step returns for one attempt.
pub(super) struct Planned<T> {
    pub writes: Vec<FileWrite>,
    pub message: String,
    pub extra: T,
    /// Files among `writes` already parsed, which applying the commit need not read again.
    pub known: KnownFiles,
}

/// Where the commit goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Publish {
    /// Pushed to the fabric's branch, retried when the branch moved.
    FabricBranch,
    /// Only made (the caller pushes it elsewhere: a proposal's new branch).
    CommitOnly,
}

impl Engine {
    /// Runs `work` as one recorded operation on `fabric`: lock, record, its own cancel token and
    /// progress (the engine `work` gets reports under the operation's id), then the outcome
    /// recorded with its typed status, counts and error code.
    pub(super) fn operate<T>(
        &self,
        fabric: &str,
        kind: OperationKind,
        trigger: Trigger,
        work: impl FnOnce(&Engine, &FabricRow, i64) -> Result<Outcome<T>>,
    ) -> Result<T> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        self.record(&fabric, kind, trigger, work)
    }

    /// [`Engine::operate`] for a caller that holds the fabric's lock (or, for polls, needs none).
    pub(super) fn record<T>(
        &self,
        fabric: &FabricRow,
        kind: OperationKind,
        trigger: Trigger,
        work: impl FnOnce(&Engine, &FabricRow, i64) -> Result<Outcome<T>>,
    ) -> Result<T> {
        let conn = self.store.connect()?;
        let id = self.store.start_operation(&conn, fabric.id, kind, trigger, fabric.synced_commit.as_deref())?;
        let token = Arc::new(AtomicBool::new(false));
        self.running.insert(id, &fabric.name, token.clone());
        let engine = Engine { progress: self.progress.for_operation(id, token), ..self.clone() };
        let outcome = work(&engine, fabric, id);
        self.running.remove(id);
        // Every operation ends with a last progress step, so a progress bar never stays open.
        let last = if outcome.is_ok() { "Done" } else { "Failed" };
        engine.progress.report(&fabric.name, kind, last, 1, 1, false);
        match outcome {
            Ok(o) => {
                let status = if o.attention { OperationStatus::Attention } else { OperationStatus::Succeeded };
                self.store.finish_operation(&conn, id, status, o.commit_after.as_deref(), &o.counts, None)?;
                Ok(o.value)
            }
            Err(e) => {
                let after = self.refreshed(fabric).ok().and_then(|f| f.synced_commit);
                self.store.finish_operation(&conn, id, OperationStatus::Failed, after.as_deref(), &serde_json::json!({}), Some(&e.to_string()))?;
                self.store.set_operation_error_code(&conn, id, e.code())?;
                Err(e)
            }
        }
    }

    /// Asks a running operation to stop at its next safe point: operation `id`, or the one
    /// running on `fabric`. Other operations go on. False when no such operation is running.
    pub fn cancel_operation(&self, id: Option<i64>, fabric: Option<&str>) -> bool {
        match self.running.find(id, fabric) {
            Some(token) => {
                token.store(true, std::sync::atomic::Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Runs `plan` on the freshly synced tip, commits what it writes and publishes it. On the
    /// fabric's branch: a pending-push record before the push (so a crash is healed by the next
    /// pull), the push confirmed on the remote, then the store brought to the commit; when the
    /// remote moved meanwhile, the whole plan is redone on the new tip, a bounded number of
    /// times. Cancelling is honoured until the push starts. The caller holds the lock.
    pub(super) fn commit_and_push_locked<T>(
        &self,
        fabric: &FabricRow,
        repo: &GitRepo,
        kind: OperationKind,
        publish: Publish,
        allow_empty_branch: bool,
        mut plan: impl FnMut(&FabricRow, Option<&str>) -> Result<Planned<T>>,
    ) -> Result<Committed<T>> {
        let op = kind;
        let author = self.author();
        self.heal_pending_pushes(fabric)?;
        for attempt in 0..PUSH_ATTEMPTS {
            let (tip, _, _) = self.sync_to_tip_reporting(fabric, repo, op)?;
            if tip.is_none() && !allow_empty_branch {
                return Err(Error::BranchNotFound { url: fabric.url.clone(), branch: fabric.branch.clone() });
            }
            crate::crash::point(&format!("{op}:after-pull"));
            let current = self.refreshed(fabric)?;
            let planned = plan(&current, tip.as_deref())?;
            let done = |commit, extra| Ok(Committed { commit, tip: tip.clone(), extra, retries: attempt });
            if planned.writes.is_empty() {
                return done(None, planned.extra);
            }
            self.progress.check(op)?;
            self.progress.report(&fabric.name, op, "Committing", 0, 1, true);
            let Some(commit) = repo.commit(tip.as_deref(), &planned.writes, &planned.message, &author)? else {
                return done(None, planned.extra);
            };
            crate::crash::point(&format!("{op}:after-commit"));
            self.progress.check(op)?;
            if publish == Publish::CommitOnly {
                return done(Some(commit), planned.extra);
            }
            self.progress.report(&fabric.name, op, "Pushing", 0, 1, false);
            let pending = self.store.insert_pending_push(&self.store.connect()?, current.id, &commit, &current.branch)?;
            crate::crash::point(&format!("{op}:before-push"));
            // `Pushed` is confirmed: the remote's branch contains the commit.
            let outcome = repo.push(&commit, &current.branch)?;
            crate::crash::point(&format!("{op}:after-push"));
            match outcome {
                PushOutcome::Pushed => {
                    self.progress.report(&fabric.name, op, "Updating local state", 0, 1, false);
                    self.settle_landed_commit(&current, repo, &commit, planned.known, Some(pending), op);
                    return done(Some(commit), planned.extra);
                }
                PushOutcome::NonFastForward => {
                    self.store.delete_pending_push(&self.store.connect()?, pending)?;
                    tracing::info!(fabric = %fabric.name, attempt, operation = %op, "remote moved while pushing; pulling and retrying");
                }
            }
        }
        Err(Error::RetriesExhausted { branch: fabric.branch.clone(), attempts: PUSH_ATTEMPTS })
    }

    /// Forgets pushes that a crash interrupted: the commit either reached the remote (then the
    /// pull that follows applies it and the drafts dissolve) or it did not (then the drafts are
    /// simply still drafts). Either way nothing needs pushing again by itself.
    fn heal_pending_pushes(&self, fabric: &FabricRow) -> Result<()> {
        let conn = self.store.connect()?;
        for (id, commit, branch) in self.store.pending_pushes(&conn, fabric.id)? {
            tracing::info!(fabric = %fabric.name, commit, branch, "found a push interrupted by a crash; the next pull settles it");
            self.store.delete_pending_push(&conn, id)?;
        }
        Ok(())
    }

    /// Brings the store to a commit that is confirmed on the remote: drafts it carries dissolve
    /// into desired. The push has happened whatever goes wrong here, so a failure is logged, not
    /// returned (reporting the push as failed would be false); the pending-push record stays and
    /// the next pull applies the commit the same way.
    fn settle_landed_commit(&self, fabric: &FabricRow, repo: &GitRepo, commit: &str, known: KnownFiles, pending: Option<i64>, op: OperationKind) {
        if let Err(e) = crate::sync::apply_commit(&self.store, repo, fabric, commit, known) {
            tracing::warn!(fabric = %fabric.name, commit, error = %e, "pushed, but updating the local state failed; the next pull settles it");
            return;
        }
        crate::crash::point(&format!("{op}:after-apply"));
        if let Some(id) = pending {
            if let Err(e) = self.store.connect().and_then(|conn| self.store.delete_pending_push(&conn, id)) {
                tracing::warn!(fabric = %fabric.name, error = %e, "could not clear the pending-push record; the next push clears it");
            }
        }
    }
}
