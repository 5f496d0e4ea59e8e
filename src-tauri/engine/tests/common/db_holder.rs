//! The database held by another process, for tests: open (so that no hhsync command is the
//! last to close it, and its WAL stays on disk with every frame) or write-locked (as another
//! program in the middle of a transaction). A child process, not the test's own: closing any
//! descriptor of the file, as reading it does, drops a process's POSIX locks.
//!
//! The child is the test binary itself, run with one test selected: each test file that uses
//! this has a `#[test]` calling [`serve_if_asked`], named to [`DatabaseHolder::start`].
#![allow(dead_code)]

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ENV_PATH: &str = "HHSYNC_TEST_HOLD_DB";
const ENV_MODE: &str = "HHSYNC_TEST_HOLD_MODE";

#[derive(Debug, Clone, Copy)]
pub enum Hold {
    /// A connection open, nothing locked.
    Open,
    /// A write transaction begun (IMMEDIATE): other writers wait, readers read on (WAL).
    WriteLock,
}

/// The holding child; dropping it releases the database.
pub struct DatabaseHolder(Child);

impl DatabaseHolder {
    pub fn start(db: &Path, hold: Hold, serving_test: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", serving_test, "--nocapture", "--test-threads=1"])
            .env(ENV_PATH, db)
            .env(ENV_MODE, format!("{hold:?}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the holder");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(lines.any(|l| l.is_ok_and(|l| l.contains("holding the database"))), "the holder did not start");
        // The rest of its output is read to the end, so that its test harness's last lines do
        // not meet a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self(child)
    }
}

impl Drop for DatabaseHolder {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// The child's side: holds the database as asked until its stdin closes; nothing otherwise.
pub fn serve_if_asked() {
    let Some(path) = std::env::var_os(ENV_PATH) else { return };
    let db = rusqlite::Connection::open(path).unwrap();
    let _: i64 = db.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
    if std::env::var(ENV_MODE).as_deref() == Ok("WriteLock") {
        db.execute_batch("BEGIN IMMEDIATE").unwrap();
    }
    println!("holding the database");
    std::io::stdout().flush().unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
