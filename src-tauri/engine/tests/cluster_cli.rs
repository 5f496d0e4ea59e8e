mod common;
#[path = "common/keyring.rs"]
mod keyring_check;
#[path = "common/fake_kube.rs"]
mod fake_kube;

// `hhsync cluster` and `hhsync drift` through the real binary against a stand-in API server
// (tests/common/fake_kube.rs) over HTTPS: the JSON contract, exit 0 in sync / 3 drift / 1
// unreadable, per-field drift, defaults the server fills in that are no drift, agents and
// cabling, a forbidden kind, the server down with the last snapshot kept, and the kubeconfig's
// contexts and credentials. The stand-in's objects are checked against the shipped CRDs, and its
// wire format with a real kubectl.

use std::path::PathBuf;
use std::process::Command;

use fake_kube::{FakeKube, TOKEN};
use common::{sample, Env};
use hhsync_engine::yaml::{parse_document, split_documents, Limits};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const DIR: &str = "fabrics/lab";
const FABRIC: &str = "lab";

const VPCS: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-2
spec:
  subnets:
    default:
      subnet: 10.0.2.0/24
      vlan: 1002
";

/// Every document of the fabric as Git has it: the virtual-lab wiring and two VPCs.
fn documents() -> Vec<Value> {
    let text = format!("{}\n---\n{VPCS}", sample("raw__prepop.yaml"));
    split_documents(text.as_bytes())
        .filter_map(|d| parse_document(d.bytes, d.start_line, &Limits::default()).ok())
        .map(|p| p.value)
        .filter(|v| v.get("kind").is_some())
        .map(|mut v| {
            // Documents of the sample without an apiVersion are Connections of the wiring group.
            if v.get("apiVersion").is_none() {
                v["apiVersion"] = json!("wiring.githedgehog.com/v1beta1");
            }
            v
        })
        .collect()
}

fn ago(seconds: i64) -> String {
    (OffsetDateTime::now_utc() - time::Duration::seconds(seconds)).format(&Rfc3339).unwrap()
}

fn agent(name: &str, heartbeat_age_s: i64, interfaces: Value) -> Value {
    json!({
        "apiVersion": "agent.githedgehog.com/v1beta1", "kind": "Agent", "metadata": { "name": name },
        "spec": {},
        "status": { "lastHeartbeat": ago(heartbeat_age_s), "lastAppliedGen": 1, "lastAppliedTime": ago(60),
                    "conditions": [], "state": { "interfaces": interfaces } }
    })
}

/// A fabric ingested from the virtual lab plus two VPCs, and a cluster that runs exactly that,
/// every switch with a live agent that applied its generation.
fn in_sync() -> (Env, FakeKube, PathBuf) {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml")), (&format!("{DIR}/raw/vpcs.yaml"), VPCS)]);
    env.setup_fabric(&remote, "r", FABRIC, DIR);
    let out = env.hhsync(&["ingest", FABRIC]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "ingest: {}", String::from_utf8_lossy(&out.stderr));
    let kube = FakeKube::start();
    for doc in documents() {
        let switch = (doc["kind"] == "Switch").then(|| doc["metadata"]["name"].as_str().unwrap().to_owned());
        kube.put(doc);
        if let Some(name) = switch {
            kube.put(agent(&name, 20, json!({})));
        }
    }
    let kubeconfig = env.path("kubeconfig");
    kube.write_kubeconfig(&kubeconfig, TOKEN);
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", kubeconfig.to_str().unwrap(), "--context", "with-token"]);
    (env, kube, kubeconfig)
}

fn state_of<'a>(report: &'a Value, kind: &str, name: &str) -> &'a Value {
    report["resources"].as_array().unwrap().iter().find(|r| r["kind"] == kind && r["name"] == name).unwrap_or_else(|| panic!("{kind}/{name} not in {report:#}"))
}

fn not_in_sync(report: &Value) -> Vec<String> {
    report["resources"].as_array().unwrap().iter().filter(|r| r["state"] != "in-sync").map(|r| format!("{}/{}: {}", r["kind"], r["name"], r)).collect()
}

