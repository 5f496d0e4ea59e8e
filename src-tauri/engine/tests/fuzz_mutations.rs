//! A time-boxed mutation fuzzer on stable Rust (cargo-fuzz needs nightly): the real Hedgehog
//! sample files, mutated byte by byte (flips, insertions of YAML's own characters, deletions,
//! repeated and spliced lines), go through what every file hhsync reads goes through: the
//! splitter, the composer (with its limits), Hedgehog's document validation, the canonical
//! writer and the patcher. Beyond "no panic", each parsed document must write and read back as
//! the same value, and patching a document with its own value must change nothing.
//!
//! `HHSYNC_FUZZ_SECS` sets the time box (CI: the default, 10 s), `HHSYNC_FUZZ_SEED` the seed
//! (printed, so a run can be repeated). An input that fails is saved under
//! `tests/fuzz-findings/`; commit it, and `every_saved_finding_passes` replays it from then on.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hhsync_engine::hedgehog::{validate_document, Kind};
use hhsync_engine::yaml::{parse_document, patch, render, split_documents, Limits};

fn findings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-findings")
}

/// The checks one input goes through; Err says which invariant broke.
fn check(input: &[u8]) -> Result<(), String> {
    let limits = Limits::default();
    for doc in split_documents(input) {
        let Ok(parsed) = parse_document(doc.bytes, doc.start_line, &limits) else { continue };
        if let Some(kind) = parsed.value.get("kind").and_then(|k| k.as_str()).and_then(Kind::from_name) {
            let _ = validate_document(kind, &parsed.value);
        }
        let written = render(&parsed.value);
        let again = split_documents(written.as_bytes())
            .next()
            .map(|d| parse_document(d.bytes, d.start_line, &limits))
            .ok_or("the canonical text of a document has no document")?
            .map_err(|e| format!("the canonical text does not read back: {e:?}\n{written}"))?;
        if again.value != parsed.value {
            return Err(format!("the canonical text reads back as another value:\n{written}"));
        }
        if let Ok(text) = std::str::from_utf8(doc.bytes) {
            if let Ok(same) = patch(text, &parsed.value) {
                if same != text {
                    return Err(format!("patching a document with its own value changed it:\n{text}\n---- became ----\n{same}"));
                }
            }
        }
    }
    Ok(())
}

/// xorshift64*: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
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

fn run_one(input: &[u8]) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| check(input))) {
        Ok(outcome) => outcome,
        Err(panic) => Err(format!("panicked: {}", panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default())),
    }
}

#[test]
fn mutated_samples_never_panic_and_keep_the_invariants() {
    let secs: u64 = std::env::var("HHSYNC_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = std::env::var("HHSYNC_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED);
    let corpus = corpus();
    for (i, sample) in corpus.iter().enumerate() {
        assert_eq!(run_one(sample), Ok(()), "sample {i} itself");
    }
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut runs, mut found) = (0u64, Vec::new());
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        mutate(&mut rng, &mut input, &corpus);
        runs += 1;
        if let Err(why) = run_one(&input) {
            let name = format!("{:016x}.yaml", runs.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed);
            std::fs::create_dir_all(findings_dir()).unwrap();
            std::fs::write(findings_dir().join(&name), &input).unwrap();
            found.push(format!("{name}: {why}"));
            if found.len() >= 5 {
                break;
            }
        }
    }
    println!("mutation fuzzer: {runs} inputs in {secs} s from {} samples (seed {seed}), {} findings", corpus.len(), found.len());
    assert!(found.is_empty(), "findings saved under tests/fuzz-findings/:\n{}", found.join("\n\n"));
}

#[test]
fn every_saved_finding_passes() {
    let Ok(entries) = std::fs::read_dir(findings_dir()) else { return };
    let mut failing = Vec::new();
    let mut replayed = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        replayed += 1;
        if let Err(why) = run_one(&std::fs::read(&path).unwrap()) {
            failing.push(format!("{}: {why}", path.display()));
        }
    }
    println!("{replayed} saved findings replayed");
    assert!(failing.is_empty(), "{}", failing.join("\n\n"));
}
