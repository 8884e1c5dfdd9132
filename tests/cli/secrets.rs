#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `talgen gen secrets` end to end: output file, mode, no-clobber, stdout,
//! contracts and the Kubernetes PKI import.

use std::path::Path;
use std::process::{Command, Output};
use std::time::SystemTime;

use talgen::contract::Contract;
use talgen::pki::{Ca, CertificateProfile, KeyType, PrivateKey};
use talgen::secrets::Bundle;

fn talgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talgen"))
        .current_dir(dir)
        .args(["gen", "secrets"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn load(path: &Path) -> Bundle {
    Bundle::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

mod output {
    use super::*;

    #[test]
    fn default_output_is_a_private_secrets_yaml_for_the_newest_contract() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let path = dir.path().join("secrets.yaml");
        let bundle = load(&path);
        assert!(Contract::LATEST.use_rsa_service_account_key());
        assert!(bundle
            .certs
            .k8s_service_account
            .key
            .starts_with(b"-----BEGIN RSA PRIVATE KEY-----"));
        assert!(!bundle.secrets.secretbox_encryption_secret.is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No stray temporary files next to it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn existing_file_is_kept_without_force_and_replaced_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, "precious\n").unwrap();
        let out = talgen(dir.path(), &["-o", "s.yaml", "--talos-version", "v1.6"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious\n");

        let out = talgen(
            dir.path(),
            &["-o", "s.yaml", "--talos-version", "v1.6", "--force"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        load(&path);
    }

    #[test]
    fn dash_writes_to_stdout() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["-o", "-", "--talos-version", "v1.2"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        let bundle = Bundle::from_yaml(&text).unwrap();
        assert_eq!(bundle.to_yaml().unwrap(), text);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

mod contracts {
    use super::*;

    #[test]
    fn old_contracts_get_aescbc_and_ecdsa_service_account_key() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["-o", "-", "--talos-version", "v1.2.5"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bundle = Bundle::from_yaml(&String::from_utf8(out.stdout).unwrap()).unwrap();
        assert!(!bundle.secrets.aescbc_encryption_secret.is_empty());
        assert!(bundle.secrets.secretbox_encryption_secret.is_empty());
        assert!(bundle
            .certs
            .k8s_service_account
            .key
            .starts_with(b"-----BEGIN EC PRIVATE KEY-----"));
    }

    /// An empty value means the newest contract, as an omitted flag does.
    #[test]
    fn empty_version_gets_the_newest_shape() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["-o", "-", "--talos-version", ""]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bundle = Bundle::from_yaml(&String::from_utf8(out.stdout).unwrap()).unwrap();
        assert!(!bundle.secrets.secretbox_encryption_secret.is_empty());
        assert!(bundle
            .certs
            .k8s_service_account
            .key
            .starts_with(b"-----BEGIN RSA PRIVATE KEY-----"));
    }

    /// Versions outside v1.0..v1.15 are refused, naming the newest supported
    /// contract, and nothing is written (talosctl would quietly give newer
    /// releases the newest shape and 0.x releases the oldest).
    #[test]
    fn unsupported_versions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for version in ["v1.16", "v9.9", "v0.14"] {
            let out = talgen(dir.path(), &["--talos-version", version]);
            assert!(!out.status.success(), "{version}");
            assert!(
                stderr(&out).contains("invalid talos-version"),
                "{}",
                stderr(&out)
            );
        }
        let out = talgen(dir.path(), &["--talos-version", "v1.16"]);
        assert!(stderr(&out).contains("v1.15"), "{}", stderr(&out));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn malformed_version_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["--talos-version", "latest"]);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("invalid talos-version"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

mod kubernetes_pki {
    use super::*;

    /// Writes a kubeadm-like PKI directory; returns the k8s CA PEM.
    fn write_pki(dir: &Path) -> Vec<u8> {
        let now = SystemTime::now();
        std::fs::create_dir_all(dir.join("etcd")).unwrap();
        let mut k8s_crt = Vec::new();
        for (crt, key, org) in [
            ("ca.crt", "ca.key", "kubernetes"),
            ("etcd/ca.crt", "etcd/ca.key", "etcd"),
            ("front-proxy-ca.crt", "front-proxy-ca.key", ""),
        ] {
            let ca = Ca::self_signed(KeyType::EcdsaP256, &CertificateProfile::talos_ca(org, now))
                .unwrap();
            std::fs::write(dir.join(crt), ca.cert_pem()).unwrap();
            std::fs::write(dir.join(key), ca.key_pem()).unwrap();
            if crt == "ca.crt" {
                k8s_crt = ca.cert_pem().to_vec();
            }
        }
        let sa = PrivateKey::generate(KeyType::EcdsaP256).unwrap();
        std::fs::write(dir.join("sa.key"), sa.to_pem().unwrap()).unwrap();
        k8s_crt
    }

    #[test]
    fn pki_directory_and_token_are_used_verbatim() {
        let dir = tempfile::tempdir().unwrap();
        let k8s_crt = write_pki(&dir.path().join("pki"));
        let out = talgen(
            dir.path(),
            &[
                "-p",
                "pki",
                "-t",
                "abcdef.0123456789abcdef",
                "--talos-version",
                "v1.8",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let bundle = load(&dir.path().join("secrets.yaml"));
        assert_eq!(bundle.certs.k8s.crt, k8s_crt);
        assert_eq!(bundle.secrets.bootstrap_token, "abcdef.0123456789abcdef");
        assert!(bundle
            .certs
            .os
            .key
            .starts_with(b"-----BEGIN ED25519 PRIVATE KEY-----"));
    }

    #[test]
    fn missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write_pki(&dir.path().join("pki"));
        std::fs::remove_file(dir.path().join("pki/front-proxy-ca.key")).unwrap();
        let out = talgen(dir.path(), &["-p", "pki"]);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("front-proxy-ca.key"),
            "{}",
            stderr(&out)
        );
    }

    /// talosctl reads the bootstrap token only together with a PKI
    /// directory and otherwise ignores it (cmd/talosctl/cmd/mgmt/gen/secrets.go).
    #[test]
    fn token_without_pki_directory_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let token = "abcdef.0123456789abcdef";
        let out = talgen(dir.path(), &["-t", token, "--talos-version", "v1.6"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bundle = load(&dir.path().join("secrets.yaml"));
        assert_ne!(bundle.secrets.bootstrap_token, token);
    }

    /// With both inputs, talosctl takes the PKI directory and ignores the
    /// controlplane config (the first case of its switch).
    #[test]
    fn pki_directory_wins_over_controlplane_config() {
        let dir = tempfile::tempdir().unwrap();
        let k8s_crt = write_pki(&dir.path().join("pki"));
        let out = talgen(
            dir.path(),
            &[
                "-p",
                "pki",
                "--from-controlplane-config",
                "does-not-exist.yaml",
                "--talos-version",
                "v1.6",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            load(&dir.path().join("secrets.yaml")).certs.k8s.crt,
            k8s_crt
        );
    }

    /// Talos checks that each key and certificate parses, not that they
    /// belong together (pkg/machinery/config/generate/secrets/utils.go).
    #[test]
    fn key_of_another_ca_is_taken_as_is() {
        let dir = tempfile::tempdir().unwrap();
        write_pki(&dir.path().join("pki"));
        std::fs::copy(
            dir.path().join("pki/etcd/ca.key"),
            dir.path().join("pki/ca.key"),
        )
        .unwrap();
        let out = talgen(dir.path(), &["-p", "pki", "--talos-version", "v1.6"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bundle = load(&dir.path().join("secrets.yaml"));
        assert_eq!(
            bundle.certs.k8s.key,
            std::fs::read(dir.path().join("pki/etcd/ca.key")).unwrap()
        );
    }

    #[test]
    fn unparsable_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write_pki(&dir.path().join("pki"));
        std::fs::write(dir.path().join("pki/etcd/ca.key"), "not a key\n").unwrap();
        let out = talgen(dir.path(), &["-p", "pki", "--talos-version", "v1.6"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("etcd/ca.key"), "{}", stderr(&out));
    }
}

mod controlplane_config {
    use super::*;

    #[test]
    fn bundle_is_recovered_from_a_controlplane_config() {
        let Some(upstream) = talgen_testutil::upstream_dir() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let config = upstream.join("golden/v1.15/defaults/controlplane.yaml");
        let out = talgen(
            dir.path(),
            &[
                "--from-controlplane-config",
                config.to_str().unwrap(),
                "-o",
                "-",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let want = std::fs::read_to_string(upstream.join("golden/v1.15/secrets.yaml")).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    }

    #[test]
    fn missing_config_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["--from-controlplane-config", "nope.yaml"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("nope.yaml"), "{}", stderr(&out));
    }
}
