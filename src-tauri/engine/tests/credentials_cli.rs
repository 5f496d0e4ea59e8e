//! Credentials end to end, through the real `hhsync` binary: tokens in the real Secret Service
//! (tests run inside scripts/with-keyring), authenticated fetch and push against a real
//! smart-HTTP git server on 127.0.0.1 (`git http-backend` behind basic auth), each failure with
//! its own message. (The token found nowhere but the keychain: secrets_audit.rs.)

mod common;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;

use std::path::PathBuf;

use common::{all_files, contains, Env, Run};
use http_git::{closed_port, GitHttpServer};
use serde_json::Value;

const GOOD: &str = "ghs_Good7oken0123456789abcdefGHIJKLmn";
const READ_ONLY: &str = "ghs_ReadOnly0123456789abcdefKLMNOPqr";
const WRONG: &str = "ghs_Wrong7oken0123456789abcdefOPQRSTuv";

const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";

fn hhsync(env: &Env, args: &[&str], stdin: Option<&str>, vars: &[(&str, &str)]) -> Run {
    env.exec(args, stdin, vars)
}

fn expect(run: Run, code: i32, args: &str) -> Run {
    assert_eq!(run.code, code, "hhsync {args}\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    run
}

/// A served remote `acme/fabric.git` with one commit, and its URL.
fn served(env: &Env) -> (GitHttpServer, PathBuf, String) {
    let remote = env.remote_with("srv/acme/fabric", &[("README.md", "fabrics\n")]);
    let server = GitHttpServer::start(&env.path("srv"), &[("x-access-token", GOOD, "rw"), ("x-access-token", READ_ONLY, "r")]);
    let url = server.url("acme/fabric.git");
    (server, remote, url)
}

#[test]
fn token_auth_fetch_and_push_and_each_failure_has_its_own_message() {
    if !keyring::available("token_auth_fetch_and_push_and_each_failure_has_its_own_message") {
        return;
    }
    let env = Env::new();
    let (_server, remote, url) = served(&env);

    // No credentials at all against a server that wants them.
    let none = expect(hhsync(&env, &["repo", "add", "anon", &url], None, &[]), 1, "repo add anon");
    assert!(none.stderr.contains("asks for credentials") && none.stderr.contains("none stored"), "{}", none.stderr);

    // The right token: add (fetch), init (push), pull of someone else's commit.
    expect(hhsync(&env, &["repo", "add", "r", &url, "--token-stdin"], Some(&format!("{GOOD}\n")), &[]), 0, "repo add");
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", "fab"]);
    env.run(0, &["init", "f"]);
    assert_eq!(env.commit_count(&remote), 2, "init pushed over HTTP with the token");
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "notes/colleague.txt", "outside the fabric\n");
    env.commit_push(&work, "colleague");
    env.run(0, &["pull", "f"]);
    assert_eq!(env.json(0, &["status", "f"])["synced_commit"], env.head(&remote).as_str());
    let check = env.json(0, &["repo", "check", "r"]);
    assert_eq!((check["reachable"].as_bool(), check["authenticated"].as_bool(), check["can_push"].as_bool()), (Some(true), Some(true), Some(true)), "{check}");

    // A draft pushed with the token.
    env.run_with_input(0, &["edit", "f", "VLANNamespace/extra"], VLANS);
    env.run(0, &["push", "f"]);
    assert!(env.ls(&remote, "fab").contains(&"managed/vlannamespaces/extra.yaml".to_owned()));

    // A read-only token: fetching works, pushing is denied (and the draft stays).
    expect(hhsync(&env, &["repo", "login", "r", "--token-env", "TOK"], None, &[("TOK", READ_ONLY)]), 0, "repo login");
    env.run(0, &["pull", "f"]);
    let edited = VLANS.replace("1999", "2999");
    env.run_with_input(0, &["edit", "f", "VLANNamespace/extra"], &edited);
    let denied = env.fail(1, &["push", "f"]);
    assert!(denied.contains("denied") && denied.contains("lack permission"), "{denied}");
    assert_eq!(env.json(0, &["status", "f"])["counts"]["modified"], 1, "the draft is kept");
    let check = expect(hhsync(&env, &["--json", "repo", "check", "r"], None, &[]), 3, "repo check");
    let check: Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(check["can_push"], false, "{check}");
    assert_eq!(check["problems"][0]["code"], "permission", "{check}");

    // A wrong (or expired) token.
    expect(hhsync(&env, &["repo", "login", "r", "--token-stdin"], Some(WRONG), &[]), 0, "repo login");
    let refused = env.fail(1, &["pull", "f"]);
    assert!(refused.contains("refused the credentials") && refused.contains("wrong, expired or revoked"), "{refused}");
    let log = env.json(0, &["log", "f", "--limit", "1"]);
    assert_eq!(log[0]["error_code"], "auth-failed");

    // No token stored any more.
    expect(hhsync(&env, &["repo", "logout", "r"], None, &[]), 0, "repo logout");
    let missing = env.fail(1, &["pull", "f"]);
    assert!(missing.contains("no token for repository \"r\""), "{missing}");

    // Back to the right token: the kept draft goes out.
    expect(hhsync(&env, &["repo", "login", "r", "--token-stdin"], Some(GOOD), &[]), 0, "repo login");
    env.run(0, &["push", "f"]);
    assert!(env.cat(&remote, "fab/managed/vlannamespaces/extra.yaml").contains("2999"));
}

