//! Properties of the readers and writers every resource goes through, checked on generated
//! values (proptest; stable Rust, no cargo-fuzz): what hhsync writes reads back as the same value
//! and writes again as the same bytes; a patch of a hand-formatted file gives the intended value;
//! a three-way merge of identical sides is that side and keeps a change only one side made; and
//! the splitter and the composer answer any bytes with documents or errors, never a panic.
//!
//! `PROPTEST_CASES` raises the number of cases (CI runs the default 256 per property).

use hhsync_engine::sync::merge::merge3;
use hhsync_engine::yaml::{parse_document, patch, render, split_documents, Limits};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Scalars chosen to trip a YAML writer: indicators, YAML 1.1 booleans and nulls, numbers as
/// strings, leading and trailing spaces, line breaks, quotes, non-ASCII.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("yes".to_owned()),
        Just("No".to_owned()),
        Just("null".to_owned()),
        Just("~".to_owned()),
        Just("0x1F".to_owned()),
        Just("1e3".to_owned()),
        Just("010".to_owned()),
        Just("- item".to_owned()),
        Just("key: value".to_owned()),
        Just("#comment".to_owned()),
        Just("&anchor".to_owned()),
        Just("*alias".to_owned()),
        Just("!tag".to_owned()),
        Just("%YAML".to_owned()),
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("\"quoted\"".to_owned()),
        Just("'single'".to_owned()),
        Just("trailing ".to_owned()),
        Just(" leading".to_owned()),
        Just("two\nlines".to_owned()),
        Just("tab\there".to_owned()),
        Just("é ü 日本".to_owned()),
        Just("{a: 1}".to_owned()),
        Just("[1, 2]".to_owned()),
        "[a-zA-Z0-9 :#,\\-'\"\\[\\]{}!&*?|>%@`\n\t.]{0,12}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        tricky_string().prop_map(Value::String),
    ]
}

/// Map keys: tricky too (a key is a scalar to the writer), but never empty and unique per map.
fn key() -> impl Strategy<Value = String> {
    // mapped, not filtered: a filter rejecting the empty string fails long runs ("too many
    // local rejects")
    prop_oneof!["[a-z][a-zA-Z0-9]{0,8}", tricky_string().prop_map(|k| if k.is_empty() { "k".to_owned() } else { k })]
}

/// Nested maps and lists, a few levels deep, with a map at the top as a resource has.
fn document() -> impl Strategy<Value = Value> {
    let leaf = scalar();
    let nested = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    });
    prop::collection::btree_map(key(), nested, 1..6).prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn read(text: &str) -> Value {
    let docs: Vec<_> = split_documents(text.as_bytes()).collect();
    assert_eq!(docs.len(), 1, "one document expected in:\n{text}");
    parse_document(docs[0].bytes, docs[0].start_line, &Limits::default()).unwrap_or_else(|e| panic!("{e:?} reading:\n{text}")).value
}

/// Every path to a leaf (or an empty container) of a value, as JSON pointers.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(m) if !m.is_empty() => m.iter().for_each(|(k, v)| leaves(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(a) if !a.is_empty() => a.iter().enumerate().for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

proptest! {
    /// What hhsync writes, it reads back as the same value, and writes again as the same bytes.
    #[test]
    fn canonical_rendering_reads_back_and_is_idempotent(doc in document()) {
        let text = render(&doc);
        let back = read(&text);
        prop_assert_eq!(&back, &doc, "read back differently from:\n{}", text);
        prop_assert_eq!(render(&back), text);
    }

    /// A file written by someone else, patched to a new value, holds exactly that value.
    #[test]
    fn patch_then_parse_gives_the_intended_value(old in document(), new in document()) {
        let original = format!("# kept by hand\n{}", render(&old));
        let patched = patch(&original, &new).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(read(&patched), new, "patched text:\n{}", patched);
    }

    /// A merge where both sides made the same change is that change, with no conflict.
    #[test]
    fn the_merge_of_identical_sides_is_that_side(base in document(), side in document()) {
        let out = merge3(Some(&base), Some(&side), Some(&side), &|_| None);
        prop_assert_eq!(out.value, Some(side));
        prop_assert!(out.conflicts.is_empty(), "conflicts: {:?}", out.conflicts);
    }

    /// A field only one side changed is in the merge, whichever side changed it.
    #[test]
    fn a_merge_keeps_a_field_only_one_side_changed(base in document(), pick in any::<prop::sample::Index>(), to in scalar()) {
        let mut paths = Vec::new();
        leaves(&base, String::new(), &mut paths);
        let path = pick.get(&paths).clone();
        let mut changed = base.clone();
        *changed.pointer_mut(&path).expect("a leaf of base") = to;
        let ours = merge3(Some(&base), Some(&changed), Some(&base), &|_| None);
        prop_assert_eq!(ours.value, Some(changed.clone()), "ours changed {}", path);
        let theirs = merge3(Some(&base), Some(&base), Some(&changed), &|_| None);
        prop_assert_eq!(theirs.value, Some(changed), "theirs changed {}", path);
        prop_assert!(ours.conflicts.is_empty() && theirs.conflicts.is_empty());
    }

    /// Any bytes: documents or errors, never a panic, and every document's bytes lie in the input.
    #[test]
    fn any_bytes_split_and_compose_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for doc in split_documents(&bytes) {
            prop_assert!(doc.bytes.len() <= bytes.len());
            let _ = parse_document(doc.bytes, doc.start_line, &Limits::default());
        }
    }

    /// YAML-looking text (the characters YAML gives meaning to): the same.
    #[test]
    fn yaml_like_text_splits_and_composes_without_panicking(text in "([a-z0-9]{0,4}[:\\-#&*!|>'\"\\[\\]{},?%@` \n\t]{0,3}){0,60}") {
        for doc in split_documents(text.as_bytes()) {
            let _ = parse_document(doc.bytes, doc.start_line, &Limits::default());
        }
    }
}
