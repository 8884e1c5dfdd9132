//! IP addresses, prefixes and address:port pairs (`meta.Addr`, `meta.Prefix`,
//! `meta.AddrPort`), written as text like Go's `net/netip`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::pem::GoString;

/// An IP address, or unset (Go's zero `netip.Addr`, encoded as `""`).
///
/// Like Go's `netip.Addr`, an IPv6 address may carry a zone
/// (`fe80::1%eth0`), kept as written and printed back after a `%`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Addr {
    ip: Option<IpAddr>,
    /// Never empty, and only beside an IPv6 address.
    zone: Option<Box<str>>,
}

/// An IP prefix such as `10.0.0.0/8`, or unset (encoded as `""`).
///
/// The address keeps its host bits, as `netip.ParsePrefix` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Prefix(pub Option<(IpAddr, u8)>);

/// An address and port such as `10.0.0.1:53`, `[::1]:53` or
/// `[fe80::1%eth0]:53`, or unset (Go's `netip.AddrPort`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AddrPort {
    addr: Addr,
    port: u16,
}

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
    /// An address without a zone.
    pub fn new(ip: IpAddr) -> Self {
        Addr {
            ip: Some(ip),
            zone: None,
        }
    }

    /// An IPv6 address with a zone (Go's `Addr.WithZone`; an empty zone
    /// means none).
    pub fn with_zone(ip: std::net::Ipv6Addr, zone: &str) -> Self {
        Addr {
            ip: Some(IpAddr::V6(ip)),
            zone: (!zone.is_empty()).then(|| zone.into()),
        }
    }

    /// The address, `None` when unset.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// The IPv6 zone, empty when there is none (Go's `Addr.Zone`).
    pub fn zone(&self) -> &str {
        self.zone.as_deref().unwrap_or_default()
    }

    /// Whether the address is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.ip.is_none()
    }
}

impl Prefix {
    /// Whether the prefix is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

impl AddrPort {
    /// An address (zone included) and a port.
    pub fn new(addr: Addr, port: u16) -> Self {
        AddrPort { addr, port }
    }

    /// The address, unset when the pair is.
    pub fn addr(&self) -> &Addr {
        &self.addr
    }

    /// The port, 0 when unset.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the pair is unset (the `IsZero` test upstream).
    pub fn is_zero(&self) -> bool {
        self.addr.is_zero() && self.port == 0
    }
}

impl fmt::Display for Addr {
    /// Go's `Addr.String`: the address, then `%zone` when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ip, &self.zone) {
            (Some(ip), Some(zone)) => write!(f, "{ip}%{zone}"),
            (Some(ip), None) => write!(f, "{ip}"),
            (None, _) => Ok(()),
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
    /// Go's `AddrPort.String`: an IPv6 address (and zone) in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr.ip {
            Some(IpAddr::V4(_)) => write!(f, "{}:{}", self.addr, self.port),
            Some(IpAddr::V6(_)) => write!(f, "[{}]:{}", self.addr, self.port),
            None => Ok(()),
        }
    }
}

impl FromStr for Addr {
    type Err = InvalidAddr;

    /// Go's `netip.ParseAddr`, IPv6 zone included.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match talgen_gourl::netip::parse_addr_zone(s) {
            Ok((ip, zone)) => Ok(Addr {
                ip: Some(ip),
                zone: zone.map(Into::into),
            }),
            Err(_) => Err(InvalidAddr {
                text: s.to_owned(),
                expected: "IP address",
            }),
        }
    }
}

impl FromStr for Prefix {
    type Err = InvalidAddr;

    /// Go's `netip.ParsePrefix`, which refuses an IPv6 zone.
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

    /// Go's `netip.ParseAddrPort`, IPv6 zone included.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let p = talgen_gourl::netip::parse_addr_port(s).map_err(|_| InvalidAddr {
            text: s.to_owned(),
            expected: "address:port",
        })?;
        Ok(AddrPort {
            addr: Addr {
                ip: Some(p.addr),
                zone: p.zone.map(Into::into),
            },
            port: p.port,
        })
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn addr_keeps_a_zone_like_go_netip() {
        let a: Addr = "FE80::1%eth0".parse().unwrap();
        assert_eq!(a.to_string(), "fe80::1%eth0");
        assert_eq!(a.zone(), "eth0");
        assert_eq!(a.ip(), Some("fe80::1".parse().unwrap()));
        assert_eq!(a, Addr::with_zone("fe80::1".parse().unwrap(), "eth0"));
        assert_ne!(a, Addr::new("fe80::1".parse().unwrap()));
        let plain: Addr = "10.0.0.1".parse().unwrap();
        assert_eq!((plain.to_string().as_str(), plain.zone()), ("10.0.0.1", ""));
        assert_eq!(
            Addr::with_zone("::1".parse().unwrap(), ""),
            Addr::new("::1".parse().unwrap())
        );
        for bad in ["10.0.0.1%eth0", "fe80::1%", "%eth0", ""] {
            assert!(bad.parse::<Addr>().is_err(), "{bad:?}");
        }
        // Go takes everything after `%` as the zone, a `/` included.
        let odd: Addr = "fe80::1%eth0/64".parse().unwrap();
        assert_eq!(odd.zone(), "eth0/64");
    }

    #[test]
    fn prefix_refuses_a_zone_like_go_netip() {
        assert!("fe80::1%eth0/64".parse::<Prefix>().is_err());
        assert_eq!(
            "fe80::1/64".parse::<Prefix>().unwrap().to_string(),
            "fe80::1/64"
        );
    }
}
