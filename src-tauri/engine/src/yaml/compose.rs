//! Composing one YAML document into a JSON value, with positions, under limits.
//!
//! Scalars resolve by the YAML 1.2 core schema (what Kubernetes tooling expects). Duplicate keys
//! are an error rather than "last one wins", because a silently dropped field is lost work.
//! Aliases are expanded with two budgets, so a billion-laughs document fails fast with a clear
//! message instead of eating the machine: one on nodes (many aliases of small collections) and
//! one on the bytes expansion adds (few aliases of one long string, which are few nodes but
//! each a full copy of the string in memory and in any file rendered from the value).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use super::FieldPath;

/// Bounds on what one document may cost to read.
///
/// The alias byte budget of a document is `alias_bytes_per_document_byte` times its size,
/// raised to `min_alias_bytes` for small documents (so a short file may still reuse a block a
/// few times) and capped at `max_alias_bytes`. With the defaults: 4x the document, at least
/// 64 KiB, at most 8 MiB. Expansion is measured as the bytes of every scalar and key copied,
/// plus `NODE_BYTES` (8) per node copied, which roughly tracks both the memory the copy
/// takes and the size of a file rendered from it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_document_bytes: usize,
    /// Most nodes a document may expand to, aliases included.
    pub max_nodes: usize,
    /// Alias byte budget per byte of the document.
    pub alias_bytes_per_document_byte: usize,
    /// The alias byte budget of a small document.
    pub min_alias_bytes: usize,
    /// The alias byte budget of any document, however large.
    pub max_alias_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 4 * 1024 * 1024,
            max_nodes: 200_000,
            alias_bytes_per_document_byte: 4,
            min_alias_bytes: 64 * 1024,
            max_alias_bytes: 8 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

impl Limits {
    /// How many bytes alias expansion may add to a document of `document_bytes` bytes.
    pub fn alias_budget(&self, document_bytes: usize) -> usize {
        document_bytes
            .saturating_mul(self.alias_bytes_per_document_byte)
            .max(self.min_alias_bytes)
            .min(self.max_alias_bytes)
    }
}

/// What one node costs in the alias byte budget besides its text: about what a line of
/// rendered YAML adds around a value (indent, `- ` or `: `, newline). It makes copies of empty
/// values cost something, yet stays small next to a node's in-memory size so that documents
/// that reuse a block of short fields a few times are not refused for it.
const NODE_BYTES: usize = 8;

/// Why a document could not be read. Lines are 1-based lines of the file the document is in.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    #[error("the document is {size} bytes, more than the {limit}-byte limit for one document")]
    TooLarge { size: usize, limit: usize },
    #[error("line {line}: not valid UTF-8 (byte {byte:#04x}); save the file as UTF-8")]
    NotUtf8 { line: usize, byte: u8 },
    #[error("line {line}, column {column}: YAML syntax error: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("line {line}: duplicate key {path} (first given on line {first_line})")]
    DuplicateKey { path: FieldPath, line: usize, first_line: usize },
    #[error("line {line}: aliases expand to more than {limit} nodes (an alias bomb?); refusing to read further")]
    AliasBomb { line: usize, limit: usize },
    #[error("line {line}: aliases expand to more than {limit} bytes, the most a {size}-byte document may add through aliases (an alias bomb?); refusing to read further")]
    AliasTooLarge { line: usize, limit: usize, size: usize },
    #[error("line {line}: nested more than {limit} levels deep")]
    TooDeep { line: usize, limit: usize },
    #[error("line {line}: alias refers to an anchor that is not defined before it")]
    UnknownAnchor { line: usize },
    #[error("line {line}: a mapping or sequence used as a key at {path} is not supported")]
    ComplexKey { path: FieldPath, line: usize },
    #[error("line {line}: {path}: {text:?} is not a finite number")]
    NotFinite { path: FieldPath, line: usize, text: String },
    #[error("line {line}: more than one document where one was expected")]
    MultipleDocuments { line: usize },
}

impl YamlError {
    /// The field the error is about, when there is one.
    pub fn path(&self) -> Option<&FieldPath> {
        match self {
            Self::DuplicateKey { path, .. } | Self::ComplexKey { path, .. } | Self::NotFinite { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The file line the error is about.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::TooLarge { .. } => None,
            Self::NotUtf8 { line, .. }
            | Self::Syntax { line, .. }
            | Self::DuplicateKey { line, .. }
            | Self::AliasBomb { line, .. }
            | Self::AliasTooLarge { line, .. }
            | Self::TooDeep { line, .. }
            | Self::UnknownAnchor { line }
            | Self::ComplexKey { line, .. }
            | Self::NotFinite { line, .. }
            | Self::MultipleDocuments { line } => Some(*line),
        }
    }
}

/// A composed document: its value and the file line of each field.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: Value,
    positions: HashMap<FieldPath, usize>,
}

