//! Go's `strconv` integer and boolean parsers: `ParseInt`, `ParseUint`
//! and `Atoi` (which the YAML resolvers and Talos's port checks run) and
//! `ParseBool` (which pflag runs on `--flag=value` for boolean flags),
//! with Go's `*strconv.NumError` texts.
//!
//! ```
//! use talgen_gourl::strconv::{parse_bool, parse_int, NumErrorKind};
//!
//! assert_eq!(parse_bool("T"), Ok(true));
//! assert_eq!(
//!     parse_bool("yes").unwrap_err().to_string(),
//!     r#"strconv.ParseBool: parsing "yes": invalid syntax"#,
//! );
//! assert_eq!(parse_int("-0x_1F", 0, 64), Ok(-31));
//! assert_eq!(parse_int("0755", 0, 64), Ok(0o755));
//! let err = parse_int("128", 10, 8).unwrap_err();
//! assert_eq!(err.kind, NumErrorKind::Range);
//! assert_eq!(err.to_string(), r#"strconv.ParseInt: parsing "128": value out of range"#);
//! ```

use crate::quote::go_quote;

/// Go's `*strconv.NumError` from [`parse_int`], [`parse_uint`] and
/// [`atoi`]: the function, the text it was given and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("strconv.{func}: parsing {}: {kind}", go_quote(num))]
pub struct NumError {
    /// The Go function that failed (`ParseInt`, `ParseUint`, `Atoi`).
    pub func: &'static str,
    /// The whole text given to it, sign included.
    pub num: String,
    /// What went wrong.
    pub kind: NumErrorKind,
}

impl NumError {
    fn new(func: &'static str, num: &str, kind: NumErrorKind) -> Self {
        NumError {
            func,
            num: num.to_owned(),
            kind,
        }
    }
}

/// The causes a Go `*strconv.NumError` wraps, printed in Go's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumErrorKind {
    /// Go's `strconv.ErrSyntax`: not a number in the base asked for.
    #[error("invalid syntax")]
    Syntax,
    /// Go's `strconv.ErrRange`: a number, but too large for the bit size.
    #[error("value out of range")]
    Range,
    /// The base is neither 0 nor 2 to 36.
    #[error("invalid base {0}")]
    Base(u32),
    /// The bit size is above 64.
    #[error("invalid bit size {0}")]
    BitSize(u32),
}

/// Go's `strconv.ParseUint`: digits in `base` (2 to 36, letters of either
/// case above 9), or with `base` 0 a prefix choosing it (`0x`, `0o`, `0b`,
/// a bare leading `0` for octal, else decimal) and `_` allowed between
/// digits and after a prefix. No sign. `bit_size` 0 means 64.
///
/// As in Go, an overflow is reported as soon as it happens, so a text
/// that is too long gives [`NumErrorKind::Range`] even when a bad
/// character follows.
pub fn parse_uint(s: &str, base: u32, bit_size: u32) -> Result<u64, NumError> {
    try_parse_uint(s, base, bit_size).map_err(|kind| NumError::new("ParseUint", s, kind))
}

