//! Storage: one trait, [`Store`], with an engine per module. Rows are plain
//! data; sealed columns hold what [`crate::crypto`] encrypted, so no engine
//! ever sees a secret in the clear.
//!
//! Every change is a list of [`Write`]s applied in one transaction by
//! [`Store::write`]: it lands whole or not at all.
//!
//! Engines shared by several processes ([`postgres`]) also serialise
//! read-modify-write sections across them ([`Store::lock_writers`]) and
//! report what the others commit ([`Store::watch`]), so each process can
//! drop what it cached.

pub mod postgres;
pub mod sqlite;

/// What a storage engine can report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A row with that key exists already.
    #[error("{0}")]
    Conflict(String),
    /// The row to change does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The database cannot be reached or is busy.
    #[error("{0}")]
    Unavailable(String),
    /// The database holds something this version cannot read.
    #[error("database: {0}")]
    Corrupt(String),
    /// Any other engine error.
    #[error("database: {0}")]
    Engine(String),
}

/// A cluster as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRow {
    /// Name (primary key).
    pub name: String,
    /// Kubernetes API endpoint.
    pub endpoint: String,
    /// The version contract, pinned at creation (`v1.13`).
    pub talos_version: String,
    /// Kubernetes version as given.
    pub kubernetes_version: String,
    /// Installer image, if not the default.
    pub install_image: Option<String>,
    /// Source CIDRs allowed to fetch, JSON array (empty: any).
    pub source_cidrs: String,
    /// Id of the master key wrapping `wrapped_key`.
    pub key_id: String,
    /// The cluster's data key, wrapped by the master key.
    pub wrapped_key: Vec<u8>,
    /// The cluster's patches (JSON array of texts), sealed by the data key.
    pub patches: Vec<u8>,
    /// The secrets bundle (YAML), sealed; `None` while being generated.
    pub secrets: Option<Vec<u8>>,
    /// Creation time, Unix milliseconds.
    pub created_at: i64,
    /// Last change, Unix milliseconds.
    pub updated_at: i64,
}

/// A device as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Id (primary key), the name in its seed URL.
    pub id: String,
    /// Its cluster.
    pub cluster: String,
    /// `controlplane` or `worker`.
    pub role: String,
    /// Host name, unique.
    pub hostname: String,
    /// `pending`, `active` or `retired`.
    pub state: String,
    /// Keyed hash of its secret.
    pub secret_hash: Vec<u8>,
    /// Install disk, network and patches (JSON), sealed by the cluster key.
    pub spec: Vec<u8>,
    /// The revision it serves, if any.
    pub revision: Option<i64>,
    /// Creation time, Unix milliseconds.
    pub created_at: i64,
    /// Last change, Unix milliseconds.
    pub updated_at: i64,
}

/// One immutable rendered set of a device's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRow {
    /// The device.
    pub device: String,
    /// 1, 2, … per device.
    pub number: i64,
    /// SHA-256 (hex) of the inputs it was rendered from.
    pub inputs_sha256: String,
    /// SHA-256 (hex) over the three files' hashes.
    pub sha256: String,
    /// SHA-256 (hex) of user-data, meta-data, network-config.
    pub file_sha256: [String; 3],
    /// The inputs (JSON), sealed.
    pub inputs: Vec<u8>,
    /// user-data, meta-data, network-config, each sealed.
    pub files: [Vec<u8>; 3],
    /// Why it was made (`created`, `reset`, `rollback to 2`, …).
    pub reason: String,
    /// Who made it (a token name, or `server`).
    pub actor: String,
    /// Creation time, Unix milliseconds.
    pub created_at: i64,
}

/// One fetch by a device, or an attempt on its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRow {
    /// The device id from the URL.
    pub device: String,
    /// Unix milliseconds.
    pub at: i64,
    /// Source address.
    pub source: String,
    /// `meta-data`, `network-config` or `user-data`.
    pub file: String,
    /// The revision served, if one was.
    pub revision: Option<i64>,
    /// HTTP status answered.
    pub status: u16,
}

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Unix milliseconds.
    pub at: i64,
    /// Who: a token name.
    pub actor: String,
    /// What (`cluster.create`, `credentials.talosconfig`, …).
    pub action: String,
    /// On what (a cluster name or device id).
    pub target: String,
    /// Details (no secrets).
    pub detail: String,
}

/// An admin API token, by the hash of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// A name for logs and the audit trail.
    pub name: String,
    /// `admin`, `operator` or `read-only`.
    pub role: String,
    /// Keyed hash of the token.
    pub hash: Vec<u8>,
    /// Creation time, Unix milliseconds.
    pub created_at: i64,
}

