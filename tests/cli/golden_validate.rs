//! Verdicts of talgen's validator against Talos's own (machinery v1.14) on
//! every golden config, per runtime mode: `golden/validate.txt`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use talgen::validate::{validate_str, Mode, Options};
use talgen_testutil::{upstream_or_skip, Tally};

/// Checks every `MODE VERDICT FILE` line of `validate.txt` for one mode.
fn check_mode(mode: Mode) {
    let dir = upstream_or_skip!().join("golden");
    let list = std::fs::read_to_string(dir.join("validate.txt")).unwrap();
    let mut tally = Tally::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [m, verdict, file] = fields.as_slice() else {
            panic!("malformed line {line:?}");
        };
        if *m != mode.as_str() {
            continue;
        }
        let name = format!("{mode} {file}");
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let got = match validate_str(&text, mode, &Options::default()) {
            Err(e) => {
                tally.fail(&name, format!("does not load: {e}"));
                continue;
            }
            Ok(report) if report.is_valid() => "ok".to_owned(),
            Ok(_) => "invalid".to_owned(),
        };
        if got == *verdict {
            tally.pass();
        } else {
            let report = validate_str(&text, mode, &Options::default()).unwrap();
            let why: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
            tally.fail(&name, format!("want {verdict}, got {got}: {why:?}"));
        }
    }
    tally.finish(&format!("validate verdicts ({mode})"));
}

#[test]
fn golden_validate_metal() {
    check_mode(Mode::Metal);
}

#[test]
fn golden_validate_cloud() {
    check_mode(Mode::Cloud);
}

#[test]
fn golden_validate_container() {
    check_mode(Mode::Container);
}
