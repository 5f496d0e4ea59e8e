//! The commands about remotes: repositories with credentials (add, login, logout, check,
//! webhook secret), push with a pull request, and watch. Secrets are read from standard input
//! or an environment variable, never from the command line, and never printed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::json;

use super::args::{RepoCommand, RequiredTokenSource, TokenSource};
use super::print::{emit, short};
use super::Done;
use hhsync_engine::engine::{Engine, PushRequest, RepoCheck, RepoOptions, Trigger};
use hhsync_engine::error::{Error, Result};
use hhsync_engine::git::AuthMethod;
use hhsync_engine::secrets::Secret;
use hhsync_engine::store::RepoAuthRow;
use hhsync_engine::watch::{watch, WatchEvent, WatchOptions};

pub fn token_from(stdin: bool, env: Option<&str>) -> Result<Option<Secret>> {
    match (stdin, env) {
        (true, _) => Secret::read_from(std::io::stdin().lock(), "standard input").map(Some),
        (false, Some(var)) => Secret::from_env(var).map(Some),
        (false, None) => Ok(None),
    }
}

fn repo_json(engine: &Engine, row: &RepoAuthRow) -> serde_json::Value {
    let created_at = engine.repos().ok().and_then(|all| all.into_iter().find(|r| r.id == row.id)).map(|r| r.created_at);
    json!({
        "id": row.id, "name": row.name, "url": row.url, "branch": row.branch, "clone_dir": row.clone_dir,
        "created_at": created_at, "auth": row.auth, "api_url": row.api_url, "ssh_key": row.ssh_key,
    })
}

/// `hhsync repo add|login|logout|check|webhook-secret`; `None` for the other repo commands.
pub fn repo(engine: &Engine, json: bool, command: &RepoCommand) -> Option<Result<Done>> {
    let result = match command {
        RepoCommand::Add { name, url, branch, auth, token, api_url, ssh_key } => add(engine, json, name, url, branch, auth.as_deref(), token, api_url, ssh_key),
        RepoCommand::Login { name, token } => login(engine, json, name, token),
        RepoCommand::Logout { name } => engine.logout(name).map(|had| {
            if json {
                emit(&json!({"repository": name, "removed": had}));
            } else if had {
                println!("removed the token of repository {name} from the system keychain");
            } else {
                println!("repository {name} had no token in the system keychain");
            }
            Done::Ok
        }),
        RepoCommand::Check { name } => engine.check_repo(name).map(|c| check(json, &c)),
        RepoCommand::WebhookSecret { name, secret_stdin, secret_env } => token_from(*secret_stdin, secret_env.as_deref())
            .and_then(|s| s.ok_or_else(|| Error::InvalidInput("give --secret-stdin or --secret-env VAR".to_owned())))
            .and_then(|secret| engine.set_webhook_secret(name, &secret))
            .map(|()| {
                if json {
                    emit(&json!({"repository": name, "webhook_secret": "stored"}));
                } else {
                    println!("stored the webhook secret of repository {name} in the system keychain");
                }
                Done::Ok
            }),
        _ => return None,
    };
    Some(result)
}

#[allow(clippy::too_many_arguments)]
fn add(
    engine: &Engine,
    json: bool,
    name: &str,
    url: &str,
    branch: &str,
    auth: Option<&str>,
    token: &TokenSource,
    api_url: &Option<String>,
    ssh_key: &Option<std::path::PathBuf>,
) -> Result<Done> {
    let secret = token_from(token.token_stdin, token.token_env.as_deref())?;
    let auth = match auth {
        Some(a) => AuthMethod::parse(a).ok_or_else(|| Error::InvalidInput(format!("--auth {a}: use none, token or ssh")))?,
        None if secret.is_some() => AuthMethod::Token,
        None if ssh_key.is_some() => AuthMethod::Ssh,
        None => AuthMethod::None,
    };
    let options = RepoOptions { branch: branch.to_owned(), auth, token: secret, api_url: api_url.clone(), ssh_key: ssh_key.clone() };
    let row = engine.add_repo_with(name, url, options)?;
    let row = engine.repo_auth(&row.name)?;
    if json {
        emit(&repo_json(engine, &row));
    } else {
        let how = match row.auth {
            AuthMethod::None => String::new(),
            AuthMethod::Token => ", token in the system keychain".to_owned(),
            AuthMethod::Ssh => format!(", ssh with {}", row.ssh_key.as_deref().unwrap_or("the agent's keys")),
        };
        println!("added repository {} ({} branch {}{how})", row.name, row.url, row.branch);
    }
    Ok(Done::Ok)
}

fn login(engine: &Engine, json: bool, name: &str, token: &RequiredTokenSource) -> Result<Done> {
    let secret = token_from(token.token_stdin, token.token_env.as_deref())?
        .ok_or_else(|| Error::InvalidInput("give --token-stdin or --token-env VAR".to_owned()))?;
    let row = engine.login(name, &secret)?;
    if json {
        emit(&repo_json(engine, &row));
    } else {
        println!("stored the token of repository {name} in the system keychain; check it with `hhsync repo check {name}`");
    }
    Ok(Done::Ok)
}

