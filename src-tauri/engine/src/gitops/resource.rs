//! A resource as a value and as a file: the canonical form (what is compared and written),
//! reading a managed file, and rendering a new one.
//!
//! Comparisons are semantic: key order, quoting, comments and volatile fields (status,
//! resourceVersion, uid, generation, managedFields, creationTimestamp, `hnp.githedgehog.com/*`
//! annotations, `fabric.githedgehog.com/*` labels) are not changes.

use serde_json::{Map, Value};

use crate::hedgehog::{classify, Classification, Kind};
use crate::yaml::{parse_document, render, split_documents, Limits, Parsed};

const VOLATILE_METADATA: &[&str] =
    &["resourceVersion", "uid", "generation", "managedFields", "creationTimestamp", "selfLink"];

fn is_volatile_annotation(key: &str) -> bool {
    key.starts_with("hnp.githedgehog.com/") || key == "kubectl.kubernetes.io/last-applied-configuration"
}

fn is_volatile_label(key: &str) -> bool {
    key.starts_with("fabric.githedgehog.com/")
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn filtered_map(value: Option<&Value>, drop: fn(&str) -> bool) -> Option<Value> {
    let map = value?.as_object()?;
    let kept: Map<String, Value> = map.iter().filter(|(k, _)| !drop(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    (!kept.is_empty()).then(|| sorted(&Value::Object(kept)))
}

/// The canonical form of a resource: `apiVersion`, `kind`, `metadata` (name, namespace when not
/// `default`, labels, annotations, other fields), `spec`, then any other top-level field, with
/// volatile fields removed and every map below sorted by key.
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
        let mut rest: Vec<(&String, &Value)> = meta
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "name" | "namespace" | "labels" | "annotations"))
            .filter(|(k, _)| !VOLATILE_METADATA.contains(&k.as_str()))
            .collect();
        rest.sort_by(|a, b| a.0.cmp(b.0));
        m.extend(rest.into_iter().map(|(k, v)| (k.clone(), sorted(v))));
        out.insert("metadata".to_owned(), Value::Object(m));
    } else if let Some(meta) = top.get("metadata") {
        out.insert("metadata".to_owned(), meta.clone());
    }
    if let Some(spec) = top.get("spec") {
        out.insert("spec".to_owned(), sorted(spec));
    }
    let mut rest: Vec<(&String, &Value)> =
        top.iter().filter(|(k, _)| !matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "spec" | "status")).collect();
    rest.sort_by(|a, b| a.0.cmp(b.0));
    out.extend(rest.into_iter().map(|(k, v)| (k.clone(), sorted(v))));
    Value::Object(out)
}

/// True when two documents describe the same resource content.
pub fn same_content(a: &Value, b: &Value) -> bool {
    canonical(a) == canonical(b)
}

/// The bytes of a new managed file for this resource.
pub fn render_resource(document: &Value) -> String {
    render(&canonical(document))
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
    let mut docs = split_documents(bytes);
    let Some(doc) = docs.next() else { return Err("the file holds no document".to_owned()) };
    let extra = docs.count();
    if extra > 0 {
        return Err(format!("the file holds {} documents; a managed file holds exactly one resource", extra + 1));
    }
    let parsed = parse_document(doc.bytes, doc.start_line, &Limits::default()).map_err(|e| e.to_string())?;
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
        assert_eq!(
            render_resource(&doc),
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: s\n  annotations:\n    team: a\nspec:\n  boot:\n    mac: x\n  role: spine\n"
        );
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