/// [`parse_uint`] without copying the text into the error: for callers
/// that only need the verdict (a YAML resolver asking "is this a number?"
/// of every scalar).
pub fn try_parse_uint(s: &str, base: u32, bit_size: u32) -> Result<u64, NumErrorKind> {
    if s.is_empty() {
        return Err(NumErrorKind::Syntax);
    }
    let base0 = base == 0;
    let bytes = s.as_bytes();
    let (base, digits) = match (base, bytes) {
        (2..=36, _) => (base, bytes),
        (0, [b'0', p, rest @ ..]) if !rest.is_empty() && matches!(p | 0x20, b'b' | b'o' | b'x') => {
            let base = match p | 0x20 {
                b'b' => 2,
                b'o' => 8,
                _ => 16,
            };
            (base, rest)
        }
        (0, [b'0', rest @ ..]) => (8, rest),
        (0, _) => (10, bytes),
        _ => return Err(NumErrorKind::Base(base)),
    };
    let bit_size = match bit_size {
        0 => 64,
        1..=64 => bit_size,
        _ => return Err(NumErrorKind::BitSize(bit_size)),
    };
    let max = u64::MAX >> (64 - bit_size);
    let mut underscores = false;
    let mut n: u64 = 0;
    for &c in digits {
        if c == b'_' && base0 {
            underscores = true;
            continue;
        }
        let d = match c {
            b'0'..=b'9' => c - b'0',
            _ if (c | 0x20).is_ascii_lowercase() => (c | 0x20) - b'a' + 10,
            _ => return Err(NumErrorKind::Syntax),
        };
        if u32::from(d) >= base {
            return Err(NumErrorKind::Syntax);
        }
        n = n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
            .filter(|&n| n <= max)
            .ok_or(NumErrorKind::Range)?;
    }
    if underscores && !underscores_between_digits(s) {
        return Err(NumErrorKind::Syntax);
    }
    Ok(n)
}

/// Go's `underscoreOK`: every `_` of a base-0 number sits between two
/// digits, or between the base prefix and a digit.
fn underscores_between_digits(s: &str) -> bool {
    #[derive(PartialEq)]
    enum Last {
        Start,
        Digit,
        Underscore,
        Other,
    }
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let bytes = s.as_bytes();
    let (hex, body, mut last) = match bytes {
        [b'0', p, rest @ ..] if matches!(p | 0x20, b'b' | b'o' | b'x') => {
            (p | 0x20 == b'x', rest, Last::Digit)
        }
        _ => (false, bytes, Last::Start),
    };
    for &c in body {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            last = Last::Digit;
        } else if c == b'_' {
            if last != Last::Digit {
                return false;
            }
            last = Last::Underscore;
        } else if last == Last::Underscore {
            return false;
        } else {
            last = Last::Other;
        }
    }
    last != Last::Underscore
}

/// Go's `strconv.ParseInt`: an optional `+` or `-`, then what
/// [`parse_uint`] reads, within `bit_size` bits as a signed number
/// (0 means 64). Errors name the whole text, sign included.
pub fn parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, NumError> {
    try_parse_int(s, base, bit_size).map_err(|kind| NumError::new("ParseInt", s, kind))
}

/// [`parse_int`] without copying the text into the error (see
/// [`try_parse_uint`]).
pub fn try_parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, NumErrorKind> {
    let (negative, magnitude) = match s.as_bytes().first() {
        None => return Err(NumErrorKind::Syntax),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(_) => (false, s),
    };
    let un = match try_parse_uint(magnitude, base, bit_size) {
        Ok(un) => un,
        // An unsigned overflow is a signed one too; Go rechecks below.
        Err(NumErrorKind::Range) => u64::MAX,
        Err(kind) => return Err(kind),
    };
    let bits = if bit_size == 0 { 64 } else { bit_size };
    let cutoff = 1u64 << (bits - 1);
    match (negative, un) {
        (false, un) if un >= cutoff => Err(NumErrorKind::Range),
        (true, un) if un > cutoff => Err(NumErrorKind::Range),
        (false, un) => i64::try_from(un).map_err(|_| NumErrorKind::Range),
        (true, un) => Ok(0i64.wrapping_sub_unsigned(un)),
    }
}

/// Go's `strconv.Atoi`: [`parse_int`] in base 10 within 64 bits (Go's
/// `int` on the 64-bit platforms Talos runs on), errors naming `Atoi`.
pub fn atoi(s: &str) -> Result<i64, NumError> {
    try_parse_int(s, 10, 64).map_err(|kind| NumError::new("Atoi", s, kind))
}

