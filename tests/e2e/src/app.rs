//! The app under test: tauri-driver (which starts WebKitWebDriver, which starts the real
//! hhsync-desktop binary) with HOME, XDG dirs and the data directory inside a temp dir, so a
//! test never touches the user's files; screenshots go to `tests/e2e/screenshots/`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::webdriver::{Result, Session, WebDriverError};

pub struct App {
    pub session: Session,
    pub tmp: tempfile::TempDir,
    driver: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The desktop binary: `HHSYNC_APP`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("HHSYNC_APP") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    target.join("debug/hhsync-desktop")
}

pub fn screenshots_dir() -> PathBuf {
    repo_root().join("tests/e2e/screenshots")
}

impl App {
    /// Starts the app on an empty data directory (so it opens the demo workspace).
    pub fn start() -> Result<Self> {
        let binary = app_binary();
        if !binary.exists() {
            return Err(WebDriverError(format!("{} is missing: build it with `cargo build -p hhsync-desktop`", binary.display())));
        }
        if std::env::var_os("DISPLAY").is_none() {
            return Err(WebDriverError("no DISPLAY: run the end-to-end tests under Xvfb (scripts/e2e does)".to_owned()));
        }
        let tmp = tempfile::tempdir().map_err(|e| WebDriverError(e.to_string()))?;
        for d in ["home", "config", "data", "cache", "state", "hhsync"] {
            std::fs::create_dir_all(tmp.path().join(d)).map_err(|e| WebDriverError(e.to_string()))?;
        }
        let port = free_port();
        let native = std::iter::repeat_with(free_port).find(|&p| p != port).unwrap_or(4445);
        let driver = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".to_owned()))
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("HOME", tmp.path().join("home"))
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("XDG_STATE_HOME", tmp.path().join("state"))
            .env("HHSYNC_DATA_DIR", tmp.path().join("hhsync"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HHSYNC_AUTHOR_NAME", "E2E Tester")
            .env("HHSYNC_AUTHOR_EMAIL", "e2e@example.com")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| WebDriverError(format!("starting tauri-driver (install it with `cargo install tauri-driver --locked`): {e}")))?;
        let server = format!("http://127.0.0.1:{port}");
        // tauri-driver listens at once but forwards a new session to WebKitWebDriver without
        // waiting for it to listen; a session asked for too early ends in "Unexpected EOF".
        // So both must be listening first.
        let deadline = Instant::now() + Duration::from_secs(30);
        for (p, who) in [(port, "tauri-driver"), (native, "WebKitWebDriver (started by tauri-driver)")] {
            while TcpListenerProbe::closed(p) {
                if Instant::now() > deadline {
                    return Err(WebDriverError(format!("{who} did not start listening on port {p}")));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let capabilities = json!({ "alwaysMatch": { "tauri:options": { "application": binary.to_string_lossy() } } });
        let session = Session::new(&server, capabilities)?;
        Ok(Self { session, tmp, driver })
    }

    /// The bare repository the demo workspace uses as its remote.
    pub fn demo_remote(&self) -> PathBuf {
        self.tmp.path().join("hhsync/demo/remote.git")
    }

    pub fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).map_err(|e| WebDriverError(e.to_string()))?;
        let path = dir.join(format!("{name}.png"));
        // Let the page paint what the DOM already holds before taking the picture.
        let _ = self.session.execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)));",
            vec![],
        );
        std::fs::write(&path, self.session.screenshot_png()?).map_err(|e| WebDriverError(e.to_string()))?;
        Ok(path)
    }

    /// Runs the `hhsync` command line on the app's data directory (what one does the other
    /// sees: a scenario sets up drafts with it, then works in the app); returns stdout.
    pub fn hhsync(&self, args: &[&str], stdin: &str) -> String {
        self.hhsync_ending(args, stdin, &[0])
    }

    /// [`App::hhsync`] for a command that may end in any of `codes` (3: done, with something
    /// that needs attention); returns stdout.
    pub fn hhsync_ending(&self, args: &[&str], stdin: &str, codes: &[i32]) -> String {
        use std::io::Write;
        let binary = app_binary().with_file_name("hhsync");
        let mut child = Command::new(&binary)
            .args(args)
            .env("HOME", self.tmp.path().join("home"))
            .env("XDG_CONFIG_HOME", self.tmp.path().join("config"))
            .env("XDG_DATA_HOME", self.tmp.path().join("data"))
            .env("HHSYNC_DATA_DIR", self.tmp.path().join("hhsync"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HHSYNC_AUTHOR_NAME", "E2E Tester")
            .env("HHSYNC_AUTHOR_EMAIL", "e2e@example.com")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e} (scripts/e2e builds it)", binary.display()));
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
        let out = child.wait_with_output().expect("hhsync");
        assert!(out.status.code().is_some_and(|c| codes.contains(&c)), "hhsync {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A fabric `name` of its own: a new bare repository whose `fabric/raw/{name}.yaml` holds
    /// `raw`, added, initialized and ingested with the CLI on the app's data directory, then the
    /// window reloaded to list it. Returns the colleague's working clone (to change the
    /// repository later, as someone else).
    pub fn fabric_from_raw(&self, name: &str, raw: &str) -> PathBuf {
        let remote = self.tmp.path().join(format!("{name}.git"));
        let work = self.tmp.path().join(format!("{name}-work"));
        self.git(self.tmp.path(), &["init", "-q", "--bare", "-b", "main", remote.to_str().unwrap()]);
        self.git(self.tmp.path(), &["clone", "-q", remote.to_str().unwrap(), work.to_str().unwrap()]);
        std::fs::create_dir_all(work.join("fabric/raw")).unwrap();
        std::fs::write(work.join(format!("fabric/raw/{name}.yaml")), raw).unwrap();
        self.git(&work, &["add", "-A"]);
        self.git(&work, &["-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-qm", &format!("the {name} fabric")]);
        self.git(&work, &["push", "-q", "origin", "HEAD:main"]);
        self.hhsync(&["repo", "add", name, remote.to_str().unwrap()], "");
        self.hhsync(&["fabric", "add", name, "--repo", name, "--dir", "fabric"], "");
        self.hhsync_ending(&["init", name], "", &[0, 3]);
        self.hhsync_ending(&["ingest", name], "", &[0, 3]);
        self.session.execute("location.reload(); return true;", vec![]).expect("reload");
        work
    }

    /// Runs git with the user's configuration masked out; returns stdout.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Someone Else")
            .env("GIT_AUTHOR_EMAIL", "someone@example.com")
            .env("GIT_COMMITTER_NAME", "Someone Else")
            .env("GIT_COMMITTER_EMAIL", "someone@example.com")
            .output()
            .unwrap_or_else(|e| panic!("git {args:?}: {e}"));
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // A failing scenario leaves a picture of what the user saw at that moment.
        if std::thread::panicking() {
            if let Ok(path) = self.screenshot("failed") {
                eprintln!("screenshot of the failure: {}", path.display());
            }
            if let Ok(v) = self.session.execute("return document.body.innerText.slice(0, 3000);", vec![]) {
                eprintln!("page text at the failure:\n{}", v.as_str().unwrap_or_default());
            }
        }
        let _ = self.session.close();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

struct TcpListenerProbe;

impl TcpListenerProbe {
    fn closed(port: u16) -> bool {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
    }
}
