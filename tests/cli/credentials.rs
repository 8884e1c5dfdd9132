#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `talgen gen talosconfig`, `talgen gen kubeconfig`, `talgen config
//! merge` and the credential outputs of `talgen gen config` end to end:
//! file modes, no-clobber, stdout, flags, merge renames, deterministic
//! kubeconfigs and secrets validation with `--skip-k8s-etcd`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use talgen::client::Talosconfig;
use talgen::pki::Certificate;
use talgen::secrets::Bundle;
use talgen::yaml::Node;

fn talgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talgen"))
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("TALOSCONFIG")
        .env_remove("TALOS_HOME")
        .env("HOME", dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> &Output {
    assert!(
        out.status.success(),
        "talgen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A temp dir holding a fresh `secrets.yaml`.
fn with_secrets() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    ok(&talgen(dir.path(), &["gen", "secrets"]));
    let secrets = dir.path().join("secrets.yaml");
    (dir, secrets)
}

mod talosconfig {
    use super::*;

    #[test]
    fn writes_a_private_file_with_flags_applied() {
        let (dir, _) = with_secrets();
        ok(&talgen(
            dir.path(),
            &[
                "gen",
                "talosconfig",
                "--with-secrets",
                "secrets.yaml",
                "lab",
                "--endpoints",
                "10.0.0.1,10.0.0.2",
                "--nodes",
                "10.0.0.3",
                "--roles",
                "os:reader,os:operator",
                "--crt-ttl",
                "24h",
            ],
        ));
        let path = dir.path().join("talosconfig");
        assert_eq!(mode(&path), 0o600);
        let config = Talosconfig::from_yaml(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(config.context, "lab");
        let ctx = &config.contexts["lab"];
        assert_eq!(ctx.endpoints, ["10.0.0.1", "10.0.0.2"]);
        assert_eq!(ctx.nodes, ["10.0.0.3"]);
        let crt = Certificate::from_pem(&ctx.crt_pem().unwrap()).unwrap();
        let life = crt.not_after().duration_since(crt.not_before()).unwrap();
        assert_eq!(life.as_secs(), 24 * 3600);
        let ca = Certificate::from_pem(&ctx.ca_pem().unwrap()).unwrap();
        crt.verify_signed_by(&ca).unwrap();
    }

    #[test]
    fn refuses_to_overwrite_without_force() {
        let (dir, _) = with_secrets();
        let args = [
            "gen",
            "talosconfig",
            "--with-secrets",
            "secrets.yaml",
            "lab",
        ];
        ok(&talgen(dir.path(), &args));
        let path = dir.path().join("talosconfig");
        let first = std::fs::read(&path).unwrap();
        let out = talgen(dir.path(), &args);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
        assert_eq!(std::fs::read(&path).unwrap(), first);
        ok(&talgen(dir.path(), &[&args[..], &["--force"]].concat()));
        assert_ne!(std::fs::read(&path).unwrap(), first);
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn stdout_and_bad_roles() {
        let (dir, _) = with_secrets();
        let out = ok(&talgen(
            dir.path(),
            &[
                "gen",
                "talosconfig",
                "--with-secrets",
                "secrets.yaml",
                "lab",
                "-o",
                "-",
            ],
        ))
        .stdout
        .clone();
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("context: lab\n"));
        assert!(!dir.path().join("talosconfig").exists());
        let out = talgen(
            dir.path(),
            &[
                "gen",
                "talosconfig",
                "--with-secrets",
                "secrets.yaml",
                "lab",
                "--roles",
                "os:root",
            ],
        );
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("unknown roles: os:root"),
            "{}",
            stderr(&out)
        );
    }
}

mod kubeconfig {
    use super::*;

    fn kubeconfig(dir: &Path, extra: &[&str]) -> Output {
        talgen(
            dir,
            &[
                &[
                    "gen",
                    "kubeconfig",
                    "--with-secrets",
                    "secrets.yaml",
                    "lab",
                    "https://lab:6443",
                ][..],
                extra,
            ]
            .concat(),
        )
    }

    #[test]
    fn writes_a_private_file_and_refuses_to_overwrite() {
        let (dir, _) = with_secrets();
        ok(&kubeconfig(dir.path(), &[]));
        let path = dir.path().join("kubeconfig");
        assert_eq!(mode(&path), 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("current-context: admin@lab\n"));
        assert!(text.contains("    server: https://lab:6443\n"));
        let out = kubeconfig(dir.path(), &[]);
        assert!(!out.status.success());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        ok(&kubeconfig(dir.path(), &["--force", "--crt-ttl", "1h"]));
        assert_ne!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn deterministic_runs_give_identical_bytes() {
        let (dir, _) = with_secrets();
        let args = [
            "--deterministic",
            "--issued-at",
            "2027-01-15T08:00:00Z",
            "-o",
            "-",
        ];
        let a = ok(&kubeconfig(dir.path(), &args)).stdout.clone();
        let b = ok(&kubeconfig(dir.path(), &args)).stdout.clone();
        assert_eq!(a, b);
        let c = ok(&kubeconfig(
            dir.path(),
            &["--deterministic", "--issued-at", "1800000000", "-o", "-"],
        ))
        .stdout
        .clone();
        assert_eq!(a, c, "the same instant in two spellings");
        let d = ok(&kubeconfig(
            dir.path(),
            &["--deterministic", "--issued-at", "1800000001", "-o", "-"],
        ))
        .stdout
        .clone();
        assert_ne!(a, d);
        // SOURCE_DATE_EPOCH stands in for --issued-at.
        let e = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1800000000")
            .args([
                "gen",
                "kubeconfig",
                "--with-secrets",
                "secrets.yaml",
                "lab",
                "https://lab:6443",
                "--deterministic",
                "-o",
                "-",
            ])
            .output()
            .unwrap();
        assert_eq!(ok(&e).stdout, a);
    }

    #[test]
    fn deterministic_needs_a_time() {
        let (dir, _) = with_secrets();
        let out = kubeconfig(dir.path(), &["--deterministic"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("--issued-at"), "{}", stderr(&out));
    }
}

mod merge {
    use super::*;

    fn gen(dir: &Path, name: &str, out: &str) {
        ok(&talgen(
            dir,
            &[
                "gen",
                "talosconfig",
                "--with-secrets",
                "secrets.yaml",
                name,
                "-o",
                out,
            ],
        ));
    }

    #[test]
    fn renames_clashes_and_selects_the_merged_context() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        gen(dir.path(), "lab", "b");
        gen(dir.path(), "lab", "c");
        std::fs::set_permissions(dir.path().join("a"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let out = ok(&talgen(dir.path(), &["config", "merge", "b", "a"])).clone();
        assert!(
            stderr(&out).contains("renamed talosconfig context \"lab\" -> \"lab-1\""),
            "{}",
            stderr(&out)
        );
        ok(&talgen(dir.path(), &["config", "merge", "c", "a"]));
        let merged =
            Talosconfig::from_yaml(&std::fs::read_to_string(dir.path().join("a")).unwrap())
                .unwrap();
        assert_eq!(merged.context, "lab-2");
        assert_eq!(
            merged.contexts.keys().collect::<Vec<_>>(),
            ["lab", "lab-1", "lab-2"]
        );
        let c = Talosconfig::from_yaml(&std::fs::read_to_string(dir.path().join("c")).unwrap())
            .unwrap();
        assert_eq!(merged.contexts["lab-2"], c.contexts["lab"]);
        // talosctl's `os.WriteFile` would keep a 0644 target as it was; a
        // talosconfig holds a private key, so talgen narrows it to 0600.
        assert_eq!(mode(&dir.path().join("a")), 0o600);
    }

    #[test]
    fn default_target_is_created_under_home() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        ok(&talgen(dir.path(), &["config", "merge", "a"]));
        let target = dir.path().join(".talos/config");
        assert_eq!(mode(&target), 0o600);
        assert_eq!(mode(&dir.path().join(".talos")), 0o700);
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            std::fs::read_to_string(dir.path().join("a")).unwrap()
        );
    }

    /// `clientconfig.Open` on an explicit path first creates a missing file
    /// as an empty talosconfig (pkg/machinery/client/config/config.go
    /// `ensure`), so merging from a missing file merges nothing and leaves
    /// it behind.
    #[test]
    fn missing_source_is_created_empty_and_merges_nothing() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        let before = std::fs::read_to_string(dir.path().join("a")).unwrap();
        ok(&talgen(dir.path(), &["config", "merge", "sub/none", "a"]));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/none")).unwrap(),
            "context: \"\"\ncontexts: {}\n"
        );
        assert_eq!(mode(&dir.path().join("sub/none")), 0o600);
        assert_eq!(mode(&dir.path().join("sub")), 0o700);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a")).unwrap(),
            before
        );
    }

    /// talosctl names the target with its `--talosconfig` flag.
    #[test]
    fn talosconfig_flag_names_the_target() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        ok(&talgen(
            dir.path(),
            &["config", "merge", "a", "--talosconfig", "t/config"],
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("t/config")).unwrap(),
            std::fs::read_to_string(dir.path().join("a")).unwrap()
        );
    }

    /// Go's YAML decoder reports end of file for a file without any
    /// document; talosctl fails with "error reading config: EOF".
    #[test]
    fn source_without_a_document_is_an_error() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        for text in ["", "# nothing here\n"] {
            std::fs::write(dir.path().join("empty"), text).unwrap();
            let out = talgen(dir.path(), &["config", "merge", "empty", "a"]);
            assert!(!out.status.success(), "{text:?}");
            assert!(stderr(&out).contains("EOF"), "{}", stderr(&out));
        }
    }

    /// Without an explicit target talosctl takes the first existing of
    /// $TALOSCONFIG and ~/.talos/config (pkg/machinery/client/config/path.go
    /// `firstValidPath`).
    #[test]
    fn implicit_target_is_the_first_existing_default() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        gen(dir.path(), "home", "home-config");
        std::fs::create_dir(dir.path().join(".talos")).unwrap();
        std::fs::rename(
            dir.path().join("home-config"),
            dir.path().join(".talos/config"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .current_dir(dir.path())
            .env_remove("TALOS_HOME")
            .env("HOME", dir.path())
            .env("TALOSCONFIG", dir.path().join("absent"))
            .args(["config", "merge", "a"])
            .output()
            .unwrap();
        ok(&out);
        assert!(!dir.path().join("absent").exists());
        let merged = Talosconfig::from_yaml(
            &std::fs::read_to_string(dir.path().join(".talos/config")).unwrap(),
        )
        .unwrap();
        assert_eq!(merged.context, "lab");
        assert_eq!(merged.contexts.keys().collect::<Vec<_>>(), ["home", "lab"]);
    }

    #[test]
    fn bad_input_leaves_the_target_alone() {
        let (dir, _) = with_secrets();
        gen(dir.path(), "lab", "a");
        std::fs::write(dir.path().join("bad"), "contexts: [1, 2]\n").unwrap();
        let before = std::fs::read(dir.path().join("a")).unwrap();
        let out = talgen(dir.path(), &["config", "merge", "bad", "a"]);
        assert!(!out.status.success());
        assert_eq!(std::fs::read(dir.path().join("a")).unwrap(), before);
    }
}

