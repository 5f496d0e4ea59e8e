//! Benchmark of the engine on generated fabrics of 1,000, 10,000 and 100,000 resources (a few
//! switches per hundred resources, servers and one connection each) in a local bare repository:
//! first import, ingest, pulls, listing, an edit and its push, and the `hhsync` command line's
//! peak memory. Each step is printed next to a floor measured in the same run on the same data:
//! `git clone --bare --no-local` (a real clone, not hard links) for the clone and the first import, `git diff-tree` for a pull of one
//! change, and parsing the same YAML bytes for ingest, so the growth with the fabric is visible.
//!
//! `cargo bench -p hhsync-engine` (release build). `HHSYNC_BENCH_SIZES=500` picks the sizes (CI
//! runs a small one as a smoke test: it must work, its times are not judged). Figures, not
//! assertions: a slow step is something to read, not a failed test.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use hhsync_engine::engine::PushRequest;
use hhsync_engine::git::{Author, FileWrite, GitRepo};
use hhsync_engine::{Engine, Trigger};

const DIR: &str = "fabric";

/// The allocator the `hhsync` binary and the app run with, so the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `total` resources: one switch per 50, the rest servers with one connection each.
fn raw_fabric(total: usize) -> (String, usize) {
    let switches = (total / 50).max(2);
    let servers = (total - switches) / 2;
    let mut docs = Vec::with_capacity(switches + 2 * servers);
    for i in 0..switches {
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-{i:04}\nspec:\n  boot:\n    mac: 0c:20:{:02x}:ff:{:02x}:{:02x}\n  description: leaf {i}\n  profile: vs\n  role: server-leaf\n",
            i / 65536,
            (i / 256) % 256,
            i % 256
        ));
    }
    for i in 0..servers {
        let (sw, port) = (i % switches, i / switches + 1);
        docs.push(format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{i:06}\nspec:\n  description: server {i}\n"));
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-{i:06}--unbundled--leaf-{sw:04}\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{i:06}/enp2s1\n      switch:\n        port: leaf-{sw:04}/E1/{port}\n"
        ));
    }
    (docs.join("---\n"), switches + 2 * servers)
}

/// One size's figures: (step, milliseconds), in order.
#[derive(Default)]
struct Figures {
    resources: usize,
    rows: Vec<(&'static str, f64)>,
}

impl Figures {
    fn time<T>(&mut self, label: &'static str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = work();
        self.rows.push((label, start.elapsed().as_secs_f64() * 1000.0));
        out
    }

