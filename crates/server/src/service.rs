//! The server's logic, between HTTP and storage: clusters, devices and
//! their revisions, the fetch path with its cache, tokens and the audit
//! trail. Calls block (storage, rendering, key generation); the HTTP
//! layer runs them on blocking threads.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::{DataKey, Keyring};
use crate::error::ApiError;
use crate::id::{check_id, is_valid_id};
use crate::model::{
    ClusterCreate, ClusterUpdate, ClusterView, CredentialsRequest, DeviceCreate, DeviceCredentials,
    DeviceState, DeviceUpdate, DeviceView, FetchView, FileHashes, RevisionDetail, RevisionView,
    RoleName, SmbiosView,
};
use crate::render::{self, ClusterInputs, DeviceInputs, Files, Inputs};
use crate::secret::{Purpose, Secret, SecretHasher};
use crate::store::{
    AuditRow, ClusterRow, DeviceRow, FetchRow, RevisionRow, Store, Write, WriterGuard,
};

/// The three files a device fetches, in the order Talos asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `meta-data`.
    MetaData,
    /// `network-config`.
    NetworkConfig,
    /// `user-data`.
    UserData,
}

impl FileKind {
    /// From the last path segment.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "meta-data" => Some(FileKind::MetaData),
            "network-config" => Some(FileKind::NetworkConfig),
            "user-data" => Some(FileKind::UserData),
            _ => None,
        }
    }

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::MetaData => "meta-data",
            FileKind::NetworkConfig => "network-config",
            FileKind::UserData => "user-data",
        }
    }

    fn index(self) -> usize {
        match self {
            FileKind::UserData => 0,
            FileKind::MetaData => 1,
            FileKind::NetworkConfig => 2,
        }
    }
}

/// Settings of a server.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The URL devices reach the server at (`https://seed.example.net`),
    /// used in the SMBIOS serials handed out.
    pub public_url: String,
    /// The path prefix of the seed routes (`/nocloud`).
    pub prefix: String,
    /// Bytes of rendered files kept in memory at most; past it, devices
    /// are dropped from the cache (and read back on their next fetch).
    pub cache_bytes: usize,
}

/// The default of [`ServiceConfig::cache_bytes`]: 1 GiB.
pub const DEFAULT_CACHE_BYTES: usize = 1 << 30;

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".to_owned(),
            prefix: "/nocloud".to_owned(),
            cache_bytes: DEFAULT_CACHE_BYTES,
        }
    }
}

/// One file ready to send: identity bytes, gzip bytes, entity tag.
#[derive(Debug)]
pub struct Payload {
    /// The file.
    pub body: Vec<u8>,
    /// The file gzip-compressed.
    pub gzip: Vec<u8>,
    /// SHA-256 (hex) of `body`.
    pub sha256: String,
}

impl Payload {
    fn new(body: Vec<u8>) -> Self {
        use std::io::Write as _;
        let sha256 = hex::encode(Sha256::digest(&body));
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // An empty gzip body (never expected) makes the server send identity.
        let gzip = enc
            .write_all(&body)
            .and_then(|()| enc.finish())
            .unwrap_or_default();
        Self { body, gzip, sha256 }
    }
}

/// What a fetch gets.
#[derive(Debug)]
pub enum Fetched {
    /// 200 with the file.
    Ok {
        /// The file.
        payload: Arc<Payload>,
        /// The revision it belongs to (none before the first).
        revision: Option<i64>,
    },
    /// 401: unknown device, wrong secret, retired, or a source outside
    /// the cluster's CIDRs (indistinguishable on purpose).
    Unauthorized,
    /// 503: known, but user-data is held back (pending, or not rendered).
    NotReady,
    /// 429: this source failed authentication too often lately.
    TooMany,
}

/// Failed authentications a source may make within [`FAILURE_WINDOW`]
/// before its fetches are refused with 429 until the window ends.
pub const MAX_FAILURES: u32 = 30;
/// The window over which failures are counted.
pub const FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);
/// Sources tracked at most; older windows are dropped beyond it.
const MAX_TRACKED_SOURCES: usize = 100_000;

/// Recent authentication failures per source address.
#[derive(Debug, Default)]
struct Failures {
    by_source: HashMap<IpAddr, (u32, std::time::Instant)>,
}

impl Failures {
    fn blocked(&self, source: IpAddr, now: std::time::Instant) -> bool {
        self.by_source.get(&source).is_some_and(|(n, start)| {
            *n >= MAX_FAILURES && now.duration_since(*start) < FAILURE_WINDOW
        })
    }

    fn record(&mut self, source: IpAddr, now: std::time::Instant) {
        if self.by_source.len() >= MAX_TRACKED_SOURCES {
            self.by_source
                .retain(|_, (_, start)| now.duration_since(*start) < FAILURE_WINDOW);
        }
        let entry = self.by_source.entry(source).or_insert((0, now));
        if now.duration_since(entry.1) >= FAILURE_WINDOW {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
    }
}

/// A device as the fetch path needs it, cached.
#[derive(Debug)]
struct Served {
    cluster: String,
    secret_hash: Vec<u8>,
    state: DeviceState,
    cidrs: Vec<(IpAddr, u8)>,
    revision: Option<i64>,
    files: [Option<Arc<Payload>>; 3],
}

impl Served {
    fn bytes(&self) -> usize {
        let files: usize = self
            .files
            .iter()
            .flatten()
            .map(|p| p.body.len() + p.gzip.len() + p.sha256.len())
            .sum();
        files + self.secret_hash.len() + self.cluster.len() + 128
    }
}

/// The fetch path's devices, bounded in bytes. `epoch` counts
/// invalidations, so a read that raced one is not cached.
#[derive(Debug, Default)]
struct Cache {
    map: HashMap<String, Arc<Served>>,
    bytes: usize,
    epoch: u64,
}

impl Cache {
    fn remove(&mut self, id: &str) {
        if let Some(s) = self.map.remove(id) {
            self.bytes = self.bytes.saturating_sub(s.bytes() + id.len());
        }
    }

    fn remove_cluster(&mut self, cluster: &str) {
        let ids: Vec<String> = self
            .map
            .iter()
            .filter(|(_, s)| s.cluster == cluster)
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            self.remove(&id);
        }
    }

    fn clear(&mut self) {
        self.map.clear();
        self.bytes = 0;
    }

    /// Adds `served`, first dropping arbitrary devices to stay within
    /// `max` bytes (one device bigger than `max` is not kept).
    fn insert(&mut self, id: String, served: Arc<Served>, max: usize) {
        let size = served.bytes() + id.len();
        self.remove(&id);
        if size > max {
            return;
        }
        while self.bytes + size > max {
            let Some(victim) = self.map.keys().next().cloned() else {
                break;
            };
            self.remove(&victim);
        }
        self.bytes += size;
        self.map.insert(id, served);
    }
}

/// The caller of an admin action, for the audit trail and revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Token name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// An admin token's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// May read.
    ReadOnly,
    /// May also change devices, reset them and issue credentials.
    Operator,
    /// May do everything.
    Admin,
}

impl Role {
    /// From the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read-only" => Some(Role::ReadOnly),
            "operator" => Some(Role::Operator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ReadOnly => "read-only",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }
}

/// Clusters waiting for their secrets, and the workers making them.
#[derive(Debug, Default)]
struct GenQueue {
    queue: std::collections::VecDeque<(String, talgen_contract::Contract)>,
    running: usize,
}

/// The sealed part of a device row.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceSpec {
    install_disk: Option<String>,
    network: Option<serde_json::Value>,
    patches: Vec<String>,
    vmid: Option<u32>,
}

const HASH_KEY: &str = "hash-key";
/// Lifetime of credentials issued through the API unless asked otherwise.
const DEFAULT_CREDENTIAL_TTL: &str = "1h";
const MAX_CREDENTIAL_TTL: std::time::Duration = std::time::Duration::from_secs(8760 * 3600);
const HASH_KEY_CONTEXT: &str = "server/hash-key";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Unix milliseconds as RFC 3339.
pub(crate) fn time_text(ms: i64) -> String {
    let t = if ms >= 0 {
        UNIX_EPOCH + std::time::Duration::from_millis(ms.unsigned_abs())
    } else {
        UNIX_EPOCH
    };
    talgen_pki::rfc3339(t)
}

