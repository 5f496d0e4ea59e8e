//! Incremental against full revalidation: random sequences of edits, deletes, renames, discards
//! and pulled changes on a small generated fabric whose resources reference and clash with each
//! other a lot (few switches, ports, VLANs and subnets to go round). After every step, every
//! resource's stored findings must equal what a full pass finds.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::store::{FabricRow, ResourceUpsert, ValidationInput};

/// The names each kind may take: few, so that references hit and miss and keys are shared.
const POOL: &[(Kind, &[&str])] = &[
    (Kind::SwitchGroup, &["g0", "g1"]),
    (Kind::Switch, &["sw0", "sw1", "sw2", "sw3"]),
    (Kind::Server, &["srv0", "srv1", "srv2"]),
    (Kind::Connection, &["c0", "c1", "c2", "c3", "c4", "c5"]),
    (Kind::IPv4Namespace, &["default", "ns1"]),
    (Kind::VLANNamespace, &["default", "ns1"]),
    (Kind::VPC, &["v0", "v1", "v2", "v3"]),
    (Kind::VPCAttachment, &["a0", "a1", "a2", "a3", "a4"]),
    (Kind::VPCPeering, &["p0", "p1"]),
    (Kind::External, &["e0", "e1"]),
    (Kind::ExternalAttachment, &["x0", "x1", "x2"]),
    (Kind::ExternalPeering, &["ep0", "ep1"]),
];

fn pick<'a>(names: &[&'a str], n: u32) -> &'a str {
    names[n as usize % names.len()]
}

fn names(kind: Kind) -> &'static [&'static str] {
    POOL.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n).unwrap_or_default()
}

/// One variant of `kind`/`name`, chosen by the bits of `v`.
fn document(kind: Kind, name: &str, v: u32) -> Value {
    let bit = |i: u32| (v >> i) & 1 == 1;
    let num = |i: u32, n: u32| (v >> i) % n;
    let switch = |i: u32| format!("{}/E1/{}{}", pick(names(Kind::Switch), num(i, 5)), 1 + num(i + 3, 2), if bit(i + 5) { "/1" } else { "" });
    let server = |i: u32| format!("{}/enp2s{}", pick(names(Kind::Server), num(i, 4)), num(i + 2, 2));
    let spec = match kind {
        Kind::SwitchGroup | Kind::Server | Kind::External if !bit(0) => json!({}),
        Kind::SwitchGroup | Kind::Server => json!({"description": "x"}),
        Kind::External => json!({"static": {"prefixes": ["0.0.0.0/0"]}}),
        Kind::Switch => json!({
            "role": (["spine", "server-leaf", "border-leaf"][num(0, 3) as usize]),
            "groups": [pick(&["g0", "g1", "g9"], num(2, 3))],
            "redundancy": if bit(4) { json!({"group": pick(&["g0", "g1"], num(5, 2)), "type": if bit(6) { "eslag" } else { "mclag" }}) } else { json!({}) },
        }),
        Kind::Connection => match num(0, 5) {
            0 => json!({"unbundled": {"link": {"server": {"port": server(3)}, "switch": {"port": switch(6)}}}}),
            1 => json!({"bundled": {"links": [{"server": {"port": server(3)}, "switch": {"port": switch(6)}},
                                                {"server": {"port": server(12)}, "switch": {"port": switch(14)}}]}}),
            2 => json!({"eslag": {"links": [{"server": {"port": server(3)}, "switch": {"port": switch(6)}},
                                              {"server": {"port": server(12)}, "switch": {"port": switch(14)}}]}}),
            3 => json!({"fabric": {"links": [{"spine": {"port": switch(3)}, "leaf": {"port": switch(9)}}]}}),
            _ => json!({"external": {"link": {"switch": {"port": switch(3)}}}}),
        },
        Kind::IPv4Namespace => json!({"subnets": [(["10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/20"][num(0, 3) as usize])]}),
        Kind::VLANNamespace => json!({"ranges": [{"from": 1000, "to": 1000 + num(0, 3)}]}),
        Kind::VPC => {
            let subnet = |i: u32| json!({
                "subnet": (["10.0.1.0/24", "10.0.2.0/24", "10.0.0.0/16", "10.1.1.0/24", "10.0.1.128/25"][num(i, 5) as usize]),
                "vlan": 999 + num(i + 3, 4),
            });
            let mut spec = json!({"subnets": {"default": subnet(0)}});
            if bit(5) {
                spec["subnets"]["s2"] = subnet(6);
            }
            if bit(11) {
                spec["ipv4Namespace"] = json!("ns1");
            }
            if bit(12) {
                spec["vlanNamespace"] = json!("ns1");
            }
            spec
        }
        Kind::VPCAttachment => json!({
            "subnet": format!("{}{}", pick(names(Kind::VPC), num(0, 5)), ["/default", "/s2", ""][num(3, 3) as usize]),
            "connection": pick(names(Kind::Connection), num(5, 7)),
            "nativeVLAN": bit(8),
        }),
        Kind::VPCPeering => json!({"permit": [{
            pick(names(Kind::VPC), num(0, 5)): {"subnets": [pick(&["default", "s2"], num(3, 2))]},
            pick(names(Kind::VPC), num(4, 5)): {},
        }]}),
        Kind::ExternalAttachment => {
            let holder = if bit(0) { "static" } else { "switch" };
            json!({
                "external": pick(names(Kind::External), num(1, 3)),
                "connection": pick(names(Kind::Connection), num(3, 7)),
                holder: {"vlan": 100 + num(6, 2)},
            })
        }
        Kind::ExternalPeering => json!({"permit": {
            "external": {"name": pick(names(Kind::External), num(0, 3))},
            "vpc": {"name": pick(names(Kind::VPC), num(2, 5)), "subnets": [pick(&["default", "s2"], num(5, 2))]},
        }}),
        Kind::SwitchProfile | Kind::ServerProfile => json!({}),
    };
    json!({"apiVersion": "x/v1beta1", "kind": kind.name(), "metadata": {"name": name}, "spec": spec})
}

