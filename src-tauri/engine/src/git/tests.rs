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

/// `count` files `{dir}/0000.yaml`, `{dir}/0001.yaml`… holding `{key}: 0`, `{key}: 1`…
fn numbered(dir: &str, count: usize, key: &str) -> Vec<FileWrite> {
    (0..count).map(|i| put(&format!("{dir}/{i:04}.yaml"), &format!("{key}: {i}\n"))).collect()
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

/// Issue K: a git lock held in the local clone was reported as "cannot reach … (offline?)". A
/// lock held for a moment is waited for; one a killed process left is cleared (the crash
/// campaign found a pull killed mid-fetch that blocked every later fetch).
#[test]
fn a_lock_held_in_the_clone_is_waited_for_and_one_left_by_a_killed_process_is_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let c1 = a.commit(None, &[put("x.yaml", "x: 1\n")], "first", &author()).unwrap().unwrap();
    assert_eq!(a.push(&c1, "main").unwrap(), PushOutcome::Pushed);
    let b = GitRepo::open_or_init(&dir.path().join("b.git"), &url).unwrap();
    b.fetch("main").unwrap();
    let next = |n: u32| {
        let tip = b.fetch("main").unwrap().unwrap();
        let c = b.commit(Some(&tip), &[put("x.yaml", &format!("x: {n}\n"))], "next", &author()).unwrap().unwrap();
        assert_eq!(b.push(&c, "main").unwrap(), PushOutcome::Pushed);
        c
    };
    let lock = dir.path().join("a.git/refs/remotes/origin/main.lock");

    // Another git process holds `a`'s remote-tracking ref for a moment.
    let c2 = next(2);
    std::fs::write(&lock, "").unwrap();
    let held = lock.clone();
    let other = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        std::fs::remove_file(held).unwrap();
    });
    assert_eq!(a.fetch("main").unwrap().as_deref(), Some(c2.as_str()));
    other.join().unwrap();

    // A process killed mid-fetch left the lock for good.
    let c3 = next(3);
    std::fs::write(&lock, "").unwrap();
    assert_eq!(a.fetch("main").unwrap().as_deref(), Some(c3.as_str()));
    assert!(!lock.exists());
}

#[test]
fn a_commit_of_thousands_of_files_is_written_as_one_pack_and_pushes() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let writes = numbered("f/many", 1000, "n");
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

/// Runs git itself in `dir` (no global config, a fixed author, symbolic links as links); its
/// output. Fails the test if git fails.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "core.symlinks=true"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every file of `commit` read from the repository at `path` with git itself, and its `git fsck`.
fn files_as_git_reads_them(path: &Path, commit: &str) -> Vec<(String, String)> {
    let git = |args: &[&str]| git_in(path, args);
    git(&["fsck", "--full", "--no-dangling"]);
    let names = git(&["ls-tree", "-r", "--name-only", commit]);
    names.lines().map(|name| (name.to_owned(), git(&["show", &format!("{commit}:{name}")]))).collect()
}

/// A bulk commit pushed to a local remote goes as the pack it was written as. When that pack
/// lacks objects the clone already had (a retried ingest writes the same files again, and
/// libgit2 does not write an object twice), the walk after the copy sends them.
#[test]
fn a_bulk_commit_reaches_a_local_remote_whole_even_when_its_pack_lacks_objects() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let base = a.commit(None, &[put("f/readme", "base\n")], "base", &author()).unwrap().unwrap();
    assert_eq!(a.push(&base, "main").unwrap(), PushOutcome::Pushed);
    let writes = numbered("f/many", 400, "n");
    // Written, never pushed (as when the remote moved and the ingest planned again).
    a.commit(Some(&base), &writes, "first try", &author()).unwrap().unwrap();
    let mut again = writes.clone();
    again.push(put("f/many/extra.yaml", "n: extra\n"));
    let retried = a.commit(Some(&base), &again, "second try", &author()).unwrap().unwrap();
    assert_eq!(a.push(&retried, "main").unwrap(), PushOutcome::Pushed);
    let files = files_as_git_reads_them(Path::new(&url), &retried);
    assert_eq!(files.len(), 402);
    assert!(files.contains(&("f/many/0399.yaml".to_owned(), "n: 399\n".to_owned())));
    assert!(files.contains(&("f/many/extra.yaml".to_owned(), "n: extra\n".to_owned())));
    // A bulk commit whose objects are all new goes as its pack alone.
    let packs = |p: &Path| std::fs::read_dir(p.join("objects/pack")).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "pack")).count();
    let before = packs(Path::new(&url));
    let fresh = numbered("f/other", 400, "m");
    let next = a.commit(Some(&retried), &fresh, "more", &author()).unwrap().unwrap();
    assert_eq!(a.push(&next, "main").unwrap(), PushOutcome::Pushed);
    assert_eq!(packs(Path::new(&url)), before + 1, "one pack copied, nothing packed besides");
    assert_eq!(files_as_git_reads_them(Path::new(&url), &next).len(), 802);
    // A pack that cannot be copied (gone from the clone, say): the objects are packed and sent.
    let last = numbered("f/last", 300, "l");
    let after = a.commit(Some(&next), &last, "last", &author()).unwrap().unwrap();
    a.bulk_pack.lock().unwrap().as_mut().unwrap().1 = "0000000000000000000000000000000000000000".into();
    assert_eq!(a.push(&after, "main").unwrap(), PushOutcome::Pushed);
    assert_eq!(files_as_git_reads_them(Path::new(&url), &after).len(), 1102);
}

