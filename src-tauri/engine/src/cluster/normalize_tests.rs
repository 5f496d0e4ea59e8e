use serde_json::json;

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
    assert_eq!(first_address("10.0.1.0/24"), Some(Ipv4Addr::new(10, 0, 1, 1)));
    assert_eq!(first_address("10.0.1.77/24"), Some(Ipv4Addr::new(10, 0, 1, 1)));
    assert_eq!(first_address("not a cidr"), None);
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
