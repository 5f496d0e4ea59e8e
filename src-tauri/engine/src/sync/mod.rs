//! Moving a fabric's local state forward to a commit (pull), and keeping its validation
//! up to date. Drafts, three-way merges and push come with the bidirectional-sync issue.

pub mod apply;
pub mod diff;
pub mod diff3;
pub mod issues;
pub mod merge;
pub mod reconcile;
pub mod revalidate;

pub use apply::{apply_commit, apply_commit_with, ApplyCounts, ChangedResource, KnownFile, KnownFiles, ReadFile};
