//! Conflicts: listing them with side-by-side diffs, and resolving them by taking ours, taking
//! theirs, choosing per field, or a text edited by hand. A resolution is a new draft (nothing is
//! pushed until the user pushes) and is kept in the conflict's history.

use std::collections::HashMap;

use serde_json::Value;

use super::drafts::parse_resource_text;
use super::operation::{OperationKind, Outcome};
use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::gitops::resource::{render_resource, same_content};
use crate::hedgehog::ResourceId;
use crate::store::ConflictRow;
use crate::sync::issues::issues_of_text;
use crate::sync::diff3::{merge_regions, MergeRegion};
use crate::sync::diff::{hunk_origins, line_diff, take_hunks, Hunk, HunkOrigin, HunkSide};
use crate::sync::merge::{differing_paths, merge3, Side};
use crate::sync::revalidate::revalidate;
use crate::yaml::{parse_document, patch, split_documents, FieldPath, Limits};

/// How to resolve a conflict. Taking a side decides the conflicting fields only: what just one
/// side changed is kept either way, so resolving never silently undoes a colleague's other
/// change (nor our own). Replacing the whole resource with one side is a separate choice.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Ours at every conflicting field; the rest merged.
    Ours,
    /// Theirs at every conflicting field; the rest merged.
    Theirs,
    /// The whole resource as one side has it: drops the other side's changes, including those
    /// that did not conflict ([`ConflictDetail::whole_ours_drops`] names them).
    Whole(Side),
    /// Merge, taking the given side at each conflicting field.
    Fields(Vec<(String, Side)>),
    /// This text, edited by hand.
    Text { text: String, source: String },
    /// Ours and theirs combined hunk by hunk (ids from `ours_vs_theirs`; `Old` is ours, `New`
    /// theirs), as a side-by-side view offers. A hunk left out takes the side that changed it
    /// when only one did ([`ConflictDetail::hunk_origins`]), else `default`.
    Hunks { choices: HashMap<String, HunkSide>, default: HunkSide },
}

impl Resolution {
    fn label(&self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Theirs => "theirs",
            Self::Whole(Side::Ours) => "whole-ours",
            Self::Whole(Side::Theirs) => "whole-theirs",
            Self::Fields(_) => "fields",
            Self::Text { .. } | Self::Hunks { .. } => "manual",
        }
    }
}

/// A conflict with the diffs a side-by-side view needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ConflictDetail {
    #[serde(flatten)]
    pub conflict: ConflictRow,
    pub ours_vs_theirs: Vec<Hunk>,
    pub base_vs_ours: Vec<Hunk>,
    pub base_vs_theirs: Vec<Hunk>,
    /// For each hunk of `ours_vs_theirs`, who changed it: one side only (take that side) or both.
    pub hunk_origins: HashMap<String, HunkOrigin>,
    /// Field paths upstream changed without conflict that taking our whole text would undo.
    pub whole_ours_drops: Vec<String>,
    /// Field paths we changed without conflict that taking their whole text would drop.
    pub whole_theirs_drops: Vec<String>,
    /// The line-level three-way merge of base, ours and theirs, region by region, for the
    /// merge editor. Empty when one side deleted the resource: there is no text to merge.
    pub merge_regions: Vec<MergeRegion>,
}

/// The three-way merge of a conflict with `choose` deciding the conflicting fields, as the
/// draft it makes: `Some(Some(..))` an edit (theirs' text patched to the merged value, so its
/// formatting and comments stay), `Some(None)` a delete.
fn merged_with(conflict: &ConflictRow, choose: &dyn Fn(&FieldPath) -> Option<Side>) -> Option<Option<(String, Value)>> {
    let base = value_of(conflict.base_text.as_deref());
    let ours = value_of(conflict.ours_text.as_deref());
    let theirs = value_of(conflict.theirs_text.as_deref());
    let merged = merge3(base.as_ref(), ours.as_ref(), theirs.as_ref(), choose);
    Some(merged.value.map(|v| {
        let text = match &conflict.theirs_text {
            Some(t) => patch(t, &v).unwrap_or_else(|_| render_resource(&v)),
            None => render_resource(&v),
        };
        (text, v)
    }))
}

