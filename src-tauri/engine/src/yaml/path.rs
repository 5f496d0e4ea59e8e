//! Field paths such as `spec.links[0].server.port` or `metadata.annotations["a.b/c"]`: the
//! one way errors, positions and conflicts name a place inside a document.

use std::fmt;

/// One step from a value to a child value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path from the root of a document to one of its values. The empty path is the root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self::default()
    }

    /// Builds a path from dotted keys, e.g. `FieldPath::of(&["spec", "subnets"])`.
    pub fn of(keys: &[&str]) -> Self {
        Self(keys.iter().map(|k| Segment::Key((*k).to_owned())).collect())
    }

    /// Reads a path written by `Display` back. Text it cannot read becomes a single key.
    pub fn parse(text: &str) -> Self {
        if text == "(document)" || text.is_empty() {
            return Self::root();
        }
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let mut key = String::new();
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    if !key.is_empty() {
                        out.push(Segment::Key(std::mem::take(&mut key)));
                    }
                    i += 1;
                }
                '[' => {
                    if !key.is_empty() {
                        out.push(Segment::Key(std::mem::take(&mut key)));
                    }
                    if chars.get(i + 1) == Some(&'"') {
                        let mut j = i + 2;
                        let mut quoted = String::new();
                        while j < chars.len() && chars[j] != '"' {
                            if chars[j] == '\\' && j + 1 < chars.len() {
                                j += 1;
                            }
                            quoted.push(chars[j]);
                            j += 1;
                        }
                        out.push(Segment::Key(quoted));
                        i = j + 2; // past `"]`
                    } else {
                        let end = chars[i..].iter().position(|&c| c == ']').map_or(chars.len(), |p| i + p);
                        let inner: String = chars[i + 1..end].iter().collect();
                        match inner.parse() {
                            Ok(n) => out.push(Segment::Index(n)),
                            Err(_) => out.push(Segment::Key(inner)),
                        }
                        i = end + 1;
                    }
                }
                c => {
                    key.push(c);
                    i += 1;
                }
            }
        }
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        Self(out)
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.0.clone();
        next.push(Segment::Key(key.to_owned()));
        Self(next)
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.0.clone();
        next.push(Segment::Index(index));
        Self(next)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The parent path, or `None` for the root.
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            return None;
        }
        Some(Self(self.0[..self.0.len() - 1].to_vec()))
    }

    /// Follows the path inside a JSON value.
    pub fn lookup<'v>(&self, value: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        let mut current = value;
        for segment in &self.0 {
            current = match segment {
                Segment::Key(k) => current.as_object()?.get(k)?,
                Segment::Index(i) => current.as_array()?.get(*i)?,
            };
        }
        Some(current)
    }
}

fn is_simple_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if is_simple_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => write!(f, "[{k:?}]")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_keys_indices_and_quoted_keys() {
        let p = FieldPath::of(&["spec", "links"]).index(0).key("server").key("port");
        assert_eq!(p.to_string(), "spec.links[0].server.port");
        let q = FieldPath::of(&["metadata", "annotations"]).key("a.b/c");
        assert_eq!(q.to_string(), "metadata.annotations[\"a.b/c\"]");
        assert_eq!(FieldPath::root().to_string(), "(document)");
    }

    #[test]
    fn parses_what_it_prints() {
        for p in [
            FieldPath::of(&["spec", "links"]).index(0).key("server").key("port"),
            FieldPath::of(&["metadata", "annotations"]).key("a.b/c").key("x"),
            FieldPath::root().index(3),
            FieldPath::of(&["spec", "subnets"]).key("with \"quote\""),
            FieldPath::root(),
        ] {
            assert_eq!(FieldPath::parse(&p.to_string()), p, "{p}");
        }
    }

    #[test]
    fn looks_up_values() {
        let v = serde_json::json!({"spec": {"links": [{"port": "a/b"}]}});
        let p = FieldPath::of(&["spec", "links"]).index(0).key("port");
        assert_eq!(p.lookup(&v), Some(&serde_json::json!("a/b")));
        assert_eq!(FieldPath::of(&["nope"]).lookup(&v), None);
    }
}
