//! `talgen schema`: print the JSON Schema of the config documents talgen
//! loads (the same text as the checked-in `schemas/config.schema.json`).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

/// Arguments of `talgen schema`.
#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Prints or writes the schema. It covers every Talos version talgen
/// supports, so it takes no version.
pub(crate) fn run(args: &SchemaArgs) -> anyhow::Result<()> {
    let text = talgen_config::schema::render();
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("failed to write {}", path.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("failed to write the schema to standard output"),
    }
}
