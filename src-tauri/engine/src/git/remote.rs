//! Talking to the remote: fetching one branch, pushing one commit to it, and listing its refs
//! (ls-remote: cheap, for change detection). Pushes are never forced, and the remote's verdict
//! is read per ref (a push can "succeed" while the remote rejected the ref). Credentials,
//! time limits and the naming of failures come from [`super::auth`].

use super::auth::NetOp;
use super::GitRepo;
use crate::error::{Error, Result};

/// What the remote said to a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Pushed,
    /// The branch moved on the remote since we fetched it: pull, then try again.
    NonFastForward,
}

impl GitRepo {
    /// Fetches `branch` from origin and returns its tip, or `None` when the remote has no such
    /// branch (an empty repository, say).
    pub fn fetch(&self, branch: &str) -> Result<Option<String>> {
        let _refs = self.lock_refs()?;
        if let Some(tip) = self.seed_from_local_remote(branch)? {
            return Ok(Some(tip));
        }
        if let Some(tip) = self.copy_from_local_remote(branch)? {
            return Ok(Some(tip));
        }
        self.fetch_locked(branch)
    }

    /// [`GitRepo::fetch`] with the refs lock held.
    fn fetch_locked(&self, branch: &str) -> Result<Option<String>> {
        let mut remote = self.repo.find_remote("origin").map_err(|e| Error::git("finding origin", e))?;
        let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
        let op = NetOp::new(self);
        let mut options = git2::FetchOptions::new();
        options.download_tags(git2::AutotagOption::None);
        options.remote_callbacks(op.callbacks());
        let result = remote.fetch(&[&refspec], Some(&mut options), None);
        drop(options);
        if let Err(e) = result {
            return Err(op.error(&format!("fetching {branch}"), e));
        }
        self.remote_tip(branch)
    }

