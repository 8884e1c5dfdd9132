//! Controlplane + worker configs rendered per second from a fixed secrets
//! bundle, encode included, for an old and the newest contract; and a
//! per-node strategic patch of a worker config, from its text and from its
//! typed documents.
//!
//! One iteration generates and encodes one controlplane config and one
//! worker config from an already prepared input (the secrets bundle is
//! loaded once, outside the timed loop), like Talos's own generator does
//! per node pair.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use talgen::contract::Contract;
use talgen::generate::{Input, MachineType, Options};

fn input(contract: Contract) -> Input {
    let dir = talgen_testutil::upstream_dir().expect("upstream reference data for the bundle");
    let bundle = talgen::secrets::Bundle::from_yaml(
        &std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap(),
    )
    .unwrap();
    let mut opts = Options::default();
    opts.contract = contract;
    opts.secrets = Some(bundle);
    opts.install_disk = "/dev/sda".into();
    opts.install_image = "ghcr.io/siderolabs/installer:v1.9.1".into();
    Input::new("bench", "https://10.0.0.1:6443", "1.32.0", opts).unwrap()
}

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("controlplane+worker");
    group.throughput(Throughput::Elements(1));
    for contract in [Contract::V1_3, Contract::LATEST] {
        let input = input(contract);
        group.bench_function(contract.to_string(), |b| {
            b.iter(|| {
                let cp = input.render(MachineType::ControlPlane).unwrap();
                let w = input.render(MachineType::Worker).unwrap();
                black_box((cp, w))
            });
        });
    }
    group.finish();
}

/// A per-node strategic patch on a rendered worker config, the fleet case:
/// host name, install disk and image, labels, a static address.
const NODE_PATCH: &str = "machine:
  install:
    disk: /dev/nvme0n1
    image: ghcr.io/siderolabs/installer:v1.15.0
  nodeLabels:
    rack: r12
    zone: eu-1a
  network:
    hostname: node-0042
    interfaces:
      - interface: eth0
        addresses: [10.0.4.42/24]
        routes:
          - network: 0.0.0.0/0
            gateway: 10.0.4.1
cluster:
  clusterName: fleet-0042
";

fn bench_patch(c: &mut Criterion) {
    let mut group = c.benchmark_group("worker+node patch");
    group.throughput(Throughput::Elements(1));
    let patches = talgen::patch::parse_patches(&[NODE_PATCH.to_string()]).unwrap();
    for contract in [Contract::V1_3, Contract::LATEST] {
        let worker = input(contract).render(MachineType::Worker).unwrap();
        group.bench_function(contract.to_string(), |b| {
            b.iter(|| black_box(talgen::patch::apply(worker.as_bytes(), &patches).unwrap()));
        });
    }
    group.finish();

    // The same patch on the typed worker config (what `ConfigBundle` and a
    // fleet do per node): documents in, patched config encoded out, no YAML
    // text parsed.
    let mut group = c.benchmark_group("worker+node patch typed");
    group.throughput(Throughput::Elements(1));
    for contract in [Contract::V1_3, Contract::LATEST] {
        let worker = input(contract).config(MachineType::Worker).unwrap();
        group.bench_function(contract.to_string(), |b| {
            b.iter(|| {
                let patched = talgen::patch::apply_to_container(&worker, &patches).unwrap();
                black_box(patched.encode().unwrap())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_generate, bench_patch);
criterion_main!(benches);
