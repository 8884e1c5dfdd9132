//! Options and contract gates beyond the golden corpora: each test renders
//! configs and checks the lines the option or gate is responsible for.

use std::sync::OnceLock;

use talgen_contract::Contract;
use talgen_generate::{Error, Input, MachineType, NetworkOption, Options};

/// One bundle for all tests (v1.6 keeps generation fast: no RSA key).
pub(crate) fn test_bundle() -> talgen_secrets::Bundle {
    bundle()
}

fn bundle() -> talgen_secrets::Bundle {
    static BUNDLE: OnceLock<talgen_secrets::Bundle> = OnceLock::new();
    BUNDLE
        .get_or_init(|| {
            talgen_secrets::Bundle::generate(Contract::V1_6, talgen_secrets::Clock::fixed_now())
                .unwrap()
        })
        .clone()
}

fn options(contract: Contract) -> Options {
    let mut o = Options::default();
    o.contract = contract;
    o.secrets = Some(bundle());
    o
}

fn render(o: Options, t: MachineType) -> String {
    Input::new("c", "https://c.example:6443", "1.30.0", o)
        .unwrap()
        .render(t)
        .unwrap()
}

/// The text of the document of `kind` (`v1alpha1` for the legacy one).
fn doc<'a>(rendered: &'a str, kind: &str) -> Option<&'a str> {
    rendered.split("---\n").find(|d| {
        if kind == "v1alpha1" {
            d.starts_with("version: v1alpha1")
        } else {
            d.contains(&format!("\nkind: {kind}\n"))
        }
    })
}

#[test]
fn kubeprism_follows_contract_unless_set() {
    let off = render(options(Contract::V1_5), MachineType::Worker);
    assert!(
        !off.contains("kubePrism"),
        "v1.5 has no KubePrism by default"
    );
    let on = render(options(Contract::V1_6), MachineType::Worker);
    assert!(on.contains("kubePrism:\n            enabled: true\n            port: 7445\n"));

    let mut o = options(Contract::V1_5);
    o.kube_prism_port = Some(7446);
    assert!(render(o, MachineType::Worker).contains("port: 7446\n"));
    let mut o = options(Contract::V1_13);
    o.kube_prism_port = Some(0);
    assert!(!render(o, MachineType::Worker).contains("kubePrism"));
}

#[test]
fn kubeprism_document_since_v1_14() {
    let r = render(options(Contract::V1_14), MachineType::Worker);
    assert!(doc(&r, "KubePrismConfig").unwrap().contains("port: 7445"));
    let mut o = options(Contract::V1_14);
    o.kube_prism_port = Some(0);
    assert!(doc(&render(o, MachineType::Worker), "KubePrismConfig").is_none());
}

#[test]
fn host_dns_forwarding_option_forces_forwarding_before_v1_8() {
    let r = render(options(Contract::V1_7), MachineType::Worker);
    assert!(r.contains("hostDNS:\n            enabled: true\ncluster:"));
    assert!(!r.contains("forwardKubeDNSToHost"));
    let mut o = options(Contract::V1_7);
    o.host_dns_forward_kube_dns_to_host = Some(true);
    assert!(render(o, MachineType::Worker).contains("forwardKubeDNSToHost: true"));
}

#[test]
fn registry_tls_settings_legacy_and_documents() {
    let set = |o: &mut Options| {
        o.registry_ca_certs.insert("b.io".into(), "CA".into());
        o.registry_insecure_skip_verify.insert("a.io".into());
        o.registry_insecure_skip_verify.insert("b.io".into());
    };
    let mut o = options(Contract::V1_11);
    set(&mut o);
    let legacy = render(o, MachineType::Worker);
    assert!(legacy.contains(
        "        config:\n            a.io:\n                tls:\n                    insecureSkipVerify: true\n            b.io:\n                tls:\n                    ca: Q0E=\n                    insecureSkipVerify: true\n"
    ), "{legacy}");

    let mut o = options(Contract::V1_12);
    set(&mut o);
    o.add_registry_mirror("z.io", &["https://m"]);
    let r = render(o, MachineType::Worker);
    let kinds: Vec<&str> = r
        .lines()
        .filter_map(|l| l.strip_prefix("kind: Registry"))
        .collect();
    // Sorted by kind, then by registry name.
    assert_eq!(kinds, ["MirrorConfig", "TLSConfig", "TLSConfig"]);
    assert!(r.find("name: a.io").unwrap() < r.find("name: b.io").unwrap());
    assert!(doc(&r, "v1alpha1").is_some_and(|d| !d.contains("\n    registries:")));
}

