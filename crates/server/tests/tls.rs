#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The server over real TLS on 127.0.0.1: a CA made here issues the
//! server's certificate (ECDSA P-256, SANs 127.0.0.1 and localhost), and a
//! rustls client that trusts only that CA fetches what Talos fetches.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use common::{basic, parse_response, Resp, TestServer};
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::json;
use talgen_pki::{Ca, CertificateProfile, ExtKeyUsage, KeyType, KeyUsage};
use talgen_server::tls::{TlsConfig, TlsError};

/// A CA and a server certificate it issued, written as PEM files.
struct Pki {
    ca: Ca,
    cert: PathBuf,
    key: PathBuf,
}

fn ca(name: &str) -> Ca {
    Ca::self_signed(
        KeyType::EcdsaP256,
        &CertificateProfile::talos_ca(name, SystemTime::now()).common_name(name),
    )
    .unwrap()
}

/// Issues a server certificate from `ca` into `dir`/`stem`.{crt,key}.
fn issue(ca: Ca, dir: &Path, stem: &str) -> Pki {
    let now = SystemTime::now();
    let profile = CertificateProfile::new(
        now - Duration::from_secs(3600),
        now + Duration::from_secs(86400),
    )
    .common_name("localhost")
    .key_usage(KeyUsage::DIGITAL_SIGNATURE)
    .ext_key_usage([ExtKeyUsage::ServerAuth])
    .dns_names(["localhost"])
    .ip_addresses([IpAddr::V4(Ipv4Addr::LOCALHOST)]);
    let issued = ca.issue_with_new_key(&profile).unwrap();
    let cert = dir.join(format!("{stem}.crt"));
    let key = dir.join(format!("{stem}.key"));
    std::fs::write(&cert, &issued.cert_pem).unwrap();
    std::fs::write(&key, &issued.key_pem).unwrap();
    Pki { ca, cert, key }
}

fn client_config(trusted: &Ca) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(trusted.certificate().der().to_vec()))
        .unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Go's transport offers both; the server must pick HTTP/1.1.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(config)
}

/// What one HTTPS request saw: the response, and the negotiated protocol
/// version and ALPN.
struct Seen {
    resp: Resp,
    version: Option<rustls::ProtocolVersion>,
    alpn: Option<Vec<u8>>,
}

/// One request on a new TCP+TLS connection to `addr` as `name`.
fn https(
    addr: SocketAddr,
    config: &Arc<rustls::ClientConfig>,
    name: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Seen> {
    let server_name = ServerName::try_from(name.to_owned()).unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::clone(config), server_name).unwrap();
    let mut sock = TcpStream::connect(addr)?;
    sock.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut tls = rustls::Stream::new(&mut conn, &mut sock);
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    tls.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    tls.read_to_end(&mut raw)?;
    Ok(Seen {
        resp: parse_response(&raw),
        version: conn.protocol_version(),
        alpn: conn.alpn_protocol().map(<[u8]>::to_vec),
    })
}

