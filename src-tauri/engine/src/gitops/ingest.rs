//! Ingestion: every document of every YAML file in raw/ ends up in managed/ (a valid Hedgehog
//! resource), in unmanaged/ (verbatim, with its reason), or in the report as an error that
//! leaves its raw file in place. Nothing is dropped silently.
//!
//! This module only plans: it reads the tree at the branch tip and returns the file writes
//! and the per-document report. Committing, pushing and recording are the engine's job, so a
//! dry run is the same code path minus the commit.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde_json::Value;

use super::layout::{self, FileRole};
use super::meta::{append_archive_log, ArchiveEntry};
use super::resource::{canonical, read_resource_file, read_resource_file_with, render_resource_text, resource_name, same_content};
use crate::error::Result;
use crate::git::{blob_id, FileWrite, GitRepo};
use crate::hedgehog::{classify, validate_document, validate_fabric, Classification, FabricResource, Issue, Kind, Severity};
use crate::sync::{KnownFile, KnownFiles, ReadFile};
use crate::yaml::{parse_document, split_documents, Limits, Parsed, RawDocument};

/// Raw files larger than this are reported, not read.
pub const MAX_RAW_FILE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Managed,
    Unmanaged,
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Managed => "managed",
            Self::Unmanaged => "unmanaged",
            Self::Error => "error",
        }
    }
}

/// What happened (or would happen) to one document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct DocumentOutcome {
    /// The raw file, relative to the GitOps directory.
    pub file: String,
    /// The document's position among the file's documents, from 0; `None` when the whole file
    /// could not be read.
    pub index: Option<usize>,
    /// The file line where the document starts.
    pub line: Option<usize>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub outcome: Outcome,
    /// Where the document went, relative to the GitOps directory.
    pub path: Option<String>,
    pub reason: Option<String>,
    /// The managed resource is well-formed but fails a fabric-wide rule (e.g. a reference to
    /// something that does not exist).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub invalid: bool,
}

/// The result of planning an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestPlan {
    pub documents: Vec<DocumentOutcome>,
    /// Changes to commit; paths relative to the repository root.
    pub writes: Vec<FileWrite>,
    pub archived: Vec<ArchiveEntry>,
    pub raw_files: usize,
    /// The managed files among `writes`, as read back.
    pub known: KnownFiles,
}

/// What the planner needs to know about the fabric as it is.
pub struct IngestContext<'a> {
    pub repo: &'a GitRepo,
    pub tip: &'a str,
    pub directory: &'a str,
    /// The path (relative to the GitOps directory) of an existing resource.
    pub existing_path: &'a dyn Fn(Kind, &str) -> Option<String>,
    /// Every resource the fabric has now, for fabric-wide validation of the result.
    pub fabric: &'a [(Kind, String, Value)],
    pub now: &'a str,
}

struct Candidate {
    outcome: usize,
    kind: Kind,
    name: String,
    /// The managed file, rendered from the document's text with its comments.
    written: Written,
    /// Where its value is once it is planned.
    home: Home,
}

impl Candidate {
    /// The value, while the candidate holds it (until it is handed to the apply).
    fn value(&self) -> &Value {
        match &self.written {
            Ok((_, known)) => &known.file.value,
            Err((_, value)) => value,
        }
    }
}

/// Where a planned candidate's value is: each is held once (at 100,000 documents a second copy
/// of every value is hundreds of MiB).
#[derive(Clone, PartialEq)]
enum Home {
    /// Not planned yet.
    Pending,
    /// Handed to the apply, under this blob id ([`IngestPlan::known`]).
    Known(String),
    /// The same as the file already there: still in the candidate.
    Unchanged,
    /// Not written: the reader would refuse its file.
    Refused,
}

struct Keep {
    outcome: usize,
    stem: String,
    text: String,
}

fn describe(issues: &[Issue], parsed: &Parsed, severity: Severity) -> Vec<String> {
    issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| match parsed.line_of(&i.path) {
            Some(line) if !i.path.is_root() => format!("{} (line {line}): {}", i.path, i.message),
            _ => i.message.clone(),
        })
        .collect()
}