/// What replacing the resource with one whole side drops of the other side's changes that
/// did not conflict: (taking ours drops, taking theirs drops), as field paths.
fn whole_drops(conflict: &ConflictRow) -> (Vec<String>, Vec<String>) {
    let ours = value_of(conflict.ours_text.as_deref());
    let theirs = value_of(conflict.theirs_text.as_deref());
    let drops = |side: Side, whole: Option<&Value>| -> Vec<String> {
        match merged_with(conflict, &|_: &FieldPath| Some(side)) {
            Some(merged) => differing_paths(merged.as_ref().map(|(_, v)| v), whole).iter().map(ToString::to_string).collect(),
            None => Vec::new(),
        }
    };
    (drops(Side::Ours, ours.as_ref()), drops(Side::Theirs, theirs.as_ref()))
}

fn value_of(text: Option<&str>) -> Option<Value> {
    let text = text?;
    let doc = split_documents(text.as_bytes()).next()?;
    parse_document(doc.bytes, doc.start_line, &Limits::default()).ok().map(|p| p.value)
}

impl Engine {
    /// Open conflicts of a fabric (or the whole history), with diffs.
    pub fn conflicts(&self, fabric: &str, history: bool) -> Result<Vec<ConflictDetail>> {
        let fabric = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        Ok(self
            .store
            .conflicts(&conn, fabric.id, !history)?
            .into_iter()
            .map(|c| {
                let base = c.base_text.clone().unwrap_or_default();
                let ours = c.ours_text.clone().unwrap_or_default();
                let theirs = c.theirs_text.clone().unwrap_or_default();
                let (whole_ours_drops, whole_theirs_drops) = whole_drops(&c);
                let merge_regions = match (&c.ours_text, &c.theirs_text) {
                    (Some(o), Some(t)) => merge_regions(c.base_text.as_deref(), o, t),
                    _ => Vec::new(),
                };
                ConflictDetail {
                    ours_vs_theirs: line_diff(&ours, &theirs, 3),
                    base_vs_ours: line_diff(&base, &ours, 3),
                    base_vs_theirs: line_diff(&base, &theirs, 3),
                    hunk_origins: hunk_origins(&base, &ours, &theirs),
                    whole_ours_drops,
                    whole_theirs_drops,
                    merge_regions,
                    conflict: c,
                }
            })
            .collect())
    }

    /// Resolves the open conflict of `KIND/NAME`. Returns the resource's draft report.
    pub fn resolve(&self, fabric: &str, id: &ResourceId, resolution: Resolution, trigger: Trigger) -> Result<super::DraftReport> {
        let mut reports = self.resolve_many(fabric, vec![(id.clone(), resolution)], trigger)?;
        Ok(reports.remove(0))
    }

