//! Secrets bundle generation per contract (`talgen gen secrets`): an
//! ECDSA-era contract (v1.6, all keys ECDSA/Ed25519) and an RSA-era one
//! (v1.15, RSA-4096 service-account key, which dominates), plus loading and
//! writing `secrets.yaml`.

#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use talgen::contract::Contract;
use talgen::secrets::{Bundle, Clock};

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("secrets/generate");
    group.bench_function("v1.6 (ECDSA service-account key)", |b| {
        b.iter(|| Bundle::generate(Contract::V1_6, Clock::fixed_now()))
    });
    // RSA-4096 generation varies from 0.1 s to 2 s per key: take many
    // samples over a long window so the median means something.
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("v1.15 (RSA-4096 service-account key)", |b| {
        b.iter(|| Bundle::generate(Contract::V1_15, Clock::fixed_now()))
    });
    group.finish();
}

fn bench_yaml(c: &mut Criterion) {
    let bundle = match Bundle::generate(Contract::V1_6, Clock::fixed_now()) {
        Ok(b) => b,
        Err(e) => panic!("generating a bundle: {e}"),
    };
    let text = match bundle.to_yaml() {
        Ok(t) => t,
        Err(e) => panic!("writing a bundle: {e}"),
    };
    let mut group = c.benchmark_group("secrets/yaml");
    group.bench_function("load and validate", |b| b.iter(|| Bundle::from_yaml(&text)));
    group.bench_function("write", |b| b.iter(|| bundle.to_yaml()));
    group.finish();
}

criterion_group!(benches, bench_generate, bench_yaml);
criterion_main!(benches);
