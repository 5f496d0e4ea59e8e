//! Hedgehog Open Network Fabric resources: the kinds hhsync manages, their shipped CRD schemas,
//! and validation.
//!
//! Validation has two layers, both reported as [`Issue`]s with a path to the offending field:
//! [`validate_document`] checks one document on its own (the CRD's OpenAPI schema, then the rules
//! Hedgehog's admission webhooks add about the document itself), and [`validate_fabric`] checks
//! what only the whole fabric can answer (references exist, a port belongs to one connection).
//! A document that fails the first layer goes to unmanaged/; one that fails only the second is
//! still managed, but marked invalid. Problems are values, never panics: the input is whatever
//! someone dropped into raw/.

mod connection;
mod dependencies;
mod fields;
mod kinds;
mod net;
mod refs;
mod resource_id;
mod rules;
mod schema;
mod vpc;

use serde_json::Value;

use crate::yaml::FieldPath;

pub use kinds::{classify, Classification, Kind, UnknownKind};
pub use resource_id::ResourceId;
pub(crate) use connection::{connection_links, endpoints, split_port, Device};
pub(crate) use dependencies::{dependency_keys, DependencyKey, KeyRole};
pub(crate) use kinds::VERSION;
pub(crate) use schema::openapi_schema;

/// How bad an [`Issue`] is. Errors make a document invalid; warnings (deprecated features,
/// settings the server will ignore) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One problem found in one document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Issue {
    /// The field the problem is about (the document itself for the root).
    #[serde(serialize_with = "serialize_path")]
    pub path: FieldPath,
    pub message: String,
    pub severity: Severity,
    /// A short stable id of the rule, e.g. `schema`, `name`, `vlan`, `reference`, `port-reuse`.
    pub rule: &'static str,
}

fn serialize_path<S: serde::Serializer>(path: &FieldPath, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(path)
}

impl Issue {
    pub(crate) fn error(path: FieldPath, rule: &'static str, message: impl Into<String>) -> Self {
        Self { path, message: message.into(), severity: Severity::Error, rule }
    }

    pub(crate) fn warning(path: FieldPath, rule: &'static str, message: impl Into<String>) -> Self {
        Self { path, message: message.into(), severity: Severity::Warning, rule }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {level}: {} [{}]", self.path, self.message, self.rule)
    }
}

/// Layer 1 and the Hedgehog rules about the document itself (no other resource needed).
///
/// `document` is the whole resource (apiVersion, kind, metadata, spec, ...). It is checked
/// against the v1beta1 schema of `kind` (legacy v1alpha2 documents too, since they are rewritten
/// as v1beta1), then against the per-document rules: RFC 1123 names, namespace `default`, VLANs,
/// VLANNamespace ranges, VPC subnets, IPv4Namespace size, the connection type and its ports, and
/// the deprecation of MCLAG (a warning). `status` is ignored.
pub fn validate_document(kind: Kind, document: &Value) -> Vec<Issue> {
    let mut issues = Vec::new();
    rules::check_type_meta(kind, document, &mut issues);
    schema::validate(kind, document, &mut issues);
    rules::validate(kind, document, &mut issues);
    issues
}

/// One resource of a fabric, for [`validate_fabric`].
#[derive(Debug, Clone, Copy)]
pub struct FabricResource<'a> {
    pub kind: Kind,
    pub name: &'a str,
    pub document: &'a Value,
}

/// Layer 2: the rules across the fabric. Every reference must exist (a connection's switches and
/// servers, a switch's groups, an attachment's VPC, subnet, connection and external, a peering's
/// VPCs), VPCs attach only to server-facing connections, and a port belongs to one connection
/// only. Returns each issue with the index in `resources` of the document it is about.
pub fn validate_fabric(resources: &[FabricResource<'_>]) -> Vec<(usize, Issue)> {
    refs::validate(resources)
}

#[cfg(test)]
mod test_support {
    //! Helpers shared by the test files of this module.
    pub(super) use super::*;

    /// Parses one YAML document of a test.
    pub fn yaml(text: &str) -> Value {
        crate::yaml::parse_document(text.as_bytes(), 1, &crate::yaml::Limits::default()).expect("test YAML parses").value
    }

    /// All issues of one document.
    pub fn check(kind: Kind, text: &str) -> Vec<Issue> {
        validate_document(kind, &yaml(text))
    }

    /// The errors of one document.
    pub fn errors(kind: Kind, text: &str) -> Vec<Issue> {
        check(kind, text).into_iter().filter(Issue::is_error).collect()
    }

    /// Asserts there is an issue at `path` of `rule` whose message contains `fragment`.
    #[track_caller]
    pub fn assert_issue(issues: &[Issue], path: &str, rule: &str, fragment: &str) {
        assert!(
            issues.iter().any(|i| i.path.to_string() == path && i.rule == rule && i.message.contains(fragment)),
            "no {rule} issue at {path} containing {fragment:?} in:\n{}",
            issues.iter().map(|i| format!("  {i}\n")).collect::<String>()
        );
    }

    /// Asserts there is no error.
    #[track_caller]
    pub fn assert_no_errors(issues: &[Issue]) {
        let errors: Vec<String> = issues.iter().filter(|i| i.is_error()).map(|i| format!("  {i}\n")).collect();
        assert!(errors.is_empty(), "unexpected errors:\n{}", errors.concat());
    }
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod kinds_tests;

#[cfg(test)]
#[path = "schema_tests.rs"]
mod schema_tests;

#[cfg(test)]
#[path = "rules_tests.rs"]
mod rules_tests;

#[cfg(test)]
#[path = "connection_tests.rs"]
mod connection_tests;

#[cfg(test)]
#[path = "vpc_tests.rs"]
mod vpc_tests;

#[cfg(test)]
#[path = "refs_tests.rs"]
mod refs_tests;

#[cfg(test)]
#[path = "samples_tests.rs"]
mod samples_tests;
