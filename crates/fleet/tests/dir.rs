//! The directory writer: any valid fleet gives the same tree run after run
//! and whatever the number of workers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::num::NonZeroUsize;
use std::path::Path;

use proptest::prelude::*;
use talgen_fleet::dir::{write_fleet_dir, Change, ClusterError, DirOptions, Warning};
use talgen_fleet::Fleet;

use talgen_testutil::read_tree as tree;

/// A node: worker or not, static address or DHCP, a label patch or none,
/// a seed URL or none.
type NodeCase = (bool, Option<u8>, Option<u8>, bool);

fn node() -> impl Strategy<Value = NodeCase> {
    (
        any::<bool>(),
        proptest::option::of(2u8..250),
        proptest::option::of(0u8..4),
        any::<bool>(),
    )
}

fn fleet_text(clusters: &[(Option<u8>, Vec<NodeCase>)]) -> String {
    let mut s =
        String::from("defaults:\n  talosVersion: v1.6\n  kubernetesVersion: 1.29.1\nclusters:\n");
    for (i, (patch, nodes)) in clusters.iter().enumerate() {
        s.push_str(&format!(
            "  - name: c{i}\n    endpoint: https://10.{i}.0.1:6443\n"
        ));
        if let Some(p) = patch {
            s.push_str(&format!(
                "    patches: [\"machine: {{env: {{SITE: s{p}}}}}\"]\n"
            ));
        }
        s.push_str("    nodes:\n");
        for (j, (worker, ip, label, seed)) in nodes.iter().enumerate() {
            let role = if *worker && j > 0 {
                "worker"
            } else {
                "controlplane"
            };
            s.push_str(&format!(
                "      - hostname: c{i}-n{j}\n        role: {role}\n"
            ));
            if let Some(ip) = ip {
                s.push_str(&format!(
                    "        network: {{ip: 10.{i}.0.{ip}/24, gateway: 10.{i}.0.1, dns: [10.{i}.0.1]}}\n"
                ));
            }
            if let Some(l) = label {
                s.push_str(&format!(
                    "        patches: [\"machine: {{nodeLabels: {{rack: r{l}}}}}\"]\n"
                ));
            }
            if *seed {
                s.push_str(&format!(
                    "        seedURL: https://seed.example.net/nocloud/c{i}-n{j}/\n        vmid: {}\n",
                    100 + j
                ));
            }
        }
    }
    s
}

