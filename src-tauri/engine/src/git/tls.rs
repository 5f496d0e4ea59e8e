//! The command line's deferred CA bundle. libgit2 starts OpenSSL when git2 is first used, and
//! OpenSSL then reads the system's whole CA bundle: 40 of the 56 ms of a `hhsync pull` that
//! finds nothing new, on every command that opens a clone, though only a network remote needs
//! it. [`defer_ca_certificates`] lets libgit2 start with an empty bundle and puts the
//! environment back as it was; [`ensure_ca_certificates`] loads the bundle (the one OpenSSL
//! would have read, `SSL_CERT_FILE` included) before the first operation on a remote that is
//! not a path on this machine (an ssh or http URL can still end at https: a `url.*.insteadOf`
//! rewrite, a redirect). The app starts once and keeps OpenSSL's own start (it never calls the
//! first).
//!
//! Linux only: there git2 uses OpenSSL; macOS and Windows use their own TLS and trust stores.

use std::path::PathBuf;
use std::sync::OnceLock;

/// Set when [`defer_ca_certificates`] deferred the bundle's loading.
static DEFERRED: OnceLock<()> = OnceLock::new();

/// Starts libgit2 without reading the CA bundle (see the module doc).
///
/// # Safety
/// Changes this process's environment: call it first thing in `main`, before any other thread
/// exists.
pub unsafe fn defer_ca_certificates() {
    #[cfg(target_os = "linux")]
    {
        let before = std::env::var_os("SSL_CERT_FILE");
        std::env::set_var("SSL_CERT_FILE", "/dev/null");
        // Any call starts libgit2, and OpenSSL with it.
        let _ = git2::Oid::from_str("0");
        match before {
            Some(value) => std::env::set_var("SSL_CERT_FILE", value),
            None => std::env::remove_var("SSL_CERT_FILE"),
        }
        let _ = DEFERRED.set(());
    }
}

/// Loads the deferred CA bundle, once, if [`defer_ca_certificates`] deferred one.
pub(super) fn ensure_ca_certificates() {
    static LOADED: OnceLock<()> = OnceLock::new();
    if DEFERRED.get().is_none() {
        return;
    }
    LOADED.get_or_init(|| {
        // The environment is as it was before the deferral: the probe finds what OpenSSL would
        // have read (`SSL_CERT_FILE` first), here rather than at every command's start.
        let Some(bundle) = probed_bundle() else { return };
        // SAFETY: sets libgit2's global TLS option; done once, before the connection it is for.
        if let Err(e) = unsafe { git2::opts::set_ssl_cert_file(&bundle) } {
            tracing::warn!(bundle = %bundle.display(), error = %e.message(), "could not load the CA certificates");
        }
    });
}

/// The system's CA bundle, as git2 finds it.
fn probed_bundle() -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    return openssl_probe::probe().cert_file;
    #[cfg(not(target_os = "linux"))]
    None
}
