//! Layer 1 of validation: the OpenAPI v3 schemas of the 14 shipped CRDs (`engine/crds/`).
//!
//! The CRD files are compiled into the binary and parsed once. Only the structural-schema subset
//! Kubernetes allows is understood, and a keyword outside it makes loading fail loudly (the
//! tests load every CRD), so a future CRD with a new constraint cannot pass documents silently.
//! Unknown fields are errors, as with kubectl's strict field validation; a null field is treated
//! as absent, as the API server prunes it. `metadata` is checked here by hand (the CRDs only say
//! `type: object`), and `status` is ignored.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Number, Value};

use super::{Issue, Kind};
use crate::yaml::{parse_document, FieldPath, Limits};

const RULE: &str = "schema";

/// The shipped CRD of each kind, verbatim from githedgehog/fabric (see `crds/PROVENANCE.md`).
fn crd_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Switch => include_str!("../../crds/wiring.githedgehog.com_switches.yaml"),
        Kind::Server => include_str!("../../crds/wiring.githedgehog.com_servers.yaml"),
        Kind::Connection => include_str!("../../crds/wiring.githedgehog.com_connections.yaml"),
        Kind::SwitchGroup => include_str!("../../crds/wiring.githedgehog.com_switchgroups.yaml"),
        Kind::VLANNamespace => include_str!("../../crds/wiring.githedgehog.com_vlannamespaces.yaml"),
        Kind::SwitchProfile => include_str!("../../crds/wiring.githedgehog.com_switchprofiles.yaml"),
        Kind::ServerProfile => include_str!("../../crds/wiring.githedgehog.com_serverprofiles.yaml"),
        Kind::VPC => include_str!("../../crds/vpc.githedgehog.com_vpcs.yaml"),
        Kind::VPCAttachment => include_str!("../../crds/vpc.githedgehog.com_vpcattachments.yaml"),
        Kind::VPCPeering => include_str!("../../crds/vpc.githedgehog.com_vpcpeerings.yaml"),
        Kind::IPv4Namespace => include_str!("../../crds/vpc.githedgehog.com_ipv4namespaces.yaml"),
        Kind::External => include_str!("../../crds/vpc.githedgehog.com_externals.yaml"),
        Kind::ExternalAttachment => include_str!("../../crds/vpc.githedgehog.com_externalattachments.yaml"),
        Kind::ExternalPeering => include_str!("../../crds/vpc.githedgehog.com_externalpeerings.yaml"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Type {
    fn describe(self) -> &'static str {
        match self {
            Type::Object => "a mapping",
            Type::Array => "a list",
            Type::String => "a string",
            Type::Integer => "an integer",
            Type::Number => "a number",
            Type::Boolean => "true or false",
        }
    }

    fn matches(self, value: &Value) -> bool {
        match self {
            Type::Object => value.is_object(),
            Type::Array => value.is_array(),
            Type::String => value.is_string(),
            Type::Integer => is_integer(value),
            Type::Number => value.is_number(),
            Type::Boolean => value.is_boolean(),
        }
    }
}

fn is_integer(value: &Value) -> bool {
    value.is_i64() || value.is_u64()
}

#[derive(Debug, Default)]
enum Additional {
    /// No `additionalProperties`: only `properties` are allowed.
    #[default]
    Unset,
    /// `additionalProperties: true`.
    Any,
    /// `additionalProperties: <schema>`: a map whose values follow the schema.
    Schema(Box<Schema>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Int32,
    Int64,
    /// `float`/`double`: no constraint beyond being a number.
    Float,
}

/// One compiled schema node.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    ty: Option<Type>,
    properties: Option<HashMap<String, Schema>>,
    required: Vec<String>,
    additional: Additional,
    items: Option<Box<Schema>>,
    enumeration: Option<Vec<Value>>,
    pattern: Option<(String, Regex)>,
    format: Option<Format>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    multiple_of: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    unique_items: bool,
    nullable: bool,
    preserve_unknown: bool,
    int_or_string: bool,
}