/// Seeds `out` with each cluster's secrets and credentials, as a previous
/// run would have left them (credentials are issued fresh otherwise).
fn seed(out: &Path, clusters: usize, secrets: &[u8]) {
    for i in 0..clusters {
        let dir = out.join(format!("c{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("secrets.yaml"), secrets).unwrap();
        std::fs::write(dir.join("contract"), "v1.6\n").unwrap();
        std::fs::write(dir.join("talosconfig"), "kept\n").unwrap();
        std::fs::write(dir.join("kubeconfig"), "kept\n").unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn same_tree_run_after_run_and_for_any_worker_count(
        clusters in proptest::collection::vec(
            (proptest::option::of(0u8..9), proptest::collection::vec(node(), 1..4)),
            1..4,
        ),
        jobs in 2usize..5,
    ) {
        let Some(upstream) = talgen_testutil::upstream_dir() else { return Ok(()) };
        let secrets = std::fs::read(upstream.join("golden/v1.6/secrets.yaml")).unwrap();
        let text = fleet_text(&clusters);
        let fleet = Fleet::parse(&text, "fleet.yaml").unwrap();
        prop_assert!(fleet.rejected.is_empty(), "{:?}", fleet.rejected);
        let tmp = tempfile::tempdir().unwrap();
        let (one, many) = (tmp.path().join("one"), tmp.path().join("many"));
        seed(&one, clusters.len(), &secrets);
        seed(&many, clusters.len(), &secrets);
        let mut options = DirOptions::new(tmp.path());
        options.jobs = NonZeroUsize::MIN;
        let first = write_fleet_dir(&fleet, &one, &options, |o| assert!(o.is_ok(), "{o:?}")).unwrap();
        prop_assert_eq!(first.failed, 0);
        options.jobs = NonZeroUsize::new(jobs).unwrap();
        write_fleet_dir(&fleet, &many, &options, |o| assert!(o.is_ok(), "{o:?}")).unwrap();
        let nodes: usize = clusters.iter().map(|(_, n)| n.len()).sum();
        prop_assert_eq!(tree(&one).keys().filter(|k| k.ends_with("/user-data")).count(), nodes);
        prop_assert_eq!(tree(&one), tree(&many));

        // Again: the same bytes, nothing written.
        let again = write_fleet_dir(&fleet, &one, &options, |_| {}).unwrap();
        prop_assert_eq!(again.changed_files(), 0);
        prop_assert_eq!(again.index, Some(Change::Unchanged));
        prop_assert_eq!(again.reused, clusters.len());
        prop_assert_eq!(tree(&one), tree(&many));

        // Rendering everything anyway changes nothing either.
        options.rerender = true;
        let full = write_fleet_dir(&fleet, &one, &options, |_| {}).unwrap();
        prop_assert_eq!(full.changed_files(), 0);
        prop_assert_eq!(full.reused, 0);
        prop_assert_eq!(tree(&one), tree(&many));
    }
}

#[test]
fn unchanged_clusters_are_checked_by_hash_and_everything_else_is_rendered() {
    let Some(upstream) = talgen_testutil::upstream_dir() else {
        return;
    };
    let secrets = std::fs::read(upstream.join("golden/v1.6/secrets.yaml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for c in ["c0", "c1"] {
        std::fs::create_dir_all(out.join(c)).unwrap();
        std::fs::write(out.join(c).join("secrets.yaml"), &secrets).unwrap();
    }
    let site = tmp.path().join("site.yaml");
    std::fs::write(&site, "machine: {env: {SITE: one}}\n").unwrap();
    let body = "defaults:\n  talosVersion: v1.6\n  kubernetesVersion: 1.29.1\nclusters:\n  \
                - name: c0\n    endpoint: https://10.0.0.1:6443\n    patches: [\"@site.yaml\"]\n    \
                nodes:\n      - hostname: c0-n0\n        role: controlplane\n      \
                - hostname: c0-n1\n        role: worker\n  \
                - name: c1\n    endpoint: https://10.1.0.1:6443\n    \
                patches: [\"machine: {env: {SITE: b}}\"]\n    \
                nodes:\n      - hostname: c1-n0\n        role: controlplane\n";
    let run = |text: &str, rerender: bool| {
        let fleet = Fleet::parse(text, "fleet.yaml").unwrap();
        assert!(fleet.rejected.is_empty(), "{:?}", fleet.rejected);
        let mut options = DirOptions::new(tmp.path());
        options.rerender = rerender;
        let summary =
            write_fleet_dir(&fleet, &out, &options, |o| assert!(o.is_ok(), "{o:?}")).unwrap();
        assert_eq!(summary.failed, 0);
        summary
    };
    let files = |s: &talgen_fleet::dir::Summary, c: Change| s.files.get(&c).copied().unwrap_or(0);

    let first = run(body, false);
    assert_eq!(first.reused, 0);
    let rendered = tree(&out);

    let again = run(body, false);
    assert_eq!((again.reused, again.changed_files()), (2, 0));
    assert_eq!(again.index, Some(Change::Unchanged));
    assert_eq!(tree(&out), rendered);

    // Lines move, nothing else does: still as recorded.
    let moved = format!("# the stores\n\n{body}");
    assert_eq!(run(&moved, false).reused, 2);

    // An edited file (same size: only its hash tells) and a deleted one:
    // both clusters are rendered and the tree is what it was.
    let user_data = out.join("c0/c0-n1/user-data");
    let mut edited = std::fs::read(&user_data).unwrap();
    edited[0] = if edited[0] == b'#' { b' ' } else { b'#' };
    std::fs::write(&user_data, edited).unwrap();
    std::fs::remove_file(out.join("c1/c1-n0/meta-data")).unwrap();
    let mended = run(body, false);
    assert_eq!(mended.reused, 0);
    assert_eq!(files(&mended, Change::Updated), 1);
    assert_eq!(files(&mended, Change::Created), 1);
    assert_eq!(tree(&out), rendered);

    // The patch file's contents count, not its name.
    std::fs::write(&site, "machine: {env: {SITE: two}}\n").unwrap();
    let patched = run(body, false);
    assert_eq!(patched.reused, 1);
    let now = tree(&out);
    assert_ne!(now["c0/c0-n0/user-data"], rendered["c0/c0-n0/user-data"]);
    assert_ne!(now["c0/c0-n1/user-data"], rendered["c0/c0-n1/user-data"]);
    assert_eq!(now["c1/c1-n0/user-data"], rendered["c1/c1-n0/user-data"]);
    assert!(String::from_utf8_lossy(&now["c0/c0-n1/user-data"]).contains("SITE: two"));
    assert_eq!(run(body, false).reused, 2);

    // So do the secrets.
    let mut other = secrets.clone();
    other.extend_from_slice(b"\n");
    std::fs::write(out.join("c1/secrets.yaml"), &other).unwrap();
    assert_eq!(run(body, false).reused, 1);
    assert_eq!(run(body, false).reused, 2);

    // Everything rendered on request, to the same bytes.
    let before = tree(&out);
    let full = run(body, true);
    assert_eq!((full.reused, full.changed_files()), (0, 0));
    assert_eq!(tree(&out), before);

    // An index without recorded inputs (an older talgen's) renders every
    // cluster once and gains them.
    let index_path = out.join("index.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    assert_eq!(index["inputs"].as_object().map(|o| o.len()), Some(2));
    index.as_object_mut().unwrap().remove("inputs");
    std::fs::write(&index_path, serde_json::to_vec_pretty(&index).unwrap()).unwrap();
    let upgraded = run(body, false);
    assert_eq!((upgraded.reused, upgraded.changed_files()), (0, 0));
    assert_eq!(upgraded.index, Some(Change::Updated));
    assert_eq!(run(body, false).reused, 2);
    assert_eq!(tree(&out), before);
}

#[test]
fn a_rejected_cluster_keeps_the_kind_of_its_error() {
    let text = "defaults:\n  talosVersion: v1.6\n  kubernetesVersion: 1.29.1\nclusters:\n  \
                - name: c0\n    endpoint: https://10.0.0.1:6443\n    patches: [\"[1, 2\"]\n    \
                nodes:\n      - hostname: c0-n0\n        role: controlplane\n";
    let fleet = Fleet::parse(text, "fleet.yaml").unwrap();
    assert_eq!(fleet.rejected.len(), 1);
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let summary = write_fleet_dir(&fleet, tmp.path(), &DirOptions::new(tmp.path()), |o| {
        seen.push(format!("{o:?}"));
        assert!(
            matches!(
                o,
                Err(ClusterError::Fleet(talgen_fleet::FleetError::Patch { .. }))
            ),
            "{o:?}"
        );
    })
    .unwrap();
    assert_eq!(summary.failed, 1);
    assert_eq!(seen.len(), 1);
}

#[test]
fn a_patched_hostname_on_multi_document_contracts_is_a_warning() {
    let text = |contract: &str| {
        format!(
            "defaults:\n  talosVersion: {contract}\n  kubernetesVersion: 1.32.0\nclusters:\n  \
             - name: c0\n    endpoint: https://10.0.0.1:6443\n    \
             patches:\n      - machine: {{network: {{hostname: any}}}}\n    nodes:\n      \
             - hostname: c0-n0\n        role: controlplane\n        \
             patches: [\"machine: {{network: {{hostname: c0-n0}}}}\"]\n      \
             - hostname: c0-n1\n        role: worker\n"
        )
    };
    let run = |contract: &str| {
        let fleet = Fleet::parse(&text(contract), "fleet.yaml").unwrap();
        assert!(fleet.rejected.is_empty(), "{:?}", fleet.rejected);
        let tmp = tempfile::tempdir().unwrap();
        let mut warnings = Vec::new();
        let summary = write_fleet_dir(&fleet, tmp.path(), &DirOptions::new(tmp.path()), |o| {
            warnings.extend(o.as_ref().unwrap().warnings.clone());
        })
        .unwrap();
        assert_eq!(summary.failed, 0);
        warnings
    };
    let warnings = run("v1.12");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    for (w, node) in warnings.iter().zip([None, Some("c0-n0")]) {
        let Warning::IgnoredPatchField {
            at,
            field,
            document,
            contract,
            ..
        } = w
        else {
            panic!("{w:?}");
        };
        assert_eq!(*field, "machine.network.hostname");
        assert_eq!(*document, "HostnameConfig");
        assert_eq!(contract, "v1.12");
        assert_eq!(at.node.as_deref(), node);
        let text = w.to_string();
        assert!(text.starts_with("fleet.yaml:"), "{text}");
        assert!(text.contains("kind: HostnameConfig"), "{text}");
    }
    // Before v1.12 the machine config carries the hostname.
    assert_eq!(run("v1.11"), Vec::new());
}
