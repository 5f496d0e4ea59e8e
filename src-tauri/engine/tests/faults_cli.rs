//! Faults (issue F), through the real `hhsync` binary: the connection dropped mid-fetch and
//! mid-push (a proxy that cuts it after N bytes, in front of a real smart-HTTP server), the disk
//! full under the database and the clone (a small tmpfs), a deleted or corrupted clone, and a
//! stream of non-fast-forwards from another client pushing in a loop, and the database locked
//! by another program. Each gets a clear error
//! with the right code, loses nothing, and works again once the fault is gone.

mod common;
#[path = "common/cutting_proxy.rs"]
mod cutting_proxy;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;
#[path = "common/db_holder.rs"]
mod db_holder;

use std::path::Path;
use std::process::{Command, Stdio};

use common::Env;
use db_holder::{DatabaseHolder, Hold};
use cutting_proxy::{Cut, CuttingProxy};
use http_git::GitHttpServer;

const TOKEN: &str = "ghs_Faults0123456789abcdefGHIJKLmnopq";

fn server(n: usize) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{n:03}\nspec:\n  description: server {n}\n")
}

/// `n` servers as one raw file.
fn servers(n: usize) -> String {
    (1..=n).map(server).collect::<Vec<_>>().join("---\n")
}

/// Incompressible bytes, so a fetch of them takes many packets.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// The last operation's error code and message, from the audit trail.
fn last_error(env: &Env) -> (String, String) {
    let log = env.json(0, &["log", "f", "--limit", "1"]);
    (log[0]["error_code"].as_str().unwrap_or_default().to_owned(), log[0]["error"].as_str().unwrap_or_default().to_owned())
}

fn drafts(env: &Env) -> u64 {
    let out = env.hhsync(&["--json", "status", "f"]);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    ["modified", "new", "deleted"].iter().map(|k| status["counts"][k].as_u64().unwrap_or(0)).sum()
}

fn fsck(repo: &Path) {
    let out = Command::new("git").arg("-C").arg(repo).args(["fsck", "--full", "--no-progress"]).output().unwrap();
    assert!(out.status.success(), "git fsck {}: {}", repo.display(), String::from_utf8_lossy(&out.stderr));
}

