#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every predicate against every contract: one row per behaviour, one
//! column per contract v1.0 … v1.15 (`1` = enabled).

use talgen_contract::{Contract, ParseError};

const MATRIX: &[(&str, &str)] = &[
    //                                               v1.0 ......... v1.15
    ("pod_security_admission_enabled", "0111111111111111"),
    ("stable_hostname_enabled", "0011111111111111"),
    (
        "kubelet_default_runtime_seccomp_profile_enabled",
        "0011111111111111",
    ),
    ("kubernetes_discovery_backend_disabled", "0011111111111111"),
    (
        "kubernetes_allow_scheduling_on_control_planes",
        "0011111111111111",
    ),
    ("apid_ext_key_usage_check_enabled", "0001111111111111"),
    ("api_server_audit_policy_supported", "0001111111111111"),
    ("kubelet_manifests_directory_disabled", "0001111111111111"),
    ("secretbox_encryption_supported", "0001111111111111"),
    ("disk_quota_support_enabled", "0000011111111111"),
    ("kube_prism_enabled", "0000001111111111"),
    ("host_dns_enabled", "0000000111111111"),
    ("use_rsa_service_account_key", "0000000111111111"),
    ("cluster_name_for_workers", "0000000011111111"),
    ("host_dns_forward_kube_dns_to_host", "0000000011111111"),
    (
        "add_exclude_from_external_load_balancer",
        "0000000011111111",
    ),
    (
        "secure_boot_enroll_enforcement_supported",
        "0000000011111111",
    ),
    ("volume_config_encryption_supported", "0000000000011111"),
    ("multidoc_network_config_supported", "0000000000001111"),
    ("hide_disable_psp", "0000000000001111"),
    ("hide_rbac_and_key_usage", "0000000000001111"),
    ("grub_use_uki_cmdline_default", "0000000000001111"),
    ("kube_span_multidoc_config", "0000000000000111"),
    ("host_dns_multidoc_config", "0000000000000011"),
    ("discovery_service_multidoc_config", "0000000000000011"),
    ("discovery_identity_multidoc_config", "0000000000000011"),
    ("unattended_install_config", "0000000000000011"),
    ("multidoc_kubernetes_config_supported", "0000000000000011"),
    ("filesystem_trim_enabled_by_default", "0000000000000011"),
    ("workload_isolation_enabled_by_default", "0000000000000011"),
    ("multidoc_sysctl_config_supported", "0000000000000011"),
    (
        "multidoc_kernel_module_config_supported",
        "0000000000000011",
    ),
    ("kubernetes_alternate_image_registries", "0010000000000000"),
    ("populate_cluster_sans_from_endpoint", "1111111111110000"),
];

#[test]
fn predicate_matrix() {
    let mut mismatches = Vec::new();
    assert_eq!(MATRIX.len(), talgen_contract::PREDICATES.len());
    for (name, predicate) in talgen_contract::PREDICATES {
        let Some((_, row)) = MATRIX.iter().find(|(n, _)| n == name) else {
            panic!("predicate {name} missing from the matrix");
        };
        for (contract, want) in Contract::ALL.iter().zip(row.chars()) {
            let got = if predicate(*contract) { '1' } else { '0' };
            if got != want {
                mismatches.push(format!("{name} at {contract}: got {got}, want {want}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn parses_what_users_write() {
    for (input, want) in [
        ("v1.9", Contract::V1_9),
        ("1.9", Contract::V1_9),
        ("v1.9.3", Contract::V1_9),
        ("v1.14.0-beta.1", Contract::V1_14),
        ("1.0", Contract::V1_0),
        ("v1.15", Contract::V1_15),
        (" v1.3 ", Contract::V1_3),
    ] {
        assert_eq!(input.parse::<Contract>(), Ok(want), "{input}");
    }
}

#[test]
fn refuses_newer_contracts_naming_the_latest() {
    for input in ["v1.16", "v2.0", "1.99.1", "v1.99999999999999999999"] {
        let err = input.parse::<Contract>().unwrap_err();
        assert!(matches!(err, ParseError::TooNew { .. }), "{input}: {err:?}");
        assert!(err.to_string().contains("v1.15"), "{err}");
    }
}

#[test]
fn refuses_malformed_and_old() {
    for input in [
        "",
        "v",
        "v1",
        "1.",
        "v1.x",
        "v1.9x",
        "latest",
        "v1.9-beta",
        "1..2",
    ] {
        assert!(
            matches!(input.parse::<Contract>(), Err(ParseError::Malformed { .. })),
            "{input}"
        );
    }
    assert!(matches!(
        "v0.14".parse::<Contract>(),
        Err(ParseError::TooOld { .. })
    ));
}

#[test]
fn display_round_trips() {
    for c in Contract::ALL {
        assert_eq!(c.to_string().parse::<Contract>(), Ok(c));
    }
    assert_eq!(Contract::default(), Contract::LATEST);
}

proptest::proptest! {
    #[test]
    fn patch_and_prerelease_suffixes_are_ignored(minor in 0u8..=15, patch in 0u32..1000, pre in "[a-z0-9.-]{0,12}") {
        let text = if pre.is_empty() { format!("v1.{minor}.{patch}") } else { format!("v1.{minor}.{patch}-{pre}") };
        proptest::prop_assert_eq!(text.parse::<Contract>().ok().map(Contract::minor), Some(minor));
    }

    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,24}") {
        let _ = s.parse::<Contract>();
    }
}

/// talosctl's `--talos-version` reading: the same grammar as `FromStr`,
/// but nothing trimmed and talosctl's message for malformed text.
#[test]
fn talosctl_version_reading_is_strict_and_worded_like_talosctl() {
    let read = Contract::from_talosctl_version;
    assert_eq!(read("v1.9"), Ok(Contract::V1_9));
    assert_eq!(read("1.9"), Ok(Contract::V1_9));
    assert_eq!(read("v1.14.0-beta.1"), Ok(Contract::V1_14));
    assert_eq!(read("v1.07"), Ok(Contract::V1_7));
    let malformed = |version: &str| ParseError::TalosctlMalformed {
        version: version.to_owned(),
    };
    assert_eq!(read("v1.7-alpha"), Err(malformed("v1.7-alpha")));
    assert_eq!(read("foo"), Err(malformed("vfoo")));
    assert_eq!(read(" v1.7"), Err(malformed("v v1.7")));
    assert_eq!(read("vv1.7"), Err(malformed("vv1.7")));
    assert_eq!(read("v1"), Err(malformed("v1")));
    assert_eq!(
        read("1.x\"").unwrap_err().to_string(),
        r#"error parsing version "v1.x\"""#
    );
    for newer in ["v1.16", "v2.0", "v1.99999999999999999999"] {
        let err = read(newer).unwrap_err();
        assert!(matches!(err, ParseError::TooNew { .. }), "{newer}: {err:?}");
        assert!(err.to_string().contains("v1.15"), "{err}");
    }
    assert_eq!(
        read("v0.14"),
        Err(ParseError::TooOld {
            input: "0.14".to_owned()
        })
    );
}

proptest::proptest! {
    /// Both readings agree wherever the text has no surrounding space.
    #[test]
    fn talosctl_and_fromstr_readings_agree(s in "v?[0-9]{0,3}\\.?[0-9]{0,3}[.a-z-]{0,3}") {
        let strict = Contract::from_talosctl_version(&s).ok();
        proptest::prop_assert_eq!(strict, s.parse::<Contract>().ok());
    }
}
