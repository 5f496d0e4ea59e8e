//! Local edits: create, edit and delete resources as drafts, validated on save; discard them;
//! see what a push would change. Drafts live in the database and survive restarts and crashes.

use super::Engine;
use crate::error::{DraftAction, Error, Result};
use crate::gitops::resource::resource_name;
use crate::gitops::writeback::{render_draft, RenderedDraft};
use crate::hedgehog::{classify, Classification, Kind, ResourceId};
use crate::store::{FabricRow, ResourceStatus};
use crate::sync::issues::document_issues;
use crate::sync::revalidate::revalidate;
use crate::yaml::{parse_document, split_documents, Limits, Parsed};

/// A resource after saving its draft: its status is modified, new, deleted, synced (the edit
/// matched Git, so no draft was kept) or invalid.
pub type DraftReport = super::ResourceSummary;

/// What a push would change for one resource.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct DraftDiff {
    pub kind: String,
    pub name: String,
    pub change: String,
    pub path: String,
    pub old_text: String,
    pub new_text: Option<String>,
    /// A unified diff of the file.
    pub diff: String,
}

/// Why a text is not a resource: the message, and the line when the YAML itself is at fault.
pub(super) struct TextError {
    pub message: String,
    pub line: Option<usize>,
}

impl From<TextError> for Error {
    fn from(e: TextError) -> Self {
        Error::InvalidInput(e.message)
    }
}

/// Reads the one document of a text a person gave for `kind`/`name`.
pub(super) fn parse_resource_text(text: &str, kind: Kind, name: &str, source: &str) -> Result<Parsed> {
    Ok(read_resource_text(text, kind, name, source)?)
}

/// [`parse_resource_text`], keeping the line of a YAML error for an editor to mark.
pub(super) fn read_resource_text(text: &str, kind: Kind, name: &str, source: &str) -> Result<Parsed, TextError> {
    let fail = |message: String| TextError { message, line: None };
    let mut docs = split_documents(text.as_bytes());
    let doc = docs.next().ok_or_else(|| fail(format!("{source}: no YAML document in it")))?;
    if docs.next().is_some() {
        return Err(fail(format!("{source}: holds more than one document; give one resource")));
    }
    let parsed = parse_document(doc.bytes, doc.start_line, &Limits::default())
        .map_err(|e| TextError { message: format!("{source}: {e}"), line: e.line() })?;
    match classify(&parsed.value) {
        Classification::Managed { kind: k, .. } if k == kind => {}
        Classification::Managed { kind: k, .. } => {
            return Err(fail(format!("{source}: the text is a {k}, not a {kind}")))
        }
        Classification::Incomplete { reason } => return Err(fail(format!("{source}: {reason}"))),
        Classification::HedgehogUnmanaged { kind: k, api_version } | Classification::NotHedgehog { kind: k, api_version } => {
            return Err(fail(format!("{source}: {k} ({api_version}) is not a {kind}")))
        }
    }
    match resource_name(&parsed.value) {
        Some(n) if n == name => Ok(parsed),
        Some(n) => Err(fail(format!(
            "{source}: metadata.name is {n:?}, not {name:?}; renaming is a delete plus a create"
        ))),
        None => Err(fail(format!("{source}: metadata.name is missing"))),
    }
}

/// Refuses a new resource named `name`, saying which rule the name breaks.
fn refuse_invalid_name(kind: Kind, name: &str) -> Result<()> {
    match Kind::name_problem(name) {
        None => Ok(()),
        Some(problem) => Err(Error::InvalidInput(format!(
            "cannot create {kind}/{name}: {problem} (a resource name must be a lowercase RFC 1123 subdomain of at \
             most 253 characters, as Kubernetes requires; it also names the resource's file); nothing was saved"
        ))),
    }
}

impl Engine {
    pub(super) fn draft_report(&self, fabric: &FabricRow, kind: Kind, name: &str) -> Result<DraftReport> {
        let conn = self.store.connect()?;
        Ok(match self.store.resource(&conn, fabric.id, kind.name(), name)? {
            Some(r) => {
                let (errors, warnings) = r.issues.into_iter().partition(|i| i.severity == crate::hedgehog::Severity::Error);
                DraftReport { kind: r.kind, name: r.name, status: r.status, path: r.path, errors, warnings }
            }
            None => DraftReport {
                kind: kind.name().to_owned(),
                name: name.to_owned(),
                status: ResourceStatus::Synced,
                path: None,
                errors: Vec::new(),
                warnings: Vec::new(),
            },
        })
    }

