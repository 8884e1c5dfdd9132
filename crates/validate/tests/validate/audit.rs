//! Cases found by checking talgen's rules one by one against Talos's
//! validator source: text the typed model forgets (`null` entries), the
//! deprecated runtime spec overrides, CEL selectors, `netip`/semver parsing
//! details, and which warnings `--strict` promotes.

use super::*;

fn strict() -> Options {
    let mut o = Options::default();
    o.strict = true;
    o
}

mod null_entries {
    use super::*;

    #[test]
    fn null_disk_entry() {
        let yaml = worker("disks:\n  - device: /dev/sdb\n  - null\n", "");
        assert_errors(&yaml, Mode::Metal, &["machine.disks[1]"]);
        // Later partition rules still run for the other disks.
        let yaml = worker(
            "disks:\n  - ~\n  - device: /dev/sdb\n    partitions:\n      - mountpoint: /var/a\n      - mountpoint: /var/b\n        size: 1GB\n",
            "",
        );
        assert_errors(
            &yaml,
            Mode::Cloud,
            &["machine.disks[0]", "machine.disks[1].partitions[0].size"],
        );
    }

    #[test]
    fn empty_disk_entry_is_not_null() {
        assert_valid(&worker("disks:\n  - {}\n", ""), Mode::Metal);
    }

    #[test]
    fn null_registry_entries() {
        let yaml = worker(
            "registries:\n  mirrors:\n    docker.io:\n    ghcr.io:\n      endpoints: [https://m.example.com]\n  config:\n    r.example.com: null\n",
            "",
        );
        assert_errors(
            &yaml,
            Mode::Cloud,
            &[
                "machine.registries.config.r.example.com",
                "machine.registries.mirrors.docker.io",
            ],
        );
    }

    #[test]
    fn null_entries_of_other_documents_are_ignored() {
        let yaml = format!(
            "{}---\napiVersion: v1alpha1\nkind: UserVolumeConfig\nname: data\nprovisioning:\n  diskSelector:\n    match: disk.transport == \"nvme\"\n  maxSize: 10GiB\n",
            worker("", "")
        );
        assert_valid(&yaml, Mode::Metal);
    }
}

mod base_runtime_spec_overrides {
    use super::*;

    #[test]
    fn deprecated_overrides_must_fit_the_oci_spec() {
        let yaml = worker(
            "baseRuntimeSpecOverrides:\n  process:\n    rlimits: not-a-list\n",
            "",
        );
        let r = run(&yaml, Mode::Cloud);
        assert_eq!(error_paths(&r), ["machine.baseRuntimeSpecOverrides"]);
        assert_eq!(r.warnings.len(), 1, "{:#?}", r.warnings);
    }

    #[test]
    fn well_formed_overrides_only_warn() {
        let yaml = worker(
            "baseRuntimeSpecOverrides:\n  process:\n    rlimits:\n      - type: RLIMIT_NOFILE\n        hard: 1024\n        soft: 1024\n",
            "",
        );
        let r = run(&yaml, Mode::Cloud);
        assert!(r.is_valid(), "{:#?}", r.errors);
        assert_eq!(r.warnings.len(), 1);
        // Under --strict the deprecation warning becomes an error.
        let r = validate_str(&yaml, Mode::Cloud, &strict()).unwrap();
        assert_eq!(error_paths(&r), ["machine.baseRuntimeSpecOverrides"]);
        assert!(r.errors[0].message.starts_with("warning: "));
    }
}

mod strict_mode {
    use super::*;

    #[test]
    fn warnings_of_other_documents_stay_warnings() {
        let yaml = format!(
            "{}---\napiVersion: v1alpha1\nkind: UnattendedInstallConfig\nprovisioning:\n  diskSelector:\n    match: disk.dev_path == \"/dev/sda\"\n",
            worker("", "")
        );
        let r = validate_str(&yaml, Mode::Metal, &strict()).unwrap();
        assert!(r.is_valid(), "{:#?}", r.errors);
        assert_eq!(r.warnings.len(), 1, "{:#?}", r.warnings);
        assert_eq!(r.warnings[0].document, "UnattendedInstallConfig");
    }

