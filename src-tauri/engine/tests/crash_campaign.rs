//! The crash campaign (issue F): pull, ingest, init, push, resolve and revert on a generated
//! fabric, each killed with SIGKILL at every injection point and at random moments, then checked:
//! the database passes `PRAGMA integrity_check`, the clone and the remote pass `git fsck`, no
//! draft is lost, nothing is pushed twice, no operation is left shown as running, and one more
//! pull (and push) reaches the same state as an uninterrupted run.
//!
//! Each operation's starting state is built once and copied back before every run, to the same
//! absolute paths (the stored remote URL stays valid). `HHSYNC_CRASH_RUNS` sets the number of
//! runs in all (default: every injection point once, plus 12 random moments); the full campaign
//! is `HHSYNC_CRASH_RUNS=300 cargo test -p hhsync-engine --test crash_campaign -- --nocapture`.
//! `HHSYNC_CRASH_SEED` repeats a campaign's random moments.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Env;
use serde_json::Value;

const DIR: &str = "fab";

/// A few hundred resources: enough that a pull, an ingest or a push is killed mid-work.
fn generated_fabric() -> String {
    let mut docs = Vec::new();
    let wiring = "apiVersion: wiring.githedgehog.com/v1beta1";
    for s in 1..=2 {
        docs.push(format!("{wiring}\nkind: Switch\nmetadata:\n  name: spine-{s:02}\nspec:\n  role: spine\n  description: spine {s}\n  asn: 65100\n  ip: 172.30.0.{s}/21\n  protocolIP: 172.30.8.{s}/32\n  vtepIP: 172.30.12.{s}/32\n  profile: vs\n  boot:\n    mac: 0c:20:12:fe:00:{s:02x}\n"));
    }
    for l in 1..=8 {
        docs.push(format!("{wiring}\nkind: Switch\nmetadata:\n  name: leaf-{l:02}\nspec:\n  role: server-leaf\n  description: leaf {l}\n  asn: {}\n  ip: 172.30.0.{}/21\n  protocolIP: 172.30.8.{}/32\n  vtepIP: 172.30.12.{}/32\n  profile: vs\n  boot:\n    mac: 0c:20:12:fe:01:{l:02x}\n", 65100 + l, 10 + l, 10 + l, 10 + l));
        for s in 1..=2 {
            docs.push(format!("{wiring}\nkind: Connection\nmetadata:\n  name: spine-{s:02}--fabric--leaf-{l:02}\nspec:\n  fabric:\n    links:\n    - spine:\n        port: spine-{s:02}/E1/{l}\n        ip: 172.30.{}.{}/31\n      leaf:\n        port: leaf-{l:02}/E1/{}\n        ip: 172.30.{}.{}/31\n", 20 + s, 2 * l, 48 + s, 20 + s, 2 * l + 1));
        }
    }
    for v in 1..=120 {
        let leaf = (v - 1) % 8 + 1;
        docs.push(format!("{wiring}\nkind: Server\nmetadata:\n  name: server-{v:03}\nspec:\n  description: server {v}\n"));
        docs.push(format!("{wiring}\nkind: Connection\nmetadata:\n  name: server-{v:03}--unbundled--leaf-{leaf:02}\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{v:03}/enp2s1\n      switch:\n        port: leaf-{leaf:02}/E1/{}\n", (v - 1) / 8 + 1));
    }
    docs.join("---\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Pull,
    Ingest,
    Init,
    Push,
    Resolve,
    Revert,
}

const OPS: [Op; 6] = [Op::Pull, Op::Ingest, Op::Init, Op::Push, Op::Resolve, Op::Revert];

fn runner_points(op: &str) -> Vec<String> {
    ["after-pull", "after-commit", "before-push", "after-push", "after-apply"].iter().map(|p| format!("{op}:{p}")).collect()
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Pull => "pull",
            Op::Ingest => "ingest",
            Op::Init => "init",
            Op::Push => "push",
            Op::Resolve => "resolve",
            Op::Revert => "revert",
        }
    }

    /// Every injection point the operation passes (`point#2`: the second time).
    fn points(self) -> Vec<String> {
        let mut points: Vec<String> = match self {
            Op::Pull => vec!["fetch:objects-copied".into(), "pull:after-fetch".into(), "apply:before-commit".into()],
            Op::Resolve => vec!["resolve:before-commit".into(), "resolve:after-commit".into()],
            Op::Push => {
                let mut p = runner_points("push");
                p.extend(["fetch:objects-copied", "pull:after-fetch", "apply:before-commit", "apply:before-commit#2", "push:before-confirm"].map(String::from));
                p
            }
            Op::Ingest | Op::Init | Op::Revert => {
                let mut p = runner_points(self.name());
                p.extend(["pull:after-fetch", "apply:before-commit", "push:before-confirm"].map(String::from));
                p
            }
        };
        points.sort();
        points
    }
}

