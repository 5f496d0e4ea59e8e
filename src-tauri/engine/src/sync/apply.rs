//! Applying a commit to the store: the files below the fabric's directory that changed since
//! the synced commit (all of them on the first sync) are read, classified and written in one
//! transaction together with the new synced commit. Unchanged files are never read.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::issues::document_issues;
use super::reconcile::{reconcile, Reconciled};
use crate::error::Result;
use crate::git::{BlobReader, GitRepo, TreeChange};
use crate::gitops::layout::{self, FileRole};
use crate::gitops::resource::{read_resource_file, ResourceFile};
use crate::hedgehog::Kind;
use crate::store::{issues_text, FabricRow, ResourceUpsert, Store, StoredIssue, ValidationInput};

// Public here too: the engine's drafts, overview and conflicts name these through this module.

/// What an apply touched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ApplyCounts {
    pub files: usize,
    /// Drafts that matched what arrived (e.g. our own push) and were dropped.
    pub drafts_dissolved: usize,
    pub auto_merged: usize,
    pub conflicts: usize,
    pub added: usize,
    pub changed: usize,
    pub deleted: usize,
    /// Files found where they do not belong or not readable as a resource.
    pub unmanaged: usize,
}

impl ApplyCounts {
    fn count(&mut self, outcome: Reconciled) {
        match outcome {
            Reconciled::Dissolved => self.drafts_dissolved += 1,
            Reconciled::AutoMerged => self.auto_merged += 1,
            Reconciled::Conflict => self.conflicts += 1,
        }
    }
}

/// A resource an apply added, changed or deleted (for "what changed" notices).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ChangedResource {
    pub kind: String,
    pub name: String,
    /// added, changed or deleted.
    pub change: &'static str,
}

/// Brings the fabric's stored state to `to`. The caller holds the fabric's lock.
pub fn apply_commit(store: &Store, repo: &GitRepo, fabric: &FabricRow, to: &str, known: KnownFiles) -> Result<ApplyCounts> {
    apply_commit_with(store, repo, fabric, to, known, &|_, _| Ok(())).map(|(counts, _)| counts)
}

/// A managed file as the store takes it: its resource and the document's own issues (their
/// lines worked out, so the parse's positions need not be kept).
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub kind: Kind,
    pub name: String,
    pub legacy: bool,
    pub value: serde_json::Value,
    pub issues: Vec<StoredIssue>,
}

impl ReadFile {
    pub fn new(file: ResourceFile) -> Self {
        let issues = document_issues(file.kind, &file.parsed);
        Self { kind: file.kind, name: file.name, legacy: file.legacy, value: file.parsed.value, issues }
    }
}

/// A managed file this process has just written and read back (an ingest reads back every file
/// it renders, to refuse one the reader would refuse): applying the commit that carries it
/// takes it from here rather than reading and parsing it again.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub text: String,
    pub file: ReadFile,
}

/// Known files by blob id ([`crate::git::blob_id`]): the id says the bytes are the same.
pub type KnownFiles = HashMap<String, KnownFile>;

