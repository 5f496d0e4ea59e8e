//! End-to-end tests of repositories, fabrics, init, ingest of the virtual-lab file, pull and the
//! audit trail, through the real `hhsync` binary against real git repositories.

mod common;

use common::{sample, Env};
use serde_json::Value;

const DIR: &str = "gitops/hedgehog/fabric-1";

fn prepop_remote(env: &Env) -> std::path::PathBuf {
    env.remote_with("remote", &[("README.md", "# fabrics\n"), (&format!("{DIR}/raw/prepop.yaml"), &sample("raw__prepop.yaml"))])
}

#[test]
fn repo_add_list_remove_touches_only_local_state() {
    let env = Env::new();
    let remote = prepop_remote(&env);
    let head = env.head(&remote);
    env.run(0, &["repo", "add", "r1", remote.to_str().unwrap()]);
    let url = format!("file://{}", remote.display());
    env.run(0, &["repo", "add", "r2", &url, "--branch", "main"]);
    let list = env.json(0, &["repo", "list"]);
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["r1", "r2"]);
    assert!(env.data_dir().join("clones/r1.git").exists());

    // Same name twice, bad names, unreachable remote: refused with a message, nothing stored.
    assert!(env.fail(1, &["repo", "add", "r1", remote.to_str().unwrap()]).contains("already exists"));
    assert!(env.fail(1, &["repo", "add", "../x", remote.to_str().unwrap()]).contains("name"));
    let missing = env.path("missing.git");
    let err = env.fail(1, &["repo", "add", "r3", missing.to_str().unwrap()]);
    assert!(err.contains("cannot reach"), "{err}");
    assert_eq!(env.json(0, &["repo", "list"]).as_array().unwrap().len(), 2);

    // A repository in use by a fabric is not removed.
    env.run(0, &["fabric", "add", "f", "--repo", "r1", "--dir", DIR]);
    assert!(env.fail(1, &["repo", "remove", "r1"]).contains("fabrics"));
    env.run(0, &["fabric", "remove", "f"]);
    env.run(0, &["repo", "remove", "r1"]);
    assert!(!env.data_dir().join("clones/r1.git").exists());
    assert_eq!(env.head(&remote), head, "the remote is untouched");
    assert!(env.fail(1, &["repo", "remove", "r1"]).contains("no repository"));
}

#[test]
fn fabrics_share_a_repository_in_different_directories_only() {
    let env = Env::new();
    let remote = prepop_remote(&env);
    env.run(0, &["repo", "add", "r", remote.to_str().unwrap()]);
    env.run(0, &["fabric", "add", "f1", "--repo", "r", "--dir", "gitops/hedgehog/fabric-1"]);
    env.run(0, &["fabric", "add", "f2", "--repo", "r", "--dir", "/gitops/hedgehog/fabric-2/"]);
    let err = env.fail(1, &["fabric", "add", "f3", "--repo", "r", "--dir", "gitops/hedgehog/fabric-1"]);
    assert!(err.contains("already used by fabric \"f1\""), "{err}");
    assert!(env.fail(1, &["fabric", "add", "f4", "--repo", "r", "--dir", "gitops/hedgehog/fabric-1/sub"]).contains("f1"));
    assert!(env.fail(1, &["fabric", "add", "f5", "--repo", "r", "--dir", "a/../b"]).contains("not allowed"));
    assert!(env.fail(1, &["fabric", "add", "f1", "--repo", "r", "--dir", "x"]).contains("already exists"));
    assert!(env.fail(1, &["fabric", "add", "f6", "--repo", "nope", "--dir", "x"]).contains("no repository"));
    let list = env.json(0, &["fabric", "list"]);
    let dirs: Vec<&str> = list.as_array().unwrap().iter().map(|f| f["directory"].as_str().unwrap()).collect();
    assert_eq!(dirs, ["gitops/hedgehog/fabric-1", "gitops/hedgehog/fabric-2"]);

    // Both fabrics work side by side.
    env.run(0, &["init", "f1"]);
    env.run(0, &["init", "f2"]);
    assert!(env.ls(&remote, "gitops/hedgehog/fabric-2").contains(&".hnp/manifest.yaml".to_owned()));
}

