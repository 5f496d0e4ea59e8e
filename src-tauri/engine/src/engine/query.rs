//! Reading a fabric's state without changing it: status, resources, one resource, history,
//! validation (of a fabric or of a loose file). None of these touch the network.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::Engine;
use crate::error::{Error, Result};
use crate::hedgehog::{classify, validate_document, validate_fabric, Classification, FabricResource, Kind, ResourceId, Severity};
use crate::store::{OperationRow, ResourceStatus, StoredIssue};
use crate::yaml::{parse_document, split_documents, Limits};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatusCounts {
    pub synced: usize,
    pub modified: usize,
    pub new: usize,
    pub deleted: usize,
    pub conflict: usize,
    pub invalid: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatusReport {
    pub fabric: String,
    pub repository: String,
    pub url: String,
    pub branch: String,
    pub directory: String,
    pub synced_commit: Option<String>,
    pub synced_at: Option<String>,
    /// The remote tip as of the last fetch (no network is used for status).
    pub remote_commit: Option<String>,
    pub counts: StatusCounts,
    pub resources: usize,
    pub raw_pending: usize,
    pub unmanaged: usize,
    pub last_operation: Option<OperationRow>,
    /// The last operation that talked to the remote could not reach it (error code
    /// remote-unreachable). Drafts and conflict resolution keep working meanwhile.
    pub offline: bool,
}

/// A file or resource that needs a person's attention.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Finding {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ResourceSummary {
    pub kind: String,
    pub name: String,
    pub status: ResourceStatus,
    pub path: Option<String>,
    pub errors: Vec<StoredIssue>,
    pub warnings: Vec<StoredIssue>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ResourceDetail {
    #[serde(flatten)]
    pub summary: ResourceSummary,
    pub legacy: bool,
    pub blob: Option<String>,
    pub commit: Option<String>,
    pub text: Option<String>,
    pub draft_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidationMessage {
    pub file: String,
    pub index: Option<usize>,
    pub line: Option<usize>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidationReport {
    pub valid: bool,
    pub errors: Vec<ValidationMessage>,
    pub warnings: Vec<ValidationMessage>,
}

fn split_issues(issues: Vec<StoredIssue>) -> (Vec<StoredIssue>, Vec<StoredIssue>) {
    issues.into_iter().partition(|i| i.severity == Severity::Error)
}

impl Engine {
    pub fn status(&self, fabric: &str) -> Result<StatusReport> {
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let resources = self.store.resources(&conn, fabric.id)?;
        let mut counts = StatusCounts::default();
        for r in &resources {
            *match r.status {
                ResourceStatus::Synced => &mut counts.synced,
                ResourceStatus::Modified => &mut counts.modified,
                ResourceStatus::New => &mut counts.new,
                ResourceStatus::Deleted => &mut counts.deleted,
                ResourceStatus::Conflict => &mut counts.conflict,
                ResourceStatus::Invalid => &mut counts.invalid,
            } += 1;
        }
        let remote_commit = self.open_clone(&fabric).ok().and_then(|repo| repo.remote_tip(&fabric.branch).ok().flatten());
        Ok(StatusReport {
            fabric: fabric.name.clone(),
            repository: fabric.repository.clone(),
            url: fabric.url.clone(),
            branch: fabric.branch.clone(),
            directory: fabric.directory.clone(),
            synced_commit: fabric.synced_commit.clone(),
            synced_at: fabric.synced_at.clone(),
            remote_commit,
            counts,
            resources: resources.len(),
            raw_pending: self.store.raw_files(&conn, fabric.id)?.len(),
            unmanaged: self.store.unmanaged_files(&conn, fabric.id)?.len(),
            last_operation: self.store.operations(&conn, fabric.id, 1)?.into_iter().next(),
            offline: self.offline(&fabric),
        })
    }

    /// The fabric's resources, optionally only one kind and/or one status.
    pub fn resources(&self, fabric: &str, kind: Option<&str>, status: Option<&str>) -> Result<Vec<ResourceSummary>> {
        let kind = kind
            .map(|k| Kind::from_name(k).ok_or_else(|| Error::InvalidInput(format!("unknown kind {k:?}; kinds: {}", kind_list()))))
            .transpose()?;
        let status = status
            .map(|s| {
                ResourceStatus::parse(s).ok_or_else(|| {
                    Error::InvalidInput(format!("unknown status {s:?}; use synced, modified, new, deleted, conflict or invalid"))
                })
            })
            .transpose()?;
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        Ok(self
            .store
            .resources(&conn, fabric.id)?
            .into_iter()
            .filter(|r| kind.is_none_or(|k| k.name() == r.kind))
            .filter(|r| status.is_none_or(|s| s == r.status))
            .map(|r| {
                let (errors, warnings) = split_issues(r.issues);
                ResourceSummary { kind: r.kind, name: r.name, status: r.status, path: r.path, errors, warnings }
            })
            .collect())
    }

    /// One resource, by `KIND/NAME` (kind case-insensitive).
    pub fn show(&self, fabric: &str, id: &ResourceId) -> Result<ResourceDetail> {
        let (kind, name) = (id.kind, id.name.as_str());
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let r = self.store.resource(&conn, fabric.id, kind.name(), name)?.ok_or_else(|| Error::ResourceNotFound {
            fabric: fabric.name.clone(),
            kind: kind.name().to_owned(),
            name: name.to_owned(),
        })?;
        let (errors, warnings) = split_issues(r.issues);
        Ok(ResourceDetail {
            summary: ResourceSummary { kind: r.kind, name: r.name, status: r.status, path: r.path, errors, warnings },
            legacy: r.legacy,
            blob: r.desired_blob,
            commit: r.desired_commit,
            text: r.desired_text,
            draft_text: r.draft_text,
        })
    }

    pub fn log(&self, fabric: &str, limit: usize) -> Result<Vec<OperationRow>> {
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        self.store.operations(&conn, fabric.id, limit)
    }

    /// Files where they do not belong and legacy resources.
    pub fn findings(&self, fabric: &crate::store::FabricRow) -> Result<Vec<Finding>> {
        let conn = self.store.connect()?;
        let mut out: Vec<Finding> = self
            .store
            .unmanaged_files(&conn, fabric.id)?
            .into_iter()
            .filter(|(path, _)| !path.starts_with("unmanaged/"))
            .map(|(path, message)| Finding { path, message })
            .collect();
        for r in self.store.resources(&conn, fabric.id)?.into_iter().filter(|r| r.legacy) {
            out.push(Finding {
                path: r.path.unwrap_or_default(),
                message: format!("{}/{} uses the legacy apiVersion v1alpha2; it can be rewritten as v1beta1", r.kind, r.name),
            });
        }
        Ok(out)
    }

    /// The validation state of a fabric as of its synced commit.
    pub fn validate_fabric(&self, fabric: &str) -> Result<ValidationReport> {
        let row = self.fabric_row(fabric)?;
        let mut report = ValidationReport { valid: true, errors: Vec::new(), warnings: Vec::new() };
        for r in self.resources(fabric, None, None)? {
            let file = r.path.clone().unwrap_or_default();
            let message = |i: &StoredIssue| ValidationMessage {
                file: file.clone(),
                index: Some(0),
                line: i.line,
                kind: Some(r.kind.clone()),
                name: Some(r.name.clone()),
                path: i.path.clone(),
                message: i.message.clone(),
            };
            report.errors.extend(r.errors.iter().map(message));
            report.warnings.extend(r.warnings.iter().map(message));
        }
        for f in self.findings(&row)? {
            report.warnings.push(ValidationMessage { file: f.path, index: None, line: None, kind: None, name: None, path: String::new(), message: f.message });
        }
        report.valid = report.errors.is_empty();
        Ok(report)
    }
}

fn kind_list() -> String {
    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

/// Validates a loose file: each document on its own, and the rules across documents among
/// the file's resources. References to resources the file does not hold are warnings, since
/// the rest of the fabric is not known here.
pub fn validate_file(path: &Path) -> Result<ValidationReport> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    let mut report = ValidationReport { valid: true, errors: Vec::new(), warnings: Vec::new() };
    let mut docs: Vec<(usize, usize, Kind, String, crate::yaml::Parsed)> = Vec::new();
    for doc in split_documents(&bytes) {
        let msg = |kind: Option<String>, name: Option<String>, line: Option<usize>, path: String, message: String| ValidationMessage {
            file: file.clone(),
            index: Some(doc.index),
            line,
            kind,
            name,
            path,
            message,
        };
        let parsed = match parse_document(doc.bytes, doc.start_line, &Limits::default()) {
            Ok(p) => p,
            Err(e) => {
                report.errors.push(msg(None, None, e.line(), e.path().map(|p| p.to_string()).unwrap_or_default(), e.to_string()));
                continue;
            }
        };
        let name = crate::gitops::resource::resource_name(&parsed.value);
        match classify(&parsed.value) {
            Classification::Managed { kind, legacy } => {
                if legacy {
                    report.warnings.push(msg(Some(kind.name().into()), name.clone(), Some(doc.content_line), "apiVersion".into(),
                        format!("legacy apiVersion; use {}", kind.api_version())));
                }
                for i in validate_document(kind, &parsed.value) {
                    let m = msg(Some(kind.name().into()), name.clone(), parsed.line_of(&i.path), i.path.to_string(), i.message);
                    if i.severity == Severity::Error { report.errors.push(m) } else { report.warnings.push(m) }
                }
                if let Some(name) = name {
                    docs.push((doc.index, doc.content_line, kind, name, parsed));
                }
            }
            Classification::HedgehogUnmanaged { api_version, kind } | Classification::NotHedgehog { api_version, kind } => {
                report.warnings.push(msg(Some(kind.clone()), name, Some(doc.content_line), String::new(),
                    format!("{kind} ({api_version}) is not a kind hhsync manages; not validated")));
            }
            Classification::Incomplete { reason } => {
                report.errors.push(msg(None, name, Some(doc.content_line), String::new(), reason));
            }
        }
    }
    // Identical documents for one resource are one resource (as ingestion takes them); different
    // ones are an error, not a guess.
    let mut first: HashMap<(Kind, String), usize> = HashMap::new();
    let mut keep = vec![true; docs.len()];
    for (i, (index, line, kind, name, parsed)) in docs.iter().enumerate() {
        match first.get(&(*kind, name.clone())) {
            None => {
                first.insert((*kind, name.clone()), i);
            }
            Some(&j) => {
                keep[i] = false;
                if !crate::gitops::resource::same_content(&docs[j].4.value, &parsed.value) {
                    report.errors.push(ValidationMessage {
                        file: file.clone(),
                        index: Some(*index),
                        line: Some(*line),
                        kind: Some(kind.name().to_owned()),
                        name: Some(name.clone()),
                        path: "metadata.name".to_owned(),
                        message: format!("{kind}/{name} is defined differently in documents {} and {index}; keep one", docs[j].0),
                    });
                }
            }
        }
    }
    let mut kept = keep.iter();
    docs.retain(|_| *kept.next().unwrap_or(&true));
    let resources: Vec<FabricResource<'_>> =
        docs.iter().map(|(_, _, kind, name, parsed)| FabricResource { kind: *kind, name, document: &parsed.value }).collect();
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    for (i, issue) in validate_fabric(&resources) {
        let (index, _, kind, name, parsed) = &docs[i];
        if !seen.insert((i, format!("{}{}", issue.path, issue.message))) {
            continue;
        }
        let m = ValidationMessage {
            file: file.clone(),
            index: Some(*index),
            line: parsed.line_of(&issue.path),
            kind: Some(kind.name().to_owned()),
            name: Some(name.clone()),
            path: issue.path.to_string(),
            message: issue.message,
        };
        if issue.severity == Severity::Error && issue.rule != "reference" { report.errors.push(m) } else { report.warnings.push(m) }
    }
    report.valid = report.errors.is_empty();
    Ok(report)
}
