//! Connecting a private repository from the app alone (issue G item 1): Settings → Repositories
//! → Add, with an HTTPS token, against a real smart-HTTP git server behind basic auth (the one
//! the engine's tests use); "Check connection" ticks off each step; a wrong token says
//! authentication failed. Through the WebDriver session, the token is then searched for in the
//! DOM, in every command's result and in every event's payload: no page script can read it.

#[path = "../../../src-tauri/engine/tests/common/http_git.rs"]
mod http_git;

use std::path::Path;

use hhsync_e2e::app::App;
use hhsync_e2e::spy::{install_spy, readable};
use hhsync_e2e::steps::{click, text, type_into, WAIT};
use hhsync_e2e::webdriver::Session;
use http_git::GitHttpServer;

const GOOD: &str = "ghs_Good7oken0123456789abcdefGHIJKLmn";
const WRONG: &str = "ghs_Wrong7oken0123456789abcdefOPQRSTuv";

fn step_state(s: &Session, step: &str) -> String {
    s.find(&format!("[data-testid=check-step-{step}]")).and_then(|e| s.attribute(&e, "data-state")).ok().flatten().unwrap_or_default()
}

/// Runs "Check connection" and waits for the last step to finish.
fn check_connection(s: &Session, repo: &str) {
    click(s, &format!("[data-testid=repo-check-{repo}]"));
    s.wait_until("the check's last step", WAIT, || matches!(step_state(s, "rate-limit").as_str(), "passed" | "failed" | "skipped")).unwrap();
}

/// A bare repository `acme/fabric.git` under `root` with one commit on main.
fn served_remote(app: &App, root: &Path) {
    let bare = root.join("acme/fabric.git");
    std::fs::create_dir_all(&bare).unwrap();
    app.git(&bare, &["init", "--bare", "-q", "-b", "main"]);
    let work = app.tmp.path().join("seed");
    std::fs::create_dir_all(&work).unwrap();
    app.git(&work, &["init", "-q", "-b", "main"]);
    std::fs::write(work.join("README.md"), "fabrics\n").unwrap();
    app.git(&work, &["add", "."]);
    app.git(&work, &["commit", "-q", "-m", "first"]);
    app.git(&work, &["push", "-q", bare.to_str().unwrap(), "main"]);
}

#[test]
fn a_private_repository_is_connected_from_the_app_and_its_token_never_reaches_the_page() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    s.wait_for("[data-testid=fabric-demo]", WAIT).unwrap();
    let root = app.tmp.path().join("srv");
    served_remote(&app, &root);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/engine/tests/helpers/git_http_server.py");
    let server = GitHttpServer::start_script(&script, &root, &[("x-access-token", GOOD, "rw")]);
    let url = server.url("acme/fabric.git");
    install_spy(s);

    // Settings → Repositories → Add, with a token.
    eprintln!("step: add a repository with an HTTPS token");
    click(s, "[data-testid=open-settings]");
    click(s, "[data-testid=repo-add]");
    type_into(s, "[data-testid=repo-form-name]", "lab");
    type_into(s, "[data-testid=repo-form-url]", &url);
    type_into(s, "[data-testid=repo-form-branch]", "main");
    click(s, "[data-testid=repo-form-auth-token]");
    type_into(s, "[data-testid=repo-form-token]", GOOD);
    app.screenshot("settings-01-add-repository-with-token").unwrap();
    click(s, "[data-testid=repo-form-save]");
    s.wait_until("the repository listed with its auth method", WAIT, || text(s, "[data-testid=repo-row-lab]").contains("HTTPS token")).unwrap();

    // Check connection: every step passes, one by one.
    eprintln!("step: check connection");
    check_connection(s, "lab");
    for step in ["reachable", "authenticated", "branch-exists", "may-push"] {
        assert_eq!(step_state(s, step), "passed", "{step}: {}", text(s, "[data-testid=check-steps]"));
    }
    app.screenshot("settings-02-check-connection-passes").unwrap();

    // Replace the token with a wrong one: the check names authentication.
    eprintln!("step: replace the token with a wrong one");
    click(s, "[data-testid=repo-edit-lab]");
    s.wait_until("the stored token noted", WAIT, || text(s, "[data-testid=repo-dialog]").contains("stored in the system keychain")).unwrap();
    click(s, "[data-testid=token-replace]");
    type_into(s, "[data-testid=repo-form-token]", WRONG);
    click(s, "[data-testid=repo-form-save]");
    s.wait_until("the edit dialog closed", WAIT, || s.find("[data-testid=repo-dialog]").is_err()).unwrap();
    check_connection(s, "lab");
    assert_eq!(step_state(s, "reachable"), "passed");
    assert_eq!(step_state(s, "authenticated"), "failed");
    let steps = text(s, "[data-testid=check-steps]").to_lowercase();
    assert!(steps.contains("credentials") || steps.contains("authenticat"), "the failure names authentication: {steps}");
    app.screenshot("settings-03-wrong-token-fails-authentication").unwrap();

    // Nothing a page script can read holds either token, or a recognisable part of one.
    let seen = readable(s, &[]);
    assert!(seen.contains("result check_repository") && seen.contains("result repository_settings"), "the commands answered: {}", &seen[..seen.len().min(800)]);
    assert!(seen.contains("event repo-check"), "the spy saw the events");
    for secret in [GOOD, WRONG, "Good7oken", "Wrong7oken", "0123456789abcdef"] {
        assert!(!seen.contains(secret), "{secret:?} is readable by the page");
    }
    drop(server);
}
