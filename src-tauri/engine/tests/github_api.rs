//! The GitHub client against a fake GitHub that answers in the shapes of GitHub's published
//! OpenAPI description (npm @octokit/openapi); every request the client sends and every answer
//! is checked against that description. Then end to end: `push --branch --pr` opens a pull
//! request, and its state on GitHub comes back to the proposal.

mod common;
#[path = "common/fake_github.rs"]
mod fake_github;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;
#[path = "common/openapi.rs"]
mod openapi;

use std::time::Duration;

use common::Env;
use fake_github::{FakeGitHub, Limit};
use hhsync_engine::github::{GitHub, NewPullRequest, PullState, RepoRef, RetryPolicy};
use hhsync_engine::secrets::Secret;
use hhsync_engine::Code;
use http_git::GitHttpServer;

const PUSH: &str = "ghs_Push0123456789abcdefghijklmnopqrstu";
const READ: &str = "ghs_Read0123456789abcdefghijklmnopqrstu";

fn acme() -> RepoRef {
    RepoRef { owner: "acme".into(), name: "fabric".into() }
}

fn client(fake: &FakeGitHub, token: &str) -> GitHub {
    GitHub::new(&fake.url(), Some(Secret::new(token.to_owned()).unwrap()))
        .unwrap()
        .with_policy(RetryPolicy { attempts: 3, max_wait: Duration::from_secs(10) })
}

#[test]
fn the_description_is_installed() {
    // Fails with "run npm ci in src-tauri/engine/tests/github-openapi" when it is not.
    let (template, op) = openapi::spec().operation("POST", "/repos/acme/fabric/pulls");
    assert_eq!(template, "/repos/{owner}/{repo}/pulls");
    assert_eq!(op["operationId"], "pulls/create");
}

#[test]
fn client_requests_and_answers_match_githubs_description() {
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);
    let gh = client(&fake, PUSH);
    let repo = gh.repository(&acme()).unwrap();
    assert_eq!((repo.full_name.as_str(), repo.can_push), ("acme/fabric", Some(true)));
    assert_eq!(client(&fake, READ).repository(&acme()).unwrap().can_push, Some(false), "read-only token");

    let new = NewPullRequest { title: "hhsync: change".into(), body: "- modified Switch/leaf-01\n".into(), head: "hhsync/f/x".into(), base: "main".into() };
    let pr = gh.create_pull(&acme(), &new).unwrap();
    assert_eq!((pr.state, pr.head.as_str(), pr.base.as_str()), (PullState::Open, "hhsync/f/x", "main"));
    assert!(pr.html_url.ends_with(&format!("/acme/fabric/pull/{}", pr.number)), "{}", pr.html_url);
    assert_eq!(fake.pull(pr.number).unwrap().body, "- modified Switch/leaf-01\n");

    assert_eq!(gh.pull(&acme(), pr.number).unwrap().state, PullState::Open);
    fake.close(pr.number, false);
    assert_eq!(gh.pull(&acme(), pr.number).unwrap().state, PullState::Closed);
    fake.close(pr.number, true);
    assert_eq!(gh.pull(&acme(), pr.number).unwrap().state, PullState::Merged);

    // The token went as a bearer token, and only in the header.
    let exchanges = fake.exchanges();
    assert!(exchanges.iter().all(|e| e.authorization.as_deref().is_some_and(|a| a.starts_with("Bearer "))));
    fake.assert_all_match_the_description();
}

#[test]
fn github_errors_have_their_codes() {
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);
    let err = client(&fake, "ghs_wrong").repository(&acme()).unwrap_err();
    assert_eq!(err.code(), Code::AuthFailed, "{err}");
    assert!(!err.to_string().contains("ghs_wrong"));
    let missing = client(&fake, PUSH).repository(&RepoRef { owner: "acme".into(), name: "nope".into() }).unwrap_err();
    assert_eq!(missing.code(), Code::GitHub, "{missing}");
    assert!(missing.to_string().contains("404"), "{missing}");
    let new = NewPullRequest { title: "t".into(), body: "b".into(), head: "h".into(), base: "main".into() };
    let denied = client(&fake, READ).create_pull(&acme(), &new).unwrap_err();
    assert_eq!(denied.code(), Code::Permission, "{denied}");
    client(&fake, PUSH).create_pull(&acme(), &new).unwrap();
    let twice = client(&fake, PUSH).create_pull(&acme(), &new).unwrap_err();
    assert!(twice.to_string().contains("already exists"), "{twice}");
    let down = GitHub::new(&format!("http://127.0.0.1:{}", http_git::closed_port()), None).unwrap().repository(&acme()).unwrap_err();
    assert_eq!(down.code(), Code::RemoteUnreachable, "{down}");
    fake.assert_all_match_the_description();
}

