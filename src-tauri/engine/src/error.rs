//! The engine's error type. Every variant carries what a person needs to act: the fabric,
//! repository, file, document or remote it is about. [`Code`] lets a user interface decide what
//! to show without matching on message text.

use std::path::PathBuf;

use crate::git::AuthMethod;
use crate::hedgehog::ResourceId;

/// What kind of failure this is, for a user interface to choose its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    NotFound,
    AlreadyExists,
    InvalidInput,
    RemoteUnreachable,
    AuthFailed,
    Rejected,
    Busy,
    Cancelled,
    Storage,
    Git,
    Io,
    /// The system keychain is locked: unlock it and retry.
    KeychainLocked,
    /// No system keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    KeychainUnavailable,
    /// The host allows reading but not this change (a read-only token pushing, say).
    Permission,
    /// The TLS connection failed (certificate not trusted, not a TLS server).
    Tls,
    /// The SSH server's host key is unknown or changed.
    HostKey,
    /// GitHub's rate limit: wait until the time it gives.
    RateLimited,
    /// GitHub answered with an error not covered by the codes above.
    GitHub,
    /// A push was refused before anything was committed: resources with open conflicts or
    /// validation errors (listed in the error).
    Blocked,
    /// A revert was refused before anything was committed: the files listed have local drafts
    /// or were changed again since.
    RevertBlocked,
    /// The fabric has never been pulled: pull it first.
    NotSynced,
    /// The fabric has no cluster linked: link one to see what runs.
    NotLinked,
    /// A part of hhsync itself failed (not the input, the disk or the network): the message
    /// says which; worth a bug report.
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no repository named {0:?}")]
    RepositoryNotFound(String),
    #[error("no fabric named {0:?}")]
    FabricNotFound(String),
    #[error("fabric {fabric:?} has no resource {kind}/{name}")]
    ResourceNotFound { fabric: String, kind: String, name: String },
    #[error("a repository named {0:?} already exists")]
    RepositoryExists(String),
    #[error("a fabric named {0:?} already exists")]
    FabricExists(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{resource} has no draft to {action} in fabric {fabric:?}")]
    NoDraft { fabric: String, resource: ResourceId, action: DraftAction },
    #[error("{resource} has no open conflict in fabric {fabric:?}")]
    NoOpenConflict { fabric: String, resource: ResourceId },
    #[error("fabric {fabric} has no operation #{operation}")]
    OperationNotFound { fabric: String, operation: i64 },
    #[error("fabric {fabric:?} has no cluster linked")]
    ClusterNotLinked { fabric: String },
    #[error("the kubeconfig {path}: {reason}")]
    Kubeconfig { path: String, reason: String },
    #[error("fabric {fabric:?} was never synced; pull first")]
    NeverSynced { fabric: String },
    #[error("operation #{operation} pushed to branch {branch}, a proposal, not to {fabric_branch}: nothing of it is on {fabric_branch} to revert; abandon the proposal (or close its pull request) instead")]
    RevertOfProposal { operation: i64, branch: String, fabric_branch: String },
    #[error("cannot revert operation #{operation}: {}: {}", reason.explain(), files.join(", "))]
    RevertBlocked { operation: i64, reason: RevertBlock, files: Vec<String> },
    #[error("directory {directory:?} of {repository} ({branch}) is already used by fabric {fabric:?}")]
    DirectoryTaken { repository: String, branch: String, directory: String, fabric: String },
    #[error("repository {repository:?} has fabrics ({fabrics}); remove them first")]
    RepositoryInUse { repository: String, fabrics: String },
    #[error("cannot reach {url}: {message} (offline? drafts and conflict resolution keep working; nothing was lost)")]
    RemoteUnreachable { url: String, message: String },
    #[error("branch {branch:?} does not exist in {url}; push an initial commit, or create the fabric's GitOps directory there")]
    BranchNotFound { url: String, branch: String },
    #[error("branch {branch} already exists on {url}; choose another name")]
    BranchExists { url: String, branch: String },
    #[error("fabric {fabric:?} has no open proposal on branch {branch}")]
    ProposalNotFound { fabric: String, branch: String },
    #[error("not pushing; fix these first:\n  {}", blocked.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    PushBlocked { fabric: String, blocked: Vec<BlockedResource> },
    #[error("{url} rejected the push to {branch}: {message}")]
    PushRejected { url: String, branch: String, message: String },
    #[error("the remote branch {branch} kept moving while pushing ({attempts} attempts); try again")]
    RetriesExhausted { branch: String, attempts: u32 },
    #[error("fabric {fabric:?} is busy with another operation (another hhsync window or command); try again when it finishes")]
    Busy { fabric: String },
    #[error("{operation} was cancelled; nothing was changed")]
    Cancelled { operation: String },
    #[error("git: {context}: {message}")]
    Git { context: String, message: String },
    #[error("database {path}: {message}")]
    Storage { path: PathBuf, message: String },
    #[error("database {path} is locked by another program (waited {waited_secs} s): close what holds it (another hhsync, or a tool that opened the file) and try again; nothing was changed")]
    DatabaseBusy { path: PathBuf, waited_secs: u64 },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{url} refused the credentials of repository {repository:?} ({message}): {}", if *method == AuthMethod::Ssh { "the SSH key is not accepted" } else { "the token is wrong, expired or revoked; store a new one" })]
    AuthFailed { url: String, repository: String, message: String, method: AuthMethod },
    #[error("{url} asks for credentials and repository {repository:?} has none stored; give it a token (or use SSH)")]
    AuthRequired { url: String, repository: String },
    #[error("no token for repository {repository:?} in the system keychain; store one")]
    CredentialMissing { repository: String },
    #[error("{url} denied {action} ({message}): the credentials of repository {repository:?} are valid but lack permission (a read-only token?)")]
    PermissionDenied { url: String, repository: String, action: String, message: String },
    #[error("TLS failure talking to {url}: {message} (is the certificate trusted, and is this an https server?)")]
    Tls { url: String, message: String },
    #[error("the SSH host key of {url} is unknown or has changed ({message}); check it and add it to ~/.ssh/known_hosts (e.g. with ssh-keyscan)")]
    HostKey { url: String, message: String },
    #[error("the system keychain is locked: unlock it and retry")]
    KeychainLocked,
    #[error("no system keychain is available ({message}); hhsync keeps tokens only in the OS keychain (Secret Service on Linux, e.g. gnome-keyring): start one and retry")]
    KeychainUnavailable { message: String },
    #[error("GitHub rate limit reached at {api}{}: {message}", retry_at.as_deref().map(|t| format!(" (resets at {t})")).unwrap_or_default())]
    RateLimited { api: String, retry_at: Option<String>, message: String },
    #[error("GitHub {api} answered {status}: {message}")]
    GitHub { api: String, status: u16, message: String },
    #[error("{message}")]
    Internal { message: String },
}

