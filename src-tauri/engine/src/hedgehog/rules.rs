//! Hedgehog's rules about one document, beyond what its CRD schema says: names, namespace and
//! labels for every kind, then the rules of each kind, written after Hedgehog's Go admission
//! webhooks (`api/*/v1beta1/*_types.go` in githedgehog/fabric) where they need nothing but the
//! document. VPCs live in `vpc.rs` and Connections in `connection.rs`; the field helpers all of
//! them share live in `fields.rs`, so those two never reach back into this module.
//!
//! Rules read values defensively: a field of the wrong type was already reported by the schema
//! layer, so here it is skipped rather than reported twice.

use serde_json::Value;

use super::fields::{check_vlan, is_unset, spec, spec_path, text};
use super::kinds::{classify, Classification, LEGACY_VERSION};
use super::net::{parse_addr, Prefix};
use super::{connection, vpc, Issue, Kind};
use crate::yaml::FieldPath;

// `refs.rs` still names these two through this module; they live in `fields.rs`.

/// VLANs Hedgehog reserves for its own use (the default VPC IRB range).
pub(crate) const RESERVED_VLANS: (i64, i64) = (3000, 3999);

/// The most characters a VPC, IPv4Namespace or External name may have: they end up in switch
/// configuration names (VRFs, route maps) with a length limit.
const SHORT_NAME: usize = 11;

/// The apiVersion and kind must be those of `kind` (v1beta1, or legacy v1alpha2 with a warning).
pub(crate) fn check_type_meta(kind: Kind, document: &Value, issues: &mut Vec<Issue>) {
    match classify(document) {
        Classification::Managed { kind: k, legacy } if k == kind => {
            if legacy {
                let message = format!(
                    "apiVersion {}/{LEGACY_VERSION} is outdated (replaced by v1beta1 in October 2024); rewrite it as {}",
                    kind.group(),
                    kind.api_version()
                );
                issues.push(Issue::warning(FieldPath::of(&["apiVersion"]), "legacy-version", message));
            }
        }
        Classification::Managed { kind: k, .. } => {
            issues.push(Issue::error(FieldPath::of(&["kind"]), "kind", format!("this is a {k}, not a {kind}")));
        }
        Classification::HedgehogUnmanaged { api_version, kind: k } | Classification::NotHedgehog { api_version, kind: k } => {
            let message = format!("{api_version} {k} is not a {kind} (expected apiVersion {})", kind.api_version());
            issues.push(Issue::error(FieldPath::of(&["apiVersion"]), "kind", message));
        }
        // A document that is not a mapping at all is the schema layer's to report.
        Classification::Incomplete { reason } if document.is_object() => {
            let message = format!("{reason}; a {kind} needs apiVersion {} and kind {kind}", kind.api_version());
            issues.push(Issue::error(FieldPath::root(), "kind", message));
        }
        Classification::Incomplete { .. } => {}
    }
}

/// Every per-document Hedgehog rule of `kind`.
pub(crate) fn validate(kind: Kind, document: &Value, issues: &mut Vec<Issue>) {
    check_metadata(kind, document, issues);
    if !document.is_object() {
        return;
    }
    match kind {
        Kind::Switch => check_switch(document, issues),
        Kind::Connection => connection::validate(document, issues),
        Kind::VLANNamespace => check_vlan_namespace(document, issues),
        Kind::VPC => vpc::validate(document, issues),
        Kind::IPv4Namespace => check_ipv4_namespace(document, issues),
        Kind::VPCAttachment => check_vpc_attachment(document, issues),
        Kind::VPCPeering => check_vpc_peering(document, issues),
        Kind::External => check_external(document, issues),
        Kind::ExternalAttachment => check_external_attachment(document, issues),
        Kind::ExternalPeering => check_external_peering(document, issues),
        Kind::Server | Kind::SwitchGroup | Kind::SwitchProfile | Kind::ServerProfile => {}
    }
}

/// A lowercase RFC 1123 subdomain: dot-separated labels of `a-z`, `0-9` and `-`, each starting
/// and ending with a letter or digit.
pub(crate) fn is_dns_subdomain(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
                && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
                && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        })
}

