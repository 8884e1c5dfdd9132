//! Validation rules, one test per upstream case (named after the cases of
//! `v1alpha1_validation_test.go`, `container/validate_test.go` and the
//! `types/*/_test.go` files), plus load failures and a no-panic property.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use talgen_contract::Contract;
use talgen_validate::{validate_str, Mode, Options, Report};

/// Indents every line of `extra` by `n` spaces.
fn indent(extra: &str, n: usize) -> String {
    extra
        .lines()
        .map(|l| format!("{}{l}\n", " ".repeat(n)))
        .collect()
}

/// A minimal worker config plus extra `machine:` and `cluster:` lines.
fn worker(machine: &str, cluster: &str) -> String {
    format!(
        "version: v1alpha1\nmachine:\n  type: worker\n  ca:\n    crt: Zm9v\n{}cluster:\n  controlPlane:\n    endpoint: https://1.2.3.4:6443\n{}",
        indent(machine, 2),
        indent(cluster, 2)
    )
}

/// A minimal control plane config plus extra lines.
fn controlplane(machine: &str, cluster: &str) -> String {
    format!(
        "version: v1alpha1\nmachine:\n  type: controlplane\n  ca:\n    crt: Zm9v\n    key: Zm9v\n{}cluster:\n  controlPlane:\n    endpoint: https://1.2.3.4:6443\n{}",
        indent(machine, 2),
        indent(cluster, 2)
    )
}

fn run(yaml: &str, mode: Mode) -> Report {
    validate_str(yaml, mode, &Options::default()).unwrap()
}

fn error_paths(r: &Report) -> Vec<String> {
    r.errors.iter().map(|p| p.path.clone()).collect()
}

#[track_caller]
fn assert_valid(yaml: &str, mode: Mode) {
    let r = run(yaml, mode);
    assert!(r.is_valid(), "unexpected errors: {:#?}\n{yaml}", r.errors);
}

#[track_caller]
fn assert_errors(yaml: &str, mode: Mode, paths: &[&str]) {
    let r = run(yaml, mode);
    assert_eq!(error_paths(&r), paths, "{:#?}\n{yaml}", r.errors);
}

/// Validates one multi-document kind on its own (cloud mode), keeping only
/// the problems attributed to that document.
fn kind(doc: &str) -> Report {
    let mut r = run(&format!("apiVersion: v1alpha1\n{doc}"), Mode::Cloud);
    r.errors.retain(|p| !p.document.is_empty());
    r.warnings.retain(|p| !p.document.is_empty());
    r
}

/// Checks a kind's report: the errors, in order, each containing its
/// needle (matched against `path: message`), then the warnings likewise.
#[track_caller]
fn check_kind(doc: &str, errors: &[&str], warnings: &[&str]) {
    let r = kind(doc);
    let text = |ps: &[talgen_validate::Problem]| -> Vec<String> {
        ps.iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    };
    let (got_e, got_w) = (text(&r.errors), text(&r.warnings));
    let matches = |got: &[String], want: &[&str]| {
        got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.contains(w))
    };
    assert!(
        matches(&got_e, errors) && matches(&got_w, warnings),
        "errors {got_e:#?} want {errors:?}\nwarnings {got_w:#?} want {warnings:?}\n{doc}"
    );
}

