//! `talgen machineconfig patch` end to end, against the upstream
//! configpatcher corpus and talosctl's output conventions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn talgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_talgen"))
}

#[test]
fn patch_to_stdout_adds_a_newline_like_talosctl() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "version: v1alpha1\nmachine:\n    type: worker\n").unwrap();
    let out = talgen()
        .args(["machineconfig", "patch"])
        .arg(&config)
        .args(["-p", "machine:\n  env:\n    A: b\n"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("env:\n        A: b\n"), "{text}");
    assert!(text.ends_with("\n\n"), "{text:?}");
}

#[test]
fn no_patch_echoes_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "machine:   {}\n").unwrap();
    let target = dir.path().join("sub/out.yaml");
    let out = talgen()
        .args(["machineconfig", "patch"])
        .arg(&config)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "machine:   {}\n");
}

#[test]
fn patch_files_apply_in_order_and_errors_are_reported() {
    let Some(upstream) = talgen_testutil::upstream_dir() else {
        return;
    };
    let dir = upstream.join("configpatcher");
    let out = talgen()
        .args(["machineconfig", "patch"])
        .arg(dir.join("patchdeletemissing/config.yaml"))
        .arg("-p")
        .arg(format!(
            "@{}",
            dir.join("patchdeletemissing/strategic1.yaml").display()
        ))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lookup failed"), "{err}");

    let out = talgen()
        .args(["machineconfig", "patch"])
        .arg(dir.join("multidoc/config.yaml"))
        .arg("--patch")
        .arg(format!(
            "@{}",
            dir.join("multidoc/jsonpatch.yaml").display()
        ))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON6902 patches are not supported"));
    assert!(Path::new(&dir).is_dir());
}
