//! `talgen config merge FROM [INTO]`: add the contexts of one talosconfig to
//! another, as `talosctl config merge` does (clashing names become
//! `NAME-1`, `NAME-2`...; FROM's selected context becomes the selected one).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use talgen_client::Talosconfig;

use super::gen_talosconfig::CREDENTIALS_MODE;
use super::output;

/// Arguments of `talgen config merge`.
#[derive(Debug, Args)]
pub(crate) struct ConfigMergeArgs {
    /// The talosconfig whose contexts are added.
    from: PathBuf,

    /// The talosconfig to merge into (created when missing); defaults to
    /// $TALOSCONFIG, else ~/.talos/config, like talosctl.
    into: Option<PathBuf>,

    /// The talosconfig to merge into, as talosctl's `--talosconfig` flag
    /// (same as INTO).
    #[arg(long, value_name = "FILE", conflicts_with = "into")]
    talosconfig: Option<PathBuf>,
}

/// Runs `talgen config merge`.
///
/// As `talosctl config merge` (cmd/talosctl/cmd/talos/config.go with
/// pkg/machinery/client/config `Open`): the target is opened first, then
/// FROM; either one that does not exist yet is first created as an empty
/// talosconfig, so a missing FROM merges nothing, and a file without any
/// YAML document is an error.
pub(crate) fn run(args: &ConfigMergeArgs) -> anyhow::Result<()> {
    let into = match args.into.as_ref().or(args.talosconfig.as_ref()) {
        Some(p) => p.clone(),
        None => default_talosconfig()?,
    };
    let mut config = open(&into)?;
    let from = open(&args.from)?;
    for rename in config.merge(from) {
        eprintln!("renamed talosconfig context {rename}");
    }
    save(&into, &config).context("error writing config")
}

/// Reads a talosconfig, first writing an empty one where none exists.
fn open(path: &Path) -> anyhow::Result<Talosconfig> {
    if !path.exists() && !path.is_symlink() {
        save(path, &Talosconfig::default())
            .with_context(|| format!("error reading config {}", path.display()))?;
    }
    read(path)
}

/// Writes a talosconfig, creating its directory owner-only.
fn save(path: &Path, config: &Talosconfig) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    output::write_file(path, config.to_yaml()?.as_bytes(), CREDENTIALS_MODE, true)
}

fn read(path: &Path) -> anyhow::Result<Talosconfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("error reading config {}", path.display()))?;
    Talosconfig::from_yaml(&text)
        .with_context(|| format!("error reading config {}", path.display()))
}

/// talosctl's implicit path: the first that exists of `$TALOSCONFIG` and
/// `TALOS_HOME/config` (`$TALOS_HOME` when absolute, else `~/.talos`);
/// when neither exists, the first of them.
fn default_talosconfig() -> anyhow::Result<PathBuf> {
    let talos_dir = match std::env::var_os("TALOS_HOME").map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        _ => match std::env::var_os("HOME").filter(|p| !p.is_empty()) {
            Some(home) => PathBuf::from(home).join(".talos"),
            None => bail!("cannot find the default talosconfig: HOME is not set; give INTO"),
        },
    };
    let candidates: Vec<PathBuf> = std::env::var_os("TALOSCONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .chain([talos_dir.join("config")])
        .collect();
    let existing = candidates.iter().find(|p| p.exists());
    Ok(existing
        .or(candidates.first())
        .cloned()
        .unwrap_or_else(|| talos_dir.join("config")))
}

/// Creates the directory (and parents) owner-only, as talosctl does.
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}
