//! Kinds ported last: containers, CRI spec/customization, admission
//! control, flannel, image verification, SideroLink, LVM and RAID, the
//! KubeNetworkConfig subnet sizes and X.509 loading of CA documents.
//! Cases are named after upstream `types/*/*_test.go` and
//! `config/container/container_deps_test.go`.

use super::*;

/// A self-signed P-256 test certificate and its key (made with openssl
/// for these tests only).
const CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUKKxPopvoZV3vOD6xP79L9rLe0fcwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLdGFsZ2VuLXRlc3QwIBcNMjYxMTI1MjE0NTI2WhgPMjEyNjEx
MDEyMTQ1MjZaMBYxFDASBgNVBAMMC3RhbGdlbi10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEwbawcA6nqMZIbRxVX4xJwqtb/m9POQnuHxpu54sz3GbmD3G8
lmg5oiUPZBfog9p0T94E/Ez1gTxUfnZqjpS4w6NTMFEwHQYDVR0OBBYEFGEHZFui
ivVl3Ha06L/R6LsTW7g0MB8GA1UdIwQYMBaAFGEHZFuiivVl3Ha06L/R6LsTW7g0
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAO8iZZBl4nj5Xnpx
aT3Z8Vw6ZMaq7DxAuqbmaDZxIfeQAiBBYBzYd1bL5353zPk3qakWNlK1KjaugBYv
QydsObAn0w==
-----END CERTIFICATE-----
-----END CERTIFICATE-----
";
const KEY: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIHKoIgNOCJTmrAf+en1EfVx636nrQwmF5juURahGBIiMoAoGCCqGSM49
AwEHoUQDQgAEwbawcA6nqMZIbRxVX4xJwqtb/m9POQnuHxpu54sz3GbmD3G8lmg5
oiUPZBfog9p0T94E/Ez1gTxUfnZqjpS4ww==
-----END EC PRIVATE KEY-----
";
/// Correct PEM framing around a body that is no certificate.
const FAKE_CERT: &str = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

/// `text` as a YAML literal block indented by `n` spaces.
fn block(text: &str, n: usize) -> String {
    format!("|\n{}", indent(text, n))
}

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn container_doc(extra: &str) -> String {
    format!(
        "kind: ContainerConfig\nname: nginx\nimage: docker.io/library/nginx@sha256:{HEX}\n{extra}"
    )
}

mod container_config {
    use super::*;