/// The first fetch from a local remote copies the remote's packs and loose objects as they
/// are, and the clone reads whole: the loose objects here are both the first commit, under the
/// packed ones (git's own first commit), and the tip (a colleague's small push).
#[test]
fn a_first_fetch_from_a_local_remote_copies_its_objects_and_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let work = dir.path().join("work");
    git_in(dir.path(), &["clone", "-q", &url, work.to_str().unwrap()]);
    std::fs::create_dir_all(work.join("f")).unwrap();
    std::fs::write(work.join("f/first.yaml"), "first: 1\n").unwrap();
    git_in(&work, &["add", "-A"]);
    git_in(&work, &["commit", "-qm", "first"]);
    git_in(&work, &["push", "-q", "origin", "HEAD:main"]);
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let first = a.fetch("main").unwrap().unwrap();
    let writes = numbered("f/many", 500, "n");
    let bulk = a.commit(Some(&first), &writes, "many", &author()).unwrap().unwrap();
    assert_eq!(a.push(&bulk, "main").unwrap(), PushOutcome::Pushed);
    // A colleague's small push with git itself: git keeps so few objects loose.
    git_in(&work, &["pull", "-q", "origin", "main"]);
    std::fs::write(work.join("f/loose.yaml"), "loose: 1\n").unwrap();
    git_in(&work, &["add", "-A"]);
    git_in(&work, &["commit", "-qm", "small"]);
    git_in(&work, &["push", "-q", "origin", "HEAD:main"]);
    let tip = git_in(&work, &["rev-parse", "HEAD"]).trim().to_owned();
    let loose = walk_count(&Path::new(&url).join("objects"), |p| !p.to_string_lossy().contains("/pack/"));
    assert!(loose >= 3, "the small push is loose in the remote ({loose} loose objects)");
    let remote_packs = pack_files(Path::new(&url));
    assert!(!remote_packs.is_empty());

    let b = GitRepo::open_or_init(&dir.path().join("b.git"), &url).unwrap();
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(tip.as_str()));
    let copied = pack_files(&dir.path().join("b.git"));
    assert!(remote_packs.iter().all(|p| copied.contains(p)), "{remote_packs:?} copied into {copied:?}");
    let files = files_as_git_reads_them(&dir.path().join("b.git"), &tip);
    assert_eq!(files.len(), 502);
    assert!(files.contains(&("f/first.yaml".to_owned(), "first: 1\n".to_owned())));
    assert!(files.contains(&("f/loose.yaml".to_owned(), "loose: 1\n".to_owned())));
    assert!(!dir.path().join("b.git/hhsync-seed").exists(), "the scratch repository is gone");
    assert!(files.contains(&("f/many/0499.yaml".to_owned(), "n: 499\n".to_owned())));
    // Later fetches do not copy packs again: the next push arrives by the fetch alone.
    std::fs::write(work.join("f/later.yaml"), "later: 1\n").unwrap();
    git_in(&work, &["add", "-A"]);
    git_in(&work, &["commit", "-qm", "later"]);
    git_in(&work, &["push", "-q", "origin", "HEAD:main"]);
    git_in(Path::new(&url), &["repack", "-adq"]);
    let later = b.fetch("main").unwrap().unwrap();
    let repacked = pack_files(Path::new(&url));
    let recopied: Vec<String> = pack_files(&dir.path().join("b.git")).into_iter().filter(|p| repacked.contains(p) && !copied.contains(p)).collect();
    assert!(recopied.is_empty(), "the repacked remote's pack was copied: {recopied:?}");
    assert_eq!(files_as_git_reads_them(&dir.path().join("b.git"), &later).len(), 503);
    // A remote that borrows objects from another (git clone --shared) is fetched the usual way.
    let shared = dir.path().join("shared.git");
    git_in(dir.path(), &["clone", "-q", "--bare", "--shared", &url, shared.to_str().unwrap()]);
    let c = GitRepo::open_or_init(&dir.path().join("c.git"), shared.to_str().unwrap()).unwrap();
    assert_eq!(c.fetch("main").unwrap().as_deref(), Some(later.as_str()));
    assert_eq!(files_as_git_reads_them(&dir.path().join("c.git"), &later).len(), 503);
}

