//! Tests of the fabric-wide rules: references, port reuse, attachments, VPCs together.

use serde_json::Value;

use super::test_support::*;

/// A small fabric that is valid as a whole.
const BASE: &str = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata: {name: eslag-1}
spec: {}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: spine-01}
spec: {role: spine}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: leaf-01}
spec: {role: server-leaf, groups: [eslag-1], redundancy: {group: eslag-1, type: eslag}}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: leaf-02}
spec: {role: server-leaf, groups: [eslag-1], redundancy: {group: eslag-1, type: eslag}}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: border}
spec: {role: border-leaf}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata: {name: server-01}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata: {name: server-02}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: server-01--unbundled--leaf-01}
spec: {unbundled: {link: {server: {port: server-01/enp2s1}, switch: {port: leaf-01/E1/1}}}}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: server-02--eslag}
spec:
  eslag:
    links:
    - {server: {port: server-02/enp2s1}, switch: {port: leaf-01/E1/2}}
    - {server: {port: server-02/enp2s2}, switch: {port: leaf-02/E1/2}}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: spine-01--fabric--leaf-01}
spec: {fabric: {links: [{spine: {port: spine-01/E1/1}, leaf: {port: leaf-01/E1/8}}]}}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: border--external}
spec: {external: {link: {switch: {port: border/E1/5}}}}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-1}
spec:
  subnets:
    default: {subnet: 10.0.1.0/24, vlan: 1001}
    hbgp: {subnet: 10.0.9.0/24, hostBGP: true}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-2}
spec:
  subnets:
    default: {subnet: 10.0.2.0/24, vlan: 1002}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata: {name: server-02--vpc-1}
spec: {subnet: vpc-1/default, connection: server-02--eslag}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata: {name: server-01--vpc-1-hbgp}
spec: {subnet: vpc-1/hbgp, connection: server-01--unbundled--leaf-01}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCPeering
metadata: {name: vpc-1--vpc-2}
spec: {permit: [{vpc-1: {subnets: [default]}, vpc-2: {}}]}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: External
metadata: {name: ext}
spec: {inboundCommunity: "65102:5000", outboundCommunity: "50000:50001"}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: ExternalAttachment
metadata: {name: border--ext}
spec: {external: ext, connection: border--external, switch: {ip: 100.100.0.1/24, vlan: 100}, neighbor: {asn: 65102, ip: 100.100.0.6}}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: ExternalPeering
metadata: {name: vpc-1--ext}
spec: {permit: {vpc: {name: vpc-1, subnets: [default]}, external: {name: ext, prefixes: [{prefix: 0.0.0.0/0}]}}}
"#;

fn parse_all(text: &str) -> Vec<Value> {
    crate::yaml::split_documents(text.as_bytes())
        .map(|raw| crate::yaml::parse_document(raw.bytes, raw.start_line, &Default::default()).expect("test YAML parses").value)
        .collect()
}

/// Validates BASE plus `extra` documents as one fabric; returns (resource name, issue) pairs.
fn fabric(extra: &str) -> Vec<(String, Issue)> {
    let docs = parse_all(&format!("{BASE}---\n{extra}"));
    let resources: Vec<FabricResource<'_>> = docs
        .iter()
        .map(|d| {
            let Classification::Managed { kind, .. } = classify(d) else { panic!("not managed: {d}") };
            let name = d.pointer("/metadata/name").and_then(Value::as_str).expect("named");
            FabricResource { kind, name, document: d }
        })
        .collect();
    validate_fabric(&resources).into_iter().map(|(i, issue)| (resources[i].name.to_owned(), issue)).collect()
}

#[track_caller]
fn assert_found(found: &[(String, Issue)], resource: &str, path: &str, rule: &str, fragment: &str) {
    assert!(
        found.iter().any(|(r, i)| r == resource && i.path.to_string() == path && i.rule == rule && i.message.contains(fragment)),
        "no {rule} issue on {resource} at {path} containing {fragment:?} in:\n{}",
        found.iter().map(|(r, i)| format!("  {r}: {i}\n")).collect::<String>()
    );
}

#[test]
fn the_base_fabric_is_valid_document_by_document_and_as_a_whole() {
    for doc in parse_all(BASE) {
        let Classification::Managed { kind, .. } = classify(&doc) else { panic!("not managed") };
        assert_no_errors(&validate_document(kind, &doc));
    }
    assert!(fabric("").is_empty(), "{:?}", fabric(""));
}

