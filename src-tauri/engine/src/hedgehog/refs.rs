//! Layer 2 of validation: rules across the fabric, which no document can answer alone. Every
//! reference names something that exists (a connection's switches and servers, a switch's
//! groups, an attachment's VPC, subnet, connection and external, a peering's VPCs), VPCs attach to
//! server-facing connections only, a port belongs to one connection, and VPCs sharing a
//! namespace do not share VLANs or addresses.
//!
//! Only what the fabric's own resources can show is checked: Hedgehog's default namespaces and
//! switch profiles live in the cluster, not in Git, so a reference to them is not an error.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::connection::{self, Device};
use super::net::Prefix;
use super::fields::{spec_path, text};
use super::rules::attachment_subnet;
use super::{FabricResource, Issue, Kind};
use crate::yaml::FieldPath;

/// The fabric's resources by kind and name (the first of a duplicated name wins).
struct Index<'r, 'a> {
    by_name: HashMap<(Kind, &'a str), usize>,
    resources: &'r [FabricResource<'a>],
}

impl<'a> Index<'_, 'a> {
    fn get(&self, kind: Kind, name: &str) -> Option<&'a Value> {
        self.by_name.get(&(kind, name)).map(|&i| self.resources[i].document)
    }

    fn has(&self, kind: Kind, name: &str) -> bool {
        self.by_name.contains_key(&(kind, name))
    }

    /// Resources of one kind, with their index, first occurrences only.
    fn of_kind(&self, kind: Kind) -> Vec<(usize, &FabricResource<'a>)> {
        let mut found: Vec<(usize, &FabricResource<'a>)> = self
            .by_name
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, &i)| (i, &self.resources[i]))
            .collect();
        found.sort_by_key(|(i, _)| *i);
        found
    }
}

fn missing(what: &str, name: &str) -> String {
    format!("{what} {name:?} does not exist in this fabric")
}

pub(crate) fn validate(resources: &[FabricResource<'_>]) -> Vec<(usize, Issue)> {
    let mut out: Vec<(usize, Issue)> = Vec::new();
    let mut by_name = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        if let Some(&first) = by_name.get(&(r.kind, r.name)) {
            let message = format!("another {} named {:?} is in this fabric (resource {first})", r.kind, r.name);
            out.push((i, Issue::error(FieldPath::of(&["metadata", "name"]), "duplicate", message)));
        } else {
            by_name.insert((r.kind, r.name), i);
        }
    }
    let index = Index { by_name, resources };
    for (i, r) in resources.iter().enumerate() {
        let mut issues = Vec::new();
        match r.kind {
            Kind::Switch => check_switch(&index, r.document, &mut issues),
            Kind::Connection => check_connection(&index, r.document, &mut issues),
            Kind::VPCAttachment => check_vpc_attachment(&index, r.document, &mut issues),
            Kind::VPCPeering => check_vpc_peering(&index, r.document, &mut issues),
            Kind::ExternalAttachment => check_external_attachment(&index, r.document, &mut issues),
            Kind::ExternalPeering => check_external_peering(&index, r.document, &mut issues),
            _ => {}
        }
        out.extend(issues.into_iter().map(|issue| (i, issue)));
    }
    check_port_reuse(&index, &mut out);
    check_attachment_clashes(&index, &mut out);
    check_vpcs_together(&index, &mut out);
    out.sort_by_key(|(i, _)| *i);
    out
}

fn check_switch(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let groups = doc.pointer("/spec/groups").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (i, group) in groups.iter().enumerate() {
        if let Some(g) = group.as_str().filter(|g| !g.is_empty() && !index.has(Kind::SwitchGroup, g)) {
            issues.push(Issue::error(spec_path(&["groups"]).index(i), "reference", missing("switch group", g)));
        }
    }
    if let Some(g) = doc.pointer("/spec/redundancy/group").and_then(Value::as_str) {
        if !g.is_empty() && !index.has(Kind::SwitchGroup, g) {
            issues.push(Issue::error(spec_path(&["redundancy", "group"]), "reference", missing("switch group", g)));
        }
    }
}

