//! Byte sizes in go-humanize v1.0.1's SI text form (`1.5 GB`), used by disk
//! sizes and install disk size conditions.

/// SI unit suffixes in go-humanize's `Bytes` output, by power of 1000.
const SI_SUFFIXES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/// Formats `n` like go-humanize `Bytes`: below 10 as `N B`, else scaled to
/// the largest power of 1000, rounded to one decimal, and printed with one
/// decimal below 10 and none above.
pub(crate) fn format_bytes(n: u64) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    let f = n as f64;
    let exp = (f.ln() / 1000f64.ln()).floor();
    let suffix = SI_SUFFIXES.get(exp as usize).copied().unwrap_or("EB");
    let val = (f / 1000f64.powf(exp) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{val:.1} {suffix}")
    } else {
        format!("{val:.0} {suffix}")
    }
}

/// The multiplier of a lower-cased unit name in go-humanize's `ParseBytes`.
fn unit_multiplier(unit: &str) -> Option<u64> {
    const KI: u64 = 1 << 10;
    Some(match unit {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "ki" | "kib" => KI,
        "m" | "mb" => 1_000_000,
        "mi" | "mib" => KI.pow(2),
        "g" | "gb" => 1_000_000_000,
        "gi" | "gib" => KI.pow(3),
        "t" | "tb" => 1_000_000_000_000,
        "ti" | "tib" => KI.pow(4),
        "p" | "pb" => 1_000_000_000_000_000,
        "pi" | "pib" => KI.pow(5),
        "e" | "eb" => 1_000_000_000_000_000_000,
        "ei" | "eib" => KI.pow(6),
        _ => return None,
    })
}

/// Parses a size like go-humanize `ParseBytes`: a decimal number (commas
/// ignored) then an optional unit, case-insensitive, SI or IEC.
pub(crate) fn parse_bytes(s: &str) -> Result<u64, String> {
    let num_len = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(num_len);
    let num: String = num.chars().filter(|c| *c != ',').collect();
    let value: f64 = num
        .parse()
        .map_err(|_| format!("strconv.ParseFloat: parsing {num:?}: invalid syntax"))?;
    let unit = unit.trim().to_lowercase();
    let mult = unit_multiplier(&unit).ok_or_else(|| format!("unhandled size name: {unit}"))?;
    let total = value * mult as f64;
    if total >= u64::MAX as f64 {
        return Err(format!("too large: {s}"));
    }
    Ok(total as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go_humanize() {
        for (n, want) in [
            (0, "0 B"),
            (9, "9 B"),
            (1000, "1.0 kB"),
            (1_500_000_000, "1.5 GB"),
            (100_000_000, "100 MB"),
            (1_234_000, "1.2 MB"),
        ] {
            assert_eq!(format_bytes(n), want);
        }
    }

    #[test]
    fn parses_like_go_humanize() {
        for (s, want) in [
            ("100 MB", 100_000_000),
            ("1.5GB", 1_500_000_000),
            ("4GiB", 4 << 30),
            ("1,000", 1000),
            ("42", 42),
            ("1 tb", 1_000_000_000_000),
        ] {
            assert_eq!(parse_bytes(s), Ok(want), "{s}");
        }
        for bad in ["", "GB", "1 XB", "-1"] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
    }
}
