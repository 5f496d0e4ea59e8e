use super::*;
use crate::yaml::{parse_document, Limits};
use serde_json::json;

const COMMENTED: &str = "# Switch: leaf-01\n# Edited by hand\n---\napiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01   # the first leaf\nspec:\n  # boot settings\n  boot:\n    mac: \"0c:20:12:ff:00:00\"\n  description: 'VS-01 MCLAG 1'\n  ecmp: {}\n  groups:\n  - mclag-1\n  profile: vs\n  role: server-leaf\n";

fn value(text: &str) -> Value {
    let doc = crate::yaml::split_documents(text.as_bytes()).next().unwrap();
    parse_document(doc.bytes, doc.start_line, &Limits::default()).unwrap().value
}

/// Patches `text` with `change` applied to its value, checks the result reads back as the
/// new value, and returns the result.
fn patched(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut v = value(text);
    change(&mut v);
    let out = patch(text, &v).unwrap();
    assert_eq!(value(&out), v, "patched text does not hold the new value:\n{out}");
    out
}

fn changed_lines(a: &str, b: &str) -> usize {
    let diff = similar::TextDiff::from_lines(a, b);
    diff.iter_all_changes().filter(|c| c.tag() != similar::ChangeTag::Equal).count()
}

#[test]
fn one_field_changed_is_a_one_line_change_keeping_comments_and_quotes() {
    let out = patched(COMMENTED, |v| v["spec"]["description"] = json!("VS-01 rack 7"));
    assert_eq!(out, COMMENTED.replace("'VS-01 MCLAG 1'", "'VS-01 rack 7'"));
    let out = patched(COMMENTED, |v| v["spec"]["boot"]["mac"] = json!("0c:20:12:ff:00:09"));
    assert_eq!(out, COMMENTED.replace("0c:20:12:ff:00:00", "0c:20:12:ff:00:09"));
    let out = patched(COMMENTED, |v| v["metadata"]["name"] = json!("leaf-09"));
    assert!(out.contains("  name: leaf-09   # the first leaf\n"), "{out}");
}

#[test]
fn unchanged_value_gives_identical_bytes() {
    assert_eq!(patch(COMMENTED, &value(COMMENTED)).unwrap(), COMMENTED);
}

#[test]
fn added_and_removed_keys_are_whole_lines() {
    let out = patched(COMMENTED, |v| {
        v["spec"].as_object_mut().unwrap().remove("profile");
        v["spec"]["asn"] = json!(65101);
    });
    assert_eq!(changed_lines(COMMENTED, &out), 2, "{out}");
    assert!(out.contains("  # boot settings\n"));
    let out = patched(COMMENTED, |v| v["spec"]["boot"]["serial"] = json!("ABC"));
    assert!(out.contains("    mac: \"0c:20:12:ff:00:00\"\n    serial: ABC\n"), "{out}");
}

#[test]
fn lists_grow_shrink_and_change_in_place() {
    let out = patched(COMMENTED, |v| v["spec"]["groups"].as_array_mut().unwrap().push(json!("eslag-1")));
    assert_eq!(changed_lines(COMMENTED, &out), 1, "{out}");
    let out = patched(COMMENTED, |v| v["spec"]["groups"] = json!([]));
    assert!(out.contains("  groups: []\n"), "{out}");
    let links = "spec:\n  links:\n  - server:\n      port: s/1\n    switch:\n      port: l/E1/1\n  - server:\n      port: s/2\n    switch:\n      port: l/E1/2\n";
    let out = patched(links, |v| v["spec"]["links"][1]["switch"]["port"] = json!("l/E1/9"));
    assert_eq!(changed_lines(links, &out), 2);
    let out = patched(links, |v| { v["spec"]["links"].as_array_mut().unwrap().remove(0); });
    assert_eq!(out, "spec:\n  links:\n  - server:\n      port: s/2\n    switch:\n      port: l/E1/2\n");
}

#[test]
fn flow_and_empty_values_are_rewritten_locally() {
    let out = patched(COMMENTED, |v| v["spec"]["ecmp"] = json!({"rdmaBasic": true}));
    assert!(out.contains("  ecmp:\n    rdmaBasic: true\n  groups:"), "{out}");
    let text = "a:\nb: [1, 2]\nc: {x: 1}\n";
    let out = patched(text, |v| {
        v["a"] = json!({"k": "v"});
        v["b"][1] = json!(3);
        v["c"]["x"] = json!("two words");
    });
    assert_eq!(out, "a:\n  k: v\nb: [1, 3]\nc: {x: two words}\n");
}

#[test]
fn type_changes_and_quoting_needs_are_respected() {
    let out = patched("vlan: 1001\nname: x\n", |v| {
        v["vlan"] = json!("1001");
        v["name"] = json!("yes");
    });
    assert_eq!(out, "vlan: '1001'\nname: 'yes'\n");
    let out = patched("k: v\n", |v| v["k"] = json!(["a", "b"]));
    assert_eq!(out, "k:\n- a\n- b\n");
}

#[test]
fn non_ascii_text_keeps_byte_offsets_right() {
    let text = "description: café # é\nname: x\n";
    let out = patched(text, |v| v["name"] = json!("z"));
    assert_eq!(out, "description: café # é\nname: z\n");
}

