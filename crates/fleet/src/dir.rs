//! Writing a whole fleet into a directory tree (what `talgen gen fleet`
//! does), the one part of this crate that touches the file system.
//!
//! Layout under the output directory:
//!
//! ```text
//! index.json                      every artifact below with its SHA-256
//! <cluster>/secrets.yaml          created once, never regenerated (0600)
//! <cluster>/contract              the version contract the secrets were made for
//! <cluster>/talosconfig           written when missing or new secrets (0600)
//! <cluster>/kubeconfig            written when missing or new secrets (0600)
//! <cluster>/<host>/user-data      controlplane 0600, worker 0644
//! <cluster>/<host>/meta-data
//! <cluster>/<host>/network-config
//! <cluster>/<host>/smbios-serial  with a seed URL: ds=nocloud-net;s=URL;h=HOST
//! <cluster>/<host>/qm-set         with a seed URL: the `qm set --smbios1` line
//! <cluster>/<host>/cidata.iso     with `iso`
//! ```
//!
//! Every file is compared with what is on disk and written only when its
//! bytes change, through a temporary file renamed into place, so a rerun
//! rewrites nothing and an interrupted run leaves whole files only (the
//! next run removes its leftover temporary files and completes the tree).
//! Clusters are rendered in parallel by a fixed number of workers; each
//! cluster's outcome is handed to the caller as soon as it is done and
//! nothing but its index entries is kept.
//!
//! The index also records, per cluster, a SHA-256 of everything its files
//! are derived from (this talgen's version, the resolved cluster, its
//! patches' contents, its secrets bundle, the `iso` option). A rerun whose
//! inputs for a cluster hash the same, and whose files on disk all still
//! hash as recorded, has nothing to render for it: the files are checked
//! by hash and left alone ([`Summary::reused`]). Any difference, a file
//! edited or missing included, renders the cluster as usual;
//! [`DirOptions::rerender`] renders every cluster regardless.
//!
//! Node directories the previous `index.json` lists that the fleet no
//! longer produces (a node removed from its cluster, or the nodes of a
//! cluster removed from the fleet) are removed: only the files listed
//! there, and only while they still have the recorded bytes. A cluster's
//! own files (secrets, contract, credentials) are never removed.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write as _;
use std::num::NonZeroUsize;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};

use sha2::{Digest as _, Sha256};
use talgen_contract::Contract;
use talgen_patch::Patch;

use crate::model::{read_patch, Cluster, Fleet, FleetStream, PatchRef, PatchSource, Role};
use crate::render::RenderedCluster;
use crate::{FleetError, Location, RenderError};

/// The name of the fleet-wide index file.
pub const INDEX_FILE: &str = "index.json";
/// The name of a cluster's secrets bundle.
pub const SECRETS_FILE: &str = "secrets.yaml";
/// The name of the file pinning a cluster's version contract.
pub const CONTRACT_FILE: &str = "contract";
/// Prefix of the temporary files writes go through.
const TMP_PREFIX: &str = ".talgen-tmp.";

/// How a fleet is written.
#[derive(Debug, Clone)]
pub struct DirOptions {
    /// The directory `@file` patches are relative to (the fleet file's).
    pub base_dir: PathBuf,
    /// Only compare: report what would change, write nothing.
    pub check: bool,
    /// Let a cluster whose secrets exist move to another version contract.
    pub allow_contract_change: bool,
    /// Also write each node's `cidata.iso`.
    pub iso: bool,
    /// Only these clusters (all when `None`).
    pub only: Option<BTreeSet<String>>,
    /// Stop taking new clusters after the first failure.
    pub fail_fast: bool,
    /// Worker threads.
    pub jobs: NonZeroUsize,
    /// Render every cluster, even those whose inputs and files are as the
    /// index recorded them (the output is the same either way).
    pub rerender: bool,
}

impl DirOptions {
    /// Writing every cluster, as many workers as the machine has cores.
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        Self {
            base_dir: base_dir.into(),
            check: false,
            allow_contract_change: false,
            iso: false,
            only: None,
            fail_fast: false,
            jobs: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            rerender: false,
        }
    }
}

/// What happened (or, when checking, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// The file did not exist.
    Created,
    /// The file existed with other bytes.
    Updated,
    /// The file already had these bytes.
    Unchanged,
}

impl Change {
    /// `created`, `updated` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
        }
    }
}

/// One file of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// What happened to it.
    pub change: Change,
}

/// Why one cluster was not (completely) written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClusterError {
    /// The fleet file rejected the cluster.
    #[error(transparent)]
    Fleet(#[from] FleetError),
    /// The cluster's secrets exist but cannot be used.
    #[error("cluster {cluster}: {path}: {message}")]
    Secrets {
        /// The cluster.
        cluster: String,
        /// The secrets file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The fleet asks for another contract than the secrets were made for.
    #[error(
        "cluster {cluster}: talosVersion {wanted} but its secrets were made for {pinned} \
         ({path}); configs of a newer contract can break older nodes: \
         pass --allow-contract-change to move it"
    )]
    ContractChanged {
        /// The cluster.
        cluster: String,
        /// The contract recorded with the secrets.
        pinned: String,
        /// The contract the fleet file gives.
        wanted: String,
        /// The file recording the pin.
        path: String,
    },
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// Reading or writing a file failed.
    #[error("cluster {cluster}: {path}: {source}")]
    Io {
        /// The cluster.
        cluster: String,
        /// The file or directory.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// How a cluster's secrets came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretsState {
    /// An existing `secrets.yaml` was used.
    Reused,
    /// None existed: new secrets were generated (and, unless checking,
    /// written).
    Created,
}

