//! Go's `time.ParseDuration` and `time.Duration.String`: a signed count of
//! nanoseconds written as `1h2m3.5s`, with Go's exact integer arithmetic
//! (a float only for the fraction, as Go uses one) and Go's error texts.
//!
//! ```
//! use talgen_gourl::duration::{self, DurationError};
//!
//! assert_eq!(duration::parse("1h30m"), Ok(5_400_000_000_000));
//! assert_eq!(duration::format(90_000_000_000), "1m30s");
//! assert_eq!(
//!     duration::parse("1d").unwrap_err().to_string(),
//!     r#"time: unknown unit "d" in duration "1d""#,
//! );
//! assert!(matches!(duration::parse("10"), Err(DurationError::MissingUnit { .. })));
//! ```

/// One nanosecond, Go's `time.Nanosecond`.
pub const NANOSECOND: i64 = 1;
/// One microsecond, Go's `time.Microsecond`.
pub const MICROSECOND: i64 = 1_000 * NANOSECOND;
/// One millisecond, Go's `time.Millisecond`.
pub const MILLISECOND: i64 = 1_000 * MICROSECOND;
/// One second, Go's `time.Second`.
pub const SECOND: i64 = 1_000 * MILLISECOND;
/// One minute, Go's `time.Minute`.
pub const MINUTE: i64 = 60 * SECOND;
/// One hour, Go's `time.Hour`.
pub const HOUR: i64 = 60 * MINUTE;

/// The magnitude of the most negative duration: sums may reach it, and a
/// positive result must stay below it.
const LIMIT: u64 = 1 << 63;

/// Why [`parse`] refused a duration. Each variant prints Go's message
/// word for word (`time: ...`, with the quoting of Go's `time` package,
/// which writes every non-ASCII byte as `\xNN`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// Not of the form `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, e.g. empty, a
    /// bare sign, `.s`, or a sign in the middle.
    #[error("time: invalid duration {}", time_quote(input))]
    Invalid {
        /// The whole text given to [`parse`].
        input: String,
    },
    /// Well formed, but beyond the range of a signed 64-bit count of
    /// nanoseconds (Go gives the same message as for [`Self::Invalid`]).
    #[error("time: invalid duration {}", time_quote(input))]
    OutOfRange {
        /// The whole text given to [`parse`].
        input: String,
    },
    /// A number with no unit after it, e.g. `10` or `1h30`.
    #[error("time: missing unit in duration {}", time_quote(input))]
    MissingUnit {
        /// The whole text given to [`parse`].
        input: String,
    },
    /// A unit other than `ns us µs μs ms s m h`.
    #[error(
        "time: unknown unit {} in duration {}",
        time_quote(unit),
        time_quote(input)
    )]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The whole text given to [`parse`].
        input: String,
    },
}

impl DurationError {
    /// The whole text that was refused.
    pub fn input(&self) -> &str {
        match self {
            Self::Invalid { input }
            | Self::OutOfRange { input }
            | Self::MissingUnit { input }
            | Self::UnknownUnit { input, .. } => input,
        }
    }
}

/// How Go's `time` package quotes text in its errors: printable ASCII as
/// it is (with `"` and `\` escaped), every other byte as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for b in s.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7f => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// The nanoseconds in one `unit`, or `None` for a unit Go does not know.
fn unit_nanos(unit: &[u8]) -> Option<u64> {
    let nanos = match unit {
        b"ns" => NANOSECOND,
        // `us`, then `µs` with U+00B5 and with U+03BC, in UTF-8.
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => MICROSECOND,
        b"ms" => MILLISECOND,
        b"s" => SECOND,
        b"m" => MINUTE,
        b"h" => HOUR,
        _ => return None,
    };
    u64::try_from(nanos).ok()
}

/// Length of the run of ASCII digits starting `s`.
fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The integer part of one number: `None` once it would pass 2^63.
fn leading_int(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |x, &b| {
        x.checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(b - b'0')))
            .filter(|&x| x <= LIMIT)
    })
}

/// The fraction digits of one number as an integer and its power of ten.
/// Digits that would push the integer past 2^63 are ignored (they are too
/// small to matter), as Go ignores them.
fn leading_fraction(digits: &[u8]) -> (u64, f64) {
    let mut value = 0u64;
    let mut scale = 1.0f64;
    let mut overflowed = false;
    for &b in digits {
        if overflowed {
            continue;
        }
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .filter(|&v| v <= LIMIT)
        {
            Some(v) => {
                value = v;
                scale *= 10.0;
            }
            None => overflowed = true,
        }
    }
    (value, scale)
}

