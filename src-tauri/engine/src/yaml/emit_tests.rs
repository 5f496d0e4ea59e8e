use super::*;
use crate::yaml::{parse_document, Limits};
use serde_json::json;

fn roundtrip(v: &Value) -> Value {
    let text = render(v);
    parse_document(text.as_bytes(), 1, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .value
}

#[test]
fn renders_kubernetes_style() {
    let v = json!({
        "apiVersion": "wiring.githedgehog.com/v1beta1",
        "kind": "Switch",
        "metadata": {"name": "leaf-01"},
        "spec": {"boot": {"mac": "0c:20:12:ff:00:00"}, "ecmp": {}, "groups": ["mclag-1"],
                 "links": [{"server": {"port": "s/e1"}, "switch": {"port": "l/E1/1"}}], "nested": [[1, 2], []]}
    });
    let text = render(&v);
    assert_eq!(
        text,
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n  boot:\n    mac: 0c:20:12:ff:00:00\n  ecmp: {}\n  groups:\n  - mclag-1\n  links:\n  - server:\n      port: s/e1\n    switch:\n      port: l/E1/1\n  nested:\n  - - 1\n    - 2\n  - []\n"
    );
    assert_eq!(roundtrip(&v), v);
}

#[test]
fn quotes_strings_that_would_read_as_other_types() {
    for s in ["1", "1.0", "0755", "1e3", "true", "Yes", "off", "null", "~", "", " x", "x ", "a: b", "a #b",
              "-x", "[x]", "{x}", "*x", "&x", "!x", "#x", "'", "\"", "12:30:45", "00:11:22:33:44:55", "0x1F",
              "1_000", ".5", "---", "...", "x:", "a,b", "@x", "`x`", "%x", "|", ">"] {
        let v = json!({ "k": s, s: 1 });
        assert_eq!(roundtrip(&v), v, "{s:?} -> {}", render(&v));
    }
    assert_eq!(string("10.0.1.0/24"), "10.0.1.0/24");
    assert_eq!(string("leaf-01/E1/1"), "leaf-01/E1/1");
    assert_eq!(string("1001"), "'1001'");
    assert_eq!(string("10.0.1.1"), "10.0.1.1");
    assert_eq!(string("0c:20:12:ff:00:00"), "0c:20:12:ff:00:00");
    assert_eq!(string("1.5"), "'1.5'");
    assert_eq!(string("10.5e3"), "'10.5e3'");
}

#[test]
fn escapes_line_breaks_and_control_characters() {
    for s in ["a\nb", "tab\there", "bell\u{7}", "it's", "back\\slash \"q\"", "\u{feff}bom", "caf\u{e9}", "trailing\n"] {
        let v = json!({ "k": s });
        assert_eq!(roundtrip(&v), v, "{s:?} -> {}", render(&v));
    }
}

#[test]
fn same_value_same_bytes() {
    let a = json!({"a": [1, {"b": null, "c": false}], "d": 2.5});
    assert_eq!(render(&a), render(&roundtrip(&a)));
}