/// Patterns the CRDs use, and how to say them to a person.
const PATTERN_HINTS: [(&str, &str); 2] = [
    (
        r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}/([1-2]?[0-9]|3[0-2])$",
        "an IPv4 address with a prefix length, like 172.30.0.0/31",
    ),
    (r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}$", "an IPv4 address, like 172.30.0.1"),
];

/// Go's RE2 (which Kubernetes uses) has ASCII `\d` and `\b`; so does the regex crate with
/// Unicode off. Patterns that need Unicode mode to compile fall back to it.
fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).unicode(false).build().or_else(|_| Regex::new(pattern))
}

fn keyword_u64(value: &Value, at: &str, key: &str) -> Result<u64, String> {
    value.as_u64().ok_or_else(|| format!("{at}: {key} must be a non-negative integer"))
}

fn keyword_bool(value: &Value, at: &str, key: &str) -> Result<bool, String> {
    value.as_bool().ok_or_else(|| format!("{at}: {key} must be true or false"))
}

fn keyword_number(value: &Value, at: &str, key: &str) -> Result<Number, String> {
    match value {
        Value::Number(n) => Ok(n.clone()),
        _ => Err(format!("{at}: {key} must be a number")),
    }
}

/// Compiles one schema node. `at` names the node for load errors.
pub(crate) fn compile(value: &Value, at: &str) -> Result<Schema, String> {
    let map = value.as_object().ok_or_else(|| format!("{at}: a schema must be a mapping"))?;
    let mut s = Schema::default();
    for (key, v) in map {
        match key.as_str() {
            // Annotations: they describe, they do not constrain.
            "description" | "title" | "example" | "externalDocs" | "default" => {}
            "type" => {
                s.ty = Some(match v.as_str() {
                    Some("object") => Type::Object,
                    Some("array") => Type::Array,
                    Some("string") => Type::String,
                    Some("integer") => Type::Integer,
                    Some("number") => Type::Number,
                    Some("boolean") => Type::Boolean,
                    _ => return Err(format!("{at}: unsupported type {v}")),
                })
            }
            "properties" => {
                let props = v.as_object().ok_or_else(|| format!("{at}: properties must be a mapping"))?;
                let mut compiled = HashMap::with_capacity(props.len());
                for (name, prop) in props {
                    compiled.insert(name.clone(), compile(prop, &format!("{at}.{name}"))?);
                }
                s.properties = Some(compiled);
            }
            "required" => {
                let list = v.as_array().ok_or_else(|| format!("{at}: required must be a list"))?;
                s.required = list
                    .iter()
                    .map(|r| r.as_str().map(str::to_owned).ok_or_else(|| format!("{at}: required lists strings")))
                    .collect::<Result<_, _>>()?;
            }
            "additionalProperties" => {
                s.additional = match v {
                    Value::Bool(true) => Additional::Any,
                    Value::Bool(false) => Additional::Unset,
                    other => Additional::Schema(Box::new(compile(other, &format!("{at}.*"))?)),
                }
            }
            "items" => s.items = Some(Box::new(compile(v, &format!("{at}[]"))?)),
            "enum" => s.enumeration = Some(v.as_array().cloned().ok_or_else(|| format!("{at}: enum must be a list"))?),
            "pattern" => {
                let p = v.as_str().ok_or_else(|| format!("{at}: pattern must be a string"))?;
                let re = compile_pattern(p).map_err(|e| format!("{at}: pattern {p:?}: {e}"))?;
                s.pattern = Some((p.to_owned(), re));
            }
            "format" => {
                s.format = Some(match v.as_str() {
                    Some("int32") => Format::Int32,
                    Some("int64") => Format::Int64,
                    Some("float" | "double") => Format::Float,
                    _ => return Err(format!("{at}: format {v} is not supported")),
                })
            }
            "minimum" => s.minimum = Some(keyword_number(v, at, key)?),
            "maximum" => s.maximum = Some(keyword_number(v, at, key)?),
            "exclusiveMinimum" => s.exclusive_minimum = keyword_bool(v, at, key)?,
            "exclusiveMaximum" => s.exclusive_maximum = keyword_bool(v, at, key)?,
            "multipleOf" => s.multiple_of = keyword_number(v, at, key)?.as_f64().filter(|m| *m > 0.0),
            "minItems" => s.min_items = Some(keyword_u64(v, at, key)?),
            "maxItems" => s.max_items = Some(keyword_u64(v, at, key)?),
            "minLength" => s.min_length = Some(keyword_u64(v, at, key)?),
            "maxLength" => s.max_length = Some(keyword_u64(v, at, key)?),
            "minProperties" => s.min_properties = Some(keyword_u64(v, at, key)?),
            "maxProperties" => s.max_properties = Some(keyword_u64(v, at, key)?),
            "uniqueItems" => s.unique_items = keyword_bool(v, at, key)?,
            "nullable" => s.nullable = keyword_bool(v, at, key)?,
            "x-kubernetes-preserve-unknown-fields" => s.preserve_unknown = keyword_bool(v, at, key)?,
            "x-kubernetes-int-or-string" => s.int_or_string = keyword_bool(v, at, key)?,
            "x-kubernetes-list-type" => match v.as_str() {
                Some("atomic") => {}
                Some("set") => s.unique_items = true,
                _ => return Err(format!("{at}: x-kubernetes-list-type {v} is not supported")),
            },
            other => return Err(format!("{at}: schema keyword {other:?} is not supported")),
        }
    }
    Ok(s)
}

