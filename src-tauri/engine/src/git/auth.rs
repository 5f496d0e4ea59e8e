//! Authentication and limits for every network operation (fetch, push, ls-remote).
//!
//! How a clone authenticates is kept in its git config under `[hhsync]`: the method, the
//! keychain id of its token, the SSH key file. Never the token: it is read from the keychain
//! only when the remote asks for credentials, handed to libgit2 through a credential callback
//! and dropped (wiped) after the operation. A refused credential is not offered twice (libgit2
//! would otherwise ask again and again), and what happened during the exchange decides the
//! error: wrong token, no credentials, read-only, TLS, unreachable, timed out.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Once;
use std::time::{Duration, Instant};

use super::GitRepo;
use crate::error::{Error, Result};
use crate::secrets::{Keychain, Secret, SecretKind};

/// GitHub's user name for token authentication over HTTPS.
pub const TOKEN_USER: &str = "x-access-token";

/// How a repository authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// No credentials (local paths, public repositories).
    None,
    /// HTTPS with a token from the keychain as the password.
    Token,
    /// SSH with the agent's keys, or a key file.
    Ssh,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Token => "token",
            Self::Ssh => "ssh",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(Self::None),
            "token" => Some(Self::Token),
            "ssh" => Some(Self::Ssh),
            _ => None,
        }
    }
}

/// What a clone needs to authenticate; nothing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSettings {
    /// The repository's name in hhsync, for messages that say what to run.
    pub repository: String,
    pub method: AuthMethod,
    /// Keychain id of the token (method `Token`).
    pub credential_id: Option<String>,
    /// Private key file (method `Ssh`); the agent when absent.
    pub ssh_key: Option<PathBuf>,
}

impl AuthSettings {
    pub fn none(repository: &str) -> Self {
        Self { repository: repository.to_owned(), method: AuthMethod::None, credential_id: None, ssh_key: None }
    }
}

fn env_secs(var: &str, default: u64) -> Duration {
    Duration::from_secs(std::env::var(var).ok().and_then(|s| s.trim().parse().ok()).filter(|s| *s > 0).unwrap_or(default))
}

/// libgit2's socket timeouts (process-wide): connecting, and waiting for the server to answer.
/// `HHSYNC_NET_CONNECT_TIMEOUT_SECS` (default 15) and `HHSYNC_NET_TIMEOUT_SECS` (default 60).
fn set_socket_timeouts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let connect = env_secs("HHSYNC_NET_CONNECT_TIMEOUT_SECS", 15).as_millis() as i32;
        let read = env_secs("HHSYNC_NET_TIMEOUT_SECS", 60).as_millis() as i32;
        // SAFETY: called once, before any network operation of this process starts.
        unsafe {
            if let Err(e) = git2::opts::set_server_connect_timeout_in_milliseconds(connect) {
                tracing::warn!(error = %e.message(), "cannot set the git connect timeout");
            }
            if let Err(e) = git2::opts::set_server_timeout_in_milliseconds(read) {
                tracing::warn!(error = %e.message(), "cannot set the git server timeout");
            }
        }
    });
}

impl GitRepo {
    /// Records how this clone authenticates (in its git config; no secret goes there).
    pub fn set_auth(&self, settings: &AuthSettings) -> Result<()> {
        let mut config = self.repo.config().map_err(|e| Error::git("opening the clone's config", e))?;
        let set = |config: &mut git2::Config, key: &str, value: Option<&str>| -> Result<()> {
            match value {
                Some(v) => config.set_str(key, v).map_err(|e| Error::git(format!("setting {key}"), e)),
                None => match config.remove(key) {
                    Err(e) if e.code() != git2::ErrorCode::NotFound => Err(Error::git(format!("removing {key}"), e)),
                    _ => Ok(()),
                },
            }
        };
        set(&mut config, "hhsync.repository", Some(&settings.repository))?;
        set(&mut config, "hhsync.auth", Some(settings.method.as_str()))?;
        set(&mut config, "hhsync.credential", settings.credential_id.as_deref())?;
        let key = settings.ssh_key.as_ref().map(|p| p.to_string_lossy().into_owned());
        set(&mut config, "hhsync.sshKey", key.as_deref())
    }