fn cluster_context(name: &str) -> String {
    format!("cluster/{name}")
}

fn prefix_contains((net, bits): (IpAddr, u8), addr: IpAddr) -> bool {
    let addr = addr.to_canonical();
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(bits.min(32)))
                .unwrap_or(0);
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(bits.min(128)))
                .unwrap_or(0);
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

fn parse_cidrs(list: &[String]) -> Result<Vec<(IpAddr, u8)>, ApiError> {
    list.iter()
        .map(|c| {
            talgen_gourl::netip::parse_prefix(c)
                .map_err(|e| ApiError::Invalid(format!("sourceCidrs: {e}")))
        })
        .collect()
}

fn check_hostname(name: &str) -> Result<(), ApiError> {
    if name.len() <= 253 && name.split('.').all(is_valid_id) && !name.ends_with('-') {
        Ok(())
    } else {
        Err(ApiError::Invalid(format!(
            "hostname {name:?} is not valid: dot-separated labels of lowercase letters, digits \
             and hyphens"
        )))
    }
}

/// The config server: one per process, shared by every request.
pub struct Service {
    store: Arc<dyn Store>,
    keys: Keyring,
    hasher: SecretHasher,
    config: ServiceConfig,
    cache: RwLock<Cache>,
    failures: Mutex<Failures>,
    metrics: crate::metrics::Metrics,
    write_lock: Mutex<()>,
    fetch_log: Mutex<Option<mpsc::Sender<LogMsg>>>,
    logger: Mutex<Option<std::thread::JoinHandle<()>>>,
    validation: Mutex<HashMap<String, Arc<talgen_secrets::Bundle>>>,
    generating: Mutex<GenQueue>,
    generation_idle: std::sync::Condvar,
    me: std::sync::Weak<Service>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("keys", &self.keys.ids())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Opens the server over `store`: checks that one of `keys` opens it (a
    /// new database is initialised with the primary key) and starts the
    /// fetch logger.
    ///
    /// # Errors
    /// [`ApiError::Internal`] when the master key does not match the
    /// database, or storage fails.
    pub fn open(
        store: Arc<dyn Store>,
        keys: impl Into<Keyring>,
        config: ServiceConfig,
    ) -> Result<Arc<Self>, ApiError> {
        let keys = keys.into();
        // Replicas opening a new database together must agree on one key.
        let first_writer = store.lock_writers()?;
        let hash_key = match store.meta(HASH_KEY)? {
            Some(wrapped) => keys.unwrap(&wrapped, HASH_KEY_CONTEXT, None).map_err(|_| {
                ApiError::Internal(format!(
                    "the master key ({}) does not open this database",
                    keys.ids().join(", ")
                ))
            })?,
            None => {
                let key = DataKey::generate()?;
                let wrapped = keys.primary().wrap(&key, HASH_KEY_CONTEXT)?;
                store.write(&[Write::PutMeta(HASH_KEY.to_owned(), wrapped)])?;
                key
            }
        };
        drop(first_writer);
        let (tx, rx) = mpsc::channel::<LogMsg>();
        let log_store = Arc::clone(&store);
        let logger = std::thread::Builder::new()
            .name("talgen-fetch-log".into())
            .spawn(move || fetch_logger(&*log_store, &rx))
            .map_err(|e| ApiError::Internal(format!("starting the fetch logger: {e}")))?;
        let service = Arc::new_cyclic(|me| Service {
            store,
            hasher: SecretHasher::new(hash_key.bytes()),
            keys,
            config,
            cache: RwLock::new(Cache::default()),
            failures: Mutex::new(Failures::default()),
            metrics: crate::metrics::Metrics::default(),
            write_lock: Mutex::new(()),
            fetch_log: Mutex::new(Some(tx)),
            logger: Mutex::new(Some(logger)),
            validation: Mutex::new(HashMap::new()),
            generating: Mutex::new(GenQueue::default()),
            generation_idle: std::sync::Condvar::new(),
            me: me.clone(),
        });
        let me = Arc::downgrade(&service);
        service
            .store
            .watch(Box::new(move |change| match me.upgrade() {
                Some(s) => {
                    s.forget(&change);
                    true
                }
                None => false,
            }))?;
        service.resume_generation()?;
        Ok(service)
    }

    /// The server's metrics.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    /// The storage engine.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Waits for background work (secrets generation) and flushes the
    /// fetch log: every fetch answered so far is stored when it returns.
    /// Secrets not started yet are left for the next start, which
    /// resumes them.
    pub fn shutdown(&self) {
        lock(&self.generating).queue.clear();
        self.wait_idle();
        drop(lock(&self.fetch_log).take());
        if let Some(h) = lock(&self.logger).take() {
            let _ = h.join();
        }
    }

    /// Blocks until no secrets are being generated (tests, `fleet apply`).
    pub fn wait_idle(&self) {
        let mut q = lock(&self.generating);
        while q.running > 0 || !q.queue.is_empty() {
            q = self
                .generation_idle
                .wait(q)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Serialises read-modify-write sections: this process's mutex, then
    /// the engine's lock across processes (replicas sharing a database).
    fn writing(&self) -> Result<(MutexGuard<'_, ()>, WriterGuard), ApiError> {
        let local = lock(&self.write_lock);
        let shared = self.store.lock_writers()?;
        Ok((local, shared))
    }

    // ---- tokens ----

    /// Stores (or replaces) a token by name with `role`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn put_token(&self, name: &str, role: Role, token: &Secret) -> Result<(), ApiError> {
        let _w = self.writing()?;
        self.store.write(&[
            Write::PutToken(crate::store::TokenRow {
                name: name.to_owned(),
                role: role.as_str().to_owned(),
                hash: self.hasher.hash(Purpose::Token, token.expose()).to_vec(),
                created_at: now_ms(),
            }),
            Write::Audit(audit("server", "token.put", name, role.as_str())),
        ])?;
        Ok(())
    }

    /// The actor a bearer token belongs to. Every stored token is compared
    /// in constant time.
    ///
    /// # Errors
    /// [`ApiError::Unauthorized`] for an unknown token.
    pub fn authenticate(&self, token: &str) -> Result<Actor, ApiError> {
        let hash = self.hasher.hash(Purpose::Token, token);
        let mut found = None;
        for t in self.store.tokens()? {
            if bool::from(subtle::ConstantTimeEq::ct_eq(
                hash.as_slice(),
                t.hash.as_slice(),
            )) {
                found = Role::parse(&t.role).map(|role| Actor { name: t.name, role });
            }
        }
        found.ok_or(ApiError::Unauthorized)
    }

    // ---- clusters ----

    fn validation_secrets(
        &self,
        contract: talgen_contract::Contract,
    ) -> Result<Arc<talgen_secrets::Bundle>, ApiError> {
        let key = contract.to_string();
        if let Some(b) = lock(&self.validation).get(&key) {
            return Ok(Arc::clone(b));
        }
        let bundle = Arc::new(
            talgen_secrets::Bundle::generate(contract, talgen_secrets::Clock::fixed_now())
                .map_err(|e| ApiError::Internal(format!("generating secrets: {e}")))?,
        );
        lock(&self.validation).insert(key, Arc::clone(&bundle));
        Ok(bundle)
    }

    /// Checks cluster inputs by rendering a worker and a control plane
    /// with throw-away secrets of the same contract.
    fn dry_run(&self, cluster: &ClusterInputs) -> Result<(), ApiError> {
        talgen_generate::validate_cluster_endpoint(&cluster.endpoint)
            .map_err(|e| ApiError::Invalid(format!("endpoint: {e}")))?;
        let secrets = self.validation_secrets(render::contract(&cluster.talos_version)?)?;
        for role in [RoleName::Controlplane, RoleName::Worker] {
            let inputs = Inputs {
                cluster: cluster.clone(),
                device: DeviceInputs {
                    hostname: "talgen-check".to_owned(),
                    role,
                    install_disk: None,
                    network: None,
                    patches: Vec::new(),
                },
            };
            render::render(&inputs, &secrets)?;
        }
        Ok(())
    }

    fn cluster_row(&self, name: &str) -> Result<ClusterRow, ApiError> {
        self.store
            .cluster(name)?
            .ok_or_else(|| ApiError::NotFound(format!("no cluster {name}")))
    }

    fn cluster_inputs(&self, row: &ClusterRow, key: &DataKey) -> Result<ClusterInputs, ApiError> {
        let patches = key.open(&format!("cluster/{}/patches", row.name), &row.patches)?;
        let patches: Vec<String> = serde_json::from_slice(&patches)
            .map_err(|e| ApiError::Internal(format!("cluster {} patches: {e}", row.name)))?;
        Ok(ClusterInputs {
            name: row.name.clone(),
            endpoint: row.endpoint.clone(),
            talos_version: row.talos_version.clone(),
            kubernetes_version: row.kubernetes_version.clone(),
            install_image: row.install_image.clone(),
            patches,
        })
    }

    fn data_key(&self, row: &ClusterRow) -> Result<DataKey, ApiError> {
        Ok(self.keys.unwrap(
            &row.wrapped_key,
            &cluster_context(&row.name),
            Some(&row.key_id),
        )?)
    }

    fn secrets(
        &self,
        row: &ClusterRow,
        key: &DataKey,
    ) -> Result<Option<talgen_secrets::Bundle>, ApiError> {
        let Some(sealed) = &row.secrets else {
            return Ok(None);
        };
        let text = key.open(&format!("cluster/{}/secrets", row.name), sealed)?;
        let text = String::from_utf8(text)
            .map_err(|_| ApiError::Internal(format!("cluster {} secrets: not UTF-8", row.name)))?;
        talgen_secrets::Bundle::from_yaml_unvalidated(&text)
            .map(Some)
            .map_err(|e| ApiError::Internal(format!("cluster {} secrets: {e}", row.name)))
    }

    fn cluster_view(&self, row: &ClusterRow) -> Result<ClusterView, ApiError> {
        let key = self.data_key(row)?;
        let inputs = self.cluster_inputs(row, &key)?;
        Ok(ClusterView {
            name: row.name.clone(),
            endpoint: row.endpoint.clone(),
            talos_version: row.talos_version.clone(),
            kubernetes_version: row.kubernetes_version.clone(),
            install_image: row.install_image.clone(),
            patches: inputs.patches,
            source_cidrs: serde_json::from_str(&row.source_cidrs).unwrap_or_default(),
            secrets: if row.secrets.is_some() {
                "ready"
            } else {
                "generating"
            }
            .to_owned(),
            created_at: time_text(row.created_at),
            updated_at: time_text(row.updated_at),
        })
    }

    /// Creates a cluster. Its secrets are adopted from the request, or
    /// generated in the background (an RSA-era contract takes about half
    /// a second); devices get their first revision when they are ready.
    ///
    /// # Errors
    /// [`ApiError::Invalid`] / [`ApiError::Unprocessable`] for bad input,
    /// [`ApiError::Conflict`] when the name is taken.
    pub fn create_cluster(
        &self,
        actor: &Actor,
        req: ClusterCreate,
    ) -> Result<ClusterView, ApiError> {
        check_id("cluster name", &req.name)?;
        let contract = render::contract(&req.talos_version)?;
        parse_cidrs(&req.source_cidrs)?;
        let inputs = ClusterInputs {
            name: req.name.clone(),
            endpoint: req.endpoint.clone(),
            talos_version: contract.to_string(),
            kubernetes_version: req.kubernetes_version.clone(),
            install_image: req.install_image.clone().filter(|s| !s.is_empty()),
            patches: render::patch_texts("patches", &req.patches)?,
        };
        self.dry_run(&inputs)?;
        let adopted = match &req.secrets {
            Some(text) => {
                let bundle = talgen_secrets::Bundle::from_yaml(text)
                    .map_err(|e| ApiError::Invalid(format!("secrets: {e}")))?;
                Some(
                    bundle
                        .to_yaml()
                        .map_err(|e| ApiError::Invalid(format!("secrets: {e}")))?,
                )
            }
            None => None,
        };
        let key = DataKey::generate()?;
        let now = now_ms();
        let row = ClusterRow {
            name: req.name.clone(),
            endpoint: inputs.endpoint.clone(),
            talos_version: inputs.talos_version.clone(),
            kubernetes_version: inputs.kubernetes_version.clone(),
            install_image: inputs.install_image.clone(),
            source_cidrs: serde_json::to_string(&req.source_cidrs).unwrap_or_else(|_| "[]".into()),
            key_id: self.keys.primary().id().to_owned(),
            wrapped_key: self
                .keys
                .primary()
                .wrap(&key, &cluster_context(&req.name))?,
            patches: key.seal(
                &format!("cluster/{}/patches", req.name),
                &serde_json::to_vec(&inputs.patches).unwrap_or_default(),
            )?,
            secrets: match &adopted {
                Some(text) => {
                    Some(key.seal(&format!("cluster/{}/secrets", req.name), text.as_bytes())?)
                }
                None => None,
            },
            created_at: now,
            updated_at: now,
        };
        {
            let _w = self.writing()?;
            self.store.write(&[
                Write::InsertCluster(row.clone()),
                Write::Audit(audit(
                    &actor.name,
                    "cluster.create",
                    &req.name,
                    if adopted.is_some() {
                        "secrets adopted"
                    } else {
                        "secrets generated"
                    },
                )),
            ])?;
        }
        if adopted.is_none() {
            self.spawn_generation(req.name.clone(), contract);
        }
        self.cluster_view(&row)
    }

    /// Queues a cluster's secrets; at most one worker per core makes them
    /// (a fleet of thousands of clusters must not start thousands of
    /// threads), off the request path.
    fn spawn_generation(&self, name: String, contract: talgen_contract::Contract) {
        let Some(me) = self.me.upgrade() else { return };
        let mut q = lock(&self.generating);
        q.queue.push_back((name, contract));
        let workers = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        if q.running >= workers {
            return;
        }
        q.running += 1;
        let spawned = std::thread::Builder::new()
            .name("talgen-secrets".into())
            .spawn(move || me.generation_worker());
        if let Err(e) = spawned {
            q.running -= 1;
            tracing::error!(error = %e, "cannot start secrets generation");
        }
    }

    fn generation_worker(&self) {
        loop {
            let job = {
                let mut q = lock(&self.generating);
                match q.queue.pop_front() {
                    Some(job) => job,
                    None => {
                        q.running -= 1;
                        self.generation_idle.notify_all();
                        return;
                    }
                }
            };
            let (name, contract) = job;
            if let Err(e) = self.generate_secrets(&name, contract) {
                tracing::error!(cluster = %name, error = %e, "generating cluster secrets failed");
            }
        }
    }

    /// Restarts generation for clusters left without secrets by a stop.
    fn resume_generation(&self) -> Result<(), ApiError> {
        for row in self.store.clusters()? {
            if row.secrets.is_none() {
                self.spawn_generation(row.name.clone(), render::contract(&row.talos_version)?);
            }
        }
        Ok(())
    }

    fn generate_secrets(
        &self,
        name: &str,
        contract: talgen_contract::Contract,
    ) -> Result<(), ApiError> {
        let bundle = talgen_secrets::Bundle::generate(contract, talgen_secrets::Clock::fixed_now())
            .map_err(|e| ApiError::Internal(format!("generating secrets: {e}")))?;
        let text = bundle
            .to_yaml()
            .map_err(|e| ApiError::Internal(format!("encoding secrets: {e}")))?;
        let _w = self.writing()?;
        let Some(mut row) = self.store.cluster(name)? else {
            return Ok(()); // deleted meanwhile
        };
        if row.secrets.is_some() {
            return Ok(());
        }
        let key = self.data_key(&row)?;
        row.secrets = Some(key.seal(&format!("cluster/{name}/secrets"), text.as_bytes())?);
        row.updated_at = now_ms();
        let mut writes = vec![Write::UpdateCluster(row.clone())];
        let cluster = self.cluster_inputs(&row, &key)?;
        let secrets = talgen_secrets::Bundle::from_yaml_unvalidated(&text)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let rendered = render::rendered_cluster(&cluster, secrets)?;
        let mut touched = Vec::new();
        for mut dev in self.store.devices(Some(name))? {
            if dev.revision.is_some() {
                continue;
            }
            let device = self.device_inputs(&dev, &key)?;
            match self.new_revision(&dev, &key, &cluster, device, &rendered, "created", "server") {
                Ok(rev) => {
                    dev.revision = Some(rev.number);
                    touched.push(dev.id.clone());
                    writes.push(Write::InsertRevision(rev));
                    writes.push(Write::UpdateDevice(dev));
                }
                Err(e) => tracing::warn!(device = %dev.id, error = %e, "device does not render"),
            }
        }
        writes.push(Write::Audit(audit(
            "server",
            "cluster.secrets",
            name,
            "generated",
        )));
        self.store.write(&writes)?;
        self.invalidate(&touched);
        Ok(())
    }

    /// One cluster.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn get_cluster(&self, name: &str) -> Result<ClusterView, ApiError> {
        self.cluster_view(&self.cluster_row(name)?)
    }

    /// Every cluster.
    ///
    /// # Errors
    /// Storage errors.
    pub fn list_clusters(&self) -> Result<Vec<ClusterView>, ApiError> {
        self.store
            .clusters()?
            .iter()
            .map(|r| self.cluster_view(r))
            .collect()
    }

    /// Changes a cluster and re-renders its devices whose inputs changed
    /// (an upgrade of installer or Kubernetes version reaches every node).
    ///
    /// # Errors
    /// [`ApiError::Conflict`] for a contract change without `force`, and
    /// the errors of creation.
    pub fn update_cluster(
        &self,
        actor: &Actor,
        name: &str,
        req: ClusterUpdate,
    ) -> Result<ClusterView, ApiError> {
        let _w = self.writing()?;
        let mut row = self.cluster_row(name)?;
        let key = self.data_key(&row)?;
        let mut inputs = self.cluster_inputs(&row, &key)?;
        if let Some(v) = &req.talos_version {
            let wanted = render::contract(v)?.to_string();
            if wanted != row.talos_version && !req.force {
                return Err(ApiError::Conflict(format!(
                    "cluster {name}: its secrets were made for {}; moving to {wanted} needs \
                     \"force\": true (configs from a newer contract can break older nodes)",
                    row.talos_version
                )));
            }
            inputs.talos_version = wanted;
        }
        if let Some(v) = &req.endpoint {
            inputs.endpoint.clone_from(v);
        }
        if let Some(v) = &req.kubernetes_version {
            inputs.kubernetes_version.clone_from(v);
        }
        if let Some(v) = &req.install_image {
            inputs.install_image = Some(v.clone()).filter(|s| !s.is_empty());
        }
        if let Some(p) = &req.patches {
            inputs.patches = render::patch_texts("patches", p)?;
        }
        if let Some(c) = &req.source_cidrs {
            parse_cidrs(c)?;
            row.source_cidrs = serde_json::to_string(c).unwrap_or_else(|_| "[]".into());
        }
        self.dry_run(&inputs)?;
        row.endpoint.clone_from(&inputs.endpoint);
        row.talos_version.clone_from(&inputs.talos_version);
        row.kubernetes_version
            .clone_from(&inputs.kubernetes_version);
        row.install_image.clone_from(&inputs.install_image);
        row.patches = key.seal(
            &format!("cluster/{name}/patches"),
            &serde_json::to_vec(&inputs.patches).unwrap_or_default(),
        )?;
        row.updated_at = now_ms();
        let mut writes = vec![Write::UpdateCluster(row.clone())];
        let mut touched = Vec::new();
        if let Some(secrets) = self.secrets(&row, &key)? {
            let rendered = render::rendered_cluster(&inputs, secrets)?;
            for mut dev in self.store.devices(Some(name))? {
                let Some(current) = dev.revision else {
                    continue;
                };
                let device = self.device_inputs(&dev, &key)?;
                let rev = self.new_revision(
                    &dev,
                    &key,
                    &inputs,
                    device,
                    &rendered,
                    "cluster updated",
                    &actor.name,
                )?;
                let same = self
                    .store
                    .revision(&dev.id, current)?
                    .is_some_and(|r| r.inputs_sha256 == rev.inputs_sha256);
                if !same {
                    dev.revision = Some(rev.number);
                    touched.push(dev.id.clone());
                    writes.push(Write::InsertRevision(rev));
                    writes.push(Write::UpdateDevice(dev));
                }
            }
        } else {
            touched = self
                .store
                .devices(Some(name))?
                .into_iter()
                .map(|d| d.id)
                .collect();
        }
        writes.push(Write::Audit(audit(
            &actor.name,
            "cluster.update",
            name,
            &format!("{} devices re-rendered", touched.len()),
        )));
        self.store.write(&writes)?;
        self.invalidate(&touched);
        self.cluster_view(&row)
    }

    /// Deletes a cluster that has no devices left.
    ///
    /// # Errors
    /// [`ApiError::Conflict`] while devices remain, [`ApiError::NotFound`].
    pub fn delete_cluster(&self, actor: &Actor, name: &str) -> Result<(), ApiError> {
        let _w = self.writing()?;
        self.cluster_row(name)?;
        let devices = self.store.devices(Some(name))?;
        if !devices.is_empty() {
            return Err(ApiError::Conflict(format!(
                "cluster {name} still has {} devices: delete or move them first",
                devices.len()
            )));
        }
        self.store.write(&[
            Write::DeleteCluster(name.to_owned()),
            Write::Audit(audit(&actor.name, "cluster.delete", name, "")),
        ])?;
        Ok(())
    }

    // ---- credentials ----

    fn rendered_cluster(&self, name: &str) -> Result<talgen_fleet::RenderedCluster, ApiError> {
        let row = self.cluster_row(name)?;
        let key = self.data_key(&row)?;
        let secrets = self.secrets(&row, &key)?.ok_or_else(|| {
            ApiError::Unavailable(format!("cluster {name} secrets are being made"))
        })?;
        let inputs = self.cluster_inputs(&row, &key)?;
        render::rendered_cluster(&inputs, secrets)
    }

    fn credential_ttl(req: &CredentialsRequest) -> Result<std::time::Duration, ApiError> {
        let text = req.ttl.as_deref().unwrap_or(DEFAULT_CREDENTIAL_TTL);
        let nanos = talgen_gourl::duration::parse(text)
            .map_err(|e| ApiError::Invalid(format!("ttl: {e}")))?;
        let ttl = std::time::Duration::from_nanos(u64::try_from(nanos).unwrap_or(0));
        if ttl.is_zero() || ttl > MAX_CREDENTIAL_TTL {
            return Err(ApiError::Invalid(format!(
                "ttl {text}: give a positive duration of at most 8760h"
            )));
        }
        Ok(ttl)
    }

    /// A fresh talosconfig for a cluster; the issue is audited.
    ///
    /// # Errors
    /// [`ApiError::Invalid`] for a bad TTL or role, [`ApiError::NotFound`],
    /// [`ApiError::Unavailable`] while its secrets are being made.
    pub fn talosconfig(
        &self,
        actor: &Actor,
        name: &str,
        req: &CredentialsRequest,
    ) -> Result<String, ApiError> {
        let ttl = Self::credential_ttl(req)?;
        let roles = match &req.roles {
            Some(r) => talgen_client::Roles::parse(r)
                .map_err(|e| ApiError::Invalid(format!("roles: {e}")))?,
            None => talgen_client::Roles::default(),
        };
        let endpoints = match &req.endpoints {
            Some(e) => e.clone(),
            None => self.control_plane_addresses(name)?,
        };
        let rendered = self.rendered_cluster(name)?;
        let options = talgen_client::TalosconfigOptions {
            endpoints,
            nodes: Vec::new(),
            roles,
            crt_ttl: ttl,
        };
        let text = rendered
            .bundle()
            .talosconfig_with(&options)
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .to_yaml()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        self.audit_issue(actor, "credentials.talosconfig", name, ttl)?;
        Ok(text)
    }

    /// A fresh admin kubeconfig for a cluster; the issue is audited.
    ///
    /// # Errors
    /// As [`Service::talosconfig`].
    pub fn kubeconfig(
        &self,
        actor: &Actor,
        name: &str,
        req: &CredentialsRequest,
    ) -> Result<String, ApiError> {
        if req.roles.is_some() || req.endpoints.is_some() {
            return Err(ApiError::Invalid("a kubeconfig takes only ttl".to_owned()));
        }
        let ttl = Self::credential_ttl(req)?;
        let rendered = self.rendered_cluster(name)?;
        let options = talgen_client::KubeconfigOptions {
            crt_ttl: ttl,
            issuance: talgen_client::Issuance::Random,
        };
        let text = rendered
            .bundle()
            .kubeconfig(&options)
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .to_yaml();
        self.audit_issue(actor, "credentials.kubeconfig", name, ttl)?;
        Ok(text)
    }

    fn audit_issue(
        &self,
        actor: &Actor,
        action: &str,
        cluster: &str,
        ttl: std::time::Duration,
    ) -> Result<(), ApiError> {
        let nanos = i64::try_from(ttl.as_nanos()).unwrap_or(i64::MAX);
        let _w = self.writing()?;
        self.store.write(&[Write::Audit(audit(
            &actor.name,
            action,
            cluster,
            &format!("ttl {}", talgen_gourl::duration::format(nanos)),
        ))])?;
        Ok(())
    }

    /// The audit trail, newest first.
    ///
    /// # Errors
    /// Storage errors.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditRow>, ApiError> {
        Ok(self.store.audit(limit)?)
    }