    kind_cases! {
        container_config_minimal: container_doc("") => [];
        container_config_digest_pinned_does_not_warn: container_doc("") => [];
        container_config_tag_warns: "kind: ContainerConfig\nname: nginx\nimage: nginx:1.27\n" => [] warn ["image: container \"nginx\": image \"nginx:1.27\" is not pinned"];
        container_config_full: format!("kind: ContainerConfig\nname: nginx\nimage: docker.io/library/nginx@sha256:{HEX}\nenvironment: [NGINX_PORT=8080]\nrunAs: {{uid: 1000, gid: 0}}\nmounts:\n  - userVolume: {{name: web, destination: /usr/share/nginx/html, options: [ro]}}\n  - tmpfs: {{destination: /tmp, size: 64MiB}}\n  - hostPath: {{source: /var/log, destination: /logs, options: [rw, noexec]}}\nsecurity:\n  profile: privileged\n  capabilities: {{add: [NET_ADMIN], drop: [ALL]}}\nnetwork: {{mode: host}}\nresources: {{limits: {{cpu: 1500m, memory: 512MiB}}}}\ndependsOn: {{networks: [addresses], paths: [/var/run], time: true}}\n") => [];
        no_name: format!("kind: ContainerConfig\nimage: nginx@sha256:{HEX}\n") => ["name: a container name is required"];
        uppercase_name: format!("kind: ContainerConfig\nname: Nginx\nimage: nginx@sha256:{HEX}\n") => ["name: \"Nginx\" may only hold"];
        name_with_underscore: format!("kind: ContainerConfig\nname: a_b\nimage: nginx@sha256:{HEX}\n") => ["name: \"a_b\""];
        name_over_max_length: format!("kind: ContainerConfig\nname: {}\nimage: nginx@sha256:{HEX}\n", "a".repeat(64)) => ["longer than 63"];
        name_at_max_length: format!("kind: ContainerConfig\nname: {}\nimage: nginx@sha256:{HEX}\n", "a".repeat(63)) => [];
        no_image: "kind: ContainerConfig\nname: nginx\n" => ["image: an image is required"];
        unparseable_image: "kind: ContainerConfig\nname: nginx\nimage: \"not a ref\"\n" => ["image: invalid image reference"];
        negative_uid: container_doc("runAs: {uid: -1}\n") => ["runAs.uid: -1 is negative"];
        negative_gid: container_doc("runAs: {gid: -2}\n") => ["runAs.gid: -2 is negative"];
        negative_uid_and_gid: container_doc("runAs: {uid: -1, gid: -1}\n") => ["runAs.uid", "runAs.gid"];
        zero_uid_and_gid: container_doc("runAs: {uid: 0, gid: 0}\n") => [];
        environment_without_eq: container_doc("environment: [FOO]\n") => ["environment[0]: \"FOO\" is not KEY=value"];
        mount_with_no_source: container_doc("mounts:\n  - {}\n") => ["mounts[0]: exactly one of userVolume, tmpfs or hostPath"];
        mount_with_two_sources: container_doc("mounts:\n  - tmpfs: {destination: /a}\n    hostPath: {source: /b, destination: /a}\n") => ["mounts[0]: exactly one"];
        relative_destination: container_doc("mounts:\n  - tmpfs: {destination: tmp}\n") => ["mounts[0]: tmpfs.destination \"tmp\" is not an absolute path"];
        duplicate_destinations: container_doc("mounts:\n  - tmpfs: {destination: /a}\n  - hostPath: {source: /b, destination: /a}\n") => ["mounts[1]: destination \"/a\" is mounted twice"];
        ro_and_rw_together: container_doc("mounts:\n  - tmpfs: {destination: /a, options: [ro, rw]}\n") => ["mounts[0]: mount options ro and rw exclude"];
        unknown_mount_option: container_doc("mounts:\n  - tmpfs: {destination: /a, options: [RO, exec]}\n") => ["\"RO\" is not supported", "\"exec\" is not supported"];
        user_volume_missing_name: container_doc("mounts:\n  - userVolume: {destination: /a}\n") => ["userVolume.name is required"];
        host_path_relative_source: container_doc("mounts:\n  - hostPath: {source: b, destination: /a}\n") => ["hostPath.source \"b\""];
        unknown_security_profile: container_doc("security: {profile: lax}\n") => ["security.profile: \"lax\""];
        capability_with_cap_prefix: container_doc("security: {capabilities: {add: [CAP_SYS_ADMIN]}}\n") => ["CAP_ prefix"];
        capability_lowercase: container_doc("security: {capabilities: {drop: [net_raw]}}\n") => ["not upper case"];
        capability_invalid_character_digit: container_doc("security: {capabilities: {add: [NET1]}}\n") => ["may only hold upper-case letters"];
        all_in_add: container_doc("security: {capabilities: {add: [ALL]}}\n") => ["ALL cannot be added"];
        capability_in_both_lists: container_doc("security: {capabilities: {add: [NET_ADMIN], drop: [NET_ADMIN]}}\n") => ["\"NET_ADMIN\" is both added and dropped"];
        unknown_network_mode: container_doc("network: {mode: bridge}\n") => ["network.mode: \"bridge\""];
        cpu_without_millicores: container_doc("resources: {limits: {cpu: \"2\"}}\n") => ["resources.limits.cpu: \"2\" must be given in millicores"];
        zero_cpu: container_doc("resources: {limits: {cpu: 0m}}\n") => ["must be above zero"];
        bad_memory_size: container_doc("resources: {limits: {memory: lots}}\n") => ["resources.limits.memory: not a size"];
        unknown_network_condition: container_doc("dependsOn: {networks: [dns]}\n") => ["dependsOn.networks: \"dns\""];
        relative_depends_on_path: container_doc("dependsOn: {paths: [var/run]}\n") => ["dependsOn.paths"];
        self_dependency: container_doc("dependsOn: {containers: [nginx]}\n") => ["container \"nginx\" depends on itself"];
    }

