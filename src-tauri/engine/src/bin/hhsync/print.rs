//! Output of each command: a short human summary, or the JSON document of the contract.

use serde::Serialize;
use serde_json::json;

use super::Done;
use hhsync_engine::engine::{DemoWorkspace, Engine, IngestReport, InitReport, PullReport, ResourceDetail, ResourceSummary, StatusReport, ValidationReport};
use hhsync_engine::error::Result;
use hhsync_engine::gitops::ingest::Outcome;
use hhsync_engine::store::{FabricRow, OperationRow, RepoRow};

pub(super) fn emit<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: could not print JSON: {e}"),
    }
}

pub(super) fn short(commit: Option<&str>) -> &str {
    commit.map(|c| &c[..c.len().min(10)]).unwrap_or("none")
}

fn done(attention: bool) -> Result<Done> {
    Ok(if attention { Done::Attention } else { Done::Ok })
}

pub fn repos(json: bool, rows: &[RepoRow]) -> Result<Done> {
    if json {
        emit(&rows);
    } else if rows.is_empty() {
        println!("no repositories; add one with `hhsync repo add NAME URL`");
    } else {
        for r in rows {
            println!("{:<20} {:<10} {}", r.name, r.branch, r.url);
        }
    }
    done(false)
}

pub fn removed(json: bool, what: &str, name: &str) -> Result<Done> {
    if json {
        emit(&json!({"removed": what, "name": name}));
    } else {
        println!("removed {what} {name} (local state only; the remote is untouched)");
    }
    done(false)
}

pub fn fabric(json: bool, f: &FabricRow) -> Result<Done> {
    if json {
        emit(f);
    } else {
        println!("added fabric {} ({} {} /{}); next: `hhsync init {}`", f.name, f.repository, f.branch, f.directory, f.name);
    }
    done(false)
}

pub fn fabrics(json: bool, rows: &[FabricRow]) -> Result<Done> {
    if json {
        emit(&rows);
    } else if rows.is_empty() {
        println!("no fabrics; add one with `hhsync fabric add NAME --repo REPO --dir PATH`");
    } else {
        for f in rows {
            println!("{:<20} {:<16} {:<10} /{:<36} synced {}", f.name, f.repository, f.branch, f.directory, short(f.synced_commit.as_deref()));
        }
    }
    done(false)
}

pub fn init(json: bool, r: &InitReport) -> Result<Done> {
    if json {
        emit(r);
    } else {
        match (&r.commit, r.already_initialized) {
            (None, true) => println!("{}: already initialised; nothing to change", r.fabric),
            (Some(c), true) => println!("{}: repaired ({} files) in commit {}", r.fabric, r.created.len(), short(Some(c))),
            (Some(c), false) => println!("{}: initialised ({} files) in commit {}", r.fabric, r.created.len(), short(Some(c))),
            (None, false) => println!("{}: nothing to change", r.fabric),
        }
        for f in &r.findings {
            println!("  needs attention: {}: {}", f.path, f.message);
        }
    }
    done(!r.findings.is_empty())
}

pub fn ingest(json: bool, r: &IngestReport) -> Result<Done> {
    if json {
        emit(r);
    } else {
        for d in &r.documents {
            let what = match (&d.kind, &d.name) {
                (Some(k), Some(n)) => format!("{k}/{n}"),
                _ => "document".to_owned(),
            };
            let place = match (d.index, d.line) {
                (Some(i), Some(l)) => format!("{} document {i} (line {l})", d.file),
                _ => d.file.clone(),
            };
            let target = d.path.as_deref().map(|p| format!(" -> {p}")).unwrap_or_default();
            let reason = d.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
            let tag = if d.invalid { "invalid" } else { d.outcome.as_str() };
            println!("{tag:<9} {place}: {what}{target}{reason}");
        }
        let verb = if r.dry_run { "would ingest" } else { "ingested" };
        println!(
            "{verb} {} document(s) from {} raw file(s): {} managed, {} unmanaged, {} error(s); {}",
            r.documents.len(),
            r.raw_files,
            r.count(Outcome::Managed),
            r.count(Outcome::Unmanaged),
            r.count(Outcome::Error),
            match (&r.commit, r.dry_run) {
                (_, true) => "dry run, nothing changed".to_owned(),
                (Some(c), _) => format!("commit {}", short(Some(c))),
                (None, _) => "nothing to commit".to_owned(),
            }
        );
    }
    done(r.needs_attention())
}