fn role(switch: &Value) -> Option<&str> {
    switch.pointer("/spec/role").and_then(Value::as_str)
}

fn check_connection(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let Some(ends) = connection::endpoints(doc) else { return };
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for port in &ends.ports {
        let Some(device) = port.device() else { continue };
        let (kind, what) = match port.device_kind {
            Device::Switch => (Kind::Switch, "switch"),
            Device::Server => (Kind::Server, "server"),
            Device::Gateway => continue, // gateways are not kinds hhsync manages
        };
        if !index.has(kind, device) {
            if reported.insert(device) {
                issues.push(Issue::error(port.path.clone(), "reference", missing(what, device)));
            }
            continue;
        }
        let Some(role) = index.get(Kind::Switch, device).and_then(role).filter(|_| kind == Kind::Switch) else { continue };
        let message = match (ends.ty, port.end) {
            ("fabric", "spine") if role != "spine" => format!("{device:?} is a {role}, not a spine"),
            ("fabric", "leaf") | ("mesh", _) if role == "spine" => format!("{device:?} is a spine; this end must be a leaf"),
            _ => continue,
        };
        if reported.insert(device) {
            issues.push(Issue::error(port.path.clone(), "fabric-link", message));
        }
    }
    if ends.ty == "eslag" {
        check_eslag_redundancy(index, &ends, issues);
    }
    if let Some(vpc) = doc.pointer("/spec/staticExternal/withinVPC").and_then(Value::as_str) {
        if !vpc.is_empty() && !index.has(Kind::VPC, vpc) {
            issues.push(Issue::error(spec_path(&["staticExternal", "withinVPC"]), "reference", missing("VPC", vpc)));
        }
    }
}

/// All switches of an ESLAG connection are in one redundancy group of type eslag.
fn check_eslag_redundancy(index: &Index<'_, '_>, ends: &connection::Endpoints<'_>, issues: &mut Vec<Issue>) {
    let path = spec_path(&["eslag"]);
    let switches: BTreeSet<&str> = ends.ports.iter().filter(|p| p.end == "switch").filter_map(|p| p.device()).collect();
    let mut groups: BTreeSet<&str> = BTreeSet::new();
    for name in &switches {
        let Some(sw) = index.get(Kind::Switch, name) else { continue };
        match sw.pointer("/spec/redundancy/group").and_then(Value::as_str).filter(|g| !g.is_empty()) {
            None => {
                let message = format!("switch {name:?} is in no redundancy group; ESLAG switches share one of type eslag");
                issues.push(Issue::error(path.clone(), "eslag", message));
            }
            Some(group) => {
                groups.insert(group);
            }
        }
        if let Some(ty) = sw.pointer("/spec/redundancy/type").and_then(Value::as_str).filter(|t| *t != "eslag") {
            issues.push(Issue::error(path.clone(), "eslag", format!("switch {name:?} has redundancy type {ty}, not eslag")));
        }
    }
    if groups.len() > 1 {
        let list: Vec<&str> = groups.into_iter().collect();
        let message = format!("the switches of an ESLAG connection share one redundancy group; found {}", list.join(", "));
        issues.push(Issue::error(path, "eslag", message));
    }
}

/// The connection type of a Connection document, if it has exactly one.
fn connection_type(doc: &Value) -> Option<&'static str> {
    match connection::types_present(doc.get("spec")?)[..] {
        [ty] => Some(ty),
        _ => None,
    }
}

