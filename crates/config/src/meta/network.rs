//! IP addresses, prefixes and address:port pairs (`meta.Addr`, `meta.Prefix`,
//! `meta.AddrPort`), written as text like Go's `net/netip`.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
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

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<IpAddr>()
            .map(|ip| Addr(Some(ip)))
            .map_err(|_| InvalidAddr {
                text: s.to_owned(),
                expected: "IP address",
            })
    }
}

impl FromStr for Prefix {
    type Err = InvalidAddr;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidAddr {
            text: s.to_owned(),
            expected: "IP prefix",
        };
        let (ip, bits) = s.split_once('/').ok_or_else(err)?;
        let ip: IpAddr = ip.parse().map_err(|_| err())?;
        // netip accepts only plain decimal bit counts, without sign or leading zeros.
        if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        if bits.len() > 1 && bits.starts_with('0') {
            return Err(err());
        }
        let bits: u8 = bits.parse().map_err(|_| err())?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        if bits > max {
            return Err(err());
        }
        Ok(Prefix(Some((ip, bits))))
    }
}

impl FromStr for AddrPort {
    type Err = InvalidAddr;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<SocketAddr>()
            .map(|sa| AddrPort(Some(sa)))
            .map_err(|_| InvalidAddr {
                text: s.to_owned(),
                expected: "address:port",
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
