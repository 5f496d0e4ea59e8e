//! The commands that propose a change instead of pushing it to the fabric's branch: push to a
//! new branch and open a pull request, list and refresh proposals, abandon one, and open a pull
//! request's page in the system browser (http(s) links only, through Tauri's opener plugin).

use hhsync_engine::engine::{ProposalView, PullRequestReport, PushReport, PushRequest};
use hhsync_engine::store::ProposalRow;
use hhsync_engine::Trigger;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::{changed, run, ChangeReason, Reply};
use crate::error::BackendError;
use crate::AppState;

/// A proposal pushed, and its pull request or why there is none: the push can land while
/// opening the pull request fails (no GitHub API for the host, rate limit), and the person
/// must see both.
#[derive(serde::Serialize, ts_rs::TS)]
pub struct ProposeResult {
    push: PushReport,
    pull_request: Option<PullRequestReport>,
    pull_request_error: Option<BackendError>,
}

/// Pushes the drafts (or `only` those, "Kind/name") to `branch` (none or empty: a name the
/// engine picks) and opens a pull request into the fabric's branch.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    app: AppHandle,
    state: State<'_, AppState>,
    fabric: String,
    branch: Option<String>,
    message: Option<String>,
    only: Option<Vec<String>>,
    title: Option<String>,
    body: Option<String>,
) -> Reply<ProposeResult> {
    let f = fabric.clone();
    let result = run(&state, move |e| {
        let only = only.unwrap_or_default().iter().map(|o| o.parse()).collect::<hhsync_engine::Result<_>>()?;
        let request = PushRequest { message, branch: Some(branch.unwrap_or_default()), only, allow_invalid: false };
        let push = e.push(&f, &request, Trigger::User)?;
        if push.commit.is_none() || push.proposal_id.is_none() {
            return Ok(ProposeResult { push, pull_request: None, pull_request_error: None });
        }
        let title = title.filter(|t| !t.trim().is_empty());
        let body = body.filter(|b| !b.trim().is_empty());
        Ok(match e.open_pull_request(&f, &push.branch, title.as_deref(), body.as_deref(), Trigger::User) {
            Ok(pr) => ProposeResult { push, pull_request: Some(pr), pull_request_error: None },
            Err(err) => ProposeResult { push, pull_request: None, pull_request_error: Some(BackendError::from(err)) },
        })
    })
    .await?;
    changed(&app, &fabric, ChangeReason::Push);
    Ok(result)
}

#[tauri::command]
pub async fn proposals(state: State<'_, AppState>, fabric: String) -> Reply<Vec<ProposalView>> {
    run(&state, move |e| e.proposal_views(&fabric)).await
}

/// Asks GitHub for each pull request's state: a merged one is pulled, a closed one abandons
/// its proposal.
#[tauri::command]
pub async fn refresh_proposals(app: AppHandle, state: State<'_, AppState>, fabric: String) -> Reply<Vec<ProposalView>> {
    let f = fabric.clone();
    let views = run(&state, move |e| e.refresh_pull_requests(&f, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Pull);
    Ok(views)
}

#[tauri::command]
pub async fn abandon_proposal(app: AppHandle, state: State<'_, AppState>, fabric: String, branch: String) -> Reply<ProposalRow> {
    let f = fabric.clone();
    let row = run(&state, move |e| e.abandon(&f, &branch)).await?;
    changed(&app, &fabric, ChangeReason::Draft);
    Ok(row)
}

/// Opens an http(s) link in the system browser; anything else is refused.
#[tauri::command]
pub async fn open_url(app: AppHandle, url: String) -> Reply<()> {
    let url = hhsync_engine::github::browsable_url(&url)?;
    app.opener().open_url(url, None::<&str>).map_err(BackendError::internal)
}