fn check_vpc_attachment(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let spec = doc.get("spec").unwrap_or(&Value::Null);
    let mut subnet_spec = None;
    if let Some((vpc_name, subnet)) = spec.get("subnet").and_then(Value::as_str).and_then(attachment_subnet) {
        match index.get(Kind::VPC, vpc_name) {
            None => issues.push(Issue::error(spec_path(&["subnet"]), "reference", missing("VPC", vpc_name))),
            Some(vpc) => match vpc.pointer("/spec/subnets").and_then(|s| s.get(subnet)) {
                None => {
                    let message = format!("VPC {vpc_name:?} has no subnet {subnet:?}");
                    issues.push(Issue::error(spec_path(&["subnet"]), "reference", message));
                }
                found => subnet_spec = found,
            },
        }
    }
    let Some(conn_name) = text(spec, "connection") else { return };
    let Some(conn) = index.get(Kind::Connection, conn_name) else {
        issues.push(Issue::error(spec_path(&["connection"]), "reference", missing("connection", conn_name)));
        return;
    };
    let Some(ty) = connection_type(conn) else { return };
    if !["unbundled", "bundled", "eslag", "mclag"].contains(&ty) {
        let message = format!("a VPC attaches only to an unbundled, bundled or ESLAG connection; {conn_name:?} is a {ty} connection");
        issues.push(Issue::error(spec_path(&["connection"]), "attachment", message));
    }
    if subnet_spec.and_then(|s| s.get("hostBGP")).and_then(Value::as_bool) == Some(true) {
        if ty != "unbundled" {
            let message = format!("a hostBGP subnet attaches only to an unbundled connection; {conn_name:?} is a {ty} connection");
            issues.push(Issue::error(spec_path(&["connection"]), "attachment", message));
        }
        if spec.get("nativeVLAN").and_then(Value::as_bool) == Some(true) {
            let message = "native VLAN is not supported for a hostBGP subnet";
            issues.push(Issue::error(spec_path(&["nativeVLAN"]), "attachment", message));
        }
    }
}

/// The namespaces a VPC is in, with upstream's defaults.
pub(super) fn vpc_namespaces(vpc: &Value) -> (&str, &str) {
    let ns = |key: &str| vpc.pointer(&format!("/spec/{key}")).and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("default");
    (ns("ipv4Namespace"), ns("vlanNamespace"))
}

fn check_vpc_peering(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let permits = doc.pointer("/spec/permit").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut found: Vec<(&str, &Value)> = Vec::new();
    for (i, permit) in permits.iter().enumerate() {
        for (vpc_name, side) in permit.as_object().into_iter().flatten() {
            let at = spec_path(&["permit"]).index(i).key(vpc_name);
            let Some(vpc) = index.get(Kind::VPC, vpc_name) else {
                issues.push(Issue::error(at, "reference", missing("VPC", vpc_name)));
                continue;
            };
            if !found.iter().any(|(n, _)| n == vpc_name) {
                found.push((vpc_name, vpc));
            }
            let subnets = side.get("subnets").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            for (j, subnet) in subnets.iter().enumerate() {
                let Some(subnet) = subnet.as_str() else { continue };
                if vpc.pointer("/spec/subnets").and_then(|s| s.get(subnet)).is_none() {
                    let message = format!("VPC {vpc_name:?} has no subnet {subnet:?}");
                    issues.push(Issue::error(at.key("subnets").index(j), "reference", message));
                }
            }
        }
    }
    if let [(a, va), (b, vb)] = found[..] {
        let ((ipv4_a, vlan_a), (ipv4_b, vlan_b)) = (vpc_namespaces(va), vpc_namespaces(vb));
        for (what, x, y) in [("IPv4Namespace", ipv4_a, ipv4_b), ("VLANNamespace", vlan_a, vlan_b)] {
            if x != y {
                let message = format!("VPCs {a:?} and {b:?} must be in the same {what}; they are in {x:?} and {y:?}");
                issues.push(Issue::error(spec_path(&["permit"]), "vpc-peering", message));
            }
        }
    }
}