#[test]
fn init_creates_the_structure_once_and_pushes() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[]);
    env.run(0, &["repo", "add", "r", remote.to_str().unwrap()]);
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", DIR]);
    let report = env.json(0, &["init", "f"]);
    assert_eq!(report["already_initialized"], Value::Bool(false));
    assert!(report["commit"].is_string());
    let files = env.ls(&remote, DIR);
    for expected in [".hnp/manifest.yaml", ".hnp/archive-log.yaml", "README.md", "raw/.gitkeep", "unmanaged/.gitkeep",
                     "managed/switches/.gitkeep", "managed/vpcpeerings/.gitkeep", "managed/serverprofiles/.gitkeep"] {
        assert!(files.contains(&expected.to_owned()), "missing {expected} in {files:?}");
    }
    assert_eq!(env.commit_count(&remote), 1);
    let again = env.json(0, &["init", "f"]);
    assert_eq!(again["commit"], Value::Null);
    assert_eq!(again["already_initialized"], Value::Bool(true));
    assert_eq!(env.commit_count(&remote), 1, "nothing changed, nothing committed");

    // Someone deletes raw/ and the README: init repairs exactly that.
    let work = env.other_clone(&remote, "colleague");
    env.git(&work, &["rm", "-q", &format!("{DIR}/raw/.gitkeep"), &format!("{DIR}/README.md")]);
    env.commit_push(&work, "oops");
    let repaired = env.json(0, &["init", "f"]);
    assert_eq!(repaired["created"], serde_json::json!(["README.md", "raw/.gitkeep"]));
    assert_eq!(env.commit_count(&remote), 3);
}

/// The earlier implementation's repository, rebuilt from the samples and its tree listing.
fn old_implementation_remote(env: &Env) -> std::path::PathBuf {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in sample("TREE_at_HEAD.txt").lines() {
        let Some(path) = line.split('\t').nth(1) else { continue };
        if path.ends_with(".gitkeep") {
            files.push((path.to_owned(), String::new()));
        }
    }
    let f = |p: &str| format!("{DIR}/{p}");
    files.extend([
        ("README.md".to_owned(), "# gitops-test-1\n".to_owned()),
        (f("README.md"), "# fabric-1\n".to_owned()),
        (f(".hnp/manifest.yaml"), sample(".hnp__manifest.yaml")),
        (f(".hnp/archive-log.yaml"), sample(".hnp__archive-log.yaml")),
        (f("managed/switches/leaf-01.yaml"), sample("managed__switches__leaf-01.yaml")),
        (f("managed/servers/server-01.yaml"), sample("managed__servers__server-01.yaml")),
        (f("managed/switchgroups/mclag-1.yaml"), sample("managed__switchgroups__mclag-1.yaml")),
        (f("managed/vpcs/test-vpc.yaml"), sample("managed__vpcs__test-vpc.yaml")),
        (f("managed/connections/leaf-01--vpc-loopback.yaml"), sample("managed__connections__leaf-01--vpc-loopback.yaml")),
        (f("managed/connections/server-05--eslag--leaf-03--leaf-04.yaml"), sample("managed__connections__server-05--eslag--leaf-03--leaf-04.yaml")),
        (f("managed/connections/server-01--mclag--leaf-01--leaf-02.yaml"), sample("managed__connections__server-01--mclag--leaf-01--leaf-02.GUI-written-v1alpha2.yaml")),
        (f("managed/connections/test-connection-manual.yaml"), sample("managed__connections__test-connection-manual.INVALID-spec.yaml")),
        (f("managed/tests/api-test-1754460358.yaml"), sample("managed__tests__api-test.NON-HEDGEHOG-ConfigMap.yaml")),
        (f("test/test_gitops_workflow_20250806_072842.yaml"), "test: true\n".to_owned()),
    ]);
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    env.remote_with("old", &refs)
}

