//! The rules of one VPC document, after Hedgehog's `VPC.Validate`: 1-20 subnets, each an IPv4
//! prefix of /30 or shorter with its gateway inside, a VLAN unless the subnet is hostBGP, no VLAN
//! or address range twice, a DHCP setup that fits the subnet, permit lists and static routes that
//! name real things.
//!
//! Upstream runs its defaulting webhook first (gateway = first address, DHCP settings dropped
//! while DHCP is off), so what defaulting would fill in is not an error here.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use serde_json::{Map, Value};

use super::fields::{check_vlan, is_unset, spec, spec_path, text};
use super::net::{parse_addr, Prefix};
use super::Issue;
use crate::yaml::FieldPath;

const MAX_SUBNETS: usize = 20;

pub(crate) fn validate(document: &Value, issues: &mut Vec<Issue>) {
    let empty = Map::new();
    let spec = spec(document).unwrap_or(&empty);
    if let Some(mode) = spec.get("mode").and_then(Value::as_str) {
        let message = match mode {
            "" | "l3vni" => None,
            "l3flat" => Some("mode l3flat is not supported yet".to_owned()),
            other => Some(format!("mode {other:?} is not one of l3vni, or empty for the default (L2VNI)")),
        };
        if let Some(message) = message {
            issues.push(Issue::error(spec_path(&["mode"]), "vpc-mode", message));
        }
    }
    let subnets = match spec.get("subnets") {
        Some(Value::Object(subnets)) => subnets,
        Some(s) if !s.is_null() => return, // the schema reports a non-mapping
        _ => &empty,
    };
    let path = spec_path(&["subnets"]);
    if subnets.is_empty() {
        issues.push(Issue::error(path.clone(), "vpc-subnet", "a VPC needs at least one subnet"));
    } else if subnets.len() > MAX_SUBNETS {
        let message = format!("a VPC may have at most {MAX_SUBNETS} subnets; this one has {}", subnets.len());
        issues.push(Issue::error(path.clone(), "vpc-subnet", message));
    }
    let mut vlans: HashMap<i64, &str> = HashMap::new();
    let mut prefixes: Vec<(&str, Prefix)> = Vec::new();
    for (name, subnet) in subnets {
        if subnet.is_object() {
            check_subnet(name, subnet, &path.key(name), &mut vlans, &mut prefixes, issues);
        }
    }
    check_permit(spec, subnets, issues);
    check_static_routes(spec, issues);
}

fn check_subnet<'a>(
    name: &'a str,
    subnet: &'a Value,
    path: &FieldPath,
    vlans: &mut HashMap<i64, &'a str>,
    prefixes: &mut Vec<(&'a str, Prefix)>,
    issues: &mut Vec<Issue>,
) {
    let rule = "vpc-subnet";
    let host_bgp = subnet.get("hostBGP").and_then(Value::as_bool).unwrap_or(false);
    let cidr_text = subnet.get("subnet").and_then(Value::as_str);
    let cidr = match cidr_text {
        None if is_unset(subnet, "subnet") => {
            let message = format!("subnet {name:?} needs its address range, e.g. subnet: 10.0.1.0/24");
            issues.push(Issue::error(path.key("subnet"), rule, message));
            None
        }
        Some(text) => match Prefix::parse(text) {
            None => {
                issues.push(Issue::error(path.key("subnet"), rule, format!("{text:?} is not an IPv4 prefix like 10.0.1.0/24")));
                None
            }
            Some(p) if p.len > 30 => {
                let message = format!("prefix /{} is too long: a VPC subnet must be /30 or shorter", p.len);
                issues.push(Issue::error(path.key("subnet"), rule, message));
                None
            }
            Some(p) => Some(p),
        },
        None => None,
    };
    if let (Some(p), Some(text)) = (cidr, cidr_text) {
        if let Some((other, op)) = prefixes.iter().find(|(_, op)| op.overlaps(p)) {
            let message = format!("subnet {text} overlaps subnet {other:?} ({op}) of this VPC");
            issues.push(Issue::error(path.key("subnet"), rule, message));
        }
        prefixes.push((name, p));
    }

    let mut gateway = cidr.map(|p| Ipv4Addr::from(u32::from(p.network()).wrapping_add(1)));
    if !host_bgp {
        if let Some(text) = subnet.get("gateway").and_then(Value::as_str).filter(|g| !g.is_empty()) {
            match parse_addr(text) {
                None => issues.push(Issue::error(path.key("gateway"), rule, format!("gateway {text:?} is not an IPv4 address"))),
                Some(addr) => {
                    gateway = Some(addr);
                    if let (Some(p), Some(cidr_text)) = (cidr, cidr_text) {
                        if !p.contains(addr) {
                            let message = format!("gateway {addr} is not inside subnet {cidr_text}");
                            issues.push(Issue::error(path.key("gateway"), rule, message));
                        }
                    }
                }
            }
        }
    }

    match subnet.get("vlan") {
        None | Some(Value::Null) if !host_bgp => {
            let message = format!("subnet {name:?} needs a VLAN (only hostBGP subnets go without)");
            issues.push(Issue::error(path.key("vlan"), "vlan", message));
        }
        Some(v) if v.as_i64() == Some(0) && !host_bgp => {
            let message = format!("subnet {name:?} needs a VLAN (only hostBGP subnets go without)");
            issues.push(Issue::error(path.key("vlan"), "vlan", message));
        }
        Some(v) => {
            let before = issues.len();
            check_vlan(v, &path.key("vlan"), host_bgp, issues);
            if let Some(vlan) = v.as_i64().filter(|n| *n != 0 && issues.len() == before) {
                if let Some(first) = vlans.get(&vlan) {
                    let message = format!("VLAN {vlan} is already used by subnet {first:?} of this VPC");
                    issues.push(Issue::error(path.key("vlan"), "vlan", message));
                } else {
                    vlans.insert(vlan, name);
                }
            }
        }
        None => {}
    }

    if let Some(dhcp) = subnet.get("dhcp").filter(|d| d.is_object()) {
        let enabled = dhcp.get("enable").and_then(Value::as_bool).unwrap_or(false);
        if host_bgp && enabled {
            issues.push(Issue::error(path.key("dhcp").key("enable"), "vpc-dhcp", "DHCP cannot be enabled on a hostBGP subnet"));
        }
        let fit = cidr.zip(cidr_text).map(|(p, t)| Fit { prefix: p, text: t, gateway });
        check_dhcp(dhcp, enabled, fit, &path.key("dhcp"), issues);
    }
}

