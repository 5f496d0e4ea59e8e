//! The secrets audit, end to end through the real `hhsync` binary (issue F item 5). A whole run
//! of use with tokens, every command logging at trace: add, check, init, push, pull, a push
//! with a pull request and its refresh, watch with a signed webhook, and failures (a refused
//! token, a read-only one, a GitHub API that says no). Then every place that data goes is
//! searched for the secrets (three tokens and a webhook secret, as they are and as they travel:
//! basic auth's base64 and a bearer header):
//! - every command's output and logs, and the watch's;
//! - the SQLite file and its WAL (a child process holds a connection open all along, so the
//!   WAL keeps every frame written until the end), and every other file of the data directory;
//! - the clone's `.git`: config, FETCH_HEAD, packed refs and reflogs (turned on for all refs
//!   in the user's git config, so that they exist);
//! - HOME and the XDG directories.
//!
//! The web view's side (every command result and event a page script can read) is audited in
//! the desktop e2e (`tests/e2e/tests/settings.rs`, `proposals.rs`).

mod common;
#[path = "common/fake_github.rs"]
mod fake_github;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;
#[path = "common/openapi.rs"]
mod openapi;
#[path = "common/watch_process.rs"]
mod watch_process;
#[path = "common/db_holder.rs"]
mod db_holder;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{all_files, contains, Env};
use db_holder::{DatabaseHolder, Hold};
use fake_github::FakeGitHub;
use hhsync_engine::secrets::Secret;
use hhsync_engine::watch::webhook::sign;
use http_git::GitHttpServer;
use serde_json::Value;
use watch_process::{post, Watch};

const PUSH: &str = "ghs_AuditPush0123456789abcdefGHIJKLmn";
const READ: &str = "ghs_AuditRead0123456789abcdefKLMNOPqr";
const WRONG: &str = "ghs_AuditWrong123456789abcdefOPQRSTuv";
const WEBHOOK: &str = "whsec_Audit0123456789abcdefFEDCBA987654";

const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";

