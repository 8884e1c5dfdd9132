//! Loader errors and empty-document rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use talgen_config::{load, load_documents, Document, Error, Position};
use talgen_testutil::upstream_or_skip;

#[test]
fn unknown_kind_is_named() {
    let err = load("apiVersion: v1alpha1\nkind: NoSuchConfig\n").unwrap_err();
    assert!(matches!(&err, Error::UnknownKind { kind, .. } if kind == "NoSuchConfig"));
    assert!(
        err.to_string()
            .contains("unknown document kind \"NoSuchConfig\""),
        "{err}"
    );
    let err = load("apiVersion: v1alpha2\nkind: KubeletConfig\n").unwrap_err();
    assert!(matches!(&err, Error::UnknownKind { api_version, .. } if api_version == "v1alpha2"));
}

#[test]
fn unknown_field_names_document_path_and_position() {
    let src = "apiVersion: v1alpha1\nkind: SysctlConfig\nparams:\n  a: b\n---\napiVersion: v1alpha1\nkind: ResolverConfig\nhostDNS:\n  enabled: true\n  bogus: 1\n";
    let err = load(src).unwrap_err();
    match &err {
        Error::UnknownField {
            document,
            field,
            path,
            position,
        } => {
            assert_eq!(document.index, 1);
            assert_eq!(document.kind, "ResolverConfig");
            assert_eq!(field, "bogus");
            assert_eq!(path, "hostDNS.bogus");
            assert_eq!(
                *position,
                Position {
                    line: 10,
                    column: 3
                }
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("document #1 v1alpha1/ResolverConfig/"),
        "{msg}"
    );
    assert!(msg.contains("line 10, column 3"), "{msg}");
}

#[test]
fn wrong_type_names_the_field() {
    let err = load("apiVersion: v1alpha1\nkind: KubePrismConfig\nport: [1]\n").unwrap_err();
    match &err {
        Error::InvalidValue {
            path,
            message,
            position,
            ..
        } => {
            assert_eq!(path, "port");
            assert!(message.contains("cannot unmarshal !!seq"), "{message}");
            assert_eq!(position.line, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn missing_kind_and_api_version() {
    let err = load("apiVersion: v1alpha2\ntest: true\n").unwrap_err();
    assert!(matches!(err, Error::MissingKind { .. }), "{err}");
    assert!(err.to_string().contains("v1alpha2/v1alpha1/"), "{err}");
    let err = load("kind: ExtensionServiceConfig\nname: x\n").unwrap_err();
    assert!(matches!(err, Error::MissingApiVersion { .. }), "{err}");
    assert!(err.to_string().ends_with("missing apiVersion"), "{err}");
}

#[test]
fn duplicates_are_rejected() {
    let doc = "apiVersion: v1alpha1\nkind: KubeAuthorizerConfig\nname: node\ntype: Node\n";
    let err = load(&format!("{doc}---\n{doc}")).unwrap_err();
    assert_eq!(
        err,
        Error::DuplicateDocument {
            api_version: "v1alpha1".into(),
            kind: "KubeAuthorizerConfig".into(),
            name: "node".into(),
            position: Position { line: 6, column: 1 },
        }
    );
    // Same kind, other names: fine.
    let other = doc.replace("name: node", "name: rbac");
    assert_eq!(
        load(&format!("{doc}---\n{other}"))
            .unwrap()
            .documents()
            .len(),
        2
    );
    // Unnamed kinds may appear once.
    let trim = "apiVersion: v1alpha1\nkind: FilesystemTrimConfig\ninterval: 1h0m0s\n";
    assert!(matches!(
        load(&format!("{trim}---\n{trim}")),
        Err(Error::DuplicateDocument { .. })
    ));
    // Two legacy documents.
    let legacy = "version: v1alpha1\nmachine: {}\n";
    assert!(matches!(
        load(&format!("{legacy}---\n{legacy}")),
        Err(Error::DuplicateDocument { .. })
    ));
}

#[test]
fn conflicting_link_documents_are_rejected() {
    let src = "apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\n---\napiVersion: v1alpha1\nkind: BondConfig\nname: eth0\n";
    let err = load(src).unwrap_err();
    assert_eq!(
        err.to_string(),
        "conflicting documents: LinkConfig/eth0 and BondConfig/eth0"
    );
}

#[test]
fn empty_documents_are_skipped_but_nothing_is_an_error() {
    assert_eq!(load(""), Err(Error::NoDocuments));
    assert_eq!(load("---\n---\n"), Err(Error::NoDocuments));
    let src = "---\napiVersion: v1alpha1\nkind: KubePrismConfig\nport: 7445\n---\n---\n";
    let docs = load_documents(src).unwrap();
    assert_eq!(docs.len(), 1);
    assert!(matches!(&docs[0], Document::KubePrismConfig(p) if p.port == 7445));
    assert!(matches!(
        load("just a scalar\n"),
        Err(Error::NotAMapping { .. })
    ));
    assert!(matches!(load("- a\n- b\n"), Err(Error::NotAMapping { .. })));
}

#[test]
fn syntax_errors_are_positioned() {
    let err = load("apiVersion: v1alpha1\nkind: mock\n\ttest: true\n").unwrap_err();
    assert!(
        matches!(err, Error::Syntax { position, .. } if position.line >= 2),
        "{err}"
    );
    assert!(err.to_string().contains("tab"), "{err}");
}

#[test]
fn upstream_loader_inputs_load() {
    let root = upstream_or_skip!();
    let dir = root.join("configloader");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    names.sort();
    assert!(names.len() >= 7);
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        // Upstream's TestConfigLoader requires every one of these to load.
        let container = load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        container.encode().unwrap();
    }
}

#[test]
fn fuzz_corpus_never_panics() {
    let root = upstream_or_skip!();
    let mut inputs = Vec::new();
    let mut dirs = vec![root.join("configloader/fuzz"), root.join("configloader")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                inputs.push(std::fs::read(&path).unwrap());
            }
        }
    }
    assert!(!inputs.is_empty());
    for data in &inputs {
        talgen_config::loader::internal::fuzz_load(data);
        // Truncations exercise the parser's error paths.
        for cut in (0..data.len()).step_by(97) {
            talgen_config::loader::internal::fuzz_load(&data[..cut]);
        }
    }
}

/// Every config of the upstream data, loaded from its text and from its
/// trees (`to_nodes` of the loaded container, and the parser's trees of the
/// text), gives the same documents: the tree path is the text path without
/// the text.
#[test]
fn loading_trees_agrees_with_loading_text() {
    let root = upstream_or_skip!();
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("stability"),
        root.join("configloader"),
        root.join("golden"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "test") {
                files.push(path);
            }
        }
    }
    let mut compared = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(container) = load(&text) else { continue };
        let encoded = container.encode().unwrap();
        let trees = container.to_nodes().unwrap();
        assert_eq!(
            talgen_yaml::emit_documents(&trees),
            encoded,
            "{}",
            path.display()
        );
        let from_trees =
            talgen_config::Container::new(talgen_config::load_nodes(trees).unwrap()).unwrap();
        assert_eq!(from_trees.encode().unwrap(), encoded, "{}", path.display());
        let parsed = talgen_yaml::from_str_documents(&text).unwrap();
        let from_parsed =
            talgen_config::Container::new(talgen_config::load_nodes(parsed).unwrap()).unwrap();
        assert_eq!(from_parsed.encode().unwrap(), encoded, "{}", path.display());
        compared += 1;
    }
    assert!(compared > 100, "{compared} configs compared");
}