/// Something worth telling the user that does not stop a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A patch sets a field the cluster's contract does not take from
    /// there: another document carries it.
    IgnoredPatchField {
        /// Where the patch is named in the fleet file.
        at: Box<Location>,
        /// The patch (`(inline)` or its file).
        patch: String,
        /// The field, dotted (`machine.network.hostname`).
        field: &'static str,
        /// The cluster's contract.
        contract: String,
        /// The kind of the document to patch instead.
        document: &'static str,
        /// How that document sets it.
        instead: &'static str,
    },
    /// The cluster moved to another contract with its existing secrets
    /// (`allow_contract_change`).
    ContractMoved {
        /// The contract pinned before.
        from: String,
        /// The contract now.
        to: String,
    },
    /// The secrets had no contract file; it is written now.
    ContractPinned {
        /// The secrets file, relative to the output directory.
        secrets: String,
        /// The contract pinned.
        contract: String,
    },
    /// The cluster directory exists without its secrets: new ones were
    /// (would be, when checking) generated.
    SecretsRegenerated {
        /// The secrets file, relative to the output directory.
        secrets: String,
        /// Only checking: nothing was generated on disk.
        check: bool,
    },
    /// A stale file was kept: its bytes changed since talgen wrote it.
    StaleFileKept {
        /// The file, relative to the output directory.
        path: String,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::IgnoredPatchField {
                at,
                patch,
                field,
                contract,
                document,
                instead,
            } => write!(
                f,
                "{at}: patch {patch} sets {field}, which contract {contract} does not take \
                 from the machine config (it carries a {document} document, and Talos refuses \
                 both): patch the {document} document instead ({instead})"
            ),
            Warning::ContractMoved { from, to } => {
                write!(
                    f,
                    "contract moved from {from} to {to} with the existing secrets"
                )
            }
            Warning::ContractPinned { secrets, contract } => write!(
                f,
                "{secrets} has no {CONTRACT_FILE} file: pinned to {contract}"
            ),
            Warning::SecretsRegenerated { secrets, check } => {
                write!(
                f,
                "{secrets} is missing: new secrets {}; nodes made with the old ones will not join",
                if *check { "would be generated" } else { "generated" }
            )
            }
            Warning::StaleFileKept { path } => {
                write!(f, "{path}: changed since talgen wrote it: kept")
            }
        }
    }
}

/// A patch field that contracts from some version on take from another
/// document.
struct MovedField {
    applies: fn(Contract) -> bool,
    path: &'static [&'static str],
    field: &'static str,
    document: &'static str,
    instead: &'static str,
}

/// The fields [`Warning::IgnoredPatchField`] looks for.
const MOVED_FIELDS: &[MovedField] = &[MovedField {
    applies: Contract::multidoc_network_config_supported,
    path: &["machine", "network", "hostname"],
    field: "machine.network.hostname",
    document: "HostnameConfig",
    instead: "apiVersion: v1alpha1, kind: HostnameConfig, hostname: NAME",
}];

/// The warnings of patches that set fields `contract` takes elsewhere.
fn moved_fields(contract: Contract, refs: &[PatchRef], patches: &[Patch]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for rule in MOVED_FIELDS.iter().filter(|r| (r.applies)(contract)) {
        for (r, p) in refs.iter().zip(patches) {
            if p.sets("v1alpha1", rule.path) {
                warnings.push(Warning::IgnoredPatchField {
                    at: Box::new(r.at.clone()),
                    patch: p.source().to_owned(),
                    field: rule.field,
                    contract: contract.to_string(),
                    document: rule.document,
                    instead: rule.instead,
                });
            }
        }
    }
    warnings
}

/// One cluster done.
#[derive(Debug)]
pub struct ClusterDone {
    /// The cluster.
    pub cluster: String,
    /// Where its secrets came from.
    pub secrets: SecretsState,
    /// Its files, in write order.
    pub files: Vec<FileEntry>,
    /// Things worth telling the user that did not stop the cluster.
    pub warnings: Vec<Warning>,
    /// Files of nodes no longer in the cluster that were removed (would
    /// be, when checking): those the previous index lists with the bytes
    /// they still have.
    pub removed: Vec<String>,
    /// Whether its inputs were as recorded and its files checked by hash
    /// instead of rendered.
    pub reused: bool,
    /// The hash of its inputs, for the index.
    inputs: [u8; 32],
}

impl ClusterDone {
    /// Files created or updated (would be, when checking).
    pub fn changed(&self) -> impl Iterator<Item = &FileEntry> {
        self.files.iter().filter(|f| f.change != Change::Unchanged)
    }
}

/// The outcome of one cluster, as handed to the caller.
pub type ClusterOutcome = Result<ClusterDone, ClusterError>;

/// Totals of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Clusters of the fleet file taken (all, or those of `only`).
    pub clusters: usize,
    /// Clusters written (or checked) completely.
    pub done: usize,
    /// Clusters that failed or were rejected.
    pub failed: usize,
    /// Clusters not started because of `fail_fast`.
    pub skipped: usize,
    /// Files per change.
    pub files: BTreeMap<Change, usize>,
    /// Clusters whose secrets were generated this run.
    pub new_secrets: usize,
    /// Clusters not rendered: their inputs hashed as the index recorded
    /// and every file still had the recorded bytes.
    pub reused: usize,
    /// What happened to `index.json`.
    pub index: Option<Change>,
    /// Stale files removed (would be, when checking), of every cluster.
    pub removed: usize,
    /// Clusters the previous index lists that the fleet no longer has
    /// (only looked for when the run takes every cluster).
    pub gone: Vec<GoneCluster>,
}

/// A cluster gone from the fleet file: its nodes' files are removed, its
/// own files (secrets above all) stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoneCluster {
    /// The cluster.
    pub cluster: String,
    /// Node files removed (would be, when checking).
    pub removed: Vec<String>,
    /// Node files kept because their bytes changed since talgen wrote them.
    pub kept: Vec<String>,
}

impl Summary {
    /// Whether anything was (would be) created, updated or removed.
    pub fn drift(&self) -> bool {
        self.changed_files() > 0 || self.removed > 0 || self.index != Some(Change::Unchanged)
    }

    /// Files created or updated (would be, when checking).
    pub fn changed_files(&self) -> usize {
        self.files
            .iter()
            .filter(|(c, _)| **c != Change::Unchanged)
            .map(|(_, n)| n)
            .sum()
    }
}

