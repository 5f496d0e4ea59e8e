use std::net::Ipv4Addr;

use serde_json::json;

use super::webhook_defaults::{canonical_mac, Cidr4};
use super::*;

fn vpc_in_git() -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1",
        "kind": "VPC",
        "metadata": { "name": "vpc-1" },
        "spec": { "subnets": { "default": { "subnet": "10.0.1.0/24", "vlan": 1001 } } }
    })
}

/// The same VPC as a Go client reads it back: server metadata, status, `{}` where Git has
/// nothing, the webhook's defaults and labels, and the last-applied annotation.
fn vpc_live() -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1",
        "kind": "VPC",
        "metadata": {
            "name": "vpc-1", "namespace": "default", "uid": "0b6e", "resourceVersion": "4242",
            "generation": 3, "creationTimestamp": "2026-11-30T10:00:00Z",
            "managedFields": [{ "manager": "kubectl", "operation": "Update" }],
            "labels": { "fabric.githedgehog.com/ipv4ns": "default", "fabric.githedgehog.com/vlanns": "default" },
            "annotations": { "kubectl.kubernetes.io/last-applied-configuration": "{}" }
        },
        "spec": {
            "ipv4Namespace": "default", "vlanNamespace": "default", "permit": [], "staticRoutes": null,
            "subnets": { "default": { "subnet": "10.0.1.0/24", "vlan": 1001, "gateway": "10.0.1.1", "dhcp": {} } }
        },
        "status": { "vni": 100 }
    })
}

#[test]
fn server_fields_empty_objects_and_webhook_defaults_are_no_drift() {
    let desired = normalize(Kind::VPC, &vpc_in_git());
    let live = normalize(Kind::VPC, &vpc_live());
    assert_eq!(differing_fields(&desired, &live), Vec::<String>::new(), "{desired:#}\n{live:#}");
}

#[test]
fn a_changed_field_is_named_by_its_path() {
    let mut live = vpc_live();
    live["spec"]["subnets"]["default"]["vlan"] = json!(1002);
    let fields = differing_fields(&normalize(Kind::VPC, &vpc_in_git()), &normalize(Kind::VPC, &live));
    assert_eq!(fields, ["spec.subnets.default.vlan"]);
}

#[test]
fn a_gateway_other_than_the_first_address_is_drift() {
    let mut live = vpc_live();
    live["spec"]["subnets"]["default"]["gateway"] = json!("10.0.1.254");
    let fields = differing_fields(&normalize(Kind::VPC, &vpc_in_git()), &normalize(Kind::VPC, &live));
    assert_eq!(fields, ["spec.subnets.default.gateway"]);
}

#[test]
fn a_label_a_person_set_counts_and_derived_labels_do_not() {
    let mut git = vpc_in_git();
    git["metadata"]["labels"] = json!({ "team": "net" });
    let fields = differing_fields(&normalize(Kind::VPC, &git), &normalize(Kind::VPC, &vpc_live()));
    assert_eq!(fields, ["metadata.labels"]);
}

#[test]
fn schema_defaults_fill_in_what_the_server_would() {
    // The Switch CRD defaults the link-flap fields: a live switch carries them, Git need not.
    let git = json!({ "apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Switch", "metadata": { "name": "leaf-01" },
        "spec": { "role": "server-leaf", "redundancy": {}, "linkFlapErrDisable": {} } });
    let schema = openapi_schema(Kind::Switch).expect("the Switch CRD");
    let text = schema.to_string();
    assert!(text.contains("\"default\":3"), "the shipped CRD declares a default");
    let mut live = git.clone();
    apply_schema_defaults(schema.pointer("/properties/spec").unwrap(), &mut live["spec"]);
    assert_ne!(live, git, "defaults were applied to something");
    assert_eq!(differing_fields(&normalize(Kind::Switch, &git), &normalize(Kind::Switch, &live)), Vec::<String>::new());
}

#[test]
fn lists_compare_by_their_natural_key_not_their_order() {
    let git = json!({ "apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Connection", "metadata": { "name": "c" },
        "spec": { "fabric": { "links": [
            { "leaf": { "port": "leaf-01/E1/1" }, "spine": { "port": "spine-01/E1/1" } },
            { "leaf": { "port": "leaf-01/E1/2" }, "spine": { "port": "spine-01/E1/2" } } ] } } });
    let mut live = git.clone();
    live["spec"]["fabric"]["links"].as_array_mut().unwrap().reverse();
    assert_eq!(differing_fields(&normalize(Kind::Connection, &git), &normalize(Kind::Connection, &live)), Vec::<String>::new());
    live["spec"]["fabric"]["links"][0]["spine"]["port"] = json!("spine-01/E1/9");
    assert_eq!(differing_fields(&normalize(Kind::Connection, &git), &normalize(Kind::Connection, &live)).len(), 1);
}

