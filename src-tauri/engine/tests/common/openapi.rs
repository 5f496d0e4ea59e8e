//! GitHub's published OpenAPI description (npm package @octokit/openapi, installed by
//! `npm ci` in tests/github-openapi), used to check the requests hhsync's GitHub client sends
//! and the answers of the fake GitHub against the same shapes as the real one.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; `nullable: true` is rewritten
//! as "or null" before validating. References (`#/components/schemas/...`) resolve inside the
//! description.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Map, Value};

pub struct Spec {
    paths: Map<String, Value>,
    components: Value,
    examples: Map<String, Value>,
    /// `{"components": {"responses": ...}}`, for resolving response references.
    responses: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

/// Installed next to the engine's tests; the app's end-to-end tests (another crate, which
/// includes this file) find it from their own directory.
fn spec_path() -> PathBuf {
    let file = "node_modules/@octokit/openapi/generated/api.github.com.json";
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let engine = here.join("tests/github-openapi").join(file);
    if engine.exists() {
        return engine;
    }
    here.join("../../src-tauri/engine/tests/github-openapi").join(file)
}

/// The description, loaded once. Panics with what to run when it is not installed.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "GitHub's OpenAPI description is missing ({}: {e}); run `npm ci` in src-tauri/engine/tests/github-openapi (scripts/setup does)",
                path.display()
            )
        });
        let mut doc: Value = serde_json::from_str(&text).expect("api.github.com.json is JSON");
        let paths = doc["paths"].as_object().cloned().expect("paths");
        let examples = doc["components"]["examples"].as_object().cloned().unwrap_or_default();
        let responses = json!({ "components": { "responses": doc["components"]["responses"].take() } });
        let mut components = json!({ "schemas": doc["components"]["schemas"].take() });
        denull(&mut components);
        Spec { paths, components, examples, responses, validators: Mutex::new(HashMap::new()) }
    })
}

/// Rewrites OpenAPI 3.0 `nullable: true` as JSON Schema "or null".
fn denull(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(denull),
        Value::Object(map) => {
            for v in map.values_mut() {
                denull(v);
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::Array(options)) = map.get_mut("enum") {
                    options.push(Value::Null);
                }
                match map.get("type").cloned() {
                    Some(Value::String(t)) => {
                        map.insert("type".to_owned(), json!([t, "null"]));
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(map));
                        map.insert("anyOf".to_owned(), json!([inner, {"type": "null"}]));
                    }
                }
            }
        }
        _ => {}
    }
}

fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

impl Spec {
    /// The operation for `method path` (e.g. GET /repos/acme/fabric/pulls/3) and its template.
    pub fn operation(&self, method: &str, path: &str) -> (String, &Value) {
        let path = path.split('?').next().unwrap_or(path);
        let method = method.to_ascii_lowercase();
        self.paths
            .iter()
            .filter(|(template, _)| matches(template, path))
            .find_map(|(template, item)| item.get(&method).map(|op| (template.clone(), op)))
            .unwrap_or_else(|| panic!("GitHub's OpenAPI description has no operation {method} {path}"))
    }

    /// An example from the description (`components/examples/NAME`).
    pub fn example(&self, name: &str) -> Value {
        self.examples.get(name).and_then(|e| e.get("value")).cloned().unwrap_or_else(|| panic!("no example {name}"))
    }

    fn resolve<'a>(&'a self, value: &'a Value, root: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(pointer) => root.pointer(pointer.trim_start_matches('#')).unwrap_or(value),
            None => value,
        }
    }

    fn validator(&self, key: &str, schema: &Value) -> std::sync::Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap();
        if let Some(v) = cache.get(key) {
            return v.clone();
        }
        let mut schema = schema.clone();
        denull(&mut schema);
        let root = json!({ "allOf": [schema], "components": self.components });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema for {key} does not compile: {e}"));
        let validator = std::sync::Arc::new(validator);
        cache.insert(key.to_owned(), validator.clone());
        validator
    }

    fn check(&self, key: &str, schema: &Value, instance: &Value) -> Result<(), String> {
        let validator = self.validator(key, schema);
        let errors: Vec<String> = validator.iter_errors(instance).take(10).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{key}:\n  {}", errors.join("\n  ")))
        }
    }

    /// Checks a request body against the operation's `requestBody` schema (and that the
    /// operation takes no body when there is none).
    pub fn validate_request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(), String> {
        let (template, op) = self.operation(method, path);
        let schema = op.pointer("/requestBody/content/application~1json/schema");
        match (schema, body) {
            (Some(schema), Some(body)) => self.check(&format!("{method} {template} request"), schema, body),
            (Some(_), None) if op.pointer("/requestBody/required") == Some(&Value::Bool(true)) => {
                Err(format!("{method} {template} requires a body"))
            }
            (None, Some(body)) if !body.is_null() => Err(format!("{method} {template} takes no body, got {body}")),
            _ => Ok(()),
        }
    }

    /// Checks an answer against the operation's response schema for `status`. A status the
    /// operation does not list (429, say) is checked against GitHub's `basic-error`.
    pub fn validate_response(&self, method: &str, path: &str, status: u16, body: &Value) -> Result<(), String> {
        let (template, op) = self.operation(method, path);
        let schema = match op.get("responses").and_then(|r| r.get(status.to_string())) {
            Some(response) => {
                let response = self.resolve(response, &self.responses);
                response.pointer("/content/application~1json/schema").cloned()
            }
            None => Some(json!({"$ref": "#/components/schemas/basic-error"})),
        };
        match schema {
            Some(schema) => self.check(&format!("{method} {template} {status}"), &schema, body),
            None => Err(format!("{method} {template} has no JSON answer for {status}")),
        }
    }
}