#[test]
fn files_it_cannot_edit_in_place_say_so() {
    assert_eq!(patch("a: &x 1\nb: *x\n", &json!({"a": 2, "b": 2})), Err(PatchError::Unsupported));
    assert!(matches!(patch("a: [\n", &json!({})), Err(PatchError::Syntax(_))));
}

#[test]
fn block_scalars_are_replaced_whole() {
    let text = "a: |\n  line1\n  line2\nb: 1\n";
    let out = patched(text, |v| v["a"] = json!("new text"));
    assert_eq!(out, "a: new text\nb: 1\n");
}

#[test]
fn a_comment_after_a_flow_collection_stays_when_the_collection_is_rewritten() {
    let out = patched("m: {a: 1}   # flow } here\nx: [1]  # list\n", |v| {
        v["m"] = json!({"a": 1, "b": 2});
        v["x"] = json!("one");
    });
    assert_eq!(out, "m:\n  a: 1\n  b: 2   # flow } here\nx: one  # list\n");
}

// Regressions found by the property tests (tests/properties.rs, the shrunk inputs).

#[test]
fn a_key_removed_after_a_value_ending_in_non_ascii_text_does_not_panic() {
    let out = patched("# kept by hand\na:\n  a: é ü 日本\n", |v| *v = json!({ "a": { "a0": null } }));
    assert_eq!(out, "# kept by hand\na:\n  a0: null\n");
}

#[test]
fn a_nested_maps_new_key_stays_in_it_when_its_parent_gains_one_at_the_same_place() {
    let out = patched("'yes':\n  a: null\n", |v| *v = json!({ "a": null, "yes": { "b": null } }));
    assert_eq!(value(&out), json!({ "yes": { "b": null }, "a": null }));
}

#[test]
fn a_key_added_where_a_removed_key_was_is_not_cut_by_the_removal() {
    patched("'yes': null\nyf: null\n", |v| *v = json!({ "a": null, "yes": null }));
}

#[test]
fn a_block_sequence_whose_first_item_is_a_flow_collection_is_still_block() {
    let out = patched("# kept by hand\na:\n- []\ns: null\n", |v| *v = json!({ "aa": null }));
    assert_eq!(out, "# kept by hand\naa: null\n");
}

#[test]
fn a_quoted_key_holding_a_colon_is_followed_to_its_own_colon() {
    patched("'{a: 1}': null\n", |v| *v = json!({ "{a: 1}": [] }));
}

#[test]
fn removing_a_sequence_items_first_key_keeps_the_dash() {
    patched("\"tab\\there\":\n- a: null\n", |v| *v = json!({ "tab\there": [{ "aa": null }] }));
    let out = patched("items:\n- a: 1\n  b: 2\n", |v| *v = json!({ "items": [{ "b": 2 }] }));
    assert_eq!(out, "items:\n-\n  b: 2\n");
}

#[test]
fn removing_a_nested_sequences_first_item_keeps_the_outer_dash() {
    let out = patched("'1e3':\n- - false\n  - null\n", |v| *v = json!({ "1e3": [[null]] }));
    assert_eq!(out, "'1e3':\n-\n  - null\n");
}

#[test]
fn a_flow_mapping_entry_with_no_value_of_its_own_gets_one() {
    // Found by the mutation fuzzer: `b` (no colon) and `c:` (nothing after it) hold nulls
    // whose text is not theirs; writing a value there broke the mapping.
    for text in ["spec: {a: 1, b}\n", "{\n  \"a\": 1,\n b\n}\n", "spec: {a: 1, c: }\n", "spec: {a: 1, c:}\n"] {
        patched(text, |v| {
            let m = if v.get("spec").is_some() { &mut v["spec"] } else { v };
            let last = m.as_object().unwrap().keys().last().unwrap().clone();
            m[&last] = json!("changed");
        });
    }
}

#[test]
fn a_mapping_of_one_empty_entry_emptied_loses_its_colon_too() {
    // Found by the mutation fuzzer: `- leaf:` with `leaf` removed became `- {}:`.
    let text = "links:\n- leaf:\n- spine: a\n";
    let out = patched(text, |v| v["links"][0] = json!({}));
    assert_eq!(out, "links:\n- {}\n- spine: a\n");
}

#[test]
fn a_block_scalar_replaced_loses_its_header_too() {
    // Found by the mutation fuzzer: a root `>` or `|` scalar replaced kept its header, so the
    // text read back as a folded "changed\n".
    for text in [">\n{\n  a\n}\n", "|\n  two\n  lines\n", "--- |-\n  x\n", "list:\n- |\n  a\n  b\n- c\n", "k: >+  # note\n  a\n"] {
        patched(text, |v| {
            let at = if let Some(list) = v.get_mut("list") { &mut list[0] } else if let Some(k) = v.get_mut("k") { k } else { v };
            *at = json!("changed");
        });
    }
}

#[test]
fn a_flow_mapping_with_a_comment_line_before_its_bracket_is_replaced_whole() {
    // Found by the mutation fuzzer: the bracket after the comment line was left behind.
    let text = "{\n  \"a\": 1,\n  \"b\": []\n#  \"c\": \"gone\"\n}\n";
    let out = patched(text, |v| v["d"] = json!("added"));
    assert!(!out.trim_end().ends_with('}'), "{out}");
}