#[test]
fn a_fabric_in_full_sync_with_server_defaults_reports_no_drift_and_exits_0() {
    let (env, kube, _) = in_sync();
    let report = env.json(0, &["drift", FABRIC]);
    assert_eq!(report["cluster"], "reachable");
    assert!(report["snapshot_at"].as_str().is_some_and(|t| OffsetDateTime::parse(t, &Rfc3339).is_ok()), "{report:#}");
    assert_eq!(not_in_sync(&report), Vec::<String>::new());
    assert_eq!(report["resources"].as_array().unwrap().len(), documents().len());
    // The VPC came back with namespaces, a gateway, labels and `dhcp: {}` filled in.
    let stored = kube.state.lock().unwrap().objects[&("VPC".to_owned(), "vpc-1".to_owned())].clone();
    assert_eq!(stored["spec"]["subnets"]["default"]["gateway"], "10.0.1.1");
    assert_eq!(stored["spec"]["ipv4Namespace"], "default");
    let switches = report["switches"].as_array().unwrap();
    assert_eq!(switches.len(), 7, "{report:#}");
    assert!(switches.iter().all(|s| s["agent"] == "alive" && s["applied"] == true && s["heartbeat_age_s"].as_i64().is_some_and(|a| (15..120).contains(&a))), "{switches:#?}");
    // One snapshot: every list after the first is read at the first one's resourceVersion.
    let requests = kube.state.lock().unwrap().requests.clone();
    let lists: Vec<&String> = requests.iter().filter(|r| r.contains("/namespaces/default/")).collect();
    assert_eq!(lists.len(), 15, "{requests:#?}");
    assert!(lists[1..].iter().all(|r| r.contains("resourceVersion=") && r.contains("resourceVersionMatch=Exact")), "{lists:#?}");
}

#[test]
fn one_field_one_only_in_git_and_one_only_on_the_cluster_are_drift_and_exit_3() {
    let (env, kube, _) = in_sync();
    let mut vpc2 = documents().into_iter().find(|d| d["metadata"]["name"] == "vpc-2").unwrap();
    vpc2["spec"]["subnets"]["default"]["vlan"] = json!(1099);
    kube.put(vpc2);
    kube.remove("VPC", "vpc-1");
    kube.put(json!({ "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": { "name": "vpc-9" },
                     "spec": { "subnets": { "default": { "subnet": "10.0.9.0/24", "vlan": 1009 } } } }));
    let report = env.json(3, &["drift", FABRIC, "--kind", "VPC"]);
    assert_eq!(state_of(&report, "VPC", "vpc-2")["state"], "differs");
    assert_eq!(state_of(&report, "VPC", "vpc-2")["fields"], json!(["spec.subnets.default.vlan"]));
    assert_eq!(state_of(&report, "VPC", "vpc-1")["state"], "not-applied");
    assert_eq!(state_of(&report, "VPC", "vpc-9")["state"], "only-on-cluster");
    assert_eq!(report["resources"].as_array().unwrap().len(), 3, "--kind VPC lists VPCs only");
    assert_eq!(report["switches"], json!([]), "switches come with --kind Switch or no --kind");

    // A draft is what the user means to apply: drafting vlan 1099 brings vpc-2 in sync.
    let text = env.run(0, &["show", FABRIC, "VPC/vpc-2"]);
    let drafted = env.path("vpc-2.yaml");
    std::fs::write(&drafted, text.replace("vlan: 1002", "vlan: 1099")).unwrap();
    let out = env.hhsync(&["edit", FABRIC, "VPC/vpc-2", "--file", drafted.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&out.stderr));
    let report = env.json(3, &["drift", FABRIC, "--kind", "VPC", "--offline"]);
    assert_eq!(state_of(&report, "VPC", "vpc-2")["state"], "in-sync", "{report:#}");
    assert_eq!(state_of(&report, "VPC", "vpc-2")["against_draft"], true);
}