fn check(json: bool, c: &RepoCheck) -> Done {
    if json {
        emit(c);
    } else {
        let yes = |b: bool| if b { "yes" } else { "no" };
        println!("repository {} ({} branch {}, auth {})", c.repository, c.url, c.branch, c.auth.as_str());
        println!("reachable:      {}", yes(c.reachable));
        println!("authenticated:  {}", yes(c.authenticated));
        if c.authenticated {
            println!("branch:         {}", c.branch_tip.as_deref().map(|t| format!("at {}", short(Some(t)))).unwrap_or_else(|| "missing".to_owned()));
        }
        match (c.can_push, &c.push_checked_with) {
            (Some(p), Some(via)) => println!("may push:       {} (checked with {via})", yes(p)),
            _ => println!("may push:       unknown"),
        }
        for p in &c.problems {
            println!("problem: {}", p.message);
        }
    }
    if c.ok() {
        Done::Ok
    } else {
        Done::Attention
    }
}

/// `hhsync push`, opening a pull request from the pushed branch with `--pr`.
pub fn push(engine: &Engine, json: bool, fabric: &str, mut request: PushRequest, pr: bool, title: Option<&str>, body: Option<&str>) -> Result<Done> {
    if pr && request.branch.is_none() {
        request.branch = Some(String::new());
    }
    let report = engine.push(fabric, &request, Trigger::Cli)?;
    if !pr {
        return super::print::push(json, &report);
    }
    if report.commit.is_none() || report.proposal_id.is_none() {
        return Err(Error::InvalidInput(format!("nothing was pushed to a branch for fabric {fabric}, so no pull request was opened")));
    }
    let opened = engine.open_pull_request(fabric, &report.branch, title, body, Trigger::Cli);
    let pull = match opened {
        Ok(p) => p,
        Err(e) => {
            // The branch is pushed and the drafts are proposed; only the pull request is missing.
            eprintln!("pushed commit {} to branch {}, but the pull request could not be opened", short(report.commit.as_deref()), report.branch);
            return Err(e);
        }
    };
    if json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("pull_request".to_owned(), serde_json::to_value(&pull).unwrap_or_default());
        }
        emit(&value);
    } else {
        for p in &report.pushed {
            println!("{:<9} {}/{}", p.change, p.kind, p.name);
        }
        println!("pushed commit {} to branch {}; opened pull request #{} into {}:", short(report.commit.as_deref()), report.branch, pull.number, pull.base);
        println!("{}", pull.url);
    }
    Ok(Done::Ok)
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// `hhsync watch`: until SIGINT or SIGTERM. Events go to stdout as lines (or, with --json, to
/// stderr as JSON lines, and stdout gets one summary document at the end).
pub fn watch_command(engine: &Engine, json: bool, fabric: &str, interval: Option<u64>, webhook_port: Option<u16>) -> Result<Done> {
    let interval = match interval {
        Some(s) => s,
        None => engine
            .settings()?
            .into_iter()
            .find(|(k, _)| k == "watch.interval")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .filter(|s| *s > 0)
            .unwrap_or(60),
    };
    let mut options = WatchOptions::new(Duration::from_secs(interval));
    options.webhook_port = webhook_port;
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
    }
    let summary = watch(engine, fabric, &options, &STOP, |event| {
        if json {
            if let Ok(line) = serde_json::to_string(event) {
                eprintln!("{line}");
            }
        } else {
            print_event(event);
        }
    })?;
    if json {
        emit(&summary);
    } else {
        println!(
            "stopped watching {}: {} check(s), {} pull(s), {} failure(s), webhooks {} accepted / {} ignored / {} rejected",
            summary.fabric, summary.checks, summary.pulls, summary.failures, summary.webhooks_accepted, summary.webhooks_ignored, summary.webhooks_rejected
        );
    }
    Ok(Done::Ok)
}

fn print_event(event: &WatchEvent) {
    use std::io::Write;
    match event {
        WatchEvent::Started { fabric, branch, interval_secs, webhook_port } => {
            let hook = webhook_port.map(|p| format!("; webhooks on http://127.0.0.1:{p}/")).unwrap_or_default();
            println!("watching {fabric} (branch {branch}) every {interval_secs} s{hook}; Ctrl-C stops");
        }
        WatchEvent::UpToDate { .. } => {}
        WatchEvent::Pulled { trigger, report } => {
            let c = &report.counts;
            println!(
                "pulled ({trigger}) {} -> {}: {} added, {} changed, {} deleted{}",
                short(report.commit_before.as_deref()),
                short(report.commit_after.as_deref()),
                c.added,
                c.changed,
                c.deleted,
                if c.conflicts > 0 { format!(", {} conflict(s)", c.conflicts) } else { String::new() }
            );
        }
        WatchEvent::Failed { message, retry_in_secs, .. } => println!("check failed: {message}; next try in {retry_in_secs} s"),
        WatchEvent::Webhook { delivery } => match delivery {
            hhsync_engine::watch::Delivery::Accepted { .. } => println!("webhook: push accepted"),
            hhsync_engine::watch::Delivery::Ignored { reason } => println!("webhook ignored: {reason}"),
            hhsync_engine::watch::Delivery::Rejected { reason } => println!("webhook rejected: {reason}"),
        },
        WatchEvent::PullRequests { open, merged, abandoned } => {
            println!("pull requests: {open} open, {merged} merged, {abandoned} abandoned")
        }
    }
    let _ = std::io::stdout().flush();
}
