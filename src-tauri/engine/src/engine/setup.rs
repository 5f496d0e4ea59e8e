//! Adding and removing repositories and fabrics. Removing only ever touches local state (the
//! database rows, the local clone, the keychain entries), never the remote.

use std::path::{Path, PathBuf};

use super::{check_name, Engine};
use crate::error::{Error, Result};
use crate::git::{AuthMethod, AuthSettings, GitRepo};
use crate::github::{checked_api_url, is_loopback, parse_url, redacted};
use crate::secrets::{new_credential_id, Keychain, Secret, SecretKind};
use crate::gitops::layout::normalize_directory;
use crate::store::{FabricRow, RepoAuthRow, RepoRow};

/// What kind of remote a repository URL names; it decides which authentication fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Remote {
    /// `https://`, or `http://` with `loopback` telling whether it stays on this machine.
    Http { https: bool, loopback: bool },
    /// `ssh://` or scp-like `user@host:path`.
    Ssh,
    /// A local path, `file://`, `git://` and other schemes: no token, no key.
    Other,
}

/// The repository URL as it is stored, and its kind. A local path becomes absolute, so it means
/// the same thing from any working directory. A URL with a scheme is kept in its parsed form
/// (lower-case scheme; for http(s) the host too), so libgit2 reads the host judged here, not one
/// hidden behind `?@` or `\`. Refused, without repeating the secret: any URL holding a
/// password (every scheme, and scp-like `user:secret@host:path`), an http(s) URL with a user
/// name (`https://TOKEN@host` is a token too), and a URL with a scheme that does not parse.
/// Credentials would otherwise sit in plain text in the database, the clone's config and logs.
fn normalize_url(url: &str) -> Result<(String, Remote)> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::InvalidInput("the repository URL is empty".to_owned()));
    }
    let credentials = || {
        Error::InvalidInput(format!(
            "the URL {} holds a user name or token; give the URL without it, and the token separately (it goes to the system keychain)",
            redacted(url)
        ))
    };
    if url.contains("://") {
        let parsed = parse_url(url).ok_or_else(|| {
            let why = url::Url::parse(url).err().map(|e| e.to_string()).unwrap_or_default();
            Error::InvalidInput(format!("the repository URL {} is not a valid URL ({why})", redacted(url)))
        })?;
        let http = matches!(parsed.scheme(), "http" | "https");
        if parsed.password().is_some() || (http && !parsed.username().is_empty()) {
            return Err(credentials());
        }
        let remote = match parsed.scheme() {
            "https" => Remote::Http { https: true, loopback: is_loopback(&parsed) },
            "http" => Remote::Http { https: false, loopback: is_loopback(&parsed) },
            "ssh" => Remote::Ssh,
            _ => Remote::Other,
        };
        return Ok((parsed.as_str().to_owned(), remote));
    }
    if url.contains('@') && url.contains(':') {
        // scp-like `user@host:path`; a `:` in the part before the `@` is a password.
        let user = url.split('@').next().unwrap_or("");
        if user.contains(':') && !user.contains('/') {
            return Err(credentials());
        }
        return Ok((url.to_owned(), Remote::Ssh));
    }
    let path = Path::new(url);
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map_err(|e| Error::io(".", e))?.join(path)
    };
    Ok((absolute.canonicalize().unwrap_or(absolute).to_string_lossy().into_owned(), Remote::Other))
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

