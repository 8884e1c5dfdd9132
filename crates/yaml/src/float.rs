//! Go's float text: port of go-yaml's `floatv` on top of
//! `strconv.FormatFloat(f, 'g', -1, 64)`.

/// Writes `f` the way go-yaml writes a `float64`: shortest round-trip digits,
/// in exponent form when the decimal exponent is below -4 or at least 6
/// (Go's shortest `'g'` rule, e.g. `1e+06`, `1e-05`); infinities and NaN
/// become `.inf`, `-.inf`, `.nan`.
pub(crate) fn go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    // Go's shortest round-trip digits (`FormatFloat(.., -1, 64)`) as
    // "d.ddde<exp>".
    let sci = shortest_e(f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    // Go's decimal point position: value = 0.d1d2... * 10^dp.
    let dp = exp + 1;
    let mut out = String::with_capacity(24);
    if f.is_sign_negative() {
        out.push('-');
    }
    let digit = |i: i32| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .map_or('0', |&d| char::from(d))
    };
    let e = dp - 1;
    if !(-4..6).contains(&e) {
        // %e with nd-1 fractional digits.
        out.push(digit(0));
        if nd > 1 {
            out.push('.');
            for i in 1..nd {
                out.push(digit(i));
            }
        }
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        let a = e.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else {
        // %f with max(nd-dp, 0) fractional digits.
        if dp > 0 {
            for i in 0..dp {
                out.push(digit(i));
            }
        } else {
            out.push('0');
        }
        let frac = (nd - dp).max(0);
        if frac > 0 {
            out.push('.');
            for i in 0..frac {
                out.push(digit(dp + i));
            }
        }
    }
    out
}

/// The text go-yaml (v2, v3 and v4 alike) writes for a `float64`:
/// `strconv.FormatFloat(f, 'g', -1, 64)`, with `.inf`, `-.inf` and `.nan`
/// for the values that have no number text.
pub fn format_float(f: f64) -> String {
    go_float(f)
}

/// The text go-yaml writes for a `float32`: like [`format_float`] with the
/// shortest digits at 32-bit precision (`FormatFloat(f, 'g', -1, 32)`).
pub fn format_float32(f: f32) -> String {
    go_float(widen_f32(f))
}

/// `format!("{f:e}")` with Go's choice of digits: the shortest digits that
/// read back as `f`, like Go's `strconv.FormatFloat(f, 'e', -1, 64)`.
///
/// Rust and Go agree except when `f` lies exactly halfway between the two
/// closest shortest texts: Rust rounds such a tie up, Go keeps the even last
/// digit (`-711571303729539.25` is `-7.115713037295392e14` for Go).
pub fn shortest_e(f: f64) -> String {
    let sci = format!("{f:e}");
    if !f.is_finite() {
        return sci;
    }
    let (sign, body) = match sci.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", sci.as_str()),
    };
    let Some((mantissa, exp)) = body.split_once('e') else {
        return sci;
    };
    // Only an odd last digit can be the upper side of a tie Go resolves down.
    let Some((head, last)) = mantissa.split_at_checked(mantissa.len().saturating_sub(1)) else {
        return sci;
    };
    let Some(last) = last.chars().next().and_then(|c| c.to_digit(10)) else {
        return sci;
    };
    if last % 2 == 0 {
        return sci;
    }
    let lower = format!("{sign}{head}{}e{exp}", last - 1);
    if lower.parse::<f64>() != Ok(f) {
        return sci;
    }
    // Both texts read back as `f`: a tie when the exact value of `f` is the
    // lower digits followed by a single 5 (767 digits hold any double).
    let exact = format!("{:.800e}", f.abs());
    let Some((exact_mantissa, exact_exp)) = exact.split_once('e') else {
        return sci;
    };
    let lower_digits: String = format!("{head}{}", last - 1)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let exact_digits: String = exact_mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let tie = exact_exp == exp
        && exact_digits
            .strip_prefix(lower_digits.as_str())
            .and_then(|rest| rest.strip_prefix('5'))
            .is_some_and(|rest| rest.bytes().all(|b| b == b'0'));
    if tie {
        lower
    } else {
        sci
    }
}

/// The `float64` Go would hold after formatting an `f32` at 32-bit precision
/// and reading the text back: lets [`crate::Node::Float`] carry `f32` values
/// so they print with their own shortest digits (go-yaml formats `float32`
/// with precision 32).
pub(crate) fn widen_f32(f: f32) -> f64 {
    if !f.is_finite() {
        return f64::from(f);
    }
    format!("{f:e}").parse().unwrap_or(f64::from(f))
}