/// One test per upstream case: `name: yaml => [error needles]` and
/// optionally `warn [warning needles]`.
macro_rules! kind_cases {
    ($($(#[$m:meta])* $name:ident: $yaml:expr => [$($e:expr),* $(,)?] $(warn [$($w:expr),* $(,)?])?;)*) => {
        $(
            $(#[$m])*
            #[test]
            fn $name() {
                check_kind(&$yaml, &[$($e),*], &[$($($w),*)?]);
            }
        )*
    };
}

#[path = "validate/audit.rs"]
mod audit;
#[path = "validate/block.rs"]
mod block;
#[path = "validate/kinds.rs"]
mod kinds;
#[path = "validate/network.rs"]
mod network;
#[path = "validate/runtime.rs"]
mod runtime;

mod v1alpha1 {
    use super::*;

    #[test]
    fn no_machine() {
        assert_errors(
            "version: v1alpha1\ncluster: {}\n",
            Mode::Cloud,
            &["machine"],
        );
    }

    #[test]
    fn no_machine_type() {
        let yaml = worker("", "").replace("  type: worker\n", "");
        let r = run(&yaml, Mode::Cloud);
        assert!(r.is_valid());
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].path, "machine.type");
    }

    #[test]
    fn join_machine_type() {
        let r = run(
            &worker("", "").replace("type: worker", "type: join"),
            Mode::Cloud,
        );
        assert!(r.is_valid());
        assert_eq!(r.warnings[0].path, "machine.type");
    }

    #[test]
    fn no_machine_type_strict() {
        let yaml = worker("", "").replace("  type: worker\n", "");
        let mut o = Options::default();
        o.strict = true;
        let r = validate_str(&yaml, Mode::Cloud, &o).unwrap();
        assert_eq!(error_paths(&r), ["machine.type"]);
        assert!(r.errors[0].message.starts_with("warning: "));
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn machine_files_deprecated() {
        let r = run(
            &worker(
                "files:\n  - {content: x, permissions: 0o644, path: /var/f, op: create}",
                "",
            ),
            Mode::Cloud,
        );
        assert!(r.is_valid());
        assert_eq!(r.warnings[0].path, "machine.files");
    }

    #[test]
    fn worker_no_accepted_cas() {
        let yaml = worker("", "").replace("  ca:\n    crt: Zm9v\n", "");
        assert_errors(&yaml, Mode::Cloud, &["machine.ca"]);
    }

    #[test]
    fn worker_only_accepted_cas() {
        let yaml = worker("acceptedCAs:\n  - crt: Zm9v", "").replace("  ca:\n    crt: Zm9v\n", "");
        assert_valid(&yaml, Mode::Cloud);
    }

    #[test]
    fn controlplane_no_ca_key() {
        let yaml = controlplane("", "").replace("    key: Zm9v\n", "");
        assert_errors(&yaml, Mode::Cloud, &["machine.ca.key"]);
    }

    #[test]
    fn no_machine_install() {
        assert_valid(&worker("", ""), Mode::Metal);
    }

    #[test]
    fn no_machine_install_not_required() {
        assert_valid(&worker("install: {}", ""), Mode::Cloud);
    }

    #[test]
    fn machine_install_disk() {
        assert_errors(
            &worker("install: {}", ""),
            Mode::Metal,
            &["machine.install.disk"],
        );
        assert_valid(&worker("install: {disk: /dev/sda}", ""), Mode::Metal);
        assert_valid(
            &worker("install:\n  diskSelector: {size: '>= 1TB'}", ""),
            Mode::Metal,
        );
    }

    #[test]
    fn machine_install_extensions_duplicate() {
        let r = run(
            &worker(
                "install:\n  disk: /dev/sda\n  extensions:\n    - image: a\n    - image: a",
                "",
            ),
            Mode::Metal,
        );
        assert_eq!(error_paths(&r), ["machine.install.extensions[1].image"]);
        assert_eq!(r.warnings[0].path, "machine.install.extensions");
    }

    #[test]
    fn machine_install_extra_args_and_grub_use_uki_cmdline() {
        assert_errors(
            &worker(
                "install:\n  disk: /dev/sda\n  extraKernelArgs: [a=b]\n  grubUseUKICmdline: true",
                "",
            ),
            Mode::Metal,
            &["machine.install.extraKernelArgs"],
        );
    }

    #[test]
    fn external_cloud_provider_disabled() {
        assert_errors(
            &worker(
                "",
                "externalCloudProvider:\n  manifests: [https://a/b.yaml]",
            ),
            Mode::Cloud,
            &["cluster.externalCloudProvider.manifests"],
        );
    }

    #[test]
    fn external_cloud_provider_invalid_manifests() {
        assert_errors(
            &worker("", "externalCloudProvider:\n  enabled: true\n  manifests: ['https://:80/x', 'https://ok/x']"),
            Mode::Cloud,
            &["cluster.externalCloudProvider.manifests[0]"],
        );
    }

    #[test]
    fn inline_manifests() {
        assert_errors(
            &worker("", "inlineManifests:\n  - {name: '', contents: x}\n  - {name: a, contents: x}\n  - {name: a, contents: x}"),
            Mode::Cloud,
            &["cluster.inlineManifests[0].name", "cluster.inlineManifests[2].name"],
        );
    }

    #[test]
    fn dns_domain_invalid() {
        assert_errors(
            &worker("", "network:\n  dnsDomain: '-bad'"),
            Mode::Cloud,
            &["cluster.network.dnsDomain"],
        );
        assert_valid(&worker("", "network:\n  dnsDomain: ''"), Mode::Cloud);
    }

    #[test]
    fn device_address_and_cidr() {
        let r = run(
            &worker("network:\n  interfaces:\n    - {interface: eth0, cidr: 10.0.0.1/8, addresses: [10.0.0.2/8]}", ""),
            Mode::Cloud,
        );
        assert_eq!(error_paths(&r), ["machine.network.interfaces[0]"]);
        assert_eq!(r.warnings[0].path, "machine.network.interfaces[0].cidr");
    }

    #[test]
    fn device_address_invalid() {
        assert_errors(
            &worker(
                "network:\n  interfaces:\n    - {interface: eth0, addresses: [10.0.0.2/99]}",
                "",
            ),
            Mode::Cloud,
            &["machine.network.interfaces[0].addresses"],
        );
    }

    #[test]
    fn vlan_address_and_cidr() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - interface: eth0\n      vlans:\n        - {vlanId: 5, cidr: 10.0.0.1/8, addresses: [bad]}", ""),
            Mode::Cloud,
            &["machine.network.interfaces[0].vlans[0]", "machine.network.interfaces[0].vlans[0].addresses"],
        );
    }

    #[test]
    fn bond_wrong_mode() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - interface: bond0\n      bond: {mode: roundrobin, interfaces: [eth0]}", ""),
            Mode::Cloud,
            &["machine.network.interfaces[0].bond.mode"],
        );
    }

    #[test]
    fn bond_double_bond() {
        let r = run(
            &worker("network:\n  interfaces:\n    - {interface: bond0, bond: {interfaces: [eth0]}}\n    - {interface: bond1, bond: {interfaces: [eth0]}}", ""),
            Mode::Cloud,
        );
        assert_eq!(error_paths(&r), ["machine.network.interfaces[1]"]);
    }

    #[test]
    fn bond_slave_addressing() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - {interface: bond0, bond: {interfaces: [eth0]}}\n    - {interface: eth0, dhcp: true}", ""),
            Mode::Cloud,
            &["machine.network.interfaces[1]"],
        );
    }

    #[test]
    fn interface_is_both_bridge_and_bond() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - {interface: br0, bond: {interfaces: [eth0]}, bridge: {interfaces: [eth1]}}", ""),
            Mode::Cloud,
            &["machine.network.interfaces[0]"],
        );
    }

    #[test]
    fn wireguard() {
        let key = "sF45u5ePau6oiN1wEVJKp5yVyYeMawtzeCX7Qmg5bUg=";
        assert_valid(
            &worker(&format!("network:\n  interfaces:\n    - interface: wg0\n      wireguard:\n        privateKey: {key}\n        peers:\n          - {{publicKey: {key}, endpoint: '1.2.3.4:51820', allowedIPs: [10.0.0.0/8]}}"), ""),
            Mode::Cloud,
        );
        assert_errors(
            &worker("network:\n  interfaces:\n    - interface: wg0\n      wireguard:\n        privateKey: short\n        peers:\n          - {publicKey: Zm9v, endpoint: '1.2.3.4', allowedIPs: [10.0.0.0]}", ""),
            Mode::Cloud,
            &[
                "machine.network.interfaces[0].wireguard.privateKey",
                "machine.network.interfaces[0].wireguard.peers[0].publicKey",
                "machine.network.interfaces[0].wireguard.peers[0].endpoint",
                "machine.network.interfaces[0].wireguard.peers[0].allowedIPs",
            ],
        );
    }

    #[test]
    fn static_routes() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - interface: eth0\n      routes:\n        - {network: 10.0.0.0/8, gateway: 10.0.0.1}\n        - {network: 10.0.0.0, gateway: x}\n        - {metric: 5}\n        - {gateway: 10.0.0.1, source: y}", ""),
            Mode::Cloud,
            &[
                "machine.network.interfaces[0].routes[1].network",
                "machine.network.interfaces[0].routes[1].gateway",
                "machine.network.interfaces[0].routes[2]",
                "machine.network.interfaces[0].routes[3].source",
            ],
        );
    }

    #[test]
    fn discovery_service_endpoint() {
        assert_errors(
            &worker("", "id: a\nsecret: b\ndiscovery:\n  enabled: true\n  registries:\n    service:\n      endpoint: https://discovery.example.com/path"),
            Mode::Cloud,
            &["cluster.discovery.registries.service.endpoint"],
        );
    }

    /// Issue 10: `url.ParseRequestURI` takes an opaque URL (no path) and
    /// refuses a relative one, in Go's words.
    #[test]
    fn discovery_service_endpoint_is_a_request_uri() {
        let with = |ep: &str| {
            worker("", &format!("id: a\nsecret: b\ndiscovery:\n  enabled: true\n  registries:\n    service:\n      endpoint: {ep}"))
        };
        assert_valid(&with("grpc:discovery"), Mode::Cloud);
        let r = run(&with("discovery.example.com/x"), Mode::Cloud);
        let errors: Vec<String> = r.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            ["v1alpha1: cluster.discovery.registries.service.endpoint: not a valid endpoint: parse \"discovery.example.com/x\": invalid URI for request"],
        );
    }

    /// Issue 10: a WireGuard peer endpoint may carry an IPv6 zone
    /// (siderolabs/net `AddressContainsPort` reads it with `netip.ParseAddr`).
    #[test]
    fn wireguard_peer_endpoint_with_zone() {
        let key = "sF45u5ePau6oiN1wEVJKp5yVyYeMawtzeCX7Qmg5bUg=";
        assert_valid(
            &worker(&format!("network:\n  interfaces:\n    - interface: wg0\n      wireguard:\n        privateKey: {key}\n        peers:\n          - {{publicKey: {key}, endpoint: '[fe80::1%eth0]:51820', allowedIPs: [10.0.0.0/8]}}"), ""),
            Mode::Cloud,
        );
    }

    #[test]
    fn discovery_service_cluster_id_secret() {
        assert_errors(
            &worker("", "discovery:\n  enabled: true"),
            Mode::Cloud,
            &[
                "cluster.id",
                "cluster.secret",
                "DiscoveryIdentityConfig.clusterID",
                "DiscoveryIdentityConfig.clusterSecret",
            ],
        );
    }

    #[test]
    fn etcd_missing_ca() {
        assert_errors(
            &controlplane(
                "",
                "secretboxEncryptionSecret: x\netcd:\n  subnet: 10.0.0.0/8",
            ),
            Mode::Cloud,
            &["cluster.etcd.ca"],
        );
    }

    #[test]
    fn etcd_config_provided_for_worker() {
        assert_errors(&worker("", "etcd: {}"), Mode::Cloud, &["cluster.etcd"]);
    }

    #[test]
    fn bad_etcd_subnet() {
        assert_errors(
            &controlplane(
                "",
                "etcd:\n  ca: {crt: Zm9v, key: Zm9v}\n  advertisedSubnets: ['10.0.0.0/8', '!bad']",
            ),
            Mode::Cloud,
            // Without listenSubnets, etcd listens on the advertised subnets,
            // so upstream checks (and reports) them a second time.
            &[
                "cluster.etcd.advertisedSubnets",
                "cluster.etcd.listenSubnets",
            ],
        );
    }

    #[test]
    fn bad_kubelet_subnet() {
        assert_errors(
            &worker(
                "kubelet:\n  nodeIP:\n    validSubnets: ['10.0.0.0/8', '!fd00::/8', 'nope']",
                "",
            ),
            Mode::Cloud,
            &["machine.kubelet.nodeIP.validSubnets"],
        );
    }

    #[test]
    fn bad_kubelet_extra_config() {
        assert_errors(
            &worker(
                "kubelet:\n  extraConfig:\n    port: 1\n    maxPods: 5\n    staticPodPath: /x",
                "",
            ),
            Mode::Cloud,
            &[
                "machine.kubelet.extraConfig.port",
                "machine.kubelet.extraConfig.staticPodPath",
            ],
        );
    }

    #[test]
    fn device_selector_and_interface_set() {
        assert_errors(
            &worker("network:\n  interfaces:\n    - {interface: eth0, deviceSelector: {driver: virtio}}\n    - {dhcp: true}", ""),
            Mode::Cloud,
            &["machine.network.interfaces[0]", "machine.network.interfaces[1]"],
        );
    }

    #[test]
    fn talos_api_access_worker() {
        assert_errors(
            &worker("features:\n  kubernetesTalosAPIAccess:\n    enabled: true\n    allowedRoles: [os:reader, os:root]", ""),
            Mode::Cloud,
            &[
                "machine.features.kubernetesTalosAPIAccess",
                "machine.features.kubernetesTalosAPIAccess.allowedRoles",
            ],
        );
    }

    #[test]
    fn node_labels() {
        assert_errors(
            &worker(
                "nodeLabels:\n  good/label: ok\n  '/bad': x\n  bad2: '-x'",
                "",
            ),
            Mode::Cloud,
            &["machine.nodeLabels", "machine.nodeLabels"],
        );
    }

    #[test]
    fn bad_kube_span_endpoint_filters() {
        assert_errors(
            &worker("network:\n  kubespan:\n    enabled: true\n    filters:\n      endpoints: ['0.0.0.0/0', '!192.168.0.0/16', 'x']", "discovery:\n  enabled: true\nid: a\nsecret: b"),
            Mode::Cloud,
            &["machine.network.kubespan.filters.endpoints"],
        );
    }

    #[test]
    fn kube_span_small_mtu() {
        assert_errors(
            &worker(
                "network:\n  kubespan:\n    enabled: true\n    mtu: 1000",
                "discovery:\n  enabled: true\nid: a\nsecret: b",
            ),
            Mode::Cloud,
            &["machine.network.kubespan.mtu"],
        );
    }

    #[test]
    fn control_plane_pod_resources() {
        assert_errors(
            &controlplane("", "secretboxEncryptionSecret: x\nca: {crt: Zm9v, key: Zm9v}\napiServer:\n  resources:\n    requests: {cpu: 1, gpu: 2}"),
            Mode::Cloud,
            &["cluster.apiServer.resources"],
        );
    }

    #[test]
    fn control_plane_authorization_config_with_authorization_mode_flag() {
        assert_errors(
            &controlplane("", "apiServer:\n  extraArgs: {authorization-mode: RBAC}\n  authorizationConfig:\n    - {type: Node, name: node}"),
            Mode::Cloud,
            &["cluster.apiServer.extraArgs.authorization-mode"],
        );
    }

    #[test]
    fn control_plane_invalid_authorization_config() {
        assert_errors(
            &controlplane(
                "",
                "apiServer:\n  authorizationConfig:\n    - {type: Magic, name: m}",
            ),
            Mode::Cloud,
            &["cluster.apiServer.authorizationConfig[0]"],
        );
    }

    #[test]
    fn machine_features_invalid_address_sorting_algorithm() {
        assert_errors(
            &worker("features:\n  nodeAddressSortAlgorithm: v3", ""),
            Mode::Cloud,
            &["machine.features.nodeAddressSortAlgorithm"],
        );
    }

    #[test]
    fn forward_kube_dns_to_host_without_host_dns() {
        assert_errors(
            &worker("features:\n  hostDNS:\n    forwardKubeDNSToHost: true", ""),
            Mode::Cloud,
            &["machine.features.hostDNS.forwardKubeDNSToHost"],
        );
    }

    #[test]
    fn persist_disabled() {
        assert_errors(
            &format!("persist: false\n{}", worker("", "")),
            Mode::Cloud,
            &["persist"],
        );
    }
}

