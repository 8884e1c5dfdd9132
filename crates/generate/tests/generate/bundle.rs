//! The CLI golden corpus (`golden/v1.X/<variant>/`) run in-process through
//! [`ConfigBundle`]: each folder's `args` (a `talosctl gen config` command
//! line) is read into bundle options here, and the four files Talos wrote
//! must come out byte for byte (the talosconfig's fresh credentials
//! blanked). One test per folder; a flag this reader does not know fails
//! the case rather than being ignored.

use std::path::Path;

use talgen_generate::{BundleError, BundleOptions, ConfigBundle, MachineType, PatchStage};
use talgen_secrets::Bundle;
use talgen_testutil::{shell_split, talosconfig_shape};

/// Cluster name, endpoint, Kubernetes version and options of one `args`
/// line; paths in it are relative to `golden/`.
fn read_args(golden: &Path, line: &str) -> (String, String, String, BundleOptions) {
    let args = shell_split(line.trim());
    let mut positional = Vec::new();
    let mut kubernetes_version = talgen_generate::constants::DEFAULT_KUBERNETES_VERSION.to_owned();
    let mut options = BundleOptions::talosctl();
    let mut it = args.iter();
    let read_patch = |arg: &str| {
        let file = arg
            .strip_prefix('@')
            .expect("patches in the corpus are @files");
        let bytes = std::fs::read(golden.join(file)).unwrap();
        talgen_patch::parse_patch_named(file, &bytes).unwrap()
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("flag value").clone();
        let o = &mut options.generate;
        match arg.as_str() {
            "--with-secrets" => {
                let text = std::fs::read_to_string(golden.join(value())).unwrap();
                o.secrets = Some(Bundle::from_yaml(&text).unwrap());
            }
            "--talos-version" => {
                o.contract = talgen_contract::Contract::from_talosctl_version(&value()).unwrap();
            }
            "--kubernetes-version" => kubernetes_version = value(),
            // Comments are never written; the corpus asks for none.
            "--with-docs=false" | "--with-examples=false" => {}
            // Every type is compared whatever the list says.
            "-t" => drop(value()),
            "--install-image" => o.install_image = value(),
            "--install-disk" => o.install_disk = value(),
            "--dns-domain" => o.dns_domain = value(),
            "--additional-sans" => o.additional_sans.extend(
                value()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "--registry-mirror" => {
                let spec = value();
                let (host, url) = spec.split_once('=').expect("host=url");
                o.add_registry_mirror(host, &[url]);
            }
            "--with-kubespan" => o.kubespan_enabled = Some(true),
            "--config-patch" => options.patches.push(read_patch(&value())),
            "--config-patch-control-plane" => {
                options.control_plane_patches.push(read_patch(&value()))
            }
            "--config-patch-worker" => options.worker_patches.push(read_patch(&value())),
            flag if flag.starts_with('-') => panic!("flag {flag} not read by this suite"),
            _ => positional.push(arg.clone()),
        }
    }
    let [name, endpoint] = <[String; 2]>::try_from(positional).expect("name and endpoint");
    (name, endpoint, kubernetes_version, options)
}

fn run_case(contract: &str, variant: &str) {
    let dir = talgen_testutil::upstream_or_skip!();
    let golden = dir.join("golden");
    let case = golden.join(contract).join(variant);
    let line = std::fs::read_to_string(case.join("args")).unwrap();
    let (name, endpoint, kubernetes_version, options) = read_args(&golden, &line);
    let bundle = ConfigBundle::new(&name, &endpoint, &kubernetes_version, options).unwrap();
    let want = |file: &str| std::fs::read_to_string(case.join(file)).unwrap();
    for (file, t) in [
        ("init.yaml", MachineType::Init),
        ("controlplane.yaml", MachineType::ControlPlane),
        ("worker.yaml", MachineType::Worker),
    ] {
        let config = bundle.config(t);
        let (want, got) = (want(file), config.as_str());
        assert!(
            want == got,
            "{contract}/{variant}/{file}:\n{}",
            talgen_testutil::diff(&want, got)
        );
        // The typed documents are the ones encoded.
        assert_eq!(config.container().encode().unwrap(), got);
    }
    let talosconfig = bundle.talosconfig().unwrap().to_yaml().unwrap();
    assert_eq!(
        talosconfig_shape(&talosconfig),
        talosconfig_shape(&want("talosconfig")),
        "{contract}/{variant}/talosconfig"
    );
}

macro_rules! golden {
    ($($module:ident => $contract:literal,)*) => {
        $(
            mod $module {
                #[test]
                fn defaults() {
                    super::run_case($contract, "defaults");
                }

                #[test]
                fn flags() {
                    super::run_case($contract, "flags");
                }

                #[test]
                fn patch() {
                    super::run_case($contract, "patch");
                }
            }
        )*

        /// Every folder of the corpus is one of the cases above.
        #[test]
        fn every_golden_folder_has_a_case() {
            let dir = talgen_testutil::upstream_or_skip!();
            let tested = [$($contract),*];
            let mut folders = 0;
            for entry in std::fs::read_dir(dir.join("golden")).unwrap() {
                let path = entry.unwrap().path();
                let contract = path.file_name().unwrap().to_str().unwrap().to_owned();
                if !contract.starts_with('v') || !path.is_dir() {
                    continue;
                }
                assert!(tested.contains(&contract.as_str()), "no case for golden/{contract}");
                for variant in std::fs::read_dir(&path).unwrap() {
                    let variant = variant.unwrap().path();
                    if variant.join("args").is_file() {
                        let v = variant.file_name().unwrap().to_str().unwrap().to_owned();
                        assert!(
                            ["defaults", "flags", "patch"].contains(&v.as_str()),
                            "no case for golden/{contract}/{v}"
                        );
                        folders += 1;
                    }
                }
            }
            assert_eq!(folders, 3 * tested.len());
        }
    };
}

golden! {
    v1_0 => "v1.0",
    v1_1 => "v1.1",
    v1_2 => "v1.2",
    v1_3 => "v1.3",
    v1_4 => "v1.4",
    v1_5 => "v1.5",
    v1_6 => "v1.6",
    v1_7 => "v1.7",
    v1_8 => "v1.8",
    v1_9 => "v1.9",
    v1_10 => "v1.10",
    v1_11 => "v1.11",
    v1_12 => "v1.12",
    v1_13 => "v1.13",
    v1_14 => "v1.14",
    v1_15 => "v1.15",
}

/// Options for a quick bundle of the newest contract with fixed secrets.
fn quick_options() -> BundleOptions {
    let mut options = BundleOptions::talosctl();
    options.generate.secrets = Some(
        talgen_generate::Input::new(
            "x",
            "https://x:6443",
            "1.32.0",
            talgen_generate::Options::default(),
        )
        .unwrap()
        .bundle()
        .clone(),
    );
    options
}

#[test]
fn a_leading_v_of_the_kubernetes_version_is_dropped() {
    let bundle =
        ConfigBundle::new("demo", "https://10.0.0.1:6443", "v1.32.0", quick_options()).unwrap();
    let worker = bundle.worker().as_str();
    assert!(
        worker.contains("image: ghcr.io/siderolabs/kubelet:v1.32.0\n"),
        "{worker}"
    );
    assert!(!worker.contains("vv1.32.0"));
}

#[test]
fn an_endpoint_without_a_scheme_is_refused() {
    let err = ConfigBundle::new("demo", "10.0.0.1", "1.32.0", quick_options()).unwrap_err();
    assert!(matches!(err, BundleError::Endpoint(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        talgen_generate::validate_cluster_endpoint("10.0.0.1")
            .unwrap_err()
            .to_string()
    );
}

#[test]
fn an_empty_kubernetes_version_is_refused() {
    for version in ["", "v"] {
        let err = ConfigBundle::new("demo", "https://10.0.0.1:6443", version, quick_options())
            .unwrap_err();
        assert_eq!(err.to_string(), "kubernetes version must be specified");
    }
}

#[test]
fn patch_groups_reach_their_machine_types_in_upstream_order() {
    let mut options = quick_options();
    let patch = |text: &str| talgen_patch::parse_patch(text.as_bytes()).unwrap();
    options.patches.push(patch("machine: {env: {WHO: common}}"));
    options
        .control_plane_patches
        .push(patch("machine: {env: {WHO: control-plane}}"));
    options
        .worker_patches
        .push(patch("machine: {env: {WHO: worker}}"));
    let bundle = ConfigBundle::new("demo", "https://10.0.0.1:6443", "1.32.0", options).unwrap();
    for (t, who) in [
        (MachineType::Init, "control-plane"),
        (MachineType::ControlPlane, "control-plane"),
        (MachineType::Worker, "worker"),
    ] {
        let text = bundle.config(t).as_str();
        assert!(text.contains(&format!("WHO: {who}\n")), "{t:?}: {text}");
    }
}

#[test]
fn a_failing_patch_names_its_group() {
    // Removing a path that does not exist fails on every machine type.
    let bad = "[{\"op\": \"remove\", \"path\": \"/nothing/here\"}]";
    for (group, stage) in [
        (0, PatchStage::Common),
        (1, PatchStage::ControlPlane),
        (2, PatchStage::Worker),
    ] {
        let mut options = quick_options();
        let patch = talgen_patch::parse_patch(bad.as_bytes()).unwrap();
        [
            &mut options.patches,
            &mut options.control_plane_patches,
            &mut options.worker_patches,
        ][group]
            .push(patch);
        let err =
            ConfigBundle::new("demo", "https://10.0.0.1:6443", "1.32.0", options).unwrap_err();
        match &err {
            BundleError::Patch { stage: got, .. } => assert_eq!(*got, stage),
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().starts_with(&format!("{stage}: ")), "{err}");
    }
}

#[test]
fn credentials_come_from_the_bundle_secrets() {
    let bundle =
        ConfigBundle::new("demo", "https://10.0.0.1:6443", "1.32.0", quick_options()).unwrap();
    let talosconfig = bundle.talosconfig().unwrap();
    assert_eq!(talosconfig.context, "demo");
    let kubeconfig = bundle.kubeconfig(&Default::default()).unwrap();
    assert_eq!(kubeconfig.server, "https://10.0.0.1:6443");
    assert_eq!(
        kubeconfig.certificate_authority,
        bundle.secrets().certs.k8s.crt
    );
}
