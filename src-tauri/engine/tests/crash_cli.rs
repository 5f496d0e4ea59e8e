//! Crash safety: the CLI is killed (SIGKILL) at many points during push, pull, ingest, init,
//! revert and resolve, and each time, after reopening, no draft is lost, nothing is pushed twice, and the next pull and push
//! converge on the same result as an uninterrupted run.

mod common;

use std::os::unix::process::ExitStatusExt;

use common::{sample, Env};
use serde_json::Value;

const DIR: &str = "fab";
const LEAF: &str = "managed/switches/leaf-01.yaml";

struct Setup {
    env: Env,
    remote: std::path::PathBuf,
}

fn setup() -> Setup {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
    env.setup_fabric(&remote, "r", "f", DIR);
    env.run(0, &["ingest", "f"]);
    Setup { env, remote }
}

impl Setup {
    fn edit_leaf(&self) {
        let text = self.env.json(0, &["show", "f", "Switch/leaf-01"])["text"].as_str().unwrap().replace("VS-01 MCLAG 1", "VS-01 after crash");
        self.env.run_with_input(0, &["edit", "f", "Switch/leaf-01"], &text);
    }

    /// Someone else changes another resource, so pulls have work to do.
    fn colleague_commit(&self, n: usize) {
        let work = self.env.other_clone(&self.remote, "colleague");
        let path = work.join(DIR).join("managed/servers/server-05.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("S-05 ESLAG leaf-03 leaf-04", &format!("S-05 change {n}"))).unwrap();
        self.env.commit_push(&work, &format!("colleague change {n}"));
    }

    fn crash(&self, point: &str, args: &[&str]) {
        let out = self.env.command(args).env("HHSYNC_CRASH_AT", point).output().unwrap();
        assert_eq!(out.status.signal(), Some(9), "{point}: expected SIGKILL, got {:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }

    fn drafts(&self) -> u64 {
        let status: Value = serde_json::from_slice(&self.env.hhsync(&["--json", "status", "f"]).stdout).unwrap();
        ["modified", "new", "deleted", "conflict"].iter().map(|k| status["counts"][k].as_u64().unwrap()).sum()
    }

    /// Commits on main whose change to leaf-01 is ours.
    fn our_commits(&self) -> usize {
        self.env
            .git(&self.remote, &["log", "--format=%H", "main", "--", &format!("{DIR}/{LEAF}")])
            .lines()
            .filter(|c| self.env.git(&self.remote, &["show", c, "--", &format!("{DIR}/{LEAF}")]).contains("+  description: VS-01 after crash"))
            .count()
    }
}

const PUSH_POINTS: &[&str] = &[
    "pull:after-fetch",
    "apply:before-commit",
    "push:after-pull",
    "push:after-commit",
    "push:before-push",
    "push:after-push",
    "apply:before-commit#2",
    "push:after-apply",
];

#[test]
fn push_killed_at_any_point_loses_nothing_and_pushes_once() {
    for point in PUSH_POINTS {
        let s = setup();
        s.edit_leaf();
        s.colleague_commit(1);
        s.crash(point, &["push", "f"]);
        let pushed = s.our_commits();
        assert!(pushed <= 1, "{point}: pushed {pushed} times");
        if pushed == 0 {
            assert_eq!(s.drafts(), 1, "{point}: the draft survived the crash");
        }
        // Reopen: pull and push again converge.
        s.env.run(0, &["pull", "f"]);
        s.env.run(0, &["push", "f"]);
        assert_eq!(s.our_commits(), 1, "{point}: exactly one commit carries our change");
        assert_eq!(s.drafts(), 0, "{point}: nothing left over");
        let file = s.env.cat(&s.remote, &format!("{DIR}/{LEAF}"));
        assert!(file.contains("VS-01 after crash"), "{point}");
        assert!(s.env.cat(&s.remote, &format!("{DIR}/managed/servers/server-05.yaml")).contains("S-05 change 1"), "{point}");
        let shown = s.env.json(0, &["show", "f", "Switch/leaf-01"]);
        assert_eq!(shown["status"], "synced", "{point}");
        assert_eq!(shown["commit"].as_str().unwrap(), s.env.head(&s.remote), "{point}: the store is at the tip");
    }
}

#[test]
fn pull_killed_at_any_point_keeps_drafts_and_converges() {
    for point in ["pull:after-fetch", "apply:before-commit"] {
        let s = setup();
        s.edit_leaf();
        s.colleague_commit(1);
        s.crash(point, &["pull", "f"]);
        assert_eq!(s.drafts(), 1, "{point}");
        let pull = s.env.json(0, &["pull", "f"]);
        assert_eq!(pull["counts"]["changed"], 1, "{point}: the interrupted pull is redone whole");
        assert_eq!(s.drafts(), 1, "{point}");
        let server = s.env.json(0, &["show", "f", "Server/server-05"]);
        assert!(server["text"].as_str().unwrap().contains("S-05 change 1"), "{point}");
    }
}

#[test]
fn a_crash_right_after_the_remote_accepted_is_healed_by_the_next_pull() {
    let s = setup();
    s.edit_leaf();
    s.crash("push:after-push", &["push", "f"]);
    assert_eq!(s.our_commits(), 1);
    // The app was killed before it recorded the push: the draft is still shown...
    assert_eq!(s.drafts(), 1);
    // ...until the next pull recognises our own commit.
    let pull = s.env.json(0, &["pull", "f"]);
    assert_eq!(pull["counts"]["drafts_dissolved"], 1, "{pull:#}");
    assert_eq!(s.drafts(), 0);
    assert_eq!(s.env.json(0, &["push", "f"])["commit"], Value::Null, "nothing is pushed twice");
    assert_eq!(s.our_commits(), 1);
}

#[test]
fn an_operation_killed_midway_is_logged_as_interrupted_by_the_next_one_not_running_forever() {
    let s = setup();
    s.edit_leaf();
    s.crash("push:after-commit", &["push", "f"]);
    let killed = s.env.json(0, &["log", "f"])[0].clone();
    assert_eq!((killed["kind"].as_str(), killed["status"].as_str()), (Some("push"), Some("running")), "{killed:#}");
    let id = killed["id"].as_i64().unwrap();

    // The next operation takes the fabric's lock, so it knows the push's process is gone.
    s.env.run(0, &["pull", "f"]);
    let log = s.env.json(0, &["log", "f"]);
    let ops = log.as_array().unwrap();
    let push = ops.iter().find(|o| o["id"] == id).unwrap();
    assert_eq!(push["status"], "interrupted", "{log:#}");
    assert!(push["error"].as_str().unwrap().contains("killed or crashed"), "{push:#}");
    assert_eq!((ops[0]["kind"].as_str(), ops[0]["status"].as_str()), (Some("pull"), Some("succeeded")), "its own row is not marked: {log:#}");
    assert!(ops.iter().all(|o| o["status"] != "running"), "{log:#}");
    let text = s.env.run(0, &["log", "f"]);
    assert!(text.lines().any(|l| l.starts_with(&format!("#{id} ")) && l.contains("interrupted")), "{text}");

    // The draft survived, and pushing again works.
    assert_eq!(s.drafts(), 1);
    s.env.run(0, &["push", "f"]);
    assert_eq!(s.our_commits(), 1);
}

/// The commit-and-push points every writing operation passes through the runner.
fn runner_points(op: &str) -> Vec<String> {
    ["after-pull", "after-commit", "before-push", "after-push", "after-apply"].iter().map(|p| format!("{op}:{p}")).collect()
}

fn commits_matching(env: &Env, remote: &std::path::Path, grep: &str) -> usize {
    env.git(remote, &["log", "--format=%s%n%b", "main"]).lines().filter(|l| l.contains(grep)).count()
}

fn nothing_running(env: &Env, fabric: &str) {
    let log = env.json(0, &["log", fabric]);
    for op in log.as_array().unwrap() {
        assert_ne!(op["status"], "running", "{op}");
    }
}

#[test]
fn ingest_init_and_revert_killed_at_any_runner_point_converge_with_one_commit() {
    for point in runner_points("ingest") {
        let env = Env::new();
        let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
        env.setup_fabric(&remote, "r", "f", DIR);
        let out = env.command(&["ingest", "f"]).env("HHSYNC_CRASH_AT", &point).output().unwrap();
        assert_eq!(out.status.signal(), Some(9), "{point}");
        let again = env.hhsync(&["ingest", "f"]);
        assert!(matches!(again.status.code(), Some(0 | 3)), "{point}: {}", String::from_utf8_lossy(&again.stderr));
        env.run(0, &["pull", "f"]);
        let log = env.git(&remote, &["log", "--format=%H", "main", "--", &format!("{DIR}/{LEAF}")]);
        assert_eq!(log.lines().count(), 1, "{point}: leaf-01 written by exactly one commit");
        let status = env.json(0, &["status", "f"]);
        assert_eq!(status["counts"]["synced"], 46, "{point}: {status}");
        assert_eq!(status["synced_commit"], env.head(&remote).as_str(), "{point}");
        nothing_running(&env, "f");
    }
    for point in runner_points("init") {
        let env = Env::new();
        let remote = env.remote_with("remote", &[("README.md", "init\n")]);
        env.run(0, &["repo", "add", "r", remote.to_str().unwrap()]);
        env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", DIR]);
        let out = env.command(&["init", "f"]).env("HHSYNC_CRASH_AT", &point).output().unwrap();
        assert_eq!(out.status.signal(), Some(9), "{point}");
        let again = env.hhsync(&["init", "f"]);
        assert!(matches!(again.status.code(), Some(0 | 3)), "{point}: {}", String::from_utf8_lossy(&again.stderr));
        assert_eq!(commits_matching(&env, &remote, "initialise GitOps directory"), 1, "{point}: one init commit");
        nothing_running(&env, "f");
    }
    for point in runner_points("revert") {
        let s = setup();
        s.edit_leaf();
        let pushed = s.env.json(0, &["push", "f"]);
        let id = pushed["operation_id"].as_i64().unwrap().to_string();
        s.crash(&point, &["revert", "f", &id]);
        // A revert that landed before the kill has nothing left to do; otherwise it runs now.
        let again = s.env.hhsync(&["revert", "f", &id]);
        let landed = commits_matching(&s.env, &s.remote, "This reverts commit");
        assert_eq!(landed, 1, "{point}: exactly one revert commit ({})", String::from_utf8_lossy(&again.stderr));
        s.env.run(0, &["pull", "f"]);
        assert!(s.env.cat(&s.remote, &format!("{DIR}/{LEAF}")).contains("VS-01 MCLAG 1"), "{point}: reverted");
        assert_eq!(s.drafts(), 0, "{point}");
        nothing_running(&s.env, "f");
    }
}

/// Resolving writes no commit: it is one database transaction. Killed before it commits, every
/// conflict is still open with our draft kept; killed after, they are resolved. Either way the
/// operation is shown as interrupted or done, never running, and one more resolve and push land
/// exactly one commit with our side of the conflict.
#[test]
fn resolve_killed_before_or_after_its_transaction_loses_nothing() {
    for point in ["resolve:before-commit", "resolve:after-commit"] {
        let s = setup();
        s.edit_leaf();
        let work = s.env.other_clone(&s.remote, "colleague");
        let path = work.join(DIR).join(LEAF);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("VS-01 MCLAG 1", "VS-01 colleague")).unwrap();
        s.env.commit_push(&work, "colleague's description");
        s.env.json(3, &["pull", "f"]);
        s.crash(point, &["resolve", "f", "--all", "--take", "ours"]);
        let listed: Value = serde_json::from_slice(&s.env.hhsync(&["--json", "conflicts", "f"]).stdout).unwrap();
        let open = listed.as_array().unwrap().len();
        assert_eq!(open, if point.ends_with("before-commit") { 1 } else { 0 }, "{point}");
        assert_eq!(s.drafts(), 1, "{point}: our draft is kept");
        s.env.run(0, &["resolve", "f", "--all", "--take", "ours"]);
        // The next operation on the fabric marks the killed one interrupted.
        s.env.run(0, &["push", "f"]);
        nothing_running(&s.env, "f");
        assert_eq!(s.our_commits(), 1, "{point}");
        assert_eq!(s.drafts(), 0, "{point}");
    }
}