impl Parsed {
    /// The same document read `lines` lines higher up in a file: every position that much less.
    pub fn moved_up(mut self, lines: usize) -> Parsed {
        for line in self.positions.values_mut() {
            *line -= lines.min(*line - 1);
        }
        self
    }

    /// The file line where the field at `path` (or its nearest ancestor) is written.
    pub fn line_of(&self, path: &FieldPath) -> Option<usize> {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(line) = self.positions.get(&p) {
                return Some(*line);
            }
            current = p.parent();
        }
        None
    }
}

/// Reads one document. `first_line` is the file line on which `bytes` start, so that every
/// position and error names a line of the file. An empty document composes to `null`.
pub fn parse_document(bytes: &[u8], first_line: usize, limits: &Limits) -> Result<Parsed, YamlError> {
    if bytes.len() > limits.max_document_bytes {
        return Err(YamlError::TooLarge { size: bytes.len(), limit: limits.max_document_bytes });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = first_line + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        YamlError::NotUtf8 { line, byte: bytes[offset] }
    })?;
    Composer::new(first_line, limits, bytes.len()).run(text)
}

/// What the composition has produced so far, or what one anchored node expands to.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
}

impl Cost {
    /// One node with `text` bytes of scalar or key text.
    fn node(text: usize) -> Self {
        Self { nodes: 1, bytes: text + NODE_BYTES }
    }

    fn since(self, before: Cost) -> Self {
        Self { nodes: self.nodes - before.nodes, bytes: self.bytes - before.bytes }
    }
}

enum Frame {
    Seq { items: Vec<Value>, path: FieldPath, anchor: usize, before: Cost },
    Map { map: Map<String, Value>, key: Option<(String, usize)>, path: FieldPath, anchor: usize, before: Cost, lines: HashMap<String, usize> },
}

struct Composer<'l> {
    first_line: usize,
    limits: &'l Limits,
    stack: Vec<Frame>,
    /// Each anchor's value and what one copy of it costs.
    anchors: HashMap<usize, (Value, Cost)>,
    positions: HashMap<FieldPath, usize>,
    /// Everything composed so far, copies made by aliases included.
    produced: Cost,
    /// Bytes added by aliases so far, and the most they may add for this document.
    alias_bytes: usize,
    alias_budget: usize,
    document_bytes: usize,
    root: Option<Value>,
    documents: usize,
}

impl<'l> Composer<'l> {
    fn new(first_line: usize, limits: &'l Limits, document_bytes: usize) -> Self {
        Self {
            first_line,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            positions: HashMap::new(),
            produced: Cost::default(),
            alias_bytes: 0,
            alias_budget: limits.alias_budget(document_bytes),
            document_bytes,
            root: None,
            documents: 0,
        }
    }

    fn line(&self, span: &Span) -> usize {
        self.first_line + span.start.line().saturating_sub(1)
    }

    fn run(mut self, text: &str) -> Result<Parsed, YamlError> {
        for item in Parser::new_from_str(text) {
            let (event, span) = item.map_err(|e| YamlError::Syntax {
                line: self.first_line + e.marker().line().saturating_sub(1),
                column: e.marker().col() + 1,
                message: e.info().to_owned(),
            })?;
            self.event(event, &span)?;
        }
        Ok(Parsed { value: self.root.unwrap_or(Value::Null), positions: self.positions })
    }

    /// The path of the node about to be added, and whether it is a mapping key.
    fn next_path(&self) -> (FieldPath, bool) {
        match self.stack.last() {
            None => (FieldPath::root(), false),
            Some(Frame::Seq { items, path, .. }) => (path.index(items.len()), false),
            Some(Frame::Map { key: Some((k, _)), path, .. }) => (path.key(k), false),
            Some(Frame::Map { key: None, path, .. }) => (path.clone(), true),
        }
    }

    fn count(&mut self, cost: Cost, span: &Span) -> Result<(), YamlError> {
        self.produced.nodes += cost.nodes;
        self.produced.bytes += cost.bytes;
        if self.produced.nodes > self.limits.max_nodes {
            return Err(YamlError::AliasBomb { line: self.line(span), limit: self.limits.max_nodes });
        }
        Ok(())
    }

