//! A time-boxed mutation fuzzer on stable Rust (cargo-fuzz needs nightly). The real Hedgehog
//! sample files are mutated byte by byte (flips, insertions of YAML's own characters,
//! deletions, repeated and spliced lines) and go through four targets, one test each, so that
//! each gets its own time box and a finding names what broke:
//!
//! - `read`: the splitter and the composer (with its limits), then the canonical writer: each
//!   parsed document writes and reads back as the same value, and writes again as the same bytes.
//! - `patch`: the lossless patcher on the mutated (hand-formatted) text: patching a document
//!   with its own value changes nothing, and patching it with a changed value (a leaf set, a key
//!   removed, a key added) reads back as exactly that value.
//! - `validate`: Hedgehog's document validation under every kind and the fabric-wide validation
//!   of the mutated documents among the samples; no panic.
//! - `merge`: the three-way merge on the documents: the merge of identical sides is that side; a
//!   change only one side made is kept; changes both sides made in different fields are both
//!   kept, with no conflict.
//!
//! Each input's derived changes come from a hash of its bytes, so a saved input replays the
//! same way. `HHSYNC_FUZZ_SECS` sets each target's time box (CI: the default, 10 s),
//! `HHSYNC_FUZZ_SEED` the seed (printed, so a run can be repeated). An input that fails is saved
//! under `tests/fuzz-findings/`; commit it, and `every_saved_finding_passes` replays it through
//! every target from then on.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hhsync_engine::hedgehog::{validate_document, validate_fabric, FabricResource, Kind};
use hhsync_engine::sync::merge::merge3;
use hhsync_engine::yaml::{parse_document, patch, render, split_documents, Limits};
use serde_json::Value;

#[derive(Debug, Clone, Copy)]
enum Target {
    Read,
    Patch,
    Validate,
    Merge,
}

const TARGETS: [Target; 4] = [Target::Read, Target::Patch, Target::Validate, Target::Merge];

fn findings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-findings")
}

/// The documents of an input that parse, with their text when it is UTF-8.
fn documents(input: &[u8]) -> Vec<(Option<&str>, Value)> {
    split_documents(input)
        .filter_map(|doc| {
            let parsed = parse_document(doc.bytes, doc.start_line, &Limits::default()).ok()?;
            Some((std::str::from_utf8(doc.bytes).ok(), parsed.value))
        })
        .collect()
}

fn read_one(text: &str) -> Result<Value, String> {
    let doc = split_documents(text.as_bytes()).next().ok_or("no document in the text")?;
    parse_document(doc.bytes, doc.start_line, &Limits::default()).map(|p| p.value).map_err(|e| format!("{e:?}"))
}

/// The checks one input goes through for one target; Err says which invariant broke.
fn check(target: Target, input: &[u8], samples: &[Value]) -> Result<(), String> {
    let docs = documents(input);
    let mut rng = Rng::from_bytes(input);
    match target {
        Target::Read => {
            for (_, value) in &docs {
                let written = render(value);
                let again = read_one(&written).map_err(|e| format!("the canonical text does not read back: {e}\n{written}"))?;
                if &again != value {
                    return Err(format!("the canonical text reads back as another value:\n{written}"));
                }
                if render(&again) != written {
                    return Err(format!("writing the canonical text again changes it:\n{written}"));
                }
            }
        }
        Target::Patch => {
            for (text, value) in &docs {
                let Some(text) = text else { continue };
                if let Ok(same) = patch(text, value) {
                    if &same != text {
                        return Err(format!("patching a document with its own value changed it:\n{text}\n---- became ----\n{same}"));
                    }
                }
                let wanted = changed(value, &mut rng);
                // The patcher may refuse a text it cannot edit safely; what it writes must be right.
                if let Ok(patched) = patch(text, &wanted) {
                    let back = read_one(&patched).map_err(|e| format!("the patched text does not read: {e}\n{patched}"))?;
                    if back != wanted {
                        return Err(format!("the patched text holds another value than intended:\n{text}\n---- patched to ----\n{patched}\n---- wanted ----\n{}", render(&wanted)));
                    }
                }
            }
        }
        Target::Validate => {
            // Each mutated document under every kind; then the fabric-wide rules over the
            // mutated documents among the samples' (so that references resolve or clash).
            let mut all: Vec<(Kind, String, &Value)> = Vec::new();
            for (_, value) in &docs {
                for kind in Kind::ALL {
                    let _ = validate_document(kind, value);
                }
            }
            for value in docs.iter().map(|(_, v)| v).chain(samples) {
                if let Some(kind) = value.get("kind").and_then(Value::as_str).and_then(Kind::from_name) {
                    let name = value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_owned();
                    all.push((kind, name, value));
                }
            }
            let resources: Vec<FabricResource> = all.iter().map(|(kind, name, document)| FabricResource { kind: *kind, name, document }).collect();
            for (index, _) in validate_fabric(&resources) {
                if index >= resources.len() {
                    return Err(format!("a fabric-wide finding names resource {index} of {}", resources.len()));
                }
            }
        }
        Target::Merge => {
            for (i, (_, x)) in docs.iter().enumerate() {
                let y = &docs[(i + 1) % docs.len()].1;
                expect_merge(Some(x), Some(x), Some(x), Some(x), "all three sides equal")?;
                expect_merge(Some(x), Some(y), Some(y), Some(y), "identical sides")?;
                expect_merge(Some(x), Some(y), Some(x), Some(y), "only ours changed")?;
                expect_merge(Some(x), Some(x), Some(y), Some(y), "only theirs changed")?;
                expect_merge(Some(x), None, Some(x), None, "deleted by ours, unchanged by theirs")?;
                expect_merge(Some(x), Some(x), None, None, "deleted by theirs, unchanged by ours")?;
                expect_merge(None, Some(y), Some(y), Some(y), "added the same by both")?;
                let mut leaves = Vec::new();
                leaves_of(x, &mut Vec::new(), &mut leaves);
                if leaves.len() < 2 {
                    continue;
                }
                let a = &leaves[rng.below(leaves.len())];
                let b = &leaves[rng.below(leaves.len())];
                let ours = with_leaf(x, a, Value::String("fuzz-ours".into()));
                expect_merge(Some(x), Some(&ours), Some(x), Some(&ours), "one field changed by ours")?;
                expect_merge(Some(x), Some(x), Some(&ours), Some(&ours), "one field changed by theirs")?;
                if let Some(split) = object_split(a, b) {
                    let theirs = with_leaf(x, b, Value::String("fuzz-theirs".into()));
                    let both = with_leaf(&ours, b, Value::String("fuzz-theirs".into()));
                    expect_merge(Some(x), Some(&ours), Some(&theirs), Some(&both), &format!("different fields changed on each side (under {split})"))?;
                }
            }
        }
    }
    Ok(())
}

