//! The fabric's picture (issue J): the demo fabric's topology in tiers; a click on a leaf lands
//! in its editor; a VPC selected lights up the server attached to it and the leaf that carries
//! it. Then a generated fabric of 1,000 switches and servers with 2,000 connections: the time
//! ELK's layout and the first drawing take, and the frame rate while panning, printed (figures,
//! not assertions: tests never assert timings).

use std::time::Duration;

use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, editor_text, ingest_demo, text, type_into, WAIT};

const VPC: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
";

const ATTACHMENT: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: vpc-1--server-03
spec:
  connection: server-03--unbundled--leaf-01
  subnet: vpc-1/default
";

fn attribute(s: &hhsync_e2e::webdriver::Session, css: &str, name: &str) -> Option<String> {
    s.find(css).and_then(|e| s.attribute(&e, name)).ok().flatten()
}

/// Each device's name and place, `(name, x, y)` sorted by name, from `translate(x y)` attributes.
fn places(pairs: impl Iterator<Item = (String, String)>) -> Vec<(String, f64, f64)> {
    let mut out: Vec<(String, f64, f64)> = pairs
        .map(|(name, transform)| {
            let inner = transform.trim_start_matches("translate(").trim_end_matches(')');
            let xy: Vec<f64> = inner.split([' ', ',']).filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
            (name, xy[0], xy[1])
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `hhsync diagram --format svg` places every device where the app drew it: the same layout
/// code (the web view's, bundled into the binary) on the same topology.
fn the_cli_draws_the_same_picture(app: &App) {
    let script = "return [...document.querySelectorAll('[data-testid=topology] g[data-testid^=topo-node-]')]
                  .map((g) => [g.querySelector('text.name').textContent, g.getAttribute('transform')]);";
    let drawn = app.session.execute(script, vec![]).unwrap();
    let in_app = places(drawn.as_array().unwrap().iter().map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned())));
    let svg = app.hhsync(&["diagram", "demo", "--format", "svg"], "");
    let in_file = places(svg.split("<g transform=\"").skip(1).filter_map(|chunk| {
        let transform = chunk.split('"').next()?.to_owned();
        let name = chunk.split("font-weight=\"600\">").nth(1)?.split("</text>").next()?.to_owned();
        Some((name, transform))
    }));
    assert_eq!(in_app.len(), 17, "{in_app:?}");
    assert_eq!(in_file.len(), in_app.len(), "devices in the CLI's SVG: {in_file:?}");
    for (a, f) in in_app.iter().zip(&in_file) {
        assert!(a.0 == f.0 && (a.1 - f.1).abs() < 0.01 && (a.2 - f.2).abs() < 0.01, "the app draws {a:?}, the CLI {f:?}");
    }
}

#[test]
fn the_topology_draws_the_demo_fabric_opens_a_leaf_and_lights_up_a_vpc() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    ingest_demo(s);
    app.hhsync_ending(&["edit", "demo", "VPC/vpc-1"], VPC, &[0, 3]);
    app.hhsync_ending(&["edit", "demo", "VPCAttachment/vpc-1--server-03"], ATTACHMENT, &[0, 3]);

    click(s, "[data-testid=tab-topology]");
    s.wait_until("the picture drawn", WAIT, || attribute(s, "[data-testid=topology]", "data-nodes").as_deref() == Some("17")).unwrap();
    assert_eq!(attribute(s, "[data-testid=topology]", "data-edges").as_deref(), Some("30"));
    app.screenshot("j1-topology-demo").unwrap();
    the_cli_draws_the_same_picture(&app);

    // A click on leaf-01 opens it in the editor.
    // WebKitWebDriver finds no click point on an SVG group: the click lands on its box.
    click(s, "[data-testid=topo-node-Switch-leaf-01] rect.box");
    s.wait_until("leaf-01 in the editor", WAIT, || editor_text(s).contains("name: leaf-01")).unwrap();

    // vpc-1 is attached to server-03, which hangs off leaf-01.
    click(s, "[data-testid=tab-topology]");
    let select = s.wait_for("[data-testid=topology-vpc]", WAIT).unwrap();
    s.select(&select, "vpc-1").unwrap();
    s.wait_until("server-03 lit up", WAIT, || attribute(s, "[data-testid=topo-node-Server-server-03]", "data-highlighted").as_deref() == Some("true"))
        .unwrap();
    assert_eq!(attribute(s, "[data-testid=topo-node-Switch-leaf-01]", "data-highlighted").as_deref(), Some("true"));
    assert_ne!(attribute(s, "[data-testid=topo-node-Server-server-05]", "data-highlighted").as_deref(), Some("true"));
    app.screenshot("j2-topology-vpc-highlight").unwrap();

    // Search finds a node; fit brings the whole picture back.
    type_into(s, "[data-testid=topology-search]", "server-10");
    click(s, "[data-testid=topology-fit]");
    assert!(text(s, "[data-testid=topology]").contains("server-10"));
}