/// One operation's starting state, saved, with what an uninterrupted run ends with.
struct Scenario {
    op: Op,
    env: Env,
    remote: PathBuf,
    saved: tempfile::TempDir,
    args: Vec<String>,
    /// Drafts before the operation, and the tree of the fabric's directory and the status
    /// counts after an uninterrupted run (and the convergence steps).
    drafts_before: u64,
    reference_tree: String,
    reference_counts: Value,
    /// How long the uninterrupted operation took (random moments fall within it).
    duration: Duration,
}

fn drafts(env: &Env) -> u64 {
    let status: Value = serde_json::from_slice(&env.hhsync(&["--json", "status", "f"]).stdout).unwrap_or(Value::Null);
    ["modified", "new", "deleted", "conflict"].iter().map(|k| status["counts"][k].as_u64().unwrap_or(0)).sum()
}

fn edit(env: &Env, resource: &str, from: &str, to: &str) {
    let text = env.json(0, &["show", "f", resource])["text"].as_str().unwrap().replace(from, to);
    env.run_with_input(0, &["edit", "f", resource], &text);
}

fn colleague_edits(env: &Env, remote: &Path, servers: std::ops::RangeInclusive<usize>, what: &str) {
    let work = env.other_clone(remote, "colleague");
    for v in servers {
        let path = work.join(DIR).join(format!("managed/servers/server-{v:03}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(&format!("server {v}\n"), &format!("server {v} {what}\n"))).unwrap();
    }
    env.commit_push(&work, what);
}

/// Copies `from`'s contents over `to` (emptied first), keeping modes and links.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(to).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() { std::fs::remove_dir_all(&p).unwrap() } else { std::fs::remove_file(&p).unwrap() }
    }
    let ok = Command::new("cp").arg("-a").arg(format!("{}/.", from.display())).arg(to).status().unwrap().success();
    assert!(ok, "cp -a {} {}", from.display(), to.display());
}

impl Scenario {
    fn new(op: Op) -> Self {
        let env = Env::new();
        let remote = match op {
            Op::Init => env.remote_with("remote", &[("README.md", "a repository without hhsync yet\n")]),
            _ => env.remote_with("remote", &[(&format!("{DIR}/raw/fabric.yaml"), &generated_fabric())]),
        };
        let url = remote.to_str().unwrap().to_owned();
        env.run(0, &["repo", "add", "r", &url]);
        env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", DIR]);
        let mut args = vec![op.name().to_owned(), "f".to_owned()];
        if op != Op::Init {
            let out = env.hhsync(&["init", "f"]);
            assert!(matches!(out.status.code(), Some(0 | 3)), "init: {}", String::from_utf8_lossy(&out.stderr));
        }
        if !matches!(op, Op::Init | Op::Ingest) {
            env.run(0, &["ingest", "f"]);
        }
        match op {
            Op::Pull => {
                edit(&env, "Switch/leaf-01", "leaf 1\n", "leaf 1 ours\n");
                edit(&env, "Server/server-100", "server 100\n", "server 100 ours\n");
                colleague_edits(&env, &remote, 1..=40, "from a colleague");
            }
            Op::Push => {
                edit(&env, "Switch/leaf-01", "leaf 1\n", "leaf 1 ours\n");
                edit(&env, "Server/server-100", "server 100\n", "server 100 ours\n");
                edit(&env, "Server/server-101", "server 101\n", "server 101 ours\n");
                colleague_edits(&env, &remote, 1..=40, "from a colleague");
            }
            Op::Resolve => {
                edit(&env, "Server/server-007", "server 7\n", "server 7 ours\n");
                edit(&env, "Server/server-008", "server 8\n", "server 8 ours\n");
                colleague_edits(&env, &remote, 1..=10, "theirs");
                env.json(3, &["pull", "f"]);
                args.extend(["--all", "--take", "ours"].map(String::from));
            }
            Op::Revert => {
                edit(&env, "Switch/leaf-01", "leaf 1\n", "leaf 1 to be reverted\n");
                let pushed = env.json(0, &["push", "f"]);
                args.push(pushed["operation_id"].as_i64().unwrap().to_string());
            }
            Op::Ingest | Op::Init => {}
        }
        let saved = tempfile::tempdir().unwrap();
        copy_tree(env.tmp.path(), saved.path());
        let drafts_before = drafts(&env);
        let mut scenario = Self {
            op,
            env,
            remote,
            saved,
            args,
            drafts_before,
            reference_tree: String::new(),
            reference_counts: Value::Null,
            duration: Duration::ZERO,
        };
        let start = Instant::now();
        let out = scenario.command().output().unwrap();
        scenario.duration = start.elapsed();
        assert!(matches!(out.status.code(), Some(0 | 3)), "{op:?} uninterrupted: {}", String::from_utf8_lossy(&out.stderr));
        scenario.converge().unwrap();
        scenario.reference_tree = scenario.tree();
        scenario.reference_counts = scenario.env.json(0, &["status", "f"])["counts"].clone();
        scenario
    }

