//! IP addresses, prefixes and address:port pairs (`meta.Addr`, `meta.Prefix`,
//! `meta.AddrPort`), written as text like Go's `net/netip`.

use std::fmt;
use std::net::{IpAddr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::str::FromStr;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::pem::GoString;

/// An IP address, or unset (Go's zero `netip.Addr`, encoded as `""`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Addr(pub Option<IpAddr>);

/// An IP prefix such as `10.0.0.0/8`, or unset (encoded as `""`).
///
/// The address keeps its host bits, as `netip.ParsePrefix` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Prefix(pub Option<(IpAddr, u8)>);

/// An address and port such as `10.0.0.1:53` or `[::1]:53`, or unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AddrPort(pub Option<SocketAddr>);

/// Why an address, prefix or address:port could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAddr {
    /// The rejected text.
    pub text: String,
    /// What kind of value was expected.
    pub expected: &'static str,
}

impl fmt::Display for InvalidAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a valid {}", self.text, self.expected)
    }
}

impl std::error::Error for InvalidAddr {}

impl Addr {
    /// Whether the address is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

impl Prefix {
    /// Whether the prefix is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

impl AddrPort {
    /// Whether the pair is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ip) => write!(f, "{ip}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((ip, bits)) => write!(f, "{ip}/{bits}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for AddrPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(sa) => write!(f, "{sa}"),
            None => Ok(()),
        }
    }
}

impl FromStr for Addr {
    type Err = InvalidAddr;

    /// Go's `netip.ParseAddr`; an address with an IPv6 zone, which this
    /// type cannot hold, is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        talgen_gourl::net::parse_ip(s)
            .map(|ip| Addr(Some(ip)))
            .ok_or_else(|| InvalidAddr {
                text: s.to_owned(),
                expected: "IP address",
            })
    }
}

impl FromStr for Prefix {
    type Err = InvalidAddr;

    /// Go's `netip.ParsePrefix`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        talgen_gourl::netip::parse_prefix(s)
            .map(|p| Prefix(Some(p)))
            .map_err(|_| InvalidAddr {
                text: s.to_owned(),
                expected: "IP prefix",
            })
    }
}

impl FromStr for AddrPort {
    type Err = InvalidAddr;

    /// Go's `netip.ParseAddrPort`. A zone is kept only when it is a
    /// numeric interface index written plainly (`[fe80::1%2]:53`), the one
    /// kind a socket address holds and prints back unchanged; any other
    /// zone is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidAddr {
            text: s.to_owned(),
            expected: "address:port",
        };
        let p = talgen_gourl::netip::parse_addr_port(s).map_err(|_| err())?;
        let scope = match p.zone {
            None => 0,
            Some(zone) => zone
                .parse::<u32>()
                .ok()
                .filter(|n| n.to_string() == zone)
                .ok_or_else(err)?,
        };
        Ok(AddrPort(Some(match p.addr {
            IpAddr::V4(ip) => SocketAddr::V4(SocketAddrV4::new(ip, p.port)),
            IpAddr::V6(ip) => SocketAddr::V6(SocketAddrV6::new(ip, p.port, 0, scope)),
        })))
    }
}

/// Implements text serde for a netip wrapper: empty text is the zero value.
macro_rules! text_serde {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = GoString::deserialize(deserializer)?.0;
                if text.is_empty() {
                    return Ok(Self::default());
                }
                text.parse().map_err(de::Error::custom)
            }
        }
    };
}

text_serde!(Addr);
text_serde!(Prefix);
text_serde!(AddrPort);
