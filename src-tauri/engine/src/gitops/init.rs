//! `init`: create the structure of a GitOps directory, or repair what is missing from it.
//!
//! A directory with a manifest is already initialised (whoever wrote it: hhsync or the earlier
//! implementation); then only essential pieces that went missing are put back, and per-kind
//! folders are left to appear when a resource of that kind is first written.

use std::collections::HashSet;

use super::layout::{self, KEEP};
use super::meta;
use crate::git::FileWrite;
use crate::hedgehog::Kind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitPlan {
    pub already_initialized: bool,
    /// Files to create, relative to the GitOps directory.
    pub created: Vec<String>,
    /// The same, as writes relative to the repository root.
    pub writes: Vec<FileWrite>,
}

/// Plans `init` for a GitOps directory whose files (relative to it) are `existing`.
pub fn plan(directory: &str, fabric: &str, existing: &[String], now: &str) -> InitPlan {
    let files: HashSet<&str> = existing.iter().map(String::as_str).collect();
    let has_under = |dir: &str| existing.iter().any(|p| p.starts_with(&format!("{dir}/")));
    let already_initialized = files.contains(layout::MANIFEST);
    let mut wanted: Vec<(String, Vec<u8>)> = Vec::new();
    if !already_initialized {
        wanted.push((layout::MANIFEST.to_owned(), meta::new_manifest(fabric, now)));
    }
    if !files.contains(layout::README) {
        wanted.push((layout::README.to_owned(), meta::readme(fabric)));
    }
    if !files.contains(layout::ARCHIVE_LOG) {
        wanted.push((layout::ARCHIVE_LOG.to_owned(), meta::new_archive_log(now)));
    }
    for dir in [layout::RAW, layout::UNMANAGED, layout::MANAGED] {
        if !has_under(dir) {
            wanted.push((format!("{dir}/{KEEP}"), Vec::new()));
        }
    }
    if !already_initialized {
        for kind in Kind::ALL {
            let dir = format!("{}/{}", layout::MANAGED, kind.plural());
            if !has_under(&dir) {
                wanted.push((format!("{dir}/{KEEP}"), Vec::new()));
            }
        }
    }
    InitPlan {
        already_initialized,
        created: wanted.iter().map(|(p, _)| p.clone()).collect(),
        writes: wanted
            .into_iter()
            .map(|(path, bytes)| FileWrite::Put { path: layout::join(directory, &path), bytes })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD_TREE: &str = include_str!("../../../../../shared/hedgehog/samples/gitops-test-1__TREE_at_HEAD.txt");

    fn old_fabric_files() -> Vec<String> {
        OLD_TREE
            .lines()
            .filter_map(|l| l.split('\t').nth(1))
            .filter_map(|p| p.strip_prefix("gitops/hedgehog/fabric-1/"))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn earlier_implementation_is_already_initialised() {
        let p = plan("gitops/hedgehog/fabric-1", "f", &old_fabric_files(), "t");
        assert!(p.already_initialized);
        assert!(p.created.is_empty(), "{:?}", p.created);
    }

    #[test]
    fn fresh_directory_gets_the_whole_structure() {
        let p = plan("fab", "f", &[], "t");
        assert!(!p.already_initialized);
        assert!(p.created.contains(&".hnp/manifest.yaml".to_owned()));
        assert!(p.created.contains(&"managed/switchprofiles/.gitkeep".to_owned()));
        assert!(p.created.contains(&"raw/.gitkeep".to_owned()));
        assert_eq!(p.writes[0].path(), "fab/.hnp/manifest.yaml");
        // Applying the plan leaves nothing to do.
        let again = plan("fab", "f", &p.created, "t");
        assert!(again.created.is_empty());
    }

    #[test]
    fn repairs_what_went_missing() {
        let mut files = old_fabric_files();
        files.retain(|p| !p.starts_with("raw/") && p != "README.md");
        let p = plan("x", "f", &files, "t");
        assert_eq!(p.created, ["README.md", "raw/.gitkeep"]);
    }
}
