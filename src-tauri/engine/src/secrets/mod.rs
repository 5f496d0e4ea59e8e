//! Secrets in the OS keychain, and nowhere else: Secret Service on Linux (gnome-keyring,
//! KeePassXC...), the Keychain on macOS, the Credential Manager on Windows, through `keyring`.
//!
//! One entry per credential, under service `hhsync` and an account naming what it is for
//! (`repo-token/ID`, `webhook-secret/ID`, `cluster-token/ID`, where ID is a random id kept in the database; the
//! value itself never is). There is no fallback: when no keychain is available or it is locked
//! the caller gets [`Error::KeychainUnavailable`] or [`Error::KeychainLocked`], never a silent
//! plain-text file. Each call runs under a time limit, so a keychain waiting on an unlock
//! prompt nobody sees cannot hang hhsync.

mod secret;

use std::sync::mpsc;
use std::time::Duration;

pub use secret::Secret;

use crate::error::{Error, Result};

const SERVICE: &str = "hhsync";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// What a keychain entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A repository's access token (HTTPS password; GitHub API token).
    RepoToken,
    /// A repository's webhook secret (HMAC key of `X-Hub-Signature-256`).
    WebhookSecret,
    /// A bearer token for a fabric's cluster, given to hhsync rather than kept in the kubeconfig.
    ClusterToken,
}

impl SecretKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::RepoToken => "repo-token",
            Self::WebhookSecret => "webhook-secret",
            Self::ClusterToken => "cluster-token",
        }
    }
}

/// The system keychain.
#[derive(Debug, Clone)]
pub struct Keychain {
    timeout: Duration,
}

impl Default for Keychain {
    fn default() -> Self {
        Self::system()
    }
}

fn account(kind: SecretKind, id: &str) -> String {
    format!("{}/{id}", kind.prefix())
}

/// Maps keyring's errors to the engine's. The platform's text is kept (it says which keychain
/// and why); it never holds a secret value.
fn map_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::NoStorageAccess(_) => Error::KeychainLocked,
        // gnome-keyring answers a write to a locked collection (when no unlock prompt can be
        // shown) with org.freedesktop.Secret.Error.IsLocked, which keyring passes on as a
        // platform failure; its text is the only thing that tells it apart.
        keyring::Error::PlatformFailure(inner) if inner.to_string().to_ascii_lowercase().contains("locked") => Error::KeychainLocked,
        keyring::Error::PlatformFailure(inner) => Error::KeychainUnavailable { message: inner.to_string() },
        keyring::Error::BadEncoding(_) => Error::KeychainUnavailable { message: "the stored entry is not text".to_owned() },
        keyring::Error::TooLong(what, max) => Error::InvalidInput(format!("keychain {what} is longer than {max}")),
        keyring::Error::Invalid(what, why) => Error::InvalidInput(format!("keychain {what}: {why}")),
        keyring::Error::Ambiguous(found) => Error::KeychainUnavailable {
            message: format!("{} keychain entries match one hhsync credential; remove the duplicates", found.len()),
        },
        other => Error::KeychainUnavailable { message: other.to_string() },
    }
}

impl Keychain {
    /// The platform keychain, with the call time limit from `HHSYNC_KEYCHAIN_TIMEOUT_SECS`
    /// (default 20 s).
    pub fn system() -> Self {
        let timeout = std::env::var("HHSYNC_KEYCHAIN_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_TIMEOUT);
        Self { timeout }
    }

    /// Runs `op` on its own thread and waits at most the time limit: a keychain that waits on
    /// an unlock prompt nobody can see is reported as locked instead of hanging.
    fn guarded<T: Send + 'static>(&self, what: &'static str, op: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name(format!("keychain-{what}"))
            .spawn(move || {
                let _ = tx.send(op());
            })
            .map_err(|e| Error::KeychainUnavailable { message: format!("cannot start a thread: {e}") })?;
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!(operation = what, seconds = self.timeout.as_secs(), "the keychain did not answer in time");
                Err(Error::KeychainLocked)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(Error::KeychainUnavailable { message: "the keychain call ended without an answer".to_owned() })
            }
        }
    }

    /// Stores (or replaces) the secret of `kind` for credential `id`.
    pub fn store(&self, kind: SecretKind, id: &str, secret: &Secret) -> Result<()> {
        let account = account(kind, id);
        let secret = secret.clone();
        self.guarded("store", move || {
            let entry = keyring::Entry::new(SERVICE, &account).map_err(map_error)?;
            entry.set_password(secret.expose()).map_err(map_error)?;
            // Read it back: a keychain that accepts writes and keeps nothing must not pass
            // for one that works.
            match entry.get_password() {
                Ok(mut back) => {
                    let same = back == secret.expose();
                    zeroize::Zeroize::zeroize(&mut back);
                    if same {
                        tracing::debug!(account = %account, "stored a secret in the keychain");
                        Ok(())
                    } else {
                        Err(Error::KeychainUnavailable { message: "the keychain did not keep the stored value".to_owned() })
                    }
                }
                Err(keyring::Error::NoEntry) => {
                    Err(Error::KeychainUnavailable { message: "the keychain did not keep the stored value".to_owned() })
                }
                Err(e) => Err(map_error(e)),
            }
        })
    }

    /// The secret of `kind` for credential `id`, or `None` when there is none.
    pub fn get(&self, kind: SecretKind, id: &str) -> Result<Option<Secret>> {
        let account = account(kind, id);
        self.guarded("get", move || {
            let entry = keyring::Entry::new(SERVICE, &account).map_err(map_error)?;
            match entry.get_password() {
                Ok(text) => Secret::new(text).map(Some).map_err(|_| Error::KeychainUnavailable {
                    message: format!("the keychain entry {account} does not hold a usable secret"),
                }),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(map_error(e)),
            }
        })
    }

    /// Removes the secret; true when there was one.
    pub fn delete(&self, kind: SecretKind, id: &str) -> Result<bool> {
        let account = account(kind, id);
        self.guarded("delete", move || {
            let entry = keyring::Entry::new(SERVICE, &account).map_err(map_error)?;
            match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring::Error::NoEntry) => Ok(false),
                Err(e) => Err(map_error(e)),
            }
        })
    }

    /// Checks that the keychain works: stores, reads back and removes a throw-away entry.
    pub fn probe(&self) -> Result<()> {
        let id = new_credential_id()?;
        let value = Secret::generate()?;
        self.store(SecretKind::WebhookSecret, &format!("probe-{id}"), &value)?;
        self.delete(SecretKind::WebhookSecret, &format!("probe-{id}"))?;
        Ok(())
    }
}

/// A new random id naming a credential's keychain entries (kept in the database; not secret).
pub fn new_credential_id() -> Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| Error::InvalidInput(format!("no randomness available: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
