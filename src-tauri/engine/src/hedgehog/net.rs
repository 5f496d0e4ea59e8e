//! IPv4 addresses and prefixes as the Hedgehog rules need them: parse `10.0.1.0/24`, test
//! containment and overlap. Hedgehog VPCs, namespaces and links are IPv4 only, and std's
//! `Ipv4Addr` parser is strict (four decimal octets, no leading zeros), so no crate is needed.

use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 prefix such as `10.0.1.0/24`. The address is kept as written, so `10.0.1.1/24` (an
/// interface address with its prefix length) is a `Prefix` too; see [`Prefix::is_canonical`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prefix {
    pub addr: Ipv4Addr,
    pub len: u8,
}

impl Prefix {
    /// Parses `a.b.c.d/n` with `n` in 0..=32.
    pub fn parse(text: &str) -> Option<Prefix> {
        let (addr, len) = text.split_once('/')?;
        if len.is_empty() || len.len() > 2 || !len.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let len: u8 = len.parse().ok()?;
        if len > 32 {
            return None;
        }
        Some(Prefix { addr: parse_addr(addr)?, len })
    }

    fn mask(self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.len))
        }
    }

    /// The first address of the prefix.
    pub fn network(self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & self.mask())
    }

    /// The last address of the prefix.
    pub fn last(self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) | !self.mask())
    }

    /// The prefix with its host bits cleared.
    pub fn masked(self) -> Prefix {
        Prefix { addr: self.network(), len: self.len }
    }

    /// True when no host bits are set (`10.0.1.0/24`, not `10.0.1.5/24`).
    pub fn is_canonical(self) -> bool {
        self.addr == self.network()
    }

    pub fn contains(self, addr: Ipv4Addr) -> bool {
        u32::from(addr) & self.mask() == u32::from(self.network())
    }

    pub fn overlaps(self, other: Prefix) -> bool {
        self.contains(other.network()) || other.contains(self.network())
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// Parses a dotted-quad IPv4 address.
pub(crate) fn parse_addr(text: &str) -> Option<Ipv4Addr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes_and_rejects_junk() {
        let p = Prefix::parse("10.0.1.0/24").expect("valid prefix");
        assert_eq!(p.len, 24);
        assert!(p.is_canonical());
        assert_eq!(p.last(), Ipv4Addr::new(10, 0, 1, 255));
        for bad in ["10.0.1.0", "10.0.1.0/33", "10.0.1/24", "10.0.1.0/", "10.0.1.0/+4", "x/24", "010.0.1.0/24"] {
            assert_eq!(Prefix::parse(bad), None, "{bad}");
        }
        assert!(!Prefix::parse("10.0.1.5/24").expect("valid").is_canonical());
        assert_eq!(Prefix::parse("0.0.0.0/0").map(|p| p.last()), Some(Ipv4Addr::BROADCAST));
    }

    #[test]
    fn containment_and_overlap() {
        let p = Prefix::parse("10.0.1.0/24").expect("valid");
        assert!(p.contains(Ipv4Addr::new(10, 0, 1, 1)));
        assert!(!p.contains(Ipv4Addr::new(10, 0, 2, 1)));
        let wide = Prefix::parse("10.0.0.0/16").expect("valid");
        assert!(p.overlaps(wide) && wide.overlaps(p));
        assert!(!p.overlaps(Prefix::parse("10.0.2.0/24").expect("valid")));
    }
}
