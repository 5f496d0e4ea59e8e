//! Tests of the per-document rules of a Connection.

use super::test_support::*;

fn conn(spec: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: c\nspec:\n{spec}")
}

#[test]
fn exactly_one_type() {
    let none = errors(Kind::Connection, &conn("  {}\n"));
    assert_issue(&none, "spec", "connection", "needs exactly one type (unbundled, bundled");
    let two = errors(
        Kind::Connection,
        &conn("  unbundled:\n    link: {server: {port: s/e1}, switch: {port: l/E1/1}}\n  external:\n    link: {switch: {port: l/E1/2}}\n"),
    );
    assert_issue(&two, "spec", "connection", "this one has unbundled and external");
    assert_issue(&errors(Kind::Connection, "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: c}\n"), "spec", "connection", "needs a spec");
}

#[test]
fn ports_are_device_slash_port() {
    let issues = errors(Kind::Connection, &conn("  unbundled:\n    link: {server: {port: server-01}, switch: {port: /E1/1}}\n"));
    assert_issue(&issues, "spec.unbundled.link.server.port", "port", "\"server-01\" is not in the form device/port");
    assert_issue(&issues, "spec.unbundled.link.switch.port", "port", "\"/E1/1\" is not in the form device/port");
    let missing = errors(Kind::Connection, &conn("  unbundled:\n    link: {server: {port: s/e1}, switch: {}}\n"));
    assert_issue(&missing, "spec.unbundled.link.switch.port", "port", "the switch end of this link has no port");
    assert!(check(Kind::Connection, &conn("  unbundled:\n    link: {server: {port: s/enp2s1}, switch: {port: leaf-01/E1/1/2}}\n")).is_empty());
}

#[test]
fn a_port_used_twice_in_one_connection() {
    let spec = "  bundled:\n    links:\n    - {server: {port: s/e1}, switch: {port: l/E1/1}}\n    - {server: {port: s/e2}, switch: {port: l/E1/1}}\n";
    assert_issue(&errors(Kind::Connection, &conn(spec)), "spec.bundled.links[1].switch.port", "port-reuse", "port l/E1/1 is used twice in this connection");
    let ok = "  bundled:\n    links:\n    - {server: {port: s/e1}, switch: {port: l/E1/1}}\n    - {server: {port: s/e2}, switch: {port: l/E1/2}}\n";
    assert!(check(Kind::Connection, &conn(ok)).is_empty());
}

#[test]
fn server_facing_connections_join_one_server() {
    let spec = "  bundled:\n    links:\n    - {server: {port: s1/e1}, switch: {port: l1/E1/1}}\n    - {server: {port: s2/e2}, switch: {port: l2/E1/2}}\n";
    let issues = errors(Kind::Connection, &conn(spec));
    assert_issue(&issues, "spec.bundled", "connection", "all server ports must be on one device; found s1, s2");
    assert_issue(&issues, "spec.bundled", "connection", "all switch ports must be on one device; found l1, l2");
    let eslag: String = (1..=5).map(|i| format!("    - {{server: {{port: s/e{i}}}, switch: {{port: l{i}/E1/1}}}}\n")).collect();
    assert_issue(&errors(Kind::Connection, &conn(&format!("  eslag:\n    links:\n{eslag}"))), "spec.eslag", "connection", "at most 4 switches; this one has 5");
}

#[test]
fn fabric_links_join_one_spine_and_one_leaf() {
    let link = |spine: &str, leaf: &str| format!("    - {{spine: {{port: {spine}}}, leaf: {{port: {leaf}}}}}\n");
    let good = format!("  fabric:\n    links:\n{}{}", link("spine-01/E1/1", "leaf-01/E1/8"), link("spine-01/E1/2", "leaf-01/E1/9"));
    assert!(check(Kind::Connection, &conn(&good)).is_empty());
    let two_leaves = format!("  fabric:\n    links:\n{}{}", link("spine-01/E1/1", "leaf-01/E1/8"), link("spine-01/E1/2", "leaf-02/E1/9"));
    assert_issue(&errors(Kind::Connection, &conn(&two_leaves)), "spec.fabric", "connection", "all leaf ports must be on one device; found leaf-01, leaf-02");
    let itself = format!("  fabric:\n    links:\n{}", link("leaf-01/E1/1", "leaf-01/E1/2"));
    assert_issue(&errors(Kind::Connection, &conn(&itself)), "spec.fabric", "connection", "connects \"leaf-01\" to itself");
}

