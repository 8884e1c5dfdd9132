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
