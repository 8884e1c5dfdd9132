//! `$patch: delete` of fields, keys and documents.

const BASE: &str =
    "version: v1alpha1\nmachine:\n    type: worker\n    network:\n        hostname: a\n";

fn apply(config: &str, patch: &str) -> Result<String, String> {
    let patches = talgen_patch::parse_patches(&[patch]).map_err(|e| e.to_string())?;
    talgen_patch::apply(config.as_bytes(), &patches)
        .map(|b| String::from_utf8(b).unwrap())
        .map_err(|e| e.to_string())
}

/// Deleting a real field that is unset succeeds and changes nothing.
#[test]
fn deleting_an_unset_real_field_is_a_no_op() {
    let before = apply(BASE, "machine: {}").unwrap();
    let after = apply(BASE, "machine:\n  kubelet:\n    $patch: delete\n").unwrap();
    assert_eq!(before, after);
    let after = apply(
        BASE,
        "machine:\n  network:\n    nameservers:\n      $patch: delete\n",
    )
    .unwrap();
    assert_eq!(before, after);
}

/// A name that is no field of the struct is a failed lookup, set or not.
#[test]
fn deleting_an_unknown_field_fails() {
    let err = apply(BASE, "machine:\n  notAField:\n    $patch: delete\n").unwrap_err();
    assert!(
        err.contains(
            "patch delete: path 'machine.notAField' in document '/v1alpha1': \
             failed to delete path 'machine.notAField': lookup failed"
        ),
        "{err}"
    );
    let err = apply(
        BASE,
        "machine:\n  network:\n    hostName:\n      $patch: delete\n",
    )
    .unwrap_err();
    assert!(err.ends_with("lookup failed"), "{err}");
}

/// The same holds in multi-document kinds.
#[test]
fn deleting_an_unknown_field_of_a_document_fails() {
    let config = format!("{BASE}---\napiVersion: v1alpha1\nkind: ResolverConfig\nnameservers:\n    - address: 1.1.1.1\n");
    let ok = apply(
        &config,
        "apiVersion: v1alpha1\nkind: ResolverConfig\nsearchDomains:\n  $patch: delete\n",
    );
    assert!(ok.is_ok(), "{ok:?}");
    let err = apply(
        &config,
        "apiVersion: v1alpha1\nkind: ResolverConfig\nsearchDomain:\n  $patch: delete\n",
    )
    .unwrap_err();
    assert!(err.ends_with("lookup failed"), "{err}");
}