    /// Static addresses of a cluster's control-plane devices (short network
    /// form), as talosconfig endpoints.
    fn control_plane_addresses(&self, cluster: &str) -> Result<Vec<String>, ApiError> {
        let row = self.cluster_row(cluster)?;
        let key = self.data_key(&row)?;
        let mut out = Vec::new();
        for dev in self.store.devices(Some(cluster))? {
            if dev.role != "controlplane" {
                continue;
            }
            let spec = self.spec(&dev, &key)?;
            let ips = match spec.network.as_ref().and_then(|n| n.get("ip")) {
                Some(serde_json::Value::String(s)) => vec![s.clone()],
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            out.extend(
                ips.into_iter()
                    .filter_map(|ip| ip.split('/').next().map(str::to_owned)),
            );
        }
        Ok(out)
    }

    // ---- devices ----

    fn device_row(&self, id: &str) -> Result<DeviceRow, ApiError> {
        self.store
            .device(id)?
            .ok_or_else(|| ApiError::NotFound(format!("no device {id}")))
    }

    fn spec(&self, row: &DeviceRow, key: &DataKey) -> Result<DeviceSpec, ApiError> {
        let raw = key.open(&format!("device/{}/spec", row.id), &row.spec)?;
        serde_json::from_slice(&raw)
            .map_err(|e| ApiError::Internal(format!("device {} spec: {e}", row.id)))
    }

    fn device_inputs(&self, row: &DeviceRow, key: &DataKey) -> Result<DeviceInputs, ApiError> {
        let spec = self.spec(row, key)?;
        Ok(DeviceInputs {
            hostname: row.hostname.clone(),
            role: if row.role == "controlplane" {
                RoleName::Controlplane
            } else {
                RoleName::Worker
            },
            install_disk: spec.install_disk,
            network: spec.network,
            patches: spec.patches,
        })
    }

    fn device_view(&self, row: &DeviceRow, key: &DataKey) -> Result<DeviceView, ApiError> {
        let inputs = self.device_inputs(row, key)?;
        Ok(DeviceView {
            id: row.id.clone(),
            cluster: row.cluster.clone(),
            role: inputs.role,
            hostname: row.hostname.clone(),
            install_disk: inputs.install_disk,
            network: inputs.network,
            patches: inputs.patches,
            state: DeviceState::parse(&row.state).unwrap_or(DeviceState::Pending),
            revision: row.revision,
            last_fetch: None,
            created_at: time_text(row.created_at),
            updated_at: time_text(row.updated_at),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn new_revision(
        &self,
        dev: &DeviceRow,
        key: &DataKey,
        cluster: &ClusterInputs,
        device: DeviceInputs,
        rendered: &talgen_fleet::RenderedCluster,
        reason: &str,
        actor: &str,
    ) -> Result<RevisionRow, ApiError> {
        let inputs = Inputs {
            cluster: cluster.clone(),
            device,
        };
        let started = std::time::Instant::now();
        let files = render::render_node(rendered, &inputs)?;
        self.metrics.render(started.elapsed());
        // A new revision always becomes the device's current one, so the
        // current number is the highest.
        let number = dev.revision.map_or(1, |n| n + 1);
        self.revision_row(&dev.id, number, key, &inputs, &files, reason, actor)
    }

    #[allow(clippy::too_many_arguments)]
    fn revision_row(
        &self,
        device: &str,
        number: i64,
        key: &DataKey,
        inputs: &Inputs,
        files: &Files,
        reason: &str,
        actor: &str,
    ) -> Result<RevisionRow, ApiError> {
        let (json, inputs_sha256) = inputs.to_json_and_hash();
        let (file_sha256, sha256) = files.hashes();
        let seal =
            |what: &str, bytes: &[u8]| key.seal(&format!("device/{device}/{number}/{what}"), bytes);
        Ok(RevisionRow {
            device: device.to_owned(),
            number,
            inputs_sha256,
            sha256,
            file_sha256,
            inputs: seal("inputs", &json)?,
            files: [
                seal("user-data", &files.user_data)?,
                seal("meta-data", &files.meta_data)?,
                seal("network-config", &files.network_config)?,
            ],
            reason: reason.to_owned(),
            actor: actor.to_owned(),
            created_at: now_ms(),
        })
    }

    fn open_files(&self, rev: &RevisionRow, key: &DataKey) -> Result<Files, ApiError> {
        let open = |what: &str, i: usize| {
            key.open(
                &format!("device/{}/{}/{what}", rev.device, rev.number),
                rev.files.get(i).map_or(&[][..], |v| v.as_slice()),
            )
        };
        Ok(Files {
            user_data: open("user-data", 0)?,
            meta_data: open("meta-data", 1)?,
            network_config: open("network-config", 2)?,
        })
    }

    fn credentials(
        &self,
        id: &str,
        hostname: &str,
        secret: &Secret,
        vmid: Option<u32>,
    ) -> Result<SmbiosView, ApiError> {
        let url = format!(
            "{}{}/{id}/",
            self.config.public_url.trim_end_matches('/'),
            self.config.prefix
        );
        let serial = talgen_nocloud::SmbiosSerial::with_credentials(
            &url,
            hostname,
            Some((id, secret.expose())),
        )
        .map_err(|e| ApiError::Invalid(format!("seed URL {url}: {e}")))?;
        Ok(SmbiosView {
            serial: serial.serial(),
            base64: serial.base64(),
            qm: serial.qm_set(vmid, None),
        })
    }

    /// Registers a device and, when its cluster's secrets exist, renders
    /// its first revision. The answer holds its secret, shown only here.
    ///
    /// # Errors
    /// [`ApiError::Invalid`], [`ApiError::Unprocessable`] (no such cluster,
    /// a patch that does not apply), [`ApiError::Conflict`].
    pub fn create_device(
        &self,
        actor: &Actor,
        req: DeviceCreate,
    ) -> Result<DeviceCredentials, ApiError> {
        check_id("device id", &req.id)?;
        check_hostname(&req.hostname)?;
        let patches = render::patch_texts("patches", &req.patches)?;
        render::network(req.network.as_ref())?;
        let _w = self.writing()?;
        let cluster = self
            .store
            .cluster(&req.cluster)?
            .ok_or_else(|| ApiError::Unprocessable(format!("no cluster {}", req.cluster)))?;
        let key = self.data_key(&cluster)?;
        let spec = DeviceSpec {
            install_disk: req.install_disk.clone().filter(|s| !s.is_empty()),
            network: req.network.clone(),
            patches,
            vmid: req.vmid,
        };
        let secret = Secret::generate().map_err(|e| ApiError::Internal(e.to_string()))?;
        let now = now_ms();
        let mut row = DeviceRow {
            id: req.id.clone(),
            cluster: req.cluster.clone(),
            role: req.role.as_str().to_owned(),
            hostname: req.hostname.clone(),
            state: req.state.unwrap_or(DeviceState::Active).as_str().to_owned(),
            secret_hash: self.hasher.hash(Purpose::Device, secret.expose()).to_vec(),
            spec: key.seal(
                &format!("device/{}/spec", req.id),
                &serde_json::to_vec(&spec).unwrap_or_default(),
            )?,
            revision: None,
            created_at: now,
            updated_at: now,
        };
        let smbios = self.credentials(&row.id, &row.hostname, &secret, spec.vmid)?;
        let cluster_inputs = self.cluster_inputs(&cluster, &key)?;
        let device_inputs = self.device_inputs(&row, &key)?;
        let mut writes = Vec::new();
        let mut revision = None;
        match self.secrets(&cluster, &key)? {
            Some(secrets) => {
                let inputs = Inputs {
                    cluster: cluster_inputs,
                    device: device_inputs,
                };
                let started = std::time::Instant::now();
                let files = render::render(&inputs, &secrets)?;
                self.metrics.render(started.elapsed());
                row.revision = Some(1);
                revision = Some(self.revision_row(
                    &row.id,
                    1,
                    &key,
                    &inputs,
                    &files,
                    "created",
                    &actor.name,
                )?);
            }
            None => {
                // Check the device's own patches against throw-away secrets now.
                let secrets = self.validation_secrets(render::contract(&cluster.talos_version)?)?;
                render::render(
                    &Inputs {
                        cluster: cluster_inputs,
                        device: device_inputs,
                    },
                    &secrets,
                )?;
            }
        }
        writes.push(Write::InsertDevice(row.clone()));
        if let Some(rev) = revision {
            writes.push(Write::InsertRevision(rev));
        }
        writes.push(Write::Audit(audit(
            &actor.name,
            "device.create",
            &row.id,
            &row.cluster,
        )));
        self.store.write(&writes)?;
        self.invalidate(std::slice::from_ref(&row.id));
        Ok(DeviceCredentials {
            device: self.device_view(&row, &key)?,
            secret: secret.expose().to_owned(),
            smbios,
        })
    }

    /// One device.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn get_device(&self, id: &str) -> Result<DeviceView, ApiError> {
        let row = self.device_row(id)?;
        let cluster = self.cluster_row(&row.cluster)?;
        let mut view = self.device_view(&row, &self.data_key(&cluster)?)?;
        view.last_fetch = self.fetches(id, 1)?.into_iter().next();
        Ok(view)
    }

    /// Devices, of one cluster when given.
    ///
    /// # Errors
    /// Storage errors.
    pub fn list_devices(&self, cluster: Option<&str>) -> Result<Vec<DeviceView>, ApiError> {
        let mut keys: HashMap<String, DataKey> = HashMap::new();
        let mut out = Vec::new();
        self.flush_fetch_log();
        let mut last: HashMap<String, FetchRow> = self
            .store
            .last_fetches()?
            .into_iter()
            .map(|f| (f.device.clone(), f))
            .collect();
        for row in self.store.devices(cluster)? {
            if !keys.contains_key(&row.cluster) {
                let c = self.cluster_row(&row.cluster)?;
                keys.insert(row.cluster.clone(), self.data_key(&c)?);
            }
            if let Some(key) = keys.get(&row.cluster) {
                let mut view = self.device_view(&row, key)?;
                view.last_fetch = last.remove(&row.id).map(fetch_view);
                out.push(view);
            }
        }
        Ok(out)
    }

    /// Changes a device; a change to what it renders from makes a new
    /// revision.
    ///
    /// # Errors
    /// As [`Service::create_device`], and [`ApiError::NotFound`].
    pub fn update_device(
        &self,
        actor: &Actor,
        id: &str,
        req: DeviceUpdate,
    ) -> Result<DeviceView, ApiError> {
        if let Some(h) = &req.hostname {
            check_hostname(h)?;
        }
        let patches = req
            .patches
            .as_deref()
            .map(|p| render::patch_texts("patches", p))
            .transpose()?;
        if let Some(n) = &req.network {
            render::network(Some(n))?;
        }
        let _w = self.writing()?;
        let mut row = self.device_row(id)?;
        let cluster = self.cluster_row(&row.cluster)?;
        let key = self.data_key(&cluster)?;
        let mut spec = self.spec(&row, &key)?;
        if let Some(r) = req.role {
            row.role = r.as_str().to_owned();
        }
        if let Some(h) = &req.hostname {
            row.hostname.clone_from(h);
        }
        if let Some(s) = req.state {
            row.state = s.as_str().to_owned();
        }
        if let Some(d) = &req.install_disk {
            spec.install_disk = Some(d.clone()).filter(|s| !s.is_empty());
        }
        if let Some(n) = &req.network {
            spec.network = Some(n.clone());
        }
        if let Some(p) = patches {
            spec.patches = p;
        }
        row.spec = key.seal(
            &format!("device/{id}/spec"),
            &serde_json::to_vec(&spec).unwrap_or_default(),
        )?;
        row.updated_at = now_ms();
        let mut writes = Vec::new();
        if let Some(secrets) = self.secrets(&cluster, &key)? {
            let cluster_inputs = self.cluster_inputs(&cluster, &key)?;
            let device = self.device_inputs(&row, &key)?;
            let rendered = render::rendered_cluster(&cluster_inputs, secrets)?;
            let rev = self.new_revision(
                &row,
                &key,
                &cluster_inputs,
                device,
                &rendered,
                "device updated",
                &actor.name,
            )?;
            let same = match row.revision {
                Some(n) => self
                    .store
                    .revision(id, n)?
                    .is_some_and(|r| r.inputs_sha256 == rev.inputs_sha256),
                None => false,
            };
            if !same {
                row.revision = Some(rev.number);
                writes.push(Write::InsertRevision(rev));
            }
        }
        writes.insert(0, Write::UpdateDevice(row.clone()));
        writes.push(Write::Audit(audit(&actor.name, "device.update", id, "")));
        self.store.write(&writes)?;
        self.invalidate(&[id.to_owned()]);
        self.device_view(&row, &key)
    }

    /// Deletes a device with its revisions and fetch log.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn delete_device(&self, actor: &Actor, id: &str) -> Result<(), ApiError> {
        let _w = self.writing()?;
        self.store.write(&[
            Write::DeleteDevice(id.to_owned()),
            Write::Audit(audit(&actor.name, "device.delete", id, "")),
        ])?;
        self.invalidate(&[id.to_owned()]);
        Ok(())
    }

    /// Resets a device: a fresh revision from the same cluster secrets
    /// (the node rejoins its cluster) and a new secret; the device is
    /// active again. Earlier revisions stay readable.
    ///
    /// # Errors
    /// [`ApiError::NotFound`], [`ApiError::Unavailable`] while the
    /// cluster's secrets are being made.
    pub fn reset_device(&self, actor: &Actor, id: &str) -> Result<DeviceCredentials, ApiError> {
        let _w = self.writing()?;
        let mut row = self.device_row(id)?;
        let cluster = self.cluster_row(&row.cluster)?;
        let key = self.data_key(&cluster)?;
        let secrets = self.secrets(&cluster, &key)?.ok_or_else(|| {
            ApiError::Unavailable(format!("cluster {} secrets are being made", cluster.name))
        })?;
        let secret = Secret::generate().map_err(|e| ApiError::Internal(e.to_string()))?;
        let cluster_inputs = self.cluster_inputs(&cluster, &key)?;
        let device = self.device_inputs(&row, &key)?;
        let rendered = render::rendered_cluster(&cluster_inputs, secrets)?;
        let rev = self.new_revision(
            &row,
            &key,
            &cluster_inputs,
            device,
            &rendered,
            "reset",
            &actor.name,
        )?;
        row.revision = Some(rev.number);
        row.secret_hash = self.hasher.hash(Purpose::Device, secret.expose()).to_vec();
        row.state = DeviceState::Active.as_str().to_owned();
        row.updated_at = now_ms();
        let vmid = self.spec(&row, &key)?.vmid;
        let smbios = self.credentials(&row.id, &row.hostname, &secret, vmid)?;
        self.store.write(&[
            Write::InsertRevision(rev.clone()),
            Write::UpdateDevice(row.clone()),
            Write::Audit(audit(
                &actor.name,
                "device.reset",
                id,
                &format!("revision {}", rev.number),
            )),
        ])?;
        self.invalidate(&[id.to_owned()]);
        Ok(DeviceCredentials {
            device: self.device_view(&row, &key)?,
            secret: secret.expose().to_owned(),
            smbios,
        })
    }

    /// A new revision serving an earlier one's files.
    ///
    /// # Errors
    /// [`ApiError::NotFound`] for an unknown device or revision.
    pub fn rollback(&self, actor: &Actor, id: &str, to: i64) -> Result<RevisionView, ApiError> {
        let _w = self.writing()?;
        let mut row = self.device_row(id)?;
        let cluster = self.cluster_row(&row.cluster)?;
        let key = self.data_key(&cluster)?;
        let old = self
            .store
            .revision(id, to)?
            .ok_or_else(|| ApiError::NotFound(format!("device {id} has no revision {to}")))?;
        let files = self.open_files(&old, &key)?;
        let inputs_json = key.open(&format!("device/{id}/{to}/inputs"), &old.inputs)?;
        let inputs: Inputs = serde_json::from_slice(&inputs_json)
            .map_err(|e| ApiError::Internal(format!("revision {to} inputs: {e}")))?;
        let number = row.revision.map_or(1, |n| n + 1);
        let rev = self.revision_row(
            id,
            number,
            &key,
            &inputs,
            &files,
            &format!("rollback to {to}"),
            &actor.name,
        )?;
        row.revision = Some(number);
        row.updated_at = now_ms();
        self.store.write(&[
            Write::InsertRevision(rev.clone()),
            Write::UpdateDevice(row),
            Write::Audit(audit(
                &actor.name,
                "device.rollback",
                id,
                &format!("to {to} as {number}"),
            )),
        ])?;
        self.invalidate(&[id.to_owned()]);
        Ok(revision_view(&rev))
    }

    /// A device's revisions, newest first.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn revisions(&self, id: &str) -> Result<Vec<RevisionView>, ApiError> {
        self.device_row(id)?;
        Ok(self
            .store
            .revisions(id)?
            .iter()
            .map(revision_view)
            .collect())
    }

    /// One revision with its files.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn revision(&self, id: &str, number: i64) -> Result<RevisionDetail, ApiError> {
        let row = self.device_row(id)?;
        let cluster = self.cluster_row(&row.cluster)?;
        let key = self.data_key(&cluster)?;
        let rev = self
            .store
            .revision(id, number)?
            .ok_or_else(|| ApiError::NotFound(format!("device {id} has no revision {number}")))?;
        let files = self.open_files(&rev, &key)?;
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        Ok(RevisionDetail {
            revision: revision_view(&rev),
            user_data: text(files.user_data),
            meta_data: text(files.meta_data),
            network_config: text(files.network_config),
        })
    }

