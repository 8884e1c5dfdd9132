//! Merge and JSON6902 corner cases found by re-reading upstream's code; each
//! test names the Go source its expectation was derived from.

fn apply(config: &str, patches: &[&str]) -> Result<String, String> {
    let patches = talgen_patch::parse_patches(patches).map_err(|e| e.to_string())?;
    talgen_patch::apply(config.as_bytes(), &patches)
        .map(|b| String::from_utf8(b).unwrap())
        .map_err(|e| e.to_string())
}

fn ok(config: &str, patch: &str) -> String {
    apply(config, &[patch]).unwrap_or_else(|e| panic!("{patch}: {e}"))
}

fn err(config: &str, patch: &str) -> String {
    match apply(config, &[patch]) {
        Ok(out) => panic!("{patch}: expected an error, got\n{out}"),
        Err(e) => e,
    }
}

const SELECTOR_CONFIG: &str = "\
version: v1alpha1
machine:
    type: worker
    network:
        interfaces:
            - deviceSelector:
                hardwareAddr: \"00:00:*\"
                driver: virtio
              dhcp: true
";

/// `NetworkDeviceList.mergeDevice` (v1alpha1_types.go) compares the
/// decoded selector structs with `==`: key order and explicit empty fields
/// do not matter.
#[test]
fn device_selector_matches_by_value_not_by_text() {
    for selector in [
        "{driver: virtio, hardwareAddr: \"00:00:*\"}",
        "{hardwareAddr: \"00:00:*\", driver: virtio, busPath: \"\"}",
    ] {
        let out = ok(
            SELECTOR_CONFIG,
            &format!("machine:\n  network:\n    interfaces:\n      - deviceSelector: {selector}\n        mtu: 9000\n"),
        );
        assert_eq!(
            out.matches("deviceSelector").count(),
            1,
            "{selector}\n{out}"
        );
        assert!(out.contains("mtu: 9000\n"), "{out}");
        assert!(out.contains("dhcp: true\n"), "{out}");
    }
    // A different selector (or one setting the `physical` pointer) appends.
    for selector in [
        "{driver: virtio}",
        "{driver: virtio, hardwareAddr: \"00:00:*\", physical: true}",
    ] {
        let out = ok(
            SELECTOR_CONFIG,
            &format!("machine:\n  network:\n    interfaces:\n      - deviceSelector: {selector}\n        mtu: 9000\n"),
        );
        assert_eq!(
            out.matches("deviceSelector").count(),
            2,
            "{selector}\n{out}"
        );
    }
}

/// `VlanList.mergeVlan` compares `VlanID` (uint16): an explicit `vlanId: 0`
/// is the same VLAN as one without an id.
#[test]
fn vlan_without_id_matches_explicit_zero() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n    network:\n        interfaces:\n            - interface: eth0\n              vlans:\n                - mtu: 1400\n";
    let out = ok(
        config,
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        vlans:\n          - vlanId: 0\n            dhcp: true\n",
    );
    assert_eq!(out.matches("mtu: 1400").count(), 1, "{out}");
    assert!(out.contains("dhcp: true"), "{out}");
    assert!(
        !out.contains("vlans:\n                - mtu: 1400\n                - "),
        "{out}"
    );
}

