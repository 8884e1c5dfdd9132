//! The `overrides` half of Talos's stability suite
//! (`v1alpha1_stability_test.go`): configs generated with the override
//! options, encoded, then run through the patcher with
//! `stability/patch-pre14.yaml` (contracts before v1.14) or
//! `stability/patch.yaml`, must equal the goldens byte for byte. The `base`
//! half (no patch) is in `talgen-generate`'s tests.

use std::path::Path;

use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};
use talgen_testutil::Tally;

fn overrides_options(dir: &Path, contract: Contract) -> Options {
    let secrets = std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap();
    let mut opts = Options::default();
    opts.contract = contract;
    opts.secrets = Some(talgen_secrets::Bundle::from_yaml(&secrets).unwrap());
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
fn overrides_match_upstream() {
    let dir = talgen_testutil::upstream_or_skip!();
    let mut tally = Tally::new();
    let contracts: Vec<Contract> = Contract::ALL
        .iter()
        .copied()
        .filter(|c| *c >= Contract::V1_3)
        .collect();
    assert_eq!(contracts.len(), 13);
    for contract in contracts {
        let patch = if contract.multidoc_kernel_module_config_supported() {
            "stability/patch.yaml"
        } else {
            "stability/patch-pre14.yaml"
        };
        let patches =
            talgen_patch::load_patches(&[format!("@{}", dir.join(patch).display())]).unwrap();
        let input = Input::new(
            "base",
            "https://base:6443",
            "1.28.0",
            overrides_options(&dir, contract),
        )
        .unwrap();
        for (t, name) in [
            (MachineType::ControlPlane, "controlplane"),
            (MachineType::Worker, "worker"),
        ] {
            let case = format!("stability/{contract}/overrides-{name}.yaml");
            let want = std::fs::read_to_string(dir.join(&case)).unwrap();
            let got = input.render(t).map_err(|e| e.to_string()).and_then(|cfg| {
                talgen_patch::apply(cfg.as_bytes(), &patches).map_err(|e| e.to_string())
            });
            match got {
                Ok(got) => tally.compare(&case, &want, &String::from_utf8(got).unwrap()),
                Err(e) => tally.fail(&case, e),
            }
        }
    }
    tally.finish("stability overrides");
}

/// Every generated config comes back byte-identical through a strategic
/// patch that changes nothing: the patcher's typed round trip is exact.
#[test]
fn empty_patch_keeps_generated_configs() {
    let dir = talgen_testutil::upstream_or_skip!();
    let patches = talgen_patch::load_patches(&["machine: {}"]).unwrap();
    let mut tally = Tally::new();
    for contract in Contract::ALL
        .iter()
        .copied()
        .filter(|c| *c >= Contract::V1_3)
    {
        let input = Input::new(
            "base",
            "https://base:6443",
            "1.28.0",
            overrides_options(&dir, contract),
        )
        .unwrap();
        for t in [MachineType::ControlPlane, MachineType::Worker] {
            let cfg = input.render(t).unwrap();
            let got = talgen_patch::apply(cfg.as_bytes(), &patches).unwrap();
            tally.compare(
                &format!("{contract} {t:?}"),
                &cfg,
                &String::from_utf8(got).unwrap(),
            );
        }
    }
    tally.finish("empty patch identity");
}
