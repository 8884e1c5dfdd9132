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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use sha2::{Digest as _, Sha256};
use talgen_contract::Contract;
use talgen_patch::Patch;

use crate::model::{read_patch, Cluster, Fleet, PatchRef, PatchSource, Role};
use crate::render::RenderedCluster;
use crate::{FleetError, RenderError};

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
    pub warnings: Vec<String>,
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
    /// What happened to `index.json`.
    pub index: Option<Change>,
}

impl Summary {
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
pub fn write_fleet_dir(
    fleet: &Fleet,
    out: &Path,
    options: &DirOptions,
    mut on_cluster: impl FnMut(&ClusterOutcome),
) -> Result<Summary, DirError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| DirError::Io { path, source }
    };
    if let Some(only) = &options.only {
        let unknown: Vec<&str> = only
            .iter()
            .filter(|n| {
                fleet.cluster(n).is_none() && !fleet.rejected.iter().any(|e| e.cluster() == Some(n))
            })
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
    let mut index = read_index(&index_path)?;

    let mut summary = Summary {
        clusters: fleet.clusters.iter().filter(|c| wanted(&c.name)).count()
            + fleet
                .rejected
                .iter()
                .filter(|e| e.cluster().is_none_or(wanted))
                .count(),
        ..Summary::default()
    };
    let mut failed = false;
    for e in &fleet.rejected {
        if e.cluster().is_none_or(wanted) {
            summary.failed += 1;
            failed = true;
            on_cluster(&Err(ClusterError::Fleet(clone_fleet_error(e))));
        }
    }
    let clusters: Vec<&Cluster> = fleet.clusters.iter().filter(|c| wanted(&c.name)).collect();
    if failed && options.fail_fast {
        summary.skipped = clusters.len();
        return Ok(summary);
    }
    let patches = PatchCache::read(&clusters, &options.base_dir);

    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<ClusterOutcome>(options.jobs.get() * 2);
    let workers = options.jobs.get().min(clusters.len().max(1));
    let mut finished_failed = 0;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, clusters, patches) = (&next, &stop, &clusters, &patches);
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(cluster) = clusters.get(i) else {
                    break;
                };
                let outcome = write_cluster(cluster, out, options, patches);
                if outcome.is_err() && options.fail_fast {
                    stop.store(true, Ordering::Relaxed);
                }
                if tx.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for outcome in rx {
            match &outcome {
                Ok(done) => {
                    summary.done += 1;
                    if done.secrets == SecretsState::Created {
                        summary.new_secrets += 1;
                    }
                    for f in &done.files {
                        *summary.files.entry(f.change).or_default() += 1;
                    }
                    index.insert(
                        done.cluster.clone(),
                        done.files
                            .iter()
                            .map(|f| (f.path.clone(), (f.sha256.clone(), f.size)))
                            .collect(),
                    );
                }
                Err(_) => {
                    summary.failed += 1;
                    finished_failed += 1;
                }
            }
            on_cluster(&outcome);
        }
    });
    summary.skipped = clusters
        .len()
        .saturating_sub(summary.done + finished_failed);
    if options.only.is_none() {
        // Clusters gone from the fleet file leave the index (their files
        // stay where they are); rejected ones keep their old entries.
        let known: BTreeSet<&str> = fleet
            .clusters
            .iter()
            .map(|c| c.name.as_str())
            .chain(fleet.rejected.iter().filter_map(FleetError::cluster))
            .collect();
        index.retain(|name, _| known.contains(name.as_str()));
    }
    let bytes = encode_index(&index);
    let change = compare(&index_path, &bytes).map_err(io(&index_path))?;
    if change != Change::Unchanged && !options.check {
        write_atomic(&index_path, &bytes, 0o644).map_err(io(&index_path))?;
    }
    summary.index = Some(change);
    if !options.check && (summary.changed_files() > 0 || change != Change::Unchanged) {
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

/// Every `@file` patch of the clusters, read and parsed once.
struct PatchCache {
    parsed: HashMap<String, Option<Patch>>,
}

impl PatchCache {
    fn read(clusters: &[&Cluster], base_dir: &Path) -> Self {
        let mut parsed = HashMap::new();
        let refs = clusters.iter().flat_map(|c| {
            c.patches
                .iter()
                .chain(c.nodes.iter().flat_map(|n| &n.patches))
        });
        for r in refs {
            if let PatchSource::File(path) = &r.source {
                if !parsed.contains_key(path) {
                    parsed.insert(path.clone(), read_patch(r, base_dir).ok());
                }
            }
        }
        Self { parsed }
    }

    fn get(&self, r: &PatchRef, base_dir: &Path) -> Result<Patch, FleetError> {
        match &r.source {
            PatchSource::File(path) => match self.parsed.get(path) {
                Some(Some(p)) => Ok(p.clone()),
                // Read again for an error naming this reference.
                _ => read_patch(r, base_dir),
            },
            PatchSource::Text(_) => read_patch(r, base_dir),
        }
    }

    fn all(&self, refs: &[PatchRef], base_dir: &Path) -> Result<Vec<Patch>, FleetError> {
        refs.iter().map(|r| self.get(r, base_dir)).collect()
    }
}

/// One cluster's writer: paths, the check flag, and the entries so far.
struct Writer<'a> {
    cluster: &'a str,
    out: &'a Path,
    check: bool,
    files: Vec<FileEntry>,
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

    /// Writes `bytes` at `rel` unless they are already there.
    fn put(&mut self, rel: &str, bytes: &[u8], mode: u32) -> Result<(), ClusterError> {
        let path = self.out.join(rel);
        let change = compare(&path, bytes).map_err(self.io(&path))?;
        if change != Change::Unchanged && !self.check {
            write_atomic(&path, bytes, mode).map_err(self.io(&path))?;
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

    fn mkdir(&self, rel: &str) -> Result<(), ClusterError> {
        if self.check {
            return Ok(());
        }
        let dir = self.out.join(rel);
        std::fs::create_dir_all(&dir).map_err(self.io(&dir))?;
        remove_leftovers(&dir).map_err(self.io(&dir))
    }
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
) -> ClusterOutcome {
    let name = cluster.name.as_str();
    let mut w = Writer {
        cluster: name,
        out,
        check: options.check,
        files: Vec::new(),
    };
    let mut warnings = Vec::new();
    // Everything that can be refused is looked at before the first write.
    let cluster_patches = patches.all(&cluster.patches, &options.base_dir)?;
    let node_patches = cluster
        .nodes
        .iter()
        .map(|n| patches.all(&n.patches, &options.base_dir))
        .collect::<Result<Vec<_>, _>>()?;

    let secrets_rel = format!("{name}/{SECRETS_FILE}");
    let contract_rel = format!("{name}/{CONTRACT_FILE}");
    let secrets_path = out.join(&secrets_rel);
    let contract_path = out.join(&contract_rel);
    let existing = read_optional(&secrets_path).map_err(w.io(&secrets_path))?;
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
                Some(Ok(p)) if p != wanted => warnings.push(format!(
                    "contract moved from {p} to {wanted} with the existing secrets"
                )),
                Some(Ok(_)) => {}
                Some(Err(())) => {
                    return Err(ClusterError::Secrets {
                        cluster: name.to_owned(),
                        path: contract_path.display().to_string(),
                        message: "not a version contract (like v1.13)".to_owned(),
                    })
                }
                None => warnings.push(format!(
                    "{secrets_rel} has no {CONTRACT_FILE} file: pinned to {wanted}"
                )),
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
                let done = if options.check {
                    "would be generated"
                } else {
                    "generated"
                };
                warnings.push(format!(
                    "{secrets_rel} is missing: new secrets {done}; nodes made with the old \
                     ones will not join"
                ));
            }
            (bundle, text.into_bytes(), SecretsState::Created)
        }
    };
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
                    write_atomic(&path, &bytes, 0o600).map_err(w.io(&path))?;
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
    Ok(ClusterDone {
        cluster: name.to_owned(),
        secrets: state,
        files: w.files,
        warnings,
    })
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
    use std::fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Writes through a temporary file in the same directory renamed over
