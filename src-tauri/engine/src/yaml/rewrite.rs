//! Turning the text of one document, as a person wrote it, into a file that holds a given value
//! with its keys in a given order, while keeping what the person wrote around the values.
//!
//! A raw document carries more than its value: comments (`# not used`, `# uplink to rack 7`),
//! the order in which its author listed ports and fields, the quoting they chose. Rendering the
//! value afresh would drop all of that. Instead the document's own text is edited:
//!
//! 1. it is made standalone: line breaks become LF, the leading `---` marker goes (a comment on
//!    it stays, as a line of its own), and the blank and unindented comment lines after its last
//!    content go, because in a multi-document file those are the separators and headers of what
//!    follows (`# SwitchList`), not part of this document;
//! 2. it is patched to the value ([`patch_block_style`]): fields that are not in the value go as
//!    whole lines, changed scalars are replaced in place, and in the same pass non-empty flow
//!    collections (`{mac: x}`, `[a, b]`) become block lines and plain strings that YAML 1.1
//!    reads as booleans or numbers (`yes`) are quoted, as the renderer writes them;
//! 3. mappings whose keys are not in the value's order have their entries moved, each as whole
//!    lines together with the comment lines above it ([`reorder`]).
//!
//! Each step changes only what it must, so the text of a document that already holds the value
//! in that order and style comes back byte for byte: rewriting is idempotent. An edited result
//! is checked by reading it back (an unedited one was read once already, by step 2). What this
//! cannot do faithfully (anchors and aliases, content on the marker line, a top level that is
//! not a block mapping, a key that does not begin its line where entries must move) gives
//! `None`, and the caller renders the value afresh.

use serde_json::Value;

use super::compose::{parse_document, Limits};
use super::patch::{build, column, line_end, line_start, patch_block_style, Kind, Node, Patched};

/// The text of `document` (one document of a raw file, possibly with its `---` line) edited
/// to hold exactly `target`, keys in `target`'s order, comments kept; `None` when that cannot
/// be done faithfully.
pub fn rewrite(document: &str, target: &Value) -> Option<String> {
    let text = standalone(document)?;
    let text = match patch_block_style(&text, target).ok()? {
        Patched::Unchanged(Some(root)) if is_top_level(&text, &root) && identical(&root.value, target) => return Some(text),
        Patched::Unchanged(_) => text,
        Patched::Changed(text) => text,
    };
    let text = reorder(&text, target)?;
    let read = parse_document(text.as_bytes(), 1, &Limits::default()).ok()?;
    identical(&read.value, target).then_some(text)
}

/// A block mapping starting at the first column: the only top level a resource file has.
fn is_top_level(text: &str, root: &Node) -> bool {
    matches!(root.kind, Kind::Map { flow: false, .. }) && column(text, root.start) == 0
}

/// Equal values with their mapping keys in the same order.
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, v), (l, w))| k == l && identical(v, w))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| identical(v, w)),
        _ => a == b,
    }
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The column of the `#` of a comment-only line.
fn comment_column(line: &str) -> Option<usize> {
    let body = line.trim_start_matches([' ', '\t']);
    body.starts_with('#').then(|| line.len() - body.len())
}

/// Step 1 of the module doc: the document as a file of its own, or `None` if its marker line
/// carries content or it has stray carriage returns.
fn standalone(document: &str) -> Option<String> {
    let text = document.replace("\r\n", "\n");
    if text.contains(['\r', '\u{feff}']) {
        return None;
    }
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut marker_comment = None;
    if let Some(first) = lines.first() {
        if let Some(rest) = first.strip_prefix("---").filter(|r| r.is_empty() || r.starts_with([' ', '\t', '\n'])) {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return None;
            }
            marker_comment = (!rest.is_empty()).then(|| format!("{rest}\n"));
            lines.remove(0);
        }
    }
    while lines.first().is_some_and(|l| is_blank(l)) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| is_blank(l) || comment_column(l) == Some(0)) {
        lines.pop();
    }
    if lines.is_empty() {
        return None;
    }
    let mut out = marker_comment.unwrap_or_default();
    out.extend(lines);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Some(out)
}

/// Step 3 of the module doc: moves entries until every block mapping lists its keys in the
/// order `target` has them. One mapping is reordered per round (the text is read again after
/// each), outermost first; moving whole entries never disturbs the order inside them.
fn reorder(text: &str, target: &Value) -> Option<String> {
    let mut text = text.to_owned();
    loop {
        let root = build(&text).ok()??;
        if !is_top_level(&text, &root) {
            return None;
        }
        match misordered(&root, target) {
            None => return Some(text),
            Some((node, order)) => {
                let is_root = std::ptr::eq(node, &root);
                text = reorder_entries(&text, node, &order, is_root)?;
            }
        }
    }
}

/// The first block mapping (outermost first) whose keys are the keys of its counterpart in
/// `target` but in another order, with that order.
fn misordered<'n>(node: &'n Node, target: &Value) -> Option<(&'n Node, Vec<String>)> {
    match (&node.kind, target) {
        (Kind::Map { flow: false, entries }, Value::Object(map)) => {
            let same_keys = entries.len() == map.len() && entries.iter().all(|e| map.contains_key(&e.key));
            if same_keys && entries.iter().zip(map.keys()).any(|(e, k)| &e.key != k) {
                return Some((node, map.keys().cloned().collect()));
            }
            entries.iter().find_map(|e| misordered(&e.value, map.get(&e.key)?))
        }
        (Kind::Seq { flow: false, items }, Value::Array(values)) => items.iter().zip(values).find_map(|(i, v)| misordered(i, v)),
        _ => None,
    }
}

/// Rewrites the lines of one block mapping with its entries in `order`. An entry's lines are
/// its key line, the lines of its value, the more indented comment lines right after it, and
/// the blank and comment lines (not more indented than its key) right above it. Above the first
/// entry of the document's top level, those lines are the document's header and stay on top.
fn reorder_entries(text: &str, node: &Node, order: &[String], is_root: bool) -> Option<String> {
    let Kind::Map { entries, .. } = &node.kind else { return None };
    let col = column(text, node.start);
    // Every key must begin its own line for its entry to move as lines.
    if entries.iter().any(|e| column(text, e.key_start) != col || !text[line_start(text, e.key_start)..e.key_start].trim().is_empty()) {
        return None;
    }
    let value_line_end = |i: usize| line_end(text, entries[i].value.end.max(entries[i].key_start + 1) - 1);
    let mut starts = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let mut start = line_start(text, e.key_start);
        if i > 0 || !is_root {
            let floor = if i > 0 { value_line_end(i - 1) } else { 0 };
            while start > floor {
                let above = line_start(text, start - 1);
                let line = &text[above..start];
                if is_blank(line) || comment_column(line).is_some_and(|c| c <= col) {
                    start = above;
                } else {
                    break;
                }
            }
        }
        starts.push(start);
    }
    let last = entries.len() - 1;
    let end = if is_root {
        text.len()
    } else {
        let mut end = value_line_end(last);
        while end < text.len() {
            let next = line_end(text, end);
            if comment_column(&text[end..next]).is_some_and(|c| c > col) {
                end = next;
            } else {
                break;
            }
        }
        end
    };
    let chunk = |i: usize| &text[starts[i]..if i == last { end } else { starts[i + 1] }];
    let mut out = String::with_capacity(text.len() + 1);
    out.push_str(&text[..starts[0]]);
    for key in order {
        let i = entries.iter().position(|e| &e.key == key)?;
        out.push_str(chunk(i));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(&text[end..]);
    Some(out)
}

#[cfg(test)]
#[path = "rewrite_tests.rs"]
mod tests;