/// [`apply_commit`], reporting files done out of total to `progress`, which may stop the
/// apply by returning an error (the transaction is then rolled back whole). Also returns the
/// resources that changed.
pub fn apply_commit_with(
    store: &Store,
    repo: &GitRepo,
    fabric: &FabricRow,
    to: &str,
    mut known: KnownFiles,
    progress: &dyn Fn(usize, usize) -> Result<()>,
) -> Result<(ApplyCounts, Vec<ChangedResource>)> {
    let changes: Vec<TreeChange> = match fabric.synced_commit.as_deref() {
        Some(from) if from == to => return Ok((ApplyCounts::default(), Vec::new())),
        Some(from) => repo.diff_files(from, to, &fabric.directory)?,
        None => repo.entries_as_added(to, &fabric.directory)?,
    };
    let mut conn = store.connect()?;
    let tx = conn.transaction().map_err(|e| store.err(e))?;
    // What the fabric held before: with no resources, no path holds one to remove and none has
    // a draft; with no raw or unmanaged files, no path holds one (a path comes once in a range,
    // so nothing this apply writes is met again). A first sync and an ingest into a new fabric
    // skip those statements: 6 % of a first import's time, 5 % of an ingest's, in perf.
    let (had_resources, had_files) = store.fabric_holds(&tx, fabric.id)?;
    let mut apply = Applying {
        store,
        conn: &tx,
        repo,
        fabric,
        to,
        counts: ApplyCounts { files: changes.len(), ..ApplyCounts::default() },
        changed: Vec::new(),
        kept_paths: HashSet::new(),
        had_files,
        first: (!had_resources).then(FirstSync::default),
    };

    // Additions and modifications first, so that a file renamed within this range keeps its
    // resource (the upsert re-points it before the old path is removed). They go in batches (at
    // most BATCH files and about BATCH_BYTES): the managed files of a batch are read, parsed and
    // checked on other threads while the batch before is written here (SQLite writes on this
    // thread, the rest on the others: a sixth off a first import of 10,000 files).
    let total = changes.len();
    let upserts: Vec<&TreeChange> = changes.iter().filter(|c| c.new_blob.is_some()).collect();
    let upserts = upserts.as_slice();
    std::thread::scope(|scope| -> Result<()> {
        let spawn = |reading: Reading, start: usize| scope.spawn(move || reading.next_batch(upserts, start));
        let mut in_flight = None;
        if !upserts.is_empty() {
            in_flight = Some((spawn(Reading { reader: repo.blob_reader()?, known: std::mem::take(&mut known) }, 0), 0));
        }
        while let Some((reading, from)) = in_flight.take() {
            let (prepared, to, reading) = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            if to < upserts.len() {
                in_flight = Some((spawn(reading, to), to));
            }
            let mut prepared = prepared.into_iter();
            let written = upserts[from..to].iter().enumerate().try_for_each(|(i, change)| {
                if (from + i) % 64 == 0 {
                    progress(from + i, total)?;
                }
                match layout::role(&change.path) {
                    FileRole::Managed(kind) => apply.managed(change, kind, prepared.next().expect("one prepared file per managed file")),
                    role => apply.other(change, role),
                }
            });
            if let Err(e) = written {
                // The batch being read is of no use now: its outcome, a panic included, does not
                // replace this error.
                if let Some((reading, _)) = in_flight.take() {
                    let _ = reading.join();
                }
                return Err(e);
            }
        }
        Ok(())
    })?;
    for change in changes.iter().filter(|c| c.new_blob.is_none()) {
        apply.removed(change)?;
    }
    // A submodule or symbolic link has nothing to read: whatever file stood at its path was
    // removed above, and the entry itself is reported as stray, wherever it is.
    for change in &changes {
        if let Some(what) = change.not_a_file {
            let reason = format!("{} is {what}, not a file; hhsync reads only regular files", change.path);
            store.upsert_unmanaged(&tx, fabric.id, &change.path, &reason, "")?;
            apply.counts.unmanaged += 1;
        }
    }
    progress(total, total)?;
    let Applying { counts, changed, first, .. } = apply;
    crate::crash::point("apply:before-commit");
    store.set_synced_commit(&tx, fabric.id, to)?;
    super::revalidate::revalidate_written(store, &tx, fabric.id, first.map(|f| f.written))?;
    tx.commit().map_err(|e| store.err(e))?;
    Ok((counts, changed))
}

/// One apply in progress: where it writes, what it has done so far, and what the fabric held
/// before it.
struct Applying<'a> {
    store: &'a Store,
    conn: &'a rusqlite::Connection,
    repo: &'a GitRepo,
    fabric: &'a FabricRow,
    to: &'a str,
    counts: ApplyCounts,
    changed: Vec<ChangedResource>,
    /// Paths a resource was written from: a deletion of the same path in the range is a rename.
    kept_paths: HashSet<String>,
    had_files: bool,
    /// What an apply into a fabric that held no resources keeps of what it wrote (none when
    /// the fabric held some).
    first: Option<FirstSync>,
}

/// What an apply into a fabric that held no resources keeps of what it wrote.
#[derive(Default)]
struct FirstSync {
    /// Every resource written, as validation reads it: the validation that follows need not
    /// read them back.
    written: Vec<ValidationInput>,
    /// Where each resource written so far was read from: these are the only resources the store
    /// holds, so a lookup here replaces a query per file.
    homes: HashMap<(Kind, String), String>,
}

