//! What happens to a draft when Git changes under it (a pull, or our own push coming back):
//! base = the old desired version, ours = the draft, theirs = the new desired version.
//! Equal sides dissolve the draft (this is how a pushed draft becomes desired, and how a crash
//! after a push heals); disjoint changes merge into a new draft, recorded as auto-merged;
//! overlapping changes, and an edit against a delete, become a conflict. The draft itself is
//! never thrown away by a merge.

use rusqlite::Connection;
use serde_json::Value;

use super::issues::issues_of_text;
use super::merge::merge3;
use crate::error::Result;
use crate::gitops::resource::{render_resource, same_content};
use crate::store::{DraftRow, NewConflict, Store};
use crate::yaml::patch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconciled {
    /// The draft matches the new desired version and was dropped.
    Dissolved,
    /// Both sides changed different things; the draft now holds both.
    AutoMerged,
    /// Both sides changed the same thing; a conflict was recorded and the draft kept.
    Conflict,
}

fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_content(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Reconciles `row`'s draft with the new desired version `theirs` (value and text; `None`
/// when upstream deleted the resource). The caller updates the desired columns afterwards.
pub fn reconcile(store: &Store, conn: &Connection, fabric_id: i64, row: &DraftRow, theirs: Option<(&Value, &str)>, commit: &str) -> Result<Reconciled> {
    let ours = if row.draft_deleted { None } else { row.draft_value.as_ref() };
    let theirs_value = theirs.map(|(v, _)| v);
    if same(ours, theirs_value) {
        store.clear_draft(conn, row.id)?;
        return Ok(Reconciled::Dissolved);
    }
    let base = row.desired_value.as_ref();
    let outcome = merge3(base, ours, theirs_value, &|_| None);
    if outcome.conflicts.is_empty() {
        match (&outcome.value, theirs) {
            (merged, _) if same(merged.as_ref(), theirs_value) => {
                store.clear_draft(conn, row.id)?;
                return Ok(Reconciled::Dissolved);
            }
            (Some(merged), theirs) => {
                let text = match theirs {
                    Some((_, theirs_text)) => patch(theirs_text, merged).unwrap_or_else(|_| render_resource(merged)),
                    None => render_resource(merged),
                };
                let issues = issues_of_text(&row.kind, &text);
                store.save_draft(conn, fabric_id, &row.kind, &row.name, &text, merged, &issues, "merge")?;
                store.insert_conflict(conn, fabric_id, &NewConflict {
                    kind: &row.kind,
                    name: &row.name,
                    kind_of: "auto-merge",
                    base_text: row.desired_text.as_deref(),
                    ours_text: row.draft_text.as_deref(),
                    theirs_text: theirs.map(|(_, t)| t),
                    fields: Vec::new(),
                    theirs_commit: Some(commit),
                })?;
                return Ok(Reconciled::AutoMerged);
            }
            (None, _) => {
                // Ours deleted, theirs unchanged from base: the delete marker stays.
                return Ok(Reconciled::AutoMerged);
            }
        }
    }
    let kind_of = match (ours, theirs_value, base) {
        (Some(_), None, _) => "edit-delete",
        (None, Some(_), _) => "delete-edit",
        (_, _, None) => "add-add",
        _ => "edit-edit",
    };
    store.insert_conflict(conn, fabric_id, &NewConflict {
        kind: &row.kind,
        name: &row.name,
        kind_of,
        base_text: row.desired_text.as_deref(),
        ours_text: row.draft_text.as_deref(),
        theirs_text: theirs.map(|(_, t)| t),
        fields: outcome.conflicts.iter().map(ToString::to_string).collect(),
        theirs_commit: Some(commit),
    })?;
    store.set_conflict_flag(conn, row.id, true)?;
    Ok(Reconciled::Conflict)
}