#[test]
fn a_stale_agent_and_a_wrong_lldp_neighbor_are_reported_per_switch() {
    let (env, kube, _) = in_sync();
    // leaf-01: E1/5 goes to server-01/enp2s1 as cabled; E1/3 should reach leaf-02/E1/3 but sees leaf-03.
    kube.put(agent("leaf-01", 30, json!({
        "E1/5": { "operStatus": "up", "lldpNeighbors": [{ "systemName": "server-01", "portID": "enp2s1" }] },
        "E1/3": { "operStatus": "up", "lldpNeighbors": [{ "systemName": "leaf-03", "portID": "E1/3" }] },
        "E1/4": { "operStatus": "down" }
    })));
    kube.put(agent("leaf-02", 600, json!({})));
    let report = env.json(3, &["drift", FABRIC]);
    let switch = |name: &str| report["switches"].as_array().unwrap().iter().find(|s| s["name"] == name).cloned().unwrap();
    let link = |port: &str| switch("leaf-01")["links"].as_array().unwrap().iter().find(|l| l["port"] == port).cloned().unwrap_or_else(|| panic!("{port}: {report:#}"));
    assert_eq!(link("E1/5"), json!({ "connection": "server-01--mclag--leaf-01--leaf-02", "port": "E1/5", "oper": "up", "lldp": "ok", "expected": "server-01/enp2s1", "seen": "server-01/enp2s1" }));
    assert_eq!(link("E1/3")["lldp"], "wrong");
    assert_eq!(link("E1/3")["expected"], "leaf-02/E1/3");
    assert_eq!(link("E1/3")["seen"], "leaf-03/E1/3");
    assert_eq!(link("E1/4")["oper"], "down");
    assert_eq!(link("E1/4")["lldp"], "none");
    assert_eq!(switch("leaf-01")["agent"], "alive");
    assert_eq!(switch("leaf-02")["agent"], "stale");
    assert!(switch("leaf-02")["heartbeat_age_s"].as_i64().unwrap() >= 600);
    assert_eq!(not_in_sync(&report), Vec::<String>::new(), "the resources themselves are in sync");
}

#[test]
fn an_agent_behind_its_generation_has_not_applied() {
    let (env, kube, _) = in_sync();
    let with_applied = |applied: i64| {
        let mut a = agent("leaf-03", 20, json!({}));
        a["status"]["lastAppliedGen"] = json!(applied);
        a
    };
    // The controller changed leaf-03's Agent (generation 2); the agent still runs generation 1.
    kube.put(with_applied(1));
    let report = env.json(3, &["drift", FABRIC, "--kind", "Switch"]);
    let leaf = report["switches"].as_array().unwrap().iter().find(|s| s["name"] == "leaf-03").unwrap().clone();
    assert_eq!((leaf["agent"].as_str(), leaf["applied"].as_bool()), (Some("alive"), Some(false)), "{leaf:#}");
    kube.put(with_applied(3));
    let report = env.json(0, &["drift", FABRIC, "--kind", "Switch"]);
    assert!(report["switches"].as_array().unwrap().iter().all(|s| s["applied"] == true), "{report:#}");
}

/// A server that refuses lists at another list's resource version still gets read, kind by kind.
#[test]
fn a_server_without_exact_versions_is_read_kind_by_kind() {
    let (env, kube, _) = in_sync();
    kube.state.lock().unwrap().refuse_exact = true;
    let report = env.json(0, &["drift", FABRIC]);
    assert_eq!(report["cluster"], "reachable");
    assert_eq!(not_in_sync(&report), Vec::<String>::new());
}

#[test]
fn forbidden_on_one_kind_makes_only_that_kind_unknown_with_the_reason() {
    let (env, kube, _) = in_sync();
    kube.forbid("VPC");
    let report = env.json(3, &["drift", FABRIC]);
    assert_eq!(report["cluster"], "reachable");
    let vpc = state_of(&report, "VPC", "vpc-1");
    assert_eq!(vpc["state"], "unknown");
    assert!(vpc["reason"].as_str().unwrap().contains("forbidden"), "{vpc:#}");
    assert_eq!(state_of(&report, "Switch", "leaf-01")["state"], "in-sync");
}