fn integrity(env: &Env) {
    let conn = rusqlite::Connection::open(env.data_dir().join("hhsync.sqlite3")).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn a_connection_cut_mid_fetch_or_mid_push_is_reported_and_loses_nothing() {
    if !keyring::available("a_connection_cut_mid_fetch_or_mid_push_is_reported_and_loses_nothing") {
        return;
    }
    let env = Env::new();
    let remote = env.remote_with("srv/acme/fabric", &[("fab/raw/servers.yaml", &servers(200))]);
    let http = GitHttpServer::start(&env.path("srv"), &[("x-access-token", TOKEN, "rw")]);
    let proxy = CuttingProxy::start(http.port);
    let url = proxy.url("acme/fabric.git");
    env.run_with_input(0, &["repo", "add", "r", &url, "--token-stdin"], &format!("{TOKEN}\n"));
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", "fab"]);
    let head = env.head(&remote);

    // Mid-push: the ingest's pack (200 new files) is cut after 4 KiB.
    proxy.arm(Cut::Request { service: "git-receive-pack", bytes: 4096 });
    let err = env.fail(1, &["ingest", "f"]);
    assert!(proxy.cuts() > 0, "the proxy cut nothing");
    assert_eq!(last_error(&env).0, "remote-unreachable", "{err}");
    assert!(err.contains("nothing was lost") || err.contains("cannot reach") || err.contains("connection"), "{err}");
    assert_eq!(env.head(&remote), head, "nothing reached the remote");
    fsck(&remote);
    integrity(&env);
    proxy.disarm();
    env.run(0, &["ingest", "f"]);
    assert_eq!(env.json(0, &["status", "f"])["counts"]["synced"], 200);

    // Mid-push of drafts: 30 edits, cut after 2 KiB; the drafts stay until a push lands.
    for n in 1..=30 {
        env.run_with_input(0, &["edit", "f", &format!("Server/server-{n:03}")], &server(n).replace("server ", "edited server "));
    }
    let head = env.head(&remote);
    proxy.arm(Cut::Request { service: "git-receive-pack", bytes: 2048 });
    let err = env.fail(1, &["push", "f"]);
    assert_eq!(last_error(&env).0, "remote-unreachable", "{err}");
    assert_eq!(env.head(&remote), head, "nothing reached the remote");
    assert_eq!(drafts(&env), 30, "every draft is kept");
    proxy.disarm();
    env.run(0, &["push", "f"]);
    assert_eq!(drafts(&env), 0);
    assert_eq!(env.git(&remote, &["log", "--format=%H", "-Sedited server 7", "main"]).lines().count(), 1, "pushed once");

    // Mid-fetch: a colleague's commit carries 2 MiB; the answer is cut after 64 KiB.
    let work = env.other_clone(&remote, "colleague");
    env.write_bytes(&work, "assets/big.bin", &noise(2 << 20));
    env.write(&work, "fab/managed/servers/server-100.yaml", &server(100).replace("server 100", "server 100 from a colleague"));
    env.commit_push(&work, "a big file and one change");
    env.run_with_input(0, &["edit", "f", "Server/server-150"], &server(150).replace("server 150", "server 150 ours"));
    proxy.arm(Cut::Answer { service: "git-upload-pack", bytes: 64 << 10 });
    let err = env.fail(1, &["pull", "f"]);
    assert_eq!(last_error(&env).0, "remote-unreachable", "{err}");
    assert_eq!(drafts(&env), 1, "the draft is kept");
    fsck(&env.data_dir().join("clones/r.git"));
    integrity(&env);
    proxy.disarm();
    env.run(0, &["pull", "f"]);
    let shown = env.json(0, &["show", "f", "Server/server-100"]);
    assert!(shown["text"].as_str().unwrap().contains("from a colleague"), "{shown}");
    assert_eq!(drafts(&env), 1);
}

/// Mounts a tmpfs of `size` at `dir` (the tests run as root, in CI too); unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).output().unwrap();
        assert!(out.status.success(), "mount a tmpfs (this test needs root, as CI runs): {}", String::from_utf8_lossy(&out.stderr));
        Self(dir.to_owned())
    }

    /// Fills what is left with one file, which [`Tmpfs::free`] removes.
    fn fill(&self) {
        let _ = Command::new("dd").arg("if=/dev/zero").arg(format!("of={}/filler", self.0.display())).args(["bs=64k", "status=none"]).status();
    }

    fn free(&self) {
        std::fs::remove_file(self.0.join("filler")).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_under_the_database_or_the_clone_is_a_clear_error_and_loses_nothing() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("fab/raw/servers.yaml", &servers(50))]);
    let disk = Tmpfs::mount(&env.data_dir(), "8m");
    env.setup_fabric(&remote, "r", "f", "fab");
    env.run(0, &["ingest", "f"]);
    env.run_with_input(0, &["edit", "f", "Server/server-001"], &server(1).replace("server 1", "server 1 kept"));

    // The database cannot grow: an edit is refused with a storage error, the first draft stays.
    disk.fill();
    let big = server(2).replace("server 2", &"a long description ".repeat(20_000));
    let out = env.command(&["edit", "f", "Server/server-002"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let out = {
        use std::io::Write;
        let mut child = out;
        // It may stop reading early, on the full disk.
        let _ = child.stdin.take().unwrap().write_all(big.as_bytes());
        child.wait_with_output().unwrap()
    };
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("full") || err.contains("space"), "the message says the disk is full: {err}");

    // The clone cannot take a colleague's commit: the pull fails, nothing is half-applied.
    let work = env.other_clone(&remote, "colleague");
    env.write_bytes(&work, "assets/big.bin", &noise(4 << 20));
    env.write(&work, "fab/managed/servers/server-010.yaml", &server(10).replace("server 10", "server 10 from a colleague"));
    env.commit_push(&work, "a big file and one change");
    let out = env.hhsync(&["pull", "f"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("full") || err.contains("space"), "the message says the disk is full: {err}");
    disk.free();
    integrity(&env);
    fsck(&env.data_dir().join("clones/r.git"));
    assert_eq!(drafts(&env), 1, "the first draft is kept");
    assert!(env.json(0, &["show", "f", "Server/server-001"])["draft_text"].as_str().unwrap().contains("server 1 kept"));

    // With room again, everything works.
    env.run(0, &["pull", "f"]);
    assert!(env.json(0, &["show", "f", "Server/server-010"])["text"].as_str().unwrap().contains("from a colleague"));
    env.run(0, &["push", "f"]);
    assert!(env.cat(&remote, "fab/managed/servers/server-001.yaml").contains("server 1 kept"));
    drop(disk);
}

#[test]
fn a_deleted_or_corrupted_clone_is_cloned_again_and_the_drafts_kept() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("fab/raw/servers.yaml", &servers(20))]);
    env.setup_fabric(&remote, "r", "f", "fab");
    env.run(0, &["ingest", "f"]);
    let clone = env.data_dir().join("clones/r.git");

    // Deleted.
    env.run_with_input(0, &["edit", "f", "Server/server-001"], &server(1).replace("server 1", "server 1 ours"));
    std::fs::remove_dir_all(&clone).unwrap();
    env.run(0, &["pull", "f"]);
    assert_eq!(drafts(&env), 1);
    env.run(0, &["push", "f"]);
    assert!(env.cat(&remote, "fab/managed/servers/server-001.yaml").contains("server 1 ours"));
    fsck(&clone);

    // Corrupted: every object file and pack of the clone overwritten with garbage.
    env.run_with_input(0, &["edit", "f", "Server/server-002"], &server(2).replace("server 2", "server 2 ours"));
    let mut files = Vec::new();
    common::all_files(&clone.join("objects"), &mut files);
    assert!(!files.is_empty());
    for f in &files {
        std::fs::write(f, b"not a git object").unwrap();
    }
    let out = env.hhsync(&["pull", "f"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "the pull recovers by cloning again: {err}");
    assert!(err.contains("cloned again"), "it says what it did: {err}");
    assert_eq!(drafts(&env), 1, "the draft is kept");
    fsck(&clone);
    let aside: Vec<_> = std::fs::read_dir(env.data_dir().join("clones")).unwrap().flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("r.git.damaged-")).collect();
    assert_eq!(aside.len(), 1, "the damaged clone is kept aside, not deleted");
    env.run(0, &["push", "f"]);
    assert!(env.cat(&remote, "fab/managed/servers/server-002.yaml").contains("server 2 ours"));
    assert_eq!(drafts(&env), 0);
}

