//! talgen-client against Talos's reference bundles and talosconfigs:
//! certificate fields parsed with x509-parser, chains, file structure,
//! deterministic issuance, and openssl / kubectl where installed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use talgen_client::{
    generate_kubeconfig, generate_talosconfig, Issuance, KubeconfigOptions, Roles, Talosconfig,
    TalosconfigOptions,
};
use talgen_pki::Certificate;
use talgen_secrets::{Bundle, Clock};
use talgen_testutil::{upstream_or_skip, Tally};
use x509_parser::prelude::*;

const OID_ED25519: &str = "1.3.101.112";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";

/// Every golden contract directory with its bundle.
fn golden_bundles(upstream: &Path) -> Vec<(String, PathBuf, Bundle)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(upstream.join("golden")).unwrap() {
        let dir = entry.unwrap().path();
        let secrets = dir.join("secrets.yaml");
        if secrets.is_file() {
            let text = std::fs::read_to_string(&secrets).unwrap();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, dir, Bundle::from_yaml(&text).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 16, "golden bundles missing");
    out
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    talgen_pki::pem::decode(pem).unwrap().der
}

fn organizations(cert: &X509Certificate<'_>) -> Vec<String> {
    cert.subject()
        .iter_organization()
        .map(|o| o.as_str().unwrap().to_string())
        .collect()
}

fn common_names(cert: &X509Certificate<'_>) -> Vec<String> {
    cert.subject()
        .iter_common_name()
        .map(|o| o.as_str().unwrap().to_string())
        .collect()
}

mod talosconfig {
    use super::*;

    /// Our talosconfig for each golden variant has Talos's structure and the
    /// same `ca`; `crt` and `key` are fresh per run on both sides, so they
    /// are compared after blanking.
    #[test]
    fn matches_talos_goldens() {
        let upstream = upstream_or_skip!();
        let mut tally = Tally::new();
        for (_, dir, bundle) in golden_bundles(&upstream) {
            for variant in std::fs::read_dir(&dir).unwrap() {
                let variant = variant.unwrap().path();
                let Ok(want) = std::fs::read_to_string(variant.join("talosconfig")) else {
                    continue;
                };
                let args = std::fs::read_to_string(variant.join("args")).unwrap();
                let cluster = args.split_whitespace().next().unwrap();
                let name = variant
                    .strip_prefix(&upstream)
                    .unwrap()
                    .display()
                    .to_string();
                let ours =
                    generate_talosconfig(cluster, &bundle, &TalosconfigOptions::default()).unwrap();
                let mut theirs = Talosconfig::from_yaml(&want).unwrap();
                // Reading and re-encoding Talos's bytes gives them back.
                tally.compare(
                    &format!("{name} re-encoded"),
                    &want,
                    &theirs.to_yaml().unwrap(),
                );
                let mut ours_blank = ours.clone();
                for ctx in theirs
                    .contexts
                    .values_mut()
                    .chain(ours_blank.contexts.values_mut())
                {
                    assert!(!ctx.crt.is_empty() && !ctx.key.is_empty());
                    ctx.crt = "CRT".into();
                    ctx.key = "KEY".into();
                }
                tally.compare(
                    &name,
                    &theirs.to_yaml().unwrap(),
                    &ours_blank.to_yaml().unwrap(),
                );
            }
        }
        tally.finish("golden talosconfigs");
    }

