//! `talgen validate`: load config files and judge them for a runtime mode as
//! Talos would (talosctl's `validate` flags, plus `--talos-version` and
//! `-o json`). Exits 0 only when every file is valid.

use anyhow::{bail, Context as _};
use clap::{Args, ValueEnum};
use talgen_contract::Contract;
use talgen_validate::{validate_str, Mode, Options, Problem, Report};

use super::output;

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// Warnings and errors on stderr, one verdict line per file on stdout.
    Text,
    /// One JSON document on stdout: a result per file.
    Json,
}

/// Arguments of `talgen validate`, one field per flag.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Config file to validate; repeat for several files.
    #[arg(short = 'c', long = "config", value_name = "FILE", required = true)]
    config: Vec<std::path::PathBuf>,

    /// Runtime mode to validate for: metal, cloud or container.
    #[arg(short = 'm', long = "mode", value_parser = parse_mode)]
    mode: Mode,

    /// Treat warnings of the machine config document as errors.
    #[arg(long)]
    strict: bool,

    /// Talos release whose Kubernetes version window applies (default: the tracked release, v1.14).
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    talos_version: Option<Contract>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse().map_err(|e: talgen_validate::Error| e.to_string())
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

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut options = Options::default();
    options.strict = args.strict;
    if let Some(release) = args.talos_version {
        options.talos_version = release;
    }
    let mut results: Vec<(String, Outcome)> = Vec::new();
    for path in &args.config {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
        let outcome = validate_str(&text, args.mode, &options).map_err(|e| e.to_string());
        results.push((name, outcome));
    }
    let invalid = results
        .iter()
        .filter(|(_, r)| r.as_ref().map_or(true, |r| !r.is_valid()))
        .count();
    match args.output {
        Format::Json => output::write_stdout(render_json(args.mode, &results).as_bytes())?,
        Format::Text => {
            let mut out = String::new();
            for (name, outcome) in &results {
                match outcome {
                    Err(e) => eprintln!("talgen: {name}: {e}"),
                    Ok(report) => {
                        for w in &report.warnings {
                            eprintln!("talgen: warning: {name}: {w}");
                        }
                        for e in &report.errors {
                            eprintln!("talgen: {name}: {e}");
                        }
                        if report.is_valid() {
                            out.push_str(&format!("{name} is valid for {} mode\n", args.mode));
                        }
                    }
                }
            }
            output::write_stdout(out.as_bytes())?;
        }
    }
    if invalid > 0 {
        bail!(
            "{invalid} of {} config(s) not valid for {} mode",
            results.len(),
            args.mode
        );
    }
    Ok(())
}

/// A JSON string literal.
fn json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn problems(list: &[Problem]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|p| {
            format!(
                "{{\"document\":{},\"path\":{},\"message\":{}}}",
                json(&p.document),
                json(&p.path),
                json(&p.message)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// `{"mode": ..., "valid": bool, "files": [{file, valid, loadError?, errors, warnings}]}`
fn render_json(mode: Mode, results: &[(String, Outcome)]) -> String {
    let mut all_valid = true;
    let files: Vec<String> = results
        .iter()
        .map(|(name, outcome)| match outcome {
            Err(e) => {
                all_valid = false;
                format!(
                    "{{\"file\":{},\"valid\":false,\"loadError\":{},\"errors\":[],\"warnings\":[]}}",
                    json(name),
                    json(e)
                )
            }
            Ok(r) => {
                all_valid &= r.is_valid();
                format!(
                    "{{\"file\":{},\"valid\":{},\"errors\":{},\"warnings\":{}}}",
                    json(name),
                    r.is_valid(),
                    problems(&r.errors),
                    problems(&r.warnings)
                )
            }
        })
        .collect();
    format!(
        "{{\"mode\":{},\"valid\":{all_valid},\"files\":[{}]}}\n",
        json(mode.as_str()),
        files.join(",")
    )
}
