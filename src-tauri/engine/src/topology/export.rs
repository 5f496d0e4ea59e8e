//! The fabric's picture as text other tools draw: Graphviz dot, Mermaid (Markdown renders it in
//! GitHub and GitLab, so a pull request can show the cabling), and draw.io XML (for whoever
//! wants to move boxes by hand and put the result in a document).
//!
//! SVG, the app's own picture, is drawn by the web view's code (`svg.rs`); [`render`] hands it
//! over.
//!
//! All three lay nodes out in the topology's tiers (spines on top, servers below the leaves,
//! externals and gateways at the bottom) and label an edge with its type and number of links.
//! Names come from YAML and may hold anything, so every name is escaped for the format; node
//! ids in Mermaid and draw.io are generated (`n0`, `n1`, ...) rather than derived from names.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::graph::{Edge, Node, NodeKind, NodeState, Topology};
use crate::cluster::DriftReport;
use crate::error::Result;

/// A format of the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// The app's picture: its layout, colours and marks.
    Svg,
    Dot,
    Mermaid,
    Drawio,
}

impl DiagramFormat {
    pub const ALL: [DiagramFormat; 4] = [DiagramFormat::Svg, DiagramFormat::Dot, DiagramFormat::Mermaid, DiagramFormat::Drawio];

    /// The format for a name as the command line takes it (any case): `svg`, `dot` (or `gv`,
    /// `graphviz`), `mermaid` (or `mmd`), `drawio` (or `draw.io`).
    pub fn from_name(name: &str) -> Option<DiagramFormat> {
        match name.to_ascii_lowercase().as_str() {
            "svg" => Some(DiagramFormat::Svg),
            "dot" | "gv" | "graphviz" => Some(DiagramFormat::Dot),
            "mermaid" | "mmd" => Some(DiagramFormat::Mermaid),
            "drawio" | "draw.io" => Some(DiagramFormat::Drawio),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DiagramFormat::Svg => "svg",
            DiagramFormat::Dot => "dot",
            DiagramFormat::Mermaid => "mermaid",
            DiagramFormat::Drawio => "drawio",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            DiagramFormat::Svg => "svg",
            DiagramFormat::Dot => "dot",
            DiagramFormat::Mermaid => "mmd",
            DiagramFormat::Drawio => "drawio",
        }
    }
}

/// The topology as text in `format`; the SVG is marked with what `report` (the cluster's last
/// snapshot) says, as in the app; the other formats draw from Git and drafts only.
pub fn render(topology: &Topology, format: DiagramFormat, report: Option<&DriftReport>) -> Result<String> {
    Ok(match format {
        DiagramFormat::Svg => return svg(topology, report),
        DiagramFormat::Dot => dot(topology),
        DiagramFormat::Mermaid => mermaid(topology),
        DiagramFormat::Drawio => drawio(topology),
    })
}

#[cfg(feature = "svg")]
fn svg(topology: &Topology, report: Option<&DriftReport>) -> Result<String> {
    super::svg::render_svg(topology, report)
}

#[cfg(not(feature = "svg"))]
fn svg(_: &Topology, _: Option<&DriftReport>) -> Result<String> {
    Err(crate::Error::Internal { message: "this build of hhsync draws no SVG (the engine's `svg` feature is off)".to_owned() })
}

/// The nodes of each tier, tiers in order, nodes in the topology's order.
fn tiers(topology: &Topology) -> BTreeMap<u8, Vec<&Node>> {
    let mut tiers: BTreeMap<u8, Vec<&Node>> = BTreeMap::new();
    for node in &topology.nodes {
        tiers.entry(node.tier).or_default().push(node);
    }
    tiers
}

fn tier_title(tier: u8) -> String {
    match tier {
        0 => "Spines".to_owned(),
        1 => "Leaves".to_owned(),
        2 => "Servers".to_owned(),
        3 => "Externals and gateways".to_owned(),
        other => format!("Tier {other}"),
    }
}

fn state_name(state: &NodeState) -> &'static str {
    match state {
        NodeState::Synced => "synced",
        NodeState::Draft => "draft",
        NodeState::Deleted => "deleted",
        NodeState::Invalid { .. } => "invalid",
        NodeState::Conflict => "conflict",
    }
}

/// Fill and stroke colours by state: the same palette in every format.
fn state_colors(state: &NodeState) -> (&'static str, &'static str) {
    match state {
        NodeState::Synced => ("#dae8fc", "#6c8ebf"),
        NodeState::Draft => ("#fff2cc", "#d6b656"),
        NodeState::Deleted => ("#f5f5f5", "#999999"),
        NodeState::Invalid { .. } => ("#f8cecc", "#b85450"),
        NodeState::Conflict => ("#ffe6cc", "#d79b00"),
    }
}

