//! Lossless write-back: turn an existing YAML file into one that holds a new value while
//! changing only the lines the change needs. Comments, key order, quoting and indentation
//! elsewhere stay byte for byte, so changing one field of a commented file is a one-line diff.
//!
//! The file is parsed into a tree of nodes with their byte spans; the old and new values are
//! compared node by node; each difference becomes the smallest edit: a scalar replaced in
//! place (keeping its quoting style when it can), a mapping entry inserted or removed as whole
//! lines, and only where that is not possible (a flow collection, a change of type, a list
//! reordered) the one subtree re-rendered. Ingestion uses a variant that also turns flow
//! collections into block lines ([`patch_block_style`]), so managed files are block style.

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::Value;

use super::compose::resolve_scalar;
use super::emit::{inline, is_plain_safe, looks_like_other_type, render_block, string};

/// Why a file could not be patched; the caller then renders the value afresh.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("the file is not valid YAML: {0}")]
    Syntax(String),
    #[error("the file holds {0} documents; expected one")]
    Documents(usize),
    #[error("the file uses anchors, aliases or complex keys, which are not edited in place")]
    Unsupported,
}

#[derive(Debug)]
pub(super) enum Kind {
    Scalar(ScalarStyle),
    Map { flow: bool, entries: Vec<Entry> },
    Seq { flow: bool, items: Vec<Node> },
}

/// A node of the file with its byte span (`end` is just past its last character).
#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: Value,
}

#[derive(Debug)]
pub(super) struct Entry {
    pub(super) key: String,
    pub(super) key_start: usize,
    /// Just past the key's text (its closing quote, for a quoted key).
    pub(super) key_end: usize,
    pub(super) value: Node,
}

/// Replaces `original` with text holding `new_value`, editing as little as possible.
pub fn patch(original: &str, new_value: &Value) -> Result<String, PatchError> {
    let root = build(original)?;
    let edits = edits(original, root.as_ref(), new_value, false);
    Ok(apply(original, edits))
}

/// What [`patch_block_style`] did.
pub(super) enum Patched {
    /// Nothing needed editing; the tree of the text, for the caller to go on reading.
    Unchanged(Option<Node>),
    Changed(String),
}

/// [`patch`], and in the same pass: each non-empty flow collection (`{mac: x}`, `[a, b]`) in
/// block context becomes block lines, the way [`super::render`] writes them, and each plain
/// string that a YAML 1.1 reader (go-yaml v2, PyYAML) would take for a boolean or a number
/// (`yes`, `1_000`) is quoted, as the renderer does. Comments, quoting and key order elsewhere
/// stay byte for byte.
pub(super) fn patch_block_style(original: &str, new_value: &Value) -> Result<Patched, PatchError> {
    let root = build(original)?;
    let edits = edits(original, root.as_ref(), new_value, true);
    Ok(if edits.is_empty() { Patched::Unchanged(root) } else { Patched::Changed(apply(original, edits)) })
}

fn edits(original: &str, root: Option<&Node>, new_value: &Value, block: bool) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut p = Patcher { text: original, edits: &mut edits, block };
    match root {
        Some(node) => p.node(node, new_value, Slot::Root),
        None => p.edits.push(Edit { start: original.len(), end: original.len(), text: render_block(new_value, 0) }),
    }
    edits
}

/// Applies edits that do not overlap.
fn apply(original: &str, edits: Vec<Edit>) -> String {
    // From the end backwards, so earlier offsets stay valid. At one offset, a replaced range
    // goes first (an insertion made there before it would be cut by it), then the insertions,
    // which keep the order they were made in: a nested map's new key is made before its
    // parent's and must come first (applied last, it lands in front). Both found by
    // tests/properties.rs.
    let mut edits: Vec<(usize, Edit)> = edits.into_iter().enumerate().collect();
    edits.sort_by_key(|(made, e)| std::cmp::Reverse((e.start, e.end > e.start, *made)));
    let mut out = original.to_owned();
    for (_, e) in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    out
}

struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Where a node sits, which decides how a re-rendered node is written.
#[derive(Clone, Copy)]
enum Slot {
    Root,
    /// The value of a mapping entry whose key starts at this column.
    MapValue { key_column: usize, colon_end: usize },
    /// An item of a block sequence whose dash is at this column.
    SeqItem { dash_column: usize },
    /// Inside a flow collection: always written inline.
    Flow,
}

struct Patcher<'a> {
    text: &'a str,
    edits: &'a mut Vec<Edit>,
    /// Also rewrite flow collections and ambiguous plain strings (see [`patch_block_style`]).
    block: bool,
}

pub(super) fn line_start(text: &str, at: usize) -> usize {
    let at = char_floor(text, at);
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The index just past the end of the line holding `at` (after its newline).
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let at = char_floor(text, at);
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// `at`, or the start of the character it falls inside. Callers ask for the line of "the byte
/// before the end" of a node (`end - 1`), which is inside the last character when that
/// character is not ASCII ("日本"); the line is the same. Found by tests/properties.rs.
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

impl Patcher<'_> {
    fn node(&mut self, node: &Node, new: &Value, slot: Slot) {
        if self.block && !matches!(slot, Slot::Flow) && is_flow(node) {
            return self.rerender(node, new, slot);
        }
        if node.value == *new {
            if self.block {
                self.blockify(node, slot);
            }
            return;
        }
        if node.start == node.end {
            // An empty value (`key:`) has no text to replace.
            return self.rerender(node, new, slot);
        }
        match (&node.kind, new) {
            (Kind::Scalar(style), v) if !v.is_object() && !v.is_array() && !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) => {
                self.edits.push(Edit { start: node.start, end: node.end, text: scalar_text(*style, v) });
            }
            (Kind::Map { flow: false, entries }, Value::Object(map)) if !map.is_empty() => self.map(node, entries, map),
            (Kind::Seq { flow: false, items }, Value::Array(new_items)) if !new_items.is_empty() => self.seq(node, items, new_items, slot),
            (Kind::Seq { flow: true, items }, Value::Array(new_items)) if items.len() == new_items.len() => {
                for (item, v) in items.iter().zip(new_items) {
                    self.node(item, v, Slot::Flow);
                }
            }
            (Kind::Map { flow: true, entries }, Value::Object(map))
                if entries.len() == map.len()
                    && entries.iter().zip(map.keys()).all(|(e, k)| &e.key == k && self.has_colon(e)) =>
            {
                for e in entries {
                    self.node(&e.value, &map[&e.key], Slot::Flow);
                }
            }
            _ => self.rerender(node, new, slot),
        }
    }

    /// Whether a flow mapping's entry has its `:`. `{a, b: 1}` gives `a` a null with no text
    /// of its own (its span is elsewhere), so a value for it cannot be written in place: the
    /// whole mapping is written instead. Found by the mutation fuzzer.
    fn has_colon(&self, e: &Entry) -> bool {
        e.value.start >= e.key_end && self.text.get(e.key_end..e.value.start).is_some_and(|between| between.trim_start().starts_with(':'))
    }

    /// Writes `new` in place of `node`, in the style its slot calls for.
    fn rerender(&mut self, node: &Node, new: &Value, slot: Slot) {
        let block = match new {
            Value::Object(m) => !m.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => false,
        };
        match slot {
            Slot::Flow => self.edits.push(Edit { start: node.start, end: node.end, text: flow_text(new) }),
            Slot::Root => self.edits.push(Edit { start: node.start, end: node.end, text: render_block(new, 0).trim_end().to_owned() }),
            Slot::MapValue { key_column, colon_end } => {
                let text = if block {
                    let level = if new.is_array() { key_column } else { key_column + 2 };
                    format!("\n{}", render_block(new, level).trim_end_matches('\n'))
                } else {
                    format!(" {}", inline(new))
                };
                let end = if node.start == node.end { colon_end } else { node.end };
                self.edits.push(Edit { start: colon_end, end, text });
            }
            Slot::SeqItem { dash_column } => {
                let text = if block {
                    let body = render_block(new, dash_column + 2);
                    body.trim_start().trim_end_matches('\n').to_owned()
                } else {
                    inline(new)
                };
                self.edits.push(Edit { start: node.start, end: node.end, text });
            }
        }
    }

    /// The block-style part of [`patch_block_style`], for a node whose value stays.
    fn blockify(&mut self, node: &Node, slot: Slot) {
        match &node.kind {
            _ if !matches!(slot, Slot::Flow) && is_flow(node) => self.rerender(node, &node.value, slot),
            Kind::Map { flow: false, entries } => {
                let key_column = column(self.text, node.start);
                for e in entries {
                    let colon_end = self.colon_end(e);
                    self.blockify(&e.value, Slot::MapValue { key_column, colon_end });
                }
            }
            Kind::Seq { flow: false, items } => {
                let dash_column = items.first().map_or(0, |i| column(self.text, self.dash_of(i)));
                for item in items {
                    self.blockify(item, Slot::SeqItem { dash_column });
                }
            }
            Kind::Scalar(ScalarStyle::Plain) => {
                if let Value::String(s) = &node.value {
                    if looks_like_other_type(s) {
                        self.edits.push(Edit { start: node.start, end: node.end, text: string(s) });
                    }
                }
            }
            _ => {}
        }
    }

    /// Removes the lines from the one holding `from` up to `end` (a line end). When `from` is
    /// not the first thing on its line (a sequence item's first key or first nested item,
    /// `- a: 1`, `- - x`), the dash before it stays, and so does the line break, so what
    /// follows keeps its column. Found by tests/properties.rs.
    fn removal(&self, from: usize, end: usize) -> Edit {
        let line = line_start(self.text, from);
        if self.text[line..from].trim().is_empty() {
            Edit { start: line, end, text: String::new() }
        } else {
            // from just past the dash, so no trailing blank is left behind
            let start = line + self.text[line..from].trim_end().len();
            Edit { start, end: if self.text[..end].ends_with('\n') { end - 1 } else { end }, text: String::new() }
        }
    }

    /// The index just past the `:` that ends an entry's key.
    fn colon_end(&self, e: &Entry) -> usize {
        colon_end(self.text, e)
    }

    fn map(&mut self, node: &Node, entries: &[Entry], new: &serde_json::Map<String, Value>) {
        let key_column = column(self.text, node.start);
        let mut last_kept_end: Option<usize> = None;
        for e in entries {
            match new.get(&e.key) {
                Some(v) => {
                    let colon_end = self.colon_end(e);
                    self.node(&e.value, v, Slot::MapValue { key_column, colon_end });
                    last_kept_end = Some(e.value.end.max(colon_end));
                }
                None => {
                    let end = line_end(self.text, e.value.end.max(e.key_start));
                    self.edits.push(self.removal(e.key_start, end));
                }
            }
        }
        let added: serde_json::Map<String, Value> =
            new.iter().filter(|(k, _)| !entries.iter().any(|e| &e.key == *k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        if !added.is_empty() {
            let anchor = last_kept_end.unwrap_or(node.end);
            let at = line_end(self.text, anchor.saturating_sub(1).max(node.start));
            let mut text = render_block(&Value::Object(added), key_column);
            if at == self.text.len() && !self.text.ends_with('\n') {
                text.insert(0, '\n');
            }
            self.edits.push(Edit { start: at, end: at, text });
        }
    }

    fn seq(&mut self, node: &Node, items: &[Node], new: &[Value], slot: Slot) {
        let dash_column = items.first().map_or(0, |i| column(self.text, self.dash_of(i)));
        if items.len() == new.len() {
            for (item, v) in items.iter().zip(new) {
                self.node(item, v, Slot::SeqItem { dash_column });
            }
            return;
        }
        // Items appended at the end.
        if new.len() > items.len() && items.iter().zip(new).all(|(i, v)| i.value == *v) {
            for (item, v) in items.iter().zip(new) {
                self.node(item, v, Slot::SeqItem { dash_column });
            }
            let last = items.last().map_or(node.end, |i| i.end);
            let at = line_end(self.text, last.saturating_sub(1));
            let mut text = render_block(&Value::Array(new[items.len()..].to_vec()), dash_column);
            if at == self.text.len() && !self.text.ends_with('\n') {
                text.insert(0, '\n');
            }
            self.edits.push(Edit { start: at, end: at, text });
            return;
        }
        // Items removed, the rest unchanged and in order.
        if new.len() < items.len() {
            let mut keep = Vec::new();
            let mut j = 0;
            for (i, item) in items.iter().enumerate() {
                if j < new.len() && item.value == new[j] {
                    keep.push(i);
                    j += 1;
                }
            }
            if j == new.len() {
                for (&i, v) in keep.iter().zip(new) {
                    self.node(&items[i], v, Slot::SeqItem { dash_column });
                }
                for (_, item) in items.iter().enumerate().filter(|(i, _)| !keep.contains(i)) {
                    let end = line_end(self.text, item.end.saturating_sub(1).max(item.start));
                    self.edits.push(self.removal(self.dash_of(item), end));
                }
                return;
            }
        }
        self.rerender(node, &Value::Array(new.to_vec()), slot);
    }

    /// The position of the `-` that introduces a block sequence item.
    fn dash_of(&self, item: &Node) -> usize {
        self.text[..item.start].rfind('-').unwrap_or(item.start)
    }
}

/// A non-empty flow collection.
fn is_flow(node: &Node) -> bool {
    match &node.kind {
        Kind::Map { flow, entries } => *flow && !entries.is_empty(),
        Kind::Seq { flow, items } => *flow && !items.is_empty(),
        Kind::Scalar(_) => false,
    }
}

fn flow_text(v: &Value) -> String {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", string(k), flow_text(v))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) if !a.is_empty() => format!("[{}]", a.iter().map(flow_text).collect::<Vec<_>>().join(", ")),
        Value::String(s) if is_plain_safe(s) && !s.contains(['{', '}', '[', ']', ',']) => s.clone(),
        Value::String(s) => string_quoted(s),
        other => inline(other),
    }
}

