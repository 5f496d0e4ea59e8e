//! The watch loop: every interval, list the remote's refs (ls-remote: no fetch, no API quota)
//! and pull when the fabric's branch moved; a signed webhook push wakes it at once. Failures
//! back off (doubling, capped) and are reported, never fatal; a burst of webhook pushes
//! collapses into one pull. Open pull requests are looked at now and then, so a merge or a
//! close on GitHub reaches the proposals.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::webhook::{Delivery, Gate, WebhookServer};
use crate::engine::{Engine, PullReport, Trigger};
use crate::error::{Code, Error, Result};

/// How to watch.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub interval: Duration,
    /// Listen for GitHub push webhooks on 127.0.0.1 at this port (0: any free port).
    pub webhook_port: Option<u16>,
    /// The longest wait between checks while the remote keeps failing.
    pub max_backoff: Duration,
    /// How often to look at open pull requests (GitHub API); `None`: never.
    pub pr_refresh: Option<Duration>,
}

impl WatchOptions {
    pub fn new(interval: Duration) -> Self {
        Self { interval, webhook_port: None, max_backoff: Duration::from_secs(600), pr_refresh: Some(Duration::from_secs(300)) }
    }
}

/// What the watcher saw, as it happens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum WatchEvent {
    Started { fabric: String, branch: String, interval_secs: u64, webhook_port: Option<u16> },
    /// The remote's branch is where the fabric is: nothing to do.
    UpToDate { tip: Option<String> },
    Pulled { trigger: String, report: PullReport },
    Failed { code: Code, message: String, retry_in_secs: u64 },
    Webhook { delivery: Delivery },
    PullRequests { open: usize, merged: usize, abandoned: usize },
}

/// Totals when the watcher stops.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WatchSummary {
    pub fabric: String,
    pub checks: u64,
    pub pulls: u64,
    pub failures: u64,
    pub webhooks_accepted: u64,
    pub webhooks_ignored: u64,
    pub webhooks_rejected: u64,
}

/// The wait after `failures` failures in a row: the interval doubled each time, capped.
pub fn backoff(interval: Duration, max: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let factor = 1u32 << failures.min(16);
    interval.saturating_mul(factor).min(max.max(interval))
}

/// Watches `fabric` until `stop` is set, reporting each event to `on_event`.
pub fn watch(engine: &Engine, fabric: &str, options: &WatchOptions, stop: &AtomicBool, mut on_event: impl FnMut(&WatchEvent)) -> Result<WatchSummary> {
    let (repository, branch) = engine.fabric_repository(fabric)?;
    let (tx, rx) = mpsc::channel::<Delivery>();
    let server = match options.webhook_port {
        Some(port) => {
            let secret = engine.webhook_secret(&repository)?.ok_or_else(|| {
                Error::InvalidInput(format!(
                    "no webhook secret for repository {repository}: store one with `hhsync repo webhook-secret {repository} --secret-stdin` \
                     (the same secret goes to GitHub or `gh webhook forward --secret`)"
                ))
            })?;
            Some(WebhookServer::start(port, Gate::new(secret, &branch), tx)?)
        }
        None => None,
    };
    let mut summary = WatchSummary { fabric: fabric.to_owned(), ..WatchSummary::default() };
    on_event(&WatchEvent::Started {
        fabric: fabric.to_owned(),
        branch: branch.clone(),
        interval_secs: options.interval.as_secs(),
        webhook_port: server.as_ref().map(WebhookServer::port),
    });
    let mut failures = 0u32;
    let mut next_check = Instant::now();
    let mut next_pr_check = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        // Wait for the next check, waking early for a webhook or a stop.
        let mut woken = false;
        let wait = next_check.saturating_duration_since(Instant::now()).min(Duration::from_millis(200));
        if let Ok(delivery) = rx.recv_timeout(wait) {
            woken |= note(&delivery, &mut summary, &mut on_event);
            while let Ok(more) = rx.try_recv() {
                woken |= note(&more, &mut summary, &mut on_event);
            }
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if !woken && Instant::now() < next_check {
            continue;
        }
        summary.checks += 1;
        let trigger = if woken { Trigger::Webhook } else { Trigger::Poll };
        match check_once(engine, fabric, trigger) {
            Ok(Some(report)) => {
                failures = 0;
                summary.pulls += 1;
                on_event(&WatchEvent::Pulled { trigger: trigger.as_str().to_owned(), report });
                next_check = Instant::now() + options.interval;
            }
            Ok(None) => {
                failures = 0;
                let tip = engine.synced_commit(fabric).ok().flatten();
                on_event(&WatchEvent::UpToDate { tip });
                next_check = Instant::now() + options.interval;
            }
            Err(e) => {
                // Another hhsync working on the fabric is not the remote failing.
                if e.code() != Code::Busy {
                    failures += 1;
                }
                summary.failures += 1;
                let delay = backoff(options.interval, options.max_backoff, failures);
                on_event(&WatchEvent::Failed { code: e.code(), message: e.to_string(), retry_in_secs: delay.as_secs() });
                next_check = Instant::now() + delay;
            }
        }
        if let Some(every) = options.pr_refresh {
            if Instant::now() >= next_pr_check && failures == 0 {
                next_pr_check = Instant::now() + every;
                refresh_pull_requests(engine, fabric, &mut on_event);
            }
        }
    }
    drop(server);
    Ok(summary)
}

