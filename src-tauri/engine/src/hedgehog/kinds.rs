//! The fourteen user-authored Hedgehog kinds, and what any document is from its `apiVersion`
//! and `kind`.
//!
//! Everything that sorts documents (ingest into managed/ or unmanaged/, the CLI's `vpc/x`
//! arguments, the managed/ folder names) goes through [`Kind`] and [`classify`], so the names,
//! plurals and groups live in exactly one table.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// A kind hhsync manages: one folder under `managed/`, one shipped CRD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    Switch,
    Server,
    Connection,
    SwitchGroup,
    VLANNamespace,
    SwitchProfile,
    ServerProfile,
    VPC,
    VPCAttachment,
    VPCPeering,
    IPv4Namespace,
    External,
    ExternalAttachment,
    ExternalPeering,
}

pub(crate) const WIRING_GROUP: &str = "wiring.githedgehog.com";
pub(crate) const VPC_GROUP: &str = "vpc.githedgehog.com";
/// The served version of both groups.
pub(crate) const VERSION: &str = "v1beta1";
/// The version before October 2024: read, flagged as legacy, rewritten as v1beta1 on request.
pub(crate) const LEGACY_VERSION: &str = "v1alpha2";

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Switch,
        Kind::Server,
        Kind::Connection,
        Kind::SwitchGroup,
        Kind::VLANNamespace,
        Kind::SwitchProfile,
        Kind::ServerProfile,
        Kind::VPC,
        Kind::VPCAttachment,
        Kind::VPCPeering,
        Kind::IPv4Namespace,
        Kind::External,
        Kind::ExternalAttachment,
        Kind::ExternalPeering,
    ];

    /// The kind as written in `kind:`, e.g. `VLANNamespace`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Switch => "Switch",
            Kind::Server => "Server",
            Kind::Connection => "Connection",
            Kind::SwitchGroup => "SwitchGroup",
            Kind::VLANNamespace => "VLANNamespace",
            Kind::SwitchProfile => "SwitchProfile",
            Kind::ServerProfile => "ServerProfile",
            Kind::VPC => "VPC",
            Kind::VPCAttachment => "VPCAttachment",
            Kind::VPCPeering => "VPCPeering",
            Kind::IPv4Namespace => "IPv4Namespace",
            Kind::External => "External",
            Kind::ExternalAttachment => "ExternalAttachment",
            Kind::ExternalPeering => "ExternalPeering",
        }
    }

    /// The CRD plural, which is also the kind's folder under `managed/`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Switch => "switches",
            Kind::Server => "servers",
            Kind::Connection => "connections",
            Kind::SwitchGroup => "switchgroups",
            Kind::VLANNamespace => "vlannamespaces",
            Kind::SwitchProfile => "switchprofiles",
            Kind::ServerProfile => "serverprofiles",
            Kind::VPC => "vpcs",
            Kind::VPCAttachment => "vpcattachments",
            Kind::VPCPeering => "vpcpeerings",
            Kind::IPv4Namespace => "ipv4namespaces",
            Kind::External => "externals",
            Kind::ExternalAttachment => "externalattachments",
            Kind::ExternalPeering => "externalpeerings",
        }
    }

    /// The API group: `wiring.githedgehog.com` or `vpc.githedgehog.com`.
    pub fn group(self) -> &'static str {
        match self {
            Kind::Switch
            | Kind::Server
            | Kind::Connection
            | Kind::SwitchGroup
            | Kind::VLANNamespace
            | Kind::SwitchProfile
            | Kind::ServerProfile => WIRING_GROUP,
            Kind::VPC
            | Kind::VPCAttachment
            | Kind::VPCPeering
            | Kind::IPv4Namespace
            | Kind::External
            | Kind::ExternalAttachment
            | Kind::ExternalPeering => VPC_GROUP,
        }
    }

    /// The `apiVersion` hhsync writes, e.g. `vpc.githedgehog.com/v1beta1`.
    pub fn api_version(self) -> String {
        format!("{}/{VERSION}", self.group())
    }

    /// The kind with this name. An exact match wins; otherwise the name is matched ignoring
    /// case, so the command line can say `vpc/x`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .or_else(|| Kind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name)))
    }

    /// The kind whose plural (managed/ folder) this is, ignoring case.
    pub fn from_plural(plural: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.plural().eq_ignore_ascii_case(plural))
    }

    /// Position in [`Kind::ALL`], for tables indexed by kind.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no Hedgehog kind hhsync manages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a kind hhsync manages (one of Switch, Server, Connection, VPC, VPCAttachment, ...)")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::from_name(s).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// What a document is, from its apiVersion and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// A kind hhsync manages: v1beta1, or the legacy v1alpha2 of the same kind (`legacy: true`).
    Managed { kind: Kind, legacy: bool },
    /// Another githedgehog.com group (agent, dhcp, gateway, gwint, ...), or a version or kind of
    /// the wiring/vpc groups that hhsync does not manage.
    HedgehogUnmanaged { api_version: String, kind: String },
    /// Not Hedgehog at all, e.g. a v1 ConfigMap.
    NotHedgehog { api_version: String, kind: String },
    /// Not enough to tell: the document is not a mapping, or apiVersion or kind is missing.
    Incomplete { reason: String },
}

fn type_field<'a>(map: &'a serde_json::Map<String, Value>, field: &str) -> Result<&'a str, String> {
    match map.get(field) {
        None | Some(Value::Null) => Err(format!("{field} is missing")),
        Some(Value::String(s)) if s.trim().is_empty() => Err(format!("{field} is empty")),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("{field} is not a string")),
    }
}

/// Sorts a document by its `apiVersion` and `kind`.
pub fn classify(document: &Value) -> Classification {
    let Some(map) = document.as_object() else {
        return Classification::Incomplete { reason: "the document is not a mapping of fields".to_owned() };
    };
    let (api_version, kind) = match (type_field(map, "apiVersion"), type_field(map, "kind")) {
        (Ok(a), Ok(k)) => (a, k),
        (Err(reason), _) | (_, Err(reason)) => return Classification::Incomplete { reason },
    };
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    if group == WIRING_GROUP || group == VPC_GROUP {
        let managed = Kind::ALL.into_iter().find(|k| k.name() == kind && k.group() == group);
        match (managed, version) {
            (Some(kind), VERSION) => return Classification::Managed { kind, legacy: false },
            (Some(kind), LEGACY_VERSION) => return Classification::Managed { kind, legacy: true },
            _ => {}
        }
    }
    let owned = (api_version.to_owned(), kind.to_owned());
    if group == "githedgehog.com" || group.ends_with(".githedgehog.com") {
        Classification::HedgehogUnmanaged { api_version: owned.0, kind: owned.1 }
    } else {
        Classification::NotHedgehog { api_version: owned.0, kind: owned.1 }
    }
}