#[test]
fn a_connection_names_existing_switches_and_servers() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: c}\nspec:\n  bundled:\n    links:\n    - {server: {port: server-09/e1}, switch: {port: leaf-09/E1/1}}\n    - {server: {port: server-09/e2}, switch: {port: leaf-09/E1/2}}\n");
    assert_found(&found, "c", "spec.bundled.links[0].switch.port", "reference", "switch \"leaf-09\" does not exist in this fabric");
    assert_found(&found, "c", "spec.bundled.links[0].server.port", "reference", "server \"server-09\" does not exist in this fabric");
    assert_eq!(found.len(), 2, "one issue per missing device: {found:?}");
}

#[test]
fn a_switch_names_existing_groups() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata: {name: leaf-03}\nspec: {role: server-leaf, groups: [mclag-9], redundancy: {group: eslag-9, type: eslag}}\n");
    assert_found(&found, "leaf-03", "spec.groups[0]", "reference", "switch group \"mclag-9\" does not exist in this fabric");
    assert_found(&found, "leaf-03", "spec.redundancy.group", "reference", "switch group \"eslag-9\" does not exist");
}

#[test]
fn fabric_links_go_from_a_spine_to_a_leaf() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: f}\nspec: {fabric: {links: [{spine: {port: leaf-02/E1/1}, leaf: {port: spine-01/E1/2}}]}}\n");
    assert_found(&found, "f", "spec.fabric.links[0].spine.port", "fabric-link", "\"leaf-02\" is a server-leaf, not a spine");
    assert_found(&found, "f", "spec.fabric.links[0].leaf.port", "fabric-link", "\"spine-01\" is a spine; this end must be a leaf");
}

#[test]
fn eslag_switches_share_an_eslag_redundancy_group() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: e}\nspec:\n  eslag:\n    links:\n    - {server: {port: server-01/e5}, switch: {port: leaf-01/E1/5}}\n    - {server: {port: server-01/e6}, switch: {port: border/E1/6}}\n");
    assert_found(&found, "e", "spec.eslag", "eslag", "switch \"border\" is in no redundancy group");
}

#[test]
fn a_port_used_by_two_connections_is_an_error_on_both() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: dup}\nspec: {unbundled: {link: {server: {port: server-02/enp9}, switch: {port: leaf-01/E1/1}}}}\n");
    assert_found(&found, "dup", "spec.unbundled.link.switch.port", "port-reuse", "port leaf-01/E1/1 is also used by connection \"server-01--unbundled--leaf-01\"");
    assert_found(&found, "server-01--unbundled--leaf-01", "spec.unbundled.link.switch.port", "port-reuse", "also used by connection \"dup\"");
    assert_eq!(found.len(), 2, "{found:?}");
    // leaf-01/E1/8/1 is the first breakout of leaf-01/E1/8, which the fabric connection uses.
    let breakout = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: brk}\nspec: {unbundled: {link: {server: {port: server-02/enp9}, switch: {port: leaf-01/E1/8/1}}}}\n");
    assert_found(&breakout, "brk", "spec.unbundled.link.switch.port", "port-reuse", "also used by connection \"spine-01--fabric--leaf-01\"");
    assert_found(&breakout, "spine-01--fabric--leaf-01", "spec.fabric.links[0].leaf.port", "port-reuse", "port leaf-01/E1/8 is also used by connection \"brk\"");
}

#[test]
fn vpc_attachment_references() {
    let att = |name: &str, spec: &str| format!("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata: {{name: {name}}}\nspec: {spec}\n---\n");
    let found = fabric(&[
        att("a1", "{subnet: vpc-9/default, connection: nope}"),
        att("a2", "{subnet: vpc-1/nope, connection: spine-01--fabric--leaf-01}"),
        att("a3", "{subnet: vpc-1/hbgp, connection: server-02--eslag, nativeVLAN: true}"),
        att("a4", "{subnet: vpc-1, connection: server-02--eslag}"),
    ].concat());
    assert_found(&found, "a1", "spec.subnet", "reference", "VPC \"vpc-9\" does not exist in this fabric");
    assert_found(&found, "a1", "spec.connection", "reference", "connection \"nope\" does not exist in this fabric");
    assert_found(&found, "a2", "spec.subnet", "reference", "VPC \"vpc-1\" has no subnet \"nope\"");
    assert_found(&found, "a2", "spec.connection", "attachment", "only to an unbundled, bundled or ESLAG connection; \"spine-01--fabric--leaf-01\" is a fabric connection");
    assert_found(&found, "a3", "spec.connection", "attachment", "a hostBGP subnet attaches only to an unbundled connection");
    assert_found(&found, "a3", "spec.nativeVLAN", "attachment", "native VLAN is not supported");
    assert_found(&found, "a4", "spec.connection", "attachment", "already attached to vpc-1/default by \"server-02--vpc-1\"");
}

