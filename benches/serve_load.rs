//! Load generator for the config server (not criterion: a boot storm is
//! a count of requests, not a loop to time). It starts `talgen serve`'s
//! router in-process on 127.0.0.1 port 0 over a fresh SQLite file,
//! registers clusters and devices through the admin API, then:
//!
//! 1. boot storm: every device does Talos's sequence (meta-data,
//!    network-config, user-data, twice), a new connection per request;
//! 2. cached user-data: as many fetches as `CONNS` client threads make in
//!    `SECONDS`, a new connection per request; requests per second and
//!    the p50/p99 latency.
//!
//! Bounded: `TALGEN_LOAD_CLUSTERS` (default 100) × 3 devices, and
//! `TALGEN_LOAD_SECONDS` (default 5) of steady load with
//! `TALGEN_LOAD_CONNS` (default 16) threads. Loopback only.
//!
//! `TALGEN_LOAD_TLS=1`: the server terminates TLS (an ECDSA P-256
//! certificate from a CA made here) and every request is a new TCP
//! connection with a full TLS handshake, as Talos's Go client makes (no
//! session cache, so no resumption).
//!
//! `TALGEN_LOAD_DB=postgres://…`: the store is that PostgreSQL database
//! (it should be empty) instead of a fresh SQLite file.
//!
//! `cargo bench --bench serve_load` (release build).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use talgen_server::crypto::MasterKey;
use talgen_server::secret::Secret;
use talgen_server::service::{Role, Service, ServiceConfig};
use talgen_server::store::sqlite::SqliteStore;

const TOKEN: &str = "load-admin-token-0123456789";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The client's TLS configuration in TLS mode.
static TLS: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();

#[allow(deprecated)] // ring's provider: see talgen_server::tls.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    let mut p = rustls::crypto::ring::default_provider();
    // Go's client sends its key share for X25519 (and X25519MLKEM768,
    // which ring lacks); rustls with ring would start with P-384.
    p.kx_groups = vec![rustls::crypto::ring::kx_group::X25519];
    Arc::new(p)
}

/// A CA and an ECDSA P-256 server certificate for 127.0.0.1, as PEM files
/// in `dir`; the client config trusts only that CA, keeps no sessions.
fn tls_setup(dir: &std::path::Path) -> (Arc<talgen_server::tls::TlsConfig>, rustls::ClientConfig) {
    use talgen_pki::{Ca, CertificateProfile, ExtKeyUsage, KeyType};
    let now = SystemTime::now();
    let ca = Ca::self_signed(
        KeyType::EcdsaP256,
        &CertificateProfile::talos_ca("load", now),
    )
    .unwrap();
    let issued = ca
        .issue_with_new_key(
            &CertificateProfile::new(now, now + Duration::from_secs(86400))
                .ext_key_usage([ExtKeyUsage::ServerAuth])
                .ip_addresses([std::net::IpAddr::from([127, 0, 0, 1])]),
        )
        .unwrap();
    let (cert, key) = (dir.join("tls.crt"), dir.join("tls.key"));
    std::fs::write(&cert, &issued.cert_pem).unwrap();
    std::fs::write(&key, &issued.key_pem).unwrap();
    let server = talgen_server::tls::TlsConfig::from_pem_files(&cert, &key).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            ca.certificate().der().to_vec(),
        ))
        .unwrap();
    let mut client = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = rustls::client::Resumption::disabled();
    client.alpn_protocols = vec![b"http/1.1".to_vec()];
    (Arc::new(server), client)
}

fn request(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    let mut raw = Vec::with_capacity(16 * 1024);
    if let Some(config) = TLS.get() {
        let name = rustls::pki_types::ServerName::from(addr.ip());
        let mut conn = rustls::ClientConnection::new(Arc::clone(config), name).unwrap();
        let mut tls = rustls::Stream::new(&mut conn, &mut s);
        tls.write_all(head.as_bytes()).unwrap();
        tls.write_all(body).unwrap();
        tls.read_to_end(&mut raw).unwrap();
    } else {
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        s.read_to_end(&mut raw).unwrap();
    }
    let status = std::str::from_utf8(&raw[9..12]).unwrap().parse().unwrap();
    let start = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |p| p + 4);
    (status, raw[start..].to_vec())
}

fn api(addr: SocketAddr, path: &str, body: &serde_json::Value) -> serde_json::Value {
    let body = serde_json::to_vec(body).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (status, resp) = request(addr, &head, &body);
    assert!(
        status == 201 || status == 200,
        "{path}: {status} {}",
        String::from_utf8_lossy(&resp)
    );
    serde_json::from_slice(&resp).unwrap()
}

