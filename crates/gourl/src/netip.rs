//! Go's `net/netip` parsers: `ParseAddr` (which Go 1.26's URL parser
//! also runs on the text inside a host's brackets), `ParsePrefix` and
//! `ParseAddrPort`, with the same accepted forms (an IPv6 zone after `%`,
//! an embedded IPv4 tail, host bits kept in a prefix) and Go's error texts.
//!
//! Addresses come back as [`std::net::IpAddr`], whose printing is Go's
//! `Addr.String` for every address without a zone (an IPv4-mapped IPv6
//! address prints as `::ffff:1.2.3.4` in both).
//!
//! ```
//! use talgen_gourl::netip;
//!
//! assert_eq!(netip::parse_prefix("10.0.0.1/8").unwrap().1, 8);
//! assert_eq!(
//!     netip::parse_prefix("10.0.0.0/08").unwrap_err().to_string(),
//!     r#"netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08""#,
//! );
//! assert_eq!(netip::parse_addr_zone("fe80::1%eth0").unwrap().1, Some("eth0"));
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::quote::go_quote;

/// Why Go's `netip.ParseAddr` refuses a text: Go's `parseAddrError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ParseAddr({}): {reason}{}", go_quote(input), at_suffix(at))]
pub struct AddrError {
    /// The whole text given to the parser.
    pub input: String,
    /// What is wrong, in Go's words.
    pub reason: &'static str,
    /// The rest of the text from where the fault was found, when Go
    /// names it.
    pub at: Option<String>,
}

/// ` (at "...")` when Go names a place.
fn at_suffix(at: &Option<String>) -> String {
    match at {
        Some(at) => format!(" (at {})", go_quote(at)),
        None => String::new(),
    }
}

/// A fault in `input`, with the place Go names if it is not empty.
fn fail(input: &str, reason: &'static str, at: Option<&str>) -> AddrError {
    AddrError {
        input: input.to_owned(),
        reason,
        at: at.filter(|a| !a.is_empty()).map(str::to_owned),
    }
}

/// Why Go's `netip.ParsePrefix` refuses a text: Go's `parsePrefixError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("netip.ParsePrefix({}): {reason}", go_quote(input))]
pub struct PrefixError {
    /// The whole text given to [`parse_prefix`].
    pub input: String,
    /// What is wrong, in Go's words (for a bad address, the whole
    /// `ParseAddr` message).
    pub reason: String,
}

/// Why Go's `netip.ParseAddrPort` refuses a text; prints Go's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct AddrPortError {
    /// The whole text given to [`parse_addr_port`].
    pub input: String,
    /// Go's message.
    pub reason: String,
}

