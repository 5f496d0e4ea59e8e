//! The graph of the real sample fabric, and each wiring problem on small variations of it.

use serde_json::json;

use super::*;
use crate::topology::test_support::*;
use crate::topology::vpc_highlight;

fn node<'a>(topology: &'a Topology, id: &str) -> &'a Node {
    topology.nodes.iter().find(|n| n.id == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn edge<'a>(topology: &'a Topology, id: &str) -> &'a Edge {
    topology.edges.iter().find(|e| e.id == id).unwrap_or_else(|| {
        let ids: Vec<&str> = topology.edges.iter().map(|e| e.id.as_str()).collect();
        panic!("no edge {id} in {ids:#?}")
    })
}

fn pairs(ports: &[(&str, &str)]) -> Vec<(String, String)> {
    ports.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Asserts a problem about `target` whose message contains every fragment.
#[track_caller]
fn assert_problem(topology: &Topology, target: ProblemTarget, fragments: &[&str]) {
    let found = topology.problems.iter().any(|p| p.target == target && fragments.iter().all(|f| p.message.contains(f)));
    assert!(found, "no problem on {target:?} containing {fragments:?} in {:#?}", topology.problems);
}

#[test]
fn the_sample_has_two_spines_five_leaves_and_ten_servers_in_tiers() {
    let topology = build(&prepop());
    let count = |kind: NodeKind, tier: u8| topology.nodes.iter().filter(|n| n.kind == kind && n.tier == tier).count();
    assert_eq!(count(NodeKind::Spine, 0), 2);
    assert_eq!(count(NodeKind::Leaf, 1), 5);
    assert_eq!(count(NodeKind::Server, 2), 10);
    assert_eq!(topology.nodes.len(), 17, "no placeholders, no other nodes: {:#?}", topology.nodes);
    assert!(topology.nodes.iter().all(|n| !n.missing && n.state == NodeState::Synced));
    // Sorted by tier, then natural order.
    let ids: Vec<&str> = topology.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids[..3], ["Switch/spine-01", "Switch/spine-02", "Switch/leaf-01"]);
    assert_eq!(ids[16], "Server/server-10");
    let leaf = node(&topology, "Switch/leaf-01");
    assert_eq!((leaf.role.as_deref(), leaf.group.as_deref()), (Some("server-leaf"), Some("mclag-1")));
    assert_eq!(node(&topology, "Switch/leaf-05").group, None);
}

#[test]
fn the_sample_has_its_mclag_and_eslag_pairs() {
    let topology = build(&prepop());
    let expected = vec![
        RedundancyGroup {
            name: "eslag-1".into(),
            kind: "eslag".into(),
            members: vec!["Switch/leaf-03".into(), "Switch/leaf-04".into()],
        },
        RedundancyGroup {
            name: "mclag-1".into(),
            kind: "mclag".into(),
            members: vec!["Switch/leaf-01".into(), "Switch/leaf-02".into()],
        },
    ];
    assert_eq!(topology.groups, expected);
}

#[test]
fn parallel_fabric_links_are_one_edge_with_their_count_and_ports() {
    let topology = build(&prepop());
    let fabric: Vec<&Edge> = topology.edges.iter().filter(|e| e.connection_type == "fabric").collect();
    // Every leaf has two links to each spine.
    assert_eq!(fabric.len(), 10);
    for e in &fabric {
        assert_eq!((e.count, e.ports.len(), e.connections.len()), (2, 2, 1), "{e:#?}");
        assert!(e.source.starts_with("Switch/spine-") && e.target.starts_with("Switch/leaf-"), "{e:#?}");
    }
    let e = edge(&topology, "fabric:Switch/spine-01--Switch/leaf-01");
    assert_eq!(e.ports, pairs(&[("spine-01/E1/1", "leaf-01/E1/8"), ("spine-01/E1/2", "leaf-01/E1/9")]));
    assert_eq!(e.connections, ["spine-01--fabric--leaf-01"]);
    // The spines' edges come first, in leaf order.
    let order: Vec<&str> = fabric.iter().take(3).map(|e| e.target.as_str()).collect();
    assert_eq!(order, ["Switch/leaf-01", "Switch/leaf-02", "Switch/leaf-03"]);
}