/// What a draft was wanted for, when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum DraftAction {
    Push,
    Discard,
}

impl std::fmt::Display for DraftAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Push => "push",
            Self::Discard => "discard",
        })
    }
}

/// Why a revert cannot be made: files of the operation's commit have local drafts (push or
/// discard them), or were changed again by later commits (revert those first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum RevertBlock {
    Drafts,
    ChangedSince,
}

impl RevertBlock {
    fn explain(self) -> &'static str {
        match self {
            Self::Drafts => "these files have local drafts; push or discard them first",
            Self::ChangedSince => "changed again since",
        }
    }
}

/// A resource that keeps a push from happening, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct BlockedResource {
    pub kind: String,
    pub name: String,
    /// The fabric, for the command that lists its conflicts.
    pub fabric: String,
    pub reason: BlockReason,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum BlockReason {
    /// An open conflict: resolve it first.
    Conflict,
    /// A validation error at this field (push anyway with allow-invalid).
    Invalid { path: String, line: Option<usize>, message: String },
}

impl std::fmt::Display for BlockedResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.reason {
            BlockReason::Conflict => write!(f, "{}/{} has an unresolved conflict", self.kind, self.name),
            BlockReason::Invalid { path, line, message } => {
                let line = line.map(|l| format!(" (line {l})")).unwrap_or_default();
                write!(f, "{}/{}: {path}{line}: {message}", self.kind, self.name)
            }
        }
    }
}

impl Code {
    /// Every code, in declaration order: what the audit trail reads back. The desktop crate's
    /// bindings test checks it against the enum (a code missing here could be stored but never
    /// read).
    pub const ALL: &'static [Self] = &[
        Self::NotFound, Self::AlreadyExists, Self::InvalidInput, Self::RemoteUnreachable, Self::AuthFailed, Self::Rejected,
        Self::Busy, Self::Cancelled, Self::Storage, Self::Git, Self::Io, Self::KeychainLocked, Self::KeychainUnavailable,
        Self::Permission, Self::Tls, Self::HostKey, Self::RateLimited, Self::GitHub, Self::Blocked, Self::RevertBlocked,
        Self::NotSynced, Self::NotLinked, Self::Internal,
    ];

    /// The kebab-case name the UI and the audit trail use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not-found",
            Self::AlreadyExists => "already-exists",
            Self::InvalidInput => "invalid-input",
            Self::RemoteUnreachable => "remote-unreachable",
            Self::AuthFailed => "auth-failed",
            Self::Rejected => "rejected",
            Self::Busy => "busy",
            Self::Cancelled => "cancelled",
            Self::Storage => "storage",
            Self::Git => "git",
            Self::Io => "io",
            Self::KeychainLocked => "keychain-locked",
            Self::KeychainUnavailable => "keychain-unavailable",
            Self::Permission => "permission",
            Self::Tls => "tls",
            Self::HostKey => "host-key",
            Self::RateLimited => "rate-limited",
            Self::GitHub => "git-hub",
            Self::Blocked => "blocked",
            Self::RevertBlocked => "revert-blocked",
            Self::NotSynced => "not-synced",
            Self::NotLinked => "not-linked",
            Self::Internal => "internal",
        }
    }
}

