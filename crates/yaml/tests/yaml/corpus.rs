//! Round trip of every Go-written YAML file in the upstream reference data:
//! parse (keeping order and Go typing), emit, compare bytes.

use std::path::{Path, PathBuf};

use talgen_testutil::{upstream_or_skip, yaml_files, Tally};

/// Files written by Go's `yaml.Marshal` (through Talos's encoder and
/// container), as opposed to hand-written inputs such as patches.
/// (`strategic/` expectations are written with 2-space indentation by
/// another encoder and are not part of this corpus.)
fn go_written(root: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    yaml_files(&root.join("stability"), &mut all);
    yaml_files(&root.join("golden"), &mut all);
    yaml_files(&root.join("configpatcher"), &mut all);
    all.into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned();
            if rel.starts_with("stability/") {
                // Contract outputs and the Go-written secrets bundle; the
                // patch files are hand-written.
                return !name.starts_with("patch");
            }
            if rel.starts_with("golden/") {
                return matches!(
                    name,
                    "controlplane.yaml" | "worker.yaml" | "init.yaml" | "secrets.yaml"
                );
            }
            name.contains("expected")
        })
        .collect()
}

/// The text after a header of comment lines (Talos's test secrets bundle
/// starts with one hand-written comment line above Go's output).
fn without_comment_header(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest
}

fn has_comment(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().starts_with('#'))
}

#[test]
fn upstream_files_round_trip_byte_for_byte() {
    let root = upstream_or_skip!();
    let files = go_written(&root);
    assert!(files.len() > 200, "only {} files found", files.len());
    let mut tally = Tally::new();
    let mut skipped = Vec::new();
    for path in &files {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let full = std::fs::read_to_string(path).unwrap();
        let text = without_comment_header(&full);
        if has_comment(text) {
            skipped.push(name);
            continue;
        }
        match talgen_yaml::from_str_documents(text) {
            Ok(docs) => tally.compare(&name, text, &talgen_yaml::emit_documents(&docs)),
            Err(e) => tally.fail(&name, e),
        }
    }
    eprintln!("skipped (comments): {skipped:?}");
    tally.finish("go-written yaml round trip");
}

/// The fuzz hook's round-trip invariant on every upstream YAML input (also
/// hand-written ones: patches, strategic-merge cases, loader inputs).
#[test]
fn fuzz_hook_holds_on_all_upstream_inputs() {
    let root = upstream_or_skip!();
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    for dir in ["configloader"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    assert!(files.len() > 250, "only {} files", files.len());
    for path in &files {
        let data = std::fs::read(path).unwrap();
        // Each document on its own, since the hook takes one document.
        let text = String::from_utf8_lossy(&data);
        for doc in text.split("\n---\n") {
            talgen_yaml::internal::fuzz_roundtrip(doc.as_bytes());
        }
    }
}

#[test]
fn fuzz_hook_holds_on_tricky_inputs() {
    let inputs = [
        "a: 1.0\nb: .nan\nc: -.inf\nd: 1e300\n",
        "? [a, b]\n: {c: d}\n",
        "- - - a\n    - b\n  - {x: [1, 2]}\n",
        "a: \"\\u2028\"\n",
        "a: |+\n  x\n\n\n",
        "a: >\n  folded\n  text\n\n  para\n",
        "'': ''\n~: ~\n",
        "a: &x [1, *x]\n",
        "!!binary aGVsbG8=\n",
        "k: \"\\ufeffab\"\n",
        "k: \"\\t\\x01\\e\"\n",
    ];
    for input in inputs {
        talgen_yaml::internal::fuzz_roundtrip(input.as_bytes());
    }
}