#[test]
fn rate_limits_are_waited_out_within_the_budget_and_reported_beyond_it() {
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);
    let gh = client(&fake, PUSH);
    // Primary limit resetting in a second, 429 with Retry-After, secondary 403 with Retry-After:
    // each waited out, then answered.
    for limit in [Limit::Primary(1), Limit::TooMany(1), Limit::Secondary(1)] {
        fake.queue(limit);
        assert!(gh.repository(&acme()).is_ok(), "{limit:?} is waited out");
    }
    // A limit that resets in an hour: reported at once with the time, no waiting.
    fake.queue(Limit::Primary(3600));
    let err = gh.repository(&acme()).unwrap_err();
    assert_eq!(err.code(), Code::RateLimited);
    assert!(err.to_string().contains("resets at"), "{err}");
    // Limited on every attempt: gives up after the attempts.
    for _ in 0..3 {
        fake.queue(Limit::TooMany(1));
    }
    let err = gh.repository(&acme()).unwrap_err();
    assert_eq!(err.code(), Code::RateLimited, "{err}");
    fake.assert_all_match_the_description();
}

#[test]
fn trace_logs_never_show_the_token() {
    // Regression (issue K): with HHSYNC_LOG=trace, ureq-proto's hex dump of each request showed
    // `authorization: Bearer <token>`, split over rows of 16 bytes.
    if !keyring::available("trace_logs_never_show_the_token") {
        return;
    }
    let env = Env::new();
    env.remote_with("srv/acme/fabric", &[("README.md", "fabrics\n")]);
    let git = GitHttpServer::start(&env.path("srv"), &[("x-access-token", PUSH, "rw")]);
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);
    env.run_with_input(0, &["repo", "add", "r", &git.url("acme/fabric.git"), "--token-stdin", "--api-url", &fake.url()], PUSH);
    // Plain trace, and directives that name the hex dump's own target.
    for spec in ["trace", "ureq_proto::util=trace,ureq=trace,rustls=trace,trace"] {
        let before = fake.exchanges().len();
        let out = env.command(&["repo", "check", "r"]).env("HHSYNC_LOG", spec).output().expect("run hhsync");
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "HHSYNC_LOG={spec}\nstdout: {stdout}\nstderr: {stderr}");
        // The token went to the (fake) GitHub API through ureq while logging at trace...
        let sent = &fake.exchanges()[before..];
        assert!(sent.iter().any(|e| e.authorization.as_deref() == Some(format!("Bearer {PUSH}").as_str())), "{sent:?}");
        // (at trace nothing else of hhsync's logs below debug: ureq's debug lines, headers
        // redacted, show that the client's logging was on)
        assert!(stderr.lines().any(|l| l.contains("DEBUG") && l.contains("ureq")), "HHSYNC_LOG={spec}: {stderr}");
        // ...and shows nowhere: no byte dump of the HTTP client or TLS at all, no token.
        let dumps: Vec<&str> = stderr.lines().filter(|l| l.contains("TRACE") && (l.contains("ureq") || l.contains("rustls"))).collect();
        assert!(dumps.is_empty(), "HHSYNC_LOG={spec}: wire traces logged:\n{}", dumps.join("\n"));
        assert!(!stdout.contains(PUSH) && !stderr.contains(PUSH), "HHSYNC_LOG={spec}: the token is in the output");
    }
}

const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";

