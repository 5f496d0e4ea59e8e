//! The next command to run after a failure. The engine's messages name no command or flag (the
//! app shows them too, in its own words); the command line adds, per kind of error, the
//! `hhsync` command that helps.

use hhsync_engine::git::AuthMethod;
use hhsync_engine::{BlockReason, Error};

pub fn hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::RepositoryNotFound(_) => "see `hhsync repo list`".to_owned(),
        Error::FabricNotFound(_) => "see `hhsync fabric list`".to_owned(),
        Error::NoOpenConflict { fabric, .. } => format!("see `hhsync conflicts {fabric}`"),
        Error::OperationNotFound { fabric, .. } => format!("see `hhsync log {fabric}`"),
        Error::ProposalNotFound { fabric, .. } => format!("see `hhsync proposals {fabric}`"),
        Error::BranchNotFound { .. } => "push an initial commit, or run `hhsync init FABRIC`".to_owned(),
        Error::PushBlocked { fabric, blocked } => {
            let conflicts = blocked.iter().any(|b| b.reason == BlockReason::Conflict);
            let invalid = blocked.iter().any(|b| b.reason != BlockReason::Conflict);
            match (conflicts, invalid) {
                (true, true) => format!("resolve with `hhsync conflicts {fabric}` and `hhsync resolve`; push with --allow-invalid to push validation errors anyway"),
                (true, false) => format!("resolve with `hhsync conflicts {fabric}` and `hhsync resolve`"),
                _ => "fix the errors, or push with --allow-invalid to push them anyway".to_owned(),
            }
        }
        Error::AuthRequired { repository, .. } => format!("add a token with `hhsync repo login {repository} --token-stdin` (or use --auth ssh)"),
        Error::CredentialMissing { repository } => format!("store one with `hhsync repo login {repository} --token-stdin`"),
        Error::AuthFailed { repository, method: AuthMethod::Ssh, .. } => {
            format!("check --ssh-key or the keys in your agent (ssh-add -l) for repository {repository}")
        }
        Error::AuthFailed { repository, .. } => format!("store a new token with `hhsync repo login {repository} --token-stdin`"),
        _ => return None,
    })
}
