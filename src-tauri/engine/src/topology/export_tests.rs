//! Each export holds every node and edge of the sample fabric, in its tiers, and stays valid
//! for its format whatever the names are.

use super::*;
use crate::topology::build;
use crate::topology::test_support::*;

fn sample() -> Topology {
    build(&prepop())
}

/// A spine whose name holds every character the formats treat specially, wired to a server
/// whose name holds a line break.
fn odd_names() -> Topology {
    let spine = "odd \"name\" \\ <&> '.x";
    build(&[
        switch(spine, "spine", None),
        server("line\nbreak"),
        unbundled("c.1", "line\nbreak/eth0", &format!("{spine}/E1/1")),
    ])
}

#[test]
fn formats_are_named_as_the_command_line_takes_them() {
    for format in DiagramFormat::ALL {
        assert_eq!(DiagramFormat::from_name(format.name()), Some(format));
    }
    assert_eq!(DiagramFormat::from_name("DOT"), Some(DiagramFormat::Dot));
    assert_eq!(DiagramFormat::from_name("gv"), Some(DiagramFormat::Dot));
    assert_eq!(DiagramFormat::from_name("mmd"), Some(DiagramFormat::Mermaid));
    assert_eq!(DiagramFormat::from_name("draw.io"), Some(DiagramFormat::Drawio));
    assert_eq!(DiagramFormat::from_name("png"), None);
    assert_eq!(DiagramFormat::Mermaid.extension(), "mmd");
}

// ---- dot ---------------------------------------------------------------------------------------

/// Every `"` on a line of dot opens or closes a string, except `\"` inside one; a line that
/// ends inside a string, or braces that do not balance outside strings, would not parse.
#[track_caller]
fn assert_dot_strings_and_braces_balance(dot: &str) {
    let mut depth = 0i32;
    for line in dot.lines() {
        let mut in_string = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (in_string, c) {
                (true, '\\') => {
                    chars.next();
                }
                (_, '"') => in_string = !in_string,
                (false, '{') => depth += 1,
                (false, '}') => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "a brace closes before it opens: {line}");
        }
        assert!(!in_string, "a string is left open: {line}");
    }
    assert_eq!(depth, 0, "braces do not balance:\n{dot}");
}

#[test]
fn dot_has_every_node_in_its_tier_and_every_edge_with_type_count_and_ports() {
    let topology = sample();
    let dot = render(&topology, DiagramFormat::Dot, None).unwrap();
    assert!(dot.starts_with("graph fabric {\n  rankdir=TB;\n"), "{dot}");
    assert!(dot.ends_with("}\n"));
    assert_dot_strings_and_braces_balance(&dot);
    // Spines, leaves, servers.
    assert_eq!(dot.matches("rank=same;").count(), 3);
    let spines = dot.split("rank=same;").nth(1).expect("the first tier");
    let spines = &spines[..spines.find('}').expect("the tier closes")];
    assert!(spines.contains("\"Switch/spine-01\" [label=\"spine-01\\nspine\""), "{spines}");
    assert!(spines.contains("\"Switch/spine-02\" ["));
    assert!(!spines.contains("leaf"));
    for node in &topology.nodes {
        assert_eq!(dot.matches(&format!("  \"{}\" [label=\"{}\\n", node.id, node.name)).count(), 1, "{}", node.id);
    }
    for edge in &topology.edges {
        let line = format!("  \"{}\" -- \"{}\" [label=\"{} ×{}\"", edge.source, edge.target, edge.connection_type, edge.count);
        assert_eq!(dot.matches(&line).count(), 1, "{line}");
    }
    assert!(dot.contains(
        "\"Switch/spine-01\" -- \"Switch/leaf-01\" [label=\"fabric ×2\", \
         tooltip=\"spine-01/E1/1 -- leaf-01/E1/8\\nspine-01/E1/2 -- leaf-01/E1/9\"];"
    ));
    assert!(dot.contains("\"Switch/leaf-01\" -- \"Switch/leaf-01\" [label=\"vpcLoopback ×2\""));
}

