//! Fleets: one node's NoCloud artifacts from a rendered cluster, and a
//! fleet of 100 clusters × 3 nodes (static network, one cluster patch and
//! one node patch each, contract v1.6) written end to end into a fresh
//! directory (secrets generated) and rerun over an up-to-date one (nothing
//! written): as `gen fleet` does it (files checked by hash against the
//! index, nothing rendered) and with every cluster rendered (`--rerender`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::num::NonZeroUsize;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use talgen::fleet::dir::{write_fleet_dir, DirOptions};
use talgen::fleet::{read_patch, Fleet, RenderedCluster};

fn fleet_text(clusters: usize) -> String {
    let mut s =
        String::from("defaults:\n  talosVersion: v1.6\n  kubernetesVersion: 1.29.1\nclusters:\n");
    for i in 0..clusters {
        let (a, b) = (i / 250, i % 250);
        s.push_str(&format!(
            "  - name: store-{i:04}\n    endpoint: https://10.{a}.{b}.10:6443\n    patches: [\"machine: {{env: {{STORE: s{i:04}}}}}\"]\n    nodes:\n"
        ));
        for (j, role) in ["controlplane", "worker", "worker"].iter().enumerate() {
            s.push_str(&format!(
                "      - hostname: store-{i:04}-n{j}\n        role: {role}\n        network: {{ip: 10.{a}.{b}.{}/24, gateway: 10.{a}.{b}.1, dns: [10.{a}.{b}.1]}}\n        patches: [\"machine: {{nodeLabels: {{rack: r{j}}}}}\"]\n",
                11 + j
            ));
        }
    }
    s
}

fn bench_node(c: &mut Criterion) {
    let dir = talgen_testutil::upstream_dir().expect("upstream reference data");
    let secrets = talgen::secrets::Bundle::from_yaml(
        &std::fs::read_to_string(dir.join("golden/v1.6/secrets.yaml")).unwrap(),
    )
    .unwrap();
    let fleet = Fleet::parse(&fleet_text(1), "fleet.yaml").unwrap();
    let cluster = &fleet.clusters[0];
    let base = std::path::Path::new(".");
    let patches = cluster
        .patches
        .iter()
        .map(|p| read_patch(p, base).unwrap())
        .collect();
    let rendered = RenderedCluster::new(cluster, secrets, patches).unwrap();
    let node = &cluster.nodes[1];
    let node_patches: Vec<_> = node
        .patches
        .iter()
        .map(|p| read_patch(p, base).unwrap())
        .collect();
    let mut group = c.benchmark_group("fleet node artifacts");
    group.throughput(Throughput::Elements(1));
    group.bench_function("worker v1.6", |b| {
        b.iter(|| black_box(rendered.node(&cluster.name, node, &node_patches).unwrap()))
    });
    group.finish();
}

fn bench_fleet(c: &mut Criterion) {
    let fleet = Fleet::parse(&fleet_text(100), "fleet.yaml").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut options = DirOptions::new(tmp.path());
    options.jobs = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let mut group = c.benchmark_group("fleet 100x3 v1.6");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100));
    let mut run = 0;
    group.bench_function("fresh", |b| {
        b.iter(|| {
            run += 1;
            let out = tmp.path().join(format!("fresh-{run}"));
            let s = write_fleet_dir(&fleet, &out, &options, |_| {}).unwrap();
            assert_eq!(s.failed, 0);
            std::fs::remove_dir_all(&out).unwrap();
        })
    });
    let out = tmp.path().join("kept");
    write_fleet_dir(&fleet, &out, &options, |_| {}).unwrap();
    group.bench_function("rerun unchanged", |b| {
        b.iter(|| {
            let s = write_fleet_dir(&fleet, &out, &options, |_| {}).unwrap();
            assert_eq!((s.changed_files(), s.reused), (0, 100));
        })
    });
    let mut rerender = options.clone();
    rerender.rerender = true;
    group.bench_function("rerun unchanged, rerendered", |b| {
        b.iter(|| {
            let s = write_fleet_dir(&fleet, &out, &rerender, |_| {}).unwrap();
            assert_eq!((s.changed_files(), s.reused), (0, 0));
        })
    });
    group.finish();
}

criterion_group!(benches, bench_node, bench_fleet);
criterion_main!(benches);
