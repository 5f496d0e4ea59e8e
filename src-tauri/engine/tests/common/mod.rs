//! Test harness: real bare repositories in temp dirs, "someone else's" clone driven by the git
//! command line, and the real `hhsync` binary run with HOME, XDG dirs and the data dir inside
//! the temp dir. Fixtures are made here, not stored; the Hedgehog samples come from
//! ../shared/hedgehog (beside the repository, in CI too).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn samples_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HHSYNC_SHARED_DIR") {
        return PathBuf::from(dir).join("hedgehog/samples");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/hedgehog/samples")
}

pub fn sample(name: &str) -> String {
    let path = samples_dir().join(format!("gitops-test-1__{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("sample {}: {e}", path.display()))
}

/// One run of hhsync: exit code, stdout, stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temp dir with a bare remote, a data dir and an isolated HOME.
pub struct Env {
    pub tmp: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        let env = Self { tmp: tempfile::tempdir().expect("temp dir") };
        for d in ["home", "xdg/config", "xdg/data", "xdg/cache", "xdg/state"] {
            std::fs::create_dir_all(env.tmp.path().join(d)).unwrap();
        }
        env
    }

    pub fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    fn isolate(&self, cmd: &mut Command) {
        cmd.env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg/config"))
            .env("XDG_DATA_HOME", self.path("xdg/data"))
            .env("XDG_CACHE_HOME", self.path("xdg/cache"))
            .env("XDG_STATE_HOME", self.path("xdg/state"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Someone Else")
            .env("GIT_AUTHOR_EMAIL", "someone@example.com")
            .env("GIT_COMMITTER_NAME", "Someone Else")
            .env("GIT_COMMITTER_EMAIL", "someone@example.com")
            .env_remove("HHSYNC_DATA_DIR")
            .env_remove("HHSYNC_LOG");
    }

    /// Runs hhsync with `--data-dir` set.
    pub fn hhsync(&self, args: &[&str]) -> Output {
        self.hhsync_in(&self.data_dir(), args)
    }

    pub fn hhsync_in(&self, data_dir: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hhsync"));
        self.isolate(&mut cmd);
        cmd.arg("--data-dir").arg(data_dir).args(args);
        cmd.output().expect("run hhsync")
    }

    /// An hhsync command (isolated, with `--data-dir`) to adjust and spawn.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in(&self.data_dir(), args)
    }

    /// [`Env::command`] on another data directory (a second client).
    pub fn command_in(&self, data_dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hhsync"));
        self.isolate(&mut cmd);
        cmd.arg("--data-dir").arg(data_dir).args(args);
        cmd
    }

    /// Runs hhsync with standard input `input`; expects exit `code`; returns stdout.
    /// Runs hhsync with `stdin` (or nothing) and extra environment; any exit code.
    pub fn exec(&self, args: &[&str], stdin: Option<&str>, vars: &[(&str, &str)]) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.envs(vars.iter().copied());
        let mut child = cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn hhsync");
        let input = stdin.unwrap_or("").to_owned();
        let mut pipe = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(input.as_bytes());
        });
        let out = child.wait_with_output().expect("wait for hhsync");
        let _ = writer.join();
        Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into(), stderr: String::from_utf8_lossy(&out.stderr).into() }
    }

    pub fn run_with_input(&self, code: i32, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn hhsync");
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "hhsync {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs hhsync and expects exit status `code`; returns stdout.
    pub fn run(&self, code: i32, args: &[&str]) -> String {
        let out = self.hhsync(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "hhsync {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `hhsync --json ...`, expects exit status `code`, parses stdout as one JSON document.
    pub fn json(&self, code: i32, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let stdout = self.run(code, &all);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("hhsync {args:?}: stdout is not one JSON document ({e}):\n{stdout}"))
    }

    /// Runs hhsync expecting failure with `code`; returns stderr.
    pub fn fail(&self, code: i32, args: &[&str]) -> String {
        let out = self.hhsync(args);
        assert_eq!(out.status.code(), Some(code), "hhsync {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs git with the user's configuration masked out.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.isolate(&mut cmd);
        let out = cmd.current_dir(dir).args(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?} in {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Creates a bare remote with branch main holding `files` (path → content) in one commit.
    /// Returns the remote's path.
    pub fn remote_with(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let remote = self.path(&format!("{name}.git"));
        self.git(self.tmp.path(), &["init", "-q", "--bare", "-b", "main", remote.to_str().unwrap()]);
        if !files.is_empty() {
            let work = self.other_clone(&remote, &format!("{name}-seed"));
            for (path, content) in files {
                self.write(&work, path, content);
            }
            self.commit_push(&work, "seed");
        }
        remote
    }

    /// A working clone of `remote`, standing for a colleague.
    pub fn other_clone(&self, remote: &Path, name: &str) -> PathBuf {
        let dir = self.path(name);
        if dir.exists() {
            self.git(&dir, &["pull", "-q", "--ff-only"]);
            return dir;
        }
        self.git(self.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), dir.to_str().unwrap()]);
        self.git(&dir, &["checkout", "-q", "-B", "main"]);
        dir
    }

    pub fn write(&self, work: &Path, path: &str, content: &str) {
        let full = work.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }

    pub fn write_bytes(&self, work: &Path, path: &str, content: &[u8]) {
        let full = work.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }

    /// Commits everything in `work` and pushes it to main.
    pub fn commit_push(&self, work: &Path, message: &str) {
        self.git(work, &["add", "-A"]);
        self.git(work, &["commit", "-q", "-m", message]);
        self.git(work, &["push", "-q", "origin", "HEAD:main"]);
    }

    /// Number of commits on main in `remote`.
    pub fn commit_count(&self, remote: &Path) -> usize {
        self.git(remote, &["rev-list", "--count", "main"]).trim().parse().unwrap()
    }

    pub fn head(&self, remote: &Path) -> String {
        self.git(remote, &["rev-parse", "main"]).trim().to_owned()
    }

    /// Files below `dir` at main in `remote`.
    pub fn ls(&self, remote: &Path, dir: &str) -> Vec<String> {
        self.git(remote, &["ls-tree", "-r", "--name-only", "main", dir])
            .lines()
            .map(|l| l.strip_prefix(&format!("{dir}/")).unwrap_or(l).to_owned())
            .collect()
    }

    pub fn cat(&self, remote: &Path, path: &str) -> String {
        self.git(remote, &["show", &format!("main:{path}")])
    }

    /// Adds repository `repo` for `remote` and fabric `fabric` at `dir`, and runs init.
    pub fn setup_fabric(&self, remote: &Path, repo: &str, fabric: &str, dir: &str) {
        self.run(0, &["repo", "add", repo, remote.to_str().unwrap()]);
        self.run(0, &["fabric", "add", fabric, "--repo", repo, "--dir", dir]);
        let out = self.hhsync(&["init", fabric]);
        assert!(matches!(out.status.code(), Some(0 | 3)), "init: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Whether `needle` occurs in `haystack` (for tests that look for a secret in files).
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file below `dir`, appended to `out` (for tests that look for a secret everywhere).
pub fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}
