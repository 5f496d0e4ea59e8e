//! What the app's History and background check ask of the engine (issue G items 4 and 5):
//! what an operation committed, file by file with its diff; a revert of a push that went to a
//! proposal branch says exactly why it cannot be made; the remote check tells what arrived
//! without applying it; and a fabric's own auto-pull setting.

mod common;

use common::Env;
use hhsync_engine::engine::{Engine, FileChangeKind, PushRequest};
use hhsync_engine::{Code, Trigger};

const DIR: &str = "fab";
const LEAF: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\n  namespace: default\nspec:\n  description: rack 1\n  profile: vs\n  role: server-leaf\n";

fn setup() -> (Env, std::path::PathBuf, Engine) {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/managed/switches/leaf-01.yaml"), LEAF)]);
    env.setup_fabric(&remote, "r", "f", DIR);
    env.run(0, &["pull", "f"]);
    let engine = Engine::open(&env.data_dir()).unwrap();
    (env, remote, engine)
}

#[test]
fn an_operations_diff_names_its_files_and_a_proposal_cannot_be_reverted_on_the_branch() {
    let (env, _remote, engine) = setup();
    env.run_with_input(0, &["edit", "f", "Switch/leaf-01"], &LEAF.replace("rack 1", "rack 2"));
    let pushed = engine.push("f", &PushRequest::default(), Trigger::User).unwrap();
    let diff = engine.operation_diff("f", pushed.operation_id).unwrap();
    assert_eq!(diff.commit, pushed.commit);
    assert!(diff.branch.is_none() && diff.parent.is_some());
    assert!(diff.message.as_deref().unwrap_or_default().contains("Switch/leaf-01"), "{diff:?}");
    assert_eq!(diff.files.len(), 1, "{diff:?}");
    let file = &diff.files[0];
    assert_eq!((file.path.as_str(), file.resource.as_deref(), file.change), ("managed/switches/leaf-01.yaml", Some("Switch/leaf-01"), FileChangeKind::Modified));
    assert!(file.diff.contains("-  description: rack 1") && file.diff.contains("+  description: rack 2"), "{}", file.diff);

    // A pull made no commit: nothing to show.
    let pulled = engine.pull("f", Trigger::User).unwrap();
    assert!(engine.operation_diff("f", pulled.operation_id).unwrap().commit.is_none());
    assert_eq!(engine.operation_diff("f", 9999).unwrap_err().code(), Code::NotFound);

    // A push to a proposal branch is not on main: reverting it says so and what to do.
    env.run_with_input(0, &["edit", "f", "Switch/leaf-01"], &LEAF.replace("rack 1", "rack 3"));
    let request = PushRequest { branch: Some("hhsync/proposal".to_owned()), ..PushRequest::default() };
    let proposed = engine.push("f", &request, Trigger::User).unwrap();
    assert_eq!(engine.operation_diff("f", proposed.operation_id).unwrap().branch.as_deref(), Some("hhsync/proposal"));
    let err = engine.revert("f", proposed.operation_id, Trigger::User).unwrap_err();
    assert_eq!(err.code(), Code::RevertBlocked);
    assert!(err.to_string().contains("hhsync/proposal") && err.to_string().contains("abandon the proposal"), "{err}");
    // The push to main reverts, once the proposed draft on its file is out of the way.
    let blocked = engine.revert("f", pushed.operation_id, Trigger::User).unwrap_err();
    assert_eq!(blocked.code(), Code::RevertBlocked);
    assert!(blocked.to_string().contains("leaf-01.yaml"), "{blocked}");
    env.run(0, &["discard", "f", "--all"]);
    let reverted = engine.revert("f", pushed.operation_id, Trigger::User).unwrap();
    assert_eq!(reverted.files, ["managed/switches/leaf-01.yaml"]);
}

/// A pull that brings several commits shows all they changed, not only the last commit's files.
#[test]
fn a_pulls_diff_covers_every_commit_it_brought() {
    let (env, remote, engine) = setup();
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/managed/switches/leaf-01.yaml"), &LEAF.replace("rack 1", "rack 7"));
    env.commit_push(&work, "leaf-01 to rack 7");
    env.write(&work, &format!("{DIR}/managed/switches/leaf-02.yaml"), &LEAF.replace("leaf-01", "leaf-02"));
    env.commit_push(&work, "leaf-02");
    let pulled = engine.pull("f", Trigger::User).unwrap();
    let diff = engine.operation_diff("f", pulled.operation_id).unwrap();
    let resources: Vec<Option<&str>> = diff.files.iter().map(|f| f.resource.as_deref()).collect();
    assert_eq!(resources, [Some("Switch/leaf-01"), Some("Switch/leaf-02")], "{diff:?}");
    assert_eq!(diff.message.as_deref().map(str::trim), Some("leaf-02"));
}

#[test]
fn the_remote_check_says_what_arrived_without_applying_it() {
    let (env, remote, engine) = setup();
    let quiet = engine.check_remote("f").unwrap();
    assert!(!quiet.behind && quiet.files.is_empty(), "{quiet:?}");

    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/managed/switches/leaf-01.yaml"), &LEAF.replace("rack 1", "rack 9"));
    env.commit_push(&work, "leaf-01 moves to rack 9");
    let news = engine.check_remote("f").unwrap();
    assert!(news.behind, "{news:?}");
    assert_eq!(news.files, ["managed/switches/leaf-01.yaml"]);
    assert_eq!(news.summary.as_deref(), Some("leaf-01 moves to rack 9"));
    assert_eq!(news.remote_commit.as_deref(), Some(env.head(&remote).as_str()));
    assert_ne!(engine.synced_commit("f").unwrap(), news.remote_commit, "nothing was applied");
    let overview = engine.overview("f").unwrap();
    assert_eq!(serde_json::to_value(&overview.badge).unwrap(), "behind", "the fetch makes the badge say behind");

    engine.pull("f", Trigger::Poll).unwrap();
    assert!(!engine.check_remote("f").unwrap().behind);

    assert!(!engine.fabric_settings("f").unwrap().auto_pull);
    assert!(engine.set_auto_pull("f", true).unwrap().auto_pull);
    assert!(engine.fabric_settings("f").unwrap().auto_pull);
    assert!(!engine.set_auto_pull("f", false).unwrap().auto_pull);
}
