//! A TCP proxy in front of a test server that can cut connections part way through, the way a
//! flaky network does: after N bytes of the answer to a request for a git service (mid-fetch:
//! `git-upload-pack`), or after N bytes of such a request (mid-push: `git-receive-pack`). The
//! cut is armed and disarmed while the proxy runs; disarmed, it passes everything through.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where to cut.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    /// After `bytes` of the answer to a request that names `service`.
    Answer { service: &'static str, bytes: usize },
    /// After `bytes` of a request that names `service`, counted from its request line.
    Request { service: &'static str, bytes: usize },
}

pub struct CuttingProxy {
    pub port: u16,
    cut: Arc<Mutex<Option<Cut>>>,
    /// Connections cut so far.
    cuts: Arc<AtomicUsize>,
}

impl CuttingProxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `upstream_port`.
    pub fn start(upstream_port: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let cut: Arc<Mutex<Option<Cut>>> = Arc::new(Mutex::new(None));
        let cuts = Arc::new(AtomicUsize::new(0));
        let (c, n) = (cut.clone(), cuts.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream_port)) else { continue };
                let armed = *c.lock().unwrap();
                let n = n.clone();
                std::thread::spawn(move || relay(client, server, armed, n));
            }
        });
        Self { port, cut, cuts }
    }

    pub fn arm(&self, cut: Cut) {
        *self.cut.lock().unwrap() = Some(cut);
    }

    pub fn disarm(&self) {
        *self.cut.lock().unwrap() = None;
    }

    pub fn cuts(&self) -> usize {
        self.cuts.load(Ordering::SeqCst)
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }
}

/// Pumps both ways until either side closes, or the cut (as armed when the connection opened)
/// is reached: then both sockets are shut down.
fn relay(client: TcpStream, server: TcpStream, cut: Option<Cut>, cuts: Arc<AtomicUsize>) {
    let service = match cut {
        Some(Cut::Answer { service, .. } | Cut::Request { service, .. }) => service,
        None => "",
    };
    // Set once the client asked for the service on this connection.
    let asked = Arc::new(AtomicBool::new(false));
    let sockets = [client.try_clone().unwrap(), server.try_clone().unwrap()];

    let kill: Arc<dyn Fn() + Send + Sync> = {
        let cuts = cuts.clone();
        Arc::new(move || {
            cuts.fetch_add(1, Ordering::SeqCst);
            for s in &sockets {
                let _ = s.shutdown(Shutdown::Both);
            }
        })
    };
    let upstream = {
        let (mut from, mut to, asked, kill) = (client.try_clone().unwrap(), server.try_clone().unwrap(), asked.clone(), kill.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let mut seen = Vec::new();
            let mut sent_since_asked = 0usize;
            loop {
                let Ok(n) = from.read(&mut buf) else { break };
                if n == 0 {
                    break;
                }
                let mut chunk = &buf[..n];
                if !service.is_empty() && !asked.load(Ordering::SeqCst) {
                    seen.extend_from_slice(chunk);
                    if let Some(at) = find(&seen, service.as_bytes()) {
                        asked.store(true, Ordering::SeqCst);
                        sent_since_asked = seen.len() - at;
                        seen.clear();
                    }
                } else if asked.load(Ordering::SeqCst) {
                    sent_since_asked += n;
                }
                if let (Some(Cut::Request { bytes, .. }), true) = (cut, asked.load(Ordering::SeqCst)) {
                    if sent_since_asked > bytes {
                        let keep = n.saturating_sub(sent_since_asked - bytes);
                        chunk = &chunk[..keep];
                        let _ = to.write_all(chunk);
                        kill();
                        break;
                    }
                }
                if to.write_all(chunk).is_err() {
                    break;
                }
            }
            let _ = to.shutdown(Shutdown::Write);
        })
    };
    let (mut from, mut to) = (server, client);
    let mut buf = [0u8; 8192];
    let mut answered = 0usize;
    loop {
        let Ok(n) = from.read(&mut buf) else { break };
        if n == 0 {
            break;
        }
        if let (Some(Cut::Answer { bytes, .. }), true) = (cut, asked.load(Ordering::SeqCst)) {
            answered += n;
            if answered > bytes {
                let _ = to.write_all(&buf[..n - (answered - bytes)]);
                kill();
                break;
            }
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = upstream.join();
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
