//! Generated configs through the patcher: an empty strategic patch must give
//! every contract's generated config back byte for byte (the patcher's typed
//! round trip is exact). The stability `overrides` goldens, which combine
//! generation and a strategic patch, are compared in talgen-generate's
//! stability suite.

use std::path::Path;

use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};
use talgen_testutil::Tally;

/// The `base` flavor's input: only the contract and the stability bundle.
/// (The 26 `overrides` goldens, generation plus their strategic patch, are
/// compared in talgen-generate's stability suite.)
fn base_input(dir: &Path, contract: Contract) -> Input {
    let secrets = std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap();
    let mut opts = Options::default();
    opts.contract = contract;
    opts.secrets = Some(talgen_secrets::Bundle::from_yaml(&secrets).unwrap());
    Input::new("base", "https://base:6443", "1.28.0", opts).unwrap()
}

/// Every generated config comes back byte-identical through a strategic
/// patch that changes nothing: the patcher's typed round trip is exact.
#[test]
fn empty_patch_keeps_generated_configs() {
    let dir = talgen_testutil::upstream_or_skip!();
    let patches = talgen_patch::parse_patches(&["machine: {}"]).unwrap();
    let mut tally = Tally::new();
    for contract in Contract::ALL
        .iter()
        .copied()
        .filter(|c| *c >= Contract::V1_3)
    {
        let input = base_input(&dir, contract);
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