#[test]
fn first_addresses() {
    let gateway = |cidr: &str| Cidr4::parse(cidr).map(Cidr4::gateway);
    assert_eq!(gateway("10.0.1.0/24"), Some(Ipv4Addr::new(10, 0, 1, 1)));
    assert_eq!(gateway("10.0.1.77/24"), Some(Ipv4Addr::new(10, 0, 1, 1)));
    assert_eq!(gateway("not a cidr"), None);
    assert_eq!(gateway("10.0.1.0/+24"), None, "Go's ParseCIDR takes decimal digits only");
    assert_eq!(gateway("10.0.1.0/33"), None);
}

#[test]
fn dhcp_ranges_run_from_the_second_to_the_last_address() {
    let cidr = Cidr4::parse("10.0.1.0/24").unwrap();
    assert_eq!((cidr.dhcp_start(), cidr.last()), (Ipv4Addr::new(10, 0, 1, 2), Ipv4Addr::new(10, 0, 1, 255)));
    let cidr = Cidr4::parse("10.0.4.9/30").unwrap();
    assert_eq!((cidr.dhcp_start(), cidr.last()), (Ipv4Addr::new(10, 0, 4, 10), Ipv4Addr::new(10, 0, 4, 11)));
}

#[test]
fn an_adopted_object_keeps_its_spec_and_loses_what_the_server_owns() {
    let adopted = adoptable(&vpc_live());
    assert_eq!(
        adopted,
        json!({
            "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": { "name": "vpc-1" },
            "spec": { "ipv4Namespace": "default", "vlanNamespace": "default",
                      "subnets": { "default": { "subnet": "10.0.1.0/24", "vlan": 1001, "gateway": "10.0.1.1" } } }
        })
    );
}

/// A Hedgehog document of `kind` named `x`.
fn document(group: &str, kind: &str, spec: Value) -> Value {
    json!({ "apiVersion": format!("{group}.githedgehog.com/v1beta1"), "kind": kind, "metadata": { "name": "x" }, "spec": spec })
}

fn drift_between(kind: Kind, git: &Value, live: &Value) -> Vec<String> {
    differing_fields(&normalize(kind, git), &normalize(kind, live))
}

/// A VPC with one /24 subnet `default` whose `dhcp` is given.
fn vpc_with_dhcp(dhcp: Value) -> Value {
    document("vpc", "VPC", json!({ "subnets": { "default": { "subnet": "10.0.1.0/24", "vlan": 1001, "dhcp": dhcp } } }))
}

/// What the VPC webhook leaves of [`vpc_with_dhcp`]: namespaces and gateway filled in.
fn vpc_live_with_dhcp(dhcp: Value) -> Value {
    document("vpc", "VPC", json!({ "ipv4Namespace": "default", "vlanNamespace": "default",
        "subnets": { "default": { "subnet": "10.0.1.0/24", "vlan": 1001, "gateway": "10.0.1.1", "dhcp": dhcp } } }))
}

#[test]
fn the_dhcp_range_defaults_to_the_subnet() {
    let git = vpc_with_dhcp(json!({ "enable": true }));
    let mut live = vpc_live_with_dhcp(json!({ "enable": true, "range": { "start": "10.0.1.2", "end": "10.0.1.255" } }));
    assert_eq!(drift_between(Kind::VPC, &git, &live), Vec::<String>::new());
    live["spec"]["subnets"]["default"]["dhcp"]["range"]["start"] = json!("10.0.1.10");
    assert_eq!(drift_between(Kind::VPC, &git, &live), ["spec.subnets.default.dhcp.range.start"]);
}

#[test]
fn dhcp_options_get_their_defaults_and_order() {
    let git = vpc_with_dhcp(json!({ "enable": true, "options": {
        "pxeURL": "http://10.0.1.9/boot", "dnsServers": ["10.0.1.9", "10.0.1.8"],
        "advertisedRoutes": [
            { "destination": "10.2.0.0/16", "gateway": "10.0.1.1" },
            { "destination": "10.1.0.0/16", "gateway": "10.0.1.1" } ] } }));
    let mut live = vpc_live_with_dhcp(json!({ "enable": true, "range": { "start": "10.0.1.2", "end": "10.0.1.255" },
        "options": { "pxeURL": "http://10.0.1.9/boot", "dnsServers": ["10.0.1.8", "10.0.1.9"], "timeServers": [],
            "interfaceMTU": 9036, "leaseTimeSeconds": 3600,
            "advertisedRoutes": [
                { "destination": "10.1.0.0/16", "gateway": "10.0.1.1" },
                { "destination": "10.2.0.0/16", "gateway": "10.0.1.1" } ] } }));
    assert_eq!(drift_between(Kind::VPC, &git, &live), Vec::<String>::new());
    live["spec"]["subnets"]["default"]["dhcp"]["options"]["leaseTimeSeconds"] = json!(7200);
    assert_eq!(drift_between(Kind::VPC, &git, &live), ["spec.subnets.default.dhcp.options.leaseTimeSeconds"]);
}

