use super::*;
use serde_json::json;

fn value(text: &str) -> Value {
    parse_document(text.as_bytes(), 1, &Limits::default()).unwrap().value
}

/// Rewrites `text` to `target`, checks that the result holds it and that rewriting the result
/// gives the same bytes, and returns the result.
fn rewritten(text: &str, target: &Value) -> String {
    let out = rewrite(text, target).unwrap_or_else(|| panic!("not rewritable:\n{text}"));
    assert!(identical(&value(&out), target), "{out}");
    assert_eq!(rewrite(&out, target).as_deref(), Some(out.as_str()), "not idempotent");
    out
}

#[test]
fn text_already_in_shape_comes_back_byte_for_byte() {
    let text = "# header\napiVersion: v1\nkind: K   # end of line\nspec:\n  # above b\n  b: 1\n  a: [] # empty flow stays\n";
    assert_eq!(rewritten(text, &value(text)), text);
}

#[test]
fn entries_move_with_the_comments_above_them_and_the_header_stays_on_top() {
    let text = "\
# header of the document
spec:   # the spec first
  z: 1
  a: 2
  # a trailing comment of the spec

# about the kind
kind: K
metadata:
  # the name
  name: leaf
  labels:
    b: 1
apiVersion: v1
";
    let target = json!({"apiVersion": "v1", "kind": "K", "metadata": {"labels": {"b": 1}, "name": "leaf"}, "spec": {"z": 1, "a": 2}});
    assert_eq!(
        rewritten(text, &target),
        "\
# header of the document
apiVersion: v1

# about the kind
kind: K
metadata:
  labels:
    b: 1
  # the name
  name: leaf
spec:   # the spec first
  z: 1
  a: 2
  # a trailing comment of the spec
"
    );
}

#[test]
fn fields_not_in_the_target_go_as_whole_lines() {
    let text = "apiVersion: v1\nkind: K\nmetadata:\n  name: leaf\n  uid: u   # from the server\nspec:\n  a: 1 # kept\nstatus:\n  ready: true\n";
    let target = json!({"apiVersion": "v1", "kind": "K", "metadata": {"name": "leaf"}, "spec": {"a": 1}});
    assert_eq!(rewritten(text, &target), "apiVersion: v1\nkind: K\nmetadata:\n  name: leaf\nspec:\n  a: 1 # kept\n");
}

#[test]
fn flow_collections_become_blocks_and_ambiguous_plain_strings_get_quoted() {
    let text = "kind: K # k\nspec: {b: [x, 'w'], a: {m: 1}}\nmeta:\n  d: yes\n  e: \"on\"\n";
    let out = rewritten(text, &value(text));
    assert_eq!(out, "kind: K # k\nspec:\n  b:\n  - x\n  - w\n  a:\n    m: 1\nmeta:\n  d: 'yes'\n  e: \"on\"\n");
    let root = "{kind: K, spec: {a: 1}}\n";
    assert_eq!(rewritten(root, &value(root)), "kind: K\nspec:\n  a: 1\n");
}

#[test]
fn flow_collections_that_also_change_are_written_as_the_new_blocks() {
    let text = "{kind: K, metadata: {name: leaf, uid: u}, spec: {a: [1, 2]}, status: {x: 1}}\n";
    let target = json!({"kind": "K", "metadata": {"name": "leaf"}, "spec": {"a": [1, 2]}});
    assert_eq!(rewritten(text, &target), "kind: K\nmetadata:\n  name: leaf\nspec:\n  a:\n  - 1\n  - 2\n");
    let text = "kind: K\nmetadata: {uid: u, name: leaf}   # flow\nspec:\n  a: [1, 2]\n";
    assert_eq!(rewritten(text, &target), "kind: K\nmetadata:\n  name: leaf   # flow\nspec:\n  a:\n  - 1\n  - 2\n");
}

#[test]
fn the_marker_line_goes_and_separators_after_the_document_are_not_part_of_it() {
    let text = "--- # leaf-01\r\n\r\nkind: K\r\nspec:\r\n  a: 1\r\n  # kept: indented, so about spec\r\n\r\n#\r\n# ServerList\r\n#\r\n";
    let out = rewritten(text, &value("kind: K\nspec:\n  a: 1\n"));
    assert_eq!(out, "# leaf-01\nkind: K\nspec:\n  a: 1\n  # kept: indented, so about spec\n");
    assert_eq!(rewritten("---\nkind: K", &json!({"kind": "K"})), "kind: K\n");
}

#[test]
fn what_cannot_be_kept_faithfully_is_refused() {
    let anchors = "a: &x {b: 1}\nc: *x\n";
    assert_eq!(rewrite(anchors, &value(anchors)), None);
    assert_eq!(rewrite("--- {a: 1}\n", &json!({"a": 1})), None, "content on the marker line");
    assert_eq!(rewrite("- a\n- b\n", &json!(["a", "b"])), None, "the top level is not a mapping");
    assert_eq!(rewrite("# only a comment\n", &json!({"a": 1})), None);
    let first_key_on_a_dash_line = "items:\n- b: 1\n  a: 2\n";
    assert_eq!(rewrite(first_key_on_a_dash_line, &json!({"items": [{"a": 2, "b": 1}]})), None);
}

#[test]
fn block_scalars_and_non_ascii_text_keep_their_bytes() {
    let text = "kind: K\nnote: |\n  line one\n  line two\n\n# café\nspec:\n  d: crème # brûlée\n";
    let target = json!({"kind": "K", "spec": {"d": "crème"}, "note": "line one\nline two\n"});
    assert_eq!(rewritten(text, &target), "kind: K\n\n# café\nspec:\n  d: crème # brûlée\nnote: |\n  line one\n  line two\n");
}
