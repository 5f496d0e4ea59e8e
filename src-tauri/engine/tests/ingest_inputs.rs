mod common;

// Ingestion of bad and tricky input, end to end: raw files pushed by "someone else" to a real
// bare remote, the real `hhsync` binary, and the remote's tree and history checked with git.
// Every test builds its own temp dir; files are generated here, samples come from
// ../shared/hedgehog/samples.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{sample, Env};
use serde_json::Value;

/// The GitOps directory of the fabric under test (nested, so escapes would show).
const DIR: &str = "gitops/fab-1";
const FABRIC: &str = "fab";

const PLURALS: [&str; 14] = [
    "switches",
    "servers",
    "connections",
    "switchgroups",
    "vlannamespaces",
    "switchprofiles",
    "serverprofiles",
    "vpcs",
    "vpcattachments",
    "vpcpeerings",
    "ipv4namespaces",
    "externals",
    "externalattachments",
    "externalpeerings",
];

/// A fabric `fab` at `gitops/fab-1` of a fresh bare remote, initialised, plus a colleague who
/// pushes raw files to it.
struct Fx {
    env: Env,
    remote: PathBuf,
}

impl Fx {
    fn new() -> Self {
        let env = Env::new();
        let remote = env.remote_with("origin", &[]);
        env.setup_fabric(&remote, "repo", FABRIC, DIR);
        Fx { env, remote }
    }

    /// The colleague's clone, up to date.
    fn work(&self) -> PathBuf {
        self.env.other_clone(&self.remote, "colleague")
    }

    /// The colleague writes `files` (paths relative to the GitOps directory) and pushes them.
    fn push(&self, files: &[(&str, &[u8])]) {
        let work = self.work();
        for (path, content) in files {
            self.env.write_bytes(&work, &format!("{DIR}/{path}"), content);
        }
        self.env.commit_push(&work, "files from a colleague");
    }

    /// The colleague drops files into raw/.
    fn raw(&self, files: &[(&str, &str)]) {
        let files: Vec<(String, &[u8])> = files.iter().map(|(p, c)| (format!("raw/{p}"), c.as_bytes())).collect();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
        self.push(&refs);
    }

    fn raw_bytes(&self, name: &str, content: &[u8]) {
        self.push(&[(&format!("raw/{name}"), content)]);
    }

    /// `hhsync --json ingest fab`, expecting exit `code`.
    fn ingest(&self, code: i32) -> Value {
        self.env.json(code, &["ingest", FABRIC])
    }

    fn commits(&self) -> usize {
        self.env.commit_count(&self.remote)
    }

    /// Files of the fabric at main, relative to the GitOps directory, .gitkeep files left out.
    fn files(&self) -> Vec<String> {
        self.env.ls(&self.remote, DIR).into_iter().filter(|p| !p.ends_with(".gitkeep")).collect()
    }

    fn has(&self, path: &str) -> bool {
        self.files().iter().any(|p| p == path)
    }

    fn cat(&self, path: &str) -> String {
        self.env.cat(&self.remote, &format!("{DIR}/{path}"))
    }

    /// Every path in the repository at main.
    fn all_paths(&self) -> Vec<String> {
        self.env.git(&self.remote, &["ls-tree", "-r", "--name-only", "main"]).lines().map(str::to_owned).collect()
    }

    /// `git diff-tree` of the last commit: "STATUS\tpath[\tpath]" lines, renames detected.
    fn last_commit_changes(&self) -> Vec<String> {
        self.env
            .git(&self.remote, &["diff-tree", "-r", "-M", "--name-status", "--no-commit-id", "main~1", "main"])
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn docs(report: &Value) -> &Vec<Value> {
    report["documents"].as_array().unwrap_or_else(|| panic!("no documents array in {report:#}"))
}

/// The report entry of the document `kind/name`.
fn doc<'a>(report: &'a Value, kind: &str, name: &str) -> &'a Value {
    docs(report)
        .iter()
        .find(|d| d["kind"] == kind && d["name"] == name)
        .unwrap_or_else(|| panic!("no document {kind}/{name} in {report:#}"))
}

fn reason(d: &Value) -> &str {
    d["reason"].as_str().unwrap_or_else(|| panic!("no reason in {d:#}"))
}

/// The 1-based line of the first line of `text` that equals `line` (after trimming the end).
fn line_of(text: &str, line: &str) -> usize {
    text.lines().position(|l| l.trim_end() == line).unwrap_or_else(|| panic!("no line {line:?} in:\n{text}")) + 1
}

fn server(name: &str, description: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\nspec:\n  description: {description}\n")
}

fn switch_group(name: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: {name}\nspec: {{}}\n")
}

// ---------------------------------------------------------------------------------------------
// Multi-document files, comment headers, empty documents

