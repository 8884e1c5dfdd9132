//! Every generated config reads back through the typed loader into the
//! same container and re-encodes to the same bytes, across contracts and
//! option combinations (so patches and validation see what was written).

use proptest::prelude::*;
use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};

use crate::options::test_bundle;

/// A random but valid set of options.
fn options_strategy() -> impl Strategy<Value = Options> {
    (
        0..Contract::ALL.len(),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop_oneof![Just(0u16), Just(7446u16)]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(prop_oneof![Just(""), Just("/dev/vda")]),
        proptest::collection::vec("[a-z]{1,6}(\\.[a-z]{2,3})?", 0..3),
    )
        .prop_map(
            |(c, debug, kubespan, prism, sched, sysctl, mirror, cni, disk, sans)| {
                let mut o = Options::default();
                if let Some(contract) = Contract::ALL.get(c) {
                    o.contract = *contract;
                }
                o.secrets = Some(test_bundle());
                o.debug = debug;
                o.kubespan_enabled = kubespan;
                o.kube_prism_port = prism;
                o.allow_scheduling_on_control_planes = sched;
                if sysctl {
                    o.add_sysctls([("net.ipv4.ip_forward", "1")]);
                }
                if mirror {
                    o.add_registry_mirror("docker.io", &["https://mirror.example.com"]);
                    o.registry_insecure_skip_verify.insert("docker.io".into());
                }
                if cni {
                    o.cni_custom_url = "https://example.com/cni.yaml".into();
                }
                if let Some(d) = disk {
                    o.install_disk = d.into();
                    o.install_image = "ghcr.io/siderolabs/installer:v1.9.1".into();
                }
                o.additional_sans = sans;
                o
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_configs_reload_to_the_same_bytes(opts in options_strategy()) {
        let input = Input::new("rt", "https://rt.example:6443", "1.31.0", opts).unwrap();
        for t in [MachineType::Init, MachineType::ControlPlane, MachineType::Worker] {
            let text = input.render(t).unwrap();
            let loaded = talgen_config::load(&text);
            prop_assert!(loaded.is_ok(), "{} does not load: {:?}", t.as_str(), loaded.err());
            let again = loaded.unwrap().encode().unwrap();
            prop_assert_eq!(&again, &text);
        }
    }
}
