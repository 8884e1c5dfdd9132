// A server on 127.0.0.1 port 0 over a fresh SQLite file (or any store),
// a minimal HTTP/1.1 client that opens a new connection per request, as
// Talos does, and a private PostgreSQL database per test when
// TALGEN_TEST_POSTGRES_URL names a server.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use talgen_server::crypto::{Keyring, MasterKey};
use talgen_server::secret::Secret;
use talgen_server::service::{Role, Service, ServiceConfig};
use talgen_server::store::sqlite::SqliteStore;
use talgen_server::store::Store;

pub const ADMIN: &str = "admin-token-0123456789";
pub const READER: &str = "reader-token-0123456789";

pub struct TestServer {
    pub addr: SocketAddr,
    /// The TLS listener's address, when started with [`TestServer::start_tls`]:
    /// the same router as `addr`, behind TLS.
    pub tls_addr: Option<SocketAddr>,
    pub service: Arc<Service>,
    pub db: PathBuf,
    pub master: Keyring,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("talgen.db");
        let mut s = Self::start_on(db, MasterKey::generate().unwrap());
        s._dir = Some(dir);
        s
    }

    pub fn start_on(db: PathBuf, master: impl Into<Keyring>) -> Self {
        let store = Arc::new(SqliteStore::open_path(&db).unwrap());
        let mut s = Self::start_full(store, master.into(), ServiceConfig::default(), None);
        s.db = db;
        s
    }

    /// A server over `store`; `config`'s public URL is replaced by the
    /// address it listens on.
    pub fn start_with(
        store: Arc<dyn Store>,
        master: impl Into<Keyring>,
        config: ServiceConfig,
    ) -> Self {
        Self::start_full(store, master.into(), config, None)
    }

    /// A plain listener and a TLS one with `tls`, over one service.
    pub fn start_tls(tls: Arc<talgen_server::tls::TlsConfig>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("talgen.db");
        let store = Arc::new(SqliteStore::open_path(&db).unwrap());
        let mut s = Self::start_full(
            store,
            MasterKey::generate().unwrap().into(),
            ServiceConfig::default(),
            Some(tls),
        );
        s.db = db;
        s._dir = Some(dir);
        s
    }

    fn start_full(
        store: Arc<dyn Store>,
        master: Keyring,
        config: ServiceConfig,
        tls: Option<Arc<talgen_server::tls::TlsConfig>>,
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let tls = tls.map(|config| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.set_nonblocking(true).unwrap();
            (l, config)
        });
        let tls_addr = tls.as_ref().map(|(l, _)| l.local_addr().unwrap());
        let db = PathBuf::new();
        let service = Service::open(
            store,
            master.clone(),
            ServiceConfig {
                public_url: format!("http://{addr}"),
                prefix: "/nocloud".into(),
                ..config
            },
        )
        .unwrap();
        service
            .put_token("admin", Role::Admin, &Secret::new(ADMIN))
            .unwrap();
        service
            .put_token("reader", Role::ReadOnly, &Secret::new(READER))
            .unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let svc = Arc::clone(&service);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let router = talgen_server::http::router(svc, "/nocloud");
                let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
                let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
                    let _ = rx.wait_for(|s| *s).await;
                };
                let secure = tls.map(|(l, config)| {
                    let l = tokio::net::TcpListener::from_std(l).unwrap();
                    tokio::spawn(talgen_server::tls::serve_tls(
                        l,
                        router.clone(),
                        config,
                        stopped(stop_rx.clone()),
                    ))
                });
                let plain = tokio::spawn(talgen_server::http::serve(
                    listener,
                    router,
                    stopped(stop_rx),
                ));
                let _ = rx.await;
                let _ = stop_tx.send(true);
                plain.await.unwrap().unwrap();
                if let Some(secure) = secure {
                    secure.await.unwrap().unwrap();
                }
            });
        });
        Self {
            addr,
            tls_addr,
            service,
            db,
            master,
            stop: Some(tx),
            thread: Some(thread),
            _dir: None,
        }
    }

    pub fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.service.shutdown();
    }

    pub fn api(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Resp {
        self.api_as(ADMIN, method, path, body)
    }

    pub fn api_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Resp {
        let body = body.map(|b| serde_json::to_vec(b).unwrap());
        let auth = format!("Bearer {token}");
        let mut headers = vec![("Authorization", auth.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        request(self.addr, method, path, &headers, body.as_deref())
    }

    /// One Talos-style fetch: basic auth from the seed URL, gzip accepted
    /// (Go's transport asks for it), a new connection.
    pub fn fetch(&self, device: &str, secret: &str, file: &str) -> Resp {
        let auth = basic(device, secret);
        request(
            self.addr,
            "GET",
            &format!("/nocloud/{device}/{file}"),
            &[
                ("Authorization", auth.as_str()),
                ("Accept-Encoding", "gzip"),
            ],
            None,
        )
    }

    /// Creates a v1.13 cluster through the API and waits for its secrets.
    pub fn create_cluster(&self, name: &str, endpoint: &str) {
        let r = self.api(
            "POST",
            "/api/v1/clusters",
            Some(&serde_json::json!({
                "name": name, "endpoint": endpoint,
                "talosVersion": "v1.13", "kubernetesVersion": "1.35.0",
            })),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        self.wait_ready(name);
    }

    /// Waits until the cluster's secrets are made.
    pub fn wait_ready(&self, cluster: &str) {
        for _ in 0..600 {
            let r = self.api("GET", &format!("/api/v1/clusters/{cluster}"), None);
            assert_eq!(r.status, 200, "{}", r.text());
            if r.json()["secrets"] == "ready" {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("cluster {cluster} secrets never became ready");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    /// The body, gunzipped when it was sent gzip-encoded.
    pub fn decoded(&self) -> Vec<u8> {
        if self.header("content-encoding") == Some("gzip") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&self.body[..])
                .read_to_end(&mut out)
                .unwrap();
            out
        } else {
            self.body.clone()
        }
    }
}

pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    if let Some(b) = body {
        s.write_all(b).unwrap();
    }
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// A fresh database on the PostgreSQL server of `TALGEN_TEST_POSTGRES_URL`
/// (created here, named after `name` and a random suffix), as a URL.
/// Without the variable: `None` and a note on stderr, except under CI,
/// where its absence fails the test.
pub fn postgres_db(name: &str) -> Option<String> {
    let Ok(base) = std::env::var("TALGEN_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide TALGEN_TEST_POSTGRES_URL (see .ci/postgres)"
        );
        eprintln!("skipped: TALGEN_TEST_POSTGRES_URL is not set");
        return None;
    };
    let mut suffix = [0u8; 4];
    getrandom::fill(&mut suffix).unwrap();
    let db = format!("talgen_{name}_{}", hex::encode(suffix));
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    Some(format!("{prefix}/{db}"))
}