/// A Kubernetes label value or the name part of a qualified key: up to 63 of `A-Za-z0-9-_.`,
/// starting and ending with a letter or digit.
fn is_label_name(s: &str, allow_empty: bool) -> bool {
    if s.is_empty() {
        return allow_empty;
    }
    let b = s.as_bytes();
    s.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label or annotation key: `name` or `prefix/name`, the prefix a DNS subdomain.
fn is_qualified_key(key: &str) -> bool {
    match key.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_label_name(name, false),
        None => is_label_name(key, false),
    }
}

/// Why `name` cannot be a Kubernetes resource name, or `None` when it can: a lowercase RFC 1123
/// subdomain of 1 to 253 characters.
fn invalid_name(name: &str) -> Option<String> {
    let len = name.chars().count();
    if name.is_empty() {
        Some("the name is empty".to_owned())
    } else if len > 253 {
        Some(format!("the name is {len} characters long; at most 253 are allowed"))
    } else if !is_dns_subdomain(name) {
        Some(format!(
            "{name:?} is not a valid name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
        ))
    } else {
        None
    }
}

// An inherent impl outside kinds.rs, so that the rule is reachable from the engine (this
// module is private to `hedgehog`) and keeps one wording wherever a name is refused.
impl Kind {
    /// Why `name` cannot name a resource of any kind (not a Kubernetes name). Such a name does not
    /// make a sound file name either (`a/b`, `..`, `.git`), so a new resource is refused for
    /// it when its draft is saved, rather than kept as an invalid draft.
    pub(crate) fn name_problem(name: &str) -> Option<String> {
        invalid_name(name)
    }
}

/// Base names Windows reserves for devices, with any extension (`nul.yaml` is `nul`): git for
/// Windows refuses to check out a file so named.
const WINDOWS_DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];

/// Why Windows cannot have a file or folder named `name`, or `None`: a reserved device name
/// (`con`, `prn`, `aux`, `nul`, `com1`-`com9`, `lpt1`-`lpt9`, in any case, with or without an
/// extension), or a name ending in `.` or a space.
pub(crate) fn windows_reserved(name: &str) -> Option<String> {
    if name.ends_with(['.', ' ']) {
        return Some(format!("{name:?} ends in {:?}, which Windows drops from file names", &name[name.len() - 1..]));
    }
    let base = name.split('.').next().unwrap_or_default().trim_end_matches(' ').to_ascii_lowercase();
    let numbered = |prefix: &str| base.strip_prefix(prefix).is_some_and(|n| n.len() == 1 && matches!(n.as_bytes()[0], b'1'..=b'9'));
    if !(WINDOWS_DEVICES.contains(&base.as_str()) || numbered("com") || numbered("lpt")) {
        return None;
    }
    Some(if base.len() == name.len() {
        format!("{name:?} is a device name on Windows")
    } else {
        format!("{name:?} starts with {base:?}, a device name on Windows (an extension does not help)")
    })
}

