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

    /// Pushes `commit` to `branch` on origin, as a fast-forward only.
    pub fn push(&self, commit: &str, branch: &str) -> Result<PushOutcome> {
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git("commit id", e))?;
        let local = format!("refs/hnp/push/{branch}");
        self.repo
            .reference(&local, oid, true, "hhsync push")
            .map_err(|e| Error::git(format!("preparing push of {branch}"), e))?;
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
            return Err(Error::PushRejected { url: self.url.clone(), branch: branch.to_owned(), message });
        }
        // Our view of the remote branch is now the pushed commit.
        self.repo
            .reference(&format!("refs/remotes/origin/{branch}"), oid, true, "hhsync push")
            .map_err(|e| Error::git("updating origin ref", e))?;
        Ok(PushOutcome::Pushed)
    }
}