#[test]
fn alternate_registries_only_for_v1_2() {
    for (c, want) in [
        (Contract::V1_1, false),
        (Contract::V1_2, true),
        (Contract::V1_3, false),
    ] {
        let r = render(options(c), MachineType::Worker);
        assert_eq!(r.contains("k8s.gcr.io:"), want, "{c}");
    }
}

#[test]
fn scheduling_on_control_planes_key_follows_contract() {
    let mut o = options(Contract::V1_1);
    o.allow_scheduling_on_control_planes = true;
    assert!(render(o, MachineType::ControlPlane).contains("allowSchedulingOnMasters: true"));
    let mut o = options(Contract::V1_2);
    o.allow_scheduling_on_control_planes = true;
    assert!(render(o, MachineType::ControlPlane).contains("allowSchedulingOnControlPlanes: true"));
    let mut o = options(Contract::V1_14);
    o.allow_scheduling_on_control_planes = true;
    let r = render(o, MachineType::ControlPlane);
    assert!(!doc(&r, "KubeNodeConfig").unwrap().contains("taints"));
}

#[test]
fn aescbc_before_v1_3_secretbox_after() {
    let mut b = bundle();
    b.secrets.aescbc_encryption_secret = "AES".into();
    let mut o = options(Contract::V1_2);
    o.secrets = Some(b);
    let r = render(o, MachineType::ControlPlane);
    assert!(r.contains("aescbcEncryptionSecret: AES"));
    assert!(!r.contains("secretboxEncryptionSecret"));
    assert!(render(options(Contract::V1_3), MachineType::ControlPlane)
        .contains("secretboxEncryptionSecret: "));
}

#[test]
fn unattended_install_needs_a_disk_and_can_be_skipped() {
    let mut o = options(Contract::V1_14);
    o.install_disk = "/dev/nvme0n1".into();
    let r = render(o.clone(), MachineType::Worker);
    assert!(doc(&r, "UnattendedInstallConfig")
        .unwrap()
        .contains("match: disk.dev_path == \"/dev/nvme0n1\"\n"));
    o.skip_unattended_install_config = true;
    assert!(doc(&render(o, MachineType::Worker), "UnattendedInstallConfig").is_none());
    assert!(doc(
        &render(options(Contract::V1_14), MachineType::Worker),
        "UnattendedInstallConfig"
    )
    .is_none());
}

#[test]
fn discovery_can_be_disabled() {
    let mut o = options(Contract::V1_13);
    o.discovery_enabled = Some(false);
    assert!(render(o, MachineType::Worker).contains("discovery:\n        enabled: false\n"));
    let mut o = options(Contract::V1_14);
    o.discovery_enabled = Some(false);
    let r = render(o, MachineType::Worker);
    assert!(doc(&r, "DiscoveryServiceConfig").is_none());
    assert!(doc(&r, "DiscoveryIdentityConfig").is_some());
}

#[test]
fn sysctls_move_to_a_document_in_v1_14() {
    let mut o = options(Contract::V1_13);
    o.add_sysctls([("a.b", "1")]);
    assert!(render(o, MachineType::Worker).contains("    sysctls:\n        a.b: \"1\"\n"));
    let mut o = options(Contract::V1_14);
    o.add_sysctls([("a.b", "1")]);
    let r = render(o, MachineType::Worker);
    assert!(doc(&r, "SysctlConfig").unwrap().contains("a.b: \"1\""));
    assert!(!doc(&r, "v1alpha1").unwrap().contains("sysctls"));
}