fn check_metadata(kind: Kind, document: &Value, issues: &mut Vec<Issue>) {
    let Some(metadata) = document.get("metadata").and_then(Value::as_object) else { return };
    let meta = FieldPath::of(&["metadata"]);
    if let Some(name) = metadata.get("name").and_then(Value::as_str) {
        let path = meta.key("name");
        let len = name.chars().count();
        match invalid_name(name) {
            Some(problem) => issues.push(Issue::error(path.clone(), "name", problem)),
            // The managed file is `<name>.yaml`; a name ending in '.' is already invalid above.
            None => {
                if let Some(why) = windows_reserved(name) {
                    let message = format!("{why}: Windows clients of this repository cannot check out the file of this resource");
                    issues.push(Issue::warning(path.clone(), "windows-name", message));
                }
            }
        }
        if matches!(kind, Kind::VPC | Kind::IPv4Namespace | Kind::External) && (SHORT_NAME + 1..=253).contains(&len) {
            let message = format!("a {kind} name may be at most {SHORT_NAME} characters; {name:?} has {len}");
            issues.push(Issue::error(path, "name", message));
        }
    }
    if let Some(ns) = metadata.get("namespace").and_then(Value::as_str) {
        if !ns.is_empty() && ns != "default" {
            let message = format!("namespace {ns:?} is not supported; Hedgehog resources live in \"default\"");
            issues.push(Issue::error(meta.key("namespace"), "namespace", message));
        }
    }
    for field in ["labels", "annotations"] {
        let Some(entries) = metadata.get(field).and_then(Value::as_object) else { continue };
        let what = if field == "labels" { "label" } else { "annotation" };
        for (key, value) in entries {
            let path = meta.key(field).key(key);
            if !is_qualified_key(key) {
                let message = format!("{key:?} is not a valid {what} key: a name of up to 63 letters, digits, '-', '_' or '.', optionally after a DNS prefix and '/'");
                issues.push(Issue::error(path, "labels", message));
            } else if let Some(v) = value.as_str().filter(|v| field == "labels" && !is_label_name(v, true)) {
                let message = format!("{v:?} is not a valid label value: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
                issues.push(Issue::error(path, "labels", message));
            }
        }
    }
}

fn check_switch(document: &Value, issues: &mut Vec<Issue>) {
    let Some(spec) = spec(document) else { return };
    if let Some(redundancy) = spec.get("redundancy").filter(|r| r.is_object()) {
        let path = spec_path(&["redundancy"]);
        let (group, ty) = (text(redundancy, "group"), text(redundancy, "type"));
        match (group, ty) {
            (Some(_), None) if is_unset(redundancy, "type") => {
                issues.push(Issue::error(path.key("type"), "redundancy", "a redundancy group needs a type (eslag)"));
            }
            (None, Some(_)) if is_unset(redundancy, "group") => {
                issues.push(Issue::error(path.key("group"), "redundancy", "a redundancy type needs a group"));
            }
            _ => {}
        }
        if ty == Some("mclag") {
            issues.push(Issue::warning(path.key("type"), "deprecated", "MCLAG is deprecated upstream and no longer supported; use ESLAG"));
        }
    }
    if let Some(groups) = spec.get("groups").and_then(Value::as_array) {
        for (i, group) in groups.iter().enumerate() {
            if group.as_str() == Some("") {
                issues.push(Issue::error(spec_path(&["groups"]).index(i), "switch", "a switch group name cannot be empty"));
            }
        }
    }
}

fn check_vlan_namespace(document: &Value, issues: &mut Vec<Issue>) {
    let Some(ranges) = spec(document).and_then(|s| s.get("ranges")).and_then(Value::as_array) else { return };
    let rule = "vlan-range";
    let mut valid: Vec<(usize, i64, i64)> = Vec::new();
    for (i, range) in ranges.iter().enumerate() {
        let path = spec_path(&["ranges"]).index(i);
        let from = range.get("from").and_then(Value::as_i64).unwrap_or(0);
        let to = range.get("to").and_then(Value::as_i64).filter(|to| *to != 0).unwrap_or(from);
        let mut ok = true;
        for (field, vlan) in [("from", from), ("to", to)] {
            if !(1..=4094).contains(&vlan) {
                issues.push(Issue::error(path.key(field), rule, format!("VLAN {vlan} is outside 1-4094")));
                ok = false;
            }
        }
        if from > to {
            issues.push(Issue::error(path.clone(), rule, format!("range {from}-{to} starts after it ends")));
            ok = false;
        }
        let (reserved_from, reserved_to) = RESERVED_VLANS;
        if ok && from <= reserved_to && to >= reserved_from {
            let message = format!("VLAN range {from}-{to} overlaps the reserved range {reserved_from}-{reserved_to}");
            issues.push(Issue::error(path.clone(), rule, message));
        }
        if !ok {
            continue;
        }
        if let Some((j, f, t)) = valid.iter().find(|(_, f, t)| from <= *t && to >= *f) {
            issues.push(Issue::error(path, rule, format!("VLAN range {from}-{to} overlaps range {f}-{t} (ranges[{j}])")));
        }
        valid.push((i, from, to));
    }
}

/// Hedgehog's limit on subnets of one IPv4Namespace (ACLs between them are limited).
const MAX_IPV4_NAMESPACE_SUBNETS: usize = 10;

fn check_ipv4_namespace(document: &Value, issues: &mut Vec<Issue>) {
    let Some(subnets) = spec(document).and_then(|s| s.get("subnets")).and_then(Value::as_array) else { return };
    let rule = "ipv4-namespace";
    if subnets.len() > MAX_IPV4_NAMESPACE_SUBNETS {
        let message = format!("an IPv4Namespace may have at most {MAX_IPV4_NAMESPACE_SUBNETS} subnets; this one has {}", subnets.len());
        issues.push(Issue::error(spec_path(&["subnets"]), rule, message));
    }
    check_prefix_list(subnets, &spec_path(&["subnets"]), rule, issues);
}

/// Each entry an IPv4 prefix, no two overlapping.
pub(crate) fn check_prefix_list(list: &[Value], path: &FieldPath, rule: &'static str, issues: &mut Vec<Issue>) {
    let mut seen: Vec<(usize, Prefix)> = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let Some(s) = entry.as_str() else { continue };
        let Some(p) = Prefix::parse(s) else {
            issues.push(Issue::error(path.index(i), rule, format!("{s:?} is not an IPv4 prefix like 10.0.0.0/16")));
            continue;
        };
        if let Some((j, other)) = seen.iter().find(|(_, o)| o.overlaps(p)) {
            issues.push(Issue::error(path.index(i), rule, format!("{s} overlaps {other} ([{j}])")));
        }
        seen.push((i, p));
    }
}

