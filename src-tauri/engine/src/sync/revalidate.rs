//! Fabric-wide validation after the fabric changed: the per-document issues stored with each
//! resource plus the cross-resource rules (references, ports used twice), written back only
//! where they changed.
//!
//! The work follows the change, not the fabric. The store notes which resources changed since
//! the last validation (triggers fill `validation_pending`) and indexes what each resource's
//! findings depend on (`validation_keys`, from `hedgehog/dependencies.rs`). Only the changed
//! resources and those whose findings can depend on them (they name one, or share a uniqueness
//! key with one, before or after the change) are validated again, against just the resources
//! those findings read. When a large share of the fabric changed (a first import, an ingest), one
//! full pass is cheaper than the lookups, and rebuilds the index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::Connection;

use crate::error::Result;
use crate::hedgehog::{dependency_keys, validate_fabric, DependencyKey, FabricResource, KeyRole, Kind};
use crate::store::{issues_text, StoredIssue, Store, ValidationInput};

/// Above this share of the fabric changed (1 in N), a full pass.
const FULL_PASS_SHARE: usize = 4;

fn parse_text(text: &str) -> Option<crate::yaml::Parsed> {
    let doc = crate::yaml::split_documents(text.as_bytes()).next()?;
    crate::yaml::parse_document(doc.bytes, doc.start_line, &crate::yaml::Limits::default()).ok()
}

/// How [`revalidate`] went about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Nothing had changed.
    Nothing,
    /// Every resource.
    Full,
    /// Only these many resources' findings were worked out again.
    Incremental { validated: usize },
}

/// Brings every resource's stored issues up to date with the fabric as it is now.
pub fn revalidate(store: &Store, conn: &Connection, fabric_id: i64) -> Result<Pass> {
    revalidate_written(store, conn, fabric_id, None)
}

/// [`revalidate`], given every resource the fabric has as validation reads them, when the
/// caller has just written them all (an apply into a fabric that held none): a full pass then
/// takes them from there instead of reading them back. Checked by their count.
pub fn revalidate_written(store: &Store, conn: &Connection, fabric_id: i64, written: Option<Vec<ValidationInput>>) -> Result<Pass> {
    let pending = store.validation_pending(conn, fabric_id)?;
    if pending.is_empty() {
        return Ok(Pass::Nothing);
    }
    // Counted only as far as the choice needs: one more than a full pass allows.
    let full_up_to = pending.len().saturating_mul(FULL_PASS_SHARE);
    let resources = store.resource_count_up_to(conn, fabric_id, full_up_to.saturating_add(1))?;
    let (pass, findings) = if resources <= full_up_to {
        let inputs = match written.filter(|w| w.len() == resources) {
            Some(mut inputs) => {
                inputs.sort_by_key(|i| i.id);
                inputs
            }
            None => store.validation_inputs(conn, fabric_id)?,
        };
        (Pass::Full, full_pass(store, conn, fabric_id, inputs)?)
    } else {
        let findings = incremental_pass(store, conn, fabric_id, &pending)?;
        (Pass::Incremental { validated: findings.len() }, findings)
    };
    tracing::debug!(?pass, changed = pending.len(), "revalidated");
    for (id, issues, before) in findings {
        if issues != before {
            store.set_issues(conn, id, &issues)?;
        }
    }
    store.clear_validation_pending(conn, fabric_id)?;
    Ok(pass)
}

/// The findings of every resource as a full pass gives them, as `(id, issues, stored issues)`,
/// without writing them: what the incremental pass must agree with (the property test).
#[cfg(test)]
pub(crate) fn full_findings(store: &Store, conn: &Connection, fabric_id: i64) -> Result<Vec<(i64, String, String)>> {
    let inputs = store.validation_inputs(conn, fabric_id)?;
    findings(store, conn, &inputs, &(0..inputs.len()).collect::<Vec<_>>())
}

/// Validates every resource (`inputs`, in id order) and rebuilds the index. The fabric-wide
/// rules run on another core while this thread writes the index: neither needs the other, and
/// each is about a tenth of a first import.
fn full_pass(store: &Store, conn: &Connection, fabric_id: i64, inputs: Vec<ValidationInput>) -> Result<Vec<(i64, String, String)>> {
    store.clear_dependency_keys(conn, fabric_id)?;
    // Written in the index's order: each row lands at the end of the key index instead of
    // anywhere in it.
    let mut rows: Vec<(i64, DependencyKey)> = Vec::new();
    for input in &inputs {
        if let Some(kind) = Kind::from_name(&input.kind) {
            rows.extend(dependency_keys(kind, &input.name, &input.value).into_iter().map(|key| (input.id, key)));
        }
    }
    rows.sort_by(|(_, a), (_, b)| (a.role as i64, &a.key, a.lo).cmp(&(b.role as i64, &b.key, b.lo)));
    let fabric = std::thread::scope(|scope| {
        let rules = scope.spawn(|| fabric_findings(&inputs));
        let written = store.insert_dependency_rows(conn, fabric_id, rows.iter().map(|(id, key)| (*id, key)));
        let fabric = rules.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.map(|()| fabric)
    })?;
    let findings = with_fabric_findings(store, conn, &inputs, &(0..inputs.len()).collect::<Vec<_>>(), fabric);
    // Ten thousand parsed documents take a while to free; the caller need not wait for it (and
    // where no thread can be started, they are freed here).
    let _ = std::thread::Builder::new().spawn(move || drop(inputs));
    findings
}

