//! PostgreSQL restarted under load (its own test binary: cargo runs test
//! binaries one at a time, so no other test sees the server go away).
//! While it is down the server answers 503 where it needs the database and
//! keeps serving cached files; once it is back everything works again
//! without restarting the server, and the fetch log lost nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{postgres_db, TestServer};
use serde_json::json;
use talgen_server::crypto::MasterKey;
use talgen_server::service::ServiceConfig;
use talgen_server::store::postgres::PostgresStore;
use talgen_server::store::Store;

fn pg_ctl(action: &str) {
    let ctl = std::env::var("TALGEN_TEST_POSTGRES_CTL")
        .expect("TALGEN_TEST_POSTGRES_CTL names pg_ctl for the test server (.ci/postgres)");
    let mut words = ctl.split_whitespace();
    let program = words.next().unwrap();
    let mut cmd = Command::new(program);
    cmd.args(words).arg(action).arg("-w");
    if action == "stop" {
        cmd.args(["-m", "fast"]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "pg_ctl {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgres_restarted_under_load_gives_503s_then_recovers() {
    let Some(url) = postgres_db("restart") else {
        return;
    };
    let master = MasterKey::generate().unwrap();
    let store = || -> Arc<dyn Store> { Arc::new(PostgresStore::connect(&url).unwrap()) };
    let a = TestServer::start_with(store(), master.clone(), ServiceConfig::default());
    let b = TestServer::start_with(store(), master.clone(), ServiceConfig::default());
    a.create_cluster("c1", "https://10.3.0.10:6443");
    let r = a.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({"id": "c1-w1", "cluster": "c1", "role": "worker", "hostname": "c1-w1"})),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let secret = r.json()["secret"].as_str().unwrap().to_owned();
    let user_data = a.fetch("c1-w1", &secret, "user-data");
    assert_eq!(user_data.status, 200);
    assert_eq!(b.fetch("c1-w1", &secret, "user-data").body, user_data.body);

    // Load: a device fetching (cached) and an operator listing devices
    // (the database), on replica a, throughout.
    let stop = AtomicBool::new(false);
    let fetched = AtomicU64::new(0);
    let (api_ok, api_503, api_other) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|sc| {
        sc.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let r = a.fetch("c1-w1", &secret, "user-data");
                assert_eq!(r.status, 200, "a cached file must keep being served");
                assert_eq!(r.body, user_data.body);
                fetched.fetch_add(1, Ordering::Relaxed);
            }
        });
        sc.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                match a.api("GET", "/api/v1/devices", None).status {
                    200 => &api_ok,
                    503 => &api_503,
                    _ => &api_other,
                }
                .fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        std::thread::sleep(Duration::from_millis(300));
        pg_ctl("stop");
        std::thread::sleep(Duration::from_millis(700));
        let down = a.api("GET", "/api/v1/devices", None);
        assert_eq!(down.status, 503, "{}", down.text());
        assert!(down.text().contains("database"), "{}", down.text());
        assert_eq!(a.api("GET", "/readyz", None).status, 503);
        assert_eq!(a.api("GET", "/healthz", None).status, 200);
        pg_ctl("start");
        // Back without restarting the server.
        let start = Instant::now();
        while a.api("GET", "/api/v1/devices", None).status != 200 {
            assert!(start.elapsed() < Duration::from_secs(10), "no recovery");
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("API answered again {:?} after the restart", start.elapsed());
        std::thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::Relaxed);
    });
    let (ok, unavailable, other) = (
        api_ok.load(Ordering::Relaxed),
        api_503.load(Ordering::Relaxed),
        api_other.load(Ordering::Relaxed),
    );
    eprintln!(
        "fetches {} (all 200); API: {ok} ok, {unavailable} 503, {other} other",
        fetched.load(Ordering::Relaxed)
    );
    assert!(unavailable > 0 && ok > 0);
    assert_eq!(other, 0, "only 200 or 503 while the database restarts");

    // Writes work again, and reach the other replica (its listener
    // reconnected by itself).
    assert_eq!(a.api("GET", "/readyz", None).status, 200);
    // (The host name is in meta-data.) Read what b serves before the
    // change: b may see the change as soon as it commits.
    let before = b.fetch("c1-w1", &secret, "meta-data").body;
    let r = a.api(
        "PATCH",
        "/api/v1/devices/c1-w1",
        Some(&json!({"hostname": "c1-w1b"})),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let changed = a.fetch("c1-w1", &secret, "meta-data").body;
    assert_ne!(changed, before);
    let start = Instant::now();
    while b.fetch("c1-w1", &secret, "meta-data").body != changed {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "replica b stayed stale"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The fetch log kept the fetches answered while the database was away.
    a.service.flush_fetch_log();
    let logged = a.service.store().fetches("c1-w1", 1_000_000).unwrap().len() as u64;
    assert!(
        logged >= fetched.load(Ordering::Relaxed),
        "logged {logged} < answered {}",
        fetched.load(Ordering::Relaxed)
    );
}