#[test]
fn kinds_the_cluster_does_not_serve_are_unknown_with_the_reason_and_missing_agents_are_reported() {
    let (env, kube, _) = in_sync();
    kube.unserve("ExternalPeering");
    kube.unserve("VPC");
    kube.unserve("Agent");
    kube.put(json!({ "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "ExternalPeering", "metadata": { "name": "ep-1" }, "spec": {} }));
    let report = env.json(3, &["drift", FABRIC]);
    assert_eq!(report["cluster"], "reachable");
    // Not in Git and not served: not listed at all; the served kinds are as before.
    assert!(report["resources"].as_array().unwrap().iter().all(|r| r["kind"] != "ExternalPeering"), "{report:#}");
    // In Git but its kind not served: unknown, with the server's reason.
    let vpc = state_of(&report, "VPC", "vpc-1");
    assert_eq!(vpc["state"], "unknown");
    assert!(vpc["reason"].as_str().unwrap().contains("could not find"), "{vpc:#}");
    assert_eq!(state_of(&report, "Switch", "leaf-01")["state"], "in-sync");
    assert!(report["switches"].as_array().unwrap().iter().all(|s| s["agent"] == "missing" && s["heartbeat_age_s"].is_null() && s["applied"] == false));
}

#[test]
fn the_server_down_is_unreachable_exit_1_with_the_last_snapshot_kept() {
    let (env, mut kube, _) = in_sync();
    let first = env.json(0, &["drift", FABRIC]);
    kube.stop();
    let report = env.json(1, &["drift", FABRIC]);
    assert_eq!(report["cluster"], "unreachable");
    assert_eq!(report["snapshot_at"], first["snapshot_at"], "the last snapshot, with its age");
    assert_eq!(report["resources"], first["resources"]);
    let out = env.hhsync(&["drift", FABRIC]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cluster unreachable: showing the snapshot of"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn credentials_contexts_and_a_wrong_token() {
    let (env, kube, kubeconfig) = in_sync();
    let path = kubeconfig.to_str().unwrap();
    // The client certificate works as well as the token.
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", path, "--context", "with-cert"]);
    env.json(0, &["drift", FABRIC]);
    let shown = env.json(0, &["cluster", "show", FABRIC]);
    assert_eq!(shown["cluster"], json!({ "kubeconfig": path, "context": "with-cert", "namespace": null }));
    // Without --context the kubeconfig's current context is used: it points at a closed port.
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", path]);
    assert_eq!(env.json(1, &["drift", FABRIC])["cluster"], "unreachable");
    // A context the kubeconfig lacks is refused when linking, naming the ones it has.
    let err = env.fail(1, &["cluster", "set", FABRIC, "--kubeconfig", path, "--context", "nope"]);
    assert!(err.contains("no context \"nope\"") && err.contains("with-token"), "{err}");
    // A wrong token: unauthorized.
    let wrong = env.path("wrong-kubeconfig");
    kube.write_kubeconfig(&wrong, "not-the-token");
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", wrong.to_str().unwrap(), "--context", "with-token"]);
    assert_eq!(env.json(1, &["drift", FABRIC])["cluster"], "unauthorized");
    // Unset removes the link; drift then says how to link one.
    assert_eq!(env.json(0, &["cluster", "unset", FABRIC])["unset"], true);
    let err = env.fail(1, &["drift", FABRIC]);
    assert!(err.contains("no cluster linked"), "{err}");
}

/// The stand-in's objects are valid against the shipped CRDs (as a real cluster's are), and a
/// real kubectl reads them: discovery, a list, and a wrong token refused.
#[test]
fn the_stand_in_is_checked_against_the_crds_and_a_real_kubectl() {
    let (env, kube, kubeconfig) = in_sync();
    let objects: Vec<Value> = kube.state.lock().unwrap().objects.values().filter(|o| o["kind"] != "Agent").cloned().collect();
    let file = env.path("served.yaml");
    std::fs::write(&file, objects.iter().map(|o| serde_json::to_string(o).unwrap()).collect::<Vec<_>>().join("\n---\n")).unwrap();
    let report = env.json(0, &["validate", "--file", file.to_str().unwrap()]);
    assert_eq!(report["valid"], true, "{report:#}");

    let kubectl = |args: &[&str]| {
        Command::new("kubectl")
            .env("HOME", env.path("home"))
            .args(["--kubeconfig", kubeconfig.to_str().unwrap(), "--context", "with-token"])
            .args(args)
            .output()
            .expect("kubectl is on the machine (Debian: kubernetes-client)")
    };
    let out = kubectl(&["get", "vpcs.vpc.githedgehog.com", "-o", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["metadata"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["vpc-1", "vpc-2"]);
    let out = kubectl(&["api-resources", "--api-group", "wiring.githedgehog.com"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("connections"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = kubectl(&["get", "switches.wiring.githedgehog.com", "--token", "wrong"]);
    assert!(!out.status.success());
    // kubectl's words for a 401.
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("must be logged in") || err.contains("unauthorized"), "{err}");
}

#[test]
fn a_resource_only_on_the_cluster_is_adopted_as_a_draft_and_pushed() {
    let (env, kube, _) = in_sync();
    kube.put(json!({ "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": { "name": "vpc-9", "labels": { "team": "net" } },
                     "spec": { "subnets": { "default": { "subnet": "10.0.9.0/24", "vlan": 1009 } } } }));
    // Only what is on the cluster and not in Git can be adopted.
    let err = env.fail(1, &["adopt", FABRIC, "VPC/vpc-1"]);
    assert!(err.contains("VPC/vpc-1 cannot be adopted") && err.contains("in-sync"), "{err}");
    let adopted = env.json(0, &["adopt", FABRIC, "--all"]);
    let names: Vec<&str> = adopted["adopted"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["vpc-9"]);
    let text = env.run(0, &["show", FABRIC, "VPC/vpc-9"]);
    for gone in ["status", "uid", "resourceVersion", "managedFields", "creationTimestamp", "last-applied", "fabric.githedgehog.com/", "namespace: default"] {
        assert!(!text.contains(gone), "{gone} in the adopted draft:\n{text}");
    }
    assert!(text.contains("team: net") && text.contains("gateway: 10.0.9.1"), "{text}");
    // Against the draft it is in sync already; pushing brings it under Git.
    assert_eq!(state_of(&env.json(0, &["drift", FABRIC, "--kind", "VPC", "--offline"]), "VPC", "vpc-9")["state"], "in-sync");
    let out = env.hhsync(&["push", FABRIC, "-m", "adopt vpc-9"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let remote = env.path("remote.git");
    let file = env.cat(&remote, &format!("{DIR}/managed/vpcs/vpc-9.yaml"));
    assert!(file.contains("name: vpc-9") && !file.contains("status"), "{file}");
    assert_eq!(env.json(0, &["drift", FABRIC])["resources"].as_array().unwrap().iter().filter(|r| r["state"] != "in-sync").count(), 0);
}

/// A bearer token given to hhsync goes to the OS keychain, never to the database, and is used
/// instead of the kubeconfig user's credentials; unset removes it.
#[test]
fn a_token_given_to_hhsync_is_kept_in_the_keychain_and_used() {
    if !keyring_check::available("a_token_given_to_hhsync_is_kept_in_the_keychain_and_used") {
        return;
    }
    let (env, kube, _) = in_sync();
    let wrong = env.path("wrong-kubeconfig");
    kube.write_kubeconfig(&wrong, "not-the-token");
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", wrong.to_str().unwrap(), "--context", "with-token"]);
    assert_eq!(env.json(1, &["drift", FABRIC])["cluster"], "unauthorized");
    env.run_with_input(0, &["cluster", "set", FABRIC, "--kubeconfig", wrong.to_str().unwrap(), "--context", "with-token", "--token-stdin"], TOKEN);
    assert_eq!(env.json(0, &["cluster", "show", FABRIC])["token"], "stored in the keychain");
    assert_eq!(env.json(0, &["drift", FABRIC])["cluster"], "reachable");
    let mut files = Vec::new();
    common::all_files(&env.data_dir(), &mut files);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the token is in {}", file.display());
    }
    assert_eq!(env.json(0, &["cluster", "unset", FABRIC])["unset"], true);
    env.run(0, &["cluster", "set", FABRIC, "--kubeconfig", wrong.to_str().unwrap(), "--context", "with-token"]);
    assert_eq!(env.json(1, &["drift", FABRIC])["cluster"], "unauthorized", "unset removed the token");
}
