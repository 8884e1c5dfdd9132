//! Emitting and parsing a document the size of a Talos controlplane config.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use talgen_yaml::{emit, from_str, Node};

/// A synthetic document shaped like a Talos v1alpha1 config: nested
/// mappings, sequences of mappings, PEM literal blocks, quoted scalars.
fn talos_sized() -> Node {
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}-----END CERTIFICATE-----\n",
        "MIIBPzCB8qADAgECAhEAyMxQ2Kq0Jw0wBQYDK2VwMBAxDjAMBgNVBAoTBXRhbG9z\n".repeat(8)
    );
    let mut machine = Vec::new();
    machine.push(("type", Node::string("controlplane")));
    machine.push(("token", Node::string("wm7gpa.ukf0fw6lw8t5msuy")));
    machine.push((
        "ca",
        Node::mapping([("crt", pem.as_str()), ("key", pem.as_str())]),
    ));
    machine.push(("certSANs", Node::Sequence(vec![])));
    machine.push((
        "kubelet",
        Node::mapping([
            ("image", Node::string("ghcr.io/siderolabs/kubelet:v1.30.0")),
            ("defaultRuntimeSeccompProfileEnabled", Node::Bool(true)),
            ("disableManifestsDirectory", Node::Bool(true)),
        ]),
    ));
    machine.push((
        "files",
        Node::Sequence(
            (0..10)
                .map(|i| {
                    Node::mapping([
                        (
                            "content",
                            Node::string(format!("[plugins]\n  key{i} = \"value\"\n")),
                        ),
                        ("permissions", Node::Int(0)),
                        ("path", Node::string(format!("/etc/cri/conf.d/{i}.part"))),
                        ("op", Node::string("create")),
                    ])
                })
                .collect(),
        ),
    ));
    let cluster = Node::mapping([
        (
            "id",
            Node::string("0raF93qnkMvF-FZNuvyGozXNdLiT2FOWSlyBaW4PR-w="),
        ),
        (
            "secret",
            Node::string("pofHbABZq7VXuObsdLdy/bHmz6hlMHZ3p8+6WKrv1ic="),
        ),
        (
            "controlPlane",
            Node::mapping([("endpoint", Node::string("https://base:6443"))]),
        ),
        (
            "network",
            Node::mapping([
                ("dnsDomain", Node::string("cluster.local")),
                ("podSubnets", Node::sequence(["10.244.0.0/16"])),
                ("serviceSubnets", Node::sequence(["10.96.0.0/12"])),
            ]),
        ),
        (
            "apiServer",
            Node::mapping([
                (
                    "image",
                    Node::string("registry.k8s.io/kube-apiserver:v1.30.0"),
                ),
                ("certSANs", Node::sequence(["base", "1.2.3.4"])),
                (
                    "admissionControl",
                    Node::sequence([Node::mapping([
                        ("name", Node::string("PodSecurity")),
                        (
                            "configuration",
                            Node::mapping([
                                (
                                    "apiVersion",
                                    Node::string("pod-security.admission.config.k8s.io/v1alpha1"),
                                ),
                                (
                                    "defaults",
                                    Node::mapping([
                                        ("audit", "restricted"),
                                        ("enforce", "baseline"),
                                    ]),
                                ),
                                (
                                    "exemptions",
                                    Node::mapping([(
                                        "namespaces",
                                        Node::sequence(["kube-system"]),
                                    )]),
                                ),
                            ]),
                        ),
                    ])]),
                ),
            ]),
        ),
        (
            "etcd",
            Node::mapping([(
                "ca",
                Node::mapping([("crt", pem.as_str()), ("key", pem.as_str())]),
            )]),
        ),
    ]);
    Node::mapping([
        ("version", Node::string("v1alpha1")),
        ("debug", Node::Bool(false)),
        ("persist", Node::Bool(true)),
        ("machine", Node::mapping(machine)),
        ("cluster", cluster),
    ])
}

fn bench(c: &mut Criterion) {
    let node = talos_sized();
    let text = emit(&node);
    c.bench_function("emit talos-sized document", |b| {
        b.iter(|| emit(black_box(&node)))
    });
    c.bench_function("parse talos-sized document", |b| {
        b.iter(|| from_str(black_box(&text)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
