//! Connections: which type a Connection is, the ports it uses and on which devices, and the rules
//! about one connection on its own (exactly one type, ports as `device/port`, one device per
//! side, no port twice, link IPs that make sense).
//!
//! The port list is also what the fabric-wide checks in `refs.rs` build on: a connection's
//! switches and servers must exist, and a port belongs to one connection only.

use std::collections::BTreeSet;

use serde_json::Value;

use super::fields::{check_vlan, is_unset};
use super::net::{parse_addr, Prefix};
use super::Issue;
use crate::yaml::FieldPath;

/// The kind of device at one end of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Device {
    Switch,
    Server,
    Gateway,
}

/// How one connection type lays out its links: the field(s) holding them, whether each holds a
/// list or a single link, and the ends of a link.
struct Layout {
    ty: &'static str,
    groups: &'static [(&'static str, bool)],
    ends: &'static [(&'static str, Device)],
}

const SERVER_LINK: &[(&str, Device)] = &[("server", Device::Server), ("switch", Device::Switch)];
const SWITCH_PAIR: &[(&str, Device)] = &[("switch1", Device::Switch), ("switch2", Device::Switch)];

const LAYOUTS: [Layout; 11] = [
    Layout { ty: "unbundled", groups: &[("link", false)], ends: SERVER_LINK },
    Layout { ty: "bundled", groups: &[("links", true)], ends: SERVER_LINK },
    Layout { ty: "mclag", groups: &[("links", true)], ends: SERVER_LINK },
    Layout { ty: "eslag", groups: &[("links", true)], ends: SERVER_LINK },
    Layout { ty: "mclagDomain", groups: &[("peerLinks", true), ("sessionLinks", true)], ends: SWITCH_PAIR },
    Layout { ty: "fabric", groups: &[("links", true)], ends: &[("spine", Device::Switch), ("leaf", Device::Switch)] },
    Layout { ty: "mesh", groups: &[("links", true)], ends: &[("leaf1", Device::Switch), ("leaf2", Device::Switch)] },
    Layout { ty: "gateway", groups: &[("links", true)], ends: &[("switch", Device::Switch), ("gateway", Device::Gateway)] },
    Layout { ty: "vpcLoopback", groups: &[("links", true)], ends: SWITCH_PAIR },
    Layout { ty: "external", groups: &[("link", false)], ends: &[("switch", Device::Switch)] },
    Layout { ty: "staticExternal", groups: &[("link", false)], ends: &[("switch", Device::Switch)] },
];

/// Connection types (field names under spec), in the order of the CRD's description.
pub(crate) fn type_names() -> impl Iterator<Item = &'static str> {
    LAYOUTS.iter().map(|l| l.ty)
}

/// The connection types that are MCLAG, deprecated upstream.
pub(crate) const MCLAG_TYPES: [&str; 2] = ["mclag", "mclagDomain"];

/// One port named by a connection.
#[derive(Debug, Clone)]
pub(crate) struct PortRef<'a> {
    /// Where the port is written, e.g. `spec.fabric.links[0].spine.port`.
    pub path: FieldPath,
    /// The end of the link it is on: `server`, `switch`, `spine`, `leaf1`, ...
    pub end: &'static str,
    pub device_kind: Device,
    /// The port as written, if it is a string.
    pub port: Option<&'a str>,
    /// Whether the port field is there at all (a non-string one is the schema's to report).
    pub written: bool,
}

impl<'a> PortRef<'a> {
    /// The device part of a well-formed `device/port`.
    pub fn device(&self) -> Option<&'a str> {
        split_port(self.port?).map(|(device, _)| device)
    }
}

/// A connection with exactly one type, and its ports.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints<'a> {
    pub ty: &'static str,
    pub ports: Vec<PortRef<'a>>,
}

/// `device/port` split at the first `/`, both parts non-empty.
pub(crate) fn split_port(port: &str) -> Option<(&str, &str)> {
    port.split_once('/').filter(|(device, name)| !device.is_empty() && !name.is_empty())
}

/// The connection types present (non-null) in `spec`.
pub(crate) fn types_present(spec: &Value) -> Vec<&'static str> {
    type_names().filter(|ty| spec.get(ty).is_some_and(|v| !v.is_null())).collect()
}

