//! The shared engine: one PostgreSQL database behind several server
//! processes (replicas).
//!
//! - Connections come from a small bounded pool; a connection that fails
//!   is dropped (with every idle one, since a restarted server closes them
//!   all) and the next call connects anew, so a database restart shows as
//!   [`StoreError::Unavailable`] for a while, then recovery, without
//!   restarting the process.
//! - Every [`Store::write`] runs in one transaction and, inside it, sends
//!   a `NOTIFY` naming what changed; PostgreSQL delivers it on commit only.
//!   [`Store::watch`] listens on a connection of its own and reports the
//!   other replicas' changes (a reconnect reports [`Change::All`]: some
//!   may have been missed).
//! - [`Store::lock_writers`] takes a session advisory lock, so
//!   read-modify-write sections are serialised across replicas.
//! - Migrations run at open inside one transaction under an advisory lock,
//!   so replicas starting together migrate once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Row, Transaction};

use super::{
    AuditRow, Change, ChangeSink, ClusterRow, DeviceRow, FetchRow, RevisionRow, Store, StoreError,
    TokenRow, Write, WriterGuard,
};

/// The schema migrations, applied in order; table `talgen_schema` holds
/// how many a database has.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/postgres/0001_init.sql")];

/// The notification channel.
const CHANNEL: &str = "talgen_changes";
/// Advisory lock keys (arbitrary; `talgen` in ASCII, then a number).
const MIGRATION_LOCK: i64 = 0x7461_6c67_656e_0001;
const WRITER_LOCK: i64 = 0x7461_6c67_656e_0002;
/// Connections per process at most.
const MAX_CONNECTIONS: usize = 16;
/// How long a call waits for a free connection.
const CHECKOUT_WAIT: Duration = Duration::from_secs(5);
/// A notification payload stays below PostgreSQL's 8000-byte limit.
const MAX_PAYLOAD: usize = 7000;

fn engine(e: &postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code();
            if *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::TOO_MANY_CONNECTIONS
                || *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
                || *code == SqlState::QUERY_CANCELED
            {
                StoreError::Unavailable(format!("PostgreSQL: {}", db.message()))
            } else {
                StoreError::Engine(db.message().to_owned())
            }
        }
        // No server error: the connection itself failed.
        None => StoreError::Unavailable(format!("PostgreSQL: {e}")),
    }
}

fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Whether `e` leaves the connection unusable.
fn is_broken(e: &postgres::Error) -> bool {
    e.as_db_error().is_none()
        || e.is_closed()
        || e.code() == Some(&SqlState::ADMIN_SHUTDOWN)
        || e.code() == Some(&SqlState::CRASH_SHUTDOWN)
}

fn corrupt(e: &postgres::Error) -> StoreError {
    StoreError::Corrupt(format!("reading a row: {e}"))
}

#[derive(Default)]
struct PoolState {
    idle: Vec<Client>,
    open: usize,
}

struct Pool {
    config: Config,
    state: Mutex<PoolState>,
    freed: Condvar,
}

