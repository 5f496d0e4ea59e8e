use super::*;
use serde_json::json;

fn parse(s: &str) -> Result<Parsed, YamlError> {
    parse_document(s.as_bytes(), 1, &Limits::default())
}

#[test]
fn resolves_core_schema_scalars() {
    let p = parse("a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '1'\ng: 0x1F\nh: yes\ni: 0c:20:12:ff:00:00\nj:\nk: \"x\"\n").unwrap();
    assert_eq!(
        p.value,
        json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "1", "g": 31, "h": "yes",
               "i": "0c:20:12:ff:00:00", "j": null, "k": "x"})
    );
}

#[test]
fn keeps_key_order_and_positions() {
    let p = parse("---\nkind: VPC\nspec:\n  subnets:\n    s1:\n      vlan: 10\n  list:\n  - a\n  - b\n").unwrap();
    let keys: Vec<_> = p.value.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["kind", "spec"]);
    assert_eq!(p.line_of(&FieldPath::of(&["spec", "subnets", "s1", "vlan"])), Some(6));
    assert_eq!(p.line_of(&FieldPath::of(&["spec", "list"]).index(1)), Some(9));
    // A path that does not exist falls back to its nearest ancestor.
    assert_eq!(p.line_of(&FieldPath::of(&["spec", "subnets", "s1", "gateway"])), Some(5));
}

#[test]
fn lines_are_relative_to_the_file() {
    let p = parse_document(b"a:\n  b: 1\n", 40, &Limits::default()).unwrap();
    assert_eq!(p.line_of(&FieldPath::of(&["a", "b"])), Some(41));
}

#[test]
fn duplicate_keys_are_errors_with_path_and_lines() {
    let err = parse("spec:\n  boot:\n    mac: a\n    mac: b\n").unwrap_err();
    assert_eq!(
        err,
        YamlError::DuplicateKey { path: FieldPath::of(&["spec", "boot", "mac"]), line: 4, first_line: 3 }
    );
    assert!(err.to_string().contains("spec.boot.mac"), "{err}");
}

fn billion_laughs() -> String {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        doc.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
    }
    doc
}

#[test]
fn alias_bomb_is_stopped() {
    let err = parse(&billion_laughs()).unwrap_err();
    assert!(matches!(err, YamlError::AliasBomb { .. } | YamlError::AliasTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("alias"), "{err}");
}

#[test]
fn node_limit_holds_without_the_byte_budget() {
    // The byte budget stops the bomb above first; the node limit still stops it on its own.
    let limits = Limits { min_alias_bytes: usize::MAX, max_alias_bytes: usize::MAX, ..Limits::default() };
    let err = parse_document(billion_laughs().as_bytes(), 1, &limits).unwrap_err();
    assert!(matches!(err, YamlError::AliasBomb { .. }), "{err}");
}

/// A document holding a `len`-byte string once, under `s`, and aliasing it `n` times in `l`.
fn long_string_aliased(len: usize, n: usize) -> String {
    let mut doc = format!("s: &s {}\nl:\n", "x".repeat(len));
    doc.push_str(&"- *s\n".repeat(n));
    doc
}

#[test]
fn alias_budget_is_four_times_the_document_between_64_kib_and_8_mib() {
    let limits = Limits::default();
    assert_eq!(limits.alias_budget(0), 64 * 1024);
    assert_eq!(limits.alias_budget(10_000), 64 * 1024);
    assert_eq!(limits.alias_budget(1024 * 1024), 4 * 1024 * 1024);
    assert_eq!(limits.alias_budget(2 * 1024 * 1024), 8 * 1024 * 1024);
    assert_eq!(limits.alias_budget(4 * 1024 * 1024), 8 * 1024 * 1024);
    assert_eq!(limits.alias_budget(usize::MAX), 8 * 1024 * 1024);
}

#[test]
fn aliases_of_one_long_string_are_counted_by_their_bytes() {
    // Regression (issue K): 100 aliases of a 1 MB string were 101 nodes, so the node limit let
    // them through and the document took 119 MB to read. Now the budget is 4x the document,
    // so the fifth copy (aliases start on line 3) is one too many.
    let len = 1024 * 1024;
    let doc = long_string_aliased(len, 100);
    let limit = Limits::default().alias_budget(doc.len());
    assert_eq!(limit, 4 * doc.len());
    assert_eq!(limit / (len + NODE_BYTES), 4);
    let err = parse(&doc).unwrap_err();
    assert_eq!(err, YamlError::AliasTooLarge { line: 7, limit, size: doc.len() });
    assert_eq!(err.line(), Some(7));
    let message = err.to_string();
    assert!(message.starts_with(&format!("line 7: aliases expand to more than {limit} bytes")), "{message}");
}

#[test]
fn a_few_aliases_of_a_long_string_within_the_budget_read() {
    let doc = long_string_aliased(100_000, 3);
    let p = parse(&doc).unwrap();
    let items = p.value["l"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|v| v.as_str().map(str::len) == Some(100_000)));
}

