//! Which strings yaml.v2 may write plain: those whose plain form its
//! YAML 1.1 resolver reads back as a string (v2's booleans include `yes`,
//! `on`, `y` and their kin, which v2 double-quotes), minus sexagesimal
//! look-alikes.

use crate::resolve::is_base60_float;

/// yaml.v2's `stringv` test: a string may be written plain only when its
/// unquoted form reads back as a string under v2's YAML 1.1 resolver.
pub(super) fn can_use_plain(s: &str) -> bool {
    const NON_STRINGS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
        "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if NON_STRINGS.contains(&s) {
        return false;
    }
    if is_base60_float(s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    match first {
        // `strconv.ParseFloat` on the text as is.
        '.' => !go_parse_float(s),
        '0'..='9' | '+' | '-' => {
            let plain = s.replace('_', "");
            !(timestamp(s)
                || go_int(&plain)
                || (yaml_float(&plain) && go_parse_float(&plain))
                || plain
                    .strip_prefix("0b")
                    .is_some_and(|b| go_int_radix(b, 2, true))
                || plain
                    .strip_prefix("-0b")
                    .is_some_and(|b| go_int_radix(&format!("-{b}"), 2, true)))
        }
        _ => true,
    }
}

/// `strconv.ParseFloat(s, 64)` succeeding for a decimal text: the syntax
/// of v2's float pattern, and no overflow (Go reports a range error, and v2
/// then keeps the text as a string).
fn go_parse_float(s: &str) -> bool {
    yaml_float(s) && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeding,
/// range included (an out-of-range hexadecimal text is a string to v2).
fn go_int(s: &str) -> bool {
    let (sign, body) = match s.strip_prefix(['+', '-']) {
        Some(rest) => (s.get(..1).unwrap_or(""), rest),
        None => ("", s),
    };
    let (digits, radix) = match body.get(..2) {
        Some("0x" | "0X") => (body.get(2..).unwrap_or(""), 16),
        Some("0o" | "0O") => (body.get(2..).unwrap_or(""), 8),
        Some("0b" | "0B") => (body.get(2..).unwrap_or(""), 2),
        _ if body.len() > 1 && body.starts_with('0') => (body.get(1..).unwrap_or(""), 8),
        _ => (body, 10),
    };
    // The prefix is already consumed: a second sign is not allowed.
    !digits.starts_with(['+', '-'])
        && go_int_radix(&format!("{sign}{digits}"), radix, sign.is_empty())
}

/// `strconv.ParseInt(s, radix, 64)` succeeding, or `ParseUint` too when
/// `unsigned` (no sign allowed there).
fn go_int_radix(s: &str, radix: u32, unsigned: bool) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    i64::from_str_radix(s, radix).is_ok()
        || (unsigned && !s.starts_with(['+', '-']) && u64::from_str_radix(s, radix).is_ok())
}

/// v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exp_ok
}

/// The timestamp layouts yaml.v2 tries (`2006-1-2`, optionally followed by
/// `T`/`t`/space and `15:4:5[.frac]`, then a zone for `T`/`t`), with Go's
/// range checks on the date and clock.
fn timestamp(s: &str) -> bool {
    let num = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
    };
    if !(s.len() > 4 && s.get(..4).is_some_and(|y| num(y, 4, 4)) && s.get(4..5) == Some("-")) {
        return false;
    }
    let (date, sep, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (
            s.get(..i).unwrap_or(""),
            s.get(i..=i).unwrap_or(""),
            Some(s.get(i + 1..).unwrap_or("")),
        ),
        None => (s, "", None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let date_ok = match d.as_slice() {
        [y, m, dd] if num(y, 4, 4) && num(m, 1, 2) && num(dd, 1, 2) => {
            let (y, m, dd): (u32, u32, u32) = (
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                dd.parse().unwrap_or(0),
            );
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => 0,
            };
            (1..=days).contains(&dd)
        }
        _ => false,
    };
    let Some(time) = time else { return date_ok };
    let (clock, zone) = if sep == " " {
        (time, "")
    } else {
        match time.find(['Z', '+', '-']) {
            Some(i) => time.split_at(i),
            None => return false,
        }
    };
    let zone_ok = zone == "Z" || zone.is_empty() && sep == " " || {
        let z = zone.get(1..).unwrap_or("");
        matches!(z.split_once(':'), Some((h, m)) if num(h, 2, 2) && num(m, 2, 2))
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let t: Vec<&str> = hms.split(':').collect();
    let clock_ok = match t.as_slice() {
        [h, m, sec] if num(h, 1, 2) && num(m, 1, 2) && num(sec, 1, 2) => {
            h.parse::<u32>().unwrap_or(99) < 24
                && m.parse::<u32>().unwrap_or(99) < 60
                && sec.parse::<u32>().unwrap_or(99) < 60
        }
        _ => false,
    };
    date_ok && zone_ok && clock_ok && !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit())
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
    fn timestamps_need_valid_dates_and_clocks() {
        for s in [
            "2001-12-14",
            "2001-2-3",
            "2001-12-14T21:59:43.10Z",
            "2001-12-14 21:59:43",
        ] {
            assert!(timestamp(s), "{s}");
        }
        for s in [
            "2001-13-01",
            "2001-02-30",
            "2001-12-14T25:00:00Z",
            "2001-12-14T21:59:43",
        ] {
            assert!(!timestamp(s), "{s}");
        }
        // Not a timestamp, but still a number-like text: plain only if
        // nothing else claims it.
        assert!(can_use_plain("2001-13-01"));
        // v2 has no resolver hint for `<`, so the merge key is a string.
        assert!(can_use_plain("<<"));
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
