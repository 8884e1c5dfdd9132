//! Rendering a fleet: every node's user-data is what `gen config` (the
//! cluster's patches as common patches) followed by `machineconfig patch`
//! (install disk, then the node's patches) writes, valid for Talos's cloud
//! mode; meta-data and network-config carry the node's name and network.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use talgen_fleet::{read_patch, render_cluster, Fleet, Role};
use talgen_generate::{BundleOptions, ConfigBundle};

const FLEET: &str = "\
defaults:
  kubernetesVersion: 1.35.0
clusters:
  - name: store-0001
    endpoint: https://10.1.0.10:6443
    talosVersion: v1.13
    patches:
      - machine: {env: {STORE: \"0001\"}}
    nodes:
      - hostname: store-0001-cp1
        role: controlplane
        installDisk: /dev/vda
        network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1]}
        seedURL: https://seed.example.net/nocloud/store-0001-cp1/
        vmid: 3002
      - hostname: store-0001-w1
        role: worker
        patches: [\"machine: {nodeLabels: {rack: r1}}\"]
";

/// The cluster's patches and each node's, read (all inline here).
fn read_patches(
    cluster: &talgen_fleet::Cluster,
) -> (Vec<talgen_patch::Patch>, Vec<Vec<talgen_patch::Patch>>) {
    let base = std::path::Path::new(".");
    let read = |refs: &[talgen_fleet::PatchRef]| -> Vec<_> {
        refs.iter().map(|p| read_patch(p, base).unwrap()).collect()
    };
    let nodes = cluster.nodes.iter().map(|n| read(&n.patches)).collect();
    (read(&cluster.patches), nodes)
}

fn secrets() -> Option<talgen_secrets::Bundle> {
    let dir = talgen_testutil::upstream_dir()?;
    let text = std::fs::read_to_string(dir.join("golden/v1.13/secrets.yaml")).unwrap();
    Some(talgen_secrets::Bundle::from_yaml(&text).unwrap())
}

#[test]
fn user_data_is_gen_config_then_machineconfig_patch() {
    let Some(secrets) = secrets() else { return };
    let fleet = Fleet::parse(FLEET, "fleet.yaml").unwrap();
    let cluster = &fleet.clusters[0];
    let base = std::path::Path::new(".");
    let (patches, node_patches) = read_patches(cluster);
    let (_, nodes) =
        render_cluster(cluster, secrets.clone(), patches.clone(), &node_patches).unwrap();

    // The same through the CLI's path: the bundle, then a byte-level patch.
    let mut options = BundleOptions::talosctl();
    options.generate.contract = cluster.contract;
    options.generate.secrets = Some(secrets);
    options.patches = patches;
    let bundle = ConfigBundle::new(&cluster.name, &cluster.endpoint, "1.35.0", options).unwrap();
    for (node, got) in cluster.nodes.iter().zip(&nodes) {
        let role = match node.role {
            Role::ControlPlane => bundle.control_plane(),
            Role::Worker => bundle.worker(),
        };
        let mut p = Vec::new();
        if let Some(disk) = &node.install_disk {
            let text = format!("machine:\n  install:\n    disk: {disk}\n");
            p.push(talgen_patch::parse_patch(text.as_bytes()).unwrap());
        }
        p.extend(node.patches.iter().map(|r| read_patch(r, base).unwrap()));
        let want = if p.is_empty() {
            role.as_str().to_owned()
        } else {
            let bytes = talgen_patch::apply(role.as_bytes(), &p).unwrap();
            talgen_config::load_bytes(&bytes).unwrap().encode().unwrap()
        };
        let got_text = std::str::from_utf8(&got.user_data).unwrap();
        assert!(
            want == got_text,
            "{}:\n{}",
            node.hostname,
            talgen_testutil::diff(&want, got_text)
        );
        let report = talgen_validate::validate_str(
            got_text,
            talgen_validate::Mode::Cloud,
            &talgen_validate::Options::default(),
        )
        .unwrap();
        assert!(report.is_valid(), "{}: {:?}", node.hostname, report.errors);
        let meta = std::str::from_utf8(&got.meta_data).unwrap();
        assert!(meta.contains(&node.hostname), "{meta}");
    }
    let cp = &nodes[0];
    assert!(std::str::from_utf8(&cp.user_data)
        .unwrap()
        .contains("disk: /dev/vda"));
    assert!(std::str::from_utf8(&cp.network_config)
        .unwrap()
        .contains("10.1.0.11"));
    let smbios = cp.smbios.as_ref().unwrap();
    assert_eq!(
        smbios.serial,
        "ds=nocloud-net;s=https://seed.example.net/nocloud/store-0001-cp1/;h=store-0001-cp1"
    );
    assert!(smbios.qm.contains("3002"), "{}", smbios.qm);
    assert!(nodes[1].smbios.is_none());
    // No network given: DHCP.
    assert!(std::str::from_utf8(&nodes[1].network_config)
        .unwrap()
        .contains("dhcp"));
}

#[test]
fn rendering_is_deterministic() {
    let Some(secrets) = secrets() else { return };
    let fleet = Fleet::parse(FLEET, "fleet.yaml").unwrap();
    let cluster = &fleet.clusters[0];
    let (cp, np) = read_patches(cluster);
    let a = render_cluster(cluster, secrets.clone(), cp.clone(), &np)
        .unwrap()
        .1;
    let b = render_cluster(cluster, secrets, cp, &np).unwrap().1;
    assert_eq!(a, b);
}