/// Checks an auth method against the kind of URL (which holds no credentials by now): with
/// `has_token`, whether a token was given or is already stored.
fn check_auth(url: &str, remote: Remote, auth: AuthMethod, has_token: bool, token_given: bool, ssh_key_given: bool) -> Result<()> {
    match auth {
        AuthMethod::None => {
            if token_given {
                return Err(Error::InvalidInput("a token was given for a repository without credentials; choose token authentication".to_owned()));
            }
        }
        AuthMethod::Token => {
            match remote {
                Remote::Http { https: true, .. } | Remote::Http { loopback: true, .. } => {}
                Remote::Http { .. } => {
                    return Err(Error::InvalidInput(format!("refusing to send a token over plain HTTP to {url}; use https://")));
                }
                Remote::Ssh | Remote::Other => return Err(Error::InvalidInput(format!("token authentication needs an https:// URL, not {url}"))),
            }
            if !has_token {
                return Err(Error::InvalidInput("token authentication needs a token".to_owned()));
            }
        }
        AuthMethod::Ssh => {
            if remote != Remote::Ssh {
                return Err(Error::InvalidInput(format!("SSH authentication needs an SSH URL (ssh://git@host/owner/repo or git@host:owner/repo), not {url}")));
            }
            if token_given {
                return Err(Error::InvalidInput("a token was given for SSH authentication, which uses keys".to_owned()));
            }
        }
    }
    if ssh_key_given && auth != AuthMethod::Ssh {
        return Err(Error::InvalidInput("a key file goes with SSH authentication".to_owned()));
    }
    Ok(())
}

/// An SSH key file as an absolute path (the app and the CLI run from any directory).
fn absolute_key(key: Option<&Path>) -> Result<Option<PathBuf>> {
    key.map(|key| key.canonicalize().map_err(|e| Error::io(key, e))).transpose()
}

/// The GitHub API URL, checked now with whether a token will go there, so a bad one is refused
/// before anything is stored or sent. Blank means none.
fn api_url(api: Option<&str>, auth: AuthMethod) -> Result<Option<String>> {
    api.map(str::trim).filter(|u| !u.is_empty()).map(|api| checked_api_url(api, auth == AuthMethod::Token)).transpose()
}

/// A change of how a repository authenticates, made in place: its clone, fabrics and drafts
/// stay. `token: None` keeps a stored token (switching to token authentication needs one).
#[derive(Debug, Clone)]
pub struct RepoUpdate {
    pub auth: AuthMethod,
    pub token: Option<Secret>,
    pub api_url: Option<String>,
    pub ssh_key: Option<PathBuf>,
}

