//! `talgen gen config` on inputs the golden corpus does not cover, each
//! expectation derived from `cmd/talosctl/cmd/mgmt/gen/config.go` and the
//! config bundle it drives.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn talgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talgen"))
        .current_dir(dir)
        .args(["gen", "config"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The single config of `kind` written to stdout with the golden secrets of
/// `secrets_contract` and extra `args`.
fn one_config(golden: &Path, secrets_contract: &str, kind: &str, args: &[&str]) -> Output {
    let secrets = format!("{secrets_contract}/secrets.yaml");
    let mut all = vec![
        "c",
        "https://c:6443",
        "--with-secrets",
        &secrets,
        "--kubernetes-version",
        "1.30.0",
        "--install-image",
        "ghcr.io/siderolabs/installer:v1.7.0",
        "-t",
        kind,
        "-o",
        "-",
    ];
    all.extend_from_slice(args);
    talgen(golden, &all)
}

/// talosctl's bundle patches init, controlplane and worker whatever
/// `--output-types` asks for, so a patch failing on a type not written
/// still fails the command, with the group's own message.
#[test]
fn patches_apply_to_every_type_even_unrequested() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let bad = r#"[{"op": "remove", "path": "/machine/nothing-here"}]"#;

    let out = one_config(
        &golden,
        "v1.7",
        "controlplane",
        &["--config-patch-worker", bad],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error patching worker config"), "{err}");
    assert!(out.stdout.is_empty());

    let out = one_config(
        &golden,
        "v1.7",
        "worker",
        &["--config-patch-control-plane", bad],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error patching control plane configs"),
        "{err}"
    );

    let out = one_config(&golden, "v1.7", "worker", &["--config-patch", bad]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error patching configs"), "{err}");
}

/// Patches still reach the types they target, common ones first.
#[test]
fn common_then_specific_patches() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let common = "machine:\n  env:\n    A: common\n    B: common\n";
    let specific = "machine:\n  env:\n    B: worker\n";
    let out = one_config(
        &golden,
        "v1.7",
        "worker",
        &["--config-patch", common, "--config-patch-worker", specific],
    );
    let text = stdout(&out);
    assert!(
        text.contains("    env:\n        A: common\n        B: worker\n"),
        "{text}"
    );
    let out = one_config(
        &golden,
        "v1.7",
        "controlplane",
        &["--config-patch", common, "--config-patch-worker", specific],
    );
    let text = stdout(&out);
    assert!(
        text.contains("    env:\n        A: common\n        B: common\n"),
        "{text}"
    );
}

/// `--skip-k8s-etcd` without `--talos-version` makes a zero contract, which
/// upstream compares as the current release: configs have the newest
/// contract's shape, minus Kubernetes and etcd.
#[test]
fn skip_k8s_etcd_without_version_is_current() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let out = one_config(&golden, "v1.15", "controlplane", &["--skip-k8s-etcd"]);
    let text = stdout(&out);
    for kind in [
        "DiscoveryIdentityConfig",
        "SecurityProfileConfig",
        "HostnameConfig",
    ] {
        assert!(
            text.contains(&format!("\nkind: {kind}\n")),
            "{kind}: {text}"
        );
    }
    assert!(!text.contains("kind: Kube"), "{text}");
    assert!(!text.contains("etcd:"), "{text}");
    assert!(!text.contains("kubelet:"), "{text}");
}

/// Releases without a contract of their own are refused (never generated as
/// some other contract), the error naming the newest supported one; a
/// malformed version is refused too.
#[test]
fn talos_versions_outside_the_known_contracts() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    for (version, what) in [("v1.16.2", "newer"), ("v2.0", "newer"), ("v0.14", "older")] {
        let out = one_config(&golden, "v1.15", "worker", &["--talos-version", version]);
        assert!(!out.status.success(), "{version}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(what), "{version}: {err}");
        assert!(out.stdout.is_empty(), "{version}: partial output");
    }

    let out = one_config(&golden, "v1.7", "worker", &["--talos-version", "v1.7-rc"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid talos-version"), "{err}");
}

/// A leading `v` on the Kubernetes version is dropped; an empty one is refused.
#[test]
fn kubernetes_version_leading_v() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let plain = stdout(&one_config(&golden, "v1.7", "worker", &[]));
    let with_v = stdout(&one_config(
        &golden,
        "v1.7",
        "worker",
        &["--kubernetes-version", "v1.30.0"],
    ));
    assert_eq!(plain, with_v);
    assert!(plain.contains("kubelet:v1.30.0\n"));
    let out = one_config(&golden, "v1.7", "worker", &["--kubernetes-version", "v"]);
    assert!(!out.status.success());
}

/// Flag errors talosctl reports before generating anything.
#[test]
fn flag_errors() {
    let dir = tempfile::tempdir().unwrap();
    let fails = |args: &[&str], needle: &str| {
        let mut all = vec!["c", "https://c:6443", "--talos-version", "v1.6"];
        all.extend_from_slice(args);
        let out = talgen(dir.path(), &all);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    fails(&["-t", "bogus"], "invalid output type: \"bogus\"");
    fails(&["-o", "-"], "can't use multiple output types with stdout");
    fails(&["-t", ""], "at least one output type must be specified");
    fails(&["-o", "a", "--output-dir", "b"], "can't use both");
    fails(
        &["--registry-mirror", "docker.io"],
        "invalid registry mirror spec: \"docker.io\"",
    );
    fails(
        &["--registry-mirror", "docker.io=https://a,https://b"],
        "invalid registry mirror spec: \"https://b\"",
    );
    fails(&["--version", "v1alpha2"], "unknown config version");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// With one output type `-o` names the file; with several, a directory.
#[test]
fn output_file_versus_directory() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let secrets = secrets.to_str().unwrap();
    let base = [
        "c",
        "https://c:6443",
        "--with-secrets",
        secrets,
        "--talos-version",
        "v1.7",
    ];
    let mut args = base.to_vec();
    args.extend(["-t", "worker", "-o", "nested/w.yaml"]);
    stdout(&talgen(dir.path(), &args));
    assert!(dir.path().join("nested/w.yaml").is_file());

    let mut args = base.to_vec();
    args.extend(["-t", "worker,talosconfig", "-o", "out"]);
    stdout(&talgen(dir.path(), &args));
    assert!(dir.path().join("out/worker.yaml").is_file());
    assert!(dir.path().join("out/talosconfig").is_file());
    assert!(!dir.path().join("out/controlplane.yaml").exists());

    // The hidden --output-dir is always a directory.
    let mut args = base.to_vec();
    args.extend(["-t", "worker", "--output-dir", "legacy"]);
    stdout(&talgen(dir.path(), &args));
    assert!(dir.path().join("legacy/worker.yaml").is_file());
}

/// talosctl writes the files one after the other and checks each for
/// existence right before writing it (`cmd/talosctl/cmd/mgmt/gen/config.go`,
/// `writeToDestination`): with only `worker.yaml` present, the control-plane
/// config is written, then the command stops at the worker config.
#[test]
fn existing_file_refuses_before_anything_is_written() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let args = [
        "c",
        "https://c:6443",
        "--with-secrets",
        secrets.to_str().unwrap(),
        "--talos-version",
        "v1.7",
        "-o",
        "out",
    ];
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/worker.yaml"), "keep\n").unwrap();
    let out = talgen(dir.path(), &args);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("file \"out/worker.yaml\" already exists, use --force to overwrite"),
        "{err}"
    );
    // talosctl would have written controlplane.yaml before refusing;
    // talgen checks every destination first, so a refused run writes nothing.
    assert!(!err.contains("Created"), "{err}");
    assert!(!dir.path().join("out/controlplane.yaml").exists());
    assert!(!dir.path().join("out/talosconfig").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/worker.yaml")).unwrap(),
        "keep\n"
    );
}

/// `--force` replaces an existing file (atomically) keeping permissions
/// stricter than its type's, and replaces a symlink's target rather than the
/// link.
#[cfg(unix)]
#[test]
fn force_keeps_permissions_and_follows_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let target = dir.path().join("w.yaml");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let args = [
        "c",
        "https://c:6443",
        "--with-secrets",
        secrets.to_str().unwrap(),
        "--talos-version",
        "v1.7",
        "-t",
        "worker",
        "-o",
        "w.yaml",
        "--force",
    ];
    stdout(&talgen(dir.path(), &args));
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("version: v1alpha1\n"), "{text}");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    std::os::unix::fs::symlink("w.yaml", dir.path().join("link.yaml")).unwrap();
    std::fs::write(&target, "old\n").unwrap();
    let mut linked = args;
    linked[9] = "link.yaml";
    stdout(&talgen(dir.path(), &linked));
    assert!(dir.path().join("link.yaml").is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("version: v1alpha1\n"), "{text}");
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".talgen-")),
        "{names:?}"
    );
}