impl Pool {
    fn state(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(self: &Arc<Self>) -> Result<Conn, StoreError> {
        let deadline = std::time::Instant::now() + CHECKOUT_WAIT;
        let mut st = self.state();
        loop {
            while let Some(c) = st.idle.pop() {
                if c.is_closed() {
                    st.open = st.open.saturating_sub(1);
                    continue;
                }
                return Ok(Conn {
                    pool: Arc::clone(self),
                    client: Some(c),
                });
            }
            if st.open < MAX_CONNECTIONS {
                st.open += 1;
                drop(st);
                return match self.config.connect(NoTls) {
                    Ok(c) => Ok(Conn {
                        pool: Arc::clone(self),
                        client: Some(c),
                    }),
                    Err(e) => {
                        let mut st = self.state();
                        st.open = st.open.saturating_sub(1);
                        drop(st);
                        self.freed.notify_one();
                        Err(StoreError::Unavailable(format!(
                            "cannot connect to PostgreSQL: {e}"
                        )))
                    }
                };
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Err(StoreError::Unavailable(format!(
                    "all {MAX_CONNECTIONS} database connections are busy"
                )));
            }
            st = self
                .freed
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// A pooled connection; goes back to the pool when dropped, unless it
/// broke.
struct Conn {
    pool: Arc<Pool>,
    client: Option<Client>,
}

impl Conn {
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("connection was dropped".to_owned()))
    }

    /// Drops this connection and every idle one: after a failure they are
    /// most likely all dead (a restarted server).
    fn discard(&mut self) {
        if self.client.take().is_some() {
            let mut st = self.pool.state();
            let idle = std::mem::take(&mut st.idle);
            st.open = st.open.saturating_sub(1 + idle.len());
            drop(st);
            drop(idle);
            self.pool.freed.notify_all();
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            let mut st = self.pool.state();
            if c.is_closed() {
                st.open = st.open.saturating_sub(1);
            } else {
                st.idle.push(c);
            }
            drop(st);
            self.pool.freed.notify_one();
        }
    }
}

/// The advisory lock of [`Store::lock_writers`], on a connection of its
/// own; unlocked (or dropped with its connection) on drop.
struct AdvisoryLock(Conn);

impl Drop for AdvisoryLock {
    fn drop(&mut self) {
        let unlocked = self.0.client().map(|c| {
            c.execute("SELECT pg_advisory_unlock($1)", &[&WRITER_LOCK])
                .is_ok()
        });
        if !matches!(unlocked, Ok(true)) {
            // A connection in an unknown state must not keep the lock.
            self.0.discard();
        }
    }
}

/// A PostgreSQL database shared by replicas.
pub struct PostgresStore {
    pool: Arc<Pool>,
    /// Tags this process's notifications, so it skips its own.
    replica: String,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The config may hold a password: show only where it points.
        f.debug_struct("PostgresStore")
            .field("hosts", &self.pool.config.get_hosts())
            .field("dbname", &self.pool.config.get_dbname())
            .field("replica", &self.replica)
            .finish_non_exhaustive()
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`,
    /// or key=value form) and migrates it.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when it cannot be reached,
    /// [`StoreError::Corrupt`] when its schema is newer than this server's,
    /// [`StoreError::Engine`] for a malformed URL.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config: Config = url
            .parse()
            .map_err(|e| StoreError::Engine(format!("database URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.keepalives(true);
        if config.get_application_name().is_none() {
            config.application_name("talgen-serve");
        }
        let pool = Arc::new(Pool {
            config,
            state: Mutex::new(PoolState::default()),
            freed: Condvar::new(),
        });
        let mut conn = pool.get()?;
        migrate(conn.client()?)?;
        drop(conn);
        let mut id = [0u8; 8];
        getrandom::fill(&mut id)
            .map_err(|e| StoreError::Engine(format!("random replica id: {e}")))?;
        Ok(Self {
            pool,
            replica: hex::encode(id),
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Runs `f` on a pooled connection; a read that fails on a dead
    /// connection is tried once more on a fresh one.
    fn read<T>(
        &self,
        f: impl Fn(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        for attempt in 0..2 {
            let mut conn = self.pool.get()?;
            match f(conn.client()?) {
                Ok(v) => return Ok(v),
                Err(e) if is_broken(&e) => {
                    conn.discard();
                    if attempt == 1 {
                        return Err(engine(&e));
                    }
                }
                Err(e) => return Err(engine(&e)),
            }
        }
        Err(StoreError::Unavailable(
            "PostgreSQL: no connection".to_owned(),
        ))
    }

    fn run_write(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut conn = self.pool.get()?;
        let result = (|| {
            let client = conn.client()?;
            let mut tx = client.transaction().map_err(|e| engine(&e))?;
            for w in writes {
                apply(&mut tx, w)?;
            }
            for payload in payloads(&self.replica, &Change::of(writes)) {
                tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
                    .map_err(|e| engine(&e))?;
            }
            tx.commit().map_err(|e| engine(&e))
        })();
        if matches!(result, Err(StoreError::Unavailable(_))) {
            conn.discard();
        }
        result
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let e = |e: postgres::Error| engine(&e);
    let mut tx = client.transaction().map_err(e)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(e)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS talgen_schema (version BIGINT NOT NULL)")
        .map_err(e)?;
    let version: Option<i64> = tx
        .query_opt("SELECT version FROM talgen_schema", &[])
        .map_err(e)?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(|e| corrupt(&e))?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let version = match version {
        Some(v) => v,
        None => {
            tx.execute("INSERT INTO talgen_schema (version) VALUES (0)", &[])
                .map_err(e)?;
            0
        }
    };
    if version > known {
        return Err(StoreError::Corrupt(format!(
            "schema version {version} is newer than this server's ({known})"
        )));
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.batch_execute(sql).map_err(e)?;
        let v = i64::try_from(i + 1).unwrap_or(i64::MAX);
        tx.execute("UPDATE talgen_schema SET version = $1", &[&v])
            .map_err(e)?;
    }
    tx.commit().map_err(e)
}

/// Notification payloads for `changes`: the replica id, then keys
/// (`d:ID`, `c:NAME`, `*`) separated by spaces, split to fit.
fn payloads(replica: &str, changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = replica.to_owned();
    for c in changes {
        let key = match c {
            Change::Device(id) if !id.contains(char::is_whitespace) => format!("d:{id}"),
            Change::Cluster(n) if !n.contains(char::is_whitespace) => format!("c:{n}"),
            _ => "*".to_owned(),
        };
        if cur.len() + 1 + key.len() > MAX_PAYLOAD {
            out.push(std::mem::replace(&mut cur, replica.to_owned()));
        }
        cur.push(' ');
        cur.push_str(&key);
    }
    if cur.len() > replica.len() {
        out.push(cur);
    }
    out
}

/// The changes in a payload from another replica (none from `replica`).
fn parse_payload(replica: &str, payload: &str) -> Vec<Change> {
    let mut words = payload.split(' ');
    if words.next() == Some(replica) {
        return Vec::new();
    }
    words
        .filter(|w| !w.is_empty())
        .map(|w| {
            if let Some(id) = w.strip_prefix("d:") {
                Change::Device(id.to_owned())
            } else if let Some(name) = w.strip_prefix("c:") {
                Change::Cluster(name.to_owned())
            } else {
                Change::All
            }
        })
        .collect()
}

/// Listens for other replicas' changes until `sink` or `stop` says so,
/// reconnecting with back-off.
fn listen(
    config: &Config,
    mut client: Client,
    replica: &str,
    sink: &ChangeSink,
    stop: &AtomicBool,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        // Drain notifications until the connection fails.
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let mut failed = false;
            {
                let mut notes = client.notifications();
                let mut it = notes.timeout_iter(Duration::from_millis(250));
                loop {
                    match fallible_iterator::FallibleIterator::next(&mut it) {
                        Ok(Some(n)) => {
                            for c in parse_payload(replica, n.payload()) {
                                if !sink(c) {
                                    return;
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            failed = true;
                            break;
                        }
                    }
                }
            }
            if failed || client.is_closed() {
                break;
            }
        }
        tracing::warn!("lost the PostgreSQL change listener; reconnecting");
        client = loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(Duration::from_secs(2));
            if let Ok(mut c) = config.connect(NoTls) {
                if c.batch_execute(&format!("LISTEN {CHANNEL}")).is_ok() {
                    break c;
                }
            }
        };
        backoff = Duration::from_millis(100);
        tracing::info!("PostgreSQL change listener reconnected");
        // Whatever was committed while away went unheard.
        if !sink(Change::All) {
            return;
        }
    }
}

const CLUSTER_COLUMNS: &str = "name, endpoint, talos_version, kubernetes_version, install_image, \
     source_cidrs, key_id, wrapped_key, patches, secrets, created_at, updated_at";
const DEVICE_COLUMNS: &str =
    "id, cluster, role, hostname, state, secret_hash, spec, revision, created_at, updated_at";
const REVISION_COLUMNS: &str = "device, number, inputs_sha256, sha256, user_data_sha256, \
     meta_data_sha256, network_config_sha256, inputs, user_data, meta_data, network_config, \
     reason, actor, created_at";

fn cluster_row(r: &Row) -> Result<ClusterRow, postgres::Error> {
    Ok(ClusterRow {
        name: r.try_get(0)?,
        endpoint: r.try_get(1)?,
        talos_version: r.try_get(2)?,
        kubernetes_version: r.try_get(3)?,
        install_image: r.try_get(4)?,
        source_cidrs: r.try_get(5)?,
        key_id: r.try_get(6)?,
        wrapped_key: r.try_get(7)?,
        patches: r.try_get(8)?,
        secrets: r.try_get(9)?,
        created_at: r.try_get(10)?,
        updated_at: r.try_get(11)?,
    })
}

fn device_row(r: &Row) -> Result<DeviceRow, postgres::Error> {
    Ok(DeviceRow {
        id: r.try_get(0)?,
        cluster: r.try_get(1)?,
        role: r.try_get(2)?,
        hostname: r.try_get(3)?,
        state: r.try_get(4)?,
        secret_hash: r.try_get(5)?,
        spec: r.try_get(6)?,
        revision: r.try_get(7)?,
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

fn revision_row(r: &Row) -> Result<RevisionRow, postgres::Error> {
    Ok(RevisionRow {
        device: r.try_get(0)?,
        number: r.try_get(1)?,
        inputs_sha256: r.try_get(2)?,
        sha256: r.try_get(3)?,
        file_sha256: [r.try_get(4)?, r.try_get(5)?, r.try_get(6)?],
        inputs: r.try_get(7)?,
        files: [r.try_get(8)?, r.try_get(9)?, r.try_get(10)?],
        reason: r.try_get(11)?,
        actor: r.try_get(12)?,
        created_at: r.try_get(13)?,
    })
}

fn fetch_row(r: &Row) -> Result<FetchRow, postgres::Error> {
    let status: i32 = r.try_get(5)?;
    Ok(FetchRow {
        device: r.try_get(0)?,
        at: r.try_get(1)?,
        source: r.try_get(2)?,
        file: r.try_get(3)?,
        revision: r.try_get(4)?,
        status: u16::try_from(status).unwrap_or(0),
    })
}

fn apply(tx: &mut Transaction<'_>, w: &Write) -> Result<(), StoreError> {
    let conflict = |what: String| {
        move |e: postgres::Error| {
            if is_unique_violation(&e) {
                StoreError::Conflict(what)
            } else {
                engine(&e)
            }
        }
    };
    let changed = |n: u64, what: String| {
        if n == 0 {
            Err(StoreError::NotFound(what))
        } else {
            Ok(())
        }
    };
    let e = |e: postgres::Error| engine(&e);
    match w {
        Write::PutMeta(key, value) => {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[key, value],
            )
            .map_err(e)?;
        }
        Write::InsertCluster(c) | Write::UpdateCluster(c) => {
            let args: [&(dyn ToSql + Sync); 12] = [
                &c.name,
                &c.endpoint,
                &c.talos_version,
                &c.kubernetes_version,
                &c.install_image,
                &c.source_cidrs,
                &c.key_id,
                &c.wrapped_key,
                &c.patches,
                &c.secrets,
                &c.created_at,
                &c.updated_at,
            ];
            if matches!(w, Write::InsertCluster(_)) {
                tx.execute(
                    &format!(
                        "INSERT INTO clusters ({CLUSTER_COLUMNS}) VALUES \
                         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                    ),
                    &args,
                )
                .map_err(conflict(format!("cluster {} exists", c.name)))?;
            } else {
                let n = tx
                    .execute(
                        "UPDATE clusters SET endpoint = $2, talos_version = $3, \
                         kubernetes_version = $4, install_image = $5, source_cidrs = $6, \
                         key_id = $7, wrapped_key = $8, patches = $9, secrets = $10, \
                         created_at = $11, updated_at = $12 WHERE name = $1",
                        &args,
                    )
                    .map_err(e)?;
                changed(n, format!("no cluster {}", c.name))?;
            }
        }
        Write::DeleteCluster(name) => {
            tx.execute(
                "DELETE FROM fetches WHERE device IN (SELECT id FROM devices WHERE cluster = $1)",
                &[name],
            )
            .map_err(e)?;
            let n = tx
                .execute("DELETE FROM clusters WHERE name = $1", &[name])
                .map_err(e)?;
            changed(n, format!("no cluster {name}"))?;
        }
        Write::InsertDevice(d) | Write::UpdateDevice(d) => {
            let args: [&(dyn ToSql + Sync); 10] = [
                &d.id,
                &d.cluster,
                &d.role,
                &d.hostname,
                &d.state,
                &d.secret_hash,
                &d.spec,
                &d.revision,
                &d.created_at,
                &d.updated_at,
            ];
            if matches!(w, Write::InsertDevice(_)) {
                tx.execute(
                    &format!(
                        "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES \
                         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ),
                    &args,
                )
                .map_err(conflict(format!(
                    "device {} or host name {} exists",
                    d.id, d.hostname
                )))?;
            } else {
                let n = tx
                    .execute(
                        "UPDATE devices SET cluster = $2, role = $3, hostname = $4, state = $5, \
                         secret_hash = $6, spec = $7, revision = $8, created_at = $9, \
                         updated_at = $10 WHERE id = $1",
                        &args,
                    )
                    .map_err(conflict(format!("host name {} exists", d.hostname)))?;
                changed(n, format!("no device {}", d.id))?;
            }
        }
        Write::DeleteDevice(id) => {
            tx.execute("DELETE FROM fetches WHERE device = $1", &[id])
                .map_err(e)?;
            let n = tx
                .execute("DELETE FROM devices WHERE id = $1", &[id])
                .map_err(e)?;
            changed(n, format!("no device {id}"))?;
        }
        Write::InsertRevision(r) => {
            tx.execute(
                &format!(
                    "INSERT INTO revisions ({REVISION_COLUMNS}) VALUES \
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                ),
                &[
                    &r.device,
                    &r.number,
                    &r.inputs_sha256,
                    &r.sha256,
                    &r.file_sha256[0],
                    &r.file_sha256[1],
                    &r.file_sha256[2],
                    &r.inputs,
                    &r.files[0],
                    &r.files[1],
                    &r.files[2],
                    &r.reason,
                    &r.actor,
                    &r.created_at,
                ],
            )
            .map_err(conflict(format!(
                "revision {} of {} exists",
                r.number, r.device
            )))?;
        }
        Write::Audit(a) => {
            tx.execute(
                "INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
                &[&a.at, &a.actor, &a.action, &a.target, &a.detail],
            )
            .map_err(e)?;
        }
        Write::PutToken(t) => {
            tx.execute(
                "INSERT INTO tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, hash = EXCLUDED.hash",
                &[&t.name, &t.role, &t.hash, &t.created_at],
            )
            .map_err(conflict(format!("token {} exists", t.name)))?;
        }
    }
    Ok(())
}

fn one<T>(
    row: Option<Row>,
    f: impl Fn(&Row) -> Result<T, postgres::Error>,
) -> Result<Option<T>, StoreError> {
    row.map(|r| f(&r)).transpose().map_err(|e| corrupt(&e))
}

fn all<T>(
    rows: &[Row],
    f: impl Fn(&Row) -> Result<T, postgres::Error>,
) -> Result<Vec<T>, StoreError> {
    rows.iter()
        .map(f)
        .collect::<Result<_, _>>()
        .map_err(|e| corrupt(&e))
}

fn audit_row(r: &Row) -> Result<AuditRow, postgres::Error> {
    Ok(AuditRow {
        at: r.try_get(0)?,
        actor: r.try_get(1)?,
        action: r.try_get(2)?,
        target: r.try_get(3)?,
        detail: r.try_get(4)?,
    })
}

fn token_row(r: &Row) -> Result<TokenRow, postgres::Error> {
    Ok(TokenRow {
        name: r.try_get(0)?,
        role: r.try_get(1)?,
        hash: r.try_get(2)?,
        created_at: r.try_get(3)?,
    })
}

impl Store for PostgresStore {
    fn write(&self, writes: &[Write]) -> Result<(), StoreError> {
        self.run_write(writes)
    }

    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = self.read(|c| c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key]))?;
        one(row, |r| r.try_get(0))
    }

    fn cluster(&self, name: &str) -> Result<Option<ClusterRow>, StoreError> {
        let sql = format!("SELECT {CLUSTER_COLUMNS} FROM clusters WHERE name = $1");
        one(self.read(|c| c.query_opt(&sql, &[&name]))?, cluster_row)
    }

    fn clusters(&self) -> Result<Vec<ClusterRow>, StoreError> {
        let sql = format!("SELECT {CLUSTER_COLUMNS} FROM clusters ORDER BY name");
        all(&self.read(|c| c.query(&sql, &[]))?, cluster_row)
    }

    fn device(&self, id: &str) -> Result<Option<DeviceRow>, StoreError> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
        one(self.read(|c| c.query_opt(&sql, &[&id]))?, device_row)
    }

    fn devices(&self, cluster: Option<&str>) -> Result<Vec<DeviceRow>, StoreError> {
        let r = match cluster {
            Some(name) => {
                let sql =
                    format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE cluster = $1 ORDER BY id");
                self.read(|c| c.query(&sql, &[&name]))?
            }
            None => {
                let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY id");
                self.read(|c| c.query(&sql, &[]))?
            }
        };
        all(&r, device_row)
    }

    fn revision(&self, device: &str, number: i64) -> Result<Option<RevisionRow>, StoreError> {
        let sql =
            format!("SELECT {REVISION_COLUMNS} FROM revisions WHERE device = $1 AND number = $2");
        one(
            self.read(|c| c.query_opt(&sql, &[&device, &number]))?,
            revision_row,
        )
    }

    fn revisions(&self, device: &str) -> Result<Vec<RevisionRow>, StoreError> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE device = $1 ORDER BY number DESC"
        );
        all(&self.read(|c| c.query(&sql, &[&device]))?, revision_row)
    }

    fn log_fetches(&self, batch: &[FetchRow]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        // One statement for the whole batch: a round trip, not one a row.
        let device: Vec<&str> = batch.iter().map(|f| f.device.as_str()).collect();
        let at: Vec<i64> = batch.iter().map(|f| f.at).collect();
        let source: Vec<&str> = batch.iter().map(|f| f.source.as_str()).collect();
        let file: Vec<&str> = batch.iter().map(|f| f.file.as_str()).collect();
        let revision: Vec<Option<i64>> = batch.iter().map(|f| f.revision).collect();
        let status: Vec<i32> = batch.iter().map(|f| i32::from(f.status)).collect();
        let mut conn = self.pool.get()?;
        let result = conn.client().and_then(|c| {
            c.execute(
                "INSERT INTO fetches (device, at, source, file, revision, status) \
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], \
                 $5::bigint[], $6::integer[])",
                &[&device, &at, &source, &file, &revision, &status],
            )
            .map_err(|e| engine(&e))
        });
        if matches!(result, Err(StoreError::Unavailable(_))) {
            conn.discard();
        }
        result.map(|_| ())
    }

    fn fetches(&self, device: &str, limit: usize) -> Result<Vec<FetchRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let r = self.read(|c| {
            c.query(
                "SELECT device, at, source, file, revision, status FROM fetches \
                 WHERE device = $1 ORDER BY id DESC LIMIT $2",
                &[&device, &limit],
            )
        })?;
        all(&r, fetch_row)
    }

    fn last_fetches(&self) -> Result<Vec<FetchRow>, StoreError> {
        let r = self.read(|c| {
            c.query(
                "SELECT DISTINCT ON (device) device, at, source, file, revision, status \
                 FROM fetches ORDER BY device, id DESC",
                &[],
            )
        })?;
        all(&r, fetch_row)
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditRow>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let r = self.read(|c| {
            c.query(
                "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT $1",
                &[&limit],
            )
        })?;
        all(&r, audit_row)
    }

    fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let r = self.read(|c| {
            c.query(
                "SELECT name, role, hash, created_at FROM tokens ORDER BY name",
                &[],
            )
        })?;
        all(&r, token_row)
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| c.query_one("SELECT 1", &[]).map(|_| ()))
    }

    fn lock_writers(&self) -> Result<WriterGuard, StoreError> {
        let mut conn = self.pool.get()?;
        match conn
            .client()?
            .execute("SELECT pg_advisory_lock($1)", &[&WRITER_LOCK])
        {
            Ok(_) => Ok(WriterGuard::holding(Box::new(AdvisoryLock(conn)))),
            Err(e) => {
                conn.discard();
                Err(engine(&e))
            }
        }
    }

    fn watch(&self, sink: ChangeSink) -> Result<(), StoreError> {
        let config = self.pool.config.clone();
        let mut client = config
            .connect(NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| engine(&e))?;
        let replica = self.replica.clone();
        let stop = Arc::clone(&self.stop);
        std::thread::Builder::new()
            .name("talgen-pg-listen".into())
            .spawn(move || listen(&config, client, &replica, &sink, &stop))
            .map_err(|e| StoreError::Engine(format!("starting the change listener: {e}")))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_skip_their_own_replica() {
        let changes = vec![
            Change::Device("d1".into()),
            Change::Cluster("c1".into()),
            Change::All,
        ];
        let p = payloads("aa", &changes);
        assert_eq!(p, vec!["aa d:d1 c:c1 *".to_owned()]);
        assert_eq!(parse_payload("bb", &p[0]), changes);
        assert!(parse_payload("aa", &p[0]).is_empty());
        assert!(payloads("aa", &[]).is_empty());
    }

    #[test]
    fn long_payloads_are_split_below_the_limit() {
        let changes: Vec<Change> = (0..2000)
            .map(|i| Change::Device(format!("device-{i:05}")))
            .collect();
        let p = payloads("r", &changes);
        assert!(p.len() > 1);
        assert!(p.iter().all(|s| s.len() <= MAX_PAYLOAD));
        let back: Vec<Change> = p.iter().flat_map(|s| parse_payload("x", s)).collect();
        assert_eq!(back, changes);
    }
}