#[test]
fn custom_cni_replaces_flannel() {
    let mut o = options(Contract::V1_14);
    o.cni_custom_url = "https://x/cni.yaml".into();
    let r = render(o.clone(), MachineType::ControlPlane);
    assert!(doc(&r, "KubeFlannelCNIConfig").is_none());
    assert!(doc(&r, "KubeExternalManifestConfig")
        .unwrap()
        .contains("url: https://x/cni.yaml"));
    o.contract = Contract::V1_13;
    let r = render(o, MachineType::Worker);
    assert!(r.contains(
        "cni:\n            name: custom\n            urls:\n                - https://x/cni.yaml\n"
    ));
}

#[test]
fn debug_and_local_api_port() {
    let mut o = options(Contract::V1_10);
    o.debug = true;
    o.local_api_server_port = 5443;
    let r = render(o.clone(), MachineType::ControlPlane);
    assert!(r.starts_with("version: v1alpha1\ndebug: true\n"));
    assert!(r.contains("localAPIServerPort: 5443"));
    o.contract = Contract::V1_14;
    let r = render(o, MachineType::ControlPlane);
    assert!(doc(&r, "KubeAPIServerConfig")
        .unwrap()
        .contains("apiPort: 5443"));
}

#[test]
fn bare_ipv6_endpoint_selects_ipv6_networks() {
    let mut o = options(Contract::V1_10);
    o.secrets = Some(bundle());
    let r = Input::new("c", "fd00::1", "1.30.0", o)
        .unwrap()
        .render(MachineType::Worker)
        .unwrap();
    assert!(r.contains("- fc00:db8:10::/56"));
    assert!(r.contains("- fc00:db8:20::/112"));
}

#[test]
fn endpoint_host_becomes_san_until_v1_12() {
    let mut o = options(Contract::V1_11);
    o.additional_sans = vec!["extra".into()];
    let input = Input::new("c", "https://[fd00::2]:6443", "1.30.0", o).unwrap();
    assert_eq!(input.api_server_sans(), ["fd00::2", "extra"]);
    let mut o = options(Contract::V1_12);
    o.additional_sans = vec!["extra".into()];
    let input = Input::new("c", "https://h:6443", "1.30.0", o).unwrap();
    assert_eq!(input.api_server_sans(), ["extra"]);
}

#[test]
fn network_options_apply_per_machine_type() {
    let mut o = options(Contract::V1_14);
    o.network_options.push(NetworkOption::new(|t, net| {
        if t == MachineType::Worker {
            net.hostname = "w1".into();
        }
        Ok(())
    }));
    let w = render(o.clone(), MachineType::Worker);
    assert!(w.contains("    network:\n        hostname: w1\n"));
    // Any option makes the section present, even when empty.
    let cp = render(o, MachineType::ControlPlane);
    assert!(cp.contains("    network: {}\n"));
}

#[test]
fn kubespan_moves_to_a_document_in_v1_13() {
    let mut o = options(Contract::V1_12);
    o.kubespan_enabled = Some(true);
    assert!(render(o, MachineType::Worker)
        .contains("network:\n        kubespan:\n            enabled: true\n"));
    let mut o = options(Contract::V1_13);
    o.kubespan_enabled = Some(true);
    let r = render(o, MachineType::Worker);
    assert!(doc(&r, "KubeSpanConfig").unwrap().contains("enabled: true"));
    assert!(!doc(&r, "v1alpha1").unwrap().contains("kubespan"));
}

#[test]
fn skipping_kubernetes_and_etcd() {
    let mut o = options(Contract::V1_14);
    let token = o.secrets.as_ref().unwrap().secrets.bootstrap_token.clone();
    o.disable_kubernetes = true;
    o.disable_etcd = true;
    let r = render(o, MachineType::ControlPlane);
    assert!(!r.contains("kind: Kube"));
    assert!(!r.contains("etcd:"));
    assert!(!r.contains(&token));
}

#[test]
fn init_differs_from_controlplane_only_in_type() {
    for c in [Contract::V1_0, Contract::V1_9, Contract::V1_15] {
        let input = Input::new("c", "https://c:6443", "1.30.0", options(c)).unwrap();
        let init = input.render(MachineType::Init).unwrap();
        let cp = input.render(MachineType::ControlPlane).unwrap();
        assert_eq!(
            init.replacen("type: init", "type: controlplane", 1),
            cp,
            "{c}"
        );
    }
}