#[test]
fn dot_escapes_quotes_and_backslashes_in_names() {
    let dot = render(&odd_names(), DiagramFormat::Dot, None).unwrap();
    assert_dot_strings_and_braces_balance(&dot);
    assert!(dot.contains(r#""Switch/odd \"name\" \\ <&> '.x" [label="odd \"name\" \\ <&> '.x\nspine""#), "{dot}");
    assert!(dot.contains(r#""Switch/odd \"name\" \\ <&> '.x" -- "Server/line break""#), "{dot}");
}

// ---- Mermaid -----------------------------------------------------------------------------------

#[test]
fn mermaid_has_a_subgraph_per_tier_and_every_node_and_edge_under_short_ids() {
    let topology = sample();
    let mermaid = render(&topology, DiagramFormat::Mermaid, None).unwrap();
    assert!(mermaid.starts_with("flowchart TB\n"), "{mermaid}");
    assert_eq!(mermaid.matches("\n  subgraph tier").count(), 3);
    assert_eq!(mermaid.matches("\n  end\n").count(), 3);
    assert!(mermaid.contains("  subgraph tier0 [\"Spines\"]\n    n0[\"spine-01<br/>spine\"]\n    n1[\"spine-02<br/>spine\"]\n  end\n"));
    for (i, node) in topology.nodes.iter().enumerate() {
        assert!(mermaid.contains(&format!("\n    n{i}")) && mermaid.contains(&format!("\"{}<br/>", node.name)), "{}", node.id);
    }
    assert_eq!(mermaid.matches(" ---|").count(), topology.edges.len());
    // spine-01 is n0, leaf-01 n2, server-01 n7.
    assert!(mermaid.contains("\n  n0 ---|\"fabric ×2\"| n2\n"), "{mermaid}");
    assert!(mermaid.contains("\n  n2 ---|\"mclag ×1\"| n7\n"), "{mermaid}");
    assert!(mermaid.contains("\n  n2 ---|\"vpcLoopback ×2\"| n2\n"), "{mermaid}");
    assert!(mermaid.contains("  class n0,n1,n2,"), "every synced node has the synced class: {mermaid}");
}

#[test]
fn mermaid_writes_special_characters_as_entity_codes() {
    let mermaid = render(&odd_names(), DiagramFormat::Mermaid, None).unwrap();
    assert!(mermaid.contains("    n0[\"odd #quot;name#quot; \\ #lt;#amp;#gt; '.x<br/>spine\"]\n"), "{mermaid}");
    assert!(mermaid.contains("    n1(\"line break<br/>server\")\n"), "{mermaid}");
    for line in mermaid.lines().filter(|l| l.trim_start().starts_with('n')) {
        assert_eq!(line.matches('"').count(), 2, "one quoted label per line: {line}");
    }
}

// ---- draw.io -----------------------------------------------------------------------------------

/// The references XML allows in text and attribute values here.
#[track_caller]
fn assert_entities(text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let after = &rest[at + 1..];
        let end = after.find(';').unwrap_or_else(|| panic!("an & starts no reference: {text}"));
        let name = &after[..end];
        let numeric = name.len() > 1 && name.starts_with('#') && name[1..].chars().all(|c| c.is_ascii_digit());
        assert!(numeric || matches!(name, "amp" | "lt" | "gt" | "quot" | "apos"), "&{name}; in {text}");
        rest = &after[end + 1..];
    }
}

/// A small well-formedness check: tags nest and close, attributes are `name="value"` once each,
/// values and text hold no raw markup, and nothing XML 1.0 forbids appears.
#[track_caller]
fn assert_well_formed(xml: &str) {
    assert!(!xml.chars().any(|c| c.is_control() && c != '\n'), "a control character");
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "raw > in text: {text}");
        assert_entities(text);
        let end = start + rest[start..].find('>').expect("a tag closes");
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "a closing tag that does not match");
            continue;
        }
        let body = tag.strip_suffix('/').unwrap_or(tag);
        let name = body.split_whitespace().next().expect("a tag name");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric()), "tag name {name}");
        let mut attributes = body[name.len()..].trim_start();
        let mut seen = std::collections::BTreeSet::new();
        while !attributes.is_empty() {
            let (key, after) = attributes.split_once("=\"").unwrap_or_else(|| panic!("not an attribute: {attributes}"));
            assert!(!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric()), "attribute name {key:?}");
            assert!(seen.insert(key), "attribute {key} twice in <{tag}>");
            let close = after.find('"').expect("an attribute value closes");
            let value = &after[..close];
            assert!(!value.contains('<'), "raw < in {value}");
            assert_entities(value);
            attributes = after[close + 1..].trim_start();
        }
        if !tag.ends_with('/') {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "tags left open: {open:?}");
    assert!(rest.trim().is_empty(), "text after the root: {rest}");
}

