//! Go's older `net` package parsers: `ParseIP`, `ParseCIDR`, `ParseMAC`
//! and `SplitHostPort` (with its inverse `JoinHostPort`), which Talos's
//! validation still calls in places. Addresses
//! are read by [`crate::netip`], as Go's `net` reads them since Go 1.22;
//! these add `net`'s own rules (no zones, leading zeros allowed in a CIDR
//! length) and messages.
//!
//! ```
//! use talgen_gourl::net;
//!
//! assert!(net::parse_ip("fe80::1%eth0").is_none());
//! assert_eq!(net::parse_cidr("10.0.0.0/008").unwrap().1, 8);
//! assert_eq!(net::parse_mac("0000.5e00.5301").unwrap(), [0, 0, 0x5e, 0, 0x53, 1]);
//! assert_eq!(
//!     net::parse_mac("00:00:5e").unwrap_err().to_string(),
//!     "address 00:00:5e: invalid MAC address",
//! );
//! assert_eq!(net::split_host_port("[fd00::1]:53").unwrap(), ("fd00::1", "53"));
//! assert_eq!(
//!     net::split_host_port("10.0.0.1").unwrap_err().to_string(),
//!     "address 10.0.0.1: missing port in address",
//! );
//! assert_eq!(net::join_host_port("fd00::1", "53"), "[fd00::1]:53");
//! ```

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::netip::parse_addr_zone;

/// Why Go's `net.ParseCIDR` refuses a text (Go's `*net.ParseError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CIDR address: {input}")]
pub struct CidrError {
    /// The refused text.
    pub input: String,
}

/// Why Go's `net.ParseMAC` refuses a text (Go's `*net.AddrError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("address {input}: invalid MAC address")]
pub struct MacError {
    /// The refused text.
    pub input: String,
}

/// Why Go's `net.SplitHostPort` refuses a text (Go's `*net.AddrError`,
/// whose message names the address unless it is empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{kind}", address_prefix(input))]
pub struct HostPortError {
    /// The refused text.
    pub input: String,
    /// What is wrong with it.
    pub kind: HostPortErrorKind,
}

/// The faults Go's `net.SplitHostPort` names, printed in Go's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostPortErrorKind {
    /// No `:` where the port should start.
    #[error("missing port in address")]
    MissingPort,
    /// A colon in the host outside brackets, or after the bracketed host.
    #[error("too many colons in address")]
    TooManyColons,
    /// A `[` opens the host but no `]` closes it.
    #[error("missing ']' in address")]
    MissingBracket,
    /// A `[` other than the one opening the host.
    #[error("unexpected '[' in address")]
    UnexpectedOpenBracket,
    /// A `]` other than the one closing the host.
    #[error("unexpected ']' in address")]
    UnexpectedCloseBracket,
}

/// `address TEXT: ` before the fault, as Go's `AddrError` prints it when
/// the address is not empty.
fn address_prefix(input: &str) -> String {
    if input.is_empty() {
        String::new()
    } else {
        format!("address {input}: ")
    }
}

/// Go's `net.SplitHostPort`: `host:port`, `[host]:port` or
/// `[host%zone]:port` split at the last colon. The port may be empty and
/// neither part is checked further (no address or number parsing), but a
/// colon in an unbracketed host, a stray bracket, or a missing colon or
/// `]` is refused.
pub fn split_host_port(text: &str) -> Result<(&str, &str), HostPortError> {
    let fail = |kind| HostPortError {
        input: text.to_owned(),
        kind,
    };
    let colon = text
        .rfind(':')
        .ok_or_else(|| fail(HostPortErrorKind::MissingPort))?;
    // Where a stray `[` / `]` starts to count: after the brackets that
    // delimit the host, if any.
    let (host, open_from, close_from) = if text.starts_with('[') {
        let end = text
            .find(']')
            .ok_or_else(|| fail(HostPortErrorKind::MissingBracket))?;
        // The `]` must sit right before the last colon.
        if end + 1 != colon {
            let after = text.as_bytes().get(end + 1);
            return Err(fail(if after == Some(&b':') {
                HostPortErrorKind::TooManyColons
            } else {
                HostPortErrorKind::MissingPort
            }));
        }
        (text.get(1..end).unwrap_or_default(), 1, end + 1)
    } else {
        let host = text.get(..colon).unwrap_or_default();
        if host.contains(':') {
            return Err(fail(HostPortErrorKind::TooManyColons));
        }
        (host, 0, 0)
    };
    if text.get(open_from..).is_some_and(|t| t.contains('[')) {
        return Err(fail(HostPortErrorKind::UnexpectedOpenBracket));
    }
    if text.get(close_from..).is_some_and(|t| t.contains(']')) {
        return Err(fail(HostPortErrorKind::UnexpectedCloseBracket));
    }
    Ok((host, text.get(colon + 1..).unwrap_or_default()))
}

