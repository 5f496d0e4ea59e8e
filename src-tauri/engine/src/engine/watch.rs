//! What change detection asks of the engine: the remote tip of a fabric's branch by ls-remote
//! (no fetch, no API quota, no lock), and a record of the remote becoming unreachable or
//! reachable again, so `status` can say "offline" between pulls. For the app's background
//! check, [`Engine::check_remote`] also fetches what moved (never applying it), so the badge can
//! say "behind" and the notice can say what arrived; and each fabric may pull by itself.

use super::operation::{OperationKind, Outcome};
use super::{Engine, Trigger};
use crate::error::{Code, Error, Result};
use crate::store::FabricRow;

/// What a fabric's remote holds beyond its synced commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RemoteNews {
    pub fabric: String,
    pub remote_commit: Option<String>,
    pub synced_commit: Option<String>,
    /// The remote's branch moved past the synced commit: a pull would bring something.
    pub behind: bool,
    /// Files changed below the fabric's directory between the two, relative to it.
    pub files: Vec<String>,
    /// The newest remote commit's author and first line.
    pub author: Option<String>,
    pub summary: Option<String>,
}

/// A fabric's own settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct FabricSettings {
    /// Pull when the remote moves and the fabric has no drafts (the app's background check).
    pub auto_pull: bool,
}

fn auto_pull_key(fabric: &str) -> String {
    format!("fabric.{fabric}.auto_pull")
}

impl Engine {
    /// Checks the fabric's remote: ls-remote, and a fetch when the branch moved since the last
    /// one (so the overview's badge says "behind"). Takes no fabric lock and applies nothing.
    /// A failure is recorded once per change of connectivity (see [`Engine::note_poll_failure`]).
    pub fn check_remote(&self, fabric: &str) -> Result<RemoteNews> {
        let row = self.fabric_row(fabric)?;
        let repo = self.repo_clone(&self.repo_auth(&row.repository)?)?;
        let remote = match repo.ls_remote(&row.branch) {
            Ok(tip) => tip,
            Err(e) => return Err(self.note_poll_failure(fabric, e)),
        };
        self.note_poll_success(fabric)?;
        if remote.is_some() && remote != repo.remote_tip(&row.branch)? {
            repo.fetch(&row.branch)?;
        }
        let behind = remote.is_some() && remote != row.synced_commit;
        let mut news = RemoteNews {
            fabric: row.name.clone(),
            remote_commit: remote.clone(),
            synced_commit: row.synced_commit.clone(),
            behind,
            files: Vec::new(),
            author: None,
            summary: None,
        };
        if let (true, Some(remote)) = (behind, &remote) {
            let (author, _, summary) = repo.commit_summary(remote)?;
            news.author = Some(author).filter(|a| !a.is_empty());
            news.summary = Some(summary).filter(|s| !s.is_empty());
            news.files = match &row.synced_commit {
                Some(synced) => repo.diff_files(synced, remote, &row.directory)?.into_iter().map(|c| c.path).collect(),
                None => repo.entries_as_added(remote, &row.directory)?.into_iter().map(|c| c.path).collect(),
            };
        }
        Ok(news)
    }

    pub fn fabric_settings(&self, fabric: &str) -> Result<FabricSettings> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        Ok(FabricSettings { auto_pull: self.store.setting(&conn, &auto_pull_key(&row.name))?.as_deref() == Some("true") })
    }

    pub fn set_auto_pull(&self, fabric: &str, enabled: bool) -> Result<FabricSettings> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        self.store.set_setting(&conn, &auto_pull_key(&row.name), enabled.then_some("true"))?;
        Ok(FabricSettings { auto_pull: enabled })
    }

    /// The remote's current tip of the fabric's branch, by listing its refs.
    pub fn remote_head(&self, fabric: &str) -> Result<Option<String>> {
        let row = self.fabric_row(fabric)?;
        let repo = self.repo_auth(&row.repository)?;
        self.repo_clone(&repo)?.ls_remote(&row.branch)
    }

    /// The fabric's last synced commit.
    pub fn synced_commit(&self, fabric: &str) -> Result<Option<String>> {
        Ok(self.fabric_row(fabric)?.synced_commit)
    }

    /// The repository a fabric lives in.
    pub fn fabric_repository(&self, fabric: &str) -> Result<(String, String)> {
        let row = self.fabric_row(fabric)?;
        Ok((row.repository, row.branch))
    }

    /// Records a failed check of the remote as a `poll` operation, once per change of
    /// connectivity (not every interval). Gives the error back.
    pub fn note_poll_failure(&self, fabric: &str, error: Error) -> Error {
        let Ok(row) = self.fabric_row(fabric) else { return error };
        let code = Some(error.code().as_str().to_owned());
        if self.last_network_code(&row) == code {
            return error;
        }
        match self.record(&row, OperationKind::Poll, Trigger::Poll, |_, _, _| Err::<Outcome<()>, _>(error)) {
            Err(e) => e,
            Ok(()) => Error::InvalidInput("unreachable".to_owned()),
        }
    }

    /// Records that the remote answered again after a failure (so status stops saying
    /// offline even when nothing new arrived).
    pub fn note_poll_success(&self, fabric: &str) -> Result<()> {
        let row = self.fabric_row(fabric)?;
        if self.last_network_code(&row).is_none() {
            return Ok(());
        }
        self.record(&row, OperationKind::Poll, Trigger::Poll, |_, _, _| Ok(Outcome::new((), row.synced_commit.clone(), serde_json::json!({}), false)))
    }

    fn last_network_code(&self, row: &FabricRow) -> Option<String> {
        let conn = self.store.connect().ok()?;
        self.store.last_network_error_code(&conn, row.id).ok().flatten()
    }

    /// True when the last operation that talked to the remote could not reach it.
    pub(super) fn offline(&self, row: &FabricRow) -> bool {
        let code = Some(Code::RemoteUnreachable.as_str().to_owned());
        code.is_some() && self.last_network_code(row) == code
    }
}