/// The endpoints of a connection document, if its spec has exactly one type.
pub(crate) fn endpoints(document: &Value) -> Option<Endpoints<'_>> {
    let spec = document.get("spec")?;
    let [ty] = types_present(spec)[..] else {
        return None;
    };
    let layout = LAYOUTS.iter().find(|l| l.ty == ty)?;
    let body = spec.get(ty)?;
    let base = FieldPath::of(&["spec", ty]);
    let mut ports = Vec::new();
    for &(group, is_list) in layout.groups {
        let links: Vec<(FieldPath, &Value)> = match (body.get(group), is_list) {
            (Some(Value::Array(links)), true) => {
                links.iter().enumerate().map(|(i, link)| (base.key(group).index(i), link)).collect()
            }
            (Some(link @ Value::Object(_)), false) => vec![(base.key(group), link)],
            _ => Vec::new(),
        };
        for (link_path, link) in links {
            for &(end, device_kind) in layout.ends {
                let raw = link.get(end).and_then(|e| e.get("port")).filter(|v| !v.is_null());
                ports.push(PortRef {
                    path: link_path.key(end).key("port"),
                    end,
                    device_kind,
                    port: raw.and_then(Value::as_str),
                    written: raw.is_some(),
                });
            }
        }
    }
    Some(Endpoints { ty, ports })
}

/// The cabled port pairs of a connection document: for each link between two ends, both
/// directions, `(this end, the other end)`, each `device/port` as written.
pub(crate) fn connection_links(document: &Value) -> Vec<(String, String)> {
    let Some(endpoints) = endpoints(document) else { return Vec::new() };
    let mut by_link: Vec<(FieldPath, Vec<&str>)> = Vec::new();
    for port in &endpoints.ports {
        let (Some(p), Some(link)) = (port.port, port.path.parent().and_then(|p| p.parent())) else { continue };
        match by_link.iter_mut().find(|(l, _)| *l == link) {
            Some((_, ports)) => ports.push(p),
            None => by_link.push((link, vec![p])),
        }
    }
    let mut pairs = Vec::new();
    for (_, ports) in by_link {
        if let [a, b] = ports[..] {
            pairs.push((a.to_owned(), b.to_owned()));
            pairs.push((b.to_owned(), a.to_owned()));
        }
    }
    pairs
}

/// The per-document rules of a Connection.
pub(crate) fn validate(document: &Value, issues: &mut Vec<Issue>) {
    let Some(spec) = document.get("spec").filter(|s| s.is_object()) else {
        issues.push(Issue::error(FieldPath::of(&["spec"]), "connection", "a connection needs a spec with its type, e.g. unbundled or fabric"));
        return;
    };
    let present = types_present(spec);
    match present.len() {
        0 => {
            let all: Vec<&str> = type_names().collect();
            let message = format!("a connection needs exactly one type ({}); none is given", all.join(", "));
            issues.push(Issue::error(FieldPath::of(&["spec"]), "connection", message));
            return;
        }
        1 => {}
        _ => {
            let message = format!("a connection has exactly one type; this one has {}", present.join(" and "));
            issues.push(Issue::error(FieldPath::of(&["spec"]), "connection", message));
            return;
        }
    }
    let Some(ends) = endpoints(document) else { return };
    let type_path = FieldPath::of(&["spec", ends.ty]);
    if MCLAG_TYPES.contains(&ends.ty) {
        issues.push(Issue::warning(type_path.clone(), "deprecated", "MCLAG is deprecated upstream and no longer supported; use ESLAG"));
    }
    check_ports(&ends, issues);
    check_devices(&ends, &type_path, issues);
    match ends.ty {
        "fabric" => check_link_ips(spec, ends.ty, ("spine", "leaf"), false, issues),
        "mesh" => check_link_ips(spec, ends.ty, ("leaf1", "leaf2"), false, issues),
        "gateway" => check_link_ips(spec, ends.ty, ("switch", "gateway"), true, issues),
        "staticExternal" => check_static_external(spec, &type_path, issues),
        _ => {}
    }
}

