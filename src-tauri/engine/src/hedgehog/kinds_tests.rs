//! Tests of the kind table and of `classify`.

use super::test_support::*;

const V1ALPHA2_SAMPLE: &str = include_str!(
    "../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__server-01--mclag--leaf-01--leaf-02.GUI-written-v1alpha2.yaml"
);
const CONFIGMAP_SAMPLE: &str =
    include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__tests__api-test.NON-HEDGEHOG-ConfigMap.yaml");

#[test]
fn names_plurals_and_groups_round_trip() {
    assert_eq!(Kind::ALL.len(), 14);
    for kind in Kind::ALL {
        assert_eq!(Kind::from_name(kind.name()), Some(kind));
        assert_eq!(Kind::from_plural(kind.plural()), Some(kind));
        assert_eq!(kind.to_string(), kind.name());
        assert_eq!(kind.name().parse::<Kind>(), Ok(kind));
        assert_eq!(kind.api_version(), format!("{}/v1beta1", kind.group()));
        assert_eq!(Kind::ALL[kind.index()], kind);
    }
    assert_eq!(Kind::VLANNamespace.plural(), "vlannamespaces");
    assert_eq!(Kind::Switch.plural(), "switches");
    assert_eq!(Kind::Connection.group(), "wiring.githedgehog.com");
    assert_eq!(Kind::ExternalPeering.api_version(), "vpc.githedgehog.com/v1beta1");
}

#[test]
fn names_are_matched_ignoring_case_for_the_command_line() {
    assert_eq!(Kind::from_name("vpc"), Some(Kind::VPC));
    assert_eq!(Kind::from_name("vlannamespace"), Some(Kind::VLANNamespace));
    assert_eq!("vpcattachment".parse::<Kind>(), Ok(Kind::VPCAttachment));
    assert_eq!(Kind::from_plural("VPCS"), Some(Kind::VPC));
    assert_eq!(Kind::from_name("ConfigMap"), None);
    assert_eq!(Kind::from_plural("vpc"), None);
    let err = "Agent".parse::<Kind>().expect_err("not a managed kind");
    assert!(err.to_string().contains("\"Agent\""), "{err}");
}

#[test]
fn classifies_v1beta1_as_managed() {
    let doc = yaml("apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: a}\n");
    assert_eq!(classify(&doc), Classification::Managed { kind: Kind::VPC, legacy: false });
}

#[test]
fn classifies_v1alpha2_as_legacy_managed() {
    let raw = crate::yaml::split_documents(V1ALPHA2_SAMPLE.as_bytes()).next().expect("one document");
    let doc = crate::yaml::parse_document(raw.bytes, raw.start_line, &Default::default()).expect("parses").value;
    assert_eq!(classify(&doc), Classification::Managed { kind: Kind::Connection, legacy: true });
}

#[test]
fn classifies_a_configmap_as_not_hedgehog() {
    let raw = crate::yaml::split_documents(CONFIGMAP_SAMPLE.as_bytes()).next().expect("one document");
    let doc = crate::yaml::parse_document(raw.bytes, raw.start_line, &Default::default()).expect("parses").value;
    assert_eq!(
        classify(&doc),
        Classification::NotHedgehog { api_version: "v1".to_owned(), kind: "ConfigMap".to_owned() }
    );
    let deployment = yaml("apiVersion: apps/v1\nkind: Deployment\n");
    assert!(matches!(classify(&deployment), Classification::NotHedgehog { .. }));
}

#[test]
fn classifies_other_hedgehog_groups_as_unmanaged() {
    for (api_version, kind) in [
        ("agent.githedgehog.com/v1beta1", "Agent"),
        ("dhcp.githedgehog.com/v1beta1", "DHCPSubnet"),
        ("gateway.githedgehog.com/v1alpha1", "Gateway"),
        ("wiring.githedgehog.com/v1beta1", "VPC"),  // a VPC is not in the wiring group
        ("vpc.githedgehog.com/v1", "VPC"),          // unknown version
        ("wiring.githedgehog.com/v1beta1", "Rack"), // not a kind hhsync manages
        ("wiring.githedgehog.com/v1beta1", "switch"), // kinds are case-sensitive in documents
    ] {
        let doc = yaml(&format!("apiVersion: {api_version}\nkind: {kind}\n"));
        assert_eq!(
            classify(&doc),
            Classification::HedgehogUnmanaged { api_version: api_version.to_owned(), kind: kind.to_owned() },
            "{api_version} {kind}"
        );
    }
}

#[test]
fn incomplete_documents_say_what_is_missing() {
    let reason = |text: &str| match classify(&yaml(text)) {
        Classification::Incomplete { reason } => reason,
        other => panic!("expected Incomplete, got {other:?}"),
    };
    assert_eq!(reason("apiVersion: vpc.githedgehog.com/v1beta1\nmetadata: {name: a}\n"), "kind is missing");
    assert_eq!(reason("kind: VPC\n"), "apiVersion is missing");
    assert_eq!(reason("apiVersion: 1\nkind: VPC\n"), "apiVersion is not a string");
    assert_eq!(reason("apiVersion: ''\nkind: VPC\n"), "apiVersion is empty");
    assert!(reason("- a\n- b\n").contains("not a mapping"));
    assert!(reason("just text\n").contains("not a mapping"));
}
