//! Tests of the schema layer: the shipped CRDs load, and each keyword they use constrains.

use serde_json::json;

use super::schema;
use super::test_support::*;

const INVALID_SPEC_SAMPLE: &str = include_str!(
    "../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__test-connection-manual.INVALID-spec.yaml"
);

fn switch(spec: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n{spec}")
}

fn schema_errors(kind: Kind, text: &str) -> Vec<Issue> {
    errors(kind, text).into_iter().filter(|i| i.rule == "schema").collect()
}

#[test]
fn every_shipped_crd_loads_with_only_supported_keywords() {
    assert_eq!(schema::check_loaded(), Ok(()));
}

#[test]
fn unsupported_keywords_fail_loudly_instead_of_passing_values() {
    for bad in [
        json!({"anyOf": [{"type": "string"}]}),
        json!({"x-kubernetes-validations": [{"rule": "self > 0"}]}),
        json!({"type": "string", "format": "ipv4"}),
        json!({"type": "tuple"}),
        json!({"x-kubernetes-list-type": "map"}),
    ] {
        assert!(schema::compile(&bad, "test").is_err(), "{bad} should not compile");
    }
    let ok = json!({"type": "string", "description": "d", "default": "x", "x-kubernetes-list-type": "atomic"});
    assert!(schema::compile(&ok, "test").is_ok());
}

#[test]
fn invalid_spec_sample_reports_unknown_fields_with_their_paths() {
    let raw = crate::yaml::split_documents(INVALID_SPEC_SAMPLE.as_bytes()).next().expect("one document");
    let doc = crate::yaml::parse_document(raw.bytes, raw.start_line, &Default::default()).expect("parses").value;
    let issues = validate_document(Kind::Connection, &doc);
    assert_issue(&issues, "spec.mclagDomain.peer1", "schema", "unknown field \"peer1\"");
    assert_issue(&issues, "spec.mclagDomain.peer2", "schema", "unknown field \"peer2\"");
    assert_issue(&issues, "apiVersion", "legacy-version", "v1alpha2");
    assert_issue(&issues, "spec.mclagDomain", "deprecated", "MCLAG");
}

#[test]
fn types_are_checked_and_integers_are_json_integers() {
    let issues = schema_errors(Kind::Switch, &switch("  role: spine\n  asn: '65100'\n  roce: 'yes'\n  groups: a\n"));
    assert_issue(&issues, "spec.asn", "schema", "must be an integer, not a string (\"65100\")");
    assert_issue(&issues, "spec.roce", "schema", "must be true or false");
    assert_issue(&issues, "spec.groups", "schema", "must be a list");
    let issues = schema_errors(Kind::Switch, &switch("  role: spine\n  asn: 65100.5\n"));
    assert_issue(&issues, "spec.asn", "schema", "must be an integer, not a number (65100.5)");
    assert!(schema_errors(Kind::Switch, &switch("  role: spine\n  asn: 65100\n")).is_empty());
}

#[test]
fn int32_format_bounds_integers() {
    let issues = schema_errors(Kind::Switch, &switch("  role: spine\n  asn: 4294967295\n"));
    assert_issue(&issues, "spec.asn", "schema", "does not fit in a 32-bit integer");
    assert!(schema_errors(Kind::Switch, &switch("  role: spine\n  asn: 2147483647\n")).is_empty());
}

#[test]
fn enums_minimum_and_maximum() {
    let spec = "  role: router\n  redundancy: {type: vpc}\n  linkFlapErrDisable:\n    flapThreshold: 0\n    samplingInterval: 65536\n";
    let issues = schema_errors(Kind::Switch, &switch(spec));
    assert_issue(&issues, "spec.role", "schema", "\"router\" is not one of: spine, server-leaf, border-leaf, mixed-leaf, virtual-edge");
    assert_issue(&issues, "spec.redundancy.type", "schema", "is not one of: mclag, eslag");
    assert_issue(&issues, "spec.linkFlapErrDisable.flapThreshold", "schema", "0 is less than the minimum 1");
    assert_issue(&issues, "spec.linkFlapErrDisable.samplingInterval", "schema", "65536 is more than the maximum 65535");
    let fine = "  role: server-leaf\n  linkFlapErrDisable: {flapThreshold: 50, samplingInterval: 1, recoveryInterval: 0}\n";
    assert!(schema_errors(Kind::Switch, &switch(fine)).is_empty());
}

