//! Turning a draft into the file change a push commits. A new resource keeps its typed text
//! (volatile fields dropped, top level in canonical order, comments kept); an
//! edit to an existing file changes only the lines the edit must change (see
//! [`crate::yaml::patch`]), so a one-field change is a one-line diff and comments survive.

use super::layout;
use super::resource::{render_resource, render_resource_text};
use crate::hedgehog::Kind;
use crate::store::DraftRow;
use crate::yaml::patch;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Created,
    Modified,
    Deleted,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Modified => "modified",
            Self::Deleted => "deleted",
        }
    }
}

/// A draft as a file change, relative to the GitOps directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDraft {
    pub kind: Kind,
    pub name: String,
    pub change: Change,
    pub path: String,
    /// The desired file's text (empty for a new resource).
    pub old_text: String,
    /// The new text; `None` for a deletion.
    pub new_text: Option<String>,
}

fn changed_lines(a: &str, b: &str) -> usize {
    similar::TextDiff::from_lines(a, b)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .count()
}

/// Renders a draft. `None` when the row has no draft.
pub fn render_draft(kind: Kind, row: &DraftRow) -> Option<RenderedDraft> {
    let old_text = row.desired_text.clone().unwrap_or_default();
    if row.draft_deleted {
        let path = row.path.clone()?;
        return Some(RenderedDraft { kind, name: row.name.clone(), change: Change::Deleted, path, old_text, new_text: None });
    }
    let value = row.draft_value.as_ref()?;
    let (change, path, new_text) = match (&row.path, &row.desired_text) {
        (Some(path), Some(desired)) => {
            let patched = patch(desired, value).ok();
            let typed = row.draft_text.clone().unwrap_or_default();
            // Text a person typed is kept as typed (their comments included) unless it rewrites
            // far more of the file than the change needs, e.g. a pasted re-rendering: then only
            // the changed fields are edited into the existing file.
            let text = match patched {
                Some(p) if row.draft_origin.as_deref() == Some("edit") => {
                    if changed_lines(desired, &typed) <= changed_lines(desired, &p) + 3 { typed } else { p }
                }
                Some(p) => p,
                None => typed,
            };
            (Change::Modified, path.clone(), text)
        }
        // A new resource keeps what its author typed (comments, order) the way ingest does.
        _ => {
            let text = match &row.draft_text {
                Some(typed) => render_resource_text(typed, value),
                None => render_resource(value),
            };
            (Change::Created, layout::managed_path(kind, &row.name), text)
        }
    };
    Some(RenderedDraft { kind, name: row.name.clone(), change, path, old_text, new_text: Some(new_text) })
}