/// The first fetch checks every commit and tree it copies, not only the tip's history: a pack
/// left unreachable by a rewritten branch may name a loose object outside that history, and a
/// later fetch of that commit (found present) must find all it names. A loose commit whose tree
/// is not there (a push half-written) makes the first fetch go the usual way.
#[test]
fn a_first_fetch_copies_only_objects_that_come_with_all_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let remote = Path::new(&url);
    let work = dir.path().join("work");
    git_in(dir.path(), &["clone", "-q", &url, work.to_str().unwrap()]);
    let small_push = |file: &str, text: &str| {
        std::fs::create_dir_all(work.join("f")).unwrap();
        std::fs::write(work.join("f").join(file), text).unwrap();
        git_in(&work, &["add", "-A"]);
        git_in(&work, &["commit", "-qm", file]);
        git_in(&work, &["push", "-qf", "origin", "HEAD:main"]);
        git_in(&work, &["rev-parse", "HEAD"]).trim().to_owned()
    };
    let first = small_push("first.yaml", "first: 1\n");
    let loose = small_push("loose.yaml", "loose: only here\n");
    // A large commit on top, pushed as a pack that does not repeat the loose file.
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    assert_eq!(a.fetch("main").unwrap().as_deref(), Some(loose.as_str()));
    let writes = numbered("f/many", 300, "n");
    let packed = a.commit(Some(&loose), &writes, "many", &author()).unwrap().unwrap();
    assert_eq!(a.push(&packed, "main").unwrap(), PushOutcome::Pushed);
    // The branch rewritten back to the first commit: the pack and the loose commit stay.
    git_in(remote, &["update-ref", "refs/heads/main", &first]);
    let b_dir = dir.path().join("b.git");
    let b = GitRepo::open_or_init(&b_dir, &url).unwrap();
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(first.as_str()));
    // Restored: the packed commit is found present, and all it names must be too.
    git_in(remote, &["update-ref", "refs/heads/main", &packed]);
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(packed.as_str()));
    let files = files_as_git_reads_them(&b_dir, &packed);
    assert!(files.contains(&("f/loose.yaml".to_owned(), "loose: only here\n".to_owned())), "{} files", files.len());

    // A loose commit naming a tree that is not there.
    let tree = "1111111111111111111111111111111111111111";
    let broken = format!("tree {tree}\nauthor t <t@example.com> 0 +0000\ncommitter t <t@example.com> 0 +0000\n\nhalf\n");
    let path = dir.path().join("broken-commit");
    std::fs::write(&path, broken).unwrap();
    git_in(remote, &["hash-object", "-t", "commit", "-w", "--literally", path.to_str().unwrap()]);
    let c_dir = dir.path().join("c.git");
    let c = GitRepo::open_or_init(&c_dir, &url).unwrap();
    assert_eq!(c.fetch("main").unwrap().as_deref(), Some(packed.as_str()));
    assert!(pack_files(&c_dir).iter().all(|p| !pack_files(remote).contains(p)), "fetched the usual way, not copied");
    assert_eq!(files_as_git_reads_them(&c_dir, &packed).len(), files.len());
    assert!(!c_dir.join("hhsync-seed").exists());
}

