//! An edit made while a pull runs on the same fabric loses nothing (issue F, concurrency): the
//! pull is held right after its fetch (`HHSYNC_PAUSE_AT`, the engine's test-only pause point),
//! and two edits arrive from other threads, as the app's editor would while its poller pulls:
//! one of another resource, one of the very resource the pull brings a colleague's change to.
//! Both wait for the pull (one operation at a time per fabric), then land as drafts over what
//! the pull applied; the pull's change is in Git's version of the fabric. Real threads, a real
//! bare repository and SQLite file.

use std::time::{Duration, Instant};

use hhsync_engine::git::{Author, FileWrite, GitRepo};
use hhsync_engine::hedgehog::ResourceId;
use hhsync_engine::store::ResourceStatus;
use hhsync_engine::{Engine, Trigger};

const DIR: &str = "fabric";

fn server(name: &str, description: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\nspec:\n  description: {description}\n")
}

#[test]
fn edits_during_a_pull_wait_for_it_and_keep_both_the_pull_and_the_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = tmp.path().join("remote.git");
    let url = remote.to_string_lossy().into_owned();
    GitRepo::init_bare_remote(&remote).unwrap();
    let author = Author { name: "colleague".into(), email: "colleague@example.com".into() };
    let colleague = GitRepo::open_or_init(&tmp.path().join("colleague.git"), &url).unwrap();
    let raw = [server("server-01", "first"), server("server-02", "second")].join("---\n");
    let seed = colleague.commit(None, &[FileWrite::Put { path: format!("{DIR}/raw/servers.yaml"), bytes: raw.into_bytes() }], "raw", &author).unwrap().unwrap();
    colleague.push(&seed, "main").unwrap();

    let engine = Engine::open(&tmp.path().join("data")).unwrap();
    engine.add_repo("r", &url, "main").unwrap();
    engine.add_fabric("f", "r", DIR, None).unwrap();
    engine.init("f", Trigger::Cli).unwrap();
    engine.ingest("f", false, Trigger::Cli).unwrap();

    // A colleague changes server-01 upstream.
    let tip = colleague.fetch("main").unwrap().unwrap();
    let path = format!("{DIR}/managed/servers/server-01.yaml");
    let text = String::from_utf8(colleague.read_blob(&colleague.blob_at(&tip, &path).unwrap().unwrap()).unwrap()).unwrap();
    let change = colleague
        .commit(Some(&tip), &[FileWrite::Put { path, bytes: text.replace("first", "first, moved by a colleague").into_bytes() }], "move", &author)
        .unwrap()
        .unwrap();
    colleague.push(&change, "main").unwrap();

    // The pull stops after its fetch until `go` exists; the edits wait up to 30 s for it.
    let go = tmp.path().join("go");
    std::env::set_var("HHSYNC_PAUSE_AT", format!("pull:after-fetch={}", go.display()));
    std::env::set_var("HHSYNC_LOCK_WAIT_MS", "30000");
    let one: ResourceId = "Server/server-01".parse().unwrap();
    let two: ResourceId = "Server/server-02".parse().unwrap();
    let (mine_one, mine_two) = (server("server-01", "edited during the pull"), server("server-02", "also edited during the pull"));

    std::thread::scope(|s| {
        let pull = s.spawn(|| engine.pull("f", Trigger::Poll));
        let reached = go.with_extension("reached");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !reached.exists() {
            assert!(Instant::now() < deadline, "the pull never reached its pause point");
            std::thread::sleep(Duration::from_millis(20));
        }
        let edit_two = s.spawn(|| engine.edit("f", &two, &mine_two, "editor"));
        let edit_one = s.spawn(|| engine.edit("f", &one, &mine_one, "editor"));
        // The edits are waiting for the fabric; neither may finish before the pull goes on.
        std::thread::sleep(Duration::from_millis(300));
        assert!(!edit_one.is_finished() && !edit_two.is_finished(), "an edit ran in the middle of a pull");
        std::fs::write(&go, "").unwrap();
        let pulled = pull.join().unwrap().unwrap();
        assert!(format!("{pulled:?}").contains("server-01"), "the pull brought the colleague's change: {pulled:?}");
        edit_one.join().unwrap().unwrap();
        edit_two.join().unwrap().unwrap();
    });
    std::env::remove_var("HHSYNC_PAUSE_AT");

    for (id, mine) in [(&one, &mine_one), (&two, &mine_two)] {
        let shown = engine.show("f", id).unwrap();
        assert_eq!(shown.summary.status, ResourceStatus::Modified, "{id}");
        assert_eq!(shown.draft_text.as_deref(), Some(mine.as_str()), "{id}: the edit is the draft");
    }
    // Git's version of server-01 is the colleague's: the pull was applied, not undone.
    let git_text = engine.show("f", &one).unwrap().text.unwrap_or_default();
    assert!(git_text.contains("moved by a colleague"), "{git_text}");
}
