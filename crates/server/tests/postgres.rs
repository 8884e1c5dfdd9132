//! The shared engine on a real PostgreSQL (`TALGEN_TEST_POSTGRES_URL`,
//! started by `.ci/postgres`): the same store contract as SQLite, two
//! replicas over one database agreeing byte for byte, and a change on one
//! seen by the other within a second.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{postgres_db, TestServer};
use serde_json::json;
use talgen_server::crypto::MasterKey;
use talgen_server::service::ServiceConfig;
use talgen_server::store::postgres::PostgresStore;
use talgen_server::store::sqlite::SqliteStore;
use talgen_server::store::{ClusterRow, DeviceRow, FetchRow, Store, StoreError, Write};

fn cluster(name: &str) -> ClusterRow {
    ClusterRow {
        name: name.into(),
        endpoint: "https://10.0.0.1:6443".into(),
        talos_version: "v1.13".into(),
        kubernetes_version: "1.35.0".into(),
        install_image: None,
        source_cidrs: "[]".into(),
        key_id: "k".into(),
        wrapped_key: vec![1, 0, 255],
        patches: vec![2],
        secrets: None,
        created_at: 1,
        updated_at: 2,
    }
}

fn device(id: &str, cluster: &str) -> DeviceRow {
    DeviceRow {
        id: id.into(),
        cluster: cluster.into(),
        role: "worker".into(),
        hostname: format!("{id}-host"),
        state: "active".into(),
        secret_hash: vec![7; 32],
        spec: vec![9, 9],
        revision: Some(3),
        created_at: 1,
        updated_at: 1,
    }
}