    fn two(a_deps: &str, b_deps: &str) -> String {
        format!(
            "{}---\napiVersion: v1alpha1\nkind: ContainerConfig\nname: a\nimage: x@sha256:{HEX}\ndependsOn: {{containers: [{a_deps}]}}\n---\napiVersion: v1alpha1\nkind: ContainerConfig\nname: b\nimage: x@sha256:{HEX}\ndependsOn: {{containers: [{b_deps}]}}\n",
            worker("", "")
        )
    }

    #[test]
    fn container_deps_missing_dependency() {
        let r = run(&two("b", "c"), Mode::Cloud);
        assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
        assert!(r.errors[0]
            .message
            .contains("container \"b\" depends on container \"c\", which is not configured"));
        assert_eq!(r.errors[0].document, "");
    }

    #[test]
    fn container_deps_cycle() {
        let r = run(&two("b", "a"), Mode::Cloud);
        let msgs: Vec<&str> = r.errors.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            ["container dependsOn cycle detected: a -> b -> a"],
            "{:#?}",
            r.errors
        );
    }

    #[test]
    fn container_deps_acyclic() {
        let yaml = two("b", "");
        assert!(run(&yaml, Mode::Cloud).is_valid());
    }
}

mod cri_kinds {
    use super::*;

    kind_cases! {
        customization_valid: "kind: CRICustomizationConfig\nname: gpu\ncontent: x\n" => [];
        customization_empty_name: "kind: CRICustomizationConfig\ncontent: x\n" => ["name"];
        customization_qualified_name: "kind: CRICustomizationConfig\nname: example.com/gpu\n" => [];
        customization_reserved_legacy_name: "kind: CRICustomizationConfig\nname: customization\n" => ["name: \"customization\" is reserved"];
        customization_invalid_qualified_name: "kind: CRICustomizationConfig\nname: example.com/foo/bar\n" => ["name"];
        base_runtime_spec_valid: "kind: CRIBaseRuntimeSpecConfig\noverrides:\n  process:\n    rlimits:\n      - type: RLIMIT_NOFILE\n        hard: 1024\n        soft: 1024\n" => [];
        base_runtime_spec_invalid_rlimits: "kind: CRIBaseRuntimeSpecConfig\noverrides:\n  process:\n    rlimits: invalid\n" => ["overrides: does not fit the OCI runtime spec: process.rlimits: a list is expected"];
    }
}

mod k8s_kinds {
    use super::*;

    const SVC4: &str = "10.96.0.0/12";
    const POD4: &str = "10.244.0.0/16";
    const SVC6: &str = "fc00:db8:20::/112";
    const POD6: &str = "fc00:db8:10::/56";

    fn net(pods: &str, services: &str, extra: &str) -> String {
        format!(
            "kind: KubeNetworkConfig\npodSubnets: [{pods}]\nserviceSubnets: [{services}]\n{extra}"
        )
    }