mod cni {
    use super::*;

    fn cp(cni: &str) -> Report {
        run(&controplane_with_cni(cni), Mode::Cloud)
    }

    fn controplane_with_cni(cni: &str) -> String {
        controlplane("", &format!("network:\n  cni:\n{}", indent(cni, 4)))
    }

    #[test]
    fn flannel_no_manifests() {
        assert!(cp("name: flannel").is_valid());
    }

    #[test]
    fn flannel_manifests() {
        assert_eq!(
            error_paths(&cp("name: flannel\nurls: [https://a/b]")),
            ["cluster.network.cni.urls"]
        );
    }

    #[test]
    fn custom_no_manifests() {
        let r = cp("name: custom");
        assert!(r.is_valid());
        assert_eq!(r.warnings[0].path, "cluster.network.cni.urls");
    }

    #[test]
    fn custom_flannel_kube_network_policies_enabled() {
        assert_eq!(
            error_paths(&cp(
                "name: custom\nurls: [https://a/b]\nflannel: {kubeNetworkPoliciesEnabled: true}"
            )),
            ["cluster.network.cni.flannel.kubeNetworkPoliciesEnabled"]
        );
    }

    #[test]
    fn none_manifests() {
        assert_eq!(
            error_paths(&cp("name: none\nurls: [https://a/b]")),
            ["cluster.network.cni.urls"]
        );
    }