    #[test]
    fn legacy_warnings_become_errors_in_order() {
        let yaml = worker(
            "network:\n  interfaces:\n    - interface: eth0\n      cidr: 10.0.0.2/24\n",
            "",
        );
        let r = validate_str(&yaml, Mode::Metal, &strict()).unwrap();
        assert_eq!(
            error_paths(&r),
            ["machine.network.interfaces[0].cidr"],
            "{:#?}",
            r.errors
        );
        assert!(r.warnings.is_empty());
    }
}

mod cel_selectors {
    use super::*;

    fn unattended(expr: &str) -> String {
        format!(
            "{}---\napiVersion: v1alpha1\nkind: UnattendedInstallConfig\ninstaller:\n  image: ghcr.io/siderolabs/installer:v1.14.1\nprovisioning:\n  diskSelector:\n    match: '{expr}'\n",
            worker("", "")
        )
    }

    #[test]
    fn valid_disk_selectors() {
        for expr in [
            "disk.dev_path == \"/dev/sda\"",
            "disk.size > 120u * GB && disk.size < 1u * TB",
            "disk.transport == \"sata\" && !disk.rotational && !system_disk",
            "glob(\"/dev/nvme*\", disk.dev_path)",
            "disk.symlinks.exists(l, l.startsWith(\"/dev/disk/by-id/\"))",
            "\"/dev/disk/by-id/x\" in disk.symlinks",
            "system_disk",
        ] {
            // Not mode-dependent: the same in every mode.
            for mode in [Mode::Metal, Mode::Cloud] {
                assert_valid(&unattended(expr), mode);
            }
        }
    }

    #[test]
    fn invalid_disk_selectors() {
        for expr in [
            "disk.size >",
            "this is not cel",
            "disk.devpath == \"/dev/sda\"",
            "volume.name == \"x\"",
            "disk.size",
            "\"/dev/sda\"",
            "(disk.cdrom",
        ] {
            let r = run(&unattended(expr), Mode::Cloud);
            assert_eq!(
                error_paths(&r),
                ["provisioning.diskSelector.match"],
                "{expr}: {:#?}",
                r.errors
            );
            assert_eq!(r.errors[0].document, "UnattendedInstallConfig");
        }
    }

    #[test]
    fn volume_kinds() {
        check_kind(
            "kind: UserVolumeConfig\nname: data\nprovisioning:\n  diskSelector:\n    match: disk.foo == 1\n  maxSize: 10GiB\n",
            &["provisioning.diskSelector.match: not a valid disk selector: undefined field 'foo'"],
            &[],
        );
        check_kind(
            "kind: UserVolumeConfig\nname: data\nprovisioning:\n  diskSelector:\n    match: disk.transport == \"nvme\"\n  maxSize: 10GiB\n",
            &[],
            &[],
        );
        check_kind(
            "kind: ExistingVolumeConfig\nname: data\ndiscovery:\n  volumeSelector:\n    match: volume.partition_label == \"DATA\" && disk.serial == \"S1\"\n",
            &[],
            &[],
        );
        check_kind(
            "kind: LVMVolumeGroupConfig\nname: vg0\nprovisioning:\n  volumeSelector:\n    match: volume.partition_label.startsWith(\"r-lvm\")\n",
            &[],
            &[],
        );
        check_kind(
            "kind: LVMVolumeGroupConfig\nname: vg0\nprovisioning:\n  volumeSelector:\n    match: volume.partition_label.startsWith(\"r-lvm\"\n",
            &["provisioning.volumeSelector.match: not a valid volume selector"],
            &[],
        );
        check_kind(
            "kind: LinkAliasConfig\nname: net0\nselector:\n  match: mac(link.permanent_addr) == \"00:1a:2b:3c:4d:5e\"\n",
            &[],
            &[],
        );
        check_kind(
            "kind: LinkAliasConfig\nname: net0\nselector:\n  match: link.drvier == \"e1000\"\n",
            &["selector.match: not a valid link selector: undefined field 'drvier'"],
            &[],
        );
        check_kind(
            "kind: ExistingVolumeConfig\nname: data\ndiscovery:\n  volumeSelector:\n    match: system_disk\n",
            &["discovery.volumeSelector.match: not a valid volume selector: undeclared reference to 'system_disk'"],
            &[],
        );
    }
}

