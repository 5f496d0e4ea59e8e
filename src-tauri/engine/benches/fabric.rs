//! Benchmark of the engine on a generated 10,000-resource fabric (200 switches, 4,900 servers,
//! 4,900 connections) in a local bare repository: init, ingest (dry run and real), a no-op pull,
//! a pull of one changed file, status, listing, an edit and its push. Prints one line per step
//! with the wall time; run with `cargo bench -p hhsync-engine` (release build). Figures, not
//! assertions: a slow step is something to read, not a failed test.

use std::time::Instant;

use hhsync_engine::engine::PushRequest;
use hhsync_engine::git::{Author, FileWrite, GitRepo};
use hhsync_engine::{Engine, Trigger};

const DIR: &str = "fabric";

fn raw_fabric(switches: usize, servers: usize) -> String {
    let mut docs = Vec::new();
    for i in 0..switches {
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-{i:04}\nspec:\n  boot:\n    mac: 0c:20:12:ff:{:02x}:{:02x}\n  description: leaf {i}\n  profile: vs\n  role: server-leaf\n",
            i / 256,
            i % 256
        ));
    }
    for i in 0..servers {
        let (sw, port) = (i % switches, i / switches + 1);
        docs.push(format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{i:05}\nspec:\n  description: server {i}\n"));
        docs.push(format!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-{i:05}--unbundled--leaf-{sw:04}\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{i:05}/enp2s1\n      switch:\n        port: leaf-{sw:04}/E1/{port}\n"
        ));
    }
    docs.join("---\n")
}

fn step<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = work();
    println!("{label:<48} {:>9.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes --bench; no other arguments are understood.
    let tmp = tempfile::tempdir()?;
    let remote = tmp.path().join("remote.git");
    let url = remote.to_string_lossy().into_owned();
    GitRepo::init_bare_remote(&remote)?;
    let author = Author { name: "bench".into(), email: "bench@example.com".into() };
    let colleague = GitRepo::open_or_init(&tmp.path().join("colleague.git"), &url)?;
    let raw = raw_fabric(200, 4900);
    println!("fabric: 10,000 resources in one raw file of {:.1} MiB", raw.len() as f64 / 1048576.0);
    let seed = colleague
        .commit(None, &[FileWrite::Put { path: format!("{DIR}/raw/fabric.yaml"), bytes: raw.into_bytes() }], "raw", &author)?
        .ok_or("nothing to commit")?;
    colleague.push(&seed, "main")?;

    let engine = Engine::open(&tmp.path().join("data"))?;
    step("repo add (clone)", || engine.add_repo("r", &url, "main"))?;
    engine.add_fabric("f", "r", DIR, None)?;
    step("init", || engine.init("f", Trigger::Cli))?;
    let preview = step("ingest --dry-run (10,000 documents)", || engine.ingest("f", true, Trigger::Cli))?;
    assert_eq!(preview.documents.len(), 10_000);
    step("ingest (10,000 files, one commit, push, apply)", || engine.ingest("f", false, Trigger::Cli))?;
    step("pull, nothing new", || engine.pull("f", Trigger::Cli))?;

    let tip = colleague.fetch("main")?.ok_or("no tip")?;
    let path = format!("{DIR}/managed/servers/server-00017.yaml");
    let text = String::from_utf8(colleague.read_blob(&colleague.blob_at(&tip, &path)?.ok_or("no file")?)?)?;
    let change = colleague
        .commit(Some(&tip), &[FileWrite::Put { path, bytes: text.replace("server 17", "server 17 moved").into_bytes() }], "edit", &author)?
        .ok_or("nothing to commit")?;
    colleague.push(&change, "main")?;
    step("pull, one file changed upstream", || engine.pull("f", Trigger::Cli))?;

    step("status", || engine.status("f"))?;
    let all = step("resources (all 10,000)", || engine.resources("f", None, None))?;
    assert_eq!(all.len(), 10_000);
    step("resources --kind Switch --status synced", || engine.resources("f", Some("Switch"), Some("synced")))?;
    let leaf: hhsync_engine::hedgehog::ResourceId = "Switch/leaf-0001".parse()?;
    let shown = engine.show("f", &leaf)?;
    let edited = shown.text.unwrap_or_default().replace("leaf 1", "leaf 1 rack 9");
    step("edit one resource (validate, save draft)", || engine.edit("f", &leaf, &edited, "bench"))?;
    step("push one draft (pull, commit, push, apply)", || engine.push("f", &PushRequest::default(), Trigger::Cli))?;
    Ok(())
}
