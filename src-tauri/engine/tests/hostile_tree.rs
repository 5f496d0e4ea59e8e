//! Trees no ordinary checkout would produce, pushed by "someone else" with git's own plumbing
//! (gitlinks, symbolic links, entries named `..` or `.git`), and resource names that are no
//! file names: the real `hhsync` binary against a real bare remote must keep working, report
//! what it cannot read as stray, and never write a path git would refuse.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{sample, Env};
use serde_json::Value;

const DIR: &str = "fab";
const FABRIC: &str = "f";
/// A commit of some other repository: a gitlink names it, this repository does not hold it.
const FOREIGN_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// A fabric `f` at `fab/` of a fresh bare remote holding the virtual-lab raw file, ingested.
fn ingested() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let remote = env.remote_with("remote", &[(&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))]);
    env.setup_fabric(&remote, "r", FABRIC, DIR);
    env.run(0, &["ingest", FABRIC]);
    (env, remote)
}

/// Runs git plumbing in `dir` with `stdin`, the user's configuration masked out; returns stdout.
fn plumbing(dir: &Path, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Someone Else")
        .env("GIT_AUTHOR_EMAIL", "someone@example.com")
        .env("GIT_COMMITTER_NAME", "Someone Else")
        .env("GIT_COMMITTER_EMAIL", "someone@example.com")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run git");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// One entry of a tree: mode (as git writes it: `40000` for a folder), name, object id.
struct Entry {
    mode: String,
    name: String,
    id: String,
}

/// The entries of `tree` in the bare repository `repo`.
fn entries(repo: &Path, tree: &str) -> Vec<Entry> {
    plumbing(repo, &["ls-tree", "-z", tree], b"")
        .split('\0')
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (meta, name) = line.split_once('\t').unwrap();
            let mut parts = meta.split(' ');
            let mode = parts.next().unwrap().trim_start_matches('0').to_owned();
            let id = parts.nth(1).unwrap().to_owned();
            Entry { mode, name: name.to_owned(), id }
        })
        .collect()
}

/// Writes a tree of `entries` byte by byte with `hash-object --literally`, so that names git's
/// porcelain (and possibly a future `mktree`) refuses are kept. Git's order: by name, a
/// folder's name compared as if it ended in `/`.
fn write_tree(repo: &Path, mut entries: Vec<Entry>) -> String {
    let key = |e: &Entry| {
        let mut k = e.name.clone().into_bytes();
        if e.mode == "40000" {
            k.push(b'/');
        }
        k
    };
    entries.sort_by_key(key);
    let mut bytes = Vec::new();
    for e in &entries {
        bytes.extend_from_slice(format!("{} {}\0", e.mode, e.name).as_bytes());
        bytes.extend((0..20).map(|i| u8::from_str_radix(&e.id[2 * i..2 * i + 2], 16).unwrap()));
    }
    plumbing(repo, &["hash-object", "-t", "tree", "--literally", "-w", "--stdin"], &bytes)
}

/// `tree` with `put` placed at `path` (a folder path, then the entry's name), every folder on
/// the way rewritten.
fn tree_with(repo: &Path, tree: &str, path: &[&str], put: Entry) -> String {
    let mut list = entries(repo, tree);
    match path {
        [] => {
            list.retain(|e| e.name != put.name);
            list.push(put);
        }
        [folder, rest @ ..] => {
            let sub = list.iter().find(|e| e.name == *folder).map(|e| e.id.clone());
            let sub = sub.unwrap_or_else(|| write_tree(repo, Vec::new()));
            let id = tree_with(repo, &sub, rest, put);
            list.retain(|e| e.name != *folder);
            list.push(Entry { mode: "40000".into(), name: (*folder).into(), id });
        }
    }
    write_tree(repo, list)
}

/// Commits, on top of main in the bare `remote`, main's tree with each of `puts` (a path inside
/// the GitOps directory, and the entry to put there).
fn commit_odd_entries(remote: &Path, puts: Vec<(&str, Entry)>, message: &str) {
    let head = plumbing(remote, &["rev-parse", "main"], b"");
    let mut tree = plumbing(remote, &["rev-parse", "main^{tree}"], b"");
    for (folder, entry) in puts {
        let mut path = vec![DIR];
        path.extend(folder.split('/').filter(|s| !s.is_empty()));
        tree = tree_with(remote, &tree, &path, entry);
    }
    let commit = plumbing(remote, &["commit-tree", &tree, "-p", &head, "-m", message], b"");
    plumbing(remote, &["update-ref", "refs/heads/main", &commit, &head], b"");
}

