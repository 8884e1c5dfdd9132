//! Go's `time.Duration`: a signed count of nanoseconds written as `1h2m3.5s`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A span of time with Go's `time.Duration` range and text form.
///
/// It encodes as Go's `Duration.String()` (`168h0m0s`, `5m0s`, `1.5s`,
/// `300ms`) and decodes from Go's `time.ParseDuration` syntax; the plain
/// integer `0` is also accepted on decode, as go-yaml does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub i64);

/// Why a duration string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDurationError(String);

impl fmt::Display for ParseDurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid duration {:?}", self.0)
    }
}

impl std::error::Error for ParseDurationError {}

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;

impl Duration {
    /// The zero duration, which `omitempty` fields leave out.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `n` nanoseconds.
    pub const fn from_nanos(n: i64) -> Self {
        Duration(n)
    }

    /// A duration of `s` whole seconds (saturating at Go's range).
    pub const fn from_secs(s: i64) -> Self {
        Duration(s.saturating_mul(SECOND as i64))
    }

    /// A duration of `m` whole minutes (saturating at Go's range).
    pub const fn from_mins(m: i64) -> Self {
        Duration(m.saturating_mul(MINUTE as i64))
    }

    /// A duration of `h` whole hours (saturating at Go's range).
    pub const fn from_hours(h: i64) -> Self {
        Duration(h.saturating_mul(HOUR as i64))
    }

    /// The length in nanoseconds.
    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    /// Whether this is the zero duration.
    pub const fn is_zero(&self) -> bool {
        self.0 == 0
    }
}

/// Writes the fraction digits of `v / 10^prec` into `out` (reversed), dropping
/// trailing zeros and the dot when nothing is left; returns `v / 10^prec`.
/// Mirrors `fmtFrac` in Go's `time/time.go`.
fn push_frac(out: &mut Vec<u8>, mut v: u64, prec: u32) -> u64 {
    let mut printed = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        printed = printed || digit != 0;
        if printed {
            out.push(b'0' + digit);
        }
        v /= 10;
    }
    if printed {
        out.push(b'.');
    }
    v
}

/// Writes `v` in decimal into `out` (reversed).
fn push_int(out: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        out.push(b'0');
        return;
    }
    while v > 0 {
        out.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Built back to front like Go's `Duration.format`, then reversed.
        let neg = self.0 < 0;
        let mut u = self.0.unsigned_abs();
        let mut rev: Vec<u8> = Vec::with_capacity(32);
        if u < SECOND {
            rev.push(b's');
            let prec = if u == 0 {
                return f.write_str("0s");
            } else if u < MICROSECOND {
                rev.push(b'n');
                0
            } else if u < MILLISECOND {
                // "µ" (U+00B5) as UTF-8, reversed.
                rev.extend_from_slice(&[0xB5, 0xC2]);
                3
            } else {
                rev.push(b'm');
                6
            };
            u = push_frac(&mut rev, u, prec);
            push_int(&mut rev, u);
        } else {
            rev.push(b's');
            u = push_frac(&mut rev, u, 9);
            push_int(&mut rev, u % 60);
            u /= 60;
            if u > 0 {
                rev.push(b'm');
                push_int(&mut rev, u % 60);
                u /= 60;
                if u > 0 {
                    rev.push(b'h');
                    push_int(&mut rev, u);
                }
            }
        }
        if neg {
            rev.push(b'-');
        }
        rev.reverse();
        f.write_str(&String::from_utf8_lossy(&rev))
    }
}

