//! `Input::render` encodes without building a container when it can; its
//! text must always equal encoding the container `Input::config` builds.

use talgen_contract::Contract;
use talgen_generate::{Input, MachineType, Options};
use talgen_testutil::Tally;

fn option_mixes(contract: Contract) -> Vec<Options> {
    let bundle = talgen_secrets::Bundle::generate(contract, talgen_secrets::Clock::fixed_now())
        .expect("bundle");
    let base = || {
        let mut o = Options::default();
        o.contract = contract;
        o.secrets = Some(bundle.clone());
        o
    };
    let plain = base();
    let mut busy = base();
    busy.install_disk = "/dev/nvme0n1".into();
    busy.cni_custom_url = "https://example.com/cni.yaml".into();
    busy.allow_scheduling_on_control_planes = true;
    busy.additional_sans = vec!["a.example".into(), "10.0.0.9".into()];
    busy.kubespan_enabled = Some(true);
    busy.kube_prism_port = Some(0);
    busy.add_registry_mirror("docker.io", &["https://mirror.example"]);
    busy.add_registry_mirror("ghcr.io", &["https://m1.example", "https://m2.example"]);
    busy.registry_ca_certs
        .insert("docker.io".into(), "-----BEGIN CERTIFICATE-----".into());
    busy.registry_insecure_skip_verify.insert("ghcr.io".into());
    busy.add_sysctls([("net.ipv4.ip_forward", "1")]);
    let mut no_k8s = base();
    no_k8s.disable_kubernetes = true;
    no_k8s.disable_etcd = true;
    no_k8s.discovery_enabled = Some(false);
    vec![plain, busy, no_k8s]
}

#[test]
fn render_matches_encoded_container() {
    let mut tally = Tally::new();
    for contract in Contract::ALL {
        for (i, opts) in option_mixes(contract).into_iter().enumerate() {
            let input = Input::new("fast", "https://10.0.0.1:6443", "1.32.0", opts).unwrap();
            for t in [
                MachineType::Init,
                MachineType::ControlPlane,
                MachineType::Worker,
            ] {
                let fast = input.render(t).unwrap();
                let slow = input.config(t).unwrap().encode().unwrap();
                tally.compare(&format!("{contract} mix {i} {}", t.as_str()), &slow, &fast);
            }
        }
    }
    tally.finish("render vs config().encode()");
}
