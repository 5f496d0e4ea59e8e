//! Proposing a change from the app (issue G item 3), against the engine tests' stand-in for
//! GitHub's REST API (answers shaped and checked by GitHub's OpenAPI description) and a real
//! smart-HTTP git server with token auth: a repository added in Settings with its API URL, a
//! fabric on it, a draft proposed from the push dialog as a pull request whose link is shown;
//! the proposal listed in the Proposals tab; merged on the server side, then resolved by a
//! refresh, the draft gone into the merged commit. Then the secrets audit's web-view part: no
//! command result, event, DOM node or storage a page script can read holds the tokens.

#[path = "../../../src-tauri/engine/tests/common/http_git.rs"]
mod http_git;
// fake_github.rs finds the description through `super::openapi`.
#[path = "../../../src-tauri/engine/tests/common/fake_github.rs"]
mod fake_github;
#[path = "../../../src-tauri/engine/tests/common/openapi.rs"]
mod openapi;

use std::path::Path;
use std::time::Duration;

use fake_github::FakeGitHub;
use hhsync_e2e::app::App;
use hhsync_e2e::spy::{install_spy, readable};
use hhsync_e2e::steps::{click, text, type_into, WAIT};
use http_git::GitHttpServer;

const PUSH: &str = "ghs_Push7oken0123456789abcdefGHIJKLmn";
const READ: &str = "ghs_Read7oken0123456789abcdefOPQRSTuv";
const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";

