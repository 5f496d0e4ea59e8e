//! Tests of the per-document Hedgehog rules other than the VPC's: each rule fails and passes.

use super::test_support::*;

fn resource(kind: Kind, name: &str, spec: &str) -> String {
    format!("apiVersion: {}\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{spec}", kind.api_version())
}

fn rule_errors(kind: Kind, text: &str, rule: &str) -> Vec<Issue> {
    errors(kind, text).into_iter().filter(|i| i.rule == rule).collect()
}

#[test]
fn names_are_rfc1123_subdomains() {
    for bad in ["../etc", "a/b", "UPPER", "-lead", "trail-", "a..b", "a_b", "'.'"] {
        let issues = rule_errors(Kind::Server, &resource(Kind::Server, bad, "  description: x\n"), "name");
        assert_issue(&issues, "metadata.name", "name", "is not a valid name");
    }
    let long = "a".repeat(254);
    let issues = rule_errors(Kind::Server, &resource(Kind::Server, &long, "  {}\n"), "name");
    assert_issue(&issues, "metadata.name", "name", "254 characters long; at most 253");
    let max = format!("{}.{}", "a".repeat(126), "b".repeat(126));
    assert!(rule_errors(Kind::Server, &resource(Kind::Server, &max, "  {}\n"), "name").is_empty());
    for good in ["server-01", "a", "0", "a.b-c.d9"] {
        assert!(rule_errors(Kind::Server, &resource(Kind::Server, good, "  {}\n"), "name").is_empty(), "{good}");
    }
    assert_issue(&errors(Kind::Server, &resource(Kind::Server, "''", "  {}\n")), "metadata.name", "name", "empty");
}

#[test]
fn windows_device_names_are_a_warning_not_an_error() {
    let windows = |name: &str| -> Vec<Issue> {
        check(Kind::Server, &resource(Kind::Server, name, "  description: x\n")).into_iter().filter(|i| i.rule == "windows-name").collect()
    };
    for name in ["con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt9", "nul.txt", "con.a.b"] {
        let issues = windows(name);
        assert_issue(&issues, "metadata.name", "windows-name", "device name on Windows");
        assert_issue(&issues, "metadata.name", "windows-name", "Windows clients of this repository cannot check out");
        assert!(issues.iter().all(|i| !i.is_error()), "{name}: a warning, not an error: {issues:?}");
        assert_no_errors(&check(Kind::Server, &resource(Kind::Server, name, "  description: x\n")));
    }
    assert_issue(&windows("nul.txt"), "metadata.name", "windows-name", "\"nul.txt\" starts with \"nul\"");
    for name in ["console", "com0", "com10", "lpt", "null", "aux-1", "server-con", "a.nul"] {
        assert!(windows(name).is_empty(), "{name}: {:?}", windows(name));
    }
}

#[test]
fn windows_reserved_file_names_in_any_case_and_with_trailing_dots_or_spaces() {
    use super::rules::windows_reserved;
    for name in ["CON", "Nul", "nUl.TxT", "COM3", "Lpt7.yaml", "aux .yaml", "x.", "x ", "leaf-01."] {
        assert!(windows_reserved(name).is_some(), "{name}");
    }
    for name in ["leaf-01", "leaf-01.yaml", "conf", "comx", "lpt0", "nul_yaml-0"] {
        assert!(windows_reserved(name).is_none(), "{name}");
    }
    // A name that is invalid anyway is reported as invalid, not twice.
    let issues = check(Kind::Server, &resource(Kind::Server, "'nul.'", "  description: x\n"));
    assert_issue(&issues, "metadata.name", "name", "is not a valid name");
    assert!(issues.iter().all(|i| i.rule != "windows-name"), "{issues:?}");
}

#[test]
fn vpc_ipv4namespace_and_external_names_are_at_most_11_characters() {
    for kind in [Kind::VPC, Kind::IPv4Namespace, Kind::External] {
        let issues = rule_errors(kind, &resource(kind, "abcdefghijkl", "  {}\n"), "name");
        assert_issue(&issues, "metadata.name", "name", &format!("a {kind} name may be at most 11 characters; \"abcdefghijkl\" has 12"));
        assert!(rule_errors(kind, &resource(kind, "abcdefghijk", "  {}\n"), "name").is_empty());
    }
    assert!(rule_errors(Kind::Switch, &resource(Kind::Switch, "abcdefghijkl", "  role: spine\n"), "name").is_empty());
}