#[test]
fn dhcp_settings_the_webhook_drops_are_no_drift() {
    // Disabled DHCP loses its range and options; options that set nothing are dropped.
    let disabled = vpc_with_dhcp(json!({ "range": { "start": "10.0.1.10" }, "options": { "pxeURL": "http://10.0.1.9/boot" } }));
    assert_eq!(drift_between(Kind::VPC, &disabled, &vpc_live_with_dhcp(json!({}))), Vec::<String>::new());
    let unset = vpc_with_dhcp(json!({ "enable": true, "options": { "interfaceMTU": 0 } }));
    let mut live = vpc_live_with_dhcp(json!({ "enable": true, "range": { "start": "10.0.1.2", "end": "10.0.1.255" } }));
    assert_eq!(drift_between(Kind::VPC, &unset, &live), Vec::<String>::new());
    live["spec"]["subnets"]["default"]["dhcp"]["options"] = json!({ "interfaceMTU": 1500, "leaseTimeSeconds": 3600 });
    assert_eq!(drift_between(Kind::VPC, &unset, &live), ["spec.subnets.default.dhcp.options"]);
}

#[test]
fn static_dhcp_macs_compare_in_go_form() {
    let git = vpc_with_dhcp(json!({ "enable": true, "static": { "AA-BB-CC-DD-EE-0F": { "ip": "10.0.1.50" } } }));
    let mut live = vpc_live_with_dhcp(json!({ "enable": true, "range": { "start": "10.0.1.2", "end": "10.0.1.255" },
        "static": { "aa:bb:cc:dd:ee:0f": { "ip": "10.0.1.50" } } }));
    assert_eq!(drift_between(Kind::VPC, &git, &live), Vec::<String>::new());
    live["spec"]["subnets"]["default"]["dhcp"]["static"] = json!({ "aa:bb:cc:dd:ee:01": { "ip": "10.0.1.50" } });
    assert_eq!(drift_between(Kind::VPC, &git, &live).len(), 2, "one MAC gone, another one there");
}

#[test]
fn macs_parse_as_go_parses_them() {
    assert_eq!(canonical_mac("AA:BB:CC:DD:EE:0F").as_deref(), Some("aa:bb:cc:dd:ee:0f"));
    assert_eq!(canonical_mac("aa-bb-cc-dd-ee-0f").as_deref(), Some("aa:bb:cc:dd:ee:0f"));
    assert_eq!(canonical_mac("0000.5e00.5301").as_deref(), Some("00:00:5e:00:53:01"));
    assert_eq!(canonical_mac("02:00:5E:10:00:00:00:01").as_deref(), Some("02:00:5e:10:00:00:00:01"));
    assert_eq!(canonical_mac("aa:bb-cc:dd:ee:0f"), None, "one separator throughout");
    assert_eq!(canonical_mac("aa:bb:cc:dd:ee"), None, "five bytes");
    assert_eq!(canonical_mac("aa:bb:cc:dd:ee:0g"), None);
    assert_eq!(canonical_mac("not a mac address"), None);
}

#[test]
fn a_vpc_attachment_to_a_vpc_is_to_its_default_subnet() {
    let git = document("vpc", "VPCAttachment", json!({ "subnet": "vpc-1", "connection": "server-01--unbundled--leaf-01" }));
    let mut live = document("vpc", "VPCAttachment", json!({ "subnet": "vpc-1/default", "connection": "server-01--unbundled--leaf-01" }));
    assert_eq!(drift_between(Kind::VPCAttachment, &git, &live), Vec::<String>::new());
    live["spec"]["subnet"] = json!("vpc-1/subnet-2");
    assert_eq!(drift_between(Kind::VPCAttachment, &git, &live), ["spec.subnet"]);
}