/// Validates the pending resources and those their change can affect.
fn incremental_pass(store: &Store, conn: &Connection, fabric_id: i64, pending: &[i64]) -> Result<Vec<(i64, String, String)>> {
    // The pending resources as they are now; the index is brought up to date for them first, so
    // every lookup below sees the fabric as it is now. Their keys from before the change are
    // kept: what depended on the old version must be validated again too.
    let mut loaded: BTreeMap<i64, ValidationInput> = BTreeMap::new();
    let mut keys_now = HashMap::new();
    let mut touched = BTreeSet::new();
    for &id in pending {
        touched.extend(store.dependency_keys_of(conn, fabric_id, id)?);
        let input = store.validation_input(conn, fabric_id, id)?;
        let keys = input
            .as_ref()
            .and_then(|i| Kind::from_name(&i.kind).map(|k| dependency_keys(k, &i.name, &i.value)))
            .unwrap_or_default();
        store.set_dependency_keys(conn, fabric_id, id, &keys)?;
        touched.extend(keys.iter().cloned());
        keys_now.insert(id, keys);
        if let Some(input) = input {
            loaded.insert(id, input);
        }
    }
    // Affected: whatever names a changed resource or shares a key with it. (A resource that
    // the changed one names is not affected: references are read one way.)
    let mut affected: BTreeSet<i64> = pending.iter().copied().collect();
    for key in touched.iter().filter(|k| k.role != KeyRole::Ref) {
        affected.extend(store.resources_meeting(conn, fabric_id, key)?);
    }
    // Read: the affected resources and whatever they name or share a key with.
    let mut needed = affected.clone();
    for &id in &affected {
        let keys = match keys_now.remove(&id) {
            Some(keys) => keys,
            None => store.dependency_keys_of(conn, fabric_id, id)?,
        };
        for key in keys.iter().filter(|k| k.role != KeyRole::Name) {
            needed.extend(store.resources_meeting(conn, fabric_id, key)?);
        }
    }
    for id in needed {
        if !loaded.contains_key(&id) {
            if let Some(input) = store.validation_input(conn, fabric_id, id)? {
                loaded.insert(id, input);
            }
        }
    }
    // In id order, as the full pass reads them: rules that report the later of two clashing
    // resources see them in the same order.
    let inputs: Vec<ValidationInput> = loaded.into_values().collect();
    let targets: Vec<usize> = (0..inputs.len()).filter(|&i| affected.contains(&inputs[i].id)).collect();
    findings(store, conn, &inputs, &targets)
}

/// The stored issues of `inputs[targets]` (document issues plus what the fabric-wide rules find
/// among `inputs`), as `(id, issues, stored issues)`.
fn findings(store: &Store, conn: &Connection, inputs: &[ValidationInput], targets: &[usize]) -> Result<Vec<(i64, String, String)>> {
    with_fabric_findings(store, conn, inputs, targets, fabric_findings(inputs))
}

/// What the fabric-wide rules find among `inputs`, by index into `inputs`.
fn fabric_findings(inputs: &[ValidationInput]) -> HashMap<usize, Vec<StoredIssue>> {
    let known: Vec<(usize, Kind)> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Kind::from_name(&r.kind).map(|k| (i, k)))
        .collect();
    let resources: Vec<FabricResource<'_>> = known
        .iter()
        .map(|(i, k)| FabricResource { kind: *k, name: &inputs[*i].name, document: &inputs[*i].value })
        .collect();
    let mut found: HashMap<usize, Vec<StoredIssue>> = HashMap::new();
    for (j, issue) in validate_fabric(&resources) {
        found.entry(known[j].0).or_default().push(StoredIssue {
            path: issue.path.to_string(),
            line: None,
            message: issue.message,
            severity: issue.severity,
            rule: issue.rule.to_owned(),
        });
    }
    found
}

/// [`findings`], given what the fabric-wide rules found (`fabric`, from [`fabric_findings`]).
fn with_fabric_findings(
    store: &Store,
    conn: &Connection,
    inputs: &[ValidationInput],
    targets: &[usize],
    mut fabric: HashMap<usize, Vec<StoredIssue>>,
) -> Result<Vec<(i64, String, String)>> {
    let mut out = Vec::with_capacity(targets.len());
    for &i in targets {
        let input = &inputs[i];
        let mut issues = input.document_issues.clone();
        let mut more = fabric.remove(&i).unwrap_or_default();
        if !more.is_empty() {
            // Fabric-wide findings are rare: read the file once more for their lines.
            if let Some(parsed) = store.desired_text_by_id(conn, input.id)?.and_then(|t| parse_text(&t)) {
                for issue in &mut more {
                    issue.line = parsed.line_of(&crate::yaml::FieldPath::parse(&issue.path));
                }
            }
        }
        issues.extend(more);
        let text = issues_text(&issues);
        out.push((input.id, text, input.issues.clone()));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "revalidate_tests.rs"]
mod tests;
