//! Resolving a conflict never silently undoes a change only one side made (issue K): our draft
//! changes `spec.description`, a colleague changes it too and also changes a port breakout.
//! Taking ours (CLI `--take ours`, or per hunk with the defaults) keeps the colleague's breakout;
//! only replacing with the whole local version drops it, and says so first.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::Env;
use hhsync_engine::engine::{Engine, Resolution, Trigger};
use hhsync_engine::sync::diff::{HunkOrigin, HunkSide};

const DIR: &str = "fab";
const PATH: &str = "managed/switches/ds3000-01.yaml";
const SWITCH: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: ds3000-01\n  namespace: default\nspec:\n  description: leaf in rack 1\n  profile: celestica-ds3000\n  role: server-leaf\n  portBreakouts:\n    E1/1: 4x25G\n    E1/5: 4x10G\n    E1/9: 4x25G\n";

struct Scenario {
    env: Env,
    remote: PathBuf,
}

impl Scenario {
    /// The switch in Git; our draft changes the description; the colleague changes the
    /// description differently and E1/5 to 4x25G; a pull makes one edit-edit conflict.
    fn new() -> Self {
        Self::with(
            &SWITCH.replace("leaf in rack 1", "ours leaf in rack 1, row B"),
            &SWITCH.replace("leaf in rack 1", "theirs leaf in rack 1 (moved)").replace("E1/5: 4x10G", "E1/5: 4x25G"),
        )
    }

    fn with(ours: &str, theirs: &str) -> Self {
        let env = Env::new();
        let remote = env.remote_with("remote", &[(&format!("{DIR}/{PATH}"), SWITCH)]);
        env.setup_fabric(&remote, "r", "f", DIR);
        env.run(0, &["pull", "f"]);
        env.run_with_input(0, &["edit", "f", "Switch/ds3000-01"], ours);
        let work = env.other_clone(&remote, "colleague");
        env.write(&work, &format!("{DIR}/{PATH}"), theirs);
        env.commit_push(&work, "colleague's change");
        let pulled = env.json(3, &["pull", "f"]);
        assert_eq!(pulled["counts"]["conflicts"], 1, "{pulled}");
        let listed = env.hhsync(&["--json", "conflicts", "f"]);
        let conflicts: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(conflicts[0]["fields"], serde_json::json!(["spec.description"]), "{conflicts}");
        Self { env, remote }
    }

    fn draft(&self) -> String {
        let shown = self.env.json(0, &["show", "f", "Switch/ds3000-01"]);
        shown["draft_text"].as_str().expect("a draft").to_owned()
    }

    fn pushed(&self) -> String {
        self.env.run(0, &["push", "f"]);
        self.env.cat(&self.remote, &format!("{DIR}/{PATH}"))
    }
}

#[test]
fn take_ours_keeps_the_colleagues_other_change() {
    let s = Scenario::new();
    s.env.json(0, &["resolve", "f", "Switch/ds3000-01", "--take", "ours"]);
    let draft = s.draft();
    assert!(draft.contains("ours leaf in rack 1, row B") && draft.contains("E1/5: 4x25G"), "{draft}");
    let file = s.pushed();
    assert!(file.contains("ours leaf in rack 1, row B"), "our description won the conflict:\n{file}");
    assert!(file.contains("E1/5: 4x25G"), "the colleague's breakout survived:\n{file}");
}

#[test]
fn take_theirs_keeps_our_other_change() {
    // Our draft also changes a field the colleague did not touch.
    let s2 = Scenario::with(
        &SWITCH.replace("leaf in rack 1", "ours").replace("E1/9: 4x25G", "E1/9: 4x10G"),
        &SWITCH.replace("leaf in rack 1", "theirs"),
    );
    s2.env.json(0, &["resolve", "f", "Switch/ds3000-01", "--take", "theirs"]);
    let file = s2.pushed();
    assert!(file.contains("description: theirs") && file.contains("E1/9: 4x10G"), "{file}");
}

#[test]
fn replacing_with_the_whole_local_version_names_what_it_drops() {
    let s = Scenario::new();
    let out = s.env.hhsync(&["resolve", "f", "Switch/ds3000-01", "--whole", "ours"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("spec.portBreakouts"), "the warning names the dropped change: {stderr}");
    let file = s.pushed();
    assert!(file.contains("E1/5: 4x10G") && file.contains("ours leaf"), "{file}");
}

#[test]
fn per_hunk_with_the_defaults_takes_the_upstream_only_hunk_from_upstream() {
    let s = Scenario::new();
    let engine = Engine::open(&s.env.data_dir()).unwrap();
    let conflicts = engine.conflicts("f", false).unwrap();
    let c = &conflicts[0];
    assert_eq!(c.ours_vs_theirs.len(), 2, "two hunks: description and E1/5: {:#?}", c.ours_vs_theirs);
    let origins: Vec<HunkOrigin> = c.ours_vs_theirs.iter().map(|h| c.hunk_origins[&h.id]).collect();
    assert_eq!(origins, [HunkOrigin::Both, HunkOrigin::Theirs]);
    assert_eq!(c.whole_ours_drops, [r#"spec.portBreakouts["E1/5"]"#]);
    // What the old view sent: nothing chosen, default "ours" (old).
    engine.resolve("f", &"Switch/ds3000-01".parse().unwrap(), Resolution::Hunks { choices: HashMap::new(), default: HunkSide::Old }, Trigger::Cli).unwrap();
    let file = s.pushed();
    assert!(file.contains("ours leaf in rack 1, row B") && file.contains("E1/5: 4x25G"), "{file}");
}
