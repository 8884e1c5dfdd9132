//! Go's `time.Duration`: a signed count of nanoseconds written as `1h2m3.5s`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use talgen_gourl::duration::{self, DurationError};

/// A span of time with Go's `time.Duration` range and text form.
///
/// It encodes as Go's `Duration.String()` (`168h0m0s`, `5m0s`, `1.5s`,
/// `300ms`) and decodes from Go's `time.ParseDuration` syntax; the plain
/// integer `0` is also accepted on decode, as go-yaml does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub i64);

/// Why a duration string could not be parsed: Go's reason (see
/// [`source`](std::error::Error::source)) behind a message naming the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {:?}", .0.input())]
pub struct ParseDurationError(#[source] pub DurationError);

const SECOND: i64 = duration::SECOND;
const MINUTE: i64 = duration::MINUTE;
const HOUR: i64 = duration::HOUR;

impl Duration {
    /// The zero duration, which `omitempty` fields leave out.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `n` nanoseconds.
    pub const fn from_nanos(n: i64) -> Self {
        Duration(n)
    }

    /// A duration of `s` whole seconds (saturating at Go's range).
    pub const fn from_secs(s: i64) -> Self {
        Duration(s.saturating_mul(SECOND))
    }

    /// A duration of `m` whole minutes (saturating at Go's range).
    pub const fn from_mins(m: i64) -> Self {
        Duration(m.saturating_mul(MINUTE))
    }

    /// A duration of `h` whole hours (saturating at Go's range).
    pub const fn from_hours(h: i64) -> Self {
        Duration(h.saturating_mul(HOUR))
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

impl fmt::Display for Duration {
    /// Go's `Duration.String`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&duration::format(self.0))
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    /// Go's `time.ParseDuration`: an optional sign, then one or more
    /// decimal numbers each followed by a unit (`ns us µs ms s m h`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        duration::parse(text)
            .map(Duration)
            .map_err(ParseDurationError)
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
    use std::error::Error as _;

    use super::*;

    /// The rules themselves are `talgen_gourl::duration`'s; this checks the
    /// wiring and the message this crate puts in front of them.
    #[test]
    fn duration_text_form_is_gos() {
        assert_eq!(Duration::from_hours(168).to_string(), "168h0m0s");
        assert_eq!(Duration::from_nanos(1_100).to_string(), "1.1µs");
        assert_eq!("1h2m3.5s".parse(), Ok(Duration(3_723_500_000_000)));
        assert_eq!("-0".parse(), Ok(Duration::ZERO));
    }

    #[test]
    fn duration_error_names_the_text_and_keeps_gos_reason() {
        let err = "1d".parse::<Duration>().unwrap_err();
        assert_eq!(err.to_string(), r#"invalid duration "1d""#);
        let reason = err.source().unwrap().to_string();
        assert_eq!(reason, r#"time: unknown unit "d" in duration "1d""#);
        assert!(matches!(
            "9223372036854775808ns".parse::<Duration>(),
            Err(ParseDurationError(DurationError::OutOfRange { .. }))
        ));
    }
}