/// `vpc/subnet` of a VPCAttachment; a bare `vpc` means its subnet `default`, as upstream's
/// defaulting webhook has it.
pub(crate) fn attachment_subnet(subnet: &str) -> Option<(&str, &str)> {
    match subnet.split_once('/') {
        None if !subnet.is_empty() => Some((subnet, "default")),
        Some((vpc, name)) if !vpc.is_empty() && !name.is_empty() => Some((vpc, name)),
        _ => None,
    }
}

fn check_vpc_attachment(document: &Value, issues: &mut Vec<Issue>) {
    let spec = document.get("spec").unwrap_or(&Value::Null);
    let rule = "attachment";
    match spec.get("subnet").and_then(Value::as_str) {
        None if is_unset(spec, "subnet") => {
            issues.push(Issue::error(spec_path(&["subnet"]), rule, "a VPC attachment needs a subnet, written vpc-name/subnet-name"));
        }
        Some(s) if attachment_subnet(s).is_none() => {
            let message = format!("subnet {s:?} is not in the form vpc-name/subnet-name");
            issues.push(Issue::error(spec_path(&["subnet"]), rule, message));
        }
        _ => {}
    }
    if is_unset(spec, "connection") {
        issues.push(Issue::error(spec_path(&["connection"]), rule, "a VPC attachment needs a connection"));
    }
}

fn check_vpc_peering(document: &Value, issues: &mut Vec<Issue>) {
    let spec = document.get("spec").unwrap_or(&Value::Null);
    let rule = "vpc-peering";
    if !is_unset(spec, "remote") {
        issues.push(Issue::error(spec_path(&["remote"]), rule, "remote is deprecated and no longer supported"));
    }
    let permits = spec.get("permit").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut vpcs: Vec<&str> = Vec::new();
    for (i, permit) in permits.iter().enumerate() {
        let Some(entry) = permit.as_object() else { continue };
        if entry.len() != 2 {
            let message = format!("each permit entry names exactly two VPCs; this one names {}", entry.len());
            issues.push(Issue::error(spec_path(&["permit"]).index(i), rule, message));
        }
        for name in entry.keys() {
            if !vpcs.contains(&name.as_str()) {
                vpcs.push(name);
            }
        }
    }
    if vpcs.len() != 2 {
        let message = match vpcs.len() {
            0 => "a VPC peering needs a permit entry naming its two VPCs, e.g. {vpc-1: {}, vpc-2: {}}".to_owned(),
            n => format!("a VPC peering is between exactly two VPCs; its permit entries name {n}: {}", vpcs.join(", ")),
        };
        issues.push(Issue::error(spec_path(&["permit"]), rule, message));
    }
}

