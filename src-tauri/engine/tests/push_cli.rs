//! End-to-end tests of drafts, push, three-way merges on pull, conflicts and their resolution,
//! branch mode, revert and the fabric lock, through the real `hhsync` binary against real git
//! repositories, with "someone else" working in a second clone.

mod common;

use std::path::{Path, PathBuf};

use common::{sample, Env};
use serde_json::Value;

const DIR: &str = "fab";

/// A leaf switch written by hand, with comments and quoting a renderer would not produce.
const LEAF: &str = "# Leaf 1 of rack A\n# Owner: network team\napiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01   # first leaf\nspec:\n  # boot over the management network\n  boot:\n    mac: \"0c:20:12:ff:00:00\"\n  description: 'VS-01 rack A'\n  profile: vs\n  role: server-leaf\n";

struct Fabric {
    env: Env,
    remote: PathBuf,
}

impl Fabric {
    /// A remote with the virtual-lab fabric ingested and the commented leaf-01, pulled.
    fn new() -> Self {
        let env = Env::new();
        let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
        env.setup_fabric(&remote, "r", "f", DIR);
        env.run(0, &["ingest", "f"]);
        let colleague = env.other_clone(&remote, "colleague");
        env.write(&colleague, &format!("{DIR}/managed/switches/leaf-01.yaml"), LEAF);
        env.commit_push(&colleague, "hand-written leaf-01");
        env.run(0, &["pull", "f"]);
        Self { env, remote }
    }

    fn file(&self, path: &str) -> String {
        self.env.cat(&self.remote, &format!("{DIR}/{path}"))
    }

    /// Someone else changes a file (by replacing text) and pushes.
    fn colleague_edits(&self, path: &str, from: &str, to: &str) {
        let work = self.env.other_clone(&self.remote, "colleague");
        let full = work.join(DIR).join(path);
        let text = std::fs::read_to_string(&full).unwrap();
        assert!(text.contains(from), "{from:?} not in {path}");
        std::fs::write(&full, text.replacen(from, to, 1)).unwrap();
        self.env.commit_push(&work, &format!("colleague edits {path}"));
    }

    fn colleague_deletes(&self, path: &str) {
        let work = self.env.other_clone(&self.remote, "colleague");
        self.env.git(&work, &["rm", "-q", &format!("{DIR}/{path}")]);
        self.env.commit_push(&work, &format!("colleague deletes {path}"));
    }

    /// Edits a resource through `hhsync edit` from stdin: its current text with one replacement.
    fn edit(&self, resource: &str, from: &str, to: &str) -> Value {
        let shown = self.env.json(0, &["show", "f", resource]);
        let text = shown["draft_text"].as_str().or(shown["text"].as_str()).unwrap().to_owned();
        assert!(text.contains(from), "{from:?} not in {resource}");
        let out = self.env.run_with_input(0, &["--json", "edit", "f", resource], &text.replacen(from, to, 1));
        serde_json::from_str(&out).unwrap()
    }

