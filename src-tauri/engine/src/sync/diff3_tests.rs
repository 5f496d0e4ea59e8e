use super::*;

fn kinds(regions: &[MergeRegion]) -> Vec<RegionKind> {
    regions.iter().map(|r| r.kind).collect()
}

fn joined(regions: &[MergeRegion], side: fn(&MergeRegion) -> &str) -> String {
    regions.iter().map(side).collect()
}

const BASE: &str = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";

#[test]
fn each_side_is_given_back_whole_by_its_regions() {
    let ours = "a: 1\nb: 20\nc: 3\nd: 4\ne: 50\nf: 6\n";
    let theirs = "a: 1\nb: 21\nc: 3\nd: 40\ne: 5";
    let regions = merge_regions(Some(BASE), ours, theirs);
    assert_eq!(joined(&regions, |r| &r.base), BASE);
    assert_eq!(joined(&regions, |r| &r.ours), ours);
    assert_eq!(joined(&regions, |r| &r.theirs), theirs);
}

#[test]
fn one_side_changes_are_taken_and_both_side_changes_conflict() {
    let ours = "a: 1\nb: 20\nc: 3\nd: 4\ne: 5\n";
    let theirs = "a: 1\nb: 21\nc: 3\nd: 40\ne: 5\n";
    let regions = merge_regions(Some(BASE), ours, theirs);
    assert_eq!(
        kinds(&regions),
        [RegionKind::Unchanged, RegionKind::Conflict, RegionKind::Unchanged, RegionKind::Theirs, RegionKind::Unchanged]
    );
    assert_eq!((regions[1].base.as_str(), regions[1].ours.as_str(), regions[1].theirs.as_str()), ("b: 2\n", "b: 20\n", "b: 21\n"));
    let merged: String = regions.iter().map(MergeRegion::merged).collect();
    assert_eq!(merged, "a: 1\nb: 2\nc: 3\nd: 40\ne: 5\n", "upstream's other change is in, the conflict keeps the base");
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let both = "a: 1\nb: 2\nc: 30\nd: 4\ne: 5\n";
    let regions = merge_regions(Some(BASE), both, both);
    assert_eq!(kinds(&regions), [RegionKind::Unchanged, RegionKind::Same, RegionKind::Unchanged]);
    let merged: String = regions.iter().map(MergeRegion::merged).collect();
    assert_eq!(merged, both);
}

#[test]
fn insertions_at_one_place_on_both_sides_conflict_and_on_one_side_are_taken() {
    let ours = "a: 1\nb: 2\n- x\nc: 3\nd: 4\ne: 5\n";
    let theirs = "a: 1\nb: 2\n- y\nc: 3\nd: 4\ne: 5\nf: 6\n";
    let regions = merge_regions(Some(BASE), ours, theirs);
    assert_eq!(
        kinds(&regions),
        [RegionKind::Unchanged, RegionKind::Conflict, RegionKind::Unchanged, RegionKind::Theirs]
    );
    assert_eq!((regions[1].base.as_str(), regions[1].ours.as_str(), regions[1].theirs.as_str()), ("", "- x\n", "- y\n"));
    assert_eq!(regions[3].theirs, "f: 6\n");
}

#[test]
fn a_deletion_on_one_side_is_taken() {
    let ours = "a: 1\nc: 3\nd: 4\ne: 5\n";
    let regions = merge_regions(Some(BASE), ours, BASE);
    assert_eq!(kinds(&regions), [RegionKind::Unchanged, RegionKind::Ours, RegionKind::Unchanged]);
    assert_eq!(regions[1].ours, "");
    let merged: String = regions.iter().map(MergeRegion::merged).collect();
    assert_eq!(merged, ours);
}

#[test]
fn without_a_base_every_difference_conflicts() {
    let ours = "a: 1\nb: 2\nc: 3\n";
    let theirs = "a: 1\nb: 9\nc: 3\nd: 4\n";
    let regions = merge_regions(None, ours, theirs);
    assert_eq!(kinds(&regions), [RegionKind::Unchanged, RegionKind::Conflict, RegionKind::Unchanged, RegionKind::Conflict]);
    assert_eq!(joined(&regions, |r| &r.ours), ours);
    assert_eq!(joined(&regions, |r| &r.theirs), theirs);
    assert_eq!(regions[1].base, "");
}

#[test]
fn empty_texts_give_no_region() {
    assert!(merge_regions(Some(""), "", "").is_empty());
    assert!(merge_regions(None, "", "").is_empty());
}

/// Edits of a base by a small deterministic generator: every region set gives each side back,
/// and when one side is the base, the merge is the other side with no conflict.
#[test]
fn regions_hold_for_many_generated_edits() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let base: Vec<String> = (0..12).map(|i| format!("k{i}: {i}\n")).collect();
    let mut edit = |lines: &[String]| -> String {
        let mut out = Vec::new();
        for line in lines {
            match next(6) {
                0 => {}
                1 => out.push(format!("new{}: x\n", next(4))),
                2 => {
                    out.push(line.clone());
                    out.push(format!("ins{}: y\n", next(4)));
                }
                _ => out.push(line.clone()),
            }
        }
        out.concat()
    };
    let base_text = base.concat();
    for _ in 0..300 {
        let ours = edit(&base);
        let theirs = edit(&base);
        let regions = merge_regions(Some(&base_text), &ours, &theirs);
        assert_eq!(joined(&regions, |r| &r.base), base_text);
        assert_eq!(joined(&regions, |r| &r.ours), ours);
        assert_eq!(joined(&regions, |r| &r.theirs), theirs);
        for (one, merged_side) in [(merge_regions(Some(&base_text), &ours, &base_text), &ours), (merge_regions(Some(&base_text), &base_text, &theirs), &theirs)] {
            assert!(one.iter().all(|r| r.kind != RegionKind::Conflict));
            assert_eq!(one.iter().map(MergeRegion::merged).collect::<String>(), *merged_side);
        }
    }
}