impl Error {
    pub fn code(&self) -> Code {
        match self {
            Self::RepositoryNotFound(_) | Self::FabricNotFound(_) | Self::ResourceNotFound { .. } | Self::BranchNotFound { .. } => Code::NotFound,
            Self::ProposalNotFound { .. } | Self::NoDraft { .. } | Self::NoOpenConflict { .. } | Self::OperationNotFound { .. } => Code::NotFound,
            Self::NeverSynced { .. } => Code::NotSynced,
            Self::ClusterNotLinked { .. } => Code::NotLinked,
            Self::Kubeconfig { .. } => Code::InvalidInput,
            Self::RevertBlocked { .. } | Self::RevertOfProposal { .. } => Code::RevertBlocked,
            Self::PushBlocked { .. } => Code::Blocked,
            Self::RepositoryExists(_) | Self::FabricExists(_) | Self::DirectoryTaken { .. } | Self::BranchExists { .. } => Code::AlreadyExists,
            Self::InvalidInput(_) | Self::RepositoryInUse { .. } => Code::InvalidInput,
            Self::RemoteUnreachable { .. } => Code::RemoteUnreachable,
            Self::PushRejected { .. } | Self::RetriesExhausted { .. } => Code::Rejected,
            Self::Busy { .. } => Code::Busy,
            Self::Cancelled { .. } => Code::Cancelled,
            Self::Git { .. } => Code::Git,
            Self::Storage { .. } => Code::Storage,
            Self::DatabaseBusy { .. } => Code::Busy,
            Self::Io { .. } => Code::Io,
            Self::AuthFailed { .. } | Self::AuthRequired { .. } | Self::CredentialMissing { .. } => Code::AuthFailed,
            Self::PermissionDenied { .. } => Code::Permission,
            Self::Tls { .. } => Code::Tls,
            Self::HostKey { .. } => Code::HostKey,
            Self::KeychainLocked => Code::KeychainLocked,
            Self::KeychainUnavailable { .. } => Code::KeychainUnavailable,
            Self::RateLimited { .. } => Code::RateLimited,
            Self::GitHub { .. } => Code::GitHub,
            Self::Internal { .. } => Code::Internal,
        }
    }

    pub(crate) fn git(context: impl Into<String>, err: git2::Error) -> Self {
        Self::Git { context: context.into(), message: err.message().to_owned() }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The app shows these messages as they are: no `hhsync` command and no flag in any of them
    /// (the command line adds its hints itself).
    #[test]
    fn messages_name_no_command_or_flag() {
        let blocked = |reason| BlockedResource { kind: "Switch".into(), name: "leaf-01".into(), fabric: "f".into(), reason };
        let errors = [
            Error::RepositoryNotFound("r".into()),
            Error::FabricNotFound("f".into()),
            Error::NoOpenConflict { fabric: "f".into(), resource: "Switch/leaf-01".parse().unwrap() },
            Error::OperationNotFound { fabric: "f".into(), operation: 3 },
            Error::ProposalNotFound { fabric: "f".into(), branch: "b".into() },
            Error::BranchNotFound { url: "u".into(), branch: "main".into() },
            Error::PushBlocked {
                fabric: "f".into(),
                blocked: vec![blocked(BlockReason::Conflict), blocked(BlockReason::Invalid { path: "spec.role".into(), line: Some(3), message: "bad".into() })],
            },
            Error::AuthRequired { url: "u".into(), repository: "r".into() },
            Error::CredentialMissing { repository: "r".into() },
            Error::AuthFailed { url: "u".into(), repository: "r".into(), message: "m".into(), method: AuthMethod::Token },
            Error::AuthFailed { url: "u".into(), repository: "r".into(), message: "m".into(), method: AuthMethod::Ssh },
        ];
        for e in errors {
            let text = e.to_string();
            assert!(!text.contains("hhsync ") && !text.contains(" --") && !text.contains("(--"), "{text}");
        }
    }
}
