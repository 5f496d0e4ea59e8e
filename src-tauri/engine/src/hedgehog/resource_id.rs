//! A resource's identity within a fabric: its kind and its name. One type, so the "KIND/NAME"
//! text the CLI takes and reports print is parsed in one place ([`FromStr`]) and written in one
//! place ([`Display`]); the API takes the parsed value, never the text.

use std::fmt;
use std::str::FromStr;

use super::Kind;
use crate::error::Error;

/// `Kind/name`, e.g. `Switch/leaf-01`. Serialized as that text, so JSON shapes that carried the
/// joined string keep it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId {
    pub kind: Kind,
    pub name: String,
}

impl ResourceId {
    pub fn new(kind: Kind, name: impl Into<String>) -> Self {
        ResourceId { kind, name: name.into() }
    }

    /// From a kind's name and a resource name, as the web view sends them apart.
    pub fn from_parts(kind: &str, name: &str) -> Result<Self, Error> {
        Self::from_str(&format!("{kind}/{name}"))
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

impl FromStr for ResourceId {
    type Err = Error;

    /// `KIND/NAME`. The name is everything after the first `/`, as Kubernetes names hold none.
    fn from_str(s: &str) -> Result<Self, Error> {
        let (kind, name) = s
            .split_once('/')
            .ok_or_else(|| Error::InvalidInput(format!("{s:?}: give a resource as KIND/NAME, e.g. Switch/leaf-01")))?;
        let kind = Kind::from_name(kind).ok_or_else(|| {
            let kinds = Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
            Error::InvalidInput(format!("unknown kind {kind:?}; kinds: {kinds}"))
        })?;
        if name.is_empty() {
            return Err(Error::InvalidInput(format!("{s:?}: the name is empty")));
        }
        Ok(ResourceId { kind, name: name.to_owned() })
    }
}

impl serde::Serialize for ResourceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ResourceId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl ts_rs::TS for ResourceId {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_bad_text_says_what_to_write() {
        let id: ResourceId = "Switch/leaf-01".parse().unwrap();
        assert_eq!(id, ResourceId::new(Kind::Switch, "leaf-01"));
        assert_eq!(id.to_string(), "Switch/leaf-01");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"Switch/leaf-01\"");
        assert_eq!(serde_json::from_str::<ResourceId>("\"VPC/vpc-1\"").unwrap(), ResourceId::new(Kind::VPC, "vpc-1"));
        assert_eq!(ResourceId::from_parts("Connection", "a--b").unwrap().to_string(), "Connection/a--b");
        for (bad, says) in [("leaf-01", "KIND/NAME"), ("Router/r1", "unknown kind"), ("Switch/", "the name is empty")] {
            let message = bad.parse::<ResourceId>().unwrap_err().to_string();
            assert!(message.contains(says), "{bad}: {message}");
        }
    }
}
