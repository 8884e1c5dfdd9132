#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Conformance and property tests of talgen-secrets against the upstream
//! Talos bundles.

use std::path::{Path, PathBuf};

use talgen_contract::Contract;
use talgen_secrets::{Bundle, Clock, Error, ProblemKind};
use talgen_testutil::{upstream_or_skip, Tally};

/// Every bundle Talos wrote that must load and round-trip byte for byte.
fn upstream_bundles(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![
        dir.join("stability/secrets.yaml"),
        dir.join("secrets/secrets.yaml"),
    ];
    for c in Contract::ALL {
        files.push(dir.join(format!("golden/{c}/secrets.yaml")));
    }
    files
}

mod round_trip {
    use super::*;

    #[test]
    fn upstream_bundles_load_and_write_back_byte_for_byte() {
        let dir = upstream_or_skip!();
        let mut tally = Tally::new();
        for path in upstream_bundles(&dir) {
            let name = path.strip_prefix(&dir).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            match Bundle::from_yaml(&text) {
                Ok(bundle) => match bundle.to_yaml() {
                    Ok(out) => tally.compare(&name, &text, &out),
                    Err(e) => tally.fail(&name, e),
                },
                Err(e) => tally.fail(&name, e),
            }
        }
        tally.finish("upstream secrets bundles");
    }

    #[test]
    fn leading_comment_is_kept() {
        let dir = upstream_or_skip!();
        let text = std::fs::read_to_string(dir.join("stability/secrets.yaml")).unwrap();
        let bundle = Bundle::from_yaml(&text).unwrap();
        assert!(bundle.head_comment.starts_with("# test set of secrets"));
        assert!(bundle.head_comment.ends_with('\n'));
        assert_eq!(bundle.head_comment.lines().count(), 1);
    }

    /// Talos's `LoadBundle` (pkg/machinery/config/generate/secrets/bundle.go)
    /// decodes one document with a non-strict decoder: later documents and
    /// unknown keys are ignored.
    #[test]
    fn only_the_first_document_counts_and_unknown_keys_are_ignored() {
        let dir = upstream_or_skip!();
        let text = std::fs::read_to_string(dir.join("secrets/secrets.yaml")).unwrap();
        let want = Bundle::from_yaml(&text).unwrap();
        let extended = format!(
            "{text}extra:\n    nested: [1, 2]\n---\n- a list, not a bundle\n---\ncluster: 5\n"
        );
        let got = Bundle::from_yaml(&extended).unwrap();
        assert_eq!(got, want);
        assert_eq!(got.to_yaml().unwrap(), want.to_yaml().unwrap());
        // go.yaml.in/yaml/v4 (internal/libyaml/constructor.go) refuses a
        // repeated key only in mappings it decodes.
        let repeated_unknown = format!("{text}extra:\n    a: 1\n    a: 2\n");
        assert_eq!(Bundle::from_yaml(&repeated_unknown).unwrap(), want);
        let token = "    token: ";
        let repeated_known =
            text.replacen(token, "    token: abcdef.0123456789abcdef\n    token: ", 1);
        assert!(matches!(
            Bundle::from_yaml(&repeated_known),
            Err(Error::Yaml { .. })
        ));
        // An empty first document is the one Go decodes: nothing. (This
        // bundle has no leading comment, so its text is all YAML.)
        assert!(!text.starts_with('#'));
        assert!(Bundle::from_yaml(&format!("---\n---\n{text}")).is_err());
        let explicit = Bundle::from_yaml(&format!("---\n{text}")).unwrap();
        assert_eq!(explicit.to_yaml().unwrap(), want.to_yaml().unwrap());
    }

