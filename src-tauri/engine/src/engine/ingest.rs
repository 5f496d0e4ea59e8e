//! Ingest: plan on the freshly synced tip, commit once, push, record the per-document report.

use std::collections::HashMap;

use super::pull::Planned;
use super::{Engine, Trigger};
use crate::error::Result;
use crate::git::GitRepo;
use crate::gitops::layout::{self, FileRole};
use crate::gitops::resource::read_resource_file;
use crate::gitops::ingest::{plan, DocumentOutcome, IngestContext, IngestPlan, Outcome};
use crate::gitops::meta::ArchiveEntry;
use crate::hedgehog::Kind;
use crate::store::{now, FabricRow, ReportRow};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IngestReport {
    pub fabric: String,
    pub dry_run: bool,
    pub operation_id: Option<i64>,
    pub commit: Option<String>,
    pub documents: Vec<DocumentOutcome>,
    pub archived: Vec<ArchiveEntry>,
    pub raw_files: usize,
}

impl IngestReport {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.documents.iter().filter(|d| d.outcome == outcome).count()
    }

    /// Errors in the report or managed documents that are invalid.
    pub fn needs_attention(&self) -> bool {
        self.documents.iter().any(|d| d.outcome == Outcome::Error || d.invalid)
    }
}

fn commit_message(p: &IngestPlan) -> String {
    let count = |o: Outcome| p.documents.iter().filter(|d| d.outcome == o).count();
    let mut message = format!(
        "hhsync ingest: {} managed, {} unmanaged from {} raw file{}\n",
        count(Outcome::Managed),
        count(Outcome::Unmanaged),
        p.raw_files,
        if p.raw_files == 1 { "" } else { "s" }
    );
    if !p.archived.is_empty() {
        message.push('\n');
    }
    for a in &p.archived {
        message.push_str(&format!("- {} ({} documents) archived as {}\n", a.original_file, a.documents, a.archived_file));
    }
    let errors = count(Outcome::Error);
    if errors > 0 {
        message.push_str(&format!("\n{errors} document(s) with errors left in raw/\n"));
    }
    message
}

impl Engine {
    /// Plans on `tip`. The store is as of the synced commit; when the tip is ahead (a dry run
    /// does not pull), the managed files that changed in between are read from the tip and
    /// laid over it, so the plan is the one a real run would make.
    fn plan_ingest(&self, fabric: &FabricRow, repo: &GitRepo, tip: &str) -> Result<IngestPlan> {
        let conn = self.store.connect()?;
        let mut by_key: HashMap<(Kind, String), (String, serde_json::Value)> = self
            .store
            .desired_resources(&conn, fabric.id)?
            .into_iter()
            .filter_map(|(kind, name, path, value)| Kind::from_name(&kind).map(|k| ((k, name), (path, value))))
            .collect();
        if let Some(from) = fabric.synced_commit.as_deref().filter(|from| *from != tip) {
            for change in repo.diff_files(from, tip, &fabric.directory)? {
                let FileRole::Managed(kind) = layout::role(&change.path) else { continue };
                by_key.retain(|_, (path, _)| *path != change.path);
                if let Some(blob) = &change.new_blob {
                    if let Ok(file) = read_resource_file(&repo.read_blob(blob)?, kind) {
                        by_key.entry((file.kind, file.name)).or_insert((change.path.clone(), file.parsed.value));
                    }
                }
            }
        }
        let existing = |kind: Kind, name: &str| by_key.get(&(kind, name.to_owned())).map(|(path, _)| path.clone());
        let values: Vec<(Kind, String, serde_json::Value)> =
            by_key.iter().map(|((k, n), (_, v))| (*k, n.clone(), v.clone())).collect();
        let now = now();
        plan(&IngestContext { repo, tip, directory: &fabric.directory, existing_path: &existing, fabric: &values, now: &now })
    }

    /// Sorts the documents of raw/ into managed/ and unmanaged/ in one commit, pushed. With
    /// `dry_run`, only says what would happen.
    pub fn ingest(&self, fabric: &str, dry_run: bool, trigger: Trigger) -> Result<IngestReport> {
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let repo = self.open_clone(&fabric)?;
        if dry_run {
            let tip = repo.fetch(&fabric.branch)?.ok_or_else(|| crate::Error::BranchNotFound {
                url: fabric.url.clone(),
                branch: fabric.branch.clone(),
            })?;
            let p = self.plan_ingest(&fabric, &repo, &tip)?;
            return Ok(IngestReport {
                fabric: fabric.name.clone(),
                dry_run,
                operation_id: None,
                commit: None,
                documents: p.documents,
                archived: p.archived,
                raw_files: p.raw_files,
            });
        }
        self.record(&fabric, "ingest", trigger, |operation_id| {
            let (commit, p) = self.commit_and_push_locked(&fabric, &repo, false, |current, tip| {
                self.progress.report(&current.name, "ingest", "Sorting the documents of raw/", 0, 1, true);
                let tip = tip.unwrap_or_default();
                let p = self.plan_ingest(current, &repo, tip)?;
                Ok(Planned { writes: p.writes.clone(), message: commit_message(&p), extra: p })
            })?;
            let rows: Vec<ReportRow> = p
                .documents
                .iter()
                .map(|d| ReportRow {
                    file: d.file.clone(),
                    index: d.index,
                    line: d.line,
                    kind: d.kind.clone(),
                    name: d.name.clone(),
                    outcome: d.outcome.as_str().to_owned(),
                    path: d.path.clone(),
                    reason: d.reason.clone(),
                })
                .collect();
            let conn = self.store.connect()?;
            self.store.insert_report(&conn, operation_id, &rows)?;
            let report = IngestReport {
                fabric: fabric.name.clone(),
                dry_run,
                operation_id: Some(operation_id),
                commit: commit.clone(),
                documents: p.documents,
                archived: p.archived,
                raw_files: p.raw_files,
            };
            let mut by_outcome: HashMap<&str, usize> = HashMap::new();
            for d in &report.documents {
                *by_outcome.entry(d.outcome.as_str()).or_default() += 1;
            }
            let counts = serde_json::json!({
                "raw_files": report.raw_files,
                "documents": report.documents.len(),
                "managed": by_outcome.get("managed").copied().unwrap_or(0),
                "unmanaged": by_outcome.get("unmanaged").copied().unwrap_or(0),
                "errors": by_outcome.get("error").copied().unwrap_or(0),
                "invalid": report.documents.iter().filter(|d| d.invalid).count(),
                "archived": report.archived.len(),
            });
            let after = self.refreshed(&fabric)?.synced_commit;
            let attention = report.needs_attention();
            Ok((report, after, counts, attention))
        })
    }
}
