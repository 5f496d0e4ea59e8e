//! Progress and cancellation for long operations. A user interface installs a sink that gets
//! small events (operation, step, done/total); the engine checks the cancel flag at points
//! where stopping is safe (before anything is committed or pushed), so a cancel never leaves
//! half a change behind.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// One progress report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProgressEvent {
    pub fabric: String,
    /// pull, ingest, push, init, revert, clone.
    pub operation: String,
    pub step: String,
    pub done: u64,
    pub total: u64,
    /// Whether cancelling now is possible (nothing committed yet).
    pub cancellable: bool,
}

pub type ProgressSink = Arc<dyn Fn(ProgressEvent) + Send + Sync>;

/// The sink and the cancel flag an engine carries; cheap to clone.
#[derive(Clone, Default)]
pub struct Progress {
    sink: Option<ProgressSink>,
    cancel: Arc<AtomicBool>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("sink", &self.sink.is_some()).field("cancel", &self.cancel).finish()
    }
}

impl Progress {
    pub fn new(sink: ProgressSink) -> Self {
        Self { sink: Some(sink), cancel: Arc::default() }
    }

    pub fn report(&self, fabric: &str, operation: &str, step: &str, done: u64, total: u64, cancellable: bool) {
        if let Some(sink) = &self.sink {
            sink(ProgressEvent {
                fabric: fabric.to_owned(),
                operation: operation.to_owned(),
                step: step.to_owned(),
                done,
                total,
                cancellable,
            });
        }
    }

    /// Asks the running operation to stop at its next safe point.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Clears a cancel request (at the start of an operation).
    pub fn reset(&self) {
        self.cancel.store(false, Ordering::SeqCst);
    }

    /// Fails with [`Error::Cancelled`] if a cancel was asked for.
    pub fn check(&self, operation: &str) -> Result<()> {
        if self.cancel.swap(false, Ordering::SeqCst) {
            return Err(Error::Cancelled { operation: operation.to_owned() });
        }
        Ok(())
    }
}
