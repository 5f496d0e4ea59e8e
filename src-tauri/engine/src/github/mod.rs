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

pub(crate) use client::checked_api_url;
pub use client::{GitHub, RetryPolicy};

/// A URL with a scheme (`https://`, `ssh://`, `file://`…) parsed as WHATWG says, so that what
/// hhsync judges (scheme, credentials, host) is what the HTTP client will act on: text
/// matching is fooled by `http://EVIL?@localhost` (the host is EVIL) and by `HTTPS://` (a
/// scheme is case-insensitive). `None` for local paths and scp-like `user@host:path`.
pub(crate) fn parse_url(url: &str) -> Option<url::Url> {
    url.trim().contains("://").then(|| url::Url::parse(url.trim()).ok()).flatten()
}

/// The host (without port or user) of a URL with a scheme, lower-case; IPv6 without brackets.
/// A link to open in the system browser (a pull request's page): only an absolute http(s) URL
/// with a host, judged on the parsed value; returned in its parsed form, which is what opens.
pub fn browsable_url(text: &str) -> crate::error::Result<String> {
    match url::Url::parse(text.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()) => Ok(u.to_string()),
        _ => Err(crate::error::Error::InvalidInput(format!("{} is not an http(s) link; only web pages are opened", redacted(text)))),
    }
}

pub(crate) fn url_host(url: &str) -> Option<String> {
    let host = match parse_url(url)?.host()? {
        url::Host::Domain(d) => d.to_ascii_lowercase(),
        url::Host::Ipv4(ip) => ip.to_string(),
        url::Host::Ipv6(ip) => ip.to_string(),
    };
    (!host.is_empty()).then_some(host)
}

/// True for a parsed URL to this machine (where plain HTTP carries no risk to a token):
/// `localhost`, 127.0.0.0/8, `::1`. Judged on the parsed host, never on the text.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        None => false,
    }
}

/// True when a token may be sent to `url`: HTTPS, or plain HTTP to this machine (tests, local
/// proxies). Any scheme case; anything that does not parse is refused.
pub(crate) fn may_carry_token(url: &str) -> bool {
    parse_url(url).is_some_and(|u| u.scheme() == "https" || (u.scheme() == "http" && is_loopback(&u)))
}

/// A URL fit for messages and logs: a password, and with http(s) a user name (a token given as
/// `https://TOKEN@host`), become `***`. A URL with a scheme that does not parse is shown as its
/// scheme only, since where its credentials end cannot be told; an scp-like `user:secret@host:path`
/// loses the secret.
pub(crate) fn redacted(url: &str) -> String {
    let text = url.trim();
    if let Some(mut parsed) = parse_url(text) {
        if parsed.password().is_some() {
            let _ = parsed.set_password(Some("***"));
        }
        if matches!(parsed.scheme(), "http" | "https") && !parsed.username().is_empty() {
            let _ = parsed.set_username("***");
        }
        if parsed.password().is_none_or(|p| p == "***") {
            return parsed.to_string();
        }
    }
    if let Some((scheme, _)) = text.split_once("://") {
        return format!("{scheme}://…");
    }
    match text.split_once('@') {
        Some((user, rest)) if user.contains(':') && !user.contains('/') => {
            format!("{}:***@{rest}", user.split(':').next().unwrap_or(""))
        }
        _ => text.to_owned(),
    }
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
/// `git@HOST:OWNER/NAME.git`. `None` for local paths and URLs without two path segments. The
/// host keeps a port given in the URL (`ghe.example:2222`).
pub fn parse_git_url(url: &str) -> Option<(String, RepoRef)> {
    let (host, path) = if url.contains("://") {
        let parsed = parse_url(url)?;
        if !matches!(parsed.scheme(), "https" | "http" | "ssh" | "git") {
            return None;
        }
        let host = url_host(url)?;
        let host = match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        (host, parsed.path().to_owned())
    } else {
        let (user_host, path) = url.split_once(':')?;
        if user_host.contains('/') || !user_host.contains('@') {
            return None;
        }
        (user_host.rsplit('@').next()?.to_owned(), path.to_owned())
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
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
    fn only_web_links_are_browsable() {
        assert_eq!(browsable_url("https://github.com/acme/fabric/pull/7").unwrap(), "https://github.com/acme/fabric/pull/7");
        assert!(browsable_url("http://127.0.0.1:8080/pr/1").is_ok());
        for bad in ["file:///etc/passwd", "javascript:alert(1)", "ssh://git@host/x", "/tmp/x", "https://", ""] {
            assert!(browsable_url(bad).is_err(), "{bad}");
        }
    }

    /// True for URLs to this machine; false for anything that does not parse.
    fn is_loopback_url(url: &str) -> bool {
        parse_url(url).is_some_and(|u| is_loopback(&u))
    }

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
        assert_eq!(parse_git_url("HTTPS://GitHub.com/acme/fabric.git"), Some(("github.com".into(), r("acme", "fabric"))), "any scheme case");
    }

    #[test]
    fn a_host_hidden_behind_a_query_or_fragment_is_not_loopback() {
        // Regression (issue K): `?@localhost` and `#@localhost` made 192.0.2.2 look local.
        for url in [
            "http://192.0.2.2:18094?@localhost",
            "http://192.0.2.2:18094#@localhost",
            "http://192.0.2.2:18094/?@localhost/",
            "http://192.0.2.2:18094\\@localhost",
            "http://localhost.evil.example/",
            "http://127.0.0.1@192.0.2.2/",
            "http://localhost:80@192.0.2.2/",
            "not a url localhost",
        ] {
            assert!(!is_loopback_url(url), "{url}");
            assert!(!may_carry_token(url), "{url}");
        }
        assert_eq!(url_host("http://192.0.2.2:18094?@localhost").as_deref(), Some("192.0.2.2"));
        assert_eq!(url_host("http://192.0.2.2:18094#@localhost").as_deref(), Some("192.0.2.2"));
        for url in ["http://LOCALHOST:1/x", "HTTP://127.0.0.1:1/", "http://127.1/", "http://[::1]/", "http://user@localhost/"] {
            assert!(is_loopback_url(url), "{url}");
        }
        assert!(may_carry_token("HTTPS://github.com/a/b") && may_carry_token("Http://127.0.0.1:1/a"));
        assert!(!may_carry_token("http://github.com/a/b") && !may_carry_token("ssh://git@github.com/a/b") && !may_carry_token("/srv/git/x"));
    }

    #[test]
    fn redacted_urls_keep_no_secret() {
        assert_eq!(redacted("HTTP://user:ghs_T0K@host/x.git"), "http://***:***@host/x.git");
        assert_eq!(redacted("https://ghs_T0K@host/x.git"), "https://***@host/x.git");
        assert_eq!(redacted("ssh://git:ghs_T0K@host/x.git"), "ssh://git:***@host/x.git");
        assert_eq!(redacted("file://u:ghs_T0K@host/x"), "file://…");
        assert_eq!(redacted("git:ghs_T0K@host:x.git"), "git:***@host:x.git");
        assert_eq!(redacted("git@host:acme/x.git"), "git@host:acme/x.git");
        assert_eq!(redacted("/srv/git/x.git"), "/srv/git/x.git");
    }
}