    /// Every field of the admin certificate, for every golden bundle.
    #[test]
    fn admin_certificate_is_talos_profile() {
        let upstream = upstream_or_skip!();
        let now = at(1_800_000_000);
        for (name, _, mut bundle) in golden_bundles(&upstream) {
            bundle.clock = Clock::Fixed(now);
            let opts = TalosconfigOptions {
                endpoints: vec!["10.0.0.1".into(), "cp.example.com".into()],
                nodes: vec!["10.0.0.2".into()],
                roles: Roles::parse(["os:reader", "os:etcd:backup"]).unwrap(),
                ..TalosconfigOptions::default()
            };
            let config = generate_talosconfig("lab", &bundle, &opts).unwrap();
            assert_eq!(config.context, "lab", "{name}");
            let ctx = &config.contexts["lab"];
            assert_eq!(ctx.endpoints, opts.endpoints);
            assert_eq!(ctx.nodes, opts.nodes);
            assert_eq!(STANDARD.decode(&ctx.ca).unwrap(), bundle.certs.os.crt);
            let crt_pem = STANDARD.decode(&ctx.crt).unwrap();
            let key_pem = STANDARD.decode(&ctx.key).unwrap();
            assert!(
                key_pem.starts_with(b"-----BEGIN ED25519 PRIVATE KEY-----\n"),
                "{name}"
            );
            let der = pem_der(&crt_pem);
            let (rest, cert) = X509Certificate::from_der(&der).unwrap();
            assert!(rest.is_empty());
            assert_eq!(cert.version(), X509Version::V3);
            // One RDN; Go's DER encoder orders the SET by encoding (shorter first).
            assert_eq!(organizations(&cert), vec!["os:reader", "os:etcd:backup"]);
            assert_eq!(cert.subject().iter_rdn().count(), 1);
            assert!(common_names(&cert).is_empty());
            assert_eq!(
                cert.public_key().algorithm.algorithm.to_id_string(),
                OID_ED25519
            );
            assert_eq!(cert.validity().not_before.timestamp(), 1_800_000_000);
            assert_eq!(
                cert.validity().not_after.timestamp(),
                1_800_000_000 + 365 * 24 * 3600
            );
            let ku = cert.key_usage().unwrap().unwrap();
            assert!(ku.critical);
            assert!(ku.value.digital_signature());
            assert_eq!(ku.value.flags, 1, "{name}: only digital signature");
            let eku = cert.extended_key_usage().unwrap().unwrap();
            assert!(eku.value.client_auth && !eku.value.server_auth);
            assert!(!cert.is_ca());
            assert!(cert.serial.bits() <= 128 && cert.serial.bits() > 64);
            // Issuer is the OS CA and the signature verifies.
            let ca = Certificate::from_pem(&bundle.certs.os.crt).unwrap();
            assert_eq!(cert.issuer().as_raw(), ca.subject_der());
            Certificate::from_der(&der)
                .unwrap()
                .verify_signed_by(&ca)
                .unwrap();
            // The key belongs to the certificate.
            let key = talgen_pki::PrivateKey::from_pem(&key_pem).unwrap();
            assert_eq!(key.public_key_der().unwrap(), cert.public_key().raw);
        }
    }

    /// What `talosctl gen config` writes with default options, on a freshly
    /// generated bundle (runs without the upstream data): admin role only,
    /// no endpoints, one year from the bundle clock, Ed25519 key signed by
    /// the OS CA.
    #[test]
    fn defaults_issue_a_one_year_admin_certificate() {
        let now = at(1_800_000_000);
        let bundle = Bundle::generate(talgen_contract::Contract::V1_6, Clock::Fixed(now)).unwrap();
        let config = generate_talosconfig("demo", &bundle, &TalosconfigOptions::default()).unwrap();
        let text = config.to_yaml().unwrap();
        assert!(
            text.starts_with(
                "context: demo\ncontexts:\n    demo:\n        endpoints: []\n        ca: "
            ),
            "{text}"
        );
        let ctx = &config.contexts["demo"];
        assert!(ctx.nodes.is_empty());
        assert_eq!(ctx.ca_pem().unwrap(), bundle.certs.os.crt);
        let der = pem_der(&ctx.crt_pem().unwrap());
        let (_, cert) = X509Certificate::from_der(&der).unwrap();
        assert_eq!(organizations(&cert), ["os:admin"]);
        assert!(common_names(&cert).is_empty());
        assert_eq!(cert.validity().not_before.timestamp(), 1_800_000_000);
        assert_eq!(
            cert.validity().not_after.timestamp(),
            1_800_000_000 + 365 * 24 * 3600
        );
        assert_eq!(
            cert.public_key().algorithm.algorithm.to_id_string(),
            OID_ED25519
        );
        let eku = cert.extended_key_usage().unwrap().unwrap();
        assert!(eku.value.client_auth && !eku.value.server_auth);
        let ca = Certificate::from_pem(&bundle.certs.os.crt).unwrap();
        Certificate::from_der(&der)
            .unwrap()
            .verify_signed_by(&ca)
            .unwrap();
        assert!(ctx
            .key_pem()
            .unwrap()
            .starts_with(b"-----BEGIN ED25519 PRIVATE KEY-----\n"));
    }

    #[test]
    fn unknown_roles_are_rejected() {
        assert!(Roles::parse(["os:admin", "os:root"]).is_err());
    }
}

mod kubeconfig {
    use super::*;