fn setup_devices(s: &TestServer) -> (String, String) {
    let c = s.api(
        "POST",
        "/api/v1/clusters",
        Some(&json!({
            "name": "c1", "endpoint": "https://10.1.0.10:6443",
            "talosVersion": "v1.6", "kubernetesVersion": "1.29.0",
        })),
    );
    assert_eq!(c.status, 201, "{}", c.text());
    s.wait_ready("c1");
    let d = s.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({
            "id": "d1", "cluster": "c1", "role": "controlplane", "hostname": "d1",
            "network": {"ip": "10.1.0.11/24", "gateway": "10.1.0.1"}
        })),
    );
    assert_eq!(d.status, 201, "{}", d.text());
    (
        "d1".to_owned(),
        d.json()["secret"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn https_serves_the_seed_files_byte_for_byte_as_http_does() {
    let dir = tempfile::tempdir().unwrap();
    let pki = issue(ca("test-ca"), dir.path(), "server");
    let tls = Arc::new(TlsConfig::from_pem_files(&pki.cert, &pki.key).unwrap());
    let s = TestServer::start_tls(tls);
    let tls_addr = s.tls_addr.unwrap();
    let (device, secret) = setup_devices(&s);
    let trusting = client_config(&pki.ca);
    let auth = basic(&device, &secret);
    for name in ["127.0.0.1", "localhost"] {
        for file in ["meta-data", "network-config", "user-data"] {
            for gzip in [false, true] {
                let mut headers = vec![("Authorization", auth.as_str())];
                if gzip {
                    headers.push(("Accept-Encoding", "gzip"));
                }
                let plain = common::request(
                    s.addr,
                    "GET",
                    &format!("/nocloud/{device}/{file}"),
                    &headers,
                    None,
                );
                let seen = https(
                    tls_addr,
                    &trusting,
                    name,
                    &format!("/nocloud/{device}/{file}"),
                    &headers,
                )
                .unwrap_or_else(|e| panic!("{name} {file}: {e}"));
                assert_eq!(plain.status, 200, "{file}: {}", plain.text());
                assert_eq!(seen.resp.status, 200, "{file}: {}", seen.resp.text());
                assert!(!seen.resp.body.is_empty(), "{file}");
                assert_eq!(seen.resp.body, plain.body, "{name} {file} gzip={gzip}");
                assert_eq!(seen.resp.header("etag"), plain.header("etag"));
                assert_eq!(
                    seen.resp.header("content-encoding"),
                    plain.header("content-encoding")
                );
                assert_eq!(seen.version, Some(rustls::ProtocolVersion::TLSv1_3));
                assert_eq!(seen.alpn.as_deref(), Some(&b"http/1.1"[..]));
            }
        }
    }
    // The wrong secret over TLS is the same 401.
    let wrong = basic(&device, "guess");
    let seen = https(
        tls_addr,
        &trusting,
        "127.0.0.1",
        "/nocloud/d1/user-data",
        &[("Authorization", wrong.as_str())],
    )
    .unwrap();
    assert_eq!(seen.resp.status, 401);
    // Handlers saw the TLS peer's address: the fetch log has it.
    s.service.wait_idle();
    let log = s.api("GET", "/api/v1/devices/d1/fetches?limit=100", None);
    assert_eq!(log.status, 200, "{}", log.text());
    let rows = log.json();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["source"] == "127.0.0.1"), "{rows:?}");
}

#[test]
fn clients_without_the_ca_and_plain_http_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pki = issue(ca("test-ca"), dir.path(), "server");
    let tls = Arc::new(TlsConfig::from_pem_files(&pki.cert, &pki.key).unwrap());
    let s = TestServer::start_tls(tls);
    let tls_addr = s.tls_addr.unwrap();

    // A client trusting another CA fails the handshake on the certificate.
    let stranger = client_config(&ca("other-ca"));
    let err = https(tls_addr, &stranger, "127.0.0.1", "/healthz", &[])
        .err()
        .expect("an untrusted certificate must fail the handshake");
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
        .unwrap_or_else(|| panic!("not a rustls error: {err}"));
    assert!(
        matches!(
            inner,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
        ),
        "{inner:?}"
    );
    // A name the certificate does not carry fails too, even with the CA.
    let trusting = client_config(&pki.ca);
    let err = https(tls_addr, &trusting, "example.net", "/healthz", &[])
        .err()
        .expect("a wrong name must fail the handshake");
    assert!(err.to_string().contains("certificate"), "{err}");

    // Plain HTTP on the TLS port gets no HTTP answer at all.
    let mut sock = TcpStream::connect(tls_addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    sock.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    let _ = sock.read_to_end(&mut raw);
    assert!(
        !raw.starts_with(b"HTTP/"),
        "{}",
        String::from_utf8_lossy(&raw)
    );

    // And the server still serves a trusting client afterwards.
    let seen = https(tls_addr, &trusting, "127.0.0.1", "/healthz", &[]).unwrap();
    assert_eq!(seen.resp.status, 200);
    assert_eq!(seen.resp.body, b"ok\n");
}