/// Parses an IPv4 or IPv6 address as Go's `netip.ParseAddr` does,
/// returning the zone (the text after `%` of an IPv6 address) apart.
pub fn parse_addr_zone(text: &str) -> Result<(IpAddr, Option<&str>), AddrError> {
    for b in text.bytes() {
        match b {
            b'.' => {
                return parse_ipv4_fields(text, text).map(|f| (IpAddr::V4(Ipv4Addr::from(f)), None))
            }
            b':' => return parse_ipv6(text).map(|(a, zone)| (IpAddr::V6(a), zone)),
            b'%' => return Err(fail(text, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(fail(text, "unable to parse IP", None))
}

/// Parses an IPv4 or IPv6 address (with an optional zone, which is
/// checked but not kept) as Go's `netip.ParseAddr` does: the same accepted
/// forms, and Go's message on failure. The first `.`, `:` or `%` decides
/// which form is read.
///
/// ```
/// use talgen_gourl::parse_addr;
///
/// assert!(parse_addr("fe80::1%eth0").unwrap().is_ipv6());
/// assert_eq!(
///     parse_addr("1.2.3").unwrap_err().to_string(),
///     r#"ParseAddr("1.2.3"): IPv4 address too short"#,
/// );
/// ```
pub fn parse_addr(text: &str) -> Result<IpAddr, AddrError> {
    parse_addr_zone(text).map(|(addr, _)| addr)
}

/// Go's `netip.ParsePrefix`: `ADDR/BITS` split at the last `/`, no IPv6
/// zone, bits in plain decimal (no sign, no leading zero) up to 32 or 128.
/// The address keeps its host bits (`10.0.0.1/8` stays as written).
pub fn parse_prefix(text: &str) -> Result<(IpAddr, u8), PrefixError> {
    let refuse = |reason: String| PrefixError {
        input: text.to_owned(),
        reason,
    };
    let (addr, bits) = text
        .rsplit_once('/')
        .ok_or_else(|| refuse("no '/'".to_owned()))?;
    let (addr, zone) = parse_addr_zone(addr).map_err(|e| refuse(e.to_string()))?;
    if zone.is_some() {
        return Err(refuse(
            "IPv6 zones cannot be present in a prefix".to_owned(),
        ));
    }
    let bad_bits = || refuse(format!("bad bits after slash: {}", go_quote(bits)));
    // A lone `0` is fine; otherwise the first byte must be 1-9 (no sign,
    // no leading zero); then all decimal digits.
    let plain = match bits.as_bytes() {
        [] => false,
        [_] => true,
        [first, ..] => (b'1'..=b'9').contains(first),
    };
    if !plain || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_bits());
    }
    let max: u64 = if addr.is_ipv4() { 32 } else { 128 };
    // More digits than Go's `Atoi` holds read as bad bits there too.
    let n: u64 = bits.parse().map_err(|_| bad_bits())?;
    if n > max {
        return Err(refuse("prefix length out of range".to_owned()));
    }
    Ok((addr, u8::try_from(n).map_err(|_| bad_bits())?))
}

/// The address, zone and port Go's `netip.ParseAddrPort` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrPort<'a> {
    /// The address.
    pub addr: IpAddr,
    /// The IPv6 zone, if one was written (`[fe80::1%eth0]:53`).
    pub zone: Option<&'a str>,
    /// The port.
    pub port: u16,
}

/// Go's `netip.ParseAddrPort`: `ADDR:PORT` split at the last `:`, an IPv6
/// address in brackets (and only an IPv6 one), the port decimal up to
/// 65535 (leading zeros allowed, as Go's `ParseUint` allows them).
pub fn parse_addr_port(text: &str) -> Result<AddrPort<'_>, AddrPortError> {
    let refuse = |reason: String| AddrPortError {
        input: text.to_owned(),
        reason,
    };
    let (mut addr, port) = text
        .rsplit_once(':')
        .ok_or_else(|| refuse("not an ip:port".to_owned()))?;
    if addr.is_empty() {
        return Err(refuse("no IP".to_owned()));
    }
    if port.is_empty() {
        return Err(refuse("no port".to_owned()));
    }
    let bracketed = addr.starts_with('[');
    if bracketed {
        addr = addr
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .ok_or_else(|| refuse("missing ]".to_owned()))?;
    }
    let port = port
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| port.parse::<u16>().ok())
        .flatten()
        .ok_or_else(|| {
            refuse(format!(
                "invalid port {} parsing {}",
                go_quote(port),
                go_quote(text)
            ))
        })?;
    let (addr, zone) = parse_addr_zone(addr).map_err(|e| refuse(e.to_string()))?;
    match (bracketed, addr) {
        (true, IpAddr::V4(_)) => Err(refuse(format!(
            "invalid ip:port {}, square brackets can only be used with IPv6 addresses",
            go_quote(text)
        ))),
        (false, IpAddr::V6(_)) => Err(refuse(format!(
            "invalid ip:port {}, IPv6 addresses must be surrounded by square brackets",
            go_quote(text)
        ))),
        _ => Ok(AddrPort { addr, zone, port }),
    }
}

