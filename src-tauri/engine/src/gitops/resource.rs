//! A resource as a value and as a file: the canonical form (what is compared and written),
//! reading a managed file, and rendering one, either from the text its author wrote (comments
//! and order kept) or from its value alone.
//!
//! Comparisons are semantic: key order, quoting, comments and volatile fields (status,
//! resourceVersion, uid, generation, managedFields, creationTimestamp, `hnp.githedgehog.com/*`
//! annotations, `fabric.githedgehog.com/*` labels) are not changes.

use serde_json::{Map, Value};

use crate::hedgehog::{classify, Classification, Kind};
use crate::yaml::{natural_cmp, parse_document, render, rewrite, split_documents, Limits, Parsed, RawDocument};

const VOLATILE_METADATA: &[&str] =
    &["resourceVersion", "uid", "generation", "managedFields", "creationTimestamp", "selfLink"];

fn is_volatile_annotation(key: &str) -> bool {
    key.starts_with("hnp.githedgehog.com/") || key == "kubectl.kubernetes.io/last-applied-configuration"
}

fn is_volatile_label(key: &str) -> bool {
    key.starts_with("fabric.githedgehog.com/")
}

fn filtered_map(value: Option<&Value>, drop: fn(&str) -> bool) -> Option<Value> {
    let map = value?.as_object()?;
    let kept: Map<String, Value> = map.iter().filter(|(k, _)| !drop(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    (!kept.is_empty()).then_some(Value::Object(kept))
}

/// The entries of `map` other than `known`, in natural order of their keys.
fn others<'m>(map: &'m Map<String, Value>, known: &[&str]) -> Vec<(&'m String, &'m Value)> {
    let mut rest: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !known.contains(&k.as_str())).collect();
    rest.sort_by(|a, b| natural_cmp(a.0, b.0));
    rest
}

/// The canonical form of a resource, with volatile fields removed. hhsync fixes the order of
/// the two levels it owns: at the top, `apiVersion`, `kind`, `metadata`, `spec`; in metadata,
/// `name`, `namespace` (when not `default`), `labels`, `annotations`; any other field of those
/// two levels follows in natural order of its name. Everything below (the spec, the labels and
/// annotations, a field hhsync does not know) keeps its author's order: the order in which an
/// engineer lists ports or links is theirs to choose, and key order is not content
/// ([`same_content`] ignores it).
pub fn canonical(document: &Value) -> Value {
    let Some(top) = document.as_object() else { return document.clone() };
    let mut out = Map::new();
    for key in ["apiVersion", "kind"] {
        if let Some(v) = top.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(meta) = top.get("metadata").and_then(Value::as_object) {
        let mut m = Map::new();
        if let Some(name) = meta.get("name") {
            m.insert("name".to_owned(), name.clone());
        }
        if let Some(ns) = meta.get("namespace").filter(|ns| ns.as_str() != Some("default")) {
            m.insert("namespace".to_owned(), ns.clone());
        }
        if let Some(labels) = filtered_map(meta.get("labels"), is_volatile_label) {
            m.insert("labels".to_owned(), labels);
        }
        if let Some(annotations) = filtered_map(meta.get("annotations"), is_volatile_annotation) {
            m.insert("annotations".to_owned(), annotations);
        }
        let rest = others(meta, &["name", "namespace", "labels", "annotations"]);
        m.extend(rest.into_iter().filter(|(k, _)| !VOLATILE_METADATA.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())));
        out.insert("metadata".to_owned(), Value::Object(m));
    } else if let Some(meta) = top.get("metadata") {
        out.insert("metadata".to_owned(), meta.clone());
    }
    if let Some(spec) = top.get("spec") {
        out.insert("spec".to_owned(), spec.clone());
    }
    let rest = others(top, &["apiVersion", "kind", "metadata", "spec", "status"]);
    out.extend(rest.into_iter().map(|(k, v)| (k.clone(), v.clone())));
    Value::Object(out)
}

