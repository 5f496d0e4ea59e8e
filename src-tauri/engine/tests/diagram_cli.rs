mod common;

// `hhsync diagram` on the virtual-lab fabric through the real binary: each format holds every
// switch and server, and opens in its tool: the dot output is laid out by Graphviz's `dot`, the
// draw.io output parses as XML (Python's parser), the Mermaid output is a flowchart.

use std::process::Command;

use common::{sample, Env};

const DIR: &str = "fabrics/lab";

fn lab() -> Env {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
    env.setup_fabric(&remote, "r", "lab", DIR);
    let out = env.hhsync(&["ingest", "lab"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "ingest: {}", String::from_utf8_lossy(&out.stderr));
    env
}

const DEVICES: [&str; 9] = ["spine-01", "spine-02", "leaf-01", "leaf-05", "server-01", "server-10", "leaf-03", "leaf-04", "server-05"];

#[test]
fn dot_output_is_laid_out_by_graphviz() {
    let env = lab();
    let path = env.path("fabric.dot");
    let summary = env.json(0, &["diagram", "lab", "--format", "dot", "--out", path.to_str().unwrap()]);
    assert_eq!((summary["nodes"].as_u64(), summary["problems"].as_u64()), (Some(17), Some(0)), "{summary:#}");
    let out = Command::new("dot").args(["-Tsvg", path.to_str().unwrap()]).output().expect("Graphviz's dot (Debian: graphviz)");
    assert!(out.status.success(), "dot refused the diagram: {}", String::from_utf8_lossy(&out.stderr));
    // Graphviz writes `-` in SVG text as `&#45;`.
    let svg = String::from_utf8_lossy(&out.stdout).replace("&#45;", "-");
    assert!(svg.contains("<svg"), "{svg}");
    for device in DEVICES {
        assert!(svg.contains(device), "{device} is not in the laid-out picture");
    }
}

#[test]
fn drawio_output_parses_as_xml_with_a_cell_per_node_and_edge() {
    let env = lab();
    let path = env.path("fabric.drawio");
    let summary = env.json(0, &["diagram", "lab", "--format", "drawio", "--out", path.to_str().unwrap()]);
    let script = "import sys, xml.etree.ElementTree as E\n\
                  root = E.parse(sys.argv[1]).getroot()\n\
                  cells = root.iter('mxCell')\n\
                  cells = list(cells)\n\
                  print(root.tag, sum(c.get('vertex') == '1' for c in cells), sum(c.get('edge') == '1' for c in cells))";
    let out = Command::new("python3").args(["-c", script, path.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "not XML: {}", String::from_utf8_lossy(&out.stderr));
    let parsed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(parsed, format!("mxfile {} {}", summary["nodes"], summary["edges"]));
    let text = std::fs::read_to_string(&path).unwrap();
    for device in DEVICES {
        assert!(text.contains(device), "{device} is not in the draw.io file");
    }
}

#[test]
fn mermaid_goes_to_stdout_and_unknown_formats_are_refused() {
    let env = lab();
    let text = env.run(0, &["diagram", "lab", "--format", "mermaid"]);
    assert!(text.starts_with("flowchart TB"), "{text}");
    for device in DEVICES {
        assert!(text.contains(device), "{device} is not in the Mermaid chart");
    }
    let err = env.fail(1, &["diagram", "lab", "--format", "png"]);
    assert!(err.contains("formats are svg, dot, mermaid, drawio"), "{err}");
}

/// The app's picture, drawn by the web view's own code run inside the binary: a standalone SVG
/// (Python's XML parser reads it) with a box and a name for every device, and the same bytes
/// on stdout as in the file.
#[test]
fn svg_output_is_the_apps_picture_as_a_standalone_file() {
    let env = lab();
    let path = env.path("fabric.svg");
    let summary = env.json(0, &["diagram", "lab", "--format", "svg", "--out", path.to_str().unwrap()]);
    assert_eq!(summary["format"], "svg", "{summary:#}");
    let script = "import sys, xml.etree.ElementTree as E\n\
                  root = E.parse(sys.argv[1]).getroot()\n\
                  ns = '{http://www.w3.org/2000/svg}'\n\
                  texts = [t.text or '' for t in root.iter(ns + 'text')]\n\
                  print(root.tag == ns + 'svg', float(root.get('width')) > 0, float(root.get('height')) > 0)\n\
                  print('\\n'.join(texts))";
    let out = Command::new("python3").args(["-c", script, path.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "not XML: {}", String::from_utf8_lossy(&out.stderr));
    let parsed = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = parsed.lines();
    assert_eq!(lines.next(), Some("True True True"), "{parsed}");
    let texts: Vec<&str> = lines.collect();
    for device in DEVICES {
        assert!(texts.contains(&device), "{device} has no name in the picture: {texts:?}");
    }
    let file = std::fs::read_to_string(&path).unwrap();
    let stdout = env.run(0, &["diagram", "lab", "--format", "svg"]);
    assert_eq!(stdout, file, "the same fabric gives the same picture");
}
