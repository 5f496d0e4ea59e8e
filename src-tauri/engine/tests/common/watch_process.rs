//! A running `hhsync watch` for tests, and a webhook delivery posted to it as GitHub posts one.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::common::Env;

/// A running `hhsync watch`, its output lines collected as they come; interrupted (SIGINT)
/// and reaped when dropped.
pub struct Watch {
    child: Child,
    pub stdout: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<Vec<String>>>,
}

fn collect(pipe: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

impl Watch {
    pub fn start(env: &Env, args: &[&str]) -> Self {
        Self::start_with(env, args, &[])
    }

    /// [`Watch::start`] with extra environment (HHSYNC_LOG, for example).
    pub fn start_with(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Self {
        let mut child = env.command(args).envs(vars.iter().copied()).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn watch");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Self { child, stdout, stderr }
    }

    /// Waits (at most 30 s) for a line of stdout or stderr that `pred` accepts.
    pub fn wait_line(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = {
                let out = self.stdout.lock().unwrap();
                let err = self.stderr.lock().unwrap();
                out.iter().chain(err.iter()).find(|l| pred(l)).cloned()
            };
            if let Some(line) = found {
                return line;
            }
            assert!(Instant::now() < deadline, "no {what} within 30 s\nstdout: {:?}\nstderr: {:?}", self.stdout.lock().unwrap(), self.stderr.lock().unwrap());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Interrupts it and returns its stdout.
    pub fn stop(mut self) -> String {
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "watch did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        let out = self.stdout.lock().unwrap().join("\n");
        out
    }

    /// Sends SIGTERM, expects it to exit successfully within `within`, and returns its stdout.
    pub fn terminate(mut self, within: Duration) -> String {
        let sent = Instant::now();
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(sent.elapsed() < within, "watch did not stop within {within:?} of SIGTERM\nstderr: {:?}", self.stderr.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status}\nstderr: {:?}", self.stderr.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
        let out = self.stdout.lock().unwrap().join("\n");
        out
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn post(port: u16, event: &str, signature: Option<&str>, delivery: &str, body: &str) -> (u16, String) {
    // GitHub gives up on a delivery after 10 s; so does this.
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10))).build().into();
    let mut req = agent
        .post(&format!("http://127.0.0.1:{port}/"))
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .header("Content-Type", "application/json");
    if let Some(sig) = signature {
        req = req.header("X-Hub-Signature-256", sig);
    }
    let mut resp = req.send(body).expect("post to the webhook receiver");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}