/// True when two documents describe the same resource content.
pub fn same_content(a: &Value, b: &Value) -> bool {
    canonical(a) == canonical(b)
}

/// The bytes of a new managed file for this resource, rendered from its value.
pub fn render_resource(document: &Value) -> String {
    render(&canonical(document))
}

/// The bytes of a managed file for `document`, whose text as its author wrote it is `text`
/// (one document of a raw file): that text with volatile fields removed and the top level and
/// metadata in canonical order, so the author's comments, quoting and order stay (see
/// [`crate::yaml::rewrite`]). Text that cannot be kept faithfully (anchors and aliases, say) is
/// rendered afresh from the value. Either way the bytes depend only on the text, and a managed
/// file rendered again gives itself back.
pub fn render_resource_text(text: &str, document: &Value) -> String {
    let value = canonical(document);
    rewrite(text, &value).unwrap_or_else(|| render(&value))
}

/// A resource read from a managed file.
#[derive(Debug, Clone)]
pub struct ResourceFile {
    pub kind: Kind,
    pub name: String,
    pub legacy: bool,
    pub parsed: Parsed,
}

/// Reads a file from `managed/<plural>/`. The error is the reason the file is not a resource
/// of that folder's kind, phrased for a person.
pub fn read_resource_file(bytes: &[u8], folder_kind: Kind) -> Result<ResourceFile, String> {
    read_resource_file_with(bytes, folder_kind, |doc| parse_document(doc.bytes, doc.start_line, &Limits::default()).map_err(|e| e.to_string()))
}

