//! The app on a 10,000-resource fabric (issue E item 5): the figures a person feels, measured in
//! the page (performance.now() from the action to the frame that shows its result), printed,
//! never asserted: the first paint of the resource table, a filter keystroke, opening a
//! resource, a save, a pull that brings one change, and the app's memory (the shell's and the
//! web process's RSS). The fabric is generated like the engine's benchmark and ingested with the
//! CLI on the app's data directory. `HHSYNC_E2E_SCALE=100000` runs it at 100,000 (not in CI:
//! ingesting that in a debug build takes minutes of CI's budget).

use std::time::Duration;

use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, WAIT};
use serde_json::json;

/// `total` resources, as the engine's benchmark makes them: a switch per 50, servers with one
/// connection each; returns the text and the exact count.
fn fabric(total: usize) -> (String, usize) {
    let switches = total / 50;
    let servers = (total - switches) / 2;
    let mut docs = Vec::with_capacity(total);
    for i in 0..switches {
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-{i:04}\nspec:\n  boot:\n    mac: 0c:20:12:ff:{:02x}:{:02x}\n  description: leaf {i}\n  profile: vs\n  role: server-leaf\n",
            i / 256,
            i % 256
        ));
    }
    for i in 0..servers {
        let (sw, port) = (i % switches, i / switches + 1);
        docs.push(format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{i:05}\nspec:\n  description: server {i}\n"));
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-{i:05}--unbundled--leaf-{sw:04}\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{i:05}/enp2s1\n      switch:\n        port: leaf-{sw:04}/E1/{port}\n"
        ));
    }
    (docs.join("---\n"), switches + 2 * servers)
}

/// Runs `action` (JS) in the page, then waits frame by frame until `done` (a JS expression) is
/// true; returns the milliseconds between the two, as the page measured them.
fn measure(app: &App, action: &str, done: &str) -> f64 {
    let script = format!(
        "const finish = arguments[arguments.length - 1];
         const start = performance.now();
         {action}
         const limit = start + 25000;
         (function wait() {{
           let ok = false;
           try {{ ok = !!({done}); }} catch (e) {{}}
           if (ok) finish(performance.now() - start);
           else if (performance.now() > limit) finish(-1);
           else requestAnimationFrame(wait);
         }})();"
    );
    let ms = app.session.execute_async(&script, vec![]).unwrap().as_f64().unwrap_or(-1.0);
    assert!(ms >= 0.0, "never happened: {done}");
    ms
}

/// Resident memory of every process whose name starts with `name`, in MiB.
fn rss_mib(name: &str) -> f64 {
    let mut kib = 0u64;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else { continue };
        let mut lines = status.lines();
        let Some(comm) = lines.next().and_then(|l| l.strip_prefix("Name:")) else { continue };
        if !comm.trim().starts_with(name) {
            continue;
        }
        if let Some(rss) = status.lines().find_map(|l| l.strip_prefix("VmRSS:")) {
            kib += rss.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0);
        }
    }
    kib as f64 / 1024.0
}

const ROWS: &str = "(document.querySelector('[data-testid=row-count]')?.textContent ?? '')";

#[test]
fn a_fabric_of_ten_thousand_resources_in_the_app_with_figures_printed() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    s.wait_for("[data-testid=fabric-demo]", WAIT).unwrap();

    let size = std::env::var("HHSYNC_E2E_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let (text, total) = fabric(size);
    let work = app.fabric_from_raw("big", &text);
    click(s, "[data-testid=fabric-big]");
    s.wait_for("[data-testid=tab-resources]", WAIT).unwrap();

    let shown = format!("{total} of {total}");
    let table = measure(
        &app,
        "document.querySelector('[data-testid=tab-resources]').click();",
        &format!("{ROWS}.startsWith('{shown}') && document.querySelector('[data-testid^=\"row-Connection-\"]')"),
    );
    app.screenshot("e1-ten-thousand-rows").unwrap();

    // One keystroke in the search box: "server-0001" (a wide match) to "server-00017".
    let typing = |value: &str| {
        format!(
            "const box = document.querySelector('[data-testid=search]');
             Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(box, {});
             box.dispatchEvent(new Event('input', {{ bubbles: true }}));",
            json!(value)
        )
    };
    measure(&app, &typing("server-0001"), &format!("!{ROWS}.startsWith('{shown}')"));
    let before = s.execute(&format!("return {ROWS};"), vec![]).unwrap();
    let keystroke = measure(&app, &typing("server-00017"), &format!("{ROWS} !== {}", before));

    let open = measure(
        &app,
        "document.querySelector('[data-testid=row-Server-server-00017]').click();",
        "(document.querySelector('[data-testid=btn-open-resource]')?.click(), (document.querySelector('[data-testid=editor] .cm-content')?.textContent ?? '').includes('name: server-00017'))",
    );

    // A change to the text, then Save: timed from the click to the status saying so.
    s.execute(
        "const content = document.querySelector('[data-testid=editor] .cm-content'); content.focus();
         document.execCommand('selectAll', false, null);
         document.execCommand('insertText', false, arguments[0]); return true;",
        vec![json!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-00017\nspec:\n  description: server 17 in rack 9\n")],
    )
    .unwrap();
    s.wait_until("the save button enabled", WAIT, || s.find("[data-testid=btn-save]:not([disabled])").is_ok()).unwrap();
    let save = measure(
        &app,
        "document.querySelector('[data-testid=btn-save]').click();",
        "(document.querySelector('[data-testid=editor-status]')?.textContent ?? '').trim() === 'modified'",
    );

    // A colleague changes another server; the pull brings it: timed from the click to the toast.
    let path = work.join("fabric/managed/servers/server-00018.yaml");
    app.git(&work, &["pull", "-q", "origin", "main"]);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("server 18", "server 18 moved")).unwrap();
    app.git(&work, &["-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-qam", "move server-00018"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    click(s, "[data-testid=tab-overview]");
    s.wait_for("[data-testid=btn-pull]", WAIT).unwrap();
    let pull = measure(
        &app,
        "document.querySelector('[data-testid=btn-pull]').click();",
        "[...document.querySelectorAll('[data-testid=toast]')].some((t) => t.textContent.includes('server-00018'))",
    );
    std::thread::sleep(Duration::from_millis(500));
    let (shell, web) = (rss_mib("hhsync-desktop"), rss_mib("WebKitWebProces"));
    println!(
        "the app on {total} resources (debug build, WebKitGTK in Xvfb): table first paint {table:.0} ms, filter keystroke {keystroke:.0} ms, \
         open a resource {open:.0} ms, save {save:.0} ms, pull of one change to its toast {pull:.0} ms; RSS {shell:.0} MiB (shell) + {web:.0} MiB (web view)"
    );
}
