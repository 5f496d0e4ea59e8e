//! The validation issues of one resource text, ready to store: each issue of
//! [`validate_document`] with the file line of its field. Applying a commit stores them with
//! every resource it reads, and reconciling stores them with every draft a merge produces, so
//! they live here, below both: `apply.rs` calls `reconcile.rs`, and neither reaches back.

use crate::hedgehog::{validate_document, Kind};
use crate::store::StoredIssue;
use crate::yaml::{parse_document, split_documents, Limits, Parsed};

/// Issues of one document, with the file lines of their fields.
pub fn document_issues(kind: Kind, parsed: &Parsed) -> Vec<StoredIssue> {
    validate_document(kind, &parsed.value)
        .into_iter()
        .map(|i| StoredIssue {
            line: parsed.line_of(&i.path),
            path: i.path.to_string(),
            message: i.message,
            severity: i.severity,
            rule: i.rule.to_owned(),
        })
        .collect()
}

/// Issues of a resource text (for drafts produced by a merge), empty if it does not parse.
pub fn issues_of_text(kind: &str, text: &str) -> Vec<StoredIssue> {
    let Some(kind) = Kind::from_name(kind) else { return Vec::new() };
    let Some(doc) = split_documents(text.as_bytes()).next() else { return Vec::new() };
    match parse_document(doc.bytes, doc.start_line, &Limits::default()) {
        Ok(parsed) => document_issues(kind, &parsed),
        Err(_) => Vec::new(),
    }
}