#[test]
fn server_edges_reach_both_switches_of_their_pair() {
    let topology = build(&prepop());
    let a = edge(&topology, "mclag:Switch/leaf-01--Server/server-01");
    let b = edge(&topology, "mclag:Switch/leaf-02--Server/server-01");
    assert_eq!(a.ports, pairs(&[("leaf-01/E1/5", "server-01/enp2s1")]));
    assert_eq!(b.ports, pairs(&[("leaf-02/E1/5", "server-01/enp2s2")]));
    assert_eq!(a.connections, ["server-01--mclag--leaf-01--leaf-02"]);
    edge(&topology, "eslag:Switch/leaf-03--Server/server-05");
    edge(&topology, "eslag:Switch/leaf-04--Server/server-05");
    assert_eq!(edge(&topology, "bundled:Switch/leaf-02--Server/server-04").count, 2);
    assert_eq!(edge(&topology, "unbundled:Switch/leaf-05--Server/server-09").count, 1);
    // Peer and session links of the MCLAG domain are one edge.
    assert_eq!(edge(&topology, "mclagDomain:Switch/leaf-01--Switch/leaf-02").count, 4);
    // A VPC loopback is a self-edge.
    let loopback = edge(&topology, "vpcLoopback:Switch/leaf-01--Switch/leaf-01");
    assert_eq!((loopback.source.as_str(), loopback.target.as_str(), loopback.count), ("Switch/leaf-01", "Switch/leaf-01", 2));
    assert_eq!(loopback.ports, pairs(&[("leaf-01/E1/12", "leaf-01/E1/13"), ("leaf-01/E1/14", "leaf-01/E1/15")]));
    // 10 fabric, 1 MCLAG domain, 5 loopbacks, 4 MCLAG, 4 ESLAG, 3 bundled, 3 unbundled.
    assert_eq!(topology.edges.len(), 30);
}