    #[test]
    fn golden_bundles_have_per_contract_shapes() {
        let dir = upstream_or_skip!();
        let mut tally = Tally::new();
        for c in Contract::ALL {
            let name = format!("golden/{c}/secrets.yaml");
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let b = Bundle::from_yaml(&text).unwrap();
            let secretbox = !b.secrets.secretbox_encryption_secret.is_empty();
            let aescbc = !b.secrets.aescbc_encryption_secret.is_empty();
            if secretbox != c.secretbox_encryption_supported() || aescbc == secretbox {
                tally.fail(&name, "wrong encryption secret for the contract");
            } else {
                tally.pass();
            }
            let sa = String::from_utf8(b.certs.k8s_service_account.key.clone()).unwrap();
            let want = if c.use_rsa_service_account_key() {
                "-----BEGIN RSA PRIVATE KEY-----"
            } else {
                "-----BEGIN EC PRIVATE KEY-----"
            };
            if sa.starts_with(want) {
                tally.pass();
            } else {
                tally.fail(&name, format!("service account key is not {want}"));
            }
        }
        tally.finish("golden bundle shapes");
    }
}

mod invalid {
    use super::*;

    #[test]
    fn upstream_invalid_bundle_names_every_bad_field() {
        let dir = upstream_or_skip!();
        let text = std::fs::read_to_string(dir.join("secrets/invalid-secrets.yaml")).unwrap();
        let err = Bundle::from_yaml(&text).unwrap_err();
        let Error::Invalid { problems } = &err else {
            panic!("unexpected error {err}");
        };
        let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            vec![
                "cluster.secret is required",
                "one of [secrets.secretboxencryptionsecret, secrets.aescbcencryptionsecret] is required",
                "trustdinfo.token is required",
                "certs.etcd is invalid: failed to parse PEM block",
                "certs.k8saggregator is required",
                "certs.os is invalid: unsupported key type: \"CERTIFICATE\"",
            ]
        );
    }

    fn valid_text() -> Option<String> {
        let dir = talgen_testutil::upstream_dir()?;
        Some(std::fs::read_to_string(dir.join("secrets/secrets.yaml")).unwrap())
    }

    /// The first problem reported for `text`.
    fn first_problem(text: &str) -> (String, ProblemKind) {
        match Bundle::from_yaml(text).unwrap_err() {
            Error::Invalid { problems } => {
                let p = problems.into_iter().next().unwrap();
                (p.field, p.kind)
            }
            other => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn missing_field_is_named() {
        let Some(text) = valid_text() else { return };
        let text = text.replace("    token: oamejv.9tk1nhuwnlc2nghf\n", "");
        let (field, kind) = first_problem(&text);
        assert_eq!(field, "trustdinfo.token");
        assert_eq!(kind, ProblemKind::Missing);
    }

    #[test]
    fn bad_base64_is_named() {
        let Some(text) = valid_text() else { return };
        let text = text.replacen("crt: LS0t", "crt: L!0t", 1);
        let (field, kind) = first_problem(&text);
        assert_eq!(field, "certs.etcd.crt");
        assert!(matches!(kind, ProblemKind::BadBase64(_)), "{kind:?}");
    }

    #[test]
    fn bad_pem_is_named() {
        let Some(text) = valid_text() else { return };
        // base64 of "not pem"
        let bundle = Bundle::from_yaml(&text).unwrap();
        let mut broken = bundle.clone();
        broken.certs.k8s.key = b"not pem".to_vec();
        let (field, kind) = first_problem(&broken.to_yaml().unwrap());
        assert_eq!(field, "certs.k8s");
        assert_eq!(kind, ProblemKind::Invalid(talgen_pki::Error::NoPemBlock));
    }

    /// Talos only checks that a CA's key and certificate each parse
    /// (`validatePEMEncodedCertificateAndKey`,
    /// pkg/machinery/config/generate/secrets/utils.go), not that they
    /// belong together: such a bundle loads, and only issuing from the
    /// mismatched CA fails.
    #[test]
    fn key_of_another_certificate_is_accepted_but_cannot_issue() {
        let Some(text) = valid_text() else { return };
        let mut bundle = Bundle::from_yaml(&text).unwrap();
        bundle.certs.etcd.key = bundle.certs.k8s.key.clone();
        let written = bundle.to_yaml().unwrap();
        let back = Bundle::from_yaml(&written).unwrap();
        assert_eq!(back, bundle);
        assert_eq!(back.etcd_ca().unwrap_err(), talgen_pki::Error::KeyMismatch);
    }

    #[test]
    fn not_yaml_and_empty_are_errors() {
        assert!(matches!(
            Bundle::from_yaml("cluster: [unclosed"),
            Err(Error::Yaml { .. })
        ));
        assert!(matches!(Bundle::from_yaml(""), Err(Error::Yaml { .. })));
        assert!(matches!(
            Bundle::from_yaml("cluster: 5\n"),
            Err(Error::Yaml { .. })
        ));
    }
}

mod generate {
    use super::*;

    #[test]
    fn every_contract_generates_a_valid_bundle_that_round_trips() {
        for c in Contract::ALL {
            if c.use_rsa_service_account_key() && c != Contract::V1_7 && c != Contract::LATEST {
                // RSA generation is slow; two RSA-era contracts cover it.
                continue;
            }
            let b = Bundle::generate(c, Clock::fixed_now()).unwrap();
            b.validate().unwrap();
            let text = b.to_yaml().unwrap();
            let back = Bundle::from_yaml(&text).unwrap();
            assert_eq!(back, b, "{c}");
            assert_eq!(back.to_yaml().unwrap(), text, "{c}");
        }
    }
}

mod from_controlplane_config {
    use super::*;

    /// Controlplane configs made from a known bundle give that bundle back,
    /// byte for byte once written.
    #[test]
    fn configs_of_every_contract_give_back_their_bundle() {
        let dir = upstream_or_skip!();
        let mut tally = Tally::new();
        let mut cases = Vec::new();
        for c in Contract::ALL {
            cases.push((
                format!("golden/{c}/defaults/controlplane.yaml"),
                format!("golden/{c}/secrets.yaml"),
            ));
            let stability = dir.join(format!("stability/{c}"));
            if stability.is_dir() {
                for flavor in ["base", "overrides"] {
                    cases.push((
                        format!("stability/{c}/{flavor}-controlplane.yaml"),
                        "stability/secrets.yaml".to_string(),
                    ));
                }
            }
        }
        for (config, secrets) in cases {
            let want =
                Bundle::from_yaml(&std::fs::read_to_string(dir.join(&secrets)).unwrap()).unwrap();
            let want = Bundle {
                head_comment: String::new(),
                ..want
            };
            let text = std::fs::read_to_string(dir.join(&config)).unwrap();
            match Bundle::from_controlplane_config(&text, Clock::System) {
                Ok(got) => {
                    tally.compare(&config, &want.to_yaml().unwrap(), &got.to_yaml().unwrap())
                }
                Err(e) => tally.fail(&config, e),
            }
        }
        tally.finish("bundles from controlplane configs");
    }

    #[test]
    fn worker_config_lacks_the_cas() {
        let dir = upstream_or_skip!();
        let text = std::fs::read_to_string(dir.join("golden/v1.15/defaults/worker.yaml")).unwrap();
        let err = Bundle::from_controlplane_config(&text, Clock::System).unwrap_err();
        assert!(err.to_string().contains("certs.k8saggregator"), "{err}");
    }
}

mod properties {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    /// One generated bundle per contract, made once: RSA keys are slow.
    fn generated() -> &'static Vec<Bundle> {
        static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
        BUNDLES.get_or_init(|| {
            Contract::ALL
                .iter()
                .map(|c| Bundle::generate(*c, Clock::fixed_now()).unwrap())
                .collect()
        })
    }

    /// Scalars that stress YAML quoting: numbers, booleans, indicators,
    /// leading and trailing spaces.
    fn tricky_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9]{6}\\.[a-z0-9]{16}",
            "[0-9]{6}\\.[0-9]{16}",
            "[ -~]{1,40}",
            Just("yes".to_string()),
            Just("null".to_string()),
            Just("- a".to_string()),
            Just("0x1F".to_string()),
            Just(" padded ".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn generate_save_load_is_identity(i in 0..Contract::ALL.len()) {
            let b = &generated()[i];
            let text = b.to_yaml().unwrap();
            let back = Bundle::from_yaml(&text).unwrap();
            prop_assert_eq!(&back, b);
            prop_assert_eq!(back.to_yaml().unwrap(), text);
        }

        #[test]
        fn any_string_fields_survive_save_and_load(
            i in 0..Contract::ALL.len(),
            id in tricky_text(),
            token in tricky_text(),
            trustd in tricky_text(),
        ) {
            let mut b = generated()[i].clone();
            b.cluster.id = id;
            b.secrets.bootstrap_token = token;
            b.trustd_info.token = trustd;
            let back = Bundle::from_yaml(&b.to_yaml().unwrap()).unwrap();
            prop_assert_eq!(back, b);
        }
    }
}