/// The subnet a DHCP setting has to fit in.
#[derive(Clone, Copy)]
struct Fit<'a> {
    prefix: Prefix,
    text: &'a str,
    gateway: Option<Ipv4Addr>,
}

fn check_dhcp(dhcp: &Value, enabled: bool, fit: Option<Fit<'_>>, path: &FieldPath, issues: &mut Vec<Issue>) {
    let rule = "vpc-dhcp";
    let mut fail = |at: FieldPath, message: String| issues.push(Issue::error(at, rule, message));
    match (text(dhcp, "relay"), enabled) {
        (Some(_), true) => fail(path.key("relay"), "a DHCP relay and the DHCP server cannot both be enabled".to_owned()),
        (Some(relay), false) if Prefix::parse(relay).is_none() => {
            fail(path.key("relay"), format!("relay {relay:?} is not an IPv4 address with prefix length, like 10.99.0.100/24"));
        }
        (None, _) if !is_unset(dhcp, "relayVPC") => fail(path.key("relayVPC"), "relayVPC is set but relay is not".to_owned()),
        _ => {}
    }
    let has_static = dhcp.get("static").and_then(Value::as_object).is_some_and(|m| !m.is_empty());
    if !enabled {
        let range = dhcp.get("range").filter(|r| !is_unset(r, "start") || !is_unset(r, "end"));
        let options = dhcp.get("options").filter(|o| o.as_object().is_some_and(|m| !m.is_empty()));
        for (field, present) in [("range", range.is_some()), ("options", options.is_some())] {
            if present {
                let message = format!("dhcp.{field} is ignored while dhcp.enable is not true");
                issues.push(Issue::warning(path.key(field), rule, message));
            }
        }
        if has_static {
            issues.push(Issue::error(path.key("static"), rule, "static IPs need the DHCP server: set dhcp.enable: true"));
        }
        return;
    }
    let Some(fit) = fit else { return };
    let mut start = None;
    for field in ["start", "end"] {
        let Some(text) = dhcp.get("range").and_then(|r| r.get(field)).and_then(Value::as_str).filter(|t| !t.is_empty()) else {
            continue;
        };
        let at = path.key("range").key(field);
        let Some(addr) = parse_addr(text) else {
            fail(at, format!("DHCP range {field} {text:?} is not an IPv4 address"));
            continue;
        };
        if !fit.prefix.contains(addr) {
            fail(at, format!("DHCP range {field} {addr} is not inside subnet {}", fit.text));
        } else if addr == fit.prefix.network() {
            fail(at, format!("DHCP range {field} {addr} is the subnet's own address"));
        } else if Some(addr) == fit.gateway {
            fail(at, format!("DHCP range {field} {addr} is the gateway"));
        } else if field == "start" {
            start = Some(addr);
        } else if let Some(start) = start.filter(|s| *s >= addr) {
            fail(path.key("range"), format!("DHCP range start {start} does not come before its end {addr}"));
        }
    }
    if let Some(options) = dhcp.get("options").filter(|o| o.is_object()) {
        let at = path.key("options");
        if let Some(mtu) = options.get("interfaceMTU").and_then(Value::as_i64).filter(|m| *m != 0 && !(96..=9036).contains(m)) {
            fail(at.key("interfaceMTU"), format!("interface MTU {mtu} is outside 96-9036"));
        }
        if let Some(lease) = options.get("leaseTimeSeconds").and_then(Value::as_i64).filter(|l| *l < 0) {
            fail(at.key("leaseTimeSeconds"), format!("lease time {lease} must be at least 1 second"));
        }
        for field in ["dnsServers", "timeServers"] {
            for (i, server) in options.get(field).and_then(Value::as_array).into_iter().flatten().enumerate() {
                if let Some(s) = server.as_str().filter(|s| parse_addr(s).is_none()) {
                    fail(at.key(field).index(i), format!("{s:?} is not an IPv4 address"));
                }
            }
        }
        for (i, route) in options.get("advertisedRoutes").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let route_at = at.key("advertisedRoutes").index(i);
            if text(route, "destination").and_then(Prefix::parse).is_none() {
                fail(route_at.key("destination"), "an advertised route needs a destination prefix, like 10.50.0.0/16".to_owned());
            }
            match text(route, "gateway").map(|g| (g, parse_addr(g))) {
                Some((_, Some(gw))) if fit.prefix.contains(gw) => {}
                Some((g, Some(_))) => fail(route_at.key("gateway"), format!("route gateway {g} is not inside subnet {}", fit.text)),
                _ => fail(route_at.key("gateway"), "an advertised route needs a gateway address".to_owned()),
            }
        }
    }
    if has_static {
        check_static_leases(dhcp, fit, &path.key("static"), issues);
    }
}

