//! The spec defaults of Hedgehog's admission webhooks: what the `Default()` methods of the api
//! types in githedgehog/fabric (api/vpc/v1beta1/*_types.go, api/wiring/v1beta1/*_types.go)
//! change in a spec, for the API the shipped CRDs describe (fabric 78827deb, v0.126.0-15).
//!
//! Newer `Default()`s also set fields the shipped CRDs lack (`topology.fabric`,
//! `topology.domain`, `portLocators`): the API server prunes those, so they are left out here.
//! Labels and annotations the webhooks derive are metadata, which [`super::normalize`] handles.
//! The `Default()` of Server, SwitchGroup, SwitchProfile, ServerProfile, Connection, VPCPeering
//! and ExternalAttachment touches no spec field the shipped CRDs have.

use std::net::Ipv4Addr;

use serde_json::{Map, Value};

use crate::hedgehog::Kind;

/// `DefaultIPv4Namespace` (api/vpc/v1beta1).
const DEFAULT_IPV4_NAMESPACE: &str = "default";
/// `DefaultVLANNamespace` (api/wiring/v1beta1), also the Switch's `vlanNamespaces` default.
const DEFAULT_VLAN_NAMESPACE: &str = "default";
/// VPCDHCPOptions defaults in `func (vpc *VPC) Default()`.
const DEFAULT_DHCP_INTERFACE_MTU: u64 = 9036;
const DEFAULT_DHCP_LEASE_TIME_SECONDS: u64 = 3600;
/// The prefix `func (sw *Switch) Default()` cuts from port speeds (`SPEED_25GB` → `25GB`).
const SPEED_PREFIX: &str = "SPEED_";

/// The defaults the webhook of `kind` fills into `spec`, as its Go `Default()` does.
pub(super) fn webhook_defaults(kind: Kind, spec: &mut Value) {
    let Value::Object(spec) = spec else { return };
    match kind {
        Kind::VPC => vpc(spec),
        Kind::VPCAttachment => vpc_attachment(spec),
        // ipv4namespace_types.go: `sort.Strings(ns.Spec.Subnets)`.
        Kind::IPv4Namespace => sort_strings(spec.get_mut("subnets")),
        // external_types.go: `ipv4Namespace` defaults to `DefaultIPv4Namespace`.
        Kind::External => default_string(spec, "ipv4Namespace", DEFAULT_IPV4_NAMESPACE),
        Kind::ExternalPeering => external_peering(spec),
        Kind::Switch => switch(spec),
        Kind::VLANNamespace => vlan_namespace(spec),
        Kind::Server
        | Kind::Connection
        | Kind::SwitchGroup
        | Kind::SwitchProfile
        | Kind::ServerProfile
        | Kind::VPCPeering
        | Kind::ExternalAttachment => {}
    }
}

/// VPC, from `func (vpc *VPC) Default()` in vpc_types.go: both namespaces default to `default`;
/// each subnet whose CIDR parses gets its defaults from [`vpc_subnet`].
fn vpc(spec: &mut Map<String, Value>) {
    default_string(spec, "ipv4Namespace", DEFAULT_IPV4_NAMESPACE);
    default_string(spec, "vlanNamespace", DEFAULT_VLAN_NAMESPACE);
    if let Some(Value::Object(subnets)) = spec.get_mut("subnets") {
        for subnet in subnets.values_mut() {
            if let Value::Object(subnet) = subnet {
                vpc_subnet(subnet);
            }
        }
    }
}

/// One VPC subnet (vpc_types.go): without a gateway and not hostBGP, the gateway is the first
/// address (`cidr.Gateway`); prefixes longer than /30 stop there, the others go on to the DHCP
/// server settings.
fn vpc_subnet(subnet: &mut Map<String, Value>) {
    let Some(cidr) = subnet.get("subnet").and_then(Value::as_str).and_then(Cidr4::parse) else { return };
    let host_bgp = subnet.get("hostBGP").and_then(Value::as_bool).unwrap_or(false);
    if !host_bgp && is_go_zero(subnet.get("gateway")) {
        subnet.insert("gateway".to_owned(), Value::String(cidr.gateway().to_string()));
    }
    if cidr.len > 30 {
        return;
    }
    if let Some(Value::Object(dhcp)) = subnet.get_mut("dhcp") {
        vpc_dhcp(dhcp, cidr);
    }
}

