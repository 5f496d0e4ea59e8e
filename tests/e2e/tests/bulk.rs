//! Resolving conflicts in bulk from the app (issue G item 6): two switches conflict after a
//! pull; the person selects both, reviews, keeps the local description of one and the
//! upstream description of the other in one operation, and pushes. The bare repository then
//! holds exactly those choices. The drafts are made with the `hhsync` CLI on the app's data
//! directory (the two shells share it); everything after that is done in the app.

use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, ingest_demo, text, WAIT};

const DIR: &str = "gitops/hedgehog/fabric-1/managed/switches";

#[test]
fn two_conflicts_resolved_in_bulk_one_ours_one_theirs_then_pushed() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    ingest_demo(s);

    // Our drafts: new descriptions for leaf-01 and leaf-02.
    for leaf in ["leaf-01", "leaf-02"] {
        let shown: serde_json::Value = serde_json::from_str(&app.hhsync(&["--json", "show", "demo", &format!("Switch/{leaf}")], "")).unwrap();
        let text = shown["text"].as_str().unwrap();
        let ours = text.lines().map(|l| if l.starts_with("  description:") { format!("  description: {leaf} ours") } else { l.to_owned() }).collect::<Vec<_>>().join("\n") + "\n";
        app.hhsync(&["edit", "demo", &format!("Switch/{leaf}")], &ours);
    }
    // The colleague changes both descriptions and pushes.
    let remote = app.demo_remote();
    let work = app.tmp.path().join("colleague");
    app.git(app.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), work.to_str().unwrap()]);
    for leaf in ["leaf-01", "leaf-02"] {
        let path = work.join(DIR).join(format!("{leaf}.yaml"));
        let theirs = std::fs::read_to_string(&path).unwrap().lines().map(|l| {
            if l.starts_with("  description:") { format!("  description: {leaf} theirs") } else { l.to_owned() }
        }).collect::<Vec<_>>().join("\n") + "\n";
        std::fs::write(&path, theirs).unwrap();
    }
    app.git(&work, &["commit", "-qam", "both leaves: new descriptions"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);

    // Pull: two conflicts. Select both, review, one ours and one theirs.
    click(s, "[data-testid=btn-pull]");
    click(s, "[data-testid=tab-conflicts]");
    s.wait_for("[data-testid=bulk-select-Switch-leaf-02]", WAIT).unwrap();
    click(s, "[data-testid=bulk-select-all]");
    click(s, "[data-testid=bulk-review]");
    s.wait_for("[data-testid=bulk-dialog]", WAIT).unwrap();
    let one = s.wait_for("[data-testid=bulk-choice-Switch-leaf-01]", WAIT).unwrap();
    s.select(&one, "ours").unwrap();
    let two = s.wait_for("[data-testid=bulk-choice-Switch-leaf-02]", WAIT).unwrap();
    s.select(&two, "theirs").unwrap();
    assert!(text(s, "[data-testid=bulk-dialog]").contains("spec.description"), "the summary names the conflicting field");
    app.screenshot("g6-bulk-resolve-review").unwrap();
    click(s, "[data-testid=bulk-confirm]");
    s.wait_for("[data-testid=conflicts-empty]", WAIT).unwrap();

    // Push, and the bare repository holds each choice.
    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-push]");
    s.wait_until("the change listed", WAIT, || s.find("[data-testid=push-change-Switch-leaf-01]").is_ok()).unwrap();
    click(s, "[data-testid=btn-push-confirm]");
    s.wait_for("[data-testid=push-result]", WAIT).unwrap();
    let show = |leaf: &str| app.git(&remote, &["show", &format!("main:{DIR}/{leaf}.yaml")]);
    assert!(show("leaf-01").contains("description: leaf-01 ours"), "{}", show("leaf-01"));
    assert!(show("leaf-02").contains("description: leaf-02 theirs"), "{}", show("leaf-02"));
    app.screenshot("g6-bulk-resolved-and-pushed").unwrap();
}
