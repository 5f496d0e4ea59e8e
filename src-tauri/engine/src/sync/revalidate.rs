//! Fabric-wide validation after the fabric changed: the per-document issues stored with each
//! resource plus the cross-resource rules (references, ports used twice), written back only
//! where they changed.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::hedgehog::{validate_fabric, FabricResource, Kind};
use crate::store::{StoredIssue, Store};

fn parse_text(text: &str) -> Option<crate::yaml::Parsed> {
    let doc = crate::yaml::split_documents(text.as_bytes()).next()?;
    crate::yaml::parse_document(doc.bytes, doc.start_line, &crate::yaml::Limits::default()).ok()
}

pub fn revalidate(store: &Store, conn: &Connection, fabric_id: i64) -> Result<()> {
    let inputs = store.validation_inputs(conn, fabric_id)?;
    let known: Vec<(usize, Kind)> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Kind::from_name(&r.kind).map(|k| (i, k)))
        .collect();
    let resources: Vec<FabricResource<'_>> = known
        .iter()
        .map(|(i, k)| FabricResource { kind: *k, name: &inputs[*i].name, document: &inputs[*i].value })
        .collect();
    let mut extra: HashMap<usize, Vec<StoredIssue>> = HashMap::new();
    for (j, issue) in validate_fabric(&resources) {
        let i = known[j].0;
        extra.entry(i).or_default().push(StoredIssue {
            path: issue.path.to_string(),
            line: None,
            message: issue.message,
            severity: issue.severity,
            rule: issue.rule.to_owned(),
        });
    }
    for (i, input) in inputs.iter().enumerate() {
        let mut issues = input.document_issues.clone();
        let mut more = extra.remove(&i).unwrap_or_default();
        if !more.is_empty() {
            // Fabric-wide findings are rare: read the file once more for their lines.
            if let Some(parsed) = store.desired_text_by_id(conn, input.id)?.and_then(|t| parse_text(&t)) {
                for issue in &mut more {
                    issue.line = parsed.line_of(&crate::yaml::FieldPath::parse(&issue.path));
                }
            }
        }
        issues.extend(more);
        let text = serde_json::to_string(&issues).unwrap_or_else(|_| "[]".to_owned());
        if text != input.issues {
            store.set_issues(conn, input.id, &text)?;
        }
    }
    Ok(())
}