/// 4 spines, 96 leaves and 900 servers; 384 spine-leaf connections, 900 servers on one leaf and
/// 716 of them on a second one: 2,000 connections.
fn large_fabric() -> String {
    let mut docs = Vec::new();
    let switch = |name: &str, role: &str, i: usize| {
        format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: {name}\nspec:\n  boot:\n    mac: 0c:20:12:fe:{:02x}:{:02x}\n  profile: vs\n  role: {role}\n", i / 256, i % 256)
    };
    for s in 0..4 {
        docs.push(switch(&format!("spine-{s:02}"), "spine", s));
    }
    for l in 0..96 {
        docs.push(switch(&format!("leaf-{l:03}"), "server-leaf", 100 + l));
        for s in 0..4 {
            docs.push(format!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: spine-{s:02}--fabric--leaf-{l:03}\nspec:\n  fabric:\n    links:\n    - spine:\n        port: spine-{s:02}/E1/{}\n      leaf:\n        port: leaf-{l:03}/E1/{}\n",
                l + 1,
                s + 49
            ));
        }
    }
    for v in 0..900 {
        docs.push(format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{v:04}\nspec:\n  description: server {v}\n"));
        let links = if v < 716 { 2 } else { 1 };
        for k in 0..links {
            let leaf = (v + k * 48) % 96;
            let port = v / 96 + 1 + k * 12;
            docs.push(format!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-{v:04}--unbundled--leaf-{leaf:03}-{k}\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{v:04}/enp2s{}\n      switch:\n        port: leaf-{leaf:03}/E1/{port}\n",
                k + 1
            ));
        }
    }
    docs.join("---\n")
}

#[test]
fn a_large_fabric_lays_out_and_pans_with_figures_printed() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    s.wait_for("[data-testid=fabric-demo]", WAIT).unwrap();

    // The generated fabric in a bare repository of its own, added and ingested with the CLI on
    // the app's data directory; the window reloads to list it.
    app.fabric_from_raw("large", &large_fabric());
    click(s, "[data-testid=fabric-large]");
    click(s, "[data-testid=tab-topology]");
    s.wait_until("the large picture drawn, its SVG in place", Duration::from_secs(180), || {
        attribute(s, "[data-testid=topology]", "data-interactive-ms").is_some()
    })
    .unwrap();
    let nodes = attribute(s, "[data-testid=topology]", "data-nodes").unwrap_or_default();
    let edges = attribute(s, "[data-testid=topology]", "data-edges").unwrap_or_default();
    assert_eq!(nodes, "1000");
    let layout_ms = attribute(s, "[data-testid=topology]", "data-layout-ms").unwrap_or_default();
    let draw_ms = attribute(s, "[data-testid=topology]", "data-draw-ms").unwrap_or_default();
    let interactive_ms = attribute(s, "[data-testid=topology]", "data-interactive-ms").unwrap_or_default();
    app.screenshot("j3-topology-large").unwrap();

    // The frame rates this display gives a page that draws nothing new and one that changes a
    // pixel a frame (the ceiling of any pan here), then pans with the arrow keys, counting the
    // animation frames the page is given (one per painted frame): fitted (the whole fabric, a strip that sweeps of 8 keys keep in view), then
    // zoomed in to reading size (names and icons drawn, the picture filling the view all along).
    let idle_fps = frame_rate(s, "");
    let pixel_fps = frame_rate(s, "dot.style.background = frames % 2 ? '#000' : '#fff';");
    let fitted = pan_figure(s, 8);
    let zoom_in = "const view = document.querySelector('[data-testid=topology] .canvas');
         view.focus();
         for (let i = 0; i < 11; i++) view.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));";
    s.execute(zoom_in, vec![]).unwrap();
    let k = attribute(s, "[data-testid=topology] .canvas", "data-zoom").unwrap_or_default();
    std::thread::sleep(Duration::from_millis(500));
    app.screenshot("j4-topology-large-zoomed-in").unwrap();
    let zoomed = pan_figure(s, 30);
    println!(
        "topology of {nodes} switches and servers, {edges} edges (2,000 connections): ELK layout {layout_ms} ms, then the picture on screen (as a bitmap) after {draw_ms} ms and its SVG (clicks, hover) after {interactive_ms} ms; panning at {fitted} fitted and at {zoomed} zoomed in to {k}, where the same page runs at {idle_fps} drawing nothing new and at {pixel_fps} changing one pixel a frame (WebKitGTK in Xvfb: no GPU, so painting on the CPU, composited with damage)"
    );
}

/// The frame rate over 120 frames of a page that runs `each_frame` (with `dot`, a pixel of its own,
/// and `frames`, the count so far) before each.
fn frame_rate(s: &hhsync_e2e::webdriver::Session, each_frame: &str) -> String {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const dot = document.createElement('div');
         dot.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px';
         document.body.appendChild(dot);
         let frames = 0; const start = performance.now();
         function step() {{
           {each_frame}
           frames += 1;
           if (frames < 120) requestAnimationFrame(step); else {{ dot.remove(); done(frames * 1000 / (performance.now() - start)); }}
         }}
         requestAnimationFrame(step);"
    );
    let fps = s.execute_async(&script, vec![]).unwrap();
    format!("{:.0} frames/s", fps.as_f64().unwrap_or_default())
}

/// Pans the view with the arrow keys, one key a frame for 120 frames, in sweeps of `sweep` keys
/// right, then left and back (the picture stays where it was seen); returns "F frames/s (L over
/// 20 ms)", counting the animation frames the page is given.
fn pan_figure(s: &hhsync_e2e::webdriver::Session, sweep: u32) -> String {
    let figure = s
        .execute_async(
            "const [sweep, done] = arguments;
             const view = document.querySelector('[data-testid=topology] svg') || document.querySelector('[data-testid=topology] .canvas');
             let frames = 0, long = 0; const start = performance.now(); let last = start;
             function step() {
               const now = performance.now();
               if (now - last > 20) long += 1;
               last = now;
               const key = Math.floor(frames / sweep + 0.5) % 2 === 0 ? 'ArrowRight' : 'ArrowLeft';
               view.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
               frames += 1;
               if (frames < 120) requestAnimationFrame(step); else done([frames * 1000 / (now - start), long]);
             }
             requestAnimationFrame(step);",
            vec![sweep.into()],
        )
        .unwrap();
    let fps = figure[0].as_f64().unwrap_or_default();
    format!("{fps:.0} frames/s ({} over 20 ms)", figure[1])
}