fn gitlink(name: &str) -> Entry {
    Entry { mode: "160000".into(), name: name.into(), id: FOREIGN_COMMIT.into() }
}

fn blob(remote: &Path, text: &str) -> String {
    plumbing(remote, &["hash-object", "-w", "--stdin"], text.as_bytes())
}

fn server(name: &str, description: &str) -> String {
    format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\nspec:\n  description: {description}\n")
}

/// `validate FABRIC` warnings about files, as "path: message".
fn findings(env: &Env) -> Vec<String> {
    let out = env.hhsync(&["--json", "validate", FABRIC]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"].is_null())
        .map(|w| format!("{}: {}", w["file"].as_str().unwrap_or_default(), w["message"].as_str().unwrap_or_default()))
        .collect()
}

/// `status FABRIC --json`, whatever its exit code.
fn status(env: &Env) -> Value {
    let out = env.hhsync(&["--json", "status", FABRIC]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn resource_count(env: &Env) -> usize {
    env.json(0, &["resources", FABRIC]).as_array().unwrap().len()
}

fn edit_leaf(env: &Env, description: &str) {
    let text = env.json(0, &["show", FABRIC, "Switch/leaf-01"])["text"].as_str().unwrap().replace("VS-01 MCLAG 1", description);
    env.run_with_input(0, &["edit", FABRIC, "Switch/leaf-01"], &text);
}

#[test]
fn gitlinks_and_symlinks_under_managed_and_unmanaged_are_stray_and_pull_push_ingest_keep_working() {
    let (env, remote) = ingested();
    let resources = resource_count(&env);
    let leaf = blob(&remote, "leaf-01.yaml");
    commit_odd_entries(
        &remote,
        vec![
            // A submodule named like a resource file, one in unmanaged/, and a symlink.
            ("managed/switches", gitlink("vendored.yaml")),
            ("unmanaged", gitlink("tools")),
            ("managed/switches", Entry { mode: "120000".into(), name: "alias.yaml".into(), id: leaf }),
        ],
        "a colleague adds submodules and a symlink",
    );

    let pull = env.json(3, &["pull", FABRIC]);
    assert_eq!(pull["counts"]["unmanaged"], 3, "{pull:#}");
    assert_eq!(pull["counts"]["added"], 0, "{pull:#}");
    let found = findings(&env);
    assert!(found.iter().any(|f| f.starts_with("managed/switches/vendored.yaml:") && f.contains("submodule")), "{found:#?}");
    assert!(found.iter().any(|f| f.starts_with("managed/switches/alias.yaml:") && f.contains("symbolic link")), "{found:#?}");
    assert_eq!(status(&env)["unmanaged"], 3);
    assert_eq!(resource_count(&env), resources, "no resource from them");

    // Push and ingest work with the entries in the tree, and leave them alone.
    edit_leaf(&env, "VS-01 beside a submodule");
    let push = env.json(0, &["push", FABRIC]);
    assert!(push["commit"].is_string(), "{push:#}");
    assert!(env.cat(&remote, &format!("{DIR}/managed/switches/leaf-01.yaml")).contains("VS-01 beside a submodule"));
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/raw/more.yaml"), &server("server-99", "late arrival"));
    env.commit_push(&work, "one more raw file");
    let ingest = env.hhsync(&["--json", "ingest", FABRIC]);
    assert!(matches!(ingest.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&ingest.stderr));
    assert_eq!(env.json(0, &["show", FABRIC, "Server/server-99"])["status"], "synced");
    let tree = env.git(&remote, &["ls-tree", "-r", "main", &format!("{DIR}/")]);
    assert!(tree.contains(&format!("160000 commit {FOREIGN_COMMIT}\t{DIR}/managed/switches/vendored.yaml")), "{tree}");
    assert!(tree.contains(&format!("160000 commit {FOREIGN_COMMIT}\t{DIR}/unmanaged/tools")), "{tree}");

    // A second client syncs the same tree from scratch (the first sync lists, not diffs).
    let second = env.path("data-2");
    let run = |args: &[&str]| env.hhsync_in(&second, args);
    assert_eq!(run(&["repo", "add", "r", remote.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run(&["fabric", "add", FABRIC, "--repo", "r", "--dir", DIR]).status.code(), Some(0));
    let pulled = run(&["--json", "pull", FABRIC]);
    assert_eq!(pulled.status.code(), Some(3), "{}", String::from_utf8_lossy(&pulled.stderr));
    let pulled: Value = serde_json::from_slice(&pulled.stdout).unwrap();
    assert_eq!(pulled["counts"]["unmanaged"], 3, "{pulled:#}");
}

#[test]
fn a_managed_file_replaced_by_a_submodule_is_a_deleted_resource_and_a_stray_entry() {
    let (env, remote) = ingested();
    commit_odd_entries(&remote, vec![("managed/servers", gitlink("server-01.yaml"))], "server-01 becomes a submodule");
    let pull = env.json(3, &["pull", FABRIC]);
    assert_eq!(pull["counts"]["deleted"], 1, "{pull:#}");
    assert_eq!(pull["counts"]["unmanaged"], 1, "{pull:#}");
    assert!(env.fail(1, &["show", FABRIC, "Server/server-01"]).contains("no resource"));
    assert!(findings(&env).iter().any(|f| f.starts_with("managed/servers/server-01.yaml:") && f.contains("submodule")));

    // Back to a file: the resource returns and the stray entry is gone.
    let text = sample("managed__servers__server-01.yaml");
    let id = blob(&remote, &text);
    commit_odd_entries(&remote, vec![("managed/servers", Entry { mode: "100644".into(), name: "server-01.yaml".into(), id })], "a file again");
    let pull = env.json(0, &["pull", FABRIC]);
    assert_eq!(pull["counts"]["added"], 1, "{pull:#}");
    assert_eq!(status(&env)["unmanaged"], 0);
}

#[test]
fn tree_entries_named_dot_dot_or_dot_git_under_raw_are_stray_and_ingest_keeps_working() {
    let (env, remote) = ingested();
    // (A colleague's clone could not check the odd tree out: its file goes first.)
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/raw/fine.yaml"), &server("server-88", "an ordinary raw file"));
    env.commit_push(&work, "an ordinary raw file");
    let hidden = blob(&remote, &server("server-77", "hidden in an odd folder"));
    let inner = write_tree(&remote, vec![Entry { mode: "100644".into(), name: "sneaky.yaml".into(), id: hidden.clone() }]);
    let folder = |name: &str| Entry { mode: "40000".into(), name: name.into(), id: inner.clone() };
    commit_odd_entries(
        &remote,
        vec![("raw", folder("..")), ("raw", folder(".git")), ("raw", folder(".GIT")), ("raw", Entry { mode: "100644".into(), name: "..yaml".into(), id: hidden })],
        "odd names in raw/",
    );

    // Every ingest used to fail on them (archiving `raw/../sneaky.yaml` is a path git refuses);
    // now the ordinary file (and `..yaml`, an odd but valid name) is ingested and the odd
    // folders are left as they are, reported as stray.
    let ingest = env.json(0, &["ingest", FABRIC]);
    let files: Vec<&str> = ingest["documents"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"raw/fine.yaml") && files.contains(&"raw/..yaml"), "{ingest:#}");
    assert!(files.iter().all(|f| !f.contains("sneaky")), "{ingest:#}");
    assert_eq!(env.json(0, &["show", FABRIC, "Server/server-88"])["status"], "synced");
    let found = findings(&env);
    for odd in ["raw/../sneaky.yaml", "raw/.git/sneaky.yaml", "raw/.GIT/sneaky.yaml"] {
        assert!(found.iter().any(|f| f.starts_with(&format!("{odd}:")) && f.contains("cannot be checked out")), "{odd}: {found:#?}");
    }
    assert_eq!(status(&env)["unmanaged"], 3);
    let tree = env.git(&remote, &["ls-tree", "-r", "--name-only", "main", &format!("{DIR}/raw/")]);
    for odd in ["raw/../sneaky.yaml", "raw/.git/sneaky.yaml", "raw/fine.yaml.archived"] {
        assert!(tree.lines().any(|l| l == format!("{DIR}/{odd}")), "{odd} in:\n{tree}");
    }
    assert_eq!(env.json(0, &["ingest", FABRIC])["commit"], Value::Null, "a second ingest finds nothing to do");
}

#[test]
fn new_resources_with_names_that_are_no_kubernetes_names_are_refused_when_saved() {
    let (env, remote) = ingested();
    for name in ["a/b", "..", ".git", "Upper", "-lead", "x_y"] {
        let out = env
            .command(&["edit", FABRIC, &format!("Server/{name}")])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                child.stdin.take().unwrap().write_all(server(&format!("'{name}'"), "hostile").as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(&format!("cannot create Server/{name}")) && stderr.contains("RFC 1123"), "{name}: {stderr}");
        assert!(stderr.contains("nothing was saved"), "{name}: {stderr}");
    }
    assert_eq!(env.json(0, &["diff", FABRIC]).as_array().unwrap().len(), 0, "no draft was kept");
    let before = env.head(&remote);
    assert_eq!(env.json(0, &["push", FABRIC, "--allow-invalid"])["commit"], Value::Null);
    assert_eq!(env.head(&remote), before);

    // A valid new name is saved, and pushed where its name says.
    env.run_with_input(0, &["edit", FABRIC, "Server/server-42.rack-1"], &server("server-42.rack-1", "fine"));
    env.run(0, &["push", FABRIC]);
    assert!(env.ls(&remote, DIR).contains(&"managed/servers/server-42.rack-1.yaml".to_owned()));
}

#[test]
fn an_existing_resource_with_a_bad_name_can_still_be_edited_in_its_file() {
    let (env, remote) = ingested();
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/managed/servers/legacy.yaml"), &server("Legacy_Server", "named before the rules"));
    env.commit_push(&work, "a resource with an invalid name");
    env.hhsync(&["pull", FABRIC]);
    let report = env.run_with_input(3, &["--json", "edit", FABRIC, "Server/Legacy_Server"], &server("Legacy_Server", "edited"));
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["status"], "modified", "{report:#}");
    assert_eq!(report["path"], "managed/servers/legacy.yaml", "{report:#}");
    assert!(report["errors"].as_array().unwrap().iter().any(|e| e["path"] == "metadata.name"), "kept with its issue: {report:#}");
}

#[test]
fn raw_documents_whose_names_are_no_file_names_are_never_written_as_managed() {
    let (env, remote) = ingested();
    let work = env.other_clone(&remote, "colleague");
    let names = ["a/b", "..", ".git", "../../escape", "Upper", "nul"];
    let text: String = names.iter().map(|n| server(&format!("'{n}'"), "from raw")).collect::<Vec<_>>().join("---\n");
    env.write(&work, &format!("{DIR}/raw/names.yaml"), &text);
    env.commit_push(&work, "names");
    let report = env.json(0, &["ingest", FABRIC]);
    let outcome = |name: &str| {
        report["documents"].as_array().unwrap().iter().find(|d| d["name"] == name).unwrap_or_else(|| panic!("{name}: {report:#}")).clone()
    };
    for name in &names[..5] {
        let d = outcome(name);
        assert_eq!(d["outcome"], "unmanaged", "{name}: {d:#}");
        let path = d["path"].as_str().unwrap();
        assert!(path.starts_with("unmanaged/") && path.matches('/').count() == 1 && !path.contains(".."), "{name}: {path}");
    }
    // A device name on Windows is a valid Kubernetes name: managed, with a warning.
    let nul = outcome("nul");
    assert_eq!(nul["outcome"], "managed", "{nul:#}");
    assert!(nul["reason"].as_str().unwrap_or_default().contains("device name on Windows"), "{nul:#}");
    for path in env.ls(&remote, DIR) {
        assert!(!path.starts_with("managed/servers/") || !path.contains("escape") && path.matches('/').count() == 2, "{path}");
    }
}
