//! Change detection through the real `hhsync watch`: the poller notices a commit made by
//! another clone within its interval and pulls it; the webhook receiver accepts a correctly
//! signed push for the fabric's branch and rejects unsigned, wrongly signed and replayed
//! (signature of another body, or the same delivery under a new id) requests, a push to another
//! branch does nothing, and a client trickling its request neither delays other deliveries nor
//! keeps `watch` from stopping. The poller and manual pulls in another process never run at
//! once on one fabric (checked on the recorded start and end of every pull; taking the lock
//! away from polls makes it fail).

mod common;
#[path = "common/keyring.rs"]
mod keyring;
#[path = "common/watch_process.rs"]
mod watch_process;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Env;
use hhsync_engine::secrets::Secret;
use hhsync_engine::watch::webhook::sign;
use serde_json::Value;
use watch_process::{post, Watch};

const VLANS: &str = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: extra\nspec:\n  ranges:\n  - from: 1000\n    to: 1999\n";
const WEBHOOK_SECRET: &str = "whsec_0123456789abcdefFEDCBA9876543210";

/// Waits (at most 30 s) until the fabric's synced commit is `commit`.
fn wait_synced(env: &Env, commit: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = env.json(0, &["status", "f"]);
        if status["synced_commit"] == commit {
            return;
        }
        assert!(Instant::now() < deadline, "the fabric did not reach {commit} within 30 s: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A fabric on a new remote, and `hhsync watch` polling it every second, started.
fn polled_fabric(env: &Env) -> (std::path::PathBuf, Watch) {
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    let watch = Watch::start(env, &["watch", "f", "--interval", "1"]);
    watch.wait_line("the start line", |l| l.starts_with("watching f"));
    (remote, watch)
}

#[test]
fn the_poller_pulls_a_commit_made_by_another_clone() {
    let env = Env::new();
    let (remote, watch) = polled_fabric(&env);

    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fab/managed/vlannamespaces/extra.yaml", VLANS);
    env.commit_push(&work, "colleague adds a VLAN namespace");
    let head = env.head(&remote);
    wait_synced(&env, &head);
    watch.wait_line("the pull line", |l| l.starts_with("pulled (poll)") && l.contains("1 added"));
    let log = env.json(0, &["log", "f", "--limit", "1"]);
    assert_eq!((log[0]["kind"].as_str(), log[0]["trigger"].as_str()), (Some("pull"), Some("poll")), "{log}");
    assert_eq!(env.json(0, &["show", "f", "VLANNamespace/extra"])["status"], "synced");
    let out = watch.stop();
    assert!(out.contains("stopped watching f") && out.contains("1 pull(s)"), "{out}");
}

#[test]
fn the_poller_backs_off_while_the_remote_is_away_and_says_offline() {
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    let away = env.path("away.git");
    std::fs::rename(&remote, &away).unwrap();
    let watch = Watch::start(&env, &["watch", "f", "--interval", "1"]);
    let failed = watch.wait_line("a failed check", |l| l.starts_with("check failed"));
    assert!(failed.contains("cannot reach") && failed.contains("next try in 2 s"), "{failed}");
    watch.wait_line("a backed-off retry", |l| l.contains("next try in 4 s"));
    assert_eq!(env.json(0, &["status", "f"])["offline"], true);
    std::fs::rename(&away, &remote).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while env.json(0, &["status", "f"])["offline"] == true {
        assert!(Instant::now() < deadline, "status still says offline");
        std::thread::sleep(Duration::from_millis(200));
    }
    // One `poll` operation per change of connectivity, not one per check.
    let log = env.json(0, &["log", "f"]);
    let polls: Vec<&str> = log.as_array().unwrap().iter().filter(|o| o["kind"] == "poll").map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(polls, ["succeeded", "failed"], "{log}");
    watch.stop();
}


#[test]
fn webhooks_are_verified_and_a_signed_push_for_the_branch_pulls() {
    if !keyring::available("webhooks_are_verified_and_a_signed_push_for_the_branch_pulls") {
        return;
    }
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    // Without a secret the receiver is refused: webhooks are never taken unsigned.
    let err = env.fail(1, &["watch", "f", "--webhook-port", "0"]);
    assert!(err.contains("no webhook secret"), "{err}");
    env.run_with_input(0, &["repo", "webhook-secret", "r", "--secret-stdin"], WEBHOOK_SECRET);

    let watch = Watch::start(&env, &["--json", "watch", "f", "--interval", "3600", "--webhook-port", "0"]);
    let started: Value = serde_json::from_str(&watch.wait_line("the start event", |l| l.contains("\"started\""))).unwrap();
    let port = started["webhook_port"].as_u64().unwrap() as u16;
    let before = env.json(0, &["status", "f"])["synced_commit"].clone();

    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fab/managed/vlannamespaces/extra.yaml", VLANS);
    env.commit_push(&work, "colleague adds a VLAN namespace");
    let head = env.head(&remote);

    let secret = Secret::new(WEBHOOK_SECRET.to_owned()).unwrap();
    let push_main = format!(r#"{{"ref":"refs/heads/main","after":"{head}","repository":{{"full_name":"acme/fabric"}}}}"#);
    let push_other = format!(r#"{{"ref":"refs/heads/feature","after":"{head}"}}"#);
    let good = sign(&secret, push_main.as_bytes());

    assert_eq!(post(port, "push", None, "d-1", &push_main).0, 401, "unsigned");
    let wrong = sign(&Secret::new("another secret".into()).unwrap(), push_main.as_bytes());
    assert_eq!(post(port, "push", Some(&wrong), "d-2", &push_main).0, 401, "wrong secret");
    assert_eq!(post(port, "push", Some(&good), "d-3", &push_other).0, 401, "replayed with another body");
    let (status, text) = post(port, "push", Some(&sign(&secret, push_other.as_bytes())), "d-4", &push_other);
    assert_eq!((status, text.trim()), (200, "ignored: push to refs/heads/feature, not to main"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(env.json(0, &["status", "f"])["synced_commit"], before, "nothing pulled for other branches or bad requests");

    assert_eq!(post(port, "push", Some(&good), "d-5", &push_main).0, 202);
    wait_synced(&env, &head);
    let log = env.json(0, &["log", "f", "--limit", "1"]);
    assert_eq!((log[0]["kind"].as_str(), log[0]["trigger"].as_str()), (Some("pull"), Some("webhook")), "{log}");
    assert_eq!(post(port, "push", Some(&good), "d-5", &push_main).0, 200, "a repeated delivery is ignored");

    let summary: Value = serde_json::from_str(&watch.stop()).expect("one JSON summary on stdout");
    assert_eq!(
        (summary["webhooks_accepted"].as_u64(), summary["webhooks_rejected"].as_u64(), summary["webhooks_ignored"].as_u64(), summary["pulls"].as_u64()),
        (Some(1), Some(3), Some(2), Some(1)),
        "{summary}"
    );
}

/// A watch with a webhook receiver and a secret; its port.
fn watch_with_webhooks(env: &Env) -> (Watch, u16) {
    env.run_with_input(0, &["repo", "webhook-secret", "r", "--secret-stdin"], WEBHOOK_SECRET);
    let watch = Watch::start(env, &["--json", "watch", "f", "--interval", "3600", "--webhook-port", "0"]);
    let started: Value = serde_json::from_str(&watch.wait_line("the start event", |l| l.contains("\"started\""))).unwrap();
    let port = started["webhook_port"].as_u64().unwrap() as u16;
    (watch, port)
}

fn signed_push(head: &str) -> (String, String) {
    let body = format!(r#"{{"ref":"refs/heads/main","after":"{head}","repository":{{"full_name":"acme/fabric"}}}}"#);
    let signature = sign(&Secret::new(WEBHOOK_SECRET.to_owned()).unwrap(), body.as_bytes());
    (body, signature)
}

#[test]
fn a_replayed_delivery_under_a_new_id_pulls_nothing() {
    // Regression (issue K): the signature does not cover X-GitHub-Delivery, so a captured
    // delivery sent again under a new id was accepted and pulled.
    if !keyring::available("a_replayed_delivery_under_a_new_id_pulls_nothing") {
        return;
    }
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    let (watch, port) = watch_with_webhooks(&env);
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fab/managed/vlannamespaces/extra.yaml", VLANS);
    env.commit_push(&work, "colleague adds a VLAN namespace");
    let first = env.head(&remote);
    let (body, signature) = signed_push(&first);
    assert_eq!(post(port, "push", Some(&signature), "d-1", &body).0, 202);
    wait_synced(&env, &first);

    // Another commit lands, with no webhook for it: only a new pull would bring it.
    env.write(&work, "notes.txt", "later\n");
    env.commit_push(&work, "colleague, later");
    let (status, text) = post(port, "push", Some(&signature), "d-2", &body);
    assert_eq!((status, text.contains("replayed")), (409, true), "{text}");
    let (status, text) = post(port, "push", Some(&signature), "d-1", &body);
    assert_eq!(status, 200, "GitHub's own redelivery (same id) is ignored: {text}");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(env.json(0, &["status", "f"])["synced_commit"], first.as_str(), "the replay pulled nothing");
    let log = env.json(0, &["log", "f"]);
    let webhook_pulls = log.as_array().unwrap().iter().filter(|o| o["kind"] == "pull" && o["trigger"] == "webhook").count();
    assert_eq!(webhook_pulls, 1, "{log}");

    let summary: Value = serde_json::from_str(&watch.stop()).expect("one JSON summary on stdout");
    assert_eq!(
        (summary["webhooks_accepted"].as_u64(), summary["webhooks_rejected"].as_u64(), summary["webhooks_ignored"].as_u64(), summary["pulls"].as_u64()),
        (Some(1), Some(1), Some(1), Some(1)),
        "{summary}"
    );
}

/// A client that announces a 100,000-byte body and sends one byte a second (or, with
/// `head_only`, its headers a byte a second), for at most 40 s or until `done` is set.
fn trickle(port: u16, head_only: bool, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect the slow client");
    let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: push\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
    let (sent, rest) = if head_only { ("P", &head[1..]) } else { (head, "{\"ref\":\"refs/heads/main\"") };
    stream.write_all(sent.as_bytes()).expect("the slow client's first bytes");
    std::thread::spawn(move || {
        for byte in rest.bytes().take(40) {
            for _ in 0..10 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if stream.write_all(&[byte]).is_err() {
                return;
            }
        }
    })
}

#[test]
fn a_slow_client_neither_delays_a_signed_delivery_nor_keeps_watch_from_stopping() {
    // Regression (issue K): one client sending `Content-Length: 100000` and then a byte a
    // second held the only receiving thread: valid deliveries waited past GitHub's 10 s, and
    // SIGTERM waited for that client.
    if !keyring::available("a_slow_client_neither_delays_a_signed_delivery_nor_keeps_watch_from_stopping") {
        return;
    }
    let env = Env::new();
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    env.setup_fabric(&remote, "r", "f", "fab");
    let (watch, port) = watch_with_webhooks(&env);
    let done = Arc::new(AtomicBool::new(false));
    let mut slow = vec![trickle(port, false, done.clone()), trickle(port, true, done.clone())];
    std::thread::sleep(Duration::from_millis(300));

    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "fab/managed/vlannamespaces/extra.yaml", VLANS);
    env.commit_push(&work, "colleague adds a VLAN namespace");
    let head = env.head(&remote);
    let (body, signature) = signed_push(&head);
    let sent = Instant::now();
    assert_eq!(post(port, "push", Some(&signature), "d-1", &body).0, 202);
    assert!(sent.elapsed() < Duration::from_secs(3), "answered after {:?}", sent.elapsed());
    wait_synced(&env, &head);

    // A fresh slow client (its 10 s allowance barely begun) is connected when SIGTERM comes.
    slow.push(trickle(port, false, done.clone()));
    std::thread::sleep(Duration::from_millis(300));
    let summary: Value = serde_json::from_str(&watch.terminate(Duration::from_secs(3))).expect("one JSON summary on stdout");
    assert_eq!((summary["webhooks_accepted"].as_u64(), summary["pulls"].as_u64()), (Some(1), Some(1)), "{summary}");
    done.store(true, Ordering::SeqCst);
    for client in slow {
        client.join().unwrap();
    }
}

/// Every pull in fabric `f`'s log, oldest first: (trigger, status, started, finished).
fn pulls(env: &Env) -> Vec<(String, String, time::OffsetDateTime, time::OffsetDateTime)> {
    use time::format_description::well_known::Rfc3339;
    let time = |v: &Value| time::OffsetDateTime::parse(v.as_str().unwrap_or_default(), &Rfc3339);
    let log = env.json(0, &["log", "f", "--limit", "100000"]);
    let mut rows: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "pull")
        .map(|o| {
            let (trigger, status) = (o["trigger"].as_str().unwrap().to_owned(), o["status"].as_str().unwrap().to_owned());
            let end = time(&o["finished_at"]).unwrap_or_else(|_| panic!("a {trigger} pull still shows as {status}"));
            (trigger, status, time(&o["started_at"]).unwrap(), end)
        })
        .collect();
    rows.reverse(); // the log is newest first
    rows
}

#[test]
fn the_poller_and_manual_pulls_never_run_at_once() {
    // `hhsync watch` polls every second while a colleague pushes a commit every 150 ms and
    // another process pulls by hand in a loop. Each pull is recorded, start to end, under the
    // fabric's lock: no two may overlap, and both kinds must have run. (Every fourth commit is
    // left to the poller for a while, so that it finds news however the pulls by hand fall.)
    let env = Env::new();
    let (remote, watch) = polled_fabric(&env);

    let work = env.other_clone(&remote, "colleague");
    let mut made = 0;
    let mut manual = (0, 0); // (pulled, busy)
    let started = Instant::now();
    let polled = || pulls(&env).iter().filter(|p| p.0 == "poll").count();
    while started.elapsed() < Duration::from_secs(8) || manual.0 < 5 || polled() < 2 {
        assert!(started.elapsed() < Duration::from_secs(60), "within a minute: {manual:?} by hand, {} by the poller", polled());
        made += 1;
        env.write(&work, &format!("fab/managed/vlannamespaces/ns-{made}.yaml"), &VLANS.replace("name: extra", &format!("name: ns-{made}")));
        env.commit_push(&work, &format!("colleague adds ns-{made}"));
        if made % 4 == 0 {
            std::thread::sleep(Duration::from_millis(1200));
        }
        let out = env.hhsync(&["pull", "f"]);
        match out.status.code() {
            Some(0) => manual.0 += 1,
            _ if String::from_utf8_lossy(&out.stderr).contains("busy") => manual.1 += 1,
            code => panic!("pull: {code:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    // The poller takes the last commits; then one more manual pull finds nothing new.
    let head = env.head(&remote);
    made += 1;
    env.write(&work, &format!("fab/managed/vlannamespaces/ns-{made}.yaml"), &VLANS.replace("name: extra", &format!("name: ns-{made}")));
    env.commit_push(&work, "the last one, for the poller");
    let last = env.head(&remote);
    assert_ne!(head, last);
    wait_synced(&env, &last);
    let out = watch.stop();
    assert!(out.contains("stopped watching f"), "{out}");

    let pulls = pulls(&env);
    let by = |t: &str| pulls.iter().filter(|p| p.0 == t).count();
    // (a pull refused as busy never started, so it is not recorded)
    assert!(by("poll") >= 2 && by("cli") == manual.0, "poll {} cli {} of {manual:?}", by("poll"), by("cli"));
    let mut spans: Vec<_> = pulls.iter().map(|p| (p.2, p.3, p.0.as_str(), p.1.as_str())).collect();
    spans.sort();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "two pulls ran at once: {:?} and {:?}", pair[0], pair[1]);
    }
    assert!(pulls.iter().all(|p| p.1 == "succeeded"), "{pulls:?}");
    let status = env.json(0, &["status", "f"]);
    assert_eq!((status["synced_commit"].as_str(), status["counts"]["synced"].as_u64()), (Some(last.as_str()), Some(made as u64)), "{status}");
    println!("{} pulls by the poller and {} by hand ({} of them busy), {made} commits, none at once", by("poll"), manual.0, manual.1);
}