#[test]
fn namespace_must_be_absent_or_default() {
    let text = |ns: &str| format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s\n  namespace: {ns}\n");
    assert_issue(&errors(Kind::Server, &text("fab")), "metadata.namespace", "namespace", "namespace \"fab\" is not supported");
    assert_no_errors(&check(Kind::Server, &text("default")));
}

#[test]
fn labels_and_annotations_have_kubernetes_syntax() {
    let text = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s\n  labels:\n    ok.example.com/role: web\n    bad key: x\n    tier: '-front'\n  annotations:\n    hnp.githedgehog.com/fabric: FGD Sync Validation Fabric\n    /nope: x\n";
    let issues = rule_errors(Kind::Server, text, "labels");
    assert_issue(&issues, "metadata.labels[\"bad key\"]", "labels", "not a valid label key");
    assert_issue(&issues, "metadata.labels.tier", "labels", "not a valid label value");
    assert_issue(&issues, "metadata.annotations[\"/nope\"]", "labels", "not a valid annotation key");
    assert_eq!(issues.len(), 3, "{issues:?}");
}

#[test]
fn apiversion_and_kind_must_match() {
    let text = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: v}\nspec: {}\n";
    assert_issue(&errors(Kind::Switch, text), "kind", "kind", "this is a VPC, not a Switch");
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
    assert_issue(&errors(Kind::Server, cm), "apiVersion", "kind", "v1 ConfigMap is not a Server");
    let legacy = "apiVersion: wiring.githedgehog.com/v1alpha2\nkind: Server\nmetadata: {name: s}\n";
    let issues = check(Kind::Server, legacy);
    assert_no_errors(&issues);
    assert_issue(&issues, "apiVersion", "legacy-version", "rewrite it as wiring.githedgehog.com/v1beta1");
}

