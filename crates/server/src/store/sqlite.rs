//! The embedded engine: one SQLite file in WAL mode, every commit synced
//! (`synchronous = FULL`), so an acknowledged change survives a crash.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{
    AuditRow, ClusterRow, DeviceRow, FetchRow, RevisionRow, Store, StoreError, TokenRow, Write,
};

/// The schema migrations, applied in order; `PRAGMA user_version` counts
/// how many a database has.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/sqlite/0001_init.sql")];

/// A SQLite database.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn engine(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, ref m)
            if f.code == rusqlite::ErrorCode::DatabaseBusy
                || f.code == rusqlite::ErrorCode::DatabaseLocked =>
        {
            StoreError::Unavailable(m.clone().unwrap_or_else(|| "database is busy".to_owned()))
        }
        other => StoreError::Engine(other.to_string()),
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `path` and migrates it.
    ///
    /// # Errors
    /// [`StoreError`] when it cannot be opened or is from a newer version.
    pub fn open_path(path: &Path) -> Result<Self, StoreError> {
        Self::setup(Connection::open(path).map_err(engine)?)
    }

    /// A private in-memory database, for tests.
    ///
    /// # Errors
    /// [`StoreError`] when SQLite fails.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory().map_err(engine)?)
    }

    fn setup(conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(engine)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(engine)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(engine)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(engine)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(engine)?;
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        if version > known {
            return Err(StoreError::Corrupt(format!(
                "schema version {version} is newer than this server's ({known})"
            )));
        }
        let start = usize::try_from(version).unwrap_or(0);
        let mut conn = conn;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(start) {
            let tx = conn.transaction().map_err(engine)?;
            tx.execute_batch(sql).map_err(engine)?;
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(i + 1).unwrap_or(i64::MAX),
            )
            .map_err(engine)?;
            tx.commit().map_err(engine)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable:
        // SQLite rolls back the open transaction when it is dropped.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

const CLUSTER_COLUMNS: &str = "name, endpoint, talos_version, kubernetes_version, install_image, \
     source_cidrs, key_id, wrapped_key, patches, secrets, created_at, updated_at";
const DEVICE_COLUMNS: &str =
    "id, cluster, role, hostname, state, secret_hash, spec, revision, created_at, updated_at";
const REVISION_COLUMNS: &str = "device, number, inputs_sha256, sha256, user_data_sha256, \
     meta_data_sha256, network_config_sha256, inputs, user_data, meta_data, network_config, \
     reason, actor, created_at";

fn cluster_row(r: &Row<'_>) -> rusqlite::Result<ClusterRow> {
    Ok(ClusterRow {
        name: r.get(0)?,
        endpoint: r.get(1)?,
        talos_version: r.get(2)?,
        kubernetes_version: r.get(3)?,
        install_image: r.get(4)?,
        source_cidrs: r.get(5)?,
        key_id: r.get(6)?,
        wrapped_key: r.get(7)?,
        patches: r.get(8)?,
        secrets: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

fn device_row(r: &Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        cluster: r.get(1)?,
        role: r.get(2)?,
        hostname: r.get(3)?,
        state: r.get(4)?,
        secret_hash: r.get(5)?,
        spec: r.get(6)?,
        revision: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn revision_row(r: &Row<'_>) -> rusqlite::Result<RevisionRow> {
    Ok(RevisionRow {
        device: r.get(0)?,
        number: r.get(1)?,
        inputs_sha256: r.get(2)?,
        sha256: r.get(3)?,
        file_sha256: [r.get(4)?, r.get(5)?, r.get(6)?],
        inputs: r.get(7)?,
        files: [r.get(8)?, r.get(9)?, r.get(10)?],
        reason: r.get(11)?,
        actor: r.get(12)?,
        created_at: r.get(13)?,
    })
}

fn fetch_row(r: &Row<'_>) -> rusqlite::Result<FetchRow> {
    let status: i64 = r.get(5)?;
    Ok(FetchRow {
        device: r.get(0)?,
        at: r.get(1)?,
        source: r.get(2)?,
        file: r.get(3)?,
        revision: r.get(4)?,
        status: u16::try_from(status).unwrap_or(0),
    })
}

fn apply(tx: &rusqlite::Transaction<'_>, w: &Write) -> Result<(), StoreError> {
    let conflict = |what: String| {
        move |e: rusqlite::Error| {
            if is_unique_violation(&e) {
                StoreError::Conflict(what.clone())
            } else {
                engine(e)
            }
        }
    };
    let changed = |n: usize, what: String| {
        if n == 0 {
            Err(StoreError::NotFound(what))
        } else {
            Ok(())
        }
    };
    match w {
        Write::PutMeta(key, value) => {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(engine)?;
        }
        Write::InsertCluster(c) | Write::UpdateCluster(c) => {
            let args = params![
                c.name,
                c.endpoint,
                c.talos_version,
                c.kubernetes_version,
                c.install_image,
                c.source_cidrs,
                c.key_id,
                c.wrapped_key,
                c.patches,
                c.secrets,
                c.created_at,
                c.updated_at
            ];
            if matches!(w, Write::InsertCluster(_)) {
                tx.execute(
                    &format!(
                        "INSERT INTO clusters ({CLUSTER_COLUMNS}) VALUES \
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                    ),
                    args,
                )
                .map_err(conflict(format!("cluster {} exists", c.name)))?;
            } else {
                let n = tx
                    .execute(
                        "UPDATE clusters SET endpoint = ?2, talos_version = ?3, \
                         kubernetes_version = ?4, install_image = ?5, source_cidrs = ?6, \
                         key_id = ?7, wrapped_key = ?8, patches = ?9, secrets = ?10, \
                         created_at = ?11, updated_at = ?12 WHERE name = ?1",
                        args,
                    )
                    .map_err(engine)?;
                changed(n, format!("no cluster {}", c.name))?;
            }
        }
        Write::DeleteCluster(name) => {
            tx.execute(
                "DELETE FROM fetches WHERE device IN (SELECT id FROM devices WHERE cluster = ?1)",
                params![name],
            )
            .map_err(engine)?;
            let n = tx
                .execute("DELETE FROM clusters WHERE name = ?1", params![name])
                .map_err(engine)?;
            changed(n, format!("no cluster {name}"))?;
        }
        Write::InsertDevice(d) | Write::UpdateDevice(d) => {
            let args = params![
                d.id,
                d.cluster,
                d.role,
                d.hostname,
                d.state,
                d.secret_hash,
                d.spec,
                d.revision,
                d.created_at,
                d.updated_at
            ];
            if matches!(w, Write::InsertDevice(_)) {
                tx.execute(
                    &format!(
                        "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES \
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                    ),
                    args,
                )
                .map_err(conflict(format!(
                    "device {} or host name {} exists",
                    d.id, d.hostname
                )))?;
            } else {
                let n = tx
                    .execute(
                        "UPDATE devices SET cluster = ?2, role = ?3, hostname = ?4, state = ?5, \
                         secret_hash = ?6, spec = ?7, revision = ?8, created_at = ?9, \
                         updated_at = ?10 WHERE id = ?1",
                        args,
                    )
                    .map_err(conflict(format!("host name {} exists", d.hostname)))?;
                changed(n, format!("no device {}", d.id))?;
            }
        }
        Write::DeleteDevice(id) => {
            tx.execute("DELETE FROM fetches WHERE device = ?1", params![id])
                .map_err(engine)?;
            let n = tx
                .execute("DELETE FROM devices WHERE id = ?1", params![id])
                .map_err(engine)?;
            changed(n, format!("no device {id}"))?;
        }
        Write::InsertRevision(r) => {
            tx.execute(
                &format!(
                    "INSERT INTO revisions ({REVISION_COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                ),
                params![
                    r.device,
                    r.number,
                    r.inputs_sha256,
                    r.sha256,
                    r.file_sha256[0],
                    r.file_sha256[1],
                    r.file_sha256[2],
                    r.inputs,
                    r.files[0],
                    r.files[1],
                    r.files[2],
                    r.reason,
                    r.actor,
                    r.created_at
                ],
            )
            .map_err(conflict(format!(
                "revision {} of {} exists",
                r.number, r.device
            )))?;
        }
        Write::Audit(a) => {
            tx.execute(
                "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.at, a.actor, a.action, a.target, a.detail],
            )
            .map_err(engine)?;
        }
        Write::PutToken(t) => {
            tx.execute(
                "INSERT INTO tokens (name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(name) DO UPDATE SET role = excluded.role, hash = excluded.hash",
                params![t.name, t.role, t.hash, t.created_at],
            )
            .map_err(conflict(format!("token {} exists", t.name)))?;
        }
    }
    Ok(())
}

impl Store for SqliteStore {
    fn write(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(engine)?;
        for w in writes {
            apply(&tx, w)?;
        }
        tx.commit().map_err(engine)
    }

    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(engine)
    }

    fn cluster(&self, name: &str) -> Result<Option<ClusterRow>, StoreError> {
        self.conn()
            .query_row(
                &format!("SELECT {CLUSTER_COLUMNS} FROM clusters WHERE name = ?1"),
                params![name],
                cluster_row,
            )
            .optional()
            .map_err(engine)
    }

    fn clusters(&self) -> Result<Vec<ClusterRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {CLUSTER_COLUMNS} FROM clusters ORDER BY name"
            ))
            .map_err(engine)?;
        let rows = stmt.query_map([], cluster_row).map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn device(&self, id: &str) -> Result<Option<DeviceRow>, StoreError> {
        self.conn()
            .query_row(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"),
                params![id],
                device_row,
            )
            .optional()
            .map_err(engine)
    }

    fn devices(&self, cluster: Option<&str>) -> Result<Vec<DeviceRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE ?1 IS NULL OR cluster = ?1 ORDER BY id"
            ))
            .map_err(engine)?;
        let rows = stmt
            .query_map(params![cluster], device_row)
            .map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn revision(&self, device: &str, number: i64) -> Result<Option<RevisionRow>, StoreError> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {REVISION_COLUMNS} FROM revisions WHERE device = ?1 AND number = ?2"
                ),
                params![device, number],
                revision_row,
            )
            .optional()
            .map_err(engine)
    }

    fn revisions(&self, device: &str) -> Result<Vec<RevisionRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS} FROM revisions WHERE device = ?1 ORDER BY number DESC"
            ))
            .map_err(engine)?;
        let rows = stmt
            .query_map(params![device], revision_row)
            .map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn log_fetches(&self, rows: &[FetchRow]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(engine)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO fetches (device, at, source, file, revision, status) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(engine)?;
            for f in rows {
                stmt.execute(params![
                    f.device, f.at, f.source, f.file, f.revision, f.status
                ])
                .map_err(engine)?;
            }
        }
        tx.commit().map_err(engine)
    }

    fn fetches(&self, device: &str, limit: usize) -> Result<Vec<FetchRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT device, at, source, file, revision, status FROM fetches \
                 WHERE device = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(engine)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![device, limit], fetch_row)
            .map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn last_fetches(&self) -> Result<Vec<FetchRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT f.device, f.at, f.source, f.file, f.revision, f.status FROM fetches f \
                 JOIN (SELECT MAX(id) AS id FROM fetches GROUP BY device) m ON f.id = m.id",
            )
            .map_err(engine)?;
        let rows = stmt.query_map([], fetch_row).map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?1",
            )
            .map_err(engine)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![limit], |r| {
                Ok(AuditRow {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT name, role, hash, created_at FROM tokens ORDER BY name")
            .map_err(engine)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TokenRow {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    hash: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })
            .map_err(engine)?;
        rows.collect::<Result<_, _>>().map_err(engine)
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.conn()
            .query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .map(|_| ())
            .map_err(engine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(name: &str) -> ClusterRow {
        ClusterRow {
            name: name.into(),
            endpoint: "https://10.0.0.1:6443".into(),
            talos_version: "v1.13".into(),
            kubernetes_version: "1.35.0".into(),
            install_image: None,
            source_cidrs: "[]".into(),
            key_id: "k".into(),
            wrapped_key: vec![1],
            patches: vec![2],
            secrets: None,
            created_at: 1,
            updated_at: 1,
        }
    }

    // The store contract itself (conflicts, cascades, the fetch log) is
    // tested on both engines in tests/postgres.rs.

    #[test]
    fn reopening_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let s = SqliteStore::open_path(&path).unwrap();
            s.write(&[Write::InsertCluster(cluster("a"))]).unwrap();
        }
        let s = SqliteStore::open_path(&path).unwrap();
        assert_eq!(s.cluster("a").unwrap(), Some(cluster("a")));
    }
}