/// Whether a node is drawn dashed: it is going away, or it is not there at all.
fn dashed(node: &Node) -> bool {
    node.missing || node.state == NodeState::Deleted
}

/// The second line of a node's label: the role of a switch, what a node without one is.
fn subtitle(node: &Node) -> String {
    let what = match (&node.role, node.kind) {
        (Some(role), _) => role.clone(),
        (None, NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch) => "switch".to_owned(),
        (None, NodeKind::Server) => "server".to_owned(),
        (None, NodeKind::External) => "external".to_owned(),
        (None, NodeKind::Gateway) => "gateway".to_owned(),
    };
    if node.missing {
        format!("{what} (missing)")
    } else {
        what
    }
}

fn edge_label(edge: &Edge) -> String {
    format!("{} ×{}", edge.connection_type, edge.count)
}

/// One line per link, `source port -- target port`.
fn port_lines(edge: &Edge) -> Vec<String> {
    edge.ports
        .iter()
        .map(|(source, target)| if target.is_empty() { source.clone() } else { format!("{source} -- {target}") })
        .collect()
}

/// Names with line breaks or other control characters would break a line-based format; they
/// are shown as spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

// ---- Graphviz dot ----------------------------------------------------------------------------

/// The inside of a dot double-quoted string: backslashes and quotes escaped, so that no name
/// can end the string or start an escape sequence (`\N`, `\G`) Graphviz would expand.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn dot_quote(text: &str) -> String {
    format!("\"{}\"", dot_escape(text))
}

fn dot_shape(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch => "box",
        NodeKind::Server => "ellipse",
        NodeKind::External => "hexagon",
        NodeKind::Gateway => "octagon",
    }
}

fn dot(topology: &Topology) -> String {
    let mut out = String::new();
    out.push_str("graph fabric {\n");
    out.push_str("  rankdir=TB;\n");
    out.push_str("  node [style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (tier, nodes) in tiers(topology) {
        let _ = writeln!(out, "  // {}", tier_title(tier));
        out.push_str("  {\n    rank=same;\n");
        for node in nodes {
            let (fill, stroke) = state_colors(&node.state);
            let style = if dashed(node) { "rounded,filled,dashed" } else { "rounded,filled" };
            let _ = writeln!(
                out,
                "    {} [label=\"{}\\n{}\", shape={}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\", tooltip={}];",
                dot_quote(&node.id),
                dot_escape(&node.name),
                dot_escape(&subtitle(node)),
                dot_shape(node.kind),
                dot_quote(&format!("{} ({})", node.id, state_name(&node.state))),
            );
        }
        out.push_str("  }\n");
    }
    for edge in &topology.edges {
        let tooltip: Vec<String> = port_lines(edge).iter().map(|line| dot_escape(line)).collect();
        let _ = writeln!(
            out,
            "  {} -- {} [label={}, tooltip=\"{}\"];",
            dot_quote(&edge.source),
            dot_quote(&edge.target),
            dot_quote(&edge_label(edge)),
            // `\n` is a line break in a dot string.
            tooltip.join("\\n"),
        );
    }
    out.push_str("}\n");
    out
}

// ---- Mermaid ---------------------------------------------------------------------------------

