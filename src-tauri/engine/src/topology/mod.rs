//! The topology of a fabric: the picture the app draws (issue J) and `hhsync diagram` exports.
//!
//! A wiring diagram is hundreds of YAML documents; what an engineer checks before a push is the
//! picture: which leaves hang off which spines, which servers sit on which MCLAG or ESLAG pair,
//! and where a cable is claimed twice or goes nowhere. [`build`] derives that graph from the
//! resources as they are (Git or a draft, with each resource's hhsync state), [`vpc_highlight`]
//! picks out what one VPC reaches, and [`render`] writes the graph as the app's SVG, Graphviz
//! dot, Mermaid or draw.io XML for documents and reviews.
//!
//! The module is pure: values in, values out. Reading the resources, and choosing desired or
//! draft values, is the caller's.

mod export;
mod graph;
mod highlight;
#[cfg(feature = "svg")]
mod svg;

pub use export::{render, DiagramFormat};
pub use graph::{
    build, Edge, Highlight, Node, NodeKind, NodeState, ProblemTarget, RedundancyGroup, Topology, TopologyInput, WiringProblem,
};
pub use highlight::vpc_highlight;

#[cfg(test)]
mod test_support {
    //! Inputs shared by the test files of this module: the real 46-document sample fabric, and
    //! small hand-made resources.
    use std::path::PathBuf;

    use serde_json::{json, Map, Value};

    use super::{NodeState, TopologyInput};

    /// The sample's path; HHSYNC_SHARED_DIR moves the shared folder (as in tests/common).
    fn prepop_path() -> PathBuf {
        let file = "gitops-test-1__raw__prepop.yaml";
        match std::env::var_os("HHSYNC_SHARED_DIR") {
            Some(dir) => PathBuf::from(dir).join("hedgehog/samples").join(file),
            None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/hedgehog/samples")).join(file),
        }
    }

    /// The sample fabric: 3 SwitchGroups, 7 Switches, 10 Servers, 26 Connections, all synced.
    pub fn prepop() -> Vec<TopologyInput> {
        let path = prepop_path();
        let text = std::fs::read(&path).unwrap_or_else(|e| panic!("sample {}: {e}", path.display()));
        crate::yaml::split_documents(&text)
            .map(|raw| {
                let parsed = crate::yaml::parse_document(raw.bytes, raw.start_line, &crate::yaml::Limits::default());
                let value = parsed.expect("sample parses").value;
                let kind = value["kind"].as_str().expect("sample has a kind").to_owned();
                let name = value["metadata"]["name"].as_str().expect("sample has a name").to_owned();
                TopologyInput { kind, name, value, state: NodeState::Synced }
            })
            .collect()
    }

    /// A resource of `kind` with this spec, synced.
    pub fn resource(kind: &str, name: &str, spec: Value) -> TopologyInput {
        let value = json!({ "kind": kind, "metadata": { "name": name }, "spec": spec });
        TopologyInput { kind: kind.to_owned(), name: name.to_owned(), value, state: NodeState::Synced }
    }

    /// A Connection of type `ty` whose spec holds `body`.
    pub fn connection(name: &str, ty: &str, body: Value) -> TopologyInput {
        let mut spec = Map::new();
        spec.insert(ty.to_owned(), body);
        resource("Connection", name, Value::Object(spec))
    }

    /// A server connection (`bundled`, `mclag`, `eslag`) with links `(server port, switch port)`.
    pub fn server_connection(name: &str, ty: &str, links: &[(&str, &str)]) -> TopologyInput {
        let links: Vec<Value> =
            links.iter().map(|(server, switch)| json!({ "server": { "port": server }, "switch": { "port": switch } })).collect();
        connection(name, ty, json!({ "links": links }))
    }

    /// An unbundled connection.
    pub fn unbundled(name: &str, server_port: &str, switch_port: &str) -> TopologyInput {
        connection(name, "unbundled", json!({ "link": { "server": { "port": server_port }, "switch": { "port": switch_port } } }))
    }

    /// A switch with a role and, optionally, a redundancy group and type.
    pub fn switch(name: &str, role: &str, redundancy: Option<(&str, &str)>) -> TopologyInput {
        let redundancy = match redundancy {
            Some((group, ty)) => json!({ "group": group, "type": ty }),
            None => json!({}),
        };
        resource("Switch", name, json!({ "role": role, "redundancy": redundancy }))
    }

    pub fn server(name: &str) -> TopologyInput {
        resource("Server", name, json!({}))
    }

    /// The sample with some resources added.
    pub fn prepop_with(extra: Vec<TopologyInput>) -> Vec<TopologyInput> {
        let mut inputs = prepop();
        inputs.extend(extra);
        inputs
    }
}
