//! Line diffs of two versions of a resource file, shaped for the places that show them: hunks
//! with old/new line numbers for a side-by-side conflict view, a unified diff for terminals and
//! commit previews, and the inverse, building a text by taking each hunk from one side.
//!
//! A hunk is one change group: a run of changed lines with no unchanged line inside it. Its id
//! is a digest of the group's old/new start and its changed lines only, so it does not depend on
//! the context asked for: the id a UI got from `line_diff(.., 3)` (or any context) is the id
//! `take_hunks` understands. Pure: no I/O.

use std::collections::HashMap;

use similar::{DiffTag, TextDiff};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum LineTag {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct DiffLine {
    pub tag: LineTag,
    /// 1-based line number in the old text; None for an inserted line.
    pub old_line: Option<usize>,
    /// 1-based line number in the new text; None for a deleted line.
    pub new_line: Option<usize>,
    /// The line without its line ending (`\n` or `\r\n`).
    pub text: String,
}

/// One change group with its context. `old_start`/`new_start` follow unified diff: the 1-based
/// number of the first line the hunk covers, or, when it covers no line of that side, the number
/// of the line after which it sits (0 = before the first line).
///
/// Context lines are never shared: when two changes are closer than twice the context, the
/// unchanged lines between them are split between the two hunks, so the hunks of one diff can
/// be shown one after the other without repeating a line or leaving one out where they touch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Hunk {
    /// Stable: a hex digest of the change's old/new start and its changed lines (not of the
    /// context), so the same inputs give the same id at any context.
    pub id: String,
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<DiffLine>,
}

/// Which version a hunk is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum HunkSide {
    Old,
    New,
}

/// The hunks of `old` → `new`, each with up to `context` unchanged lines around its change.
pub fn line_diff(old: &str, new: &str, context: usize) -> Vec<Hunk> {
    let lines = Lines::new(old, new);
    let groups = lines.groups();
    let mut hunks = Vec::with_capacity(groups.len());
    for (i, group) in groups.iter().enumerate() {
        let gap_before = group.start - i.checked_sub(1).and_then(|p| groups.get(p)).map_or(0, |p| p.end);
        let leading = if i == 0 { gap_before.min(context) } else { (gap_before / 2).min(context) };
        let trailing = match groups.get(i + 1) {
            None => (lines.entries.len() - group.end).min(context),
            Some(next) => {
                let gap = next.start - group.end;
                (gap - (gap / 2).min(context)).min(context)
            }
        };
        hunks.push(lines.hunk(group, group.start - leading, group.end + trailing));
    }
    hunks
}

/// A unified diff (`--- a/...` `+++ b/...` `@@ -1,3 +1,3 @@`, three lines of context, `\ No
/// newline at end of file` where it applies) for terminals and commit previews. Names are given
/// without the `a/` and `b/` prefixes, which are added (except to `/dev/null`). Equal texts give
/// an empty string.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    let prefixed = |prefix: &str, name: &str| {
        if name == "/dev/null" {
            name.to_owned()
        } else {
            format!("{prefix}{name}")
        }
    };
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&prefixed("a/", old_name), &prefixed("b/", new_name))
        .to_string()
}

/// Builds a text from two versions, taking each changed hunk from the side chosen for its id
/// (hunks not in `choices` take `default`). Unchanged lines are kept. With every hunk on Old the
/// result is `old`, with every hunk on New it is `new`, byte for byte (mind the final newline).
/// Ids are those of [`line_diff`] for the same texts, at any context (3 is what the UI uses).
pub fn take_hunks(old: &str, new: &str, choices: &HashMap<String, HunkSide>, default: HunkSide) -> String {
    let lines = Lines::new(old, new);
    let mut out = String::with_capacity(old.len().max(new.len()));
    let mut at = 0;
    for group in lines.groups() {
        for entry in &lines.entries[at..group.start] {
            if let Some(text) = entry.old.and_then(|i| lines.old.get(i)) {
                out.push_str(text);
            }
        }
        let side = choices.get(&lines.id(&group)).copied().unwrap_or(default);
        for entry in &lines.entries[group.start..group.end] {
            let text = match side {
                HunkSide::Old => entry.old.and_then(|i| lines.old.get(i)),
                HunkSide::New => entry.new.and_then(|i| lines.new.get(i)),
            };
            if let Some(text) = text {
                out.push_str(text);
            }
        }
        at = group.end;
    }
    for entry in &lines.entries[at..] {
        if let Some(text) = entry.old.and_then(|i| lines.old.get(i)) {
            out.push_str(text);
        }
    }
    out
}

/// Which side changed what a hunk of `ours` → `theirs` covers, judged against their `base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum HunkOrigin {
    /// Only our draft changed these lines: theirs still has the base's.
    Ours,
    /// Only upstream changed them: ours still has the base's.
    Theirs,
    /// Both changed them: a real choice.
    Both,
}

