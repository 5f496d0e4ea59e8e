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

#[test]
fn alias_bomb_is_stopped() {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        doc.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
    }
    let err = parse(&doc).unwrap_err();
    assert!(matches!(err, YamlError::AliasBomb { .. }), "{err}");
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
