//! The operation runner through the engine API, with real threads: each operation has its own
//! cancel token, so cancelling one fabric's operation never stops another's (issue H; before,
//! one engine-wide flag was shared, reset by every start and cleared by every check).

mod common;

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use common::{sample, Env};
use hhsync_engine::engine::{Engine, ProgressEvent};
use hhsync_engine::{Code, Trigger};

/// Which fabrics have reached their cancellable planning step.
#[derive(Default)]
struct Reached {
    fabrics: Mutex<Vec<String>>,
    changed: Condvar,
}

impl Reached {
    fn mark(&self, fabric: &str) {
        self.fabrics.lock().unwrap().push(fabric.to_owned());
        self.changed.notify_all();
    }

    /// Waits (bounded) until `fabric` has reached its step.
    fn wait_for(&self, fabric: &str) -> bool {
        let guard = self.fabrics.lock().unwrap();
        let (guard, _) = self.changed.wait_timeout_while(guard, Duration::from_secs(30), |f| !f.iter().any(|x| x == fabric)).unwrap();
        guard.iter().any(|x| x == fabric)
    }
}

#[test]
fn cancelling_one_fabrics_operation_leaves_the_other_to_finish() {
    let env = Env::new();
    let raw = sample("raw__prepop.yaml");
    let one = env.remote_with("one", &[("fab/raw/prepop.yaml", &raw)]);
    let two = env.remote_with("two", &[("fab/raw/prepop.yaml", &raw)]);
    env.setup_fabric(&one, "r1", "a", "fab");
    env.setup_fabric(&two, "r2", "b", "fab");

    let reached = Arc::new(Reached::default());
    let engine_slot: Arc<Mutex<Option<Engine>>> = Arc::default();
    let sink = {
        let (reached, slot) = (reached.clone(), engine_slot.clone());
        Arc::new(move |e: ProgressEvent| {
            if e.operation != hhsync_engine::engine::OperationKind::Ingest || !e.step.starts_with("Sorting") {
                return;
            }
            reached.mark(&e.fabric);
            if e.fabric == "a" {
                // Both are planning at once; now cancel a's operation, by its id.
                assert!(reached.wait_for("b"), "b never started while a was running");
                let engine = slot.lock().unwrap().clone().unwrap();
                assert!(engine.cancel_operation(e.operation_id, None), "a's operation is running");
            }
        })
    };
    let engine = Engine::open(&env.data_dir()).unwrap().with_progress(sink);
    *engine_slot.lock().unwrap() = Some(engine.clone());

    let (ea, eb) = (engine.clone(), engine.clone());
    let a = std::thread::spawn(move || ea.ingest("a", false, Trigger::Cli));
    let b = std::thread::spawn(move || eb.ingest("b", false, Trigger::Cli));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());

    let err = a.expect_err("a was cancelled");
    assert_eq!(err.code(), Code::Cancelled, "{err}");
    let report = b.expect("b finished although a was cancelled");
    assert!(report.commit.is_some(), "b committed its ingest");
    assert_eq!(env.ls(&two, "fab/managed/switches").iter().filter(|f| f.ends_with(".yaml")).count(), 7);
    assert!(env.ls(&one, "fab/managed/switches").iter().all(|f| !f.ends_with(".yaml")), "a committed nothing");

    // The audit trail: a failed with the code cancelled, b succeeded; nothing left running.
    let log_a = env.json(0, &["log", "a"]);
    assert_eq!(log_a[0]["kind"], "ingest");
    assert_eq!((log_a[0]["status"].as_str(), log_a[0]["error_code"].as_str()), (Some("failed"), Some("cancelled")), "{log_a}");
    let log_b = env.json(0, &["log", "b"]);
    assert!(matches!(log_b[0]["status"].as_str(), Some("succeeded" | "attention")), "{log_b}");
    // And a cancel for an operation that is not running is a no-op.
    assert!(!engine.cancel_operation(Some(999_999), None));
}