/// A document kept verbatim in unmanaged/, under a header that says why.
fn unmanaged_text(reason: &str, file: &str, index: usize, line: usize, body: &str) -> String {
    let body = body.strip_prefix("---\n").or_else(|| body.strip_prefix("---\r\n")).unwrap_or(body);
    let reason = reason.replace(['\n', '\r'], " ");
    let mut text = format!("# Kept unmanaged by hhsync: {reason}\n# From {file}, document {index} (line {line})\n---\n{body}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The document of an unmanaged file, without the header hhsync wrote above it (which names
/// lines that move when the raw file is edited).
fn unmanaged_body(text: &str) -> &str {
    match text.find("\n---\n") {
        Some(i) if text.starts_with("# Kept unmanaged by hhsync") => &text[i + 5..],
        _ => text,
    }
}

/// What reading one document found: the part of planning that needs nothing but the document,
/// so it runs on every core (parsing, checking, rendering the managed file and reading it back
/// were three quarters of an ingest's planning).
enum Examined {
    /// Not readable as YAML: why.
    Unreadable(String),
    Read { kind: Option<String>, name: Option<String>, verdict: Verdict },
}

enum Verdict {
    /// Kept verbatim in unmanaged/: why, and the document's text.
    Keep { reason: String, body: String },
    Managed { kind: Kind, name: String, notes: Vec<String>, written: Written },
}

/// The managed file rendered from a document, as reading it back gave it, and its blob id; or
/// why the reader that pull and apply use would refuse it, with the document's value (a file
/// already there with the same content is kept all the same).
type Written = std::result::Result<(String, KnownFile), (String, Value)>;

fn examine(doc: &RawDocument<'_>, limits: &Limits) -> Examined {
    let parsed = match parse_document(doc.bytes, doc.start_line, limits) {
        Ok(parsed) => parsed,
        Err(e) => return Examined::Unreadable(e.to_string()),
    };
    // Parsing succeeded, so the bytes are UTF-8.
    let body = String::from_utf8_lossy(doc.bytes).into_owned();
    let kind = parsed.value.get("kind").and_then(Value::as_str).map(str::to_owned);
    let name = resource_name(&parsed.value);
    let keep = |reason: String| Verdict::Keep { reason, body: body.clone() };
    let verdict = match classify(&parsed.value) {
        Classification::Incomplete { reason } => keep(format!("not a Kubernetes resource: {reason}")),
        Classification::NotHedgehog { api_version, kind } => keep(format!("{kind} ({api_version}) is not a Hedgehog resource")),
        Classification::HedgehogUnmanaged { api_version, kind } => {
            keep(format!("{kind} ({api_version}) is a Hedgehog kind that hhsync does not manage"))
        }
        Classification::Managed { kind, legacy } => {
            let mut value = canonical(&parsed.value);
            let mut notes = Vec::new();
            if legacy {
                value["apiVersion"] = Value::String(kind.api_version());
                notes.push(format!("legacy apiVersion rewritten as {}", kind.api_version()));
            }
            let issues = validate_document(kind, &value);
            let errors = describe(&issues, &parsed, Severity::Error);
            match (&name, errors.is_empty()) {
                (Some(name), true) => {
                    notes.extend(describe(&issues, &parsed, Severity::Warning).into_iter().map(|w| format!("warning: {w}")));
                    let text = render_resource_text(&body, &value);
                    // Most documents are written as they were (less their `---` line): then the
                    // file's parse is the document's, higher up, and is not done again.
                    let (marker, rest) = match body.strip_prefix("---\n") {
                        Some(rest) => (1, rest),
                        None => (0, body.as_str()),
                    };
                    let read_back = read_resource_file_with(text.as_bytes(), kind, |file| {
                        if text == rest && file.bytes == text.as_bytes() {
                            Ok(parsed.moved_up(doc.start_line + marker - file.start_line))
                        } else {
                            parse_document(file.bytes, file.start_line, limits).map_err(|e| e.to_string())
                        }
                    });
                    let written = match (read_back, blob_id(text.as_bytes())) {
                        (Ok(file), Ok(id)) => Ok((id, KnownFile { text, file: ReadFile::new(file) })),
                        (Err(e), _) => Err((
                            format!("the managed file rendered from this document would be refused when read back ({e}); shorten it or use fewer aliases"),
                            value,
                        )),
                        (_, Err(e)) => Err((e.to_string(), value)),
                    };
                    Verdict::Managed { kind, name: name.clone(), notes, written }
                }
                (None, _) => keep("metadata.name is missing or not a string".to_owned()),
                (Some(_), false) => keep(format!("invalid {kind}: {}", errors.join("; "))),
            }
        }
    };
    Examined::Read { kind, name, verdict }
}

pub fn plan(ctx: &IngestContext<'_>) -> Result<IngestPlan> {
    let mut plan = IngestPlan::default();
    let mut files: Vec<(String, String, usize)> = Vec::new(); // (path, blob, first outcome)
    let mut failed_files: HashSet<String> = HashSet::new();
    let mut contents: Vec<(usize, Vec<u8>)> = Vec::new(); // (index in files, bytes)
    let mut too_large: HashMap<usize, usize> = HashMap::new(); // index in files -> size

    let raw_dir = layout::join(ctx.directory, layout::RAW);
    for entry in ctx.repo.list_files(ctx.tip, &raw_dir)? {
        let file = format!("{}/{}", layout::RAW, entry.path);
        if layout::role(&file) != FileRole::Raw {
            continue;
        }
        plan.raw_files += 1;
        files.push((file.clone(), entry.blob.clone(), 0));
        let size = ctx.repo.blob_size(&entry.blob)?;
        if size > MAX_RAW_FILE_BYTES {
            too_large.insert(files.len() - 1, size);
            continue;
        }
        contents.push((files.len() - 1, ctx.repo.read_blob(&entry.blob)?));
    }
    let limits = Limits::default();
    let docs: Vec<(usize, RawDocument<'_>)> =
        contents.iter().flat_map(|(file, bytes)| split_documents(bytes).map(move |doc| (*file, doc))).collect();
    let examined: Vec<Examined> = docs.par_iter().with_min_len(16).map(|(_, doc)| examine(doc, &limits)).collect();

    // The report in the order of the files and their documents; a file too large to read is
    // one error where its documents would be.
    let mut examined = docs.iter().zip(examined).peekable();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut keeps: Vec<Keep> = Vec::new();
    for (f, (file, _, first)) in files.iter_mut().enumerate() {
        *first = plan.documents.len();
        if let Some(&size) = too_large.get(&f) {
            failed_files.insert(file.clone());
            plan.documents.push(DocumentOutcome {
                file: file.clone(),
                index: None,
                line: None,
                kind: None,
                name: None,
                outcome: Outcome::Error,
                path: None,
                reason: Some(format!(
                    "the file is {:.1} MiB, more than the {} MiB hhsync reads at once; split it into smaller files",
                    size as f64 / 1048576.0,
                    MAX_RAW_FILE_BYTES / 1048576
                )),
                invalid: false,
            });
            continue;
        }
        while let Some(((_, doc), found)) = examined.next_if(|((at, _), _)| *at == f) {
            let outcome_index = plan.documents.len();
            let mut outcome = DocumentOutcome {
                file: file.clone(),
                index: Some(doc.index),
                line: Some(doc.content_line),
                kind: None,
                name: None,
                outcome: Outcome::Error,
                path: None,
                reason: None,
                invalid: false,
            };
            let (kind, name, verdict) = match found {
                Examined::Unreadable(reason) => {
                    outcome.reason = Some(reason);
                    failed_files.insert(file.clone());
                    plan.documents.push(outcome);
                    continue;
                }
                Examined::Read { kind, name, verdict } => (kind, name, verdict),
            };
            (outcome.kind, outcome.name) = (kind, name);
            match verdict {
                Verdict::Keep { reason, body } => {
                    let label = match (&outcome.kind, &outcome.name) {
                        (Some(k), Some(n)) => format!("{k}-{n}"),
                        _ => format!("{}-{}", file.trim_start_matches("raw/"), doc.index),
                    };
                    outcome.outcome = Outcome::Unmanaged;
                    keeps.push(Keep {
                        outcome: outcome_index,
                        stem: layout::safe_stem(&label),
                        text: unmanaged_text(&reason, file, doc.index, doc.content_line, &body),
                    });
                    outcome.reason = Some(reason);
                }
                Verdict::Managed { kind, name, notes, written } => {
                    outcome.outcome = Outcome::Managed;
                    outcome.kind = Some(kind.name().to_owned());
                    outcome.reason = (!notes.is_empty()).then(|| notes.join("; "));
                    candidates.push(Candidate { outcome: outcome_index, kind, name, written, home: Home::Pending });
                }
            }
            plan.documents.push(outcome);
        }
    }

    resolve_duplicates(&mut plan, &mut candidates, &mut failed_files);
    write_managed(ctx, &mut plan, &mut candidates, &mut failed_files)?;
    write_unmanaged(ctx, &mut plan, &keeps)?;
    archive(ctx, &mut plan, &files, &failed_files)?;
    Ok(plan)
}

/// Two documents with the same kind and name: identical ones are one resource; different ones
/// are an error on both (no guessing which the user meant).
fn resolve_duplicates(plan: &mut IngestPlan, candidates: &mut Vec<Candidate>, failed_files: &mut HashSet<String>) {
    let mut groups: HashMap<(Kind, String), Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        groups.entry((c.kind, c.name.clone())).or_default().push(i);
    }
    let mut drop: HashSet<usize> = HashSet::new();
    for ((kind, name), members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let first = &candidates[members[0]];
        let where_ = |c: &Candidate| {
            let d = &plan.documents[c.outcome];
            format!("{} document {} (line {})", d.file, d.index.unwrap_or(0), d.line.unwrap_or(0))
        };
        let identical = members.iter().all(|&m| same_content(candidates[m].value(), first.value()));
        let places: Vec<String> = members.iter().map(|&m| where_(&candidates[m])).collect();
        for (n, &m) in members.iter().enumerate() {
            let d = &mut plan.documents[candidates[m].outcome];
            if identical {
                if n > 0 {
                    d.reason = Some(format!("same as {}", places[0]));
                    drop.insert(m);
                }
            } else {
                d.outcome = Outcome::Error;
                d.reason = Some(format!("{kind}/{name} is defined differently in {}; keep one", places.join(" and ")));
                failed_files.insert(d.file.clone());
                drop.insert(m);
            }
        }
    }
    // Identical duplicates share the first one's path, filled in by write_managed.
    let mut index = 0;
    candidates.retain(|_| {
        index += 1;
        !drop.contains(&(index - 1))
    });
}

/// A document can pass the alias budget and still expand past the size limit for one document
/// once rendered; written anyway, its resource would be unmanaged for everyone after the next
/// pull (issue K). So each managed file is read back as pull reads it (in [`examine`]): one the
/// reader refuses is an error, and its raw file stays in raw/ to be fixed. What the reading
/// gave is handed to the apply of the commit ([`IngestPlan::known`]), which need not read it
/// again.
fn write_managed(ctx: &IngestContext<'_>, plan: &mut IngestPlan, candidates: &mut [Candidate], failed_files: &mut HashSet<String>) -> Result<()> {
    let mut paths: HashMap<(Kind, String), String> = HashMap::new();
    let mut refused: HashMap<(Kind, String), String> = HashMap::new();
    for c in candidates.iter_mut() {
        let existing = (ctx.existing_path)(c.kind, &c.name);
        let path = existing.clone().unwrap_or_else(|| layout::managed_path(c.kind, &c.name));
        let repo_path = layout::join(ctx.directory, &path);
        let rendered_id = c.written.as_ref().ok().map(|(id, _)| id.as_str());
        let unchanged = match ctx.repo.blob_at(ctx.tip, &repo_path)? {
            Some(blob) if Some(blob.as_str()) == rendered_id => true,
            Some(blob) => {
                let bytes = ctx.repo.read_blob(&blob)?;
                read_resource_file(&bytes, c.kind).map(|f| same_content(&f.parsed.value, c.value())).unwrap_or(false)
            }
            None => false,
        };
        if unchanged {
            c.home = Home::Unchanged;
        } else {
            // What stays behind is never read: `home` says where the value went.
            let placeholder = Err((String::new(), Value::Null));
            match std::mem::replace(&mut c.written, placeholder) {
                Ok((id, known)) => {
                    plan.writes.push(FileWrite::Put { path: repo_path, bytes: known.text.clone().into_bytes() });
                    plan.known.insert(id.clone(), known);
                    c.home = Home::Known(id);
                }
                Err((reason, _)) => {
                    let d = &mut plan.documents[c.outcome];
                    (d.outcome, d.reason) = (Outcome::Error, Some(reason.clone()));
                    failed_files.insert(d.file.clone());
                    refused.insert((c.kind, c.name.clone()), reason);
                    c.home = Home::Refused;
                    continue;
                }
            }
        }
        let d = &mut plan.documents[c.outcome];
        d.path = Some(path.clone());
        if unchanged && d.reason.is_none() {
            d.reason = Some("unchanged".to_owned());
        }
        paths.insert((c.kind, c.name.clone()), path);
    }
    // Identical duplicates point at the path of the resource they duplicate.
    for d in plan.documents.iter_mut().filter(|d| d.outcome == Outcome::Managed && d.path.is_none()) {
        if let (Some(kind), Some(name)) = (d.kind.as_deref().and_then(Kind::from_name), &d.name) {
            d.path = paths.get(&(kind, name.clone())).cloned();
            if let Some(reason) = refused.get(&(kind, name.clone())) {
                (d.outcome, d.reason) = (Outcome::Error, Some(reason.clone()));
                failed_files.insert(d.file.clone());
            }
        }
    }
    // Fabric-wide rules on the fabric as it will be: references that point nowhere are
    // reported, but the resource is still managed.
    let mut resulting: HashMap<(Kind, &str), &Value> = ctx.fabric.iter().map(|(k, n, v)| ((*k, n.as_str()), v)).collect();
    for c in candidates.iter() {
        let value = match &c.home {
            Home::Known(id) => &plan.known[id].file.value,
            Home::Unchanged => c.value(),
            Home::Pending | Home::Refused => continue,
        };
        resulting.insert((c.kind, c.name.as_str()), value);
    }
    let inputs: Vec<FabricResource<'_>> = resulting.into_iter().map(|((kind, name), document)| FabricResource { kind, name, document }).collect();
    let mut by_resource: HashMap<(Kind, &str), Vec<String>> = HashMap::new();
    for (i, issue) in validate_fabric(&inputs) {
        if issue.severity == Severity::Error {
            let r = &inputs[i];
            by_resource.entry((r.kind, r.name)).or_default().push(format!("{}: {}", issue.path, issue.message));
        }
    }
    for c in candidates.iter() {
        if let Some(problems) = by_resource.get(&(c.kind, c.name.as_str())) {
            let d = &mut plan.documents[c.outcome];
            d.invalid = true;
            let text = format!("managed, but invalid: {}", problems.join("; "));
            d.reason = Some(match d.reason.take() {
                Some(r) if r != "unchanged" => format!("{r}; {text}"),
                _ => text,
            });
        }
    }
    Ok(())
}

fn write_unmanaged(ctx: &IngestContext<'_>, plan: &mut IngestPlan, keeps: &[Keep]) -> Result<()> {
    let mut taken: HashSet<String> = HashSet::new();
    for k in keeps {
        let mut n = 1;
        let path = loop {
            let candidate = if n == 1 { format!("{}/{}.yaml", layout::UNMANAGED, k.stem) } else { format!("{}/{}-{n}.yaml", layout::UNMANAGED, k.stem) };
            n += 1;
            if taken.contains(&candidate) {
                continue;
            }
            let repo_path = layout::join(ctx.directory, &candidate);
            match ctx.repo.blob_at(ctx.tip, &repo_path)? {
                None => {
                    plan.writes.push(FileWrite::Put { path: repo_path, bytes: k.text.clone().into_bytes() });
                    break candidate;
                }
                Some(blob) if unmanaged_body(&String::from_utf8_lossy(&ctx.repo.read_blob(&blob)?)) == unmanaged_body(&k.text) => {
                    break candidate
                }
                Some(_) => continue,
            }
        };
        taken.insert(path.clone());
        plan.documents[k.outcome].path = Some(path);
    }
    Ok(())
}

/// Renames every raw file whose documents all found a home to `*.yaml.archived` and logs it.
fn archive(ctx: &IngestContext<'_>, plan: &mut IngestPlan, files: &[(String, String, usize)], failed: &HashSet<String>) -> Result<()> {
    for (file, blob, _) in files.iter().filter(|(f, _, _)| !failed.contains(f)) {
        let docs: Vec<&DocumentOutcome> = plan.documents.iter().filter(|d| &d.file == file).collect();
        let (folder, name) = file.rsplit_once('/').unwrap_or(("", file.as_str()));
        let stem = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).unwrap_or(name);
        let ext = &name[stem.len()..];
        let mut archived = format!("{folder}/{}", layout::file_name(stem, &format!("{ext}{}", layout::ARCHIVED_SUFFIX)));
        let mut n = 2;
        while ctx.repo.blob_at(ctx.tip, &layout::join(ctx.directory, &archived))?.is_some()
            || plan.writes.iter().any(|w| w.path() == layout::join(ctx.directory, &archived))
        {
            archived = format!("{folder}/{}", layout::file_name(stem, &format!(".{n}{ext}{}", layout::ARCHIVED_SUFFIX)));
            n += 1;
        }
        plan.writes.push(FileWrite::Delete { path: layout::join(ctx.directory, file) });
        plan.writes.push(FileWrite::PutBlob { path: layout::join(ctx.directory, &archived), blob: blob.clone() });
        plan.archived.push(ArchiveEntry {
            operation: "archive",
            original_file: file.clone(),
            archived_file: archived,
            archived_at: ctx.now.to_owned(),
            documents: docs.len(),
            managed: docs.iter().filter(|d| d.outcome == Outcome::Managed).count(),
            unmanaged: docs.iter().filter(|d| d.outcome == Outcome::Unmanaged).count(),
        });
    }
    if !plan.archived.is_empty() {
        let log_path = layout::join(ctx.directory, layout::ARCHIVE_LOG);
        let existing = match ctx.repo.blob_at(ctx.tip, &log_path)? {
            Some(blob) => Some(ctx.repo.read_blob(&blob)?),
            None => None,
        };
        let bytes = append_archive_log(existing.as_deref(), &plan.archived, ctx.now);
        plan.writes.push(FileWrite::Put { path: log_path, bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::Author;
    use crate::sync::ReadFile;

    /// What the plan hands to the apply is what reading each written file gives, lines of the
    /// document issues included: whether the file's text is the document's (its parse reused,
    /// moved up) or was rewritten (parsed again).
    #[test]
    fn known_files_are_what_reading_the_written_files_gives() {
        let dir = tempfile::tempdir().unwrap();
        let repo = GitRepo::open_or_init(&dir.path().join("c.git"), "/nowhere").unwrap();
        let switch = |name: &str, extra: &str| {
            format!("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: {name}\nspec:\n  role: server-leaf\n  redundancy:\n    group: g\n    type: mclag\n{extra}")
        };
        let raw = [
            switch("as-written", ""),
            format!("# a comment above\n\n{}", switch("commented", "  description: after a comment\n")),
            switch("legacy", "").replace("v1beta1", "v1alpha2"),
            switch("reordered", "").replace("apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\n", "kind: Switch\napiVersion: wiring.githedgehog.com/v1beta1\n"),
            switch("flow", "").replace("redundancy:\n    group: g\n    type: mclag\n", "redundancy: {group: g, type: mclag}\n"),
        ]
        .join("---\n");
        let author = Author { name: "t".into(), email: "t@example.com".into() };
        let tip = repo.commit(None, &[FileWrite::Put { path: "f/raw/all.yaml".into(), bytes: raw.into_bytes() }], "raw", &author).unwrap().unwrap();
        let none = |_: Kind, _: &str| None;
        let p = plan(&IngestContext { repo: &repo, tip: &tip, directory: "f", existing_path: &none, fabric: &[], now: "now" }).unwrap();
        assert_eq!(p.documents.iter().filter(|d| d.outcome == Outcome::Managed).count(), 5, "{:?}", p.documents);
        let written: Vec<&Vec<u8>> = p.writes.iter().filter_map(|w| match w {
            FileWrite::Put { path, bytes } if path.contains("/managed/") => Some(bytes),
            _ => None,
        }).collect();
        assert_eq!((written.len(), p.known.len()), (5, 5));
        for bytes in written {
            let known = &p.known[&blob_id(bytes).unwrap()];
            let fresh = ReadFile::new(read_resource_file(bytes, Kind::Switch).unwrap());
            assert_eq!(known.text.as_bytes(), bytes.as_slice());
            assert_eq!((&known.file.name, &known.file.value, known.file.legacy), (&fresh.name, &fresh.value, fresh.legacy));
            assert!(!fresh.issues.is_empty() && fresh.issues.iter().all(|i| i.line.is_some()), "{:?}", fresh.issues);
            assert_eq!(known.file.issues, fresh.issues, "{}", known.text);
        }
    }
}