    #[test]
    fn unknown_cni() {
        assert_eq!(
            error_paths(&cp("name: calico")),
            ["cluster.network.cni.name"]
        );
    }
}

mod kubernetes_versions {
    use super::*;

    #[test]
    fn valid() {
        assert_valid(
            &controlplane("kubelet:\n  image: k/kubelet:v1.35.0", ""),
            Mode::Cloud,
        );
    }

    #[test]
    fn old_kubelet_version() {
        assert_errors(
            &worker("kubelet:\n  image: k/kubelet:v1.31.9", ""),
            Mode::Cloud,
            &["machine.kubelet.image"],
        );
    }

    #[test]
    fn old_api_server_version() {
        assert_errors(
            &controlplane("", "apiServer:\n  image: k/kube-apiserver:v1.20.0"),
            Mode::Cloud,
            &["cluster.apiServer.image"],
        );
    }

    #[test]
    fn old_controller_manager_and_scheduler_version() {
        assert_errors(
            &controlplane(
                "",
                "controllerManager:\n  image: k/cm:v1.20.0\nscheduler:\n  image: k/s:v1.20.0",
            ),
            Mode::Cloud,
            &["cluster.controllerManager.image", "cluster.scheduler.image"],
        );
    }

    #[test]
    fn other_talos_release() {
        let yaml = worker("kubelet:\n  image: k/kubelet:v1.31.0", "");
        let mut o = Options::default();
        o.talos_version = Contract::V1_8;
        assert!(validate_str(&yaml, Mode::Cloud, &o).unwrap().is_valid());
        o.skip_kubernetes_versions = true;
        o.talos_version = Contract::V1_15;
        assert!(validate_str(&yaml, Mode::Cloud, &o).unwrap().is_valid());
    }
}

