use std::collections::HashMap;

use super::*;

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("line {i}\n")).collect()
}

fn replace_line(text: &str, line: usize, with: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { format!("{with}\n") } else { format!("{l}\n") })
        .collect()
}

fn all(old: &str, new: &str, side: HunkSide) -> String {
    take_hunks(old, new, &HashMap::new(), side)
}

fn eq(n: usize, m: usize, text: &str) -> DiffLine {
    DiffLine { tag: LineTag::Equal, old_line: Some(n), new_line: Some(m), text: text.to_owned() }
}
fn del(n: usize, text: &str) -> DiffLine {
    DiffLine { tag: LineTag::Delete, old_line: Some(n), new_line: None, text: text.to_owned() }
}
fn ins(m: usize, text: &str) -> DiffLine {
    DiffLine { tag: LineTag::Insert, old_line: None, new_line: Some(m), text: text.to_owned() }
}

/// Every line a hunk shows is the line of that number in the text it claims to come from, and
/// the hunk's ranges count its lines.
fn assert_consistent(old: &str, new: &str, hunks: &[Hunk]) {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    for h in hunks {
        let olds = h.lines.iter().filter(|l| l.old_line.is_some()).count();
        let news = h.lines.iter().filter(|l| l.new_line.is_some()).count();
        assert_eq!((h.old_lines, h.new_lines), (olds, news), "{h:?}");
        for l in &h.lines {
            if let Some(n) = l.old_line {
                assert_eq!(old_lines[n - 1], l.text);
            }
            if let Some(n) = l.new_line {
                assert_eq!(new_lines[n - 1], l.text);
            }
        }
        if let Some(first) = h.lines.iter().find_map(|l| l.old_line) {
            assert_eq!(first, h.old_start);
        }
        if let Some(first) = h.lines.iter().find_map(|l| l.new_line) {
            assert_eq!(first, h.new_start);
        }
    }
}

#[test]
fn equal_texts_have_no_hunks() {
    let text = numbered(5);
    assert!(line_diff(&text, &text, 3).is_empty());
    assert_eq!(unified(&text, &text, "x.yaml", "x.yaml"), "");
    assert_eq!(all(&text, &text, HunkSide::New), text);
    assert!(line_diff("", "", 3).is_empty());
}

#[test]
fn one_changed_line_with_context() {
    let old = numbered(10);
    let new = replace_line(&old, 5, "LINE 5");
    let hunks = line_diff(&old, &new, 2);
    assert_eq!(hunks.len(), 1);
    let h = &hunks[0];
    assert_eq!((h.old_start, h.old_lines, h.new_start, h.new_lines), (3, 5, 3, 5));
    assert_eq!(
        h.lines,
        vec![
            eq(3, 3, "line 3"),
            eq(4, 4, "line 4"),
            del(5, "line 5"),
            ins(5, "LINE 5"),
            eq(6, 6, "line 6"),
            eq(7, 7, "line 7"),
        ]
    );
    assert_eq!(h.id.len(), 16);
    assert!(h.id.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn context_stops_at_the_ends_of_the_text() {
    let old = numbered(3);
    let new = replace_line(&old, 1, "first");
    let hunks = line_diff(&old, &new, 5);
    assert_eq!(hunks.len(), 1);
    assert_eq!((hunks[0].old_start, hunks[0].old_lines), (1, 3));
    assert_consistent(&old, &new, &hunks);
}

#[test]
fn distant_changes_are_separate_hunks_with_full_context() {
    let old = numbered(30);
    let new = replace_line(&replace_line(&old, 5, "five"), 25, "twenty-five");
    let hunks = line_diff(&old, &new, 3);
    assert_eq!(hunks.len(), 2);
    assert_eq!((hunks[0].old_start, hunks[0].old_lines), (2, 7));
    assert_eq!((hunks[1].old_start, hunks[1].old_lines), (22, 7));
    assert_ne!(hunks[0].id, hunks[1].id);
    assert_consistent(&old, &new, &hunks);
}

#[test]
fn close_changes_are_separate_hunks_that_split_their_shared_context() {
    let old = numbered(20);
    // Lines 6..=8 unchanged between the changes at 5 and 9: gap of 3, context 3.
    let new = replace_line(&replace_line(&old, 5, "five"), 9, "nine");
    let hunks = line_diff(&old, &new, 3);
    assert_eq!(hunks.len(), 2, "one hunk per change group");
    assert_consistent(&old, &new, &hunks);
    assert_eq!(hunks[0].old_start + hunks[0].old_lines, hunks[1].old_start, "contiguous");
    assert_eq!(hunks[0].new_start + hunks[0].new_lines, hunks[1].new_start, "contiguous");
    let shown: Vec<Option<usize>> = hunks.iter().flat_map(|h| h.lines.iter().map(|l| l.old_line)).collect();
    let mut unique = shown.clone();
    unique.dedup();
    assert_eq!(shown, unique, "no line shown twice");
    // Lines 6 and 7 go with the first change, 8 with the second; 3 lines of context outside.
    assert_eq!((hunks[0].old_start, hunks[0].old_lines), (2, 6));
    assert_eq!((hunks[1].old_start, hunks[1].old_lines), (8, 5));
}

#[test]
fn adjacent_changes_with_no_line_between_are_one_group() {
    let old = "a\nb\nc\n";
    let new = "a\nB\nC\n";
    let hunks = line_diff(old, new, 3);
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0].lines.iter().filter(|l| l.tag != LineTag::Equal).count(), 4);
}