/// Go's `net.JoinHostPort`: `host:port`, with the host in brackets when it
/// holds a colon (taken to be an IPv6 address).
pub fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Go's `net.ParseIP`: what `netip.ParseAddr` accepts, without a zone;
/// `None` where Go returns nil. (Go's `net.IP` would print an
/// IPv4-mapped address as IPv4; here it stays the IPv6 address it was
/// written as.)
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    match parse_addr_zone(text) {
        Ok((addr, None)) => Some(addr),
        _ => None,
    }
}

/// Go's `net.ParseCIDR`: `ADDR/BITS` split at the first `/`, the address
/// as [`parse_ip`] reads it, the length decimal with any number of
/// leading zeros, at most 32 (IPv4) or 128. Returns the address as written
/// (host bits kept) and the length.
pub fn parse_cidr(text: &str) -> Result<(IpAddr, u8), CidrError> {
    let refuse = || CidrError {
        input: text.to_owned(),
    };
    let (addr, bits) = text.split_once('/').ok_or_else(refuse)?;
    let addr = parse_ip(addr).ok_or_else(refuse)?;
    if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let max: u32 = if addr.is_ipv4() { 32 } else { 128 };
    // Leading zeros are skipped; what is left must be at most `max`
    // (Go stops reading past 2^24, far above either limit).
    let digits = bits.trim_start_matches('0');
    let n = if digits.is_empty() {
        0
    } else if digits.len() > 3 {
        return Err(refuse());
    } else {
        digits.parse::<u32>().map_err(|_| refuse())?
    };
    if n > max {
        return Err(refuse());
    }
    Ok((addr, u8::try_from(n).map_err(|_| refuse())?))
}

/// The value of one ASCII hex digit.
fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Two hex digits starting `s`, as one byte.
fn hex_pair(s: &[u8]) -> Option<u8> {
    match s {
        [hi, lo, ..] => Some(hex_value(*hi)? << 4 | hex_value(*lo)?),
        _ => None,
    }
}

/// Go's `net.ParseMAC`: a 6-, 8- or 20-byte link-layer address written
/// as two-digit hex groups all separated by `:` or all by `-`
/// (`00:00:5e:00:53:01`), or as four-digit groups separated by `.`
/// (`0000.5e00.5301`); either case of hex digit.
pub fn parse_mac(text: &str) -> Result<Vec<u8>, MacError> {
    mac_bytes(text.as_bytes()).ok_or_else(|| MacError {
        input: text.to_owned(),
    })
}

fn mac_bytes(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() < 14 {
        return None;
    }
    let (group, sep) = match (s.get(2), s.get(4)) {
        (Some(&sep @ (b':' | b'-')), _) => (2, sep),
        (_, Some(&b'.')) => (4, b'.'),
        _ => return None,
    };
    // Groups of `group` digits with one separator between each.
    let stride = group + 1;
    if !(s.len() + 1).is_multiple_of(stride) {
        return None;
    }
    let bytes = (s.len() + 1) / stride * (group / 2);
    if ![6, 8, 20].contains(&bytes) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes);
    for (i, chunk) in s.chunks(stride).enumerate() {
        let (digits, tail) = chunk.split_at(chunk.len().min(group));
        // Every group but the last is followed by the separator.
        let last = (i + 1) * stride > s.len();
        if digits.len() != group || (!last && tail != [sep]) || (last && !tail.is_empty()) {
            return None;
        }
        for pair in digits.chunks(2) {
            out.push(hex_pair(pair)?);
        }
    }
    Some(out)
}

