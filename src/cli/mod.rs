//! Command-line front end: raw arguments are parsed by clap into per-command
//! argument structs, each command module turns them into library options,
//! runs the library and renders errors for humans.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod output;

/// Generate Talos Linux machine configuration, byte-identical to talosctl.
#[derive(Debug, Parser)]
#[command(name = "talgen", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate secrets bundles, machine configs and client credentials.
    #[command(subcommand)]
    Gen(GenCommand),
}

#[derive(Debug, Subcommand)]
enum GenCommand {}

/// Parses the command line, runs the command and maps the outcome to an exit
/// code: 0 on success, 1 on failure (with the cause chain on stderr).
pub(crate) fn run() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<()> = match cli.command {
        Command::Gen(gen) => match gen {},
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => output::report(&err),
    }
}