/// Directory outputs are joined with Go's `filepath.Join`, which cleans the
/// path: the files and the `Created` lines name `out/...`; the bundle's
/// verbose line comes first (`pkg/machinery/config/bundle/bundle.go`).
#[test]
fn output_directory_is_cleaned_like_filepath_join() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let args = [
        "c",
        "https://c:6443",
        "--with-secrets",
        secrets.to_str().unwrap(),
        "--talos-version",
        "v1.7",
        "-t",
        "worker,talosconfig",
        "-o",
        "./x/..//out/",
    ];
    let out = talgen(dir.path(), &args);
    stdout(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "generating PKI and tokens",
            "Created out/worker.yaml",
            "Created out/talosconfig"
        ],
        "{err}"
    );
}

/// `--additional-sans`, `--registry-mirror` and `-t` are pflag string
/// slices: each occurrence is a CSV record, so quotes keep commas together
/// (`spf13/pflag`, `readAsCSV`).
#[test]
fn slice_flags_take_csv_quoting() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let out = one_config(
        &golden,
        "v1.7",
        "worker",
        &["--additional-sans", "\"a,b\",c", "--additional-sans", "d"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("    certSANs:\n        - a,b\n        - c\n        - d\n"),
        "{text}"
    );
    let out = one_config(&golden, "v1.7", "worker", &["--additional-sans", "a\"b"]);
    assert!(!out.status.success());
}

