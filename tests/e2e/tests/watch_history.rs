//! The app watching in the background and acting on its history (issue G items 4 and 5), as a
//! person uses it: with the watch interval set to 5 s in Settings, a colleague's commit shows
//! up on its own (badge "behind", a toast saying what arrived) and the toast's Pull brings it;
//! then a push is reverted from History after a confirmation showing its diff, and the bare
//! repository holds the original file again.

use std::time::Duration;

use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, ingest_demo, editor_text, set_editor_text, text, WAIT};

const LEAF: &str = "gitops/hedgehog/fabric-1/managed/switches/leaf-01.yaml";

#[test]
fn a_colleagues_commit_is_noticed_and_pulled_then_a_push_is_reverted_from_history() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    ingest_demo(s);

    // Settings → General: check every 5 seconds.
    eprintln!("step: watch interval 5 s");
    click(s, "[data-testid=open-settings]");
    let interval = s.wait_for("[data-testid=pref-watch-interval]", WAIT).unwrap();
    s.clear(&interval).unwrap();
    s.type_text(&interval, "5").unwrap();
    click(s, "[data-testid=pref-save]");
    std::thread::sleep(Duration::from_millis(500));
    click(s, "[data-testid=fabric-demo]");
    s.wait_for("[data-testid=overview]", WAIT).unwrap();

    // A colleague pushes; the app notices by itself.
    eprintln!("step: a colleague's commit arrives");
    let remote = app.demo_remote();
    let work = app.tmp.path().join("colleague");
    app.git(app.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), work.to_str().unwrap()]);
    let path = work.join(LEAF);
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace("VS-01 MCLAG 1", "VS-01 moved by a colleague")).unwrap();
    app.git(&work, &["commit", "-qam", "leaf-01: moved by a colleague"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    let news = || {
        s.find_all("[data-testid=toast]").unwrap_or_default().into_iter().find(|t| s.text(t).unwrap_or_default().contains("moved by a colleague"))
    };
    s.wait_until("the toast saying what arrived", Duration::from_secs(45), || news().is_some()).unwrap();
    s.wait_until("the badge says behind", WAIT, || text(s, "[data-testid=badge-demo]").to_lowercase().contains("behind")).unwrap();
    app.screenshot("g5-remote-news-toast-and-behind-badge").unwrap();
    let pull = s.find_all("[data-testid=toast] button.link").unwrap().into_iter().find(|b| s.text(b).unwrap_or_default() == "Pull").expect("a Pull button");
    s.click(&pull).unwrap();
    s.wait_until("in sync after the pull", WAIT, || !text(s, "[data-testid=badge-demo]").to_lowercase().contains("behind")).unwrap();

    // Our push, then revert it from History.
    eprintln!("step: push, then revert it from History");
    click(s, "[data-testid=tab-resources]");
    let search = s.wait_for("[data-testid=search]", WAIT).unwrap();
    s.type_text(&search, "leaf-01").unwrap();
    let row = s.wait_for("[data-testid=row-Switch-leaf-01]", WAIT).unwrap();
    s.click(&row).unwrap();
    if let Ok(open) = s.wait_for("[data-testid=btn-open-resource]", Duration::from_secs(2)) {
        s.click(&open).unwrap();
    }
    s.wait_until("the pulled description in the editor", WAIT, || editor_text(s).contains("moved by a colleague")).unwrap();
    let ours = editor_text(s).replace("VS-01 moved by a colleague", "VS-01 a mistake");
    set_editor_text(s, &ours);
    click(s, "[data-testid=btn-save]");
    s.wait_until("saved as modified", WAIT, || text(s, "[data-testid=editor-status]") == "modified").unwrap();
    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-push]");
    click(s, "[data-testid=btn-push-confirm]");
    s.wait_for("[data-testid=push-result]", WAIT).unwrap();
    let shown = || app.git(&remote, &["show", &format!("main:{LEAF}")]);
    assert!(shown().contains("VS-01 a mistake"));
    click(s, "[data-testid=btn-push-close]");

    click(s, "[data-testid=tab-history]");
    let push_row = s
        .wait_until("the push in the history", WAIT, || {
            s.find_all("tr[data-testid^=op-]").unwrap_or_default().iter().any(|r| s.text(r).unwrap_or_default().to_lowercase().contains("push"))
        })
        .map(|_| s.find_all("tr[data-testid^=op-]").unwrap().into_iter().find(|r| s.text(r).unwrap_or_default().to_lowercase().contains("push")).unwrap())
        .unwrap();
    // A click lands on a cell (WebKitWebDriver finds no click point on a <tr> itself).
    let row_id = s.attribute(&push_row, "data-testid").unwrap().unwrap();
    click(s, &format!("[data-testid={row_id}] td"));
    s.wait_until("the push's diff", WAIT, || text(s, "[data-testid=operation-detail]").contains("VS-01 a mistake")).unwrap();
    click(s, "[data-testid=btn-revert]");
    s.wait_until("the confirmation shows the diff", WAIT, || text(s, "[data-testid=revert-dialog]").contains("leaf-01")).unwrap();
    app.screenshot("g4-revert-confirmation").unwrap();
    click(s, "[data-testid=btn-revert-confirm]");
    s.wait_until("the revert landed", WAIT, || shown().contains("VS-01 moved by a colleague")).unwrap();
    assert!(!shown().contains("a mistake"));
    app.screenshot("g4-reverted").unwrap();
}
