//! The fabric as a graph: devices as nodes in tiers, cabling as edges, redundancy groups, and
//! what looks wrong in the wiring.
//!
//! Everything is derived from the resources as the caller has them (Git or a draft), so the
//! picture shows what the next push would build, including what is not there: a connection to a
//! switch nobody defined still draws, to a placeholder marked `missing`, rather than vanishing.
//! The same input always gives the same output (every list is sorted), so the picture does not
//! jump around between refreshes.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::hedgehog::{endpoints, split_port, Device, Kind};
use crate::yaml::{natural_cmp, FieldPath};

/// Where a resource stands in hhsync, as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum NodeState {
    /// Git and the cluster's wanted state agree; nothing pending.
    Synced,
    /// Modified or new in a draft.
    Draft,
    /// Deleted in a draft: still drawn, so the user sees what goes away.
    Deleted,
    /// The resource fails validation (or, for a placeholder, does not exist).
    Invalid { errors: Vec<String> },
    /// A draft and Git disagree and need a resolution.
    Conflict,
}

/// One resource for [`build`]: its desired (or draft) document and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct TopologyInput {
    /// The kind as written in `kind:`, e.g. `Switch`.
    pub kind: String,
    pub name: String,
    pub value: Value,
    pub state: NodeState,
}

/// What a node is, which decides its tier and its shape in the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// Tier 0: a switch with role `spine`.
    Spine,
    /// Tier 1: a switch with role `server-leaf`, `border-leaf` or `mixed-leaf`.
    Leaf,
    /// Tier 2.
    Server,
    /// Tier 3: an External resource, or the far end of an external or static external
    /// connection that has no External attached.
    External,
    /// Tier 3: the gateway end of a gateway connection (there is no Gateway resource).
    Gateway,
    /// Tier 1: a switch of another or no role (`virtual-edge`, a typo), or a placeholder for a
    /// switch that a connection names but does not exist. Drawn with the leaves, since that is
    /// where such a switch attaches to the fabric.
    OtherSwitch,
}

impl NodeKind {
    /// The tier: 0 at the top of the picture.
    pub fn tier(self) -> u8 {
        match self {
            NodeKind::Spine => 0,
            NodeKind::Leaf | NodeKind::OtherSwitch => 1,
            NodeKind::Server => 2,
            NodeKind::External | NodeKind::Gateway => 3,
        }
    }

    pub fn is_switch(self) -> bool {
        matches!(self, NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch)
    }

    /// The switch kind for a Switch's `spec.role`.
    fn of_role(role: Option<&str>) -> NodeKind {
        match role {
            Some("spine") => NodeKind::Spine,
            Some(role) if role.ends_with("-leaf") => NodeKind::Leaf,
            _ => NodeKind::OtherSwitch,
        }
    }
}

/// One device in the picture.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Node {
    /// `Kind/name`: `Switch/leaf-01`, `Server/server-01`, `External/isp`, `Gateway/gw-1`, or
    /// `Connection/<name>` for the far end of an external connection without an External.
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub tier: u8,
    /// A switch's `spec.role` as written.
    pub role: Option<String>,
    /// A switch's redundancy group (`spec.redundancy.group`), not its SwitchGroups.
    pub group: Option<String>,
    pub state: NodeState,
    /// A placeholder: a connection names this switch or server, but no such resource exists.
    /// Its state is `invalid`, with the reason.
    pub missing: bool,
}

/// All links of one connection type between two nodes: parallel cables are one edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Edge {
    /// `type:source--target`, e.g. `fabric:Switch/spine-01--Switch/leaf-01`.
    pub id: String,
    /// The node in the upper tier (for two nodes of one tier, the first in natural order). A
    /// VPC loopback is a self-edge: source and target are the same switch.
    pub source: String,
    pub target: String,
    /// The connection type as in the Connection's spec: `fabric`, `mclag`, `staticExternal`, ...
    pub connection_type: String,
    /// The Connections whose links make up this edge.
    pub connections: Vec<String>,
    /// `(source port, target port)` per link, each `device/port`; empty for an end without a
    /// port (the far end of an external link).
    pub ports: Vec<(String, String)>,
    /// The number of links.
    pub count: usize,
}

/// Switches that back each other up (`spec.redundancy` of each Switch).
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct RedundancyGroup {
    pub name: String,
    /// `mclag`, `eslag`, or whatever the switches say; empty when they say nothing.
    pub kind: String,
    /// Node ids of the member switches.
    pub members: Vec<String>,
}