/// Counts a webhook decision; true when it asks for a pull.
fn note(delivery: &Delivery, summary: &mut WatchSummary, on_event: &mut impl FnMut(&WatchEvent)) -> bool {
    match delivery {
        Delivery::Accepted { .. } => summary.webhooks_accepted += 1,
        Delivery::Ignored { .. } => summary.webhooks_ignored += 1,
        Delivery::Rejected { .. } => summary.webhooks_rejected += 1,
    }
    on_event(&WatchEvent::Webhook { delivery: delivery.clone() });
    matches!(delivery, Delivery::Accepted { .. })
}

/// One check: a webhook pull goes straight to pulling; a poll lists the remote's refs first
/// and pulls only when the branch moved. `None` when nothing moved.
fn check_once(engine: &Engine, fabric: &str, trigger: Trigger) -> Result<Option<PullReport>> {
    if trigger == Trigger::Poll {
        let tip = engine.remote_head(fabric).map_err(|e| engine.note_poll_failure(fabric, e))?;
        let synced = engine.synced_commit(fabric)?;
        if tip.is_some() && tip == synced {
            engine.note_poll_success(fabric)?;
            return Ok(None);
        }
    }
    let report = engine.pull(fabric, trigger)?;
    Ok((!report.up_to_date).then_some(report))
}

fn refresh_pull_requests(engine: &Engine, fabric: &str, on_event: &mut impl FnMut(&WatchEvent)) {
    let has_open = engine
        .proposal_views(fabric)
        .map(|v| v.iter().any(|p| p.proposal.state == crate::store::ProposalState::Open && p.proposal.pr_number.is_some()))
        .unwrap_or(false);
    if !has_open {
        return;
    }
    match engine.refresh_pull_requests(fabric, Trigger::Poll) {
        Ok(views) => {
            let count = |f: &dyn Fn(&crate::engine::ProposalView) -> bool| views.iter().filter(|v| f(v)).count();
            on_event(&WatchEvent::PullRequests {
                open: count(&|v| v.proposal.state == crate::store::ProposalState::Open),
                merged: count(&|v| v.pr_state.as_deref() == Some("merged")),
                abandoned: count(&|v| v.proposal.state == crate::store::ProposalState::Abandoned),
            });
        }
        Err(e) => on_event(&WatchEvent::Failed { code: e.code(), message: e.to_string(), retry_in_secs: 300 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(60), s(600), 0), s(60));
        assert_eq!(backoff(s(60), s(600), 1), s(120));
        assert_eq!(backoff(s(60), s(600), 3), s(480));
        assert_eq!(backoff(s(60), s(600), 9), s(600));
        assert_eq!(backoff(s(900), s(600), 2), s(900), "never shorter than the interval");
    }
}
