//! The third state in the app (issue I item 6): the demo fabric is linked to a Kubernetes API
//! stand-in over HTTPS (the engine tests' src-tauri/engine/tests/common/fake_kube.rs) that runs
//! what Git holds, but leaf-01 with another description, and one VPC Git does not have. In the
//! app the person links the fabric through its kubeconfig, reads the cluster, sees the Live
//! column, opens leaf-01's side-by-side view with the differing field, and adopts the VPC, which
//! becomes a draft.

#[path = "../../../src-tauri/engine/tests/common/fake_kube.rs"]
mod fake_kube;

use std::io::Write;
use std::process::{Command, Stdio};

use fake_kube::{FakeKube, TOKEN};
use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, ingest_demo, text, type_into, WAIT};
use serde_json::{json, Value};

/// The demo's managed resources as JSON, read from a clone of its remote (YAML to JSON by
/// Python's yaml module: the test harness has no YAML parser of its own).
fn managed_documents(app: &App) -> Vec<Value> {
    let work = app.tmp.path().join("read-back");
    app.git(app.tmp.path(), &["clone", "-q", app.demo_remote().to_str().unwrap(), work.to_str().unwrap()]);
    let script = "import sys, json, yaml, pathlib\n\
                  docs = [d for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')) for d in yaml.safe_load_all(p.read_text()) if d]\n\
                  print(json.dumps(docs))";
    let mut child = Command::new("python3")
        .args(["-c", script, work.join("gitops/hedgehog/fabric-1/managed").to_str().unwrap()])
        .stdout(Stdio::piped())
        .stdin(Stdio::piped())
        .spawn()
        .expect("python3 with its yaml module (Debian: python3-yaml)");
    child.stdin.take().unwrap().flush().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_fabric_linked_to_its_cluster_shows_what_runs_and_adopts_what_only_runs() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    ingest_demo(s);

    let kube = FakeKube::start();
    let documents = managed_documents(&app);
    assert_eq!(documents.len(), 46);
    for mut doc in documents {
        let name = doc["metadata"]["name"].as_str().unwrap().to_owned();
        if doc["kind"] == "Switch" {
            if name == "leaf-01" {
                doc["spec"]["description"] = json!("changed by hand on the cluster");
            }
            kube.put(json!({
                "apiVersion": "agent.githedgehog.com/v1beta1", "kind": "Agent", "metadata": { "name": name }, "spec": {},
                "status": { "lastHeartbeat": "2000-01-01T00:00:00Z", "lastAppliedGen": 1, "conditions": [] }
            }));
        }
        kube.put(doc);
    }
    kube.put(json!({ "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": { "name": "vpc-9" },
                     "spec": { "subnets": { "default": { "subnet": "10.0.9.0/24", "vlan": 1009 } } } }));
    let kubeconfig = app.tmp.path().join("kubeconfig");
    kube.write_kubeconfig(&kubeconfig, TOKEN);

    // No cluster yet: the app says how to link one, not an error.
    click(s, "[data-testid=tab-overview]");
    s.wait_for("[data-testid=live-not-linked]", WAIT).unwrap();
    app.screenshot("i1-no-cluster-linked").unwrap();
    click(s, "[data-testid=live-not-linked] button");
    type_into(s, "[data-testid=cluster-kubeconfig]", kubeconfig.to_str().unwrap());
    type_into(s, "[data-testid=cluster-context]", "with-token");
    click(s, "[data-testid=cluster-save]");
    s.wait_until("the link saved", WAIT, || text(s, "[data-testid=cluster-linked]").contains("with-token")).unwrap();
    click(s, "[data-testid=cluster-read]");
    app.screenshot("i2-cluster-linked").unwrap();

    // The overview counts what runs; the agents' last heartbeat is long ago: stale.
    click(s, "[data-testid=tab-overview]");
    s.wait_until("the drift counted", WAIT, || text(s, "[data-testid=live-count-differs]").contains('1')).unwrap();
    assert!(text(s, "[data-testid=live-count-only-on-cluster]").contains('1'), "{}", text(s, "[data-testid=live-summary]"));
    assert!(text(s, "[data-testid=live-switches]").contains("leaf-01"), "{}", text(s, "[data-testid=live-switches]"));
    app.screenshot("i3-overview-live-summary").unwrap();

    // The Live column: leaf-01 differs, leaf-02 runs as Git says (the table draws the rows in
    // view: search brings them there).
    click(s, "[data-testid=tab-resources]");
    type_into(s, "[data-testid=search]", "leaf-0");
    s.wait_until("the Live column", WAIT, || {
        s.find("[data-testid=live-Switch-leaf-01]").and_then(|e| s.attribute(&e, "data-state")).ok().flatten().as_deref() == Some("differs")
    })
    .unwrap();
    assert_eq!(s.find("[data-testid=live-Switch-leaf-02]").and_then(|e| s.attribute(&e, "data-state")).ok().flatten().as_deref(), Some("in-sync"));
    app.screenshot("i4-live-column").unwrap();

    // leaf-01 side by side with what runs: the description is the field that differs.
    click(s, "[data-testid=live-Switch-leaf-01]");
    s.wait_until("the drift panel", WAIT, || text(s, "[data-testid=drift-fields]").contains("spec.description")).unwrap();
    s.wait_until("both versions", WAIT, || {
        let diff = text(s, "[data-testid=drift-diff]");
        diff.contains("changed by hand on the cluster") && diff.contains("VS-01 MCLAG 1")
    })
    .unwrap();
    app.screenshot("i5-drift-side-by-side").unwrap();

    // vpc-9 runs but is not in Git: adopt it as a draft.
    if let Ok(close) = s.find("[data-testid=drift-panel] [data-testid=btn-close]") {
        let _ = s.click(&close);
    }
    click(s, "[data-testid=tab-resources]");
    type_into(s, "[data-testid=search]", "vpc-9");
    click(s, "[data-testid=live-VPC-vpc-9]");
    // The button moves when the side-by-side diff below it renders: click once it is there (a
    // click during the layout once landed in the diff instead).
    s.wait_for("[data-testid=drift-panel] .cm-merge-b .cm-content", WAIT).unwrap();
    click(s, "[data-testid=btn-adopt]");
    s.wait_until("vpc-9 a draft", WAIT, || {
        let listed: Value = serde_json::from_str(&app.hhsync(&["--json", "resources", "demo", "--kind", "VPC"], "")).unwrap_or(Value::Null);
        listed.as_array().is_some_and(|a| a.iter().any(|r| r["name"] == "vpc-9" && r["status"] == "new"))
    })
    .unwrap();
    let shown = app.hhsync(&["show", "demo", "VPC/vpc-9"], "");
    assert!(shown.contains("vlan: 1009") && !shown.contains("resourceVersion") && !shown.contains("status:"), "{shown}");
    app.screenshot("i6-adopted-as-draft").unwrap();
}