/// What a wiring problem is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemTarget {
    Node(String),
    Edge(String),
}

/// Something in the cabling that will not work as drawn.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, ts_rs::TS)]
pub struct WiringProblem {
    pub target: ProblemTarget,
    pub message: String,
}

/// The fabric's picture.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Topology {
    /// By tier, then natural order of id.
    pub nodes: Vec<Node>,
    /// By source, target (in node order), then type.
    pub edges: Vec<Edge>,
    /// By name.
    pub groups: Vec<RedundancyGroup>,
    /// By target, then message.
    pub problems: Vec<WiringProblem>,
}

/// What a VPC reaches, to highlight in the picture: node ids and edge ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Highlight {
    pub servers: Vec<String>,
    pub switches: Vec<String>,
    pub edges: Vec<String>,
}

/// Builds the fabric's graph. Switches, Servers and Externals are nodes; each Connection's links
/// are edges; other kinds only matter through them (ExternalAttachment says which External an
/// external connection leads to). Inputs are expected to be unique by kind and name; of two with
/// one id, the first wins.
///
/// A Connection without exactly one type, or a link with an end that is not a `device/port`,
/// draws nothing: document validation reports those. Connections deleted in a draft still draw,
/// but do not count for the checks (a port they free is free, a server they leave is unwired).
pub fn build(inputs: &[TopologyInput]) -> Topology {
    let mut builder = Builder::default();
    for input in inputs {
        match Kind::from_name(&input.kind) {
            Some(Kind::Switch) => builder.add_switch(input),
            Some(Kind::Server) => {
                builder.add_device(input, NodeKind::Server, None);
            }
            Some(Kind::External) => {
                builder.add_device(input, NodeKind::External, None);
            }
            _ => {}
        }
    }
    builder.collect_groups();
    let attachments = external_attachments(inputs);
    let mut connections: Vec<&TopologyInput> =
        inputs.iter().filter(|i| Kind::from_name(&i.kind) == Some(Kind::Connection)).collect();
    // By name, so that derived nodes (gateways) take their state from the same connection
    // whatever order the caller passes.
    connections.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    for connection in connections {
        builder.add_connection(connection, &attachments);
    }
    builder.finish()
}

/// For each Connection name, the Externals attached to it (ExternalAttachment `spec.connection`
/// and `spec.external`), sorted.
fn external_attachments(inputs: &[TopologyInput]) -> BTreeMap<String, BTreeSet<String>> {
    let mut attached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for input in inputs.iter().filter(|i| Kind::from_name(&i.kind) == Some(Kind::ExternalAttachment)) {
        let spec_str = |field: &str| input.value.get("spec").and_then(|s| s.get(field)).and_then(Value::as_str);
        if let (Some(connection), Some(external)) = (spec_str("connection"), spec_str("external")) {
            attached.entry(connection.to_owned()).or_default().insert(external.to_owned());
        }
    }
    attached
}

/// The nodes, edges and problems found so far.
#[derive(Default)]
struct Builder {
    nodes: BTreeMap<String, Node>,
    /// Each switch's `spec.redundancy.type`, by node id.
    redundancy_types: BTreeMap<String, String>,
    groups: BTreeMap<String, RedundancyGroup>,
    /// Keyed by (source, target, type), which is what makes parallel links one edge.
    edges: BTreeMap<(String, String, &'static str), Edge>,
    /// For each port, the node it is on and the connection of each link that uses it.
    claims: BTreeMap<String, (String, Vec<String>)>,
    /// Nodes with a link of a connection that is not deleted.
    wired: BTreeSet<String>,
    problems: Vec<WiringProblem>,
}

/// One end of a link, resolved to a node.
struct LinkEnd {
    node: String,
    /// `device/port`, or empty for an end without a port.
    port: String,
}

/// The ports of one link as written: (device kind, device, `device/port`) per end, and whether
/// every end has a well-formed port.
struct WrittenLink<'a> {
    path: FieldPath,
    ends: Vec<(Device, &'a str, &'a str)>,
    complete: bool,
}

impl Builder {
    fn add_switch(&mut self, input: &TopologyInput) {
        let spec = input.value.get("spec");
        let role = spec.and_then(|s| s.get("role")).and_then(Value::as_str);
        if self.add_device(input, NodeKind::of_role(role), role) {
            let ty = input.value.pointer("/spec/redundancy/type").and_then(Value::as_str).unwrap_or_default();
            self.redundancy_types.insert(node_id(NodeKind::OtherSwitch, &input.name), ty.to_owned());
        }
    }