/// `Container::new` finds every broken rule whatever the document order,
/// and names the documents in the order upstream's walk meets them.
#[test]
fn container_checks_name_the_first_culprit_in_either_order() {
    use talgen_config::Container;
    let doc = |kind: &str, name: &str, extra: &str| {
        format!("apiVersion: v1alpha1\nkind: {kind}\nname: {name}\n{extra}")
    };
    let build = |docs: &[String]| {
        let docs: Vec<Document> = docs
            .iter()
            .flat_map(|d| load_documents(d).unwrap())
            .collect();
        Container::new(docs).map(|c| c.documents().len())
    };
    let link = doc("LinkConfig", "eth0", "");
    let bond = doc(
        "BondConfig",
        "eth0",
        "links: [eth1]\nbondMode: active-backup\n",
    );
    let veth = doc("VethConfig", "veth0", "peer:\n  name: eth0\n");
    let other = doc("LinkConfig", "eth2", "");
    let authz = doc("KubeAuthorizerConfig", "node", "type: Node\n");
    assert_eq!(build(&[link.clone(), other.clone(), authz.clone()]), Ok(3));
    for (docs, want) in [
        (
            vec![link.clone(), bond.clone()],
            "conflicting documents: LinkConfig/eth0 and BondConfig/eth0",
        ),
        (
            vec![bond.clone(), other.clone(), link.clone()],
            "conflicting documents: BondConfig/eth0 and LinkConfig/eth0",
        ),
        (
            vec![authz.clone(), link.clone(), veth.clone()],
            "conflicting link configurations: LinkConfig/eth0 and VethConfig/veth0 both configure \"eth0\"",
        ),
        (
            vec![authz.clone(), other.clone(), authz.clone()],
            "duplicate document: KubeAuthorizerConfig/node",
        ),
    ] {
        assert_eq!(build(&docs).unwrap_err().to_string(), want);
    }
}