/// Endpoints go through Go 1.26's URL parser before talosctl's own checks:
/// a second colon outside IPv6 brackets or a bracketed non-IPv6 host makes
/// the endpoint unparsable; an empty port is accepted and kept.
#[test]
fn endpoints_parsed_like_go_1_26() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let run = |endpoint: &str| {
        let args = vec![
            "c".to_owned(),
            endpoint.to_owned(),
            "--with-secrets".to_owned(),
            "v1.11/secrets.yaml".to_owned(),
            "--talos-version".to_owned(),
            "v1.11".to_owned(),
            "-t".to_owned(),
            "controlplane".to_owned(),
            "-o".to_owned(),
            "-".to_owned(),
        ];
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        talgen(&golden, &refs)
    };
    for bad in [
        "https://fd00::1:6443",
        "https://lab:6443:6443",
        "https://[lab]:6443",
        "https://[10.0.0.1]:6443",
    ] {
        let out = run(bad);
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("failed to parse the cluster endpoint URL"),
            "{bad}: {err}"
        );
    }
    let text = stdout(&run("https://[fd00::1]:6443"));
    assert!(
        text.contains("endpoint: https://[fd00::1]:6443\n"),
        "{text}"
    );
    assert!(
        text.contains("        certSANs:\n            - fd00::1\n"),
        "{text}"
    );
    let text = stdout(&run("https://Lab.Example:"));
    assert!(
        text.contains("endpoint: 'https://Lab.Example:'\n"),
        "{text}"
    );
    assert!(
        text.contains("        certSANs:\n            - Lab.Example\n"),
        "{text}"
    );
}

/// talosctl takes an empty cluster name: `NewInput` checks nothing about it
/// and the talosconfig gets a context named `""`
/// (`pkg/machinery/config/generate/talosconfig.go`,
/// `pkg/machinery/client/config/config.go` `NewConfig`).
#[test]
fn empty_cluster_name_is_accepted() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let run = |kind: &str| {
        talgen(
            &golden,
            &[
                "",
                "https://c:6443",
                "--with-secrets",
                "v1.15/secrets.yaml",
                "--talos-version",
                "v1.15",
                "-t",
                kind,
                "-o",
                "-",
            ],
        )
    };
    let text = stdout(&run("talosconfig"));
    assert!(
        text.starts_with("context: \"\"\ncontexts:\n    \"\":\n        endpoints: []\n"),
        "{text}"
    );
    let text = stdout(&run("controlplane"));
    assert!(
        text.contains("kind: KubeClusterConfig\nclusterName: \"\"\n"),
        "{text}"
    );
}

