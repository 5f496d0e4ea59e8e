//! One operation at a time per fabric, across threads and processes (the app and the CLI share
//! the data directory): an exclusive lock on a file per fabric. A second operation waits a
//! little, then fails with a message that says what is going on.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Held while an operation works on a fabric; released on drop (and by the OS if the process
/// dies, so a crash never leaves a fabric locked).
#[derive(Debug)]
pub struct FabricLock {
    _file: File,
}

/// How long a second operation waits for the first to finish.
fn wait() -> Duration {
    std::env::var("HHSYNC_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(3))
}

pub fn lock_fabric(locks_dir: &Path, fabric_id: i64, fabric: &str) -> Result<FabricLock> {
    std::fs::create_dir_all(locks_dir).map_err(|e| Error::io(locks_dir, e))?;
    let path = locks_dir.join(format!("fabric-{fabric_id}.lock"));
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
    let deadline = Instant::now() + wait();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(FabricLock { _file: file }),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(TryLockError::WouldBlock) => return Err(Error::Busy { fabric: fabric.to_owned() }),
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_waits_then_fails_and_succeeds_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_fabric(dir.path(), 1, "f").unwrap();
        // Another fabric is independent.
        let _other = lock_fabric(dir.path(), 2, "g").unwrap();
        let err = lock_fabric(dir.path(), 1, "f").unwrap_err();
        assert!(err.to_string().contains("busy"), "{err}");
        drop(first);
        lock_fabric(dir.path(), 1, "f").unwrap();
    }
}
