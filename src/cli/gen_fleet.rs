//! `talgen gen fleet`: every cluster and node of a fleet file rendered into
//! a directory tree (the writer is `talgen_fleet::dir`).

use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use talgen_fleet::dir::{write_fleet_stream, Change, ClusterOutcome, DirOptions, Summary, Warning};
use talgen_fleet::FleetStream;

/// Exit code of `--check` when something would change.
const DRIFT: u8 = 2;

#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub(crate) struct GenFleetArgs {
    /// The fleet file (YAML; its JSON Schema is schemas/fleet.schema.json).
    /// `@file` patches are read relative to it.
    fleet: PathBuf,

    /// The output directory (created when missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,

    /// Write nothing; list every file that would be created or updated and
    /// exit 2 when there is one.
    #[arg(long)]
    check: bool,

    /// Only these clusters (repeat, or separate with commas); the index
    /// keeps the others' entries.
    #[arg(long, value_name = "CLUSTER", value_delimiter = ',', num_args = 1..)]
    only: Vec<String>,

    /// Stop starting clusters after the first one fails (those running
    /// finish).
    #[arg(long)]
    fail_fast: bool,

    /// Also write each node's cidata.iso (NoCloud seed image).
    #[arg(long)]
    iso: bool,

    /// Let a cluster whose secrets exist move to the fleet file's
    /// talosVersion (refused otherwise: configs of a newer contract can
    /// break nodes running an older Talos).
    #[arg(long)]
    allow_contract_change: bool,

    /// Render every cluster. Without it, a cluster whose inputs (fleet
    /// entry, patch contents, secrets, --iso, talgen version) hash as
    /// index.json recorded, and whose files all still have the recorded
    /// SHA-256, is checked by hash instead of rendered; the output is the
    /// same either way.
    #[arg(long)]
    rerender: bool,

    /// Clusters rendered at once (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<NonZeroUsize>,

    /// No progress bar and no summary; errors and warnings still print.
    #[arg(short = 'q', long)]
    quiet: bool,
}

const AFTER_HELP: &str = "\
Output, per cluster and node:
  DIR/index.json                      every file below with its SHA-256
  DIR/CLUSTER/secrets.yaml            created once, then always reused (0600)
  DIR/CLUSTER/contract                the version contract of those secrets
  DIR/CLUSTER/talosconfig             admin credentials (0600), issued when
  DIR/CLUSTER/kubeconfig              missing or when the secrets are new
  DIR/CLUSTER/HOST/user-data          the node's machine config
  DIR/CLUSTER/HOST/meta-data
  DIR/CLUSTER/HOST/network-config
  DIR/CLUSTER/HOST/smbios-serial      with seedURL: ds=nocloud-net;s=URL;h=HOST
  DIR/CLUSTER/HOST/qm-set             with seedURL: the Proxmox `qm set` line
  DIR/CLUSTER/HOST/cidata.iso         with --iso

Secrets are never regenerated while secrets.yaml exists; a deleted one is
made anew for that cluster only (and nodes built from the old one will not
join). Files whose bytes would not change are not rewritten, so a rerun
touches nothing; every write goes through a temporary file renamed into
place, so an interrupted run leaves no partial file and a rerun completes
the tree. User-data of control-plane nodes (it holds the CA keys) is
written 0600, that of workers 0644.

Nodes removed from the fleet file lose their directory: the files the
previous index.json lists for them are removed while they still have the
bytes it records (a file changed since is kept, with a warning). A cluster
removed from the fleet file loses its nodes' files the same way; its
secrets.yaml, contract, talosconfig and kubeconfig are never removed.
--check lists these as `would remove` (exit 2); --only looks at the named
clusters only.

Exit status: 0 when every cluster was written (or, with --check, nothing
would change), 1 when a cluster or the fleet file failed, 2 when --check
found files that would change.";