/// [`read_resource_file`], with the file's one document parsed by `parse` (an ingest that wrote
/// the document's text unchanged has its parse already).
pub fn read_resource_file_with(
    bytes: &[u8],
    folder_kind: Kind,
    parse: impl FnOnce(&RawDocument<'_>) -> Result<Parsed, String>,
) -> Result<ResourceFile, String> {
    let mut docs = split_documents(bytes);
    let Some(doc) = docs.next() else { return Err("the file holds no document".to_owned()) };
    let extra = docs.count();
    if extra > 0 {
        return Err(format!("the file holds {} documents; a managed file holds exactly one resource", extra + 1));
    }
    let parsed = parse(&doc)?;
    let (kind, legacy) = match classify(&parsed.value) {
        Classification::Managed { kind, legacy } => (kind, legacy),
        Classification::HedgehogUnmanaged { api_version, kind } => {
            return Err(format!("{kind} ({api_version}) is a Hedgehog kind hhsync does not manage"))
        }
        Classification::NotHedgehog { api_version, kind } => {
            return Err(format!("a {kind} ({api_version}) is not a Hedgehog resource; move it to unmanaged/"))
        }
        Classification::Incomplete { reason } => return Err(reason),
    };
    if kind != folder_kind {
        return Err(format!("a {kind} in the folder for {}; move it to managed/{}/", folder_kind.plural(), kind.plural()));
    }
    let name = resource_name(&parsed.value).ok_or_else(|| "metadata.name is missing or not a string".to_owned())?;
    Ok(ResourceFile { kind, name, legacy, parsed })
}

pub fn resource_name(document: &Value) -> Option<String> {
    document.get("metadata")?.get("name")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LEGACY: &str = include_str!(
        "../../../../../shared/hedgehog/samples/gitops-test-1__managed__connections__server-01--mclag--leaf-01--leaf-02.GUI-written-v1alpha2.yaml"
    );
    const OLD_SWITCH: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__switches__leaf-01.yaml");
    const CONFIGMAP: &str =
        include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__managed__tests__api-test.NON-HEDGEHOG-ConfigMap.yaml");

    #[test]
    fn canonical_drops_volatile_fields_and_orders_keys() {
        let doc = json!({
            "spec": {"role": "spine", "boot": {"mac": "x"}},
            "status": {"x": 1},
            "metadata": {"uid": "u", "annotations": {"hnp.githedgehog.com/fabric": "f", "team": "a"},
                         "labels": {"fabric.githedgehog.com/x": "y"}, "name": "s", "namespace": "default"},
            "kind": "Switch",
            "apiVersion": "wiring.githedgehog.com/v1beta1",
        });
        // The spec keeps its author's order (issue K): role, then boot.
        assert_eq!(
            render_resource(&doc),
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: s\n  annotations:\n    team: a\nspec:\n  role: spine\n  boot:\n    mac: x\n"
        );
    }

    #[test]
    fn fields_hhsync_does_not_know_at_its_levels_follow_in_natural_order() {
        let doc = json!({"x10": 1, "spec": {}, "x9": 2, "kind": "K", "apiVersion": "v",
                         "metadata": {"finalizers": ["f"], "name": "n", "deletionGracePeriodSeconds10": 1, "deletionGracePeriodSeconds9": 2}});
        let c = canonical(&doc);
        assert_eq!(c.as_object().unwrap().keys().collect::<Vec<_>>(), ["apiVersion", "kind", "metadata", "spec", "x9", "x10"]);
        assert_eq!(
            c["metadata"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["name", "deletionGracePeriodSeconds9", "deletionGracePeriodSeconds10", "finalizers"]
        );
    }

    /// A raw document as an engineer keeps it: comments on fields, on list items and at the end
    /// of lines, ports listed in their order, server-side fields from `kubectl get -o yaml`,
    /// and a list header after it that belongs to the next document.
    const COMMENTED_RAW: &str = "\
# SwitchList
---   # leaf-01, rack 1
kind: Switch
apiVersion: wiring.githedgehog.com/v1beta1
metadata:
  uid: 0f0f0f0f-0000-0000-0000-000000000000
  annotations:
    hnp.githedgehog.com/ingested-at: '2025-08-06T09:04:35+00:00'
    lab.example.com/uplink: spine-01   # not used
  name: leaf-01
  namespace: default
spec:
  role: server-leaf   # MCLAG pair with leaf-02
  description: VS-01 MCLAG 1
  # boot over the management port
  boot:
    mac: 0c:20:12:ff:00:00
  groups:
  # the pair first
  - mclag-1   # with leaf-02
  - eslag-1
  portBreakouts:
    E1/1: 4x25G
    E1/17: 4x10G
    E1/2: 4x25G   # to the tester
    E1/18: 4x10G
    # E1/3 is reserved
status:
  applied: {gen: 3}
#
# ServerList
#
---
";

    #[test]
    fn ingested_text_keeps_its_comments_and_the_authors_order_and_renders_again_to_itself() {
        let doc = split_documents(COMMENTED_RAW.as_bytes()).next().unwrap();
        let text = std::str::from_utf8(doc.bytes).unwrap();
        let value = parse_document(doc.bytes, doc.start_line, &Limits::default()).unwrap().value;
        let managed = render_resource_text(text, &value);
        assert_eq!(
            managed,
            "\
# leaf-01, rack 1
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
  annotations:
    lab.example.com/uplink: spine-01   # not used
spec:
  role: server-leaf   # MCLAG pair with leaf-02
  description: VS-01 MCLAG 1
  # boot over the management port
  boot:
    mac: 0c:20:12:ff:00:00
  groups:
  # the pair first
  - mclag-1   # with leaf-02
  - eslag-1
  portBreakouts:
    E1/1: 4x25G
    E1/17: 4x10G
    E1/2: 4x25G   # to the tester
    E1/18: 4x10G
    # E1/3 is reserved
"
        );
        let again = parse_document(managed.as_bytes(), 1, &Limits::default()).unwrap().value;
        assert!(same_content(&again, &value));
        assert_eq!(render_resource_text(&managed, &again), managed, "rendering the managed file gives it back");
        assert_eq!(render_resource_text(text, &value), managed, "same input, same bytes");
    }

    #[test]
    fn every_sample_document_renders_stably_and_means_what_it_meant() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/hedgehog/samples");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().contains("managed__") && !path.to_string_lossy().contains("raw__") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for doc in split_documents(&bytes) {
                let text = std::str::from_utf8(doc.bytes).unwrap();
                let value = parse_document(doc.bytes, doc.start_line, &Limits::default()).unwrap().value;
                let managed = render_resource_text(text, &value);
                let again = parse_document(managed.as_bytes(), 1, &Limits::default()).unwrap().value;
                assert!(same_content(&again, &value), "{}:\n{managed}", path.display());
                assert_eq!(render_resource_text(&managed, &again), managed, "{}", path.display());
                assert!(!managed.contains("hnp.githedgehog.com") && !managed.contains("namespace: default"), "{managed}");
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen} documents");
    }

    #[test]
    fn a_legacy_document_keeps_its_text_under_the_new_api_version() {
        let doc = split_documents(LEGACY.as_bytes()).next().unwrap();
        let mut value = parse_document(doc.bytes, doc.start_line, &Limits::default()).unwrap().value;
        value["apiVersion"] = json!("wiring.githedgehog.com/v1beta1");
        let managed = render_resource_text(std::str::from_utf8(doc.bytes).unwrap(), &value);
        assert!(managed.starts_with("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-01--mclag--leaf-01--leaf-02\nspec:\n  mclag:\n"), "{managed}");
    }

    #[test]
    fn text_that_cannot_be_kept_is_rendered_from_the_value() {
        let text = "apiVersion: v\nkind: K\nmetadata:\n  name: &n x\nspec:\n  # lost with the anchor\n  b: *n\n  a: 1\n";
        let value = parse_document(text.as_bytes(), 1, &Limits::default()).unwrap().value;
        let managed = render_resource_text(text, &value);
        assert_eq!(managed, "apiVersion: v\nkind: K\nmetadata:\n  name: x\nspec:\n  b: x\n  a: 1\n");
        assert_eq!(render_resource_text(&managed, &value), managed, "the fresh rendering renders to itself");
    }

    #[test]
    fn old_files_read_with_their_comment_header() {
        let f = read_resource_file(OLD_SWITCH.as_bytes(), Kind::Switch).unwrap();
        assert_eq!((f.kind, f.name.as_str(), f.legacy), (Kind::Switch, "leaf-01", false));
        let legacy = read_resource_file(LEGACY.as_bytes(), Kind::Connection).unwrap();
        assert!(legacy.legacy);
    }

    #[test]
    fn wrong_files_say_why() {
        let e = read_resource_file(CONFIGMAP.as_bytes(), Kind::Switch).unwrap_err();
        assert!(e.contains("ConfigMap"), "{e}");
        let e = read_resource_file(OLD_SWITCH.as_bytes(), Kind::Server).unwrap_err();
        assert!(e.contains("managed/switches/"), "{e}");
        let e = read_resource_file(b"a: 1\n---\nb: 2\n", Kind::Server).unwrap_err();
        assert!(e.contains("2 documents"), "{e}");
    }

    #[test]
    fn annotation_only_differences_are_not_changes() {
        let a = json!({"apiVersion": "v", "kind": "K", "metadata": {"name": "n", "annotations": {"hnp.githedgehog.com/ingested-at": "1"}}, "spec": {"a": 1, "b": 2}});
        let b = json!({"apiVersion": "v", "kind": "K", "metadata": {"name": "n"}, "spec": {"b": 2, "a": 1}});
        assert!(same_content(&a, &b));
        let c = json!({"apiVersion": "v", "kind": "K", "metadata": {"name": "n"}, "spec": {"b": 3, "a": 1}});
        assert!(!same_content(&a, &c));
    }
}
