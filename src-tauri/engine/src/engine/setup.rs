//! Adding and removing repositories and fabrics. Removing only ever touches local state (the
//! database rows, the local clone, the keychain entries), never the remote.

use std::path::{Path, PathBuf};

use super::{check_name, Engine};
use crate::error::{Error, Result};
use crate::git::{AuthMethod, AuthSettings, GitRepo};
use crate::secrets::{new_credential_id, Keychain, Secret, SecretKind};
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

/// How to add a repository: its branch and how it authenticates.
#[derive(Debug, Clone)]
pub struct RepoOptions {
    pub branch: String,
    pub auth: AuthMethod,
    /// The token, for `AuthMethod::Token`; it goes to the keychain only.
    pub token: Option<Secret>,
    /// GitHub API base URL (GitHub Enterprise); default: api.github.com for github.com.
    pub api_url: Option<String>,
    /// SSH private key file, for `AuthMethod::Ssh`; default: the agent.
    pub ssh_key: Option<PathBuf>,
}

impl Default for RepoOptions {
    fn default() -> Self {
        Self { branch: "main".to_owned(), auth: AuthMethod::None, token: None, api_url: None, ssh_key: None }
    }
}

/// True for `https://user:secret@host/...` and `https://token@host/...`: a URL carrying a
/// credential, which would end up in plain text in the database and the clone's config.
fn has_userinfo(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else { return false };
    let authority = rest.split('/').next().unwrap_or("");
    matches!(scheme, "http" | "https") && authority.contains('@')
}

fn is_ssh_url(url: &str) -> bool {
    url.starts_with("ssh://") || (!url.contains("://") && url.contains('@') && url.contains(':'))
}

/// Checks the options against the URL; the messages never repeat a URL that holds a secret.
fn check_auth(url: &str, options: &RepoOptions) -> Result<()> {
    if has_userinfo(url) {
        return Err(Error::InvalidInput(
            "the URL holds a user name or token; give the URL without it and the token with --token-stdin or --token-env (it goes to the system keychain)".to_owned(),
        ));
    }
    let http = url.starts_with("https://") || url.starts_with("http://");
    match options.auth {
        AuthMethod::None => {
            if options.token.is_some() {
                return Err(Error::InvalidInput("a token was given with --auth none; use --auth token".to_owned()));
            }
        }
        AuthMethod::Token => {
            if !http {
                return Err(Error::InvalidInput(format!("--auth token needs an https:// URL, not {url}")));
            }
            if url.starts_with("http://") && !crate::github::is_loopback_url(url) {
                return Err(Error::InvalidInput(format!("refusing to send a token over plain HTTP to {url}; use https://")));
            }
            if options.token.is_none() {
                return Err(Error::InvalidInput("--auth token needs the token: --token-stdin or --token-env VAR".to_owned()));
            }
        }
        AuthMethod::Ssh => {
            if !is_ssh_url(url) {
                return Err(Error::InvalidInput(format!("--auth ssh needs an ssh URL (ssh://git@host/owner/repo or git@host:owner/repo), not {url}")));
            }
            if options.token.is_some() {
                return Err(Error::InvalidInput("a token was given with --auth ssh; SSH uses keys".to_owned()));
            }
        }
    }
    if options.ssh_key.is_some() && options.auth != AuthMethod::Ssh {
        return Err(Error::InvalidInput("--ssh-key goes with --auth ssh".to_owned()));
    }
    Ok(())
}

impl Engine {
    /// Adds a repository without credentials (local paths, public repositories).
    pub fn add_repo(&self, name: &str, url: &str, branch: &str) -> Result<RepoRow> {
        self.add_repo_with(name, url, RepoOptions { branch: branch.to_owned(), ..RepoOptions::default() })
    }

    /// Adds a repository and fetches its branch into a new bare clone. A token goes to the
    /// system keychain (never the database or the clone). Nothing is kept when the remote
    /// cannot be reached or refuses the credentials.
    pub fn add_repo_with(&self, name: &str, url: &str, options: RepoOptions) -> Result<RepoRow> {
        check_name("repository", name)?;
        let branch = options.branch.as_str();
        if branch.trim().is_empty() || branch.contains("..") || branch.starts_with('-') || branch.contains(' ') {
            return Err(Error::InvalidInput(format!("branch name {branch:?} is not valid")));
        }
        if has_userinfo(url) {
            check_auth(url, &options)?;
        }
        let url = normalize_url(url)?;
        check_auth(&url, &options)?;
        let ssh_key = match &options.ssh_key {
            Some(key) => {
                let absolute = key.canonicalize().map_err(|e| Error::io(key, e))?;
                Some(absolute)
            }
            None => None,
        };
        let api_url = options.api_url.as_deref().map(|u| u.trim().trim_end_matches('/').to_owned()).filter(|u| !u.is_empty());
        if let Some(api) = &api_url {
            crate::github::GitHub::new(api, None)?;
        }
        let conn = self.store.connect()?;
        if self.store.find_repo(&conn, name)?.is_some() {
            return Err(Error::RepositoryExists(name.to_owned()));
        }
        let keychain = Keychain::system();
        let credential_id = match options.auth {
            AuthMethod::None => None,
            _ => Some(new_credential_id()?),
        };
        if let (Some(id), Some(token)) = (&credential_id, &options.token) {
            keychain.store(SecretKind::RepoToken, id, token)?;
        }
        let forget_token = || {
            if let (Some(id), Some(_)) = (&credential_id, &options.token) {
                if let Err(e) = keychain.delete(SecretKind::RepoToken, id) {
                    tracing::warn!(repository = name, error = %e, "could not remove the token from the keychain");
                }
            }
        };
        let clone_dir = format!("clones/{name}.git");
        let path = self.clone_path(&clone_dir);
        if path.exists() {
            // Left over from a repository of the same name that was removed while in use.
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        let settings = AuthSettings {
            repository: name.to_owned(),
            method: options.auth,
            credential_id: credential_id.clone(),
            ssh_key: ssh_key.clone(),
        };
        let fetched = GitRepo::open_or_init(&path, &url).and_then(|repo| {
            repo.set_auth(&settings)?;
            repo.fetch(branch)
        });
        if let Err(e) = fetched {
            let _ = std::fs::remove_dir_all(&path);
            forget_token();
            return Err(e);
        }
        tracing::info!(name, url = %url, branch, auth = options.auth.as_str(), "added repository");
        let row = match self.store.insert_repo(&conn, name, &url, branch, &clone_dir) {
            Ok(row) => row,
            Err(e) => {
                forget_token();
                return Err(e);
            }
        };
        let key_text = ssh_key.as_ref().map(|p| p.to_string_lossy().into_owned());
        self.store.set_repo_auth(&conn, row.id, options.auth, credential_id.as_deref(), api_url.as_deref(), key_text.as_deref())?;
        Ok(row)
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
        let auth = self.store.repo_auth(&conn, name)?;
        if let Some(id) = &auth.credential_id {
            // A locked keychain stops the removal (unlock and retry, or the token stays behind);
            // without any keychain nothing can have been stored in it.
            let keychain = Keychain::system();
            for kind in [SecretKind::RepoToken, SecretKind::WebhookSecret] {
                match keychain.delete(kind, id) {
                    Ok(_) => {}
                    Err(Error::KeychainUnavailable { message }) => tracing::warn!(repository = name, %message, "no keychain to remove secrets from"),
                    Err(e) => return Err(e),
                }
            }
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