    fn command(&self) -> Command {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        self.env.command(&args)
    }

    fn restore(&self) {
        copy_tree(self.saved.path(), self.env.tmp.path());
    }

    /// The tree of the fabric's resources on the remote's main: equal trees, equal files. For
    /// init, the paths it created (its files carry the time they were made); elsewhere only
    /// managed/ (ingest logs the time it archived a raw file).
    fn tree(&self) -> String {
        match self.op {
            Op::Init => self.env.git(&self.remote, &["ls-tree", "-r", "--name-only", "main", DIR]),
            _ => self.env.git(&self.remote, &["rev-parse", &format!("main:{DIR}/managed")]).trim().to_owned(),
        }
    }

    /// Commits on main whose message or body contains `text`.
    fn commits_with(&self, text: &str) -> usize {
        self.env.git(&self.remote, &["log", "--format=%s%n%b%n--", "main"]).lines().filter(|l| l.contains(text)).count()
    }

    /// Commits on main that add or remove `text` in a file (git's pickaxe).
    fn commits_changing(&self, text: &str) -> usize {
        self.env.git(&self.remote, &["log", "--format=%H", &format!("-S{text}"), "main"]).lines().count()
    }

    /// What the user (or the app) does next: finish the operation if it did not land, then pull
    /// and push.
    fn converge(&self) -> Result<(), String> {
        let run = |args: &[&str], ok: &[i32]| -> Result<(), String> {
            let out = self.env.hhsync(args);
            match out.status.code() {
                Some(c) if ok.contains(&c) => Ok(()),
                other => Err(format!("hhsync {args:?} exited {other:?}: {}", String::from_utf8_lossy(&out.stderr))),
            }
        };
        match self.op {
            Op::Init => run(&["init", "f"], &[0, 3])?,
            Op::Ingest => run(&["ingest", "f"], &[0, 3])?,
            Op::Resolve => {
                let open: Value = serde_json::from_slice(&self.env.hhsync(&["--json", "conflicts", "f"]).stdout).unwrap_or(Value::Null);
                if open.as_array().is_some_and(|a| !a.is_empty()) {
                    run(&["resolve", "f", "--all", "--take", "ours"], &[0])?;
                }
            }
            Op::Revert if self.commits_with("This reverts commit") == 0 => run(&["revert", "f", &self.args[2]], &[0])?,
            Op::Revert | Op::Pull | Op::Push => {}
        }
        run(&["pull", "f"], &[0, 3])?;
        if matches!(self.op, Op::Push | Op::Resolve) {
            run(&["push", "f"], &[0])?;
        }
        Ok(())
    }

