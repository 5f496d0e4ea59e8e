//! Runs of the real `hhsync` measured for peak memory (alias_memory.rs, hostile_corpus.rs).
#![allow(dead_code)]

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What a measured run of hhsync gave.
pub struct Measured {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub peak_bytes: u64,
}

impl Measured {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr: {}", self.stdout, self.stderr))
    }

    pub fn assert_peak_under(&self, limit_bytes: u64, what: &str) {
        assert!(
            self.peak_bytes < limit_bytes,
            "{what}: peak RSS {:.1} MB, limit {:.0} MB",
            self.peak_bytes as f64 / 1e6,
            limit_bytes as f64 / 1e6
        );
    }
}

/// Runs `cmd` to completion with its output in files of `dir` (so that no pipe needs draining
/// while we wait) and reaps it with `wait4`, which reports the child's peak resident set.
pub fn run_measured(mut cmd: Command, dir: &Path, name: &str) -> Measured {
    let out_path = dir.join(format!("{name}.stdout"));
    let err_path = dir.join(format!("{name}.stderr"));
    cmd.stdin(Stdio::null()).stdout(File::create(&out_path).unwrap()).stderr(File::create(&err_path).unwrap());
    let child = cmd.spawn().expect("spawn hhsync");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: pid is our own child, not yet reaped (std's Child never waited on it), and
        // both out-pointers point to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Printed, for `--nocapture`, before any assertion on the output can fail.
    eprintln!("{name}: peak RSS {:.1} MB, exit {code:?}", usage.ru_maxrss as f64 * 1024.0 / 1e6);
    Measured {
        code,
        stdout: std::fs::read_to_string(&out_path).unwrap(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
        // Linux reports ru_maxrss in KiB.
        peak_bytes: usage.ru_maxrss as u64 * 1024,
    }
}

