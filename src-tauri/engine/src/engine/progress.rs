//! Progress and cancellation for long operations. A user interface installs a sink that gets
//! small events (operation, step, done/total); the engine checks the operation's own cancel
//! token at points where stopping is safe (before anything is committed or pushed), so a
//! cancel never leaves half a change behind, and cancelling one operation never stops another
//! (see [`super::operation`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::store::OperationKind;

/// One progress report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ProgressEvent {
    pub fabric: String,
    /// The recorded operation this is about (to cancel it by id); none before one is recorded
    /// (cloning a repository being added).
    pub operation_id: Option<i64>,
    pub operation: OperationKind,
    pub step: String,
    pub done: u64,
    pub total: u64,
    /// Whether cancelling now is possible (nothing committed yet).
    pub cancellable: bool,
}

pub type ProgressSink = Arc<dyn Fn(ProgressEvent) + Send + Sync>;

/// The sink and, inside an operation, its id and cancel token; cheap to clone.
#[derive(Clone, Default)]
pub struct Progress {
    sink: Option<ProgressSink>,
    operation: Option<i64>,
    cancel: Arc<AtomicBool>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("sink", &self.sink.is_some()).field("cancel", &self.cancel).finish()
    }
}

impl Progress {
    pub fn new(sink: ProgressSink) -> Self {
        Self { sink: Some(sink), operation: None, cancel: Arc::default() }
    }

    /// The same sink, reporting for operation `id` and stopping when `cancel` is set.
    pub(super) fn for_operation(&self, id: i64, cancel: Arc<AtomicBool>) -> Self {
        Self { sink: self.sink.clone(), operation: Some(id), cancel }
    }

    pub fn report(&self, fabric: &str, operation: OperationKind, step: &str, done: u64, total: u64, cancellable: bool) {
        if let Some(sink) = &self.sink {
            sink(ProgressEvent {
                fabric: fabric.to_owned(),
                operation_id: self.operation,
                operation,
                step: step.to_owned(),
                done,
                total,
                cancellable,
            });
        }
    }

    /// Fails with [`Error::Cancelled`] if a cancel of this operation was asked for.
    pub fn check(&self, operation: OperationKind) -> Result<()> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled { operation: operation.to_string() });
        }
        Ok(())
    }
}