/// Each secret as it is and as it travels.
fn needles() -> Vec<String> {
    let mut out = Vec::new();
    for secret in [PUSH, READ, WRONG, WEBHOOK] {
        out.push(secret.to_owned());
        out.push(base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{secret}")));
        out.push(base64::engine::general_purpose::STANDARD.encode(secret));
    }
    out
}

/// Copies every file below `from` to `to` (a snapshot while a process runs).
fn snapshot(from: &Path, to: &Path) {
    let mut files = Vec::new();
    all_files(from, &mut files);
    for f in files {
        let target = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let _ = std::fs::copy(&f, &target);
    }
}

/// The child side of [`DatabaseHolder`]; does nothing when run as a test.
#[test]
fn hold_the_database_when_asked() {
    db_holder::serve_if_asked();
}

#[test]
fn no_secret_is_found_anywhere_but_the_keychain() {
    if !keyring::available("no_secret_is_found_anywhere_but_the_keychain") {
        return;
    }
    let env = Env::new();
    // Reflogs for every ref, bare clones included, so the clone's logs can be searched.
    std::fs::write(env.path("home/.gitconfig"), "[core]\n\tlogAllRefUpdates = always\n").unwrap();
    let remote = env.remote_with("srv/acme/fabric", &[("README.md", "fabrics\n")]);
    let git = GitHttpServer::start(&env.path("srv"), &[("x-access-token", PUSH, "rw"), ("x-access-token", READ, "r")]);
    let github = FakeGitHub::start("acme", "fabric", PUSH, READ);
    let url = git.url("acme/fabric.git");
    let trace = [("HHSYNC_LOG", "trace")];
    let mut transcript = Vec::new();
    let mut step = |args: &[&str], stdin: Option<&str>, vars: &[(&str, &str)], code: i32| -> String {
        let run = env.exec(args, stdin, &[vars, &trace[..]].concat());
        assert_eq!(run.code, code, "hhsync {args:?}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
        transcript.push(format!("$ hhsync {}\n{}{}", args.join(" "), run.stdout, run.stderr));
        run.stdout
    };

    step(&["repo", "add", "r", &url, "--token-stdin", "--api-url", &github.url()], Some(PUSH), &[], 0);
    step(&["fabric", "add", "f", "--repo", "r", "--dir", "fab"], None, &[], 0);
    // From here on the database stays open in another process: its WAL is kept to the end.
    let holder = DatabaseHolder::start(&env.data_dir().join("hhsync.sqlite3"), Hold::Open, "hold_the_database_when_asked");
    step(&["init", "f"], None, &[], 0);
    step(&["repo", "check", "r"], None, &[], 0);
    step(&["edit", "f", "VLANNamespace/extra"], Some(VLANS), &[], 0);
    step(&["push", "f"], None, &[], 0);
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fab/managed/vlannamespaces/theirs.yaml", &VLANS.replace("name: extra", "name: theirs"));
    env.commit_push(&work, "a colleague's namespace");
    step(&["pull", "f"], None, &[], 0);

    // A pull request, and its state refreshed from the (fake) GitHub API.
    step(&["edit", "f", "VLANNamespace/extra"], Some(&VLANS.replace("1999", "2999")), &[], 0);
    let pr = step(&["--json", "push", "f", "--branch", "hhsync/audit", "--pr", "--title", "Audit"], None, &[], 0);
    let pr: Value = serde_json::from_str(&pr).unwrap();
    assert!(pr["pull_request"]["number"].as_i64().is_some_and(|n| github.pull(n).is_some()), "{pr}");
    step(&["--json", "proposals", "f", "--refresh"], None, &[], 0);

    // Watch with a webhook receiver: a colleague's push arrives signed and is pulled.
    step(&["repo", "webhook-secret", "r", "--secret-stdin"], Some(WEBHOOK), &[], 0);
    let watch = Watch::start_with(&env, &["--json", "watch", "f", "--interval", "3600", "--webhook-port", "0"], &trace);
    let started: Value = serde_json::from_str(&watch.wait_line("the start event", |l| l.contains("\"started\""))).unwrap();
    let port = started["webhook_port"].as_u64().unwrap() as u16;
    env.write(&work, "fab/managed/vlannamespaces/later.yaml", &VLANS.replace("name: extra", "name: later"));
    env.commit_push(&work, "a later namespace");
    let head = env.head(&remote);
    let body = format!(r#"{{"ref":"refs/heads/main","after":"{head}","repository":{{"full_name":"acme/fabric"}}}}"#);
    let signature = sign(&Secret::new(WEBHOOK.to_owned()).unwrap(), body.as_bytes());
    assert_eq!(post(port, "push", Some(&signature), "audit-1", &body).0, 202);
    let deadline = Instant::now() + Duration::from_secs(30);
    while env.json(0, &["status", "f"])["synced_commit"] != head.as_str() {
        assert!(Instant::now() < deadline, "the webhook's pull did not land");
        std::thread::sleep(Duration::from_millis(200));
    }
    // The data directory as it is while watch runs (its connection, WAL and all).
    let during = env.path("snapshot-during-watch");
    snapshot(&env.data_dir(), &during);
    let watched = format!("{}\n{}", watch.stdout.lock().unwrap().join("\n"), watch.stderr.lock().unwrap().join("\n"));
    watch.stop();

    // Failures, with their messages: a refused token, a read-only one.
    step(&["repo", "login", "r", "--token-env", "T"], None, &[("T", WRONG)], 0);
    step(&["pull", "f"], None, &[], 1);
    step(&["repo", "check", "r"], None, &[], 3);
    step(&["repo", "login", "r", "--token-stdin"], Some(READ), &[], 0);
    step(&["edit", "f", "VLANNamespace/extra"], Some(&VLANS.replace("1999", "2500")), &[], 0);
    step(&["push", "f"], None, &[], 1);
    step(&["repo", "check", "r"], None, &[], 3);
    step(&["repo", "login", "r", "--token-stdin"], Some(PUSH), &[], 0);
    step(&["push", "f"], None, &[], 0);
    for args in [&["--json", "repo", "list"][..], &["--json", "status", "f"], &["--json", "log", "f"], &["--json", "proposals", "f"]] {
        step(args, None, &[], 0);
    }

    // The tokens did their work: the keychain holds the last one, the servers saw them.
    let db = rusqlite::Connection::open(env.data_dir().join("hhsync.sqlite3")).unwrap();
    let id: String = db.query_row("SELECT credential_id FROM repositories WHERE name = 'r'", [], |r| r.get(0)).unwrap();
    let stored = hhsync_engine::secrets::Keychain::system().get(hhsync_engine::secrets::SecretKind::RepoToken, &id).unwrap().unwrap();
    assert_eq!(stored.expose(), PUSH);
    assert!(github.exchanges().iter().any(|e| e.authorization.as_deref() == Some(format!("Bearer {PUSH}").as_str())));

    // Everywhere data went, while the database is still open (its WAL on disk).
    let all = format!("{}\n$ hhsync watch\n{watched}", transcript.join("\n"));
    // At trace: hhsync's debug lines, the HTTP client's (headers redacted) and libgit2's own
    // (which never logs at its trace level, where it writes requests whole).
    assert!(all.contains("DEBUG") && all.contains("ureq") && all.contains("libgit2"), "logs were on at trace");
    assert!(!all.contains("Sending request:"), "libgit2 logged a request whole");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [env.data_dir(), during, env.path("home"), env.path("xdg")] {
        all_files(&dir, &mut files);
    }
    let searched = |suffix: &str| files.iter().any(|f| f.to_string_lossy().ends_with(suffix));
    assert!(searched("hhsync.sqlite3") && searched("hhsync.sqlite3-wal"), "the database and its WAL were searched: {files:?}");
    assert!(searched("clones/r.git/config") && searched("clones/r.git/FETCH_HEAD"), "the clone was searched");
    assert!(files.iter().any(|f| f.to_string_lossy().contains("clones/r.git/logs/refs/")), "the clone's reflogs were searched: {files:?}");
    let wal = std::fs::metadata(env.data_dir().join("hhsync.sqlite3-wal")).unwrap_or_else(|e| panic!("{e}: {:?}", std::fs::read_dir(env.data_dir()).unwrap().map(|e| e.unwrap().file_name()).collect::<Vec<_>>())).len();
    for needle in needles() {
        assert!(!all.contains(&needle), "{needle:?} appears in the output or logs");
        for f in &files {
            assert!(!contains(&std::fs::read(f).unwrap_or_default(), &needle), "{needle:?} is in {}", f.display());
        }
    }
    drop((db, holder));
    println!("searched {} files ({} bytes of WAL) and {} bytes of output and logs for {} forms of 4 secrets: none found", files.len(), wal, all.len(), needles().len());
}
