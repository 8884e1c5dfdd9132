//! `talgen validate` against `talosctl validate` (cmd/talosctl/cmd/mgmt/validate.go):
//! flags, the success line, `WARNING:` lines, the multi-error layout, exit
//! codes, and load errors naming document, kind, field and position.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A worker config that passes in every mode.
const WORKER: &str = "version: v1alpha1
machine:
  type: worker
  token: abcdef.0123456789abcdef
  ca:
    crt: Zm9v
cluster:
  controlPlane:
    endpoint: https://1.2.3.4:6443
";

/// WORKER with an install section naming no disk: invalid in metal mode.
fn diskless_install() -> String {
    WORKER.replace(
        "  type: worker\n",
        "  type: worker\n  install:\n    wipe: false\n",
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn talgen(args: &[&str], files: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_talgen"));
    cmd.arg("validate").args(args);
    for f in files {
        cmd.arg("-c").arg(f);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn valid_config_prints_talosctl_success_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", WORKER);
    let out = talgen(&["-m", "cloud"], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{} is valid for cloud mode\n", f.display())
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn long_flags_and_metal_agent_mode() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", WORKER);
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(["validate", "--mode", "metal-agent", "--config"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with("is valid for metal-agent mode\n"));
}

#[test]
fn invalid_config_lists_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", &diskless_install());
    let out = talgen(&["-m", "metal"], &[&f]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with("talgen: error: 1 error occurred:\n\t* v1alpha1: machine.install"),
        "{err}"
    );
}

#[test]
fn mode_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", WORKER);
    let out = talgen(&[], &[&f]);
    // talosctl (cobra) exits with 1 here, not clap's usage code 2.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("required flag(s) \"mode\" not set"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_is_required() {
    let out = talgen(&["-m", "cloud"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("open : no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn load_errors_come_before_an_unknown_mode() {
    // talosctl loads the config before it parses the mode.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "bad.yaml",
        "version: v1alpha1\nmachine:\n  foo: 1\n",
    );
    let out = talgen(&["-m", "docker"], &[&f]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown field"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("docker"), "{}", stderr(&out));
}

#[test]
fn unknown_mode_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", WORKER);
    let out = talgen(&["-m", "docker"], &[&f]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown runtime mode \"docker\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn warnings_print_with_talosctl_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let doc = format!(
        "{WORKER}---\napiVersion: v1alpha1\nkind: ContainerConfig\nname: web\nimage: nginx:1.27\n"
    );
    let f = write(dir.path(), "worker.yaml", &doc);
    let out = talgen(&["-m", "cloud"], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("WARNING: ContainerConfig/web: image: container \"web\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn strict_turns_v1alpha1_warnings_into_errors() {
    let dir = tempfile::tempdir().unwrap();
    let doc = WORKER.replace(
        "  type: worker\n",
        "  type: worker\n  install:\n    disk: /dev/sda\n    extensions: [{image: a}]\n",
    );
    let f = write(dir.path(), "worker.yaml", &doc);
    let lax = talgen(&["-m", "metal"], &[&f]);
    assert_eq!(lax.status.code(), Some(0), "{}", stderr(&lax));
    assert!(
        stderr(&lax).starts_with("WARNING: v1alpha1: "),
        "{}",
        stderr(&lax)
    );
    let strict = talgen(&["-m", "metal", "--strict"], &[&f]);
    assert_eq!(strict.status.code(), Some(1));
    let err = stderr(&strict);
    assert!(!err.contains("WARNING:"), "{err}");
    assert!(
        err.contains("\t* v1alpha1: ") && err.contains("warning: "),
        "{err}"
    );
}

#[test]
fn several_files_name_each_and_summarise() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", WORKER);
    let bad = write(
        dir.path(),
        "bad.yaml",
        "version: v1alpha1\nmachine:\n  type: worker\n",
    );
    let out = talgen(&["-m", "cloud"], &[&good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!("{} is valid for cloud mode\n", good.display())
    );
    let err = stderr(&out);
    assert!(err.contains(&format!("{}: ", bad.display())), "{err}");
    assert!(
        err.contains("talgen: error: 1 of 2 configs not valid for cloud mode"),
        "{err}"
    );
}

#[test]
fn json_output_reports_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", &diskless_install());
    let out = talgen(&["-m", "metal", "-o", "json"], &[&bad]);
    assert_eq!(out.status.code(), Some(1));
    let json = stdout(&out);
    assert!(
        json.starts_with("{\"mode\":\"metal\",\"valid\":false,\"files\":[{\"file\":"),
        "{json}"
    );
    assert!(json.contains("\"path\":\"machine.install.disk\""), "{json}");
}

#[test]
fn talos_version_extra_flag() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "worker.yaml", WORKER);
    let out = talgen(&["-m", "cloud", "--talos-version", "v1.13"], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = talgen(&["-m", "cloud", "--talos-version", "v0.1"], &[&f]);
    assert!(!out.status.success());
}

mod load_errors {
    use super::*;

    /// Runs `validate` on `text` and returns stderr, asserting exit code 1.
    fn fails(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "c.yaml", text);
        let out = talgen(&["-m", "cloud"], &[&f]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
        stderr(&out)
    }

    #[track_caller]
    fn has_all(text: &str, needles: &[&str]) {
        for n in needles {
            assert!(text.contains(n), "missing {n:?} in {text}");
        }
    }

    #[test]
    fn invalid_yaml_names_line_and_column() {
        let err = fails("version: v1alpha1\nmachine:\n  type: [a\n");
        has_all(&err, &["loading config", "line 3", "column 9"]);
    }

    #[test]
    fn unknown_kind_names_document_and_kind() {
        let err = fails(&format!(
            "{WORKER}---\napiVersion: v1alpha1\nkind: Nope\nname: x\n"
        ));
        has_all(
            &err,
            &["document #1", "Nope", "unknown document kind", "line 11"],
        );
    }

    #[test]
    fn unknown_field_names_document_path_and_position() {
        let err = fails("version: v1alpha1\nmachine:\n  type: worker\n  bogus: 1\n");
        has_all(
            &err,
            &[
                "document #0",
                "unknown field \"bogus\"",
                "machine.bogus",
                "line 4, column 3",
            ],
        );
    }

    #[test]
    fn wrong_type_names_kind_field_and_position() {
        let err = fails(&format!(
            "{WORKER}---\napiVersion: v1alpha1\nkind: KubePrismConfig\nport: abc\n"
        ));
        has_all(
            &err,
            &[
                "document #1",
                "KubePrismConfig",
                "`abc`",
                "at port",
                "line 13, column 7",
            ],
        );
    }

    #[test]
    fn wrong_type_in_v1alpha1_names_field_path() {
        let err =
            fails("version: v1alpha1\nmachine:\n  type: worker\n  kubelet:\n    image: [1]\n");
        has_all(&err, &["document #0", "machine.kubelet.image", "line 5"]);
    }

    #[test]
    fn empty_documents_are_rejected() {
        let err = fails("---\n---\n");
        has_all(&err, &["loading config", "no document"]);
        let err = fails("");
        has_all(&err, &["no document"]);
    }

    #[test]
    fn missing_file_is_reported() {
        let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
            .args(["validate", "-m", "cloud", "-c", "/nonexistent/talgen.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        has_all(&stderr(&out), &["reading /nonexistent/talgen.yaml"]);
    }
}