#[test]
fn a_stream_of_non_fast_forwards_from_another_client_loses_nobodys_commits() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("fab/raw/servers.yaml", &servers(20))]);
    env.setup_fabric(&remote, "r", "f", "fab");
    env.run(0, &["ingest", "f"]);
    for n in 1..=3 {
        env.run_with_input(0, &["edit", "f", &format!("Server/server-{n:03}")], &server(n).replace("server ", "ours server "));
    }
    // Another client commits and pushes, outside the fabric, as fast as it can.
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "notes.txt", "note 0\n");
    env.commit_push(&work, "notes");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pusher = {
        let (stop, work) = (stop.clone(), work.clone());
        std::thread::spawn(move || {
            let git = |args: &[&str]| Command::new("git").arg("-C").arg(&work).args(args).env("GIT_CONFIG_GLOBAL", "/dev/null").output().unwrap();
            let mut n = 0;
            loop {
                let stopping = stop.load(std::sync::atomic::Ordering::SeqCst);
                if !stopping {
                    n += 1;
                    std::fs::write(work.join("notes.txt"), format!("note {n}\n")).unwrap();
                    git(&["-c", "user.name=Other", "-c", "user.email=o@example.com", "commit", "-qam", &format!("note {n}")]);
                }
                if git(&["push", "-q", "origin", "HEAD:main"]).status.success() {
                    if stopping {
                        return n;
                    }
                } else {
                    git(&["-c", "user.name=Other", "-c", "user.email=o@example.com", "pull", "-q", "--rebase", "origin", "main"]);
                }
            }
        })
    };
    let mut landed = false;
    for _ in 0..5 {
        let out = env.hhsync(&["push", "f"]);
        if out.status.code() == Some(0) {
            landed = true;
            break;
        }
        // A push that gives up says so with its own code, and keeps the drafts.
        assert_eq!(last_error(&env).0, "rejected", "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(drafts(&env), 3);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let theirs = pusher.join().unwrap();
    if !landed {
        env.run(0, &["push", "f"]);
    }
    assert!(theirs > 0, "the other client committed");
    assert_eq!(drafts(&env), 0);
    let log = env.git(&remote, &["log", "--format=%s", "main"]);
    assert_eq!(log.lines().filter(|l| l.starts_with("note ")).count(), theirs, "every one of their commits is on main");
    assert_eq!(env.git(&remote, &["log", "--format=%H", "-Sours server 2", "main"]).lines().count(), 1, "ours once");
    fsck(&remote);
}

/// The child side of [`DatabaseHolder`]; does nothing when run as a test.
#[test]
fn hold_the_database_when_asked() {
    db_holder::serve_if_asked();
}

#[test]
fn a_database_locked_by_another_program_is_busy_and_loses_nothing() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    env.run_with_input(0, &["edit", "f", "Server/server-001"], &server(1));
    let db = env.data_dir().join("hhsync.sqlite3");
    let fast = [("HHSYNC_DB_BUSY_MS", "500")];

    // Another program in the middle of a write transaction: reading goes on (WAL), writing
    // waits, then says busy with what to do; the draft stays.
    let holder = DatabaseHolder::start(&db, Hold::WriteLock, "hold_the_database_when_asked");
    assert_eq!(drafts(&env), 1, "status reads while the database is locked");
    // (The operation cannot be recorded either, so its code, `busy`, is checked in the store's
    // unit test; here, the message.)
    for (args, input) in [(&["edit", "f", "Server/server-002"][..], Some(server(2))), (&["pull", "f"][..], None), (&["push", "f"][..], None)] {
        let run = env.exec(args, input.as_deref(), &fast);
        assert_eq!(run.code, 1, "{args:?}: {} {}", run.stdout, run.stderr);
        assert!(run.stderr.contains("is locked by another program") && run.stderr.contains("try again; nothing was changed"), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    drop(holder);

    // Released: everything works, the first draft kept, nothing pushed twice.
    assert_eq!(drafts(&env), 1);
    env.run_with_input(0, &["edit", "f", "Server/server-002"], &server(2));
    env.run(0, &["push", "f"]);
    assert_eq!(drafts(&env), 0);
    assert_eq!(env.ls(&remote, "fab").iter().filter(|p| p.starts_with("managed/servers/server-")).count(), 2);
    integrity(&env);
}