    /// Charges one copy of an anchored node to the budgets, before the copy is made.
    fn count_alias(&mut self, cost: Cost, span: &Span) -> Result<(), YamlError> {
        self.alias_bytes = self.alias_bytes.saturating_add(cost.bytes);
        if self.alias_bytes > self.alias_budget {
            return Err(YamlError::AliasTooLarge { line: self.line(span), limit: self.alias_budget, size: self.document_bytes });
        }
        self.count(cost, span)
    }

    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError::MultipleDocuments { line: self.line(span) });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(Cost::node(text.len()), span)?;
                let (path, is_key) = self.next_path();
                if is_key {
                    return self.set_key(text.into_owned(), span);
                }
                let tag_suffix = tag.as_ref().filter(|t| t.is_yaml_core_schema()).map(|t| t.suffix.clone());
                let value = resolve_scalar(&text, style, tag_suffix.as_deref())
                    .ok_or_else(|| YamlError::NotFinite { path: path.clone(), line: self.line(span), text: text.to_string() })?;
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), Cost::node(text.len())));
                }
                let line = self.line(span);
                self.positions.entry(path).or_insert(line);
                self.push_value(value, span)?;
            }
            Event::Alias(anchor) => {
                let (path, is_key) = self.next_path();
                let line = self.line(span);
                let cost = self.anchors.get(&anchor).ok_or(YamlError::UnknownAnchor { line })?.1;
                // Charged before cloning, so a refused copy never takes memory.
                self.count_alias(cost, span)?;
                let value = self.anchors[&anchor].0.clone();
                if is_key {
                    return match value {
                        Value::String(s) => self.set_key(s, span),
                        Value::Array(_) | Value::Object(_) => Err(YamlError::ComplexKey { path, line }),
                        other => self.set_key(other.to_string(), span),
                    };
                }
                self.positions.entry(path).or_insert(line);
                self.push_value(value, span)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let before = self.produced;
                self.count(Cost::node(0), span)?;
                let (path, is_key) = self.next_path();
                let line = self.line(span);
                if is_key {
                    return Err(YamlError::ComplexKey { path, line });
                }
                if self.stack.len() >= self.limits.max_depth {
                    return Err(YamlError::TooDeep { line, limit: self.limits.max_depth });
                }
                self.positions.entry(path.clone()).or_insert(line);
                self.stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { items: Vec::new(), path, anchor, before }
                } else {
                    Frame::Map { map: Map::new(), key: None, path, anchor, before, lines: HashMap::new() }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, before) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, before, .. }) => (Value::Array(items), anchor, before),
                    Some(Frame::Map { map, anchor, before, .. }) => (Value::Object(map), anchor, before),
                    None => return Ok(()),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), self.produced.since(before)));
                }
                self.push_value(value, span)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn set_key(&mut self, key: String, span: &Span) -> Result<(), YamlError> {
        let line = self.line(span);
        if let Some(Frame::Map { map, key: slot, path, lines, .. }) = self.stack.last_mut() {
            if map.contains_key(&key) || lines.contains_key(&key) {
                let first_line = lines.get(&key).copied().unwrap_or(line);
                return Err(YamlError::DuplicateKey { path: path.key(&key), line, first_line });
            }
            lines.insert(key.clone(), line);
            self.positions.insert(path.key(&key), line);
            *slot = Some((key, line));
        }
        Ok(())
    }

    fn push_value(&mut self, value: Value, _span: &Span) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => {
                if let Some((k, _)) = key.take() {
                    map.insert(k, value);
                }
            }
        }
        Ok(())
    }
}

/// Resolves a scalar by the YAML 1.2 core schema. `None` means a float that JSON cannot hold.
pub(super) fn resolve_scalar(text: &str, style: ScalarStyle, core_tag: Option<&str>) -> Option<Value> {
    match core_tag {
        Some("str") | Some("binary") | Some("timestamp") => return Some(Value::String(text.to_owned())),
        Some("null") => return Some(Value::Null),
        Some("bool") => return Some(parse_bool(text).map_or_else(|| Value::String(text.to_owned()), Value::Bool)),
        Some("int") | Some("float") => return Some(parse_number(text)?.unwrap_or_else(|| Value::String(text.to_owned()))),
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Some(Value::String(text.to_owned()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    if let Some(b) = parse_bool(text) {
        return Some(Value::Bool(b));
    }
    match parse_number(text) {
        None => None,
        Some(Some(n)) => Some(n),
        Some(None) => Some(Value::String(text.to_owned())),
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `Some(Some(n))` a number, `Some(None)` not a number, `None` a non-finite float.
fn parse_number(text: &str) -> Option<Option<Value>> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    let radix = if let Some(hex) = text.strip_prefix("0x") {
        Some((hex, 16))
    } else {
        text.strip_prefix("0o").map(|oct| (oct, 8))
    };
    if let Some((digits, radix)) = radix {
        return Some(i64::from_str_radix(digits, radix).ok().map(|n| Value::Number(n.into())));
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Some(Value::Number(n.into())));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Some(Value::Number(n.into())));
        }
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN" => return None,
        _ => {}
    }
    let _ = negative;
    if is_core_float(unsigned) {
        let f: f64 = text.parse().ok()?;
        return Some(Number::from_f64(f).map(Value::Number));
    }
    Some(None)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
