//! The fabric's cluster in the app (issue I): linking it through a kubeconfig (typed, or picked
//! in the system's file dialog), reading it, the drift, one resource side by side with what
//! runs, and adopting what only the cluster has. Read-only towards the cluster.

use hhsync_engine::cluster::{ClusterLink, DriftReport};
use hhsync_engine::engine::{DraftReport, LiveView};
use hhsync_engine::hedgehog::ResourceId;
use hhsync_engine::secrets::Secret;
use tauri::{AppHandle, State};

use crate::commands::{changed, run, ChangeReason, Reply};
use crate::AppState;

/// The fabric's cluster link; null when it has none.
#[tauri::command]
pub async fn cluster_link(state: State<'_, AppState>, fabric: String) -> Reply<Option<ClusterLink>> {
    run(&state, move |e| e.cluster(&fabric)).await
}

/// Links the fabric to a cluster (an empty context or namespace means the kubeconfig's current
/// context, and `default`). The kubeconfig is checked; the cluster is not read yet. A `token`
/// goes to the OS keychain and is used instead of the kubeconfig user's credentials; it is never
/// sent back ([`cluster_has_token`] says whether one is kept).
#[tauri::command]
pub async fn set_cluster(
    state: State<'_, AppState>,
    fabric: String,
    kubeconfig: String,
    context: Option<String>,
    namespace: Option<String>,
    token: Option<String>,
) -> Reply<ClusterLink> {
    let blank_is_none = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let link = ClusterLink { kubeconfig: kubeconfig.trim().to_owned(), context: blank_is_none(context), namespace: blank_is_none(namespace) };
    run(&state, move |e| {
        let token = blank_is_none(token).map(Secret::new).transpose()?;
        e.set_cluster(&fabric, link, token.as_ref())
    })
    .await
}

/// Whether hhsync keeps a bearer token for the fabric's cluster (never the token itself).
#[tauri::command]
pub async fn cluster_has_token(state: State<'_, AppState>, fabric: String) -> Reply<bool> {
    run(&state, move |e| e.cluster_has_token(&fabric)).await
}

#[tauri::command]
pub async fn unset_cluster(app: AppHandle, state: State<'_, AppState>, fabric: String) -> Reply<bool> {
    let at = fabric.clone();
    let had = run(&state, move |e| e.unset_cluster(&fabric)).await?;
    changed(&app, &at, ChangeReason::Live);
    Ok(had)
}

/// The drift: from a new read of the cluster when `refresh`, else from the last snapshot.
#[tauri::command]
pub async fn drift(app: AppHandle, state: State<'_, AppState>, fabric: String, refresh: bool) -> Reply<DriftReport> {
    let at = fabric.clone();
    let report = run(&state, move |e| e.drift(&fabric, None, refresh)).await?;
    if refresh {
        changed(&app, &at, ChangeReason::Live);
    }
    Ok(report)
}

#[tauri::command]
pub async fn live_view(state: State<'_, AppState>, fabric: String, kind: String, name: String) -> Reply<LiveView> {
    run(&state, move |e| e.live_view(&fabric, &ResourceId::from_parts(&kind, &name)?)).await
}

/// Adopts resources only on the cluster (`KIND/NAME` each; none: all of them) as drafts.
#[tauri::command]
pub async fn adopt(app: AppHandle, state: State<'_, AppState>, fabric: String, resources: Vec<String>) -> Reply<Vec<DraftReport>> {
    let at = fabric.clone();
    let reports = run(&state, move |e| {
        let ids: Vec<ResourceId> = resources.iter().map(|r| r.parse()).collect::<hhsync_engine::Result<_>>()?;
        e.adopt(&fabric, (!ids.is_empty()).then_some(ids.as_slice()))
    })
    .await?;
    changed(&app, &at, ChangeReason::Draft);
    Ok(reports)
}

/// The system's file dialog for a kubeconfig, opened in ~/.kube; null when cancelled.
#[tauri::command]
pub async fn pick_kubeconfig(app: AppHandle) -> Reply<Option<String>> {
    crate::settings::pick_file(app, "Kubeconfig", ".kube").await
}
