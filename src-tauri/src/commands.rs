//! The Tauri commands: each parses its arguments, runs one engine function off the UI thread
//! and maps the error. Names and shapes are the contract in docs/desktop-api.md.

use std::collections::HashMap;

use hhsync_engine::engine::{
    ConflictDetail, DraftDiff, FabricSettings, DraftReport, IngestReport, Overview, PullReport, PushReport, PushRequest, Resolution,
    ResourceDetail, ResourceSummary, TextCheck, TreeEntry,
};
use hhsync_engine::hedgehog::ResourceId;
use hhsync_engine::store::{FabricRow, OperationRow, RepoRow};
use hhsync_engine::sync::diff::HunkSide;
use hhsync_engine::sync::merge::Side;
use hhsync_engine::{Engine, Trigger};
use serde::Deserialize;
use tauri::{AppHandle, Emitter, State};

use crate::error::BackendError;
use crate::AppState;

pub(crate) type Reply<T> = Result<T, BackendError>;

/// Runs engine work on the blocking pool so the window stays responsive.
pub(crate) async fn run<T: Send + 'static>(state: &State<'_, AppState>, work: impl FnOnce(&Engine) -> hhsync_engine::Result<T> + Send + 'static) -> Reply<T> {
    let engine = state.engine.clone();
    tauri::async_runtime::spawn_blocking(move || work(&engine)).await.map_err(BackendError::internal)?.map_err(BackendError::from)
}

/// The `fabric-changed` event: a fabric's resources, drafts or conflicts changed, and why; the
/// web view reloads what it shows of that fabric.
#[derive(Clone, serde::Serialize, ts_rs::TS)]
#[ts(rename = "FabricChangedEvent")]
pub struct FabricChanged {
    fabric: String,
    reason: ChangeReason,
}

