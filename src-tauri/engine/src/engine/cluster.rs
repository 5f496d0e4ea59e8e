//! A fabric's cluster: linking it (a kubeconfig, context and namespace), reading a snapshot,
//! and the drift of every resource and switch (issue I). The cluster is only ever read.

use std::path::Path;

use time::OffsetDateTime;

use super::Engine;
use crate::cluster::{drift_of, read_snapshot, ClusterLink, ClusterState, DriftReport, ReadError};
use crate::error::{Error, Result};
use crate::hedgehog::Kind;
use crate::store::now;

impl Engine {
    /// Links a fabric to its cluster, replacing any earlier link. The kubeconfig must be
    /// readable and hold the context (its current context when none is given); nothing is
    /// read from the cluster yet.
    pub fn set_cluster(&self, fabric: &str, link: ClusterLink) -> Result<ClusterLink> {
        let row = self.fabric_row(fabric)?;
        let path = Path::new(&link.kubeconfig);
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let link = ClusterLink { kubeconfig: path.to_string_lossy().into_owned(), ..link };
        check_kubeconfig(&link)?;
        let conn = self.store.connect()?;
        if self.store.cluster_link(&conn, row.id)?.as_ref() != Some(&link) {
            // Another cluster: the last snapshot described the old one.
            self.store.set_cluster_link(&conn, row.id, None)?;
        }
        self.store.set_cluster_link(&conn, row.id, Some(&link))?;
        Ok(link)
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
            match read_snapshot(&link, now) {
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