#[test]
fn multi_document_file_with_comments_and_empty_documents_accounts_for_every_real_document() {
    let fx = Fx::new();
    let text = format!(
        "# Fabric wiring exported for the lab\n# second header line\n---\n---\n{}#\n# ServerList\n#\n---\n# only a comment\n---\n\n   \n--- # comment on the marker\n---\n{}---\n...\n---\n{}",
        switch_group("mclag-1"),
        server("server-01", "first"),
        server("server-02", "second"),
    );
    fx.raw(&[("wiring.yaml", &text)]);
    let before = fx.commits();

    let report = fx.ingest(0);
    let d = docs(&report);
    assert_eq!(d.len(), 3, "three real documents: {report:#}");
    let indexes: Vec<u64> = d.iter().map(|d| d["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, [0, 1, 2], "empty and comment-only documents are not numbered");
    assert!(d.iter().all(|d| d["outcome"] == "managed" && d["file"] == "raw/wiring.yaml"), "{report:#}");
    // Each document's line is where its content starts.
    let lines: Vec<u64> = d.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    let api_lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("apiVersion:"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(lines, api_lines);

    assert_eq!(fx.commits(), before + 1, "one ingest, one commit");
    let files = fx.files();
    for f in ["managed/switchgroups/mclag-1.yaml", "managed/servers/server-01.yaml", "managed/servers/server-02.yaml", "raw/wiring.yaml.archived"] {
        assert!(files.iter().any(|p| p == f), "{f} missing in {files:?}");
    }
    assert!(!fx.has("raw/wiring.yaml"), "the raw file is archived");
    assert_eq!(fx.cat("raw/wiring.yaml.archived"), text, "the archive is the raw file, byte for byte");
    assert!(fx.cat(".hnp/archive-log.yaml").contains("raw/wiring.yaml"));
    assert!(files.iter().all(|f| !f.starts_with("unmanaged/")), "nothing unmanaged: {files:?}");
}

#[test]
fn raw_file_with_only_comments_and_empty_documents_has_no_documents() {
    let fx = Fx::new();
    fx.raw(&[("notes.yaml", "# nothing here yet\n---\n---\n# still nothing\n...\n")]);
    let report = fx.ingest(0);
    assert!(docs(&report).is_empty(), "{report:#}");
    assert!(!fx.files().iter().any(|f| f.starts_with("managed/") || f.starts_with("unmanaged/")));
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_ingest_like_plain_lf() {
    let fx = Fx::new();
    let text = format!("\u{feff}# exported on Windows\n---\n{}---\n---\n{}", server("server-01", "crlf"), server("server-02", "two"))
        .replace('\n', "\r\n");
    fx.raw(&[("windows.yaml", &text)]);
    let report = fx.ingest(0);
    let d = docs(&report);
    assert_eq!(d.len(), 2, "{report:#}");
    assert!(d.iter().all(|d| d["outcome"] == "managed"), "{report:#}");
    assert_eq!(d[0]["index"], 0);
    assert_eq!(d[1]["index"], 1);
    let file = fx.cat("managed/servers/server-01.yaml");
    assert!(!file.contains('\r') && !file.contains('\u{feff}'), "managed files are rendered with LF: {file:?}");
    assert!(file.contains("description: crlf\n"), "{file}");
}

// ---------------------------------------------------------------------------------------------
// Unmanaged documents

#[test]
fn non_hedgehog_and_unmanaged_hedgehog_kinds_go_to_unmanaged_verbatim_with_their_reason() {
    let fx = Fx::new();
    let configmap = sample("managed__tests__api-test.NON-HEDGEHOG-ConfigMap.yaml");
    let agent = "apiVersion: agent.githedgehog.com/v1beta1\nkind: Agent\nmetadata:\n  name: leaf-01\nspec:\n  role: server-leaf\n";
    fx.raw(&[("configmap.yaml", &configmap), ("agent.yaml", agent)]);
    let before = fx.commits();

    let report = fx.ingest(0);
    assert_eq!(docs(&report).len(), 2, "{report:#}");
    assert_eq!(fx.commits(), before + 1);
    // The ConfigMap body, from its first field on.
    let configmap_body = &configmap[configmap.find("apiVersion:").unwrap()..];
    for (kind, name, body, raw) in
        [("ConfigMap", "api-test-1754460358", configmap_body, "configmap.yaml"), ("Agent", "leaf-01", agent, "agent.yaml")]
    {
        let d = doc(&report, kind, name);
        assert_eq!(d["outcome"], "unmanaged", "{d:#}");
        let why = reason(d);
        assert!(why.contains(kind), "the reason names the kind: {why}");
        let path = d["path"].as_str().expect("an unmanaged document has a path");
        assert!(path.starts_with("unmanaged/") && path.ends_with(".yaml"), "{path}");
        let kept = fx.cat(path);
        assert!(kept.contains(body), "{path} holds the document verbatim:\n{kept}");
        let header: Vec<&str> = kept.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(header.iter().any(|l| l.contains(why)), "the header of {path} gives the reason {why:?}:\n{kept}");
        assert!(fx.has(&format!("raw/{raw}.archived")) && !fx.has(&format!("raw/{raw}")), "{raw} archived: {:?}", fx.files());
    }
    assert!(!fx.files().iter().any(|f| f.starts_with("managed/") && f.ends_with(".yaml")), "nothing managed: {:?}", fx.files());
}

#[test]
fn document_failing_the_schema_is_unmanaged_with_the_field_path_in_the_reason() {
    let fx = Fx::new();
    let invalid = sample("managed__connections__test-connection-manual.INVALID-spec.yaml");
    fx.raw(&[("manual.yaml", &invalid)]);
    let report = fx.ingest(0);
    let d = doc(&report, "Connection", "test-connection-manual");
    assert_eq!(d["outcome"], "unmanaged", "{d:#}");
    let why = reason(d);
    assert!(why.contains("spec.mclagDomain.peer1") && why.contains("spec.mclagDomain.peer2"), "{why}");
    let path = d["path"].as_str().unwrap();
    assert!(path.starts_with("unmanaged/"), "{path}");
    let kept = fx.cat(path);
    assert!(kept.contains("spec.mclagDomain.peer1"), "the header gives the reason:\n{kept}");
    assert!(kept.contains("    peer1:\n      name: leaf-01\n"), "kept verbatim:\n{kept}");
    assert!(!fx.files().iter().any(|f| f.starts_with("managed/connections/") && f.ends_with(".yaml")));
    assert!(fx.has("raw/manual.yaml.archived"));
}

// ---------------------------------------------------------------------------------------------
// References that point nowhere

#[test]
fn dangling_references_are_managed_but_invalid_and_listed_with_their_errors() {
    let fx = Fx::new();
    let text = "\
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
  name: vpc-1--ghost
spec:
  connection: server-99--unbundled--leaf-01
  subnet: vpc-1/default
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-01--unbundled--leaf-99
spec:
  unbundled:
    link:
      server:
        port: server-01/enp2s1
      switch:
        port: leaf-99/E1/1
";
    fx.raw(&[("refs.yaml", text)]);
    let before = fx.commits();
    let report = fx.ingest(3);
    assert_eq!(fx.commits(), before + 1);

    let vpc = doc(&report, "VPC", "vpc-1");
    assert_eq!(vpc["outcome"], "managed");
    assert_ne!(vpc["invalid"], true, "the VPC itself is fine: {vpc:#}");
    for (kind, name, path, missing) in [
        ("VPCAttachment", "vpc-1--ghost", "managed/vpcattachments/vpc-1--ghost.yaml", "server-99--unbundled--leaf-01"),
        ("Connection", "server-01--unbundled--leaf-99", "managed/connections/server-01--unbundled--leaf-99.yaml", "leaf-99"),
    ] {
        let d = doc(&report, kind, name);
        assert_eq!(d["outcome"], "managed", "{d:#}");
        assert_eq!(d["invalid"], true, "{d:#}");
        assert_eq!(d["path"], path);
        assert!(reason(d).contains(missing), "the reason names what is missing: {d:#}");
        assert!(fx.has(path), "{path} is written");
    }
    assert!(fx.has("raw/refs.yaml.archived"), "managed-but-invalid documents do not hold the raw file back");

    let invalid = fx.env.json(0, &["resources", FABRIC, "--status", "invalid"]);
    let rows = invalid.as_array().unwrap();
    let mut names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["server-01--unbundled--leaf-99", "vpc-1--ghost"], "{invalid:#}");
    for r in rows {
        assert_eq!(r["status"], "invalid");
        let errors = r["errors"].as_array().unwrap();
        assert!(!errors.is_empty(), "{r:#}");
    }
    let attachment = rows.iter().find(|r| r["name"] == "vpc-1--ghost").unwrap();
    assert!(
        attachment["errors"].as_array().unwrap().iter().any(|e| e["path"] == "spec.connection"),
        "the error points at spec.connection: {attachment:#}"
    );
    let connection = rows.iter().find(|r| r["name"] == "server-01--unbundled--leaf-99").unwrap();
    assert!(
        connection["errors"].as_array().unwrap().iter().any(|e| e["path"] == "spec.unbundled.link.switch.port"
            && e["message"].as_str().unwrap().contains("leaf-99")),
        "{connection:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Documents that cannot be read: the raw file stays, its good documents are still managed

/// Pushes raw/mixed.yaml = good-a, `bad`, good-b and ingests it expecting exit `code`. Checks
/// that the good documents are managed, that the remote got at most one commit, and returns
/// the report entry of the bad document (index 1).
fn ingest_beside_good_documents(fx: &Fx, bad: &[u8], code: i32) -> (Value, Value) {
    let mut text = Vec::new();
    text.extend_from_slice(b"# good, bad, good\n---\n");
    text.extend_from_slice(server("good-a", "before the bad one").as_bytes());
    text.extend_from_slice(b"---\n");
    text.extend_from_slice(bad);
    if !bad.ends_with(b"\n") {
        text.push(b'\n');
    }
    text.extend_from_slice(b"---\n");
    text.extend_from_slice(server("good-b", "after the bad one").as_bytes());
    fx.raw_bytes("mixed.yaml", &text);
    let before = fx.commits();
    let started = Instant::now();
    let report = fx.ingest(code);
    assert!(started.elapsed() < Duration::from_secs(30), "ingest took {:?}", started.elapsed());
    assert!(fx.commits() <= before + 1, "at most one commit");
    let d = docs(&report);
    assert_eq!(d.len(), 3, "every document is accounted for: {report:#}");
    for name in ["good-a", "good-b"] {
        let good = doc(&report, "Server", name);
        assert_eq!(good["outcome"], "managed", "{good:#}");
        assert!(fx.has(&format!("managed/servers/{name}.yaml")), "{name} written: {:?}", fx.files());
    }
    let bad = d.iter().find(|d| d["index"] == 1).cloned().expect("document 1");
    assert_eq!(bad["file"], "raw/mixed.yaml");
    (report, bad)
}

/// The checks shared by the documents that are errors.
fn assert_error_keeps_raw_file(fx: &Fx, bad: &Value) {
    assert_eq!(bad["outcome"], "error", "{bad:#}");
    assert!(bad["path"].is_null(), "an error goes nowhere: {bad:#}");
    assert!(fx.has("raw/mixed.yaml"), "the raw file stays in raw/: {:?}", fx.files());
    assert!(!fx.files().iter().any(|f| f.starts_with("raw/mixed") && f.ends_with(".archived")), "not archived: {:?}", fx.files());
    let status = fx.env.json(0, &["status", FABRIC]);
    assert_eq!(status["raw_pending"], 1, "{status:#}");
}

#[test]
fn yaml_syntax_error_is_an_error_that_leaves_the_raw_file_in_place() {
    let fx = Fx::new();
    let (_, bad) = ingest_beside_good_documents(&fx, b"apiVersion: v1\nkind: Server\nmetadata: {name: broken\n", 3);
    assert_error_keeps_raw_file(&fx, &bad);
    let why = reason(&bad);
    assert!(why.to_lowercase().contains("syntax") && why.contains("line "), "{why}");
}

#[test]
fn duplicate_keys_are_an_error_naming_the_key_path_and_both_lines() {
    let fx = Fx::new();
    let bad = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: dup\nspec:\n  description: first\n  description: second\n";
    let (_, d) = ingest_beside_good_documents(&fx, bad.as_bytes(), 3);
    assert_error_keeps_raw_file(&fx, &d);
    let why = reason(&d);
    // good-a is lines 3-8 of the file, its `---` is line 9: the bad document starts on line 10.
    let (first, second) = (10 + line_of(bad, "  description: first") - 1, 10 + line_of(bad, "  description: second") - 1);
    assert!(why.contains("spec.description"), "names the key path: {why}");
    assert!(why.contains(&format!("line {first}")) && why.contains(&format!("line {second}")), "names both lines ({first}, {second}): {why}");
    assert!(!fx.has("managed/servers/dup.yaml"), "last-one-wins is not applied");
}

#[test]
fn yaml_alias_bomb_is_an_error_and_fails_fast() {
    let fx = Fx::new();
    let bomb = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: lol
data:
  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
";
    let started = Instant::now();
    let (_, bad) = ingest_beside_good_documents(&fx, bomb.as_bytes(), 3);
    assert!(started.elapsed() < Duration::from_secs(30), "a billion laughs must not be expanded ({:?})", started.elapsed());
    assert_error_keeps_raw_file(&fx, &bad);
    assert!(reason(&bad).contains("alias"), "{bad:#}");
    assert!(!fx.files().iter().any(|f| f.starts_with("unmanaged/")), "the bomb is not copied anywhere: {:?}", fx.files());
}

#[test]
fn non_utf8_bytes_are_an_error_naming_the_line() {
    let fx = Fx::new();
    let bad = b"apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: latin1\nspec:\n  description: caf\xe9 \xff\n";
    let (_, d) = ingest_beside_good_documents(&fx, bad, 3);
    assert_error_keeps_raw_file(&fx, &d);
    let why = reason(&d);
    assert!(why.contains("UTF-8"), "{why}");
    // The bad byte is on line 6 of the document, which starts on line 10 of the file.
    assert!(why.contains("line 15"), "{why}");
}

#[test]
fn document_that_is_not_a_mapping_is_unmanaged_and_does_not_hold_the_file_back() {
    let fx = Fx::new();
    let (report, bad) = ingest_beside_good_documents(&fx, b"- just\n- a list\n", 0);
    assert_eq!(bad["outcome"], "unmanaged", "{bad:#}");
    assert!(reason(&bad).contains("mapping"), "{bad:#}");
    let path = bad["path"].as_str().unwrap();
    assert!(path.starts_with("unmanaged/"), "{path}");
    assert!(fx.cat(path).contains("- just\n- a list\n"));
    assert!(fx.has("raw/mixed.yaml.archived") && !fx.has("raw/mixed.yaml"), "{report:#}");

    // A scalar document is not a mapping either.
    let fx = Fx::new();
    let (_, bad) = ingest_beside_good_documents(&fx, b"just a sentence somebody pasted\n", 0);
    assert_eq!(bad["outcome"], "unmanaged", "{bad:#}");
}

#[test]
fn second_ingest_of_a_file_left_in_raw_makes_no_commit() {
    let fx = Fx::new();
    let (first, _) = ingest_beside_good_documents(&fx, b"a: [1, 2\n", 3);
    let head = fx.env.head(&fx.remote);
    let again = fx.ingest(3);
    assert!(again["commit"].is_null(), "{again:#}");
    assert_eq!(fx.env.head(&fx.remote), head);
    let outcomes = |r: &Value| docs(r).iter().map(|d| (d["index"].clone(), d["outcome"].clone(), d["path"].clone())).collect::<Vec<_>>();
    assert_eq!(outcomes(&first), outcomes(&again));
}

#[test]
fn fixing_a_raw_file_after_an_error_does_not_keep_its_unmanaged_documents_twice() {
    let fx = Fx::new();
    let configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n";
    let broken = format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-01\n  name: server-01\nspec:\n  description: x\n---\n{configmap}"
    );
    fx.raw(&[("mix.yaml", &broken)]);
    let first = fx.ingest(3);
    assert_eq!(doc(&first, "ConfigMap", "cm")["outcome"], "unmanaged");
    // The colleague removes the duplicate key; the documents below move up a line.
    fx.raw(&[("mix.yaml", &format!("{}---\n{configmap}", server("server-01", "x")))]);
    let second = fx.ingest(0);
    assert_eq!(doc(&second, "Server", "server-01")["outcome"], "managed");
    let kept: Vec<String> = fx
        .files()
        .into_iter()
        .filter(|f| f.starts_with("unmanaged/") && fx.cat(f).contains(configmap))
        .collect();
    assert_eq!(kept.len(), 1, "the ConfigMap is kept once, not once per attempt: {kept:?}");
    assert_eq!(doc(&second, "ConfigMap", "cm")["path"], doc(&first, "ConfigMap", "cm")["path"]);
}

// ---------------------------------------------------------------------------------------------
// Large files

#[test]
fn fifty_megabyte_document_is_a_clear_error_and_the_raw_file_stays() {
    let fx = Fx::new();
    let mut text = server("huge", "\"").into_bytes();
    text.pop(); // drop the newline after the opening quote
    text.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
    text.extend_from_slice(b"\"\n");
    fx.raw_bytes("huge.yaml", &text);
    let before = fx.commits();
    let started = Instant::now();
    let report = fx.ingest(3);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    let d = docs(&report);
    assert_eq!(d.len(), 1, "{report:#}");
    assert_eq!(d[0]["outcome"], "error");
    let why = reason(&d[0]);
    assert!(why.contains("limit") || why.contains("MiB") || why.contains("bytes"), "says it is too large: {why}");
    assert_eq!(fx.commits(), before, "nothing to commit");
    assert!(fx.has("raw/huge.yaml"));
    assert!(!fx.has("managed/servers/huge.yaml"));
}

#[test]
fn fifty_megabytes_of_comments_around_one_document_ingest_cleanly() {
    let fx = Fx::new();
    let comment = format!("# {}\n", "c".repeat(97));
    let lines = 50 * 1024 * 1024 / comment.len();
    let mut text = String::with_capacity(52 * 1024 * 1024);
    for _ in 0..lines {
        text.push_str(&comment);
    }
    text.push_str("---\n");
    text.push_str(&server("server-01", "after fifty megabytes"));
    fx.raw(&[("commented.yaml", &text)]);
    let before = fx.commits();
    let started = Instant::now();
    let report = fx.ingest(0);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    let d = docs(&report);
    assert_eq!(d.len(), 1, "{report:#}");
    assert_eq!(d[0]["outcome"], "managed");
    assert_eq!(d[0]["index"], 0);
    assert_eq!(d[0]["line"], lines as u64 + 2);
    assert_eq!(fx.commits(), before + 1);
    assert!(fx.has("managed/servers/server-01.yaml") && fx.has("raw/commented.yaml.archived"));
}

// ---------------------------------------------------------------------------------------------
// Names that try to escape

/// Every path of the repository stays inside the fabric's directory and, there, in the place
/// its role allows.
fn assert_paths_contained(fx: &Fx) {
    for path in fx.all_paths() {
        let inside = path.strip_prefix(&format!("{DIR}/")).unwrap_or_else(|| panic!("{path} is outside {DIR}/"));
        let parts: Vec<&str> = inside.split('/').collect();
        assert!(parts.iter().all(|p| !p.is_empty() && *p != "." && *p != ".."), "{path}");
        let ok = match parts.as_slice() {
            ["README.md"] | [".hnp", _] | ["raw", _] => true,
            ["managed", ".gitkeep"] => true,
            ["managed", plural, file] => PLURALS.contains(plural) && (file.ends_with(".yaml") || *file == ".gitkeep"),
            ["unmanaged", file] => file.ends_with(".yaml") || *file == ".gitkeep",
            _ => false,
        };
        assert!(ok, "{path} is not where a file of the fabric may be");
    }
}

#[test]
fn names_that_try_to_escape_the_directory_are_unmanaged_and_nothing_is_written_outside() {
    let fx = Fx::new();
    let hostile = ["../../etc/passwd", "a/b", "/abs", "..", "../../../../../README.md"];
    let mut text = String::new();
    for name in hostile {
        text.push_str(&format!("---\napiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: '{name}'\nspec:\n  role: spine\n"));
    }
    // Unmanaged kinds name their unmanaged/ file after kind and name: make both hostile.
    text.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../../outside\ndata: {}\n");
    text.push_str("---\napiVersion: v1\nkind: ../../../Kind\nmetadata:\n  name: /root/x\n");
    text.push_str(&format!("---\n{}", server("fine", "the one legitimate document")));
    fx.raw(&[("escape.yaml", &text)]);

    let report = fx.ingest(0);
    assert_eq!(docs(&report).len(), hostile.len() + 3, "{report:#}");
    for name in hostile {
        let d = doc(&report, "Switch", name);
        assert_eq!(d["outcome"], "unmanaged", "{d:#}");
        assert!(reason(d).contains(name) && reason(d).contains("metadata.name"), "the reason mentions the name: {d:#}");
        assert!(d["path"].as_str().unwrap().starts_with("unmanaged/"), "{d:#}");
    }
    for (kind, name) in [("ConfigMap", "../../../outside"), ("../../../Kind", "/root/x")] {
        let d = doc(&report, kind, name);
        assert_eq!(d["outcome"], "unmanaged", "{d:#}");
        let path = d["path"].as_str().unwrap();
        assert!(path.starts_with("unmanaged/") && path.matches('/').count() == 1, "{path}");
    }
    assert_eq!(doc(&report, "Server", "fine")["outcome"], "managed");
    assert_paths_contained(&fx);

    // Nothing was written on the local disk outside the data dir either.
    fn walk(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(&p, found);
            } else if matches!(p.file_name().and_then(|n| n.to_str()), Some("passwd" | "outside" | "abs")) {
                found.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(fx.env.tmp.path(), &mut found);
    assert!(found.is_empty(), "files written from hostile names: {found:?}");
}

#[test]
fn symlink_in_raw_is_not_followed() {
    let fx = Fx::new();
    let work = fx.work();
    let readme = fx.cat("README.md");
    let distinctive = readme.lines().max_by_key(|l| l.len()).unwrap_or_default().to_owned();
    std::os::unix::fs::symlink("../README.md", work.join(format!("{DIR}/raw/link.yaml"))).unwrap();
    fx.env.commit_push(&work, "a symlink in raw/");
    let out = fx.env.hhsync(&["--json", "ingest", FABRIC]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    for d in docs(&report) {
        assert_ne!(d["outcome"], "managed", "{d:#}");
    }
    for f in fx.files().iter().filter(|f| f.starts_with("unmanaged/") || f.starts_with("managed/")) {
        let content = fx.cat(f);
        assert!(distinctive.is_empty() || !content.contains(&distinctive), "{f} holds the link target's content:\n{content}");
    }
    assert_paths_contained(&fx);
}

#[test]
fn longest_valid_name_gives_a_file_name_a_colleague_can_check_out() {
    let fx = Fx::new();
    // A valid DNS-1123 subdomain of 251 characters: four 62-character labels.
    let name = ["a".repeat(62), "b".repeat(62), "c".repeat(62), "d".repeat(62)].join(".");
    assert_eq!(name.len(), 251);
    fx.raw(&[("long.yaml", &server(&name, "long name"))]);
    let report = fx.ingest(0);
    assert_eq!(doc(&report, "Server", &name)["outcome"], "managed");
    for path in fx.all_paths() {
        for part in path.split('/') {
            assert!(part.len() <= 255, "{part:?} is {} bytes, more than a file name may have", part.len());
        }
    }
    // A colleague's clone checks the tree out.
    let env = &fx.env;
    let mut cmd = std::process::Command::new("git");
    let out = cmd
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["clone", "-q", fx.remote.to_str().unwrap(), env.path("checkout").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "clone: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn archiving_a_raw_file_with_a_long_name_keeps_the_name_within_limits() {
    let fx = Fx::new();
    let file = format!("{}.yaml", "r".repeat(245)); // 250 bytes: fine on every file system
    fx.raw(&[(&file, &server("server-01", "x"))]);
    let report = fx.ingest(0);
    assert_eq!(doc(&report, "Server", "server-01")["outcome"], "managed");
    assert!(!fx.has(&format!("raw/{file}")), "archived");
    for path in fx.all_paths() {
        for part in path.split('/') {
            assert!(part.len() <= 255, "{part:?} is {} bytes, more than a file name may have", part.len());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Duplicates in one batch

#[test]
fn identical_duplicates_in_one_batch_are_one_resource() {
    let fx = Fx::new();
    let a = server("server-01", "same");
    let b = "kind: Server\nspec: {description: \"same\"}\nmetadata:\n  annotations:\n    hnp.githedgehog.com/ingested-at: '2025-01-01'\n  name: server-01\n  namespace: default\napiVersion: wiring.githedgehog.com/v1beta1\n";
    fx.raw(&[("one.yaml", &format!("{a}---\n{b}")), ("two.yaml", &a)]);
    let before = fx.commits();
    let report = fx.ingest(0);
    assert_eq!(fx.commits(), before + 1);
    let d = docs(&report);
    assert_eq!(d.len(), 3, "{report:#}");
    for x in d {
        assert_eq!(x["outcome"], "managed", "{x:#}");
        assert_eq!(x["path"], "managed/servers/server-01.yaml", "{x:#}");
    }
    let servers: Vec<String> = fx.files().into_iter().filter(|f| f.starts_with("managed/servers/")).collect();
    assert_eq!(servers, ["managed/servers/server-01.yaml"]);
    assert!(fx.has("raw/one.yaml.archived") && fx.has("raw/two.yaml.archived"), "{:?}", fx.files());
}

#[test]
fn different_documents_with_the_same_kind_and_name_are_errors_and_neither_is_written() {
    let fx = Fx::new();
    let text = format!("{}---\n{}---\n{}", server("server-01", "one"), switch_group("mclag-1"), server("server-01", "two"));
    fx.raw(&[("clash.yaml", &text)]);
    let report = fx.ingest(3);
    let clashing: Vec<&Value> = docs(&report).iter().filter(|d| d["kind"] == "Server").collect();
    assert_eq!(clashing.len(), 2, "{report:#}");
    for d in &clashing {
        assert_eq!(d["outcome"], "error", "{d:#}");
        assert!(d["path"].is_null(), "{d:#}");
        let why = reason(d);
        assert!(why.contains("document 0") && why.contains("document 2"), "the reason points at both documents: {why}");
    }
    assert!(!fx.has("managed/servers/server-01.yaml"), "no guess");
    assert_eq!(doc(&report, "SwitchGroup", "mclag-1")["outcome"], "managed");
    assert!(fx.has("managed/switchgroups/mclag-1.yaml"));
    assert!(fx.has("raw/clash.yaml"), "the raw file stays");
}

#[test]
fn different_documents_with_the_same_name_in_two_raw_files_keep_both_files() {
    let fx = Fx::new();
    fx.raw(&[("a.yaml", &server("server-01", "one")), ("b.yaml", &server("server-01", "two"))]);
    let before = fx.commits();
    let report = fx.ingest(3);
    assert!(docs(&report).iter().all(|d| d["outcome"] == "error"), "{report:#}");
    assert_eq!(fx.commits(), before);
    assert!(fx.has("raw/a.yaml") && fx.has("raw/b.yaml"));
}

// ---------------------------------------------------------------------------------------------
// Updates to resources that exist

#[test]
fn raw_document_for_an_existing_resource_updates_its_file() {
    let fx = Fx::new();
    fx.raw(&[("first.yaml", &server("server-01", "before"))]);
    fx.ingest(0);
    fx.raw(&[("second.yaml", &server("server-01", "after"))]);
    let before = fx.commits();
    let report = fx.ingest(0);
    assert_eq!(fx.commits(), before + 1);
    let d = doc(&report, "Server", "server-01");
    assert_eq!((&d["outcome"], &d["path"]), (&Value::from("managed"), &Value::from("managed/servers/server-01.yaml")));
    assert!(fx.cat("managed/servers/server-01.yaml").contains("description: after\n"));
    let servers: Vec<String> = fx.files().into_iter().filter(|f| f.starts_with("managed/servers/")).collect();
    assert_eq!(servers.len(), 1, "{servers:?}");
}

#[test]
fn raw_document_updates_an_existing_resource_kept_under_another_file_name() {
    let fx = Fx::new();
    // A colleague keeps server-01 in a file of their own naming, then drops an update in raw/;
    // hhsync has pulled neither.
    fx.push(&[("managed/servers/rack-1-server.yaml", server("server-01", "before").as_bytes())]);
    fx.raw(&[("update.yaml", &server("server-01", "after"))]);
    let before = fx.commits();
    let report = fx.ingest(0);
    assert_eq!(fx.commits(), before + 1);
    assert_eq!(doc(&report, "Server", "server-01")["path"], "managed/servers/rack-1-server.yaml");
    assert!(fx.cat("managed/servers/rack-1-server.yaml").contains("description: after\n"));
    assert!(!fx.has("managed/servers/server-01.yaml"), "no second file for the same resource: {:?}", fx.files());
}

#[test]
fn raw_document_identical_to_the_managed_resource_only_archives_the_raw_file() {
    let fx = Fx::new();
    fx.raw(&[("first.yaml", &server("server-01", "same"))]);
    fx.ingest(0);
    let blob = fx.env.git(&fx.remote, &["rev-parse", &format!("main:{DIR}/managed/servers/server-01.yaml")]);
    // Same resource, written differently.
    fx.raw(&[("again.yaml", "# re-exported\nkind: Server\napiVersion: wiring.githedgehog.com/v1beta1\nmetadata: {name: server-01, namespace: default}\nspec: {description: 'same'}\n")]);
    let before = fx.commits();
    let report = fx.ingest(0);
    let d = doc(&report, "Server", "server-01");
    assert_eq!(d["outcome"], "managed");
    assert_eq!(d["path"], "managed/servers/server-01.yaml");
    assert_eq!(fx.env.git(&fx.remote, &["rev-parse", &format!("main:{DIR}/managed/servers/server-01.yaml")]), blob, "the managed file is untouched");
    assert_eq!(fx.commits(), before + 1);
    let mut changes = fx.last_commit_changes();
    changes.sort();
    assert_eq!(changes.len(), 2, "only the archive: {changes:?}");
    assert_eq!(changes[0], format!("M\t{DIR}/.hnp/archive-log.yaml"));
    assert!(changes[1].starts_with('R') && changes[1].ends_with(&format!("\t{DIR}/raw/again.yaml\t{DIR}/raw/again.yaml.archived")), "{changes:?}");
}

#[test]
fn ingest_with_nothing_new_makes_no_commit() {
    let fx = Fx::new();
    fx.raw(&[("first.yaml", &server("server-01", "x"))]);
    fx.ingest(0);
    let head = fx.env.head(&fx.remote);
    let report = fx.ingest(0);
    assert!(report["commit"].is_null(), "{report:#}");
    assert!(docs(&report).is_empty());
    assert_eq!(fx.env.head(&fx.remote), head);
}

// ---------------------------------------------------------------------------------------------
// Byte-stable rendering

/// Until issue K this asserted that both spellings render to identical bytes. Managed files now
/// keep their author's comments, quoting and order below the top level and metadata, so the
/// spellings stay apart in their bytes; what still holds is that they are the same resource,
/// that volatile fields and flow style go, and that rendering is stable.
#[test]
fn same_resources_written_differently_are_the_same_resource_and_render_stably() {
    let env = Env::new();
    let remote = env.remote_with("origin", &[]);
    env.setup_fabric(&remote, "repo", "one", "fabrics/one");
    env.run(0, &["fabric", "add", "two", "--repo", "repo", "--dir", "fabrics/two"]);
    env.run(0, &["init", "two"]);

    let plain = "\
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
  labels:
    rack: r1
    team: net
spec:
  boot:
    mac: 0c:20:12:ff:00:00
  description: 'yes'
  groups:
  - mclag-1
  role: server-leaf
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata:
  name: mclag-1
spec: {}
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
      vlan: 1001
      dhcp:
        enable: true
        range:
          start: 10.0.1.10
          end: 10.0.1.99
";
    let fancy = "\
# Exported from the lab, reordered by hand
spec:   # the spec first
  role: \"server-leaf\"
  groups: [\"mclag-1\"]
  description: \"yes\"
  boot: {mac: \"0c:20:12:ff:00:00\"}
metadata:
  annotations:
    hnp.githedgehog.com/ingested-at: '2025-08-06T09:04:35+00:00'
  namespace: default
  resourceVersion: \"12345\"
  uid: 0f0f0f0f-0000-0000-0000-000000000000
  labels: {team: net, rack: r1, fabric.githedgehog.com/managed: \"true\"}
  name: \"leaf-01\"
kind: Switch
apiVersion: \"wiring.githedgehog.com/v1beta1\"
status:
  applied: {gen: 3}
---
{kind: SwitchGroup, apiVersion: wiring.githedgehog.com/v1beta1, metadata: {name: mclag-1}, spec: {}}
---
kind: VPC
apiVersion: vpc.githedgehog.com/v1beta1
metadata: {name: vpc-1}
spec:
  subnets:
    default: {vlan: 1001, gateway: \"10.0.1.1\", subnet: \"10.0.1.0/24\", dhcp: {range: {end: 10.0.1.99, start: 10.0.1.10}, enable: true}}
";
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fabrics/one/raw/plain.yaml", plain);
    env.write(&work, "fabrics/two/raw/fancy.yaml", fancy);
    env.commit_push(&work, "the same resources, twice");
    let one = env.json(0, &["ingest", "one"]);
    let two = env.json(0, &["ingest", "two"]);
    for r in [&one, &two] {
        assert!(docs(r).iter().all(|d| d["outcome"] == "managed"), "{r:#}");
    }
    for file in ["managed/switches/leaf-01.yaml", "managed/vpcs/vpc-1.yaml"] {
        let a = env.cat(&remote, &format!("fabrics/one/{file}"));
        let b = env.cat(&remote, &format!("fabrics/two/{file}"));
        assert!(plain.contains(&a), "a document already in shape is written byte for byte:\n{a}");
        for text in [&a, &b] {
            assert!(!text.contains("hnp.githedgehog.com") && !text.contains("status") && !text.contains("uid"), "{text}");
            assert!(!text.contains('{') && !text.contains('['), "flow style becomes block style:\n{text}");
            let keys: Vec<&str> =
                text.lines().filter(|l| !l.starts_with([' ', '-', '#'])).map(|l| l.split(':').next().unwrap()).collect();
            assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"], "{text}");
        }
    }
    assert_eq!(
        env.cat(&remote, "fabrics/two/managed/switches/leaf-01.yaml"),
        "# Exported from the lab, reordered by hand\napiVersion: \"wiring.githedgehog.com/v1beta1\"\nkind: Switch\nmetadata:\n  name: \"leaf-01\"\n  labels:\n    team: net\n    rack: r1\nspec:   # the spec first\n  role: \"server-leaf\"\n  groups:\n  - mclag-1\n  description: \"yes\"\n  boot:\n    mac: 0c:20:12:ff:00:00\n",
        "comments, quoting and the author's order are kept"
    );
    // The same input gives the same bytes, in another fabric too.
    env.run(0, &["fabric", "add", "three", "--repo", "repo", "--dir", "fabrics/three"]);
    env.run(0, &["init", "three"]);
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fabrics/three/raw/fancy.yaml", fancy);
    // And the fancy renderings are the same resources as the plain ones: nothing to change.
    for file in ["managed/switches/leaf-01.yaml", "managed/vpcs/vpc-1.yaml"] {
        env.write(&work, &format!("fabrics/one/raw/{}", file.replace('/', "-")), &env.cat(&remote, &format!("fabrics/two/{file}")));
    }
    env.commit_push(&work, "the fancy file again, and its renderings beside the plain ones");
    env.json(0, &["ingest", "three"]);
    for file in ["managed/switches/leaf-01.yaml", "managed/vpcs/vpc-1.yaml"] {
        assert_eq!(env.cat(&remote, &format!("fabrics/three/{file}")), env.cat(&remote, &format!("fabrics/two/{file}")), "{file}");
    }
    let same = env.json(0, &["ingest", "one"]);
    assert!(docs(&same).iter().all(|d| d["reason"] == "unchanged"), "{same:#}");
    let switch = env.cat(&remote, "fabrics/one/managed/switches/leaf-01.yaml");
    assert!(!switch.contains("description: yes\n"), "a string that reads as a boolean stays quoted:\n{switch}");
    // The rendering reads back as the same resource: ingesting it again changes nothing.
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fabrics/one/raw/roundtrip.yaml", &switch);
    env.commit_push(&work, "the managed file dropped back into raw/");
    let again = env.json(0, &["ingest", "one"]);
    assert_eq!(doc(&again, "Switch", "leaf-01")["reason"], "unchanged", "{again:#}");
    assert_eq!(env.cat(&remote, "fabrics/one/managed/switches/leaf-01.yaml"), switch);
}

// ---------------------------------------------------------------------------------------------
// Legacy documents

#[test]
fn legacy_v1alpha2_document_is_managed_as_v1beta1_with_a_reason() {
    let fx = Fx::new();
    let legacy = sample("managed__connections__server-01--mclag--leaf-01--leaf-02.GUI-written-v1alpha2.yaml");
    assert!(legacy.contains("wiring.githedgehog.com/v1alpha2"));
    fx.raw(&[("legacy.yaml", &legacy)]);
    let out = fx.env.hhsync(&["--json", "ingest", FABRIC]);
    // Its switches and server are not in the fabric: managed but invalid, hence exit 3.
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = doc(&report, "Connection", "server-01--mclag--leaf-01--leaf-02");
    assert_eq!(d["outcome"], "managed", "{d:#}");
    let why = reason(d);
    assert!(why.contains("v1beta1") && (why.contains("rewr") || why.contains("legacy")), "the reason mentions the rewrite: {why}");
    let file = fx.cat(d["path"].as_str().unwrap());
    assert!(file.starts_with("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\n"), "{file}");
    assert!(!file.contains("v1alpha2"), "{file}");
    let shown = fx.env.json(0, &["show", FABRIC, "Connection/server-01--mclag--leaf-01--leaf-02"]);
    assert_eq!(shown["legacy"], false, "the managed resource is v1beta1 now: {shown:#}");
}

// ---------------------------------------------------------------------------------------------
// Dry run

/// A raw file with one document of each outcome.
fn mixed_batch() -> String {
    format!(
        "{}---\n{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: {{}}\n---\nkey: [unclosed\n---\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: dangling\nspec:\n  connection: nowhere\n  subnet: nothing/default\n",
        server("server-01", "one"),
        switch_group("mclag-1"),
    )
}

fn comparable(report: &Value) -> Vec<Value> {
    docs(report)
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d["file"], "index": d["index"], "kind": d["kind"], "name": d["name"],
                "outcome": d["outcome"], "path": d["path"], "reason": d["reason"], "invalid": d.get("invalid").cloned().unwrap_or(Value::Bool(false)),
            })
        })
        .collect()
}

#[test]
fn dry_run_reports_everything_changes_nothing_and_matches_the_real_run() {
    let fx = Fx::new();
    fx.raw(&[("batch.yaml", &mixed_batch())]);
    let head = fx.env.head(&fx.remote);
    let files = fx.files();

    let dry = fx.env.json(3, &["ingest", FABRIC, "--dry-run"]);
    assert!(dry["commit"].is_null(), "{dry:#}");
    assert_eq!(docs(&dry).len(), 5, "{dry:#}");
    let text = fx.env.run(3, &["ingest", FABRIC, "--dry-run"]);
    for needle in ["server-01", "mclag-1", "ConfigMap/cm", "dangling", "error"] {
        assert!(text.contains(needle), "the human report mentions {needle}:\n{text}");
    }
    assert_eq!(fx.env.head(&fx.remote), head, "no commit");
    assert_eq!(fx.files(), files, "no file changed");
    let status = fx.env.json(0, &["status", FABRIC]);
    assert_eq!(status["counts"]["synced"].as_u64().unwrap() + status["counts"]["invalid"].as_u64().unwrap(), 0, "{status:#}");

    let before = fx.commits();
    let real = fx.ingest(3);
    assert!(real["commit"].is_string());
    assert_eq!(comparable(&real), comparable(&dry), "the dry run predicted the real run");
    assert_eq!(fx.commits(), before + 1);
}

#[test]
fn dry_run_before_a_pull_reports_the_path_the_real_run_writes() {
    let fx = Fx::new();
    fx.push(&[("managed/servers/rack-1-server.yaml", server("server-01", "before").as_bytes())]);
    fx.raw(&[("update.yaml", &server("server-01", "after"))]);
    let dry = fx.env.json(0, &["ingest", FABRIC, "--dry-run"]);
    let real = fx.ingest(0);
    assert_eq!(doc(&real, "Server", "server-01")["path"], "managed/servers/rack-1-server.yaml");
    assert_eq!(comparable(&dry), comparable(&real));
}

#[test]
fn dry_run_before_a_pull_sees_resources_a_colleague_added() {
    let fx = Fx::new();
    fx.push(&[
        ("managed/servers/server-03.yaml", server("server-03", "s3").as_bytes()),
        ("managed/switches/leaf-01.yaml", b"apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n  role: server-leaf\n"),
    ]);
    fx.raw(&[(
        "conn.yaml",
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-03--unbundled--leaf-01\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-03/enp2s1\n      switch:\n        port: leaf-01/E1/7\n",
    )]);
    let real_code = 0;
    let dry = fx.env.hhsync(&["--json", "ingest", FABRIC, "--dry-run"]);
    let dry_report: Value = serde_json::from_slice(&dry.stdout).unwrap();
    let real = fx.ingest(real_code);
    assert_eq!(comparable(&dry_report), comparable(&real));
    assert_eq!(dry.status.code(), Some(real_code), "same exit status as the real run");
}

// ---------------------------------------------------------------------------------------------
// The JSON report

#[test]
fn json_report_is_one_document_of_the_contract_shape() {
    let fx = Fx::new();
    fx.raw(&[("batch.yaml", &mixed_batch())]);
    let out = fx.env.hhsync(&["--json", "ingest", FABRIC]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let values: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout).into_iter::<Value>().map(|v| v.unwrap()).collect();
    assert_eq!(values.len(), 1, "stdout is exactly one JSON document:\n{}", String::from_utf8_lossy(&out.stdout));
    let report = &values[0];
    let commit = report["commit"].as_str().expect("commit is a sha");
    assert_eq!(commit.len(), 40);
    assert!(commit.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(commit, fx.env.head(&fx.remote), "the commit pushed");
    let d = docs(report);
    assert_eq!(d.len(), 5);
    for x in d {
        let obj = x.as_object().unwrap();
        for key in ["file", "index", "kind", "name", "outcome", "path", "reason"] {
            assert!(obj.contains_key(key), "{key} missing in {x:#}");
        }
        assert!(x["file"].is_string() && x["index"].is_u64(), "{x:#}");
        assert!(matches!(x["outcome"].as_str(), Some("managed" | "unmanaged" | "error")), "{x:#}");
        assert!(x["path"].is_string() || x["path"].is_null());
        assert!(x["reason"].is_string() || x["reason"].is_null());
        if x["outcome"] != "managed" {
            assert!(x["reason"].is_string(), "an unmanaged or error document says why: {x:#}");
        }
    }
    let broken = d.iter().find(|x| x["outcome"] == "error").unwrap();
    assert!(broken["kind"].is_null() && broken["name"].is_null() && broken["path"].is_null(), "{broken:#}");
    assert_eq!(broken["index"], 3);

    // The second run, nothing new: commit null, still one document.
    let again = fx.env.hhsync(&["--json", "ingest", FABRIC]);
    let values: Vec<Value> = serde_json::Deserializer::from_slice(&again.stdout).into_iter::<Value>().map(|v| v.unwrap()).collect();
    assert_eq!(values.len(), 1);
    assert!(values[0]["commit"].is_null(), "{:#}", values[0]);
}