/// The origin of every hunk of [`line_diff`]`(ours, theirs, _)`, by hunk id. A line of ours
/// that is also in theirs' place only if ours kept it from base means theirs changed there,
/// and the other way round; a hunk with changes of both kinds is `Both`.
pub fn hunk_origins(base: &str, ours: &str, theirs: &str) -> HashMap<String, HunkOrigin> {
    let ours_kept = kept_from(base, ours);
    let theirs_kept = kept_from(base, theirs);
    let lines = Lines::new(ours, theirs);
    let mut origins = HashMap::new();
    for group in lines.groups() {
        let (mut by_ours, mut by_theirs) = (false, false);
        for entry in &lines.entries[group.start..group.end] {
            match (entry.old, entry.new) {
                // A line of ours that theirs lacks: theirs removed it if it came from base.
                (Some(o), None) if ours_kept.get(o).copied().unwrap_or(false) => by_theirs = true,
                (Some(_), None) => by_ours = true,
                // A line of theirs that ours lacks: ours removed it if it came from base.
                (None, Some(t)) if theirs_kept.get(t).copied().unwrap_or(false) => by_ours = true,
                (None, Some(_)) => by_theirs = true,
                _ => {}
            }
        }
        let origin = match (by_ours, by_theirs) {
            (true, false) => HunkOrigin::Ours,
            (false, true) => HunkOrigin::Theirs,
            _ => HunkOrigin::Both,
        };
        origins.insert(lines.id(&group), origin);
    }
    origins
}

/// For each line of `side`: true when it is a line of `base` left unchanged.
fn kept_from(base: &str, side: &str) -> Vec<bool> {
    let diff = TextDiff::from_lines(base, side);
    let mut kept = vec![false; diff.new_slices().len()];
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            for i in op.new_range() {
                kept[i] = true;
            }
        }
    }
    kept
}

/// One line of the diff: an unchanged line (both indices), a deleted one (old only) or an
/// inserted one (new only). Indices are 0-based into `Lines::old`/`Lines::new`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    old: Option<usize>,
    new: Option<usize>,
}

impl Entry {
    fn is_equal(&self) -> bool {
        self.old.is_some() && self.new.is_some()
    }
}

/// A change group: `entries[start..end]` are all changed, their neighbours are not.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

/// Both texts cut into lines (each with its line ending, so joining them gives the text back)
/// and the diff between them as a flat list of entries, in order.
struct Lines<'a> {
    old: Vec<&'a str>,
    new: Vec<&'a str>,
    entries: Vec<Entry>,
    /// `before[i]`: how many old and new lines come before `entries[i]` (one more than entries).
    before: Vec<(usize, usize)>,
}

impl<'a> Lines<'a> {
    fn new(old: &'a str, new: &'a str) -> Self {
        // No deadline: a timed-out diff could differ between runs, and so would the ids.
        let diff = TextDiff::from_lines(old, new);
        let mut entries = Vec::new();
        for op in diff.ops() {
            let (tag, olds, news) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    entries.extend(olds.zip(news).map(|(o, n)| Entry { old: Some(o), new: Some(n) }));
                }
                DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                    entries.extend(olds.map(|o| Entry { old: Some(o), new: None }));
                    entries.extend(news.map(|n| Entry { old: None, new: Some(n) }));
                }
            }
        }
        let mut before = Vec::with_capacity(entries.len() + 1);
        let (mut olds, mut news) = (0, 0);
        before.push((0, 0));
        for entry in &entries {
            olds += usize::from(entry.old.is_some());
            news += usize::from(entry.new.is_some());
            before.push((olds, news));
        }
        Self { old: diff.old_slices().to_vec(), new: diff.new_slices().to_vec(), entries, before }
    }

    fn groups(&self) -> Vec<Group> {
        let mut groups = Vec::new();
        let mut start = None;
        for (i, entry) in self.entries.iter().enumerate() {
            match (entry.is_equal(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    groups.push(Group { start: s, end: i });
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            groups.push(Group { start: s, end: self.entries.len() });
        }
        groups
    }

    /// Lines of each side before entry `at`: where a hunk starting there sits.
    fn position(&self, at: usize) -> (usize, usize) {
        self.before.get(at).copied().unwrap_or_default()
    }

    fn id(&self, group: &Group) -> String {
        let (old_at, new_at) = self.position(group.start);
        let mut hash = Fnv64::default();
        hash.write(format!("{old_at}:{new_at}").as_bytes());
        for entry in &self.entries[group.start..group.end] {
            let (marker, text) = match (entry.old, entry.new) {
                (Some(i), _) => (b'-', self.old.get(i)),
                (None, Some(i)) => (b'+', self.new.get(i)),
                (None, None) => continue,
            };
            let text = text.copied().unwrap_or_default();
            hash.write(&[0, marker]);
            hash.write(&(text.len() as u64).to_le_bytes());
            hash.write(text.as_bytes());
        }
        format!("{:016x}", hash.0)
    }

    fn hunk(&self, group: &Group, from: usize, to: usize) -> Hunk {
        let (old_before, new_before) = self.position(from);
        let mut lines = Vec::with_capacity(to - from);
        let (mut old_lines, mut new_lines) = (0, 0);
        for entry in &self.entries[from..to] {
            let (tag, text) = match (entry.old, entry.new) {
                (Some(o), Some(_)) => (LineTag::Equal, self.old.get(o)),
                (Some(o), None) => (LineTag::Delete, self.old.get(o)),
                (None, Some(n)) => (LineTag::Insert, self.new.get(n)),
                (None, None) => continue,
            };
            old_lines += usize::from(entry.old.is_some());
            new_lines += usize::from(entry.new.is_some());
            lines.push(DiffLine {
                tag,
                old_line: entry.old.map(|i| i + 1),
                new_line: entry.new.map(|i| i + 1),
                text: without_line_ending(text.copied().unwrap_or_default()).to_owned(),
            });
        }
        Hunk {
            id: self.id(group),
            old_start: old_before + usize::from(old_lines > 0),
            old_lines,
            new_start: new_before + usize::from(new_lines > 0),
            new_lines,
            lines,
        }
    }
}

fn without_line_ending(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// FNV-1a, 64 bits: a digest that is the same on every build and platform (std's hashers are
/// not), enough to tell the hunks of one diff apart.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