impl Engine {
    /// Changes the repository's authentication and GitHub API URL. A new token replaces the
    /// stored one in the keychain; leaving token authentication removes it. Nothing is fetched:
    /// "check connection" ([`Engine::check_repo`]) tells whether the new settings work.
    pub fn update_repo(&self, name: &str, update: RepoUpdate) -> Result<RepoAuthRow> {
        let conn = self.store.connect()?;
        let row = self.store.repo_auth(&conn, name)?;
        let (_, remote) = normalize_url(&row.url)?;
        let token_given = update.token.is_some();
        let has_stored_token = row.auth == AuthMethod::Token && row.credential_id.is_some();
        check_auth(&row.url, remote, update.auth, token_given || has_stored_token, token_given, update.ssh_key.is_some())?;
        let ssh_key = absolute_key(update.ssh_key.as_deref())?;
        let api_url = api_url(update.api_url.as_deref(), update.auth)?;
        let keychain = Keychain::system();
        let credential_id = match (&row.credential_id, update.auth) {
            (Some(id), _) => Some(id.clone()),
            (None, AuthMethod::None) => None,
            (None, _) => Some(new_credential_id()?),
        };
        if let (Some(id), Some(token)) = (&credential_id, &update.token) {
            keychain.store(SecretKind::RepoToken, id, token)?;
        } else if let (Some(id), AuthMethod::Token, false) = (&row.credential_id, row.auth, update.auth == AuthMethod::Token) {
            // Leaving token authentication: the token has no use any more.
            match keychain.delete(SecretKind::RepoToken, id) {
                Ok(_) | Err(Error::KeychainUnavailable { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let key_text = ssh_key.as_ref().map(|p| p.to_string_lossy().into_owned());
        self.store.set_repo_auth(&conn, row.id, update.auth, credential_id.as_deref(), api_url.as_deref(), key_text.as_deref())?;
        let row = self.store.repo_auth(&conn, name)?;
        self.repo_clone(&row)?;
        tracing::info!(repository = name, auth = update.auth.as_str(), token_replaced = token_given, "changed repository authentication");
        Ok(row)
    }

    /// Every repository with how it authenticates (never a secret: the token stays in the
    /// keychain).
    pub fn repos_with_auth(&self) -> Result<Vec<RepoAuthRow>> {
        let conn = self.store.connect()?;
        self.store.repos(&conn)?.iter().map(|r| self.store.repo_auth(&conn, &r.name)).collect()
    }

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
        let (url, remote) = normalize_url(url)?;
        let token_given = options.token.is_some();
        check_auth(&url, remote, options.auth, token_given, token_given, options.ssh_key.is_some())?;
        let ssh_key = absolute_key(options.ssh_key.as_deref())?;
        let api_url = api_url(options.api_url.as_deref(), options.auth)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ghs_S3cretT0ken";

    #[test]
    fn credentials_in_urls_are_refused_in_any_scheme_case_without_repeating_them() {
        // Regression (issue K): `HTTP://user:TOKEN@…` was accepted and stored.
        for url in [
            format!("HTTP://user:{TOKEN}@127.0.0.1:1/x.git"),
            format!("HTTPS://user:{TOKEN}@host/x.git"),
            format!("Https://{TOKEN}@host/x.git"),
            format!("ssh://git:{TOKEN}@host/x.git"),
            format!("SSH://git:{TOKEN}@host/x.git"),
            format!("git://u:{TOKEN}@host/x.git"),
            format!("file://u:{TOKEN}@localhost/srv/x.git"),
            format!("ftp://u:{TOKEN}@host/x.git"),
            format!("git:{TOKEN}@host:x.git"),
        ] {
            let err = normalize_url(&url).unwrap_err();
            assert_eq!(err.code(), crate::Code::InvalidInput, "{url}: {err}");
            assert!(!err.to_string().contains(TOKEN), "{url}: {err}");
        }
    }

    #[test]
    fn urls_are_kept_in_their_parsed_form_with_their_kind() {
        let http = |https, loopback| Remote::Http { https, loopback };
        let cases = [
            ("HTTPS://GitHub.com/acme/fabric.git", "https://github.com/acme/fabric.git", http(true, false)),
            ("http://127.0.0.1:8080/acme/fabric.git", "http://127.0.0.1:8080/acme/fabric.git", http(false, true)),
            ("http://192.0.2.2:18094?@localhost/x.git", "http://192.0.2.2:18094/?@localhost/x.git", http(false, false)),
            ("ssh://git@ghe.example:2222/acme/fabric", "ssh://git@ghe.example:2222/acme/fabric", Remote::Ssh),
            ("git@github.com:acme/fabric.git", "git@github.com:acme/fabric.git", Remote::Ssh),
            ("file:///srv/git/fabric.git", "file:///srv/git/fabric.git", Remote::Other),
        ];
        for (given, stored, kind) in cases {
            assert_eq!(normalize_url(given).unwrap(), (stored.to_owned(), kind), "{given}");
        }
        let (path, kind) = normalize_url("/srv/git/fabric.git").unwrap();
        assert_eq!((path.as_str(), kind), ("/srv/git/fabric.git", Remote::Other));
    }

    #[test]
    fn a_token_goes_only_over_https_or_to_this_machine() {
        let check = |url: &str| normalize_url(url).and_then(|(url, remote)| check_auth(&url, remote, AuthMethod::Token, true, true, false));
        assert!(check("HTTPS://github.com/acme/fabric.git").is_ok());
        assert!(check("HTTP://localhost:8080/acme/fabric.git").is_ok());
        let plain = check("http://192.0.2.2:18094?@localhost/x.git").unwrap_err();
        assert!(plain.to_string().contains("plain HTTP"), "{plain}");
        assert!(check("git@github.com:acme/fabric.git").is_err() && check("/srv/git/x.git").is_err());
    }
}