mod documents {
    use super::*;

    fn with(doc: &str) -> String {
        format!("{}---\napiVersion: v1alpha1\n{doc}", worker("", ""))
    }

    #[test]
    fn kubelet_config_v1alpha1_conflict_validate() {
        let yaml = format!(
            "{}---\napiVersion: v1alpha1\nkind: KubeletConfig\nimage: k/kubelet:v1.36.0\n",
            worker("kubelet: {}", "")
        );
        let r = run(&yaml, Mode::Cloud);
        assert_eq!(error_paths(&r), ["machine.kubelet"]);
        assert_eq!(r.errors[0].document, "KubeletConfig");
    }

    #[test]
    fn kubelet_config_empty_image() {
        let r = run(
            &with("kind: KubeletConfig\nconfig: {port: 5}\n"),
            Mode::Cloud,
        );
        assert_eq!(error_paths(&r), ["image", "config.port"]);
    }

    #[test]
    fn kube_prism_invalid_port() {
        assert_errors(
            &with("kind: KubePrismConfig\nport: 70000\n"),
            Mode::Cloud,
            &["port"],
        );
    }

    #[test]
    fn hostname_config() {
        assert_valid(&with("kind: HostnameConfig\nauto: stable\n"), Mode::Cloud);
        assert_errors(&with("kind: HostnameConfig\n"), Mode::Cloud, &[""]);
        assert_errors(
            &with("kind: HostnameConfig\nauto: stable\nhostname: foo\n"),
            Mode::Cloud,
            &["hostname"],
        );
    }