#[test]
fn ids_do_not_depend_on_context() {
    let old = numbered(40);
    let new = replace_line(&replace_line(&replace_line(&old, 3, "x"), 8, "y"), 30, "z");
    let ids = |context| line_diff(&old, &new, context).into_iter().map(|h| h.id).collect::<Vec<_>>();
    let at3 = ids(3);
    assert_eq!(at3.len(), 3);
    for context in [0, 1, 2, 5, 100] {
        assert_eq!(ids(context), at3, "context {context}");
    }
}

#[test]
fn ids_are_stable_and_tell_changes_apart() {
    let old = numbered(10);
    let a = replace_line(&old, 4, "changed");
    let b = replace_line(&old, 4, "changed differently");
    let c = replace_line(&old, 6, "changed");
    assert_eq!(line_diff(&old, &a, 3), line_diff(&old, &a, 3));
    let id = |new: &str| line_diff(&old, new, 3)[0].id.clone();
    assert_ne!(id(&a), id(&b), "same place, different lines");
    assert_ne!(id(&a), id(&c), "same lines, different place");
    // Same change, other content around it at the same position: same id.
    let old2 = old.replace("line 9", "nine");
    let a2 = a.replace("line 9", "nine");
    assert_eq!(line_diff(&old2, &a2, 0)[0].id, id(&a));
}

#[test]
fn pure_insertions_and_deletions_number_like_unified_diff() {
    let hunks = line_diff("", "a\nb\n", 3);
    assert_eq!(hunks.len(), 1);
    assert_eq!((hunks[0].old_start, hunks[0].old_lines, hunks[0].new_start, hunks[0].new_lines), (0, 0, 1, 2));

    let hunks = line_diff("a\nb\n", "", 3);
    assert_eq!((hunks[0].old_start, hunks[0].old_lines, hunks[0].new_start, hunks[0].new_lines), (1, 2, 0, 0));

    let hunks = line_diff("a\nb\n", "a\nx\nb\n", 0);
    assert_eq!((hunks[0].old_start, hunks[0].old_lines, hunks[0].new_start, hunks[0].new_lines), (1, 0, 2, 1));
    assert_eq!(hunks[0].lines, vec![ins(2, "x")]);
}

#[test]
fn line_endings_are_not_part_of_the_text() {
    let hunks = line_diff("a\r\nb\r\n", "a\r\nc\r\n", 1);
    assert_eq!(hunks[0].lines, vec![eq(1, 1, "a"), del(2, "b"), ins(2, "c")]);
}

#[test]
fn a_missing_final_newline_is_a_change() {
    let hunks = line_diff("a\nb", "a\nb\n", 3);
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0].lines, vec![eq(1, 1, "a"), del(2, "b"), ins(2, "b")]);
}

#[test]
fn taking_every_hunk_from_one_side_gives_that_side_byte_for_byte() {
    let base = numbered(12);
    let cases: Vec<(String, String)> = vec![
        (base.clone(), replace_line(&base, 1, "one")),
        (base.clone(), replace_line(&replace_line(&base, 6, "six"), 12, "twelve")),
        ("a\nb".to_owned(), "a\nb\n".to_owned()),
        ("a\nb\n".to_owned(), "a\nc".to_owned()),
        ("".to_owned(), "x\n".to_owned()),
        ("x".to_owned(), "".to_owned()),
        ("a\r\nb\r\n".to_owned(), "a\nb\r\n".to_owned()),
        ("k: 1\n\n\nl: 2\n".to_owned(), "\nk: 1\nl: 3\n\n".to_owned()),
    ];
    for (old, new) in cases {
        assert_eq!(all(&old, &new, HunkSide::Old), old, "{old:?} -> {new:?}");
        assert_eq!(all(&old, &new, HunkSide::New), new, "{old:?} -> {new:?}");
        let ids: HashMap<String, HunkSide> =
            line_diff(&old, &new, 3).into_iter().map(|h| (h.id, HunkSide::New)).collect();
        assert_eq!(take_hunks(&old, &new, &ids, HunkSide::Old), new, "choices by id");
    }
}

