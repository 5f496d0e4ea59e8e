//! The hostile input corpus (issue F): every file of `tests/hostile-corpus/` (malformed YAML,
//! alias bombs that multiply nodes or bytes, deep nesting, bytes that are not UTF-8, a byte
//! order mark, duplicate keys, tabs, wrong kinds and apiVersions, names that are paths or
//! Windows device names or differ only in case), plus two made here (a 16 MB scalar and a
//! 100 MB file), is dropped into raw/ and ingested by the real `hhsync`. Each must give every
//! document an outcome (with its reason when it is not managed), no panic, peak memory under
//! 200 MB, and no write outside the fabric's directory. Entries git itself finds odd (`..`,
//! `.git`, symbolic links, gitlinks) are `hostile_tree.rs`.

mod common;
#[path = "common/measured.rs"]
mod measured;

use std::path::{Path, PathBuf};

use common::Env;
use measured::run_measured;
use serde_json::Value;

const PEAK_LIMIT_BYTES: u64 = 200 * 1000 * 1000;
const DIR: &str = "fab";

/// A file of the corpus: on disk, or a Server whose description is this many bytes, written
/// in pieces so this process never holds it (a child's peak memory starts from its parent's).
enum Source {
    File(PathBuf),
    Huge(usize),
}

fn corpus() -> Vec<(String, Source)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile-corpus");
    let mut files: Vec<(String, Source)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), Source::File(e.path())))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.push(("huge-scalar.yaml".into(), Source::Huge(16 << 20)));
    files.push(("hundred-megabytes.yaml".into(), Source::Huge(100 << 20)));
    files
}

fn write_source(source: &Source, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    match source {
        Source::File(from) => {
            std::fs::copy(from, to).unwrap();
        }
        Source::Huge(len) => {
            use std::io::Write;
            let mut out = std::io::BufWriter::new(std::fs::File::create(to).unwrap());
            out.write_all(b"apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: huge\nspec:\n  description: ").unwrap();
            let chunk = vec![b'x'; 1 << 20];
            for _ in 0..len / chunk.len() {
                out.write_all(&chunk).unwrap();
            }
            out.write_all(b"\n").unwrap();
        }
    }
}

/// Every path that `commit` changed, relative to the root.
fn changed_paths(env: &Env, remote: &PathBuf) -> Vec<String> {
    env.git(remote, &["diff", "--name-only", "main~1", "main"]).lines().map(str::to_owned).collect()
}

#[test]
fn every_hostile_file_gets_an_outcome_per_document_no_panic_and_bounded_memory() {
    let files = corpus();
    assert!(files.len() >= 14, "the corpus is there: {}", files.len());
    let mut failures = Vec::new();
    for (name, source) in &files {
        let env = Env::new();
        let remote = env.remote_with("remote", &[("README.md", "hostile\n")]);
        env.setup_fabric(&remote, "r", "f", DIR);
        let work = env.other_clone(&remote, "colleague");
        write_source(source, &work.join(DIR).join("raw").join(name));
        env.commit_push(&work, name);
        let before = env.head(&remote);

        let m = run_measured(env.command(&["--json", "ingest", "f"]), env.tmp.path(), name);
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));
        if !matches!(m.code, Some(0 | 3)) {
            fail(format!("exit {:?}: {}", m.code, m.stderr));
            continue;
        }
        if m.stderr.contains("panicked") {
            fail(format!("panicked: {}", m.stderr));
        }
        if m.peak_bytes >= PEAK_LIMIT_BYTES {
            fail(format!("peak RSS {:.0} MB", m.peak_bytes as f64 / 1e6));
        }
        let report: Value = m.json();
        let documents = report["documents"].as_array().cloned().unwrap_or_default();
        if documents.is_empty() {
            fail(format!("no document in the report: {report}"));
        }
        for d in &documents {
            if d["file"].as_str() != Some(&format!("raw/{name}")) {
                fail(format!("a document of another file: {d}"));
            }
            match d["outcome"].as_str() {
                Some("managed") if d["path"].as_str().is_some_and(|p| p.starts_with("managed/") && !p.contains("..")) => {}
                Some("unmanaged" | "error") if d["reason"].as_str().is_some_and(|r| !r.is_empty()) => {}
                _ => fail(format!("a document without a proper outcome: {d}")),
            }
        }
        if env.head(&remote) != before {
            for path in changed_paths(&env, &remote) {
                if !path.starts_with(&format!("{DIR}/")) || path.contains("/../") {
                    fail(format!("wrote {path}, outside {DIR}/"));
                }
            }
        }
        if name == "names-that-are-paths.yaml" {
            // A device name is a valid Kubernetes name: managed, with a warning that a Windows
            // checkout cannot hold its file.
            let aux = env.json(0, &["show", "f", "Server/aux"]);
            let warned = aux["warnings"].as_array().is_some_and(|w| w.iter().any(|i| i["message"].as_str().is_some_and(|m| m.contains("device name on Windows"))));
            if !warned {
                fail(format!("Server/aux has no Windows warning: {aux}"));
            }
        }
        println!(
            "{name}: {} documents ({} managed), exit {:?}, peak {:.0} MB",
            documents.len(),
            documents.iter().filter(|d| d["outcome"] == "managed").count(),
            m.code,
            m.peak_bytes as f64 / 1e6
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
