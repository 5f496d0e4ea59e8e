//! hhsync desktop: the Tauri shell. It owns the window, turns engine progress into events for
//! the web view, and exposes the engine through thin commands (see commands.rs and
//! docs/desktop-api.md). Everything else lives in hhsync-engine.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod cluster;
mod commands;
mod error;
mod history;
mod proposals;
mod rendering;
mod settings;
mod topology;
mod watcher;

use std::sync::Arc;

/// The command line's allocator (see the engine's Cargo.toml for why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use hhsync_engine::Engine;
use tauri::{Emitter, Manager};

/// What every command reaches: the engine over the shared data directory.
pub struct AppState {
    pub engine: Engine,
}

fn main() {
    // SAFETY: no other thread has started yet (it may set WebKit's environment).
    let painting = unsafe { rendering::choose() };
    // HHSYNC_LOG, with the HTTP libraries' byte dumps (tokens) kept out: shared with the CLI.
    hhsync_engine::logging::init();
    tracing::info!(?painting, "web view painting");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                rendering::apply(painting, &window);
            }
            let data_dir = Engine::default_data_dir()?;
            let handle = app.handle().clone();
            let sink: hhsync_engine::engine::ProgressSink = Arc::new(move |event| {
                let _ = handle.emit("progress", event);
            });
            let engine = Engine::open(&data_dir)?.with_progress(sink);
            watcher::start(engine.clone(), app.handle().clone());
            app.manage(AppState { engine });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_repositories,
            settings::add_repository,
            settings::repository_settings,
            settings::update_repository,
            settings::remove_token,
            settings::check_repository,
            settings::pick_ssh_key,
            settings::preferences,
            settings::set_preference,
            commands::remove_repository,
            commands::list_fabrics,
            commands::add_fabric,
            commands::init_fabric,
            commands::remove_fabric,
            commands::fabric_overview,
            commands::list_resources,
            commands::get_resource,
            commands::check_text,
            commands::save_draft,
            commands::delete_resource,
            commands::discard_draft,
            commands::draft_diffs,
            commands::kind_templates,
            commands::fabric_tree,
            commands::file_content,
            commands::ingest_preview,
            commands::ingest,
            commands::pull,
            commands::push,
            commands::conflicts,
            commands::resolve_conflict,
            commands::resolve_conflicts,
            commands::operation_log,
            commands::cancel_operation,
            commands::fabric_settings,
            commands::set_auto_pull,
            history::operation_diff,
            history::revert_operation,
            proposals::propose,
            proposals::proposals,
            proposals::refresh_proposals,
            proposals::abandon_proposal,
            proposals::open_url,
            cluster::cluster_link,
            cluster::set_cluster,
            cluster::cluster_has_token,
            cluster::unset_cluster,
            cluster::drift,
            cluster::live_view,
            cluster::adopt,
            cluster::pick_kubeconfig,
            topology::topology,
            topology::vpc_highlight,
            topology::export_diagram,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: hhsync could not start: {e}");
        std::process::exit(1);
    }
}