    /// A unified diff per file between two revisions (empty when equal).
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn diff(&self, id: &str, from: i64, to: i64) -> Result<String, ApiError> {
        let a = self.revision(id, from)?;
        let b = self.revision(id, to)?;
        let mut out = String::new();
        for (name, x, y) in [
            ("user-data", &a.user_data, &b.user_data),
            ("meta-data", &a.meta_data, &b.meta_data),
            ("network-config", &a.network_config, &b.network_config),
        ] {
            out.push_str(&crate::diff::unified(
                &format!("{name}@{from}"),
                &format!("{name}@{to}"),
                x,
                y,
            ));
        }
        Ok(out)
    }

    /// A device's latest fetches, newest first.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn fetches(&self, id: &str, limit: usize) -> Result<Vec<FetchView>, ApiError> {
        self.device_row(id)?;
        self.flush_fetch_log();
        Ok(self
            .store
            .fetches(id, limit)?
            .into_iter()
            .map(fetch_view)
            .collect())
    }

    /// Waits until the fetch logger has stored what it was given.
    pub fn flush_fetch_log(&self) {
        let (tx, rx) = mpsc::channel();
        let sent = lock(&self.fetch_log)
            .as_ref()
            .is_some_and(|log| log.send(LogMsg::Flush(tx)).is_ok());
        if sent {
            let _ = rx.recv_timeout(std::time::Duration::from_secs(10));
        }
    }

    // ---- the fetch path ----

    fn cache(&self) -> std::sync::RwLockWriteGuard<'_, Cache> {
        self.cache.write().unwrap_or_else(|p| p.into_inner())
    }

    fn invalidate(&self, ids: &[String]) {
        let mut cache = self.cache();
        for id in ids {
            cache.remove(id);
        }
        cache.epoch += 1;
    }

    /// Drops every cached device (another replica changed something).
    pub fn invalidate_all(&self) {
        let mut cache = self.cache();
        cache.clear();
        cache.epoch += 1;
    }

    /// Drops what `change` (made elsewhere) makes stale.
    pub fn forget(&self, change: &crate::store::Change) {
        use crate::store::Change;
        match change {
            Change::Device(id) => self.invalidate(std::slice::from_ref(id)),
            Change::Cluster(name) => {
                let mut cache = self.cache();
                cache.remove_cluster(name);
                cache.epoch += 1;
            }
            Change::All => self.invalidate_all(),
        }
    }

    fn load(&self, id: &str) -> Result<Option<Arc<Served>>, ApiError> {
        let epoch = {
            let cache = self.cache.read().unwrap_or_else(|p| p.into_inner());
            if let Some(s) = cache.map.get(id) {
                return Ok(Some(Arc::clone(s)));
            }
            cache.epoch
        };
        let Some(row) = self.store.device(id)? else {
            return Ok(None);
        };
        let cluster = self.cluster_row(&row.cluster)?;
        let key = self.data_key(&cluster)?;
        let cidrs_text: Vec<String> =
            serde_json::from_str(&cluster.source_cidrs).unwrap_or_default();
        let cidrs = parse_cidrs(&cidrs_text)?;
        let state = DeviceState::parse(&row.state).unwrap_or(DeviceState::Pending);
        let mut files: [Option<Arc<Payload>>; 3] = [None, None, None];
        match row.revision {
            Some(n) => {
                let rev = self.store.revision(id, n)?.ok_or_else(|| {
                    ApiError::Internal(format!("device {id}: revision {n} missing"))
                })?;
                let f = self.open_files(&rev, &key)?;
                files = [
                    Some(Arc::new(Payload::new(f.user_data))),
                    Some(Arc::new(Payload::new(f.meta_data))),
                    Some(Arc::new(Payload::new(f.network_config))),
                ];
            }
            None => {
                let (meta, net) = render::seed_only(&self.device_inputs(&row, &key)?)?;
                files[1] = Some(Arc::new(Payload::new(meta)));
                files[2] = Some(Arc::new(Payload::new(net)));
            }
        }
        let served = Arc::new(Served {
            cluster: row.cluster,
            secret_hash: row.secret_hash,
            state,
            cidrs,
            revision: row.revision,
            files,
        });
        // A change committed while this was read leaves it stale: keep it
        // for this answer only.
        let mut cache = self.cache();
        if cache.epoch == epoch {
            cache.insert(id.to_owned(), Arc::clone(&served), self.config.cache_bytes);
        }
        drop(cache);
        Ok(Some(served))
    }

    /// Answers a device's fetch of `file`, with the basic-auth
    /// `credentials` it sent, from `source`; the fetch is logged.
    ///
    /// # Errors
    /// [`ApiError::Unavailable`] when the database cannot be read.
    pub fn fetch(
        &self,
        device: &str,
        file: FileKind,
        credentials: Option<(&str, &str)>,
        source: IpAddr,
    ) -> Result<Fetched, ApiError> {
        let source = source.to_canonical();
        let started = std::time::Instant::now();
        if lock(&self.failures).blocked(source, started) {
            self.metrics.fetch(file.as_str(), "too_many");
            return Ok(Fetched::TooMany);
        }
        let served = if is_valid_id(device) {
            self.load(device)?
        } else {
            None
        };
        let (user, pass) = credentials.unwrap_or(("", ""));
        let secret_ok = self.hasher.verify(
            Purpose::Device,
            pass,
            served.as_ref().map(|s| s.secret_hash.as_slice()),
        );
        let user_ok = bool::from(subtle::ConstantTimeEq::ct_eq(
            user.as_bytes(),
            device.as_bytes(),
        ));
        let outcome = match &served {
            Some(s)
                if secret_ok
                    && user_ok
                    && s.state != DeviceState::Retired
                    && (s.cidrs.is_empty()
                        || s.cidrs.iter().any(|c| prefix_contains(*c, source))) =>
            {
                let held = file == FileKind::UserData && s.state == DeviceState::Pending;
                match s.files.get(file.index()).and_then(Option::as_ref) {
                    Some(p) if !held => Fetched::Ok {
                        payload: Arc::clone(p),
                        revision: s.revision,
                    },
                    _ => Fetched::NotReady,
                }
            }
            _ => Fetched::Unauthorized,
        };
        if matches!(outcome, Fetched::Unauthorized) {
            lock(&self.failures).record(source, started);
        }
        self.metrics.fetch(
            file.as_str(),
            match outcome {
                Fetched::Ok { .. } => "ok",
                Fetched::Unauthorized => "unauthorized",
                Fetched::NotReady => "not_ready",
                Fetched::TooMany => "too_many",
            },
        );
        if served.is_some() {
            let (status, revision) = match &outcome {
                Fetched::Ok { revision, .. } => (200, *revision),
                Fetched::Unauthorized => (401, None),
                Fetched::NotReady => (503, None),
                Fetched::TooMany => (429, None),
            };
            if let Some(log) = lock(&self.fetch_log).as_ref() {
                let _ = log.send(LogMsg::Row(FetchRow {
                    device: device.to_owned(),
                    at: now_ms(),
                    source: source.to_string(),
                    file: file.as_str().to_owned(),
                    revision,
                    status,
                }));
            }
        }
        Ok(outcome)
    }
}