fn load(kind: Kind) -> Result<Schema, String> {
    let file = format!("crds/{}_{}.yaml", kind.group(), kind.plural());
    let crd = parse_document(crd_text(kind).as_bytes(), 1, &Limits::default())
        .map_err(|e| format!("{file}: {e}"))?
        .value;
    let text_at = |pointer: &str| crd.pointer(pointer).and_then(Value::as_str);
    if text_at("/spec/group") != Some(kind.group())
        || text_at("/spec/names/kind") != Some(kind.name())
        || text_at("/spec/names/plural") != Some(kind.plural())
    {
        return Err(format!("{file}: is not the CRD of {}", kind.api_version()));
    }
    let version = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .and_then(|versions| versions.iter().find(|v| v.get("name").and_then(Value::as_str) == Some("v1beta1")))
        .ok_or_else(|| format!("{file}: has no v1beta1 version"))?;
    let schema = version
        .pointer("/schema/openAPIV3Schema")
        .ok_or_else(|| format!("{file}: v1beta1 has no openAPIV3Schema"))?;
    compile(schema, &format!("{file}: openAPIV3Schema")).map_err(|e| format!("{file}: {e}"))
}

static SCHEMAS: OnceLock<Result<Vec<Schema>, String>> = OnceLock::new();
static OPENAPI: OnceLock<Vec<Option<Value>>> = OnceLock::new();

/// The v1beta1 openAPIV3Schema of a kind's shipped CRD, as written there (with the `default`s
/// the API server fills in, which the compiled [`Schema`] leaves out). Parsed on first use.
pub(crate) fn openapi_schema(kind: Kind) -> Option<&'static Value> {
    let all = OPENAPI.get_or_init(|| {
        Kind::ALL
            .into_iter()
            .map(|k| {
                let crd = parse_document(crd_text(k).as_bytes(), 1, &Limits::default()).ok()?.value;
                let versions = crd.pointer("/spec/versions")?.as_array()?.clone();
                let version = versions.into_iter().find(|v| v.get("name").and_then(Value::as_str) == Some(super::kinds::VERSION))?;
                version.pointer("/schema/openAPIV3Schema").cloned()
            })
            .collect()
    });
    all.get(kind.index())?.as_ref()
}