/// A BGP community `asn:value`, both parts 16-bit.
fn is_community(s: &str) -> bool {
    let part = |p: &str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n <= 65535);
    s.split_once(':').is_some_and(|(a, b)| part(a) && part(b))
}

fn check_external(document: &Value, issues: &mut Vec<Issue>) {
    let Some(spec) = spec(document) else { return };
    let rule = "external";
    for field in ["inboundCommunity", "outboundCommunity"] {
        if let Some(c) = spec.get(field).and_then(Value::as_str).filter(|c| !c.is_empty() && !is_community(c)) {
            issues.push(Issue::error(spec_path(&[field]), rule, format!("{c:?} is not a BGP community like 65102:5000")));
        }
    }
    if let Some(prefixes) = spec.get("static").and_then(|s| s.get("prefixes")).and_then(Value::as_array) {
        check_prefix_list(prefixes, &spec_path(&["static", "prefixes"]), rule, issues);
    }
}

fn check_external_attachment(document: &Value, issues: &mut Vec<Issue>) {
    let spec = document.get("spec").unwrap_or(&Value::Null);
    let rule = "external-attachment";
    let mut fail = |path: FieldPath, message: String| issues.push(Issue::error(path, rule, message));
    for field in ["external", "connection"] {
        if is_unset(spec, field) {
            fail(spec_path(&[field]), format!("an external attachment needs {field}"));
        }
    }
    let switch = spec.get("switch").unwrap_or(&Value::Null);
    let neighbor = spec.get("neighbor").unwrap_or(&Value::Null);
    let prefix_ok = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).and_then(Prefix::parse).is_some();
    let addr_ok = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).and_then(parse_addr).is_some();
    if let Some(st) = spec.get("static").filter(|s| s.is_object()) {
        let path = spec_path(&["static"]);
        if !is_unset(switch, "ip") || switch.get("vlan").and_then(Value::as_i64).is_some_and(|v| v != 0) {
            fail(spec_path(&["switch"]), "switch settings do not apply to a static attachment; use static".to_owned());
        }
        if !is_unset(neighbor, "ip") || neighbor.get("asn").and_then(Value::as_i64).is_some_and(|v| v != 0) {
            fail(spec_path(&["neighbor"]), "a static attachment has no BGP neighbor".to_owned());
        }
        if is_unset(st, "remoteIP") {
            fail(path.key("remoteIP"), "a static attachment needs remoteIP, the external's address".to_owned());
        } else if !addr_ok(st, "remoteIP") {
            fail(path.key("remoteIP"), "remoteIP is not an IPv4 address".to_owned());
        }
        let proxy = st.get("proxy").and_then(Value::as_bool).unwrap_or(false);
        match (is_unset(st, "ip"), proxy) {
            (true, false) | (false, true) => fail(path.clone(), "set exactly one of static.ip and static.proxy".to_owned()),
            (false, false) if !prefix_ok(st, "ip") => fail(path.key("ip"), "static.ip is not an IPv4 address with prefix length, like 10.0.0.1/24".to_owned()),
            _ => {}
        }
    } else {
        let path = spec_path(&["switch"]);
        if is_unset(switch, "ip") {
            fail(path.key("ip"), "a BGP attachment needs switch.ip, with prefix length".to_owned());
        } else if !prefix_ok(switch, "ip") {
            fail(path.key("ip"), "switch.ip is not an IPv4 address with prefix length, like 100.100.0.1/24".to_owned());
        }
        let path = spec_path(&["neighbor"]);
        if matches!(neighbor.get("asn"), None | Some(Value::Null)) || neighbor.get("asn").and_then(Value::as_i64) == Some(0) {
            fail(path.key("asn"), "a BGP attachment needs neighbor.asn".to_owned());
        }
        if is_unset(neighbor, "ip") {
            fail(path.key("ip"), "a BGP attachment needs neighbor.ip".to_owned());
        } else if !addr_ok(neighbor, "ip") {
            fail(path.key("ip"), "neighbor.ip is not an IPv4 address (without prefix length)".to_owned());
        }
    }
    for (holder, key) in [(spec.get("switch"), "switch"), (spec.get("static"), "static")] {
        if let Some(vlan) = holder.and_then(|h| h.get("vlan")) {
            check_vlan(vlan, &spec_path(&[key, "vlan"]), true, issues);
        }
    }
    check_acl(spec, issues);
}