pub fn validation(json: bool, r: &ValidationReport) -> Result<Done> {
    if json {
        emit(r);
    } else {
        for (label, list) in [("error", &r.errors), ("warning", &r.warnings)] {
            for m in list {
                let at = match (m.line, m.index) {
                    (Some(l), _) => format!("{}:{l}", m.file),
                    (None, Some(i)) => format!("{} document {i}", m.file),
                    _ => m.file.clone(),
                };
                let what = match (&m.kind, &m.name) {
                    (Some(k), Some(n)) => format!(" {k}/{n}"),
                    _ => String::new(),
                };
                let field = if m.path.is_empty() { String::new() } else { format!(" {}:", m.path) };
                println!("{label}: {at}{what}{field} {}", m.message);
            }
        }
        println!("{} ({} error(s), {} warning(s))", if r.valid { "valid" } else { "invalid" }, r.errors.len(), r.warnings.len());
    }
    done(!r.valid)
}

pub fn pull(json: bool, r: &PullReport) -> Result<Done> {
    if json {
        emit(r);
    } else if r.up_to_date {
        println!("{}: up to date at {}", r.fabric, short(r.commit_after.as_deref()));
    } else {
        let c = &r.counts;
        println!(
            "{}: {} -> {}: {} added, {} changed, {} deleted{}",
            r.fabric,
            short(r.commit_before.as_deref()),
            short(r.commit_after.as_deref()),
            c.added,
            c.changed,
            c.deleted,
            if c.unmanaged > 0 { format!(", {} file(s) not readable as resources (see `hhsync status`)", c.unmanaged) } else { String::new() }
        );
        if c.auto_merged > 0 {
            println!("{} draft(s) merged with the incoming changes", c.auto_merged);
        }
        if c.drafts_dissolved > 0 {
            println!("{} draft(s) now match Git and were settled", c.drafts_dissolved);
        }
        if c.conflicts > 0 {
            println!("{} conflict(s): see `hhsync conflicts {}`", c.conflicts, r.fabric);
        }
    }
    done(r.counts.unmanaged > 0 || r.counts.conflicts > 0)
}

pub fn status(json: bool, s: &StatusReport) -> Result<Done> {
    if json {
        emit(s);
    } else {
        println!("fabric {} ({} {} /{})", s.fabric, s.repository, s.branch, s.directory);
        println!("synced at {} ({})", short(s.synced_commit.as_deref()), s.synced_at.as_deref().unwrap_or("never"));
        if s.offline {
            println!("offline: the remote could not be reached last time; drafts and conflict resolution keep working, push when it is back");
        }
        if s.remote_commit.is_some() && s.remote_commit != s.synced_commit {
            println!("remote has {} (pull to update)", short(s.remote_commit.as_deref()));
        }
        let c = &s.counts;
        println!(
            "{} resources: {} synced, {} modified, {} new, {} deleted, {} conflict, {} invalid",
            s.resources, c.synced, c.modified, c.new, c.deleted, c.conflict, c.invalid
        );
        println!("{} raw file(s) waiting in raw/, {} unmanaged file(s)", s.raw_pending, s.unmanaged);
    }
    done(s.counts.invalid > 0 || s.counts.conflict > 0)
}