#[test]
fn the_sample_has_no_wiring_problems() {
    let problems = build(&prepop()).problems;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_same_resources_in_any_order_give_the_same_topology() {
    let inputs = prepop();
    let first = build(&inputs);
    assert_eq!(build(&inputs), first);
    let mut reversed = inputs.clone();
    reversed.reverse();
    assert_eq!(build(&reversed), first);
    // Odd positions first, then even ones: every kind interleaved differently.
    let (odd, even): (Vec<_>, Vec<_>) = inputs.iter().cloned().enumerate().partition(|(i, _)| i % 2 == 1);
    let shuffled: Vec<TopologyInput> = odd.into_iter().chain(even).map(|(_, input)| input).collect();
    assert_eq!(build(&shuffled), first);
}

#[test]
fn a_port_in_two_links_is_a_problem_on_its_device() {
    let topology = build(&prepop_with(vec![
        // leaf-01/E1/7 is server-03's unbundled link in the sample.
        unbundled("server-03--again", "server-03/enp2s2", "leaf-01/E1/7"),
        server("server-11"),
        server_connection("server-11--bundled", "bundled", &[("server-11/eth0", "leaf-05/E1/20"), ("server-11/eth0", "leaf-05/E1/21")]),
    ]));
    assert_problem(&topology, ProblemTarget::Node("Switch/leaf-01".into()), &["leaf-01/E1/7", "server-03--again", "server-03--unbundled--leaf-01"]);
    assert_problem(&topology, ProblemTarget::Node("Server/server-11".into()), &["server-11/eth0", "2 links", "server-11--bundled"]);
    assert_eq!(topology.problems.len(), 2, "{:#?}", topology.problems);
}

#[test]
fn a_connection_deleted_in_a_draft_frees_its_port() {
    let mut inputs = prepop_with(vec![unbundled("server-03--again", "server-03/enp2s2", "leaf-01/E1/7")]);
    let old = inputs.iter_mut().find(|i| i.name == "server-03--unbundled--leaf-01").expect("in the sample");
    old.state = NodeState::Deleted;
    let topology = build(&inputs);
    assert!(topology.problems.is_empty(), "{:#?}", topology.problems);
    // Still drawn, with the new one, as one edge.
    assert_eq!(edge(&topology, "unbundled:Switch/leaf-01--Server/server-03").count, 2);
}

#[test]
fn a_missing_switch_or_server_is_a_placeholder_and_a_problem_on_the_edge() {
    let topology = build(&prepop_with(vec![
        unbundled("server-09--unbundled--leaf-09", "server-09/enp2s2", "leaf-09/E1/1"),
        unbundled("ghost--unbundled--leaf-05", "ghost/eth0", "leaf-05/E1/30"),
    ]));
    let placeholder = node(&topology, "Switch/leaf-09");
    assert!(placeholder.missing);
    assert_eq!((placeholder.kind, placeholder.tier), (NodeKind::OtherSwitch, 1));
    match &placeholder.state {
        NodeState::Invalid { errors } => assert!(errors[0].contains("server-09--unbundled--leaf-09"), "{errors:?}"),
        other => panic!("a placeholder is invalid, not {other:?}"),
    }
    let id = "unbundled:Switch/leaf-09--Server/server-09";
    assert_problem(&topology, ProblemTarget::Edge(id.into()), &["switch leaf-09", "does not exist"]);
    let ghost = node(&topology, "Server/ghost");
    assert!(ghost.missing && ghost.kind == NodeKind::Server);
    assert_problem(&topology, ProblemTarget::Edge("unbundled:Switch/leaf-05--Server/ghost".into()), &["server ghost"]);
    // A placeholder is no unwired server of its own.
    assert_eq!(topology.problems.len(), 2, "{:#?}", topology.problems);
}

#[test]
fn a_server_without_a_connection_is_a_problem_unless_it_is_deleted() {
    let mut gone = server("server-12");
    gone.state = NodeState::Deleted;
    let mut inputs = prepop_with(vec![server("server-11"), gone]);
    // server-09 loses its only connection in a draft.
    inputs.iter_mut().find(|i| i.name == "server-09--unbundled--leaf-05").expect("in the sample").state = NodeState::Deleted;
    let topology = build(&inputs);
    assert_problem(&topology, ProblemTarget::Node("Server/server-11".into()), &["server-11 has no connection"]);
    assert_problem(&topology, ProblemTarget::Node("Server/server-09".into()), &["server-09 has no connection"]);
    assert_eq!(topology.problems.len(), 2, "{:#?}", topology.problems);
}

#[test]
fn mclag_and_eslag_links_must_reach_the_switches_of_one_group_of_their_type() {
    let topology = build(&prepop_with(vec![
        server("server-21"),
        server("server-22"),
        server("server-23"),
        server("server-24"),
        server_connection("server-21--mclag", "mclag", &[("server-21/e1", "leaf-01/E1/30"), ("server-21/e2", "leaf-03/E1/30")]),
        server_connection("server-22--eslag", "eslag", &[("server-22/e1", "leaf-03/E1/31"), ("server-22/e2", "leaf-03/E1/32")]),
        server_connection("server-23--eslag", "eslag", &[("server-23/e1", "leaf-01/E1/31"), ("server-23/e2", "leaf-02/E1/31")]),
        server_connection("server-24--mclag", "mclag", &[("server-24/e1", "leaf-01/E1/32"), ("server-24/e2", "leaf-02/E1/32")]),
    ]));
    assert_problem(&topology, ProblemTarget::Node("Server/server-21".into()), &["leaf-01, leaf-03", "not in one redundancy group"]);
    assert_problem(&topology, ProblemTarget::Node("Server/server-22".into()), &["reaches only leaf-03"]);
    assert_problem(&topology, ProblemTarget::Node("Server/server-23".into()), &["mclag-1", "which is mclag"]);
    // server-24 is wired right.
    assert_eq!(topology.problems.len(), 3, "{:#?}", topology.problems);
}

#[test]
fn switch_roles_decide_kind_and_tier() {
    let topology = build(&[
        switch("b", "border-leaf", None),
        switch("m", "mixed-leaf", None),
        switch("v", "virtual-edge", None),
        resource("Switch", "x", json!({})),
        switch("s", "spine", None),
    ]);
    let kinds: Vec<(&str, NodeKind, u8)> = topology.nodes.iter().map(|n| (n.name.as_str(), n.kind, n.tier)).collect();
    let expected: Vec<(&str, NodeKind, u8)> = vec![
            ("s", NodeKind::Spine, 0),
            ("b", NodeKind::Leaf, 1),
            ("m", NodeKind::Leaf, 1),
            ("v", NodeKind::OtherSwitch, 1),
            ("x", NodeKind::OtherSwitch, 1),
    ];
    assert_eq!(kinds, expected);
    assert_eq!(node(&topology, "Switch/v").role.as_deref(), Some("virtual-edge"));
}

#[test]
fn mesh_links_written_either_way_round_are_one_edge() {
    let mesh = |name: &str, a: &str, b: &str| {
        connection(name, "mesh", json!({ "links": [{ "leaf1": { "port": a }, "leaf2": { "port": b } }] }))
    };
    let topology = build(&[
        switch("leaf-01", "server-leaf", None),
        switch("leaf-02", "server-leaf", None),
        mesh("m1", "leaf-01/E1/1", "leaf-02/E1/1"),
        mesh("m2", "leaf-02/E1/2", "leaf-01/E1/2"),
    ]);
    assert_eq!(topology.edges.len(), 1, "{:#?}", topology.edges);
    let e = edge(&topology, "mesh:Switch/leaf-01--Switch/leaf-02");
    assert_eq!(e.ports, pairs(&[("leaf-01/E1/1", "leaf-02/E1/1"), ("leaf-01/E1/2", "leaf-02/E1/2")]));
    assert_eq!(e.connections, ["m1", "m2"]);
}

#[test]
fn gateways_and_externals_are_the_bottom_tier() {
    let mut draft_gateway = connection(
        "leaf-05--gateway--gw-1",
        "gateway",
        json!({ "links": [{ "switch": { "port": "leaf-05/E1/40", "ip": "172.30.0.0/31" }, "gateway": { "port": "gw-1/enp2s1", "ip": "172.30.0.1/31" } }] }),
    );
    draft_gateway.state = NodeState::Draft;
    let topology = build(&prepop_with(vec![
        draft_gateway,
        resource("External", "isp", json!({ "ipv4Namespace": "default", "inboundCommunity": "65102:5000", "outboundCommunity": "50000:50001" })),
        connection("leaf-05--external", "external", json!({ "link": { "switch": { "port": "leaf-05/E1/41" } } })),
        resource("ExternalAttachment", "isp-on-leaf-05", json!({ "connection": "leaf-05--external", "external": "isp" })),
        connection("leaf-05--static", "staticExternal", json!({ "link": { "switch": { "port": "leaf-05/E1/42", "ip": "172.31.0.1/24", "nextHop": "172.31.0.254" } } })),
    ]));
    let gateway = node(&topology, "Gateway/gw-1");
    assert_eq!((gateway.kind, gateway.tier, &gateway.state, gateway.missing), (NodeKind::Gateway, 3, &NodeState::Draft, false));
    edge(&topology, "gateway:Switch/leaf-05--Gateway/gw-1");
    let e = edge(&topology, "external:Switch/leaf-05--External/isp");
    assert_eq!(e.ports, pairs(&[("leaf-05/E1/41", "")]));
    let far = node(&topology, "Connection/leaf-05--static");
    assert_eq!((far.kind, far.tier), (NodeKind::External, 3));
    edge(&topology, "staticExternal:Switch/leaf-05--Connection/leaf-05--static");
    assert_eq!(topology.nodes.last().map(|n| n.tier), Some(3));
    assert!(topology.problems.is_empty(), "{:#?}", topology.problems);
}

#[test]
fn a_vpc_lights_up_its_servers_their_leaves_and_the_links_between() {
    let attachment = |name: &str, subnet: &str, connection: &str| {
        resource("VPCAttachment", name, json!({ "subnet": subnet, "connection": connection }))
    };
    let mut deleted = attachment("vpc-1--server-09", "vpc-1/default", "server-09--unbundled--leaf-05");
    deleted.state = NodeState::Deleted;
    let inputs = prepop_with(vec![
        attachment("vpc-1--server-01", "vpc-1/default", "server-01--mclag--leaf-01--leaf-02"),
        attachment("vpc-1--server-07", "vpc-1/backend", "server-07--unbundled--leaf-03"),
        attachment("vpc-2--server-03", "vpc-2/default", "server-03--unbundled--leaf-01"),
        deleted,
    ]);
    let topology = build(&inputs);
    let highlight = vpc_highlight(&topology, &inputs, "vpc-1");
    assert_eq!(highlight.servers, ["Server/server-01", "Server/server-07"]);
    assert_eq!(highlight.switches, ["Switch/leaf-01", "Switch/leaf-02", "Switch/leaf-03"]);
    assert_eq!(
        highlight.edges,
        ["mclag:Switch/leaf-01--Server/server-01", "mclag:Switch/leaf-02--Server/server-01", "unbundled:Switch/leaf-03--Server/server-07"]
    );
    assert_eq!(vpc_highlight(&topology, &inputs, "vpc-3"), Highlight::default());
}

#[test]
fn the_web_view_gets_kebab_case_tags() {
    let value = serde_json::to_value(NodeState::Invalid { errors: vec!["bad".into()] }).expect("serializes");
    assert_eq!(value, json!({ "state": "invalid", "errors": ["bad"] }));
    assert_eq!(serde_json::to_value(NodeState::Synced).expect("serializes"), json!({ "state": "synced" }));
    assert_eq!(serde_json::to_value(NodeKind::OtherSwitch).expect("serializes"), json!("other-switch"));
    let target = serde_json::to_value(ProblemTarget::Edge("e".into())).expect("serializes");
    assert_eq!(target, json!({ "edge": "e" }));
}
