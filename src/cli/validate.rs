//! `talgen validate`: load config files and judge them for a runtime mode as
//! Talos would (talosctl's `validate` flags, plus `--talos-version`,
//! `-o json` and repeated `-c`). Exits 0 only when every file is valid.
//!
//! Text output follows `talosctl validate`: `WARNING: ...` lines on stderr,
//! `<file> is valid for <mode> mode` on stdout, and on failure the error
//! count and a `\t* ` line per error on stderr, exit code 1.

use anyhow::{bail, Context as _};
use clap::{Args, ValueEnum};
use talgen_contract::Contract;
use talgen_validate::{validate_str, Mode, Options, Problem, Report};

use super::output;

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// talosctl's layout: warnings and errors on stderr, a verdict line per valid file on stdout.
    Text,
    /// One JSON document on stdout: a result per file.
    Json,
}

/// Arguments of `talgen validate`, one field per flag.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Config file to validate; repeat for several files.
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    config: Vec<std::path::PathBuf>,

    /// Runtime mode to validate for: metal, cloud, container or metal-agent (required).
    // Checked in `run`, not by clap, so that a missing or unknown mode
    // fails with exit code 1 as talosctl does (clap would exit with 2).
    #[arg(short = 'm', long = "mode", value_name = "MODE")]
    mode: Option<String>,

    /// Treat validation warnings (of the v1alpha1 document, as upstream) as errors.
    #[arg(long)]
    strict: bool,

    /// Talos release whose Kubernetes version window applies (default: the tracked release, v1.14).
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    talos_version: Option<Contract>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

fn parse_release(s: &str) -> Result<Contract, String> {
    let c: Contract = s.parse().map_err(|e| format!("{e}"))?;
    if talgen_validate::kubernetes_window(c).is_none() {
        return Err(talgen_validate::Error::UnsupportedTalosVersion(s.to_owned()).to_string());
    }
    Ok(c)
}

/// The outcome for one file: its report, or why it did not load.
type Outcome = Result<Report, String>;

/// The runtime mode, checked in talosctl's order: the mode flag must be
/// given; a config that does not load is reported before an unknown mode.
fn mode(args: &ValidateArgs) -> anyhow::Result<Mode> {
    let Some(text) = &args.mode else {
        bail!("required flag(s) \"mode\" not set");
    };
    match text.parse::<Mode>() {
        Ok(mode) => Ok(mode),
        Err(e) => {
            for path in &args.config {
                let name = path.display().to_string();
                let input =
                    std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
                // Only the load outcome matters here; any mode will do.
                validate_str(&input, Mode::Cloud, &Options::default())?;
            }
            Err(e.into())
        }
    }
}

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<()> {
    let mode = mode(args)?;
    if args.config.is_empty() {
        bail!("open : no such file or directory (give a config file with -c)");
    }
    let mut options = Options::default();
    options.strict = args.strict;
    if let Some(release) = args.talos_version {
        options.talos_version = release;
    }
    let mut results: Vec<(String, Outcome)> = Vec::new();
    for path in &args.config {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
        let outcome = validate_str(&text, mode, &options).map_err(|e| e.to_string());
        results.push((name, outcome));
    }
    let invalid = results
        .iter()
        .filter(|(_, r)| r.as_ref().map_or(true, |r| !r.is_valid()))
        .count();
    match args.output {
        Format::Json => output::write_stdout(render_json(mode, &results)?.as_bytes())?,
        Format::Text => {
            let single = results.len() == 1;
            let mut out = String::new();
            let mut failures = Vec::new();
            for (name, outcome) in &results {
                // With one file, lines read as talosctl's; with several,
                // each names its file.
                let prefix = if single {
                    String::new()
                } else {
                    format!("{name}: ")
                };
                match outcome {
                    Err(e) => failures.push(format!("{prefix}{e}")),
                    Ok(report) => {
                        for w in &report.warnings {
                            eprintln!("WARNING: {prefix}{w}");
                        }
                        if report.is_valid() {
                            out.push_str(&format!("{name} is valid for {mode} mode\n"));
                        } else {
                            failures.push(format!("{prefix}{}", error_list(&report.errors)));
                        }
                    }
                }
            }
            output::write_stdout(out.as_bytes())?;
            if single {
                if let Some(failure) = failures.pop() {
                    bail!("{failure}");
                }
            }
            for failure in &failures {
                eprintln!("{failure}");
            }
        }
    }
    if invalid > 0 {
        bail!(
            "{invalid} of {} configs not valid for {} mode",
            results.len(),
            mode
        );
    }
    Ok(())
}

/// The errors of one file laid out as talosctl prints a multi-error:
/// a count line, then one `\t* ` line per error.
fn error_list(errors: &[Problem]) -> String {
    let head = match errors.len() {
        1 => "1 error occurred:".to_owned(),
        n => format!("{n} errors occurred:"),
    };
    let items: String = errors.iter().map(|e| format!("\n\t* {e}")).collect();
    format!("{head}{items}\n")
}

/// One file of `-o json`: its name, verdict, and either the report or why
/// it did not load.
#[derive(serde::Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    valid: bool,
    #[serde(rename = "loadError", skip_serializing_if = "Option::is_none")]
    load_error: Option<&'a str>,
    #[serde(flatten)]
    report: std::borrow::Cow<'a, Report>,
}

/// `{"mode": ..., "valid": bool, "files": [{file, valid, loadError?, errors, warnings}]}`
fn render_json(mode: Mode, results: &[(String, Outcome)]) -> anyhow::Result<String> {
    let files: Vec<JsonFile<'_>> = results
        .iter()
        .map(|(name, outcome)| match outcome {
            Err(e) => JsonFile {
                file: name,
                valid: false,
                load_error: Some(e),
                report: std::borrow::Cow::Owned(Report::default()),
            },
            Ok(r) => JsonFile {
                file: name,
                valid: r.is_valid(),
                load_error: None,
                report: std::borrow::Cow::Borrowed(r),
            },
        })
        .collect();
    #[derive(serde::Serialize)]
    struct Json<'a> {
        mode: &'a str,
        valid: bool,
        files: Vec<JsonFile<'a>>,
    }
    let json = Json {
        mode: mode.as_str(),
        valid: files.iter().all(|f| f.valid),
        files,
    };
    let mut text = serde_json::to_string(&json)?;
    text.push('\n');
    Ok(text)
}