/// A subnet's DHCP server (vpc_types.go): disabled, it has no range and no options; enabled,
/// the range is completed, options that set nothing are dropped (and Go `continue`s there, so
/// the static MACs stay as written), other options are completed, then static MACs are
/// rewritten in Go's form.
fn vpc_dhcp(dhcp: &mut Map<String, Value>, cidr: Cidr4) {
    if !dhcp.get("enable").and_then(Value::as_bool).unwrap_or(false) {
        dhcp.remove("range");
        dhcp.remove("options");
        return;
    }
    dhcp_range(dhcp, cidr);
    let options_set_nothing = match dhcp.get("options") {
        Some(Value::Object(options)) => Some(dhcp_options_set_nothing(options)),
        _ => None,
    };
    match options_set_nothing {
        Some(true) => {
            dhcp.remove("options");
            return;
        }
        Some(false) => {
            if let Some(Value::Object(options)) = dhcp.get_mut("options") {
                dhcp_options(options);
            }
        }
        None => {}
    }
    canonical_static_macs(dhcp);
}

/// `range.start` defaults to `cidr.DHCPRangeStart` (network + 2), `range.end` to
/// `cidr.DHCPRangeEnd` (the last address of the subnet).
fn dhcp_range(dhcp: &mut Map<String, Value>, cidr: Cidr4) {
    let range = dhcp.entry("range").or_insert(Value::Null);
    if range.is_null() {
        *range = Value::Object(Map::new());
    }
    let Value::Object(range) = range else { return };
    if is_go_zero(range.get("start")) {
        range.insert("start".to_owned(), Value::String(cidr.dhcp_start().to_string()));
    }
    if is_go_zero(range.get("end")) {
        range.insert("end".to_owned(), Value::String(cidr.last().to_string()));
    }
}

/// Whether every field of VPCDHCPOptions is Go's zero value; the lists count as set when they
/// are `[]` (an empty, non-nil Go slice), as in the Go test `DNSServers == nil`.
fn dhcp_options_set_nothing(options: &Map<String, Value>) -> bool {
    ["pxeURL", "interfaceMTU", "leaseTimeSeconds", "disableDefaultRoute"]
        .into_iter()
        .all(|field| is_go_zero(options.get(field)))
        && ["dnsServers", "timeServers", "advertisedRoutes"]
            .into_iter()
            .all(|field| matches!(options.get(field), None | Some(Value::Null)))
}

/// VPCDHCPOptions defaults (vpc_types.go): interfaceMTU 9036, leaseTimeSeconds 3600,
/// dnsServers and timeServers `[]` and sorted, advertisedRoutes sorted by
/// `VPCDHCPRouteCompare` (destination, then gateway; a stable sort).
fn dhcp_options(options: &mut Map<String, Value>) {
    if is_go_zero(options.get("interfaceMTU")) {
        options.insert("interfaceMTU".to_owned(), Value::from(DEFAULT_DHCP_INTERFACE_MTU));
    }
    if is_go_zero(options.get("leaseTimeSeconds")) {
        options.insert("leaseTimeSeconds".to_owned(), Value::from(DEFAULT_DHCP_LEASE_TIME_SECONDS));
    }
    for field in ["dnsServers", "timeServers"] {
        let servers = options.entry(field).or_insert(Value::Null);
        if servers.is_null() {
            *servers = Value::Array(Vec::new());
        }
        sort_strings(Some(servers));
    }
    if let Some(Value::Array(routes)) = options.get_mut("advertisedRoutes") {
        routes.sort_by(|a, b| {
            let key_a = (str_field(a, "destination"), str_field(a, "gateway"));
            let key_b = (str_field(b, "destination"), str_field(b, "gateway"));
            key_a.cmp(&key_b)
        });
    }
}

/// The keys of `dhcp.static` as `net.ParseMAC(mac).String()` writes them (vpc_types.go, "normalize
/// MAC addresses"); a key that does not parse stays as written.
fn canonical_static_macs(dhcp: &mut Map<String, Value>) {
    let Some(Value::Object(statics)) = dhcp.get_mut("static") else { return };
    let renames: Vec<(String, String)> = statics
        .keys()
        .filter_map(|mac| canonical_mac(mac).filter(|canonical| canonical != mac).map(|canonical| (mac.clone(), canonical)))
        .collect();
    for (mac, canonical) in renames {
        if let Some(value) = statics.remove(&mac) {
            statics.insert(canonical, value);
        }
    }
}

