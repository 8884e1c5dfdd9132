//! `apply_to_container` (patches on the typed documents, no YAML text in
//! between) against `apply` (config bytes in, bytes out): for every config
//! of the upstream data and a set of patches, both give the same bytes, or
//! the same error.

use talgen_patch::{apply, apply_to_container, parse_patch, Patch};

use crate::common::read;

/// A per-node patch, patches on multi-document kinds, a JSON patch, a
/// delete directive, documents the container refuses together, and chains
/// mixing them.
fn patch_sets() -> Vec<(&'static str, Vec<Patch>)> {
    let p = |text: &str| parse_patch(text.as_bytes()).unwrap();
    let node = "machine:\n  install:\n    disk: /dev/vda\n  nodeLabels:\n    rack: r1\n  network:\n    hostname: n1\n    interfaces:\n      - interface: eth0\n        addresses: [10.0.0.2/24]\ncluster:\n  clusterName: c1\n";
    let json = r#"[{"op": "add", "path": "/machine/env", "value": {"A": "b"}}]"#;
    let delete = "machine:\n  network:\n    $patch: delete\n";
    // Each document is valid alone; together the container refuses them.
    let conflict = "apiVersion: v1alpha1\nkind: LinkConfig\nname: eth9\n---\napiVersion: v1alpha1\nkind: BondConfig\nname: eth9\n";
    // Multi-document kinds: one merged into (or appended), one deleted
    // whole; the other documents of the config are left alone.
    let hostname = "apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: n1\nauto: off\n";
    let drop_doc = "apiVersion: v1alpha1\nkind: KubePrismConfig\n$patch: delete\n";
    vec![
        ("node", vec![p(node)]),
        ("hostname", vec![p(hostname)]),
        ("drop document", vec![p(drop_doc)]),
        (
            "documents chain",
            vec![p(hostname), p(node), p(drop_doc), p(hostname)],
        ),
        ("json", vec![p(json)]),
        ("delete", vec![p(delete)]),
        ("conflict", vec![p(conflict)]),
        ("chain", vec![p(node), p(json), p(delete), p(node)]),
    ]
}

fn configs() -> Vec<(String, String)> {
    let Some(root) = talgen_testutil::upstream_dir() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut dirs = vec![root.join("stability"), root.join("strategic")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let text = read(&path);
                if talgen_config::load(&text).is_ok() {
                    out.push((path.display().to_string(), text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn typed_patching_agrees_with_patching_bytes() {
    let configs = configs();
    if configs.is_empty() {
        return;
    }
    let mut compared = 0;
    let mut changed = Vec::new();
    for (name, text) in &configs {
        let container = talgen_config::load(text).unwrap();
        // `apply` on the canonical bytes, loaded again, is what
        // `apply_to_container` stands for.
        let bytes = container.encode().unwrap();
        for (set, patches) in patch_sets() {
            // After a JSON patch `apply` gives the patch's own YAML; the
            // config loaded from it is what upstream hands on.
            let want = apply(bytes.as_bytes(), &patches)
                .and_then(|b| Ok(talgen_config::load_bytes(&b)?.encode().unwrap()));
            let got = apply_to_container(&container, &patches).map(|c| c.encode().unwrap());
            match (&want, &got) {
                (Ok(w), Ok(g)) => {
                    assert!(w == g, "{name} {set}:\n{}", talgen_testutil::diff(w, g));
                    if *g != bytes {
                        changed.push(set);
                    }
                }
                (Err(w), Err(g)) => assert_eq!(w.to_string(), g.to_string(), "{name} {set}"),
                _ => panic!("{name} {set}: bytes {want:?}, typed {got:?}"),
            }
            compared += 1;
        }
    }
    assert!(compared >= 80, "{compared} cases");
    // Every set changed some config without an error (the multi-document
    // ones on the configs that have such documents).
    for (set, _) in patch_sets() {
        let n = changed.iter().filter(|s| **s == set).count();
        assert!(set == "conflict" || n > 0, "{set}: no config changed");
    }
}

/// Documents the container refuses together fail the typed path with the
/// container's own words.
#[test]
fn conflicting_documents_fail_with_the_containers_error() {
    let Some((_, text)) = configs()
        .into_iter()
        .find(|(n, _)| n.ends_with("v1.15/base-worker.yaml"))
    else {
        return;
    };
    let container = talgen_config::load(&text).unwrap();
    let patches = patch_sets()
        .into_iter()
        .find(|(n, _)| *n == "conflict")
        .unwrap()
        .1;
    let err = apply_to_container(&container, &patches)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("conflicting documents: LinkConfig/eth9 and BondConfig/eth9"),
        "{err}"
    );
}