/// `path`: readers see the old file or the new one, never a part. A new
/// file gets `mode` (less the umask); a replaced one keeps no looser
/// permissions than it had. Nothing is flushed here: a run flushes once at
/// its end ([`flush_to_disk`]).
fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        "{TMP_PREFIX}{file_name}.{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt as _;
        match std::fs::metadata(path) {
            Ok(m) => m.permissions().mode() & mode & 0o7777,
            Err(_) => mode,
        }
    };
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
        let mut f = open.open(&tmp)?;
        f.write_all(bytes)?;
        #[cfg(unix)]
        if path.exists() {
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

/// Removes temporary files an interrupted run left in `dir`.
fn remove_leftovers(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The index: per cluster, path -> (SHA-256, size).
type Index = BTreeMap<String, BTreeMap<String, (String, u64)>>;

#[derive(serde::Serialize, serde::Deserialize)]
struct IndexFile {
    version: u32,
    files: Vec<IndexEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct IndexEntry {
    path: String,
    sha256: String,
    size: u64,
}

fn read_index(path: &Path) -> Result<Index, DirError> {
    let bad = |message: String| DirError::Index {
        path: path.display().to_string(),
        message,
    };
    let Some(bytes) = read_optional(path).map_err(|source| DirError::Io {
        path: path.display().to_string(),
        source,
    })?
    else {
        return Ok(Index::new());
    };
    let file: IndexFile = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
    if file.version != 1 {
        return Err(bad(format!(
            "version {} (this talgen writes 1)",
            file.version
        )));
    }
    let mut index = Index::new();
    for e in file.files {
        let cluster = e.path.split('/').next().unwrap_or_default().to_owned();
        index
            .entry(cluster)
            .or_default()
            .insert(e.path, (e.sha256, e.size));
    }
    Ok(index)
}

fn encode_index(index: &Index) -> Vec<u8> {
    let file = IndexFile {
        version: 1,
        files: index
            .values()
            .flatten()
            .map(|(path, (sha256, size))| IndexEntry {
                path: path.clone(),
                sha256: sha256.clone(),
                size: *size,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
