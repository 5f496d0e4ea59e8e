//! A real smart-HTTP git server on 127.0.0.1 for the tests: `git http-backend` behind basic
//! auth (tests/helpers/git_http_server.py), started on a free port and killed when dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct GitHttpServer {
    child: Child,
    pub port: u16,
}

impl GitHttpServer {
    /// Serves the repositories below `root`; `users` are (name, password, "rw" | "r").
    pub fn start(root: &Path, users: &[(&str, &str, &str)]) -> Self {
        Self::start_script(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helpers/git_http_server.py"), root, users)
    }

    /// [`GitHttpServer::start`] with the server script at `script`: for the app's end-to-end
    /// tests, which include this file from another crate.
    pub fn start_script(script: &Path, root: &Path, users: &[(&str, &str, &str)]) -> Self {
        Self::start_with(script, root, users, &[])
    }

    /// [`GitHttpServer::start`] over TLS with the certificate and key (PEM files) given, and
    /// fetching allowed without credentials: serve it at [`GitHttpServer::https_url`].
    pub fn start_tls(root: &Path, cert: &Path, key: &Path) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helpers/git_http_server.py");
        let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
        Self::start_with(&script, root, &[], &["--tls", cert, key, "--anonymous"])
    }

    fn start_with(script: &Path, root: &Path, users: &[(&str, &str, &str)], options: &[&str]) -> Self {
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg(root).args(options);
        for (name, password, mode) in users {
            cmd.arg("--user").arg(format!("{name}:{password}:{mode}"));
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 {} ({e}); scripts/setup installs python3", script.display()));
        let mut line = String::new();
        let stdout = child.stdout.take().expect("server stdout");
        BufReader::new(stdout).read_line(&mut line).expect("read the server's port");
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok()).unwrap_or_else(|| {
            let _ = child.kill();
            panic!("the git HTTP server did not start: {line:?}")
        });
        Self { child, port }
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }

    /// `https://127.0.0.1:PORT/PATH` (a server started with [`GitHttpServer::start_tls`]).
    pub fn https_url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}
