//! What a resource's fabric-wide findings (refs.rs) depend on, as keys an index can hold, so
//! that after a change only the resources it can affect are validated again
//! (`sync/revalidate.rs`).
//!
//! A resource's findings depend on the resources it names (a connection reads its switches'
//! roles, an attachment its VPC's subnets) and on the resources that share one of its
//! uniqueness keys (a port, a VLAN in a namespace, an attachment's connection, an overlapping
//! subnet). These keys mirror the reads of refs.rs: a read missed here would leave a finding
//! stale. Extra keys only cost time. The property test in `sync/revalidate_tests.rs` (incremental
//! against full revalidation after random edits, deletes and renames) keeps the two in step.

use serde_json::Value;

use super::connection::{self, Device};
use super::fields::text;
use super::refs::{external_attachment_vlan, port_keys, vpc_namespaces, vpc_subnet_prefix};
use super::rules::attachment_subnet;
use super::Kind;

/// What a key of the index stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyRole {
    /// The resource itself, `Kind/name`: what others reference.
    Name = 0,
    /// A resource this one reads, `Kind/name`.
    Ref = 1,
    /// A uniqueness key: resources sharing one are checked against each other.
    Share = 2,
    /// A subnet's addresses, `lo..=hi` in an IPv4 namespace (the key): resources whose ranges
    /// overlap are checked against each other.
    Range = 3,
}

impl KeyRole {
    pub fn from_i64(n: i64) -> Option<Self> {
        [Self::Name, Self::Ref, Self::Share, Self::Range].into_iter().find(|r| *r as i64 == n)
    }
}

/// One key of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DependencyKey {
    pub role: KeyRole,
    pub key: String,
    /// The range of a [`KeyRole::Range`] key (0 otherwise).
    pub lo: i64,
    pub hi: i64,
}

impl DependencyKey {
    fn new(role: KeyRole, key: String) -> Self {
        Self { role, key, lo: 0, hi: 0 }
    }

    /// The `Kind/name` key a resource is known by.
    pub fn name(kind: Kind, name: &str) -> Self {
        Self::new(KeyRole::Name, format!("{}/{name}", kind.name()))
    }
}

/// The keys of a resource of `kind` named `name` with value `doc`, sorted, without repeats.
pub fn dependency_keys(kind: Kind, name: &str, doc: &Value) -> Vec<DependencyKey> {
    let mut keys = vec![DependencyKey::name(kind, name)];
    let mut refer = |k: Kind, target: &str| {
        if !target.is_empty() {
            keys.push(DependencyKey::new(KeyRole::Ref, format!("{}/{target}", k.name())));
        }
    };
    let spec = doc.get("spec").unwrap_or(&Value::Null);
    let mut shares: Vec<String> = Vec::new();
    let mut ranges: Vec<(String, i64, i64)> = Vec::new();
    match kind {
        Kind::Switch => {
            for group in spec.get("groups").and_then(Value::as_array).into_iter().flatten() {
                refer(Kind::SwitchGroup, group.as_str().unwrap_or_default());
            }
            if let Some(g) = doc.pointer("/spec/redundancy/group").and_then(Value::as_str) {
                refer(Kind::SwitchGroup, g);
            }
        }
        Kind::Connection => {
            for port in connection::endpoints(doc).map(|e| e.ports).unwrap_or_default() {
                match (port.device(), port.device_kind) {
                    (Some(device), Device::Switch) => refer(Kind::Switch, device),
                    (Some(device), Device::Server) => refer(Kind::Server, device),
                    _ => {}
                }
                if let Some(p) = port.port.filter(|p| connection::split_port(p).is_some()) {
                    shares.extend(port_keys(p).into_iter().map(|k| format!("port:{k}")));
                }
            }
            if let Some(vpc) = doc.pointer("/spec/staticExternal/withinVPC").and_then(Value::as_str) {
                refer(Kind::VPC, vpc);
            }
        }
        Kind::VPCAttachment => {
            if let Some((vpc, _)) = spec.get("subnet").and_then(Value::as_str).and_then(attachment_subnet) {
                refer(Kind::VPC, vpc);
            }
            if let Some(conn) = text(spec, "connection") {
                refer(Kind::Connection, conn);
                shares.push(format!("vpc-attachment:{conn}"));
            }
        }
        Kind::VPCPeering => {
            for permit in doc.pointer("/spec/permit").and_then(Value::as_array).into_iter().flatten() {
                for vpc in permit.as_object().into_iter().flatten().map(|(k, _)| k) {
                    refer(Kind::VPC, vpc);
                }
            }
        }
        Kind::ExternalAttachment => {
            if let Some(external) = text(spec, "external") {
                refer(Kind::External, external);
            }
            if let Some(conn) = text(spec, "connection") {
                refer(Kind::Connection, conn);
                let (_, vlan) = external_attachment_vlan(spec);
                shares.push(format!("external-attachment:{conn}\u{0}{vlan}"));
            }
        }
        Kind::ExternalPeering => {
            let permit = doc.pointer("/spec/permit").unwrap_or(&Value::Null);
            if let Some(external) = permit.get("external").and_then(|e| text(e, "name")) {
                refer(Kind::External, external);
            }
            if let Some(vpc) = permit.get("vpc").and_then(|v| text(v, "name")) {
                refer(Kind::VPC, vpc);
            }
        }
        Kind::VPC => {
            let (ipv4_ns, vlan_ns) = vpc_namespaces(doc);
            refer(Kind::IPv4Namespace, ipv4_ns);
            refer(Kind::VLANNamespace, vlan_ns);
            for subnet in spec.get("subnets").and_then(Value::as_object).into_iter().flatten().map(|(_, s)| s) {
                let (prefix, vlan) = vpc_subnet_prefix(subnet);
                if let Some(p) = prefix {
                    ranges.push((ipv4_ns.to_owned(), i64::from(u32::from(p.network())), i64::from(u32::from(p.last()))));
                }
                if let Some(vlan) = vlan {
                    shares.push(format!("vlan:{vlan_ns}\u{0}{vlan}"));
                }
            }
        }
        Kind::Server
        | Kind::SwitchGroup
        | Kind::VLANNamespace
        | Kind::SwitchProfile
        | Kind::ServerProfile
        | Kind::IPv4Namespace
        | Kind::External => {}
    }
    keys.extend(shares.into_iter().map(|k| DependencyKey::new(KeyRole::Share, k)));
    keys.extend(ranges.into_iter().map(|(ns, lo, hi)| DependencyKey { role: KeyRole::Range, key: ns, lo, hi }));
    keys.sort();
    keys.dedup();
    keys
}