/// What stops a whole run (rather than one cluster).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DirError {
    /// The output directory or the index could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// `index.json` exists but is not one talgen wrote.
    #[error("{path}: not a talgen index: {message}")]
    Index {
        /// The index file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The fleet file is not one (found while it was read).
    #[error(transparent)]
    Fleet(#[from] FleetError),
    /// `only` names clusters the fleet does not have.
    #[error("--only names clusters not in the fleet: {0}")]
    UnknownClusters(String),
}

/// Renders every cluster of `fleet` into `out` (see the module docs),
/// calling `on_cluster` (on the calling thread) as each cluster finishes;
/// rejected clusters are reported first. Writes `index.json` at the end
/// unless checking.
///
/// # Errors
/// [`DirError`] when the output directory or the index cannot be used;
/// failures of single clusters go to `on_cluster` and the [`Summary`].
pub fn write_fleet_dir<'a>(
    fleet: &'a Fleet,
    out: &Path,
    options: &DirOptions,
    on_cluster: impl FnMut(&ClusterOutcome),
) -> Result<Summary, DirError> {
    let names: Vec<&str> = fleet
        .clusters
        .iter()
        .map(|c| c.name.as_str())
        .chain(fleet.rejected.iter().filter_map(FleetError::cluster))
        .collect();
    let unnamed = fleet
        .rejected
        .iter()
        .filter(|e| e.cluster().is_none())
        .count();
    let feed = |take: &mut dyn FnMut(Item<'a>) -> ControlFlow<()>| -> Result<(), FleetError> {
        for e in &fleet.rejected {
            if take(Err(clone_fleet_error(e))).is_break() {
                return Ok(());
            }
        }
        for c in &fleet.clusters {
            if take(Ok(Cow::Borrowed(c))).is_break() {
                return Ok(());
            }
        }
        Ok(())
    };
    run(&names, unnamed, feed, out, options, on_cluster)
}

/// [`write_fleet_dir`] for a fleet file read as it is rendered: each
/// cluster is resolved on its own thread while the workers render the
/// ones before it, and only the clusters in flight are in memory.
/// Rejected clusters are reported where they are met.
///
/// # Errors
/// As [`write_fleet_dir`].
pub fn write_fleet_stream(
    stream: &FleetStream<'_>,
    out: &Path,
    options: &DirOptions,
    on_cluster: impl FnMut(&ClusterOutcome),
) -> Result<Summary, DirError> {
    let names: Vec<&str> = stream.names().iter().map(String::as_str).collect();
    let feed = |take: &mut dyn FnMut(Item<'static>) -> ControlFlow<()>| {
        stream.for_each(|r| take(r.map(Cow::Owned)))
    };
    run(&names, 0, feed, out, options, on_cluster)
}

/// One cluster of the fleet as the feeder hands it over.
type Item<'f> = Result<Cow<'f, Cluster>, FleetError>;

