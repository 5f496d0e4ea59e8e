//! The History commands: what an operation changed, and reverting it.

use hhsync_engine::engine::{OperationDiff, RevertReport};
use hhsync_engine::Trigger;
use tauri::{AppHandle, State};

use crate::commands::{changed, run, ChangeReason, Reply};
use crate::AppState;

#[tauri::command]
pub async fn operation_diff(state: State<'_, AppState>, fabric: String, operation: i64) -> Reply<OperationDiff> {
    run(&state, move |e| e.operation_diff(&fabric, operation)).await
}

/// Undoes what a push or ingest changed, as a new commit pushed to the fabric's branch.
#[tauri::command]
pub async fn revert_operation(app: AppHandle, state: State<'_, AppState>, fabric: String, operation: i64) -> Reply<RevertReport> {
    let f = fabric.clone();
    let report = run(&state, move |e| e.revert(&f, operation, Trigger::User)).await?;
    changed(&app, &fabric, ChangeReason::Revert);
    Ok(report)
}
