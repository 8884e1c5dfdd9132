//! Strategic patches on multi-document configs (the v1.14+ layout, where
//! most settings live in their own documents): identity by kind and name,
//! appended and deleted documents, and the merge rules of those kinds.

const CONFIG: &str = "\
version: v1alpha1
machine:
    type: worker
---
apiVersion: v1alpha1
kind: ResolverConfig
hostDNS:
    enabled: true
---
apiVersion: v1alpha1
kind: RegistryMirrorConfig
name: ghcr.io
endpoints:
    - url: https://a.example.com
---
apiVersion: v1alpha1
kind: RegistryMirrorConfig
name: docker.io
endpoints:
    - url: https://b.example.com
---
apiVersion: v1alpha1
kind: KubeletConfig
image: ghcr.io/siderolabs/kubelet:v1.28.0
clusterDNS:
    - 3.3.3.3
";

fn apply(config: &str, patch: &str) -> String {
    let patches = talgen_patch::parse_patches(&[patch]).unwrap();
    String::from_utf8(talgen_patch::apply(config.as_bytes(), &patches).unwrap()).unwrap()
}

/// The text of the document of `kind` (and `name`) in an encoded config.
fn doc<'a>(out: &'a str, kind: &str, name: Option<&str>) -> &'a str {
    out.split("---\n")
        .find(|d| {
            d.contains(&format!("kind: {kind}\n"))
                && name.is_none_or(|n| d.contains(&format!("name: {n}\n")))
        })
        .unwrap_or_else(|| panic!("no {kind} {name:?} in\n{out}"))
}

fn kinds(out: &str) -> Vec<String> {
    out.split("---\n")
        .map(|d| {
            let kind = d
                .lines()
                .find_map(|l| l.strip_prefix("kind: "))
                .unwrap_or("v1alpha1");
            match d.lines().find_map(|l| l.strip_prefix("name: ")) {
                Some(n) => format!("{kind}/{n}"),
                None => kind.to_string(),
            }
        })
        .collect()
}

#[test]
fn unnamed_kind_merges_into_its_document() {
    let out = apply(
        CONFIG,
        "apiVersion: v1alpha1\nkind: KubeletConfig\nclusterDNS: [4.4.4.4]\nextraArgs:\n  a: b\n",
    );
    let kubelet = doc(&out, "KubeletConfig", None);
    assert!(
        kubelet.contains("    - 3.3.3.3\n    - 4.4.4.4\n"),
        "{kubelet}"
    );
    assert!(kubelet.contains("extraArgs:\n    a: b\n"), "{kubelet}");
    assert_eq!(kinds(&out), kinds(CONFIG));
}

#[test]
fn named_kind_merges_by_name_and_new_names_append() {
    let out = apply(
        CONFIG,
        "apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: https://c.example.com\n---\napiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: quay.io\nendpoints:\n  - url: https://d.example.com\n",
    );
    let docker = doc(&out, "RegistryMirrorConfig", Some("docker.io"));
    assert!(docker.contains("b.example.com"), "{docker}");
    assert!(docker.contains("c.example.com"), "{docker}");
    let ghcr = doc(&out, "RegistryMirrorConfig", Some("ghcr.io"));
    assert!(!ghcr.contains("c.example.com"), "{ghcr}");
    assert_eq!(
        kinds(&out),
        [
            "v1alpha1",
            "ResolverConfig",
            "RegistryMirrorConfig/ghcr.io",
            "RegistryMirrorConfig/docker.io",
            "KubeletConfig",
            "RegistryMirrorConfig/quay.io",
        ]
    );
}

#[test]
fn whole_documents_are_deleted_by_kind_and_name() {
    let out = apply(
        CONFIG,
        "apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: ghcr.io\n$patch: delete\n---\napiVersion: v1alpha1\nkind: ResolverConfig\n$patch: delete\n",
    );
    assert_eq!(
        kinds(&out),
        [
            "v1alpha1",
            "RegistryMirrorConfig/docker.io",
            "KubeletConfig"
        ]
    );
    // Deleting a document that is not there changes nothing.
    let out2 = apply(
        &out,
        "apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: nope.io\n$patch: delete\n",
    );
    assert_eq!(out, out2);
}