/// The run shared by both entry points: `names` are every cluster name
/// of the fleet (valid or not), `unnamed` the rejections without one,
/// `feed` hands out the clusters in file order.
fn run<'f, F>(
    names: &[&str],
    unnamed: usize,
    feed: F,
    out: &Path,
    options: &DirOptions,
    mut on_cluster: impl FnMut(&ClusterOutcome),
) -> Result<Summary, DirError>
where
    F: FnOnce(&mut dyn FnMut(Item<'f>) -> ControlFlow<()>) -> Result<(), FleetError> + Send,
{
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| DirError::Io { path, source }
    };
    if let Some(only) = &options.only {
        let known: BTreeSet<&str> = names.iter().copied().collect();
        let unknown: Vec<&str> = only
            .iter()
            .filter(|n| !known.contains(n.as_str()))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(DirError::UnknownClusters(unknown.join(", ")));
        }
    }
    let wanted = |name: &str| options.only.as_ref().is_none_or(|o| o.contains(name));
    if !options.check {
        std::fs::create_dir_all(out).map_err(io(out))?;
    }
    let index_path = out.join(INDEX_FILE);
    let (files, inputs) = read_index(&index_path)?;
    // What workers compare with: the index as this run found it. This run's
    // entries are gathered beside it and take its place at the end.
    let recorded = Recorded { files, inputs };
    let (mut fresh_files, mut fresh_inputs) = (Index::new(), Inputs::new());

    let mut summary = Summary {
        clusters: names.iter().filter(|n| wanted(n)).count() + unnamed,
        ..Summary::default()
    };
    let stop = AtomicBool::new(false);
    let patches = PatchCache::default();
    let (work_tx, work_rx) = mpsc::sync_channel::<Cow<'f, Cluster>>(options.jobs.get());
    let work_rx = Mutex::new(work_rx);
    let (tx, rx) = mpsc::sync_channel::<ClusterOutcome>(options.jobs.get() * 2);
    let mut feed_result = Ok(());
    std::thread::scope(|scope| {
        let (stop, work_rx, patches, recorded) = (&stop, &work_rx, &patches, &recorded);
        let feeder_tx = tx.clone();
        let feeder = scope.spawn(move || {
            feed(&mut |item| {
                if stop.load(Ordering::Relaxed) {
                    return ControlFlow::Break(());
                }
                let sent = match item {
                    Ok(c) if !wanted(&c.name) => return ControlFlow::Continue(()),
                    Ok(c) => work_tx.send(c).is_ok(),
                    Err(e) if !e.cluster().is_none_or(wanted) => return ControlFlow::Continue(()),
                    Err(e) => {
                        if options.fail_fast {
                            stop.store(true, Ordering::Relaxed);
                        }
                        feeder_tx.send(Err(ClusterError::Fleet(e))).is_ok()
                    }
                };
                if sent {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            })
        });
        for _ in 0..options.jobs.get() {
            let tx = tx.clone();
            scope.spawn(move || loop {
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok(cluster) = next else { break };
                // Once stopped, the queue is drained so the feeder ends.
                if stop.load(Ordering::Relaxed) {
                    continue;
                }
                let outcome = write_cluster(&cluster, out, options, patches, recorded);
                drop(cluster);
                if outcome.is_err() && options.fail_fast {
                    stop.store(true, Ordering::Relaxed);
                }
                if tx.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for mut outcome in rx {
            match &mut outcome {
                Ok(done) => {
                    summary.done += 1;
                    if done.secrets == SecretsState::Created {
                        summary.new_secrets += 1;
                    }
                    if done.reused {
                        summary.reused += 1;
                    }
                    for f in &done.files {
                        *summary.files.entry(f.change).or_default() += 1;
                    }
                    let fresh = entries(&done.files);
                    if let Some(old) = recorded.files.get(&done.cluster) {
                        let stale = remove_stale(out, old, &fresh, options.check);
                        done.removed = stale.removed;
                        done.warnings.extend(
                            stale
                                .kept
                                .into_iter()
                                .map(|path| Warning::StaleFileKept { path }),
                        );
                    }
                    summary.removed += done.removed.len();
                    fresh_files.insert(done.cluster.clone(), fresh);
                    fresh_inputs.insert(done.cluster.clone(), done.inputs);
                }
                Err(_) => summary.failed += 1,
            }
            on_cluster(&outcome);
        }
        feed_result = feeder.join().unwrap_or_else(|_| {
            Err(FleetError::Syntax {
                file: String::new(),
                message: "the fleet reader panicked".to_owned(),
            })
        });
    });
    feed_result?;
    let Recorded {
        files: mut index,
        mut inputs,
    } = recorded;
    index.extend(fresh_files);
    inputs.extend(fresh_inputs);
    summary.skipped = summary
        .clusters
        .saturating_sub(summary.done + summary.failed);
    if options.only.is_none() {
        // Clusters gone from the fleet file leave the index, and their
        // nodes' files the tree; rejected ones keep their old entries.
        let known: BTreeSet<&str> = names.iter().copied().collect();
        let gone: Vec<String> = index
            .keys()
            .filter(|name| !known.contains(name.as_str()))
            .cloned()
            .collect();
        for name in gone {
            inputs.remove(&name);
            if let Some(old) = index.remove(&name) {
                let stale = remove_stale(out, &old, &[], options.check);
                summary.removed += stale.removed.len();
                summary.gone.push(GoneCluster {
                    cluster: name,
                    removed: stale.removed,
                    kept: stale.kept,
                });
            }
        }
    }
    // Inputs of clusters the index no longer lists mean nothing.
    inputs.retain(|name, _| index.contains_key(name));
    let change = compare_index(&index_path, &index, &inputs).map_err(io(&index_path))?;
    if change != Change::Unchanged && !options.check {
        write_atomic(&index_path, 0o644, false, |w| {
            encode_index(&index, &inputs, w)
        })
        .map_err(io(&index_path))?;
    }
    summary.index = Some(change);
    if !options.check
        && (summary.changed_files() > 0 || summary.removed > 0 || change != Change::Unchanged)
    {
        // Whatever this run wrote (new secrets above all) is on disk before
        // it reports success.
        flush_to_disk(out).map_err(io(out))?;
    }
    Ok(summary)
}

/// The fleet's errors are kept in the fleet; the caller gets its own copy
/// of the same kind (an I/O error keeps its kind and message).
fn clone_fleet_error(e: &FleetError) -> FleetError {
    match e {
        FleetError::Syntax { file, message } => FleetError::Syntax {
            file: file.clone(),
            message: message.clone(),
        },
        FleetError::Invalid { at, message } => FleetError::Invalid {
            at: at.clone(),
            message: message.clone(),
        },
        FleetError::ReadPatch { at, path, source } => FleetError::ReadPatch {
            at: at.clone(),
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        FleetError::Patch { at, source } => FleetError::Patch {
            at: at.clone(),
            source: source.clone(),
        },
    }
}

/// The `@file` patches, each read and parsed once, when first needed.
#[derive(Default)]
struct PatchCache {
    parsed: Mutex<HashMap<String, Option<Patch>>>,
}

impl PatchCache {
    fn get(&self, r: &PatchRef, base_dir: &Path) -> Result<Patch, FleetError> {
        let PatchSource::File(path) = &r.source else {
            return read_patch(r, base_dir);
        };
        let cached = match self.parsed.lock() {
            Ok(map) => map.get(path).cloned(),
            Err(_) => None,
        };
        match cached {
            Some(Some(p)) => Ok(p),
            // Read again for an error naming this reference.
            Some(None) => read_patch(r, base_dir),
            None => {
                let result = read_patch(r, base_dir);
                if let Ok(mut map) = self.parsed.lock() {
                    map.insert(path.clone(), result.as_ref().ok().cloned());
                }
                result
            }
        }
    }

    fn all(&self, refs: &[PatchRef], base_dir: &Path) -> Result<Vec<Patch>, FleetError> {
        refs.iter().map(|r| self.get(r, base_dir)).collect()
    }
}

/// One cluster's writer: paths, the check flag, the entries so far, and
/// what is known of the directories it writes into.
struct Writer<'a> {
    cluster: &'a str,
    out: &'a Path,
    check: bool,
    files: Vec<FileEntry>,
    /// The directory last made ready, and the names it held then (`None`
    /// when it did not exist: nothing in it needs comparing).
    dir: Option<(String, Option<HashSet<std::ffi::OsString>>)>,
}

impl Writer<'_> {
    fn io(&self, path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
        let path = path.display().to_string();
        move |source| ClusterError::Io {
            cluster: self.cluster.to_owned(),
            path,
            source,
        }
    }

    /// Whether `rel` may exist, from the listing of its directory.
    fn may_exist(&self, rel: &str) -> bool {
        let Some((dir, listing)) = &self.dir else {
            return true;
        };
        let Some(name) = rel
            .strip_prefix(dir.as_str())
            .and_then(|r| r.strip_prefix('/'))
            .filter(|n| !n.contains('/'))
        else {
            return true;
        };
        listing
            .as_ref()
            .is_some_and(|l| l.contains(std::ffi::OsStr::new(name)))
    }

    /// Writes `bytes` at `rel` unless they are already there.
    fn put(&mut self, rel: &str, bytes: &[u8], mode: u32) -> Result<(), ClusterError> {
        let path = self.out.join(rel);
        let known_new = !self.may_exist(rel);
        let change = if known_new {
            Change::Created
        } else {
            compare(&path, bytes).map_err(self.io(&path))?
        };
        if change != Change::Unchanged && !self.check {
            write_atomic(&path, mode, change == Change::Created, |w| {
                w.write_all(bytes)
            })
            .map_err(self.io(&path))?;
        }
        self.record(rel, bytes, change);
        Ok(())
    }

    fn record(&mut self, rel: &str, bytes: &[u8], change: Change) {
        self.files.push(FileEntry {
            path: rel.to_owned(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            change,
        });
    }

    /// Makes the directory `rel` ready (created, or cleared of an
    /// interrupted run's temporary files) and remembers what it holds.
    fn mkdir(&mut self, rel: &str) -> Result<(), ClusterError> {
        let dir = self.out.join(rel);
        let listing = if self.check {
            match std::fs::read_dir(&dir) {
                Ok(entries) => Some(list(entries, false).map_err(self.io(&dir))?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(self.io(&dir)(e)),
            }
        } else {
            match std::fs::create_dir(&dir) {
                Ok(()) => None,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let entries = std::fs::read_dir(&dir).map_err(self.io(&dir))?;
                    Some(list(entries, true).map_err(self.io(&dir))?)
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    std::fs::create_dir_all(&dir).map_err(self.io(&dir))?;
                    None
                }
                Err(e) => return Err(self.io(&dir)(e)),
            }
        };
        self.dir = Some((rel.to_owned(), listing));
        Ok(())
    }
}

/// The names in a directory; with `clean`, temporary files an interrupted
/// run left are removed (and not listed).
fn list(entries: std::fs::ReadDir, clean: bool) -> std::io::Result<HashSet<std::ffi::OsString>> {
    let mut names = HashSet::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if clean && name.to_string_lossy().starts_with(TMP_PREFIX) {
            std::fs::remove_file(entry.path())?;
        } else {
            names.insert(name);
        }
    }
    Ok(names)
}

/// Reads a file, `None` when it does not exist.
fn read_optional(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn write_cluster(
    cluster: &Cluster,
    out: &Path,
    options: &DirOptions,
    patches: &PatchCache,
    recorded: &Recorded,
) -> ClusterOutcome {
    let name = cluster.name.as_str();
    let mut w = Writer {
        cluster: name,
        out,
        check: options.check,
        files: Vec::new(),
        dir: None,
    };
    let mut warnings = Vec::new();
    // Everything that can be refused is looked at before the first write.
    let cluster_patches = patches.all(&cluster.patches, &options.base_dir)?;
    let node_patches = cluster
        .nodes
        .iter()
        .map(|n| patches.all(&n.patches, &options.base_dir))
        .collect::<Result<Vec<_>, _>>()?;

    warnings.extend(moved_fields(
        cluster.contract,
        &cluster.patches,
        &cluster_patches,
    ));
    for (node, patches) in cluster.nodes.iter().zip(&node_patches) {
        warnings.extend(moved_fields(cluster.contract, &node.patches, patches));
    }

    let secrets_rel = format!("{name}/{SECRETS_FILE}");
    let contract_rel = format!("{name}/{CONTRACT_FILE}");
    let secrets_path = out.join(&secrets_rel);
    let contract_path = out.join(&contract_rel);
    let existing = read_optional(&secrets_path).map_err(w.io(&secrets_path))?;
    let digest =
        |secrets: &[u8]| inputs_digest(cluster, &cluster_patches, &node_patches, secrets, options);
    let mut inputs = None;
    if let Some(bytes) = &existing {
        let now = digest(bytes);
        if !options.rerender {
            let planned = planned_files(cluster, options.iso);
            if let Some(files) =
                recorded.unchanged(name, &now, &planned, out, (&secrets_rel, bytes))
            {
                return Ok(ClusterDone {
                    cluster: name.to_owned(),
                    secrets: SecretsState::Reused,
                    files,
                    warnings,
                    removed: Vec::new(),
                    reused: true,
                    inputs: now,
                });
            }
        }
        inputs = Some(now);
    }
    let pinned = read_optional(&contract_path).map_err(w.io(&contract_path))?;
    let wanted = cluster.contract.to_string();
    let (secrets, secrets_bytes, state) = match existing {
        Some(bytes) => {
            let bad = |message: String| ClusterError::Secrets {
                cluster: name.to_owned(),
                path: secrets_path.display().to_string(),
                message,
            };
            let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".to_owned()))?;
            let bundle =
                talgen_secrets::Bundle::from_yaml(&text).map_err(|e| bad(e.to_string()))?;
            match pinned.as_deref().map(pin_text) {
                Some(Ok(p)) if p != wanted && !options.allow_contract_change => {
                    return Err(ClusterError::ContractChanged {
                        cluster: name.to_owned(),
                        pinned: p,
                        wanted,
                        path: contract_path.display().to_string(),
                    });
                }
                Some(Ok(p)) if p != wanted => warnings.push(Warning::ContractMoved {
                    from: p,
                    to: wanted.clone(),
                }),
                Some(Ok(_)) => {}
                Some(Err(())) => {
                    return Err(ClusterError::Secrets {
                        cluster: name.to_owned(),
                        path: contract_path.display().to_string(),
                        message: "not a version contract (like v1.13)".to_owned(),
                    })
                }
                None => warnings.push(Warning::ContractPinned {
                    secrets: secrets_rel.clone(),
                    contract: wanted.clone(),
                }),
            }
            (bundle, text.into_bytes(), SecretsState::Reused)
        }
        None => {
            let bundle = talgen_secrets::Bundle::generate(
                cluster.contract,
                talgen_secrets::Clock::fixed_now(),
            )
            .map_err(|e| ClusterError::Secrets {
                cluster: name.to_owned(),
                path: secrets_path.display().to_string(),
                message: format!("generating: {e}"),
            })?;
            let text = bundle.to_yaml().map_err(|e| ClusterError::Secrets {
                cluster: name.to_owned(),
                path: secrets_path.display().to_string(),
                message: format!("encoding: {e}"),
            })?;
            if out.join(name).exists() {
                warnings.push(Warning::SecretsRegenerated {
                    secrets: secrets_rel.clone(),
                    check: options.check,
                });
            }
            (bundle, text.into_bytes(), SecretsState::Created)
        }
    };
    let inputs = inputs.unwrap_or_else(|| digest(&secrets_bytes));
    let rendered = RenderedCluster::new(cluster, secrets, cluster_patches)?;
    let nodes = cluster
        .nodes
        .iter()
        .zip(&node_patches)
        .map(|(n, p)| rendered.node(name, n, p))
        .collect::<Result<Vec<_>, _>>()?;

    // Secrets first: nothing derived from them may exist without them
    // (the run flushes everything to disk before it returns).
    w.mkdir(name)?;
    if state == SecretsState::Created {
        w.put(&secrets_rel, &secrets_bytes, 0o600)?;
    } else {
        w.record(&secrets_rel, &secrets_bytes, Change::Unchanged);
    }
    w.put(&contract_rel, format!("{wanted}\n").as_bytes(), 0o644)?;

    for (file, make) in [
        ("talosconfig", Credential::Talosconfig),
        ("kubeconfig", Credential::Kubeconfig),
    ] {
        let rel = format!("{name}/{file}");
        let path = out.join(&rel);
        let current = read_optional(&path).map_err(w.io(&path))?;
        match current {
            Some(bytes) if state == SecretsState::Reused => {
                w.record(&rel, &bytes, Change::Unchanged);
            }
            current => {
                let bytes = make.issue(&rendered, name)?;
                let change = if current.is_some() {
                    Change::Updated
                } else {
                    Change::Created
                };
                if !w.check {
                    write_atomic(&path, 0o600, current.is_none(), |f| f.write_all(&bytes))
                        .map_err(w.io(&path))?;
                }
                w.record(&rel, &bytes, change);
            }
        }
    }

    for (node, art) in cluster.nodes.iter().zip(&nodes) {
        let dir = format!("{name}/{}", node.hostname);
        w.mkdir(&dir)?;
        let user_data_mode = match node.role {
            Role::ControlPlane => 0o600,
            Role::Worker => 0o644,
        };
        w.put(&format!("{dir}/user-data"), &art.user_data, user_data_mode)?;
        w.put(&format!("{dir}/meta-data"), &art.meta_data, 0o644)?;
        w.put(&format!("{dir}/network-config"), &art.network_config, 0o644)?;
        if let Some(s) = &art.smbios {
            w.put(
                &format!("{dir}/smbios-serial"),
                format!("{}\n", s.serial).as_bytes(),
                0o644,
            )?;
            w.put(
                &format!("{dir}/qm-set"),
                format!("{}\n", s.qm).as_bytes(),
                0o644,
            )?;
        }
        if options.iso {
            let iso = talgen_nocloud::build_iso(
                &[
                    ("meta-data", &art.meta_data),
                    ("network-config", &art.network_config),
                    ("user-data", &art.user_data),
                ],
                &talgen_nocloud::IsoOptions::default(),
            )
            .map_err(|e| RenderError::Node {
                cluster: name.to_owned(),
                node: node.hostname.clone(),
                message: format!("cidata.iso: {e}"),
            })?;
            w.put(&format!("{dir}/cidata.iso"), &iso, user_data_mode)?;
        }
    }
    debug_assert!(
        w.files
            .iter()
            .map(|f| f.path.as_str())
            .eq(planned_files(cluster, options.iso)
                .iter()
                .map(String::as_str)),
        "planned_files must name what write_cluster writes, in its order"
    );
    Ok(ClusterDone {
        cluster: name.to_owned(),
        secrets: state,
        files: w.files,
        warnings,
        removed: Vec::new(),
        reused: false,
        inputs,
    })
}

/// The files [`write_cluster`] writes for `cluster`, in its order.
fn planned_files(cluster: &Cluster, iso: bool) -> Vec<String> {
    let name = cluster.name.as_str();
    let mut files = vec![
        format!("{name}/{SECRETS_FILE}"),
        format!("{name}/{CONTRACT_FILE}"),
        format!("{name}/talosconfig"),
        format!("{name}/kubeconfig"),
    ];
    for node in &cluster.nodes {
        let dir = format!("{name}/{}", node.hostname);
        files.extend(["user-data", "meta-data", "network-config"].map(|f| format!("{dir}/{f}")));
        if node.seed_url.is_some() {
            files.extend(["smbios-serial", "qm-set"].map(|f| format!("{dir}/{f}")));
        }
        if iso {
            files.push(format!("{dir}/cidata.iso"));
        }
    }
    files
}

/// A SHA-256 of everything a cluster's files are derived from. Lines and
/// other details only errors use are left out, so moving a cluster within
/// the fleet file does not make it look changed; patches count by their
/// parsed contents.
fn inputs_digest(
    cluster: &Cluster,
    cluster_patches: &[Patch],
    node_patches: &[Vec<Patch>],
    secrets: &[u8],
    options: &DirOptions,
) -> [u8; 32] {
    use std::fmt::Write as _;
    struct Hashing(Sha256);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    // Whole patterns: a field added to any of these stops this compiling
    // until someone decides whether the output depends on it.
    let Cluster {
        name,
        endpoint,
        contract,
        kubernetes_version,
        install_image,
        patches: _,
        nodes,
        line: _,
    } = cluster;
    let DirOptions {
        iso,
        base_dir: _,
        check: _,
        allow_contract_change: _,
        only: _,
        fail_fast: _,
        jobs: _,
        rerender: _,
    } = options;
    let mut h = Hashing(Sha256::new());
    // Debug text quotes and escapes every string, so fields cannot run
    // into each other.
    let _ = write!(
        h,
        "talgen-fleet inputs 1 {} {:?}",
        env!("CARGO_PKG_VERSION"),
        (
            name,
            endpoint,
            contract.to_string(),
            kubernetes_version,
            install_image,
            iso,
            cluster_patches,
            nodes.len(),
        )
    );
    for (node, patches) in nodes.iter().zip(node_patches) {
        let crate::model::Node {
            hostname,
            role,
            install_disk,
            patches: _,
            network,
            seed_url,
            vmid,
            line: _,
        } = node;
        let _ = write!(
            h,
            " {:?}",
            (
                hostname,
                role,
                install_disk,
                network,
                seed_url,
                vmid,
                patches
            )
        );
    }
    h.0.update((secrets.len() as u64).to_le_bytes());
    h.0.update(secrets);
    h.0.finalize().into()
}

/// The client credentials a cluster directory holds.
#[derive(Clone, Copy)]
enum Credential {
    Talosconfig,
    Kubeconfig,
}

impl Credential {
    fn issue(self, rendered: &RenderedCluster, cluster: &str) -> Result<Vec<u8>, ClusterError> {
        let fail = |message: String| {
            ClusterError::Render(RenderError::Node {
                cluster: cluster.to_owned(),
                node: "(credentials)".to_owned(),
                message,
            })
        };
        match self {
            Credential::Talosconfig => rendered
                .bundle()
                .talosconfig()
                .map_err(|e| fail(e.to_string()))?
                .to_yaml()
                .map(String::into_bytes)
                .map_err(|e| fail(e.to_string())),
            Credential::Kubeconfig => Ok(rendered
                .bundle()
                .kubeconfig(&talgen_client::KubeconfigOptions::default())
                .map_err(|e| fail(e.to_string()))?
                .to_yaml()
                .into_bytes()),
        }
    }
}

/// The contract named by a `contract` file.
fn pin_text(bytes: &[u8]) -> Result<String, ()> {
    let text = std::str::from_utf8(bytes).map_err(|_| ())?;
    let contract: Contract = text.trim().parse().map_err(|_| ())?;
    Ok(contract.to_string())
}

/// How `bytes` compare with the file at `path`.
fn compare(path: &Path, bytes: &[u8]) -> std::io::Result<Change> {
    Ok(match read_optional(path)? {
        None => Change::Created,
        Some(old) if old == bytes => Change::Unchanged,
        Some(_) => Change::Updated,
    })
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Hex(&Sha256::digest(bytes).into()).to_string()
}

/// Writes what `fill` writes through a temporary file in the same
/// directory renamed over `path`: readers see the old file or the new one,
/// never a part. A new file gets `mode` (less the umask); a replaced one
/// keeps no looser permissions than it had (`known_new`: the caller knows
/// there is none, nothing is looked up). Nothing is flushed here: a run
/// flushes once at its end ([`flush_to_disk`]).
fn write_atomic(
    path: &Path,
    mode: u32,
    known_new: bool,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    static PID: OnceLock<u32> = OnceLock::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        "{TMP_PREFIX}{file_name}.{}.{}",
        PID.get_or_init(std::process::id),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    #[cfg(unix)]
    let (mode, replacing) = {
        use std::os::unix::fs::PermissionsExt as _;
        match known_new
            .then_some(())
            .map_or_else(|| std::fs::metadata(path).ok(), |()| None)
        {
            Some(m) => (m.permissions().mode() & mode & 0o7777, true),
            None => (mode, false),
        }
    };
    #[cfg(not(unix))]
    let _ = known_new;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        open.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let result = (|| {
        let mut f = std::io::BufWriter::with_capacity(64 * 1024, open.open(&tmp)?);
        fill(&mut f)?;
        let f = f
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        #[cfg(unix)]
        if replacing {
            // A replaced file's narrowed mode, without the umask's share.
            use std::os::unix::fs::PermissionsExt as _;
            f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        drop(f);
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Flushes the file system holding `dir` to disk: one `syncfs` on Linux
/// (an fsync per file would cost more than rendering), the directory's own
/// fsync elsewhere.
fn flush_to_disk(dir: &Path) -> std::io::Result<()> {
    let handle = std::fs::File::open(dir)?;
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(&handle)?;
    }
    #[cfg(not(target_os = "linux"))]
    handle.sync_all()?;
    Ok(())
}

/// One file of the index, kept compact: a fleet's index is held in memory
/// for the whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    path: Box<str>,
    sha256: [u8; 32],
    size: u64,
}

/// The index: per cluster, its files sorted by path.
type Index = BTreeMap<String, Vec<Entry>>;

/// Per cluster, the hash of the inputs its files were made from
/// ([`inputs_digest`]).
type Inputs = BTreeMap<String, [u8; 32]>;

/// The index as a run found it, for the workers to compare with.
struct Recorded {
    files: Index,
    inputs: Inputs,
}

impl Recorded {
    /// The files of `cluster` as recorded, unchanged, when its inputs hash
    /// to `digest` as recorded and every file of `planned` is on disk with
    /// the recorded size and SHA-256 (`secrets`: a path and the bytes
    /// already read from it). `None` when anything differs or cannot be
    /// read: the cluster is then rendered, which reports it properly.
    fn unchanged(
        &self,
        cluster: &str,
        digest: &[u8; 32],
        planned: &[String],
        out: &Path,
        secrets: (&str, &[u8]),
    ) -> Option<Vec<FileEntry>> {
        if self.inputs.get(cluster) != Some(digest) {
            return None;
        }
        let entries = self.files.get(cluster)?;
        if entries.len() != planned.len() {
            return None;
        }
        let mut files = Vec::with_capacity(planned.len());
        for rel in planned {
            let entry = entries
                .binary_search_by(|e| (*e.path).cmp(rel.as_str()))
                .ok()
                .and_then(|i| entries.get(i))?;
            let read;
            let bytes = if rel == secrets.0 {
                secrets.1
            } else {
                read = std::fs::read(out.join(rel)).ok()?;
                &read
            };
            if bytes.len() as u64 != entry.size || Sha256::digest(bytes)[..] != entry.sha256 {
                return None;
            }
            files.push(FileEntry {
                path: rel.clone(),
                sha256: Hex(&entry.sha256).to_string(),
                size: entry.size,
                change: Change::Unchanged,
            });
        }
        Some(files)
    }
}

/// A cluster's files as index entries, sorted by path.
fn entries(files: &[FileEntry]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = files
        .iter()
        .map(|f| Entry {
            path: f.path.as_str().into(),
            sha256: parse_hex(&f.sha256).unwrap_or_default(),
            size: f.size,
        })
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries.dedup_by(|a, b| a.path == b.path);
    entries
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let (hi, lo) = (pair.first().copied()?, pair.get(1).copied()?);
        *o = digit(hi)? << 4 | digit(lo)?;
    }
    Some(out)
}

/// What became of the stale files of one cluster.
struct Stale {
    removed: Vec<String>,
    kept: Vec<String>,
}

/// Removes the files of `old` (a cluster's entries in the previous index)
/// that belong to nodes `fresh` no longer has: each only while it still
/// has the bytes the index gives, then its directory when empty. Cluster
/// files (secrets, credentials) are never touched. With `check`, nothing
/// is removed; the files that would be are listed.
fn remove_stale(out: &Path, old: &[Entry], fresh: &[Entry], check: bool) -> Stale {
    let node_dir = |path: &str| {
        // Only plain relative names: an index edited to point elsewhere
        // (`..`, absolute paths) removes nothing.
        if path
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return None;
        }
        let mut parts = path.splitn(3, '/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(c), Some(h), Some(_)) => Some(c.len() + 1 + h.len()),
            _ => None,
        }
    };
    let live: HashSet<&str> = fresh
        .iter()
        .filter_map(|e| node_dir(&e.path).and_then(|n| e.path.get(..n)))
        .collect();
    let mut stale = Stale {
        removed: Vec::new(),
        kept: Vec::new(),
    };
    let mut dirs = BTreeSet::new();
    for e in old {
        let Some(dir) = node_dir(&e.path).and_then(|n| e.path.get(..n)) else {
            continue;
        };
        if live.contains(dir) {
            continue;
        }
        let path = out.join(&*e.path);
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() as u64 == e.size && Sha256::digest(&bytes)[..] == e.sha256 => {
                if check || std::fs::remove_file(&path).is_ok() {
                    stale.removed.push(e.path.to_string());
                }
                dirs.insert(dir);
            }
            Ok(_) => stale.kept.push(e.path.to_string()),
            Err(_) => {
                dirs.insert(dir);
            }
        }
    }
    if !check {
        for dir in dirs {
            let dir = out.join(dir);
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let _ = list(entries, true);
            }
            let _ = std::fs::remove_dir(&dir);
        }
    }
    stale
}

/// `index.json` as read: the version, files and inputs of the last run.
struct IndexSeed<'a>(&'a mut Index, &'a mut Inputs);

impl<'de> serde::de::DeserializeSeed<'de> for IndexSeed<'_> {
    type Value = u32;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for IndexSeed<'_> {
    type Value = u32;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct IndexFile")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        use serde::de::Error as _;
        let (mut version, mut files) = (None, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => version = Some(map.next_value::<u32>()?),
                "files" => {
                    map.next_value_seed(FilesSeed(&mut *self.0))?;
                    files = true;
                }
                "inputs" => {
                    for (cluster, hex) in map.next_value::<BTreeMap<String, String>>()? {
                        let digest = parse_hex(&hex).ok_or_else(|| {
                            A::Error::custom(format!("inputs of {cluster}: not 64 hex digits"))
                        })?;
                        self.1.insert(cluster, digest);
                    }
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if !files {
            return Err(A::Error::missing_field("files"));
        }
        version.ok_or_else(|| A::Error::missing_field("version"))
    }
}

/// The `files` list, entry by entry into the compact index.
struct FilesSeed<'a>(&'a mut Index);

impl<'de> serde::de::DeserializeSeed<'de> for FilesSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FilesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of files")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        #[derive(serde::Deserialize)]
        struct RawEntry {
            path: String,
            sha256: String,
            size: u64,
        }
        while let Some(e) = seq.next_element::<RawEntry>()? {
            let sha256 = parse_hex(&e.sha256).ok_or_else(|| {
                serde::de::Error::custom(format!("{}: sha256 is not 64 hex digits", e.path))
            })?;
            let cluster = e.path.split('/').next().unwrap_or_default();
            let entries = match self.0.get_mut(cluster) {
                Some(entries) => entries,
                None => self.0.entry(cluster.to_owned()).or_default(),
            };
            entries.push(Entry {
                path: e.path.into(),
                sha256,
                size: e.size,
            });
        }
        for entries in self.0.values_mut() {
            entries.sort_by(|a, b| a.path.cmp(&b.path));
            entries.dedup_by(|a, b| a.path == b.path);
        }
        Ok(())
    }
}