/// Checks that the merge of the three sides is `wanted` (None: deleted), with no conflict.
fn expect_merge(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>, wanted: Option<&Value>, case: &str) -> Result<(), String> {
    let out = merge3(base, ours, theirs, &|_| None);
    if out.value.as_ref() != wanted || !out.conflicts.is_empty() {
        let shown = |v: Option<&Value>| v.map(render).unwrap_or_else(|| "(deleted)".into());
        return Err(format!("merge, {case}: got {} with conflicts {:?}\nwanted {}", shown(out.value.as_ref()), out.conflicts, shown(wanted)));
    }
    Ok(())
}

/// A path step: a map key or a list position.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn leaves_of(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(m) if !m.is_empty() => m.iter().for_each(|(k, v)| {
            at.push(Step::Key(k.clone()));
            leaves_of(v, at, out);
            at.pop();
        }),
        Value::Array(a) if !a.is_empty() => a.iter().enumerate().for_each(|(i, v)| {
            at.push(Step::Index(i));
            leaves_of(v, at, out);
            at.pop();
        }),
        _ => out.push(at.clone()),
    }
}

fn with_leaf(value: &Value, path: &[Step], to: Value) -> Value {
    let mut out = value.clone();
    let mut at = &mut out;
    for step in path {
        at = match step {
            Step::Key(k) => at.get_mut(k.as_str()).expect("a leaf's path"),
            Step::Index(i) => at.get_mut(*i).expect("a leaf's path"),
        };
    }
    *at = to;
    out
}

/// Where two different leaves part, when every step down to there is a map key (so the two
/// changes are in different fields of one map, not in one list): that shared path.
fn object_split(a: &[Step], b: &[Step]) -> Option<String> {
    let shared = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if a == b || a[..shared].iter().any(|s| matches!(s, Step::Index(_))) {
        return None;
    }
    matches!((a.get(shared), b.get(shared)), (Some(Step::Key(_)), Some(Step::Key(_))))
        .then(|| a[..shared].iter().map(|s| format!("/{s:?}")).collect())
}

