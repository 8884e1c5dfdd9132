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