    /// Resolves several open conflicts as one operation, all or none: one failure (a conflict
    /// that is gone, a text that does not parse) leaves every conflict open. Returns the draft
    /// report of each resource, in the order given.
    pub fn resolve_many(&self, fabric: &str, choices: Vec<(ResourceId, Resolution)>, trigger: Trigger) -> Result<Vec<super::DraftReport>> {
        if choices.is_empty() {
            return Err(Error::InvalidInput("nothing to resolve: choose at least one conflict".to_owned()));
        }
        let fabric_row = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric_row)?;
        self.record(&fabric_row, OperationKind::Resolve, trigger, |_, _, _| {
            let mut conn = self.store.connect()?;
            let tx = conn.transaction().map_err(|e| self.store.err(e))?;
            let by = self.author().name;
            for (id, resolution) in &choices {
                self.resolve_one(&tx, &fabric_row, id, resolution, &by)?;
            }
            revalidate(&self.store, &tx, fabric_row.id)?;
            crate::crash::point("resolve:before-commit");
            tx.commit().map_err(|e| self.store.err(e))?;
            crate::crash::point("resolve:after-commit");
            let label = match choices.iter().map(|(_, r)| r.label()).collect::<std::collections::BTreeSet<_>>() {
                labels if labels.len() == 1 => labels.into_iter().next().unwrap_or_default(),
                _ => "mixed",
            };
            let counts = ResolveCounts { resolved: choices.len(), resolution: label };
            Ok(Outcome::new((), fabric_row.synced_commit.clone(), counts, false))
        })?;
        choices.iter().map(|(id, _)| self.draft_report(&fabric_row, id.kind, &id.name)).collect()
    }

    /// One conflict's resolution, inside the caller's transaction.
    fn resolve_one(&self, tx: &rusqlite::Transaction<'_>, fabric_row: &crate::store::FabricRow, id: &ResourceId, resolution: &Resolution, by: &str) -> Result<()> {
        let (kind, name) = (id.kind, id.name.as_str());
        let conflict = self.store.open_conflict(tx, fabric_row.id, kind.name(), name)?.ok_or_else(|| {
            Error::NoOpenConflict { fabric: fabric_row.name.clone(), resource: id.clone() }
        })?;
        let row = self.store.draft_row(tx, fabric_row.id, kind.name(), name)?.ok_or_else(|| Error::ResourceNotFound {
            fabric: fabric_row.name.clone(),
            kind: kind.name().to_owned(),
            name: name.to_owned(),
        })?;
        let theirs_text = conflict.theirs_text.clone();
        // The resulting draft: Some(Some(text)) an edit, Some(None) a delete, None no draft.
        let result: Option<Option<(String, Value)>> = match resolution {
            Resolution::Ours | Resolution::Theirs => {
                let side = if *resolution == Resolution::Ours { Side::Ours } else { Side::Theirs };
                merged_with(&conflict, &|_: &FieldPath| Some(side))
            }
            Resolution::Whole(Side::Theirs) => None,
            Resolution::Whole(Side::Ours) => match (&conflict.ours_text, value_of(conflict.ours_text.as_deref())) {
                (Some(_), Some(ours)) => {
                    let text = match &theirs_text {
                        Some(t) => patch(t, &ours).unwrap_or_else(|_| render_resource(&ours)),
                        None => render_resource(&ours),
                    };
                    Some(Some((text, ours)))
                }
                _ => Some(None),
            },
            Resolution::Fields(choices) => {
                let chosen: HashMap<String, Side> = choices.iter().cloned().collect();
                let unknown: Vec<&String> = chosen.keys().filter(|p| !conflict.fields.contains(p)).collect();
                if !unknown.is_empty() {
                    return Err(Error::InvalidInput(format!(
                        "{} not among the conflicting fields ({})",
                        unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                        conflict.fields.join(", ")
                    )));
                }
                let missing: Vec<&String> = conflict.fields.iter().filter(|f| !chosen.contains_key(*f)).collect();
                if !missing.is_empty() {
                    return Err(Error::InvalidInput(format!(
                        "choose ours or theirs for every conflicting field; missing: {}",
                        missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
                merged_with(&conflict, &|p: &FieldPath| chosen.get(&p.to_string()).copied())
            }
            Resolution::Text { text, source } => {
                let parsed = parse_resource_text(text, kind, name, source)?;
                Some(Some((text.clone(), parsed.value)))
            }
            Resolution::Hunks { choices, default } => {
                let (Some(ours), Some(theirs)) = (&conflict.ours_text, &theirs_text) else {
                    return Err(Error::InvalidInput(format!("{kind}/{name}: one side deleted the resource; take ours or theirs instead")));
                };
                // A hunk only one side changed takes that side unless the person chose.
                let base = conflict.base_text.as_deref().unwrap_or_default();
                let mut effective = choices.clone();
                for (id, origin) in hunk_origins(base, ours, theirs) {
                    let side = match origin {
                        HunkOrigin::Ours => HunkSide::Old,
                        HunkOrigin::Theirs => HunkSide::New,
                        HunkOrigin::Both => *default,
                    };
                    effective.entry(id).or_insert(side);
                }
                let text = take_hunks(ours, theirs, &effective, *default);
                let parsed = parse_resource_text(&text, kind, name, "the combined text")?;
                Some(Some((text, parsed.value)))
            }
        };
        let desired_matches = |v: &Value| row.desired_value.as_ref().is_some_and(|d| same_content(d, v));
        match result {
            None => self.store.clear_draft(tx, row.id)?,
            Some(None) if row.desired_text.is_none() => self.store.clear_draft(tx, row.id)?,
            Some(None) => self.store.save_delete_marker(tx, row.id, "resolution")?,
            Some(Some((_, v))) if desired_matches(&v) => self.store.clear_draft(tx, row.id)?,
            Some(Some((text, v))) => {
                let issues = issues_of_text(kind.name(), &text);
                self.store.save_draft(tx, fabric_row.id, kind.name(), name, &text, &v, &issues, "resolution")?;
            }
        }
        self.store.set_conflict_flag(tx, row.id, false)?;
        self.store.resolve_conflict(tx, conflict.id, resolution.label(), by)?;
        Ok(())
    }
}

/// The counts a resolution keeps in the audit trail.
#[derive(serde::Serialize)]
struct ResolveCounts {
    resolved: usize,
    resolution: &'static str,
}