    /// The last fetched tip of `branch`, without talking to the remote.
    pub fn remote_tip(&self, branch: &str) -> Result<Option<String>> {
        match self.repo.refname_to_id(&format!("refs/remotes/origin/{branch}")) {
            Ok(oid) => Ok(Some(oid.to_string())),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::git(format!("reading origin/{branch}"), e)),
        }
    }

    /// Whether the last fetched tip of `branch` and its tree can still be read (nothing
    /// fetched yet is fine): a cheap check that the clone's objects are not damaged.
    pub fn check_tip_readable(&self, branch: &str) -> Result<()> {
        let Some(tip) = self.remote_tip(branch)? else { return Ok(()) };
        let commit = self.find_commit(&tip)?;
        commit.tree().map_err(|e| Error::git(format!("reading the tree of {tip}"), e))?;
        Ok(())
    }

    /// The remote's current tip of `branch` (ls-remote), without fetching anything or touching
    /// the clone's refs. `None` when the branch does not exist.
    pub fn ls_remote(&self, branch: &str) -> Result<Option<String>> {
        let wanted = format!("refs/heads/{branch}");
        Ok(self.list_remote(git2::Direction::Fetch)?.into_iter().find(|(name, _)| *name == wanted).map(|(_, id)| id))
    }

    /// Connects for pushing without pushing anything: over HTTP this asks for the
    /// receive-pack service, which a host refuses to a read-only token.
    pub fn check_push_access(&self) -> Result<()> {
        self.list_remote(git2::Direction::Push).map(|_| ())
    }

    fn list_remote(&self, direction: git2::Direction) -> Result<Vec<(String, String)>> {
        let mut remote = self.repo.remote_anonymous(&self.url).map_err(|e| Error::git("preparing ls-remote", e))?;
        let op = NetOp::new(self);
        let what = if direction == git2::Direction::Push { "connecting for push" } else { "listing refs" };
        let connection = remote.connect_auth(direction, Some(op.callbacks()), None).map_err(|e| op.error(what, e))?;
        let heads = connection.list().map_err(|e| op.error(what, e))?;
        Ok(heads.iter().map(|h| (h.name().to_owned(), h.oid().to_string())).collect())
    }

    /// Pushes `commit` to `branch` on origin, as a fast-forward only, and confirms it landed:
    /// `Pushed` means the remote's branch now contains the commit (read back after the push),
    /// whatever the transport said. A push that did not land is `NonFastForward`: pull and
    /// try again.
    pub fn push(&self, commit: &str, branch: &str) -> Result<PushOutcome> {
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git("commit id", e))?;
        let _refs = self.lock_refs()?;
        let outcome = match self.local_remote_path() {
            Some(path) => self.push_local(&path, commit, branch)?,
            None => self.push_network(oid, branch)?,
        };
        if outcome != PushOutcome::Pushed {
            return Ok(outcome);
        }
        crate::crash::point("push:before-confirm");
        if !self.remote_contains_locked(commit, branch)? {
            tracing::warn!(url = %self.url, branch, commit, "the remote said pushed, but its branch does not contain the commit");
            return Ok(PushOutcome::NonFastForward);
        }
        Ok(PushOutcome::Pushed)
    }

    /// True when the remote's `branch` is `commit` or a descendant of it. Fetches the branch
    /// when it moved past the commit (to see whether it descends). The refs lock is held.
    fn remote_contains_locked(&self, commit: &str, branch: &str) -> Result<bool> {
        let Some(tip) = self.ls_remote(branch)? else { return Ok(false) };
        if tip != commit {
            // The branch moved on past our push already (or never took it): fetch to see which.
            let Some(fetched) = self.fetch_locked(branch)? else { return Ok(false) };
            return self.is_ancestor(commit, &fetched);
        }
        // Our view of the remote branch is now the pushed commit.
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git("commit id", e))?;
        self.repo
            .reference(&format!("refs/remotes/origin/{branch}"), oid, true, "hhsync push")
            .map_err(|e| Error::git("updating origin ref", e))?;
        Ok(true)
    }

    /// Pushes over the network (HTTP, SSH) from a scratch ref private to this push, and reads
    /// the remote's verdict for the ref.
    fn push_network(&self, oid: git2::Oid, branch: &str) -> Result<PushOutcome> {
        let local = format!("refs/hnp/push/{}-{}", std::process::id(), oid);
        self.repo
            .reference(&local, oid, true, "hhsync push")
            .map_err(|e| Error::git(format!("preparing push of {branch}"), e))?;
        let outcome = self.push_ref(&local, branch);
        if let Ok(mut r) = self.repo.find_reference(&local) {
            let _ = r.delete();
        }
        outcome
    }

    fn push_ref(&self, local: &str, branch: &str) -> Result<PushOutcome> {
        let mut remote = self.repo.find_remote("origin").map_err(|e| Error::git("finding origin", e))?;
        let op = NetOp::new(self);
        let rejection: std::cell::RefCell<Option<String>> = std::cell::RefCell::new(None);
        let result = {
            let mut callbacks = op.callbacks();
            callbacks.push_update_reference(|_refname, status| {
                if let Some(message) = status {
                    *rejection.borrow_mut() = Some(message.to_owned());
                }
                Ok(())
            });
            let mut options = git2::PushOptions::new();
            options.remote_callbacks(callbacks);
            remote.push(&[format!("{local}:refs/heads/{branch}")], Some(&mut options))
        };
        if let Err(e) = result {
            if e.code() == git2::ErrorCode::NotFastForward || e.message().contains("non-fast-forward") {
                return Ok(PushOutcome::NonFastForward);
            }
            return Err(op.error(&format!("pushing to {branch}"), e));
        }
        if let Some(message) = rejection.into_inner() {
            if message.contains("non-fast-forward") || message.contains("fetch first") || message.contains("stale") {
                return Ok(PushOutcome::NonFastForward);
            }
            // A ref lock the remote could not take: someone else is pushing right now.
            if message.contains("lock") {
                return Ok(PushOutcome::NonFastForward);
            }
            return Err(Error::PushRejected { url: self.url.clone(), branch: branch.to_owned(), message });
        }
        Ok(PushOutcome::Pushed)
    }
}