/// Go's `*strconv.NumError` for [`parse_bool`]: the text is not one of the
/// spellings Go accepts (`ParseBool` has no range errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("strconv.ParseBool: parsing {}: invalid syntax", go_quote(input))]
pub struct ParseBoolError {
    /// The refused text.
    pub input: String,
}

/// Go's `strconv.ParseBool`: `1 t T TRUE true True` are true,
/// `0 f F FALSE false False` are false, anything else (`yes`, `on`,
/// `tRUE`, surrounding spaces) is refused.
pub fn parse_bool(text: &str) -> Result<bool, ParseBoolError> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(ParseBoolError {
            input: text.to_owned(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_bool_accepts_gos_spellings_only() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        for bad in ["", "yes", "on", "tRUE", "FaLsE", " true", "2"] {
            assert!(parse_bool(bad).is_err(), "{bad:?}");
        }
    }

    fn int(s: &str, base: u32, bits: u32) -> Result<i64, NumErrorKind> {
        parse_int(s, base, bits).map_err(|e| e.kind)
    }

    fn uint(s: &str, base: u32, bits: u32) -> Result<u64, NumErrorKind> {
        parse_uint(s, base, bits).map_err(|e| e.kind)
    }

    #[test]
    fn base_zero_reads_gos_prefixes() {
        for (text, want) in [
            ("0", 0),
            ("-0", 0),
            ("+7", 7),
            ("0x1f", 31),
            ("0X1F", 31),
            ("0o17", 15),
            ("0O17", 15),
            ("017", 15),
            ("0b101", 5),
            ("0B101", 5),
            ("-0x10", -16),
            ("00", 0),
        ] {
            assert_eq!(int(text, 0, 64), Ok(want), "{text}");
        }
        // A prefix needs something after it; `08` is a bad octal digit.
        for text in [
            "0x", "0b", "0o", "08", "0b2", "0xg", "-", "+", "", "++1", " 1", "1 ",
        ] {
            assert_eq!(int(text, 0, 64), Err(NumErrorKind::Syntax), "{text:?}");
        }
    }

    #[test]
    fn underscores_only_between_digits_and_only_in_base_zero() {
        for (text, want) in [
            ("1_000", 1000),
            ("0x_1F", 31),
            ("0b1_0", 2),
            ("-1_2", -12),
            ("0_7", 7),
        ] {
            assert_eq!(int(text, 0, 64), Ok(want), "{text}");
        }
        for text in ["_1", "1_", "1__0", "0x_", "0_x1", "-_1", "1_a"] {
            assert_eq!(int(text, 0, 64), Err(NumErrorKind::Syntax), "{text}");
        }
        assert_eq!(int("1_000", 10, 64), Err(NumErrorKind::Syntax));
    }

    #[test]
    fn explicit_bases_take_no_prefix_and_letters_of_either_case() {
        assert_eq!(int("ff", 16, 64), Ok(255));
        assert_eq!(int("FF", 16, 64), Ok(255));
        assert_eq!(int("zz", 36, 64), Ok(1295));
        assert_eq!(int("0x1f", 16, 64), Err(NumErrorKind::Syntax));
        assert_eq!(int("-101", 2, 64), Ok(-5));
        assert_eq!(int("010", 10, 64), Ok(10));
        assert_eq!(int("1", 1, 64), Err(NumErrorKind::Base(1)));
        assert_eq!(int("1", 37, 64), Err(NumErrorKind::Base(37)));
        assert_eq!(int("1", 10, 65), Err(NumErrorKind::BitSize(65)));
    }

    #[test]
    fn ranges_follow_the_bit_size() {
        assert_eq!(int("9223372036854775807", 0, 64), Ok(i64::MAX));
        assert_eq!(int("-9223372036854775808", 0, 0), Ok(i64::MIN));
        assert_eq!(int("9223372036854775808", 0, 64), Err(NumErrorKind::Range));
        assert_eq!(int("-9223372036854775809", 0, 64), Err(NumErrorKind::Range));
        assert_eq!(int("127", 10, 8), Ok(127));
        assert_eq!(int("-128", 10, 8), Ok(-128));
        assert_eq!(int("-129", 10, 8), Err(NumErrorKind::Range));
        assert_eq!(uint("18446744073709551615", 0, 64), Ok(u64::MAX));
        assert_eq!(
            uint("18446744073709551616", 0, 64),
            Err(NumErrorKind::Range)
        );
        assert_eq!(uint("256", 10, 8), Err(NumErrorKind::Range));
        assert_eq!(uint("-1", 10, 64), Err(NumErrorKind::Syntax));
        assert_eq!(uint("+1", 10, 64), Err(NumErrorKind::Syntax));
        // Go stops at the overflow, before it sees the bad byte.
        assert_eq!(
            uint("99999999999999999999x", 10, 64),
            Err(NumErrorKind::Range)
        );
        assert_eq!(
            int("99999999999999999999x", 10, 64),
            Err(NumErrorKind::Range)
        );
        assert_eq!(
            uint("1x99999999999999999999", 10, 64),
            Err(NumErrorKind::Syntax)
        );
        // ... and checks underscores only at the end.
        assert_eq!(
            uint("99999999999999999999__", 0, 64),
            Err(NumErrorKind::Range)
        );
    }

    #[test]
    fn num_errors_print_like_go() {
        let msg = |r: Result<i64, NumError>| r.unwrap_err().to_string();
        assert_eq!(
            msg(parse_int("-x", 0, 64)),
            r#"strconv.ParseInt: parsing "-x": invalid syntax"#
        );
        assert_eq!(
            msg(parse_int("1", 2, 99)),
            r#"strconv.ParseInt: parsing "1": invalid bit size 99"#
        );
        assert_eq!(
            msg(parse_int("1", 40, 64)),
            r#"strconv.ParseInt: parsing "1": invalid base 40"#
        );
        assert_eq!(
            msg(atoi("7z")),
            r#"strconv.Atoi: parsing "7z": invalid syntax"#
        );
        assert_eq!(
            msg(atoi("99999999999999999999")),
            r#"strconv.Atoi: parsing "99999999999999999999": value out of range"#
        );
        assert_eq!(
            parse_uint("-1", 0, 64).unwrap_err().to_string(),
            r#"strconv.ParseUint: parsing "-1": invalid syntax"#
        );
        assert_eq!(atoi("-42"), Ok(-42));
        assert_eq!(
            atoi("0x1"),
            Err(NumError {
                func: "Atoi",
                num: "0x1".into(),
                kind: NumErrorKind::Syntax
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn decimal_agrees_with_rusts_parser(n in proptest::prelude::any::<i64>()) {
            proptest::prop_assert_eq!(parse_int(&n.to_string(), 0, 64), Ok(n));
            proptest::prop_assert_eq!(parse_int(&n.to_string(), 10, 64), Ok(n));
        }

        #[test]
        fn hex_round_trips(n in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(parse_uint(&format!("0x{n:x}"), 0, 64), Ok(n));
            proptest::prop_assert_eq!(parse_uint(&format!("{n:X}"), 16, 64), Ok(n));
        }

        #[test]
        fn never_panics(text in "[-+0-9a-zA-Z_]{0,24}", base in 0u32..40, bits in 0u32..70) {
            let _ = parse_int(&text, base, bits);
        }
    }

    #[test]
    fn parse_bool_error_quotes_like_go() {
        let msg = |t: &str| parse_bool(t).unwrap_err().to_string();
        assert_eq!(
            msg("on"),
            r#"strconv.ParseBool: parsing "on": invalid syntax"#
        );
        assert_eq!(msg(""), r#"strconv.ParseBool: parsing "": invalid syntax"#);
        assert_eq!(
            msg("a\u{1}\"b"),
            r#"strconv.ParseBool: parsing "a\x01\"b": invalid syntax"#
        );
    }
}