/// The nanoseconds in one `unit` of Go's duration syntax.
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => NANOSECOND,
        "us" | "\u{b5}s" | "\u{3bc}s" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    /// Parses Go's `time.ParseDuration` syntax: an optional sign, then one or
    /// more decimal numbers each followed by a unit (`ns us µs ms s m h`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError(text.to_owned());
        let mut s = text;
        let mut neg = false;
        if let Some(rest) = s.strip_prefix('-') {
            neg = true;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest;
        }
        if s == "0" {
            return Ok(Duration(0));
        }
        if s.is_empty() {
            return Err(err());
        }
        let mut total: u64 = 0;
        while !s.is_empty() {
            // Integer part.
            let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
            let (int_digits, rest) = s.split_at(int_len);
            s = rest;
            let mut whole: u64 = 0;
            for b in int_digits.bytes() {
                whole = whole
                    .checked_mul(10)
                    .and_then(|w| w.checked_add(u64::from(b - b'0')))
                    .filter(|w| *w <= 1 << 63)
                    .ok_or_else(err)?;
            }
            // Fraction part: keep digits while they still fit, like Go.
            let mut frac: u64 = 0;
            let mut scale: f64 = 1.0;
            let mut has_frac_digits = false;
            if let Some(rest) = s.strip_prefix('.') {
                s = rest;
                let frac_len = s.bytes().take_while(u8::is_ascii_digit).count();
                let (frac_digits, rest) = s.split_at(frac_len);
                s = rest;
                has_frac_digits = frac_len > 0;
                let mut overflow = false;
                for b in frac_digits.bytes() {
                    if overflow {
                        continue;
                    }
                    match frac
                        .checked_mul(10)
                        .and_then(|f| f.checked_add(u64::from(b - b'0')))
                    {
                        Some(f) if f <= 1 << 63 => {
                            frac = f;
                            scale *= 10.0;
                        }
                        _ => overflow = true,
                    }
                }
            }
            if int_len == 0 && !has_frac_digits {
                return Err(err());
            }
            let unit_len = s
                .char_indices()
                .find(|(_, c)| *c == '.' || c.is_ascii_digit())
                .map_or(s.len(), |(i, _)| i);
            if unit_len == 0 {
                return Err(err());
            }
            let (unit, rest) = s.split_at(unit_len);
            s = rest;
            let per = unit_nanos(unit).ok_or_else(err)?;
            if whole > (1u64 << 63) / per {
                return Err(err());
            }
            let mut value = whole * per;
            if frac > 0 {
                let extra = (frac as f64 * (per as f64 / scale)) as u64;
                value = value.checked_add(extra).ok_or_else(err)?;
                if value > 1 << 63 {
                    return Err(err());
                }
            }
            total = total.checked_add(value).ok_or_else(err)?;
            if total > 1 << 63 {
                return Err(err());
            }
        }
        if neg {
            // 1<<63 negated is exactly i64::MIN.
            Ok(Duration((total as i64).wrapping_neg()))
        } else if total > i64::MAX as u64 {
            Err(err())
        } else {
            Ok(Duration(total as i64))
        }
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;

        impl Visitor<'_> for DurationVisitor {
            type Value = Duration;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Go duration such as 5m0s")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                // go-yaml accepts a bare integer only when it is zero.
                if v == 0 {
                    Ok(Duration(0))
                } else {
                    Err(E::custom(format!(
                        "cannot decode integer {v} as a duration"
                    )))
                }
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }

        deserializer.deserialize_any(DurationVisitor)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let cases = [
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (4 * 60 * 1_000_000_000 + 5_000_000_000, "4m5s"),
            (5 * 60 * 1_000_000_000, "5m0s"),
            (168 * 3600 * 1_000_000_000, "168h0m0s"),
            (-1_500_000_000, "-1.5s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
            (i64::MAX, "2562047h47m16.854775807s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(Duration(nanos).to_string(), text, "{nanos}");
        }
    }

    #[test]
    fn parses_like_go() {
        let cases = [
            ("0", 0),
            ("5s", 5_000_000_000),
            ("+5s", 5_000_000_000),
            ("-5s", -5_000_000_000),
            ("1.5h", 5_400_000_000_000),
            ("1h2m3.5s", 3_723_500_000_000),
            ("300ms", 300_000_000),
            ("10us", 10_000),
            ("10µs", 10_000),
            (".5s", 500_000_000),
            ("5.s", 5_000_000_000),
            ("9223372036854775807ns", i64::MAX),
        ];
        for (text, nanos) in cases {
            assert_eq!(text.parse::<Duration>(), Ok(Duration(nanos)), "{text}");
        }
        for bad in [
            "",
            "5",
            "s",
            ".s",
            "1x",
            "-",
            "9223372036854775808ns",
            "1h-2m",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn printed_durations_parse_back(nanos in proptest::prelude::any::<i64>()) {
            let d = Duration(nanos);
            proptest::prop_assert_eq!(d.to_string().parse::<Duration>(), Ok(d));
        }
    }
}