/// A first fetch cut short while installing (the scratch repository still there) is done again
/// by the next fetch; when it cannot be (the branch is gone), what it installed goes, and the
/// fetch after that starts from an empty clone.
#[test]
fn an_interrupted_first_fetch_is_redone_or_undone() {
    let dir = tempfile::tempdir().unwrap();
    let url = bare_remote(dir.path());
    let a = GitRepo::open_or_init(&dir.path().join("a.git"), &url).unwrap();
    let writes = numbered("f", 300, "n");
    let tip = a.commit(None, &writes, "many", &author()).unwrap().unwrap();
    assert_eq!(a.push(&tip, "main").unwrap(), PushOutcome::Pushed);
    let b_dir = dir.path().join("b.git");
    let interrupt = |clone: &Path| {
        // As if killed after renaming the remote's packs in, before the rest.
        std::fs::create_dir_all(clone.join("hhsync-seed")).unwrap();
        for name in pack_files(Path::new(&url)) {
            let pack = Path::new(&url).join("objects/pack").join(&name);
            std::fs::copy(&pack, clone.join("objects/pack").join(&name)).unwrap();
            std::fs::copy(pack.with_extension("idx"), clone.join("objects/pack").join(&name).with_extension("idx")).unwrap();
        }
    };
    GitRepo::open_or_init(&b_dir, &url).unwrap();
    interrupt(&b_dir);
    let b = GitRepo::open_or_init(&b_dir, &url).unwrap();
    assert_eq!(b.fetch("main").unwrap().as_deref(), Some(tip.as_str()), "redone");
    assert!(!b_dir.join("hhsync-seed").exists());
    assert_eq!(files_as_git_reads_them(&b_dir, &tip).len(), 300);

    let c_dir = dir.path().join("c.git");
    GitRepo::open_or_init(&c_dir, &url).unwrap();
    interrupt(&c_dir);
    git_in(Path::new(&url), &["branch", "-m", "main", "moved"]);
    let c = GitRepo::open_or_init(&c_dir, &url).unwrap();
    let err = c.fetch("main").unwrap_err();
    assert!(err.to_string().contains("interrupted"), "{err}");
    assert!(pack_files(&c_dir).is_empty() && !c_dir.join("hhsync-seed").exists(), "{:?}", pack_files(&c_dir));
    git_in(Path::new(&url), &["branch", "-m", "moved", "main"]);
    let c = GitRepo::open_or_init(&c_dir, &url).unwrap();
    assert_eq!(c.fetch("main").unwrap().as_deref(), Some(tip.as_str()));
    assert_eq!(files_as_git_reads_them(&c_dir, &tip).len(), 300);
}

/// The pack files (`pack-*.pack`) of the repository at `git_dir`, by name.
fn pack_files(git_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(git_dir.join("objects/pack"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pack"))
        .collect();
    names.sort();
    names
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

/// `diff_files` against `git diff-tree -r` on random histories: files added, changed, deleted,
/// swapped with folders, turned into symbolic links, submodules (gitlinks) and executables.
#[test]
fn diff_files_agrees_with_git_diff_tree() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let git = |args: &[&str]| git_in(&work, args);
    std::fs::create_dir_all(&work).unwrap();
    git(&["init", "-q", "-b", "main"]);
    git(&["commit", "-q", "--allow-empty", "-m", "start"]);
    let repo = GitRepo::open_or_init(&work.join(".git"), "unused").unwrap();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut prev = git(&["rev-parse", "HEAD"]).trim().to_owned();
    for step in 0..120 {
        let cur = random_commit(&work, &mut random, &prev, step);
        let is_file = |mode: &str| mode == "100644" || mode == "100755";
        let what = |mode: &str| match mode {
            "160000" => Some("a submodule (gitlink)"),
            "120000" => Some("a symbolic link"),
            _ => None,
        };
        let mut want: Vec<TreeChange> = Vec::new();
        for line in git(&["diff-tree", "-r", "--no-renames", &prev, &cur, "--", "f"]).lines() {
            let (meta, path) = line.split_once('\t').unwrap();
            let m: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
            let path = path.strip_prefix("f/").unwrap().to_owned();
            let (old_blob, new_blob) = (is_file(m[0]).then(|| m[2].to_owned()), is_file(m[1]).then(|| m[3].to_owned()));
            let not_a_file = if m[1] == "000000" { None } else { what(m[1]) };
            match want.iter_mut().find(|c| c.path == path) {
                // A type change git shows as a deletion and an addition: one change here.
                Some(c) => {
                    c.old_blob = c.old_blob.take().or(old_blob);
                    if m[1] != "000000" {
                        c.new_blob = new_blob;
                        c.not_a_file = not_a_file;
                    }
                }
                None => want.push(TreeChange { path, old_blob, new_blob, not_a_file }),
            }
        }
        want.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(repo.diff_files(&prev, &cur, "f").unwrap(), want, "step {step}");
        prev = cur;
    }
}

/// A xorshift generator: the same random histories on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as usize
    }
}