/// Rewraps every cluster's data key and the server's hashing key with the
/// primary key of `keys`, in one transaction; answers how many clusters
/// moved. Servers running with the same key file keep working throughout.
///
/// # Errors
/// [`ApiError::Internal`] when a key does not open with `keys`.
pub fn rotate_master_key(store: &dyn Store, keys: &Keyring) -> Result<usize, ApiError> {
    let _writers = store.lock_writers()?;
    let primary = keys.primary();
    let mut writes = Vec::new();
    if let Some(wrapped) = store.meta(HASH_KEY)? {
        let key = keys.unwrap(&wrapped, HASH_KEY_CONTEXT, None)?;
        writes.push(Write::PutMeta(
            HASH_KEY.to_owned(),
            primary.wrap(&key, HASH_KEY_CONTEXT)?,
        ));
    }
    let mut moved = 0;
    for mut row in store.clusters()? {
        if row.key_id == primary.id() {
            continue;
        }
        let context = cluster_context(&row.name);
        let key = keys.unwrap(&row.wrapped_key, &context, Some(&row.key_id))?;
        row.wrapped_key = primary.wrap(&key, &context)?;
        row.key_id = primary.id().to_owned();
        writes.push(Write::UpdateCluster(row));
        moved += 1;
    }
    writes.push(Write::Audit(audit(
        "server",
        "master-key.rotate",
        primary.id(),
        &format!("{moved} clusters"),
    )));
    store.write(&writes)?;
    Ok(moved)
}