fn string_quoted(s: &str) -> String {
    let t = string(s);
    if t.starts_with('\'') || t.starts_with('"') {
        t
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// A scalar written the way the one it replaces was, when that style can hold it.
fn scalar_text(style: ScalarStyle, v: &Value) -> String {
    let Value::String(s) = v else { return inline(v) };
    let needs_quotes = !is_plain_safe(s);
    match style {
        ScalarStyle::SingleQuoted if !s.chars().any(char::is_control) => format!("'{}'", s.replace('\'', "''")),
        ScalarStyle::DoubleQuoted => {
            let t = string(s);
            if t.starts_with('"') {
                t
            } else {
                format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
            }
        }
        _ if needs_quotes => string(s),
        _ => s.clone(),
    }
}

/// Just past the `}` or `]` that closes a flow collection whose last content ends at `from`.
/// The parser's span of the closing bracket (ending at `parser_end`) runs on over the blanks and
/// the comment after it, which must not be replaced with the collection.
fn flow_end(text: &str, from: usize, parser_end: usize) -> usize {
    // Between the last content and the bracket there are only blanks, commas and comments. The
    // parser's span can also end before the bracket (a comment line before it; found by the
    // mutation fuzzer), so the bracket is looked for from the content on, not within the span.
    let mut in_comment = false;
    for (i, c) in text[from..].char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '#' => in_comment = true,
            '}' | ']' => return from + i + 1,
            c if c.is_whitespace() || c == ',' => {}
            _ => break,
        }
    }
    parser_end
}

