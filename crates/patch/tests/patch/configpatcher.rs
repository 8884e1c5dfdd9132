//! The cases of upstream `configpatcher/apply_test.go`, driven the same way.

use talgen_patch::PatchError;
use talgen_testutil::Tally;

use crate::common::{args, configpatcher_dir, read};

/// `(case, config, patches, expected)` for the successful cases.
const CASES: &[(&str, &str, &[&str], &str)] = &[
    (
        "apply",
        "apply/config.yaml",
        &[
            "apply/strategic1.yaml",
            "apply/jsonpatch1.yaml",
            "apply/jsonpatch2.yaml",
            "apply/strategic2.yaml",
            "apply/strategic3.yaml",
        ],
        "apply/expected.yaml",
    ),
    (
        "multidoc",
        "multidoc/config.yaml",
        &[
            "multidoc/strategic1.yaml",
            "multidoc/strategic2.yaml",
            "multidoc/strategic3.yaml",
        ],
        "multidoc/expected.yaml",
    ),
    (
        "auditpolicy",
        "auditpolicy/config.yaml",
        &["auditpolicy/patch1.yaml"],
        "auditpolicy/expected.yaml",
    ),
    (
        "manifest-newline",
        "apply/config.yaml",
        &["apply/strategic4.yaml"],
        "apply/expected_manifests.yaml",
    ),
    (
        "patchdelete",
        "patchdelete/config.yaml",
        &["patchdelete/strategic1.yaml"],
        "patchdelete/expected.yaml",
    ),
    (
        "patchdelete-controlplane",
        "patchdelete/controlplane_orig.yaml",
        &[
            "patchdelete/strategic2.yaml",
            "patchdelete/strategic3.yaml",
            "patchdelete/strategic4.yaml",
        ],
        "patchdelete/controlplane_expected.yaml",
    ),
    (
        "patchlink",
        "patchlink/base.yaml",
        &["patchlink/patch.yaml"],
        "patchlink/expected.yaml",
    ),
    (
        "patchmixed",
        "patchmixed/base.yaml",
        &["patchmixed/patch.yaml"],
        "patchmixed/expected.yaml",
    ),
];

#[test]
fn corpus_cases_match_expected() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let mut tally = Tally::new();
    for (name, config, patches, expected) in CASES {
        let patches = talgen_patch::read_patch_args(&args(&dir, patches)).unwrap();
        let got = talgen_patch::apply(read(&dir.join(config)).as_bytes(), &patches)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = String::from_utf8(got).unwrap();
        tally.compare(name, &read(&dir.join(expected)), &got);
    }
    tally.finish("configpatcher corpus");
}

#[test]
fn json_patch_on_multidoc_config_fails() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let patches = talgen_patch::read_patch_args(&args(
        &dir,
        &["multidoc/jsonpatch.yaml", "multidoc/strategic1.yaml"],
    ))
    .unwrap();
    let err = talgen_patch::apply(read(&dir.join("multidoc/config.yaml")).as_bytes(), &patches)
        .unwrap_err();
    let PatchError::Apply { patch, source } = err else {
        panic!("{err}")
    };
    assert!(patch.ends_with("multidoc/jsonpatch.yaml"), "{patch}");
    assert_eq!(*source, PatchError::JsonPatchMultiDoc);
    assert_eq!(
        source.to_string(),
        "JSON6902 patches are not supported for multi-document machine configuration"
    );
}

#[test]
fn deleting_a_missing_field_fails_with_upstream_message() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let patches =
        talgen_patch::read_patch_args(&args(&dir, &["patchdeletemissing/strategic1.yaml"]))
            .unwrap();
    let err = talgen_patch::apply(
        read(&dir.join("patchdeletemissing/config.yaml")).as_bytes(),
        &patches,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "patch delete: path 'machine.network.hostname' in document '/v1alpha1': \
             failed to delete path 'machine.network.hostname': lookup failed"
        ),
        "{err}"
    );
}

#[test]
fn patching_an_empty_config_adds_documents() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let patches =
        talgen_patch::read_patch_args(&args(&dir, &["multidoc/strategic2.yaml"])).unwrap();
    // upstream starts from an empty container; an empty config has no bytes.
    let out = talgen_patch::apply_to_documents(Vec::new(), &patches).unwrap();
    assert_eq!(out.len(), 2);
}

/// Upstream `TestJSON6902`: a JSON patch on bytes writes yaml.v2-style YAML
/// (2-space indent), not the typed encoding.
#[test]
fn json6902_output_is_yaml_v2() {
    let patches = talgen_patch::parse_patches(&[
        r#"[{"op": "add", "path": "/machine/kubelet/extraArgs", "value": {"cloud-provider": "external"}}]"#,
    ])
    .unwrap();
    let out = talgen_patch::apply(b"machine:\n  kubelet: {}\n", &patches).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "machine:\n  kubelet:\n    extraArgs:\n      cloud-provider: external\n"
    );
}
