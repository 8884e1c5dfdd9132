//! `talgen machineconfig patch`: a drop-in for `talosctl machineconfig patch`
//! (`cmd/talosctl/cmd/mgmt/machineconfig/patch.go`).
//!
//! Reads a machine config, applies the `--patch` arguments in order (each
//! `@file`, a file name or inline YAML/JSON, like talosctl) and writes the
//! result to stdout or to `--output`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};

use super::output;

/// `-` as output: write to stdout (the default).
const STDOUT: &str = "-";

/// Subcommands of `talgen machineconfig`.
#[derive(Debug, Subcommand)]
pub(crate) enum MachineconfigCommand {
    /// Patch a machine config (like `talosctl machineconfig patch`).
    Patch(PatchArgs),
}

/// Arguments of `talgen machineconfig patch`.
#[derive(Debug, Args)]
pub(crate) struct PatchArgs {
    /// The machine config file to patch.
    file: PathBuf,

    /// A patch to apply: `@file`, a file name, or inline YAML/JSON (strategic
    /// merge or JSON6902); repeat to apply several in order.
    // Like pflag, take the next argument as the value even when it starts
    // with `-` (an inline YAML JSON patch does).
    #[arg(
        short = 'p',
        long = "patch",
        value_name = "PATCH",
        allow_hyphen_values = true
    )]
    patches: Vec<String>,

    /// Where to write the patched config; stdout when absent or `-`.
    ///
    /// A file is written 0600, as a controlplane config holds the cluster's
    /// CA keys (talosctl writes 0644); a replaced file never gets looser
    /// permissions than it had.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Runs a `machineconfig` subcommand.
pub(crate) fn run(cmd: MachineconfigCommand) -> anyhow::Result<()> {
    match cmd {
        MachineconfigCommand::Patch(args) => patch(&args),
    }
}

fn patch(args: &PatchArgs) -> anyhow::Result<()> {
    let data =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let patches = talgen_patch::read_patch_args(&args.patches)?;
    let patched = talgen_patch::apply(&data, &patches)
        .with_context(|| format!("patching {}", args.file.display()))?;
    match args.output.as_deref() {
        None => stdout(patched),
        Some(p) if p == Path::new(STDOUT) => stdout(patched),
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("failed to create output dir {}", dir.display()))?;
            }
            // talosctl overwrites an existing output file.
            output::write_file(path, &patched, 0o600, true)
        }
    }
}

/// talosctl prints the config followed by one more newline.
fn stdout(mut data: Vec<u8>) -> anyhow::Result<()> {
    data.push(b'\n');
    output::write_stdout(&data)
}