#[test]
fn the_well_formedness_check_catches_broken_xml() {
    for broken in ["<a><b></a></b>", "<a x=\"1\" x=\"2\"/>", "<a x=\"<\"/>", "<a>&nbsp</a>", "<a>"] {
        assert!(std::panic::catch_unwind(|| assert_well_formed(broken)).is_err(), "{broken}");
    }
    assert_well_formed("<a x=\"&amp;&#10;\"><b/></a>\n");
}

/// The attribute values of each `<mxCell ...>` with `marker` (`vertex="1"` or `edge="1"`).
fn cells<'a>(xml: &'a str, marker: &str) -> Vec<&'a str> {
    xml.split("<mxCell ").skip(1).map(|cell| &cell[..cell.find('>').expect("the tag closes")]).filter(|c| c.contains(marker)).collect()
}

/// The value of attribute `name` in the inside of a tag (with or without the tag name).
fn attribute<'a>(cell: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let at = cell
        .match_indices(key.as_str())
        .map(|(i, _)| i)
        .find(|&i| i == 0 || cell.as_bytes()[i - 1] == b' ')
        .unwrap_or_else(|| panic!("no {name} in {cell}"));
    let start = at + key.len();
    &cell[start..start + cell[start..].find('"').expect("the value closes")]
}

#[test]
fn drawio_has_a_vertex_per_node_in_tier_rows_and_an_edge_cell_per_edge() {
    let topology = sample();
    let xml = render(&topology, DiagramFormat::Drawio, None).unwrap();
    assert_well_formed(&xml);
    assert!(xml.starts_with("<mxfile host=\"hhsync\">\n  <diagram name=\"fabric\" id=\"fabric\">\n    <mxGraphModel"));
    assert!(xml.contains("<root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n"));
    let vertices = cells(&xml, "vertex=\"1\"");
    let edges = cells(&xml, "edge=\"1\"");
    assert_eq!((vertices.len(), edges.len()), (topology.nodes.len(), topology.edges.len()));
    let ids: Vec<&str> = vertices.iter().map(|v| attribute(v, "id")).collect();
    for edge in &edges {
        assert!(ids.contains(&attribute(edge, "source")) && ids.contains(&attribute(edge, "target")), "{edge}");
        assert_eq!(attribute(edge, "parent"), "1");
    }
    // Rows by tier: spines, then leaves, then servers, each node at its own place.
    let y_of = |id: &str| {
        let index: usize = id[1..].parse().expect("n<index>");
        let geometry = xml.split(&format!("<mxCell id=\"{id}\" ")).nth(1).expect("the cell");
        let geometry = &geometry[geometry.find("<mxGeometry").expect("its geometry")..];
        (index, attribute(geometry, "x").to_owned(), attribute(geometry, "y").parse::<u32>().expect("a number"))
    };
    let places: Vec<(usize, String, u32)> = ids.iter().map(|id| y_of(id)).collect();
    for (index, _, y) in &places {
        let tier = u32::from(topology.nodes[*index].tier);
        assert_eq!(*y, 40 + tier * 170, "node {index}");
    }
    let mut distinct: Vec<(String, u32)> = places.iter().map(|(_, x, y)| (x.clone(), *y)).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), places.len(), "two nodes in one place");
    assert!(xml.contains("value=\"fabric ×2\""));
    assert!(xml.contains("value=\"spine-01&#10;spine\""));
}

#[test]
fn drawio_escapes_names() {
    let xml = render(&odd_names(), DiagramFormat::Drawio, None).unwrap();
    assert_well_formed(&xml);
    assert!(xml.contains("value=\"odd &quot;name&quot; \\ &lt;&amp;&gt; &apos;.x&#10;spine\""), "{xml}");
    assert!(xml.contains("value=\"line break&#10;server\""), "{xml}");
    assert_eq!(cells(&xml, "edge=\"1\"").len(), 1);
}
