//! A fake GitHub REST API on 127.0.0.1 for the tests: the endpoints hhsync uses (a repository
//! with the token's permissions, create a pull request, get one) answered in the shapes of
//! GitHub's OpenAPI description (its own examples, adjusted), plus rate-limit answers
//! (403/429 with X-RateLimit-* or Retry-After) queued by the test. Every exchange is recorded
//! so the test can check it against the description.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::openapi::spec;

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub request: Option<Value>,
    pub status: u16,
    pub response: Value,
}

/// A rate-limit answer to give before answering normally.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    /// 403, X-RateLimit-Remaining: 0, resetting in this many seconds.
    Primary(u64),
    /// 429 with Retry-After.
    TooMany(u64),
    /// 403 secondary rate limit with Retry-After.
    Secondary(u64),
}

#[derive(Debug, Clone)]
pub struct Pull {
    pub head: String,
    pub base: String,
    pub title: String,
    pub body: String,
    pub state: String,
    pub merged: bool,
}

#[derive(Default)]
struct State {
    exchanges: Vec<Exchange>,
    limits: VecDeque<Limit>,
    pulls: HashMap<i64, Pull>,
}

pub struct FakeGitHub {
    pub port: u16,
    /// The token with push permission; `read_token` may only read.
    pub push_token: String,
    pub read_token: String,
    pub owner: String,
    pub repo: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn error(message: &str) -> Value {
    json!({"message": message, "documentation_url": "https://docs.github.com/rest"})
}

impl FakeGitHub {
    pub fn start(owner: &str, repo: &str, push_token: &str, read_token: &str) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind the fake GitHub"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut fake = Self {
            port,
            push_token: push_token.to_owned(),
            read_token: read_token.to_owned(),
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            state,
            stop,
            server,
            thread: None,
        };
        let ctx = Ctx {
            owner: fake.owner.clone(),
            repo: fake.repo.clone(),
            push_token: fake.push_token.clone(),
            read_token: fake.read_token.clone(),
            port,
            state: fake.state.clone(),
        };
        let (server, stop) = (fake.server.clone(), fake.stop.clone());
        fake.thread = Some(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) {
                    ctx.answer(request);
                }
            }
        }));
        fake
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn queue(&self, limit: Limit) {
        self.state.lock().unwrap().limits.push_back(limit);
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state.lock().unwrap().exchanges.clone()
    }

    pub fn pull(&self, number: i64) -> Option<Pull> {
        self.state.lock().unwrap().pulls.get(&number).cloned()
    }

    /// Closes a pull request, merged or not.
    pub fn close(&self, number: i64, merged: bool) {
        let mut state = self.state.lock().unwrap();
        let pull = state.pulls.get_mut(&number).expect("no such pull request");
        pull.state = "closed".to_owned();
        pull.merged = merged;
    }

    /// Checks every recorded exchange against GitHub's OpenAPI description.
    pub fn assert_all_match_the_description(&self) {
        let exchanges = self.exchanges();
        assert!(!exchanges.is_empty(), "no requests reached the fake GitHub");
        let mut problems = Vec::new();
        for e in &exchanges {
            if let Err(p) = spec().validate_request(&e.method, &e.path, e.request.as_ref()) {
                problems.push(format!("request {} {}: {p}", e.method, e.path));
            }
            if let Err(p) = spec().validate_response(&e.method, &e.path, e.status, &e.response) {
                problems.push(format!("answer {} {} {}: {p}", e.method, e.path, e.status));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Ctx {
    owner: String,
    repo: String,
    push_token: String,
    read_token: String,
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Ctx {
    fn answer(&self, mut request: tiny_http::Request) {
        let method = request.method().to_string();
        let path = request.url().split('?').next().unwrap_or("").to_owned();
        let header = |name: &str| request.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str().to_owned());
        let authorization = header("Authorization");
        let mut raw = String::new();
        let _ = request.as_reader().read_to_string(&mut raw);
        let body: Option<Value> = if raw.is_empty() { None } else { Some(serde_json::from_str(&raw).unwrap_or(Value::String(raw.clone()))) };
        let (status, response, headers) = self.route(&method, &path, authorization.as_deref(), body.as_ref());
        self.state.lock().unwrap().exchanges.push(Exchange {
            method,
            path,
            authorization,
            request: body,
            status,
            response: response.clone(),
        });
        let mut reply = tiny_http::Response::from_string(response.to_string()).with_status_code(status);
        for (k, v) in headers.into_iter().chain([("Content-Type".to_owned(), "application/json; charset=utf-8".to_owned())]) {
            if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                reply = reply.with_header(h);
            }
        }
        let _ = request.respond(reply);
    }

    fn route(&self, method: &str, path: &str, auth: Option<&str>, body: Option<&Value>) -> (u16, Value, Vec<(String, String)>) {
        let mut headers = vec![
            ("X-RateLimit-Limit".to_owned(), "5000".to_owned()),
            ("X-RateLimit-Remaining".to_owned(), "4999".to_owned()),
            ("X-RateLimit-Reset".to_owned(), (now() + 3600).to_string()),
        ];
        if let Some(limit) = self.state.lock().unwrap().limits.pop_front() {
            return match limit {
                Limit::Primary(reset_in) => (
                    403,
                    error("API rate limit exceeded for user ID 1."),
                    vec![
                        ("X-RateLimit-Limit".into(), "5000".into()),
                        ("X-RateLimit-Remaining".into(), "0".into()),
                        ("X-RateLimit-Used".into(), "5000".into()),
                        ("X-RateLimit-Reset".into(), (now() + reset_in).to_string()),
                        ("X-RateLimit-Resource".into(), "core".into()),
                    ],
                ),
                Limit::TooMany(after) => (429, error("You have exceeded a secondary rate limit."), vec![("Retry-After".into(), after.to_string())]),
                Limit::Secondary(after) => (
                    403,
                    error("You have exceeded a secondary rate limit. Please wait a few minutes before you try again."),
                    vec![("Retry-After".into(), after.to_string())],
                ),
            };
        }
        let token = auth.and_then(|a| a.strip_prefix("Bearer ").or_else(|| a.strip_prefix("token ")));
        let can_push = match token {
            Some(t) if t == self.push_token => true,
            Some(t) if t == self.read_token => false,
            Some(_) => return (401, error("Bad credentials"), headers),
            None => return (401, error("Requires authentication"), headers),
        };
        let base = format!("/repos/{}/{}", self.owner, self.repo);
        let segments: Vec<&str> = path.strip_prefix(&base).map(|r| r.split('/').filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        if !path.starts_with(&base) {
            return (404, error("Not Found"), headers);
        }
        match (method, segments.as_slice()) {
            ("GET", []) => (200, self.repository(can_push), headers),
            ("POST", ["pulls"]) => {
                if !can_push {
                    return (403, error("Resource not accessible by personal access token"), headers);
                }
                let get = |k: &str| body.and_then(|b| b.get(k)).and_then(Value::as_str).unwrap_or("").to_owned();
                let mut state = self.state.lock().unwrap();
                if state.pulls.values().any(|p| p.head == get("head") && p.state == "open") {
                    let e = json!({"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                        "message": format!("A pull request already exists for {}:{}.", self.owner, get("head"))}],
                        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"});
                    return (422, e, headers);
                }
                let number = 1347 + state.pulls.len() as i64;
                let pull = Pull { head: get("head"), base: get("base"), title: get("title"), body: get("body"), state: "open".into(), merged: false };
                state.pulls.insert(number, pull.clone());
                headers.push(("Location".into(), format!("{}{base}/pulls/{number}", self.api())));
                (201, self.pull_json(number, &pull), headers)
            }
            ("GET", ["pulls", number]) => {
                let state = self.state.lock().unwrap();
                match number.parse::<i64>().ok().and_then(|n| state.pulls.get(&n).map(|p| (n, p))) {
                    Some((n, p)) => (200, self.pull_json(n, p), headers),
                    None => (404, error("Not Found"), headers),
                }
            }
            _ => (404, error("Not Found"), headers),
        }
    }

    fn api(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn repository(&self, can_push: bool) -> Value {
        let mut r = spec().example("full-repository-default-response");
        let full = format!("{}/{}", self.owner, self.repo);
        r["name"] = json!(self.repo);
        r["full_name"] = json!(full);
        r["owner"]["login"] = json!(self.owner);
        r["html_url"] = json!(format!("https://github.com/{full}"));
        r["default_branch"] = json!("main");
        // GitHub's own example lacks fields its schema requires; keep the answer valid.
        r["language"] = json!(null);
        if let Some(map) = r.as_object_mut() {
            map.remove("source");
            map.remove("parent");
        }
        r["permissions"] = json!({"admin": false, "maintain": false, "push": can_push, "triage": can_push, "pull": true});
        r
    }

    fn pull_json(&self, number: i64, pull: &Pull) -> Value {
        let mut p = spec().example("pull-request");
        let full = format!("{}/{}", self.owner, self.repo);
        p["number"] = json!(number);
        p["url"] = json!(format!("{}/repos/{full}/pulls/{number}", self.api()));
        p["html_url"] = json!(format!("https://github.com/{full}/pull/{number}"));
        p["state"] = json!(pull.state);
        p["title"] = json!(pull.title);
        p["body"] = json!(pull.body);
        p["head"]["ref"] = json!(pull.head);
        p["base"]["ref"] = json!(pull.base);
        p["merged"] = json!(pull.merged);
        p["merged_at"] = if pull.merged { json!("2011-01-26T19:01:12Z") } else { Value::Null };
        // GitHub's example team lacks the `type` its schema requires.
        p["requested_teams"] = json!([]);
        p["closed_at"] = if pull.state == "closed" { json!("2011-01-26T19:01:12Z") } else { Value::Null };
        p
    }
}