#[test]
fn a_stalled_handshake_blocks_neither_others_nor_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let pki = issue(ca("test-ca"), dir.path(), "server");
    let tls = Arc::new(TlsConfig::from_pem_files(&pki.cert, &pki.key).unwrap());
    let mut s = TestServer::start_tls(tls);
    let tls_addr = s.tls_addr.unwrap();
    let trusting = client_config(&pki.ca);
    // Connections that never say anything, and one that sends half a
    // ClientHello.
    let silent: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(tls_addr).unwrap())
        .collect();
    let mut half = TcpStream::connect(tls_addr).unwrap();
    half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        .unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        let seen = https(tls_addr, &trusting, "localhost", "/healthz", &[]).unwrap();
        assert_eq!(seen.resp.status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Shutdown abandons the handshakes instead of waiting out their timeout.
    let started = Instant::now();
    s.stop();
    assert!(
        started.elapsed() < talgen_server::tls::HANDSHAKE_TIMEOUT / 2,
        "{:?}",
        started.elapsed()
    );
    assert!(TcpStream::connect(tls_addr).is_err(), "still listening");
    drop((silent, half));
}

#[test]
fn reloading_swaps_the_certificate_and_a_bad_file_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let first = issue(ca("first-ca"), dir.path(), "server");
    let tls = Arc::new(TlsConfig::from_pem_files(&first.cert, &first.key).unwrap());
    let s = TestServer::start_tls(Arc::clone(&tls));
    let tls_addr = s.tls_addr.unwrap();
    let old = client_config(&first.ca);
    assert_eq!(
        https(tls_addr, &old, "127.0.0.1", "/healthz", &[])
            .unwrap()
            .resp
            .status,
        200
    );

    // A renewal from another CA written over the same files.
    let second = issue(ca("second-ca"), dir.path(), "next");
    std::fs::copy(&second.cert, &first.cert).unwrap();
    std::fs::copy(&second.key, &first.key).unwrap();
    tls.reload_pem_files().unwrap();
    let new = client_config(&second.ca);
    assert_eq!(
        https(tls_addr, &new, "127.0.0.1", "/healthz", &[])
            .unwrap()
            .resp
            .status,
        200
    );
    assert!(https(tls_addr, &old, "127.0.0.1", "/healthz", &[]).is_err());

    // A half-written renewal (the key of another certificate) is refused
    // and the working pair stays.
    let third = issue(ca("third-ca"), dir.path(), "third");
    std::fs::copy(&third.key, &first.key).unwrap();
    let err = tls.reload_pem_files().unwrap_err();
    assert!(matches!(err, TlsError::KeyMismatch { .. }), "{err:?}");
    assert_eq!(
        https(tls_addr, &new, "127.0.0.1", "/healthz", &[])
            .unwrap()
            .resp
            .status,
        200
    );
}