struct Fabric {
    store: Store,
    conn: Connection,
    fabric: FabricRow,
    _dir: tempfile::TempDir,
}

impl Fabric {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let conn = store.connect().unwrap();
        let repo = store.insert_repo(&conn, "r", "/nowhere.git", "main", "clones/r").unwrap();
        let fabric = store.insert_fabric(&conn, "f", repo.id, "main", "f").unwrap();
        Self { store, conn, fabric, _dir: dir }
    }

    fn path(kind: Kind, name: &str) -> String {
        format!("f/managed/{}/{name}.yaml", kind.name())
    }

    /// What a pull that brings `kind`/`name` as `value` writes.
    fn pull(&self, kind: Kind, name: &str, value: &Value) {
        self.pull_as_input(kind, name, value);
    }

    /// [`Fabric::pull`], returning the resource as validation reads it (what an apply into an
    /// empty fabric hands to `revalidate_written`).
    fn pull_as_input(&self, kind: Kind, name: &str, value: &Value) -> ValidationInput {
        let upsert = ResourceUpsert {
            kind: kind.name().to_owned(),
            name: name.to_owned(),
            path: Self::path(kind, name),
            text: serde_json::to_string_pretty(value).unwrap(),
            value: value.clone(),
            blob: format!("{:x}", value.to_string().len()),
            commit: "c".to_owned(),
            legacy: false,
            document_issues: Vec::new(),
        };
        self.store.upsert_desired(&self.conn, self.fabric.id, &upsert).unwrap();
        let id = self.store.resource(&self.conn, self.fabric.id, &upsert.kind, &upsert.name).unwrap().unwrap().id;
        let issues = crate::store::issues_text(&upsert.document_issues);
        ValidationInput { id, kind: upsert.kind, name: upsert.name, value: upsert.value, document_issues: upsert.document_issues, issues }
    }

    fn edit(&self, kind: Kind, name: &str, value: &Value) {
        let text = serde_json::to_string_pretty(value).unwrap();
        self.store.save_draft(&self.conn, self.fabric.id, kind.name(), name, &text, value, &Vec::new(), "edit").unwrap();
    }

    /// As the engine deletes: a draft-only resource goes, one in Git is marked.
    fn delete(&self, kind: Kind, name: &str) {
        if let Some(row) = self.store.draft_row(&self.conn, self.fabric.id, kind.name(), name).unwrap() {
            if row.desired_text.is_none() {
                self.store.clear_draft(&self.conn, row.id).unwrap();
            } else {
                self.store.save_delete_marker(&self.conn, row.id, "edit").unwrap();
            }
        }
    }

    fn discard(&self, kind: Kind, name: &str) {
        if let Some(row) = self.store.draft_row(&self.conn, self.fabric.id, kind.name(), name).unwrap() {
            self.store.clear_draft(&self.conn, row.id).unwrap();
        }
    }

    fn value(&self, kind: Kind, name: &str) -> Option<Value> {
        let row = self.store.draft_row(&self.conn, self.fabric.id, kind.name(), name).unwrap()?;
        let text = row.draft_text.or(row.desired_text)?;
        serde_json::from_str(&text).ok()
    }

    fn revalidate(&self) -> Pass {
        revalidate(&self.store, &self.conn, self.fabric.id).unwrap()
    }

    /// Every resource whose stored findings differ from a full pass's, with both.
    fn disagreements(&self) -> Vec<String> {
        full_findings(&self.store, &self.conn, self.fabric.id)
            .unwrap()
            .into_iter()
            .filter(|(_, full, stored)| full != stored)
            .map(|(id, full, stored)| format!("resource {id}:\n  full:   {full}\n  stored: {stored}"))
            .collect()
    }
}

