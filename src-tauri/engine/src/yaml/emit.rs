//! Canonical block-style YAML, the way Kubernetes tooling writes it: two-space indentation,
//! sequences flush with their key, strings plain unless a YAML 1.1 or 1.2 reader could take them
//! for something else. The output depends only on the value, so equal values give equal bytes.

use serde_json::Value;

/// Renders a value as a YAML document (no `---` line), ending in a newline.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The inline form of a scalar or an empty collection.
pub(super) fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    }
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        out.push_str(&string(key));
        out.push(':');
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                write_map(out, m, level + 2);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                write_seq(out, a, level);
            }
            scalar => {
                out.push(' ');
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => {
                // The first entry goes on the dash line; the rest line up under it.
                let mut body = String::new();
                write_map(&mut body, m, level + 2);
                out.push_str(&body[level + 2..]);
            }
            Value::Array(a) if !a.is_empty() => {
                let mut body = String::new();
                write_seq(&mut body, a, level + 2);
                out.push_str(&body[level + 2..]);
            }
            scalar => {
                debug_assert!(!is_block(scalar));
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// A string scalar: plain when that reads back as the same string, else single-quoted, else
/// double-quoted with escapes (for line breaks and control characters).
pub(super) fn string(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_owned();
    }
    if s.chars().all(|c| !c.is_control() && c != '\u{feff}') {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                let n = c as u32;
                if n <= 0xFF {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let last = s.chars().next_back().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() || last == ':' {
        return false;
    }
    // Indicators that change meaning at the start of a plain scalar.
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-foo`, `?foo` and `:foo` are plain in YAML 1.2 but not every reader agrees.
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}' || "{}[],".contains(c)) {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    !looks_like_other_type(s)
}

/// Plain scalars that some YAML 1.1 or 1.2 reader resolves to a number: the 1.2 core schema,
/// and 1.1 as PyYAML and go-yaml read it (`_` separators, `0b`, leading-0 octal, sexagesimal).
static NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(concat!(
        r"^[-+]?(",
        r"[0-9][0-9_]*",                                   // decimal (1.1 allows _)
        r"|0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+",            // binary, octal, hex
        r"|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?",       // sexagesimal
        r"|([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?",    // floats with a point
        r"|[0-9][0-9_]*[eE][-+]?[0-9]+",                   // floats with an exponent only
        r")$"
    ))
    .unwrap_or_else(|_| unreachable!("the number pattern is valid"))
});

/// True when a YAML 1.1 or 1.2 reader would resolve the plain scalar to a non-string.
pub(super) fn looks_like_other_type(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) || NUMBER.is_match(s)
}

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;

/// A non-empty mapping or sequence as block lines indented by `level` spaces, each ending in a
/// newline (sequences flush with their parent key, as [`render`] writes them).
pub(super) fn render_block(value: &Value, level: usize) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) => write_map(&mut out, map, level),
        Value::Array(items) => write_seq(&mut out, items, level),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}
