//! Concurrent pushes lose nothing: regression tests for issue K's lost edits. Two fabrics of one
//! repository share a bare clone (once, one fabric's push sent the other's commit and both
//! reported their own); two clients pushing to one local bare repository (once, libgit2's local
//! transport overwrote the other's push); two fabrics in two repositories of one data directory
//! (once, "database is locked"). Each round edits, pushes at the same time, pulls, and then
//! every edit must be on the remote's branch, every reported commit an ancestor of it, and no
//! draft left behind. 25 rounds each.

mod common;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use common::Env;
use serde_json::Value;

const ROUNDS: usize = 25;

fn server(name: &str) -> String {
    format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  description: edited concurrently\n"
    )
}

/// One side of a race: a data directory and a fabric in it.
struct Side<'e> {
    env: &'e Env,
    data: PathBuf,
    fabric: &'static str,
}

impl Side<'_> {
    fn edit(&self, name: &str) {
        let mut child = self
            .env
            .command_in(&self.data, &["edit", self.fabric, &format!("Server/{name}")])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), server(name).as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "edit {name}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn spawn_push(&self) -> Child {
        self.env
            .command_in(&self.data, &["--json", "push", self.fabric])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn json(&self, code: i32, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.env.command_in(&self.data, &all).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// Waits for a push and returns the commit it reports (None: it failed, which is allowed only
/// if it says so and keeps its draft).
fn finish(child: Child, what: &str) -> Option<String> {
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!("{what} failed (allowed when reported): {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
    report["commit"].as_str().map(str::to_owned)
}

/// Races the two sides for `ROUNDS` rounds and checks that nothing was lost.
fn race(env: &Env, remote: &Path, a: &Side, b: &Side, dirs: (&str, &str)) {
    let mut reported = Vec::new();
    let mut failed = 0;
    for round in 0..ROUNDS {
        a.edit(&format!("a{round}"));
        b.edit(&format!("b{round}"));
        let (pa, pb) = (a.spawn_push(), b.spawn_push());
        for (child, what) in [(pa, "push a"), (pb, "push b")] {
            match finish(child, what) {
                Some(commit) => reported.push(commit),
                None => failed += 1,
            }
        }
        // A failed push keeps its draft; pushing again (alone) must land it.
        for side in [a, b] {
            if side.json(0, &["diff", side.fabric]).as_array().is_some_and(|d| !d.is_empty()) {
                let again = side.json(0, &["push", side.fabric]);
                if let Some(c) = again["commit"].as_str() {
                    reported.push(c.to_owned());
                }
            }
        }
        a.json(0, &["pull", a.fabric]);
        b.json(0, &["pull", b.fabric]);
    }
    let head = env.head(remote);
    for commit in &reported {
        let out = std::process::Command::new("git")
            .args(["merge-base", "--is-ancestor", commit, &head])
            .current_dir(remote)
            .status()
            .unwrap();
        assert!(out.success(), "push reported commit {commit}, which is not on main ({head})");
    }
    let (da, db) = dirs;
    let files_a = env.ls(remote, &format!("{da}/managed/servers"));
    let files_b = env.ls(remote, &format!("{db}/managed/servers"));
    let lost: Vec<String> = (0..ROUNDS)
        .flat_map(|r| [(format!("a{r}"), &files_a), (format!("b{r}"), &files_b)])
        .filter(|(n, files)| !files.contains(&format!("{n}.yaml")))
        .map(|(n, _)| n)
        .collect();
    assert!(lost.is_empty(), "edits lost: {lost:?} ({failed} pushes failed and were retried)");
    for side in [a, b] {
        let drafts = side.json(0, &["diff", side.fabric]);
        assert_eq!(drafts.as_array().map(Vec::len), Some(0), "drafts left in {}: {drafts}", side.fabric);
        let log = side.json(0, &["log", side.fabric]);
        for op in log.as_array().unwrap() {
            assert_ne!(op["status"], "running", "an operation is still marked running: {op}");
        }
    }
    eprintln!("{ROUNDS} rounds: {} pushes reported, {failed} failed and were pushed again, 0 edits lost", reported.len());
}

#[test]
fn two_fabrics_of_one_repository_pushing_at_once_lose_nothing() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "two fabrics\n")]);
    env.setup_fabric(&remote, "r", "fa", "fa");
    env.run(0, &["fabric", "add", "fb", "--repo", "r", "--dir", "fb"]);
    env.run(0, &["init", "fb"]);
    let a = Side { env: &env, data: env.data_dir(), fabric: "fa" };
    let b = Side { env: &env, data: env.data_dir(), fabric: "fb" };
    race(&env, &remote, &a, &b, ("fa", "fb"));
}