    fn status(&self) -> Value {
        let out = self.env.hhsync(&["--json", "status", "f"]);
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn drafts(&self) -> usize {
        let c = &self.status()["counts"];
        ["modified", "new", "deleted", "conflict"].iter().map(|k| c[k].as_u64().unwrap() as usize).sum()
    }

    fn commits(&self) -> usize {
        self.env.commit_count(&self.remote)
    }
}

fn diff_lines(env: &Env, remote: &Path, rev: &str) -> Vec<String> {
    env.git(remote, &["show", "--format=", "--unified=0", rev])
        .lines()
        .filter(|l| (l.starts_with('+') || l.starts_with('-')) && !l.starts_with("+++") && !l.starts_with("---"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn edit_then_push_makes_one_commit_changing_exactly_that_line() {
    let f = Fabric::new();
    let before = f.commits();
    let draft = f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 rack B");
    assert_eq!(draft["status"], "modified");
    assert_eq!(f.drafts(), 1);
    let diff = f.env.json(0, &["diff", "f"]);
    assert!(diff[0]["diff"].as_str().unwrap().contains("-  description: 'VS-01 rack A'\n+  description: 'VS-01 rack B'"), "{diff:#}");

    let report = f.env.json(0, &["push", "f"]);
    assert_eq!(report["pushed"], serde_json::json!([{"kind": "Switch", "name": "leaf-01", "change": "modified"}]));
    assert_eq!(report["retries"], 0);
    assert_eq!(report["branch"], "main");
    assert_eq!(f.commits(), before + 1);
    assert_eq!(report["commit"].as_str().unwrap(), f.env.head(&f.remote));
    assert_eq!(diff_lines(&f.env, &f.remote, "main"), ["-  description: 'VS-01 rack A'", "+  description: 'VS-01 rack B'"]);
    assert_eq!(f.file("managed/switches/leaf-01.yaml"), LEAF.replace("'VS-01 rack A'", "'VS-01 rack B'"), "comments and quoting kept");
    let message = f.env.git(&f.remote, &["log", "-1", "--format=%B", "main"]);
    assert!(message.contains("Switch/leaf-01"), "{message}");
    assert_eq!(f.drafts(), 0, "pushed drafts become desired");
    assert_eq!(f.env.json(0, &["push", "f"])["commit"], Value::Null, "nothing left to push");
    assert_eq!(f.commits(), before + 1);
}

#[test]
fn new_and_deleted_resources_push_in_one_commit_with_the_given_message() {
    let f = Fabric::new();
    let vpc = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      gateway: 10.0.1.1\n      vlan: 1001\n";
    let d: Value = serde_json::from_str(&f.env.run_with_input(0, &["--json", "edit", "f", "VPC/vpc-1"], vpc)).unwrap();
    assert_eq!(d["status"], "new");
    assert_eq!(f.env.json(0, &["delete", "f", "Connection/leaf-01--vpc-loopback"])["status"], "deleted");
    let report = f.env.json(0, &["push", "f", "-m", "Add vpc-1, drop a loopback"]);
    assert_eq!(report["pushed"].as_array().unwrap().len(), 2);
    assert_eq!(f.env.git(&f.remote, &["log", "-1", "--format=%s", "main"]).trim(), "Add vpc-1, drop a loopback");
    let files = f.env.ls(&f.remote, DIR);
    assert!(files.contains(&"managed/vpcs/vpc-1.yaml".to_owned()));
    assert!(!files.contains(&"managed/connections/leaf-01--vpc-loopback.yaml".to_owned()));
    // A new resource is rendered canonically; inside its spec, in the order its author wrote (issue K).
    assert_eq!(f.file("managed/vpcs/vpc-1.yaml"), "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      gateway: 10.0.1.1\n      vlan: 1001\n");
    assert_eq!(f.drafts(), 0);
}

#[test]
fn a_new_resource_keeps_the_comments_its_author_typed() {
    let f = Fabric::new();
    let vpc = "# Tenant A's VPC\nkind: VPC\napiVersion: vpc.githedgehog.com/v1beta1\nmetadata:\n  name: vpc-2\nspec:\n  subnets:\n    default:\n      subnet: 10.0.2.0/24 # rack 2\n      gateway: 10.0.2.1\n      vlan: 1002\n";
    f.env.run_with_input(0, &["edit", "f", "VPC/vpc-2"], vpc);
    f.env.run(0, &["push", "f"]);
    assert_eq!(
        f.file("managed/vpcs/vpc-2.yaml"),
        "# Tenant A's VPC\napiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-2\nspec:\n  subnets:\n    default:\n      subnet: 10.0.2.0/24 # rack 2\n      gateway: 10.0.2.1\n      vlan: 1002\n"
    );
}

#[test]
fn invalid_drafts_block_the_push_unless_allowed() {
    let f = Fabric::new();
    let text = f.env.json(0, &["show", "f", "Switch/leaf-01"])["text"].as_str().unwrap().replace("role: server-leaf", "role: not-a-role");
    let d: Value = serde_json::from_str(&f.env.run_with_input(3, &["--json", "edit", "f", "Switch/leaf-01"], &text)).unwrap();
    assert_eq!(d["status"], "modified");
    assert!(!d["errors"].as_array().unwrap().is_empty(), "validated on save: {d:#}");
    let before = f.commits();
    let err = f.env.fail(1, &["push", "f"]);
    assert!(err.contains("Switch/leaf-01") && err.contains("spec.role"), "{err}");
    // The message names no flag (the app shows it too); the command line's hint does.
    let (message, hint) = err.split_once("\nhint: ").expect("a hint line");
    assert!(!message.contains("--allow-invalid") && hint.contains("--allow-invalid"), "{err}");
    assert_eq!(f.commits(), before);
    assert_eq!(f.drafts(), 1, "the draft is kept");
    // The refusal is a list the app can show, with its own code (not "check your input").
    assert_eq!(f.env.json(0, &["log", "f"])[0]["error_code"], "blocked");
    let engine = hhsync_engine::Engine::open(&f.env.data_dir()).unwrap();
    match engine.push("f", &Default::default(), hhsync_engine::Trigger::Cli).unwrap_err() {
        hhsync_engine::Error::PushBlocked { blocked, .. } => {
            assert_eq!(blocked.len(), 1, "{blocked:?}");
            assert_eq!((blocked[0].kind.as_str(), blocked[0].name.as_str()), ("Switch", "leaf-01"));
            assert!(matches!(&blocked[0].reason, hhsync_engine::BlockReason::Invalid { path, .. } if path == "spec.role"), "{blocked:?}");
        }
        other => panic!("expected PushBlocked, got {other}"),
    }
    f.env.json(0, &["push", "f", "--allow-invalid"]);
    assert_eq!(f.commits(), before + 1);
}

#[test]
fn text_that_is_not_yaml_or_names_another_resource_is_refused_and_nothing_saved() {
    let f = Fabric::new();
    let err = String::from_utf8_lossy(&f.env.command(&["edit", "f", "Switch/leaf-01", "--file", "/nonexistent"]).output().unwrap().stderr).into_owned();
    assert!(err.contains("/nonexistent"), "{err}");
    let out = f.env.command(&["edit", "f", "Switch/leaf-01"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let bad = LEAF.replace("name: leaf-01", "name: leaf-99");
    let out = {
        use std::io::Write;
        let mut child = f.env.command(&["edit", "f", "Switch/leaf-01"]).stdin(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(bad.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("leaf-99"));
    assert_eq!(f.drafts(), 0);
}

#[test]
fn upstream_change_to_another_field_merges_into_the_draft() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 rack B");
    f.colleague_edits("managed/switches/leaf-01.yaml", "profile: vs", "profile: vs-new");
    let pull = f.env.json(0, &["pull", "f"]);
    assert_eq!(pull["counts"]["auto_merged"], 1, "{pull:#}");
    let shown = f.env.json(0, &["show", "f", "Switch/leaf-01"]);
    let draft = shown["draft_text"].as_str().unwrap();
    assert!(draft.contains("rack B") && draft.contains("profile: vs-new"), "{draft}");
    assert!(draft.contains("# first leaf"), "comments kept: {draft}");
    f.env.json(0, &["push", "f"]);
    let file = f.file("managed/switches/leaf-01.yaml");
    assert_eq!(file, LEAF.replace("'VS-01 rack A'", "'VS-01 rack B'").replace("profile: vs", "profile: vs-new"));
    // The merge is in the history of conflicts, resolved by itself.
    let history = f.env.json(0, &["conflicts", "f", "--history"]);
    assert_eq!(history[0]["type"], "auto-merge");
    assert_eq!(history[0]["resolution"], "auto-merged");
}

fn conflicted(f: &Fabric) -> Value {
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 ours");
    f.colleague_edits("managed/switches/leaf-01.yaml", "VS-01 rack A", "VS-01 theirs");
    let pull = f.env.json(3, &["pull", "f"]);
    assert_eq!(pull["counts"]["conflicts"], 1);
    let conflicts = f.env.json(3, &["conflicts", "f"]);
    assert_eq!(conflicts.as_array().unwrap().len(), 1);
    let c = conflicts[0].clone();
    for key in ["kind", "name", "type", "fields", "detected_at"] {
        assert!(c.get(key).is_some(), "{key} missing: {c:#}");
    }
    assert_eq!(c["type"], "edit-edit");
    assert_eq!(c["fields"], serde_json::json!(["spec.description"]));
    assert_eq!(f.status()["counts"]["conflict"], 1);
    // A conflict blocks the push.
    assert!(f.env.fail(1, &["push", "f"]).contains("conflict"));
    c
}

#[test]
fn same_field_conflict_resolved_by_taking_ours_then_pushed() {
    let f = Fabric::new();
    conflicted(&f);
    f.env.json(0, &["resolve", "f", "Switch/leaf-01", "--take", "ours"]);
    assert_eq!(f.env.json(0, &["conflicts", "f"]).as_array().unwrap().len(), 0);
    f.env.json(0, &["push", "f"]);
    assert!(f.file("managed/switches/leaf-01.yaml").contains("'VS-01 ours'"));
    let history = f.env.json(0, &["conflicts", "f", "--history"]);
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(last["resolution"], "ours");
    assert!(last["resolved_by"].is_string() && last["resolved_at"].is_string());
}

#[test]
fn same_field_conflict_resolved_by_taking_theirs_drops_the_draft() {
    let f = Fabric::new();
    conflicted(&f);
    let before = f.commits();
    f.env.json(0, &["resolve", "f", "Switch/leaf-01", "--take", "theirs"]);
    assert_eq!(f.drafts(), 0);
    assert_eq!(f.env.json(0, &["push", "f"])["commit"], Value::Null);
    assert_eq!(f.commits(), before);
    assert!(f.file("managed/switches/leaf-01.yaml").contains("'VS-01 theirs'"));
}

#[test]
fn conflict_resolved_per_field_keeps_disjoint_changes_from_both() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "role: server-leaf", "role: border-leaf");
    conflicted(&f);
    // The theirs side also changed the profile: keep it, and take ours for the description.
    f.env.json(0, &["resolve", "f", "Switch/leaf-01", "--field", "spec.description=ours"]);
    f.env.json(0, &["push", "f"]);
    let file = f.file("managed/switches/leaf-01.yaml");
    assert!(file.contains("'VS-01 ours'") && file.contains("role: border-leaf"), "{file}");
    assert!(f.env.fail(1, &["resolve", "f", "Switch/leaf-01", "--field", "spec.x=ours"]).contains("no open conflict"));
}

#[test]
fn conflict_resolved_with_a_hand_edited_text() {
    let f = Fabric::new();
    conflicted(&f);
    let merged = LEAF.replace("'VS-01 rack A'", "'VS-01 both agreed'");
    let path = f.env.path("merged.yaml");
    std::fs::write(&path, &merged).unwrap();
    assert!(f.env.fail(1, &["resolve", "f", "Switch/leaf-01", "--field", "spec.role=ours"]).contains("spec.role"));
    f.env.json(0, &["resolve", "f", "Switch/leaf-01", "--file", path.to_str().unwrap()]);
    f.env.json(0, &["push", "f"]);
    assert_eq!(f.file("managed/switches/leaf-01.yaml"), merged);
    let history = f.env.json(0, &["conflicts", "f", "--history"]);
    assert_eq!(history.as_array().unwrap().last().unwrap()["resolution"], "manual");
}

#[test]
fn edit_against_upstream_delete_and_delete_against_upstream_edit_are_conflicts() {
    let f = Fabric::new();
    f.edit("Server/server-01", "S-01 MCLAG leaf-01 leaf-02", "S-01 kept");
    f.colleague_deletes("managed/servers/server-01.yaml");
    f.env.json(0, &["delete", "f", "Server/server-02"]);
    f.colleague_edits("managed/servers/server-02.yaml", "S-02 MCLAG", "S-02 renamed");
    f.env.json(3, &["pull", "f"]);
    let conflicts = f.env.json(3, &["conflicts", "f"]);
    let mut types: Vec<(String, String)> = conflicts.as_array().unwrap().iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["type"].as_str().unwrap().to_owned()))
        .collect();
    types.sort();
    assert_eq!(types, [("server-01".to_owned(), "edit-delete".to_owned()), ("server-02".to_owned(), "delete-edit".to_owned())]);
    // Keep our edit (the server comes back), and accept their edit over our delete.
    f.env.json(0, &["resolve", "f", "Server/server-01", "--take", "ours"]);
    f.env.json(0, &["resolve", "f", "Server/server-02", "--take", "theirs"]);
    f.env.json(0, &["push", "f"]);
    assert!(f.file("managed/servers/server-01.yaml").contains("S-01 kept"));
    assert!(f.file("managed/servers/server-02.yaml").contains("S-02 renamed"));
    assert_eq!(f.drafts(), 0);
}

#[test]
fn a_push_racing_someone_elses_push_retries_without_losing_either_change() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 ours");
    let go = f.env.path("go");
    let mut push = f.env.command(&["--json", "push", "f"]);
    push.env("HHSYNC_PAUSE_AT", format!("push:before-push={}", go.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = push.spawn().unwrap();
    wait_for(&go.with_extension("reached"));
    f.colleague_edits("managed/servers/server-05.yaml", "S-05 ESLAG", "S-05 theirs");
    std::fs::write(&go, "").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["retries"], 1, "{report:#}");
    assert!(f.file("managed/switches/leaf-01.yaml").contains("VS-01 ours"));
    assert!(f.file("managed/servers/server-05.yaml").contains("S-05 theirs"));
    // Never forced: the colleague's commit is an ancestor of ours.
    let log = f.env.git(&f.remote, &["log", "--format=%s", "-3", "main"]);
    assert!(log.contains("colleague edits managed/servers/server-05.yaml"), "{log}");
}

fn wait_for(path: &Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !path.exists() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {}", path.display());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn branch_mode_pushes_a_new_branch_and_drafts_stay_proposed_until_it_lands() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 proposed");
    let main_before = f.env.head(&f.remote);
    let report = f.env.json(0, &["push", "f", "--branch", "change/leaf-01"]);
    assert_eq!(report["branch"], "change/leaf-01");
    assert_eq!(f.env.head(&f.remote), main_before, "main untouched");
    let on_branch = f.env.git(&f.remote, &["show", &format!("change/leaf-01:{DIR}/managed/switches/leaf-01.yaml")]);
    assert!(on_branch.contains("VS-01 proposed"));
    assert_eq!(f.drafts(), 1, "drafts stay until the branch lands");
    let proposals = f.env.json(0, &["proposals", "f"]);
    assert_eq!(proposals[0]["state"], "open");
    // The same branch name again is refused.
    assert!(f.env.fail(1, &["push", "f", "--branch", "change/leaf-01"]).contains("already exists"));
    // ... with its own code, so the app can offer another name rather than "check your input".
    assert_eq!(f.env.json(0, &["log", "f"])[0]["error_code"], "already-exists");

    // A colleague merges the branch into main.
    let work = f.env.other_clone(&f.remote, "colleague");
    f.env.git(&work, &["fetch", "-q", "origin", "change/leaf-01"]);
    f.env.git(&work, &["merge", "-q", "--no-ff", "-m", "Merge change/leaf-01", "FETCH_HEAD"]);
    f.env.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    f.env.run(0, &["pull", "f"]);
    assert_eq!(f.drafts(), 0, "landed drafts became desired");
    assert_eq!(f.env.json(0, &["proposals", "f"])[0]["state"], "merged");
}

#[test]
fn generated_branch_names_and_abandoning_a_proposal() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 maybe");
    let report = f.env.json(0, &["push", "f", "--branch"]);
    let branch = report["branch"].as_str().unwrap().to_owned();
    assert!(branch.starts_with("hhsync/f/modified-switch-leaf-01-"), "{branch}");
    f.env.json(0, &["abandon", "f", &branch]);
    assert_eq!(f.env.json(0, &["proposals", "f"])[0]["state"], "abandoned");
    assert_eq!(f.drafts(), 1, "abandoning keeps the draft");
    assert!(f.env.fail(1, &["abandon", "f", &branch]).contains("no open proposal"), "only once");
    let engine = hhsync_engine::Engine::open(&f.env.data_dir()).unwrap();
    assert_eq!(engine.abandon("f", &branch).unwrap_err().code(), hhsync_engine::Code::NotFound);
}

#[test]
fn revert_of_a_push_and_of_an_ingest_are_new_commits() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 oops");
    let push = f.env.json(0, &["push", "f"]);
    let op = push["operation_id"].as_i64().unwrap().to_string();
    let before = f.commits();
    let revert = f.env.json(0, &["revert", "f", &op]);
    assert_eq!(revert["files"], serde_json::json!(["managed/switches/leaf-01.yaml"]));
    assert_eq!(f.commits(), before + 1, "a new commit, history kept");
    assert_eq!(f.file("managed/switches/leaf-01.yaml"), LEAF);

