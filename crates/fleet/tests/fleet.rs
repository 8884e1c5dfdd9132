//! The fleet model from the outside: a fleet file parsed with defaults
//! applied, every rule's error with its location, patch files read
//! relative to the fleet file, and parsing as a pure function.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use talgen_fleet::{read_patch, Fleet, FleetError, PatchSource, Role};

const FLEET: &str = "\
defaults:
  talosVersion: v1.13
  kubernetesVersion: 1.35.0
  installImage: factory.talos.dev/nocloud-installer/abc:v1.13.0
  patches: [\"@common.yaml\"]
clusters:
  - name: store-0001
    endpoint: https://10.1.0.10:6443
    patches:
      - machine: {env: {STORE: \"0001\"}}
    nodes:
      - hostname: store-0001-cp1
        role: controlplane
        installDisk: /dev/vda
        network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1], mac: \"bc:24:11:00:01:11\"}
        seedURL: https://seed.example.net/nocloud/store-0001-cp1/
        vmid: 3002
      - hostname: store-0001-w1
        role: worker
  - name: store-0002
    endpoint: https://10.1.0.20:6443
    talosVersion: v1.6
    installDisk: /dev/sdb
    nodes:
      - hostname: store-0002-w1
        role: worker
        patches: [\"machine: {nodeLabels: {rack: r1}}\"]
";

fn invalid(text: &str) -> String {
    let fleet = Fleet::parse(text, "fleet.yaml").unwrap();
    assert!(fleet.clusters.len() + fleet.rejected.len() >= 1);
    let [err] = <[FleetError; 1]>::try_from(fleet.rejected).expect("one rejected cluster");
    err.to_string()
}

fn one_cluster(nodes: &str) -> String {
    format!(
        "clusters:\n  - name: c1\n    endpoint: https://10.0.0.1:6443\n    talosVersion: v1.13\n    kubernetesVersion: 1.35.0\n    nodes:\n{nodes}"
    )
}

#[test]
fn defaults_apply_and_clusters_keep_their_own_values() {
    let fleet = Fleet::parse(FLEET, "fleet.yaml").unwrap();
    assert!(fleet.rejected.is_empty(), "{:?}", fleet.rejected);
    let [a, b] = &fleet.clusters[..] else {
        panic!("two clusters")
    };
    assert_eq!(a.contract.to_string(), "v1.13");
    assert_eq!(b.contract.to_string(), "v1.6");
    assert_eq!(a.kubernetes_version, "1.35.0");
    assert_eq!(
        b.install_image.as_deref(),
        Some("factory.talos.dev/nocloud-installer/abc:v1.13.0")
    );
    // The defaults' patches come first, then the cluster's.
    assert_eq!(a.patches.len(), 2);
    assert_eq!(a.patches[0].source, PatchSource::File("common.yaml".into()));
    assert!(matches!(&a.patches[1].source, PatchSource::Text(t) if t.contains("STORE")));
    let cp = &a.nodes[0];
    assert_eq!(cp.role, Role::ControlPlane);
    assert_eq!(cp.install_disk.as_deref(), Some("/dev/vda"));
    assert_eq!(cp.vmid, Some(3002));
    let net = cp.network.as_ref().unwrap();
    assert_eq!(net.interfaces[0].addresses[0].to_string(), "10.1.0.11/24");
    assert_eq!(net.nameservers.len(), 1);
    // No network: DHCP, decided when rendering.
    assert!(a.nodes[1].network.is_none());
    // A cluster's install disk reaches its nodes.
    assert_eq!(b.nodes[0].install_disk.as_deref(), Some("/dev/sdb"));
    assert_eq!(b.nodes[0].line, 25);
}

#[test]
fn unknown_fields_are_syntax_errors_with_a_line() {
    let err = Fleet::parse("clusters:\n  - name: c1\n    endpiont: x\n", "f.yaml").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, FleetError::Syntax { .. }));
    assert!(text.starts_with("f.yaml: "), "{text}");
    assert!(text.contains("endpiont"), "{text}");
    assert!(text.contains("line 3"), "{text}");
}

#[test]
fn duplicate_host_names_reject_the_later_cluster() {
    let text = format!(
        "{}  - name: c2\n    endpoint: https://10.0.0.2:6443\n    talosVersion: v1.13\n    kubernetesVersion: 1.35.0\n    nodes:\n      - {{hostname: n1, role: worker}}\n",
        one_cluster("      - {hostname: n1, role: controlplane}\n")
    );
    let fleet = Fleet::parse(&text, "fleet.yaml").unwrap();
    assert_eq!(fleet.clusters.len(), 1);
    assert_eq!(
        fleet.rejected[0].to_string(),
        "fleet.yaml:13: cluster c2, node n1: hostname: host name already used by cluster c1 on line 7"
    );
    assert_eq!(fleet.rejected[0].cluster(), Some("c2"));
}

#[test]
fn duplicate_host_names_inside_one_cluster() {
    let err = invalid(&one_cluster(
        "      - {hostname: n1, role: controlplane}\n      - {hostname: n1, role: worker}\n",
    ));
    assert_eq!(
        err,
        "fleet.yaml:8: cluster c1, node n1: hostname: host name already used on line 7"
    );
}

#[test]
fn duplicate_cluster_names() {
    let text = format!(
        "{}  - name: c1\n    endpoint: https://10.0.0.2:6443\n    talosVersion: v1.13\n    kubernetesVersion: 1.35.0\n",
        one_cluster("      - {hostname: n1, role: controlplane}\n")
    );
    let fleet = Fleet::parse(&text, "fleet.yaml").unwrap();
    assert_eq!(
        fleet.rejected[0].to_string(),
        "fleet.yaml:8: cluster c1: name: cluster name already used on line 2"
    );
}

#[test]
fn bad_cidr_names_the_node_and_field() {
    let err = invalid(&one_cluster(
        "      - hostname: n1\n        role: worker\n        network: {ip: 10.0.0.300/24}\n",
    ));
    assert!(
        err.starts_with("fleet.yaml:7: cluster c1, node n1: network: "),
        "{err}"
    );
    assert!(err.contains("10.0.0.300/24"), "{err}");
}

#[test]
fn each_rule_has_its_message() {
    let cases = [
        (
            "clusters:\n  - name: Store_1\n",
            "fleet.yaml:2: cluster Store_1: name: \"Store_1\" is not a DNS label (1-63 lowercase letters, digits, hyphens)",
        ),
        (
            "clusters:\n  - name: c1\n    talosVersion: v1.13\n    kubernetesVersion: 1.35.0\n",
            "fleet.yaml:2: cluster c1: endpoint: required (here or in defaults)",
        ),
        (
            "clusters:\n  - name: c1\n    endpoint: https://x:6443\n    kubernetesVersion: 1.35.0\n",
            "fleet.yaml:2: cluster c1: talosVersion: required (here or in defaults)",
        ),
        (
            "clusters:\n  - name: c1\n    endpoint: https://x:6443\n    talosVersion: v1.13\n    kubernetesVersion: v\n",
            "fleet.yaml:2: cluster c1: kubernetesVersion: must not be empty",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(invalid(text), want);
    }
    let err = invalid("clusters:\n  - name: c1\n    endpoint: 10.0.0.1\n");
    assert!(
        err.starts_with("fleet.yaml:2: cluster c1: endpoint: "),
        "{err}"
    );
    let err = invalid("clusters:\n  - name: c1\n    endpoint: https://x:6443\n    talosVersion: v9.1\n    kubernetesVersion: 1.35.0\n");
    assert!(
        err.starts_with("fleet.yaml:2: cluster c1: talosVersion: "),
        "{err}"
    );
    let err = invalid(&one_cluster(
        "      - hostname: n1\n        role: worker\n        network: {ip: 10.0.0.2/24, interfaces: []}\n",
    ));
    assert!(err.contains("not both"), "{err}");
    let err = invalid(&one_cluster(
        "      - hostname: n1\n        role: worker\n        patches: [\"machine: [\"]\n",
    ));
    assert!(
        err.starts_with("fleet.yaml:7: cluster c1, node n1: patches: "),
        "{err}"
    );
    let err = invalid(&one_cluster("      - {hostname: -bad-, role: worker}\n"));
    assert!(
        err.starts_with("fleet.yaml:7: cluster c1, node -bad-: hostname: "),
        "{err}"
    );
}

#[test]
fn a_bad_cluster_does_not_stop_the_others() {
    let text = format!(
        "{}  - name: c2\n",
        one_cluster("      - {hostname: n1, role: controlplane}\n")
    );
    let fleet = Fleet::parse(&text, "fleet.yaml").unwrap();
    assert_eq!(fleet.clusters.len(), 1);
    assert_eq!(fleet.rejected.len(), 1);
    assert_eq!(fleet.rejected[0].cluster(), Some("c2"));
}

#[test]
fn the_full_network_form_is_the_nocloud_description() {
    let fleet = Fleet::parse(
        &one_cluster(
            "      - hostname: n1\n        role: worker\n        network:\n          interfaces:\n            - name: eth0\n              addresses: [10.0.0.2/24]\n              gateway4: 10.0.0.1\n          nameservers: [10.0.0.1]\n",
        ),
        "fleet.yaml",
    )
    .unwrap();
    let net = fleet.clusters[0].nodes[0].network.clone().unwrap();
    let want = talgen_nocloud::NodeNetwork::from_yaml(
        "interfaces:\n  - name: eth0\n    addresses: [10.0.0.2/24]\n    gateway4: 10.0.0.1\nnameservers: [10.0.0.1]\n",
    )
    .unwrap();
    assert_eq!(net, want);
}

#[test]
fn patch_files_are_read_relative_to_the_fleet_file() {
    let dir = tempfile_dir();
    std::fs::write(dir.join("common.yaml"), "machine: {env: {A: b}}\n").unwrap();
    let fleet = Fleet::parse(FLEET, "fleet.yaml").unwrap();
    let cluster = &fleet.clusters[0];
    let patch = read_patch(&cluster.patches[0], &dir).unwrap();
    assert_eq!(patch.source(), "common.yaml");
    std::fs::remove_file(dir.join("common.yaml")).unwrap();
    let err = read_patch(&cluster.patches[0], &dir)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("fleet.yaml:7: cluster store-0001: defaults.patches: reading patch "),
        "{err}"
    );
}

/// A fresh directory under the target dir (no tempfile dependency needed).
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "talgen-fleet-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(feature = "schema")]
#[test]
fn the_checked_in_schema_is_what_the_types_generate() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/fleet.schema.json");
    let want = talgen_fleet::schema::generate().unwrap();
    if std::env::var_os("TALGEN_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap();
    assert!(
        got == want,
        "schemas/fleet.schema.json is stale: rerun with TALGEN_BLESS=1"
    );
}

fn fleet_text(clusters: &[(String, Vec<(String, bool)>)]) -> String {
    let mut s =
        String::from("defaults:\n  talosVersion: v1.13\n  kubernetesVersion: 1.35.0\nclusters:\n");
    for (i, (name, nodes)) in clusters.iter().enumerate() {
        s.push_str(&format!(
            "  - name: {name}\n    endpoint: https://10.0.{i}.1:6443\n    nodes:\n"
        ));
        for (host, cp) in nodes {
            let role = if *cp { "controlplane" } else { "worker" };
            s.push_str(&format!("      - {{hostname: {host}, role: {role}}}\n"));
        }
    }
    s
}

proptest! {
    /// Any fleet of distinct valid names parses to every cluster and node,
    /// in order, and parsing again gives the same model.
    #[test]
    fn valid_fleets_parse_completely_and_deterministically(
        shape in prop::collection::vec(prop::collection::vec(any::<bool>(), 0..4), 1..6)
    ) {
        let clusters: Vec<(String, Vec<(String, bool)>)> = shape
            .iter()
            .enumerate()
            .map(|(i, nodes)| {
                let name = format!("c{i:04}");
                let nodes = nodes.iter().enumerate().map(|(j, cp)| (format!("{name}-n{j}"), *cp)).collect();
                (name, nodes)
            })
            .collect();
        let text = fleet_text(&clusters);
        let a = Fleet::parse(&text, "f.yaml").unwrap();
        let b = Fleet::parse(&text, "f.yaml").unwrap();
        prop_assert!(a.rejected.is_empty());
        prop_assert_eq!(&a.clusters, &b.clusters);
        prop_assert_eq!(a.clusters.len(), clusters.len());
        for (got, (name, nodes)) in a.clusters.iter().zip(&clusters) {
            prop_assert_eq!(&got.name, name);
            let hosts: Vec<&str> = got.nodes.iter().map(|n| n.hostname.as_str()).collect();
            let want: Vec<&str> = nodes.iter().map(|(h, _)| h.as_str()).collect();
            prop_assert_eq!(hosts, want);
        }
    }
}
