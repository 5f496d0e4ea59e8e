//! The commands of the Settings page: repositories with their credentials, and preferences.
//! A token travels one way only, from the web view into the keychain: no command returns one,
//! or any part of one (the repository list says how a repository authenticates, not with what).

use hhsync_engine::engine::{CheckStep, Preferences, RepoCheck, RepoOptions, RepoUpdate};
use hhsync_engine::git::AuthMethod;
use hhsync_engine::secrets::Secret;
use hhsync_engine::store::{RepoAuthRow, RepoRow};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::{run, Reply};
use crate::error::BackendError;
use crate::AppState;

/// The token as the web view typed it, straight into the type that never prints it.
fn secret(token: Option<String>) -> hhsync_engine::Result<Option<Secret>> {
    token.filter(|t| !t.trim().is_empty()).map(Secret::new).transpose()
}

/// Every repository with how it authenticates.
#[tauri::command]
pub async fn repository_settings(state: State<'_, AppState>) -> Reply<Vec<RepoAuthRow>> {
    run(&state, |e| e.repos_with_auth()).await
}

/// Adds a repository and fetches its branch; the token (with `auth: token`) goes to the
/// keychain. Without `auth`: no credentials.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn add_repository(
    state: State<'_, AppState>,
    name: String,
    url: String,
    branch: String,
    auth: Option<AuthMethod>,
    token: Option<String>,
    ssh_key: Option<String>,
    api_url: Option<String>,
) -> Reply<RepoRow> {
    run(&state, move |e| {
        let options = RepoOptions {
            branch,
            auth: auth.unwrap_or(AuthMethod::None),
            token: secret(token)?,
            api_url,
            ssh_key: ssh_key.filter(|k| !k.trim().is_empty()).map(Into::into),
        };
        e.add_repo_with(&name, &url, options)
    })
    .await
}

/// Changes how a repository authenticates, in place. `token` replaces the stored one; without
/// it a stored token is kept.
#[tauri::command]
pub async fn update_repository(
    state: State<'_, AppState>,
    name: String,
    auth: AuthMethod,
    token: Option<String>,
    ssh_key: Option<String>,
    api_url: Option<String>,
) -> Reply<RepoAuthRow> {
    run(&state, move |e| {
        let update = RepoUpdate { auth, token: secret(token)?, api_url, ssh_key: ssh_key.filter(|k| !k.trim().is_empty()).map(Into::into) };
        e.update_repo(&name, update)
    })
    .await
}

/// Removes the repository's token from the keychain and stops using one (the repository keeps
/// its API URL); true when a token was stored. Unlike `hhsync repo logout`, which keeps token
/// authentication so the next fetch asks for a new one, the app then lists the repository as
/// it now is: without credentials, until the person adds a token again.
#[tauri::command]
pub async fn remove_token(state: State<'_, AppState>, name: String) -> Reply<bool> {
    run(&state, move |e| {
        let row = e.repo_auth(&name)?;
        let had = e.logout(&name)?;
        if row.auth == AuthMethod::Token {
            e.update_repo(&name, RepoUpdate { auth: AuthMethod::None, token: None, api_url: row.api_url, ssh_key: None })?;
        }
        Ok(had)
    })
    .await
}

/// Checks a repository's connection, emitting a `repo-check` event as each step finishes.
#[tauri::command]
pub async fn check_repository(app: AppHandle, state: State<'_, AppState>, name: String) -> Reply<RepoCheck> {
    run(&state, move |e| {
        e.check_repo_reporting(&name, &mut |step: CheckStep| {
            let _ = app.emit("repo-check", step);
        })
    })
    .await
}

/// The system's file dialog for an SSH private key, opened in ~/.ssh; `None` when cancelled.
/// The path goes back into the form; nothing is read from the file here.
#[tauri::command]
pub async fn pick_ssh_key(app: AppHandle) -> Reply<Option<String>> {
    pick_file(app, "SSH private key", ".ssh").await
}

/// The system's file dialog titled `title`, opened in `~/<home_dir>` when it exists; the picked
/// path, or `None` when cancelled.
pub(crate) async fn pick_file(app: AppHandle, title: &'static str, home_dir: &'static str) -> Reply<Option<String>> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app.dialog().file().set_title(title);
        if let Some(dir) = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(home_dir)).filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        dialog.blocking_pick_file()
    })
    .await
    .map_err(BackendError::internal)?;
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.to_string_lossy().into_owned()))
}

#[tauri::command]
pub async fn preferences(state: State<'_, AppState>) -> Reply<Preferences> {
    run(&state, |e| e.preferences()).await
}

/// Sets one setting (`author.name`, `author.email`, `watch.interval`, `ui.theme`); no value
/// resets it to its default. Returns every preference after the change.
#[tauri::command]
pub async fn set_preference(state: State<'_, AppState>, key: String, value: Option<String>) -> Reply<Preferences> {
    run(&state, move |e| {
        e.set_setting(&key, value.as_deref())?;
        e.preferences()
    })
    .await
}