/// A legacy `machine.kubelet` patch still lands in the v1alpha1 document.
#[test]
fn legacy_sections_patch_the_v1alpha1_document() {
    let out = apply(CONFIG, "machine:\n  kubelet:\n    extraArgs:\n      a: b\n");
    let v1 = out.split("---\n").next().unwrap();
    assert!(
        v1.contains("kubelet:\n        extraArgs:\n            a: b\n"),
        "{v1}"
    );
    assert_eq!(kinds(&out), kinds(CONFIG));
}

/// `block.Size`: a percentage patched over a byte size is lost (both
/// pointers are set, bytes are encoded); the other way round replaces.
#[test]
fn max_size_merges_like_the_two_pointer_struct() {
    let vol = |size: &str| {
        format!(
            "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n    maxSize: {size}\n"
        )
    };
    let patch = |size: &str| {
        format!("apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n  maxSize: {size}\n")
    };
    let out = apply(&vol("10GiB"), &patch("50%"));
    assert!(out.contains("maxSize: 10GiB"), "{out}");
    let out = apply(&vol("50%"), &patch("10GiB"));
    assert!(out.contains("maxSize: 10GiB"), "{out}");
    let out = apply(&vol("50%"), &patch("60%"));
    assert!(out.contains("maxSize: 60%"), "{out}");
}

/// `block.ByteSize` merges unconditionally, also in raw and swap volumes:
/// a patch without `minSize` clears it.
#[test]
fn min_size_is_always_replaced_in_every_volume_kind() {
    for kind in ["RawVolumeConfig", "SwapVolumeConfig"] {
        let config = format!(
            "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: {kind}\nname: v1\nprovisioning:\n    diskSelector:\n        match: 'true'\n    minSize: 1GiB\n    maxSize: 2GiB\n"
        );
        let out = apply(
            &config,
            &format!(
                "apiVersion: v1alpha1\nkind: {kind}\nname: v1\nprovisioning:\n  maxSize: 3GiB\n"
            ),
        );
        assert!(!out.contains("minSize"), "{kind}: {out}");
        assert!(out.contains("maxSize: 3GiB"), "{kind}: {out}");
    }
}

/// `meta.Unstructured` payloads of k8s documents refuse to merge values of
/// different types, like the v1alpha1 `extraConfig`.
#[test]
fn unstructured_payloads_of_documents_check_types() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: KubeletConfig\nimage: ghcr.io/siderolabs/kubelet:v1.28.0\nconfig:\n    a: 1\n";
    let patches = talgen_patch::parse_patches(&[
        "apiVersion: v1alpha1\nkind: KubeletConfig\nconfig:\n  a: x\n",
    ])
    .unwrap();
    let err = talgen_patch::apply(config.as_bytes(), &patches).unwrap_err();
    assert!(err.to_string().contains("type mismatch"), "{err}");
    let out = apply(
        config,
        "apiVersion: v1alpha1\nkind: KubeletConfig\nconfig:\n  a: 2\n  b: yy\n",
    );
    assert!(out.contains("config:\n    a: 2\n    b: yy\n"), "{out}");
}

/// Deleting a key that a Go map of a document does not hold fails, while
/// an unset struct field deletes silently.
#[test]
fn deleting_a_missing_map_key_of_a_document_fails() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: SysctlConfig\nparams:\n    a.b: \"1\"\n";
    let patches = talgen_patch::parse_patches(&[
        "apiVersion: v1alpha1\nkind: SysctlConfig\nparams:\n  c.d:\n    $patch: delete\n",
    ])
    .unwrap();
    let err = talgen_patch::apply(config.as_bytes(), &patches).unwrap_err();
    assert!(err.to_string().ends_with("lookup failed"), "{err}");
    let out = apply(
        config,
        "apiVersion: v1alpha1\nkind: SysctlConfig\nparams:\n  a.b:\n    $patch: delete\n",
    );
    assert!(!out.contains("a.b"), "{out}");
}
