//! What change detection asks of the engine: the remote tip of a fabric's branch by ls-remote
//! (no fetch, no API quota, no lock), and a record of the remote becoming unreachable or
//! reachable again, so `status` can say "offline" between pulls.

use super::operation::{OperationKind, Outcome};
use super::{Engine, Trigger};
use crate::error::{Code, Error, Result};
use crate::store::FabricRow;

impl Engine {
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
