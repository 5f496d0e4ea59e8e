//! The GitOps directory of a fabric: its layout (what each path is), its metadata files
//! (kept compatible with repositories written by the earlier NetBox-plugin implementation),
//! how resources are read from and rendered into files, `init`, and ingestion from raw/.

pub mod ingest;
pub mod init;
pub mod layout;
pub mod meta;
pub mod resource;
pub mod writeback;
