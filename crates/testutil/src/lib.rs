//! Test helpers shared by talgen's crates: finding the upstream Talos
//! reference data and comparing text with a readable diff.
//!
//! Conformance tests call [`upstream_dir`]. It honours
//! `TALGEN_UPSTREAM_DIR`, else looks for `../shared/talos` beside the
//! workspace. When the data is missing, tests under CI (`CI` set) fail; on a
//! developer machine they skip with a loud message.
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

use std::path::{Path, PathBuf};

/// Directory holding the upstream reference data, or `None` (after printing
/// a warning) when it is absent on a developer machine.
///
/// # Panics
/// Under CI (`CI` environment variable set) when the data is missing, so a
/// conformance suite can never pass by skipping.
// Failing the calling test is this helper's job.
#[allow(clippy::panic)]
pub fn upstream_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("TALGEN_UPSTREAM_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/talos"),
    };
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    let msg = format!(
        "upstream Talos reference data not found at {} (set TALGEN_UPSTREAM_DIR)",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!!!! SKIPPING: {msg} !!!!!!!!!!\n");
    None
}

/// Returns the upstream data directory or returns early from the test.
#[macro_export]
macro_rules! upstream_or_skip {
    () => {
        match $crate::upstream_dir() {
            Some(dir) => dir,
            None => return,
        }
    };
}

/// A line diff of `want` against `got`, for golden failures: the first
/// differing lines with a little context.
pub fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let first = w
        .iter()
        .zip(g.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let start = first.saturating_sub(3);
    let mut out = format!(
        "first difference at line {} (want {} lines, got {}):\n",
        first + 1,
        w.len(),
        g.len()
    );
    for i in start..(first + 8) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => out.push_str(&format!("  {a}\n")),
            (a, b) => {
                if let Some(a) = a {
                    out.push_str(&format!("- {a}\n"));
                }
                if let Some(b) = b {
                    out.push_str(&format!("+ {b}\n"));
                }
            }
        }
    }
    if want.ends_with('\n') != got.ends_with('\n') {
        out.push_str("(trailing newline differs)\n");
    }
    out
}

/// Collects named mismatches across a corpus and fails once with all of them.
#[derive(Default)]
pub struct Tally {
    checked: usize,
    failures: Vec<String>,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one comparison of `got` with the expected text.
    pub fn compare(&mut self, name: &str, want: &str, got: &str) {
        self.checked += 1;
        if want != got {
            self.failures.push(format!("{name}: {}", diff(want, got)));
        }
    }

    /// Records a failure that is not a text comparison.
    pub fn fail(&mut self, name: &str, why: impl std::fmt::Display) {
        self.checked += 1;
        self.failures.push(format!("{name}: {why}"));
    }

    /// Records a success that is not a text comparison.
    pub fn pass(&mut self) {
        self.checked += 1;
    }

    /// Fails with every recorded mismatch, or prints the count checked.
    ///
    /// # Panics
    /// When any comparison failed, or when nothing was checked.
    // Failing the calling test is this helper's job.
    #[allow(clippy::panic)]
    pub fn finish(self, what: &str) {
        assert!(self.checked > 0, "{what}: nothing was checked");
        if !self.failures.is_empty() {
            panic!(
                "{what}: {} of {} mismatched:\n\n{}",
                self.failures.len(),
                self.checked,
                self.failures.join("\n\n")
            );
        }
        eprintln!("{what}: {} of {} matched", self.checked, self.checked);
    }
}

/// Appends every `.yaml` file below `dir` to `out`, recursively, in sorted
/// path order (a missing directory adds nothing).
pub fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// Splits a shell-quoted argument line (backslash escapes, single and double
/// quotes), as the `args` files are written.
pub fn shell_split(line: &str) -> Vec<String> {
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
pub fn talosconfig_shape(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            let indent = l.strip_suffix(t).unwrap_or_default();
            if let Some(field) = ["crt", "key"]
                .into_iter()
                .find(|f| t.starts_with(&format!("{f}: ")))
            {
                format!("{indent}{field}: <fresh>")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir`, by `/`-separated path relative to it, with its
/// bytes (empty when `dir` does not exist).
///
/// # Panics
/// When a directory or file under `dir` cannot be read.
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub fn read_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("readable file"));
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn shell_split_handles_escaped_commas() {
        assert_eq!(
            super::shell_split(r"a -t controlplane\,worker 'b c' @p"),
            ["a", "-t", "controlplane,worker", "b c", "@p"]
        );
    }

    #[test]
    fn talosconfig_shape_blanks_fresh_credentials() {
        let s = super::talosconfig_shape(
            "context: a\ncontexts:\n    a:\n        ca: X\n        crt: Y\n        key: Z\n",
        );
        assert_eq!(
            s,
            "context: a\ncontexts:\n    a:\n        ca: X\n        crt: <fresh>\n        key: <fresh>"
        );
    }
}