pub fn resources(json: bool, rows: &[ResourceSummary]) -> Result<Done> {
    if json {
        emit(&rows);
    } else {
        for r in rows {
            let problems = if r.errors.is_empty() { String::new() } else { format!("  ({} error(s): {})", r.errors.len(), r.errors[0].message) };
            println!("{:<9} {:<20} {:<44} {}{problems}", r.status.as_str(), r.kind, r.name, r.path.as_deref().unwrap_or("-"));
        }
    }
    done(false)
}

pub fn show(json: bool, r: &ResourceDetail) -> Result<Done> {
    if json {
        emit(r);
    } else {
        let s = &r.summary;
        println!("# {}/{} ({}), {}", s.kind, s.name, s.status.as_str(), s.path.as_deref().unwrap_or("not in Git yet"));
        for i in s.errors.iter().chain(&s.warnings) {
            let line = i.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            println!("# {}: {}{line}: {}", i.severity, i.path, i.message);
        }
        print!("{}", r.draft_text.as_deref().or(r.text.as_deref()).unwrap_or(""));
    }
    done(false)
}

pub fn log(json: bool, rows: &[OperationRow]) -> Result<Done> {
    if json {
        emit(&rows);
    } else {
        for o in rows {
            let error = o.error.as_deref().map(|e| format!("  error: {e}")).unwrap_or_default();
            println!(
                "#{:<5} {:<7} {:<9} {:<10} {}  {} -> {}  {}{error}",
                o.id, o.kind, o.trigger, o.status, o.started_at, short(o.commit_before.as_deref()), short(o.commit_after.as_deref()), o.counts
            );
        }
    }
    done(false)
}

pub fn demo(json: bool, d: &DemoWorkspace, engine: &Engine) -> Result<Done> {
    if json {
        emit(d);
    } else {
        if d.created {
            println!("created the demo workspace: repository `demo` ({}), fabric `demo`", d.remote.display());
        } else {
            println!("the demo workspace exists: repository `demo` ({}), fabric `demo`", d.remote.display());
        }
        println!("data directory: {}", engine.data_dir().display());
        println!("try: hhsync ingest demo --dry-run; hhsync ingest demo; hhsync resources demo; hhsync status demo");
    }
    done(false)
}

pub fn draft(json: bool, d: &hhsync_engine::engine::DraftReport) -> Result<Done> {
    if json {
        emit(d);
    } else {
        println!("{}/{}: {}", d.kind, d.name, d.status.as_str());
        for i in d.errors.iter().chain(&d.warnings) {
            let line = i.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            println!("  {}: {}{line}: {}", i.severity, i.path, i.message);
        }
    }
    done(!d.errors.is_empty() || d.status == hhsync_engine::store::ResourceStatus::Conflict)
}

/// The drafts several resolutions left, one per resource (`resolve --all`).
pub fn drafts(json: bool, list: &[hhsync_engine::engine::DraftReport]) -> Result<Done> {
    if json {
        emit(&json!({ "resolved": list }));
    } else if list.is_empty() {
        println!("no open conflicts");
    }
    let mut attention = false;
    for d in list {
        if !json {
            println!("{}/{}: {}", d.kind, d.name, d.status.as_str());
        }
        attention |= !d.errors.is_empty() || d.status == hhsync_engine::store::ResourceStatus::Conflict;
    }
    done(attention)
}

pub fn discarded(json: bool, list: &[(String, String)]) -> Result<Done> {
    if json {
        let items: Vec<_> = list.iter().map(|(k, n)| json!({"kind": k, "name": n})).collect();
        emit(&json!({"discarded": items}));
    } else if list.is_empty() {
        println!("no drafts to discard");
    } else {
        for (k, n) in list {
            println!("discarded the draft of {k}/{n}");
        }
    }
    done(false)
}

pub fn diff(json: bool, diffs: &[hhsync_engine::engine::DraftDiff]) -> Result<Done> {
    if json {
        emit(&diffs);
    } else if diffs.is_empty() {
        println!("no drafts: nothing to push");
    } else {
        for d in diffs {
            print!("{}", d.diff);
        }
    }
    done(false)
}

