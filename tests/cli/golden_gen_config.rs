//! The CLI golden corpus (`golden/` of the upstream data) end to end: for a
//! few contracts, each variant's `talgen gen config <args> -o DIR` run from
//! inside `golden/` must write the same bytes Talos's own code wrote.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use talgen_testutil::{shell_split, talosconfig_shape, Tally};

fn run_variant(golden: &Path, contract: &str, variant: &str, tally: &mut Tally) {
    let case_dir = golden.join(contract).join(variant);
    let line = std::fs::read_to_string(case_dir.join("args")).unwrap();
    let args = shell_split(line.trim());
    let out = tempfile::tempdir().unwrap();
    let result = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .current_dir(golden)
        .args(["gen", "config"])
        .args(&args)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let name = format!("{contract}/{variant}");
    if !result.status.success() {
        tally.fail(
            &name,
            format!("talgen failed: {}", String::from_utf8_lossy(&result.stderr)),
        );
        return;
    }
    for file in [
        "controlplane.yaml",
        "worker.yaml",
        "init.yaml",
        "talosconfig",
    ] {
        let case = format!("{name}/{file}");
        let got = std::fs::read_to_string(out.path().join(file));
        let want = std::fs::read_to_string(case_dir.join(file)).unwrap();
        match got {
            Err(e) => tally.fail(&case, format!("not written: {e}")),
            Ok(got) if file == "talosconfig" => {
                tally.compare(&case, &talosconfig_shape(&want), &talosconfig_shape(&got));
            }
            Ok(got) => tally.compare(&case, &want, &got),
        }
    }
}

fn run_contract(contract: &str) {
    let dir = talgen_testutil::upstream_or_skip!();
    let golden = dir.join("golden");
    let mut tally = Tally::new();
    for variant in ["defaults", "flags", "patch"] {
        run_variant(&golden, contract, variant, &mut tally);
    }
    tally.finish(&format!("golden {contract}"));
}

// Every golden folder runs in-process through `ConfigBundle`
// (`crates/generate/tests/generate/bundle.rs`); end to end, through argument
// parsing and file writing, the oldest, a middle and the newest contract.
#[test]
fn golden_v1_0_end_to_end() {
    run_contract("v1.0");
}

#[test]
fn golden_v1_7_end_to_end() {
    run_contract("v1.7");
}

#[test]
fn golden_v1_15_end_to_end() {
    run_contract("v1.15");
}

/// Behaviour of `gen config` beyond the corpus: refusals, stdout, new secrets.
mod behaviour {
    use std::process::{Command, Output};

    fn talgen(dir: &std::path::Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_talgen"))
            .current_dir(dir)
            .args(["gen", "config"])
            .args(args)
            .output()
            .unwrap()
    }

    // v1.6 keeps secret generation fast (no RSA service-account key).
    const FAST: [&str; 2] = ["--talos-version", "v1.6"];

    #[test]
    fn endpoint_without_scheme_is_refused_with_a_fix() {
        let dir = tempfile::tempdir().unwrap();
        let out = talgen(dir.path(), &["c", "10.0.0.1"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("try: \"https://10.0.0.1:6443\""), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn existing_files_need_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("worker.yaml"), "keep").unwrap();
        let mut args = vec!["c", "https://c:6443", "-o", "."];
        args.extend(FAST);
        let out = talgen(dir.path(), &args);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("worker.yaml")).unwrap(),
            "keep"
        );
        // Nothing else was written either: talgen refuses before writing
        // (talosctl would have written controlplane.yaml first).
        assert!(!dir.path().join("controlplane.yaml").exists());
        assert!(!dir.path().join("talosconfig").exists());

        args.push("--force");
        assert!(talgen(dir.path(), &args).status.success());
        let worker = std::fs::read_to_string(dir.path().join("worker.yaml")).unwrap();
        assert!(worker.starts_with("version: v1alpha1\n"));
        assert!(dir.path().join("talosconfig").is_file());
    }

    #[test]
    fn tag_environment_variable_sets_the_default_install_image_tag() {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .current_dir(dir.path())
            .env("TAG", "v9.9.9")
            .args([
                "gen",
                "config",
                "c",
                "https://c:6443",
                "-t",
                "worker",
                "-o",
                "-",
            ])
            .args(FAST)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v9.9.9\n"), "{text}");
    }

    #[test]
    fn single_type_to_stdout() {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["c", "https://c:6443", "-t", "worker", "-o", "-"];
        args.extend(FAST);
        let out = talgen(dir.path(), &args);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("    type: worker\n"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn without_secrets_each_run_makes_a_new_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["c", "https://c:6443", "-t", "controlplane", "-o", "-"];
        args.extend(FAST);
        let a = talgen(dir.path(), &args).stdout;
        let b = talgen(dir.path(), &args).stdout;
        assert!(!a.is_empty());
        assert_ne!(a, b);
    }
}