/// Go's `net.ParseMAC(s)` then `String()`: 6, 8 or 20 bytes written as two hex digits a group
/// separated by `:` or `-`, or four hex digits a group separated by `.`; out as lower-case
/// two-digit groups separated by `:`.
pub(super) fn canonical_mac(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 14 {
        return None;
    }
    let bytes = if b[2] == b':' || b[2] == b'-' {
        mac_bytes(b, 2, b[2])?
    } else if b[4] == b'.' {
        mac_bytes(b, 4, b[4])?
    } else {
        return None;
    };
    Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect::<Vec<_>>().join(":"))
}

/// The bytes of `b`, groups of `digits` hex digits each followed by `sep` but the last.
fn mac_bytes(b: &[u8], digits: usize, sep: u8) -> Option<Vec<u8>> {
    if (b.len() + 1) % (digits + 1) != 0 {
        return None;
    }
    let mut out = Vec::new();
    for group in b.chunks(digits + 1) {
        let (hex, rest) = group.split_at(digits.min(group.len()));
        if hex.len() != digits || rest.iter().any(|c| *c != sep) {
            return None;
        }
        for pair in hex.chunks(2) {
            out.push(hex_byte(pair)?);
        }
    }
    matches!(out.len(), 6 | 8 | 20).then_some(out)
}

/// Two hex digits (either case) as a byte.
fn hex_byte(pair: &[u8]) -> Option<u8> {
    let [hi, lo] = pair else { return None };
    let hi = char::from(*hi).to_digit(16)?;
    let lo = char::from(*lo).to_digit(16)?;
    u8::try_from(hi * 16 + lo).ok()
}

/// VPCAttachment, from `func (attach *VPCAttachment) Default()` in vpcattachment_types.go: a
/// subnet named by its VPC alone (`vpc-1`, no `/`) is that VPC's `default` subnet.
fn vpc_attachment(spec: &mut Map<String, Value>) {
    if let Some(Value::String(subnet)) = spec.get_mut("subnet") {
        if !subnet.is_empty() && !subnet.contains('/') {
            subnet.push_str("/default");
        }
    }
}

/// ExternalPeering, from `func (peering *ExternalPeering) Default()` in
/// externalpeering_types.go: `permit.vpc.subnets` sorted, `permit.external.prefixes` sorted by
/// prefix.
fn external_peering(spec: &mut Map<String, Value>) {
    let Some(Value::Object(permit)) = spec.get_mut("permit") else { return };
    if let Some(Value::Object(vpc)) = permit.get_mut("vpc") {
        sort_strings(vpc.get_mut("subnets"));
    }
    if let Some(Value::Object(external)) = permit.get_mut("external") {
        if let Some(Value::Array(prefixes)) = external.get_mut("prefixes") {
            prefixes.sort_by(|a, b| str_field(a, "prefix").cmp(str_field(b, "prefix")));
        }
    }
}

/// Switch, from `func (sw *Switch) Default()` in switch_types.go: `SPEED_` cut from the values
/// of portGroupSpeeds and portSpeeds, vlanNamespaces `[default]` when empty, the redundancy
/// group added to groups, groups and vlanNamespaces sorted. (The linkFlapErrDisable defaults
/// it sets are the CRD schema's own, applied before this.)
fn switch(spec: &mut Map<String, Value>) {
    for field in ["portGroupSpeeds", "portSpeeds"] {
        if let Some(Value::Object(speeds)) = spec.get_mut(field) {
            for speed in speeds.values_mut() {
                if let Value::String(speed) = speed {
                    if speed.starts_with(SPEED_PREFIX) {
                        speed.replace_range(..SPEED_PREFIX.len(), "");
                    }
                }
            }
        }
    }
    let no_vlan_namespaces = match spec.get("vlanNamespaces") {
        None | Some(Value::Null) => true,
        Some(Value::Array(namespaces)) => namespaces.is_empty(),
        Some(_) => false,
    };
    if no_vlan_namespaces {
        let default = Value::Array(vec![Value::String(DEFAULT_VLAN_NAMESPACE.to_owned())]);
        spec.insert("vlanNamespaces".to_owned(), default);
    }
    let redundancy_group = spec
        .get("redundancy")
        .and_then(|r| r.get("group"))
        .and_then(Value::as_str)
        .filter(|group| !group.is_empty())
        .map(str::to_owned);
    if let Some(group) = redundancy_group {
        let groups = spec.entry("groups").or_insert(Value::Null);
        if groups.is_null() {
            *groups = Value::Array(Vec::new());
        }
        if let Value::Array(groups) = groups {
            if !groups.iter().any(|g| g.as_str() == Some(group.as_str())) {
                groups.push(Value::String(group));
            }
        }
    }
    sort_strings(spec.get_mut("groups"));
    sort_strings(spec.get_mut("vlanNamespaces"));
}