pub fn push(json: bool, r: &hhsync_engine::engine::PushReport) -> Result<Done> {
    if json {
        emit(r);
    } else if r.commit.is_none() {
        println!("nothing to push");
    } else {
        for p in &r.pushed {
            println!("{:<9} {}/{}", p.change, p.kind, p.name);
        }
        let retries = if r.retries > 0 { format!(" after {} retr{}", r.retries, if r.retries == 1 { "y" } else { "ies" }) } else { String::new() };
        let proposal = if r.proposal_id.is_some() { " (proposed: the drafts stay until the branch is merged)" } else { "" };
        println!("pushed commit {} to {}{retries}{proposal}", short(r.commit.as_deref()), r.branch);
    }
    done(false)
}

pub fn conflicts(json: bool, list: &[hhsync_engine::engine::ConflictDetail]) -> Result<Done> {
    if json {
        emit(&list);
    } else if list.is_empty() {
        println!("no conflicts");
    } else {
        for c in list {
            let k = &c.conflict;
            let state = k.resolution.as_deref().map(|r| format!(" resolved: {r}")).unwrap_or_default();
            println!("{}/{}: {} since {}{state}", k.kind, k.name, k.kind_of, k.detected_at);
            for f in &k.fields {
                println!("  field {f}");
            }
            if k.resolved_at.is_none() {
                print!("{}", hhsync_engine::sync::diff::unified(k.ours_text.as_deref().unwrap_or(""), k.theirs_text.as_deref().unwrap_or(""), "ours", "theirs"));
            }
        }
        println!("resolve with: hhsync resolve FABRIC KIND/NAME --take ours|theirs | --field PATH=ours|theirs | --file PATH");
    }
    done(list.iter().any(|c| c.conflict.resolved_at.is_none()))
}

pub fn revert(json: bool, r: &hhsync_engine::engine::RevertReport) -> Result<Done> {
    if json {
        emit(r);
    } else {
        match &r.commit {
            Some(c) => println!("reverted operation #{} ({} files) in commit {}", r.reverted_operation, r.files.len(), short(Some(c))),
            None => println!("operation #{}'s changes are already undone; nothing to commit", r.reverted_operation),
        }
    }
    done(false)
}

pub fn proposals(json: bool, list: &[hhsync_engine::store::ProposalRow]) -> Result<Done> {
    if json {
        emit(&list);
    } else if list.is_empty() {
        println!("no proposals");
    } else {
        for p in list {
            println!("{:<10} {:<40} {} ({})", p.state, p.branch, short(Some(&p.commit_id)), p.resources.join(", "));
        }
    }
    done(false)
}

/// Proposals with their pull requests.
pub fn proposal_views(json: bool, list: &[hhsync_engine::engine::ProposalView]) -> Result<Done> {
    if json {
        emit(&list);
    } else if list.is_empty() {
        println!("no proposals");
    } else {
        for v in list {
            let p = &v.proposal;
            let pr = match (&p.pr_url, &v.pr_state) {
                (Some(url), Some(state)) => format!("  PR {state}: {url}"),
                (Some(url), None) => format!("  PR: {url}"),
                _ => String::new(),
            };
            println!("{:<10} {:<40} {} ({}){pr}", p.state, p.branch, short(Some(&p.commit_id)), p.resources.join(", "));
        }
    }
    done(false)
}

pub fn settings(json: bool, list: &[(String, String)], only: Option<&str>) -> Result<Done> {
    let shown: Vec<&(String, String)> = list.iter().filter(|(k, _)| only.is_none_or(|o| o == k)).collect();
    if json {
        let map: serde_json::Map<String, serde_json::Value> = shown.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        emit(&map);
    } else if shown.is_empty() {
        println!("no settings changed from their defaults");
    } else {
        for (k, v) in shown {
            println!("{k} = {v}");
        }
    }
    done(false)
}