#[test]
fn each_hunk_takes_its_chosen_side() {
    let old = numbered(30);
    let new = replace_line(&replace_line(&old, 5, "five"), 25, "twenty-five");
    let hunks = line_diff(&old, &new, 3);
    let choices = HashMap::from([(hunks[0].id.clone(), HunkSide::New), (hunks[1].id.clone(), HunkSide::Old)]);
    assert_eq!(take_hunks(&old, &new, &choices, HunkSide::Old), replace_line(&old, 5, "five"));
    let only_second = HashMap::from([(hunks[1].id.clone(), HunkSide::New)]);
    assert_eq!(take_hunks(&old, &new, &only_second, HunkSide::Old), replace_line(&old, 25, "twenty-five"));
    // Unknown ids are ignored; the default decides.
    let stale = HashMap::from([("0000000000000000".to_owned(), HunkSide::Old)]);
    assert_eq!(take_hunks(&old, &new, &stale, HunkSide::New), new);
}

#[test]
fn unified_diff_has_git_headers() {
    let old = "apiVersion: v1\nkind: Switch\nspec:\n  profile: vs\n";
    let new = "apiVersion: v1\nkind: Switch\nspec:\n  profile: dell\n";
    assert_eq!(
        unified(old, new, "managed/switches/leaf-01.yaml", "managed/switches/leaf-01.yaml"),
        "--- a/managed/switches/leaf-01.yaml\n+++ b/managed/switches/leaf-01.yaml\n@@ -1,4 +1,4 @@\n apiVersion: v1\n kind: Switch\n spec:\n-  profile: vs\n+  profile: dell\n"
    );
}

#[test]
fn unified_diff_of_a_new_file_and_a_missing_newline() {
    assert_eq!(unified("", "a\n", "/dev/null", "x.yaml"), "--- /dev/null\n+++ b/x.yaml\n@@ -0,0 +1 @@\n+a\n");
    assert_eq!(
        unified("a\n", "a", "x.yaml", "x.yaml"),
        "--- a/x.yaml\n+++ b/x.yaml\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
    );
}

#[test]
fn serializes_for_the_web_view() {
    let hunk = &line_diff("a\n", "b\n", 3)[0];
    let json = serde_json::to_value(hunk).expect("serializes");
    assert_eq!(json["lines"][0]["tag"], "delete");
    assert_eq!(json["lines"][0]["old_line"], 1);
    assert_eq!(json["lines"][0]["new_line"], serde_json::Value::Null);
    assert_eq!(json["lines"][1]["tag"], "insert");
    let side: HunkSide = serde_json::from_str("\"old\"").expect("deserializes");
    assert_eq!(side, HunkSide::Old);
    assert_eq!(serde_json::to_string(&LineTag::Equal).expect("serializes"), "\"equal\"");
}

#[test]
fn generated_edits_keep_every_invariant() {
    // A small deterministic generator: varied inserts, deletes and replacements.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..200 {
        let old: String = (0..next(25)).map(|_| format!("k{}: v\n", next(6))).collect();
        let mut new = String::new();
        for line in old.lines() {
            match next(6) {
                0 => {}
                1 => new.push_str(&format!("new{}\n", next(4))),
                2 => new.push_str(&format!("{line}\nadded\n")),
                _ => new.push_str(&format!("{line}\n")),
            }
        }
        if next(3) == 0 {
            new.pop();
        }
        let hunks = line_diff(&old, &new, 3);
        assert_consistent(&old, &new, &hunks);
        assert_eq!(all(&old, &new, HunkSide::Old), old);
        assert_eq!(all(&old, &new, HunkSide::New), new);
        // Lines before a hunk: its start, less one when it covers lines (unified numbering).
        let before = |start: usize, count: usize| start - usize::from(count > 0);
        for pair in hunks.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(before(a.old_start, a.old_lines) + a.old_lines <= before(b.old_start, b.old_lines));
            assert!(before(a.new_start, a.new_lines) + a.new_lines <= before(b.new_start, b.new_lines));
        }
        let ids: std::collections::HashSet<&String> = hunks.iter().map(|h| &h.id).collect();
        assert_eq!(ids.len(), hunks.len(), "ids are unique within a diff");
    }
}