    kind_cases! {
        admission_control_empty: "kind: KubeAdmissionControlConfig\n" => ["name: the admission plugin name is required"];
        admission_control_valid: "kind: KubeAdmissionControlConfig\nname: PodSecurity\nconfiguration: {defaults: {}}\n" => [];
        flannel_empty: "kind: KubeFlannelCNIConfig\n" => ["backendType"];
        flannel_invalid_resources: "kind: KubeFlannelCNIConfig\nbackendType: vxlan\nresources: {requests: {gpu: 1}}\n" => ["resources"];
        flannel_valid_config: "kind: KubeFlannelCNIConfig\nbackendType: vxlan\n" => [];
        network_empty: "kind: KubeNetworkConfig\n" => ["podSubnets: at least one", "serviceSubnets: at least one"];
        network_double_v4: net(&format!("{POD4}, {POD4}"), &format!("{SVC4}, {SVC4}"), "") => ["podSubnets: at most one IPv4", "serviceSubnets: at most one IPv4"];
        network_length_mismatch: net(&format!("{POD4}, {POD6}"), SVC4, "") => ["podSubnets: there must be as many"];
        network_invalid_subnet: net("192.168.1.1/24", SVC4, "") => ["podSubnets: 192.168.1.1/24 has host bits set"];
        network_v4_only: net(POD4, SVC4, "") => [];
        network_v6_only: net(POD6, SVC6, "") => [];
        network_dual_stack: net(&format!("{POD4}, {POD6}"), &format!("{SVC4}, {SVC6}"), "") => [];
        network_service_subnet_too_large: net(POD4, "10.0.0.0/10", "") => ["serviceSubnets: 10.0.0.0/10 is too large: it must be /12 or smaller"];
        network_pod_subnet_too_large_for_node_mask_v4: net("2.0.0.0/7", SVC4, "") => ["podSubnets: 2.0.0.0/7 is too large for the per-node pod CIDR mask /24"];
        network_pod_subnet_too_large_for_node_mask_v6: net("fc00:db8::/40", SVC6, "") => ["podSubnets: fc00:db8::/40 is too large for the per-node pod CIDR mask /64"];
        network_pod_subnet_smaller_than_node_mask: net("10.244.0.0/28", SVC4, "") => ["podSubnets: 10.244.0.0/28 is smaller than the per-node pod CIDR mask /24"];
        network_custom_node_mask_makes_pod_subnet_valid: net("2.0.0.0/7", SVC4, "nodeCIDRMaskSizeIPv4: 20\n") => [];
        network_custom_node_mask_makes_pod_subnet_invalid_v6: net(POD6, SVC6, "nodeCIDRMaskSizeIPv6: 80\n") => ["podSubnets: fc00:db8:10::/56 is too large for the per-node pod CIDR mask /80"];
        network_node_mask_ipv4_negative: net(POD4, SVC4, "nodeCIDRMaskSizeIPv4: -1\n") => ["nodeCIDRMaskSizeIPv4: must be between 1 and 32"];
        network_node_mask_ipv4_too_large: net(POD4, SVC4, "nodeCIDRMaskSizeIPv4: 33\n") => ["nodeCIDRMaskSizeIPv4"];
        network_node_mask_ipv6_negative: net(POD6, SVC6, "nodeCIDRMaskSizeIPv6: -5\n") => ["nodeCIDRMaskSizeIPv6: must be between 1 and 128"];
        network_node_mask_ipv6_too_large: net(POD6, SVC6, "nodeCIDRMaskSizeIPv6: 129\n") => ["nodeCIDRMaskSizeIPv6"];
        network_node_mask_ipv4_and_ipv6_both_out_of_range: net(&format!("{POD4}, {POD6}"), &format!("{SVC4}, {SVC6}"), "nodeCIDRMaskSizeIPv4: -1\nnodeCIDRMaskSizeIPv6: 200\n") => ["nodeCIDRMaskSizeIPv4", "nodeCIDRMaskSizeIPv6"];
        network_node_mask_ipv4_boundary_valid_at_1: net("0.0.0.0/1", SVC4, "nodeCIDRMaskSizeIPv4: 1\n") => [];
        network_node_mask_ipv4_boundary_valid_at_32: net("10.244.255.0/28", SVC4, "nodeCIDRMaskSizeIPv4: 32\n") => [];
        network_node_mask_ipv6_boundary_valid_at_128: net("fc00:db8:10::/116", SVC6, "nodeCIDRMaskSizeIPv6: 128\n") => [];
        network_node_mask_ipv4_and_ipv6_explicitly_unset: net(POD4, SVC4, "nodeCIDRMaskSizeIPv4: 0\nnodeCIDRMaskSizeIPv6: 0\n") => [];
        api_server_ca_loads_pair: format!("kind: KubeAPIServerCAConfig\nissuingCA:\n  cert: {}  key: {}", block(CERT, 4), block(KEY, 4)) => [];
        api_server_ca_framing_only_is_rejected: format!("kind: KubeAPIServerCAConfig\nissuingCA:\n  cert: {}  key: {}", block(FAKE_CERT, 4), block(KEY, 4)) => ["issuingCA: the certificate does not parse"];
        aggregator_ca_bad_key: format!("kind: KubeAggregatorCAConfig\nissuingCA:\n  cert: {}  key: {}", block(CERT, 4), block("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", 4)) => ["issuingCA: the key does not load"];
        service_account_key_loads: format!("kind: KubeServiceAccountConfig\nissuer:\n  privateKey: {}  issuerURL: https://k8s.example.com\n", block(KEY, 4)) => [];
        service_account_key_invalid: "kind: KubeServiceAccountConfig\nissuer:\n  privateKey: \"-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\\n\"\n  issuerURL: https://k8s.example.com\n" => ["issuer.privateKey"];
        registry_tls_parsed_ca: format!("kind: RegistryTLSConfig\nname: r\nca: {}", block(CERT, 2)) => [];
        registry_tls_framing_only_ca: format!("kind: RegistryTLSConfig\nname: r\nca: {}", block(FAKE_CERT, 2)) => ["ca: the CA holds no parsable PEM certificate"];
    }
}