/// The inside of a Mermaid quoted label. Mermaid has no backslash escapes; it takes `#name;`
/// and `#number;` entity codes, so the characters that end a label or start markup or an
/// entity are written as codes.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(topology: &Topology) -> String {
    let ids = short_ids(topology);
    let mut out = String::from("flowchart TB\n");
    for (tier, nodes) in tiers(topology) {
        let _ = writeln!(out, "  subgraph tier{tier} [\"{}\"]", mermaid_escape(&tier_title(tier)));
        for node in nodes {
            let open_close = match node.kind {
                NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch => ("[", "]"),
                NodeKind::Server => ("(", ")"),
                NodeKind::External => ("{{", "}}"),
                NodeKind::Gateway => ("[/", "/]"),
            };
            let _ = writeln!(
                out,
                "    {}{}\"{}<br/>{}\"{}",
                ids[node.id.as_str()],
                open_close.0,
                mermaid_escape(&node.name),
                mermaid_escape(&subtitle(node)),
                open_close.1,
            );
        }
        out.push_str("  end\n");
    }
    for edge in &topology.edges {
        let (Some(source), Some(target)) = (ids.get(edge.source.as_str()), ids.get(edge.target.as_str())) else { continue };
        let _ = writeln!(out, "  {source} ---|\"{}\"| {target}", mermaid_escape(&edge_label(edge)));
    }
    // One class per state, and one for placeholders and deletions, applied after the nodes.
    let mut classes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for node in &topology.nodes {
        classes.entry(state_name(&node.state)).or_default().push(&ids[node.id.as_str()]);
        if dashed(node) {
            classes.entry("dashed").or_default().push(&ids[node.id.as_str()]);
        }
    }
    for (class, members) in &classes {
        let style = match *class {
            "dashed" => "stroke-dasharray: 5 5".to_owned(),
            _ => {
                let state = topology.nodes.iter().find(|n| state_name(&n.state) == *class).map(|n| &n.state);
                let (fill, stroke) = state.map_or(("#ffffff", "#000000"), state_colors);
                format!("fill:{fill},stroke:{stroke}")
            }
        };
        let _ = writeln!(out, "  classDef {class} {style}");
        let _ = writeln!(out, "  class {} {class}", members.join(","));
    }
    out
}

/// `n0`, `n1`, ... for each node id, in the topology's order: safe in Mermaid and draw.io
/// whatever the names are, and stable for one topology.
fn short_ids(topology: &Topology) -> BTreeMap<&str, String> {
    topology.nodes.iter().enumerate().map(|(i, node)| (node.id.as_str(), format!("n{i}"))).collect()
}

// ---- draw.io ---------------------------------------------------------------------------------

const BOX_WIDTH: u32 = 140;
const BOX_HEIGHT: u32 = 50;
const H_GAP: u32 = 40;
const V_GAP: u32 = 120;
const MARGIN: u32 = 40;

/// Text for an XML attribute value: markup characters as entities, line breaks as character
/// references (a raw one would be read back as a space), and the control characters XML 1.0
/// does not allow dropped.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' | '\t' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn drawio_style(node: &Node) -> String {
    let shape = match node.kind {
        NodeKind::Spine | NodeKind::Leaf | NodeKind::OtherSwitch => "rounded=1;",
        NodeKind::Server => "ellipse;",
        NodeKind::External => "shape=hexagon;perimeter=hexagonPerimeter2;",
        NodeKind::Gateway => "rhombus;",
    };
    let (fill, stroke) = state_colors(&node.state);
    let dash = if dashed(node) { "dashed=1;" } else { "" };
    format!("{shape}whiteSpace=wrap;fillColor={fill};strokeColor={stroke};{dash}")
}

fn drawio(topology: &Topology) -> String {
    let ids = short_ids(topology);
    let tiers = tiers(topology);
    let widest = tiers.values().map(Vec::len).max().unwrap_or(0) as u32;
    let step = BOX_WIDTH + H_GAP;
    let mut out = String::new();
    out.push_str("<mxfile host=\"hhsync\">\n  <diagram name=\"fabric\" id=\"fabric\">\n");
    out.push_str("    <mxGraphModel grid=\"1\" gridSize=\"10\" page=\"0\">\n      <root>\n");
    out.push_str("        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n");
    for (tier, nodes) in &tiers {
        // Each tier is a row, centred under the widest one.
        let indent = (widest - nodes.len() as u32) * step / 2;
        let y = MARGIN + u32::from(*tier) * (BOX_HEIGHT + V_GAP);
        for (i, node) in nodes.iter().enumerate() {
            let x = MARGIN + indent + i as u32 * step;
            let label = format!("{}\n{}", one_line(&node.name), subtitle(node));
            let _ = writeln!(
                out,
                "        <mxCell id=\"{}\" value=\"{}\" style=\"{}\" vertex=\"1\" parent=\"1\">\n          \
                 <mxGeometry x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" as=\"geometry\"/>\n        </mxCell>",
                ids[node.id.as_str()],
                xml_escape(&label),
                xml_escape(&drawio_style(node)),
            );
        }
    }
    for (i, edge) in topology.edges.iter().enumerate() {
        let (Some(source), Some(target)) = (ids.get(edge.source.as_str()), ids.get(edge.target.as_str())) else { continue };
        let _ = writeln!(
            out,
            "        <mxCell id=\"e{i}\" value=\"{}\" style=\"endArrow=none;\" edge=\"1\" parent=\"1\" source=\"{source}\" \
             target=\"{target}\">\n          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>",
            xml_escape(&edge_label(edge)),
        );
    }
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
