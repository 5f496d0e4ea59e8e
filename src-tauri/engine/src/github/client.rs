//! The HTTP side of the GitHub client: requests with the token, answers mapped to the
//! engine's errors, and rate limits (primary: `X-RateLimit-Remaining: 0` until
//! `X-RateLimit-Reset`; `Retry-After`; secondary limits on 403/429) waited out within a
//! bounded budget, or reported with the time they reset.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::Value;

use super::{NewPullRequest, PullRequest, PullState, RepoRef, RepositoryInfo};
use crate::error::{Error, Result};
use crate::secrets::Secret;

/// Largest answer read (GitHub's pull request JSON is a few tens of KB).
const BODY_LIMIT: u64 = 10 * 1024 * 1024;

/// How long to wait out rate limits before giving up with [`Error::RateLimited`].
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts per call, the first included.
    pub attempts: u32,
    /// Total time one call may spend waiting.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts within 60 s (`HHSYNC_GITHUB_MAX_WAIT_SECS` changes the budget).
    fn default() -> Self {
        let secs = std::env::var("HHSYNC_GITHUB_MAX_WAIT_SECS").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(60);
        Self { attempts: 3, max_wait: Duration::from_secs(secs) }
    }
}

/// A GitHub API client for one base URL and token.
pub struct GitHub {
    api: String,
    /// The hhsync repository this client is for, for messages that say what to run.
    repository: String,
    token: Option<Secret>,
    agent: ureq::Agent,
    policy: RetryPolicy,
    /// `x-ratelimit-remaining` of the last successful answer.
    rate_remaining: std::sync::Mutex<Option<u64>>,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub").field("api", &self.api).field("token", &self.token).finish()
    }
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<Value>,
}

#[derive(Deserialize)]
struct RepoJson {
    full_name: String,
    default_branch: Option<String>,
    html_url: Option<String>,
    permissions: Option<Permissions>,
}

#[derive(Deserialize)]
struct Permissions {
    push: bool,
}

#[derive(Deserialize)]
struct BranchJson {
    #[serde(rename = "ref")]
    name: String,
}

#[derive(Deserialize)]
struct PullJson {
    number: i64,
    html_url: String,
    state: String,
    #[serde(default)]
    merged: Option<bool>,
    #[serde(default)]
    merged_at: Option<String>,
    title: String,
    head: BranchJson,
    base: BranchJson,
}

impl From<PullJson> for PullRequest {
    fn from(p: PullJson) -> Self {
        let merged = p.merged.unwrap_or(false) || p.merged_at.is_some();
        let state = match (p.state.as_str(), merged) {
            (_, true) => PullState::Merged,
            ("open", _) => PullState::Open,
            _ => PullState::Closed,
        };
        PullRequest { number: p.number, html_url: p.html_url, state, head: p.head.name, base: p.base.name, title: p.title }
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn rfc3339(unix: u64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(unix as i64).ok()?.format(&time::format_description::well_known::Rfc3339).ok()
}

/// What an error answer means for retrying.
enum Limit {
    /// Wait this long, then try again.
    Wait(Duration, Option<u64>),
    /// Not a rate limit.
    None,
}

fn rate_limit(status: u16, headers: &ureq::http::HeaderMap, message: &str, attempt: u32) -> Limit {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if !matches!(status, 403 | 429) {
        return Limit::None;
    }
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Limit::Wait(Duration::from_secs(secs), Some(unix_now() + secs));
    }
    if header("x-ratelimit-remaining") == Some("0") {
        let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok());
        let wait = reset.map(|r| r.saturating_sub(unix_now()) + 1).unwrap_or(60);
        return Limit::Wait(Duration::from_secs(wait), reset);
    }
    let secondary = message.to_ascii_lowercase().contains("rate limit");
    if status == 429 || secondary {
        // GitHub: "wait at least one minute", growing on repeats.
        let wait = 60u64 << attempt.min(4);
        return Limit::Wait(Duration::from_secs(wait), Some(unix_now() + wait));
    }
    Limit::None
}

