//! Crash and race injection for tests. `HHSYNC_CRASH_AT=<point>` makes the process kill itself
//! with SIGKILL when it reaches that point, so tests can show that no draft is lost and nothing
//! is pushed twice whatever moment a crash hits. `HHSYNC_PAUSE_AT=<point>=<file>` makes it
//! create `<file>.reached` there and wait (up to a minute) until `<file>` exists, so a test can
//! act at exactly that moment (push a colleague's commit, start a second process). Without
//! the variables this does nothing.
//!
//! Only builds with the `crash-points` feature read the variables. The engine's tests turn it
//! on (a dev-dependency of the engine on itself), so `cargo test` builds an `hhsync` that
//! obeys them; a release build (`cargo build --release`, the desktop app) has no such feature:
//! there [`point`] is an empty inline function, and neither variable name is in the binary, so
//! no environment can make a user's hhsync kill itself or stall mid-push.

/// Dies here (SIGKILL) if the environment asks for it; without the `crash-points` feature,
/// nothing at all.
#[cfg_attr(not(feature = "crash-points"), inline(always))]
pub fn point(name: &str) {
    #[cfg(feature = "crash-points")]
    injected::point(name);
    #[cfg(not(feature = "crash-points"))]
    let _ = name;
}

#[cfg(feature = "crash-points")]
mod injected {
    static REACHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    pub(super) fn point(name: &str) {
        pause(name);
        let Ok(wanted) = std::env::var("HHSYNC_CRASH_AT") else { return };
        // `point#N` crashes the N-th time the point is reached.
        let (wanted, nth) = match wanted.split_once('#') {
            Some((p, n)) => (p.to_owned(), n.parse::<usize>().unwrap_or(1)),
            None => (wanted, 1),
        };
        if wanted == name && REACHED.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == nth {
            tracing::warn!(point = name, "crash injected");
            #[cfg(unix)]
            // SAFETY: kill(2) on our own pid with a valid signal number has no memory effects.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            std::process::abort();
        }
    }

    fn pause(name: &str) {
        let Ok(spec) = std::env::var("HHSYNC_PAUSE_AT") else { return };
        let Some((point, file)) = spec.split_once('=') else { return };
        if point != name {
            return;
        }
        let go = std::path::PathBuf::from(file);
        let _ = std::fs::write(go.with_extension("reached"), name);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !go.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
