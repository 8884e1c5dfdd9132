//! The config server over real HTTP on 127.0.0.1: Talos's fetch sequence,
//! authentication, device states, day-2 operations and bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{request, TestServer, READER};
use serde_json::json;

const FLEET: &str = "
clusters:
  - name: store-0001
    endpoint: https://10.1.0.10:6443
    talosVersion: v1.6
    kubernetesVersion: 1.29.0
    patches:
      - |
        machine:
          time:
            servers: [time.example.net]
    nodes:
      - hostname: store-0001-cp1
        role: controlplane
        installDisk: /dev/vda
        network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1]}
      - hostname: store-0001-w1
        role: worker
        patches:
          - |
            machine:
              nodeLabels:
                store: \"0001\"
";

fn cluster_body() -> serde_json::Value {
    json!({
        "name": "store-0001",
        "endpoint": "https://10.1.0.10:6443",
        "talosVersion": "v1.6",
        "kubernetesVersion": "1.29.0",
        "patches": ["machine:\n  time:\n    servers: [time.example.net]\n"],
    })
}

fn create_devices(s: &TestServer) -> (String, String) {
    let cp = s.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({
            "id": "store-0001-cp1", "cluster": "store-0001", "role": "controlplane",
            "hostname": "store-0001-cp1", "installDisk": "/dev/vda",
            "network": {"ip": "10.1.0.11/24", "gateway": "10.1.0.1", "dns": ["10.1.0.1"]}
        })),
    );
    assert_eq!(cp.status, 201, "{}", cp.text());
    let w = s.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({
            "id": "store-0001-w1", "cluster": "store-0001", "role": "worker",
            "hostname": "store-0001-w1",
            "patches": [{"machine": {"nodeLabels": {"store": "0001"}}}]
        })),
    );
    assert_eq!(w.status, 201, "{}", w.text());
    (
        cp.json()["secret"].as_str().unwrap().to_owned(),
        w.json()["secret"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn talos_fetch_sequence_serves_what_gen_fleet_writes() {
    // The offline render of the same fleet, whose secrets the server adopts.
    let out = tempfile::tempdir().unwrap();
    let fleet = talgen_fleet::Fleet::parse(FLEET, "fleet.yaml").unwrap();
    assert!(fleet.rejected.is_empty(), "{:?}", fleet.rejected);
    talgen_fleet::dir::write_fleet_dir(
        &fleet,
        out.path(),
        &talgen_fleet::dir::DirOptions::new(out.path()),
        |_| {},
    )
    .unwrap();
    let secrets = std::fs::read_to_string(out.path().join("store-0001/secrets.yaml")).unwrap();

    let s = TestServer::start();
    let mut body = cluster_body();
    body["secrets"] = json!(secrets);
    let c = s.api("POST", "/api/v1/clusters", Some(&body));
    assert_eq!(c.status, 201, "{}", c.text());
    assert_eq!(c.json()["secrets"], "ready");
    let (cp_secret, w_secret) = create_devices(&s);

    for (id, secret) in [("store-0001-cp1", &cp_secret), ("store-0001-w1", &w_secret)] {
        // First boot fetches every file twice, later boots once more.
        for round in 0..3 {
            for file in ["meta-data", "network-config", "user-data"] {
                let r = s.fetch(id, secret, file);
                assert_eq!(r.status, 200, "{id} {file} round {round}: {}", r.text());
                assert_eq!(r.header("cache-control"), Some("no-store"));
                assert_eq!(r.header("content-encoding"), Some("gzip"));
                let etag = r.header("etag").unwrap().to_owned();
                let got = r.decoded();
                assert!(!got.is_empty(), "{id} {file} is empty");
                let want =
                    std::fs::read(out.path().join("store-0001").join(id).join(file)).unwrap();
                assert!(
                    got == want,
                    "{id} {file} differs from gen fleet:\n{}",
                    talgen_testutil::diff(
                        &String::from_utf8_lossy(&want),
                        &String::from_utf8_lossy(&got)
                    )
                );
                // Without gzip: the same bytes, another tag.
                let plain = request(
                    s.addr,
                    "GET",
                    &format!("/nocloud/{id}/{file}"),
                    &[("Authorization", &common::basic(id, secret))],
                    None,
                );
                assert_eq!(plain.status, 200);
                assert_eq!(plain.header("content-encoding"), None);
                assert_eq!(plain.body, want);
                assert_ne!(plain.header("etag").unwrap(), etag);
                // A matching tag is 304.
                let again = request(
                    s.addr,
                    "GET",
                    &format!("/nocloud/{id}/{file}"),
                    &[
                        ("Authorization", &common::basic(id, secret)),
                        ("Accept-Encoding", "gzip"),
                        ("If-None-Match", &etag),
                    ],
                    None,
                );
                assert_eq!(again.status, 304);
            }
        }
        let ud = String::from_utf8(s.fetch(id, secret, "user-data").decoded()).unwrap();
        let report = talgen_validate::validate_str(&ud, talgen_validate::Mode::Cloud, &{
            let mut o = talgen_validate::Options::default();
            o.talos_version = talgen_contract::Contract::V1_6;
            o
        })
        .unwrap();
        assert!(report.is_valid(), "{id}: {:?}", report.errors);
    }

    // The fetch log has them all, newest first.
    let log = s.api(
        "GET",
        "/api/v1/devices/store-0001-w1/fetches?limit=1000",
        None,
    );
    assert_eq!(log.status, 200);
    let log = log.json();
    assert_eq!(log.as_array().unwrap().len(), 3 * 3 * 3 + 1);
    assert_eq!(log[0]["file"], "user-data");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["revision"], 1);
    assert_eq!(log[0]["source"], "127.0.0.1");
}

#[test]
fn failures_look_the_same_and_states_answer_as_talos_needs() {
    let s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (cp, _) = create_devices(&s);

    let wrong = s.fetch("store-0001-cp1", "0000", "user-data");
    let unknown = s.fetch("store-9999-cp1", &cp, "user-data");
    let other_user = request(
        s.addr,
        "GET",
        "/nocloud/store-0001-cp1/user-data",
        &[("Authorization", &common::basic("store-0001-w1", &cp))],
        None,
    );
    let none = request(
        s.addr,
        "GET",
        "/nocloud/store-0001-cp1/user-data",
        &[],
        None,
    );
    let bad_id = s.fetch("..", &cp, "user-data");
    for r in [&wrong, &unknown, &other_user, &none, &bad_id] {
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(r.body, wrong.body);
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }

    // Pending: user-data held back with 503, the rest served.
    let p = s.api(
        "PATCH",
        "/api/v1/devices/store-0001-cp1",
        Some(&json!({"state": "pending"})),
    );
    assert_eq!(p.status, 200, "{}", p.text());
    assert_eq!(s.fetch("store-0001-cp1", &cp, "user-data").status, 503);
    assert_eq!(s.fetch("store-0001-cp1", &cp, "meta-data").status, 200);
    assert_eq!(s.fetch("store-0001-cp1", &cp, "network-config").status, 200);
    // Active again, then retired: 401 for everything.
    s.api(
        "PATCH",
        "/api/v1/devices/store-0001-cp1",
        Some(&json!({"state": "active"})),
    );
    assert_eq!(s.fetch("store-0001-cp1", &cp, "user-data").status, 200);
    s.api(
        "PATCH",
        "/api/v1/devices/store-0001-cp1",
        Some(&json!({"state": "retired"})),
    );
    for file in ["meta-data", "network-config", "user-data"] {
        assert_eq!(s.fetch("store-0001-cp1", &cp, file).status, 401);
    }
    // A state change alone made no new revision.
    let revs = s
        .api("GET", "/api/v1/devices/store-0001-cp1/revisions", None)
        .json();
    assert_eq!(revs.as_array().unwrap().len(), 1);
}

#[test]
fn devices_wait_for_generated_secrets_with_a_dhcp_network_config() {
    let s = TestServer::start();
    let c = s.api("POST", "/api/v1/clusters", Some(&cluster_body()));
    assert_eq!(c.status, 201, "{}", c.text());
    let d = s.api(
        "POST",
        "/api/v1/devices",
        Some(&json!({"id": "w9", "cluster": "store-0001", "role": "worker", "hostname": "w9"})),
    );
    assert_eq!(d.status, 201, "{}", d.text());
    let secret = d.json()["secret"].as_str().unwrap().to_owned();
    let net = s.fetch("w9", &secret, "network-config");
    assert_eq!(net.status, 200);
    let text = String::from_utf8(net.decoded()).unwrap();
    assert!(text.contains("dhcp"), "{text}");
    s.wait_ready("store-0001");
    s.service.wait_idle();
    assert_eq!(s.fetch("w9", &secret, "user-data").status, 200);
    let revs = s.api("GET", "/api/v1/devices/w9/revisions", None).json();
    assert_eq!(revs[0]["number"], 1);
    assert_eq!(revs[0]["reason"], "created");
}

#[test]
fn reset_rotates_the_secret_and_rollback_and_diff_work() {
    let s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (_, w) = create_devices(&s);
    let first = s.fetch("store-0001-w1", &w, "user-data").decoded();

    let r = s.api("POST", "/api/v1/devices/store-0001-w1/reset", None);
    assert_eq!(r.status, 200, "{}", r.text());
    let new_secret = r.json()["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, w);
    assert!(r.json()["smbios"]["serial"]
        .as_str()
        .unwrap()
        .contains(&new_secret));
    assert_eq!(s.fetch("store-0001-w1", &w, "user-data").status, 401);
    let after = s.fetch("store-0001-w1", &new_secret, "user-data");
    assert_eq!(after.status, 200);
    assert_eq!(after.decoded(), first, "same cluster secrets, same config");
    assert_eq!(r.json()["device"]["revision"], 2);

    // A patch change makes revision 3; rollback to 1 makes revision 4.
    let p = s.api(
        "PATCH",
        "/api/v1/devices/store-0001-w1",
        Some(&json!({"patches": [{"machine": {"nodeLabels": {"store": "0002"}}}]})),
    );
    assert_eq!(p.status, 200, "{}", p.text());
    assert_eq!(p.json()["revision"], 3);
    let changed = s.fetch("store-0001-w1", &new_secret, "user-data").decoded();
    assert_ne!(changed, first);
    let d = s.api(
        "GET",
        "/api/v1/devices/store-0001-w1/diff?from=1&to=3",
        None,
    );
    assert_eq!(d.status, 200);
    let diff = d.text();
    assert!(
        diff.contains("-        store: \"0001\"") && diff.contains("+        store: \"0002\""),
        "{diff}"
    );
    let rb = s.api(
        "POST",
        "/api/v1/devices/store-0001-w1/rollback",
        Some(&json!({"revision": 1})),
    );
    assert_eq!(rb.status, 201, "{}", rb.text());
    assert_eq!(rb.json()["number"], 4);
    assert_eq!(
        s.fetch("store-0001-w1", &new_secret, "user-data").decoded(),
        first
    );
    let revs = s
        .api("GET", "/api/v1/devices/store-0001-w1/revisions", None)
        .json();
    let numbers: Vec<i64> = revs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [4, 3, 2, 1]);
    assert_eq!(revs[0]["reason"], "rollback to 1");
    assert_eq!(revs[0]["sha256"], revs[3]["sha256"]);
    assert_eq!(
        s.api(
            "GET",
            "/api/v1/devices/store-0001-w1/diff?from=1&to=4",
            None
        )
        .text(),
        ""
    );

    // An upgrade re-renders every device of the cluster.
    let u = s.api(
        "PATCH",
        "/api/v1/clusters/store-0001",
        Some(&json!({"kubernetesVersion": "1.29.3"})),
    );
    assert_eq!(u.status, 200, "{}", u.text());
    let ud =
        String::from_utf8(s.fetch("store-0001-w1", &new_secret, "user-data").decoded()).unwrap();
    assert!(ud.contains("kubelet:v1.29.3"), "{ud}");
    // The contract stays unless forced.
    let c = s.api(
        "PATCH",
        "/api/v1/clusters/store-0001",
        Some(&json!({"talosVersion": "v1.7"})),
    );
    assert_eq!(c.status, 409, "{}", c.text());
    assert!(c.text().contains("v1.6"), "{}", c.text());
}

#[test]
fn bad_input_is_a_clear_4xx_and_stores_nothing() {
    let s = TestServer::start();
    let cases: Vec<(serde_json::Value, u16, &str)> = vec![
        (
            json!({"name": "Bad_Name", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0"}),
            400,
            "cluster name",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0", "extra": 1}),
            400,
            "unknown field",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v9.9", "kubernetesVersion": "1.29.0"}),
            400,
            "talosVersion",
        ),
        (
            json!({"name": "ok", "endpoint": "1.2.3.4", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0"}),
            400,
            "endpoint",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0", "patches": ["@/etc/hostname"]}),
            400,
            "patch files",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0", "patches": ["machine: [unclosed"]}),
            400,
            "patches[0]",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0", "patches": [[{"op": "remove", "path": "/machine/nope"}]]}),
            422,
            "",
        ),
        (
            json!({"name": "ok", "endpoint": "https://1.2.3.4:6443", "talosVersion": "v1.6", "kubernetesVersion": "1.29.0", "sourceCidrs": ["10.0.0.0/33"]}),
            400,
            "sourceCidrs",
        ),
    ];
    for (body, status, needle) in cases {
        let r = s.api("POST", "/api/v1/clusters", Some(&body));
        assert_eq!(r.status, status, "{body}: {}", r.text());
        assert!(
            r.json()["error"].as_str().unwrap().contains(needle),
            "{body}: {}",
            r.text()
        );
    }
    let malformed = request(
        s.addr,
        "POST",
        "/api/v1/clusters",
        &[("Authorization", &format!("Bearer {}", common::ADMIN))],
        Some(b"{\"name\": "),
    );
    assert_eq!(malformed.status, 400);
    assert!(
        malformed.text().contains("invalid JSON"),
        "{}",
        malformed.text()
    );
    let huge = vec![b' '; talgen_server::http::MAX_BODY + 10];
    let big = request(
        s.addr,
        "POST",
        "/api/v1/clusters",
        &[("Authorization", &format!("Bearer {}", common::ADMIN))],
        Some(&huge),
    );
    assert!(big.status == 400 || big.status == 413, "{}", big.status);
    assert_eq!(s.api("GET", "/api/v1/clusters", None).json(), json!([]));

    // Devices: bad id, unknown cluster, a network that does not parse.
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    for (body, status) in [
        (
            json!({"id": "-x", "cluster": "store-0001", "role": "worker", "hostname": "x"}),
            400,
        ),
        (
            json!({"id": "x", "cluster": "nope", "role": "worker", "hostname": "x"}),
            422,
        ),
        (
            json!({"id": "x", "cluster": "store-0001", "role": "boss", "hostname": "x"}),
            400,
        ),
        (
            json!({"id": "x", "cluster": "store-0001", "role": "worker", "hostname": "x", "network": {"ip": "10.0.0.300/24"}}),
            400,
        ),
        (
            json!({"id": "x", "cluster": "store-0001", "role": "worker", "hostname": "x", "patches": [[{"op": "remove", "path": "/machine/nope"}]]}),
            422,
        ),
    ] {
        let r = s.api("POST", "/api/v1/devices", Some(&body));
        assert_eq!(r.status, status, "{body}: {}", r.text());
    }
    assert_eq!(s.api("GET", "/api/v1/devices", None).json(), json!([]));
}

#[test]
fn tokens_and_roles_guard_the_api() {
    let s = TestServer::start();
    let none = request(s.addr, "GET", "/api/v1/clusters", &[], None);
    assert_eq!(none.status, 401);
    assert_eq!(
        s.api_as("wrong-token-value", "GET", "/api/v1/clusters", None)
            .status,
        401
    );
    assert_eq!(
        s.api_as(READER, "GET", "/api/v1/clusters", None).status,
        200
    );
    let denied = s.api_as(READER, "POST", "/api/v1/clusters", Some(&cluster_body()));
    assert_eq!(denied.status, 403, "{}", denied.text());
    assert_eq!(s.api("GET", "/api/v1/clusters", None).json(), json!([]));
    assert_eq!(request(s.addr, "GET", "/healthz", &[], None).status, 200);
    assert_eq!(request(s.addr, "GET", "/readyz", &[], None).status, 200);
}

#[test]
fn openapi_lists_exactly_the_routes_that_answer() {
    let s = TestServer::start();
    let doc = request(s.addr, "GET", "/api/v1/openapi.json", &[], None).json();
    let mut listed = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            listed.push((method.clone(), path.clone()));
        }
    }
    listed.sort();
    let mut routes: Vec<(String, String)> = talgen_server::http::API_ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    routes.sort();
    assert_eq!(listed, routes);
    // Every listed route is routed: with a token, none answers 404-without-JSON or 405.
    for (method, path) in &routes {
        let concrete = path
            .replace("{name}", "nope")
            .replace("{id}", "nope")
            .replace("{n}", "1");
        let r = s.api(&method.to_uppercase(), &concrete, Some(&json!({})));
        assert_ne!(r.status, 405, "{method} {path}");
        if r.status == 404 {
            assert!(
                r.json()["error"].is_string(),
                "{method} {path} is not routed"
            );
        }
    }
}

#[test]
fn data_survives_a_restart_and_needs_the_same_master_key() {
    let mut s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (_, w) = create_devices(&s);
    let before = s.fetch("store-0001-w1", &w, "user-data").decoded();
    s.stop();
    let db = s.db.clone();
    let master = s.master.clone();
    // Secrets are sealed: the database holds no PEM block in the clear.
    let raw = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("db-wal")).unwrap_or_default();
    for bytes in [&raw, &wal] {
        assert!(
            !bytes.windows(11).any(|w| w == b"PRIVATE KEY"),
            "a key in the clear"
        );
    }
    let other = talgen_server::crypto::MasterKey::generate().unwrap();
    let store =
        std::sync::Arc::new(talgen_server::store::sqlite::SqliteStore::open_path(&db).unwrap());
    let err = talgen_server::Service::open(store, other, Default::default()).unwrap_err();
    assert!(err.to_string().contains("master key"), "{err}");
    let s2 = TestServer::start_on(db, master);
    assert_eq!(s2.fetch("store-0001-w1", &w, "user-data").decoded(), before);
    drop(s);
}

#[test]
fn credentials_are_fresh_short_lived_and_audited() {
    let s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    create_devices(&s);
    let t = s.api("POST", "/api/v1/clusters/store-0001/talosconfig", None);
    assert_eq!(t.status, 200, "{}", t.text());
    let cfg = talgen_client::Talosconfig::from_yaml(&t.text()).unwrap();
    let ctx = cfg.contexts.get("store-0001").unwrap();
    assert_eq!(ctx.endpoints, ["10.1.0.11"]);
    let t2 = s.api(
        "POST",
        "/api/v1/clusters/store-0001/talosconfig",
        Some(&json!({"ttl": "30m", "roles": ["os:reader"], "endpoints": ["cp.example"]})),
    );
    assert_eq!(t2.status, 200, "{}", t2.text());
    assert_ne!(t2.body, t.body);
    let k = s.api("POST", "/api/v1/clusters/store-0001/kubeconfig", None);
    assert_eq!(k.status, 200, "{}", k.text());
    assert!(
        k.text().contains("server: https://10.1.0.10:6443"),
        "{}",
        k.text()
    );
    for bad in [
        json!({"ttl": "0s"}),
        json!({"ttl": "9000h"}),
        json!({"ttl": "soon"}),
        json!({"roles": ["os:god"]}),
        json!({"extra": 1}),
    ] {
        let r = s.api(
            "POST",
            "/api/v1/clusters/store-0001/talosconfig",
            Some(&bad),
        );
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    assert_eq!(
        s.api_as(
            READER,
            "POST",
            "/api/v1/clusters/store-0001/kubeconfig",
            None
        )
        .status,
        403
    );
    let audit = s.api("GET", "/api/v1/audit", None).json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..3],
        [
            "credentials.kubeconfig",
            "credentials.talosconfig",
            "credentials.talosconfig"
        ]
    );
    assert!(
        !audit.to_string().contains("BEGIN"),
        "no key material in the audit trail"
    );
}

#[test]
fn a_source_that_keeps_failing_is_refused_for_a_while() {
    let s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (_, w) = create_devices(&s);
    let max = talgen_server::service::MAX_FAILURES;
    for _ in 0..max {
        assert_eq!(s.fetch("store-0001-w1", "guess", "user-data").status, 401);
    }
    let refused = s.fetch("store-0001-w1", &w, "user-data");
    assert_eq!(refused.status, 429, "even the right secret waits");
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(refused.header("cache-control"), Some("no-store"));
}

#[test]
fn metrics_count_routes_fetches_and_renders() {
    let s = TestServer::start();
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (_, w) = create_devices(&s);
    s.fetch("store-0001-w1", &w, "user-data");
    s.fetch("store-0001-w1", "bad", "user-data");
    let m = request(s.addr, "GET", "/metrics", &[], None).text();
    assert!(m.contains("talgen_http_requests_total{method=\"GET\",route=\"/nocloud/{device}/{file}\",status=\"200\"} 1"), "{m}");
    assert!(m.contains("talgen_http_requests_total{method=\"GET\",route=\"/nocloud/{device}/{file}\",status=\"401\"} 1"), "{m}");
    assert!(
        m.contains("talgen_seed_fetches_total{file=\"user-data\",outcome=\"unauthorized\"} 1"),
        "{m}"
    );
    assert!(m.contains("talgen_render_seconds_count 2"), "{m}");
    assert!(!m.contains(&w), "no secret in metrics");
}

#[test]
fn the_master_key_rotates_without_losing_anything() {
    use talgen_server::crypto::{Keyring, MasterKey};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let old = MasterKey::generate().unwrap();
    let new = MasterKey::generate().unwrap();
    let ring = |keys: &[&MasterKey]| {
        let text: String = keys.iter().map(|k| k.to_hex() + "\n").collect();
        Keyring::from_bytes(text.as_bytes()).unwrap()
    };
    let s = TestServer::start_on(db.clone(), old.clone());
    assert_eq!(
        s.api("POST", "/api/v1/clusters", Some(&cluster_body()))
            .status,
        201
    );
    s.wait_ready("store-0001");
    let (_, w) = create_devices(&s);
    let before = s.fetch("store-0001-w1", &w, "user-data").decoded();
    drop(s);

    // Restarted with both keys, the new one first: still serving; rotate.
    let s = TestServer::start_on(db.clone(), ring(&[&new, &old]));
    assert_eq!(s.fetch("store-0001-w1", &w, "user-data").decoded(), before);
    let moved =
        talgen_server::service::rotate_master_key(&**s.service.store(), &ring(&[&new, &old]))
            .unwrap();
    assert_eq!(moved, 1);
    s.service.invalidate_all();
    assert_eq!(s.fetch("store-0001-w1", &w, "user-data").decoded(), before);
    // Nothing left to move.
    assert_eq!(
        talgen_server::service::rotate_master_key(&**s.service.store(), &ring(&[&new, &old]))
            .unwrap(),
        0
    );
    drop(s);

    // The old key alone no longer opens it; the new one alone does.
    let store =
        std::sync::Arc::new(talgen_server::store::sqlite::SqliteStore::open_path(&db).unwrap());
    assert!(talgen_server::Service::open(store, old, Default::default()).is_err());
    let s = TestServer::start_on(db, new);
    assert_eq!(s.fetch("store-0001-w1", &w, "user-data").decoded(), before);
    let k = s.api("POST", "/api/v1/clusters/store-0001/kubeconfig", None);
    assert_eq!(k.status, 200, "{}", k.text());
}
