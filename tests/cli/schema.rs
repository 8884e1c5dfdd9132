//! `talgen schema` prints the checked-in `schemas/config.schema.json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn schema_command_prints_the_checked_in_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/config.schema.json"),
    )
    .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
}

#[test]
fn schema_command_writes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.schema.json");
    let status = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(["schema", "-o"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let want = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/config.schema.json"),
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
}
