//! What one VPC reaches, for the picture to light up: the servers attached to it, the leaves
//! they land on, and the links in between.

use std::collections::BTreeSet;

use serde_json::Value;

use super::graph::{Highlight, NodeKind, NodeState, Topology, TopologyInput};
use crate::hedgehog::Kind;

/// The servers, switches and edges of `topology` that VPC `vpc` reaches: each VPCAttachment of
/// one of its subnets (`spec.subnet` `vpc/subnet`, or the bare VPC name) names a Connection; its
/// edges, and their server and switch ends, are highlighted. Attachments deleted in a draft do
/// not count. All lists are in the topology's order.
pub fn vpc_highlight(topology: &Topology, inputs: &[TopologyInput], vpc: &str) -> Highlight {
    let connections: BTreeSet<&str> = inputs
        .iter()
        .filter(|i| Kind::from_name(&i.kind) == Some(Kind::VPCAttachment) && i.state != NodeState::Deleted)
        .filter(|i| attachment_vpc(&i.value) == Some(vpc))
        .filter_map(|i| i.value.pointer("/spec/connection").and_then(Value::as_str))
        .collect();
    let mut highlight = Highlight::default();
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    for edge in &topology.edges {
        if edge.connections.iter().any(|c| connections.contains(c.as_str())) {
            highlight.edges.push(edge.id.clone());
            reached.insert(edge.source.as_str());
            reached.insert(edge.target.as_str());
        }
    }
    for node in topology.nodes.iter().filter(|n| reached.contains(n.id.as_str())) {
        if node.kind == NodeKind::Server {
            highlight.servers.push(node.id.clone());
        } else if node.kind.is_switch() {
            highlight.switches.push(node.id.clone());
        }
    }
    highlight
}

/// The VPC of an attachment's `spec.subnet`.
fn attachment_vpc(attachment: &Value) -> Option<&str> {
    let subnet = attachment.pointer("/spec/subnet")?.as_str()?;
    Some(subnet.split_once('/').map_or(subnet, |(vpc, _)| vpc))
}