    #[test]
    fn discovery_identity_bad_secret() {
        assert_errors(
            &with("kind: DiscoveryIdentityConfig\nclusterID: a\nclusterSecret: Zm9v\n"),
            Mode::Cloud,
            &["clusterSecret"],
        );
    }

    #[test]
    fn kube_network_config_subnets() {
        assert_errors(
            &with("kind: KubeNetworkConfig\npodSubnets: [10.244.0.1/16]\nserviceSubnets: [10.96.0.0/12, 10.97.0.0/16]\n"),
            Mode::Cloud,
            &["podSubnets", "serviceSubnets", "podSubnets"],
        );
    }

    #[test]
    fn control_plane_only_documents_on_worker() {
        assert_errors(
            &with("kind: KubeProxyConfig\nimage: k/kube-proxy:v1.36.0\n"),
            Mode::Cloud,
            &[""],
        );
    }

    #[test]
    fn proxy_mode_warning() {
        let yaml = controlplane("", "secretboxEncryptionSecret: x");
        let r = run(
            &format!("{yaml}---\napiVersion: v1alpha1\nkind: KubeProxyConfig\nimage: k/kube-proxy:v1.36.0\nmode: ipvs\n"),
            Mode::Cloud,
        );
        assert!(r.is_valid(), "{:?}", r.errors);
        assert_eq!(r.warnings[0].document, "KubeProxyConfig");
    }
}

