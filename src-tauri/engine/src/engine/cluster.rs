//! A fabric's cluster: linking it (a kubeconfig, context and namespace), reading a snapshot,
//! and the drift of every resource and switch (issue I). The cluster is only ever read.

use std::path::Path;

use time::OffsetDateTime;

use super::Engine;
use crate::cluster::normalize::{adoptable, normalize};
use crate::cluster::{drift_of, read_snapshot, ClusterLink, ClusterState, DriftReport, DriftState, ReadError};
use crate::gitops::resource::render_resource;
use crate::hedgehog::ResourceId;
use crate::error::{Error, Result};
use crate::hedgehog::Kind;
use crate::secrets::{new_credential_id, Keychain, Secret, SecretKind};
use crate::store::now;

impl Engine {
    /// Links a fabric to its cluster, replacing any earlier link. The kubeconfig must be
    /// readable and hold the context (its current context when none is given); nothing is
    /// read from the cluster yet. A `token` given here goes to the OS keychain (never to the
    /// database) and is used instead of the kubeconfig user's credentials; without one, a token
    /// stored before is kept when the link stays the same cluster, and removed otherwise.
    pub fn set_cluster(&self, fabric: &str, link: ClusterLink, token: Option<&Secret>) -> Result<ClusterLink> {
        let row = self.fabric_row(fabric)?;
        let path = Path::new(&link.kubeconfig);
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let link = ClusterLink { kubeconfig: path.to_string_lossy().into_owned(), ..link };
        check_kubeconfig(&link)?;
        let conn = self.store.connect()?;
        let mut credential = self.store.cluster_credential(&conn, row.id)?;
        if self.store.cluster_link(&conn, row.id)?.as_ref() != Some(&link) {
            // Another cluster: the last snapshot described the old one, and so did its token.
            if let (Some(id), None) = (&credential, token) {
                Keychain::system().delete(SecretKind::ClusterToken, id)?;
                credential = None;
            }
            self.store.set_cluster_link(&conn, row.id, None)?;
        }
        if let Some(token) = token {
            let id = match credential {
                Some(id) => id,
                None => new_credential_id()?,
            };
            Keychain::system().store(SecretKind::ClusterToken, &id, token)?;
            credential = Some(id);
        }
        self.store.set_cluster_link(&conn, row.id, Some(&link))?;
        self.store.set_cluster_credential(&conn, row.id, credential.as_deref())?;
        Ok(link)
    }

    /// Whether hhsync holds a bearer token for the fabric's cluster (in the keychain).
    pub fn cluster_has_token(&self, fabric: &str) -> Result<bool> {
        let row = self.fabric_row(fabric)?;
        Ok(self.store.cluster_credential(&self.store.connect()?, row.id)?.is_some())
    }

    /// The fabric's cluster link, if it has one.
    pub fn cluster(&self, fabric: &str) -> Result<Option<ClusterLink>> {
        let row = self.fabric_row(fabric)?;
        self.store.cluster_link(&self.store.connect()?, row.id)
    }

    /// Removes the link and the snapshot read through it. Returns whether there was one.
    pub fn unset_cluster(&self, fabric: &str) -> Result<bool> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let had = self.store.cluster_link(&conn, row.id)?.is_some();
        if let Some(id) = self.store.cluster_credential(&conn, row.id)? {
            Keychain::system().delete(SecretKind::ClusterToken, &id)?;
        }
        self.store.set_cluster_link(&conn, row.id, None)?;
        Ok(had)
    }

    /// The drift, from a new snapshot when `refresh` (kept when it is read, so the app opens
    /// with it offline), else from the last one stored. When the cluster cannot be read, the
    /// report says why in `cluster` and is computed from the last snapshot.
    pub fn drift(&self, fabric: &str, only: Option<Kind>, refresh: bool) -> Result<DriftReport> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let link = self.store.cluster_link(&conn, row.id)?.ok_or_else(|| Error::ClusterNotLinked { fabric: fabric.to_owned() })?;
        let mut state = ClusterState::Reachable;
        if refresh {
            let token = match self.store.cluster_credential(&conn, row.id)? {
                Some(id) => Keychain::system().get(SecretKind::ClusterToken, &id)?,
                None => None,
            };
            match read_snapshot(&link, token.as_ref(), now) {
                Ok(snapshot) => self.store.save_cluster_snapshot(&conn, row.id, &snapshot)?,
                Err(ReadError::Config { path, reason }) => return Err(Error::Kubeconfig { path, reason }),
                Err(e) => {
                    tracing::warn!(fabric, error = %e, "cluster not read");
                    state = match e {
                        ReadError::Unauthorized(_) => ClusterState::Unauthorized,
                        ReadError::Forbidden(_) => ClusterState::Forbidden,
                        _ => ClusterState::Unreachable,
                    };
                }
            }
        }
        let snapshot = self.store.cluster_snapshot(&conn, row.id)?;
        let inputs = self.store.drift_inputs(&conn, row.id)?;
        Ok(drift_of(state, snapshot.as_ref(), &inputs, only, OffsetDateTime::now_utc()))
    }
}