/// The value with one change: a leaf set to another scalar, a map key removed, or one added.
fn changed(value: &Value, rng: &mut Rng) -> Value {
    let mut leaves = Vec::new();
    leaves_of(value, &mut Vec::new(), &mut leaves);
    let path = &leaves[rng.below(leaves.len())];
    const SCALARS: [&str; 6] = ["changed", "yes", "10.0.0.1/24", "- dash", "two\nlines", "é"];
    match rng.below(4) {
        0 if path.len() > 1 && matches!(path.last(), Some(Step::Key(_))) => {
            let mut out = value.clone();
            let parent = &path[..path.len() - 1];
            let Some(Step::Key(key)) = path.last() else { unreachable!() };
            let target = parent.iter().fold(Some(&mut out), |at, step| match (at, step) {
                (Some(v), Step::Key(k)) => v.get_mut(k.as_str()),
                (Some(v), Step::Index(i)) => v.get_mut(*i),
                (None, _) => None,
            });
            if let Some(Value::Object(map)) = target {
                map.remove(key);
            }
            out
        }
        1 => {
            let mut out = value.clone();
            if let Value::Object(map) = &mut out {
                map.insert(format!("added{}", rng.below(100)), Value::String(SCALARS[rng.below(SCALARS.len())].into()));
            }
            out
        }
        2 => with_leaf(value, path, Value::from(rng.below(5000) as i64)),
        _ => with_leaf(value, path, Value::String(SCALARS[rng.below(SCALARS.len())].into())),
    }
}

/// xorshift64*: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    /// Seeded from FNV-1a of the bytes: an input always derives the same changes.
    fn from_bytes(bytes: &[u8]) -> Self {
        Rng(bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const YAML_BYTES: &[u8] = b":-#&*!|>'\"[]{},?%@` \n\t0123456789.~";

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if at < input.len() => input[at] ^= 1 << rng.below(8),
            1 => input.insert(at, YAML_BYTES[rng.below(YAML_BYTES.len())]),
            2 if at < input.len() => {
                let end = (at + 1 + rng.below(16)).min(input.len());
                input.drain(at..end);
            }
            3 => {
                // a line repeated (indentation and keys clash)
                let start = input[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let end = input[at..].iter().position(|&b| b == b'\n').map_or(input.len(), |i| at + i + 1);
                let line = input[start..end].to_vec();
                input.splice(end..end, line);
            }
            4 => {
                // a slice of another sample spliced in
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let piece = other[from..(from + 1 + rng.below(64)).min(other.len())].to_vec();
                input.splice(at..at, piece);
            }
            _ => input.insert(at, 0xC3 + rng.below(2) as u8), // a broken UTF-8 sequence
        }
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let dir = common::samples_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Every document of the samples: the fabric a mutated document is validated in.
fn sample_documents(corpus: &[Vec<u8>]) -> Vec<Value> {
    corpus.iter().flat_map(|file| documents(file).into_iter().map(|(_, v)| v)).collect()
}

fn run_one(target: Target, input: &[u8], samples: &[Value]) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| check(target, input, samples))) {
        Ok(outcome) => outcome,
        Err(panic) => Err(format!("panicked: {}", panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default())),
    }
}

fn fuzz(target: Target) {
    let secs: u64 = std::env::var("HHSYNC_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = std::env::var("HHSYNC_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED);
    let corpus = corpus();
    let samples = sample_documents(&corpus);
    for (i, sample) in corpus.iter().enumerate() {
        assert_eq!(run_one(target, sample, &samples), Ok(()), "{target:?}: sample {i} itself");
    }
    let mut rng = Rng(seed | 1);
    let began = Instant::now();
    let deadline = began + Duration::from_secs(secs);
    let (mut runs, mut found) = (0u64, Vec::new());
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        mutate(&mut rng, &mut input, &corpus);
        runs += 1;
        if let Err(why) = run_one(target, &input, &samples) {
            let name = format!("{target:?}-{:016x}.yaml", runs.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed).to_lowercase();
            std::fs::create_dir_all(findings_dir()).unwrap();
            std::fs::write(findings_dir().join(&name), &input).unwrap();
            found.push(format!("{name}: {why}"));
            if found.len() >= 5 {
                break;
            }
        }
    }
    let ran = began.elapsed().as_secs_f64();
    println!("mutation fuzzer, target {target:?}: {runs} inputs in {ran:.0} s from {} samples (seed {seed}), {} findings", corpus.len(), found.len());
    assert!(found.is_empty(), "findings saved under tests/fuzz-findings/:\n{}", found.join("\n\n"));
}

#[test]
fn fuzz_read() {
    fuzz(Target::Read);
}

#[test]
fn fuzz_patch() {
    fuzz(Target::Patch);
}

#[test]
fn fuzz_validate() {
    fuzz(Target::Validate);
}

#[test]
fn fuzz_merge() {
    fuzz(Target::Merge);
}

#[test]
fn every_saved_finding_passes() {
    let Ok(entries) = std::fs::read_dir(findings_dir()) else { return };
    let samples = sample_documents(&corpus());
    let mut failing = Vec::new();
    let mut replayed = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        replayed += 1;
        let input = std::fs::read(&path).unwrap();
        for target in TARGETS {
            if let Err(why) = run_one(target, &input, &samples) {
                failing.push(format!("{} ({target:?}): {why}", path.display()));
            }
        }
    }
    println!("{replayed} saved findings replayed through every target");
    assert!(failing.is_empty(), "{}", failing.join("\n\n"));
}
