//! `talgen gen kubeconfig`: the admin kubeconfig Talos issues on a node,
//! made offline from the secrets bundle's Kubernetes CA, optionally
//! reproducible byte for byte (`--deterministic`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _};
use clap::Args;
use talgen_client::{generate_kubeconfig, Issuance, KubeconfigOptions};

use super::gen_talosconfig::{emit, load_bundle, parse_duration};

/// Arguments of `talgen gen kubeconfig`.
#[derive(Debug, Args)]
pub(crate) struct GenKubeconfigArgs {
    /// Cluster name.
    name: String,

    /// Kubernetes API server URL, e.g. https://10.0.0.1:6443.
    endpoint: String,

    /// Secrets bundle (from `gen secrets`) holding the Kubernetes CA.
    #[arg(long, value_name = "FILE")]
    with_secrets: PathBuf,

    /// Client certificate lifetime, as a Go duration (e.g. 8760h).
    #[arg(long, default_value = "8760h", value_parser = parse_duration)]
    crt_ttl: Duration,

    /// Derive the client key and serial from the CA key and the inputs and
    /// sign deterministically: the same inputs give the same bytes. Needs
    /// --issued-at or SOURCE_DATE_EPOCH.
    #[arg(long)]
    deterministic: bool,

    /// With --deterministic: the issue time, as Unix seconds or RFC 3339
    /// (e.g. 2026-01-01T00:00:00Z); validity starts 10 s before it.
    #[arg(long, value_name = "TIME", requires = "deterministic", value_parser = parse_time)]
    issued_at: Option<SystemTime>,

    /// Output file, or `-` for stdout.
    #[arg(short = 'o', long, default_value = "kubeconfig")]
    output: String,

    /// Overwrite an existing file.
    #[arg(short = 'f', long)]
    force: bool,
}

/// Runs `talgen gen kubeconfig`.
pub(crate) fn run(args: &GenKubeconfigArgs) -> anyhow::Result<()> {
    let issuance = if args.deterministic {
        let issued_at = match (args.issued_at, std::env::var("SOURCE_DATE_EPOCH")) {
            (Some(t), _) => t,
            (None, Ok(epoch)) => parse_time(&epoch)
                .map_err(anyhow::Error::msg)
                .context("invalid SOURCE_DATE_EPOCH")?,
            (None, Err(_)) => {
                bail!("--deterministic needs --issued-at or SOURCE_DATE_EPOCH")
            }
        };
        Issuance::Deterministic { issued_at }
    } else {
        Issuance::Random
    };
    let bundle = load_bundle(&args.with_secrets)?;
    let options = KubeconfigOptions {
        crt_ttl: args.crt_ttl,
        issuance,
    };
    let kubeconfig = generate_kubeconfig(&args.name, &args.endpoint, &bundle, &options)
        .context("failed to generate kubeconfig")?;
    emit(&args.output, kubeconfig.to_yaml().as_bytes(), args.force)
}

/// Parses Unix seconds or an RFC 3339 timestamp (`Z` or `±HH:MM` offset,
/// optional fractional seconds, which are dropped).
fn parse_time(text: &str) -> Result<SystemTime, String> {
    let bad = || format!("invalid time {text:?} (want Unix seconds or RFC 3339)");
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(UNIX_EPOCH + Duration::from_secs(secs));
    }
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        text.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)
    };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(bad());
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return Err(bad());
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = text.get(19..).ok_or_else(bad)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = frac.get(digits..).ok_or_else(bad)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(..1) {
                Some("+") => 1,
                Some("-") => -1,
                _ => return Err(bad()),
            };
            if rest.len() != 6 || rest.get(3..4) != Some(":") {
                return Err(bad());
            }
            let h: i64 = rest
                .get(1..3)
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)?;
            let m: i64 = rest
                .get(4..6)
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)?;
            sign * (h * 3600 + m * 60)
        }
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(bad());
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let secs = u64::try_from(secs).map_err(|_| bad())?;
    Ok(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn secs(t: SystemTime) -> u64 {
        t.duration_since(UNIX_EPOCH).unwrap().as_secs()
    }

    #[test]
    fn times() {
        assert_eq!(secs(parse_time("1800000000").unwrap()), 1_800_000_000);
        assert_eq!(secs(parse_time("1970-01-01T00:00:00Z").unwrap()), 0);
        assert_eq!(
            secs(parse_time("2027-01-15T08:00:00Z").unwrap()),
            1_800_000_000
        );
        assert_eq!(
            secs(parse_time("2000-02-29T12:34:56.789+02:00").unwrap()),
            951_820_496
        );
        for bad in [
            "",
            "2027-01-15",
            "2027-13-01T00:00:00Z",
            "2027-01-15T08:00:00",
            "x",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