    /// How this clone authenticates, as recorded by [`GitRepo::set_auth`] (no credentials when
    /// nothing is recorded).
    pub fn auth(&self) -> AuthSettings {
        let config = self.repo.config().ok().and_then(|mut c| c.snapshot().ok());
        let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok()).filter(|s| !s.is_empty());
        AuthSettings {
            repository: get("hhsync.repository").unwrap_or_else(|| self.name_from_path()),
            method: get("hhsync.auth").and_then(|m| AuthMethod::parse(&m)).unwrap_or(AuthMethod::None),
            credential_id: get("hhsync.credential"),
            ssh_key: get("hhsync.sshKey").map(PathBuf::from),
        }
    }

    /// `clones/NAME.git` → NAME, for messages about clones made before settings were recorded.
    fn name_from_path(&self) -> String {
        let path = self.repo.path().to_string_lossy();
        let path = path.trim_end_matches('/');
        let file = path.rsplit('/').next().unwrap_or(path);
        file.trim_end_matches(".git").to_owned()
    }
}

/// What happened while authenticating, read after the operation to name the failure.
#[derive(Default)]
struct Exchange {
    token_offered: bool,
    ssh_offered: bool,
    refused: bool,
    needed_credentials: bool,
    keychain_error: Option<Error>,
    timed_out: bool,
    /// A host other than the repository's asked for the credentials (a redirect).
    foreign_host: Option<String>,
}

/// One network operation: its credentials, its time limit and what happened.
pub(super) struct NetOp<'r> {
    repo: &'r GitRepo,
    settings: AuthSettings,
    token: RefCell<Option<Secret>>,
    exchange: RefCell<Exchange>,
    deadline: Instant,
    limit: Duration,
}

impl<'r> NetOp<'r> {
    pub(super) fn new(repo: &'r GitRepo) -> Self {
        set_socket_timeouts();
        // Not only for https URLs: a `url.*.insteadOf` rewrite or a redirect can lead there too.
        if repo.local_remote_path().is_none() {
            super::tls::ensure_ca_certificates();
        }
        // The guard over the whole operation: long enough for a very large first clone.
        let limit = env_secs("HHSYNC_NET_DEADLINE_SECS", 1800);
        Self {
            repo,
            settings: repo.auth(),
            token: RefCell::new(None),
            exchange: RefCell::new(Exchange::default()),
            deadline: Instant::now() + limit,
            limit,
        }
    }

    fn expired(&self) -> bool {
        let late = Instant::now() > self.deadline;
        if late {
            self.exchange.borrow_mut().timed_out = true;
        }
        late
    }

