//! `Patch::sets`: which fields a patch gives a value, in either form.
#![allow(clippy::unwrap_used)]

use talgen_patch::parse_patch;

#[test]
fn strategic_and_json_patches_say_what_they_set() {
    let path = ["machine", "network", "hostname"];
    let strategic = parse_patch(b"machine:\n  network:\n    hostname: n1\n").unwrap();
    assert!(strategic.sets("v1alpha1", &path));
    assert!(!strategic.sets("HostnameConfig", &path));
    assert!(!strategic.sets("v1alpha1", &["machine", "network", "interfaces"]));
    let null = parse_patch(b"machine:\n  network:\n    hostname: null\n").unwrap();
    assert!(!null.sets("v1alpha1", &path));
    let other = parse_patch(b"apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: n1\n").unwrap();
    assert!(other.sets("HostnameConfig", &["hostname"]));
    assert!(!other.sets("v1alpha1", &path));
    let json =
        parse_patch(br#"[{"op": "add", "path": "/machine/network/hostname", "value": "n1"}]"#)
            .unwrap();
    assert!(json.sets("v1alpha1", &path));
    let removal =
        parse_patch(br#"[{"op": "remove", "path": "/machine/network/hostname"}]"#).unwrap();
    assert!(!removal.sets("v1alpha1", &path));
}