mod gen_config {
    use super::*;

    fn bundle(path: &Path) -> Bundle {
        Bundle::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// The value under `key` of a mapping node.
    fn get<'a>(node: &'a Node, key: &str) -> &'a Node {
        let Node::Mapping(pairs) = node else {
            panic!("not a mapping at {key}: {node:?}")
        };
        &pairs
            .iter()
            .find(|(k, _)| matches!(k, Node::String(s) | Node::Plain(s) if s == key))
            .unwrap_or_else(|| panic!("no {key}"))
            .1
    }

    fn text(node: &Node) -> &str {
        match node {
            Node::String(s) | Node::Plain(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }

    fn only(node: &Node) -> &Node {
        let Node::Sequence(items) = node else {
            panic!("not a sequence: {node:?}")
        };
        assert_eq!(items.len(), 1);
        &items[0]
    }

    fn b64(text: &str) -> Vec<u8> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    }

    #[test]
    fn kubeconfig_output_is_private_and_trusts_the_kubernetes_ca() {
        let (dir, secrets) = with_secrets();
        ok(&talgen(
            dir.path(),
            &[
                "gen",
                "config",
                "lab",
                "https://10.0.0.1:6443",
                "--with-secrets",
                "secrets.yaml",
                "-t",
                "talosconfig,kubeconfig",
                "-o",
                "out",
            ],
        ));
        let bundle = bundle(&secrets);
        let path = dir.path().join("out/kubeconfig");
        assert_eq!(mode(&path), 0o600);
        let root = talgen::yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(text(get(&root, "kind")), "Config");
        assert_eq!(text(get(&root, "current-context")), "admin@lab");
        let cluster = get(only(get(&root, "clusters")), "cluster");
        assert_eq!(text(get(cluster, "server")), "https://10.0.0.1:6443");
        let ca = b64(text(get(cluster, "certificate-authority-data")));
        assert_eq!(ca, bundle.certs.k8s.crt);
        let user = get(only(get(&root, "users")), "user");
        let crt = b64(text(get(user, "client-certificate-data")));
        Certificate::from_pem(&crt)
            .unwrap()
            .verify_signed_by(&Certificate::from_pem(&ca).unwrap())
            .unwrap();

        // The talosconfig (talosctl writes it 0644) is private and trusts
        // the OS CA.
        let path = dir.path().join("out/talosconfig");
        assert_eq!(mode(&path), 0o600);
        let config = Talosconfig::from_yaml(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let ctx = &config.contexts["lab"];
        assert!(ctx.endpoints.is_empty());
        assert_eq!(ctx.ca_pem().unwrap(), bundle.certs.os.crt);
        Certificate::from_pem(&ctx.crt_pem().unwrap())
            .unwrap()
            .verify_signed_by(&Certificate::from_pem(&bundle.certs.os.crt).unwrap())
            .unwrap();
    }

    #[test]
    fn kubeconfig_to_stdout() {
        let (dir, _) = with_secrets();
        let out = ok(&talgen(
            dir.path(),
            &[
                "gen",
                "config",
                "lab",
                "https://lab:6443",
                "--with-secrets",
                "secrets.yaml",
                "-t",
                "kubeconfig",
                "-o",
                "-",
            ],
        ))
        .clone();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("apiVersion: v1\nclusters:\n"), "{text}");
        assert!(!dir.path().join("kubeconfig").exists());
    }

    /// A bundle without Kubernetes and etcd secrets is enough for
    /// `--skip-k8s-etcd`, as with talosctl, and rejected otherwise.
    #[test]
    fn skip_k8s_etcd_needs_no_kubernetes_secrets() {
        let (dir, secrets) = with_secrets();
        let mut b = bundle(&secrets);
        b.secrets.bootstrap_token.clear();
        b.secrets.aescbc_encryption_secret.clear();
        b.secrets.secretbox_encryption_secret.clear();
        b.certs.etcd = Default::default();
        b.certs.k8s = Default::default();
        b.certs.k8s_aggregator = Default::default();
        b.certs.k8s_service_account = Default::default();
        std::fs::write(dir.path().join("os-only.yaml"), b.to_yaml().unwrap()).unwrap();
        let args = |skip: bool| {
            let mut v = vec![
                "gen",
                "config",
                "lab",
                "https://lab:6443",
                "--with-secrets",
                "os-only.yaml",
                "-t",
                "worker",
                "-o",
                "-",
            ];
            if skip {
                v.push("--skip-k8s-etcd");
            }
            v
        };
        let out = talgen(dir.path(), &args(false));
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains("failed to validate secrets bundle"), "{err}");
        assert!(err.contains("certs.k8s is required"), "{err}");
        let out = ok(&talgen(dir.path(), &args(true))).clone();
        let worker = String::from_utf8(out.stdout).unwrap();
        assert!(worker.contains("    type: worker\n"), "{worker}");
        assert!(worker.contains(&b.cluster.id), "{worker}");
    }
}
