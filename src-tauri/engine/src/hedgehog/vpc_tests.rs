//! Tests of the rules of one VPC.

use super::test_support::*;

fn vpc(spec: &str) -> String {
    format!("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n{spec}")
}

fn subnets(body: &str) -> String {
    vpc(&format!("  subnets:\n{body}"))
}

#[test]
fn a_vpc_has_1_to_20_subnets() {
    assert_issue(&errors(Kind::VPC, &vpc("  {}\n")), "spec.subnets", "vpc-subnet", "needs at least one subnet");
    let many: String = (0..21).map(|i| format!("    s{i}: {{subnet: 10.{i}.0.0/24, vlan: {}}}\n", 1000 + i)).collect();
    assert_issue(&errors(Kind::VPC, &subnets(&many)), "spec.subnets", "vpc-subnet", "at most 20 subnets; this one has 21");
    let twenty: String = (0..20).map(|i| format!("    s{i}: {{subnet: 10.{i}.0.0/24, vlan: {}}}\n", 1000 + i)).collect();
    assert!(check(Kind::VPC, &subnets(&twenty)).is_empty());
}

#[test]
fn subnet_prefix_is_30_or_shorter() {
    let issues = errors(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/31, vlan: 1001}\n    b: {subnet: 10.0.2.0, vlan: 1002}\n    c: {vlan: 1003}\n"));
    assert_issue(&issues, "spec.subnets.a.subnet", "vpc-subnet", "prefix /31 is too long: a VPC subnet must be /30 or shorter");
    assert_issue(&issues, "spec.subnets.b.subnet", "vpc-subnet", "\"10.0.2.0\" is not an IPv4 prefix");
    assert_issue(&issues, "spec.subnets.c.subnet", "vpc-subnet", "needs its address range");
    assert!(check(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/30, vlan: 1001}\n")).is_empty());
}

#[test]
fn gateway_is_inside_the_subnet() {
    let issues = errors(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24, gateway: 10.0.2.1, vlan: 1001}\n"));
    assert_issue(&issues, "spec.subnets.a.gateway", "vpc-subnet", "gateway 10.0.2.1 is not inside subnet 10.0.1.0/24");
    assert_issue(&errors(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24, gateway: gw, vlan: 1001}\n")), "spec.subnets.a.gateway", "vpc-subnet", "not an IPv4 address");
    assert!(check(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24, gateway: 10.0.1.1, vlan: 1001}\n")).is_empty());
}

#[test]
fn vlan_is_required_unless_host_bgp_and_in_range() {
    let issues = errors(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24}\n    b: {subnet: 10.0.2.0/24, vlan: 0}\n    c: {subnet: 10.0.3.0/24, vlan: 5000}\n"));
    assert_issue(&issues, "spec.subnets.a.vlan", "vlan", "subnet \"a\" needs a VLAN (only hostBGP subnets go without)");
    assert_issue(&issues, "spec.subnets.b.vlan", "vlan", "needs a VLAN");
    assert_issue(&issues, "spec.subnets.c.vlan", "vlan", "VLAN 5000 is outside 1-4094");
    assert!(check(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24, hostBGP: true}\n")).is_empty());
}

#[test]
fn no_vlan_or_address_range_twice_in_one_vpc() {
    let issues = errors(Kind::VPC, &subnets("    a: {subnet: 10.0.0.0/16, vlan: 1001}\n    b: {subnet: 10.0.1.0/24, vlan: 1001}\n"));
    assert_issue(&issues, "spec.subnets.b.vlan", "vlan", "VLAN 1001 is already used by subnet \"a\" of this VPC");
    assert_issue(&issues, "spec.subnets.b.subnet", "vpc-subnet", "subnet 10.0.1.0/24 overlaps subnet \"a\" (10.0.0.0/16) of this VPC");
    assert!(check(Kind::VPC, &subnets("    a: {subnet: 10.0.0.0/24, vlan: 1001}\n    b: {subnet: 10.0.1.0/24, vlan: 1002}\n")).is_empty());
}

#[test]
fn dhcp_range_is_inside_the_subnet() {
    let dhcp = |range: &str| subnets(&format!("    a:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n      dhcp: {{enable: true, range: {range}}}\n"));
    assert!(check(Kind::VPC, &dhcp("{start: 10.0.1.10, end: 10.0.1.99}")).is_empty());
    let issues = errors(Kind::VPC, &dhcp("{start: 10.0.2.10, end: 10.0.1.0}"));
    assert_issue(&issues, "spec.subnets.a.dhcp.range.start", "vpc-dhcp", "DHCP range start 10.0.2.10 is not inside subnet 10.0.1.0/24");
    assert_issue(&issues, "spec.subnets.a.dhcp.range.end", "vpc-dhcp", "is the subnet's own address");
    assert_issue(&errors(Kind::VPC, &dhcp("{start: 10.0.1.1}")), "spec.subnets.a.dhcp.range.start", "vpc-dhcp", "is the gateway");
    assert_issue(&errors(Kind::VPC, &dhcp("{start: 10.0.1.50, end: 10.0.1.20}")), "spec.subnets.a.dhcp.range", "vpc-dhcp", "does not come before its end");
    assert_issue(&errors(Kind::VPC, &dhcp("{start: ten}")), "spec.subnets.a.dhcp.range.start", "vpc-dhcp", "not an IPv4 address");
}

#[test]
fn dhcp_settings_fit_together() {
    let with = |dhcp: &str| subnets(&format!("    a:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n      dhcp: {dhcp}\n"));
    let ignored = check(Kind::VPC, &with("{range: {start: 10.0.9.1}}"));
    assert_no_errors(&ignored);
    assert_issue(&ignored, "spec.subnets.a.dhcp.range", "vpc-dhcp", "ignored while dhcp.enable is not true");
    assert_issue(&errors(Kind::VPC, &with("{enable: true, relay: 10.99.0.100/24}")), "spec.subnets.a.dhcp.relay", "vpc-dhcp", "cannot both be enabled");
    assert_issue(&errors(Kind::VPC, &with("{relayVPC: other}")), "spec.subnets.a.dhcp.relayVPC", "vpc-dhcp", "relay is not");
    assert!(check(Kind::VPC, &with("{relay: 10.99.0.100/24}")).is_empty());
    let options = errors(Kind::VPC, &with("{enable: true, options: {interfaceMTU: 20, leaseTimeSeconds: 60, dnsServers: [1.1.1.1, dns], advertisedRoutes: [{destination: 10.50.0.0/16, gateway: 10.0.2.1}]}}"));
    assert_issue(&options, "spec.subnets.a.dhcp.options.interfaceMTU", "vpc-dhcp", "outside 96-9036");
    assert_issue(&options, "spec.subnets.a.dhcp.options.dnsServers[1]", "vpc-dhcp", "not an IPv4 address");
    assert_issue(&options, "spec.subnets.a.dhcp.options.advertisedRoutes[0].gateway", "vpc-dhcp", "not inside subnet");
    let statics = errors(Kind::VPC, &with("{enable: true, static: {'0c:20:12:ff:00:01': {ip: 10.0.1.20}, '0c:20:12:ff:00:02': {ip: 10.0.1.20}, '0c:20:12:ff:00:03': {ip: 10.0.1.255}}}"));
    assert_issue(&statics, "spec.subnets.a.dhcp.static[\"0c:20:12:ff:00:02\"].ip", "vpc-dhcp", "already given to 0c:20:12:ff:00:01");
    assert_issue(&statics, "spec.subnets.a.dhcp.static[\"0c:20:12:ff:00:03\"].ip", "vpc-dhcp", "broadcast");
    let host_bgp = errors(Kind::VPC, &subnets("    a: {subnet: 10.0.1.0/24, hostBGP: true, dhcp: {enable: true}}\n"));
    assert_issue(&host_bgp, "spec.subnets.a.dhcp.enable", "vpc-dhcp", "cannot be enabled on a hostBGP subnet");
}

#[test]
fn mode_permit_and_static_routes() {
    let base = "  subnets:\n    a: {subnet: 10.0.1.0/24, vlan: 1001}\n    b: {subnet: 10.0.2.0/24, vlan: 1002}\n";
    assert_issue(&errors(Kind::VPC, &vpc(&format!("{base}  mode: l3flat\n"))), "spec.mode", "vpc-mode", "not supported yet");
    assert_issue(&errors(Kind::VPC, &vpc(&format!("{base}  mode: l2vni\n"))), "spec.mode", "vpc-mode", "is not one of l3vni");
    assert!(check(Kind::VPC, &vpc(&format!("{base}  mode: l3vni\n  permit: [[a, b]]\n  staticRoutes: [{{prefix: 10.42.0.0/24, nextHops: [10.99.0.1]}}]\n"))).is_empty());
    let permit = errors(Kind::VPC, &vpc(&format!("{base}  permit: [[a], [a, c], [b, b]]\n")));
    assert_issue(&permit, "spec.permit[0]", "vpc-permit", "at least two subnets");
    assert_issue(&permit, "spec.permit[1][1]", "vpc-permit", "this VPC has no subnet \"c\"");
    assert_issue(&permit, "spec.permit[2][1]", "vpc-permit", "listed twice");
    let routes = errors(Kind::VPC, &vpc(&format!("{base}  staticRoutes: [{{prefix: 10.42.0.1/24, nextHops: []}}, {{nextHops: [10.99.0.1]}}]\n")));
    assert_issue(&routes, "spec.staticRoutes[0].prefix", "vpc-static-route", "did you mean 10.42.0.0/24?");
    assert_issue(&routes, "spec.staticRoutes[0].nextHops", "vpc-static-route", "at least one next hop");
    assert_issue(&routes, "spec.staticRoutes[1].prefix", "vpc-static-route", "needs a prefix");
}