    /// The callbacks for fetch, push and connect: credentials, progress (which enforces the
    /// deadline) and certificates (libgit2 checks them; we only pass its verdict on).
    pub(super) fn callbacks(&self) -> git2::RemoteCallbacks<'_> {
        let mut cb = git2::RemoteCallbacks::new();
        cb.credentials(|url, user, allowed| self.credentials(url, user, allowed));
        cb.transfer_progress(|_| !self.expired());
        cb.sideband_progress(|_| !self.expired());
        cb.push_transfer_progress(|_, _, _| {
            self.expired();
        });
        cb.certificate_check(|_, _| Ok(git2::CertificateCheckStatus::CertificatePassthrough));
        cb
    }

    fn credentials(&self, url: &str, user_from_url: Option<&str>, allowed: git2::CredentialType) -> Result<git2::Cred, git2::Error> {
        use git2::CredentialType as T;
        let mut ex = self.exchange.borrow_mut();
        // Credentials go to the repository's own host only, never to where a redirect points.
        let (asked, ours) = (crate::github::url_host(url), crate::github::url_host(&self.repo.url));
        if asked.is_some() && ours.is_some() && asked != ours {
            ex.foreign_host = asked;
            return Err(git2::Error::from_str("credentials asked for by another host"));
        }
        if allowed.contains(T::USERNAME) {
            return git2::Cred::username(user_from_url.unwrap_or("git"));
        }
        match self.settings.method {
            AuthMethod::Token if allowed.contains(T::USER_PASS_PLAINTEXT) => {
                if ex.token_offered {
                    ex.refused = true;
                    return Err(git2::Error::from_str("the remote refused the token"));
                }
                ex.token_offered = true;
                let mut slot = self.token.borrow_mut();
                if slot.is_none() {
                    match self.load_token() {
                        Ok(token) => *slot = Some(token),
                        Err(e) => {
                            ex.keychain_error = Some(e);
                            return Err(git2::Error::from_str("no usable token"));
                        }
                    }
                }
                let token = slot.as_ref().map(Secret::expose).unwrap_or_default();
                git2::Cred::userpass_plaintext(user_from_url.unwrap_or(TOKEN_USER), token)
            }
            AuthMethod::Ssh if allowed.contains(T::SSH_KEY) => {
                if ex.ssh_offered {
                    ex.refused = true;
                    return Err(git2::Error::from_str("the remote refused the SSH key"));
                }
                ex.ssh_offered = true;
                let user = user_from_url.unwrap_or("git");
                match &self.settings.ssh_key {
                    Some(key) => git2::Cred::ssh_key(user, None, key, None),
                    None => git2::Cred::ssh_key_from_agent(user),
                }
            }
            _ => {
                ex.needed_credentials = true;
                Err(git2::Error::from_str("the remote asks for credentials this repository does not have"))
            }
        }
    }

    fn load_token(&self) -> Result<Secret> {
        let missing = || Error::CredentialMissing { repository: self.settings.repository.clone() };
        let id = self.settings.credential_id.as_deref().ok_or_else(missing)?;
        Keychain::system().get(SecretKind::RepoToken, id)?.ok_or_else(missing)
    }

    /// Names a failed operation `what` from what happened during it.
    pub(super) fn error(&self, what: &str, e: git2::Error) -> Error {
        let url = self.repo.url.clone();
        let repository = self.settings.repository.clone();
        let mut ex = self.exchange.borrow_mut();
        if let Some(err) = ex.keychain_error.take() {
            return err;
        }
        if let Some(host) = ex.foreign_host.take() {
            return Error::InvalidInput(format!("{url} redirected to {host}, which asks for credentials; hhsync sends them only to the repository's own host"));
        }
        let message = e.message().to_owned();
        let auth_code = e.code() == git2::ErrorCode::Auth;
        if ex.refused || (auth_code && (ex.token_offered || ex.ssh_offered)) {
            return Error::AuthFailed { url, repository, message: "credentials refused".to_owned(), method: self.settings.method };
        }
        if ex.needed_credentials || auth_code {
            return Error::AuthRequired { url, repository };
        }
        if e.class() == git2::ErrorClass::Http && (message.contains(" 403") || message.contains("403")) {
            return Error::PermissionDenied { url, repository, action: what.to_owned(), message };
        }
        let lower = message.to_ascii_lowercase();
        if e.class() == git2::ErrorClass::Ssh && (lower.contains("denied") || lower.contains("read only") || lower.contains("read-only")) {
            return Error::PermissionDenied { url, repository, action: what.to_owned(), message };
        }
        if e.class() == git2::ErrorClass::Ssh && (e.code() == git2::ErrorCode::Certificate || message.contains("hostkey")) {
            return Error::HostKey { url, message };
        }
        if e.class() == git2::ErrorClass::Ssl || e.code() == git2::ErrorCode::Certificate {
            return Error::Tls { url, message };
        }
        if ex.timed_out {
            return Error::RemoteUnreachable { url, message: format!("{what} took longer than {} s and was stopped", self.limit.as_secs()) };
        }
        if message.contains("timed out") || message.contains("timeout") {
            return Error::RemoteUnreachable { url, message: format!("{what}: the server did not answer in time ({message})") };
        }
        use git2::ErrorClass::*;
        if matches!(e.class(), Net | Ssh | Http) {
            return Error::RemoteUnreachable { url, message };
        }
        // libgit2 files socket failures (refused, no route, unknown host) under Os too.
        let network = ["connect", "refused", "resolve", "host", "network", "socket", "unreachable"];
        if e.class() == Os && e.code() != git2::ErrorCode::Locked && network.iter().any(|w| lower.contains(w)) {
            return Error::RemoteUnreachable { url, message };
        }
        // A local remote (a path) that is not there is unreachable too. Every other local
        // failure (a ref lock held, a broken object database, a full disk) is what it is, not
        // "offline": saying so would send the user to check a network that is fine.
        if e.code() == git2::ErrorCode::NotFound && matches!(e.class(), Repository | Os) {
            return Error::RemoteUnreachable { url, message };
        }
        Error::Git { context: format!("{what} {url}"), message }
    }
}