/// The API base URL as the client will use it, or why it cannot be used. Judged on the parsed
/// URL (any scheme case; the host the request would really go to), and returned in its parsed
/// form, so the HTTP client reads the same host: `http://EVIL?@localhost` is EVIL, refused
/// with a token. A query, fragment or user name makes no sense in a base URL and is refused;
/// the messages never repeat a password.
pub(crate) fn checked_api_url(api: &str, with_token: bool) -> Result<String> {
    let text = api.trim();
    let must = |why: &str| Error::InvalidInput(format!("GitHub API URL {}: {why}", super::redacted(text)));
    let parsed = super::parse_url(text).ok_or_else(|| must("not an https:// URL"))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(must("must start with https://"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(must("must not hold a user name or token; the token goes to the keychain"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(must("must not have a query (?) or fragment (#)"));
    }
    if with_token && parsed.scheme() == "http" && !super::is_loopback(&parsed) {
        return Err(Error::InvalidInput(format!(
            "refusing to send a token to {} over plain HTTP; use https://",
            parsed.as_str().trim_end_matches('/')
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

impl GitHub {
    /// A client for `api` (e.g. `https://api.github.com`). A token is only ever sent over
    /// HTTPS, or plain HTTP to this machine (tests, local proxies).
    pub fn new(api: &str, token: Option<Secret>) -> Result<Self> {
        let api = checked_api_url(api, token.is_some())?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_global(Some(Duration::from_secs(60)))
            .user_agent(concat!("hhsync/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self { api, repository: "NAME".to_owned(), token, agent: config.into(), policy: RetryPolicy::default(), rate_remaining: Default::default() })
    }

    /// Names the hhsync repository in error messages.
    pub fn for_repository(mut self, name: &str) -> Self {
        self.repository = name.to_owned();
        self
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The API requests left in the rate-limit window, as the last successful answer said.
    pub fn rate_limit_remaining(&self) -> Option<u64> {
        *self.rate_remaining.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn api(&self) -> &str {
        &self.api
    }

    /// The repository, with whether the token may push.
    pub fn repository(&self, repo: &RepoRef) -> Result<RepositoryInfo> {
        let path = format!("/repos/{}/{}", repo.owner, repo.name);
        let r: RepoJson = self.call("GET", &path, None)?;
        Ok(RepositoryInfo {
            full_name: r.full_name,
            default_branch: r.default_branch,
            html_url: r.html_url,
            can_push: r.permissions.map(|p| p.push),
        })
    }

    /// Opens a pull request from `new.head` into `new.base`.
    pub fn create_pull(&self, repo: &RepoRef, new: &NewPullRequest) -> Result<PullRequest> {
        let path = format!("/repos/{}/{}/pulls", repo.owner, repo.name);
        let body = serde_json::json!({"title": new.title, "body": new.body, "head": new.head, "base": new.base});
        let p: PullJson = self.call("POST", &path, Some(&body))?;
        Ok(p.into())
    }

    /// A pull request's current state.
    pub fn pull(&self, repo: &RepoRef, number: i64) -> Result<PullRequest> {
        let path = format!("/repos/{}/{}/pulls/{number}", repo.owner, repo.name);
        let p: PullJson = self.call("GET", &path, None)?;
        Ok(p.into())
    }

    fn call<T: serde::de::DeserializeOwned>(&self, method: &str, path: &str, body: Option<&Value>) -> Result<T> {
        let url = format!("{}{path}", self.api);
        let what = format!("{method} {path}");
        let mut waited = Duration::ZERO;
        for attempt in 0..self.policy.attempts.max(1) {
            let mut response = self.send(method, &url, body).map_err(|e| self.transport_error(&what, e))?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                let left = response.headers().get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
                *self.rate_remaining.lock().unwrap_or_else(|e| e.into_inner()) = left;
                return response
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_json::<T>()
                    .map_err(|e| Error::GitHub { api: what.clone(), status, message: format!("unexpected answer: {e}") });
            }
            let text = response.body_mut().with_config().limit(BODY_LIMIT).read_to_string().unwrap_or_default();
            let parsed: Option<ApiError> = serde_json::from_str(&text).ok();
            let message = parsed.as_ref().map(|e| e.message.clone()).filter(|m| !m.is_empty()).unwrap_or_else(|| format!("HTTP {status}"));
            match rate_limit(status, response.headers(), &message, attempt) {
                Limit::Wait(wait, reset) => {
                    let last = attempt + 1 >= self.policy.attempts;
                    if last || waited + wait > self.policy.max_wait {
                        return Err(Error::RateLimited { api: format!("{} ({what})", self.api), retry_at: reset.and_then(rfc3339), message });
                    }
                    tracing::warn!(api = %self.api, call = %what, seconds = wait.as_secs(), attempt = attempt + 1,
                        "GitHub rate limit reached; waiting before retrying");
                    std::thread::sleep(wait);
                    waited += wait;
                }
                Limit::None => return Err(self.status_error(&what, status, message, parsed.map(|p| p.errors).unwrap_or_default())),
            }
        }
        Err(Error::RateLimited { api: format!("{} ({what})", self.api), retry_at: None, message: "still limited after retrying".to_owned() })
    }

    fn send(&self, method: &str, url: &str, body: Option<&Value>) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let auth = self.token.as_ref().map(|t| format!("Bearer {}", t.expose()));
        macro_rules! headers {
            ($req:expr) => {{
                let mut req = $req.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
                if let Some(auth) = &auth {
                    req = req.header("Authorization", auth.as_str());
                }
                req
            }};
        }
        match (method, body) {
            ("POST", Some(body)) => headers!(self.agent.post(url)).send_json(body),
            ("POST", None) => headers!(self.agent.post(url)).send_empty(),
            _ => headers!(self.agent.get(url)).call(),
        }
    }

    fn transport_error(&self, what: &str, e: ureq::Error) -> Error {
        let url = format!("{} ({what})", self.api);
        match e {
            ureq::Error::Tls(m) => Error::Tls { url, message: m.to_owned() },
            ureq::Error::Rustls(e) => Error::Tls { url, message: e.to_string() },
            ureq::Error::Pem(e) => Error::Tls { url, message: e.to_string() },
            ureq::Error::BadUri(m) => Error::InvalidInput(format!("GitHub API URL: {m}")),
            other => Error::RemoteUnreachable { url, message: other.to_string() },
        }
    }

    fn status_error(&self, what: &str, status: u16, message: String, errors: Vec<Value>) -> Error {
        let api = format!("{} ({what})", self.api);
        match status {
            401 => Error::AuthFailed {
                url: api,
                repository: self.repository.clone(),
                message,
                method: crate::git::AuthMethod::Token,
            },
            403 => Error::PermissionDenied { url: api, repository: self.repository.clone(), action: what.to_owned(), message },
            _ => {
                let details: Vec<String> = errors
                    .iter()
                    .filter_map(|e| e.get("message").and_then(Value::as_str).map(str::to_owned).or_else(|| e.get("code").and_then(Value::as_str).map(str::to_owned)))
                    .collect();
                let message = if details.is_empty() { message } else { format!("{message}: {}", details.join("; ")) };
                let message = if status == 404 { format!("{message} (the repository does not exist, or the token cannot see it)") } else { message };
                Error::GitHub { api, status, message }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_token_over_plain_http_to_other_hosts() {
        let token = Secret::new("t".to_owned()).unwrap();
        let err = GitHub::new("http://example.com/api", Some(token.clone())).unwrap_err();
        assert!(err.to_string().contains("plain HTTP"), "{err}");
        assert!(GitHub::new("http://127.0.0.1:1", Some(token)).is_ok());
    }

    #[test]
    fn the_api_url_is_judged_on_its_parsed_host() {
        // Regression (issue K): `?@localhost` sent the token in clear to 192.0.2.2.
        let token = || Some(Secret::new("ghs_t0ken".to_owned()).unwrap());
        for api in ["http://192.0.2.2:18094?@localhost", "http://192.0.2.2:18094#@localhost", "HTTP://192.0.2.2:18094/"] {
            let err = GitHub::new(api, token()).unwrap_err();
            assert!(err.to_string().contains("192.0.2.2"), "{api}: {err}");
        }
        assert!(GitHub::new("http://192.0.2.2:18094?@localhost", None).is_err(), "a query is no base URL");
        let err = GitHub::new("https://x:ghs_secret@ghe.example/api/v3", None).unwrap_err();
        assert!(!err.to_string().contains("ghs_secret"), "{err}");
        assert_eq!(GitHub::new("HTTPS://GHE.example/api/v3/", token()).unwrap().api(), "https://ghe.example/api/v3");
        assert_eq!(GitHub::new(" http://localhost:8080 ", token()).unwrap().api(), "http://localhost:8080");
        assert!(GitHub::new("ftp://ghe.example/api", None).is_err() && GitHub::new("ghe.example/api", None).is_err());
    }
}
