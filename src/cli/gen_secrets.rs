//! `talgen gen secrets`: a drop-in for `talosctl gen secrets`
//! (`cmd/talosctl/cmd/mgmt/gen/secrets.go`): a new bundle for a version
//! contract, or one built from a Kubernetes PKI directory or an existing
//! controlplane config, written as `secrets.yaml`.
//!
//! Unlike talosctl, an existing output file is never replaced without
//! `--force`: silently regenerated secrets lock people out of clusters.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use talgen_contract::Contract;
use talgen_secrets::{Bundle, Clock};

use super::output;

/// `-` as output: write the bundle to stdout.
const STDOUT: &str = "-";

/// File mode of the written bundle: readable by the owner only.
const SECRETS_MODE: u32 = 0o600;

/// Arguments of `talgen gen secrets`, one field per flag.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct GenSecretsArgs {
    /// Path of the output file, or "-" for stdout.
    #[arg(
        short = 'o',
        long = "output-file",
        visible_alias = "output",
        value_name = "FILE",
        default_value = "secrets.yaml"
    )]
    output_file: PathBuf,

    /// Talos version whose secrets contract to follow (e.g. v1.6); newest when omitted.
    #[arg(long, value_name = "VERSION")]
    talos_version: Option<String>,

    /// Take the secrets from this controlplane machine config (ignored
    /// when --from-kubernetes-pki is given too, as in talosctl).
    #[arg(long, value_name = "FILE")]
    from_controlplane_config: Option<PathBuf>,

    /// Take the Kubernetes CAs and service-account key from this PKI
    /// directory (e.g. /etc/kubernetes/pki).
    #[arg(short = 'p', long, value_name = "DIR")]
    from_kubernetes_pki: Option<PathBuf>,

    /// Bootstrap token to use with --from-kubernetes-pki (generated when
    /// omitted); ignored otherwise, as in talosctl.
    #[arg(short = 't', long = "kubernetes-bootstrap-token", value_name = "TOKEN")]
    kubernetes_bootstrap_token: Option<String>,

    /// Overwrite the output file if it exists.
    #[arg(short = 'f', long)]
    force: bool,
}

/// Runs `talgen gen secrets`.
pub(crate) fn run(args: &GenSecretsArgs) -> anyhow::Result<()> {
    let contract = secrets_contract(args.talos_version.as_deref().unwrap_or_default())?;
    // Refuse early, before the slow key generation, when the file exists.
    let to_stdout = args.output_file == Path::new(STDOUT);
    if !to_stdout && !args.force && args.output_file.exists() {
        anyhow::bail!(
            "{} already exists; use --force to overwrite it",
            args.output_file.display()
        );
    }
    let clock = Clock::fixed_now();
    let bundle = if let Some(dir) = &args.from_kubernetes_pki {
        let token = args
            .kubernetes_bootstrap_token
            .as_deref()
            .unwrap_or_default();
        Bundle::from_kubernetes_pki(dir, token, contract, clock)
            .context("failed to create secrets bundle from Kubernetes PKI")?
    } else if let Some(path) = &args.from_controlplane_config {
        from_controlplane_config(path, clock)?
    } else {
        Bundle::generate(contract, clock).context("failed to create secrets bundle")?
    };
    let text = bundle.to_yaml()?;
    if to_stdout {
        output::write_stdout(text.as_bytes())
    } else {
        output::write_file(&args.output_file, text.as_bytes(), SECRETS_MODE, args.force)
    }
}

fn from_controlplane_config(path: &Path, clock: Clock) -> anyhow::Result<Bundle> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to load controlplane config {}", path.display()))?;
    Bundle::from_controlplane_config(&text, clock)
        .context("failed to create secrets bundle from controlplane config")
}

/// The contract a `--talos-version` value names. Empty means the newest, as
/// when the flag is omitted. Unlike talosctl, which gives releases newer than
/// it knows the newest shape and `0.x` releases the oldest, talgen refuses
/// versions outside the contracts it supports: a bundle made for the wrong
/// contract would be silently different.
fn secrets_contract(version: &str) -> anyhow::Result<Contract> {
    if version.is_empty() {
        return Ok(Contract::LATEST);
    }
    version
        .parse::<Contract>()
        .with_context(|| format!("invalid talos-version {version:?}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn talos_versions_name_supported_contracts_only() {
        let ok = |v: &str| secrets_contract(v).unwrap();
        assert_eq!(ok(""), Contract::LATEST);
        assert_eq!(ok("v1.6"), Contract::V1_6);
        assert_eq!(ok("1.6.3"), Contract::V1_6);
        assert_eq!(ok("v1.14.0-beta.1"), Contract::V1_14);
        assert_eq!(ok("v1.0"), Contract::V1_0);
        for bad in ["v1.99", "v2.0", "v9.9", "v0.14", "v0.0", "latest", "v1."] {
            assert!(secrets_contract(bad).is_err(), "{bad:?}");
        }
        let newer = format!("{:#}", secrets_contract("v1.16").unwrap_err());
        assert!(newer.contains("v1.15"), "{newer}");
    }
}