#[test]
fn unreachable_host_and_tls_failure_have_their_own_messages() {
    let env = Env::new();
    let (server, _remote, _url) = served(&env);
    let port = closed_port();
    let down = env.fail(1, &["repo", "add", "down", &format!("http://127.0.0.1:{port}/acme/fabric.git")]);
    assert!(down.contains("cannot reach"), "{down}");
    // https:// to a server that speaks plain HTTP: the TLS handshake fails.
    let tls = env.fail(1, &["repo", "add", "tls", &format!("https://127.0.0.1:{}/acme/fabric.git", server.port)]);
    assert!(tls.contains("TLS failure"), "{tls}");
    // A token in the URL is refused without repeating it.
    let inline = env.fail(1, &["repo", "add", "inline", &format!("https://x-access-token:{GOOD}@127.0.0.1:{}/acme/fabric.git", server.port)]);
    assert!(inline.contains("token") && !inline.contains(GOOD), "{inline}");
    // A token over plain HTTP to another machine is refused.
    let plain = expect(hhsync(&env, &["repo", "add", "plain", "http://example.invalid/acme/fabric.git", "--token-stdin"], Some(GOOD), &[]), 1, "add");
    assert!(plain.stderr.contains("plain HTTP"), "{}", plain.stderr);
    assert_eq!(env.json(0, &["repo", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn timeouts_stop_a_server_that_never_answers() {
    let env = Env::new();
    // Accepts connections and never says anything.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for s in listener.incoming().take(8) {
            open.push(s);
        }
    });
    let run = hhsync(&env, &["repo", "add", "slow", &format!("http://127.0.0.1:{port}/acme/fabric.git")], None, &[("HHSYNC_NET_TIMEOUT_SECS", "2")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot reach") && run.stderr.contains("did not answer in time"), "{}", run.stderr);
}

#[test]
fn no_keychain_is_a_clear_error_and_nothing_is_stored() {
    let env = Env::new();
    let (_server, _remote, url) = served(&env);
    let vars = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"), ("DISPLAY", ""), ("HHSYNC_KEYCHAIN_TIMEOUT_SECS", "10")];
    let run = expect(hhsync(&env, &["repo", "add", "r", &url, "--token-stdin"], Some(GOOD), &vars), 1, "repo add");
    assert!(run.stderr.contains("no system keychain is available"), "{}", run.stderr);
    assert!(!run.stderr.contains(GOOD));
    assert_eq!(env.json(0, &["repo", "list"]).as_array().unwrap().len(), 0);
    let mut files = Vec::new();
    all_files(env.tmp.path(), &mut files);
    for f in files.iter().filter(|f| !f.starts_with(env.path("srv"))) {
        assert!(!contains(&std::fs::read(f).unwrap_or_default(), GOOD), "token in {}", f.display());
    }
}

#[test]
fn a_locked_keychain_says_unlock_it() {
    if !keyring::available("a_locked_keychain_says_unlock_it") {
        return;
    }
    let env = Env::new();
    let (_server, _remote, url) = served(&env);
    // Lock the keychain of a private session of our own, so the other tests' keychain stays
    // unlocked: run the steps inside a nested dbus-run-session with its own gnome-keyring.
    let script = format!(
        "set -e\nexport HOME={home} XDG_DATA_HOME={home}/data XDG_RUNTIME_DIR={home}/run\nmkdir -p $XDG_DATA_HOME $XDG_RUNTIME_DIR\n\
         eval \"$(printf pw | gnome-keyring-daemon --unlock --components=secrets)\"\n\
         printf '%s' {GOOD} | {bin} --data-dir {data} repo add r2 {url} --token-stdin\n\
         dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null\n\
         set +e\nprintf '%s' {GOOD} | {bin} --data-dir {data} repo login r2 --token-stdin\necho \"login=$?\"\n\
         {bin} --data-dir {data} repo check r2\necho \"check=$?\"\n",
        home = env.path("locked-home").display(),
        bin = env!("CARGO_BIN_EXE_hhsync"),
        data = env.path("locked-data").display(),
    );
    std::fs::create_dir_all(env.path("locked-home")).unwrap();
    let out = std::process::Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &script])
        .env("HHSYNC_KEYCHAIN_TIMEOUT_SECS", "10")
        .env_remove("DISPLAY")
        .output()
        .expect("dbus-run-session");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("login=1"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("the system keychain is locked: unlock it and retry"), "stderr: {stderr}");
    assert!(stdout.contains("the system keychain is locked"), "repo check reports it: {stdout}");
    assert!(!stderr.contains(GOOD) && !stdout.contains(GOOD));
}

