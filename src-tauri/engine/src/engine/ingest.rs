//! Ingest: plan on the freshly synced tip, commit once, push, record the per-document report.

use std::collections::HashMap;

use super::operation::{OperationKind, Outcome as RunOutcome, Planned, Publish};
use super::{Engine, Trigger};
use crate::error::Result;
use crate::git::GitRepo;
use crate::gitops::layout::{self, FileRole};
use crate::gitops::resource::read_resource_file;
use crate::gitops::ingest::{plan, DocumentOutcome, IngestContext, IngestPlan, Outcome};
use crate::gitops::meta::ArchiveEntry;
use crate::hedgehog::Kind;
use crate::store::{now, FabricRow, ReportRow};

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
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
        if dry_run {
            // The command line's dry run looks at the remote as it is now.
            return self.ingest_preview(fabric, true);
        }
        self.operate(fabric, OperationKind::Ingest, trigger, |engine, fabric, operation_id| {
            let repo = engine.open_clone(fabric)?;
            let done = engine.commit_and_push_locked(fabric, &repo, OperationKind::Ingest, Publish::FabricBranch, false, |current, tip| {
                engine.progress.report(&current.name, OperationKind::Ingest, "Sorting the documents of raw/", 0, 1, true);
                let tip = tip.unwrap_or_default();
                let mut p = engine.plan_ingest(current, &repo, tip)?;
                let (writes, known) = (std::mem::take(&mut p.writes), std::mem::take(&mut p.known));
                Ok(Planned { writes, message: commit_message(&p), extra: p, known })
            })?;
            let p = done.extra;
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
            let conn = engine.store.connect()?;
            engine.store.insert_report(&conn, operation_id, &rows)?;
            let report = IngestReport {
                fabric: fabric.name.clone(),
                dry_run,
                operation_id: Some(operation_id),
                commit: done.commit,
                documents: p.documents,
                archived: p.archived,
                raw_files: p.raw_files,
            };
            let count = |outcome: Outcome| report.documents.iter().filter(|d| d.outcome == outcome).count();
            let counts = IngestCounts {
                raw_files: report.raw_files,
                documents: report.documents.len(),
                managed: count(Outcome::Managed),
                unmanaged: count(Outcome::Unmanaged),
                errors: count(Outcome::Error),
                invalid: report.documents.iter().filter(|d| d.invalid).count(),
                archived: report.archived.len(),
            };
            let after = engine.refreshed(fabric)?.synced_commit;
            let attention = report.needs_attention();
            Ok(RunOutcome::new(report, after, counts, attention))
        })
    }

    /// What ingesting would do: a read, so no fabric lock is taken. With `fetch`, from the
    /// branch as the remote has it now (the fetch only moves the clone's remote-tracking ref);
    /// without, from the last fetched commit, with no network I/O (the app's preview, asked on
    /// every refresh: fetching is what pull and watch do).
    pub fn ingest_preview(&self, fabric: &str, fetch: bool) -> Result<IngestReport> {
        let fabric = self.fabric_row(fabric)?;
        let repo = self.open_clone(&fabric)?;
        if fetch {
            repo.fetch(&fabric.branch)?;
        }
        let tip = repo
            .remote_tip(&fabric.branch)?
            .ok_or_else(|| crate::Error::BranchNotFound { url: fabric.url.clone(), branch: fabric.branch.clone() })?;
        let p = self.plan_ingest(&fabric, &repo, &tip)?;
        Ok(IngestReport {
            fabric: fabric.name.clone(),
            dry_run: true,
            operation_id: None,
            commit: None,
            documents: p.documents,
            archived: p.archived,
            raw_files: p.raw_files,
        })
    }
}

/// The counts an ingest keeps in the audit trail.
#[derive(serde::Serialize)]
struct IngestCounts {
    raw_files: usize,
    documents: usize,
    managed: usize,
    unmanaged: usize,
    errors: usize,
    invalid: usize,
    archived: usize,
}