/// One step: `(kind, name, action, variant)`, all as numbers to pick with.
fn step(f: &Fabric, (k, n, action, v): (u32, u32, u32, u32)) -> String {
    let (kind, pool) = POOL[k as usize % POOL.len()];
    let name = pick(pool, n);
    match action % 8 {
        0 | 1 => f.edit(kind, name, &document(kind, name, v)),
        2 => f.delete(kind, name),
        3 => f.discard(kind, name),
        4 => f.pull(kind, name, &document(kind, name, v)),
        5 => {
            f.store.remove_desired_at(&f.conn, f.fabric.id, &Fabric::path(kind, name)).unwrap();
        }
        _ => {
            // A rename: the resource under a new name, and the old one deleted.
            let new_name = pick(pool, v);
            if let (Some(mut value), true) = (f.value(kind, name), new_name != name) {
                value["metadata"]["name"] = json!(new_name);
                f.edit(kind, new_name, &value);
                f.delete(kind, name);
            }
        }
    }
    format!("{kind}/{name} action {} variant {v}", action % 8)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("HHSYNC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_revalidation_finds_what_a_full_one_finds(
        seeds in prop::collection::vec(any::<u32>(), 40),
        steps in prop::collection::vec((any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()), 1..40),
    ) {
        let f = Fabric::new();
        let mut seed = seeds.iter().copied().cycle();
        let mut written = Vec::new();
        for (kind, pool) in POOL {
            for name in *pool {
                written.push(f.pull_as_input(*kind, name, &document(*kind, name, seed.next().unwrap())));
            }
        }
        // Half the cases start as an apply into an empty fabric does: the first pass is handed
        // what was written instead of reading it back (the checks below read the store).
        let first = if seeds[0] % 2 == 0 { revalidate_written(&f.store, &f.conn, f.fabric.id, Some(written)).unwrap() } else { f.revalidate() };
        prop_assert_eq!(first, Pass::Full);
        prop_assert!(f.disagreements().is_empty(), "after the first pass: {:?}", f.disagreements());
        let mut done = Vec::new();
        for s in steps {
            done.push(step(&f, s));
            let pass = f.revalidate();
            // A full pass only once deletes have shrunk the fabric to a handful.
            let small = f.store.resource_count(&f.conn, f.fabric.id).unwrap() < 16;
            prop_assert!(pass != Pass::Full || small, "{:?} after {:?}", pass, done);
            let wrong = f.disagreements();
            prop_assert!(wrong.is_empty(), "after {:?}:\n{}", done, wrong.join("\n"));
        }
    }
}

#[test]
fn a_change_validates_only_what_it_can_affect() {
    let f = Fabric::new();
    for i in 0..40 {
        f.pull(Kind::Server, &format!("srv{i}"), &document(Kind::Server, "x", 0));
    }
    for (kind, pool) in POOL {
        for name in *pool {
            f.pull(*kind, name, &document(*kind, name, 0));
        }
    }
    assert_eq!(f.revalidate(), Pass::Full);
    assert_eq!(f.revalidate(), Pass::Nothing, "nothing changed");
    // A server nothing names: itself only.
    f.edit(Kind::Server, "srv30", &document(Kind::Server, "srv30", 1));
    assert_eq!(f.revalidate(), Pass::Incremental { validated: 1 });
    // A switch group: itself and the switches in it.
    f.edit(Kind::SwitchGroup, "g0", &document(Kind::SwitchGroup, "g0", 1));
    assert_eq!(document(Kind::Switch, "sw0", 0)["spec"]["groups"], json!(["g0"]), "variant 0 puts every switch in g0");
    assert_eq!(f.revalidate(), Pass::Incremental { validated: 1 + 4 });
    assert!(f.disagreements().is_empty());
}

#[test]
fn a_full_pass_is_chosen_when_a_quarter_of_the_fabric_changed_counting_no_further() {
    let f = Fabric::new();
    for i in 0..8 {
        f.pull(Kind::Server, &format!("srv{i}"), &document(Kind::Server, "x", 0));
    }
    assert_eq!(f.revalidate(), Pass::Full);
    assert_eq!(f.store.resource_count(&f.conn, f.fabric.id).unwrap(), 8);
    assert_eq!(f.store.resource_count_up_to(&f.conn, f.fabric.id, 5).unwrap(), 5);
    assert_eq!(f.store.resource_count_up_to(&f.conn, f.fabric.id, 9).unwrap(), 8);
    // Two of eight changed: 2 × 4 ≥ 8, a full pass; one of eight: only what it affects.
    f.edit(Kind::Server, "srv1", &document(Kind::Server, "srv1", 1));
    f.edit(Kind::Server, "srv2", &document(Kind::Server, "srv2", 1));
    assert_eq!(f.revalidate(), Pass::Full);
    f.edit(Kind::Server, "srv3", &document(Kind::Server, "srv3", 1));
    assert_eq!(f.revalidate(), Pass::Incremental { validated: 1 });
    assert!(f.disagreements().is_empty());
}