mod container {
    use super::*;

    #[test]
    fn container_mode_requires_host_dns() {
        assert_errors(&worker("", ""), Mode::Container, &["hostDNS"]);
        assert_valid(
            &worker(
                "features:\n  hostDNS: {enabled: true, forwardKubeDNSToHost: true}",
                "",
            ),
            Mode::Container,
        );
    }

    #[test]
    fn kubespan_requires_discovery() {
        assert_errors(
            &worker("network:\n  kubespan:\n    enabled: true", ""),
            Mode::Cloud,
            &["KubeSpanConfig"],
        );
    }

    #[test]
    fn etcd_encryption_required_on_control_plane() {
        assert_errors(
            &controlplane("", "ca: {crt: Zm9v, key: Zm9v}"),
            Mode::Cloud,
            &["KubeEtcdEncryptionConfig"],
        );
        assert_valid(
            &controlplane("", "ca: {crt: Zm9v, key: Zm9v}\naescbcEncryptionSecret: x"),
            Mode::Cloud,
        );
    }
}

mod loading {
    use super::*;

    #[test]
    fn load_errors_carry_position() {
        let err = validate_str(
            "version: v1alpha1\nmachine:\n  bogus: 1\n",
            Mode::Metal,
            &Options::default(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("bogus") && text.contains("line 3"), "{text}");
    }

    #[test]
    fn modes_parse() {
        assert_eq!("metal".parse::<Mode>().unwrap(), Mode::Metal);
        assert!("docker".parse::<Mode>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(input in "\\PC{0,200}") {
            for mode in Mode::ALL {
                let _ = validate_str(&input, mode, &Options::default());
            }
        }

        #[test]
        fn never_panics_on_worker_edits(extra in "[a-zA-Z0-9:./\\[\\]{}, -]{0,40}") {
            let yaml = worker(&format!("kubelet:\n  image: {extra}"), "");
            let _ = validate_str(&yaml, Mode::Metal, &Options::default());
        }
    }
}