impl FabricChanged {
    pub fn new(fabric: &str, reason: ChangeReason) -> Self {
        Self { fabric: fabric.to_owned(), reason }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ChangeReason {
    Pull,
    Ingest,
    Push,
    /// A draft was saved, deleted or discarded: what Git holds did not change.
    Draft,
    Resolve,
    Init,
    Revert,
    /// The background check: the remote moved, or the fabric went offline or came back.
    Poll,
    /// The cluster was read again (or unlinked): what runs may have changed.
    Live,
}

pub(crate) fn changed(app: &AppHandle, fabric: &str, reason: ChangeReason) {
    let _ = app.emit("fabric-changed", FabricChanged::new(fabric, reason));
}

/// The web view sends a resource as its kind and name apart.
fn id(kind: &str, name: &str) -> hhsync_engine::Result<ResourceId> {
    ResourceId::from_parts(kind, name)
}

#[derive(serde::Serialize, ts_rs::TS)]
pub struct AppInfo {
    data_dir: String,
    version: &'static str,
    /// On the first run, with nothing configured: the demo workspace that was opened.
    #[ts(type = "{ created: boolean, fabric: string } | null")]
    demo: Option<serde_json::Value>,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    run(&state, |e| {
        // First run: with nothing configured, open the demo workspace.
        let demo = if e.repos()?.is_empty() {
            let d = e.ensure_demo()?;
            Some(serde_json::json!({ "created": d.created, "fabric": d.fabric }))
        } else {
            None
        };
        Ok(AppInfo { data_dir: e.data_dir().display().to_string(), version: env!("CARGO_PKG_VERSION"), demo })
    })
    .await
}

#[tauri::command]
pub async fn list_repositories(state: State<'_, AppState>) -> Reply<Vec<RepoRow>> {
    run(&state, |e| e.repos()).await
}

#[tauri::command]
pub async fn remove_repository(state: State<'_, AppState>, name: String) -> Reply<()> {
    run(&state, move |e| e.remove_repo(&name)).await
}

#[tauri::command]
pub async fn list_fabrics(state: State<'_, AppState>) -> Reply<Vec<FabricRow>> {
    run(&state, |e| e.fabrics()).await
}

#[tauri::command]
pub async fn add_fabric(state: State<'_, AppState>, name: String, repository: String, directory: String, branch: Option<String>) -> Reply<FabricRow> {
    run(&state, move |e| e.add_fabric(&name, &repository, &directory, branch.as_deref())).await
}

#[tauri::command]
pub async fn init_fabric(app: AppHandle, state: State<'_, AppState>, fabric: String) -> Reply<hhsync_engine::engine::InitReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.init(&f, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Init);
    Ok(report)
}

#[tauri::command]
pub async fn remove_fabric(state: State<'_, AppState>, name: String) -> Reply<()> {
    run(&state, move |e| e.remove_fabric(&name)).await
}

#[tauri::command]
pub async fn fabric_overview(state: State<'_, AppState>, fabric: String) -> Reply<Overview> {
    run(&state, move |e| e.overview(&fabric)).await
}

#[tauri::command]
pub async fn list_resources(state: State<'_, AppState>, fabric: String) -> Reply<Vec<ResourceSummary>> {
    run(&state, move |e| e.resources(&fabric, None, None)).await
}

#[tauri::command]
pub async fn get_resource(state: State<'_, AppState>, fabric: String, kind: String, name: String) -> Reply<ResourceDetail> {
    run(&state, move |e| e.show(&fabric, &id(&kind, &name)?)).await
}

#[tauri::command]
pub async fn check_text(state: State<'_, AppState>, fabric: String, kind: String, name: String, text: String) -> Reply<TextCheck> {
    run(&state, move |e| e.check_text(&fabric, &id(&kind, &name)?, &text)).await
}

#[tauri::command]
pub async fn save_draft(app: AppHandle, state: State<'_, AppState>, fabric: String, kind: String, name: String, text: String) -> Reply<DraftReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.edit(&f, &id(&kind, &name)?, &text, "the editor")).await?;
    changed(&app, &fabric, ChangeReason::Draft);
    Ok(report)
}

#[tauri::command]
pub async fn delete_resource(app: AppHandle, state: State<'_, AppState>, fabric: String, kind: String, name: String) -> Reply<DraftReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.delete(&f, &id(&kind, &name)?)).await?;
    changed(&app, &fabric, ChangeReason::Draft);
    Ok(report)
}

#[derive(serde::Serialize, ts_rs::TS)]
pub struct Discarded {
    kind: String,
    name: String,
}

#[tauri::command]
pub async fn discard_draft(app: AppHandle, state: State<'_, AppState>, fabric: String, kind: Option<String>, name: Option<String>) -> Reply<Vec<Discarded>> {
    let f = fabric.clone();
    let list = run(&state, move |e| {
        let target = kind.zip(name).map(|(k, n)| id(&k, &n)).transpose()?;
        e.discard(&f, target.as_ref())
    })
    .await?;
    changed(&app, &fabric, ChangeReason::Draft);
    Ok(list.into_iter().map(|(kind, name)| Discarded { kind, name }).collect())
}

#[tauri::command]
pub async fn draft_diffs(state: State<'_, AppState>, fabric: String) -> Reply<Vec<DraftDiff>> {
    run(&state, move |e| e.diff(&fabric, None)).await
}

#[tauri::command]
pub async fn kind_templates() -> Reply<std::collections::BTreeMap<String, String>> {
    Ok(hhsync_engine::engine::kind_templates())
}

#[tauri::command]
pub async fn fabric_tree(state: State<'_, AppState>, fabric: String) -> Reply<Vec<TreeEntry>> {
    run(&state, move |e| e.tree(&fabric)).await
}

#[tauri::command]
pub async fn file_content(state: State<'_, AppState>, fabric: String, path: String) -> Reply<String> {
    run(&state, move |e| e.file_content(&fabric, &path)).await
}

#[tauri::command]
pub async fn ingest_preview(state: State<'_, AppState>, fabric: String) -> Reply<IngestReport> {
    run(&state, move |e| e.ingest_preview(&fabric, false)).await
}

#[tauri::command]
pub async fn ingest(app: AppHandle, state: State<'_, AppState>, fabric: String) -> Reply<IngestReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.ingest(&f, false, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Ingest);
    Ok(report)
}

#[tauri::command]
pub async fn pull(app: AppHandle, state: State<'_, AppState>, fabric: String) -> Reply<PullReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.pull(&f, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Pull);
    Ok(report)
}

#[tauri::command]
pub async fn push(
    app: AppHandle,
    state: State<'_, AppState>,
    fabric: String,
    message: Option<String>,
    branch: Option<String>,
    only: Option<Vec<String>>,
) -> Reply<PushReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| {
        let only = only.unwrap_or_default().iter().map(|o| o.parse()).collect::<hhsync_engine::Result<_>>()?;
        e.push(&f, &PushRequest { message, branch, only, allow_invalid: false }, Trigger::User)
    })
    .await?;
    changed(&app, &fabric, ChangeReason::Push);
    Ok(report)
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>, fabric: String) -> Reply<Vec<ConflictDetail>> {
    run(&state, move |e| e.conflicts(&fabric, false)).await
}