    /// Adds a node for a resource; false if one with its id is already there.
    fn add_device(&mut self, input: &TopologyInput, kind: NodeKind, role: Option<&str>) -> bool {
        let id = node_id(kind, &input.name);
        if self.nodes.contains_key(&id) {
            return false;
        }
        let group = if kind.is_switch() {
            input.value.pointer("/spec/redundancy/group").and_then(Value::as_str).filter(|g| !g.is_empty())
        } else {
            None
        };
        let node = Node {
            id: id.clone(),
            kind,
            name: input.name.clone(),
            tier: kind.tier(),
            role: role.map(str::to_owned),
            group: group.map(str::to_owned),
            state: input.state.clone(),
            missing: false,
        };
        self.nodes.insert(id, node);
        true
    }

    /// The redundancy groups from the switches' `spec.redundancy`. Switches of one group that
    /// disagree on its type are a problem: the pair would not come up.
    fn collect_groups(&mut self) {
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for node in self.nodes.values() {
            if let Some(group) = &node.group {
                members.entry(group.clone()).or_default().push(node.id.clone());
            }
        }
        for (name, mut ids) in members {
            ids.sort_by(|a, b| natural_cmp(a, b));
            let type_of = |id: &String| self.redundancy_types.get(id).cloned().unwrap_or_default();
            let types: BTreeSet<String> = ids.iter().map(type_of).collect();
            if types.len() > 1 {
                let each: Vec<String> = ids.iter().map(|id| format!("{} {:?}", display_name(id), type_of(id))).collect();
                let message = format!("the switches of redundancy group {name} disagree on its type: {}", each.join(", "));
                for id in &ids {
                    self.problems.push(WiringProblem { target: ProblemTarget::Node(id.clone()), message: message.clone() });
                }
            }
            let kind = ids.first().map(type_of).unwrap_or_default();
            self.groups.insert(name.clone(), RedundancyGroup { name, kind, members: ids });
        }
    }

    fn add_connection(&mut self, connection: &TopologyInput, attachments: &BTreeMap<String, BTreeSet<String>>) {
        let Some(written) = endpoints(&connection.value) else { return };
        let ty = written.ty;
        // A connection deleted in a draft is drawn, but frees its ports and its servers.
        let counts = connection.state != NodeState::Deleted;
        let mut links: Vec<WrittenLink<'_>> = Vec::new();
        for port in &written.ports {
            let Some(path) = port.path.parent().and_then(|end| end.parent()) else { continue };
            let index = match links.iter().position(|l| l.path == path) {
                Some(index) => index,
                None => {
                    links.push(WrittenLink { path, ends: Vec::new(), complete: true });
                    links.len() - 1
                }
            };
            let link = &mut links[index];
            match port.port.and_then(|p| split_port(p).map(|(device, _)| (device, p))) {
                Some((device, p)) => link.ends.push((port.device_kind, device, p)),
                None => link.complete = false,
            }
        }
        let mut server = None;
        let mut switches = BTreeSet::new();
        for link in links.iter().filter(|l| l.complete) {
            let mut missing = Vec::new();
            let mut ends = Vec::new();
            for &(device_kind, device, port) in &link.ends {
                let kind = match device_kind {
                    Device::Switch => NodeKind::OtherSwitch,
                    Device::Server => NodeKind::Server,
                    Device::Gateway => NodeKind::Gateway,
                };
                let node = self.resolve(kind, device, connection, &mut missing);
                match device_kind {
                    Device::Switch => {
                        switches.insert(node.clone());
                    }
                    Device::Server => server = Some(node.clone()),
                    Device::Gateway => {}
                }
                if counts {
                    let claim = self.claims.entry(port.to_owned()).or_insert_with(|| (node.clone(), Vec::new()));
                    claim.1.push(connection.name.clone());
                }
                ends.push(LinkEnd { node, port: port.to_owned() });
            }
            let pairs: Vec<(LinkEnd, LinkEnd)> = match ends.len() {
                2 => {
                    let b = ends.pop().expect("two ends");
                    let a = ends.pop().expect("two ends");
                    vec![(a, b)]
                }
                // External and static external links name only the switch end.
                1 => {
                    let far = self.far_ends(ty, connection, attachments, &mut missing);
                    let near = &ends[0];
                    far.into_iter()
                        .map(|node| (LinkEnd { node: near.node.clone(), port: near.port.clone() }, LinkEnd { node, port: String::new() }))
                        .collect()
                }
                _ => Vec::new(),
            };
            for (a, b) in pairs {
                let edge = self.add_link(ty, &connection.name, a, b, counts);
                if counts {
                    for message in &missing {
                        self.problems.push(WiringProblem { target: ProblemTarget::Edge(edge.clone()), message: message.clone() });
                    }
                }
            }
        }
        if counts && (ty == "mclag" || ty == "eslag") {
            if let Some(server) = server {
                if let Some(message) = self.redundancy_problem(ty, &connection.name, &switches) {
                    self.problems.push(WiringProblem { target: ProblemTarget::Node(server), message });
                }
            }
        }
    }

