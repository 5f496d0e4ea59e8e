mod common;

// `hhsync validate --file PATH` and `hhsync validate FABRIC` through the real binary: the JSON
// contract `{"valid", "errors": [{"file", "index", "kind", "name", "path", "message"}],
// "warnings"}`, exit 0 when valid and 3 when not, 1 when the file cannot be read, 2 for usage.

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{samples_dir, Env};
use serde_json::Value;

const DIR: &str = "fabrics/lab";
const FABRIC: &str = "lab";

/// Writes `content` to a loose file in the temp dir and returns its path.
fn loose(env: &Env, name: &str, content: &[u8]) -> PathBuf {
    let path = env.path(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn validate_file(env: &Env, code: i32, path: &Path) -> Value {
    env.json(code, &["validate", "--file", path.to_str().unwrap()])
}

fn errors(report: &Value) -> &Vec<Value> {
    report["errors"].as_array().unwrap_or_else(|| panic!("no errors array: {report:#}"))
}

fn warnings(report: &Value) -> &Vec<Value> {
    report["warnings"].as_array().unwrap_or_else(|| panic!("no warnings array: {report:#}"))
}

fn line_of(text: &str, line: &str) -> u64 {
    text.lines().position(|l| l.trim_end() == line).unwrap_or_else(|| panic!("no line {line:?}")) as u64 + 1
}

fn server(name: &str, description: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\nspec:\n  description: {description}\n")
}

/// Every message has the contract's keys.
fn assert_message_shape(report: &Value) {
    for m in errors(report).iter().chain(warnings(report)) {
        let obj = m.as_object().unwrap();
        for key in ["file", "index", "kind", "name", "path", "message"] {
            assert!(obj.contains_key(key), "{key} missing in {m:#}");
        }
        assert!(m["message"].as_str().is_some_and(|s| !s.is_empty()), "{m:#}");
    }
}

// ---------------------------------------------------------------------------------------------
// Loose files

#[test]
fn validate_file_on_the_prepop_sample_is_valid() {
    let env = Env::new();
    let path = samples_dir().join("gitops-test-1__raw__prepop.yaml");
    let report = validate_file(&env, 0, &path);
    assert_eq!(report["valid"], true, "{report:#}");
    assert!(errors(&report).is_empty(), "{report:#}");
    assert_message_shape(&report);
    // MCLAG is deprecated upstream: a warning with its place, not an error.
    let mclag: Vec<&Value> = warnings(&report).iter().filter(|w| w["message"].as_str().unwrap().contains("MCLAG")).collect();
    assert!(!mclag.is_empty(), "{report:#}");
    for w in mclag {
        assert!(w["line"].is_u64() && w["index"].is_u64() && w["kind"].is_string(), "{w:#}");
    }
    let human = env.run(0, &["validate", "--file", path.to_str().unwrap()]);
    assert!(human.lines().last().unwrap().starts_with("valid"), "{human}");
}

#[test]
fn validate_file_reports_a_bad_vlan_and_a_bad_name_with_file_index_path_and_line() {
    let env = Env::new();
    let text = "\
# two resources with problems, one without
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      gateway: 10.0.1.1
      vlan: 5000
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata:
  name: Bad_Name
spec:
  description: x
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Server
metadata:
  name: fine
spec:
  description: y
";
    let path = loose(&env, "bad.yaml", text.as_bytes());
    let report = validate_file(&env, 3, &path);
    assert_eq!(report["valid"], false);
    assert_message_shape(&report);
    let errs = errors(&report);
    assert_eq!(errs.len(), 2, "{report:#}");
    let file = path.to_str().unwrap();

    let vlan = errs.iter().find(|e| e["kind"] == "VPC").expect("an error about the VPC");
    assert_eq!(vlan["file"], file);
    assert_eq!(vlan["index"], 0);
    assert_eq!(vlan["name"], "vpc-1");
    assert_eq!(vlan["path"], "spec.subnets.default.vlan");
    assert_eq!(vlan["line"], line_of(text, "      vlan: 5000"));
    assert!(vlan["message"].as_str().unwrap().contains("5000"), "{vlan:#}");

    let name = errs.iter().find(|e| e["kind"] == "Server").expect("an error about the server");
    assert_eq!(name["file"], file);
    assert_eq!(name["index"], 1);
    assert_eq!(name["name"], "Bad_Name");
    assert_eq!(name["path"], "metadata.name");
    assert_eq!(name["line"], line_of(text, "  name: Bad_Name"));

    // The same, for people: file:line, the resource, the field.
    let human = env.run(3, &["validate", "--file", file]);
    assert!(human.contains(&format!("{file}:{}", line_of(text, "      vlan: 5000"))) && human.contains("spec.subnets.default.vlan"), "{human}");
    assert!(human.contains("Server/Bad_Name") && human.contains("metadata.name"), "{human}");
    assert!(human.lines().last().unwrap().starts_with("invalid"), "{human}");
}

#[test]
fn validate_file_reports_documents_it_cannot_read_with_their_index_and_line() {
    let env = Env::new();
    let mut content = Vec::new();
    content.extend_from_slice(server("ok", "fine").as_bytes()); // document 0, lines 1-6
    content.extend_from_slice(b"---\napiVersion: v1\nkind: Server\nkind: Switch\n"); // document 1: duplicate key on line 10
    content.extend_from_slice(b"---\na: [1, 2\n"); // document 2: syntax error
    content.extend_from_slice(b"---\ndescription: caf\xe9\n"); // document 3: latin-1, line 14
    content.extend_from_slice(b"---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"); // document 4
    let path = loose(&env, "unreadable.yaml", &content);
    let started = std::time::Instant::now();
    let report = validate_file(&env, 3, &path);
    assert!(started.elapsed().as_secs() < 30, "the alias bomb is not expanded");
    assert_eq!(report["valid"], false);
    assert_message_shape(&report);
    let by_index = |i: u64| {
        errors(&report).iter().find(|e| e["index"] == i).unwrap_or_else(|| panic!("no error for document {i}: {report:#}"))
    };
    assert!(!errors(&report).iter().any(|e| e["index"] == 0), "document 0 is fine: {report:#}");
    let dup = by_index(1);
    assert_eq!(dup["line"], 10, "{dup:#}");
    assert!(dup["message"].as_str().unwrap().contains("kind") && dup["message"].as_str().unwrap().contains("line 9"), "{dup:#}");
    let syntax = by_index(2);
    assert!(syntax["line"].is_u64(), "{syntax:#}");
    let latin1 = by_index(3);
    assert_eq!(latin1["line"], 14, "{latin1:#}");
    assert!(latin1["message"].as_str().unwrap().contains("UTF-8"), "{latin1:#}");
    let bomb = by_index(4);
    assert!(bomb["message"].as_str().unwrap().contains("alias"), "{bomb:#}");
}

#[test]
fn validate_file_treats_a_reference_outside_the_file_as_a_warning() {
    let env = Env::new();
    let text = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: attach\nspec:\n  connection: server-01--unbundled--leaf-01\n  subnet: vpc-1/default\n";
    let path = loose(&env, "attach.yaml", text.as_bytes());
    let report = validate_file(&env, 0, &path);
    assert_eq!(report["valid"], true, "{report:#}");
    assert!(warnings(&report).iter().any(|w| w["path"] == "spec.connection"), "{report:#}");
}

#[test]
fn validate_file_reports_different_documents_with_the_same_name() {
    let env = Env::new();
    let path = loose(&env, "clash.yaml", format!("{}---\n{}", server("s1", "one"), server("s1", "two")).as_bytes());
    let report = validate_file(&env, 3, &path);
    assert_eq!(report["valid"], false, "{report:#}");
    assert!(errors(&report).iter().any(|e| e["name"] == "s1"), "{report:#}");
}

#[test]
fn validate_file_counts_identical_duplicates_as_one_resource() {
    let env = Env::new();
    let reordered = "kind: Server\napiVersion: wiring.githedgehog.com/v1beta1\nspec:\n  description: same\nmetadata:\n  name: s1\n";
    let path = loose(&env, "twice.yaml", format!("{}---\n{reordered}", server("s1", "same")).as_bytes());
    let report = validate_file(&env, 0, &path);
    assert_eq!(report["valid"], true, "ingest would manage these two documents as one Server: {report:#}");
}

#[test]
fn validate_file_that_does_not_exist_fails_with_exit_1() {
    let env = Env::new();
    let missing = env.path("no-such-file.yaml");
    let stderr = env.fail(1, &["validate", "--file", missing.to_str().unwrap()]);
    assert!(stderr.contains("no-such-file.yaml"), "the message says which file: {stderr}");
}

#[test]
fn validate_with_neither_or_both_of_fabric_and_file_is_a_usage_error() {
    let env = Env::new();
    env.fail(2, &["validate"]);
    let path = loose(&env, "x.yaml", server("s1", "x").as_bytes());
    env.fail(2, &["validate", "lab", "--file", path.to_str().unwrap()]);
}

#[test]
fn validate_file_needs_no_data_directory() {
    let env = Env::new();
    let path = loose(&env, "ok.yaml", server("s1", "x").as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_hhsync"))
        .env("HOME", env.path("home"))
        .env("XDG_CONFIG_HOME", env.path("xdg/config"))
        .env("XDG_DATA_HOME", env.path("xdg/data"))
        .env("XDG_CACHE_HOME", env.path("xdg/cache"))
        .env("XDG_STATE_HOME", env.path("xdg/state"))
        .env_remove("HHSYNC_DATA_DIR")
        .args(["--json", "validate", "--file", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true);
    for dir in ["home", "xdg/data", "xdg/config", "xdg/state"] {
        let entries = std::fs::read_dir(env.path(dir)).unwrap().count();
        assert_eq!(entries, 0, "validate --file wrote to {dir}");
    }
}

// ---------------------------------------------------------------------------------------------
// Fabrics

/// A fabric whose raw/ holds a VPC, an attachment to a connection that does not exist, and a
/// connection to a server and a switch that do not exist; ingested (exit 3).
fn fabric_with_dangling_references() -> (Env, PathBuf) {
    let env = Env::new();
    let remote = env.remote_with("origin", &[]);
    env.setup_fabric(&remote, "repo", FABRIC, DIR);
    let work = env.other_clone(&remote, "colleague");
    env.write(
        &work,
        &format!("{DIR}/raw/refs.yaml"),
        "\
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      gateway: 10.0.1.1
      vlan: 1001
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: vpc-1--server-01
spec:
  connection: server-01--unbundled--leaf-01
  subnet: vpc-1/default
",
    );
    env.commit_push(&work, "raw");
    env.json(3, &["ingest", FABRIC]);
    (env, remote)
}

#[test]
fn validate_fabric_after_ingesting_a_dangling_reference_is_invalid() {
    let (env, _remote) = fabric_with_dangling_references();
    let report = env.json(3, &["validate", FABRIC]);
    assert_eq!(report["valid"], false, "{report:#}");
    assert_message_shape(&report);
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{report:#}");
    let e = &errs[0];
    assert_eq!(e["kind"], "VPCAttachment");
    assert_eq!(e["name"], "vpc-1--server-01");
    assert_eq!(e["file"], "managed/vpcattachments/vpc-1--server-01.yaml");
    assert_eq!(e["path"], "spec.connection");
    assert!(e["message"].as_str().unwrap().contains("server-01--unbundled--leaf-01"), "{e:#}");
    let human = env.run(3, &["validate", FABRIC]);
    assert!(human.contains("VPCAttachment/vpc-1--server-01") && human.contains("spec.connection"), "{human}");
}

#[test]
fn validate_fabric_is_valid_once_a_colleague_adds_what_was_missing() {
    let (env, remote) = fabric_with_dangling_references();
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/managed/servers/server-01.yaml"), &server("server-01", "S-01"));
    env.write(
        &work,
        &format!("{DIR}/managed/switches/leaf-01.yaml"),
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n  role: server-leaf\n",
    );
    env.write(
        &work,
        &format!("{DIR}/managed/connections/server-01--unbundled--leaf-01.yaml"),
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-01--unbundled--leaf-01\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-01/enp2s1\n      switch:\n        port: leaf-01/E1/1\n",
    );
    env.commit_push(&work, "the missing connection, its server and switch");
    env.run(0, &["pull", FABRIC]);
    let report = env.json(0, &["validate", FABRIC]);
    assert_eq!(report["valid"], true, "{report:#}");
    assert!(errors(&report).is_empty());
    let invalid = env.json(0, &["resources", FABRIC, "--status", "invalid"]);
    assert_eq!(invalid, Value::Array(vec![]), "{invalid:#}");
}

#[test]
fn validate_unknown_fabric_fails_with_exit_1() {
    let env = Env::new();
    let stderr = env.fail(1, &["validate", "no-such-fabric"]);
    assert!(stderr.contains("no-such-fabric"), "{stderr}");
}
