//! A line-level three-way merge of a conflict's texts, cut into regions for a merge editor:
//! lines all three share, lines only one side changed (already taken in a merged result), lines
//! both changed alike, and the real conflicts where the user chooses.
//!
//! This is diff3 as Khanna, Kuncak and Myers describe it ("A formal investigation of diff3"):
//! two line diffs from the base (by `similar`, as everywhere else here), then the base lines
//! both sides kept are the anchors, and what lies between two anchors is one region. It is our
//! own because the crates that merge three texts (diffy, threeway_merge) give a text with
//! conflict markers, not the regions a UI can act on one by one. Pure: no I/O.

use similar::{DiffTag, TextDiff};

/// What happened to a region's lines on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    /// Base, ours and theirs have the same lines here.
    Unchanged,
    /// Only our draft changed these lines: the merged result takes ours.
    Ours,
    /// Only upstream changed them: the merged result takes theirs.
    Theirs,
    /// Both made the same change: the merged result takes it.
    Same,
    /// Both changed them differently: the user chooses.
    Conflict,
}

/// One region of the merge. Each text is whole lines with their line endings, so joining the
/// regions' `base` gives the base back, and likewise for `ours` and `theirs`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct MergeRegion {
    pub kind: RegionKind,
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

impl MergeRegion {
    /// The region's lines in a merge with no choice made yet: the changed side where only one
    /// changed, and the base where both did (a placeholder the user replaces).
    pub fn merged(&self) -> &str {
        match self.kind {
            RegionKind::Unchanged | RegionKind::Conflict => &self.base,
            RegionKind::Ours | RegionKind::Same => &self.ours,
            RegionKind::Theirs => &self.theirs,
        }
    }
}

/// The regions of the merge of `ours` and `theirs` from `base`. Without a base (both sides
/// added the resource), every difference between the two is a conflict: nothing tells which
/// side's lines are the change.
pub fn merge_regions(base: Option<&str>, ours: &str, theirs: &str) -> Vec<MergeRegion> {
    let Some(base) = base else {
        return two_way(ours, theirs);
    };
    let ours_diff = TextDiff::from_lines(base, ours);
    let theirs_diff = TextDiff::from_lines(base, theirs);
    let (b, o, t) = (ours_diff.old_slices(), ours_diff.new_slices(), theirs_diff.new_slices());
    let in_ours = kept(&ours_diff, b.len());
    let in_theirs = kept(&theirs_diff, b.len());

    let mut regions = Vec::new();
    let (mut bi, mut oi, mut ti) = (0, 0, 0);
    while bi < b.len() || oi < o.len() || ti < t.len() {
        if bi < b.len() && in_ours[bi] == Some(oi) && in_theirs[bi] == Some(ti) {
            push(&mut regions, RegionKind::Unchanged, [&b[bi..=bi], &o[oi..=oi], &t[ti..=ti]]);
            (bi, oi, ti) = (bi + 1, oi + 1, ti + 1);
            continue;
        }
        // The next base line both sides kept closes the region; past the end, the texts' ends.
        let anchor = (bi..b.len()).find_map(|i| Some((i, in_ours[i]?, in_theirs[i]?)));
        let (be, oe, te) = anchor.unwrap_or((b.len(), o.len(), t.len()));
        let (bs, os, ts) = (&b[bi..be], &o[oi..oe], &t[ti..te]);
        let kind = match (os == bs, ts == bs) {
            (true, true) => RegionKind::Unchanged,
            (false, true) => RegionKind::Ours,
            (true, false) => RegionKind::Theirs,
            (false, false) if os == ts => RegionKind::Same,
            (false, false) => RegionKind::Conflict,
        };
        push(&mut regions, kind, [bs, os, ts]);
        (bi, oi, ti) = (be, oe, te);
    }
    regions
}

/// For each base line, the index of the line of the other text it stays as, if it stays.
fn kept(diff: &TextDiff<'_, '_, '_, str>, base_lines: usize) -> Vec<Option<usize>> {
    let mut kept = vec![None; base_lines];
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            for (b, n) in op.old_range().zip(op.new_range()) {
                kept[b] = Some(n);
            }
        }
    }
    kept
}

/// Appends lines to the last region when it is of the same kind (runs of unchanged lines
/// make one region), else starts a region.
fn push(regions: &mut Vec<MergeRegion>, kind: RegionKind, [base, ours, theirs]: [&[&str]; 3]) {
    match regions.last_mut() {
        Some(last) if last.kind == kind && kind == RegionKind::Unchanged => {
            last.base.extend(base.iter().copied());
            last.ours.extend(ours.iter().copied());
            last.theirs.extend(theirs.iter().copied());
        }
        _ => regions.push(MergeRegion { kind, base: base.concat(), ours: ours.concat(), theirs: theirs.concat() }),
    }
}

fn two_way(ours: &str, theirs: &str) -> Vec<MergeRegion> {
    let diff = TextDiff::from_lines(ours, theirs);
    let (o, t) = (diff.old_slices(), diff.new_slices());
    let mut regions: Vec<MergeRegion> = Vec::new();
    for op in diff.ops() {
        let (os, ts) = (&o[op.old_range()], &t[op.new_range()]);
        if op.tag() == DiffTag::Equal {
            push(&mut regions, RegionKind::Unchanged, [os, os, ts]);
        } else if let Some(last) = regions.last_mut().filter(|r| r.kind == RegionKind::Conflict) {
            // A delete next to an insert is one change: one choice, not two.
            last.ours.extend(os.iter().copied());
            last.theirs.extend(ts.iter().copied());
        } else {
            push(&mut regions, RegionKind::Conflict, [&[], os, ts]);
        }
    }
    regions
}

#[cfg(test)]
#[path = "diff3_tests.rs"]
mod tests;
