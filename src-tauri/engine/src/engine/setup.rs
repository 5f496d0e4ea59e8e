//! Adding and removing repositories and fabrics. Removing only ever touches local state (the
//! database rows and the local clone), never the remote.

use std::path::Path;

use super::{check_name, Engine};
use crate::error::{Error, Result};
use crate::git::GitRepo;
use crate::gitops::layout::normalize_directory;
use crate::store::{FabricRow, RepoRow};

/// A remote given as a local path becomes an absolute path, so it means the same thing from
/// any working directory. URLs (`file://`, `https://`, `ssh://`, `user@host:path`) stay as given.
fn normalize_url(url: &str) -> Result<String> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::InvalidInput("the repository URL is empty".to_owned()));
    }
    let is_url = url.contains("://") || (url.contains('@') && url.contains(':'));
    if is_url {
        return Ok(url.to_owned());
    }
    let path = Path::new(url);
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map_err(|e| Error::io(".", e))?.join(path)
    };
    Ok(absolute.canonicalize().unwrap_or(absolute).to_string_lossy().into_owned())
}

impl Engine {
    /// Adds a repository and fetches its branch into a new bare clone. Nothing is stored when
    /// the remote cannot be reached.
    pub fn add_repo(&self, name: &str, url: &str, branch: &str) -> Result<RepoRow> {
        check_name("repository", name)?;
        if branch.trim().is_empty() || branch.contains("..") || branch.starts_with('-') || branch.contains(' ') {
            return Err(Error::InvalidInput(format!("branch name {branch:?} is not valid")));
        }
        let url = normalize_url(url)?;
        let conn = self.store.connect()?;
        if self.store.find_repo(&conn, name)?.is_some() {
            return Err(Error::RepositoryExists(name.to_owned()));
        }
        let clone_dir = format!("clones/{name}.git");
        let path = self.clone_path(&clone_dir);
        if path.exists() {
            // Left over from a repository of the same name that was removed while in use.
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        let fetched = GitRepo::open_or_init(&path, &url).and_then(|repo| repo.fetch(branch));
        if let Err(e) = fetched {
            let _ = std::fs::remove_dir_all(&path);
            return Err(e);
        }
        tracing::info!(name, url = %url, branch, "added repository");
        self.store.insert_repo(&conn, name, &url, branch, &clone_dir)
    }

    pub fn repos(&self) -> Result<Vec<RepoRow>> {
        let conn = self.store.connect()?;
        self.store.repos(&conn)
    }

    /// Forgets a repository and deletes its local clone. Refused while fabrics use it.
    pub fn remove_repo(&self, name: &str) -> Result<()> {
        let conn = self.store.connect()?;
        let repo = self.store.repo(&conn, name)?;
        let users: Vec<String> =
            self.store.fabrics(&conn)?.into_iter().filter(|f| f.repository_id == repo.id).map(|f| f.name).collect();
        if !users.is_empty() {
            return Err(Error::RepositoryInUse { repository: name.to_owned(), fabrics: users.join(", ") });
        }
        self.store.delete_repo(&conn, repo.id)?;
        let path = self.clone_path(&repo.clone_dir);
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }

    /// Adds a fabric: a directory of a repository's branch (the repository's branch unless
    /// given). The same or an overlapping directory of the same branch is refused.
    pub fn add_fabric(&self, name: &str, repo: &str, directory: &str, branch: Option<&str>) -> Result<FabricRow> {
        check_name("fabric", name)?;
        let directory = normalize_directory(directory).map_err(Error::InvalidInput)?;
        let conn = self.store.connect()?;
        let repo = self.store.repo(&conn, repo)?;
        let branch = branch.unwrap_or(&repo.branch);
        self.store.insert_fabric(&conn, name, repo.id, branch, &directory)
    }

    pub fn fabrics(&self) -> Result<Vec<FabricRow>> {
        let conn = self.store.connect()?;
        self.store.fabrics(&conn)
    }

    /// Forgets a fabric's local state (resources, reports, history). The remote is untouched.
    pub fn remove_fabric(&self, name: &str) -> Result<()> {
        let fabric = self.fabric_row(name)?;
        let _lock = self.lock(&fabric)?;
        let conn = self.store.connect()?;
        self.store.delete_fabric(&conn, fabric.id)
    }
}
