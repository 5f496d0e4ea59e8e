//! Watching in the background while the app is open: every `watch.interval` seconds (read
//! every second, so a change in Settings applies at once) each fabric's remote is
//! checked with [`Engine::check_remote`]: an ls-remote, and a fetch when it moved, with no
//! fabric lock, so nothing waits for it. A new remote commit becomes one `remote-news` event,
//! or, for a fabric set to pull by itself and holding no drafts, a pull. A change of
//! connectivity (offline, reachable again) becomes one `fabric-changed` event with reason
//! `poll`, so the badge follows; failures are never reported one by one. A fabric linked to a
//! cluster gets a new snapshot of it each round (`fabric-changed` with reason `live`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hhsync_engine::{Code, Engine, Trigger};
use tauri::{AppHandle, Emitter};

use crate::commands::{ChangeReason, FabricChanged};

/// What the watcher last told the window about a fabric.
#[derive(Default)]
struct Seen {
    /// The remote commit last announced (or pulled).
    announced: Option<String>,
    offline: bool,
}

/// Starts the watcher thread; it ends with the app.
pub fn start(engine: Engine, app: AppHandle) {
    std::thread::Builder::new()
        .name("hhsync-watch".to_owned())
        .spawn(move || {
            let mut seen: HashMap<String, Seen> = HashMap::new();
            // A first look soon after start, then at the interval, read every second so a
            // shorter one set in Settings applies at once.
            let started = Instant::now();
            let mut last: Option<Instant> = None;
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let interval = engine.preferences().map(|p| p.watch_interval).unwrap_or(hhsync_engine::engine::DEFAULT_WATCH_INTERVAL);
                let due = match last {
                    None => started.elapsed() >= Duration::from_secs(3),
                    Some(t) => t.elapsed() >= Duration::from_secs(interval),
                };
                if due {
                    round(&engine, &app, &mut seen);
                    last = Some(Instant::now());
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| tracing::warn!(error = %e, "could not start the background watcher"));
}

fn emit_changed(app: &AppHandle, fabric: &str, reason: ChangeReason) {
    let _ = app.emit("fabric-changed", FabricChanged::new(fabric, reason));
}

fn round(engine: &Engine, app: &AppHandle, seen: &mut HashMap<String, Seen>) {
    let Ok(fabrics) = engine.fabrics() else { return };
    for fabric in fabrics {
        // The cluster, when one is linked: a new snapshot (kept), so Live shows what runs now.
        if engine.cluster(&fabric.name).is_ok_and(|l| l.is_some()) {
            match engine.drift(&fabric.name, None, true) {
                Ok(_) => emit_changed(app, &fabric.name, ChangeReason::Live),
                Err(e) => tracing::debug!(fabric = %fabric.name, error = %e, "cluster not read"),
            }
        }
        let state = seen.entry(fabric.name.clone()).or_default();
        match engine.check_remote(&fabric.name) {
            Ok(news) => {
                if state.offline {
                    state.offline = false;
                    emit_changed(app, &fabric.name, ChangeReason::Poll);
                }
                if !news.behind || news.remote_commit == state.announced {
                    continue;
                }
                state.announced = news.remote_commit.clone();
                if auto_pull(engine, &fabric.name) {
                    match engine.pull(&fabric.name, Trigger::Poll) {
                        Ok(_) => emit_changed(app, &fabric.name, ChangeReason::Pull),
                        Err(e) => tracing::info!(fabric = %fabric.name, error = %e, "automatic pull did not run; announcing instead"),
                    }
                    if engine.check_remote(&fabric.name).is_ok_and(|n| !n.behind) {
                        continue;
                    }
                }
                let _ = app.emit("remote-news", &news);
                emit_changed(app, &fabric.name, ChangeReason::Poll);
            }
            Err(e) => {
                let offline = matches!(e.code(), Code::RemoteUnreachable | Code::Tls);
                if offline != state.offline {
                    state.offline = offline;
                    emit_changed(app, &fabric.name, ChangeReason::Poll);
                }
                tracing::debug!(fabric = %fabric.name, error = %e, "background check failed");
            }
        }
    }
}

/// The fabric pulls by itself and has no drafts (a pull never touches drafts, but a person
/// with drafts decides when to take others' changes in).
fn auto_pull(engine: &Engine, fabric: &str) -> bool {
    if !engine.fabric_settings(fabric).is_ok_and(|s| s.auto_pull) {
        return false;
    }
    engine.status(fabric).is_ok_and(|s| {
        let c = &s.counts;
        c.modified + c.new + c.deleted + c.conflict == 0
    })
}