pub(crate) fn run(args: &GenFleetArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let text = std::fs::read_to_string(&args.fleet)
        .with_context(|| format!("reading {}", args.fleet.display()))?;
    let name = args.fleet.display().to_string();
    let fleet = FleetStream::new(&text, &name)?;
    let base_dir = match args.fleet.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut options = DirOptions::new(base_dir);
    options.check = args.check;
    options.iso = args.iso;
    options.fail_fast = args.fail_fast;
    options.allow_contract_change = args.allow_contract_change;
    options.rerender = args.rerender;
    if let Some(jobs) = args.jobs {
        options.jobs = jobs;
    }
    if !args.only.is_empty() {
        options.only = Some(args.only.iter().cloned().collect::<BTreeSet<_>>());
    }
    let total = match &options.only {
        Some(only) => only.len(),
        None => fleet.names().len(),
    };
    let bar = progress_bar(total, args.quiet);
    let summary = write_fleet_stream(&fleet, &args.output, &options, |outcome| {
        bar.suspend(|| report(outcome, &args.output, args.check));
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    for gone in &summary.gone {
        report_gone(gone, &args.output, args.check);
    }
    if !args.quiet {
        eprintln!("{}", summary_line(&summary, args.check, started));
    }
    if summary.failed > 0 {
        return Ok(ExitCode::FAILURE);
    }
    if args.check && summary.drift() {
        if summary.index != Some(Change::Unchanged) {
            println!(
                "would {} {}",
                verb(summary.index.unwrap_or(Change::Updated)),
                args.output.join(talgen_fleet::dir::INDEX_FILE).display()
            );
        }
        return Ok(ExitCode::from(DRIFT));
    }
    Ok(ExitCode::SUCCESS)
}

/// A cluster gone from the fleet: what was (would be) removed of it, what
/// stays.
fn report_gone(gone: &talgen_fleet::dir::GoneCluster, out: &Path, check: bool) {
    if check {
        for f in &gone.removed {
            println!("would remove {}", out.join(f).display());
        }
    }
    let done = if check { "would be removed" } else { "removed" };
    eprintln!(
        "talgen: warning: cluster {} is no longer in the fleet: {} node files {done}; \
         its secrets and credentials in {} stay",
        gone.cluster,
        gone.removed.len(),
        out.join(&gone.cluster).display()
    );
    for f in &gone.kept {
        eprintln!(
            "talgen: warning: cluster {}: {f}: changed since talgen wrote it: kept",
            gone.cluster
        );
    }
}

/// A bar on a terminal; hidden otherwise (and when quiet).
fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} clusters ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn verb(change: Change) -> &'static str {
    match change {
        Change::Created => "create",
        Change::Updated => "update",
        Change::Unchanged => "keep",
    }
}

/// One cluster's errors and warnings on stderr; with `--check`, its
/// changes on stdout.
fn report(outcome: &ClusterOutcome, out: &Path, check: bool) {
    match outcome {
        Ok(done) => {
            for w in &done.warnings {
                match w {
                    // It says where, cluster included.
                    Warning::IgnoredPatchField { .. } => eprintln!("talgen: warning: {w}"),
                    _ => eprintln!("talgen: warning: cluster {}: {w}", done.cluster),
                }
            }
            if check {
                for f in done.changed() {
                    println!("would {} {}", verb(f.change), out.join(&f.path).display());
                }
                for f in &done.removed {
                    println!("would remove {}", out.join(f).display());
                }
            }
        }
        Err(e) => {
            let mut msg = format!("talgen: error: {e}");
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                // Wrapped errors already print their source.
                if !msg.contains(&cause.to_string()) {
                    msg.push_str(&format!("\n  caused by: {cause}"));
                }
                source = cause.source();
            }
            eprintln!("{msg}");
        }
    }
}

fn summary_line(s: &Summary, check: bool, started: Instant) -> String {
    let files = |c| s.files.get(&c).copied().unwrap_or(0);
    let would = if check { "would be " } else { "" };
    let mut line = format!(
        "{} of {} clusters {}; files: {} {would}created, {} {would}updated, {} unchanged",
        s.done,
        s.clusters,
        if check { "checked" } else { "written" },
        files(Change::Created),
        files(Change::Updated),
        files(Change::Unchanged),
    );
    if s.reused > 0 {
        line.push_str(&format!(
            "; {} clusters unchanged since index.json (checked by hash, not rendered)",
            s.reused
        ));
    }
    if s.removed > 0 {
        line.push_str(&format!("; {} stale node files {would}removed", s.removed));
    }
    if s.new_secrets > 0 {
        line.push_str(&format!("; {} new secrets bundles", s.new_secrets));
    }
    if s.failed > 0 {
        line.push_str(&format!("; {} clusters failed", s.failed));
    }
    if s.skipped > 0 {
        line.push_str(&format!("; {} not started (--fail-fast)", s.skipped));
    }
    line.push_str(&format!(" ({:.2} s)", started.elapsed().as_secs_f64()));
    line
}