/// Without `-o` the files go to the working directory as Go's `os.Getwd`
/// names it: `$PWD` when that is the current directory, so a path through
/// a symlink is kept in the messages (`outputPaths` joins onto it).
#[cfg(unix)]
#[test]
fn default_output_names_the_directory_like_getwd() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(dir.path().join("real"), &link).unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .current_dir(&link)
        .env("PWD", &link)
        .args(["gen", "config", "c", "https://c:6443", "--with-secrets"])
        .arg(&secrets)
        .args(["--talos-version", "v1.7", "-t", "worker"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let expected = format!("Created {}/worker.yaml", link.display());
    assert!(err.lines().any(|l| l == expected), "{err}");
    assert!(dir.path().join("real/worker.yaml").is_file());
}

/// Usage errors (wrong argument count, a bad flag value, an unknown flag)
/// exit with status 1 as talosctl's do (cobra returns every error to
/// `main`, which exits 1), not with clap's 2; `--help` still succeeds.
#[test]
fn usage_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["c"][..],
        &["c", "https://c:6443", "extra"],
        &["c", "https://c:6443", "--with-kubespan=yes"],
        &["c", "https://c:6443", "--no-such-flag"],
    ] {
        let out = talgen(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let out = talgen(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// An inline JSON patch written as YAML starts with `-`; like pflag, the
/// patch flags take it as their value rather than as another flag.
#[test]
fn inline_yaml_json_patch_starting_with_a_dash() {
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let patch = "- op: add\n  path: /machine/nodeLabels\n  value:\n    zone: a\n";
    for flag in ["--config-patch", "--config-patch-worker"] {
        // A single-document contract: JSON patches refuse multi-document configs.
        let out = one_config(
            &golden,
            "v1.3",
            "worker",
            &["--talos-version", "v1.3", flag, patch],
        );
        let text = stdout(&out);
        assert!(text.contains("nodeLabels:\n        zone: a\n"), "{text}");
    }
}

/// Files holding private keys (talosconfig, kubeconfig, init and
/// controlplane configs) are written 0600, the worker config 0644; talosctl
/// writes every file 0644. Replacing a file narrows its permissions to its
/// type's and keeps stricter ones.
#[cfg(unix)]
#[test]
fn private_keys_are_written_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let golden = talgen_testutil::upstream_or_skip!().join("golden");
    let dir = tempfile::tempdir().unwrap();
    let secrets = golden.join("v1.7/secrets.yaml");
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join("out").join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let all = "init,controlplane,worker,talosconfig,kubeconfig";
    let mut args = vec![
        "c",
        "https://c:6443",
        "--with-secrets",
        secrets.to_str().unwrap(),
        "--talos-version",
        "v1.7",
        "-t",
        all,
        "-o",
        "out",
    ];
    stdout(&talgen(dir.path(), &args));
    for name in [
        "init.yaml",
        "controlplane.yaml",
        "talosconfig",
        "kubeconfig",
    ] {
        assert_eq!(mode(name), 0o600, "{name}");
    }
    // 0644 less whatever the umask takes from group and others.
    assert_eq!(mode("worker.yaml") & !0o044, 0o600);

    let set = |name: &str, bits: u32| {
        let path = dir.path().join("out").join(name);
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap();
    };
    set("controlplane.yaml", 0o644);
    set("worker.yaml", 0o600);
    set("talosconfig", 0o400);
    args.push("--force");
    stdout(&talgen(dir.path(), &args));
    assert_eq!(mode("controlplane.yaml"), 0o600, "narrowed to its type's");
    assert_eq!(mode("worker.yaml"), 0o600, "stricter kept");
    assert_eq!(mode("talosconfig"), 0o400, "stricter kept");
}