#[test]
fn switch_redundancy_needs_group_and_type_and_mclag_is_deprecated() {
    let s = |spec: &str| resource(Kind::Switch, "leaf-01", spec);
    assert_issue(&errors(Kind::Switch, &s("  role: server-leaf\n  redundancy: {group: g}\n")), "spec.redundancy.type", "redundancy", "needs a type");
    assert_issue(&errors(Kind::Switch, &s("  role: server-leaf\n  redundancy: {type: eslag}\n")), "spec.redundancy.group", "redundancy", "needs a group");
    let mclag = check(Kind::Switch, &s("  role: server-leaf\n  redundancy: {group: g, type: mclag}\n"));
    assert_no_errors(&mclag);
    let warning = mclag.iter().find(|i| i.rule == "deprecated").expect("an MCLAG warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.path.to_string(), "spec.redundancy.type");
    assert!(check(Kind::Switch, &s("  role: server-leaf\n  redundancy: {group: g, type: eslag}\n")).is_empty());
    assert_issue(&errors(Kind::Switch, &s("  role: spine\n  groups: ['']\n")), "spec.groups[0]", "switch", "cannot be empty");
}

#[test]
fn vlan_namespace_ranges() {
    let ns = |ranges: &str| resource(Kind::VLANNamespace, "default", &format!("  ranges:\n{ranges}"));
    let issues = errors(Kind::VLANNamespace, &ns("  - {from: 0, to: 10}\n  - {from: 100, to: 5000}\n  - {from: 20, to: 10}\n"));
    assert_issue(&issues, "spec.ranges[0].from", "vlan-range", "VLAN 0 is outside 1-4094");
    assert_issue(&issues, "spec.ranges[1].to", "vlan-range", "VLAN 5000 is outside 1-4094");
    assert_issue(&issues, "spec.ranges[2]", "vlan-range", "range 20-10 starts after it ends");
    let reserved = errors(Kind::VLANNamespace, &ns("  - {from: 2900, to: 3100}\n  - {from: 3500}\n"));
    assert_issue(&reserved, "spec.ranges[0]", "vlan-range", "VLAN range 2900-3100 overlaps the reserved range 3000-3999");
    assert_issue(&reserved, "spec.ranges[1]", "vlan-range", "VLAN range 3500-3500 overlaps the reserved range");
    let overlap = errors(Kind::VLANNamespace, &ns("  - {from: 1000, to: 2000}\n  - {from: 1500, to: 2500}\n"));
    assert_issue(&overlap, "spec.ranges[1]", "vlan-range", "overlaps range 1000-2000 (ranges[0])");
    assert!(check(Kind::VLANNamespace, &ns("  - {from: 1000, to: 2999}\n  - {from: 4000, to: 4094}\n  - {from: 1}\n")).is_empty());
}

#[test]
fn ipv4_namespace_has_at_most_10_subnets_that_do_not_overlap() {
    let ns = |subnets: Vec<String>| resource(Kind::IPv4Namespace, "default", &format!("  subnets: [{}]\n", subnets.join(", ")));
    let eleven: Vec<String> = (0..11).map(|i| format!("10.{i}.0.0/16")).collect();
    assert_issue(&errors(Kind::IPv4Namespace, &ns(eleven)), "spec.subnets", "ipv4-namespace", "at most 10 subnets; this one has 11");
    let ten: Vec<String> = (0..10).map(|i| format!("10.{i}.0.0/16")).collect();
    assert!(check(Kind::IPv4Namespace, &ns(ten)).is_empty());
    let issues = errors(Kind::IPv4Namespace, &ns(vec!["10.0.0.0/16".into(), "10.0.5.0/24".into(), "10.1.0.0".into()]));
    assert_issue(&issues, "spec.subnets[1]", "ipv4-namespace", "10.0.5.0/24 overlaps 10.0.0.0/16");
    assert_issue(&issues, "spec.subnets[2]", "ipv4-namespace", "\"10.1.0.0\" is not an IPv4 prefix");
}

#[test]
fn vpc_attachment_needs_vpc_slash_subnet_and_connection() {
    let att = |spec: &str| resource(Kind::VPCAttachment, "a", spec);
    assert!(check(Kind::VPCAttachment, &att("  subnet: vpc-1/default\n  connection: c\n")).is_empty());
    assert!(check(Kind::VPCAttachment, &att("  subnet: vpc-1\n  connection: c\n")).is_empty());
    let issues = errors(Kind::VPCAttachment, &att("  subnet: vpc-1/\n"));
    assert_issue(&issues, "spec.subnet", "attachment", "not in the form vpc-name/subnet-name");
    assert_issue(&issues, "spec.connection", "attachment", "needs a connection");
    assert_issue(&errors(Kind::VPCAttachment, &att("  connection: c\n")), "spec.subnet", "attachment", "needs a subnet");
    assert_issue(&errors(Kind::VPCAttachment, &att("  subnet: /x\n  connection: c\n")), "spec.subnet", "attachment", "not in the form");
}

#[test]
fn vpc_peering_is_between_exactly_two_vpcs() {
    let peering = |spec: &str| resource(Kind::VPCPeering, "p", spec);
    assert!(check(Kind::VPCPeering, &peering("  permit:\n  - {vpc-1: {}, vpc-2: {subnets: [default]}}\n")).is_empty());
    let three = errors(Kind::VPCPeering, &peering("  permit:\n  - {vpc-1: {}, vpc-2: {}}\n  - {vpc-1: {}, vpc-3: {}}\n"));
    assert_issue(&three, "spec.permit", "vpc-peering", "exactly two VPCs; its permit entries name 3: vpc-1, vpc-2, vpc-3");
    let one = errors(Kind::VPCPeering, &peering("  permit:\n  - {vpc-1: {}}\n"));
    assert_issue(&one, "spec.permit[0]", "vpc-peering", "names exactly two VPCs; this one names 1");
    assert_issue(&errors(Kind::VPCPeering, &peering("  {}\n")), "spec.permit", "vpc-peering", "needs a permit entry");
    let remote = errors(Kind::VPCPeering, &peering("  remote: border\n  permit:\n  - {a: {}, b: {}}\n"));
    assert_issue(&remote, "spec.remote", "vpc-peering", "no longer supported");
}

#[test]
fn external_communities_and_prefixes() {
    let ext = |spec: &str| resource(Kind::External, "ext", spec);
    assert!(check(Kind::External, &ext("  inboundCommunity: 65102:5000\n  outboundCommunity: 50000:50001\n  ipv4Namespace: default\n")).is_empty());
    let issues = errors(Kind::External, &ext("  inboundCommunity: '65102'\n  outboundCommunity: 70000:1\n  static: {prefixes: [10.0.0.0/8, nope]}\n"));
    assert_issue(&issues, "spec.inboundCommunity", "external", "not a BGP community");
    assert_issue(&issues, "spec.outboundCommunity", "external", "not a BGP community");
    assert_issue(&issues, "spec.static.prefixes[1]", "external", "not an IPv4 prefix");
}

#[test]
fn external_attachment_bgp_and_static() {
    let ea = |spec: &str| resource(Kind::ExternalAttachment, "ea", spec);
    let bgp = "  external: ext\n  connection: border--ext\n  switch: {ip: 100.100.0.1/24, vlan: 100}\n  neighbor: {asn: 65102, ip: 100.100.0.6}\n";
    assert!(check(Kind::ExternalAttachment, &ea(bgp)).is_empty());
    let issues = errors(Kind::ExternalAttachment, &ea("  switch: {ip: 100.100.0.1, vlan: 5000}\n  neighbor: {asn: 0, ip: 100.100.0.6/24}\n"));
    assert_issue(&issues, "spec.external", "external-attachment", "needs external");
    assert_issue(&issues, "spec.connection", "external-attachment", "needs connection");
    assert_issue(&issues, "spec.switch.ip", "external-attachment", "not an IPv4 address with prefix length");
    assert_issue(&issues, "spec.neighbor.asn", "external-attachment", "needs neighbor.asn");
    assert_issue(&issues, "spec.neighbor.ip", "external-attachment", "not an IPv4 address");
    assert_issue(&issues, "spec.switch.vlan", "vlan", "VLAN 5000 is outside 1-4094");
    let st = "  external: ext\n  connection: c\n  static: {remoteIP: 10.0.0.2, ip: 10.0.0.1/24, vlan: 0}\n";
    assert!(check(Kind::ExternalAttachment, &ea(st)).is_empty());
    let both = errors(Kind::ExternalAttachment, &ea("  external: ext\n  connection: c\n  static: {remoteIP: x, ip: 10.0.0.1/24, proxy: true}\n  switch: {ip: 1.1.1.1/24}\n"));
    assert_issue(&both, "spec.static", "external-attachment", "exactly one of static.ip and static.proxy");
    assert_issue(&both, "spec.static.remoteIP", "external-attachment", "not an IPv4 address");
    assert_issue(&both, "spec.switch", "external-attachment", "do not apply to a static attachment");
}

#[test]
fn external_attachment_inbound_acl() {
    let spec = "  external: ext\n  connection: c\n  static: {remoteIP: 10.0.0.2, proxy: true}\n  inboundACL:\n    statements:\n    - {seq: 5, action: permit, protocol: tcp, srcPrefix: any, dstPrefix: 10.0.0.0/8}\n    - {seq: 20, action: allow, protocol: udp, srcPrefix: any, dstPrefix: any, tcpFilters: {syn: true}}\n    - {seq: 20, action: deny, protocol: icmp, srcPrefix: x, dstPrefix: any, portRangeBegin: 5, portRangeEnd: 10}\n    - {seq: 30, action: deny, protocol: tcp, srcPrefix: any, dstPrefix: any, portRangeBegin: 80, portRangeEnd: 443}\n";
    let issues = rule_errors(Kind::ExternalAttachment, &resource(Kind::ExternalAttachment, "ea", spec), "acl");
    assert_issue(&issues, "spec.inboundACL.statements[0].seq", "acl", "reserved");
    assert_issue(&issues, "spec.inboundACL.statements[1].action", "acl", "\"allow\" is not one of");
    assert_issue(&issues, "spec.inboundACL.statements[1].tcpFilters", "acl", "tcp only");
    assert_issue(&issues, "spec.inboundACL.statements[2].seq", "acl", "used twice");
    assert_issue(&issues, "spec.inboundACL.statements[2].srcPrefix", "acl", "neither \"any\" nor an IPv4 prefix");
    assert_issue(&issues, "spec.inboundACL.statements[2].protocol", "acl", "tcp or udp only");
    assert_eq!(issues.len(), 6, "{issues:?}");
}

#[test]
fn external_peering_needs_both_names() {
    let ep = |spec: &str| resource(Kind::ExternalPeering, "ep", spec);
    let good = "  permit:\n    vpc: {name: vpc-1, subnets: [default]}\n    external: {name: ext, prefixes: [{prefix: 0.0.0.0/0}]}\n";
    assert!(check(Kind::ExternalPeering, &ep(good)).is_empty());
    let issues = errors(Kind::ExternalPeering, &ep("  permit:\n    external: {prefixes: [{prefix: 0.0.0.0}, {}]}\n"));
    assert_issue(&issues, "spec.permit.vpc.name", "external-peering", "needs permit.vpc.name");
    assert_issue(&issues, "spec.permit.external.name", "external-peering", "needs permit.external.name");
    assert_issue(&issues, "spec.permit.external.prefixes[0].prefix", "external-peering", "not an IPv4 prefix");
    assert_issue(&issues, "spec.permit.external.prefixes[1].prefix", "external-peering", "needs prefix");
}