#[test]
fn two_clients_pushing_to_one_local_bare_repository_never_overwrite_each_other() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "two clients\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    let other = env.path("data-other");
    env.hhsync_in(&other, &["repo", "add", "r", remote.to_str().unwrap()]);
    env.hhsync_in(&other, &["fabric", "add", "g", "--repo", "r", "--dir", "fab"]);
    env.hhsync_in(&other, &["pull", "g"]);
    let a = Side { env: &env, data: env.data_dir(), fabric: "f" };
    let b = Side { env: &env, data: other, fabric: "g" };
    race(&env, &remote, &a, &b, ("fab", "fab"));
}

#[test]
fn two_fabrics_of_one_repository_over_smart_http_lose_nothing() {
    if !keyring::available("two_fabrics_of_one_repository_over_smart_http_lose_nothing") {
        return;
    }
    const TOKEN: &str = "concurrency-token-0123456789";
    let env = Env::new();
    let remote = env.remote_with("srv/acme/fabric", &[("README.md", "served\n")]);
    let server = http_git::GitHttpServer::start(&env.path("srv"), &[("x-access-token", TOKEN, "rw")]);
    let url = server.url("acme/fabric.git");
    env.run_with_input(0, &["repo", "add", "r", &url, "--token-stdin"], &format!("{TOKEN}\n"));
    for f in ["fa", "fb"] {
        env.run(0, &["fabric", "add", f, "--repo", "r", "--dir", f]);
        env.run(0, &["init", f]);
    }
    let a = Side { env: &env, data: env.data_dir(), fabric: "fa" };
    let b = Side { env: &env, data: env.data_dir(), fabric: "fb" };
    race(&env, &remote, &a, &b, ("fa", "fb"));
}

#[test]
fn two_fabrics_in_two_repositories_of_one_data_directory_never_hit_a_locked_database() {
    let env = Env::new();
    let one = env.remote_with("one", &[("README.md", "one\n")]);
    let two = env.remote_with("two", &[("README.md", "two\n")]);
    env.setup_fabric(&one, "r1", "fa", "fab");
    env.setup_fabric(&two, "r2", "fb", "fab");
    let a = Side { env: &env, data: env.data_dir(), fabric: "fa" };
    let b = Side { env: &env, data: env.data_dir(), fabric: "fb" };
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        a.edit(&format!("a{round}"));
        b.edit(&format!("b{round}"));
        let (pa, pb) = (a.spawn_push(), b.spawn_push());
        for child in [pa, pb] {
            let out = child.wait_with_output().unwrap();
            if !out.status.success() {
                failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
            }
        }
    }
    assert!(failures.is_empty(), "pushes failed: {failures:#?}");
    let yaml = |remote: &Path| env.ls(remote, "fab/managed/servers").iter().filter(|f| f.ends_with(".yaml")).count();
    assert_eq!(yaml(&one), ROUNDS);
    assert_eq!(yaml(&two), ROUNDS);
    for side in [&a, &b] {
        for op in side.json(0, &["log", side.fabric]).as_array().unwrap() {
            assert!(matches!(op["status"].as_str(), Some("succeeded" | "attention")), "{op}");
        }
        let status = side.json(0, &["status", side.fabric]);
        assert_eq!(status["synced_commit"].as_str().map(str::len), Some(40), "{status}");
    }
}