#[test]
fn earlier_implementation_repository_is_recognised_and_strays_reported() {
    let env = Env::new();
    let remote = old_implementation_remote(&env);
    let before = env.head(&remote);
    env.run(0, &["repo", "add", "old", remote.to_str().unwrap()]);
    env.run(0, &["fabric", "add", "f", "--repo", "old", "--dir", DIR]);
    let report = env.json(3, &["init", "f"]);
    assert_eq!(report["already_initialized"], Value::Bool(true));
    assert_eq!(report["commit"], Value::Null);
    assert_eq!(env.head(&remote), before, "nothing rewritten, nothing committed");
    let findings: Vec<String> = report["findings"].as_array().unwrap().iter()
        .map(|f| format!("{}: {}", f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    let has = |needle: &str| findings.iter().any(|f| f.contains(needle));
    assert!(has("managed/tests/api-test-1754460358.yaml"), "{findings:#?}");
    assert!(has("server-01--mclag--leaf-01--leaf-02.yaml") && has("v1alpha2"), "{findings:#?}");
    assert!(has("test/test_gitops_workflow"), "{findings:#?}");

    // The resources are there, the invalid one marked invalid with its field path.
    let resources = env.json(0, &["resources", "f"]);
    assert_eq!(resources.as_array().unwrap().len(), 8);
    let invalid = env.json(0, &["resources", "f", "--status", "invalid"]);
    let bad: Vec<&str> = invalid.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(bad.contains(&"test-connection-manual"), "{invalid:#}");
    let manual = invalid.as_array().unwrap().iter().find(|r| r["name"] == "test-connection-manual").unwrap();
    let paths: Vec<&str> = manual["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert!(paths.iter().any(|p| p.starts_with("spec.mclagDomain")), "{paths:?}");
    let status = env.json(3, &["status", "f"]);
    assert!(status["unmanaged"].as_u64().unwrap() >= 2);
}

#[test]
fn virtual_lab_ingest_sorts_46_files_commits_once_and_pull_applies_exactly_two_changes() {
    let env = Env::new();
    let remote = prepop_remote(&env);
    env.setup_fabric(&remote, "r", "lab", DIR);
    let commits = env.commit_count(&remote);

    let report = env.json(0, &["ingest", "lab"]);
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 46);
    assert!(docs.iter().all(|d| d["outcome"] == "managed"), "{report:#}");
    assert_eq!(env.commit_count(&remote), commits + 1, "one ingest, one commit");
    assert_eq!(report["commit"].as_str().unwrap(), env.head(&remote));

    let count = |plural: &str| env.ls(&remote, &format!("{DIR}/managed/{plural}")).iter().filter(|f| f.ends_with(".yaml")).count();
    assert_eq!((count("switchgroups"), count("switches"), count("servers"), count("connections")), (3, 7, 10, 26));
    let raw = env.ls(&remote, &format!("{DIR}/raw"));
    assert!(raw.contains(&"prepop.yaml.archived".to_owned()) && !raw.contains(&"prepop.yaml".to_owned()), "{raw:?}");
    let log = env.cat(&remote, &format!("{DIR}/.hnp/archive-log.yaml"));
    assert!(log.contains("raw/prepop.yaml.archived"), "{log}");
    let leaf = env.cat(&remote, &format!("{DIR}/managed/switches/leaf-01.yaml"));
    assert!(leaf.starts_with("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-01\nspec:\n"), "{leaf}");

    // Again: nothing new, no commit.
    let again = env.json(0, &["ingest", "lab"]);
    assert_eq!(again["commit"], Value::Null);
    assert_eq!(env.commit_count(&remote), commits + 1);

    // Someone else edits one file and deletes another.
    let work = env.other_clone(&remote, "colleague");
    let path = format!("{DIR}/managed/servers/server-03.yaml");
    let text = std::fs::read_to_string(work.join(&path)).unwrap().replace("S-03 Unbundled leaf-01", "S-03 moved to rack 7");
    env.write(&work, &path, &text);
    env.git(&work, &["rm", "-q", &format!("{DIR}/managed/connections/server-10--bundled--leaf-05.yaml")]);
    env.commit_push(&work, "edit server-03, drop a connection");

    let pull = env.json(0, &["pull", "lab"]);
    assert_eq!(pull["up_to_date"], Value::Bool(false));
    assert_eq!((pull["counts"]["changed"].as_u64(), pull["counts"]["deleted"].as_u64(), pull["counts"]["added"].as_u64()), (Some(1), Some(1), Some(0)));
    assert_eq!(pull["counts"]["files"].as_u64(), Some(2), "only the two changed files were read");
    let shown = env.json(0, &["show", "lab", "Server/server-03"]);
    assert!(shown["text"].as_str().unwrap().contains("rack 7"));
    assert!(env.fail(1, &["show", "lab", "Connection/server-10--bundled--leaf-05"]).contains("no resource Connection/server-10--bundled--leaf-05"));
    assert_eq!(env.json(0, &["resources", "lab"]).as_array().unwrap().len(), 45);

    // Nothing moved: the pull is a no-op that reads no file.
    let noop = env.json(0, &["pull", "lab"]);
    assert_eq!(noop["up_to_date"], Value::Bool(true));
    assert_eq!(noop["counts"]["files"].as_u64(), Some(0));

    // Status in the contract's shape.
    let status = env.json(0, &["status", "lab"]);
    for key in ["fabric", "branch", "synced_commit", "counts", "raw_pending", "unmanaged"] {
        assert!(status.get(key).is_some(), "status lacks {key}: {status:#}");
    }
    assert_eq!(status["counts"]["synced"].as_u64(), Some(45));
    assert_eq!(status["synced_commit"].as_str().unwrap(), env.head(&remote));

    // Deleting a server that a connection still uses leaves the connection invalid.
    let work = env.other_clone(&remote, "colleague");
    env.git(&work, &["rm", "-q", &format!("{DIR}/managed/servers/server-09.yaml")]);
    env.commit_push(&work, "drop server-09");
    env.run(0, &["pull", "lab"]);
    let invalid = env.json(0, &["resources", "lab", "--status", "invalid"]);
    let names: Vec<&str> = invalid.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["server-09--unbundled--leaf-05"]);
    assert!(invalid[0]["errors"][0]["message"].as_str().unwrap().contains("server-09"), "{invalid:#}");
    assert_eq!(env.json(3, &["status", "lab"])["counts"]["invalid"].as_u64(), Some(1));
}

#[test]
fn pull_follows_renames_and_moves_between_folders() {
    let env = Env::new();
    let remote = prepop_remote(&env);
    env.setup_fabric(&remote, "r", "lab", DIR);
    env.run(0, &["ingest", "lab"]);
    let work = env.other_clone(&remote, "colleague");
    env.git(&work, &["mv", &format!("{DIR}/managed/servers/server-01.yaml"), &format!("{DIR}/managed/servers/srv-01-renamed.yaml")]);
    // A ConfigMap dropped into managed/ is reported, not managed.
    env.write(&work, &format!("{DIR}/managed/tests/cm.yaml"), &sample("managed__tests__api-test.NON-HEDGEHOG-ConfigMap.yaml"));
    // Someone renames a resource inside its file: the old name is gone, the new one is there.
    let sw = format!("{DIR}/managed/switches/spine-02.yaml");
    let text = std::fs::read_to_string(work.join(&sw)).unwrap().replace("name: spine-02", "name: spine-02b");
    env.write(&work, &sw, &text);
    env.commit_push(&work, "rename and stray");
    let pull = env.json(3, &["pull", "lab"]);
    assert_eq!(pull["counts"]["deleted"].as_u64(), Some(1), "only spine-02 is gone: {pull:#}");
    assert!(env.fail(1, &["show", "lab", "Switch/spine-02"]).contains("no resource"));
    assert_eq!(env.json(0, &["show", "lab", "Switch/spine-02b"])["path"], "managed/switches/spine-02.yaml");
    let shown = env.json(0, &["show", "lab", "server/server-01"]);
    assert_eq!(shown["path"], "managed/servers/srv-01-renamed.yaml");
    assert_eq!(env.json(0, &["resources", "lab"]).as_array().unwrap().len(), 46);
    // The spine-02 connections now point at a switch that is gone.
    let status = env.json(3, &["status", "lab"]);
    assert_eq!(status["unmanaged"].as_u64(), Some(1));
    assert_eq!(status["counts"]["invalid"].as_u64(), Some(5), "{status:#}");
}

#[test]
fn every_init_ingest_and_pull_is_in_the_log() {
    let env = Env::new();
    let remote = prepop_remote(&env);
    env.setup_fabric(&remote, "r", "lab", DIR);
    env.run(0, &["ingest", "lab"]);
    env.run(0, &["pull", "lab"]);
    let log = env.json(0, &["log", "lab"]);
    let ops = log.as_array().unwrap();
    let kinds: Vec<&str> = ops.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["pull", "ingest", "init"], "newest first");
    for o in ops {
        for key in ["id", "kind", "trigger", "started_at", "finished_at", "status", "commit_before", "commit_after", "counts", "error"] {
            assert!(o.get(key).is_some(), "log entry lacks {key}: {o:#}");
        }
        assert_eq!(o["status"], "succeeded");
        assert_eq!(o["trigger"], "cli");
    }
    let ingest = &ops[1];
    assert_eq!(ingest["counts"]["managed"].as_u64(), Some(46));
    assert_ne!(ingest["commit_before"], ingest["commit_after"]);

    // A failed operation is recorded with its error.
    std::fs::remove_dir_all(&remote).unwrap();
    let err = env.fail(1, &["pull", "lab"]);
    assert!(err.contains("cannot reach"), "{err}");
    let failed = &env.json(0, &["log", "lab"])[0];
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"].as_str().unwrap().contains("cannot reach"));
}