    fn node_at<'a>(node: &'a talgen_yaml::Node, key: &str) -> &'a talgen_yaml::Node {
        let talgen_yaml::Node::Mapping(pairs) = node else {
            panic!("not a mapping at {key}")
        };
        &pairs
            .iter()
            .find(|(k, _)| matches!(k, talgen_yaml::Node::String(s) | talgen_yaml::Node::Plain(s) if s == key))
            .unwrap_or_else(|| panic!("no {key}"))
            .1
    }

    fn text(node: &talgen_yaml::Node) -> String {
        match node {
            talgen_yaml::Node::String(s) | talgen_yaml::Node::Plain(s) => s.to_string(),
            other => panic!("not a string: {other:?}"),
        }
    }

    fn only_item(node: &talgen_yaml::Node) -> &talgen_yaml::Node {
        let talgen_yaml::Node::Sequence(items) = node else {
            panic!("not a sequence")
        };
        assert_eq!(items.len(), 1);
        &items[0]
    }

    /// Structure of a Kubernetes client config, field by field, and every
    /// certificate field, for every golden bundle.
    #[test]
    fn admin_kubeconfig_is_talos_profile() {
        let upstream = upstream_or_skip!();
        let now = 1_800_000_000;
        for (name, _, mut bundle) in golden_bundles(&upstream) {
            bundle.clock = Clock::Fixed(at(now));
            let kc = generate_kubeconfig(
                "lab",
                "https://10.0.0.1:6443",
                &bundle,
                &KubeconfigOptions::default(),
            )
            .unwrap();
            let yaml = kc.to_yaml();
            let root = talgen_yaml::from_str(&yaml).unwrap();
            assert_eq!(text(node_at(&root, "apiVersion")), "v1");
            assert_eq!(text(node_at(&root, "kind")), "Config");
            assert_eq!(text(node_at(&root, "current-context")), "admin@lab");
            let cluster = only_item(node_at(&root, "clusters"));
            assert_eq!(text(node_at(cluster, "name")), "lab");
            let c = node_at(cluster, "cluster");
            assert_eq!(text(node_at(c, "server")), "https://10.0.0.1:6443");
            assert_eq!(
                STANDARD
                    .decode(text(node_at(c, "certificate-authority-data")))
                    .unwrap(),
                bundle.certs.k8s.crt
            );
            let context = only_item(node_at(&root, "contexts"));
            assert_eq!(text(node_at(context, "name")), "admin@lab");
            let cx = node_at(context, "context");
            assert_eq!(text(node_at(cx, "cluster")), "lab");
            assert_eq!(text(node_at(cx, "user")), "admin@lab");
            assert_eq!(text(node_at(cx, "namespace")), "default");
            let user = only_item(node_at(&root, "users"));
            assert_eq!(text(node_at(user, "name")), "admin@lab");
            let u = node_at(user, "user");
            let crt_pem = STANDARD
                .decode(text(node_at(u, "client-certificate-data")))
                .unwrap();
            let key_pem = STANDARD
                .decode(text(node_at(u, "client-key-data")))
                .unwrap();
            assert!(
                key_pem.starts_with(b"-----BEGIN EC PRIVATE KEY-----\n"),
                "{name}"
            );

            let der = pem_der(&crt_pem);
            let (_, cert) = X509Certificate::from_der(&der).unwrap();
            assert_eq!(common_names(&cert), vec!["admin"]);
            assert_eq!(organizations(&cert), vec!["system:masters"]);
            let spki = &cert.public_key().algorithm;
            assert_eq!(spki.algorithm.to_id_string(), OID_EC_PUBLIC_KEY);
            assert_eq!(
                spki.parameters
                    .as_ref()
                    .unwrap()
                    .as_oid()
                    .unwrap()
                    .to_id_string(),
                OID_P256
            );
            assert_eq!(cert.validity().not_before.timestamp(), now as i64 - 10);
            assert_eq!(
                cert.validity().not_after.timestamp(),
                now as i64 + 365 * 24 * 3600
            );
            let ku = cert.key_usage().unwrap().unwrap();
            assert!(ku.critical);
            assert!(ku.value.digital_signature() && ku.value.key_encipherment());
            assert_eq!(ku.value.flags, 0b101);
            let eku = cert.extended_key_usage().unwrap().unwrap();
            assert!(eku.value.client_auth && !eku.value.server_auth);
            assert!(!cert.is_ca());
            assert!(cert.serial.bits() <= 128 && cert.serial.bits() > 64);
            let ca = Certificate::from_pem(&bundle.certs.k8s.crt).unwrap();
            assert_eq!(cert.issuer().as_raw(), ca.subject_der());
            Certificate::from_der(&der)
                .unwrap()
                .verify_signed_by(&ca)
                .unwrap();
            let key = talgen_pki::PrivateKey::from_pem(&key_pem).unwrap();
            assert_eq!(key.public_key_der().unwrap(), cert.public_key().raw);
        }
    }

    #[test]
    fn layout_matches_clientcmd_write() {
        let upstream = upstream_or_skip!();
        let (_, _, bundle) = golden_bundles(&upstream).pop().unwrap();
        let kc =
            generate_kubeconfig("dev", "https://dev:6443", &bundle, &Default::default()).unwrap();
        let skeleton: String = kc
            .to_yaml()
            .lines()
            .map(|l| match l.split_once("-data: ") {
                Some((k, _)) => format!("{k}-data: X\n"),
                None => format!("{l}\n"),
            })
            .collect();
        assert_eq!(
            skeleton,
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: X\n    server: https://dev:6443\n  name: dev\ncontexts:\n- context:\n    cluster: dev\n    namespace: default\n    user: admin@dev\n  name: admin@dev\ncurrent-context: admin@dev\nkind: Config\nusers:\n- name: admin@dev\n  user:\n    client-certificate-data: X\n    client-key-data: X\n"
        );
    }

    fn deterministic(name: &str, endpoint: &str, issued_at: u64, bundle: &Bundle) -> String {
        let opts = KubeconfigOptions {
            issuance: Issuance::Deterministic {
                issued_at: at(issued_at),
            },
            ..KubeconfigOptions::default()
        };
        generate_kubeconfig(name, endpoint, bundle, &opts)
            .unwrap()
            .to_yaml()
    }

    fn client_parts(yaml: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let root = talgen_yaml::from_str(yaml).unwrap();
        let u = node_at(only_item(node_at(&root, "users")), "user");
        let crt = pem_der(
            &STANDARD
                .decode(text(node_at(u, "client-certificate-data")))
                .unwrap(),
        );
        let key = STANDARD
            .decode(text(node_at(u, "client-key-data")))
            .unwrap();
        let (_, cert) = X509Certificate::from_der(&crt).unwrap();
        let serial = cert.raw_serial().to_vec();
        (crt, key, serial)
    }

    #[test]
    fn deterministic_mode_is_reproducible_and_input_bound() {
        let upstream = upstream_or_skip!();
        for (name, _, bundle) in golden_bundles(&upstream) {
            let a = deterministic("lab", "https://lab:6443", 1_800_000_000, &bundle);
            let b = deterministic("lab", "https://lab:6443", 1_800_000_000, &bundle);
            assert_eq!(a, b, "{name}: two runs differ");
            let (crt, key, serial) = client_parts(&a);
            let ca = Certificate::from_pem(&bundle.certs.k8s.crt).unwrap();
            Certificate::from_der(&crt)
                .unwrap()
                .verify_signed_by(&ca)
                .unwrap();
            for other in [
                deterministic("lab2", "https://lab:6443", 1_800_000_000, &bundle),
                deterministic("lab", "https://lab:6444", 1_800_000_000, &bundle),
                deterministic("lab", "https://lab:6443", 1_800_000_001, &bundle),
            ] {
                let (_, k2, s2) = client_parts(&other);
                assert_ne!(key, k2, "{name}: same key for different inputs");
                assert_ne!(serial, s2, "{name}: same serial for different inputs");
            }
        }
        // A different CA gives a different key for the same inputs.
        let bundles = golden_bundles(&upstream);
        let k1 = client_parts(&deterministic(
            "x",
            "https://x:6443",
            1_800_000_000,
            &bundles[0].2,
        ))
        .1;
        let k2 = client_parts(&deterministic(
            "x",
            "https://x:6443",
            1_800_000_000,
            &bundles[1].2,
        ))
        .1;
        assert_ne!(k1, k2);
    }

    /// Deterministic kubeconfigs are a promise across releases: these
    /// bytes were written before issuance moved into talgen-pki, and must
    /// not change. Both CA kinds that can derive keys are pinned.
    #[test]
    fn deterministic_bytes_are_pinned() {
        let upstream = upstream_or_skip!();
        let bundle = golden_bundles(&upstream)
            .into_iter()
            .find(|(name, _, _)| name == "v1.15")
            .unwrap()
            .2;
        let mut ed25519 = bundle.clone();
        ed25519.certs.k8s = bundle.certs.os.clone();
        let known = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known");
        for (file, bundle) in [
            ("kubeconfig-deterministic-v1.15-ecdsa.yaml", &bundle),
            ("kubeconfig-deterministic-v1.15-ed25519.yaml", &ed25519),
        ] {
            let want = std::fs::read_to_string(known.join(file)).unwrap();
            let got = deterministic("lab", "https://lab:6443", 1_800_000_000, bundle);
            assert_eq!(got, want, "{file}");
        }
    }

    #[test]
    fn empty_inputs_are_rejected() {
        let upstream = upstream_or_skip!();
        let (_, _, bundle) = golden_bundles(&upstream).pop().unwrap();
        assert!(generate_kubeconfig("", "https://x:6443", &bundle, &Default::default()).is_err());
        assert!(generate_kubeconfig("x", "", &bundle, &Default::default()).is_err());
    }
}