/// The compiled root schema of every kind, indexed by [`Kind::index`]; loaded on first use.
fn schemas() -> Result<&'static [Schema], &'static str> {
    SCHEMAS
        .get_or_init(|| Kind::ALL.into_iter().map(load).collect())
        .as_deref()
        .map_err(String::as_str)
}

/// Loads every shipped CRD.
#[cfg(test)]
pub(crate) fn check_loaded() -> Result<(), &'static str> {
    schemas().map(|_| ())
}

/// Validates `document` against the v1beta1 schema of `kind`, adding what it finds to `issues`.
pub(crate) fn validate(kind: Kind, document: &Value, issues: &mut Vec<Issue>) {
    let root = FieldPath::root();
    let schema = match schemas() {
        Ok(all) => &all[kind.index()],
        Err(e) => {
            issues.push(Issue::error(root, RULE, format!("the shipped {kind} schema could not be loaded: {e}")));
            return;
        }
    };
    let Some(map) = document.as_object() else {
        issues.push(Issue::error(root, RULE, format!("a resource must be a mapping of fields, not {}", describe(document))));
        return;
    };
    let mut found = Vec::new();
    check_object(schema, map, &root, &mut found, &["metadata", "status"]);
    match map.get("metadata") {
        None | Some(Value::Null) => found.push(Issue::error(root.key("metadata"), RULE, missing("metadata"))),
        Some(metadata) => check_metadata(metadata, &mut found),
    }
    // The CRD requires spec.switch and spec.neighbor, yet static attachments are valid without
    // them (Hedgehog's webhook checks each flavour); drop those two complaints for spec.static.
    if kind == Kind::ExternalAttachment && document.pointer("/spec/static").is_some_and(Value::is_object) {
        let exempt = [(FieldPath::of(&["spec", "switch"]), missing("switch")), (FieldPath::of(&["spec", "neighbor"]), missing("neighbor"))];
        found.retain(|issue| !exempt.iter().any(|(path, message)| issue.path == *path && issue.message == *message));
    }
    issues.extend(found);
}

fn missing(field: &str) -> String {
    format!("required field {field:?} is missing")
}

/// A short description of a value for messages: `a string ("1001")`, `a list`, `empty`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) if s.chars().count() > 40 => format!("a string ({:?}...)", s.chars().take(40).collect::<String>()),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// A field of an object: null means absent (the API server prunes it) unless nullable.
fn check_field(schema: &Schema, value: &Value, path: &FieldPath, issues: &mut Vec<Issue>) {
    if value.is_null() && !schema.nullable {
        return;
    }
    check(schema, value, path, issues);
}

fn check(schema: &Schema, value: &Value, path: &FieldPath, issues: &mut Vec<Issue>) {
    if value.is_null() {
        if !schema.nullable {
            let expected = schema.ty.map_or("a value", Type::describe);
            issues.push(Issue::error(path.clone(), RULE, format!("must be {expected}, not empty")));
        }
        return;
    }
    if schema.int_or_string {
        if !(is_integer(value) || value.is_string()) {
            issues.push(Issue::error(path.clone(), RULE, format!("must be an integer or a string, not {}", describe(value))));
            return;
        }
    } else if let Some(ty) = schema.ty {
        if !ty.matches(value) {
            issues.push(Issue::error(path.clone(), RULE, format!("must be {}, not {}", ty.describe(), describe(value))));
            return;
        }
    }
    if let Some(allowed) = &schema.enumeration {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            let shown = value.as_str().map_or_else(|| value.to_string(), |s| format!("{s:?}"));
            issues.push(Issue::error(path.clone(), RULE, format!("{shown} is not one of: {}", list.join(", "))));
        }
    }
    match value {
        Value::String(s) => check_string(schema, s, path, issues),
        Value::Number(n) => check_number(schema, n, path, issues),
        Value::Array(items) => check_array(schema, items, path, issues),
        Value::Object(map) => check_object(schema, map, path, issues, &[]),
        Value::Null | Value::Bool(_) => {}
    }
}