    // Revert the ingest: the 46 managed files go, the raw file comes back. leaf-01 was changed
    // since (by hand), so that is refused first.
    let log = f.env.json(0, &["log", "f"]);
    let ingest = log.as_array().unwrap().iter().find(|o| o["kind"] == "ingest").unwrap()["id"].as_i64().unwrap().to_string();
    let err = f.env.fail(1, &["revert", "f", &ingest]);
    assert!(err.contains("changed again since") && err.contains("leaf-01.yaml"), "{err}");
    assert!(f.env.fail(1, &["revert", "f", "9999"]).contains("no operation #9999"));
}

#[test]
fn revert_of_an_ingest_restores_the_raw_file() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
    env.setup_fabric(&remote, "r", "f", DIR);
    let ingest = env.json(0, &["ingest", "f"]);
    let op = ingest["operation_id"].as_i64().unwrap().to_string();
    env.json(0, &["revert", "f", &op]);
    let files = env.ls(&remote, DIR);
    assert!(files.contains(&"raw/prepop.yaml".to_owned()));
    assert!(!files.iter().any(|p| p.starts_with("managed/switches/") && p.ends_with(".yaml") && !p.ends_with(".gitkeep")), "{files:?}");
    assert_eq!(env.json(0, &["resources", "f"]).as_array().unwrap().len(), 0);
    assert_eq!(env.json(0, &["status", "f"])["raw_pending"], 1);
}