    /// The node of a device a connection names. A switch, server or External that does not
    /// exist gets a placeholder (`missing`, invalid with the reason) so the link still draws,
    /// and the reason goes to `missing` for the edge. A gateway has no resource: its node is
    /// made on first sight, in the state of that connection.
    fn resolve(&mut self, kind: NodeKind, name: &str, connection: &TopologyInput, missing: &mut Vec<String>) -> String {
        let id = node_id(kind, name);
        if kind == NodeKind::Gateway {
            let state = connection.state.clone();
            self.nodes.entry(id.clone()).or_insert_with(|| placeholder(&id, kind, name, state));
            return id;
        }
        let noun = match kind {
            NodeKind::Server => "server",
            NodeKind::External => "External",
            _ => "switch",
        };
        let message = format!("connection {} names {noun} {name}, which does not exist", connection.name);
        let invalid = NodeState::Invalid { errors: Vec::new() };
        let node = self.nodes.entry(id.clone()).or_insert_with(|| Node { missing: true, ..placeholder(&id, kind, name, invalid) });
        if node.missing {
            if let NodeState::Invalid { errors } = &mut node.state {
                if !errors.contains(&message) {
                    errors.push(message.clone());
                }
            }
            missing.push(message);
        }
        id
    }

    /// The far ends of an external link: the Externals attached to the connection, or else a
    /// node standing for the connection's far side (`Connection/<name>`), which is all a static
    /// external link has.
    fn far_ends(
        &mut self,
        ty: &str,
        connection: &TopologyInput,
        attachments: &BTreeMap<String, BTreeSet<String>>,
        missing: &mut Vec<String>,
    ) -> Vec<String> {
        let attached = attachments.get(&connection.name).filter(|_| ty == "external");
        match attached {
            Some(externals) if !externals.is_empty() => {
                let mut far = Vec::new();
                for external in externals {
                    far.push(self.resolve(NodeKind::External, external, connection, missing));
                }
                far
            }
            _ => {
                let id = format!("Connection/{}", connection.name);
                let state = connection.state.clone();
                let far = placeholder(&id, NodeKind::External, &connection.name, state);
                self.nodes.entry(id.clone()).or_insert(far);
                vec![id]
            }
        }
    }

    /// Adds one link to the edge of its two nodes and type; returns the edge's id.
    fn add_link(&mut self, ty: &'static str, connection: &str, a: LinkEnd, b: LinkEnd, counts: bool) -> String {
        let (source, target) = if self.is_above(&b.node, &a.node) { (b, a) } else { (a, b) };
        if counts {
            self.wired.insert(source.node.clone());
            self.wired.insert(target.node.clone());
        }
        let key = (source.node.clone(), target.node.clone(), ty);
        let edge = self.edges.entry(key).or_insert_with(|| Edge {
            id: format!("{ty}:{}--{}", source.node, target.node),
            source: source.node.clone(),
            target: target.node.clone(),
            connection_type: ty.to_owned(),
            connections: Vec::new(),
            ports: Vec::new(),
            count: 0,
        });
        edge.connections.push(connection.to_owned());
        edge.ports.push((source.port, target.port));
        edge.id.clone()
    }

