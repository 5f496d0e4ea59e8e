//! The metadata files of a GitOps directory: `.hnp/manifest.yaml`, `.hnp/archive-log.yaml` and
//! the README. Both `.hnp` files are a comment header over a JSON body, exactly as the earlier
//! implementation wrote them, so either tool can read what the other wrote.

use serde_json::{json, Value};

use crate::hedgehog::Kind;
use crate::yaml::{parse_document, split_documents, Limits};

const MANIFEST_HEADER: &str = "# HNP GitOps Manifest\n# This file tracks the GitOps structure for this fabric\n\n";
const ARCHIVE_HEADER: &str = "# HNP Archive Log\n# This file tracks file archiving operations\n\n";

/// Reads a `.hnp` file (comment header, then YAML or JSON). `None` when it cannot be read.
pub fn read_meta(bytes: &[u8]) -> Option<Value> {
    let doc = split_documents(bytes).next()?;
    let parsed = parse_document(doc.bytes, doc.start_line, &Limits::default()).ok()?;
    parsed.value.is_object().then_some(parsed.value)
}

fn write_meta(header: &str, body: &Value) -> Vec<u8> {
    let mut text = header.to_owned();
    text.push_str(&serde_json::to_string_pretty(body).unwrap_or_else(|_| "{}".to_owned()));
    text.push('\n');
    text.into_bytes()
}

/// The manifest of a new GitOps directory, with the keys the earlier implementation used.
pub fn new_manifest(fabric: &str, created_at: &str) -> Vec<u8> {
    let crd_directories: Vec<&str> = Kind::ALL.iter().map(|k| k.plural()).collect();
    write_meta(
        MANIFEST_HEADER,
        &json!({
            "version": "1.0",
            "fabric_name": fabric,
            "structure_version": "1.0",
            "created_at": created_at,
            "created_by": "hhsync",
            "directories": {"raw": "raw", "managed": "managed", "unmanaged": "unmanaged"},
            "crd_directories": crd_directories,
            "archive_strategy": "rename_with_extension",
            "gitops_initialized": true
        }),
    )
}

pub fn new_archive_log(created_at: &str) -> Vec<u8> {
    write_meta(
        ARCHIVE_HEADER,
        &json!({
            "version": "1.0",
            "created_at": created_at,
            "operations": [],
            "description": "Log of archive operations performed during GitOps management"
        }),
    )
}

/// One archived raw file, as recorded in the archive log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ArchiveEntry {
    pub operation: &'static str,
    pub original_file: String,
    pub archived_file: String,
    pub archived_at: String,
    pub documents: usize,
    pub managed: usize,
    pub unmanaged: usize,
}

/// The archive log with `entries` appended. An unreadable or missing log starts afresh
/// (keeping nothing is better than refusing to ingest; git still has the old file).
pub fn append_archive_log(existing: Option<&[u8]>, entries: &[ArchiveEntry], now: &str) -> Vec<u8> {
    let mut log = existing.and_then(read_meta).unwrap_or_else(|| {
        json!({"version": "1.0", "created_at": now, "operations": [],
               "description": "Log of archive operations performed during GitOps management"})
    });
    if !log.get("operations").is_some_and(Value::is_array) {
        log["operations"] = json!([]);
    }
    if let Some(ops) = log.get_mut("operations").and_then(Value::as_array_mut) {
        ops.extend(entries.iter().filter_map(|e| serde_json::to_value(e).ok()));
    }
    write_meta(ARCHIVE_HEADER, &log)
}

pub fn readme(fabric: &str) -> Vec<u8> {
    format!(
        "# Hedgehog fabric: {fabric}\n\n\
This directory is managed by hhsync (compatible with the Hedgehog NetBox plugin layout).\n\n\
- `raw/`: drop any Hedgehog YAML here (several documents per file are fine). Ingestion sorts\n  \
every document into `managed/` or `unmanaged/` and renames the file to `*.yaml.archived`.\n\
- `managed/<kind>/<name>.yaml`: one resource per file. Edit freely; keep one resource per file.\n\
- `unmanaged/`: documents hhsync keeps but does not manage, each with the reason at its top.\n\
- `.hnp/`: structure metadata and the archive log. Do not edit by hand.\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD_MANIFEST: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__.hnp__manifest.yaml");
    const OLD_LOG: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__.hnp__archive-log.yaml");

    #[test]
    fn reads_the_earlier_implementations_files() {
        let m = read_meta(OLD_MANIFEST.as_bytes()).unwrap();
        assert_eq!(m["gitops_initialized"], json!(true));
        assert_eq!(m["directories"]["raw"], json!("raw"));
        assert!(read_meta(OLD_LOG.as_bytes()).unwrap()["operations"].is_array());
    }

    #[test]
    fn new_manifest_reads_back_with_the_same_keys() {
        let ours = read_meta(&new_manifest("f", "2026-01-01T00:00:00Z")).unwrap();
        let old = read_meta(OLD_MANIFEST.as_bytes()).unwrap();
        for key in old.as_object().unwrap().keys().filter(|k| *k != "fabric_id") {
            assert!(ours.get(key).is_some(), "missing {key}");
        }
        assert_eq!(ours["crd_directories"].as_array().unwrap().len(), 14);
    }

    #[test]
    fn appends_to_the_archive_log() {
        let entry = ArchiveEntry {
            operation: "archive",
            original_file: "raw/a.yaml".into(),
            archived_file: "raw/a.yaml.archived".into(),
            archived_at: "t".into(),
            documents: 2,
            managed: 1,
            unmanaged: 1,
        };
        let once = append_archive_log(Some(OLD_LOG.as_bytes()), std::slice::from_ref(&entry), "t");
        let twice = append_archive_log(Some(&once), &[entry], "t");
        let log = read_meta(&twice).unwrap();
        assert_eq!(log["operations"].as_array().unwrap().len(), 2);
        assert_eq!(log["created_at"], json!("2025-08-06T09:01:35.184506+00:00"));
        assert!(String::from_utf8(twice).unwrap().starts_with("# HNP Archive Log"));
    }
}