/// Go's `parseIPv4Fields`: four decimal fields of `s` (a tail of `input`,
/// which error messages name), no leading zeros, each up to 255.
fn parse_ipv4_fields(input: &str, s: &str) -> Result<[u8; 4], AddrError> {
    let bytes = s.as_bytes();
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0u32);
    for (i, &c) in bytes.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(fail(input, "IPv4 field has octet with leading zero", None));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(fail(input, "IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i + 1 == bytes.len() || bytes.get(i.wrapping_sub(1)) == Some(&b'.') {
                return Err(fail(
                    input,
                    "IPv4 field must have at least one digit",
                    s.get(i..),
                ));
            }
            if pos == 3 {
                return Err(fail(input, "IPv4 address too long", None));
            }
            // `pos` is at most 2 here: the check above stops at the fourth dot.
            if let Some(field) = fields.get_mut(pos) {
                *field = u8::try_from(val).unwrap_or(0);
            }
            pos += 1;
            val = 0;
            digits = 0;
        } else {
            return Err(fail(input, "unexpected character", s.get(i..)));
        }
    }
    if pos < 3 {
        return Err(fail(input, "IPv4 address too short", None));
    }
    fields[3] = u8::try_from(val).unwrap_or(0);
    Ok(fields)
}

/// Go's `parseIPv6`: up to eight hex groups of at most four digits, one
/// `::`, an optional IPv4 tail and an optional non-empty `%zone`,
/// returned apart.
fn parse_ipv6(input: &str) -> Result<(Ipv6Addr, Option<&str>), AddrError> {
    let mut s = input;
    let mut zone = None;
    if let Some((addr, z)) = input.split_once('%') {
        s = addr;
        if z.is_empty() {
            return Err(fail(input, "zone must be a non-empty string", None));
        }
        zone = Some(z);
    }
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Ok((Ipv6Addr::UNSPECIFIED, zone));
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let bytes = s.as_bytes();
        let mut off = 0usize;
        let mut acc = 0u32;
        while let Some(&c) = bytes.get(off) {
            let digit = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            acc = (acc << 4) + u32::from(digit);
            if off > 3 {
                return Err(fail(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > 0xffff {
                return Err(fail(input, "IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(fail(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if bytes.get(off) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return Err(fail(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(fail(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let fields = parse_ipv4_fields(input, s)?;
            if let Some(tail) = ip.get_mut(i..i + 4) {
                tail.copy_from_slice(&fields);
            }
            s = "";
            i += 4;
            break;
        }
        // `i` is even and below 16, so both bytes of the group are in range.
        if let Some([hi, lo]) = ip.get_mut(i..i + 2) {
            *hi = u8::try_from(acc >> 8).unwrap_or(0);
            *lo = u8::try_from(acc & 0xff).unwrap_or(0);
        }
        i += 2;
        // The group's `off` bytes are ASCII hex digits.
        s = s.get(off..).unwrap_or_default();
        if s.is_empty() {
            break;
        }
        let Some(after_colon) = s.strip_prefix(':') else {
            return Err(fail(input, "unexpected character, want colon", Some(s)));
        };
        if after_colon.is_empty() {
            return Err(fail(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = after_colon;
        if let Some(after_ellipsis) = s.strip_prefix(':') {
            if ellipsis.is_some() {
                return Err(fail(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = after_ellipsis;
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(fail(input, "trailing garbage after address", Some(s)));
    }
    match ellipsis {
        _ if i == 16 && ellipsis.is_some() => Err(fail(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        )),
        None if i < 16 => Err(fail(input, "address string too short", None)),
        Some(e) if i < 16 => {
            let n = 16 - i;
            ip.copy_within(e..i, e + n);
            if let Some(gap) = ip.get_mut(e..e + n) {
                gap.fill(0);
            }
            Ok((Ipv6Addr::from(ip), zone))
        }
        _ => Ok((Ipv6Addr::from(ip), zone)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_go_accepts() {
        for (text, expected) in [
            ("1.2.3.4", "1.2.3.4"),
            ("::", "::"),
            ("fd00::1", "fd00::1"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
            ("fe80::1%eth0", "fe80::1"),
            ("1::", "1::"),
            ("0:0:0:0:0:0:0:1", "::1"),
        ] {
            assert_eq!(parse_addr(text).unwrap().to_string(), expected, "{text}");
        }
    }

    #[test]
    fn errors_read_like_go() {
        for (text, msg) in [
            ("lab", r#"ParseAddr("lab"): unable to parse IP"#),
            ("%x", r#"ParseAddr("%x"): missing IPv6 address"#),
            (
                "fe80::1%",
                r#"ParseAddr("fe80::1%"): zone must be a non-empty string"#,
            ),
            (
                "00000::1",
                r#"ParseAddr("00000::1"): each group must have 4 or less digits (at "00000::1")"#,
            ),
            (
                "1::2::3",
                r#"ParseAddr("1::2::3"): multiple :: in address (at ":3")"#,
            ),
            (
                "::1]",
                r#"ParseAddr("::1]"): unexpected character, want colon (at "]")"#,
            ),
            (
                "::ffff:01.2.3.4",
                r#"ParseAddr("::ffff:01.2.3.4"): IPv4 field has octet with leading zero"#,
            ),
            ("1.2.3", r#"ParseAddr("1.2.3"): IPv4 address too short"#),
            (
                "1.2.3.4.5",
                r#"ParseAddr("1.2.3.4.5"): IPv4 address too long"#,
            ),
            (
                "1..2.3",
                r#"ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")"#,
            ),
            (
                "1.2.3.x",
                r#"ParseAddr("1.2.3.x"): unexpected character (at "x")"#,
            ),
            (
                "1:2:3:4:5:6:7:8:9",
                r#"ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")"#,
            ),
            (
                "1:2:3:4:5:6:7::8",
                r#"ParseAddr("1:2:3:4:5:6:7::8"): the :: must expand to at least one field of zeros"#,
            ),
            ("1:2", r#"ParseAddr("1:2"): address string too short"#),
            (
                "1:",
                r#"ParseAddr("1:"): colon must be followed by more characters (at ":")"#,
            ),
            (
                "1:2.3.4.5",
                r#"ParseAddr("1:2.3.4.5"): embedded IPv4 address must replace the final 2 fields of the address (at "2.3.4.5")"#,
            ),
        ] {
            assert_eq!(parse_addr(text).unwrap_err().to_string(), msg, "{text}");
        }
    }

    #[test]
    fn parse_addr_zone_keeps_the_zone_apart() {
        let (addr, zone) = parse_addr_zone("fe80::1%eth0").unwrap();
        assert_eq!((addr.to_string().as_str(), zone), ("fe80::1", Some("eth0")));
        assert_eq!(parse_addr_zone("::%a%b").unwrap().1, Some("a%b"));
        assert_eq!(parse_addr_zone("10.0.0.1").unwrap().1, None);
        assert!(parse_addr_zone("10.0.0.1%eth0").is_err());
    }

    #[test]
    fn parse_prefix_reads_bits_like_go() {
        let ok = |t: &str| {
            let (addr, bits) = parse_prefix(t).unwrap();
            format!("{addr}/{bits}")
        };
        assert_eq!(ok("10.0.0.1/8"), "10.0.0.1/8");
        assert_eq!(ok("10.0.0.0/0"), "10.0.0.0/0");
        assert_eq!(ok("FD00::/128"), "fd00::/128");
        assert_eq!(ok("::ffff:1.2.3.4/96"), "::ffff:1.2.3.4/96");
        let msg = |t: &str| parse_prefix(t).unwrap_err().to_string();
        assert_eq!(msg("10.0.0.0"), r#"netip.ParsePrefix("10.0.0.0"): no '/'"#);
        assert_eq!(
            msg("10.0.0.0/08"),
            r#"netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08""#
        );
        assert_eq!(
            msg("10.0.0.0/+8"),
            r#"netip.ParsePrefix("10.0.0.0/+8"): bad bits after slash: "+8""#
        );
        assert_eq!(
            msg("10.0.0.0/"),
            r#"netip.ParsePrefix("10.0.0.0/"): bad bits after slash: """#
        );
        assert_eq!(
            msg("10.0.0.0/99999999999999999999"),
            r#"netip.ParsePrefix("10.0.0.0/99999999999999999999"): bad bits after slash: "99999999999999999999""#
        );
        assert_eq!(
            msg("10.0.0.0/33"),
            r#"netip.ParsePrefix("10.0.0.0/33"): prefix length out of range"#
        );
        assert_eq!(
            msg("fd00::/129"),
            r#"netip.ParsePrefix("fd00::/129"): prefix length out of range"#
        );
        assert_eq!(
            msg("fe80::1%eth0/64"),
            r#"netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix"#
        );
        // The last `/` splits, so the address part holds the first.
        assert_eq!(
            msg("1.2.3.4/8/8"),
            r#"netip.ParsePrefix("1.2.3.4/8/8"): ParseAddr("1.2.3.4/8"): unexpected character (at "/8")"#
        );
    }

    #[test]
    fn parse_addr_port_splits_like_go() {
        fn ok(t: &str) -> (String, Option<&str>, u16) {
            let p = parse_addr_port(t).unwrap();
            (p.addr.to_string(), p.zone, p.port)
        }
        assert_eq!(ok("10.0.0.1:53"), ("10.0.0.1".into(), None, 53));
        assert_eq!(ok("[fd00::1]:51820"), ("fd00::1".into(), None, 51820));
        assert_eq!(
            ok("[fe80::1%eth0]:53"),
            ("fe80::1".into(), Some("eth0"), 53)
        );
        assert_eq!(ok("10.0.0.1:0080"), ("10.0.0.1".into(), None, 80));
        assert_eq!(ok("[::ffff:1.2.3.4]:1"), ("::ffff:1.2.3.4".into(), None, 1));
        let msg = |t: &str| parse_addr_port(t).unwrap_err().to_string();
        assert_eq!(msg("10.0.0.1"), "not an ip:port");
        assert_eq!(msg(":53"), "no IP");
        assert_eq!(msg("10.0.0.1:"), "no port");
        assert_eq!(msg("[fd00::1:53"), "missing ]");
        assert_eq!(
            msg("10.0.0.1:65536"),
            r#"invalid port "65536" parsing "10.0.0.1:65536""#
        );
        assert_eq!(
            msg("10.0.0.1:+1"),
            r#"invalid port "+1" parsing "10.0.0.1:+1""#
        );
        assert_eq!(
            msg("[10.0.0.1]:53"),
            r#"invalid ip:port "[10.0.0.1]:53", square brackets can only be used with IPv6 addresses"#
        );
        assert_eq!(
            msg("fd00::1:53"),
            r#"invalid ip:port "fd00::1:53", IPv6 addresses must be surrounded by square brackets"#
        );
        assert_eq!(msg("x:53"), r#"ParseAddr("x"): unable to parse IP"#);
    }

    proptest::proptest! {
        /// Without zones, Go's reading and Rust's agree on what is an
        /// address and on how it prints.
        #[test]
        fn parse_addr_agrees_with_std_without_zones(text in "[0-9a-f:.]{0,20}") {
            let go = parse_addr(&text).ok();
            proptest::prop_assert_eq!(go, text.parse::<IpAddr>().ok(), "{}", text);
        }

        #[test]
        fn printed_addresses_parse_back(bits in proptest::prelude::any::<u128>(), v4 in proptest::prelude::any::<bool>()) {
            let addr = if v4 {
                IpAddr::V4(Ipv4Addr::from(u32::try_from(bits >> 96).unwrap_or(0)))
            } else {
                IpAddr::V6(Ipv6Addr::from(bits))
            };
            proptest::prop_assert_eq!(parse_addr(&addr.to_string()), Ok(addr));
        }
    }
}
