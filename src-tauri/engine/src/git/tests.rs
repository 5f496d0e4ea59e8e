use super::*;

fn author() -> Author {
    Author { name: "Test".into(), email: "test@example.com".into() }
}

fn bare_remote(dir: &Path) -> String {
    let path = dir.join("remote.git");
    git2::Repository::init_bare(&path).unwrap();
    path.to_str().unwrap().to_owned()
}

fn put(path: &str, text: &str) -> FileWrite {
    FileWrite::Put { path: path.into(), bytes: text.as_bytes().to_vec() }
}

#[test]
fn commit_push_fetch_list_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    assert_eq!(a.fetch("main").unwrap(), None, "empty remote has no branch");

    let c1 = a.commit(None, &[put("f/x.yaml", "x: 1\n"), put("f/sub/y.yaml", "y: 1\n"), put("other.txt", "o")], "first", &author()).unwrap().unwrap();
    assert_eq!(a.push(&c1, "main").unwrap(), PushOutcome::Pushed);

    let b = GitRepo::open_or_init(&dir.path().join("b.git"), &url).unwrap();
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(c1.as_str()));
    let files: Vec<_> = b.list_files(&c1, "f").unwrap().into_iter().map(|e| e.path).collect();
    assert_eq!(files, ["sub/y.yaml", "x.yaml"]);

    // Nothing changed: no commit.
    assert_eq!(b.commit(Some(&c1), &[put("f/x.yaml", "x: 1\n")], "same", &author()).unwrap(), None);

    let c2 = b.commit(Some(&c1), &[put("f/x.yaml", "x: 2\n"), FileWrite::Delete { path: "f/sub/y.yaml".into() }, put("f/z.yaml", "z")], "second", &author()).unwrap().unwrap();
    assert_eq!(b.push(&c2, "main").unwrap(), PushOutcome::Pushed);

    // `a` is now behind: its push of a sibling commit is not a fast-forward.
    let sibling = a.commit(Some(&c1), &[put("f/w.yaml", "w")], "sibling", &author()).unwrap().unwrap();
    assert_eq!(a.push(&sibling, "main").unwrap(), PushOutcome::NonFastForward);

    let tip = a.fetch("main").unwrap().unwrap();
    assert_eq!(tip, c2);
    let mut changes = a.diff_files(&c1, &c2, "f").unwrap();
    changes.sort_by(|x, y| x.path.cmp(&y.path));
    let summary: Vec<_> = changes.iter().map(|c| (c.path.as_str(), c.old_blob.is_some(), c.new_blob.is_some())).collect();
    assert_eq!(summary, [("sub/y.yaml", true, false), ("x.yaml", true, true), ("z.yaml", false, true)]);
    assert_eq!(a.read_blob(changes[1].new_blob.as_ref().unwrap()).unwrap(), b"x: 2\n");
    assert!(a.blob_at(&c2, "f/z.yaml").unwrap().is_some());
    assert!(a.blob_at(&c2, "f/sub/y.yaml").unwrap().is_none());
}

#[test]
fn unreachable_remote_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.git");
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), missing.to_str().unwrap()).unwrap();
    let err = a.fetch("main").unwrap_err();
    assert_eq!(err.code(), crate::error::Code::RemoteUnreachable, "{err}");
}

/// Issue K: a git lock held in the local clone was reported as "cannot reach … (offline?)".
#[test]
fn a_held_lock_in_the_clone_is_a_local_error_not_offline() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let c1 = a.commit(None, &[put("x.yaml", "x: 1\n")], "first", &author()).unwrap().unwrap();
    assert_eq!(a.push(&c1, "main").unwrap(), PushOutcome::Pushed);
    let b = GitRepo::open_or_init(&dir.path().join("b.git"), &url).unwrap();
    b.fetch("main").unwrap();
    let c2 = b.commit(Some(&c1), &[put("x.yaml", "x: 2\n")], "second", &author()).unwrap().unwrap();
    assert_eq!(b.push(&c2, "main").unwrap(), PushOutcome::Pushed);
    // Another git process holds `a`'s remote-tracking ref while `a` fetches.
    let lock = dir.path().join("a.git/refs/remotes/origin/main.lock");
    std::fs::write(&lock, "").unwrap();
    let err = a.fetch("main").unwrap_err();
    assert_ne!(err.code(), crate::error::Code::RemoteUnreachable, "{err}");
    assert!(!err.to_string().contains("offline"), "{err}");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(a.fetch("main").unwrap().as_deref(), Some(c2.as_str()));
}

#[test]
fn a_commit_of_thousands_of_files_is_written_as_one_pack_and_pushes() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let writes: Vec<FileWrite> = (0..1000).map(|i| put(&format!("f/many/{i:04}.yaml"), &format!("n: {i}\n"))).collect();
    let c1 = a.commit(None, &writes, "many", &author()).unwrap().unwrap();
    // No loose object per file: the clone holds a pack.
    let loose = walk_count(&dir.path().join("a.git/objects"), |p| p.components().count() > 0 && !p.to_string_lossy().contains("pack"));
    assert!(loose < 100, "{loose} loose objects");
    assert_eq!(a.list_files(&c1, "f/many").unwrap().len(), 1000, "the writing handle's objects are visible");
    assert_eq!(a.push(&c1, "main").unwrap(), PushOutcome::Pushed);
    let b = GitRepo::open_or_init(&dir.path().join("b.git"), &url).unwrap();
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(c1.as_str()));
    let entry = b.list_files(&c1, "f/many").unwrap().into_iter().find(|e| e.path == "0999.yaml").unwrap();
    assert_eq!(b.read_blob(&entry.blob).unwrap(), b"n: 999\n");
    // A follow-up bulk commit on top works the same way.
    let more: Vec<FileWrite> = (0..300).map(|i| FileWrite::Delete { path: format!("f/many/{i:04}.yaml") }).collect();
    let c2 = a.commit(Some(&c1), &more, "fewer", &author()).unwrap().unwrap();
    assert_eq!(a.list_files(&c2, "f/many").unwrap().len(), 700);
}

fn walk_count(dir: &Path, keep: impl Fn(&Path) -> bool + Copy) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += walk_count(&p, keep);
        } else if keep(&p) {
            n += 1;
        }
    }
    n
}