const IMAGE_RULES: &str = "\
apiVersion: v1alpha1
kind: ImageVerificationConfig
rules:
    - image: a/*
      skip: true
    - image: b/*
      deny: true
";

/// `ImageVerificationRules.Merge` (security/image_verification.go) keys the
/// rules by their `image` pattern, replaces a matching rule in place, and
/// indexes only the config's rules: two new rules with one pattern both
/// append.
#[test]
fn image_verification_rules_replace_by_pattern() {
    let config = format!("version: v1alpha1\nmachine:\n    type: worker\n---\n{IMAGE_RULES}");
    let out = ok(
        &config,
        "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules:\n  - image: b/*\n    skip: true\n  - image: c/*\n    deny: true\n  - image: c/*\n    skip: true\n",
    );
    let rules = out.split("rules:\n").nth(1).unwrap();
    assert_eq!(
        rules,
        "    - image: a/*\n      skip: true\n    - image: b/*\n      skip: true\n    - image: c/*\n      deny: true\n    - image: c/*\n      skip: true\n",
        "{out}"
    );
}

const SMALL: &str =
    "version: v1alpha1\nmachine:\n    type: worker\n    kubelet:\n        extraMounts: []\n";

/// `LoadPatch` re-marshals each field of a YAML-written operation through
/// `encoding/json`: `1.0` becomes the text `1` and compares equal to the
/// config's `1`, while the same JSON-written value keeps its text `1.0`
/// (evanphx/json-patch `lazyNode.equal` compares scalar texts).
#[test]
fn test_op_numbers_follow_how_the_patch_was_written() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n    network:\n        kubespan:\n            mtu: 1420\n";
    ok(
        config,
        "- op: test\n  path: /machine/network/kubespan/mtu\n  value: 1420.0\n",
    );
    let e = err(
        config,
        r#"[{"op":"test","path":"/machine/network/kubespan/mtu","value":1420.0}]"#,
    );
    assert!(
        e.contains("testing value /machine/network/kubespan/mtu failed: test failed"),
        "{e}"
    );
}

/// A JSON `null` value is a nil raw message (it matches a missing value); a
/// YAML-written `null` is the text `null`, which does not, but which
/// unmarshals into an empty object or array (patch.go `test`, `equal`).
#[test]
fn test_op_null_depends_on_the_patch_syntax() {
    ok(
        SMALL,
        r#"[{"op":"test","path":"/machine/nothing","value":null}]"#,
    );
    ok(SMALL, r#"[{"op":"test","path":"/machine/nothing"}]"#);
    let e = err(
        SMALL,
        "- op: test\n  path: /machine/nothing\n  value: null\n",
    );
    assert!(e.contains("testing value /machine/nothing failed"), "{e}");
    ok(
        SMALL,
        "- op: test\n  path: /machine/kubelet/extraMounts\n  value: null\n",
    );
    err(
        SMALL,
        r#"[{"op":"test","path":"/machine/kubelet/extraMounts","value":null}]"#,
    );
}

/// patch.go: `replace`, `move`, `copy` and `test` wrap `Operation.Path` /
/// `From` errors; `add` and `remove` replace them with `missing value`.
#[test]
fn missing_or_mistyped_paths_report_like_upstream() {
    for (patch, want) in [
        (
            r#"[{"op":"replace","value":1}]"#,
            "replace operation failed to decode path: operation missing path field: missing value",
        ),
        (
            r#"[{"op":"test","path":null}]"#,
            "test operation failed to decode path: operation missing path field: missing value",
        ),
        (
            r#"[{"op":"move","path":"/a"}]"#,
            "move operation failed to decode from: operation, missing from field: missing value",
        ),
        (
            r#"[{"op":"copy","from":5,"path":"/a"}]"#,
            "copy operation failed to decode from: json: cannot unmarshal number into Go value of type string",
        ),
        (
            r#"[{"op":"add","path":true,"value":1}]"#,
            "add operation failed to decode path: missing value",
        ),
        (r#"[{"op":null,"path":"/a"}]"#, "Unexpected kind: unknown"),
        ("- op: null\n  path: /a\n", "Unexpected kind: \n"),
        (
            r#"[{"op":"add","path":"/machine/kubelet/extraMounts/x","value":1}]"#,
            "error in add for path: '/machine/kubelet/extraMounts/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax",
        ),
        (
            r#"[{"op":"remove","path":"/machine/kubelet/extraMounts/99999999999999999999"}]"#,
            "strconv.Atoi: parsing \"99999999999999999999\": value out of range",
        ),
    ] {
        let e = err(SMALL, patch) + "\n";
        assert!(e.contains(want), "{patch}: {e}");
    }
}

/// `yaml.Unmarshal` decodes only the first document of a YAML JSON patch.
#[test]
fn yaml_json_patch_uses_its_first_document() {
    let out = ok(
        SMALL,
        "- op: add\n  path: /machine/env\n  value: {A: b}\n---\n- op: remove\n  path: /machine/type\n",
    );
    assert!(out.contains("env:\n    A: b\n"), "{out}");
    assert!(out.contains("type: worker\n"), "{out}");
}

/// merge.go skips a patch scalar equal to its Go type's zero value; for an
/// enum (`nethelpers.DefaultAction`, `accept` = 0) or a `time.Duration`
/// (`0s`) that zero is a non-empty text, yet the config keeps its value.
#[test]
fn zero_enum_and_duration_texts_do_not_override() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: NetworkDefaultActionConfig\ningress: block\n---\napiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: 2m0s\n";
    let out = ok(
        config,
        "apiVersion: v1alpha1\nkind: NetworkDefaultActionConfig\ningress: accept\n---\napiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: 0s\n",
    );
    assert!(out.contains("ingress: block\n"), "{out}");
    assert!(out.contains("bootTimeout: 2m0s\n"), "{out}");
    // Non-zero values do override.
    let accept = config.replace("ingress: block", "ingress: accept");
    let out = ok(
        &accept,
        "apiVersion: v1alpha1\nkind: NetworkDefaultActionConfig\ningress: block\n---\napiVersion: v1alpha1\nkind: TimeSyncConfig\nbootTimeout: 1m\n",
    );
    assert!(out.contains("ingress: block\n"), "{out}");
    assert!(out.contains("bootTimeout: 1m0s\n"), "{out}");
    // A v1alpha1 duration inside a pointer struct behaves the same.
    let v1 =
        "version: v1alpha1\nmachine:\n    type: worker\n    time:\n        bootTimeout: 2m0s\n";
    let out = ok(v1, "machine: {time: {bootTimeout: 0s}}");
    assert!(out.contains("bootTimeout: 2m0s\n"), "{out}");
}

/// evanphx/json-patch v5.9.11 (root package) array semantics: negative
/// indices count from the end (`SupportNegativeIndices`), `add` at the
/// length appends, `move` removes before it adds, `copy` deep-copies.
#[test]
fn array_operations_follow_the_library() {
    let config = "version: v1alpha1\nmachine:\n    type: worker\n    certSANs: [a, b, c]\n";
    let sans = |out: &str| -> String {
        out.split("certSANs:\n")
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|l| l.starts_with("  - "))
            .map(|l| l.trim_start_matches("  - "))
            .collect::<Vec<_>>()
            .join(",")
    };
    for (ops, want) in [
        (
            r#"[{"op":"add","path":"/machine/certSANs/3","value":"d"}]"#,
            "a,b,c,d",
        ),
        (
            r#"[{"op":"add","path":"/machine/certSANs/-1","value":"d"}]"#,
            "a,b,c,d",
        ),
        (
            r#"[{"op":"add","path":"/machine/certSANs/-4","value":"d"}]"#,
            "d,a,b,c",
        ),
        (
            r#"[{"op":"replace","path":"/machine/certSANs/-1","value":"z"}]"#,
            "a,b,z",
        ),
        (r#"[{"op":"remove","path":"/machine/certSANs/-3"}]"#, "b,c"),
        (
            r#"[{"op":"move","from":"/machine/certSANs/0","path":"/machine/certSANs/2"}]"#,
            "b,c,a",
        ),
        (
            r#"[{"op":"move","from":"/machine/certSANs/0","path":"/machine/certSANs/-"}]"#,
            "b,c,a",
        ),
        (
            r#"[{"op":"copy","from":"/machine/certSANs/2","path":"/machine/certSANs/0"}]"#,
            "c,a,b,c",
        ),
        (
            r#"[{"op":"test","path":"/machine/certSANs/-1","value":"c"},{"op":"remove","path":"/machine/certSANs/1"}]"#,
            "a,c",
        ),
    ] {
        assert_eq!(sans(&ok(config, ops)), want, "{ops}");
    }
    for (ops, want) in [
        (r#"[{"op":"add","path":"/machine/certSANs/5","value":"d"}]"#, "Unable to access invalid index: 5: invalid index referenced"),
        (r#"[{"op":"add","path":"/machine/certSANs/-5","value":"d"}]"#, "Unable to access invalid index: -5: invalid index referenced"),
        (r#"[{"op":"replace","path":"/machine/certSANs/3","value":"d"}]"#, "replace operation does not apply: doc is missing key: /machine/certSANs/3: missing value"),
        (r#"[{"op":"copy","from":"/machine/certSANs/3","path":"/machine/x"}]"#, "error in copy for from: '/machine/certSANs/3': Unable to access invalid index: 3: invalid index referenced"),
        (r#"[{"op":"test","path":"/machine/certSANs/0","value":"b"}]"#, "testing value /machine/certSANs/0 failed: test failed"),
    ] {
        let e = err(config, ops);
        assert!(e.contains(want), "{ops}: {e}");
    }
}

/// A YAML-written `path: null` re-marshals to the JSON text `null`, which
/// unmarshals into an empty string without error: the path is `""`.
#[test]
fn yaml_null_path_is_the_empty_path() {
    let e = err(SMALL, "- op: add\n  path: null\n  value: 1\n");
    assert!(
        e.contains("add operation does not apply: doc is missing path: \"\": missing value"),
        "{e}"
    );
}