    /// Saves `text` as the draft of `KIND/NAME` (a new resource if there is none). The draft is
    /// kept even when invalid, with its issues; text that is not YAML, or names another
    /// resource, is refused and nothing is saved. So is a new resource whose name is not a
    /// Kubernetes name: its file is named after it, and a name such as `a/b`, `..` or `.git`
    /// would make a path that is read back as stray or that git refuses, a draft no push
    /// (`--allow-invalid` included) could ever write.
    pub fn edit(&self, fabric: &str, id: &ResourceId, text: &str, source: &str) -> Result<DraftReport> {
        let (kind, name) = (id.kind, id.name.as_str());
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let parsed = parse_resource_text(text, kind, name, source)?;
        let mut conn = self.store.connect()?;
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let row = self.store.draft_row(&tx, fabric.id, kind.name(), name)?;
        // A resource already in Git keeps its file whatever its name, so only a new one is
        // refused (an existing one with a bad name can still be edited, then renamed).
        if row.as_ref().is_none_or(|r| r.path.is_none()) {
            refuse_invalid_name(kind, name)?;
        }
        // Text identical to Git's is no draft (a reformatted but equal text still is one: its
        // bytes would change the file).
        let matches_git = row.as_ref().and_then(|r| r.desired_text.as_deref()) == Some(text);
        match (&row, matches_git) {
            (Some(r), true) => self.store.clear_draft(&tx, r.id)?,
            _ => {
                let issues = document_issues(kind, &parsed);
                self.store.save_draft(&tx, fabric.id, kind.name(), name, text, &parsed.value, &issues, "edit")?;
            }
        }
        revalidate(&self.store, &tx, fabric.id)?;
        tx.commit().map_err(|e| self.store.err(e))?;
        self.draft_report(&fabric, kind, name)
    }

    /// Marks `KIND/NAME` for deletion; a resource that exists only as a draft is dropped.
    pub fn delete(&self, fabric: &str, id: &ResourceId) -> Result<DraftReport> {
        let (kind, name) = (id.kind, id.name.as_str());
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let mut conn = self.store.connect()?;
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let row = self.store.draft_row(&tx, fabric.id, kind.name(), name)?.ok_or_else(|| Error::ResourceNotFound {
            fabric: fabric.name.clone(),
            kind: kind.name().to_owned(),
            name: name.to_owned(),
        })?;
        if row.desired_text.is_none() {
            self.store.clear_draft(&tx, row.id)?;
        } else {
            self.store.save_delete_marker(&tx, row.id, "edit")?;
        }
        revalidate(&self.store, &tx, fabric.id)?;
        tx.commit().map_err(|e| self.store.err(e))?;
        self.draft_report(&fabric, kind, name)
    }

    /// Drops the draft of one resource, or (`None`) of every resource. Open conflicts on them
    /// are closed as discarded. Returns the resources whose drafts were dropped.
    pub fn discard(&self, fabric: &str, id: Option<&ResourceId>) -> Result<Vec<(String, String)>> {
        let target = id.map(|i| (i.kind, i.name.as_str()));
        let fabric = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric)?;
        let mut conn = self.store.connect()?;
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let rows = self.store.drafts(&tx, fabric.id)?;
        let chosen: Vec<_> = rows
            .into_iter()
            .filter(|r| target.is_none_or(|(k, n)| k.name() == r.kind && n == r.name))
            .collect();
        if let (Some((k, n)), true) = (target, chosen.is_empty()) {
            return Err(Error::NoDraft { fabric: fabric.name.clone(), resource: ResourceId::new(k, n), action: DraftAction::Discard });
        }
        let by = self.author().name;
        for r in &chosen {
            if let Some(c) = self.store.open_conflict(&tx, fabric.id, &r.kind, &r.name)? {
                self.store.resolve_conflict(&tx, c.id, "discarded", &by)?;
            }
            self.store.clear_draft(&tx, r.id)?;
        }
        revalidate(&self.store, &tx, fabric.id)?;
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(chosen.into_iter().map(|r| (r.kind, r.name)).collect())
    }

    /// What a push would change: each draft as a file change with a unified diff.
    pub fn diff(&self, fabric: &str, id: Option<&ResourceId>) -> Result<Vec<DraftDiff>> {
        let target = id.map(|i| (i.kind, i.name.as_str()));
        let fabric = self.fabric_row(fabric)?;
        Ok(self
            .rendered_drafts(&fabric)?
            .into_iter()
            .filter(|r| target.is_none_or(|(k, n)| k == r.kind && n == r.name))
            .map(|r| {
                let new = r.new_text.clone().unwrap_or_default();
                let (old_name, new_name) = match r.change {
                    crate::gitops::writeback::Change::Created => ("/dev/null".to_owned(), r.path.clone()),
                    crate::gitops::writeback::Change::Deleted => (r.path.clone(), "/dev/null".to_owned()),
                    crate::gitops::writeback::Change::Modified => (r.path.clone(), r.path.clone()),
                };
                let diff = crate::sync::diff::unified(&r.old_text, &new, &old_name, &new_name);
                DraftDiff {
                    kind: r.kind.name().to_owned(),
                    name: r.name,
                    change: r.change.as_str().to_owned(),
                    path: r.path,
                    old_text: r.old_text,
                    new_text: r.new_text,
                    diff,
                }
            })
            .collect())
    }

    pub(super) fn rendered_drafts(&self, fabric: &FabricRow) -> Result<Vec<RenderedDraft>> {
        let conn = self.store.connect()?;
        Ok(self
            .store
            .drafts(&conn, fabric.id)?
            .iter()
            .filter_map(|r| Kind::from_name(&r.kind).and_then(|k| render_draft(k, r)))
            .collect())
    }
}