fn read_index(path: &Path) -> Result<(Index, Inputs), DirError> {
    let bad = |message: String| DirError::Index {
        path: path.display().to_string(),
        message,
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Index::new(), Inputs::new()))
        }
        Err(source) => {
            return Err(DirError::Io {
                path: path.display().to_string(),
                source,
            })
        }
    };
    let (mut index, mut inputs) = (Index::new(), Inputs::new());
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    let seed = IndexSeed(&mut index, &mut inputs);
    let version = serde::de::DeserializeSeed::deserialize(seed, &mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| bad(e.to_string()))?;
    if version != 1 {
        return Err(bad(format!("version {version} (this talgen writes 1)")));
    }
    Ok((index, inputs))
}

/// The index as `index.json` holds it, serialized as it is written out.
struct IndexView<'a>(&'a Index, &'a Inputs);

impl serde::Serialize for IndexView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        struct Files<'a>(&'a Index);
        impl serde::Serialize for Files<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.values().flatten().map(EntryView))
            }
        }
        struct Digests<'a>(&'a Inputs);
        impl serde::Serialize for Digests<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(c, d)| (c, Hex(d))))
            }
        }
        let mut st = s.serialize_struct("IndexFile", 3)?;
        st.serialize_field("version", &1u32)?;
        st.serialize_field("files", &Files(self.0))?;
        st.serialize_field("inputs", &Digests(self.1))?;
        st.end()
    }
}