/// Parses Go's duration syntax into nanoseconds, accepting and refusing
/// exactly what Go's `time.ParseDuration` does: an optional sign, then one
/// or more decimal numbers (a fraction allowed) each with a unit; `0`
/// alone needs no unit. The result may be as low as `i64::MIN`.
pub fn parse(text: &str) -> Result<i64, DurationError> {
    let input = || text.to_owned();
    let invalid = || DurationError::Invalid { input: input() };
    let out_of_range = || DurationError::OutOfRange { input: input() };

    let mut s = text.as_bytes();
    let mut negative = false;
    if let Some((&sign @ (b'-' | b'+'), rest)) = s.split_first() {
        negative = sign == b'-';
        s = rest;
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let (int_digits, rest) = s.split_at(digit_run(s));
        s = rest;
        let whole = leading_int(int_digits).ok_or_else(out_of_range)?;
        let mut frac_digits: &[u8] = &[];
        if let Some(rest) = s.strip_prefix(b".") {
            let (digits, rest) = rest.split_at(digit_run(rest));
            frac_digits = digits;
            s = rest;
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .take_while(|&&b| !(b == b'.' || b.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(DurationError::MissingUnit { input: input() });
        }
        let (unit, rest) = s.split_at(unit_len);
        s = rest;
        let per = unit_nanos(unit).ok_or_else(|| DurationError::UnknownUnit {
            unit: String::from_utf8_lossy(unit).into_owned(),
            input: input(),
        })?;
        if whole > LIMIT / per {
            return Err(out_of_range());
        }
        let mut value = whole * per;
        let (frac, scale) = leading_fraction(frac_digits);
        if frac > 0 {
            // Go adds the fraction through a float: exact to the
            // nanosecond for every unit up to an hour, truncated.
            value = value
                .checked_add((frac as f64 * (per as f64 / scale)) as u64)
                .filter(|&v| v <= LIMIT)
                .ok_or_else(out_of_range)?;
        }
        total = total
            .checked_add(value)
            .filter(|&t| t <= LIMIT)
            .ok_or_else(out_of_range)?;
    }
    if negative {
        // 2^63 negated is exactly i64::MIN; anything smaller fits too.
        Ok(0i64.wrapping_sub_unsigned(total))
    } else {
        i64::try_from(total).map_err(|_| out_of_range())
    }
}

/// Appends the `digits` fraction digits of `v` (backwards), dropping
/// trailing zeros and the dot when nothing is left; returns the whole part.
fn push_fraction(rev: &mut Vec<u8>, mut v: u64, digits: u32) -> u64 {
    let mut printed = false;
    for _ in 0..digits {
        let digit = (v % 10) as u8;
        printed = printed || digit != 0;
        if printed {
            rev.push(b'0' + digit);
        }
        v /= 10;
    }
    if printed {
        rev.push(b'.');
    }
    v
}

/// Appends `v` in decimal (backwards).
fn push_int(rev: &mut Vec<u8>, mut v: u64) {
    loop {
        rev.push(b'0' + (v % 10) as u8);
        v /= 10;
        if v == 0 {
            break;
        }
    }
}

/// Go's `Duration.String`: `0s`; below a second one unit (`ns`, `µs`,
/// `ms`) with a decimal fraction; otherwise `h`, `m` and `s` from the
/// largest non-zero one down (`1h0m0s`, `5m0s`, `1.5s`), with a leading
/// `-` for negative durations.
pub fn format(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_owned();
    }
    let mut u = nanos.unsigned_abs();
    let as_u64 = i64::unsigned_abs;
    // Written from the end, then turned around.
    let mut rev: Vec<u8> = Vec::with_capacity(32);
    rev.push(b's');
    if u < as_u64(SECOND) {
        let digits = if u < as_u64(MICROSECOND) {
            rev.push(b'n');
            0
        } else if u < as_u64(MILLISECOND) {
            // "µ" (U+00B5) is two bytes; backwards, like everything else.
            rev.extend_from_slice(&[0xB5, 0xC2]);
            3
        } else {
            rev.push(b'm');
            6
        };
        u = push_fraction(&mut rev, u, digits);
        push_int(&mut rev, u);
    } else {
        u = push_fraction(&mut rev, u, 9);
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
    if nanos < 0 {
        rev.push(b'-');
    }
    rev.reverse();
    String::from_utf8_lossy(&rev).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn invalid(input: &str) -> DurationError {
        DurationError::Invalid {
            input: input.to_owned(),
        }
    }

    #[test]
    fn duration_format_picks_units_like_go() {
        for (nanos, text) in [
            (0, "0s"),
            (1, "1ns"),
            (999, "999ns"),
            (1_000, "1µs"),
            (1_100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (4 * MINUTE + 5 * SECOND, "4m5s"),
            (5 * MINUTE, "5m0s"),
            (HOUR, "1h0m0s"),
            (168 * HOUR, "168h0m0s"),
            (-1_500_000_000, "-1.5s"),
            (-1, "-1ns"),
            (i64::MIN, "-2562047h47m16.854775808s"),
            (i64::MAX, "2562047h47m16.854775807s"),
        ] {
            assert_eq!(format(nanos), text, "{nanos}");
        }
    }

    #[test]
    fn duration_parses_every_unit_like_go() {
        for (text, nanos) in [
            ("5ns", 5),
            ("5us", 5 * MICROSECOND),
            ("5\u{b5}s", 5 * MICROSECOND),
            ("5\u{3bc}s", 5 * MICROSECOND),
            ("5ms", 5 * MILLISECOND),
            ("5s", 5 * SECOND),
            ("5m", 5 * MINUTE),
            ("5h", 5 * HOUR),
            ("1h2m3.5s", HOUR + 2 * MINUTE + 3_500_000_000),
            ("1s1s", 2 * SECOND),
        ] {
            assert_eq!(parse(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn duration_sign_and_bare_zero_like_go() {
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("+0"), Ok(0));
        assert_eq!(parse("-0"), Ok(0));
        assert_eq!(parse("+5s"), Ok(5 * SECOND));
        assert_eq!(parse("-5s"), Ok(-5 * SECOND));
        // A unit runs to the next digit or dot, so a sign there is part
        // of the unit.
        let unknown = |unit: &str, input: &str| DurationError::UnknownUnit {
            unit: unit.into(),
            input: input.into(),
        };
        assert_eq!(parse("-1h-2m"), Err(unknown("h-", "-1h-2m")));
        assert_eq!(parse("1h+2m"), Err(unknown("h+", "1h+2m")));
        assert_eq!(parse("--5s"), Err(invalid("--5s")));
        assert_eq!(parse(""), Err(invalid("")));
        assert_eq!(parse("-"), Err(invalid("-")));
        assert_eq!(
            parse("00"),
            Err(DurationError::MissingUnit { input: "00".into() })
        );
    }

    #[test]
    fn duration_fraction_rounds_like_go() {
        for (text, nanos) in [
            ("1.5h", 5_400 * SECOND),
            (".5s", 500 * MILLISECOND),
            ("5.s", 5 * SECOND),
            ("0.1ns", 0),
            ("1.9ns", 1),
            ("1.0000000001s", SECOND),
            ("0.3333333333333h", 1_199_999_999_999),
            // Fraction digits past what fits in 63 bits are dropped.
            ("1.00000000000000000000000000001s", SECOND),
            ("0.123456789012345678901234567890s", 123_456_789),
        ] {
            assert_eq!(parse(text), Ok(nanos), "{text}");
        }
        assert_eq!(parse(".s"), Err(invalid(".s")));
        assert_eq!(parse("-.s"), Err(invalid("-.s")));
    }

    #[test]
    fn duration_overflow_is_an_error_like_go() {
        assert_eq!(parse("9223372036854775807ns"), Ok(i64::MAX));
        assert_eq!(parse("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(parse("2562047h47m16.854775807s"), Ok(i64::MAX));
        assert_eq!(parse("-2562047h47m16.854775808s"), Ok(i64::MIN));
        for text in [
            "9223372036854775808ns",
            "2562048h",
            "2562047h48m",
            "9999999999999999999999s",
            "-9223372036854775809ns",
            "4611686018427387904ns4611686018427387904ns",
        ] {
            assert_eq!(
                parse(text),
                Err(DurationError::OutOfRange { input: text.into() }),
                "{text}"
            );
        }
    }

    #[test]
    fn duration_units_and_messages_like_go() {
        let msg = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(msg("10"), r#"time: missing unit in duration "10""#);
        assert_eq!(msg("1h30"), r#"time: missing unit in duration "1h30""#);
        assert_eq!(msg("1..5h"), r#"time: missing unit in duration "1..5h""#);
        assert_eq!(msg("1d"), r#"time: unknown unit "d" in duration "1d""#);
        assert_eq!(msg("1H"), r#"time: unknown unit "H" in duration "1H""#);
        assert_eq!(msg("1h-"), r#"time: unknown unit "h-" in duration "1h-""#);
        assert_eq!(msg("h"), r#"time: invalid duration "h""#);
        assert_eq!(msg("2562048h"), r#"time: invalid duration "2562048h""#);
        // Go's `time` quoting: non-ASCII and control bytes as \xNN.
        assert_eq!(
            msg("1é\n"),
            r#"time: unknown unit "\xc3\xa9\x0a" in duration "1\xc3\xa9\x0a""#
        );
        assert_eq!(msg("\"\\"), r#"time: invalid duration "\"\\""#);
        assert_eq!(parse("1d").unwrap_err().input(), "1d");
    }

    proptest::proptest! {
        #[test]
        fn duration_format_parses_back(nanos in proptest::prelude::any::<i64>()) {
            proptest::prop_assert_eq!(parse(&format(nanos)), Ok(nanos));
        }

        #[test]
        fn duration_parse_never_panics(text in "[-+.0-9a-zµμ]{0,24}") {
            let _ = parse(&text);
        }

        #[test]
        fn duration_sum_of_parts_is_the_whole(h in 0i64..1000, m in 0i64..60, s in 0i64..60, ms in 0i64..1000) {
            let text = std::format!("{h}h{m}m{s}s{ms}ms");
            proptest::prop_assert_eq!(parse(&text), Ok(h * HOUR + m * MINUTE + s * SECOND + ms * MILLISECOND));
        }
    }
}