fn check_external_attachment(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let spec = doc.get("spec").unwrap_or(&Value::Null);
    if let Some(name) = text(spec, "external") {
        match index.get(Kind::External, name) {
            None => issues.push(Issue::error(spec_path(&["external"]), "reference", missing("external", name))),
            Some(ext) => {
                let is_static = spec.get("static").is_some_and(Value::is_object);
                if is_static && ext.pointer("/spec/static").is_none_or(Value::is_null) {
                    let message = format!("this attachment is static but external {name:?} has no static prefixes");
                    issues.push(Issue::error(spec_path(&["static"]), "external-attachment", message));
                }
            }
        }
    }
    if let Some(name) = text(spec, "connection") {
        match index.get(Kind::Connection, name).map(connection_type) {
            None => issues.push(Issue::error(spec_path(&["connection"]), "reference", missing("connection", name))),
            Some(Some(ty)) if ty != "external" => {
                let message = format!("an external attaches to an external connection; {name:?} is a {ty} connection");
                issues.push(Issue::error(spec_path(&["connection"]), "external-attachment", message));
            }
            Some(_) => {}
        }
    }
}

fn check_external_peering(index: &Index<'_, '_>, doc: &Value, issues: &mut Vec<Issue>) {
    let permit = doc.pointer("/spec/permit").unwrap_or(&Value::Null);
    if let Some(name) = permit.get("external").and_then(|e| text(e, "name")) {
        if !index.has(Kind::External, name) {
            issues.push(Issue::error(spec_path(&["permit", "external", "name"]), "reference", missing("external", name)));
        }
    }
    let Some(name) = permit.get("vpc").and_then(|v| text(v, "name")) else { return };
    let Some(vpc) = index.get(Kind::VPC, name) else {
        issues.push(Issue::error(spec_path(&["permit", "vpc", "name"]), "reference", missing("VPC", name)));
        return;
    };
    let subnets = permit.pointer("/vpc/subnets").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (j, subnet) in subnets.iter().enumerate() {
        if let Some(s) = subnet.as_str().filter(|s| vpc.pointer("/spec/subnets").and_then(|m| m.get(*s)).is_none()) {
            let at = spec_path(&["permit", "vpc", "subnets"]).index(j);
            issues.push(Issue::error(at, "reference", format!("VPC {name:?} has no subnet {s:?}")));
        }
    }
}

/// The names under which a port may collide: itself, and for `leaf-01/E1/4` also its first
/// breakout `leaf-01/E1/4/1`, which upstream treats as the same port.
pub(super) fn port_keys(port: &str) -> Vec<String> {
    let mut keys = vec![port.to_owned()];
    if port.matches('/').count() == 2 {
        keys.push(format!("{port}/1"));
    }
    keys
}

/// A port used by more than one connection is an error on each, naming the others.
fn check_port_reuse(index: &Index<'_, '_>, out: &mut Vec<(usize, Issue)>) {
    let connections = index.of_kind(Kind::Connection);
    let mut users: HashMap<String, BTreeSet<usize>> = HashMap::new();
    let mut ports: Vec<(usize, FieldPath, &str)> = Vec::new();
    for &(i, r) in &connections {
        let Some(ends) = connection::endpoints(r.document) else { continue };
        for port in ends.ports {
            let Some(p) = port.port.filter(|p| connection::split_port(p).is_some()) else { continue };
            for key in port_keys(p) {
                users.entry(key).or_default().insert(i);
            }
            ports.push((i, port.path, p));
        }
    }
    for (i, path, port) in ports {
        let others: BTreeSet<usize> = port_keys(port)
            .iter()
            .filter_map(|key| users.get(key))
            .flatten()
            .copied()
            .filter(|&j| j != i)
            .collect();
        if others.is_empty() {
            continue;
        }
        let names: Vec<String> = others.iter().map(|&j| format!("{:?}", index.resources[j].name)).collect();
        let noun = if names.len() == 1 { "connection" } else { "connections" };
        let message = format!("port {port} is also used by {noun} {}", names.join(", "));
        out.push((i, Issue::error(path, "port-reuse", message)));
    }
}