#[test]
fn push_with_pr_opens_a_pull_request_and_its_state_comes_back() {
    if !keyring::available("push_with_pr_opens_a_pull_request_and_its_state_comes_back") {
        return;
    }
    let env = Env::new();
    let remote = env.remote_with("srv/acme/fabric", &[("README.md", "fabrics\n")]);
    let git = GitHttpServer::start(&env.path("srv"), &[("x-access-token", PUSH, "rw"), ("x-access-token", READ, "r")]);
    let fake = FakeGitHub::start("acme", "fabric", PUSH, READ);
    let url = git.url("acme/fabric.git");
    env.run_with_input(0, &["repo", "add", "r", &url, "--token-stdin", "--api-url", &fake.url()], PUSH);
    env.run(0, &["fabric", "add", "f", "--repo", "r", "--dir", "fab"]);
    env.run(0, &["init", "f"]);
    let check = env.json(0, &["repo", "check", "r"]);
    assert_eq!((check["can_push"].as_bool(), check["push_checked_with"].as_str()), (Some(true), Some("github-api")), "{check}");

    // Push to a branch and open a pull request: the URL is printed and recorded.
    env.run_with_input(0, &["edit", "f", "VLANNamespace/extra"], VLANS);
    let out = env.run(0, &["push", "f", "--branch", "hhsync/extra-vlans", "--pr", "--title", "More VLANs"]);
    let pr_url = out.lines().last().unwrap().trim().to_owned();
    assert!(pr_url.starts_with("https://github.com/acme/fabric/pull/"), "{out}");
    let number: i64 = pr_url.rsplit('/').next().unwrap().parse().unwrap();
    let pull = fake.pull(number).unwrap();
    assert_eq!((pull.head.as_str(), pull.base.as_str(), pull.title.as_str()), ("hhsync/extra-vlans", "main", "More VLANs"));
    assert!(pull.body.contains("VLANNamespace/extra") && pull.body.contains("fabric `f`"), "{}", pull.body);
    let proposals = env.json(0, &["proposals", "f"]);
    assert_eq!(proposals[0]["pr_url"], pr_url.as_str());
    assert_eq!(proposals[0]["pr_number"], number);
    assert_eq!(proposals[0]["pr_state"], "open");
    let log = env.json(0, &["log", "f"]);
    let kinds: Vec<(&str, Option<&str>)> = log.as_array().unwrap().iter().map(|o| (o["kind"].as_str().unwrap(), o["pr_url"].as_str())).collect();
    assert_eq!(&kinds[..2], [("pr", Some(pr_url.as_str())), ("push", Some(pr_url.as_str()))], "{log}");

    // Closed without merging on GitHub: the proposal is abandoned, the draft stays a draft.
    fake.close(number, false);
    let refreshed = env.json(0, &["proposals", "f", "--refresh"]);
    assert_eq!((refreshed[0]["state"].as_str(), refreshed[0]["pr_state"].as_str()), (Some("abandoned"), Some("closed")), "{refreshed}");
    assert_eq!(env.json(0, &["status", "f"])["counts"]["new"], 1);

    // Again with --json; this time it is merged (someone merges the branch on the remote).
    let out = env.json(0, &["push", "f", "--branch", "hhsync/extra-vlans-2", "--pr"]);
    let number = out["pull_request"]["number"].as_i64().unwrap();
    assert_eq!(out["pull_request"]["state"], "open");
    assert!(fake.pull(number).unwrap().title.contains("VLANNamespace/extra"), "default title from the commit");
    let work = env.other_clone(&remote, "maintainer");
    env.git(&work, &["fetch", "-q", "origin", "hhsync/extra-vlans-2"]);
    env.git(&work, &["merge", "-q", "--no-ff", "-m", "Merge pull request", "FETCH_HEAD"]);
    env.git(&work, &["push", "-q", "origin", "HEAD:main"]);
    fake.close(number, true);
    let refreshed = env.json(0, &["proposals", "f", "--refresh"]);
    assert_eq!((refreshed[1]["state"].as_str(), refreshed[1]["pr_state"].as_str()), (Some("merged"), Some("merged")), "{refreshed}");
    let status = env.json(0, &["status", "f"]);
    assert_eq!((status["counts"]["new"].as_u64(), status["counts"]["synced"].as_u64()), (Some(0), Some(1)), "{status}");

    // A read-only token: GitHub says it may not push.
    env.run_with_input(0, &["repo", "login", "r", "--token-stdin"], READ);
    let check = env.json(3, &["repo", "check", "r"]);
    assert_eq!(check["can_push"], false, "{check}");
    fake.assert_all_match_the_description();
}