/// Go's `net.HardwareAddr.String`: lower-case two-digit hex groups joined
/// by `:`.
pub fn format_mac(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_ip_refuses_zones_like_go() {
        assert_eq!(parse_ip("10.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(parse_ip("FD00::1"), Some("fd00::1".parse().unwrap()));
        assert_eq!(parse_ip("fe80::1%eth0"), None);
        assert_eq!(parse_ip("010.0.0.1"), None);
        assert_eq!(parse_ip(""), None);
    }

    #[test]
    fn parse_cidr_takes_leading_zeros_in_the_length_like_go() {
        assert_eq!(parse_cidr("10.0.0.1/8").unwrap().1, 8);
        assert_eq!(parse_cidr("10.0.0.0/0008").unwrap().1, 8);
        assert_eq!(parse_cidr("10.0.0.0/00000000000000000032").unwrap().1, 32);
        assert_eq!(parse_cidr("fd00::/128").unwrap().1, 128);
        assert_eq!(parse_cidr("::ffff:1.2.3.4/120").unwrap().1, 120);
        for bad in [
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            "10.0.0.0/0033",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "fd00::/129",
            "fe80::1%eth0/64",
            "10.0.0/8",
        ] {
            assert_eq!(
                parse_cidr(bad).unwrap_err().to_string(),
                format!("invalid CIDR address: {bad}"),
            );
        }
    }

    #[test]
    fn parse_mac_reads_gos_three_forms() {
        let six = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01];
        assert_eq!(parse_mac("00:00:5e:00:53:01").unwrap(), six);
        assert_eq!(parse_mac("00-00-5E-00-53-01").unwrap(), six);
        assert_eq!(parse_mac("0000.5e00.5301").unwrap(), six);
        let eight = "02:00:5e:10:00:00:00:01";
        assert_eq!(parse_mac(eight).unwrap().len(), 8);
        assert_eq!(parse_mac("0200.5e10.0000.0001").unwrap().len(), 8);
        let twenty = "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01";
        assert_eq!(parse_mac(twenty).unwrap().len(), 20);
        assert_eq!(
            parse_mac("0000.0000.fe80.0000.0000.0000.0200.5e10.0000.0001")
                .unwrap()
                .len(),
            20
        );
    }

    #[test]
    fn parse_mac_refuses_like_go() {
        for bad in [
            "",
            "00:00:5e:00:53",
            "00:00:5e:00:53:01:02",
            "00:00:5e-00:53:01",
            "00:00:5e:00:53:0",
            "00:00:5e:00:53:011",
            "0:00:5e:00:53:01:0",
            "00:00:5e:00:53:xx",
            "00:00:5e:00:53:01:",
            "0000.5e00.530",
            "0000.5e00:5301",
            "00005e005301",
            "0000-5e00-5301",
        ] {
            assert_eq!(
                parse_mac(bad),
                Err(MacError {
                    input: bad.to_owned()
                }),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_mac("xx").unwrap_err().to_string(),
            "address xx: invalid MAC address"
        );
    }

    #[test]
    fn split_host_port_splits_like_go() {
        for (text, host, port) in [
            ("10.0.0.1:53", "10.0.0.1", "53"),
            ("host:", "host", ""),
            (":80", "", "80"),
            ("[fd00::1]:53", "fd00::1", "53"),
            ("[fe80::1%eth0]:53", "fe80::1%eth0", "53"),
            ("[::1]:", "::1", ""),
            ("[]:1", "", "1"),
            ("[host]:http", "host", "http"),
            ("a b:c d", "a b", "c d"),
        ] {
            assert_eq!(split_host_port(text), Ok((host, port)), "{text}");
        }
    }

    #[test]
    fn split_host_port_refuses_with_gos_messages() {
        for (text, msg) in [
            ("", "missing port in address"),
            ("10.0.0.1", "address 10.0.0.1: missing port in address"),
            ("fd00::1", "address fd00::1: too many colons in address"),
            ("a:b:c", "address a:b:c: too many colons in address"),
            ("[fd00::1", "address [fd00::1: missing ']' in address"),
            ("[fd00::1]", "address [fd00::1]: missing port in address"),
            (
                "[fd00::1]x:1",
                "address [fd00::1]x:1: missing port in address",
            ),
            (
                "[fd00::1]:1:2",
                "address [fd00::1]:1:2: too many colons in address",
            ),
            ("[a[b]:1", "address [a[b]:1: unexpected '[' in address"),
            ("a[b:1", "address a[b:1: unexpected '[' in address"),
            ("a]b:1", "address a]b:1: unexpected ']' in address"),
            ("[ab]:1]", "address [ab]:1]: unexpected ']' in address"),
            ("[ab]:]", "address [ab]:]: unexpected ']' in address"),
        ] {
            assert_eq!(
                split_host_port(text).unwrap_err().to_string(),
                msg,
                "{text}"
            );
        }
        assert_eq!(
            split_host_port("x").unwrap_err().kind,
            HostPortErrorKind::MissingPort
        );
    }

    #[test]
    fn join_host_port_brackets_hosts_with_colons() {
        assert_eq!(join_host_port("10.0.0.1", "53"), "10.0.0.1:53");
        assert_eq!(join_host_port("fd00::1", "53"), "[fd00::1]:53");
        assert_eq!(join_host_port("fe80::1%eth0", ""), "[fe80::1%eth0]:");
        assert_eq!(join_host_port("", "80"), ":80");
    }

    #[test]
    fn format_mac_is_lower_case_with_colons() {
        assert_eq!(
            format_mac(&[0xAA, 0, 0x5e, 1, 2, 0xff]),
            "aa:00:5e:01:02:ff"
        );
        assert_eq!(format_mac(&[]), "");
    }

    proptest::proptest! {
        #[test]
        fn mac_format_parses_back(
            len in proptest::sample::select(vec![6usize, 8, 20]),
            seed in proptest::collection::vec(proptest::prelude::any::<u8>(), 20),
        ) {
            let bytes: Vec<u8> = seed.into_iter().take(len).collect();
            proptest::prop_assert_eq!(parse_mac(&format_mac(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn joined_host_port_splits_back(host in "[a-z0-9.:%]{0,12}", port in "[0-9a-z]{0,5}") {
            let joined = join_host_port(&host, &port);
            proptest::prop_assert_eq!(split_host_port(&joined), Ok((host.as_str(), port.as_str())));
        }

        #[test]
        fn split_host_port_never_panics(text in "[a-z0-9:\\[\\]%é]{0,16}") {
            let _ = split_host_port(&text);
        }

        #[test]
        fn mac_parse_never_panics(text in "[0-9a-f:.-]{0,30}") {
            let _ = parse_mac(&text);
        }
    }
}