/// Every port is a `device/port` string, and none is used twice in this connection.
fn check_ports(ends: &Endpoints<'_>, issues: &mut Vec<Issue>) {
    let mut seen: Vec<&str> = Vec::new();
    for port in &ends.ports {
        match port.port {
            None if port.written => {}
            None => {
                issues.push(Issue::error(port.path.clone(), "port", format!("the {} end of this link has no port", port.end)));
            }
            Some(p) if split_port(p).is_none() => {
                let message = format!("port {p:?} is not in the form device/port, e.g. leaf-01/E1/1");
                issues.push(Issue::error(port.path.clone(), "port", message));
            }
            Some(p) if seen.contains(&p) => {
                issues.push(Issue::error(port.path.clone(), "port-reuse", format!("port {p} is used twice in this connection")));
            }
            Some(p) => seen.push(p),
        }
    }
}

/// The devices of one end of the links.
fn devices<'a>(ends: &Endpoints<'a>, end: &str) -> BTreeSet<&'a str> {
    ends.ports.iter().filter(|p| p.end == end).filter_map(PortRef::device).collect()
}

/// The one device all ports of an end are on; a problem if they are on several.
fn one_device<'a>(ends: &Endpoints<'a>, end: &str, problems: &mut Vec<String>) -> Option<&'a str> {
    let set = devices(ends, end);
    if set.len() > 1 {
        let list: Vec<&str> = set.into_iter().collect();
        problems.push(format!("all {end} ports must be on one device; found {}", list.join(", ")));
        return None;
    }
    set.into_iter().next()
}

/// Two ends of a switch-to-switch connection are different switches.
fn distinct(a: Option<&str>, b: Option<&str>, what: &str, problems: &mut Vec<String>) {
    if let (Some(a), Some(b)) = (a, b) {
        if a == b {
            problems.push(format!("{what} connects {a:?} to itself; its two ends must be different switches"));
        }
    }
}

/// The devices of each end of the links must be what the connection type says.
fn check_devices(ends: &Endpoints<'_>, type_path: &FieldPath, issues: &mut Vec<Issue>) {
    let mut problems = Vec::new();
    match ends.ty {
        "unbundled" | "bundled" => {
            one_device(ends, "server", &mut problems);
            one_device(ends, "switch", &mut problems);
        }
        "mclag" => {
            one_device(ends, "server", &mut problems);
        }
        "eslag" => {
            one_device(ends, "server", &mut problems);
            let switches = devices(ends, "switch").len();
            if switches > 4 {
                problems.push(format!("an ESLAG connection spans at most 4 switches; this one has {switches}"));
            }
        }
        "fabric" => {
            let spine = one_device(ends, "spine", &mut problems);
            let leaf = one_device(ends, "leaf", &mut problems);
            distinct(spine, leaf, "this fabric connection", &mut problems);
        }
        "mesh" => {
            let a = one_device(ends, "leaf1", &mut problems);
            let b = one_device(ends, "leaf2", &mut problems);
            distinct(a, b, "this mesh connection", &mut problems);
        }
        "mclagDomain" => {
            let a = one_device(ends, "switch1", &mut problems);
            let b = one_device(ends, "switch2", &mut problems);
            distinct(a, b, "this MCLAG domain", &mut problems);
        }
        "gateway" => {
            one_device(ends, "switch", &mut problems);
        }
        "vpcLoopback" => {
            let all: BTreeSet<&str> = devices(ends, "switch1").union(&devices(ends, "switch2")).copied().collect();
            if all.len() > 1 {
                let list: Vec<&str> = all.into_iter().collect();
                problems.push(format!("a VPC loopback stays on one switch; found {}", list.join(", ")));
            }
        }
        _ => {}
    }
    issues.extend(problems.into_iter().map(|message| Issue::error(type_path.clone(), "connection", message)));
}