#[test]
fn bad_files_are_clear_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = issue(ca("a"), dir.path(), "a");
    let b = issue(ca("b"), dir.path(), "b");
    let missing = dir.path().join("missing.pem");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a certificate\n").unwrap();
    let broken = dir.path().join("broken.pem");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    // Talos's own Ed25519 key label is not one rustls reads.
    let ed = Ca::self_signed(
        KeyType::Ed25519,
        &CertificateProfile::talos_ca("os", SystemTime::now()),
    )
    .unwrap();
    let ed_key = dir.path().join("ed25519.key");
    std::fs::write(&ed_key, ed.key_pem()).unwrap();

    let show = |p: &Path| p.display().to_string();
    type Case = (PathBuf, PathBuf, fn(&TlsError) -> bool, String);
    let cases: Vec<Case> = vec![
        (
            missing.clone(),
            a.key.clone(),
            |e| matches!(e, TlsError::Read { .. }),
            show(&missing),
        ),
        (
            a.cert.clone(),
            missing.clone(),
            |e| matches!(e, TlsError::Read { .. }),
            show(&missing),
        ),
        (
            text.clone(),
            a.key.clone(),
            |e| matches!(e, TlsError::NoCertificate { .. }),
            format!("{}: no certificate", show(&text)),
        ),
        (
            a.key.clone(),
            a.key.clone(),
            |e| matches!(e, TlsError::NoCertificate { .. }),
            "no certificate".to_owned(),
        ),
        (
            a.cert.clone(),
            a.cert.clone(),
            |e| matches!(e, TlsError::NoKey { .. }),
            format!("{}: no private key", show(&a.cert)),
        ),
        (
            a.cert.clone(),
            ed_key.clone(),
            |e| matches!(e, TlsError::NoKey { .. }),
            "no private key".to_owned(),
        ),
        (
            broken.clone(),
            a.key.clone(),
            |e| matches!(e, TlsError::Pem { .. }),
            format!("{}: not valid PEM", show(&broken)),
        ),
        (
            a.cert.clone(),
            b.key.clone(),
            |e| matches!(e, TlsError::KeyMismatch { .. }),
            format!(
                "{} does not match the certificate in {}",
                show(&b.key),
                show(&a.cert)
            ),
        ),
    ];
    for (cert, key, is, text) in cases {
        let err = TlsConfig::from_pem_files(&cert, &key).unwrap_err();
        assert!(is(&err), "{cert:?} {key:?}: {err:?}");
        assert!(err.to_string().contains(&text), "{err} lacks {text:?}");
    }
    // A chain (server certificate, then the CA) is accepted.
    let chain = dir.path().join("chain.pem");
    let mut pem = std::fs::read(&a.cert).unwrap();
    pem.extend_from_slice(a.ca.cert_pem());
    std::fs::write(&chain, pem).unwrap();
    let config = TlsConfig::from_pem_files(&chain, &a.key).unwrap();
    assert_eq!(config.cert_path(), chain);
    assert_eq!(
        config.server_config().alpn_protocols,
        vec![b"http/1.1".to_vec()]
    );
}

#[test]
fn shutdown_lets_a_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let pki = issue(ca("test-ca"), dir.path(), "server");
    let tls = Arc::new(TlsConfig::from_pem_files(&pki.cert, &pki.key).unwrap());
    let mut s = TestServer::start_tls(tls);
    let tls_addr = s.tls_addr.unwrap();
    let config = client_config(&pki.ca);
    let conn =
        rustls::ClientConnection::new(config, ServerName::try_from("localhost").unwrap()).unwrap();
    let sock = TcpStream::connect(tls_addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let body = serde_json::to_vec(&json!({
        "name": "late", "endpoint": "https://10.9.0.10:6443",
        "talosVersion": "v1.6", "kubernetesVersion": "1.29.0",
    }))
    .unwrap();
    let (first, rest) = body.split_at(10);
    write!(
        tls,
        "POST /api/v1/clusters HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        common::ADMIN,
        body.len()
    )
    .unwrap();
    tls.write_all(first).unwrap();
    tls.flush().unwrap();
    // The request is under way (its body half sent) when shutdown starts.
    std::thread::sleep(Duration::from_millis(300));
    let stopper = std::thread::spawn(move || {
        s.stop();
        s
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !stopper.is_finished(),
        "shutdown did not wait for the request"
    );
    tls.write_all(rest).unwrap();
    tls.flush().unwrap();
    let mut raw = Vec::new();
    tls.read_to_end(&mut raw).unwrap();
    let resp = parse_response(&raw);
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert_eq!(resp.json()["name"], "late");
    let s = stopper.join().unwrap();
    assert!(TcpStream::connect(tls_addr).is_err(), "still listening");
    drop(s);
}
