//! The CLI golden corpus (`golden/` of the upstream data): for every
//! contract and variant, `talgen gen config <args> -o DIR` run from inside
//! `golden/` must write the same bytes Talos's own code wrote.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use talgen_testutil::Tally;

/// Splits a shell-quoted argument line (backslash escapes, single and double
/// quotes), as the `args` files are written.
fn shell_split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            '\'' => {
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    cur.push(n);
                }
                in_word = true;
            }
            '"' => {
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' => {
                            if let Some(m) = chars.next() {
                                cur.push(m);
                            }
                        }
                        _ => cur.push(n),
                    }
                }
                in_word = true;
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
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

/// Top-level keys and context fields of a talosconfig, with `crt`/`key`
/// values blanked (they are issued fresh on every run).
fn talosconfig_shape(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("crt: ") || t.starts_with("key: ") {
                let indent = &l[..l.len() - t.len()];
                format!("{indent}{}: <fresh>", &t[..3])
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

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

macro_rules! contracts {
    ($($name:ident => $c:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_contract($c);
            }
        )*

        #[test]
        fn every_golden_contract_has_a_test() {
            let dir = talgen_testutil::upstream_or_skip!();
            let tested = [$($c),*];
            for entry in std::fs::read_dir(dir.join("golden")).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                if name.starts_with('v') && entry.path().is_dir() {
                    assert!(tested.contains(&name.as_str()), "no test for golden/{name}");
                }
            }
        }
    };
}

contracts! {
    golden_v1_0 => "v1.0",
    golden_v1_1 => "v1.1",
    golden_v1_2 => "v1.2",
    golden_v1_3 => "v1.3",
    golden_v1_4 => "v1.4",
    golden_v1_5 => "v1.5",
    golden_v1_6 => "v1.6",
    golden_v1_7 => "v1.7",
    golden_v1_8 => "v1.8",
    golden_v1_9 => "v1.9",
    golden_v1_10 => "v1.10",
    golden_v1_11 => "v1.11",
    golden_v1_12 => "v1.12",
    golden_v1_13 => "v1.13",
    golden_v1_14 => "v1.14",
    golden_v1_15 => "v1.15",
}

#[test]
fn shell_split_handles_escaped_commas() {
    assert_eq!(
        shell_split(r"a -t controlplane\,worker 'b c' @p"),
        ["a", "-t", "controlplane,worker", "b c", "@p"]
    );
}

#[test]
fn talosconfig_shape_blanks_fresh_credentials() {
    let s = talosconfig_shape(
        "context: a\ncontexts:\n    a:\n        ca: X\n        crt: Y\n        key: Z\n",
    );
    assert_eq!(
        s,
        "context: a\ncontexts:\n    a:\n        ca: X\n        crt: <fresh>\n        key: <fresh>"
    );
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
