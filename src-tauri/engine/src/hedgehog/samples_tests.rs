//! The real files of the earlier implementation's repository (shared/hedgehog/samples) validate
//! as they should: the 46-document wiring diagram is clean, document by document and as a fabric.

use super::test_support::*;

const PREPOP: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__raw__prepop.yaml");

const CLEAN_SAMPLES: [(&str, &str); 6] = [
    ("leaf-01--vpc-loopback", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__leaf-01--vpc-loopback.yaml")),
    ("server-05--eslag", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__server-05--eslag--leaf-03--leaf-04.yaml")),
    ("server-01", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__servers__server-01.yaml")),
    ("leaf-01", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__switches__leaf-01.yaml")),
    ("mclag-1", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__switchgroups__mclag-1.yaml")),
    ("test-vpc", include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__vpcs__test-vpc.yaml")),
];

const RAW_TEST_VPC: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__raw__test-vpc.yaml");
const GUI_V1ALPHA2: &str = include_str!(
    "../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__server-01--mclag--leaf-01--leaf-02.GUI-written-v1alpha2.yaml"
);

/// Every document of a file, parsed.
fn documents(text: &str) -> Vec<serde_json::Value> {
    crate::yaml::split_documents(text.as_bytes())
        .map(|raw| crate::yaml::parse_document(raw.bytes, raw.start_line, &Default::default()).expect("sample parses").value)
        .collect()
}

fn managed_kind(doc: &serde_json::Value) -> Kind {
    match classify(doc) {
        Classification::Managed { kind, legacy: false } => kind,
        other => panic!("expected a managed v1beta1 document, got {other:?}"),
    }
}

fn name_of(doc: &serde_json::Value) -> &str {
    doc.pointer("/metadata/name").and_then(serde_json::Value::as_str).expect("sample has a name")
}

#[test]
fn prepop_has_46_managed_documents_of_the_expected_kinds() {
    let docs = documents(PREPOP);
    assert_eq!(docs.len(), 46);
    let count = |kind: Kind| docs.iter().filter(|d| managed_kind(d) == kind).count();
    assert_eq!((count(Kind::SwitchGroup), count(Kind::Switch), count(Kind::Server), count(Kind::Connection)), (3, 7, 10, 26));
}

#[test]
fn every_prepop_document_validates_without_errors() {
    for doc in documents(PREPOP) {
        let issues = validate_document(managed_kind(&doc), &doc);
        assert_no_errors(&issues);
        // The only warnings are MCLAG's deprecation.
        for issue in &issues {
            assert_eq!((issue.severity, issue.rule), (Severity::Warning, "deprecated"), "{} {issue}", name_of(&doc));
        }
    }
}

#[test]
fn prepop_mclag_documents_warn() {
    let docs = documents(PREPOP);
    let warned: Vec<&str> = docs.iter().filter(|d| !validate_document(managed_kind(d), d).is_empty()).map(name_of).collect();
    assert_eq!(
        warned,
        ["leaf-01", "leaf-02", "leaf-01--mclag-domain--leaf-02", "server-01--mclag--leaf-01--leaf-02", "server-02--mclag--leaf-01--leaf-02"]
    );
}

#[test]
fn prepop_as_a_fabric_has_no_errors() {
    let docs = documents(PREPOP);
    let resources: Vec<FabricResource<'_>> =
        docs.iter().map(|d| FabricResource { kind: managed_kind(d), name: name_of(d), document: d }).collect();
    let issues = validate_fabric(&resources);
    assert!(issues.is_empty(), "{issues:?}");
}

#[test]
fn prepop_without_a_switch_reports_each_dangling_reference() {
    let docs = documents(PREPOP);
    let resources: Vec<FabricResource<'_>> = docs
        .iter()
        .filter(|d| name_of(d) != "leaf-05")
        .map(|d| FabricResource { kind: managed_kind(d), name: name_of(d), document: d })
        .collect();
    let issues = validate_fabric(&resources);
    let about: Vec<&str> = issues.iter().map(|(i, _)| resources[*i].name).collect();
    assert_eq!(
        about,
        ["leaf-05--vpc-loopback", "server-09--unbundled--leaf-05", "server-10--bundled--leaf-05", "spine-01--fabric--leaf-05", "spine-02--fabric--leaf-05"]
    );
    assert!(issues.iter().all(|(_, i)| i.rule == "reference" && i.message == "switch \"leaf-05\" does not exist in this fabric"));
}

#[test]
fn the_other_managed_samples_are_clean() {
    for (name, text) in CLEAN_SAMPLES.into_iter().chain([("raw test-vpc", RAW_TEST_VPC)]) {
        let docs = documents(text);
        assert_eq!(docs.len(), 1, "{name}");
        let issues = validate_document(managed_kind(&docs[0]), &docs[0]);
        assert_no_errors(&issues);
        if name != "leaf-01" {
            assert!(issues.is_empty(), "{name}: {issues:?}");
        }
    }
}

#[test]
fn the_gui_written_v1alpha2_sample_is_valid_but_legacy_and_deprecated() {
    let docs = documents(GUI_V1ALPHA2);
    assert_eq!(classify(&docs[0]), Classification::Managed { kind: Kind::Connection, legacy: true });
    let issues = validate_document(Kind::Connection, &docs[0]);
    assert_no_errors(&issues);
    let rules: Vec<&str> = issues.iter().map(|i| i.rule).collect();
    assert_eq!(rules, ["legacy-version", "deprecated"]);
}

#[test]
fn issues_serialize_with_the_path_as_text() {
    let issue = Issue::error(crate::yaml::FieldPath::of(&["spec", "subnets"]).key("a").key("vlan"), "vlan", "VLAN 5000 is outside 1-4094");
    let json = serde_json::to_value(&issue).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({"path": "spec.subnets.a.vlan", "message": "VLAN 5000 is outside 1-4094", "severity": "error", "rule": "vlan"})
    );
    assert_eq!(issue.to_string(), "spec.subnets.a.vlan: error: VLAN 5000 is outside 1-4094 [vlan]");
}