fn check_external_peering(document: &Value, issues: &mut Vec<Issue>) {
    let permit = document.pointer("/spec/permit").unwrap_or(&Value::Null);
    let rule = "external-peering";
    for side in ["vpc", "external"] {
        if permit.get(side).is_none_or(|s| is_unset(s, "name")) {
            issues.push(Issue::error(spec_path(&["permit", side, "name"]), rule, format!("an external peering needs permit.{side}.name")));
        }
    }
    let prefixes = permit.pointer("/external/prefixes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (i, entry) in prefixes.iter().enumerate() {
        let path = spec_path(&["permit", "external", "prefixes"]).index(i).key("prefix");
        match entry.get("prefix").and_then(Value::as_str) {
            None if is_unset(entry, "prefix") => issues.push(Issue::error(path, rule, "each permitted prefix needs prefix")),
            Some(p) if Prefix::parse(p).is_none() => {
                issues.push(Issue::error(path, rule, format!("{p:?} is not an IPv4 prefix like 0.0.0.0/0")));
            }
            _ => {}
        }
    }
}

/// The inbound ACL of an external attachment, as upstream's `ACLSpec.Validate`.
fn check_acl(spec: &Value, issues: &mut Vec<Issue>) {
    let Some(statements) = spec.pointer("/inboundACL/statements").and_then(Value::as_array) else { return };
    let rule = "acl";
    let mut seqs: Vec<i64> = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        let path = spec_path(&["inboundACL", "statements"]).index(i);
        let mut fail = |field: &str, message: String| issues.push(Issue::error(path.key(field), rule, message));
        if let Some(seq) = st.get("seq").and_then(Value::as_i64) {
            if seq < 10 {
                fail("seq", format!("sequence number {seq} is reserved; use 10 or more"));
            } else if seqs.contains(&seq) {
                fail("seq", format!("sequence number {seq} is used twice"));
            }
            seqs.push(seq);
        }
        let action = st.get("action").and_then(Value::as_str);
        if let Some(a) = action.filter(|a| !["permit", "deny", "discard", "transit"].contains(a)) {
            fail("action", format!("action {a:?} is not one of permit, deny, discard, transit"));
        }
        let protocol = st.get("protocol").and_then(Value::as_str);
        if let Some(p) = protocol.filter(|p| !["ip", "tcp", "udp", "icmp"].contains(p)) {
            fail("protocol", format!("protocol {p:?} is not one of ip, tcp, udp, icmp"));
        }
        for field in ["srcPrefix", "dstPrefix"] {
            if let Some(p) = st.get(field).and_then(Value::as_str).filter(|p| *p != "any" && Prefix::parse(p).is_none()) {
                fail(field, format!("{p:?} is neither \"any\" nor an IPv4 prefix"));
            }
        }
        let given = |key: &str| st.get(key).is_some_and(|v| !v.is_null());
        if given("tcpFilters") && protocol != Some("tcp") {
            fail("tcpFilters", "tcpFilters apply to protocol tcp only".to_owned());
        }
        if (given("icmpType") || given("icmpCode")) && protocol != Some("icmp") {
            fail("protocol", "icmpType and icmpCode apply to protocol icmp only".to_owned());
        }
        let begin = st.get("portRangeBegin").and_then(Value::as_i64).unwrap_or(0);
        let end = st.get("portRangeEnd").and_then(Value::as_i64).unwrap_or(0);
        if begin > 0 || end > 0 {
            if !matches!(protocol, Some("tcp" | "udp")) {
                fail("protocol", "a port range applies to protocol tcp or udp only".to_owned());
            } else if begin == 0 || begin > end {
                fail("portRangeBegin", format!("port range {begin}-{end} is not a range from 1 up"));
            }
        }
    }
}
