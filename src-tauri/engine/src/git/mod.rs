//! Git, without a working tree: a bare clone per repository, files read from objects, commits
//! written from in-memory trees. A crash can never leave half-written files, and a 10,000-file
//! fabric clones in a fraction of the time a checkout takes.
//!
//! This is the only module that touches git2. It takes and returns the engine's own types
//! (hex commit ids, paths, bytes) so the rest of the engine stays independent of it.

mod auth;
mod local;
mod remote;
mod local_fetch;
mod tls;
mod tree;

use std::path::Path;

pub use auth::{AuthMethod, AuthSettings, TOKEN_USER};
pub use remote::PushOutcome;
pub use tls::defer_ca_certificates;
pub use tree::{BlobReader, FileWrite, TreeChange, TreeEntry};

use crate::error::{Error, Result};

/// The id `bytes` have as a blob, without writing anything: what a commit of them will name.
pub fn blob_id(bytes: &[u8]) -> Result<String> {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes).map(|id| id.to_string()).map_err(|e| Error::git("hashing a blob", e))
}

/// Forwards libgit2's own log (connections, requests sent, negotiation) as `tracing` events of
/// target `libgit2`, when that target is enabled at debug. libgit2 is asked for debug and above
/// only: at its trace level it writes every HTTP request whole, `Authorization` header included,
/// so that level is never turned on (tests/secrets_audit.rs searches trace logs for tokens; with
/// libgit2 at trace it finds basic auth's base64).
pub fn forward_libgit2_log() {
    fn forward(level: git2::TraceLevel, message: &[u8]) {
        let message = String::from_utf8_lossy(message);
        match level {
            git2::TraceLevel::Fatal | git2::TraceLevel::Error => tracing::error!(target: "libgit2", "{message}"),
            git2::TraceLevel::Warn => tracing::warn!(target: "libgit2", "{message}"),
            git2::TraceLevel::Info => tracing::info!(target: "libgit2", "{message}"),
            git2::TraceLevel::Debug => tracing::debug!(target: "libgit2", "{message}"),
            git2::TraceLevel::Trace | git2::TraceLevel::None => {}
        }
    }
    if tracing::enabled!(target: "libgit2", tracing::Level::DEBUG) {
        if let Err(e) = git2::trace_set(git2::TraceLevel::Debug, forward) {
            tracing::debug!(error = %e, "libgit2's log is not forwarded");
        }
    }
}

/// The commit author and committer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Author {
    /// The author for commits: `HHSYNC_AUTHOR_NAME`/`HHSYNC_AUTHOR_EMAIL`, else the given
    /// settings, else the user's git configuration (user.name/user.email), else "hhsync".
    pub fn resolve(setting_name: Option<String>, setting_email: Option<String>) -> Self {
        let config = git2::Config::open_default().ok();
        let get = |env: &str, setting: Option<String>, key: &str| {
            std::env::var(env)
                .ok()
                .filter(|s| !s.trim().is_empty())
                .or(setting)
                .or_else(|| config.as_ref().and_then(|c| c.get_string(key).ok()))
                .filter(|s| !s.trim().is_empty())
        };
        Author {
            name: get("HHSYNC_AUTHOR_NAME", setting_name, "user.name").unwrap_or_else(|| "hhsync".to_owned()),
            email: get("HHSYNC_AUTHOR_EMAIL", setting_email, "user.email").unwrap_or_else(|| "hhsync@localhost".to_owned()),
        }
    }
}

/// A bare clone of one repository, with `origin` pointing at its remote.
pub struct GitRepo {
    repo: git2::Repository,
    url: String,
    /// The commit last written as one pack of its own new objects, and that pack's name: a
    /// push to a remote on this machine copies the pack rather than packing the objects again.
    bulk_pack: std::sync::Mutex<Option<(git2::Oid, String)>>,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo").field("path", &self.repo.path()).field("url", &self.url).finish()
    }
}

impl GitRepo {
    /// Opens the bare clone at `path`, creating it (empty, with `origin` = `url`) if missing.
    /// Nothing is fetched here.
    pub fn open_or_init(path: &Path, url: &str) -> Result<Self> {
        let repo = match git2::Repository::open_bare(path) {
            Ok(repo) => repo,
            Err(_) => {
                std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
                git2::Repository::init_bare(path).map_err(|e| Error::git(format!("creating clone at {}", path.display()), e))?
            }
        };
        match repo.find_remote("origin") {
            Ok(remote) if remote.url().ok() == Some(url) => {}
            Ok(_) => repo.remote_set_url("origin", url).map_err(|e| Error::git("setting origin", e))?,
            Err(_) => {
                repo.remote("origin", url).map_err(|e| Error::git("adding origin", e))?;
            }
        }
        Ok(Self { repo, url: url.to_owned(), bulk_pack: Default::default() })
    }

    pub fn url(&self) -> &str {
        &self.url
    }


    /// The commit's author name and time (RFC 3339), for "last sync by whom".
    pub fn commit_summary(&self, commit: &str) -> Result<(String, String, String)> {
        let c = self.find_commit(commit)?;
        let when = time::OffsetDateTime::from_unix_timestamp(c.time().seconds())
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_default();
        let author = c.author().name().unwrap_or("").to_owned();
        let summary = c.summary().ok().flatten().unwrap_or("").to_owned();
        Ok((author, when, summary))
    }

    /// The commit's full message.
    pub fn commit_message(&self, commit: &str) -> Result<String> {
        let c = self.find_commit(commit)?;
        Ok(String::from_utf8_lossy(c.message_bytes()).into_owned())
    }

    fn find_commit(&self, commit: &str) -> Result<git2::Commit<'_>> {
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git(format!("commit id {commit}"), e))?;
        self.repo.find_commit(oid).map_err(|e| Error::git(format!("reading commit {commit}"), e))
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

impl GitRepo {
    /// Creates an empty bare repository to serve as a remote (the demo workspace's).
    pub fn init_bare_remote(path: &Path) -> Result<()> {
        let repo = git2::Repository::init_bare(path).map_err(|e| Error::git(format!("creating {}", path.display()), e))?;
        repo.set_head("refs/heads/main").map_err(|e| Error::git("setting HEAD", e))?;
        Ok(())
    }
}

impl GitRepo {
    /// The first parent of `commit`, if it has one.
    pub fn parent(&self, commit: &str) -> Result<Option<String>> {
        let c = self.find_commit(commit)?;
        Ok(c.parent_id(0).ok().map(|p| p.to_string()))
    }

    /// True when `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        let (Ok(a), Ok(d)) = (git2::Oid::from_str(ancestor), git2::Oid::from_str(descendant)) else { return Ok(false) };
        match self.repo.graph_descendant_of(d, a) {
            Ok(yes) => Ok(yes),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(false),
            Err(e) => Err(Error::git("comparing commits", e)),
        }
    }
}
