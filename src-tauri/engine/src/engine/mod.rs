//! The engine's one API: what the CLI and the desktop app call. Each public function that
//! starts an operation on a fabric takes the fabric's lock and records the operation; the
//! functions it calls assume the lock is held.

mod auth;
mod topology;
mod cluster;
mod conflicts;
mod demo;
mod drafts;
mod github;
mod history;
mod ingest;
mod lock;
mod operation;
mod overview;
mod preferences;
mod progress;
mod pull;
mod push;
mod query;
mod revert;
mod setup;
mod watch;

use std::path::{Path, PathBuf};

pub use cluster::LiveView;
pub use auth::{CheckProblem, CheckStep, CheckStepKind, RepoCheck, StepState};
pub use conflicts::{ConflictDetail, Resolution};
pub use github::{ProposalView, PullRequestReport};
pub use history::{FileChangeKind, OperationDiff, OperationFile};
pub use setup::{RepoOptions, RepoUpdate};
pub use demo::DemoWorkspace;
pub use drafts::{DraftDiff, DraftReport};
pub use ingest::IngestReport;
pub use crate::store::{OperationKind, OperationStatus};
pub use overview::{kind_templates, Badge, LastSync, Overview, TextCheck, TreeEntry, UnmanagedFile};
pub use preferences::{Preferences, Theme, DEFAULT_WATCH_INTERVAL};
pub use progress::{Progress, ProgressEvent, ProgressSink};
pub use pull::{InitReport, PullReport};
pub use revert::RevertReport;
pub use watch::{FabricSettings, RemoteNews};
pub use push::{PushReport, PushRequest, PushedResource};
pub use query::{validate_file, Finding, ResourceDetail, ResourceSummary, StatusCounts, StatusReport, ValidationMessage, ValidationReport};

use crate::error::{Error, Result};
use crate::git::{Author, GitRepo};
use crate::store::{FabricRow, Store};

pub use crate::store::Trigger;

/// The engine over one data directory.
#[derive(Debug, Clone)]
pub struct Engine {
    data_dir: PathBuf,
    store: Store,
    progress: Progress,
    running: operation::Running,
}

impl Engine {
    /// The data directory used when none is given: `HHSYNC_DATA_DIR`, else the OS data
    /// directory (`~/.local/share/hhsync` on Linux).
    pub fn default_data_dir() -> Result<PathBuf> {
        if let Some(dir) = std::env::var_os("HHSYNC_DATA_DIR").filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        dirs::data_dir()
            .map(|d| d.join("hhsync"))
            .ok_or_else(|| Error::InvalidInput("no data directory: set HHSYNC_DATA_DIR or pass --data-dir".to_owned()))
    }

    /// Opens (creating if needed) the data directory and its database.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e))?;
        let store = Store::open(&data_dir.join("hhsync.sqlite3"))?;
        Ok(Self { data_dir: data_dir.to_owned(), store, progress: Progress::default(), running: operation::Running::default() })
    }

    /// The same engine reporting progress to `sink`.
    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Progress::new(sink);
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn clone_path(&self, clone_dir: &str) -> PathBuf {
        self.data_dir.join(clone_dir)
    }

    /// The fabric's clone. One whose objects can no longer be read (a disk fault, files
    /// overwritten) holds nothing that is not also on the remote or in the database (drafts
    /// live in SQLite, and a push counts only once it landed): it is moved aside, not deleted,
    /// and cloned again.
    fn open_clone(&self, fabric: &FabricRow) -> Result<GitRepo> {
        let path = self.clone_path(&fabric.clone_dir);
        let damage = match GitRepo::open_or_init(&path, &fabric.url) {
            Ok(repo) => match repo.check_tip_readable(&fabric.branch) {
                Ok(()) => return Ok(repo),
                Err(e) => e,
            },
            Err(e) if path.exists() && e.code() == crate::error::Code::Git => e,
            Err(e) => return Err(e),
        };
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let aside = path.with_file_name(format!("{name}.damaged-{secs}"));
        std::fs::rename(&path, &aside).map_err(|e| Error::io(&path, e))?;
        tracing::warn!(error = %damage, moved_to = %aside.display(),
            "the local clone was damaged and is cloned again; drafts are kept (they live in the database)");
        GitRepo::open_or_init(&path, &fabric.url)
    }

    /// Takes the fabric's lock. Whoever holds it is the only one working on the fabric, so an
    /// operation still marked running belongs to a process that died: it is marked interrupted.
    fn lock(&self, fabric: &FabricRow) -> Result<lock::FabricLock> {
        let lock = lock::lock_fabric(&self.data_dir.join("locks"), fabric.id, &fabric.name)?;
        let conn = self.store.connect()?;
        self.store.mark_interrupted(&conn, fabric.id)?;
        Ok(lock)
    }

    fn fabric_row(&self, name: &str) -> Result<FabricRow> {
        let conn = self.store.connect()?;
        self.store.fabric(&conn, name)
    }

    /// The commit author: environment, else settings `author.name`/`author.email`, else git
    /// configuration (see [`Author::resolve`]).
    fn author(&self) -> Author {
        let conn = self.store.connect().ok();
        let get = |key: &str| conn.as_ref().and_then(|c| self.store.setting(c, key).ok().flatten());
        Author::resolve(get("author.name"), get("author.email"))
    }
}

/// Names of repositories and fabrics: what a person can type and a file name can hold.
fn check_name(what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{what} name {name:?}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.' or '-'"
        )))
    }
}
