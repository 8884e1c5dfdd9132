//! Go's `netip.ParseAddr`, which Go 1.26's URL parser runs on the text
//! inside a host's brackets (and Talos's generator on a whole endpoint):
//! the same accepted forms (an IPv6 zone after `%`, an embedded IPv4 tail)
//! and the same error texts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::quote::go_quote;
use crate::url::UrlError;

/// Go's `parseAddrError` text: the input, what is wrong, and where.
fn fail(input: &str, msg: &str, at: Option<&str>) -> String {
    match at.filter(|a| !a.is_empty()) {
        Some(at) => format!(
            "ParseAddr({}): {msg} (at {})",
            go_quote(input),
            go_quote(at)
        ),
        None => format!("ParseAddr({}): {msg}", go_quote(input)),
    }
}

/// Parses an IPv4 or IPv6 address (with an optional zone, which is
/// checked but not kept) as Go's `netip.ParseAddr` does: the same accepted
/// forms, and on failure [`UrlError::InvalidAddress`] carrying Go's message.
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
pub fn parse_addr(text: &str) -> Result<IpAddr, UrlError> {
    parse_addr_message(text).map_err(|reason| UrlError::InvalidAddress { reason })
}

/// [`parse_addr`] with Go's message as a plain string. The first `.`, `:`
/// or `%` decides which form is read.
pub(crate) fn parse_addr_message(text: &str) -> Result<IpAddr, String> {
    for b in text.bytes() {
        match b {
            b'.' => return parse_ipv4_fields(text, text).map(|f| IpAddr::V4(Ipv4Addr::from(f))),
            b':' => return parse_ipv6(text).map(IpAddr::V6),
            b'%' => return Err(fail(text, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(fail(text, "unable to parse IP", None))
}

/// Go's `parseIPv4Fields`: four decimal fields of `s` (a tail of `input`,
/// which error messages name), no leading zeros, each up to 255.
fn parse_ipv4_fields(input: &str, s: &str) -> Result<[u8; 4], String> {
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
/// `::`, an optional IPv4 tail and an optional non-empty `%zone` (which
/// the address does not keep here: callers only need its family).
fn parse_ipv6(input: &str) -> Result<Ipv6Addr, String> {
    let mut s = input;
    if let Some((addr, zone)) = input.split_once('%') {
        s = addr;
        if zone.is_empty() {
            return Err(fail(input, "zone must be a non-empty string", None));
        }
    }
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Ok(Ipv6Addr::UNSPECIFIED);
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
            Ok(Ipv6Addr::from(ip))
        }
        _ => Ok(Ipv6Addr::from(ip)),
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
}
