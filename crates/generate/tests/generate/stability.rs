//! Talos's own stability suite (`v1alpha1_stability_test.go`): configs
//! generated from `stability/secrets.yaml` must equal the upstream goldens
//! byte for byte, for every contract from v1.3 on.

use std::path::Path;

use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};
use talgen_testutil::Tally;

/// Contracts covered by the upstream stability goldens.
const CONTRACTS: [Contract; 13] = [
    Contract::V1_3,
    Contract::V1_4,
    Contract::V1_5,
    Contract::V1_6,
    Contract::V1_7,
    Contract::V1_8,
    Contract::V1_9,
    Contract::V1_10,
    Contract::V1_11,
    Contract::V1_12,
    Contract::V1_13,
    Contract::V1_14,
    Contract::V1_15,
];

const TYPES: [(MachineType, &str); 2] = [
    (MachineType::ControlPlane, "controlplane"),
    (MachineType::Worker, "worker"),
];

fn bundle(dir: &Path) -> talgen_secrets::Bundle {
    talgen_secrets::Bundle::from_yaml(
        &std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap(),
    )
    .unwrap()
}

/// The `base` flavor: cluster `base`, endpoint `https://base:6443`,
/// Kubernetes 1.28.0, no other option.
fn base_input(dir: &Path, contract: Contract) -> Input {
    let mut opts = Options::default();
    opts.contract = contract;
    opts.secrets = Some(bundle(dir));
    Input::new("base", "https://base:6443", "1.28.0", opts).unwrap()
}

/// The option part of the `overrides` flavor; a strategic patch follows.
fn overrides_options(dir: &Path, contract: Contract) -> Options {
    let mut opts = Options::default();
    opts.contract = contract;
    opts.secrets = Some(bundle(dir));
    opts.additional_sans = vec!["foo".into(), "bar".into()];
    opts.allow_scheduling_on_control_planes = true;
    opts.dns_domain = "example.com".into();
    opts.install_disk = "/dev/vda".into();
    opts.install_extra_kernel_args = vec!["foo=bar".into(), "bar=baz".into()];
    opts.local_api_server_port = 5443;
    opts.add_sysctls([("foo", "bar")]);
    opts.cni_custom_url = "https://example.com/cni.yaml".into();
    opts.add_registry_mirror("ghcr.io", &["https://ghcr.io.my-mirror.com"]);
    opts
}

#[test]
fn stability_base_matches_upstream() {
    let dir = talgen_testutil::upstream_or_skip!();
    let mut tally = Tally::new();
    for contract in CONTRACTS {
        let input = base_input(&dir, contract);
        for (t, name) in TYPES {
            let case = format!("stability/{contract}/base-{name}.yaml");
            let want = std::fs::read_to_string(dir.join(&case)).unwrap();
            match input.render(t) {
                Ok(got) => tally.compare(&case, &want, &got),
                Err(e) => tally.fail(&case, e),
            }
        }
    }
    tally.finish("stability base");
}

#[test]
fn stability_overrides_match_upstream() {
    let dir = talgen_testutil::upstream_or_skip!();
    let mut tally = Tally::new();
    for contract in CONTRACTS {
        let input = Input::new(
            "base",
            "https://base:6443",
            "1.28.0",
            overrides_options(&dir, contract),
        )
        .unwrap();
        // Upstream switches patch files where kernel modules became documents.
        let patch_file = if contract.multidoc_kernel_module_config_supported() {
            "patch.yaml"
        } else {
            "patch-pre14.yaml"
        };
        let spec = format!("@{}", dir.join("stability").join(patch_file).display());
        let patches = talgen_patch::read_patch_args(&[spec]).unwrap();
        for (t, name) in TYPES {
            let case = format!("stability/{contract}/overrides-{name}.yaml");
            let want = std::fs::read_to_string(dir.join(&case)).unwrap();
            let got = input
                .render(t)
                .map_err(|e| e.to_string())
                .and_then(|cfg| {
                    talgen_patch::apply(cfg.as_bytes(), &patches).map_err(|e| e.to_string())
                })
                .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()));
            match got {
                Ok(got) => tally.compare(&case, &want, &got),
                Err(e) => tally.fail(&case, e),
            }
        }
    }
    tally.finish("stability overrides");
}

#[test]
fn every_contract_since_v1_3_has_stability_goldens() {
    let dir = talgen_testutil::upstream_or_skip!();
    for c in Contract::ALL.iter().filter(|c| **c >= Contract::V1_3) {
        assert!(
            dir.join(format!("stability/{c}/base-controlplane.yaml"))
                .is_file(),
            "no stability goldens for {c}"
        );
    }
}