mod parsing_details {
    use super::*;

    #[test]
    fn subnet_lengths_take_no_leading_zero() {
        // Read with netip.ParsePrefix upstream.
        let yaml = worker("kubelet:\n  nodeIP:\n    validSubnets: [10.0.0.0/08]\n", "");
        assert_errors(&yaml, Mode::Cloud, &["machine.kubelet.nodeIP.validSubnets"]);
        let yaml = worker(
            "kubelet:\n  nodeIP:\n    validSubnets: [10.0.0.0/8, \"!fe80::1%eth0\"]\n",
            "",
        );
        assert_valid(&yaml, Mode::Cloud);
    }

    #[test]
    fn only_one_negation_mark_is_dropped() {
        // Go's strings.TrimPrefix drops a single `!`.
        let yaml = worker(
            "kubelet:\n  nodeIP:\n    validSubnets: [\"!!10.0.0.0/8\"]\n",
            "",
        );
        assert_errors(&yaml, Mode::Cloud, &["machine.kubelet.nodeIP.validSubnets"]);
        check_kind(
            "kind: KubeNodeConfig\nnodeIP:\n  validSubnets: [\"!!10.0.0.0/8\", \"!10.0.0.0/8\"]\n",
            &["nodeIP.validSubnets"],
            &[],
        );
    }

    #[test]
    fn empty_etcd_ca_section_passes() {
        // Only a missing `ca` is refused; upstream does not look inside.
        let cp =
            |etcd: &str| controlplane("", &format!("secretboxEncryptionSecret: x\netcd:\n{etcd}"));
        assert_valid(&cp("  ca: {}\n"), Mode::Cloud);
        assert_errors(
            &cp("  subnet: 10.0.0.0/8\n"),
            Mode::Cloud,
            &["cluster.etcd.ca"],
        );
    }

    #[test]
    fn interface_addresses_take_leading_zeros() {
        // Read with net.ParseCIDR upstream, which accepts `/024`.
        let yaml = controlplane(
            "network:\n  interfaces:\n    - interface: eth0\n      addresses: [10.0.0.2/024]\n",
            "",
        );
        let yaml = yaml.replace(
            "cluster:\n",
            "cluster:\n  etcd:\n    ca:\n      crt: Zm9v\n      key: Zm9v\n",
        );
        let r = run(&yaml, Mode::Cloud);
        assert!(
            !error_paths(&r).iter().any(|p| p.contains("interfaces")),
            "{:#?}",
            r.errors
        );
    }

    #[test]
    fn kubelet_image_pre_release_without_leading_zero() {
        let image = |tag: &str| {
            worker(
                &format!("kubelet:\n  image: ghcr.io/siderolabs/kubelet:{tag}\n"),
                "",
            )
        };
        assert_errors(
            &image("v1.36.0-rc.01"),
            Mode::Cloud,
            &["machine.kubelet.image"],
        );
        assert_valid(&image("v1.36.0-rc.1"), Mode::Cloud);
        assert_valid(&image("v1.32.0"), Mode::Cloud);
        assert_errors(&image("v1.31.99"), Mode::Cloud, &["machine.kubelet.image"]);
        assert_valid(&image("v1.37.98"), Mode::Cloud);
        assert_errors(&image("v1.37.99"), Mode::Cloud, &["machine.kubelet.image"]);
    }
}