#[test]
fn an_external_is_in_the_default_ipv4_namespace() {
    let git = document("vpc", "External", json!({ "inboundCommunity": "65102:5000", "outboundCommunity": "50000:50001" }));
    let mut live = git.clone();
    live["spec"]["ipv4Namespace"] = json!("default");
    assert_eq!(drift_between(Kind::External, &git, &live), Vec::<String>::new());
    live["spec"]["ipv4Namespace"] = json!("ns-2");
    assert_eq!(drift_between(Kind::External, &git, &live), ["spec.ipv4Namespace"]);
}

#[test]
fn external_peering_prefixes_are_sorted() {
    let git = document("vpc", "ExternalPeering", json!({ "permit": {
        "vpc": { "name": "vpc-1", "subnets": ["subnet-2", "default"] },
        "external": { "name": "ext-1", "prefixes": [{ "prefix": "10.9.0.0/16" }, { "prefix": "0.0.0.0/0" }] } } }));
    let mut live = document("vpc", "ExternalPeering", json!({ "permit": {
        "vpc": { "name": "vpc-1", "subnets": ["default", "subnet-2"] },
        "external": { "name": "ext-1", "prefixes": [{ "prefix": "0.0.0.0/0" }, { "prefix": "10.9.0.0/16" }] } } }));
    assert_eq!(drift_between(Kind::ExternalPeering, &git, &live), Vec::<String>::new());
    live["spec"]["permit"]["external"]["prefixes"][1]["prefix"] = json!("10.8.0.0/16");
    assert_eq!(drift_between(Kind::ExternalPeering, &git, &live).len(), 1);
}

#[test]
fn switch_webhook_defaults_are_no_drift() {
    let git = document("wiring", "Switch", json!({ "role": "server-leaf", "groups": ["zz"],
        "redundancy": { "group": "mclag-1", "type": "mclag" },
        "portSpeeds": { "E1/1": "SPEED_25GB" }, "portGroupSpeeds": { "1": "SPEED_10GB" } }));
    let mut live = document("wiring", "Switch", json!({ "role": "server-leaf", "groups": ["mclag-1", "zz"],
        "redundancy": { "group": "mclag-1", "type": "mclag" }, "vlanNamespaces": ["default"],
        "portSpeeds": { "E1/1": "25GB" }, "portGroupSpeeds": { "1": "10GB" } }));
    assert_eq!(drift_between(Kind::Switch, &git, &live), Vec::<String>::new());
    live["spec"]["vlanNamespaces"] = json!(["vlan-ns-2"]);
    let fields = drift_between(Kind::Switch, &git, &live);
    assert!(fields.len() == 1 && fields[0].starts_with("spec.vlanNamespaces"), "{fields:?}");
}

#[test]
fn vlan_namespace_ranges_are_completed_and_sorted() {
    let git = document("wiring", "VLANNamespace", json!({ "ranges": [{ "from": 2000, "to": 2999 }, { "from": 1000 }] }));
    let mut live = document("wiring", "VLANNamespace", json!({ "ranges": [{ "from": 1000, "to": 1000 }, { "from": 2000, "to": 2999 }] }));
    assert_eq!(drift_between(Kind::VLANNamespace, &git, &live), Vec::<String>::new());
    live["spec"]["ranges"][0]["to"] = json!(1099);
    assert_eq!(drift_between(Kind::VLANNamespace, &git, &live).len(), 1);
}

#[test]
fn sorting_defaults_apply_to_the_spec_itself() {
    // normalize sorts lists of scalars anyway; the webhook's own sorting is checked here.
    let mut spec = json!({ "subnets": ["10.1.0.0/16", "10.0.0.0/16"] });
    webhook_defaults(Kind::IPv4Namespace, &mut spec);
    assert_eq!(spec, json!({ "subnets": ["10.0.0.0/16", "10.1.0.0/16"] }));
    let mut spec = json!({ "groups": ["b"], "redundancy": { "group": "a" } });
    webhook_defaults(Kind::Switch, &mut spec);
    assert_eq!(spec, json!({ "groups": ["a", "b"], "redundancy": { "group": "a" }, "vlanNamespaces": ["default"] }));
}

#[test]
fn kinds_without_spec_defaults_are_left_alone() {
    let spec = json!({ "subnet": "vpc-1", "ipv4Namespace": "", "ranges": [{ "from": 2 }, { "from": 1 }] });
    for kind in [Kind::Server, Kind::Connection, Kind::SwitchGroup, Kind::SwitchProfile, Kind::ServerProfile,
        Kind::VPCPeering, Kind::ExternalAttachment] {
        let mut defaulted = spec.clone();
        webhook_defaults(kind, &mut defaulted);
        assert_eq!(defaulted, spec, "{kind:?}");
    }
}