#[test]
fn usage_errors_exit_2_and_unknown_things_exit_1() {
    let env = Env::new();
    assert_eq!(env.hhsync(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(env.hhsync(&["ingest"]).status.code(), Some(2));
    assert!(env.fail(1, &["status", "nope"]).contains("no fabric named \"nope\""));
    let remote = prepop_remote(&env);
    env.setup_fabric(&remote, "r", "lab", DIR);
    assert!(env.fail(1, &["resources", "lab", "--kind", "Router"]).contains("unknown kind"));
    assert!(env.fail(1, &["show", "lab", "leaf-01"]).contains("KIND/NAME"));
}

#[test]
fn data_dir_comes_from_the_environment_when_not_given() {
    let env = Env::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hhsync"))
        .env("HHSYNC_DATA_DIR", env.path("from-env"))
        .env("HOME", env.path("home"))
        .args(["repo", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(env.path("from-env/hhsync.sqlite3").exists());
}

#[test]
fn a_first_sync_of_large_managed_files_reads_them_in_batches_and_keeps_every_one() {
    // Three servers of 3 MiB (under the 4 MiB a document may hold) and three small ones: the
    // apply reads at most about 8 MiB of files before parsing them, so this takes more than one
    // batch; every resource arrives, in place.
    let env = Env::new();
    let server = |name: &str, len: usize| {
        format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {name}\nspec:\n  description: {}\n", "d".repeat(len))
    };
    let files: Vec<(String, String)> = (0..6)
        .map(|i| (format!("{DIR}/managed/servers/s-{i}.yaml"), server(&format!("s-{i}"), if i % 2 == 0 { 3 << 20 } else { 10 })))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let remote = env.remote_with("remote", &refs);
    env.run(0, &["repo", "add", "r", remote.to_str().unwrap()]);
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", DIR]);
    env.run(0, &["pull", "f"]);
    let status = env.json(0, &["status", "f"]);
    assert_eq!(status["counts"]["synced"], 6, "{status}");
    for i in 0..6 {
        let shown = env.json(0, &["show", "f", &format!("Server/s-{i}")]);
        assert_eq!(shown["path"], format!("managed/servers/s-{i}.yaml"), "{shown}");
    }
}

#[test]
fn a_resource_defined_in_two_files_is_kept_once_and_the_second_file_aside() {
    // Both in the first sync (a fabric with nothing yet), then a third file in a later pull.
    let env = Env::new();
    let server = |description: &str| {
        format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s1\nspec:\n  description: {description}\n")
    };
    let (a, b) = (server("from a"), server("from b"));
    let remote = env.remote_with(
        "remote",
        &[(&format!("{DIR}/managed/servers/a.yaml"), &a), (&format!("{DIR}/managed/servers/b.yaml"), &b)],
    );
    env.run(0, &["repo", "add", "r", remote.to_str().unwrap()]);
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", DIR]);
    env.run(3, &["pull", "f"]);
    let shown = env.json(0, &["show", "f", "Server/s1"]);
    assert_eq!((shown["path"].as_str(), shown["text"].as_str()), (Some("managed/servers/a.yaml"), Some(a.as_str())), "{shown}");
    assert_eq!(env.json(0, &["status", "f"])["unmanaged"], 1);

    let work = env.other_clone(&remote, "colleague");
    env.write(&work, &format!("{DIR}/managed/servers/c.yaml"), &server("from c"));
    env.commit_push(&work, "a third copy");
    env.run(3, &["pull", "f"]);
    assert_eq!(env.json(0, &["show", "f", "Server/s1"])["path"], "managed/servers/a.yaml");
    assert_eq!(env.json(0, &["status", "f"])["unmanaged"], 2);
    assert_eq!(env.json(0, &["resources", "f"]).as_array().unwrap().len(), 1);
}