    /// The checks after one killed run; an empty list when all hold.
    fn check(&self) -> Vec<String> {
        let mut failures = Vec::new();
        let db = self.env.data_dir().join("hhsync.sqlite3");
        match rusqlite::Connection::open(&db).and_then(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))) {
            Ok(ok) if ok == "ok" => {}
            other => failures.push(format!("database integrity: {other:?}")),
        }
        let clone = self.env.data_dir().join("clones/r.git");
        for repo in [&self.remote, &clone] {
            let out = Command::new("git").arg("-C").arg(repo).args(["fsck", "--full", "--no-progress"]).output().unwrap();
            if !out.status.success() {
                failures.push(format!("git fsck {}: {}", repo.display(), String::from_utf8_lossy(&out.stderr)));
            }
        }
        // Our edits as a push writes them: each line added by exactly one commit in the end.
        let ours = || match self.op {
            Op::Resolve => self.commits_changing("server 7 ours"),
            _ => self.commits_changing("leaf 1 ours"),
        };
        // Nothing pushed twice, and drafts kept until they landed.
        match self.op {
            Op::Push => {
                let pushed = ours();
                if pushed > 1 {
                    failures.push(format!("our edits were pushed {pushed} times"));
                }
                let left = drafts(&self.env);
                if pushed == 0 && left != self.drafts_before {
                    failures.push(format!("{left} drafts after the kill, {} before, and nothing pushed", self.drafts_before));
                }
            }
            Op::Pull | Op::Resolve => {
                let left = drafts(&self.env);
                if left != self.drafts_before {
                    failures.push(format!("{left} drafts after the kill, {} before", self.drafts_before));
                }
            }
            Op::Revert if self.commits_with("This reverts commit") > 1 => failures.push("the revert was pushed twice".into()),
            Op::Ingest if self.commits_with("hhsync ingest") > 1 => failures.push("two ingest commits".into()),
            Op::Init if self.commits_with("initialise GitOps directory") > 1 => failures.push("two init commits".into()),
            _ => {}
        }
        if let Err(e) = self.converge() {
            failures.push(format!("converging: {e}"));
            return failures;
        }
        let log = self.env.json(0, &["log", "f"]);
        for op in log.as_array().into_iter().flatten().filter(|o| o["status"] == "running") {
            failures.push(format!("operation still shown as running: {op}"));
        }
        if self.tree() != self.reference_tree {
            failures.push(format!("the remote's managed/ is {}, an uninterrupted run gives {}", self.tree(), self.reference_tree));
        }
        let counts = self.env.json(0, &["status", "f"])["counts"].clone();
        if counts != self.reference_counts {
            failures.push(format!("status counts {counts}, an uninterrupted run gives {}", self.reference_counts));
        }
        match self.op {
            Op::Push | Op::Resolve if ours() != 1 => failures.push(format!("our edit is added by {} commits, not 1", ours())),
            Op::Revert if self.commits_with("This reverts commit") != 1 => failures.push("not exactly one revert commit".into()),
            Op::Ingest if self.commits_with("hhsync ingest") > 1 => failures.push("two ingest commits after converging".into()),
            Op::Init if self.commits_with("initialise GitOps directory") != 1 => failures.push("not exactly one init commit".into()),
            _ => {}
        }
        failures
    }
}

/// A small deterministic generator for the random moments (xorshift).
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        below.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

#[test]
fn every_operation_killed_anywhere_loses_nothing_and_converges() {
    let scenarios: Vec<Scenario> = OPS.iter().map(|&op| Scenario::new(op)).collect();
    let points: usize = scenarios.iter().map(|s| s.op.points().len()).sum();
    let runs: usize = std::env::var("HHSYNC_CRASH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(points + 12).max(points);
    let seed: u64 = std::env::var("HHSYNC_CRASH_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    let mut moments = Moments(seed);
    let mut failures: Vec<String> = Vec::new();
    let (mut killed, mut finished_first) = (0, 0);

    for s in &scenarios {
        for point in s.op.points() {
            s.restore();
            let out = s.command().env("HHSYNC_CRASH_AT", &point).output().unwrap();
            if out.status.signal() != Some(9) {
                failures.push(format!("{:?} at {point}: not killed ({:?}): the point was not reached", s.op, out.status));
                continue;
            }
            killed += 1;
            failures.extend(s.check().into_iter().map(|f| format!("{:?} killed at {point}: {f}", s.op)));
        }
    }
    for n in 0..runs - points {
        let s = &scenarios[n % scenarios.len()];
        s.restore();
        let after = moments.next(s.duration.mul_f64(1.2));
        let mut child = s.command().stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
        std::thread::sleep(after);
        match child.try_wait().unwrap() {
            Some(_) => finished_first += 1,
            None => {
                child.kill().unwrap();
                killed += 1;
            }
        }
        child.wait().unwrap();
        failures.extend(s.check().into_iter().map(|f| format!("{:?} killed after {after:?} (seed {seed}): {f}", s.op)));
    }
    println!(
        "crash campaign: {runs} runs over {} operations: {points} at the {points} injection points, {} at random moments (seed {seed}); \
         {killed} killed mid-operation, {finished_first} finished before the kill; {} failures",
        scenarios.len(),
        runs - points,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