mod tools {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("talgen-client-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn have(tool: &str) -> bool {
        let ok = Command::new(tool).arg("version").output().is_ok();
        if !ok {
            eprintln!("SKIPPING: {tool} not installed");
        }
        ok
    }

    fn openssl_verify(dir: &Path, ca: &[u8], crt: &[u8]) {
        std::fs::write(dir.join("ca.pem"), ca).unwrap();
        std::fs::write(dir.join("crt.pem"), crt).unwrap();
        let out = Command::new("openssl")
            .args(["verify", "-purpose", "sslclient", "-CAfile"])
            .arg(dir.join("ca.pem"))
            .arg(dir.join("crt.pem"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl verify failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn openssl_verifies_every_chain() {
        let upstream = upstream_or_skip!();
        if !have("openssl") {
            return;
        }
        let dir = scratch("openssl");
        for (_, _, bundle) in golden_bundles(&upstream) {
            let tc = generate_talosconfig("lab", &bundle, &TalosconfigOptions::default()).unwrap();
            let crt = STANDARD.decode(&tc.contexts["lab"].crt).unwrap();
            openssl_verify(&dir, &bundle.certs.os.crt, &crt);
            for issuance in [
                Issuance::Random,
                Issuance::Deterministic {
                    issued_at: SystemTime::now(),
                },
            ] {
                let opts = KubeconfigOptions {
                    issuance,
                    ..KubeconfigOptions::default()
                };
                let kc = generate_kubeconfig("lab", "https://lab:6443", &bundle, &opts).unwrap();
                openssl_verify(&dir, &bundle.certs.k8s.crt, &kc.client_certificate);
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Writes `kc` and has `kubectl config view --raw` write it back:
    /// client-go lays out its output with the same code as Talos, so the
    /// bytes must not change.
    fn assert_kubectl_keeps(kc: &talgen_client::Kubeconfig, dir: &Path) {
        let path = dir.join("kubeconfig");
        std::fs::write(&path, kc.to_yaml()).unwrap();
        let out = Command::new("kubectl")
            .args(["config", "view", "--raw"])
            .env("KUBECONFIG", &path)
            .env("HOME", dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut got = String::from_utf8(out.stdout).unwrap();
        // kubectl before 1.34 always writes the since-deprecated
        // `preferences` field; client-go 1.34+ (Talos's) omits it when empty.
        got = got.replace("kind: Config\npreferences: {}\n", "kind: Config\n");
        assert_eq!(
            got,
            kc.to_yaml(),
            "{}",
            talgen_testutil::diff(&kc.to_yaml(), &got)
        );
    }

    /// `kubectl config view --raw` reads our file and writes back the same
    /// bytes: the layout is exactly client-go's.
    #[test]
    fn kubectl_round_trip() {
        let upstream = upstream_or_skip!();
        if !have("kubectl") {
            return;
        }
        let dir = scratch("kubectl");
        let (_, _, bundle) = golden_bundles(&upstream).pop().unwrap();
        let kc = generate_kubeconfig("lab", "https://10.0.0.1:6443", &bundle, &Default::default())
            .unwrap();
        assert_kubectl_keeps(&kc, &dir);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Names and endpoints client-go must quote, escape or fold (yaml.v2
    /// folds at spaces past column 80) come back from kubectl unchanged.
    #[test]
    fn kubectl_round_trip_of_unusual_names() {
        let upstream = upstream_or_skip!();
        if !have("kubectl") {
            return;
        }
        let dir = scratch("kubectl-names");
        let (_, _, bundle) = golden_bundles(&upstream).pop().unwrap();
        let long =
            "a cluster name with spaces that runs on well past the eightieth column of the file";
        for (name, endpoint) in [
            (long, "https://10.0.0.1:6443"),
            ("lab", "https://k8s.example.com:6443/with a path that has spaces and goes on past the limit"),
            ("\u{1F600} lab", "https://[fd00::1]:6443"),
            ("<<", "https://x:6443"),
            ("yes", "1.0"),
            ("a: b", "# x"),
            ("'q'", "\"d\""),
            ("Ünïcödé", "2001-12-14"),
        ] {
            let kc = generate_kubeconfig(name, endpoint, &bundle, &Default::default()).unwrap();
            assert_kubectl_keeps(&kc, &dir);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