#[test]
fn additional_properties_check_map_values() {
    let issues = schema_errors(Kind::Switch, &switch("  role: spine\n  portFECs:\n    E1/1: rs\n    E1/2: bogus\n  portAutoNegs: {E1/3: 'on'}\n"));
    assert_issue(&issues, "spec.portFECs[\"E1/2\"]", "schema", "\"bogus\" is not one of: rs, fc, auto, disabled");
    assert_issue(&issues, "spec.portAutoNegs[\"E1/3\"]", "schema", "must be true or false");
    assert_eq!(issues.len(), 2, "{issues:?}");
}

#[test]
fn required_fields_and_nulls() {
    // role is required; a null field is pruned by the API server, so it counts as absent.
    let issues = schema_errors(Kind::Switch, &switch("  description: x\n  ecmp:\n"));
    assert_issue(&issues, "spec.role", "schema", "required field \"role\" is missing");
    assert_eq!(issues.len(), 1, "{issues:?}");
    let issues = schema_errors(Kind::Switch, &switch("  role:\n"));
    assert_issue(&issues, "spec.role", "schema", "required field \"role\" is missing");
    // Null items of a list are not pruned.
    let issues = schema_errors(Kind::Switch, &switch("  role: spine\n  groups: [a, null]\n"));
    assert_issue(&issues, "spec.groups[1]", "schema", "must be a string, not empty");
}

#[test]
fn min_and_max_items() {
    let conn = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: c}\nspec:\n  eslag:\n    links:\n    - server: {port: s/e1}\n      switch: {port: l/E1/1}\n";
    assert_issue(&schema_errors(Kind::Connection, conn), "spec.eslag.links", "schema", "needs at least 2 items, has 1");
    let permit: String = (0..11).map(|i| format!("  - {{a{i}: {{}}, b: {{}}}}\n")).collect();
    let peering = format!("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCPeering\nmetadata: {{name: p}}\nspec:\n  permit:\n{permit}");
    assert_issue(&schema_errors(Kind::VPCPeering, &peering), "spec.permit", "schema", "may have at most 10 items, has 11");
}

#[test]
fn patterns_are_explained_in_words() {
    let conn = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata: {name: c}\nspec:\n  fabric:\n    links:\n    - spine: {port: spine-01/E1/1, ip: 172.30.0.0}\n      leaf: {port: leaf-01/E1/1, ip: 172.30.0.1/31}\n";
    let issues = schema_errors(Kind::Connection, conn);
    assert_issue(&issues, "spec.fabric.links[0].spine.ip", "schema", "\"172.30.0.0\" is not an IPv4 address with a prefix length");
    assert_eq!(issues.len(), 1, "{issues:?}");
}

#[test]
fn unknown_fields_anywhere_but_status() {
    let text = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata: {name: g}\nspec: {color: red}\nstatus: {anything: goes}\nextra: 1\n";
    let issues = schema_errors(Kind::SwitchGroup, text);
    assert_issue(&issues, "spec.color", "schema", "unknown field \"color\"");
    assert_issue(&issues, "extra", "schema", "unknown field \"extra\"");
    assert_eq!(issues.len(), 2, "{issues:?}");
}

