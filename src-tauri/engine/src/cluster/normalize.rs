//! Making a live object and a Git document comparable, so that drift lists only what really
//! differs. A Go client stores objects with server fields (status, uid, resourceVersion...),
//! empty objects where YAML has nothing (`ecmp: {}`), and the defaults that the CRD schema and
//! Hedgehog's admission webhooks fill in; Git holds what a person wrote. Both sides go through
//! [`normalize`] before [`differing_fields`] compares them.
//!
//! The webhook defaults are those of the `Default()` methods of the api types in
//! githedgehog/fabric (api/vpc/v1beta1/vpc_types.go and siblings), mirrored per kind in
//! webhook_defaults.rs; a default missed there shows as drift on that field, never as a silent
//! "in sync".

use serde_json::{Map, Value};

use crate::hedgehog::{openapi_schema, Kind};
use crate::sync::merge::{differing_paths, identity};

#[path = "webhook_defaults.rs"]
mod webhook_defaults;
use webhook_defaults::webhook_defaults;

/// Metadata the server owns: never written by a person, never drift.
const SERVER_METADATA: [&str; 9] = [
    "managedFields",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Labels Hedgehog's webhooks derive from the spec (`fabric.githedgehog.com/vpc`, ...): they
/// follow the spec, so the spec's own comparison covers them.
const DERIVED_LABEL_PREFIX: &str = "fabric.githedgehog.com/";
/// The namespace Hedgehog objects live in when a document names none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// The object as it compares: apiVersion, kind, metadata (name, labels and annotations a
/// person set) and spec, with defaults filled in, `{}`/`[]`/null dropped and lists in the
/// order of their items' natural keys.
pub fn normalize(kind: Kind, object: &Value) -> Value {
    let mut value = without_server_fields(object);
    if let Some(spec) = value.get_mut("spec") {
        if let Some(schema) = openapi_schema(kind).and_then(|s| s.pointer("/properties/spec")) {
            apply_schema_defaults(schema, spec);
        }
        webhook_defaults(kind, spec);
    }
    prune_empty(&mut value);
    sort_lists(&mut value);
    value
}

/// A live object as a resource to keep in Git (adopting it): apiVersion, kind, the metadata a
/// person sets, and the spec as it runs, without status and server-set metadata, `{}`/`[]`/null
/// dropped. Defaults the server filled in stay: they are what runs.
pub fn adoptable(object: &Value) -> Value {
    let mut value = without_server_fields(object);
    prune_empty(&mut value);
    value
}

/// apiVersion, kind, metadata without what the server owns (and without the `default`
/// namespace, the last-applied annotation and derived labels), and spec; no status.
fn without_server_fields(object: &Value) -> Value {
    let mut out = Map::new();
    for key in ["apiVersion", "kind"] {
        if let Some(v) = object.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(Value::Object(meta)) = object.get("metadata") {
        let mut meta = meta.clone();
        for key in SERVER_METADATA {
            meta.remove(key);
        }
        if meta.get("namespace").and_then(Value::as_str) == Some(DEFAULT_NAMESPACE) {
            meta.remove("namespace");
        }
        if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
            annotations.remove(LAST_APPLIED);
            // SwitchProfile's Default() writes the ports it derives from the spec here.
            annotations.remove("fabric.githedgehog.com/ports");
        }
        if let Some(Value::Object(labels)) = meta.get_mut("labels") {
            labels.retain(|k, _| !k.starts_with(DERIVED_LABEL_PREFIX));
        }
        out.insert("metadata".to_owned(), Value::Object(meta));
    }
    if let Some(spec) = object.get("spec") {
        out.insert("spec".to_owned(), spec.clone());
    }
    Value::Object(out)
}

/// The field paths (as validation findings write them) where two normalized objects differ.
pub fn differing_fields(desired: &Value, live: &Value) -> Vec<String> {
    differing_paths(Some(desired), Some(live)).iter().map(ToString::to_string).collect()
}

/// Fills in the `default` of every property the schema declares one for, where the value is
/// an object that lacks it, as the API server does on write.
fn apply_schema_defaults(schema: &Value, value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, sub) in properties {
                    match (map.get_mut(name), sub.get("default")) {
                        (Some(v), _) => apply_schema_defaults(sub, v),
                        (None, Some(default)) => {
                            map.insert(name.clone(), default.clone());
                        }
                        (None, None) => {}
                    }
                }
            }
            if let Some(sub @ Value::Object(_)) = schema.get("additionalProperties") {
                for v in map.values_mut() {
                    apply_schema_defaults(sub, v);
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for v in items {
                    apply_schema_defaults(sub, v);
                }
            }
        }
        _ => {}
    }
}

/// Drops nulls, empty objects and empty lists, bottom up: to a Go client with `omitempty`
/// each is the same as the field missing.
fn prune_empty(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                prune_empty(v);
            }
            map.retain(|_, v| !is_empty(v));
        }
        Value::Array(items) => items.iter_mut().for_each(prune_empty),
        _ => {}
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Puts the items of every list with a natural key (a name, a link's ports, a scalar) in the
/// order of that key, so that a list the server returns in another order is no drift.
fn sort_lists(value: &mut Value) {
    match value {
        Value::Object(map) => map.values_mut().for_each(sort_lists),
        Value::Array(items) => {
            items.iter_mut().for_each(sort_lists);
            let keys: Option<Vec<String>> = items.iter().map(|i| identity(i).map(|mut k| {
                k.sort();
                k.join("\u{1}")
            })).collect();
            if let Some(keys) = keys {
                let mut keyed: Vec<(String, Value)> = keys.into_iter().zip(items.drain(..)).collect();
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                items.extend(keyed.into_iter().map(|(_, v)| v));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
