//! Crash safety, the particular cases: a push killed right after the remote accepted it, how a
//! killed operation is shown, and a resolve killed on either side of its transaction. Every
//! operation killed at every injection point and at random moments is `crash_campaign.rs`.

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

fn nothing_running(env: &Env, fabric: &str) {
    let log = env.json(0, &["log", fabric]);
    for op in log.as_array().unwrap() {
        assert_ne!(op["status"], "running", "{op}");
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