mod validation_scope {
    use talgen_secrets::ValidationScope;

    use super::*;

    /// A bundle holding only what a config without Kubernetes and etcd
    /// needs: cluster identity, trustd token, OS CA.
    fn os_only() -> Bundle {
        let mut b = Bundle::generate(Contract::V1_6, Clock::fixed_now()).unwrap();
        b.secrets.bootstrap_token.clear();
        b.secrets.aescbc_encryption_secret.clear();
        b.secrets.secretbox_encryption_secret.clear();
        b.certs.etcd = Default::default();
        b.certs.k8s = Default::default();
        b.certs.k8s_aggregator = Default::default();
        b.certs.k8s_service_account = Default::default();
        b
    }

    fn fields(result: Result<(), Error>) -> Vec<String> {
        match result {
            Ok(()) => Vec::new(),
            Err(Error::Invalid { problems }) => problems.into_iter().map(|p| p.field).collect(),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn full_scope_requires_kubernetes_and_etcd_secrets() {
        let b = os_only();
        let want = [
            "secrets.bootstraptoken",
            "secrets",
            "certs.etcd",
            "certs.k8s",
            "certs.k8saggregator",
            "certs.k8sserviceaccount",
        ];
        assert_eq!(fields(b.validate()), want);
        assert_eq!(fields(b.validate_for(ValidationScope::default())), want);
    }

    #[test]
    fn skipped_parts_are_not_checked() {
        let b = os_only();
        assert_eq!(
            fields(b.validate_for(ValidationScope::WITHOUT_KUBERNETES_AND_ETCD)),
            Vec::<String>::new()
        );
        let etcd_only = ValidationScope {
            kubernetes: false,
            etcd: true,
        };
        assert_eq!(fields(b.validate_for(etcd_only)), ["certs.etcd"]);
        // Upstream skips the encryption-secret rules with Kubernetes too.
        let mut both = os_only();
        both.secrets.aescbc_encryption_secret = "a".into();
        both.secrets.secretbox_encryption_secret = "b".into();
        assert!(both
            .validate_for(ValidationScope::WITHOUT_KUBERNETES_AND_ETCD)
            .is_ok());
    }

    #[test]
    fn identity_and_os_ca_are_always_required() {
        let mut b = os_only();
        b.cluster.secret.clear();
        b.trustd_info.token.clear();
        b.certs.os.key = b"not pem".to_vec();
        assert_eq!(
            fields(b.validate_for(ValidationScope::WITHOUT_KUBERNETES_AND_ETCD)),
            ["cluster.secret", "trustdinfo.token", "certs.os"]
        );
    }
}

#[test]
fn debug_output_never_shows_private_keys() {
    let b = Bundle::generate(Contract::V1_6, Clock::fixed_now()).unwrap();
    let text = format!("{b:?}");
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    assert!(text.contains("BEGIN CERTIFICATE"));
}