fn fetch_head(device: &str, secret: &str, file: &str) -> String {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{device}:{secret}"));
    format!(
        "GET /nocloud/{device}/{file} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Authorization: Basic {auth}\r\nAccept-Encoding: gzip\r\nUser-Agent: Go-http-client/1.1\r\n\r\n"
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // useful either: both just run the bounded load.
    let clusters = env("TALGEN_LOAD_CLUSTERS", 100);
    let seconds = env("TALGEN_LOAD_SECONDS", 5);
    let conns = env("TALGEN_LOAD_CONNS", 16);
    let tls_mode = env("TALGEN_LOAD_TLS", 0) != 0;

    let dir = tempfile::tempdir().unwrap();
    let server_tls = tls_mode.then(|| {
        let (server, client) = tls_setup(dir.path());
        let _ = TLS.set(Arc::new(client));
        server
    });
    println!(
        "mode: {}",
        if tls_mode {
            "TLS (ECDSA P-256, new TCP+TLS connection per request, no resumption)"
        } else {
            "plain HTTP"
        }
    );
    let store: Arc<dyn talgen_server::store::Store> = match std::env::var("TALGEN_LOAD_DB") {
        Ok(url) if url.starts_with("postgres") => {
            eprintln!("store: PostgreSQL");
            Arc::new(talgen_server::store::postgres::PostgresStore::connect(&url).unwrap())
        }
        _ => {
            eprintln!("store: SQLite");
            Arc::new(SqliteStore::open_path(&dir.path().join("load.db")).unwrap())
        }
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let service = Service::open(
        store,
        MasterKey::generate().unwrap(),
        ServiceConfig {
            public_url: format!("http://{addr}"),
            prefix: "/nocloud".into(),
            ..ServiceConfig::default()
        },
    )
    .unwrap();
    service
        .put_token("load", Role::Admin, &Secret::new(TOKEN))
        .unwrap();
    let svc = Arc::clone(&service);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let router = talgen_server::http::router(svc, "/nocloud");
            let stop = async {
                let _ = stop_rx.await;
            };
            match server_tls {
                Some(tls) => talgen_server::tls::serve_tls(listener, router, tls, stop).await,
                None => talgen_server::http::serve(listener, router, stop).await,
            }
            .unwrap();
        });
    });

    // Register.
    let t = Instant::now();
    let mut devices = Vec::new();
    for c in 0..clusters {
        let name = format!("store-{c:04}");
        api(
            addr,
            "/api/v1/clusters",
            &serde_json::json!({
                "name": name, "endpoint": format!("https://10.{}.{}.10:6443", c / 250, c % 250),
                "talosVersion": "v1.6", "kubernetesVersion": "1.29.0",
                "patches": ["machine:\n  time:\n    servers: [time.example.net]\n"],
            }),
        );
        for (i, role) in ["controlplane", "worker", "worker"].iter().enumerate() {
            let id = format!("{name}-n{i}");
            let created = api(
                addr,
                "/api/v1/devices",
                &serde_json::json!({
                    "id": id, "cluster": name, "role": role, "hostname": id,
                    "network": {"ip": format!("10.{}.{}.{}/24", c / 250, c % 250, 11 + i), "gateway": format!("10.{}.{}.1", c / 250, c % 250)},
                    "patches": [{"machine": {"nodeLabels": {"store": name}}}],
                }),
            );
            devices.push((id, created["secret"].as_str().unwrap().to_owned()));
        }
    }
    service.wait_idle();
    let registered = t.elapsed();
    println!(
        "registered {clusters} clusters x 3 devices in {registered:.2?} ({:.1} devices/s)",
        devices.len() as f64 / registered.as_secs_f64()
    );

    // Boot storm: every device's Talos sequence, twice, CONNS at a time.
    let t = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let devices = Arc::new(devices);
    let workers: Vec<_> = (0..conns)
        .map(|_| {
            let (next, errors, devices) =
                (Arc::clone(&next), Arc::clone(&errors), Arc::clone(&devices));
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((id, secret)) = devices.get(i) else {
                    return;
                };
                for _round in 0..2 {
                    for file in ["meta-data", "network-config", "user-data"] {
                        let (status, body) = request(addr, &fetch_head(id, secret, file), b"");
                        if status != 200 || body.is_empty() {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let storm = t.elapsed();
    let storm_requests = devices.len() * 6;
    println!(
        "boot storm: {} devices, {storm_requests} requests in {storm:.2?} ({:.0} req/s), {} errors",
        devices.len(),
        storm_requests as f64 / storm.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );

    // Steady cached user-data.
    let stop = Arc::new(AtomicBool::new(false));
    let t = Instant::now();
    let workers: Vec<_> = (0..conns)
        .map(|k| {
            let (stop, errors, devices) =
                (Arc::clone(&stop), Arc::clone(&errors), Arc::clone(&devices));
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut i = k;
                while !stop.load(Ordering::Relaxed) {
                    let (id, secret) = &devices[i % devices.len()];
                    i += conns;
                    let started = Instant::now();
                    let (status, _) = request(addr, &fetch_head(id, secret, "user-data"), b"");
                    lat.push(started.elapsed());
                    if status != 200 {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                lat
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds as u64));
    stop.store(true, Ordering::Relaxed);
    let mut lat: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let took = t.elapsed();
    lat.sort();
    println!(
        "cached user-data: {} requests in {took:.2?} = {:.0} req/s with {conns} connections at a time \
         (new connection each); p50 {:.2?}, p99 {:.2?}; errors so far {}",
        lat.len(),
        lat.len() as f64 / took.as_secs_f64(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        errors.load(Ordering::Relaxed)
    );
    let _ = stop_tx.send(());
    server.join().unwrap();
    service.shutdown();
}
