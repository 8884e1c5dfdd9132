#![allow(clippy::unwrap_used, clippy::expect_used)]
//! talgen-pki against certificates and keys Talos made: profiles compared
//! field by field, keys re-encoded byte for byte, chains verified.

use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use talgen_pki::{Ca, Certificate, CertificateProfile, KeyType, PrivateKey, CA_VALIDITY};
use talgen_testutil::{upstream_or_skip, Tally};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The base64 value of the first `key:` line under `section` (e.g.
/// `etcd:`) in a secrets.yaml or talosconfig, decoded.
fn field(text: &str, section: &str, key: &str) -> Vec<u8> {
    let mut in_section = section.is_empty();
    for line in text.lines() {
        let t = line.trim_start();
        if t == section {
            in_section = true;
            continue;
        }
        if in_section {
            if let Some(v) = t.strip_prefix(&format!("{key}: ")) {
                return base64::engine::general_purpose::STANDARD.decode(v).unwrap();
            }
        }
    }
    panic!("{section} {key} not found");
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// (oid, critical, value) of each extension, with key identifier values
/// (random or issuer-specific) replaced by their length.
fn extension_shape(der: &[u8]) -> Vec<(String, bool, String)> {
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    cert.extensions()
        .iter()
        .map(|e| {
            let oid = e.oid.to_id_string();
            let value = if oid == "2.5.29.14" || oid == "2.5.29.35" {
                format!("{} bytes", e.value.len())
            } else {
                format!("{:02x?}", e.value)
            };
            (oid, e.critical, value)
        })
        .collect()
}

/// Everything of a certificate except keys, serial, times and signature.
fn profile_shape(der: &[u8]) -> String {
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    let validity = cert.validity().not_after.timestamp() - cert.validity().not_before.timestamp();
    format!(
        "version={} sigalg={} issuer={:02x?} subject={:02x?} validity={validity}s keyalg={} serial_bytes<=17:{} positive:{}\nextensions={:#?}",
        cert.version().0,
        cert.signature_algorithm.algorithm.to_id_string(),
        cert.issuer().as_raw(),
        cert.subject().as_raw(),
        cert.public_key().algorithm.algorithm.to_id_string(),
        cert.raw_serial().len() <= 17,
        cert.raw_serial().first().is_some_and(|b| b & 0x80 == 0),
        extension_shape(der),
    )
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    talgen_pki::pem::decode(pem).unwrap().der
}

mod keys {
    use super::*;

    #[test]
    fn go_written_keys_load_and_re_encode_byte_for_byte() {
        let dir = upstream_or_skip!();
        let mut tally = Tally::new();
        let mut files = vec![
            "stability/secrets.yaml".to_string(),
            "secrets/secrets.yaml".into(),
        ];
        files.extend(talgen_contract::Contract::ALL.map(|c| format!("golden/{c}/secrets.yaml")));
        for file in files {
            let text = read(&dir, &file);
            for section in [
                "etcd:",
                "k8s:",
                "k8saggregator:",
                "k8sserviceaccount:",
                "os:",
            ] {
                let name = format!("{file} {section}");
                let pem = field(&text, section, "key");
                match PrivateKey::from_pem(&pem).and_then(|k| k.to_pem()) {
                    Ok(again) => tally.compare(
                        &name,
                        &String::from_utf8_lossy(&pem),
                        &String::from_utf8_lossy(&again),
                    ),
                    Err(e) => tally.fail(&name, e),
                }
            }
        }
        tally.finish("Go-written private keys");
    }

    #[test]
    fn generated_keys_use_talos_labels_and_reload() {
        for (kt, label) in [
            (KeyType::Ed25519, "ED25519 PRIVATE KEY"),
            (KeyType::EcdsaP256, "EC PRIVATE KEY"),
        ] {
            let key = PrivateKey::generate(kt).unwrap();
            let pem = key.to_pem().unwrap();
            let block = talgen_pki::pem::decode(&pem).unwrap();
            assert_eq!(block.label, label);
            let back = PrivateKey::from_pem(&pem).unwrap();
            assert_eq!(
                back.public_key_der().unwrap(),
                key.public_key_der().unwrap()
            );
            assert_eq!(back.to_pem().unwrap(), pem);
        }
        // Go's PKCS#8 v1 for Ed25519 is 48 bytes: no embedded public key.
        let ed = PrivateKey::generate(KeyType::Ed25519).unwrap();
        assert_eq!(pem_der(&ed.to_pem().unwrap()).len(), 48);
    }

    #[test]
    fn rsa_4096_key_is_pkcs1_and_reloads() {
        let key = PrivateKey::generate(KeyType::Rsa).unwrap();
        let pem = key.to_pem().unwrap();
        assert!(pem.starts_with(b"-----BEGIN RSA PRIVATE KEY-----\n"));
        let back = PrivateKey::from_pem(&pem).unwrap();
        assert_eq!(back.key_type(), KeyType::Rsa);
        // SPKI of a 4096-bit modulus with e = 65537 is 550 bytes.
        assert_eq!(key.public_key_der().unwrap().len(), 550);
    }

    #[test]
    fn wrong_labels_are_rejected() {
        let cert_pem = talgen_pki::pem::encode(talgen_pki::pem::Label::Certificate, &[1, 2, 3]);
        assert_eq!(
            PrivateKey::from_pem(&cert_pem).unwrap_err(),
            talgen_pki::Error::UnsupportedKeyType {
                label: "CERTIFICATE".into()
            }
        );
        assert!(PrivateKey::from_pem(b"").is_err());
    }
}

mod profiles {
    use super::*;

    /// Talos's CAs in the upstream bundles, by section, with the key type
    /// and organization Talos generates them with.
    const CAS: [(&str, KeyType, &str); 4] = [
        ("etcd:", KeyType::EcdsaP256, "etcd"),
        ("k8s:", KeyType::EcdsaP256, "kubernetes"),
        ("k8saggregator:", KeyType::EcdsaP256, ""),
        ("os:", KeyType::Ed25519, "talos"),
    ];

    #[test]
    fn self_signed_cas_match_talos_field_by_field() {
        let dir = upstream_or_skip!();
        let mut tally = Tally::new();
        for file in [
            "stability/secrets.yaml",
            "golden/v1.15/secrets.yaml",
            "golden/v1.0/secrets.yaml",
        ] {
            let text = read(&dir, file);
            for (section, kt, org) in CAS {
                let theirs = pem_der(&field(&text, section, "crt"));
                let ours =
                    Ca::self_signed(kt, &CertificateProfile::talos_ca(org, SystemTime::now()))
                        .unwrap();
                tally.compare(
                    &format!("{file} {section}"),
                    &profile_shape(&theirs),
                    &profile_shape(ours.certificate().der()),
                );
            }
        }
        tally.finish("CA profiles");
    }

    #[test]
    fn ca_validity_is_87600_hours_from_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_697_107_569);
        let ca = Ca::self_signed(
            KeyType::EcdsaP256,
            &CertificateProfile::talos_ca("etcd", now),
        )
        .unwrap();
        assert_eq!(ca.certificate().not_before(), now);
        assert_eq!(ca.certificate().not_after(), now + CA_VALIDITY);
        assert_eq!(CA_VALIDITY, Duration::from_secs(87_600 * 3600));
    }

    #[test]
    fn talosconfig_client_certificate_matches_talos() {
        let dir = upstream_or_skip!();
        let text = read(&dir, "golden/v1.15/defaults/talosconfig");
        let theirs = pem_der(&field(&text, "", "crt"));
        let ca_theirs = pem_der(&field(&text, "", "ca"));

        let os_ca_text = read(&dir, "stability/secrets.yaml");
        let ca = Ca::from_pem(
            &field(&os_ca_text, "os:", "crt"),
            &field(&os_ca_text, "os:", "key"),
        )
        .unwrap();
        let now = SystemTime::now();
        let profile =
            CertificateProfile::talos_admin(&["os:admin"], now, Duration::from_secs(365 * 86_400));
        let issued = ca.issue_with_new_key(&profile).unwrap();

        // Same shape; issuer differs only because the CAs are different
        // certificates with the same subject.
        assert_eq!(
            profile_shape(&theirs),
            profile_shape(issued.certificate.der())
        );
        // The authority key id is the CA's subject key id, as with Talos.
        let (_, t) = X509Certificate::from_der(&theirs).unwrap();
        let (_, tca) = X509Certificate::from_der(&ca_theirs).unwrap();
        let akid = |c: &X509Certificate| {
            c.extensions()
                .iter()
                .find(|e| e.oid.to_id_string() == "2.5.29.35")
                .unwrap()
                .value
                .to_vec()
        };
        let skid = |c: &X509Certificate| {
            c.extensions()
                .iter()
                .find(|e| e.oid.to_id_string() == "2.5.29.14")
                .unwrap()
                .value
                .to_vec()
        };
        assert_eq!(akid(&t)[4..], skid(&tca)[2..]);
        let (_, ours) = X509Certificate::from_der(issued.certificate.der()).unwrap();
        assert_eq!(
            akid(&ours)[4..].to_vec(),
            ca.certificate().subject_key_id().unwrap()
        );
        issued
            .certificate
            .verify_signed_by(ca.certificate())
            .unwrap();
    }

    #[test]
    fn several_roles_become_several_organizations() {
        let ca = Ca::self_signed(
            KeyType::Ed25519,
            &CertificateProfile::talos_ca("talos", SystemTime::now()),
        )
        .unwrap();
        let profile = CertificateProfile::talos_admin(
            &["os:reader", "os:admin"],
            SystemTime::now(),
            Duration::from_secs(3600),
        );
        let issued = ca.issue_with_new_key(&profile).unwrap();
        let (_, cert) = X509Certificate::from_der(issued.certificate.der()).unwrap();
        let orgs: Vec<&str> = cert
            .subject()
            .iter_organization()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(orgs, ["os:admin", "os:reader"]);
        assert_eq!(cert.subject().iter().count(), 1, "one multi-valued RDN");
    }

    #[test]
    fn kubeconfig_style_leaf_from_ecdsa_ca() {
        let now = SystemTime::now();
        let ca = Ca::self_signed(
            KeyType::EcdsaP256,
            &CertificateProfile::talos_ca("kubernetes", now),
        )
        .unwrap();
        let profile = CertificateProfile::new(
            now - Duration::from_secs(10),
            now + Duration::from_secs(3600),
        )
        .common_name("admin")
        .organizations(["system:masters"])
        .key_usage(talgen_pki::KeyUsage::DIGITAL_SIGNATURE | talgen_pki::KeyUsage::KEY_ENCIPHERMENT)
        .ext_key_usage([talgen_pki::ExtKeyUsage::ClientAuth]);
        let issued = ca.issue_with_new_key(&profile).unwrap();
        assert_eq!(issued.key.key_type(), KeyType::EcdsaP256);
        let (_, cert) = X509Certificate::from_der(issued.certificate.der()).unwrap();
        assert_eq!(cert.subject().to_string(), "O=system:masters, CN=admin");
        // PrintableString (tag 0x13) for both values, as Go writes them.
        let mut want = vec![
            0x30, 0x29, 0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0e,
        ];
        want.extend_from_slice(b"system:masters");
        want.extend_from_slice(&[
            0x31, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x05,
        ]);
        want.extend_from_slice(b"admin");
        assert_eq!(cert.subject().as_raw(), &want[..]);
        assert!(cert.key_usage().unwrap().unwrap().value.key_encipherment());
        issued
            .certificate
            .verify_signed_by(ca.certificate())
            .unwrap();
    }

    #[test]
    fn alternative_names_follow_go() {
        let now = SystemTime::now();
        let ca = Ca::self_signed(
            KeyType::EcdsaP256,
            &CertificateProfile::talos_ca("etcd", now),
        )
        .unwrap();
        let profile = CertificateProfile::new(now, now + Duration::from_secs(60))
            .dns_names(["localhost"])
            .ip_addresses(["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()]);
        let cert = ca
            .issue(&profile, &PrivateKey::generate(KeyType::EcdsaP256).unwrap())
            .unwrap();
        let ext = cert.extensions().last().unwrap();
        assert_eq!(ext.oid, "2.5.29.17");
        assert!(ext.critical, "critical because the subject is empty");
        let (_, parsed) = X509Certificate::from_der(cert.der()).unwrap();
        let san = parsed.subject_alternative_name().unwrap().unwrap();
        assert_eq!(san.value.general_names.len(), 3);
    }
}

mod chains {
    use super::*;

    #[test]
    fn upstream_cas_verify_and_match_their_keys() {
        let dir = upstream_or_skip!();
        let text = read(&dir, "stability/secrets.yaml");
        for section in ["etcd:", "k8s:", "k8saggregator:", "os:"] {
            let ca =
                Ca::from_pem(&field(&text, section, "crt"), &field(&text, section, "key")).unwrap();
            ca.certificate().verify_signed_by(ca.certificate()).unwrap();
            assert!(ca.certificate().is_ca());
        }
        // A key from another CA is a mismatch.
        let err =
            Ca::from_pem(&field(&text, "etcd:", "crt"), &field(&text, "k8s:", "key")).unwrap_err();
        assert_eq!(err, talgen_pki::Error::KeyMismatch);
    }

    #[test]
    fn tampered_certificate_does_not_verify() {
        let ca = Ca::self_signed(
            KeyType::Ed25519,
            &CertificateProfile::talos_ca("talos", SystemTime::now()),
        )
        .unwrap();
        let mut der = ca.certificate().der().to_vec();
        // Flip a bit inside the subject public key.
        let n = der.len() - 80;
        der[n] ^= 1;
        let tampered = Certificate::from_der(&der).unwrap();
        assert!(tampered.verify_signed_by(ca.certificate()).is_err());
    }

    #[test]
    fn openssl_verifies_issued_chains() {
        if std::process::Command::new("openssl")
            .arg("version")
            .output()
            .is_err()
        {
            eprintln!("openssl not installed; skipping");
            return;
        }
        let tmp = std::env::temp_dir().join(format!("talgen-pki-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let now = SystemTime::now();
        for kt in [KeyType::EcdsaP256, KeyType::Ed25519] {
            let ca = Ca::self_signed(kt, &CertificateProfile::talos_ca("talos", now)).unwrap();
            let leaf = ca
                .issue_with_new_key(&CertificateProfile::talos_admin(
                    &["os:admin"],
                    now,
                    Duration::from_secs(3600),
                ))
                .unwrap();
            let ca_path = tmp.join("ca.pem");
            let leaf_path = tmp.join("leaf.pem");
            std::fs::write(&ca_path, ca.cert_pem()).unwrap();
            std::fs::write(&leaf_path, &leaf.cert_pem).unwrap();
            let out = std::process::Command::new("openssl")
                .args(["verify", "-purpose", "sslclient", "-CAfile"])
                .arg(&ca_path)
                .arg(&leaf_path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{kt:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}

mod openssl_made {
    use super::*;

    fn openssl(args: &[&str], dir: &Path) -> bool {
        match std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
        {
            Ok(out) if out.status.success() => true,
            Ok(out) => panic!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr)),
            Err(_) => false,
        }
    }

    /// A kubeadm-like RSA CA written by OpenSSL (PKCS#8 `PRIVATE KEY`)
    /// loads, issues an RSA-SHA512 leaf, and OpenSSL verifies the leaf.
    #[test]
    fn rsa_ca_from_openssl_issues_verifiable_leaves() {
        let dir = std::env::temp_dir().join(format!("talgen-pki-rsa-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let made = openssl(
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-subj",
                "/CN=kubernetes",
                "-days",
                "10",
            ],
            &dir,
        );
        if !made {
            eprintln!("openssl not installed; skipping");
            return;
        }
        let ca = Ca::from_pem(
            &std::fs::read(dir.join("ca.crt")).unwrap(),
            &std::fs::read(dir.join("ca.key")).unwrap(),
        )
        .unwrap();
        assert_eq!(ca.leaf_key_type(), KeyType::Rsa);
        let now = SystemTime::now();
        let leaf = ca
            .issue_with_new_key(
                &CertificateProfile::new(now, now + Duration::from_secs(600)).common_name("admin"),
            )
            .unwrap();
        leaf.certificate.verify_signed_by(ca.certificate()).unwrap();
        let (_, parsed) = X509Certificate::from_der(leaf.certificate.der()).unwrap();
        assert_eq!(
            parsed.signature_algorithm.algorithm.to_id_string(),
            "1.2.840.113549.1.1.13"
        );
        std::fs::write(dir.join("leaf.crt"), &leaf.cert_pem).unwrap();
        assert!(openssl(&["verify", "-CAfile", "ca.crt", "leaf.crt"], &dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

mod deterministic {
    use super::*;
    use talgen_pki::{Error, ExtKeyUsage, KeyUsage, Seed, Signing};

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn leaf() -> CertificateProfile {
        CertificateProfile::new(at(1_800_000_000), at(1_800_003_600))
            .common_name("admin")
            .organizations(["system:masters"])
            .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
            .ext_key_usage([ExtKeyUsage::ClientAuth])
    }

    fn seeded(fields: &[&[u8]]) -> Signing {
        Signing::Deterministic(Seed::new(fields))
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        for key_type in [KeyType::EcdsaP256, KeyType::Ed25519] {
            let ca = Ca::self_signed(
                key_type,
                &CertificateProfile::talos_ca("k", at(1_700_000_000)),
            )
            .unwrap();
            // Reloaded from PEM, as callers hold their CAs.
            let ca = Ca::from_pem(ca.cert_pem(), ca.key_pem()).unwrap();
            let a = ca
                .issue_with_new_key_using(&leaf(), &seeded(&[b"lab", b"one"]))
                .unwrap();
            let b = ca
                .issue_with_new_key_using(&leaf(), &seeded(&[b"lab", b"one"]))
                .unwrap();
            assert_eq!(a.cert_pem, b.cert_pem, "{key_type:?}: certificates differ");
            assert_eq!(a.key_pem, b.key_pem, "{key_type:?}: keys differ");
            assert_eq!(a.key.key_type(), key_type);

            let c = ca
                .issue_with_new_key_using(&leaf(), &seeded(&[b"lab", b"two"]))
                .unwrap();
            assert_ne!(a.key_pem, c.key_pem, "{key_type:?}: same key");
            assert_ne!(a.certificate.serial(), c.certificate.serial());
            assert_ne!(a.cert_pem, c.cert_pem);

            for issued in [&a, &c] {
                issued
                    .certificate
                    .verify_signed_by(ca.certificate())
                    .unwrap();
                let again = PrivateKey::from_pem(&issued.key_pem).unwrap();
                assert_eq!(
                    again.public_key_der().unwrap(),
                    issued.certificate.public_key_der()
                );
            }
            // Only key, serial and signature depend on the signing mode.
            let random = ca.issue_with_new_key(&leaf()).unwrap();
            assert_eq!(
                profile_shape(a.certificate.der()),
                profile_shape(random.certificate.der())
            );
        }
    }

    #[test]
    fn a_different_ca_derives_a_different_key() {
        let profile = CertificateProfile::talos_ca("k", at(1_700_000_000));
        let one = Ca::self_signed(KeyType::EcdsaP256, &profile).unwrap();
        let two = Ca::self_signed(KeyType::EcdsaP256, &profile).unwrap();
        let signing = seeded(&[b"same"]);
        let a = one.issue_with_new_key_using(&leaf(), &signing).unwrap();
        let b = two.issue_with_new_key_using(&leaf(), &signing).unwrap();
        assert_ne!(a.key_pem, b.key_pem);
        assert_ne!(a.certificate.serial(), b.certificate.serial());
    }

    #[test]
    fn given_keys_and_ca_profiles_are_reproducible() {
        let ca = Ca::self_signed(
            KeyType::EcdsaP256,
            &CertificateProfile::talos_ca("k", at(1_700_000_000)),
        )
        .unwrap();
        let key = PrivateKey::generate(KeyType::Ed25519).unwrap();
        let intermediate = CertificateProfile::talos_ca("sub", at(1_700_000_000));
        let signing = seeded(&[b"intermediate"]);
        let a = ca.issue_using(&intermediate, &key, &signing).unwrap();
        let b = ca.issue_using(&intermediate, &key, &signing).unwrap();
        assert_eq!(a.der(), b.der());
        assert!(a.is_ca());
        assert_eq!(a.subject_key_id().map(|id| id.len()), Some(20));
        a.verify_signed_by(ca.certificate()).unwrap();
        let c = ca
            .issue_using(&intermediate, &key, &seeded(&[b"other"]))
            .unwrap();
        assert_ne!(a.subject_key_id(), c.subject_key_id());
        assert_ne!(a.serial(), c.serial());
    }

    #[test]
    fn random_signing_stays_random() {
        let ca = Ca::self_signed(
            KeyType::EcdsaP256,
            &CertificateProfile::talos_ca("k", at(1_700_000_000)),
        )
        .unwrap();
        let key = PrivateKey::generate(KeyType::EcdsaP256).unwrap();
        let a = ca.issue_using(&leaf(), &key, &Signing::Random).unwrap();
        let b = ca.issue(&leaf(), &key).unwrap();
        assert_ne!(a.serial(), b.serial());
        assert_eq!(Signing::default(), Signing::Random);
    }

    #[test]
    fn rsa_cas_sign_deterministically_but_derive_no_keys() {
        let ca = Ca::self_signed(
            KeyType::Rsa,
            &CertificateProfile::talos_ca("k", at(1_700_000_000)),
        )
        .unwrap();
        let signing = seeded(&[b"x"]);
        assert_eq!(
            ca.issue_with_new_key_using(&leaf(), &signing).unwrap_err(),
            Error::DeterministicUnsupported { key: "RSA" }
        );
        let key = PrivateKey::generate(KeyType::EcdsaP256).unwrap();
        let a = ca.issue_using(&leaf(), &key, &signing).unwrap();
        let b = ca.issue_using(&leaf(), &key, &signing).unwrap();
        assert_eq!(a.der(), b.der());
        a.verify_signed_by(ca.certificate()).unwrap();
    }
}

mod pem_props {
    use proptest::prelude::*;
    use talgen_pki::pem::{self, Label};

    proptest! {
        #[test]
        fn encode_then_decode_is_identity(der in proptest::collection::vec(any::<u8>(), 0..600)) {
            let text = pem::encode(Label::Certificate, &der);
            let block = pem::decode(&text).unwrap();
            prop_assert_eq!(block.label, "CERTIFICATE");
            prop_assert_eq!(block.der, der);
        }

        #[test]
        fn decoding_garbage_never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = pem::decode(&data);
            let _ = talgen_pki::PrivateKey::from_pem(&data);
            let _ = talgen_pki::Certificate::from_der(&data);
        }
    }
}
