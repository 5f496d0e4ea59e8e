//! Conflicts: listing them with side-by-side diffs, and resolving them by taking ours, taking
//! theirs, choosing per field, or a text edited by hand. A resolution is a new draft (nothing is
//! pushed until the user pushes) and is kept in the conflict's history.

use std::collections::HashMap;

use serde_json::Value;

use super::drafts::parse_resource_text;
use super::query::parse_kind_name;
use super::{Engine, Trigger};
use crate::error::{Error, Result};
use crate::gitops::resource::{render_resource, same_content};
use crate::store::ConflictRow;
use crate::sync::apply::issues_of_text;
use crate::sync::diff::{line_diff, take_hunks, Hunk, HunkSide};
use crate::sync::merge::{merge3, Side};
use crate::sync::revalidate::revalidate;
use crate::yaml::{parse_document, patch, split_documents, FieldPath, Limits};

/// How to resolve a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep the local draft as it is.
    Ours,
    /// Drop the local draft; the upstream version stands.
    Theirs,
    /// Merge, taking the given side at each conflicting field.
    Fields(Vec<(String, Side)>),
    /// This text, edited by hand.
    Text { text: String, source: String },
    /// Ours and theirs combined hunk by hunk (ids from `ours_vs_theirs`; `Old` is ours, `New`
    /// theirs), as a side-by-side view offers.
    Hunks { choices: HashMap<String, HunkSide>, default: HunkSide },
}

impl Resolution {
    fn label(&self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Theirs => "theirs",
            Self::Fields(_) => "fields",
            Self::Text { .. } | Self::Hunks { .. } => "manual",
        }
    }
}

/// A conflict with the diffs a side-by-side view needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConflictDetail {
    #[serde(flatten)]
    pub conflict: ConflictRow,
    pub ours_vs_theirs: Vec<Hunk>,
    pub base_vs_ours: Vec<Hunk>,
    pub base_vs_theirs: Vec<Hunk>,
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
                ConflictDetail {
                    ours_vs_theirs: line_diff(&ours, &theirs, 3),
                    base_vs_ours: line_diff(&base, &ours, 3),
                    base_vs_theirs: line_diff(&base, &theirs, 3),
                    conflict: c,
                }
            })
            .collect())
    }

    /// Resolves the open conflict of `KIND/NAME`. Returns the resource's draft report.
    pub fn resolve(&self, fabric: &str, kind_name: &str, resolution: Resolution, trigger: Trigger) -> Result<super::DraftReport> {
        let (kind, name) = parse_kind_name(kind_name)?;
        let fabric_row = self.fabric_row(fabric)?;
        let _lock = self.lock(&fabric_row)?;
        self.record(&fabric_row, "resolve", trigger, |_| {
            let mut conn = self.store.connect()?;
            let tx = conn.transaction().map_err(|e| self.store.err(e))?;
            let conflict = self.store.open_conflict(&tx, fabric_row.id, kind.name(), name)?.ok_or_else(|| {
                Error::InvalidInput(format!("{kind}/{name} has no open conflict (see `hhsync conflicts {}`)", fabric_row.name))
            })?;
            let row = self.store.draft_row(&tx, fabric_row.id, kind.name(), name)?.ok_or_else(|| Error::ResourceNotFound {
                fabric: fabric_row.name.clone(),
                kind: kind.name().to_owned(),
                name: name.to_owned(),
            })?;
            let theirs_text = conflict.theirs_text.clone();
            let theirs = value_of(theirs_text.as_deref());
            // The resulting draft: Some(Some(text)) an edit, Some(None) a delete, None no draft.
            let result: Option<Option<(String, Value)>> = match &resolution {
                Resolution::Theirs => None,
                Resolution::Ours => match (&conflict.ours_text, value_of(conflict.ours_text.as_deref())) {
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
                    let base = value_of(conflict.base_text.as_deref());
                    let ours = value_of(conflict.ours_text.as_deref());
                    let merged = merge3(base.as_ref(), ours.as_ref(), theirs.as_ref(), &|p: &FieldPath| chosen.get(&p.to_string()).copied());
                    match merged.value {
                        Some(v) => {
                            let text = match &theirs_text {
                                Some(t) => patch(t, &v).unwrap_or_else(|_| render_resource(&v)),
                                None => render_resource(&v),
                            };
                            Some(Some((text, v)))
                        }
                        None => Some(None),
                    }
                }
                Resolution::Text { text, source } => {
                    let parsed = parse_resource_text(text, kind, name, source)?;
                    Some(Some((text.clone(), parsed.value)))
                }
                Resolution::Hunks { choices, default } => {
                    let (Some(ours), Some(theirs)) = (&conflict.ours_text, &theirs_text) else {
                        return Err(Error::InvalidInput(format!("{kind}/{name}: one side deleted the resource; take ours or theirs instead")));
                    };
                    let text = take_hunks(ours, theirs, choices, *default);
                    let parsed = parse_resource_text(&text, kind, name, "the combined text")?;
                    Some(Some((text, parsed.value)))
                }
            };
            let desired_matches = |v: &Value| row.desired_value.as_ref().is_some_and(|d| same_content(d, v));
            match result {
                None => self.store.clear_draft(&tx, row.id)?,
                Some(None) if row.desired_text.is_none() => self.store.clear_draft(&tx, row.id)?,
                Some(None) => self.store.save_delete_marker(&tx, row.id, "resolution")?,
                Some(Some((_, v))) if desired_matches(&v) => self.store.clear_draft(&tx, row.id)?,
                Some(Some((text, v))) => {
                    let issues = issues_of_text(kind.name(), &text);
                    self.store.save_draft(&tx, fabric_row.id, kind.name(), name, &text, &v, &issues, "resolution")?;
                }
            }
            self.store.set_conflict_flag(&tx, row.id, false)?;
            self.store.resolve_conflict(&tx, conflict.id, resolution.label(), &self.author().name)?;
            revalidate(&self.store, &tx, fabric_row.id)?;
            tx.commit().map_err(|e| self.store.err(e))?;
            let counts = serde_json::json!({"resolved": 1, "resolution": resolution.label()});
            Ok(((), fabric_row.synced_commit.clone(), counts, false))
        })?;
        self.draft_report(&fabric_row, kind, name)
    }
}