#[test]
fn a_draft_is_proposed_as_a_pull_request_listed_then_merged() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    s.wait_for("[data-testid=fabric-demo]", WAIT).unwrap();
    install_spy(s);

    // The remote (acme/fabric.git with one commit) behind token auth, and GitHub's API.
    let root = app.tmp.path().join("srv");
    let bare = root.join("acme/fabric.git");
    std::fs::create_dir_all(&bare).unwrap();
    app.git(&bare, &["init", "--bare", "-q", "-b", "main"]);
    let seed = app.tmp.path().join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    app.git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("README.md"), "fabrics\n").unwrap();
    app.git(&seed, &["add", "."]);
    app.git(&seed, &["commit", "-q", "-m", "first"]);
    app.git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/engine/tests/helpers/git_http_server.py");
    let git = GitHttpServer::start_script(&script, &root, &[("x-access-token", PUSH, "rw"), ("x-access-token", READ, "r")]);
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);

    // Settings: the repository with its token and API URL.
    eprintln!("step: add the repository with a token and the GitHub API URL");
    click(s, "[data-testid=open-settings]");
    click(s, "[data-testid=repo-add]");
    type_into(s, "[data-testid=repo-form-name]", "lab");
    type_into(s, "[data-testid=repo-form-url]", &git.url("acme/fabric.git"));
    type_into(s, "[data-testid=repo-form-branch]", "main");
    click(s, "[data-testid=repo-form-auth-token]");
    type_into(s, "[data-testid=repo-form-token]", PUSH);
    type_into(s, "[data-testid=repo-form-api-url]", &fake.url());
    click(s, "[data-testid=repo-form-save]");
    s.wait_until("the repository listed", WAIT, || text(s, "[data-testid=repo-row-lab]").contains("HTTPS token")).unwrap();

    // A fabric on it, created (init pushes over HTTP with the token).
    eprintln!("step: add a fabric on it");
    click(s, "[data-testid=btn-add]");
    // The radio is checked the way a label click or a keyboard Space would: through the DOM
    // (WebKitWebDriver's pointer click did not reach this 13-pixel input in the dialog).
    let radio = s.wait_for("[data-testid=add-use-existing]", WAIT).unwrap();
    s.execute("arguments[0].click(); return arguments[0].checked;", vec![s.element_arg(&radio)]).unwrap();
    let existing = s.wait_for("[data-testid=add-existing]", WAIT).unwrap();
    s.select(&existing, "lab").unwrap();
    type_into(s, "[data-testid=add-fabric-name]", "f");
    type_into(s, "[data-testid=add-fabric-directory]", "fab");
    click(s, "[data-testid=btn-add-confirm]");
    s.wait_for("[data-testid=fabric-f]", WAIT).unwrap();
    s.wait_until("the dialog closed", WAIT, || s.find("[data-testid=add-dialog]").is_err()).unwrap();
    click(s, "[data-testid=fabric-f]");
    s.wait_for("[data-testid=overview]", WAIT).unwrap();

    // A draft (made with the CLI on the same data directory), proposed from the push dialog.
    eprintln!("step: propose the draft as a pull request");
    app.hhsync(&["edit", "f", "VLANNamespace/extra"], VLANS);
    click(s, "[data-testid=btn-push]");
    click(s, "[data-testid=push-mode-propose]");
    type_into(s, "[data-testid=propose-branch]", "hhsync/extra-vlans");
    type_into(s, "[data-testid=propose-title]", "More VLANs");
    s.wait_until("the change listed", WAIT, || s.find("[data-testid=push-change-VLANNamespace-extra]").is_ok()).unwrap();
    click(s, "[data-testid=btn-propose-confirm]");
    s.wait_until("the pull request link", WAIT, || text(s, "[data-testid=pr-link]").contains("More VLANs")).unwrap();
    app.screenshot("g3-proposed-pull-request").unwrap();
    let link = text(s, "[data-testid=pr-link]");
    let number: i64 = link.trim_start_matches('#').split_whitespace().next().unwrap().parse().unwrap_or_else(|_| panic!("{link}"));
    let pull = fake.pull(number).expect("the pull request was opened on the API");
    assert_eq!((pull.head.as_str(), pull.base.as_str(), pull.title.as_str()), ("hhsync/extra-vlans", "main", "More VLANs"));
    assert!(app.git(&bare, &["branch", "--list", "hhsync/extra-vlans"]).contains("hhsync/extra-vlans"), "the branch was pushed");
    click(s, "[data-testid=btn-push-close]");

    // The Proposals tab lists it, open.
    click(s, "[data-testid=tab-proposals]");
    s.wait_until("the proposal listed", WAIT, || text(s, "[data-testid=proposals]").contains("hhsync/extra-vlans")).unwrap();
    assert!(text(s, "[data-testid=proposals]").contains(&format!("#{number}")));

    // Merged on the server side (the branch merged into main, the pull request closed merged):
    // a refresh resolves the proposal, and the draft went in with the merge.
    eprintln!("step: merged on the server side, then refreshed");
    let work = app.tmp.path().join("maintainer");
    app.git(app.tmp.path(), &["clone", "-q", bare.to_str().unwrap(), work.to_str().unwrap()]);
    app.git(&work, &["fetch", "-q", "origin", "hhsync/extra-vlans"]);
    app.git(&work, &["merge", "-q", "--no-ff", "-m", "Merge pull request", "FETCH_HEAD"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    fake.close(number, true);
    click(s, "[data-testid=proposals-refresh]");
    s.wait_until("the proposal merged", WAIT, || text(s, "[data-testid=proposals]").to_lowercase().contains("merged")).unwrap();
    app.screenshot("g3-proposal-merged").unwrap();
    let status: serde_json::Value = serde_json::from_str(&app.hhsync(&["--json", "status", "f"], "")).unwrap();
    assert_eq!((status["counts"]["new"].as_u64(), status["counts"]["synced"].as_u64()), (Some(0), Some(1)), "{status}");
    // A pull from the Overview, so its progress and result are heard too.
    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-pull]");
    s.wait_until("the pull's progress heard", WAIT, || {
        s.execute("return window.__spy.some((x) => x.startsWith('event progress ') && x.includes('\"pull\"'));", vec![]).ok().and_then(|v| v.as_bool()) == Some(true)
    })
    .unwrap();
    std::thread::sleep(Duration::from_millis(10));
    fake.assert_all_match_the_description();

    // The secrets audit's web-view part: every event the app heard along the way, the answers
    // and errors of the commands it calls, the DOM and storage hold neither token, nor a
    // recognisable part of one.
    let fabric = serde_json::json!({ "fabric": "f" });
    let calls = ["pull", "push", "refresh_proposals", "proposals", "operation_log", "fabric_overview", "list_resources", "fabric_settings"];
    let seen = readable(s, &calls.map(|c| (c, fabric.clone())));
    for heard in ["result pull", "result refresh_proposals", "result operation_log", "event progress", "event fabric-changed"] {
        assert!(seen.contains(heard), "the spy saw {heard}: {}", &seen[..seen.len().min(1500)]);
    }
    for secret in [PUSH, READ, "Push7oken", "Read7oken", "0123456789abcdef"] {
        assert!(!seen.contains(secret), "{secret:?} is readable by the page");
    }
}
