//! Reading the fields of one Hedgehog document defensively: the spec, a field's path, a
//! non-empty string, "unset" as Go reads it, and a VLAN id's range. Every rule module needs
//! these (the per-document rules in `rules.rs`, the kinds with a module of their own,
//! `connection.rs` and `vpc.rs`, and the fabric-wide checks in `refs.rs`), so they live
//! below all of them: `rules.rs` dispatches to `connection.rs` and `vpc.rs`, and both of those
//! take their helpers from here, never from `rules.rs`.
//!
//! A field of the wrong type was already reported by the schema layer, so these helpers read
//! it as absent rather than report it twice.

use serde_json::{Map, Value};

use super::Issue;
use crate::yaml::FieldPath;

pub(crate) fn spec(document: &Value) -> Option<&Map<String, Value>> {
    document.get("spec").and_then(Value::as_object)
}

pub(crate) fn spec_path(keys: &[&str]) -> FieldPath {
    let mut path = FieldPath::of(&["spec"]);
    for key in keys {
        path = path.key(key);
    }
    path
}

/// A non-empty string field.
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// True when the field is absent, null or an empty string (what Go reads as "").
pub(crate) fn is_unset(value: &Value, key: &str) -> bool {
    match value.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// A VLAN id must be 1-4094 (or 0 meaning "none" where `zero_means_none`). Non-integers are
/// the schema's to report.
pub(crate) fn check_vlan(value: &Value, path: &FieldPath, zero_means_none: bool, issues: &mut Vec<Issue>) {
    let Some(vlan) = value.as_i64() else {
        if let Some(big) = value.as_u64() {
            issues.push(Issue::error(path.clone(), "vlan", format!("VLAN {big} is outside 1-4094")));
        }
        return;
    };
    if vlan == 0 && zero_means_none {
        return;
    }
    if !(1..=4094).contains(&vlan) {
        issues.push(Issue::error(path.clone(), "vlan", format!("VLAN {vlan} is outside 1-4094")));
    }
}
