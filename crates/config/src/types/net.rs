//! Network value types: the `netip` wrappers of [`crate::meta`], re-exported,
//! and `nethelpers.HardwareAddr`.

use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

pub use crate::meta::{Addr, AddrPort, Prefix};

/// Implements text serde for a type with `Display` + `FromStr` whose zero
/// value is written as an empty string.
macro_rules! text_serde {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                <$ty>::from_str(&text).map_err(de::Error::custom)
            }
        }
    };
}

/// A link-layer address written as colon-separated hex bytes (`aa:bb:cc:dd:ee:ff`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HardwareAddr(pub Vec<u8>);

impl HardwareAddr {
    /// Whether no bytes are set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for HardwareAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for HardwareAddr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        // Talos drops every colon and hex-decodes the rest, so `aabbccddeeff`
        // and `aabb:ccdd:eeff` are accepted too; an odd digit count is not.
        let digits: Vec<u8> = s.bytes().filter(|&b| b != b':').collect();
        if !digits.len().is_multiple_of(2) {
            return Err(format!("invalid hardware address {s:?}"));
        }
        digits
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .filter(|_| pair.iter().all(u8::is_ascii_hexdigit))
            })
            .collect::<Option<Vec<u8>>>()
            .map(HardwareAddr)
            .ok_or_else(|| format!("invalid hardware address {s:?}"))
    }
}

text_serde!(HardwareAddr);

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip_like_netip() {
        for s in ["10.244.0.0/16", "fd00::/8", "::ffff:1.2.3.4/128"] {
            assert_eq!(Prefix::from_str(s).unwrap().to_string(), s);
        }
        assert!(Prefix::from_str("10.0.0.0/33").is_err());
        assert!(Prefix::from_str("10.0.0.0").is_err());
        assert_eq!(Addr::from_str("FD00::1").unwrap().to_string(), "fd00::1");
        assert_eq!(
            AddrPort::from_str("[fd00::1]:51820").unwrap().to_string(),
            "[fd00::1]:51820"
        );
        // Go's readings: host bits kept, `/08` refused, ports with
        // leading zeros, zones on addresses but not on prefixes.
        assert_eq!(
            Prefix::from_str("10.0.0.1/8").unwrap().to_string(),
            "10.0.0.1/8"
        );
        assert!(Prefix::from_str("10.0.0.0/08").is_err());
        assert!(Prefix::from_str("fe80::1%eth0/64").is_err());
        assert_eq!(
            Addr::from_str("fe80::1%eth0").unwrap().to_string(),
            "fe80::1%eth0"
        );
        assert_eq!(
            AddrPort::from_str("10.0.0.1:0053").unwrap().to_string(),
            "10.0.0.1:53"
        );
        assert_eq!(
            AddrPort::from_str("[fe80::1%2]:53").unwrap().to_string(),
            "[fe80::1%2]:53"
        );
        assert_eq!(
            AddrPort::from_str("[FE80::1%eth0]:053")
                .unwrap()
                .to_string(),
            "[fe80::1%eth0]:53"
        );
        assert!(AddrPort::from_str("[fe80::1%]:53").is_err());
        assert!(AddrPort::from_str("[10.0.0.1]:53").is_err());
        assert!(AddrPort::from_str("fd00::1:53").is_err());
        assert_eq!(
            HardwareAddr::from_str("AA:bb:00:01:02:03")
                .unwrap()
                .to_string(),
            "aa:bb:00:01:02:03"
        );
    }
}
