//! Byte round trips of upstream configs through the loader and encoder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use talgen_config::{load, load_documents, Document};
use talgen_testutil::{upstream_or_skip, yaml_files, Tally};

/// Generated machine configs: stability suite and CLI goldens.
fn config_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    yaml_files(&root.join("stability"), &mut files);
    files.retain(|p| {
        p.parent().is_some_and(|d| {
            d.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("v1."))
        })
    });
    let mut golden = Vec::new();
    yaml_files(&root.join("golden"), &mut golden);
    golden.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        matches!(
            name.as_ref(),
            "controlplane.yaml" | "worker.yaml" | "init.yaml"
        )
    });
    files.extend(golden);
    files
}

/// Splits a stream on Talos's separator, for comparing documents one by one.
fn split_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(String::new());
        } else if let Some(last) = docs.last_mut() {
            last.push_str(line);
        }
    }
    docs.retain(|d| !d.is_empty());
    docs
}

#[test]
fn generated_configs_round_trip_byte_for_byte() {
    let root = upstream_or_skip!();
    let mut tally = Tally::new();
    for path in config_files(&root) {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let want = std::fs::read_to_string(&path).unwrap();
        match load(&want).and_then(|c| c.encode()) {
            Ok(got) => tally.compare(&name, &want, &got),
            Err(e) => tally.fail(&name, e),
        }
    }
    tally.finish("whole generated configs");
}

#[test]
fn each_multi_document_round_trips_alone() {
    let root = upstream_or_skip!();
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut tally = Tally::new();
    for path in config_files(&root) {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, want) in split_documents(&text).into_iter().enumerate() {
            if !want.contains("\nkind: ") && !want.starts_with("kind: ") {
                continue;
            }
            let result = load_documents(&want).and_then(|docs| match docs.as_slice() {
                [doc] => Ok((doc.kind().to_owned(), doc.to_yaml()?)),
                _ => panic!("{name}#{i}: expected one document"),
            });
            match result {
                Ok((kind, got)) => {
                    let entry = per_kind.entry(kind.clone()).or_default();
                    entry.0 += 1;
                    if got != want {
                        entry.1 += 1;
                    }
                    tally.compare(&format!("{name}#{i} ({kind})"), &want, &got);
                }
                Err(e) => tally.fail(&format!("{name}#{i}"), e),
            }
        }
    }
    for (kind, (seen, bad)) in &per_kind {
        eprintln!("{kind}: {} of {seen} byte-identical", seen - bad);
    }
    tally.finish("single multi-documents");
}

#[test]
fn other_upstream_configs_round_trip() {
    let root = upstream_or_skip!();
    let mut files = Vec::new();
    yaml_files(&root.join("configpatcher"), &mut files);
    yaml_files(&root.join("strategic"), &mut files);
    for entry in std::fs::read_dir(root.join("configloader"))
        .unwrap()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "test") {
            files.push(entry.path());
        }
    }
    files.sort();
    let mut tally = Tally::new();
    let mut loaded = 0;
    for path in files {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let want = std::fs::read_to_string(&path).unwrap();
        // Patches and loader inputs are not all canonical encodings: check
        // that whatever loads re-encodes stably.
        let Ok(container) = load(&want) else { continue };
        loaded += 1;
        let once = container.encode().unwrap();
        let twice = load(&once).and_then(|c| c.encode());
        match twice {
            Ok(twice) => tally.compare(&name, &once, &twice),
            Err(e) => tally.fail(&name, e),
        }
    }
    eprintln!("{loaded} upstream patch/loader inputs loaded");
    tally.finish("patch and loader inputs");
}

#[test]
fn every_kind_builds_and_encodes_meta_first() {
    for kind in talgen_config::KINDS {
        let text = format!("apiVersion: v1alpha1\nkind: {kind}\n");
        let docs = load_documents(&text).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let Some(doc) = docs.first() else {
            panic!("{kind}: no document")
        };
        assert_eq!(doc.kind(), *kind);
        let yaml = doc.to_yaml().unwrap();
        assert!(
            yaml.starts_with(&format!("apiVersion: v1alpha1\nkind: {kind}\n")),
            "{kind}: {yaml}"
        );
    }
    assert!(matches!(
        Document::from(talgen_config::v1alpha1::Config::default()),
        Document::V1Alpha1(_)
    ));
}