/// Two VPC attachments of one connection to the same subnet, or both with the native VLAN; two
/// external attachments of one connection on the same VLAN.
fn check_attachment_clashes(index: &Index<'_, '_>, out: &mut Vec<(usize, Issue)>) {
    // connection -> (subnet, native VLAN, attachment name) of the attachments seen so far
    let mut by_connection: HashMap<&str, Vec<(String, bool, &str)>> = HashMap::new();
    for (i, r) in index.of_kind(Kind::VPCAttachment) {
        let spec = r.document.get("spec").unwrap_or(&Value::Null);
        let (Some(conn), Some(subnet)) = (text(spec, "connection"), text(spec, "subnet")) else { continue };
        let subnet = attachment_subnet(subnet).map_or_else(|| subnet.to_owned(), |(v, s)| format!("{v}/{s}"));
        let native = spec.get("nativeVLAN").and_then(Value::as_bool) == Some(true);
        let seen = by_connection.entry(conn).or_default();
        for (other_subnet, other_native, other) in seen.iter() {
            let message = if *other_subnet == subnet {
                format!("connection {conn:?} is already attached to {subnet} by {other:?}")
            } else if native && *other_native {
                format!("connection {conn:?} already has a native-VLAN attachment, {other:?}")
            } else {
                continue;
            };
            out.push((i, Issue::error(spec_path(&["connection"]), "attachment", message)));
        }
        seen.push((subnet, native, r.name));
    }
    // (connection, VLAN) -> the first external attachment on it
    let mut vlans: HashMap<(&str, i64), &str> = HashMap::new();
    for (i, r) in index.of_kind(Kind::ExternalAttachment) {
        let spec = r.document.get("spec").unwrap_or(&Value::Null);
        let Some(conn) = text(spec, "connection") else { continue };
        let (holder, vlan) = external_attachment_vlan(spec);
        if let Some(other) = vlans.get(&(conn, vlan)) {
            let message = format!("connection {conn:?} already has an external attachment on VLAN {vlan}: {other:?}");
            out.push((i, Issue::error(spec_path(&[holder, "vlan"]), "external-attachment", message)));
        } else {
            vlans.insert((conn, vlan), r.name);
        }
    }
}

/// Where an external attachment's VLAN is written (`static` or `switch`), and the VLAN (0 when
/// unset, as upstream reads it).
pub(super) fn external_attachment_vlan(spec: &Value) -> (&'static str, i64) {
    let holder = if spec.get("static").is_some_and(Value::is_object) { "static" } else { "switch" };
    (holder, spec.get(holder).and_then(|h| h.get("vlan")).and_then(Value::as_i64).unwrap_or(0))
}

/// The prefix of a VPC subnet as the overlap check reads it (at most /30), and its VLAN if in
/// range.
pub(super) fn vpc_subnet_prefix(subnet: &Value) -> (Option<Prefix>, Option<i64>) {
    let text = subnet.get("subnet").and_then(Value::as_str).unwrap_or_default();
    let prefix = Prefix::parse(text).filter(|p| p.len <= 30);
    let vlan = subnet.get("vlan").and_then(Value::as_i64).filter(|v| (1..=4094).contains(v));
    (prefix, vlan)
}

/// One subnet of one VPC, for the checks across VPCs.
struct VpcSubnet<'a> {
    index: usize,
    vpc: &'a str,
    name: &'a str,
    text: &'a str,
    prefix: Option<Prefix>,
    vlan: Option<i64>,
    ipv4_ns: &'a str,
    vlan_ns: &'a str,
}

