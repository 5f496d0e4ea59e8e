//! The fabric's picture (issue J): its resources (the draft where there is one, so the picture
//! shows what a push would make) with their hhsync state, built into a [`Topology`], and the
//! diagrams exported from it.

use std::collections::HashMap;

use super::query::ResourceSummary;
use super::Engine;
use crate::error::{Error, Result};
use crate::store::ResourceStatus;
use crate::topology::{build, render, vpc_highlight, DiagramFormat, Highlight, NodeState, Topology, TopologyInput};

impl Engine {
    /// The fabric's topology: switches, servers, externals and the links between them.
    pub fn topology(&self, fabric: &str) -> Result<Topology> {
        Ok(build(&self.topology_inputs(fabric)?))
    }

    /// What to light up in the topology for one VPC: the servers attached to it, the leaves
    /// that carry it, and the links between them.
    pub fn vpc_highlight(&self, fabric: &str, vpc: &str) -> Result<Highlight> {
        let inputs = self.topology_inputs(fabric)?;
        Ok(vpc_highlight(&build(&inputs), &inputs, vpc))
    }

    fn topology_inputs(&self, fabric: &str) -> Result<Vec<TopologyInput>> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let values = self.store.drift_inputs(&conn, row.id)?;
        // by kind and name: a lookup per resource, not a scan of them all (10,000 × 10,000)
        let summaries: HashMap<(String, String), ResourceSummary> =
            self.resources(fabric, None, None)?.into_iter().map(|s| ((s.kind.clone(), s.name.clone()), s)).collect();
        let inputs: Vec<TopologyInput> = values
            .into_iter()
            .filter_map(|r| {
                let summary = summaries.get(&(r.kind.clone(), r.name.clone()));
                // A draft that deletes keeps the desired value, to draw what goes away.
                let value = match r.draft {
                    Some(Some(draft)) => draft,
                    _ => r.desired?,
                };
                let state = match summary.map(|s| (s.status, &s.errors)) {
                    Some((_, errors)) if !errors.is_empty() => NodeState::Invalid { errors: errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect() },
                    Some((ResourceStatus::Modified | ResourceStatus::New, _)) => NodeState::Draft,
                    Some((ResourceStatus::Deleted, _)) => NodeState::Deleted,
                    Some((ResourceStatus::Conflict, _)) => NodeState::Conflict,
                    _ => NodeState::Synced,
                };
                Some(TopologyInput { kind: r.kind, name: r.name, value, state })
            })
            .collect();
        Ok(inputs)
    }

    /// The fabric's diagram as text in `format`.
    pub fn diagram(&self, fabric: &str, format: DiagramFormat) -> Result<String> {
        self.draw_diagram(fabric, &self.topology(fabric)?, format)
    }

    /// `topology` (the fabric's, just built) as a diagram in `format`. The SVG is the app's
    /// picture, so it carries the cluster's word from the last stored snapshot, as the app
    /// does, when a cluster is linked.
    pub fn draw_diagram(&self, fabric: &str, topology: &Topology, format: DiagramFormat) -> Result<String> {
        let report = match format {
            DiagramFormat::Svg => match self.drift(fabric, None, false) {
                Ok(report) => Some(report),
                Err(Error::ClusterNotLinked { .. }) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        render(topology, format, report.as_ref())
    }
}