/// Where the header (`|` or `>`, with its indicators) of the block scalar whose content starts
/// at `content` is: on the last non-blank line before it, the last `|` or `>` before a comment.
fn block_header(text: &str, content: usize) -> usize {
    if text[content..].starts_with(['|', '>']) {
        return content;
    }
    let before = &text[..content];
    let line_end = before.trim_end().len();
    let line_start = before[..line_end].rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..line_end];
    let code = line.find(" #").map_or(line, |i| &line[..i]);
    code.rfind(['|', '>']).map_or(content, |i| line_start + i)
}

/// Just past the `:` of a block mapping's entry.
fn colon_end(text: &str, e: &Entry) -> usize {
    // from the key's end: a quoted key may hold a colon of its own ('{a: 1}': …)
    text[e.key_end..].find(':').map_or(e.value.start, |i| e.key_end + i + 1)
}

/// Builds the node tree of the one document in `text`, with byte spans.
pub(super) fn build(text: &str) -> Result<Option<Node>, PatchError> {
    // The parser counts characters; convert to byte offsets.
    let bytes_at: Option<Vec<usize>> = (!text.is_ascii()).then(|| {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        v
    });
    let byte = |chars: usize| bytes_at.as_ref().map_or(chars, |v| v.get(chars).copied().unwrap_or(text.len()));
    enum Open {
        Map { flow: bool, start: usize, entries: Vec<Entry>, key: Option<(String, usize, usize)> },
        Seq { flow: bool, start: usize, items: Vec<Node> },
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| PatchError::Syntax(e.to_string()))?;
        let (start, end) = (byte(span.start.index()), byte(span.end.index()));
        let finished: Option<Node> = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                None
            }
            Event::Alias(_) => return Err(PatchError::Unsupported),
            Event::Scalar(value, style, anchor, tag) => {
                if anchor > 0 {
                    return Err(PatchError::Unsupported);
                }
                if let Some(Open::Map { key: key @ None, .. }) = stack.last_mut() {
                    *key = Some((value.into_owned(), start, end));
                    continue;
                }
                let core = tag.as_ref().filter(|t| t.is_yaml_core_schema()).map(|t| t.suffix.clone());
                let v = resolve_scalar(&value, style, core.as_deref()).ok_or(PatchError::Unsupported)?;
                // Block scalars' spans run from their content to the next line; make them run from
                // their header to their last character, so that replacing one replaces its header
                // too (a root `>` kept its header and read back as "changed\n"; found by the
                // mutation fuzzer).
                let (start, end) = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    (block_header(text, start), start + text[start..end].trim_end().len())
                } else {
                    (start, end)
                };
                Some(Node { kind: Kind::Scalar(style), start, end, value: v })
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if anchor > 0 || matches!(stack.last(), Some(Open::Map { key: None, .. })) {
                    return Err(PatchError::Unsupported);
                }
                let flow = text[start..].starts_with(['{', '[']);
                // A block sequence's span starts at its first item, so `- []` puts both
                // sequences at the `[`: a collection whose first child starts where it starts
                // cannot be the flow one (that child would come after its bracket). Found by
                // tests/properties.rs.
                if let Some(Open::Seq { flow: parent_flow, start: parent_start, .. }) = stack.last_mut() {
                    if *parent_start == start {
                        *parent_flow = false;
                    }
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Open::Map { flow, start, entries: Vec::new(), key: None }
                } else {
                    Open::Seq { flow, start, items: Vec::new() }
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                Some(Open::Map { flow, start: s, entries, .. }) => {
                    let e = if flow {
                        flow_end(text, entries.last().map_or(s + 1, |e| e.value.end.max(e.key_start)), end)
                    } else {
                        // An empty value (`key:`) has no text: the entry ends at its colon, so
                        // that replacing the map replaces the colon too (`- {}:` was written
                        // for `- key:` emptied; found by the mutation fuzzer).
                        entries.iter().map(|e| if e.value.start == e.value.end { e.value.end.max(colon_end(text, e)) } else { e.value.end }).max().unwrap_or(s)
                    };
                    let value = Value::Object(entries.iter().map(|e| (e.key.clone(), e.value.value.clone())).collect());
                    Some(Node { kind: Kind::Map { flow, entries }, start: s, end: e, value })
                }
                Some(Open::Seq { flow, start: s, items }) => {
                    let e = if flow { flow_end(text, items.last().map_or(s + 1, |i| i.end), end) } else { items.iter().map(|i| i.end).max().unwrap_or(s) };
                    let value = Value::Array(items.iter().map(|i| i.value.clone()).collect());
                    Some(Node { kind: Kind::Seq { flow, items }, start: s, end: e, value })
                }
                None => None,
            },
            _ => None,
        };
        if let Some(node) = finished {
            match stack.last_mut() {
                None => root = Some(node),
                Some(Open::Seq { items, .. }) => items.push(node),
                Some(Open::Map { entries, key, .. }) => {
                    if let Some((k, key_start, key_end)) = key.take() {
                        entries.push(Entry { key: k, key_start, key_end, value: node });
                    }
                }
            }
        }
    }
    if documents > 1 {
        return Err(PatchError::Documents(documents));
    }
    Ok(root)
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