mod security_kinds {
    use super::*;

    fn rule(body: &str) -> String {
        format!("kind: ImageVerificationConfig\nrules:\n  - {body}\n")
    }

    kind_cases! {
        image_verification_valid_config: rule("{image: ghcr.io/siderolabs/*, keyless: {issuer: https://token.actions.githubusercontent.com, subjectRegex: x}}") => [];
        image_verification_valid_config_with_subject_instead_of_subject_regex: rule("{image: ghcr.io/a/*, keyless: {issuer: i, subject: s}}") => [];
        image_verification_valid_config_with_skip_and_no_verifier: rule("{image: ghcr.io/a/*, skip: true}") => [];
        image_verification_valid_config_with_deny_and_no_verifier: rule("{image: ghcr.io/a/*, deny: true}") => [];
        image_verification_rule_missing_image_pattern: rule("{skip: true}") => ["rules[0].image: an image pattern is required"];
        image_verification_no_verifier: rule("{image: ghcr.io/a/*}") => ["rules[0]: a verifier is required"];
        image_verification_verifier_missing_issuer: rule("{image: ghcr.io/a/*, keyless: {subject: s}}") => ["rules[0].keyless.issuer"];
        image_verification_verifier_missing_subject_and_subject_regex: rule("{image: ghcr.io/a/*, keyless: {issuer: i}}") => ["rules[0].keyless.subject"];
        image_verification_verifiers_with_skip: rule("{image: ghcr.io/a/*, skip: true, publicKey: {certificate: c}}") => ["rules[0]: a rule that skips or denies takes no verifier"];
        image_verification_multiple_errors: rule("{skip: true, deny: true, keyless: {}, publicKey: {}}") => ["rules[0].image", "rules[0]: skip and deny", "rules[0]: a rule that skips", "rules[0]: keyless and publicKey", "keyless.issuer", "keyless.subject", "publicKey.certificate"];
        image_verification_warnings_in_image_pattern: rule("{image: \"nginx@sha256:x\", deny: true}") => [] warn ["'@'", "without '/'"];
        image_verification_warnings_for_colon_at_and_bare_name: "kind: ImageVerificationConfig\nrules:\n  - {image: \"localhost:3000/*/:latest\", deny: true}\n  - {image: \"docker.io/my-image@*\", deny: true}\n  - {image: nginx, deny: true}\n" => [] warn ["rules[0].image: ':'", "rules[1].image: '@'", "rules[2].image: a pattern without '/'"];
        siderolink_grpc_extra_path: "kind: SideroLinkConfig\napiUrl: grpc://siderolink.api/path?jointoken=foo\n" => ["apiUrl: the URL takes no path"];
        image_verification_tag_warning: rule("{image: \"localhost:5000/a:1\", deny: true}") => [] warn ["':' in the repository part"];
        siderolink_empty: "kind: SideroLinkConfig\n" => ["apiUrl: an API URL is required"];
        siderolink_wrong_scheme: "kind: SideroLinkConfig\napiUrl: http://omni.example.com\n" => ["apiUrl: the scheme must be"];
        siderolink_extra_path: "kind: SideroLinkConfig\napiUrl: https://omni.example.com/path\n" => ["apiUrl: the URL takes no path"];
        siderolink_valid: "kind: SideroLinkConfig\napiUrl: https://omni.example.com:8090/?jointoken=x\n" => [];
        // Issue 10: the path Go compares is the decoded one (`//` here).
        siderolink_escaped_slash_is_a_path: "kind: SideroLinkConfig\napiUrl: https://omni.example.com/%2F\n" => ["apiUrl: the URL takes no path"];
        security_profile_accepts_anything: "kind: SecurityProfileConfig\nworkloadIsolation: true\n" => [];
    }
}

mod storage_kinds {
    use super::*;

    const SELECTOR: &str =
        "provisioning:\n  volumeSelector:\n    match: volume.partition_label == \"data\"\n";

