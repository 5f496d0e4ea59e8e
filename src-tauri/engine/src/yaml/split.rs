//! Splitting a multi-document YAML file into its documents.
//!
//! YAML forbids a line that starts with `---` or `...` (followed by a blank or the line end)
//! inside any scalar, so those lines are exactly the document boundaries. Splitting on them
//! before parsing means one broken document does not take its neighbours down with it, and a
//! file is processed one document at a time.

/// One document of a raw file, still as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDocument<'a> {
    /// Position among the real documents of the file (empty and comment-only ones do not count),
    /// starting at 0.
    pub index: usize,
    /// 1-based line in the file where the document's text starts (its `---` line, if any).
    pub start_line: usize,
    /// 1-based line of the document's first content.
    pub content_line: usize,
    /// The document text, including its leading `---` line if it had one.
    pub bytes: &'a [u8],
}

fn is_marker(line: &[u8], marker: &[u8; 3]) -> bool {
    line.starts_with(marker)
        && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// If the line holds content (not blank, not a comment), returns true. The text after a `---`
/// marker on its own line counts as content (`--- {}`), the marker itself does not.
fn has_content(line: &[u8]) -> bool {
    let body = if is_marker(line, b"---") { &line[3..] } else { line };
    let trimmed = body.trim_ascii_start();
    !(trimmed.is_empty() || trimmed[0] == b'#' || (trimmed[0] == b'%' && !is_marker(line, b"---")))
}

/// Splits `input` into documents, skipping empty and comment-only ones. A leading UTF-8 byte
/// order mark is ignored.
pub fn split_documents(input: &[u8]) -> impl Iterator<Item = RawDocument<'_>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    Splitter { input, pos: 0, line: 1, next_index: 0 }
}

struct Splitter<'a> {
    input: &'a [u8],
    pos: usize,
    line: usize,
    next_index: usize,
}

impl<'a> Iterator for Splitter<'a> {
    type Item = RawDocument<'a>;

    fn next(&mut self) -> Option<RawDocument<'a>> {
        while self.pos < self.input.len() {
            let start = self.pos;
            let start_line = self.line;
            let mut content_line = None;
            let mut end = start;
            let mut first = true;
            // Walk lines until the next document boundary.
            while self.pos < self.input.len() {
                let rest = &self.input[self.pos..];
                let len = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |n| n + 1);
                let line = &rest[..len];
                if !first && is_marker(line, b"---") {
                    break;
                }
                first = false;
                self.pos += len;
                self.line += 1;
                if is_marker(line, b"...") {
                    // The document ends here; what follows up to the next `---` is outside
                    // any document (comments or directives) and skipped as a chunk of its own.
                    break;
                }
                end = self.pos;
                if content_line.is_none() && has_content(line) {
                    content_line = Some(self.line - 1);
                }
            }
            if let Some(content_line) = content_line {
                let index = self.next_index;
                self.next_index += 1;
                return Some(RawDocument { index, start_line, content_line, bytes: &self.input[start..end] });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(s: &str) -> Vec<(usize, usize, usize, String)> {
        split_documents(s.as_bytes())
            .map(|d| (d.index, d.start_line, d.content_line, String::from_utf8_lossy(d.bytes).into_owned()))
            .collect()
    }

    #[test]
    fn splits_on_markers_and_skips_comment_only_documents() {
        let text = "---\na: 1\n#\n# SwitchList\n#\n---\nb: 2\n---\n# only a comment\n---\n\n";
        let got = docs(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (0, 1, 2, "---\na: 1\n#\n# SwitchList\n#\n".to_owned()));
        assert_eq!(got[1], (1, 6, 7, "---\nb: 2\n".to_owned()));
    }

    #[test]
    fn comment_header_before_first_marker_is_not_a_document() {
        let text = "# Connection: x\n# Generated\n---\napiVersion: v1\n";
        let got = docs(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, 4);
    }

    #[test]
    fn document_without_marker_and_document_end() {
        let text = "a: 1\n...\n# trailing\n--- {}\n--- # nothing\n";
        let got = docs(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].3, "a: 1\n");
        assert_eq!(got[1].3, "--- {}\n");
    }

    #[test]
    fn dashes_inside_a_line_or_indented_are_not_markers() {
        let text = "a: |\n  ---\n  text\nb: ---x\n----\n";
        assert_eq!(docs(text).len(), 1);
    }

    #[test]
    fn bom_and_empty_input() {
        assert!(docs("").is_empty());
        assert!(docs("\n\n# x\n").is_empty());
        let got = docs("\u{feff}a: 1\n");
        assert_eq!(got[0].3, "a: 1\n");
    }
}
