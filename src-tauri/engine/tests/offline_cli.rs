//! Offline work through the real `hhsync` binary: with the remote gone, drafts and conflict
//! resolution keep working, push says the remote is unreachable and keeps the drafts, and
//! status says "offline" until the remote answers again.

mod common;

use common::Env;

const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";
const PATH: &str = "fab/managed/vlannamespaces/extra.yaml";

#[test]
fn offline_work_keeps_drafts_and_status_says_offline() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    env.run_with_input(0, &["edit", "f", "VLANNamespace/extra"], VLANS);
    env.run(0, &["push", "f"]);
    assert_eq!(env.json(0, &["status", "f"])["offline"], false);

    // Someone else and we change the same field: a conflict.
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, PATH, &VLANS.replace("1999", "2500"));
    env.commit_push(&work, "colleague widens the range");
    env.run_with_input(0, &["edit", "f", "VLANNamespace/extra"], &VLANS.replace("1999", "2999"));
    env.run(3, &["pull", "f"]);

    // The remote goes away.
    let away = env.path("remote-away.git");
    std::fs::rename(&remote, &away).unwrap();
    let err = env.fail(1, &["pull", "f"]);
    assert!(err.contains("cannot reach"), "{err}");
    let status = env.json(3, &["status", "f"]);
    assert_eq!(status["offline"], true, "{status}");
    assert!(env.run(3, &["status", "f"]).contains("offline"), "the human status says so");

    // Resolution and drafts keep working offline.
    env.run(0, &["resolve", "f", "VLANNamespace/extra", "--take", "ours"]);
    let more = VLANS.replace("name: extra", "name: more").replace("1000", "500").replace("1999", "600");
    env.run_with_input(0, &["edit", "f", "VLANNamespace/more"], &more);
    let err = env.fail(1, &["push", "f"]);
    assert!(err.contains("cannot reach") && err.contains("nothing was lost"), "{err}");
    let status = env.json(0, &["status", "f"]);
    assert_eq!((status["counts"]["modified"].as_u64(), status["counts"]["new"].as_u64()), (Some(1), Some(1)), "{status}");
    assert_eq!(status["offline"], true);

    // Back online: the drafts go out and status stops saying offline.
    std::fs::rename(&away, &remote).unwrap();
    env.run(0, &["push", "f"]);
    let status = env.json(0, &["status", "f"]);
    assert_eq!(status["offline"], false, "{status}");
    assert_eq!(status["counts"]["synced"], 2);
    assert!(env.cat(&remote, PATH).contains("2999"));
}
