//! Resolving conflicts in bulk (issue G item 6): `hhsync resolve FABRIC --all --take ours|theirs`
//! and `Engine::resolve_many`, the one operation the app's "resolve selected" runs. Two switches
//! conflict; every choice keeps the changes only one side made, and the result is what lands in
//! the bare repository. A bulk resolution is all or none.

mod common;

use std::path::PathBuf;

use common::Env;
use hhsync_engine::engine::{Engine, Resolution, Trigger};

const DIR: &str = "fab";
const SWITCH: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: NAME\n  namespace: default\nspec:\n  description: leaf in rack 1\n  profile: celestica-ds3000\n  role: server-leaf\n  portBreakouts:\n    E1/1: 4x25G\n    E1/5: 4x10G\n";

fn switch(name: &str) -> String {
    SWITCH.replace("NAME", name)
}

fn path(name: &str) -> String {
    format!("{DIR}/managed/switches/{name}.yaml")
}

/// leaf-a and leaf-b: our drafts change each description; the colleague changes each
/// description differently and leaf-a's E1/5 breakout. A pull makes two conflicts.
fn two_conflicts() -> (Env, PathBuf) {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&path("leaf-a"), &switch("leaf-a")), (&path("leaf-b"), &switch("leaf-b"))]);
    env.setup_fabric(&remote, "r", "f", DIR);
    env.run(0, &["pull", "f"]);
    for name in ["leaf-a", "leaf-b"] {
        env.run_with_input(0, &["edit", "f", &format!("Switch/{name}")], &switch(name).replace("leaf in rack 1", "ours"));
    }
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &path("leaf-a"), &switch("leaf-a").replace("leaf in rack 1", "theirs").replace("E1/5: 4x10G", "E1/5: 4x25G"));
    env.write(&work, &path("leaf-b"), &switch("leaf-b").replace("leaf in rack 1", "theirs"));
    env.commit_push(&work, "colleague's change");
    let pulled = env.json(3, &["pull", "f"]);
    assert_eq!(pulled["counts"]["conflicts"], 2, "{pulled}");
    (env, remote)
}

#[test]
fn resolve_all_take_ours_resolves_every_conflict_and_keeps_the_colleagues_other_change() {
    let (env, remote) = two_conflicts();
    let out = env.json(0, &["resolve", "f", "--all", "--take", "ours"]);
    let resolved = out["resolved"].as_array().expect("a list");
    let names: Vec<&str> = resolved.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["leaf-a", "leaf-b"], "{out}");
    assert!(resolved.iter().all(|d| d["status"] == "modified"), "{out}");
    assert_eq!(env.json(0, &["conflicts", "f"]).as_array().unwrap().len(), 0);
    let log = env.json(0, &["log", "f"]);
    let resolve = log.as_array().unwrap().iter().find(|o| o["kind"] == "resolve").expect("one resolve operation");
    assert_eq!(resolve["counts"]["resolved"], 2, "one operation for both: {resolve}");

    env.run(0, &["push", "f"]);
    let a = env.cat(&remote, &path("leaf-a"));
    assert!(a.contains("description: ours") && a.contains("E1/5: 4x25G"), "{a}");
    assert!(env.cat(&remote, &path("leaf-b")).contains("description: ours"));
    // Nothing left to resolve: says so, and succeeds.
    assert_eq!(env.json(0, &["resolve", "f", "--all", "--take", "theirs"])["resolved"], serde_json::json!([]));
}

#[test]
fn resolve_all_needs_a_side_and_no_resource() {
    let (env, _remote) = two_conflicts();
    assert!(env.fail(1, &["resolve", "f", "--all"]).contains("--take"));
    env.fail(2, &["resolve", "f", "Switch/leaf-a", "--all", "--take", "ours"]);
    env.fail(2, &["resolve", "f"]);
    assert_eq!(env.json(3, &["conflicts", "f"]).as_array().unwrap().len(), 2, "nothing was resolved");
}

#[test]
fn a_mixed_bulk_resolution_lands_each_choice_and_a_failing_one_resolves_none() {
    let (env, remote) = two_conflicts();
    let engine = Engine::open(&env.data_dir()).unwrap();
    let a = "Switch/leaf-a".parse().unwrap();
    let b = "Switch/leaf-b".parse().unwrap();
    let gone = "Switch/leaf-c".parse().unwrap();

    let err = engine.resolve_many("f", vec![(a, Resolution::Ours), (gone, Resolution::Ours)], Trigger::User).unwrap_err();
    assert_eq!(err.code(), hhsync_engine::Code::NotFound, "{err}");
    assert_eq!(engine.conflicts("f", false).unwrap().len(), 2, "all or none: leaf-a is still in conflict");

    let a = "Switch/leaf-a".parse().unwrap();
    let reports = engine.resolve_many("f", vec![(a, Resolution::Theirs), (b, Resolution::Ours)], Trigger::User).unwrap();
    assert_eq!(reports.len(), 2);
    // leaf-a took theirs entirely (our only change was the conflicting one): no draft left.
    assert_eq!(reports[0].status, hhsync_engine::store::ResourceStatus::Synced, "{:?}", reports[0]);
    env.run(0, &["push", "f"]);
    let a = env.cat(&remote, &path("leaf-a"));
    assert!(a.contains("description: theirs") && a.contains("E1/5: 4x25G"), "{a}");
    assert!(env.cat(&remote, &path("leaf-b")).contains("description: ours"));
}