/// VLANNamespace, from `func (ns *VLANNamespace) Default()` in vlannamespace_types.go. It keeps
/// the result of `meta.NormalizedVLANRanges` only on error, but that function (api/meta/vlan.go)
/// works on the spec's own slice: a range without `to` gets `to = from`, and the ranges are
/// sorted by (from, to). The merging of overlapping ranges happens on a copy that is dropped.
fn vlan_namespace(spec: &mut Map<String, Value>) {
    let Some(Value::Array(ranges)) = spec.get_mut("ranges") else { return };
    for range in ranges.iter_mut() {
        if let Value::Object(range) = range {
            if is_go_zero(range.get("to")) {
                if let Some(from) = range.get("from").cloned() {
                    range.insert("to".to_owned(), from);
                }
            }
        }
    }
    ranges.sort_by_key(|range| (u64_field(range, "from"), u64_field(range, "to")));
}

/// `field` becomes `value` when it is Go's zero string (missing, null or `""`).
fn default_string(map: &mut Map<String, Value>, field: &str, value: &str) {
    if is_go_zero(map.get(field)) {
        map.insert(field.to_owned(), Value::String(value.to_owned()));
    }
}

/// Whether a field decodes to Go's zero value: missing, null, `""`, `0` or `false`.
fn is_go_zero(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_u64() == Some(0),
        Some(Value::Bool(b)) => !b,
        Some(Value::Array(_) | Value::Object(_)) => false,
    }
}

/// Sorts a list of strings in byte order, as Go's `sort.Strings`; anything else stays.
fn sort_strings(list: Option<&mut Value>) {
    if let Some(Value::Array(items)) = list {
        if items.iter().all(Value::is_string) {
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
    }
}

/// A string field of a list item, `""` (Go's zero value) when missing.
fn str_field<'a>(item: &'a Value, field: &str) -> &'a str {
    item.get(field).and_then(Value::as_str).unwrap_or("")
}

/// A number field of a list item, 0 (Go's zero value) when missing.
fn u64_field(item: &Value, field: &str) -> u64 {
    item.get(field).and_then(Value::as_u64).unwrap_or(0)
}

/// An IPv4 prefix as `iputil.ParseCIDR` (pkg/util/iputil/ip.go, over Go's `net.ParseCIDR`) sees
/// it: the network address and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cidr4 {
    network: u32,
    len: u32,
}

impl Cidr4 {
    /// `a.b.c.d/n` with n from 0 to 32 in decimal digits; host bits are dropped
    /// (`10.0.1.77/24` is `10.0.1.0/24`). IPv6 gives `None`: VPC subnets are IPv4.
    pub(super) fn parse(cidr: &str) -> Option<Self> {
        let (addr, len) = cidr.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        if len.is_empty() || !len.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
        Some(Self { network: u32::from(addr) & Self::mask(len), len })
    }

    fn mask(len: u32) -> u32 {
        if len == 0 {
            0
        } else {
            u32::MAX << (32 - len)
        }
    }

    /// `Gateway`: the network address plus one.
    pub(super) fn gateway(self) -> Ipv4Addr {
        Ipv4Addr::from(self.network.wrapping_add(1))
    }

    /// `DHCPRangeStart`: the network address plus two.
    pub(super) fn dhcp_start(self) -> Ipv4Addr {
        Ipv4Addr::from(self.network.wrapping_add(2))
    }

    /// `DHCPRangeEnd`: the last address of the prefix (its broadcast address).
    pub(super) fn last(self) -> Ipv4Addr {
        Ipv4Addr::from(self.network | !Self::mask(self.len))
    }
}