fn check_string(schema: &Schema, s: &str, path: &FieldPath, issues: &mut Vec<Issue>) {
    let len = s.chars().count() as u64;
    if let Some(min) = schema.min_length.filter(|min| len < *min) {
        issues.push(Issue::error(path.clone(), RULE, format!("is {len} characters long; at least {min} are needed")));
    }
    if let Some(max) = schema.max_length.filter(|max| len > *max) {
        issues.push(Issue::error(path.clone(), RULE, format!("is {len} characters long; at most {max} are allowed")));
    }
    if let Some((pattern, re)) = &schema.pattern {
        if !re.is_match(s) {
            let message = match PATTERN_HINTS.iter().find(|(p, _)| p == pattern) {
                Some((_, hint)) => format!("{s:?} is not {hint}"),
                None => format!("{s:?} does not match the pattern {pattern}"),
            };
            issues.push(Issue::error(path.clone(), RULE, message));
        }
    }
}

/// Compares two JSON numbers exactly when both are integers.
fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (as_i128(a), as_i128(b)) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn as_i128(n: &Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

fn check_number(schema: &Schema, n: &Number, path: &FieldPath, issues: &mut Vec<Issue>) {
    let mut fail = |message: String| issues.push(Issue::error(path.clone(), RULE, message));
    match (schema.format, as_i128(n)) {
        (Some(Format::Int32), Some(i)) if i32::try_from(i).is_err() => fail(format!("{n} does not fit in a 32-bit integer")),
        (Some(Format::Int64), Some(i)) if i64::try_from(i).is_err() => fail(format!("{n} does not fit in a 64-bit integer")),
        _ => {}
    }
    if let Some(min) = &schema.minimum {
        match compare(n, min) {
            Some(Ordering::Less) => fail(format!("{n} is less than the minimum {min}")),
            Some(Ordering::Equal) if schema.exclusive_minimum => fail(format!("{n} must be more than {min}")),
            _ => {}
        }
    }
    if let Some(max) = &schema.maximum {
        match compare(n, max) {
            Some(Ordering::Greater) => fail(format!("{n} is more than the maximum {max}")),
            Some(Ordering::Equal) if schema.exclusive_maximum => fail(format!("{n} must be less than {max}")),
            _ => {}
        }
    }
    if let (Some(m), Some(x)) = (schema.multiple_of, n.as_f64()) {
        if (x / m).fract() != 0.0 {
            fail(format!("{n} is not a multiple of {m}"));
        }
    }
}

fn items_word(n: u64) -> &'static str {
    if n == 1 {
        "item"
    } else {
        "items"
    }
}

fn check_array(schema: &Schema, items: &[Value], path: &FieldPath, issues: &mut Vec<Issue>) {
    let len = items.len() as u64;
    if let Some(min) = schema.min_items.filter(|min| len < *min) {
        issues.push(Issue::error(path.clone(), RULE, format!("needs at least {min} {}, has {len}", items_word(min))));
    }
    if let Some(max) = schema.max_items.filter(|max| len > *max) {
        issues.push(Issue::error(path.clone(), RULE, format!("may have at most {max} {}, has {len}", items_word(max))));
    }
    for (i, item) in items.iter().enumerate() {
        if schema.unique_items && items[..i].contains(item) {
            issues.push(Issue::error(path.index(i), RULE, format!("{item} is listed more than once")));
        }
        if let Some(item_schema) = &schema.items {
            check(item_schema, item, &path.index(i), issues);
        }
    }
}