fn fetch_view(f: FetchRow) -> FetchView {
    FetchView {
        at: time_text(f.at),
        source: f.source,
        file: f.file,
        revision: f.revision,
        status: f.status,
    }
}

fn revision_view(r: &RevisionRow) -> RevisionView {
    let [u, m, n] = r.file_sha256.clone();
    RevisionView {
        number: r.number,
        sha256: r.sha256.clone(),
        inputs_sha256: r.inputs_sha256.clone(),
        files: FileHashes {
            user_data: u,
            meta_data: m,
            network_config: n,
        },
        reason: r.reason.clone(),
        actor: r.actor.clone(),
        created_at: time_text(r.created_at),
    }
}

fn audit(actor: &str, action: &str, target: &str, detail: &str) -> AuditRow {
    AuditRow {
        at: now_ms(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        detail: detail.to_owned(),
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the fetch logger is sent.
enum LogMsg {
    /// A fetch to store.
    Row(FetchRow),
    /// Answer once everything sent before is stored.
    Flush(mpsc::Sender<()>),
}

/// Stores fetch records in batches: one transaction for whatever arrived
/// together, so a boot storm costs a few commits a second, not one per
/// request.
/// Fetch log rows kept for a retry while the database is away; past
/// it, the oldest are dropped (and counted in the log).
const MAX_PENDING_FETCHES: usize = 200_000;

fn fetch_logger(store: &dyn Store, rx: &mpsc::Receiver<LogMsg>) {
    let mut batch: Vec<FetchRow> = Vec::new();
    let mut open = true;
    let mut failed_at: Option<std::time::Instant> = None;
    while open || !batch.is_empty() {
        // With rows waiting for a retry, wake up within a second anyway.
        let first = if batch.is_empty() {
            rx.recv().ok()
        } else {
            match rx.recv_timeout(std::time::Duration::from_secs(1)) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    open = false;
                    None
                }
            }
        };
        if first.is_none() && batch.is_empty() {
            return; // every sender is gone and nothing is waiting
        }
        let mut waiters = Vec::new();
        let mut next = first;
        let mut taken = 0;
        while let Some(msg) = next.take() {
            match msg {
                LogMsg::Row(r) => {
                    batch.push(r);
                    taken += 1;
                }
                LogMsg::Flush(w) => waiters.push(w),
            }
            if taken < 4096 {
                next = rx.try_recv().ok();
            }
        }
        let retry_due = failed_at.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(1))
            || !open
            || !waiters.is_empty();
        if !batch.is_empty() && retry_due {
            match store.log_fetches(&batch) {
                Ok(()) => {
                    batch.clear();
                    failed_at = None;
                }
                Err(e) => {
                    failed_at = Some(std::time::Instant::now());
                    tracing::error!(error = %e, rows = batch.len(), "fetch log write failed; will retry");
                    if batch.len() > MAX_PENDING_FETCHES {
                        let drop_n = batch.len() - MAX_PENDING_FETCHES;
                        batch.drain(..drop_n);
                        tracing::error!(rows = drop_n, "fetch log rows dropped");
                    }
                    if !open {
                        // Stopping with the database away: nothing more to do.
                        tracing::error!(rows = batch.len(), "fetch log rows lost at shutdown");
                        batch.clear();
                    }
                }
            }
        }
        for w in waiters {
            let _ = w.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn served(cluster: &str, body: usize) -> Arc<Served> {
        Arc::new(Served {
            cluster: cluster.to_owned(),
            secret_hash: vec![0; 32],
            state: DeviceState::Active,
            cidrs: Vec::new(),
            revision: Some(1),
            files: [Some(Arc::new(Payload::new(vec![b'x'; body]))), None, None],
        })
    }

    #[test]
    fn the_cache_stays_within_its_bytes_and_forgets_by_cluster() {
        let one = served("a", 10_000).bytes() + "d00".len();
        let max = one * 5 + one / 2;
        let mut c = Cache::default();
        for i in 0..20 {
            c.insert(
                format!("d{i:02}"),
                served(if i % 2 == 0 { "a" } else { "b" }, 10_000),
                max,
            );
            assert!(c.bytes <= max, "{} > {max}", c.bytes);
            let sum: usize = c.map.iter().map(|(k, s)| s.bytes() + k.len()).sum();
            assert_eq!(c.bytes, sum);
        }
        assert_eq!(c.map.len(), 5);
        assert!(c.map.contains_key("d19"), "the newest entry is kept");
        // Replacing an entry does not count it twice.
        c.insert("d19".into(), served("b", 10_000), max);
        assert_eq!(c.map.len(), 5);
        c.remove_cluster("b");
        assert!(c.map.values().all(|s| s.cluster == "a"));
        let sum: usize = c.map.iter().map(|(k, s)| s.bytes() + k.len()).sum();
        assert_eq!(c.bytes, sum);
        // An entry bigger than the whole budget is not kept.
        c.insert("huge".into(), served("a", max * 2), max);
        assert!(!c.map.contains_key("huge"));
        c.clear();
        assert_eq!((c.map.len(), c.bytes), (0, 0));
    }
}
