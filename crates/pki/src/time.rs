//! Certificate validity times, encoded as Go's `crypto/x509` does: UTCTime
//! for years 1950 to 2049, GeneralizedTime otherwise, whole seconds, `Z`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::der;

/// Seconds since the Unix epoch (negative before it), truncating any
/// fraction the way Go's certificate encoder does.
pub(crate) fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            // Round towards minus infinity so -0.5 s is second -1.
            if d.subsec_nanos() > 0 {
                -secs - 1
            } else {
                -secs
            }
        }
    }
}

/// The instant `secs` seconds after the Unix epoch.
pub(crate) fn from_unix_seconds(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// Civil date from days since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `t` as an RFC 3339 UTC timestamp with whole seconds
/// (`2026-12-07T10:15:50Z`), the form Go's `time.RFC3339` prints in UTC.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = unix_seconds(t);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let (h, mi, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// The DER encoding of `t` as a certificate validity bound.
pub(crate) fn encode(t: SystemTime) -> Vec<u8> {
    let secs = unix_seconds(t);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let (h, mi, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        der::tlv(der::TAG_UTC_TIME, text.as_bytes())
    } else {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        der::tlv(der::TAG_GENERALIZED_TIME, text.as_bytes())
    }
}

/// Parses a UTCTime or GeneralizedTime of the `Z` form written above.
pub(crate) fn decode(tag: u8, content: &[u8]) -> Option<SystemTime> {
    let text = std::str::from_utf8(content).ok()?;
    let text = text.strip_suffix('Z')?;
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (year, rest) = match (tag, text.len()) {
        (der::TAG_UTC_TIME, 12) => {
            let yy = num(0..2)?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, 2)
        }
        (der::TAG_GENERALIZED_TIME, 14) => (num(0..4)?, 4),
        _ => return None,
    };
    let mo = u32::try_from(num(rest..rest + 2)?).ok()?;
    let d = u32::try_from(num(rest + 2..rest + 4)?).ok()?;
    let h = num(rest + 4..rest + 6)?;
    let mi = num(rest + 6..rest + 8)?;
    let s = num(rest + 8..rest + 10)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, mo, d);
    Some(from_unix_seconds(days * 86_400 + h * 3600 + mi * 60 + s))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_in_utc() {
        assert_eq!(
            rfc3339(from_unix_seconds(1_697_107_569)),
            "2023-10-12T10:46:09Z"
        );
        assert_eq!(rfc3339(from_unix_seconds(0)), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(from_unix_seconds(-1)), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn utc_time_for_this_century() {
        // 2023-10-12T10:46:09Z, the NotBefore of the stability bundle's CAs.
        let t = from_unix_seconds(1_697_107_569);
        assert_eq!(encode(t), der::tlv(der::TAG_UTC_TIME, b"231012104609Z"));
        assert_eq!(decode(der::TAG_UTC_TIME, b"231012104609Z"), Some(t));
    }

    #[test]
    fn generalized_time_from_2050() {
        let t = from_unix_seconds(days_from_civil(2050, 1, 1) * 86_400);
        assert_eq!(
            encode(t),
            der::tlv(der::TAG_GENERALIZED_TIME, b"20500101000000Z")
        );
        let t = from_unix_seconds(days_from_civil(1949, 12, 31) * 86_400 + 59);
        assert_eq!(
            encode(t),
            der::tlv(der::TAG_GENERALIZED_TIME, b"19491231000059Z")
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 19_000, 30_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn fractions_are_truncated() {
        let t = from_unix_seconds(10) + Duration::from_millis(999);
        assert_eq!(unix_seconds(t), 10);
        let t = from_unix_seconds(-10) + Duration::from_millis(500);
        assert_eq!(unix_seconds(t), -10);
    }
}