/// One change inside a transaction.
#[derive(Debug, Clone)]
pub enum Write {
    /// Sets a server-wide value.
    PutMeta(String, Vec<u8>),
    /// Adds a cluster (conflict if the name exists).
    InsertCluster(ClusterRow),
    /// Replaces a cluster row (not found if missing).
    UpdateCluster(ClusterRow),
    /// Removes a cluster, its devices, revisions and fetch log.
    DeleteCluster(String),
    /// Adds a device (conflict if the id or host name exists).
    InsertDevice(DeviceRow),
    /// Replaces a device row.
    UpdateDevice(DeviceRow),
    /// Removes a device with its revisions and fetch log.
    DeleteDevice(String),
    /// Adds a revision (conflict if the number exists).
    InsertRevision(RevisionRow),
    /// Adds an audit record.
    Audit(AuditRow),
    /// Adds or replaces a token by name.
    PutToken(TokenRow),
}

/// What another process changed, as far as caches care.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// One device (its row or its revisions).
    Device(String),
    /// One cluster, and so every device of it.
    Cluster(String),
    /// Anything: changes may have been missed (a lost connection).
    All,
}

impl Change {
    /// What `writes` change.
    #[must_use]
    pub fn of(writes: &[Write]) -> Vec<Change> {
        let mut out: Vec<Change> = Vec::new();
        for w in writes {
            let c = match w {
                Write::PutMeta(..) => Change::All,
                Write::InsertCluster(c) | Write::UpdateCluster(c) => {
                    Change::Cluster(c.name.clone())
                }
                Write::DeleteCluster(n) => Change::Cluster(n.clone()),
                Write::InsertDevice(d) | Write::UpdateDevice(d) => Change::Device(d.id.clone()),
                Write::DeleteDevice(id) => Change::Device(id.clone()),
                Write::InsertRevision(r) => Change::Device(r.device.clone()),
                Write::Audit(_) | Write::PutToken(_) => continue,
            };
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

/// Receives [`Change`]s from [`Store::watch`]; answers `false` to stop.
pub type ChangeSink = Box<dyn Fn(Change) -> bool + Send + 'static>;

/// Held while a read-modify-write section runs; dropping it lets the
/// next writer in (in this process or, for shared engines, any other).
#[must_use = "the lock is released when the guard is dropped"]
pub struct WriterGuard(#[allow(dead_code)] Option<Box<dyn Send>>);

impl WriterGuard {
    /// A guard that holds nothing (engines used by one process only).
    pub fn none() -> Self {
        Self(None)
    }

    /// A guard releasing its lock when `inner` is dropped.
    pub fn holding(inner: Box<dyn Send>) -> Self {
        Self(Some(inner))
    }
}

impl std::fmt::Debug for WriterGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriterGuard")
    }
}

/// A storage engine. Calls block: async callers run them on a blocking
/// thread.
pub trait Store: Send + Sync + 'static {
    /// Applies `writes` in one transaction.
    ///
    /// # Errors
    /// The first failing write's error; nothing is applied then.
    fn write(&self, writes: &[Write]) -> Result<(), StoreError>;
    /// A server-wide value.
    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// One cluster.
    fn cluster(&self, name: &str) -> Result<Option<ClusterRow>, StoreError>;
    /// All clusters, by name.
    fn clusters(&self) -> Result<Vec<ClusterRow>, StoreError>;
    /// One device.
    fn device(&self, id: &str) -> Result<Option<DeviceRow>, StoreError>;
    /// Devices, by id; only `cluster`'s when given.
    fn devices(&self, cluster: Option<&str>) -> Result<Vec<DeviceRow>, StoreError>;
    /// One revision of a device.
    fn revision(&self, device: &str, number: i64) -> Result<Option<RevisionRow>, StoreError>;
    /// A device's revisions, newest first.
    fn revisions(&self, device: &str) -> Result<Vec<RevisionRow>, StoreError>;
    /// Appends fetch records (one transaction for the batch).
    fn log_fetches(&self, rows: &[FetchRow]) -> Result<(), StoreError>;
    /// A device's latest fetches, newest first.
    fn fetches(&self, device: &str, limit: usize) -> Result<Vec<FetchRow>, StoreError>;
    /// Each device's latest fetch (devices never fetched are absent).
    fn last_fetches(&self) -> Result<Vec<FetchRow>, StoreError>;
    /// Audit records, newest first.
    fn audit(&self, limit: usize) -> Result<Vec<AuditRow>, StoreError>;
    /// Every token.
    fn tokens(&self) -> Result<Vec<TokenRow>, StoreError>;
    /// Whether the database answers.
    fn ping(&self) -> Result<(), StoreError>;
    /// Excludes other processes' writers until the guard is dropped. The
    /// default suits engines one process owns: the caller's own mutex is
    /// enough.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the lock cannot be had.
    fn lock_writers(&self) -> Result<WriterGuard, StoreError> {
        Ok(WriterGuard::none())
    }
    /// Reports, until `sink` answers `false`, what other processes commit.
    /// The default reports nothing: no other process writes.
    ///
    /// # Errors
    /// [`StoreError`] when watching cannot start.
    fn watch(&self, sink: ChangeSink) -> Result<(), StoreError> {
        drop(sink);
        Ok(())
    }
}
