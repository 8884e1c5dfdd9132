//! Which strings yaml.v2 may write plain: those whose plain form its
//! YAML 1.1 resolver reads back as a string, minus sexagesimal look-alikes.
//!
//! v2 resolves numbers and timestamps with the same Go calls as v4 (and so
//! with [`crate::resolve`]'s ports); it differs in its words (YAML 1.1
//! booleans such as `yes`, `on`, `y`, which v2 double-quotes), in having no
//! resolver entry for `<`, so `<<` is a plain string, and in reading `0b`
//! followed by a signed binary number as an integer.

use talgen_gourl::strconv;

use crate::resolve::{is_base60_float, resolve_plain, Resolved};

/// v2's words that are not strings, among texts not starting with `.`, a
/// digit or a sign (those go through [`resolve_plain`], whose words for
/// them are v2's).
const WORDS: &[&str] = &[
    "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no",
    "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
];

/// yaml.v2's `stringv` test: a string may be written plain only when its
/// unquoted form reads back as a string under v2's resolver.
pub(super) fn can_use_plain(s: &str) -> bool {
    !is_base60_float(s) && resolves_to_string(s)
}

fn resolves_to_string(s: &str) -> bool {
    match s.as_bytes().first() {
        // The empty text is null.
        None => false,
        Some(b'.' | b'0'..=b'9' | b'+' | b'-') => {
            resolve_plain(s) == Resolved::Str && !is_signed_binary(s)
        }
        Some(_) => !WORDS.contains(&s),
    }
}

/// v2's last try for a number: `0b` followed by a binary number that may
/// carry a sign (`0b-101`), or `-0b` and binary digits.
fn is_signed_binary(s: &str) -> bool {
    let plain = s.replace('_', "");
    if let Some(bits) = plain.strip_prefix("0b") {
        go_int_radix(bits, 2, true)
    } else if let Some(bits) = plain.strip_prefix("-0b") {
        go_int_radix(&format!("-{bits}"), 2, false)
    } else {
        false
    }
}

/// `strconv.ParseInt(s, radix, 64)` succeeding, or `ParseUint` too when
/// `unsigned`.
fn go_int_radix(s: &str, radix: u32, unsigned: bool) -> bool {
    strconv::try_parse_int(s, radix, 64).is_ok()
        || (unsigned && strconv::try_parse_uint(s, radix, 64).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_words_and_numbers_are_not_plain() {
        for s in [
            "yes",
            "off",
            "0x1F",
            "1_000",
            "08",
            "1e3",
            "2001-12-14",
            "1:20",
            "",
        ] {
            assert!(!can_use_plain(s), "{s}");
        }
        for s in ["foo", "1.2.3", "v1alpha1", "+", "-", "10.0.0.1/24"] {
            assert!(can_use_plain(s), "{s}");
        }
    }

    #[test]
    fn timestamps_need_valid_dates_clocks_and_zones() {
        for s in [
            "2001-12-14",
            "2001-2-3",
            "2001-12-14T21:59:43.10Z",
            "2001-12-14 21:59:43",
            "2001-12-14T21:59:43,5Z",
            "2001-12-14T21:59:43+24:60",
        ] {
            assert!(!can_use_plain(s), "{s}");
        }
        for s in [
            "2001-13-01",
            "2001-02-30",
            "2001-12-14T25:00:00Z",
            "2001-12-14T21:59:43",
            "2001-12-14T21:59:43+25:00",
            "2001-12-14T21:59:43.Z",
        ] {
            assert!(can_use_plain(s), "{s}");
        }
    }

    #[test]
    fn the_merge_key_is_a_string() {
        // v2 has no resolver hint for `<`.
        assert!(can_use_plain("<<"));
    }

    #[test]
    fn dot_floats_may_hold_underscores_between_digits() {
        assert!(!can_use_plain(".1_0"));
        for s in ["._1", ".1_", ".1__"] {
            assert!(can_use_plain(s), "{s}");
        }
    }

    /// Numbers Go cannot parse (overflowing floats, hexadecimal past 64
    /// bits) resolve to strings and stay plain; `0b` followed by a signed
    /// binary number is an integer.
    #[test]
    fn unparsable_numbers_stay_plain() {
        for s in [
            "1e999",
            ".1e999",
            "0x1FFFFFFFFFFFFFFFFF",
            "0o77777777777777777777777",
            "0x",
        ] {
            assert!(can_use_plain(s), "{s}");
        }
        for s in [
            "0xFFFFFFFFFFFFFFFF",
            "-0x8000000000000000",
            "0b-101",
            "99999999999999999999999",
            "-0b11",
            "+0x1F",
        ] {
            assert!(!can_use_plain(s), "{s}");
        }
    }
}