#[test]
fn vpc_peering_references() {
    let found = fabric("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCPeering\nmetadata: {name: p}\nspec: {permit: [{vpc-1: {subnets: [nope]}, vpc-9: {}}]}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: vpc-3}\nspec: {ipv4Namespace: other, subnets: {default: {subnet: 10.0.3.0/24, vlan: 1003}}}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCPeering\nmetadata: {name: q}\nspec: {permit: [{vpc-1: {}, vpc-3: {}}]}\n");
    assert_found(&found, "p", "spec.permit[0].vpc-1.subnets[0]", "reference", "VPC \"vpc-1\" has no subnet \"nope\"");
    assert_found(&found, "p", "spec.permit[0].vpc-9", "reference", "VPC \"vpc-9\" does not exist in this fabric");
    assert_found(&found, "q", "spec.permit", "vpc-peering", "must be in the same IPv4Namespace; they are in \"default\" and \"other\"");
}

#[test]
fn external_attachment_and_peering_references() {
    let found = fabric("apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata: {name: ea}\nspec: {external: ext-9, connection: server-02--eslag, switch: {ip: 100.100.0.1/24, vlan: 100}, neighbor: {asn: 65102, ip: 100.100.0.6}}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata: {name: eb}\nspec: {external: ext, connection: border--external, static: {remoteIP: 10.0.0.2, proxy: true, vlan: 100}}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalPeering\nmetadata: {name: ep}\nspec: {permit: {vpc: {name: vpc-2, subnets: [other]}, external: {name: ext-9}}}\n");
    assert_found(&found, "ea", "spec.external", "reference", "external \"ext-9\" does not exist in this fabric");
    assert_found(&found, "ea", "spec.connection", "external-attachment", "\"server-02--eslag\" is a eslag connection");
    assert_found(&found, "eb", "spec.static", "external-attachment", "external \"ext\" has no static prefixes");
    assert_found(&found, "eb", "spec.static.vlan", "external-attachment", "already has an external attachment on VLAN 100: \"border--ext\"");
    assert_found(&found, "ep", "spec.permit.external.name", "reference", "external \"ext-9\" does not exist");
    assert_found(&found, "ep", "spec.permit.vpc.subnets[0]", "reference", "VPC \"vpc-2\" has no subnet \"other\"");
}

#[test]
fn vpcs_in_one_namespace_share_no_vlan_or_addresses() {
    let found = fabric("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: vpc-3}\nspec: {subnets: {a: {subnet: 10.0.0.0/16, vlan: 1001}}}\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: vpc-4}\nspec: {ipv4Namespace: lab, vlanNamespace: lab, subnets: {a: {subnet: 10.0.1.0/24, vlan: 1001}}}\n");
    assert_found(&found, "vpc-3", "spec.subnets.a.subnet", "vpc-subnet", "subnet 10.0.0.0/16 overlaps subnet \"default\" (10.0.1.0/24) of VPC \"vpc-1\"");
    assert_found(&found, "vpc-1", "spec.subnets.default.subnet", "vpc-subnet", "overlaps subnet \"a\" (10.0.0.0/16) of VPC \"vpc-3\"");
    assert_found(&found, "vpc-3", "spec.subnets.a.vlan", "vlan", "VLAN 1001 is also used by subnet \"default\" of VPC \"vpc-1\"");
    assert_found(&found, "vpc-1", "spec.subnets.default.vlan", "vlan", "also used by subnet \"a\" of VPC \"vpc-3\"");
    // vpc-4 is in other namespaces: it may reuse both.
    assert!(found.iter().all(|(r, _)| r != "vpc-4"), "{found:?}");
}

#[test]
fn vpc_subnets_and_vlans_lie_inside_namespaces_present_in_the_fabric() {
    let found = fabric("apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata: {name: default}\nspec: {subnets: [10.0.0.0/20]}\n---\napiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {name: default}\nspec: {ranges: [{from: 1000, to: 1001}]}\n");
    assert_found(&found, "vpc-2", "spec.subnets.default.vlan", "vlan", "VLAN 1002 is not in VLANNamespace \"default\" (1000-1001)");
    assert!(!found.iter().any(|(_, i)| i.rule == "vpc-subnet"), "{found:?}");
    let narrow = fabric("apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata: {name: default}\nspec: {subnets: [10.0.2.0/24]}\n");
    assert_found(&narrow, "vpc-1", "spec.subnets.default.subnet", "vpc-subnet", "subnet 10.0.1.0/24 is not inside IPv4Namespace \"default\" (10.0.2.0/24)");
}

#[test]
fn duplicate_names_of_one_kind() {
    let found = fabric("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata: {name: server-01}\n");
    assert_found(&found, "server-01", "metadata.name", "duplicate", "another Server named \"server-01\"");
    assert_eq!(found.len(), 1, "{found:?}");
}
