#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! `talgen serve` as an operator runs it: key files, a real listener on
//! 127.0.0.1 port 0, the admin API and a device fetch, then SIGTERM.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Command, Stdio};
use std::time::Duration;

fn talgen(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn http(addr: SocketAddr, method: &str, path: &str, auth: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_runs_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("master.key");
    let token = dir.path().join("admin.token");
    let k = key.to_str().unwrap();
    let t = token.to_str().unwrap();
    assert_eq!(talgen(&["serve", "gen-master-key", "-o", k]).0, 0);
    assert_eq!(talgen(&["serve", "gen-token", "-o", t]).0, 0);
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Never overwritten.
    let before = std::fs::read(&key).unwrap();
    let (code, err) = talgen(&["serve", "gen-master-key", "-o", k]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // Refused without a master key, and with a PostgreSQL URL this build lacks.
    let (code, err) = talgen(&["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, 1);
    assert!(err.contains("--master-key-file"), "{err}");

    let db = format!("sqlite:{}", dir.path().join("t.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args([
            "serve",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--master-key-file",
            k,
            "--admin-token-file",
            t,
        ])
        .env("TALGEN_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("talgen serve: listening on http://")
        .unwrap_or_else(|| panic!("{line}"))
        .parse()
        .unwrap();
    let bearer = format!("Bearer {}", std::fs::read_to_string(&token).unwrap().trim());
    let cluster = r#"{"name":"c1","endpoint":"https://10.0.0.1:6443","talosVersion":"v1.6","kubernetesVersion":"1.29.0"}"#;
    let (status, body) = http(addr, "POST", "/api/v1/clusters", &bearer, cluster);
    assert_eq!(status, 201, "{body}");
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/devices",
        &bearer,
        r#"{"id":"d1","cluster":"c1","role":"worker","hostname":"d1"}"#,
    );
    assert_eq!(status, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let serial = created["smbios"]["serial"].as_str().unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert_eq!(
        serial,
        format!("ds=nocloud-net;s=http://d1:{secret}@{addr}/nocloud/d1/;h=d1")
    );
    let (status, _) = http(addr, "GET", "/nocloud/d1/network-config", "Basic eA==", "");
    assert_eq!(status, 401);

    // SIGTERM: a clean exit.
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("stopping"), "{rest}");
}

struct Server {
    child: std::process::Child,
    addr: SocketAddr,
    token: std::path::PathBuf,
    dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("master.key");
        let token = dir.path().join("admin.token");
        assert_eq!(
            talgen(&["serve", "gen-master-key", "-o", key.to_str().unwrap()]).0,
            0
        );
        assert_eq!(
            talgen(&["serve", "gen-token", "-o", token.to_str().unwrap()]).0,
            0
        );
        Self::start_in(dir)
    }

    /// (Re)starts a server over the key, token and database in `dir`.
    fn start_in(dir: tempfile::TempDir) -> Self {
        let key = dir.path().join("master.key");
        let token = dir.path().join("admin.token");
        let db = format!("sqlite:{}", dir.path().join("t.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
            .args([
                "--master-key-file",
                key.to_str().unwrap(),
                "--admin-token-file",
                token.to_str().unwrap(),
            ])
            .env("TALGEN_LOG", "warn")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("talgen serve: listening on http://")
            .unwrap()
            .parse()
            .unwrap();
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Self {
            child,
            addr,
            token,
            dir,
        }
    }

    fn fleet(&self, args: &[&str]) -> (i32, String, String) {
        let url = format!("http://{}", self.addr);
        let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .arg("fleet")
            .args(args)
            .args([
                "--server",
                &url,
                "--token-file",
                self.token.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const FLEET: &str = "\
defaults:
  talosVersion: v1.6
  kubernetesVersion: 1.29.0
  patches: ['@common.yaml']
clusters:
  - name: s1
    endpoint: https://10.1.0.10:6443
    nodes:
      - hostname: s1-cp1
        role: controlplane
        network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1]}
      - hostname: s1-w1
        role: worker
        patches:
          - machine: {nodeLabels: {store: s1}}
  - name: s2
    endpoint: https://10.2.0.10:6443
    nodes:
      - hostname: s2-cp1
        role: controlplane
";

#[test]
fn fleet_apply_plans_creates_is_idempotent_and_prunes() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet.yaml");
    std::fs::write(&fleet, FLEET).unwrap();
    std::fs::write(
        dir.path().join("common.yaml"),
        "machine:\n  time:\n    servers: [time.example.net]\n",
    )
    .unwrap();
    let f = fleet.to_str().unwrap();

    // Dry run: the plan, nothing changed.
    let (code, out, err) = server.fleet(&["apply", f, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("+ cluster s1 (v1.6, Kubernetes 1.29.0)"),
        "{out}"
    );
    assert!(out.contains("+ device s1-w1 (worker in s1)"), "{out}");
    assert!(
        out.contains("plan: 5 steps (3 new devices); dry run"),
        "{out}"
    );
    let (_, out, _) = server.fleet(&["status", "-o", "json"]);
    assert_eq!(out.trim(), "[]");

    // Creating devices without a place for their secrets is refused up front.
    let (code, _, err) = server.fleet(&["apply", f]);
    assert_eq!(code, 1);
    assert!(err.contains("--secrets-out"), "{err}");

    let secrets = dir.path().join("secrets.json");
    let (code, out, err) = server.fleet(&["apply", f, "--secrets-out", secrets.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("applied 5 of 5 steps"), "{out}");
    let issued: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&secrets).unwrap()).unwrap();
    assert_eq!(issued.as_array().unwrap().len(), 3);
    assert_eq!(
        std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Again: nothing to do.
    let (code, out, _) = server.fleet(&["apply", f]);
    assert_eq!(code, 0);
    assert!(out.contains("plan: 0 steps"), "{out}");

    // An upgrade and a removed node.
    let changed = FLEET.replace("kubernetesVersion: 1.29.0", "kubernetesVersion: 1.29.3").replace(
        "      - hostname: s1-w1\n        role: worker\n        patches:\n          - machine: {nodeLabels: {store: s1}}\n",
        "",
    );
    std::fs::write(&fleet, changed).unwrap();
    let (code, out, err) = server.fleet(&["apply", f, "--prune"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("~ cluster s1: kubernetesVersion 1.29.0 -> 1.29.3"),
        "{out}"
    );
    assert!(out.contains("- device s1-w1 (retired)"), "{out}");
    let (_, out, _) = server.fleet(&["status", "-o", "json"]);
    let devices: serde_json::Value = serde_json::from_str(&out).unwrap();
    let states: Vec<(&str, &str, i64)> = devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap(),
                d["state"].as_str().unwrap(),
                d["revision"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("s1-cp1", "active", 2),
            ("s1-w1", "retired", 2),
            ("s2-cp1", "active", 2)
        ]
    );
    let (code, table, _) = server.fleet(&["status", "--cluster", "s1"]);
    assert_eq!(code, 0);
    assert!(table.starts_with("DEVICE"), "{table}");
    assert!(
        table.contains("s1-cp1") && !table.contains("s2-cp1"),
        "{table}"
    );

    // A contract change is refused unless allowed.
    std::fs::write(
        &fleet,
        FLEET.replace("talosVersion: v1.6", "talosVersion: v1.7"),
    )
    .unwrap();
    let (code, _, err) = server.fleet(&["apply", f, "--dry-run"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("pins v1.6") && err.contains("--allow-contract-change"),
        "{err}"
    );
}

#[test]
fn a_killed_server_loses_no_acknowledged_change() {
    let mut server = Server::start();
    let bearer = format!(
        "Bearer {}",
        std::fs::read_to_string(&server.token).unwrap().trim()
    );
    let cluster = r#"{"name":"c1","endpoint":"https://10.0.0.1:6443","talosVersion":"v1.6","kubernetesVersion":"1.29.0"}"#;
    assert_eq!(
        http(server.addr, "POST", "/api/v1/clusters", &bearer, cluster).0,
        201
    );
    // Create devices from a second thread while this one kills the server.
    let addr = server.addr;
    let b = bearer.clone();
    let writer = std::thread::spawn(move || {
        let mut acknowledged = Vec::new();
        for i in 0..10_000 {
            let body =
                format!(r#"{{"id":"d{i}","cluster":"c1","role":"worker","hostname":"d{i}"}}"#);
            let result =
                std::panic::catch_unwind(|| http(addr, "POST", "/api/v1/devices", &b, &body));
            match result {
                Ok((201, _)) => acknowledged.push(format!("d{i}")),
                _ => break,
            }
        }
        acknowledged
    });
    std::thread::sleep(Duration::from_millis(400));
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let acknowledged = writer.join().unwrap();
    assert!(
        acknowledged.len() > 3,
        "only {} writes before the kill",
        acknowledged.len()
    );

    let dir = std::mem::replace(&mut server.dir, tempfile::tempdir().unwrap());
    let restarted = Server::start_in(dir);
    let (status, body) = http(
        restarted.addr,
        "GET",
        "/api/v1/devices?cluster=c1",
        &bearer,
        "",
    );
    assert_eq!(status, 200, "{body}");
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids: std::collections::BTreeSet<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    for id in &acknowledged {
        assert!(
            ids.contains(id.as_str()),
            "{id} was acknowledged, then lost"
        );
    }
    // At most the one write in flight at the kill is there unacknowledged.
    assert!(
        ids.len() <= acknowledged.len() + 1,
        "{} stored, {} acknowledged",
        ids.len(),
        acknowledged.len()
    );
}

/// A CA and a server certificate for 127.0.0.1 it issued, as PEM files in
/// `dir` named `stem`.crt and `stem`.key; returns the CA.
fn tls_files(dir: &std::path::Path, stem: &str) -> talgen_pki::Ca {
    use talgen_pki::{Ca, CertificateProfile, ExtKeyUsage, KeyType};
    let now = std::time::SystemTime::now();
    let ca = Ca::self_signed(
        KeyType::EcdsaP256,
        &CertificateProfile::talos_ca(stem, now).common_name(stem),
    )
    .unwrap();
    let issued = ca
        .issue_with_new_key(
            &CertificateProfile::new(
                now - Duration::from_secs(60),
                now + Duration::from_secs(3600),
            )
            .ext_key_usage([ExtKeyUsage::ServerAuth])
            .ip_addresses([std::net::IpAddr::from([127, 0, 0, 1])]),
        )
        .unwrap();
    std::fs::write(dir.join(format!("{stem}.crt")), &issued.cert_pem).unwrap();
    std::fs::write(dir.join(format!("{stem}.key")), &issued.key_pem).unwrap();
    ca
}

/// GET `path` over a new TLS connection trusting only `ca`.
fn https_get(addr: SocketAddr, ca: &talgen_pki::Ca, path: &str) -> std::io::Result<(u16, String)> {
    use std::sync::Arc;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            ca.certificate().der().to_vec(),
        ))
        .unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::from(addr.ip());
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let sock = TcpStream::connect(addr)?;
    sock.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    write!(
        tls,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    tls.read_to_string(&mut raw)?;
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

#[test]
fn serve_tls_refuses_bad_files_before_listening() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("master.key");
    assert_eq!(
        talgen(&["serve", "gen-master-key", "-o", key.to_str().unwrap()]).0,
        0
    );
    tls_files(dir.path(), "a");
    tls_files(dir.path(), "b");
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    // A port that was free a moment ago: nothing must listen on it after.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let listen = port.to_string();
    let db = format!("sqlite:{}", path("t.db"));
    let base = [
        "serve",
        "--db",
        &db,
        "--listen",
        &listen,
        "--master-key-file",
        key.to_str().unwrap(),
    ];
    let cases = [
        (
            path("a.crt"),
            path("b.key"),
            "does not match the certificate",
        ),
        (path("a.crt"), path("missing.key"), "missing.key"),
        (path("a.crt"), path("a.crt"), "no private key"),
        (path("a.key"), path("a.key"), "no certificate"),
    ];
    for (cert, tls_key, want) in &cases {
        let mut args = base.to_vec();
        args.extend(["--tls-cert", cert, "--tls-key", tls_key]);
        let (code, err) = talgen(&args);
        assert_ne!(code, 0, "{err}");
        assert!(err.contains(want), "{want:?} not in {err}");
        assert!(err.contains("TLS"), "{err}");
        assert!(!err.contains("listening"), "{err}");
        assert!(TcpStream::connect(port).is_err(), "something listens");
    }
    // Both or neither.
    let mut args = base.to_vec();
    args.extend(["--tls-cert", &cases[0].0]);
    let (code, err) = talgen(&args);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("--tls-key"), "{err}");
}

#[test]
fn serve_tls_answers_https_and_reloads_on_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("master.key");
    assert_eq!(
        talgen(&["serve", "gen-master-key", "-o", key.to_str().unwrap()]).0,
        0
    );
    let first = tls_files(dir.path(), "server");
    let cert = dir.path().join("server.crt");
    let tls_key = dir.path().join("server.key");
    let db = format!("sqlite:{}", dir.path().join("t.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
        .args(["--master-key-file", key.to_str().unwrap()])
        .args(["--tls-cert", cert.to_str().unwrap()])
        .args(["--tls-key", tls_key.to_str().unwrap()])
        .env("TALGEN_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("talgen serve: listening on https://")
        .unwrap_or_else(|| panic!("{line}"))
        .parse()
        .unwrap();
    assert_eq!(
        https_get(addr, &first, "/healthz").unwrap(),
        (200, "ok\n".to_owned())
    );

    // A renewal from another CA over the same files, then SIGHUP.
    let second = tls_files(dir.path(), "renewed");
    std::fs::copy(dir.path().join("renewed.crt"), &cert).unwrap();
    std::fs::copy(dir.path().join("renewed.key"), &tls_key).unwrap();
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    line.clear();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("reloaded the TLS certificate"), "{line}");
    assert_eq!(https_get(addr, &second, "/healthz").unwrap().0, 200);
    assert!(https_get(addr, &first, "/healthz").is_err());

    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