/// One random commit in the working repository `work` on top of `prev`: a few files written,
/// removed, made symbolic links, executables or submodules (gitlinks to `prev`), folders and
/// files swapped; the new head.
fn random_commit(work: &Path, random: &mut Random, prev: &str, step: usize) -> String {
    let git = |args: &[&str]| git_in(work, args);
    let paths = ["f/a.yaml", "f/d", "f/d/b.yaml", "f/d/e", "f/d/e/c.yaml", "f/x.yaml", "g/out.yaml"];
        let mut gitlinks = Vec::new();
    for _ in 0..1 + random.below(3) {
        let p = work.join(paths[random.below(paths.len() as u64)]);
        // Whatever stands in the way (a file where a folder goes, or the reverse) goes first.
        for a in p.ancestors().skip(1).take_while(|a| *a != work) {
            if a.is_file() || a.is_symlink() {
                std::fs::remove_file(a).unwrap();
            }
        }
        let clear = |p: &std::path::Path| {
            if p.is_dir() && !p.is_symlink() {
                std::fs::remove_dir_all(p).unwrap()
            } else if p.exists() || p.is_symlink() {
                std::fs::remove_file(p).unwrap()
            }
        };
        match random.below(6) {
            0 | 1 => {
                clear(&p);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, format!("v: {}\n", random.below(4))).unwrap();
            }
            2 => clear(&p),
            3 => {
                clear(&p);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(format!("target-{}", random.below(3)), &p).unwrap();
            }
            4 if p.is_file() => {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&p).unwrap().permissions().mode() ^ 0o111;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            _ => {
                clear(&p);
                gitlinks.push(p.strip_prefix(work).unwrap().to_str().unwrap().to_owned());
            }
        }
    }
    git(&["add", "-A"]);
    for g in &gitlinks {
        if !work.join(g).parent().unwrap().ancestors().any(|a| a != work && a.starts_with(work) && a.is_file()) {
            let _ = std::process::Command::new("git")
                .arg("-C")
                .arg(work)
                .args(["update-index", "--add", "--cacheinfo", &format!("160000,{prev},{g}")])
                .output();
        }
    }
    git(&["commit", "-q", "--allow-empty", "-m", &format!("step {step}")]);
    git(&["rev-parse", "HEAD"]).trim().to_owned()
}

/// Fetches from a local remote copy what is new (no pack is made, which libgit2's fetch would
/// make), on random histories: [`random_commit`]'s changes, merges of a side branch and a branch
/// rewritten under the clone. After each fetch the clone is whole (git fsck) and holds the
/// remote's tree.
#[test]
fn fetches_from_a_local_remote_copy_exactly_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let git = |args: &[&str]| git_in(&work, args);
    std::fs::create_dir_all(&work).unwrap();
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "gc.auto", "0"]);
    git(&["commit", "-q", "--allow-empty", "-m", "start"]);
    let clone_dir = dir.path().join("clone.git");
    let clone = GitRepo::open_or_init(&clone_dir, work.to_str().unwrap()).unwrap();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut head = git(&["rev-parse", "HEAD"]).trim().to_owned();
    for step in 0..60 {
        match step % 10 {
            // A side branch with two commits, merged (its commits are in the history only).
            4 => {
                git(&["checkout", "-q", "-b", "side"]);
                let side = random_commit(&work, &mut random, &head, step);
                random_commit(&work, &mut random, &side, step);
                git(&["checkout", "-q", "main"]);
                git(&["merge", "-q", "-s", "ours", "--no-edit", "side"]);
                git(&["branch", "-q", "-D", "side"]);
            }
            // The branch rewritten: its last commit replaced by another.
            7 => {
                git(&["reset", "-q", "--hard", "HEAD~1"]);
                random_commit(&work, &mut random, &head, step);
            }
            _ => {
                random_commit(&work, &mut random, &head, step);
            }
        }
        head = git(&["rev-parse", "HEAD"]).trim().to_owned();
        assert_eq!(clone.fetch("main").unwrap().as_deref(), Some(head.as_str()), "step {step}");
        git_in(&clone_dir, &["fsck", "--full", "--no-dangling", "--no-progress"]);
        assert_eq!(git_in(&clone_dir, &["ls-tree", "-r", &head]), git(&["ls-tree", "-r", "HEAD"]), "step {step}");
    }
    assert!(pack_files(&clone_dir).is_empty(), "every fetch copied objects: {:?}", pack_files(&clone_dir));
}