/// The resolution as the web view sends it.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(untagged)]
pub enum ResolutionArg {
    Take { take: Side },
    Whole { whole: Side },
    Fields { fields: HashMap<String, Side> },
    Text { text: String },
    Hunks { hunks: HashMap<String, HunkSide>, default: HunkSide },
}

#[tauri::command]
pub async fn resolve_conflict(
    app: AppHandle,
    state: State<'_, AppState>,
    fabric: String,
    kind: String,
    name: String,
    resolution: ResolutionArg,
) -> Reply<DraftReport> {
    let resolution = match resolution {
        ResolutionArg::Take { take: Side::Ours } => Resolution::Ours,
        ResolutionArg::Take { take: Side::Theirs } => Resolution::Theirs,
        ResolutionArg::Whole { whole } => Resolution::Whole(whole),
        ResolutionArg::Fields { fields } => Resolution::Fields(fields.into_iter().collect()),
        ResolutionArg::Text { text } => Resolution::Text { text, source: "the editor".to_owned() },
        ResolutionArg::Hunks { hunks, default } => Resolution::Hunks { choices: hunks, default },
    };
    let f = fabric.clone();
    let report = run(&state, move |e| e.resolve(&f, &id(&kind, &name)?, resolution, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Resolve);
    Ok(report)
}

/// One conflict of a bulk resolution: its resource and the side its conflicting fields take.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct BulkChoice {
    kind: String,
    name: String,
    take: Side,
}

/// Resolves several conflicts as one operation, all or none (see `Engine::resolve_many`).
#[tauri::command]
pub async fn resolve_conflicts(app: AppHandle, state: State<'_, AppState>, fabric: String, choices: Vec<BulkChoice>) -> Reply<Vec<DraftReport>> {
    let f = fabric.clone();
    let reports = run(&state, move |e| {
        let choices = choices
            .iter()
            .map(|c| Ok((id(&c.kind, &c.name)?, if c.take == Side::Ours { Resolution::Ours } else { Resolution::Theirs })))
            .collect::<hhsync_engine::Result<Vec<_>>>()?;
        e.resolve_many(&f, choices, Trigger::User)
    })
    .await?;
    changed(&app, &fabric, ChangeReason::Resolve);
    Ok(reports)
}

#[tauri::command]
pub async fn operation_log(state: State<'_, AppState>, fabric: String) -> Reply<Vec<OperationRow>> {
    run(&state, move |e| e.log(&fabric, 200)).await
}

/// Cancels the operation the web view shows: by its id when a progress event gave one, else
/// the one running on the fabric. Other operations go on. True when one was asked to stop.
#[tauri::command]
pub async fn cancel_operation(state: State<'_, AppState>, fabric: String, operation_id: Option<i64>) -> Reply<bool> {
    Ok(state.engine.cancel_operation(operation_id, Some(&fabric)))
}

#[tauri::command]
pub async fn fabric_settings(state: State<'_, AppState>, fabric: String) -> Reply<FabricSettings> {
    run(&state, move |e| e.fabric_settings(&fabric)).await
}

/// Whether the background check pulls this fabric by itself when it has no drafts.
#[tauri::command]
pub async fn set_auto_pull(state: State<'_, AppState>, fabric: String, enabled: bool) -> Reply<FabricSettings> {
    run(&state, move |e| e.set_auto_pull(&fabric, enabled)).await
}
