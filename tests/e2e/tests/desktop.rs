//! The desktop app as a user drives it: the real binary in a real window (Xvfb), through
//! tauri-driver and WebKitWebDriver, on a temp HOME with the demo workspace's local bare
//! repository as the remote. Each step saves a screenshot to tests/e2e/screenshots/.

use std::time::Duration;

use hhsync_e2e::app::App;
use hhsync_e2e::steps::{click, ingest_demo, editor_text, set_editor_text, text, WAIT};

#[test]
fn a_network_engineer_ingests_edits_pushes_and_pulls() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;

    // First run: the demo workspace opens by itself.
    eprintln!("step: First run: the demo workspace opens by itself.");
    s.wait_for("[data-testid=fabric-demo]", WAIT).unwrap();
    s.wait_for("[data-testid=overview]", WAIT).unwrap();
    s.wait_until("the raw file waiting", WAIT, || text(s, "[data-testid=raw-pending]").contains("prepop.yaml")).unwrap();
    app.screenshot("01-first-run-demo").unwrap();

    // Ingest raw/ and see 46 resources.
    eprintln!("step: Ingest raw/ and see 46 resources.");
    click(s, "[data-testid=btn-ingest]");
    if let Ok(confirm) = s.wait_for("[data-testid=btn-ingest-confirm]", Duration::from_secs(3)) {
        s.click(&confirm).unwrap();
    }
    s.wait_until("46 synced resources", WAIT, || text(s, "[data-testid=count-synced]") == "46").unwrap();
    assert_eq!(text(s, "[data-testid=kind-count-Connection]"), "26");
    app.screenshot("02-ingested-46-resources").unwrap();

    // Filter the table.
    eprintln!("step: Filter the table.");
    click(s, "[data-testid=tab-resources]");
    s.wait_until("46 rows", WAIT, || text(s, "[data-testid=row-count]").starts_with("46 of 46")).unwrap();
    let kind = s.find("[data-testid=filter-kind]").unwrap();
    s.select(&kind, "Switch").unwrap();
    s.wait_until("7 switches", WAIT, || text(s, "[data-testid=row-count]").starts_with("7 of 46")).unwrap();
    let search = s.find("[data-testid=search]").unwrap();
    s.type_text(&search, "spine").unwrap();
    s.wait_until("2 spines", WAIT, || text(s, "[data-testid=row-count]").starts_with("2 of 46")).unwrap();
    app.screenshot("03-filtered-table").unwrap();
    s.clear(&search).unwrap();
    s.type_text(&search, "leaf-01").unwrap();
    s.wait_until("leaf-01 row", WAIT, || s.find("[data-testid=row-Switch-leaf-01]").is_ok()).unwrap();

    // Open leaf-01, make an invalid edit, see the inline error; fix it; save.
    eprintln!("step: Open leaf-01, make an invalid edit, see the inline error; fix it; save.");
    let row = s.find("[data-testid=row-Switch-leaf-01]").unwrap();
    s.click(&row).unwrap();
    if let Ok(open) = s.wait_for("[data-testid=btn-open-resource]", Duration::from_secs(2)) {
        s.click(&open).unwrap();
    }
    s.wait_for("[data-testid=editor] .cm-content", WAIT).unwrap();
    s.wait_until("the resource text", WAIT, || editor_text(s).contains("name: leaf-01")).unwrap();
    let original = editor_text(s);
    set_editor_text(s, &original.replace("role: server-leaf", "role: server-leaf\n  bogusField: 1"));
    s.wait_until("an inline error", WAIT, || s.find(".cm-lintRange-error").is_ok() || s.find("[data-testid=editor-error]").is_ok()).unwrap();
    assert!(text(s, "[data-testid=editor-errors]").contains("bogusField"), "{}", text(s, "[data-testid=editor-errors]"));
    app.screenshot("04-invalid-edit-inline-error").unwrap();
    set_editor_text(s, &original.replace("VS-01 MCLAG 1", "VS-01 rack 7"));
    s.wait_until("no errors", WAIT, || s.find("[data-testid=editor-error]").is_err()).unwrap();
    click(s, "[data-testid=btn-save]");
    s.wait_until("saved as modified", WAIT, || text(s, "[data-testid=editor-status]") == "modified").unwrap();
    app.screenshot("05-fixed-and-saved").unwrap();

    // Push, then find the commit in the bare repository.
    eprintln!("step: Push, then find the commit in the bare repository.");
    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-push]");
    s.wait_for("[data-testid=push-dialog], [data-testid=push-message]", WAIT).unwrap();
    s.wait_until("the change listed", WAIT, || s.find("[data-testid=push-change-Switch-leaf-01]").is_ok()).unwrap();
    click(s, "[data-testid=btn-push-confirm]");
    s.wait_for("[data-testid=push-result]", WAIT).unwrap();
    let result = text(s, "[data-testid=push-result]");
    let remote = app.demo_remote();
    let log = app.git(&remote, &["log", "-1", "--format=%h %an %B", "main"]);
    let short = log.split_whitespace().next().unwrap_or_default().to_owned();
    assert!(result.contains(&short), "the dialog shows the commit {short}: {result}");
    assert!(log.contains("E2E Tester") && log.contains("Switch/leaf-01"), "{log}");
    let file = app.git(&remote, &["show", "main:gitops/hedgehog/fabric-1/managed/switches/leaf-01.yaml"]);
    assert!(file.contains("VS-01 rack 7"), "{file}");
    app.screenshot("06-pushed").unwrap();
    if let Ok(close) = s.find("[data-testid=btn-push-close]") {
        s.click(&close).unwrap();
    }

    // Someone else commits a change; pull; see the toast and the new value.
    eprintln!("step: Someone else commits a change; pull; see the toast and the new value.");
    let work = app.tmp.path().join("colleague");
    app.git(app.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), work.to_str().unwrap()]);
    let path = work.join("gitops/hedgehog/fabric-1/managed/servers/server-03.yaml");
    let server = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, server.replace("S-03 Unbundled leaf-01", "S-03 moved to rack 9")).unwrap();
    app.git(&work, &["commit", "-qam", "server-03 moved"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    click(s, "[data-testid=btn-pull]");
    s.wait_until("a toast about the pull", WAIT, || {
        s.find_all("[data-testid=toast]").unwrap_or_default().iter().any(|t| s.text(t).unwrap_or_default().contains("server-03"))
    })
    .unwrap();
    app.screenshot("07-pulled-toast").unwrap();
    click(s, "[data-testid=tab-resources]");
    let search = s.wait_for("[data-testid=search]", WAIT).unwrap();
    s.clear(&search).unwrap();
    let kind = s.find("[data-testid=filter-kind]").unwrap();
    s.select(&kind, "").unwrap();
    s.type_text(&search, "server-03").unwrap();
    let row = s.wait_for("[data-testid=row-Server-server-03]", WAIT).unwrap();
    s.click(&row).unwrap();
    if let Ok(open) = s.wait_for("[data-testid=btn-open-resource]", Duration::from_secs(2)) {
        s.click(&open).unwrap();
    }
    s.wait_until("the new value", WAIT, || editor_text(s).contains("S-03 moved to rack 9")).unwrap();
    app.screenshot("08-new-value-after-pull").unwrap();
}

/// Issues K and L: resolving a conflict keeps what only the colleague changed. Our draft changes
/// leaf-01's description; the colleague changes it too and changes a port breakout. After the
/// pull, Push is disabled with the way to the conflict; the three-way merge editor has the
/// breakout already in its result and one conflict left; accepting ours and resolving leads to
/// "All conflicts resolved", the toast's action opens the merged draft, and Push leaves both our
/// description and the colleague's breakout in the bare repository, which History then shows.
#[test]
fn the_merge_editor_keeps_the_colleagues_other_change_through_resolve_and_push() {
    let app = App::start().unwrap_or_else(|e| panic!("{e}"));
    let s = &app.session;
    ingest_demo(s);

    // The colleague gives leaf-01 a breakout; we pull it: that is the base.
    let remote = app.demo_remote();
    let work = app.tmp.path().join("colleague");
    app.git(app.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), work.to_str().unwrap()]);
    let path = work.join("gitops/hedgehog/fabric-1/managed/switches/leaf-01.yaml");
    let base = std::fs::read_to_string(&path).unwrap();
    assert!(base.contains("description: VS-01 MCLAG 1"), "{base}");
    std::fs::write(&path, base.replace("  role: server-leaf\n", "  role: server-leaf\n  portBreakouts:\n    E1/5: 4x10G\n")).unwrap();
    app.git(&work, &["commit", "-qam", "leaf-01: breakout on E1/5"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    click(s, "[data-testid=btn-pull]");
    s.wait_until("the breakout pulled", WAIT, || {
        app.git(&remote, &["rev-parse", "main"]).trim() == app.git(&work, &["rev-parse", "HEAD"]).trim()
            && s.find_all("[data-testid=toast]").unwrap_or_default().iter().any(|t| s.text(t).unwrap_or_default().contains("leaf-01"))
    })
    .unwrap();

    // Our draft: a new description.
    click(s, "[data-testid=tab-resources]");
    let search = s.wait_for("[data-testid=search]", WAIT).unwrap();
    s.type_text(&search, "leaf-01").unwrap();
    let row = s.wait_for("[data-testid=row-Switch-leaf-01]", WAIT).unwrap();
    s.click(&row).unwrap();
    if let Ok(open) = s.wait_for("[data-testid=btn-open-resource]", Duration::from_secs(2)) {
        s.click(&open).unwrap();
    }
    s.wait_until("the breakout in the editor", WAIT, || editor_text(s).contains("E1/5: 4x10G")).unwrap();
    let ours = editor_text(s).replace("VS-01 MCLAG 1", "VS-01 ours");
    set_editor_text(s, &ours);
    click(s, "[data-testid=btn-save]");
    s.wait_until("saved as modified", WAIT, || text(s, "[data-testid=editor-status]") == "modified").unwrap();

    // The colleague changes the description too, and the breakout.
    app.git(&work, &["pull", "-q", "--ff-only"]);
    let theirs = std::fs::read_to_string(&path).unwrap().replace("VS-01 MCLAG 1", "VS-01 theirs").replace("E1/5: 4x10G", "E1/5: 4x25G");
    std::fs::write(&path, theirs).unwrap();
    app.git(&work, &["commit", "-qam", "leaf-01: description and 4x25G"]);
    app.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-pull]");
    // Push is not offered while a conflict is open: the button says why and where to go.
    s.wait_until("push disabled with the way to resolve", WAIT, || {
        text(s, "[data-testid=push-resolve-first]").contains("Resolve 1 conflict first")
            && s.find("[data-testid=btn-push]").and_then(|b| s.attribute(&b, "disabled")).ok().flatten().is_some()
    })
    .unwrap();
    app.screenshot("l2-push-disabled-while-a-conflict-is-open").unwrap();
    click(s, "[data-testid=push-resolve-first]");
    let conflict = s.wait_for("[data-testid=conflict-Switch-leaf-01]", WAIT).unwrap();
    s.click(&conflict).unwrap();
    s.wait_for("[data-testid=conflict-detail]", WAIT).unwrap();
    // The three-way merge editor: upstream's breakout (only they changed it) is already in the
    // result; the description, changed on both sides, waits for a choice.
    assert_eq!(s.find("[data-testid=mode-merge]").and_then(|e| s.attribute(&e, "aria-selected")).ok().flatten().as_deref(), Some("true"), "the merge editor is the default");
    let result = || text(s, "[data-testid=merge-result] .cm-content");
    s.wait_until("one conflict left", WAIT, || text(s, "[data-testid=merge-left]").contains("1 conflict left")).unwrap();
    assert!(result().contains("E1/5: 4x25G"), "upstream's other change is pre-applied:\n{}", result());
    assert!(!result().contains("VS-01 ours") && !result().contains("VS-01 theirs"), "the conflict is not decided yet:\n{}", result());
    assert!(s.find("[data-testid=btn-resolve-merge]").and_then(|b| s.attribute(&b, "disabled")).ok().flatten().is_some(), "Resolve waits for the last conflict");
    app.screenshot("l1-merge-editor-one-conflict-left").unwrap();
    click(s, "[data-testid=merge-accept-ours-1]");
    s.wait_until("no conflict left", WAIT, || text(s, "[data-testid=merge-left]").contains("No conflicts left")).unwrap();
    assert!(result().contains("VS-01 ours") && result().contains("E1/5: 4x25G"), "{}", result());
    app.screenshot("l1-merge-editor-resolved").unwrap();
    click(s, "[data-testid=btn-resolve-merge]");
    s.wait_until("the empty state offers the push", WAIT, || text(s, "[data-testid=conflicts-empty]").contains("All conflicts resolved")).unwrap();
    app.screenshot("l1-all-conflicts-resolved").unwrap();

    // The toast's action opens the resolved resource, after its conflict is gone from the list.
    let resolved_toast = || {
        s.find_all("[data-testid=toast]").unwrap_or_default().into_iter().find(|t| {
            let text = s.text(t).unwrap_or_default();
            text.contains("leaf-01") && text.contains("resolved")
        })
    };
    s.wait_until("the resolve toast", WAIT, || resolved_toast().is_some()).unwrap();
    let action = s.find_in(&resolved_toast().unwrap(), "button.link").unwrap();
    assert_eq!(s.text(&action).unwrap(), "Open in editor");
    s.click(&action).unwrap();
    s.wait_until("the merged text in the editor", WAIT, || {
        let t = editor_text(s);
        t.contains("VS-01 ours") && t.contains("E1/5: 4x25G")
    })
    .unwrap();

    click(s, "[data-testid=tab-overview]");
    click(s, "[data-testid=btn-push]");
    s.wait_until("the change listed", WAIT, || s.find("[data-testid=push-change-Switch-leaf-01]").is_ok()).unwrap();
    click(s, "[data-testid=btn-push-confirm]");
    s.wait_for("[data-testid=push-result]", WAIT).unwrap();
    let file = app.git(&remote, &["show", "main:gitops/hedgehog/fabric-1/managed/switches/leaf-01.yaml"]);
    assert!(file.contains("VS-01 ours"), "our description won the conflict:\n{file}");
    assert!(file.contains("E1/5: 4x25G"), "the colleague's breakout survived:\n{file}");
    app.screenshot("k2-pushed-both-changes").unwrap();

    // History names what the resolve and the push touched, and its detail shows the commit.
    click(s, "[data-testid=btn-push-close]");
    click(s, "[data-testid=tab-history]");
    // The push's row names the resource it touched (read from its commit, a moment after the row).
    let is_our_push = |r: &hhsync_e2e::webdriver::Element| {
        let t = s.text(r).unwrap_or_default();
        t.to_lowercase().contains("push") && t.contains("leaf-01")
    };
    let push_row = s
        .wait_until("the push in the history, naming leaf-01", WAIT, || s.find_all("tr[data-testid^=op-]").unwrap_or_default().iter().any(is_our_push))
        .map(|_| s.find_all("tr[data-testid^=op-]").unwrap().into_iter().find(is_our_push).unwrap())
        .unwrap();
    let row_id = s.attribute(&push_row, "data-testid").unwrap().unwrap();
    click(s, &format!("[data-testid={row_id}] td"));
    s.wait_until("the push's commit and diff", WAIT, || {
        let detail = text(s, "[data-testid=operation-detail]");
        detail.contains("VS-01 ours") && !text(s, "[data-testid=detail-author]").is_empty()
    })
    .unwrap();
    app.screenshot("l3-history-detail").unwrap();
}
