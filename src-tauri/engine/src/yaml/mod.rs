//! YAML as hhsync reads and writes it.
//!
//! Raw files are split into documents by their `---`/`...` marker lines (the YAML spec forbids
//! those markers inside scalars, so a line scan is exact and lets one bad document fail alone),
//! each document is composed into a JSON value with the position of every field, under limits
//! that stop alias bombs and runaway nesting, and resources are rendered back canonically so
//! the same resource always gives the same bytes. A document's own text can also be edited
//! into its canonical form ([`rewrite`]), which keeps the comments and order its author wrote.

mod compose;
mod emit;
mod natural;
mod patch;
mod path;
mod rewrite;
mod split;

pub use compose::{parse_document, Limits, Parsed, YamlError};
pub use emit::render;
pub use natural::natural_cmp;
pub use patch::{patch, PatchError};
pub use path::FieldPath;
pub use rewrite::rewrite;
pub use split::{split_documents, RawDocument};