    /// Whether node `x` is drawn above `y`: a lower tier, or in one tier first in natural
    /// order (so a mesh link is one edge whichever way round it is written).
    fn is_above(&self, x: &str, y: &str) -> bool {
        let tier = |id: &str| self.nodes.get(id).map_or(u8::MAX, |n| n.tier);
        match tier(x).cmp(&tier(y)) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => natural_cmp(x, y) == Ordering::Less,
        }
    }

    /// What is wrong with an MCLAG or ESLAG server connection's switches: they must be two or
    /// more switches of one redundancy group of the connection's type, and for MCLAG (always a
    /// pair) both switches of the group.
    fn redundancy_problem(&self, ty: &str, connection: &str, switches: &BTreeSet<String>) -> Option<String> {
        let mut reached: Vec<&str> = switches.iter().map(|id| display_name(id)).collect();
        reached.sort_by(|a, b| natural_cmp(a, b));
        let reached = reached.join(", ");
        if switches.len() < 2 {
            return Some(format!(
                "{ty} connection {connection} reaches only {reached}; it needs the switches of one {ty} redundancy group"
            ));
        }
        let groups: BTreeSet<Option<&str>> =
            switches.iter().map(|id| self.nodes.get(id).and_then(|n| n.group.as_deref())).collect();
        let group = match groups.into_iter().collect::<Vec<_>>()[..] {
            [Some(name)] => self.groups.get(name)?,
            _ => return Some(format!("{ty} connection {connection} reaches {reached}, which are not in one redundancy group")),
        };
        if group.kind != ty {
            let kind = if group.kind.is_empty() { "of no type".to_owned() } else { group.kind.clone() };
            return Some(format!("{ty} connection {connection} lands on redundancy group {}, which is {kind}", group.name));
        }
        let all: BTreeSet<String> = group.members.iter().cloned().collect();
        if ty == "mclag" && &all != switches {
            let members: Vec<&str> = group.members.iter().map(|id| display_name(id)).collect();
            return Some(format!(
                "mclag connection {connection} reaches {reached}, but redundancy group {} is {}",
                group.name,
                members.join(" and ")
            ));
        }
        None
    }

    /// A port that two links claim: cabling that cannot exist.
    fn check_ports(&mut self) {
        for (port, (node, users)) in &self.claims {
            if users.len() < 2 {
                continue;
            }
            let mut names = users.clone();
            names.sort_by(|a, b| natural_cmp(a, b));
            names.dedup();
            let message = match &names[..] {
                [one] => format!("port {port} is used by {} links of connection {one}", users.len()),
                _ => format!("port {port} is used by {} links, of connections {}", users.len(), names.join(", ")),
            };
            self.problems.push(WiringProblem { target: ProblemTarget::Node(node.clone()), message });
        }
    }

    /// A server no connection reaches cannot be attached to any VPC.
    fn check_unwired_servers(&mut self) {
        for node in self.nodes.values() {
            if node.kind == NodeKind::Server && !node.missing && node.state != NodeState::Deleted && !self.wired.contains(&node.id) {
                let message = format!("server {} has no connection", node.name);
                self.problems.push(WiringProblem { target: ProblemTarget::Node(node.id.clone()), message });
            }
        }
    }

    fn finish(mut self) -> Topology {
        self.check_ports();
        self.check_unwired_servers();
        let mut nodes: Vec<Node> = self.nodes.into_values().collect();
        nodes.sort_by(|a, b| a.tier.cmp(&b.tier).then_with(|| natural_cmp(&a.id, &b.id)));
        let order: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
        let position = |id: &str| order.get(id).copied().unwrap_or(usize::MAX);
        let mut edges: Vec<Edge> = self.edges.into_values().collect();
        for edge in &mut edges {
            edge.connections.sort_by(|a, b| natural_cmp(a, b));
            edge.connections.dedup();
            edge.ports.sort_by(|a, b| natural_cmp(&a.0, &b.0).then_with(|| natural_cmp(&a.1, &b.1)));
            edge.count = edge.ports.len();
        }
        edges.sort_by(|a, b| {
            (position(&a.source), position(&a.target))
                .cmp(&(position(&b.source), position(&b.target)))
                .then_with(|| a.connection_type.cmp(&b.connection_type))
        });
        let groups: Vec<RedundancyGroup> = self.groups.into_values().collect();
        let mut problems = self.problems;
        problems.sort();
        problems.dedup();
        Topology { nodes, edges, groups, problems }
    }
}

/// A node made from a reference rather than a resource.
fn placeholder(id: &str, kind: NodeKind, name: &str, state: NodeState) -> Node {
    Node { id: id.to_owned(), kind, name: name.to_owned(), tier: kind.tier(), role: None, group: None, state, missing: false }
}

/// `Kind/name`, the id of a node: every switch is `Switch/`, whatever its role.
fn node_id(kind: NodeKind, name: &str) -> String {
    let prefix = match kind {
        NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch => "Switch",
        NodeKind::Server => "Server",
        NodeKind::External => "External",
        NodeKind::Gateway => "Gateway",
    };
    format!("{prefix}/{name}")
}

/// The name part of a node id.
fn display_name(id: &str) -> &str {
    id.split_once('/').map_or(id, |(_, name)| name)
}

#[cfg(test)]
#[path = "graph_tests.rs"]
mod tests;