#[test]
fn a_second_process_on_the_same_fabric_is_refused_cleanly() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 slow");
    let go = f.env.path("go");
    let child = f
        .env
        .command(&["push", "f"])
        .env("HHSYNC_PAUSE_AT", format!("push:before-push={}", go.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&go.with_extension("reached"));
    let out = f.env.command(&["pull", "f"]).env("HHSYNC_LOCK_WAIT_MS", "300").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("busy with another operation"), "{err}");
    std::fs::write(&go, "").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    f.env.run(0, &["pull", "f"]);
}

#[test]
fn no_commit_for_a_change_that_renders_to_the_same_bytes() {
    let f = Fabric::new();
    let before = f.commits();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 rack A");
    assert_eq!(f.drafts(), 0, "an edit that changes nothing is no draft");
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 temp");
    f.edit("Switch/leaf-01", "VS-01 temp", "VS-01 rack A");
    assert_eq!(f.drafts(), 0, "editing back to what Git holds drops the draft");
    assert_eq!(f.env.json(0, &["push", "f"])["commit"], Value::Null);
    assert_eq!(f.commits(), before);
}

#[test]
fn discard_one_or_all_drafts() {
    let f = Fabric::new();
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 x");
    f.edit("Server/server-01", "S-01", "S-01 x");
    f.env.json(0, &["discard", "f", "Switch/leaf-01"]);
    assert_eq!(f.drafts(), 1);
    f.env.json(0, &["discard", "f", "--all"]);
    assert_eq!(f.drafts(), 0);
    assert!(f.env.fail(1, &["discard", "f", "Switch/leaf-01"]).contains("no draft"));
}