impl Engine {
    /// Turns resources that are only on the cluster into drafts: each named one, or with
    /// `None` all of them. Reads the cluster first (the last snapshot when it cannot be read).
    /// Each becomes a new resource's draft, without status and server-set metadata, rendered
    /// canonically; pushing it brings it under Git.
    pub fn adopt(&self, fabric: &str, ids: Option<&[ResourceId]>) -> Result<Vec<super::DraftReport>> {
        let report = self.drift(fabric, None, true)?;
        let only_on_cluster: Vec<ResourceId> = report
            .resources
            .iter()
            .filter(|r| r.state == DriftState::OnlyOnCluster)
            .filter_map(|r| ResourceId::from_parts(&r.kind, &r.name).ok())
            .collect();
        let chosen: Vec<ResourceId> = match ids {
            None => only_on_cluster,
            Some(ids) => {
                for id in ids {
                    if !only_on_cluster.contains(id) {
                        let state = report.resources.iter().find(|r| r.kind == id.kind.name() && r.name == id.name).map(|r| r.state);
                        let why = match state {
                            None => "the cluster does not have it".to_owned(),
                            Some(s) => format!("it is {}", serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
                        };
                        return Err(Error::InvalidInput(format!("{id} cannot be adopted: only a resource that is on the cluster and not in Git can, and {why}")));
                    }
                }
                ids.to_vec()
            }
        };
        let row = self.fabric_row(fabric)?;
        let snapshot = self.store.cluster_snapshot(&self.store.connect()?, row.id)?;
        let mut drafts = Vec::with_capacity(chosen.len());
        for id in &chosen {
            let live = snapshot.as_ref().and_then(|s| s.object(id.kind, &id.name)).ok_or_else(|| Error::ResourceNotFound {
                fabric: fabric.to_owned(),
                kind: id.kind.name().to_owned(),
                name: id.name.clone(),
            })?;
            let text = render_resource(&adoptable(live));
            drafts.push(self.edit(fabric, id, &text, "the cluster")?);
        }
        Ok(drafts)
    }
}

/// One resource side by side as drift compares it: what Git (or the draft) wants and what runs,
/// each normalized (server fields gone, defaults filled in) and rendered as YAML, so that the
/// lines that differ are the fields that drift.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct LiveView {
    pub kind: String,
    pub name: String,
    /// Null when Git and the draft do not have it.
    pub wanted: Option<String>,
    /// Null when the cluster does not have it (or its kind could not be read).
    pub live: Option<String>,
    pub against_draft: bool,
    /// When the snapshot was read; null when never.
    pub snapshot_at: Option<String>,
}

impl Engine {
    /// [`LiveView`] of one resource, from the last snapshot.
    pub fn live_view(&self, fabric: &str, id: &ResourceId) -> Result<LiveView> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let snapshot = self.store.cluster_snapshot(&conn, row.id)?;
        let input = self.store.drift_input(&conn, row.id, id.kind.name(), &id.name)?;
        let (wanted, against_draft) = match input {
            Some(i) => match i.draft {
                Some(draft) => (draft, true),
                None => (i.desired, false),
            },
            None => (None, false),
        };
        let live = snapshot.as_ref().and_then(|s| s.object(id.kind, &id.name));
        Ok(LiveView {
            kind: id.kind.name().to_owned(),
            name: id.name.clone(),
            wanted: wanted.map(|w| render_resource(&normalize(id.kind, &w))),
            live: live.map(|l| render_resource(&normalize(id.kind, l))),
            against_draft,
            snapshot_at: snapshot.map(|s| s.taken_at),
        })
    }
}

/// The kubeconfig parses and names the context to use.
fn check_kubeconfig(link: &ClusterLink) -> Result<()> {
    let err = |reason: String| Error::Kubeconfig { path: link.kubeconfig.clone(), reason };
    let config = kube::config::Kubeconfig::read_from(&link.kubeconfig).map_err(|e| err(e.to_string()))?;
    let context = link.context.clone().or(config.current_context.clone()).ok_or_else(|| err("it has no current context: name one".to_owned()))?;
    if !config.contexts.iter().any(|c| c.name == context) {
        let names: Vec<&str> = config.contexts.iter().map(|c| c.name.as_str()).collect();
        return Err(err(format!("it has no context {context:?} (it has: {})", names.join(", "))));
    }
    Ok(())
}