#[test]
fn the_budget_is_capped_however_large_the_document() {
    // 4x this document would allow 4 copies; the cap allows fewer.
    let limits = Limits { max_alias_bytes: 250_000, ..Limits::default() };
    let err = parse_document(long_string_aliased(100_000, 3).as_bytes(), 1, &limits).unwrap_err();
    assert!(matches!(err, YamlError::AliasTooLarge { line: 5, limit: 250_000, .. }), "{err}");
    assert!(parse_document(long_string_aliased(100_000, 2).as_bytes(), 1, &limits).is_ok());
}

#[test]
fn nested_aliases_count_the_bytes_they_copy() {
    // Each alias of `a` copies two 10 KB strings and each alias of `b` four: few nodes, many
    // bytes. The 64 KiB budget runs out at the first alias of `b`.
    let s = "y".repeat(10_000);
    let doc = format!("s: &s {s}\na: &a [*s, *s]\nb: &b [*a, *a]\nc: [*b, *b, *b, *b]\n");
    let err = parse(&doc).unwrap_err();
    assert!(matches!(err, YamlError::AliasTooLarge { line: 4, .. }), "{err}");
}

#[test]
fn keys_count_in_the_budget() {
    let key = "k".repeat(30_000);
    let doc = format!("m: &m {{{key}: 1}}\nl: [*m, *m, *m, *m, *m, *m, *m, *m, *m, *m]\n");
    assert!(matches!(parse(&doc).unwrap_err(), YamlError::AliasTooLarge { line: 2, .. }));
}

#[test]
fn small_documents_may_reuse_a_block_many_times() {
    let mut doc = String::from("base: &b {vlan: 10, mtu: 9000, subnet: 10.0.1.0/24, gateway: 10.0.1.1}\n");
    for i in 0..50 {
        doc.push_str(&format!("v{i}: *b\n"));
    }
    let p = parse(&doc).unwrap();
    assert_eq!(p.value["v49"], json!({"vlan": 10, "mtu": 9000, "subnet": "10.0.1.0/24", "gateway": "10.0.1.1"}));
}

#[test]
fn small_aliases_expand() {
    let p = parse("base: &b {x: 1}\nother: *b\n").unwrap();
    assert_eq!(p.value, json!({"base": {"x": 1}, "other": {"x": 1}}));
}

#[test]
fn deep_nesting_is_refused() {
    let doc = "[".repeat(200) + &"]".repeat(200);
    assert!(matches!(parse(&doc).unwrap_err(), YamlError::TooDeep { .. }));
}

#[test]
fn non_utf8_names_the_line() {
    let err = parse_document(b"a: 1\nb: caf\xe9\n", 10, &Limits::default()).unwrap_err();
    assert_eq!(err, YamlError::NotUtf8 { line: 11, byte: 0xe9 });
}

#[test]
fn syntax_error_names_line_and_column() {
    let err = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
    assert!(matches!(err, YamlError::Syntax { .. }), "{err}");
    assert!(err.line().is_some());
}

#[test]
fn too_large_document() {
    let limits = Limits { max_document_bytes: 10, ..Limits::default() };
    let err = parse_document(b"a: 123456789012\n", 1, &limits).unwrap_err();
    assert!(matches!(err, YamlError::TooLarge { .. }));
}

#[test]
fn complex_keys_and_non_finite_numbers_are_refused() {
    assert!(matches!(parse("? [a]\n: 1\n").unwrap_err(), YamlError::ComplexKey { .. }));
    assert!(matches!(parse("a: .inf\n").unwrap_err(), YamlError::NotFinite { .. }));
}

#[test]
fn empty_document_is_null() {
    assert_eq!(parse("# nothing\n").unwrap().value, Value::Null);
}
