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

/// Splits a shell-quoted argument line (backslash escapes, single and double
/// quotes), enough for the golden `args` files.
fn shell_split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// `gen config --config-patch-worker @patches/node.yaml` for every contract:
/// all configs byte-identical to the upstream CLI corpus.
#[test]
fn gen_config_patch_variants_match_golden() {
    let Some(upstream) = talgen_testutil::upstream_dir() else {
        return;
    };
    let golden = upstream.join("golden");
    let mut tally = talgen_testutil::Tally::new();
    let mut versions: Vec<_> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("patch/args").is_file())
        .collect();
    versions.sort();
    for version in &versions {
        let case = version.join("patch");
        let args = shell_split(std::fs::read_to_string(case.join("args")).unwrap().trim());
        let out = tempfile::tempdir().unwrap();
        let run = talgen()
            .current_dir(&golden)
            .args(["gen", "config"])
            .args(&args)
            .arg("-o")
            .arg(out.path())
            .output()
            .unwrap();
        let name = version.file_name().unwrap().to_string_lossy().to_string();
        if !run.status.success() {
            tally.fail(&name, String::from_utf8_lossy(&run.stderr));
            continue;
        }
        for file in ["init.yaml", "controlplane.yaml", "worker.yaml"] {
            let want = case.join(file);
            if want.is_file() {
                let got = std::fs::read_to_string(out.path().join(file)).unwrap_or_default();
                tally.compare(
                    &format!("{name}/patch/{file}"),
                    &std::fs::read_to_string(want).unwrap(),
                    &got,
                );
            }
        }
    }
    assert!(
        versions.len() >= 16,
        "expected a patch variant per contract"
    );
    tally.finish("gen config patch variants");
}

/// talosctl's flag parser (pflag) takes the argument after `-p` as its
/// value even when it starts with `-`, as an inline YAML JSON patch does;
/// after a JSON patch the output is yaml.v2's layout (sorted keys, lists
/// flush with their key).
#[test]
fn yaml_json_patch_starting_with_a_dash_is_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "version: v1alpha1\nmachine:\n    type: worker\n").unwrap();
    let out = talgen()
        .args(["machineconfig", "patch"])
        .arg(&config)
        .args(["-p", "- op: add\n  path: /machine/certSANs\n  value: [a]\n"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "machine:\n  certSANs:\n  - a\n  type: worker\nversion: v1alpha1\n\n"
    );
}
