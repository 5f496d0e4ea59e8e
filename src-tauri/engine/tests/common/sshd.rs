//! A real OpenSSH server on 127.0.0.1 for the tests: a temp host key, the given authorized
//! keys, git over SSH as the current user (root in CI). Started on a free port, killed when
//! dropped. `None` (with a note) when sshd is not installed or the tests do not run as root,
//! which sshd needs for its privilege separation.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    child: Child,
    pub port: u16,
    host_key_pub: String,
}

/// Makes an ed25519 key pair without passphrase at `path` (and `path.pub`).
pub fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-C", "hhsync-test", "-f"]).arg(path).output().expect("ssh-keygen");
    assert!(out.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&out.stderr));
}

impl Sshd {
    pub fn start(dir: &Path, authorized: &[PathBuf]) -> Option<Self> {
        let sshd = Path::new("/usr/sbin/sshd");
        if !sshd.exists() || unsafe { libc::geteuid() } != 0 {
            eprintln!("note: skipping the SSH test: it needs /usr/sbin/sshd (Debian openssh-server, scripts/setup) and root");
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        std::fs::create_dir_all("/run/sshd").ok();
        let host_key = dir.join("host_key");
        keygen(&host_key);
        let keys: Vec<String> = authorized.iter().map(|k| std::fs::read_to_string(k.with_extension("pub")).unwrap()).collect();
        std::fs::write(dir.join("authorized_keys"), keys.join("")).unwrap();
        let port = super::http_git::closed_port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nStrictModes no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin prohibit-password\nPidFile {}\n",
            host_key.display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display()
        );
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        let mut child = Command::new(sshd)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(dir.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sshd");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) if line.contains("Server listening") => break,
                Ok(_) => continue,
                Err(_) => {
                    let _ = child.kill();
                    panic!("sshd did not start listening on 127.0.0.1:{port}");
                }
            }
        }
        let host_key_pub = std::fs::read_to_string(host_key.with_extension("pub")).unwrap();
        Some(Self { child, port, host_key_pub })
    }

    /// The known_hosts line for this server.
    pub fn known_hosts_line(&self) -> String {
        let key: Vec<&str> = self.host_key_pub.split_whitespace().take(2).collect();
        format!("[127.0.0.1]:{} {}\n", self.port, key.join(" "))
    }

    /// `ssh://USER@127.0.0.1:PORT/ABSOLUTE/PATH`.
    pub fn url(&self, path: &Path) -> String {
        let user = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "root".to_owned());
        format!("ssh://{user}@127.0.0.1:{}{}", self.port, path.display())
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