/// VPCs in one IPv4Namespace do not overlap, VPCs in one VLANNamespace do not share a VLAN, and
/// where the namespace itself is in the fabric, subnets and VLANs lie inside it.
fn check_vpcs_together(index: &Index<'_, '_>, out: &mut Vec<(usize, Issue)>) {
    let mut subnets: Vec<VpcSubnet<'_>> = Vec::new();
    for (i, r) in index.of_kind(Kind::VPC) {
        let (ipv4_ns, vlan_ns) = vpc_namespaces(r.document);
        for (name, subnet) in r.document.pointer("/spec/subnets").and_then(Value::as_object).into_iter().flatten() {
            let text = subnet.get("subnet").and_then(Value::as_str).unwrap_or_default();
            let (prefix, vlan) = vpc_subnet_prefix(subnet);
            subnets.push(VpcSubnet { index: i, vpc: r.name, name, text, prefix, vlan, ipv4_ns, vlan_ns });
        }
    }
    let at = |s: &VpcSubnet<'_>, field: &str| spec_path(&["subnets", s.name, field]);

    // Overlaps: sort by namespace and first address, then sweep.
    let mut order: Vec<&VpcSubnet<'_>> = subnets.iter().filter(|s| s.prefix.is_some()).collect();
    order.sort_by_key(|s| (s.ipv4_ns, s.prefix.map(|p| u32::from(p.network()))));
    for (k, a) in order.iter().enumerate() {
        let Some(pa) = a.prefix else { continue };
        for b in order[k + 1..].iter().take_while(|b| b.ipv4_ns == a.ipv4_ns) {
            let Some(pb) = b.prefix else { continue };
            if u32::from(pb.network()) > u32::from(pa.last()) {
                break;
            }
            if a.index == b.index {
                continue; // within one VPC: the VPC's own rule
            }
            for (x, y) in [(a, b), (b, a)] {
                let message = format!("subnet {} overlaps subnet {:?} ({}) of VPC {:?}", x.text, y.name, y.text, y.vpc);
                out.push((x.index, Issue::error(at(x, "subnet"), "vpc-subnet", message)));
            }
        }
    }

    // Shared VLANs.
    let mut by_vlan: HashMap<(&str, i64), Vec<&VpcSubnet<'_>>> = HashMap::new();
    for s in &subnets {
        if let Some(vlan) = s.vlan {
            by_vlan.entry((s.vlan_ns, vlan)).or_default().push(s);
        }
    }
    for s in &subnets {
        let Some(vlan) = s.vlan else { continue };
        let others: Vec<String> = by_vlan
            .get(&(s.vlan_ns, vlan))
            .into_iter()
            .flatten()
            .filter(|o| o.index != s.index)
            .map(|o| format!("subnet {:?} of VPC {:?}", o.name, o.vpc))
            .collect();
        if !others.is_empty() {
            let message = format!("VLAN {vlan} is also used by {}", others.join(", "));
            out.push((s.index, Issue::error(at(s, "vlan"), "vlan", message)));
        }
    }

    // Inside the namespaces, when they are part of the fabric.
    for s in &subnets {
        if let (Some(p), Some(ns)) = (s.prefix, index.get(Kind::IPv4Namespace, s.ipv4_ns)) {
            let ranges: Vec<Prefix> = ns.pointer("/spec/subnets").and_then(Value::as_array).into_iter().flatten()
                .filter_map(Value::as_str).filter_map(Prefix::parse).collect();
            if !ranges.iter().any(|r| r.len <= p.len && r.contains(p.network())) {
                let list: Vec<String> = ranges.iter().map(|r| r.to_string()).collect();
                let message = format!("subnet {} is not inside IPv4Namespace {:?} ({})", s.text, s.ipv4_ns, list.join(", "));
                out.push((s.index, Issue::error(at(s, "subnet"), "vpc-subnet", message)));
            }
        }
        if let (Some(vlan), Some(ns)) = (s.vlan, index.get(Kind::VLANNamespace, s.vlan_ns)) {
            let ranges: Vec<(i64, i64)> = ns.pointer("/spec/ranges").and_then(Value::as_array).into_iter().flatten()
                .filter_map(|r| {
                    let from = r.get("from").and_then(Value::as_i64)?;
                    Some((from, r.get("to").and_then(Value::as_i64).filter(|t| *t != 0).unwrap_or(from)))
                })
                .collect();
            if !ranges.iter().any(|(f, t)| (*f..=*t).contains(&vlan)) {
                let list: Vec<String> = ranges.iter().map(|(f, t)| format!("{f}-{t}")).collect();
                let message = format!("VLAN {vlan} is not in VLANNamespace {:?} ({})", s.vlan_ns, list.join(", "));
                out.push((s.index, Issue::error(at(s, "vlan"), "vlan", message)));
            }
        }
    }
}
