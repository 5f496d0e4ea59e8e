//! Talking to the remote: fetching one branch and pushing one commit to it. Pushes are never
//! forced, and the remote's verdict is read per ref (a push can "succeed" while the remote
//! rejected the ref).

use super::GitRepo;
use crate::error::{Error, Result};

/// What the remote said to a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Pushed,
    /// The branch moved on the remote since we fetched it: pull, then try again.
    NonFastForward,
}

fn network_error(url: &str, e: &git2::Error) -> Option<Error> {
    use git2::ErrorClass::*;
    matches!(e.class(), Net | Ssl | Ssh | Http | Os | Repository | Odb)
        .then(|| Error::RemoteUnreachable { url: url.to_owned(), message: e.message().to_owned() })
}

impl GitRepo {
    /// Fetches `branch` from origin and returns its tip, or `None` when the remote has no such
    /// branch (an empty repository, say).
    pub fn fetch(&self, branch: &str) -> Result<Option<String>> {
        let mut remote = self.repo.find_remote("origin").map_err(|e| Error::git("finding origin", e))?;
        let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
        let mut options = git2::FetchOptions::new();
        options.download_tags(git2::AutotagOption::None);
        if let Err(e) = remote.fetch(&[&refspec], Some(&mut options), None) {
            return Err(network_error(&self.url, &e).unwrap_or_else(|| Error::git(format!("fetching {branch} from {}", self.url), e)));
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

    /// Pushes `commit` to `branch` on origin, as a fast-forward only.
    pub fn push(&self, commit: &str, branch: &str) -> Result<PushOutcome> {
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git("commit id", e))?;
        let local = format!("refs/hnp/push/{branch}");
        self.repo
            .reference(&local, oid, true, "hhsync push")
            .map_err(|e| Error::git(format!("preparing push of {branch}"), e))?;
        let mut remote = self.repo.find_remote("origin").map_err(|e| Error::git("finding origin", e))?;
        let mut rejection: Option<String> = None;
        let result = {
            let mut callbacks = git2::RemoteCallbacks::new();
            callbacks.push_update_reference(|_refname, status| {
                if let Some(message) = status {
                    rejection = Some(message.to_owned());
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
            return Err(network_error(&self.url, &e).unwrap_or_else(|| Error::git(format!("pushing to {branch} of {}", self.url), e)));
        }
        if let Some(message) = rejection {
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
