mod common;

// Ingestion keeps what the engineer wrote (issue K): the comments of a raw document and the
// order in which they listed ports reach its managed file, end to end through the real
// `hhsync` binary and a real bare remote, and the managed file is read back with `git show`.

use common::Env;
use serde_json::Value;

const DIR: &str = "gitops/fab-1";

/// Two documents as they come out of a lab's wiring file: a list header between them, a
/// comment on the marker line, comments on a spec field, on list items and at line ends, an
/// annotation marked `# not used`, server-side fields, and breakouts in the cabling order.
const WIRING: &str = "\
#
# SwitchGroupList
#
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata:
  name: mclag-1
spec: {}
#
# SwitchList
#
---   # leaf-01, rack 1
kind: Switch
apiVersion: wiring.githedgehog.com/v1beta1
metadata:
  name: leaf-01
  namespace: default
  resourceVersion: \"12345\"
  annotations:
    lab.example.com/uplink: spine-01   # not used
spec:
  role: server-leaf   # MCLAG pair with leaf-02
  description: VS-01 MCLAG 1
  # boot over the management port
  boot:
    mac: 0c:20:12:ff:00:00
  groups:
  - mclag-1   # with leaf-02
  portBreakouts:
    E1/1: 4x25G
    E1/17: 4x10G
    E1/2: 4x25G   # to the tester
    E1/18: 4x10G
  profile: vs
status:
  applied: {gen: 3}
";

const LEAF_01: &str = "\
# leaf-01, rack 1
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
  annotations:
    lab.example.com/uplink: spine-01   # not used
spec:
  role: server-leaf   # MCLAG pair with leaf-02
  description: VS-01 MCLAG 1
  # boot over the management port
  boot:
    mac: 0c:20:12:ff:00:00
  groups:
  - mclag-1   # with leaf-02
  portBreakouts:
    E1/1: 4x25G
    E1/17: 4x10G
    E1/2: 4x25G   # to the tester
    E1/18: 4x10G
  profile: vs
";

/// `hhsync --json ingest fab`, accepting "done" and "done, but some resources are invalid".
fn ingest(env: &Env) -> Value {
    let out = env.hhsync(&["--json", "ingest", "fab"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

fn show(env: &Env, remote: &std::path::Path, path: &str) -> String {
    env.git(remote, &["show", &format!("main:{DIR}/{path}")])
}

#[test]
fn ingested_comments_and_port_order_reach_the_managed_file_and_stay_byte_stable() {
    let env = Env::new();
    let remote = env.remote_with("origin", &[]);
    env.setup_fabric(&remote, "repo", "fab", DIR);
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/raw/wiring.yaml"), WIRING);
    env.commit_push(&work, "lab-ci wiring");

    let report = ingest(&env);
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{report:#}");
    assert!(docs.iter().all(|d| d["outcome"] == "managed"), "{report:#}");
    assert_eq!(show(&env, &remote, "managed/switches/leaf-01.yaml"), LEAF_01);
    assert_eq!(
        show(&env, &remote, "managed/switchgroups/mclag-1.yaml"),
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: mclag-1\nspec: {}\n",
        "the list headers around a document are not part of it"
    );

    // The managed file, dropped back into raw/, is the same resource: no change, same bytes.
    let head = env.head(&remote);
    env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/raw/again.yaml"), LEAF_01);
    env.commit_push(&work, "the managed file as a raw file");
    let again = ingest(&env);
    assert_eq!(again["documents"][0]["reason"], "unchanged", "{again:#}");
    assert_eq!(show(&env, &remote, "managed/switches/leaf-01.yaml"), LEAF_01);
    assert_ne!(env.head(&remote), head, "only the raw file was archived");

    // An edit in raw/ with a new comment replaces the file with the new text, comments and all.
    env.other_clone(&remote, "colleague");
    let edited = LEAF_01.replace("    E1/18: 4x10G\n", "    E1/18: 4x10G\n    E1/9: 4x25G   # added for the new tester\n");
    env.write(&work, &format!("{DIR}/raw/edit.yaml"), &edited);
    env.commit_push(&work, "one more breakout");
    ingest(&env);
    assert_eq!(show(&env, &remote, "managed/switches/leaf-01.yaml"), edited);
}