impl Applying<'_> {
    /// A file of managed/ added or changed: its resource written, or the file kept aside.
    fn managed(&mut self, change: &TreeChange, kind: Kind, prepared: Prepared) -> Result<()> {
        let (store, conn, id) = (self.store, self.conn, self.fabric.id);
        let blob = change.new_blob.as_deref().unwrap_or_default();
        let path = change.path.as_str();
        let Prepared { text, file } = prepared;
        let file = match file {
            Ok(file) => file,
            Err(reason) => {
                store.remove_desired_at(conn, id, path)?;
                store.upsert_unmanaged(conn, id, path, &reason, blob)?;
                self.counts.unmanaged += 1;
                return Ok(());
            }
        };
        // A second file for a resource that already lives elsewhere is kept aside rather than
        // silently replacing the first.
        let home = match &self.first {
            Some(first) => first.homes.get(&(kind, file.name.clone())).cloned(),
            None => store.resource(conn, id, kind.name(), &file.name)?.and_then(|r| r.path),
        };
        let elsewhere = home.filter(|p| p != path);
        if let Some(other) = elsewhere {
            if self.repo.blob_at(self.to, &layout::join(&self.fabric.directory, &other))?.is_some() {
                store.remove_desired_at(conn, id, path)?;
                store.upsert_unmanaged(conn, id, path, &format!("{kind}/{} is already defined in {other}", file.name), blob)?;
                self.counts.unmanaged += 1;
                return Ok(());
            }
        }
        let what = if change.old_blob.is_some() { self.counts.changed += 1; "changed" } else { self.counts.added += 1; "added" };
        self.changed.push(ChangedResource { kind: kind.name().to_owned(), name: file.name.clone(), change: what });
        // Only a fabric that held resources can have a draft of this one, or others at this path.
        if self.first.is_none() {
            if let Some(row) = store.draft_row(conn, id, kind.name(), &file.name)?.filter(|r| r.has_draft()) {
                let outcome = reconcile(store, conn, id, &row, Some((&file.value, &text)), self.to)?;
                self.counts.count(outcome);
            }
            self.counts.deleted += store.remove_others_at(conn, id, path, kind.name(), &file.name)?;
        }
        if self.had_files {
            store.remove_file(conn, id, path)?;
        }
        let upsert = ResourceUpsert {
            kind: kind.name().to_owned(),
            name: file.name,
            path: path.to_owned(),
            text,
            value: file.value,
            blob: blob.to_owned(),
            commit: self.to.to_owned(),
            legacy: file.legacy,
            document_issues: file.issues,
        };
        if let Some(first) = &mut self.first {
            first.homes.insert((kind, upsert.name.clone()), path.to_owned());
            let row = store.insert_desired(conn, id, &upsert)?;
            let ResourceUpsert { kind, name, value, document_issues, .. } = upsert;
            first.written.push(ValidationInput { id: row, kind, name, issues: issues_text(&document_issues), value, document_issues });
        } else {
            store.upsert_desired(conn, id, &upsert)?;
        }
        self.kept_paths.insert(path.to_owned());
        Ok(())
    }

    /// A file outside managed/ added or changed: a raw file, an unmanaged one, or a stray.
    fn other(&mut self, change: &TreeChange, role: FileRole) -> Result<()> {
        let (store, conn, id) = (self.store, self.conn, self.fabric.id);
        let blob = change.new_blob.as_deref().unwrap_or_default();
        let path = change.path.as_str();
        match role {
            FileRole::Raw => store.upsert_raw(conn, id, path, blob)?,
            FileRole::Unmanaged => {
                let bytes = self.repo.read_blob(blob)?;
                store.upsert_unmanaged(conn, id, path, &unmanaged_reason(&bytes), blob)?;
            }
            FileRole::Stray(reason) => {
                store.upsert_unmanaged(conn, id, path, &reason, blob)?;
                self.counts.unmanaged += 1;
            }
            FileRole::Managed(_) | FileRole::Structure | FileRole::Archived => {}
        }
        Ok(())
    }

    /// A file deleted: its resources go (their drafts reconciled first), unless a file of this
    /// range took them over.
    fn removed(&mut self, change: &TreeChange) -> Result<()> {
        let (store, conn, id) = (self.store, self.conn, self.fabric.id);
        if self.kept_paths.contains(&change.path) {
            return Ok(());
        }
        for row in store.drafts_at(conn, id, &change.path)? {
            let outcome = reconcile(store, conn, id, &row, None, self.to)?;
            self.counts.count(outcome);
        }
        let gone: Vec<(String, String)> = store.resources_at(conn, id, &change.path)?;
        let removed = store.remove_desired_at(conn, id, &change.path)?;
        self.counts.deleted += removed;
        if removed > 0 {
            self.changed.extend(gone.into_iter().map(|(kind, name)| ChangedResource { kind, name, change: "deleted" }));
        }
        store.remove_file(conn, id, &change.path)
    }
}