#[test]
fn fabric_link_ips_are_on_both_ends_in_one_slash_31() {
    let spec = |spine: &str, leaf: &str| {
        conn(&format!("  fabric:\n    links:\n    - spine: {{port: spine-01/E1/1{spine}}}\n      leaf: {{port: leaf-01/E1/1{leaf}}}\n"))
    };
    assert!(check(Kind::Connection, &spec(", ip: 172.30.0.0/31", ", ip: 172.30.0.1/31")).is_empty());
    assert!(check(Kind::Connection, &spec("", "")).is_empty());
    assert_issue(&errors(Kind::Connection, &spec(", ip: 172.30.0.0/31", "")), "spec.fabric.links[0]", "link-ip", "on both ends");
    let wide = errors(Kind::Connection, &spec(", ip: 172.30.0.0/30", ", ip: 172.30.0.2/31"));
    assert_issue(&wide, "spec.fabric.links[0].spine.ip", "link-ip", "172.30.0.0/30 is not a /31");
    let apart = errors(Kind::Connection, &spec(", ip: 172.30.0.0/31", ", ip: 172.30.0.3/31"));
    assert_issue(&apart, "spec.fabric.links[0]", "link-ip", "are not in the same /31");
}

#[test]
fn vpc_loopback_stays_on_one_switch_and_mclag_domain_joins_two() {
    let loopback = "  vpcLoopback:\n    links:\n    - {switch1: {port: leaf-01/E1/12}, switch2: {port: leaf-02/E1/13}}\n";
    assert_issue(&errors(Kind::Connection, &conn(loopback)), "spec.vpcLoopback", "connection", "stays on one switch; found leaf-01, leaf-02");
    let domain = "  mclagDomain:\n    peerLinks:\n    - {switch1: {port: leaf-01/E1/3}, switch2: {port: leaf-01/E1/4}}\n    sessionLinks:\n    - {switch1: {port: leaf-01/E1/1}, switch2: {port: leaf-02/E1/1}}\n";
    let issues = errors(Kind::Connection, &conn(domain));
    assert_issue(&issues, "spec.mclagDomain", "connection", "all switch2 ports must be on one device; found leaf-01, leaf-02");
}

#[test]
fn mclag_connections_are_deprecated_with_a_warning() {
    let spec = "  mclag:\n    links:\n    - {server: {port: server-01/enp2s1}, switch: {port: leaf-01/E1/5}}\n    - {server: {port: server-01/enp2s2}, switch: {port: leaf-02/E1/5}}\n";
    let issues = check(Kind::Connection, &conn(spec));
    assert_no_errors(&issues);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].severity, Severity::Warning);
    assert_issue(&issues, "spec.mclag", "deprecated", "MCLAG is deprecated upstream");
}

#[test]
fn static_external_link() {
    let spec = |switch: &str| conn(&format!("  staticExternal:\n    link:\n      switch: {{port: border/E1/2{switch}}}\n"));
    let good = ", ip: 172.31.0.1/24, nextHop: 172.31.0.5, subnets: [10.99.0.0/24, 10.98.0.0/16], vlan: 100";
    assert!(check(Kind::Connection, &spec(good)).is_empty());
    let issues = errors(Kind::Connection, &spec(", ip: 172.31.0.1/24, nextHop: 172.32.0.5, subnets: [10.99.0.1/24, 10.98.0.0/16, 10.98.1.0/24], vlan: 4095"));
    assert_issue(&issues, "spec.staticExternal.link.switch.nextHop", "static-external", "next hop 172.32.0.5 is not inside 172.31.0.0/24");
    assert_issue(&issues, "spec.staticExternal.link.switch.subnets[0]", "static-external", "did you mean 10.99.0.0/24?");
    assert_issue(&issues, "spec.staticExternal.link.switch.subnets[2]", "static-external", "overlaps 10.98.0.0/16");
    assert_issue(&issues, "spec.staticExternal.link.switch.vlan", "vlan", "VLAN 4095 is outside 1-4094");
    let default_route = errors(Kind::Connection, &spec(", ip: 172.31.0.1/24, nextHop: 172.31.0.5, subnets: [0.0.0.0/0, 10.0.0.0/8]"));
    assert_issue(&default_route, "spec.staticExternal.link.switch.subnets[0]", "static-external", "must be the only subnet");
    assert_issue(&errors(Kind::Connection, &spec("")), "spec.staticExternal.link.switch.ip", "static-external", "needs the switch IP");
}

#[test]
fn gateway_links_need_ips() {
    let spec = "  gateway:\n    links:\n    - switch: {port: spine-01/E1/20}\n      gateway: {port: gw-1/enp2s1}\n";
    assert_issue(&errors(Kind::Connection, &conn(spec)), "spec.gateway.links[0]", "link-ip", "needs an IP on both ends");
}
