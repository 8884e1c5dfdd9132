//! Command-line front end: raw arguments are parsed by clap into per-command
//! argument structs, each command module turns them into library options,
//! runs the library and renders errors for humans.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod config_merge;
mod fleet;
mod gen_config;
mod gen_fleet;
mod gen_kubeconfig;
mod gen_secrets;
mod gen_talosconfig;
mod machineconfig;
mod nocloud;
mod output;
mod schema;
mod serve;
mod smbios;
mod validate;

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
    /// Manage talosconfig files.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Apply a fleet file to a config server, or list its devices.
    #[command(subcommand)]
    Fleet(fleet::FleetCommand),
    /// Work with existing machine configs.
    #[command(subcommand)]
    Machineconfig(machineconfig::MachineconfigCommand),
    /// Write a NoCloud seed (user-data, meta-data, network-config) and cidata images.
    Nocloud(Box<nocloud::NocloudArgs>),
    /// Print the JSON Schema of the config documents talgen reads.
    Schema(schema::SchemaArgs),
    /// Run the nocloud-net config server: per-device seeds from a database, and an admin API.
    Serve(Box<serve::ServeArgs>),
    /// Build or explain the SMBIOS serial that points Talos at an HTTP seed.
    Smbios(Box<smbios::SmbiosArgs>),
    /// Check configs the way Talos does before booting them (like `talosctl validate`).
    Validate(Box<validate::ValidateArgs>),
}

#[derive(Debug, Subcommand)]
enum GenCommand {
    /// Generate controlplane, worker and init configs and a talosconfig (like `talosctl gen config`).
    Config(Box<gen_config::GenConfigArgs>),
    /// Generate a secrets bundle (like `talosctl gen secrets`).
    Secrets(Box<gen_secrets::GenSecretsArgs>),
    /// Generate a talosconfig from a secrets bundle (endpoints, nodes, roles, lifetime).
    Talosconfig(Box<gen_talosconfig::GenTalosconfigArgs>),
    /// Generate an admin kubeconfig offline from a secrets bundle.
    Kubeconfig(Box<gen_kubeconfig::GenKubeconfigArgs>),
    /// Render every cluster and node of a fleet file into a directory: secrets, credentials, NoCloud files.
    Fleet(Box<gen_fleet::GenFleetArgs>),
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Merge the contexts of a talosconfig into another (like `talosctl config merge`).
    Merge(Box<config_merge::ConfigMergeArgs>),
}

/// Parses the command line, runs the command and maps the outcome to an exit
/// code: 0 on success, 1 on failure (with the cause chain on stderr).
pub(crate) fn run() -> ExitCode {
    // Usage errors exit 1 like talosctl's (cobra's), not clap's 2; help and
    // version requests still exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.exit_code() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Gen(gen) => match gen {
            GenCommand::Config(args) => done(gen_config::run(*args)),
            GenCommand::Secrets(args) => done(gen_secrets::run(&args)),
            GenCommand::Talosconfig(args) => done(gen_talosconfig::run(&args)),
            GenCommand::Kubeconfig(args) => done(gen_kubeconfig::run(&args)),
            GenCommand::Fleet(args) => gen_fleet::run(&args),
        },
        Command::Config(ConfigCommand::Merge(args)) => done(config_merge::run(&args)),
        Command::Machineconfig(cmd) => done(machineconfig::run(cmd)),
        Command::Nocloud(args) => done(nocloud::run(&args)),
        Command::Fleet(cmd) => fleet::run(&cmd),
        Command::Schema(args) => done(schema::run(&args)),
        Command::Serve(args) => done(serve::run(&args)),
        Command::Smbios(args) => done(smbios::run(&args)),
        Command::Validate(args) => done(validate::run(&args)),
    };
    match result {
        Ok(code) => code,
        Err(err) => output::report(&err),
    }
}
