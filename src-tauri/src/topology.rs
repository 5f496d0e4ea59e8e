//! The fabric's picture in the app (issue J): its topology for the view to lay out, a VPC's
//! highlight, and exporting a diagram to a file the user picks (dot, Mermaid and draw.io from the
//! engine; SVG from the view's renderer, diagramSvg.ts, which the CLI runs as well).

use hhsync_engine::topology::{DiagramFormat, Highlight, Topology};
use hhsync_engine::Error;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::{run, Reply};
use crate::error::BackendError;
use crate::AppState;

#[tauri::command]
pub async fn topology(state: State<'_, AppState>, fabric: String) -> Reply<Topology> {
    run(&state, move |e| e.topology(&fabric)).await
}

#[tauri::command]
pub async fn vpc_highlight(state: State<'_, AppState>, fabric: String, vpc: String) -> Reply<Highlight> {
    run(&state, move |e| e.vpc_highlight(&fabric, &vpc)).await
}

/// Asks where to save the fabric's diagram (the system's save dialog, `<fabric>.<extension>`),
/// then writes it: `svg` is the markup the view sends (diagramSvg.ts's picture), the other formats
/// come from the engine. Returns the path written, or null when cancelled.
#[tauri::command]
pub async fn export_diagram(app: AppHandle, state: State<'_, AppState>, fabric: String, format: String, svg: Option<String>) -> Reply<Option<String>> {
    let format = DiagramFormat::from_name(&format).ok_or_else(|| BackendError::from(Error::InvalidInput(format!("unknown diagram format {format:?}"))))?;
    let text = match format {
        DiagramFormat::Svg => {
            svg.filter(|s| s.trim_start().starts_with("<svg")).ok_or_else(|| BackendError::from(Error::InvalidInput("no SVG picture to save".to_owned())))?
        }
        _ => {
            let at = fabric.clone();
            run(&state, move |e| e.diagram(&at, format)).await?
        }
    };
    let name = format!("{fabric}.{}", format.extension());
    let picked = tauri::async_runtime::spawn_blocking(move || app.dialog().file().set_title("Export diagram").set_file_name(name).blocking_save_file())
        .await
        .map_err(BackendError::internal)?;
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, text).map_err(|e| BackendError::from(Error::io(&path, e)))?;
    Ok(Some(path.to_string_lossy().into_owned()))
}