    /// `work` run `n` times (it must leave things as it found them); the median.
    fn median<T>(&mut self, label: &'static str, n: usize, mut work: impl FnMut() -> T) -> T {
        let mut times = Vec::with_capacity(n);
        let mut out = None;
        for _ in 0..n {
            let start = Instant::now();
            out = Some(work());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        self.rows.push((label, times[n / 2]));
        out.expect("n > 0")
    }

    fn put(&mut self, label: &'static str, ms: f64) {
        self.rows.push((label, ms));
    }
}

/// Runs `git` and returns its wall time in ms.
fn git_ms(args: &[&str], dir: &Path) -> f64 {
    let start = Instant::now();
    let out = Command::new("git").args(args).current_dir(dir).env("GIT_CONFIG_NOSYSTEM", "1").output().expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    start.elapsed().as_secs_f64() * 1000.0
}

/// Runs the `hhsync` binary on the bench's data directory; returns its peak RSS in MiB, as GNU
/// time reports it. Not this process's own wait4: Linux seeds an exec'd process's peak with
/// the peak of the memory it replaced, and a child spawned from here starts from the bench's.
/// GNU time forks from a process of a few MiB.
fn cli_peak_mib(data: &Path, args: &[&str]) -> f64 {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", env!("CARGO_BIN_EXE_hhsync")])
        .args(args)
        .env("HHSYNC_DATA_DIR", data)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(std::process::Stdio::null())
        .output()
        .expect("GNU time (Debian: time) and the hhsync binary");
    assert!(matches!(out.status.code(), Some(0 | 3)), "hhsync {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kib: f64 = stderr.lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or_else(|| panic!("no peak in {stderr:?}"));
    kib / 1024.0
}

fn run(total: usize) -> Result<Figures, Box<dyn std::error::Error>> {
    let mut f = Figures::default();
    let tmp = tempfile::tempdir()?;
    let remote = tmp.path().join("remote.git");
    let url = remote.to_string_lossy().into_owned();
    GitRepo::init_bare_remote(&remote)?;
    let author = Author { name: "bench".into(), email: "bench@example.com".into() };
    let colleague = GitRepo::open_or_init(&tmp.path().join("colleague.git"), &url)?;
    let (raw, resources) = raw_fabric(total);
    f.resources = resources;
    let seed = colleague
        .commit(None, &[FileWrite::Put { path: format!("{DIR}/raw/fabric.yaml"), bytes: raw.clone().into_bytes() }], "raw", &author)?
        .ok_or("nothing to commit")?;
    colleague.push(&seed, "main")?;

    let data = tmp.path().join("data");
    let engine = Engine::open(&data)?;
    f.time("repo add (clone)", || engine.add_repo("r", &url, "main"))?;
    engine.add_fabric("f", "r", DIR, None)?;
    f.time("init", || engine.init("f", Trigger::Cli))?;
    f.time("floor: parse the raw file's YAML", || {
        let limits = hhsync_engine::yaml::Limits::default();
        let parsed = hhsync_engine::yaml::split_documents(raw.as_bytes())
            .filter(|d| hhsync_engine::yaml::parse_document(d.bytes, d.start_line, &limits).is_ok())
            .count();
        assert_eq!(parsed, resources);
    });
    let preview = f.time("ingest --dry-run", || engine.ingest("f", true, Trigger::Cli))?;
    assert_eq!(preview.documents.len(), resources);
    f.time("ingest (a file each, one commit, push, apply)", || engine.ingest("f", false, Trigger::Cli))?;
    // The same files with git itself: added to a new repository, committed and pushed to an
    // empty bare one (the files are checked out first, untimed).
    let files = tmp.path().join("floor-files");
    git_ms(&["clone", "-q", "--no-local", &url, files.to_str().unwrap()], tmp.path());
    std::fs::remove_dir_all(files.join(".git"))?;
    let empty = tmp.path().join("floor-empty.git");
    git_ms(&["init", "-q", "--bare", empty.to_str().unwrap()], tmp.path());
    git_ms(&["init", "-q"], &files);
    let add = git_ms(&["add", "-A"], &files);
    let commit = git_ms(&["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "all"], &files);
    let push = git_ms(&["push", "-q", empty.to_str().unwrap(), "HEAD:main"], &files);
    f.put("floor: git add, commit and push of those files", add + commit + push);
    // The first pull after the ingest's large write, then the steady state (what the poller
    // and a user's pull pay when nothing is new).
    f.time("pull, nothing new (first after ingest)", || engine.pull("f", Trigger::Cli))?;
    f.median("pull, nothing new (median of 5)", 5, || engine.pull("f", Trigger::Cli))?;

    let tip = colleague.fetch("main")?.ok_or("no tip")?;
    let path = format!("{DIR}/managed/servers/server-000017.yaml");
    let text = String::from_utf8(colleague.read_blob(&colleague.blob_at(&tip, &path)?.ok_or("no file")?)?)?;
    let change = colleague
        .commit(Some(&tip), &[FileWrite::Put { path, bytes: text.replace("server 17", "server 17 moved").into_bytes() }], "edit", &author)?
        .ok_or("nothing to commit")?;
    let floor = tmp.path().join("floor-fetch.git");
    git_ms(&["clone", "-q", "--bare", "--no-local", &url, floor.to_str().unwrap()], tmp.path());
    colleague.push(&change, "main")?;
    f.time("pull, one file changed upstream", || engine.pull("f", Trigger::Cli))?;
    f.put("floor: git fetch of that change", git_ms(&["fetch", "-q", &url, "main:main"], &floor));
    f.put("floor: git diff-tree of that change", git_ms(&["diff-tree", "-r", "HEAD~1", "HEAD"], &remote));

    f.time("status", || engine.status("f"))?;
    let all = f.time("resources (all)", || engine.resources("f", None, None))?;
    assert_eq!(all.len(), resources);
    let leaf: hhsync_engine::hedgehog::ResourceId = "Switch/leaf-0001".parse()?;
    let shown = engine.show("f", &leaf)?;
    let edited = shown.text.unwrap_or_default().replace("leaf 1", "leaf 1 rack 9");
    f.time("edit one resource (validate, save draft)", || engine.edit("f", &leaf, &edited, "bench"))?;
    f.time("push one draft (pull, commit, push, apply)", || engine.push("f", &PushRequest::default(), Trigger::Cli))?;
    // The same with git itself: a one-line change committed in a working clone and pushed.
    let work = tmp.path().join("floor-work");
    git_ms(&["clone", "-q", "--no-local", &url, work.to_str().unwrap()], tmp.path());
    let file = work.join(DIR).join("managed/servers/server-000018.yaml");
    std::fs::write(&file, std::fs::read_to_string(&file)?.replace("server 18", "server 18 moved"))?;
    let commit = git_ms(&["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qam", "edit"], &work);
    f.put("floor: git commit -a and git push of one change", commit + git_ms(&["push", "-q", "origin", "HEAD:main"], &work));

    // First import of the managed/ tree the ingest wrote: a new data directory.
    let fresh = Engine::open(&tmp.path().join("fresh"))?;
    f.time("first import (repo add, fabric add, pull)", || -> hhsync_engine::Result<()> {
        fresh.add_repo("r", &url, "main")?;
        fresh.add_fabric("f", "r", DIR, None)?;
        fresh.pull("f", Trigger::Cli)?;
        Ok(())
    })?;
    let bare = tmp.path().join("floor-clone.git");
    f.put("floor: git clone --bare --no-local", git_ms(&["clone", "-q", "--bare", "--no-local", &url, bare.to_str().unwrap()], tmp.path()));
    // What any import must do at least: read each managed file and parse it (one core).
    let tip = colleague.fetch("main")?.ok_or("no tip")?;
    let managed = colleague.list_files(&tip, &format!("{DIR}/managed"))?;
    f.time("floor: read and parse the managed files (one core)", || -> hhsync_engine::Result<()> {
        let limits = hhsync_engine::yaml::Limits::default();
        let mut parsed = 0;
        for file in &managed {
            let bytes = colleague.read_blob(&file.blob)?;
            parsed += hhsync_engine::yaml::split_documents(&bytes)
                .filter(|d| hhsync_engine::yaml::parse_document(d.bytes, d.start_line, &limits).is_ok())
                .count();
        }
        assert!(parsed >= resources, "{parsed} documents parsed");
        Ok(())
    })?;

    drop(engine);
    f.put("CLI peak RSS, MiB: hhsync pull", cli_peak_mib(&data, &["pull", "f"]));
    f.put("CLI peak RSS, MiB: hhsync resources f --json", cli_peak_mib(&data, &["--json", "resources", "f"]));
    Ok(f)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes --bench; no other arguments are understood.
    let sizes: Vec<usize> = std::env::var("HHSYNC_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".to_owned())
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let mut all = Vec::new();
    for &size in &sizes {
        eprintln!("fabric of {size} resources…");
        all.push(run(size)?);
    }
    print!("{:<48}", "ms (RSS in MiB)");
    for f in &all {
        print!(" {:>10}", format!("{} res.", f.resources));
    }
    println!();
    for (i, (label, _)) in all[0].rows.iter().enumerate() {
        print!("{label:<48}");
        for f in &all {
            print!(" {:>10.1}", f.rows[i].1);
        }
        println!();
    }
    Ok(())
}
