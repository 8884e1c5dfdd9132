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
    // Rust's `{:e}` yields the same shortest round-trip digits as Go's
    // `FormatFloat(.., -1, 64)`: "d.ddde<exp>".
    let sci = format!("{:e}", f.abs());
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