#[test]
fn commits_carry_the_author_from_settings() {
    let f = Fabric::new();
    f.env.run(0, &["config", "author.name", "Ada Network"]);
    f.env.run(0, &["config", "author.email", "ada@example.com"]);
    assert_eq!(f.env.json(0, &["config"])["author.name"], "Ada Network");
    assert!(f.env.fail(1, &["config", "colour", "blue"]).contains("unknown setting"));
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 by Ada");
    f.env.json(0, &["push", "f"]);
    let author = f.env.git(&f.remote, &["log", "-1", "--format=%an <%ae>", "main"]);
    assert_eq!(author.trim(), "Ada Network <ada@example.com>");
}

#[test]
fn a_conflict_resolved_hunk_by_hunk_through_the_engine_api() {
    use hhsync_engine::engine::Resolution;
    use hhsync_engine::sync::diff::HunkSide;
    let f = Fabric::new();
    // Ours changes two separate places; theirs changes one of them differently.
    f.edit("Switch/leaf-01", "VS-01 rack A", "VS-01 ours");
    f.edit("Switch/leaf-01", "role: server-leaf", "role: border-leaf");
    f.colleague_edits("managed/switches/leaf-01.yaml", "VS-01 rack A", "VS-01 theirs");
    f.env.json(3, &["pull", "f"]);
    let engine = hhsync_engine::Engine::open(&f.env.data_dir()).unwrap();
    let conflicts = engine.conflicts("f", false).unwrap();
    let hunks = &conflicts[0].ours_vs_theirs;
    assert_eq!(hunks.len(), 2, "{hunks:#?}");
    // Take theirs for the description hunk and ours (Old) for the role hunk.
    let description = hunks.iter().find(|h| h.lines.iter().any(|l| l.text.contains("description"))).unwrap();
    let choices = [(description.id.clone(), HunkSide::New)].into_iter().collect();
    engine
        .resolve("f", &"Switch/leaf-01".parse().unwrap(), Resolution::Hunks { choices, default: HunkSide::Old }, hhsync_engine::Trigger::User)
        .unwrap();
    f.env.json(0, &["push", "f"]);
    let file = f.file("managed/switches/leaf-01.yaml");
    assert!(file.contains("'VS-01 theirs'") && file.contains("role: border-leaf"), "{file}");
}
