//! The facade as a library user sees it: `tests/consumer` (a small program
//! depending on `talgen` with `default-features = false`) must build, run,
//! and pull in none of the CLI's dependencies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates only the `talgen` binary may depend on (`serde_json` is not one:
/// JSON patches need it).
const CLI_ONLY: [&str; 5] = ["clap", "clap_builder", "anyhow", "tempfile", "schemars"];

/// A copy of the consumer beside this workspace's lock file (so it builds
/// offline with the versions talgen is tested with), depending on this
/// checkout by absolute path.
fn consumer() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("tests/consumer");
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(src.join("Cargo.toml")).unwrap();
    let manifest = manifest.replace(
        "path = \"../..\"",
        &format!("path = {:?}", root.display().to_string()),
    );
    assert!(manifest.contains(&root.display().to_string()), "{manifest}");
    std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::copy(src.join("src/main.rs"), dir.path().join("src/main.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    dir
}

fn cargo(dir: &Path, args: &[&str]) -> String {
    let target: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/consumer");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(args)
        .args(["--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_library_user_gets_no_cli_dependencies() {
    let dir = consumer();
    let tree = cargo(
        dir.path(),
        &[
            "tree", "-e", "normal", "--prefix", "none", "--format", "{p}",
        ],
    );
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(names.contains(&"talgen"), "{tree}");
    assert!(names.contains(&"talgen-generate"), "{tree}");
    for name in CLI_ONLY {
        assert!(
            !names.contains(&name),
            "{name} in the consumer's tree:\n{tree}"
        );
    }

    cargo(dir.path(), &["build"]);
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/consumer/debug/talgen-consumer");
    let out = Command::new(bin).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let worker = String::from_utf8(out.stdout).unwrap();
    assert!(worker.starts_with("version: v1alpha1\n"), "{worker}");
    assert!(worker.contains("    disk: /dev/vda\n"), "{worker}");
    assert!(
        worker.contains("image: ghcr.io/siderolabs/kubelet:v1.32.0\n"),
        "{worker}"
    );
}