/// Checks an object's fields; `skip` names fields checked elsewhere (metadata, status at the root).
fn check_object(schema: &Schema, map: &Map<String, Value>, path: &FieldPath, issues: &mut Vec<Issue>, skip: &[&str]) {
    for (key, value) in map {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let child = path.key(key);
        match (schema.properties.as_ref().and_then(|p| p.get(key)), &schema.additional) {
            (Some(prop), _) => check_field(prop, value, &child, issues),
            (None, Additional::Schema(each)) => check_field(each, value, &child, issues),
            (None, Additional::Any) => {}
            (None, Additional::Unset) if schema.preserve_unknown => {}
            (None, Additional::Unset) => issues.push(Issue::error(child, RULE, format!("unknown field {key:?}"))),
        }
    }
    for field in &schema.required {
        let nullable = schema.properties.as_ref().and_then(|p| p.get(field)).is_some_and(|s| s.nullable);
        match map.get(field) {
            None => issues.push(Issue::error(path.key(field), RULE, missing(field))),
            Some(Value::Null) if !nullable => issues.push(Issue::error(path.key(field), RULE, missing(field))),
            Some(_) => {}
        }
    }
    let len = map.len() as u64;
    if let Some(min) = schema.min_properties.filter(|min| len < *min) {
        issues.push(Issue::error(path.clone(), RULE, format!("needs at least {min} fields, has {len}")));
    }
    if let Some(max) = schema.max_properties.filter(|max| len > *max) {
        issues.push(Issue::error(path.clone(), RULE, format!("may have at most {max} fields, has {len}")));
    }
}

/// `metadata` as the API server sees it, lightly: known ObjectMeta fields with the right shapes.
/// The name's syntax and the namespace's value are Hedgehog rules (see `rules.rs`).
fn check_metadata(metadata: &Value, issues: &mut Vec<Issue>) {
    let path = FieldPath::of(&["metadata"]);
    let Some(map) = metadata.as_object() else {
        issues.push(Issue::error(path, RULE, format!("must be a mapping, not {}", describe(metadata))));
        return;
    };
    for (key, value) in map {
        let child = path.key(key);
        let expected = match key.as_str() {
            "name" | "namespace" | "generateName" | "uid" | "resourceVersion" | "selfLink" | "creationTimestamp"
            | "deletionTimestamp" => Type::String,
            "generation" | "deletionGracePeriodSeconds" => Type::Integer,
            "finalizers" | "ownerReferences" | "managedFields" => Type::Array,
            "labels" | "annotations" => Type::Object,
            _ => {
                issues.push(Issue::error(child, RULE, format!("unknown field {key:?}")));
                continue;
            }
        };
        if value.is_null() {
            continue;
        }
        if !expected.matches(value) {
            issues.push(Issue::error(child, RULE, format!("must be {}, not {}", expected.describe(), describe(value))));
            continue;
        }
        if let Some(entries) = value.as_object() {
            for (k, v) in entries.iter().filter(|(_, v)| !v.is_string()) {
                let hint = match v {
                    Value::Bool(_) | Value::Number(_) => format!("; write \"{v}\" in quotes"),
                    _ => String::new(),
                };
                issues.push(Issue::error(child.key(k), RULE, format!("must be a string, not {}{hint}", describe(v))));
            }
        }
        if key == "finalizers" {
            for (i, v) in value.as_array().into_iter().flatten().enumerate().filter(|(_, v)| !v.is_string()) {
                issues.push(Issue::error(child.index(i), RULE, format!("must be a string, not {}", describe(v))));
            }
        }
    }
    match map.get("name") {
        None | Some(Value::Null) => issues.push(Issue::error(path.key("name"), RULE, missing("name"))),
        Some(_) => {}
    }
}

/// Validates a value against a compiled schema node, for tests of the validator itself.
#[cfg(test)]
pub(crate) fn check_value(schema: &Schema, value: &Value) -> Vec<Issue> {
    let mut issues = Vec::new();
    check(schema, value, &FieldPath::root(), &mut issues);
    issues
}