struct EntryView<'a>(&'a Entry);

/// A SHA-256 as lowercase hex.
struct Hex<'a>(&'a [u8; 32]);

impl std::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl serde::Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for EntryView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("IndexEntry", 3)?;
        st.serialize_field("path", &*self.0.path)?;
        st.serialize_field("sha256", &Hex(&self.0.sha256))?;
        st.serialize_field("size", &self.0.size)?;
        st.end()
    }
}

/// Writes the index as pretty JSON and a newline.
fn encode_index(index: &Index, inputs: &Inputs, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    serde::Serialize::serialize(&IndexView(index, inputs), &mut ser)
        .map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// How the encoded index compares with the file at `path`, streamed:
/// neither is held in memory whole.
fn compare_index(path: &Path, index: &Index, inputs: &Inputs) -> std::io::Result<Change> {
    let old = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Change::Created),
        Err(e) => return Err(e),
    };
    struct Same {
        old: std::io::BufReader<std::fs::File>,
        same: bool,
        buf: Vec<u8>,
    }
    impl std::io::Write for Same {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            if self.same {
                use std::io::Read as _;
                self.buf.resize(data.len(), 0);
                self.same = self.old.read_exact(&mut self.buf).is_ok() && self.buf == data;
            }
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut same = Same {
        old: std::io::BufReader::with_capacity(64 * 1024, old),
        same: true,
        buf: Vec::new(),
    };
    {
        let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut same);
        encode_index(index, inputs, &mut w)?;
        w.flush()?;
    }
    let at_end = {
        use std::io::BufRead as _;
        same.same && same.old.fill_buf()?.is_empty()
    };
    Ok(if at_end {
        Change::Unchanged
    } else {
        Change::Updated
    })
}