    kind_cases! {
        lvm_logical_volume_no_name: "kind: LVMLogicalVolumeConfig\nprovisioning: {volumeGroup: vg, maxSize: 10GiB}\n" => ["name: a name is required", "name: must be 1 to 63"];
        lvm_logical_volume_missing_volume_group: "kind: LVMLogicalVolumeConfig\nname: lv\nprovisioning: {maxSize: 10GiB}\n" => ["provisioning.volumeGroup"];
        lvm_logical_volume_missing_max_size: "kind: LVMLogicalVolumeConfig\nname: lv\nprovisioning: {volumeGroup: vg}\n" => ["provisioning.maxSize: a maximum size is required"];
        lvm_logical_volume_min_greater_than_max: "kind: LVMLogicalVolumeConfig\nname: lv\nprovisioning: {volumeGroup: vg, minSize: 20GiB, maxSize: 10GiB}\n" => ["provisioning.minSize: the minimum size exceeds"];
        lvm_logical_volume_valid_percent: "kind: LVMLogicalVolumeConfig\nname: lv\nprovisioning: {volumeGroup: vg, minSize: 20GiB, maxSize: 50%}\n" => [];
        lvm_logical_volume_mirrors_on_linear: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: linear\nmirrors: 1\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => ["mirrors: only raid1 and raid10"];
        lvm_logical_volume_stripes_on_raid1: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: raid1\nstripes: 2\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => ["stripes: only raid0 and raid10"];
        lvm_logical_volume_stripes_too_low_on_raid0: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: raid0\nstripes: 1\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => ["stripes: must be at least 2"];
        lvm_logical_volume_valid_raid0_with_stripes: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: raid0\nstripes: 2\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => [];
        lvm_logical_volume_valid_raid10_with_mirrors_and_stripes: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: RAID10\nmirrors: 1\nstripes: 2\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => [];
        lvm_logical_volume_unknown_type: "kind: LVMLogicalVolumeConfig\nname: lv\ntype: raid5\nprovisioning: {volumeGroup: vg, maxSize: 1GiB}\n" => ["type: \"raid5\""];
        lvm_volume_group_no_name: format!("kind: LVMVolumeGroupConfig\n{SELECTOR}") => ["name: a name is required", "name: must be 1 to 63"];
        lvm_volume_group_too_long_name: format!("kind: LVMVolumeGroupConfig\nname: {}\n{SELECTOR}", "a".repeat(64)) => ["name: must be 1 to 63"];
        lvm_volume_group_invalid_characters_in_name: format!("kind: LVMVolumeGroupConfig\nname: a.b\n{SELECTOR}") => ["name: may only hold"];
        lvm_volume_group_missing_selector: "kind: LVMVolumeGroupConfig\nname: vg\n" => ["provisioning.volumeSelector.match"];
        lvm_volume_group_valid: format!("kind: LVMVolumeGroupConfig\nname: vg\n{SELECTOR}") => [];
        lvm_volume_group_valid_with_underscore_in_name: format!("kind: LVMVolumeGroupConfig\nname: vg_data\n{SELECTOR}") => [];
        raid_array_no_name: format!("kind: RAIDArrayConfig\nlevel: raid1\n{SELECTOR}") => ["name: a name is required", "name: must be 1 to 32"];
        raid_array_too_long_name: format!("kind: RAIDArrayConfig\nname: {}\nlevel: raid1\n{SELECTOR}", "a".repeat(33)) => ["name: must be 1 to 32"];
        raid_array_invalid_characters_in_name: format!("kind: RAIDArrayConfig\nname: md/0\nlevel: raid1\n{SELECTOR}") => ["name: may only hold"];
        raid_array_missing_selector: "kind: RAIDArrayConfig\nname: md0\nlevel: raid1\n" => ["provisioning.volumeSelector.match"];
        raid_array_valid: format!("kind: RAIDArrayConfig\nname: md0\nlevel: raid1\nmetadata: \"1.2\"\n{SELECTOR}") => [];
        raid_array_valid_with_underscore_in_name: format!("kind: RAIDArrayConfig\nname: md_0\nlevel: raid1\n{SELECTOR}") => [];
        raid_array_unknown_level: format!("kind: RAIDArrayConfig\nname: md0\nlevel: raid5\n{SELECTOR}") => ["level: \"raid5\""];
    }
}
