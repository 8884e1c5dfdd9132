//! What a plain scalar means to Go: port of go-yaml v4's `resolve` (resolver.go)
//! plus the representer's YAML 1.1 compatibility checks (`isBase60Float`,
//! `isOldBool`, `looksLikeMerge`).
//!
//! The emitter uses it to decide whether a string must be quoted (a string
//! that would read back as something else is double-quoted, Go's "legacy"
//! quote preference); the parser uses it to type plain scalars.

use talgen_gourl::strconv;

/// The Go meaning of a plain scalar's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A date or date-time Go would decode as `time.Time`.
    Timestamp,
    /// The merge key `<<`.
    Merge,
    Str,
}

/// Port of `resolve("", text)`: the tag Go gives an untagged plain scalar.
pub(crate) fn resolve_plain(text: &str) -> Resolved {
    // Go classifies by the first byte before trying anything expensive.
    let hint = match text.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' | b'<') => {
            b'M'
        }
        Some(b'.') => b'.',
        Some(_) => return Resolved::Str,
    };
    if let Some(known) = known_word(text) {
        return known;
    }
    match hint {
        b'.' => parse_go_float(text).map_or(Resolved::Str, Resolved::Float),
        b'D' | b'S' => {
            if is_timestamp(text) {
                return Resolved::Timestamp;
            }
            // Go drops every underscore before trying numbers.
            let plain: std::borrow::Cow<'_, str> = if text.contains('_') {
                text.chars()
                    .filter(|&c| c != '_')
                    .collect::<String>()
                    .into()
            } else {
                text.into()
            };
            if let Ok(i) = strconv::try_parse_int(&plain, 0, 64) {
                return Resolved::Int(i);
            }
            if let Ok(u) = strconv::try_parse_uint(&plain, 0, 64) {
                return Resolved::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    // Go's ParseFloat fails on overflow; the text stays a string.
                    if f.is_finite() {
                        return Resolved::Float(f);
                    }
                }
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

/// The fixed words of Go's resolve table.
fn known_word(text: &str) -> Option<Resolved> {
    Some(match text {
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "-0" | "-0.0" => Resolved::Float(-0.0),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

/// Go's `strconv.ParseFloat(s, 64)` for text starting with `.` (the only
/// case Go hands it unfiltered): decimal digits, optional exponent, and
/// underscores only between digits.
fn parse_go_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut prev_digit = false;
    let mut cleaned = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'_' => {
                let next_digit = b.get(i + 1).is_some_and(u8::is_ascii_digit);
                if !prev_digit || !next_digit {
                    return None;
                }
                continue;
            }
            b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-' => cleaned.push(char::from(c)),
            _ => return None,
        }
        prev_digit = c.is_ascii_digit();
    }
    // Rust accepts the same decimal grammar once words like "inf" are excluded above.
    let f = cleaned.parse::<f64>().ok()?;
    f.is_finite().then_some(f)
}

/// Port of the `yamlStyleFloat` pattern:
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Port of `isOldBool`: YAML 1.1 booleans Go single-quotes for old parsers.
pub(crate) fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// Port of `isBase60Float`: YAML 1.1 sexagesimal numbers such as `1:20`,
/// pattern `^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let Some(&d1) = b.get(i).filter(|c| c.is_ascii_digit()) else {
            return false;
        };
        i += 1;
        // A second digit is only possible after 0-5, and then it is forced:
        // nothing else may follow a digit here.
        if (b'0'..=b'5').contains(&d1) && b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Port of `parseTimestamp`: the date forms Go's `time.Parse` accepts with
/// the resolver's four layouts (`2006-1-2T15:4:5.999999999Z07:00`, the same
/// with `t`, `2006-1-2 15:4:5.999999999`, and `2006-1-2`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let mut r = Reader { b, i: 5 };
    let year = b
        .iter()
        .take(4)
        .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    let Some(month) = r.num().filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    if !r.lit(b'-') {
        return false;
    }
    let Some(day) = r.num() else {
        return false;
    };
    if day < 1 || day > days_in(month, year) {
        return false;
    }
    if r.done() {
        return true;
    }
    let with_zone = match r.next() {
        Some(b'T' | b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    let time_ok = r.num().is_some_and(|h| h < 24)
        && r.lit(b':')
        && r.num().is_some_and(|m| m < 60)
        && r.lit(b':')
        && r.num().is_some_and(|s| s < 60);
    if !time_ok {
        return false;
    }
    // Optional fraction: a '.' or ',' followed by at least one digit.
    if matches!(r.peek(0), Some(b'.' | b',')) && r.peek(1).is_some_and(|c| c.is_ascii_digit()) {
        r.i += 1;
        while r.peek(0).is_some_and(|c| c.is_ascii_digit()) {
            r.i += 1;
        }
    }
    if with_zone {
        if r.lit(b'Z') {
            return r.done();
        }
        // The only zone left is `±hh:mm`, ending the text.
        let &[b'+' | b'-', h1, h2, b':', m1, m2] = b.get(r.i..).unwrap_or_default() else {
            return false;
        };
        let two = |x: u8, y: u8| {
            (x.is_ascii_digit() && y.is_ascii_digit())
                .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        };
        let (Some(hh), Some(mm)) = (two(h1, h2), two(m1, m2)) else {
            return false;
        };
        return hh <= 24 && mm <= 60;
    }
    r.done()
}

/// Days in a Gregorian month.
fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A cursor over timestamp bytes.
struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.i + ahead).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek(0)?;
        self.i += 1;
        Some(c)
    }

    fn lit(&mut self, c: u8) -> bool {
        if self.peek(0) == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    /// Go's `getnum(value, false)`: one digit, or two when two are there.
    fn num(&mut self) -> Option<u32> {
        let d1 = self.peek(0).filter(u8::is_ascii_digit)?;
        self.i += 1;
        let mut n = u32::from(d1 - b'0');
        if let Some(d2) = self.peek(0).filter(u8::is_ascii_digit) {
            self.i += 1;
            n = n * 10 + u32::from(d2 - b'0');
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers are Go's `strconv.ParseInt(plain, 0, 64)`, then `ParseUint`,
    /// after every underscore is dropped (talgen-gourl's `strconv`).
    #[test]
    fn integers_follow_go_strconv_after_dropping_underscores() {
        for (text, want) in [
            ("0x1F", Resolved::Int(31)),
            ("0o17", Resolved::Int(15)),
            ("017", Resolved::Int(15)),
            ("0b101", Resolved::Int(5)),
            ("-0x10", Resolved::Int(-16)),
            ("+7", Resolved::Int(7)),
            ("1__0", Resolved::Int(10)),
            ("0_x1F", Resolved::Int(31)),
            ("-9223372036854775808", Resolved::Int(i64::MIN)),
            ("9223372036854775808", Resolved::Uint(1 << 63)),
            ("18446744073709551615", Resolved::Uint(u64::MAX)),
        ] {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
        // Too large for either: Go falls through to ParseFloat.
        assert_eq!(
            resolve_plain("18446744073709551616"),
            Resolved::Float(18446744073709551616.0)
        );
        // A bad digit, or a prefix with nothing after it.
        for text in ["0x", "0b2", "0xg"] {
            assert_eq!(resolve_plain(text), Resolved::Str, "{text}");
        }
    }
}
