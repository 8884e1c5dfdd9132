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
}

/// Runs `talgen config merge`.
pub(crate) fn run(args: &ConfigMergeArgs) -> anyhow::Result<()> {
    let into = match &args.into {
        Some(p) => p.clone(),
        None => default_talosconfig()?,
    };
    let from = read(&args.from)?;
    let mut config = if into.exists() {
        read(&into)?
    } else {
        Talosconfig::default()
    };
    for rename in config.merge(from) {
        eprintln!("renamed talosconfig context {rename}");
    }
    if let Some(dir) = into.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    output::write_file(&into, config.to_yaml()?.as_bytes(), CREDENTIALS_MODE, true)
        .context("error writing config")
}

fn read(path: &Path) -> anyhow::Result<Talosconfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("error reading config {}", path.display()))?;
    Talosconfig::from_yaml(&text)
        .with_context(|| format!("error reading config {}", path.display()))
}

/// talosctl's implicit path: `$TALOSCONFIG`, else `~/.talos/config`.
fn default_talosconfig() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os("TALOSCONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    match std::env::var_os("HOME").filter(|p| !p.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".talos").join("config")),
        None => bail!("cannot find the default talosconfig: HOME is not set; give INTO"),
    }
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