#[test]
fn metadata_is_checked_by_hand() {
    let base = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\n";
    assert_issue(&schema_errors(Kind::Server, base), "metadata", "schema", "required field \"metadata\" is missing");
    let no_name = format!("{base}metadata: {{labels: {{a: b}}}}\n");
    assert_issue(&schema_errors(Kind::Server, &no_name), "metadata.name", "schema", "required field \"name\" is missing");
    let bad = format!("{base}metadata:\n  name: s\n  labels: {{enabled: true, rack: 7}}\n  annotations: {{note: [x]}}\n  owner: me\n");
    let issues = schema_errors(Kind::Server, &bad);
    assert_issue(&issues, "metadata.labels.enabled", "schema", "write \"true\" in quotes");
    assert_issue(&issues, "metadata.labels.rack", "schema", "write \"7\" in quotes");
    assert_issue(&issues, "metadata.annotations.note", "schema", "must be a string, not a list");
    assert_issue(&issues, "metadata.owner", "schema", "unknown field \"owner\"");
    let named = format!("{base}metadata: {{name: 7}}\n");
    assert_issue(&schema_errors(Kind::Server, &named), "metadata.name", "schema", "must be a string");
}

#[test]
fn static_external_attachments_need_no_switch_or_neighbor() {
    let head = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata: {name: ea}\n";
    let bgp = format!("{head}spec: {{external: e, connection: c}}\n");
    let issues = schema_errors(Kind::ExternalAttachment, &bgp);
    assert_issue(&issues, "spec.switch", "schema", "required field \"switch\" is missing");
    assert_issue(&issues, "spec.neighbor", "schema", "required field \"neighbor\" is missing");
    let static_one = format!("{head}spec: {{external: e, connection: c, static: {{remoteIP: 10.0.0.2, proxy: true}}}}\n");
    assert!(schema_errors(Kind::ExternalAttachment, &static_one).is_empty());
    assert_issue(&schema_errors(Kind::ExternalAttachment, head), "spec", "schema", "required field \"spec\" is missing");
}

#[test]
fn the_validator_handles_every_keyword_it_accepts() {
    let compiled = |v: serde_json::Value| schema::compile(&v, "test").expect("compiles");
    let s = compiled(json!({"type": "string", "minLength": 2, "maxLength": 3}));
    assert_eq!(schema::check_value(&s, &json!("a")).len(), 1);
    assert_eq!(schema::check_value(&s, &json!("abcd")).len(), 1);
    assert!(schema::check_value(&s, &json!("ab")).is_empty());
    let n = compiled(json!({"type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 5, "multipleOf": 0.5}));
    assert_eq!(schema::check_value(&n, &json!(1)).len(), 1);
    assert_eq!(schema::check_value(&n, &json!(2.25)).len(), 1);
    assert!(schema::check_value(&n, &json!(2.5)).is_empty());
    let u = compiled(json!({"type": "array", "uniqueItems": true, "items": {"type": "integer", "format": "int64"}}));
    assert_eq!(schema::check_value(&u, &json!([1, 2, 1])).len(), 1);
    assert_eq!(schema::check_value(&u, &json!([18446744073709551615u64])).len(), 1);
    let o = compiled(json!({"type": "object", "minProperties": 1, "maxProperties": 1, "x-kubernetes-preserve-unknown-fields": true}));
    assert_eq!(schema::check_value(&o, &json!({})).len(), 1);
    assert_eq!(schema::check_value(&o, &json!({"a": 1, "b": 2})).len(), 1);
    assert!(schema::check_value(&o, &json!({"anything": 1})).is_empty());
    let ios = compiled(json!({"x-kubernetes-int-or-string": true}));
    assert!(schema::check_value(&ios, &json!(1)).is_empty() && schema::check_value(&ios, &json!("50%")).is_empty());
    assert_eq!(schema::check_value(&ios, &json!(true)).len(), 1);
    let nullable = compiled(json!({"type": "string", "nullable": true}));
    assert!(schema::check_value(&nullable, &serde_json::Value::Null).is_empty());
    let any = compiled(json!({"type": "object", "additionalProperties": true}));
    assert!(schema::check_value(&any, &json!({"x": [1]})).is_empty());
    let set = compiled(json!({"type": "array", "x-kubernetes-list-type": "set"}));
    assert_eq!(schema::check_value(&set, &json!(["a", "a"])).len(), 1);
}
