//! The third state of a resource: what the fabric's cluster actually runs, next to what Git
//! says (desired) and what the user drafted (issue I). Read-only: hhsync lists objects with
//! the kubeconfig's credentials and never writes to the cluster.
//!
//! - [`read`]: one consistent snapshot of the 14 user kinds and the switch agents;
//! - [`normalize`]: what makes a live object and a Git document comparable;
//! - [`drift`]: per resource and per field, from a snapshot and the fabric's resources.

pub mod drift;
pub mod normalize;
pub mod read;

pub use drift::{drift_of, AgentState, ClusterState, DriftReport, DriftState, LinkCheck, LldpState, OperState, ResourceDrift, SwitchLive};
pub use read::{read_snapshot, ClusterLink, KindRead, ReadError, Snapshot};