#[test]
fn errors_name_the_bad_input() {
    let err = Input::new("c", "https://c:6443", "", options(Contract::V1_9)).unwrap_err();
    assert!(matches!(err, Error::MissingKubernetesVersion));
    let mut o = options(Contract::V1_9);
    o.cni_custom_url = "https://bad host/".into();
    let input = Input::new("c", "https://c:6443", "1.30.0", o).unwrap();
    assert!(matches!(
        input.render(MachineType::ControlPlane),
        Err(Error::InvalidCniUrl { .. })
    ));
    let mut o = options(Contract::V1_12);
    o.add_registry_mirror("r", &["https://%zz"]);
    let input = Input::new("c", "https://c:6443", "1.30.0", o).unwrap();
    assert!(matches!(
        input.render(MachineType::Worker),
        Err(Error::InvalidRegistryEndpoint { .. })
    ));
}

#[test]
fn defaults_match_upstream_default_options() {
    let o = Options::default();
    assert_eq!(o.contract, Contract::LATEST);
    assert_eq!(o.dns_domain, "cluster.local");
    assert_eq!(o.discovery_enabled, None);
    assert_eq!(o.kube_prism_port, None);
    assert!(o.secrets.is_none() && o.install_disk.is_empty());
    // Discovery left unset behaves as enabled.
    let mut o = options(Contract::V1_13);
    o.discovery_enabled = None;
    assert!(render(o, MachineType::Worker).contains("discovery:\n        enabled: true\n"));
}

#[test]
fn registry_endpoints_reprinted_only_as_documents() {
    // Legacy mirrors keep endpoints as given; from v1.12 each endpoint is
    // parsed and printed back the way Go's URL type does.
    let raw = "HTTPS://Mirror.example/a b#f g";
    let mut o = options(Contract::V1_11);
    o.add_registry_mirror("docker.io", &[raw, "mirror.local:5000"]);
    let legacy = render(o, MachineType::Worker);
    assert!(
        legacy.contains("- HTTPS://Mirror.example/a b#f g\n"),
        "{legacy}"
    );
    assert!(legacy.contains("- mirror.local:5000\n"), "{legacy}");

    let mut o = options(Contract::V1_12);
    o.add_registry_mirror("docker.io", &[raw, "mirror.local:5000"]);
    let docs = render(o, MachineType::Worker);
    let mirror = doc(&docs, "RegistryMirrorConfig").unwrap();
    assert!(
        mirror.contains("- url: https://Mirror.example/a%20b#f%20g\n"),
        "{mirror}"
    );
    assert!(mirror.contains("- url: mirror.local:5000\n"), "{mirror}");

    // A host:port without scheme is no URL for Go: refused as a document.
    let mut o = options(Contract::V1_12);
    o.add_registry_mirror("docker.io", &["10.0.0.1:5000"]);
    assert!(Input::new("c", "https://c.example:6443", "1.30.0", o)
        .unwrap()
        .render(MachineType::Worker)
        .is_err());
}

#[test]
fn install_disk_selector_quotes_like_go() {
    let mut o = options(Contract::V1_14);
    o.install_disk = "/dev/disk/by-label/a\"b\u{a0}".to_owned();
    let text = render(o, MachineType::Worker);
    let unattended = doc(&text, "UnattendedInstallConfig").unwrap();
    assert!(
        unattended.contains(r#"disk.dev_path == "/dev/disk/by-label/a\"b\u00a0""#),
        "{unattended}"
    );
}

#[test]
fn endpoint_path_is_printed_like_go() {
    let o = options(Contract::V1_13);
    let text = Input::new("c", "https://c.example:6443/a b", "1.30.0", o)
        .unwrap()
        .render(MachineType::Worker)
        .unwrap();
    assert!(
        text.contains("endpoint: https://c.example:6443/a%20b\n"),
        "{text}"
    );
}