/// The contract every engine keeps; run on SQLite and PostgreSQL alike.
fn exercise(s: &dyn Store) {
    s.write(&[Write::InsertCluster(cluster("a"))]).unwrap();
    // A failing write applies nothing.
    let err = s
        .write(&[
            Write::InsertCluster(cluster("b")),
            Write::InsertCluster(cluster("a")),
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(s.clusters().unwrap(), vec![cluster("a")]);
    assert!(matches!(
        s.write(&[Write::UpdateCluster(cluster("zz"))]),
        Err(StoreError::NotFound(_))
    ));
    let mut a = cluster("a");
    a.secrets = Some(vec![5; 40]);
    s.write(&[Write::UpdateCluster(a.clone())]).unwrap();
    assert_eq!(s.cluster("a").unwrap(), Some(a));
    // Devices: unique host names, a cluster must exist.
    s.write(&[Write::InsertDevice(device("d1", "a"))]).unwrap();
    let mut dup = device("d2", "a");
    dup.hostname = "d1-host".into();
    assert!(matches!(
        s.write(&[Write::InsertDevice(dup)]),
        Err(StoreError::Conflict(_))
    ));
    assert!(s
        .write(&[Write::InsertDevice(device("d3", "nope"))])
        .is_err());
    assert_eq!(s.device("d1").unwrap(), Some(device("d1", "a")));
    assert_eq!(s.devices(Some("a")).unwrap().len(), 1);
    assert_eq!(s.devices(None).unwrap().len(), 1);
    // Fetch log: newest first, one latest per device.
    let row = |at: i64, status: u16| FetchRow {
        device: "d1".into(),
        at,
        source: "127.0.0.1".into(),
        file: "user-data".into(),
        revision: Some(3),
        status,
    };
    s.log_fetches(&[row(1, 503), row(2, 200)]).unwrap();
    s.log_fetches(&[]).unwrap();
    assert_eq!(s.fetches("d1", 10).unwrap(), vec![row(2, 200), row(1, 503)]);
    assert_eq!(s.fetches("d1", 1).unwrap(), vec![row(2, 200)]);
    assert_eq!(s.last_fetches().unwrap(), vec![row(2, 200)]);
    // Meta upserts.
    s.write(&[Write::PutMeta("k".into(), vec![1])]).unwrap();
    s.write(&[Write::PutMeta("k".into(), vec![2])]).unwrap();
    assert_eq!(s.meta("k").unwrap(), Some(vec![2]));
    assert_eq!(s.meta("missing").unwrap(), None);
    s.ping().unwrap();
    // Deleting the cluster takes devices and their fetch log along.
    s.write(&[Write::DeleteCluster("a".into())]).unwrap();
    assert!(s.device("d1").unwrap().is_none());
    assert!(s.fetches("d1", 10).unwrap().is_empty());
}

#[test]
fn both_engines_keep_the_same_store_contract() {
    exercise(&SqliteStore::in_memory().unwrap());
    let Some(url) = postgres_db("contract") else {
        return;
    };
    let pg = PostgresStore::connect(&url).unwrap();
    exercise(&pg);
    // Opening again finds the schema in place (migrations run once).
    drop(pg);
    let again = PostgresStore::connect(&url).unwrap();
    assert!(again.clusters().unwrap().is_empty());
}

#[test]
fn a_bad_database_url_or_unreachable_server_is_a_clear_error() {
    let err = PostgresStore::connect("postgres://talgen@127.0.0.1:1/x").unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err}");
    let err = PostgresStore::connect("postgres://[bad").unwrap_err();
    assert!(err.to_string().contains("database URL"), "{err}");
}

fn replica(url: &str, master: &MasterKey) -> TestServer {
    let store: Arc<dyn Store> = Arc::new(PostgresStore::connect(url).unwrap());
    TestServer::start_with(store, master.clone(), ServiceConfig::default())
}

fn files(s: &TestServer, id: &str, secret: &str) -> Vec<(u16, Vec<u8>)> {
    ["meta-data", "network-config", "user-data"]
        .iter()
        .map(|f| {
            let r = s.fetch(id, secret, f);
            (r.status, r.body)
        })
        .collect()
}

/// Polls `f` until it holds, for at most a second; answers how long.
fn within_a_second(mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if f() {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("not seen within a second");
}

#[test]
fn two_replicas_agree_byte_for_byte_and_see_each_others_changes() {
    let Some(url) = postgres_db("replicas") else {
        return;
    };
    let master = MasterKey::generate().unwrap();
    // Started together on an empty database: they must agree on one
    // hashing key, or secrets issued by one would fail on the other.
    let (a, b) = std::thread::scope(|sc| {
        let ha = sc.spawn(|| replica(&url, &master));
        let hb = sc.spawn(|| replica(&url, &master));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    a.create_cluster("store-0001", "https://10.1.0.10:6443");
    let r = b.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({
            "id": "store-0001-cp1", "cluster": "store-0001", "role": "controlplane",
            "hostname": "store-0001-cp1",
            "network": {"ip": "10.1.0.11/24", "gateway": "10.1.0.1"}
        })),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let secret = r.json()["secret"].as_str().unwrap().to_owned();
    let id = "store-0001-cp1";
    // Both rounds of Talos's first boot, on either replica: same bytes.
    let fa = files(&a, id, &secret);
    assert!(fa.iter().all(|(st, body)| *st == 200 && !body.is_empty()));
    assert_eq!(files(&b, id, &secret), fa);
    assert_eq!(files(&a, id, &secret), fa);

    // Both caches are warm now. A change on one reaches the other.
    let r = a.api(
        "PATCH",
        &format!("/api/v1/devices/{id}"),
        Some(&json!({"hostname": "store-0001-cp1b"})),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let changed = files(&a, id, &secret);
    assert_ne!(changed, fa);
    let took = within_a_second(|| files(&b, id, &secret) == changed);
    eprintln!("replica b saw the update after {took:?}");

    // A reset on b: the old secret stops working on a, the new one works.
    let r = b.api("POST", &format!("/api/v1/devices/{id}/reset"), None);
    assert_eq!(r.status, 200, "{}", r.text());
    let new_secret = r.json()["secret"].as_str().unwrap().to_owned();
    let took = within_a_second(|| a.fetch(id, &secret, "meta-data").status == 401);
    eprintln!("replica a refused the old secret after {took:?}");
    assert_eq!(a.fetch(id, &new_secret, "user-data").status, 200);
    assert_eq!(
        a.fetch(id, &new_secret, "user-data").body,
        b.fetch(id, &new_secret, "user-data").body
    );
    // Revisions are one history, whichever replica made them.
    let ra = a.api("GET", &format!("/api/v1/devices/{id}/revisions"), None);
    let rb = b.api("GET", &format!("/api/v1/devices/{id}/revisions"), None);
    assert_eq!(ra.json(), rb.json());
    let numbers: Vec<i64> = ra
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![3, 2, 1]);
}

#[test]
fn writers_on_two_replicas_do_not_lose_each_others_changes() {
    let Some(url) = postgres_db("writers") else {
        return;
    };
    let master = MasterKey::generate().unwrap();
    let a = replica(&url, &master);
    let b = replica(&url, &master);
    a.create_cluster("c1", "https://10.2.0.10:6443");
    // 20 devices created at once through both replicas, then each reset
    // twice, alternating replicas: every revision number is taken once.
    std::thread::scope(|sc| {
        for i in 0..20 {
            let s = if i % 2 == 0 { &a } else { &b };
            sc.spawn(move || {
                let id = format!("c1-w{i}");
                let r = s.api(
                    "POST",
                    "/api/v1/devices",
                    Some(&json!({"id": id, "cluster": "c1", "role": "worker", "hostname": id})),
                );
                assert_eq!(r.status, 201, "{}", r.text());
                for _ in 0..2 {
                    let r = s.api("POST", &format!("/api/v1/devices/{id}/reset"), None);
                    assert_eq!(r.status, 200, "{}", r.text());
                }
            });
        }
    });
    let list = b.api("GET", "/api/v1/devices?cluster=c1", None);
    assert_eq!(list.json().as_array().unwrap().len(), 20);
    for i in 0..20 {
        let r = a.api("GET", &format!("/api/v1/devices/c1-w{i}/revisions"), None);
        assert_eq!(r.json().as_array().unwrap().len(), 3, "{}", r.text());
    }
}