/// Link IPs of fabric, mesh and gateway links: both ends or neither (gateway: both), each a /31,
/// the two in the same /31.
fn check_link_ips(spec: &Value, ty: &str, (a, b): (&str, &str), required: bool, issues: &mut Vec<Issue>) {
    let Some(links) = spec.get(ty).and_then(|t| t.get("links")).and_then(Value::as_array) else {
        return;
    };
    let type_path = FieldPath::of(&["spec", ty]);
    for (i, link) in links.iter().enumerate() {
        let path = type_path.key("links").index(i);
        let ip = |end: &str| link.get(end).and_then(|e| e.get("ip")).and_then(Value::as_str).filter(|s| !s.is_empty());
        let (ip_a, ip_b) = match (ip(a), ip(b)) {
            (Some(x), Some(y)) => (x, y),
            (None, None) if !required => continue,
            _ => {
                let message = if required {
                    format!("a gateway link needs an IP on both ends ({a} and {b})")
                } else {
                    format!("set an IP on both ends of the link ({a} and {b}) or on neither")
                };
                issues.push(Issue::error(path, "link-ip", message));
                continue;
            }
        };
        // A value that fails the CRD's pattern is the schema's to report.
        let (Some(pa), Some(pb)) = (Prefix::parse(ip_a), Prefix::parse(ip_b)) else { continue };
        for (end, p) in [(a, pa), (b, pb)] {
            if p.len != 31 {
                issues.push(Issue::error(path.key(end).key("ip"), "link-ip", format!("{p} is not a /31")));
            }
        }
        if pa.len == 31 && pb.len == 31 && pa.masked() != pb.masked() {
            issues.push(Issue::error(path.clone(), "link-ip", format!("{ip_a} and {ip_b} are not in the same /31")));
        }
        if pa.addr == pb.addr {
            issues.push(Issue::error(path, "link-ip", format!("both ends of the link have the address {}", pa.addr)));
        }
    }
}

/// A static external link: the switch IP as a prefix, the next hop inside it, the routed subnets
/// canonical and not overlapping, `0.0.0.0/0` alone, and the VLAN in range.
fn check_static_external(spec: &Value, type_path: &FieldPath, issues: &mut Vec<Issue>) {
    let Some(switch) = spec.pointer("/staticExternal/link/switch") else { return };
    let path = type_path.key("link").key("switch");
    let rule = "static-external";
    let ip = switch.get("ip").and_then(Value::as_str).and_then(Prefix::parse);
    let next_hop = switch.get("nextHop").and_then(Value::as_str);
    match (ip, next_hop) {
        (None, _) if is_unset(switch, "ip") => {
            let message = "a static external link needs the switch IP with its prefix length, e.g. 172.31.0.1/24";
            issues.push(Issue::error(path.key("ip"), rule, message));
        }
        (Some(ip), Some(hop)) => {
            if let Some(addr) = parse_addr(hop).filter(|addr| !ip.contains(*addr)) {
                issues.push(Issue::error(path.key("nextHop"), rule, format!("next hop {addr} is not inside {}", ip.masked())));
            }
        }
        (Some(_), None) => issues.push(Issue::error(path.key("nextHop"), rule, "a static external link needs a next hop")),
        _ => {}
    }
    let subnets = switch.get("subnets").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut seen: Vec<(usize, Prefix)> = Vec::new();
    for (i, subnet) in subnets.iter().enumerate() {
        let Some(text) = subnet.as_str() else { continue };
        let at = path.key("subnets").index(i);
        let Some(p) = Prefix::parse(text) else {
            issues.push(Issue::error(at, rule, format!("{text:?} is not an IPv4 prefix like 10.99.0.0/24")));
            continue;
        };
        if text == "0.0.0.0/0" && subnets.len() > 1 {
            issues.push(Issue::error(at, rule, "the default route 0.0.0.0/0 must be the only subnet"));
            continue;
        }
        if !p.is_canonical() {
            issues.push(Issue::error(at, rule, format!("{text} has host bits set; did you mean {}?", p.masked())));
            continue;
        }
        if let Some((j, other)) = seen.iter().find(|(_, o)| o.overlaps(p)) {
            issues.push(Issue::error(at, rule, format!("{text} overlaps {other} (subnets[{j}])")));
        }
        seen.push((i, p));
    }
    if let Some(vlan) = switch.get("vlan") {
        check_vlan(vlan, &path.key("vlan"), true, issues);
    }
}
