//! `talgen gen talosconfig`: a talosconfig from a secrets bundle alone, with
//! the endpoints, nodes, roles and lifetime `talosctl gen config` fixes
//! (`talosctl config new` needs a running node for the same).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context as _};
use clap::Args;
use talgen_client::{generate_talosconfig, Roles, TalosconfigOptions};
use talgen_gourl::duration::{self, DurationError};
use talgen_secrets::Bundle;

use super::output;

/// `-` as output: write to stdout.
pub(super) const STDOUT: &str = "-";

/// Client credentials are secret: owner read/write only, as talosctl saves them.
pub(super) const CREDENTIALS_MODE: u32 = 0o600;

/// Arguments of `talgen gen talosconfig`.
#[derive(Debug, Args)]
pub(crate) struct GenTalosconfigArgs {
    /// Cluster name: the context name.
    name: String,

    /// Secrets bundle (from `gen secrets`) holding the OS CA.
    #[arg(long, value_name = "FILE")]
    with_secrets: PathBuf,

    /// Talos API endpoints (comma-separated or repeated); none by default.
    #[arg(long, value_delimiter = ',', value_name = "ADDR")]
    endpoints: Vec<String>,

    /// Default target nodes (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ADDR")]
    nodes: Vec<String>,

    /// Roles granted by the client certificate.
    #[arg(long, value_delimiter = ',', default_value = "os:admin")]
    roles: Vec<String>,

    /// Client certificate lifetime, as a Go duration (e.g. 8760h, 720h30m).
    #[arg(long, default_value = "8760h", value_parser = parse_duration)]
    crt_ttl: Duration,

    /// Output file, or `-` for stdout.
    #[arg(short = 'o', long, default_value = "talosconfig")]
    output: String,

    /// Overwrite an existing file.
    #[arg(short = 'f', long)]
    force: bool,
}

/// Runs `talgen gen talosconfig`.
pub(crate) fn run(args: &GenTalosconfigArgs) -> anyhow::Result<()> {
    let roles = Roles::parse(&args.roles)?;
    if roles.is_empty() {
        bail!("at least one role is required");
    }
    let bundle = load_bundle(&args.with_secrets)?;
    let options = TalosconfigOptions {
        endpoints: trimmed(&args.endpoints),
        nodes: trimmed(&args.nodes),
        roles,
        crt_ttl: args.crt_ttl,
    };
    let config = generate_talosconfig(&args.name, &bundle, &options)
        .context("failed to generate talosconfig")?;
    emit(&args.output, config.to_yaml()?.as_bytes(), args.force)
}

fn trimmed(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Reads and validates a secrets bundle as `gen config --with-secrets` does.
pub(super) fn load_bundle(path: &Path) -> anyhow::Result<Bundle> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to load secrets bundle {}", path.display()))?;
    let bundle = Bundle::from_yaml(&text)
        .with_context(|| format!("failed to load secrets bundle {}", path.display()))?;
    bundle
        .validate()
        .context("failed to validate secrets bundle")?;
    Ok(bundle)
}

/// Writes credentials to stdout or, atomically with mode 0600, to a file.
pub(super) fn emit(dest: &str, data: &[u8], force: bool) -> anyhow::Result<()> {
    if dest == STDOUT {
        return output::write_stdout(data);
    }
    let path = Path::new(dest);
    output::write_file(path, data, CREDENTIALS_MODE, force)?;
    eprintln!("Created {}", path.display());
    Ok(())
}

/// Parses a Go duration (`time.ParseDuration`, via
/// [`talgen_gourl::duration`]): decimal numbers with units `ns`, `us`/`µs`,
/// `ms`, `s`, `m`, `h`, e.g. `8760h` or `1h30m`; negative values are
/// refused since they make no certificate lifetime. The messages are
/// Go's without the `time: ` prefix, except for the range.
pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    let nanos = duration::parse(text).map_err(|e| match e {
        DurationError::MissingUnit { .. } => format!("missing unit in duration {text:?}"),
        DurationError::UnknownUnit { unit, .. } => {
            format!("unknown unit {unit:?} in duration {text:?}")
        }
        DurationError::OutOfRange { .. } => format!("duration {text:?} out of range"),
        _ => format!("invalid duration {text:?}"),
    })?;
    u64::try_from(nanos)
        .map(Duration::from_nanos)
        .map_err(|_| format!("invalid duration {text:?}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        let h = |n: u64| Duration::from_secs(n * 3600);
        assert_eq!(parse_duration("8760h").unwrap(), h(8760));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1.5h").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("-0").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("0.5ns").unwrap(), Duration::ZERO);
        // Go's integer arithmetic, not a float sum.
        assert_eq!(
            parse_duration("2562047h47m16.854775807s").unwrap(),
            Duration::from_nanos(i64::MAX.unsigned_abs())
        );
        for bad in ["", "10", "h", "-1h", "1d", "1..5h", "9999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let msg = |t: &str| parse_duration(t).unwrap_err();
        assert_eq!(msg("-1h"), r#"invalid duration "-1h""#);
        assert_eq!(msg("10"), r#"missing unit in duration "10""#);
        assert_eq!(msg("1d"), r#"unknown unit "d" in duration "1d""#);
        assert_eq!(msg("9999999999h"), r#"duration "9999999999h" out of range"#);
    }
}