fn check_static_leases(dhcp: &Value, fit: Fit<'_>, path: &FieldPath, issues: &mut Vec<Issue>) {
    let mut taken: HashMap<Ipv4Addr, &str> = HashMap::new();
    for (mac, lease) in dhcp.get("static").and_then(Value::as_object).into_iter().flatten() {
        let at = path.key(mac).key("ip");
        let Some(text) = lease.get("ip").and_then(Value::as_str) else { continue };
        let message = match parse_addr(text) {
            None => Some(format!("static IP {text:?} is not an IPv4 address")),
            Some(ip) if !fit.prefix.contains(ip) => Some(format!("static IP {ip} is not inside subnet {}", fit.text)),
            Some(ip) if ip == fit.prefix.network() || ip == fit.prefix.last() => {
                Some(format!("static IP {ip} is the subnet's network or broadcast address"))
            }
            Some(ip) if Some(ip) == fit.gateway => Some(format!("static IP {ip} is the gateway")),
            Some(ip) => taken.insert(ip, mac).map(|other| format!("static IP {ip} is already given to {other}")),
        };
        if let Some(message) = message {
            issues.push(Issue::error(at, "vpc-dhcp", message));
        }
    }
}

fn check_permit(spec: &Map<String, Value>, subnets: &Map<String, Value>, issues: &mut Vec<Issue>) {
    let Some(policies) = spec.get("permit").and_then(Value::as_array) else { return };
    for (i, policy) in policies.iter().enumerate() {
        let Some(names) = policy.as_array() else { continue };
        let at = spec_path(&["permit"]).index(i);
        if names.len() < 2 {
            issues.push(Issue::error(at.clone(), "vpc-permit", "a permit policy lists at least two subnets"));
        }
        for (j, name) in names.iter().enumerate() {
            let Some(name) = name.as_str() else { continue };
            if !subnets.contains_key(name) {
                issues.push(Issue::error(at.index(j), "vpc-permit", format!("this VPC has no subnet {name:?}")));
            } else if names[..j].iter().any(|n| n.as_str() == Some(name)) {
                issues.push(Issue::error(at.index(j), "vpc-permit", format!("subnet {name:?} is listed twice")));
            }
        }
    }
}

fn check_static_routes(spec: &Map<String, Value>, issues: &mut Vec<Issue>) {
    let Some(routes) = spec.get("staticRoutes").and_then(Value::as_array) else { return };
    let rule = "vpc-static-route";
    for (i, route) in routes.iter().enumerate() {
        let at = spec_path(&["staticRoutes"]).index(i);
        match route.get("prefix").and_then(Value::as_str) {
            None if is_unset(route, "prefix") => issues.push(Issue::error(at.key("prefix"), rule, "a static route needs a prefix")),
            Some(p) => match Prefix::parse(p) {
                None => issues.push(Issue::error(at.key("prefix"), rule, format!("{p:?} is not an IPv4 prefix like 10.42.0.0/24"))),
                Some(prefix) if !prefix.is_canonical() => {
                    let message = format!("{p} has host bits set; did you mean {}?", prefix.masked());
                    issues.push(Issue::error(at.key("prefix"), rule, message));
                }
                Some(_) => {}
            },
            None => {}
        }
        if route.get("nextHops").and_then(Value::as_array).is_none_or(Vec::is_empty) {
            issues.push(Issue::error(at.key("nextHops"), rule, "a static route needs at least one next hop"));
        }
    }
}