/// How many files an apply reads and parses at a time, and how many bytes of them at most (one
/// file may pass the byte bound): bounded memory on a large first sync, and on a repository of
/// large files.
const BATCH: usize = 1024;
const BATCH_BYTES: usize = 8 << 20;

/// What reading the batches needs, handed from one batch's thread to the next.
struct Reading {
    reader: BlobReader,
    known: KnownFiles,
}

impl Reading {
    /// The managed files of the batch of `upserts` that starts at `start`, read (or taken from
    /// `known`) and prepared, and where the batch ends.
    fn next_batch(mut self, upserts: &[&TreeChange], start: usize) -> Result<(Vec<Prepared>, usize, Self)> {
        let (mut files, mut held, mut end) = (Vec::new(), 0, start);
        while end < upserts.len() && end - start < BATCH && held < BATCH_BYTES {
            if let FileRole::Managed(kind) = layout::role(&upserts[end].path) {
                let blob = upserts[end].new_blob.as_deref().unwrap_or_default();
                let source = match self.known.remove(blob) {
                    Some(file) if file.file.kind == kind => Source::Known(file),
                    _ => Source::Bytes(self.reader.read(blob)?, kind),
                };
                held += source.len();
                files.push(source);
            }
            end += 1;
        }
        Ok((prepare(files), end, self))
    }
}

/// A managed file to parse and check: its bytes and the kind of its folder, or already known.
enum Source {
    Bytes(Vec<u8>, Kind),
    Known(KnownFile),
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Self::Bytes(bytes, _) => bytes.len(),
            Self::Known(known) => known.text.len(),
        }
    }
}

/// A managed file read and checked ahead of the writes: its text, and the resource with its
/// document issues, or why it is none.
struct Prepared {
    text: String,
    file: std::result::Result<ReadFile, String>,
}

fn prepare_one(source: Source) -> Prepared {
    match source {
        Source::Bytes(bytes, kind) => {
            let file = read_resource_file(&bytes, kind).map(ReadFile::new);
            Prepared { text: String::from_utf8_lossy(&bytes).into_owned(), file }
        }
        Source::Known(known) => Prepared { text: known.text, file: Ok(known.file) },
    }
}

/// Parses and checks `files`, in order, on the machine's cores: that is a third of a first
/// sync's time and needs nothing but the bytes. Under 128 files, on this thread (handing work
/// to the pool costs more than it saves).
fn prepare(files: Vec<Source>) -> Vec<Prepared> {
    if files.len() < 128 {
        return files.into_iter().map(prepare_one).collect();
    }
    files.into_par_iter().with_min_len(32).map(prepare_one).collect()
}

/// The reason hhsync wrote at the top of an unmanaged file, or a generic one.
fn unmanaged_reason(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# Kept unmanaged by hhsync: "))
        .map(str::to_owned)
        .unwrap_or_else(|| "kept in unmanaged/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepared_files_come_back_in_order_whatever_the_threads() {
        let file = |i: usize| match i % 7 {
            0 => format!("not: [yaml\n{i}"),
            1 => format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: s-{i}\n"),
            _ => format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-{i}\nspec:\n  description: {i}\n"),
        };
        // Every third readable file comes already known, as an ingest hands them over.
        let source = |i: usize| match read_resource_file(file(i).as_bytes(), Kind::Server) {
            Ok(f) if i % 3 == 0 => Source::Known(KnownFile { text: file(i), file: ReadFile::new(f) }),
            _ => Source::Bytes(file(i).into_bytes(), Kind::Server),
        };
        for n in [0, 1, 127, 128, 129, 1000] {
            let threaded = prepare((0..n).map(source).collect());
            let one_by_one: Vec<Prepared> = (0..n).map(|i| prepare_one(Source::Bytes(file(i).into_bytes(), Kind::Server))).collect();
            assert_eq!(threaded.len(), n);
            for (i, (a, b)) in threaded.iter().zip(&one_by_one).enumerate() {
                assert_eq!(a.text, file(i));
                match (&a.file, &b.file) {
                    (Ok(fa), Ok(fb)) => assert_eq!((&fa.name, &fa.value, &fa.issues, fa.legacy), (&fb.name, &fb.value, &fb.issues, fb.legacy)),
                    (Err(ra), Err(rb)) => assert_eq!(ra, rb),
                    _ => panic!("file {i} of {n}: {} vs {}", a.file.is_ok(), b.file.is_ok()),
                }
            }
        }
    }
}
