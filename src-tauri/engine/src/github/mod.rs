//! GitHub's REST API, for what Git itself cannot do: check that a token may push, open a pull
//! request from a branch, read the pull request's state. The base URL is configurable (GitHub
//! Enterprise: `https://HOST/api/v3`).
//!
//! The client is blocking (`ureq` with rustls): the engine's operations are blocking functions
//! run off the UI thread, so an async runtime would be one more thing to host for three calls;
//! rustls avoids a second TLS stack besides libgit2's. Rate limits are honoured here: a
//! `Retry-After` or an exhausted `X-RateLimit-Remaining` within the wait budget is waited out
//! (and said in the log), beyond it the caller gets [`crate::Error::RateLimited`] with the time
//! it resets, never a hang.

mod client;

pub use client::{GitHub, RetryPolicy};

/// The host (without port or user) of an http(s) or ssh URL, lower-case.
pub(crate) fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host.split(':').next().unwrap_or(host),
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// True for URLs to this machine (where plain HTTP carries no risk to a token).
pub(crate) fn is_loopback_url(url: &str) -> bool {
    url_host(url).is_some_and(|h| h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

/// A repository on GitHub: `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepoRef {
    pub owner: String,
    pub name: String,
}

impl std::fmt::Display for RepoRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// Host and repository of a Git URL: `https://HOST/OWNER/NAME(.git)`, `ssh://git@HOST/OWNER/NAME`,
/// `git@HOST:OWNER/NAME.git`. `None` for local paths and URLs without two path segments.
pub fn parse_git_url(url: &str) -> Option<(String, RepoRef)> {
    let (host, path) = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(scheme, "https" | "http" | "ssh" | "git") {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        (host.to_owned(), path)
    } else {
        let (user_host, path) = url.split_once(':')?;
        if user_host.contains('/') || !user_host.contains('@') {
            return None;
        }
        (user_host.rsplit('@').next()?.to_owned(), path)
    };
    let mut parts = path.trim_matches('/').rsplitn(3, '/');
    let name = parts.next()?.trim_end_matches(".git");
    let owner = parts.next()?;
    if owner.is_empty() || name.is_empty() || host.is_empty() {
        return None;
    }
    Some((host, RepoRef { owner: owner.to_owned(), name: name.to_owned() }))
}

/// The API base for a host: api.github.com for github.com, `https://HOST/api/v3` for GitHub
/// Enterprise Server. Only github.com is assumed; other hosts need `--api-url`.
pub fn default_api_url(host: &str) -> Option<String> {
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    (host == "github.com" || host == "www.github.com").then(|| "https://api.github.com".to_owned())
}

/// A repository as GitHub describes it (the fields hhsync uses).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepositoryInfo {
    pub full_name: String,
    pub default_branch: Option<String>,
    pub html_url: Option<String>,
    /// Whether the token may push; `None` when GitHub did not say (no token).
    pub can_push: Option<bool>,
}

/// GitHub's state of a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PullState {
    Open,
    /// Closed without being merged.
    Closed,
    Merged,
}

impl PullState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Merged => "merged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PullRequest {
    pub number: i64,
    pub html_url: String,
    pub state: PullState,
    pub head: String,
    pub base: String,
    pub title: String,
}

/// What to open a pull request with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPullRequest {
    pub title: String,
    pub body: String,
    /// The branch with the change.
    pub head: String,
    /// The branch to merge into.
    pub base: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_url_forms() {
        let r = |o: &str, n: &str| RepoRef { owner: o.into(), name: n.into() };
        assert_eq!(parse_git_url("https://github.com/acme/fabric.git"), Some(("github.com".into(), r("acme", "fabric"))));
        assert_eq!(parse_git_url("git@github.com:acme/fabric.git"), Some(("github.com".into(), r("acme", "fabric"))));
        assert_eq!(parse_git_url("ssh://git@ghe.example:2222/acme/fabric"), Some(("ghe.example:2222".into(), r("acme", "fabric"))));
        assert_eq!(parse_git_url("http://127.0.0.1:8080/git/acme/fabric.git"), Some(("127.0.0.1:8080".into(), r("acme", "fabric"))));
        assert_eq!(parse_git_url("/srv/git/fabric.git"), None);
        assert_eq!(parse_git_url("file:///srv/acme/fabric.git"), None);
        assert_eq!(parse_git_url("https://github.com/fabric.git"), None);
        assert_eq!(default_api_url("github.com").as_deref(), Some("https://api.github.com"));
        assert_eq!(default_api_url("ghe.example"), None);
        assert!(is_loopback_url("http://127.0.0.1:8080/api") && is_loopback_url("http://localhost/x") && is_loopback_url("http://[::1]:9/x"));
        assert!(!is_loopback_url("http://example.com/api") && !is_loopback_url("http://127.0.0.1.evil.example/api"));
        assert_eq!(url_host("https://x-access-token@GitHub.com:443/a/b").as_deref(), Some("github.com"));
    }
}
