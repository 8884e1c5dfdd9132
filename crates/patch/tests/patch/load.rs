//! Patch loading, as in upstream `configpatcher/load_test.go`.

use talgen_patch::{parse_patch, read_patch_args, Patch};

use crate::common::{args, configpatcher_dir, read};

#[test]
fn json_patch_in_json() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let Patch::Json(p) = parse_patch(read(&dir.join("patch.json")).as_bytes()).unwrap() else {
        panic!("expected a JSON patch")
    };
    assert_eq!(p.len(), 1);
}

#[test]
fn json_patch_in_yaml() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let Patch::Json(p) = parse_patch(read(&dir.join("patch.yaml")).as_bytes()).unwrap() else {
        panic!("expected a JSON patch")
    };
    assert_eq!(p.len(), 1);
}

#[test]
fn strategic_patch() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let Patch::Strategic(p) = parse_patch(read(&dir.join("strategic.yaml")).as_bytes()).unwrap()
    else {
        panic!("expected a strategic patch")
    };
    assert_eq!(p.len(), 1);
}

#[test]
fn consecutive_json_patches_are_joined() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let mut list = args(&dir, &["patch.json", "patch.yaml"]);
    list.push(r#"[{"op":"replace","path":"/some","value": []}]"#.to_string());
    let patches = read_patch_args(&list).unwrap();
    assert_eq!(patches.len(), 1);
    let Patch::Json(p) = &patches[0] else {
        panic!("expected a JSON patch")
    };
    assert_eq!(p.len(), 3);
}

#[test]
fn mixed_patches_keep_their_order() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let mut list = args(&dir, &["patch.json", "strategic.yaml", "patch.yaml"]);
    list.push(r#"[{"op":"replace","path":"/some","value": []}]"#.to_string());
    let patches = read_patch_args(&list).unwrap();
    assert_eq!(patches.len(), 3);
    assert!(matches!(patches[0], Patch::Json(_)));
    assert!(matches!(patches[1], Patch::Strategic(_)));
    assert!(matches!(&patches[2], Patch::Json(p) if p.len() == 2));
}

#[test]
fn bare_file_name_is_read() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let list = vec![
        dir.join("strategic.yaml").display().to_string(),
        r#"[{"op":"replace","path":"/some","value": []}]"#.to_string(),
    ];
    let patches = read_patch_args(&list).unwrap();
    assert_eq!(patches.len(), 2);
    assert!(matches!(patches[0], Patch::Strategic(_)));
}

#[test]
fn unreadable_file_names_the_file() {
    let err = read_patch_args(&["@/nonexistent/patch.yaml"]).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/patch.yaml"), "{err}");
}

#[test]
fn garbage_is_rejected_with_the_strategic_error() {
    let err = parse_patch(b"foo: [1").unwrap_err();
    assert!(!err.to_string().is_empty());
    let err = parse_patch(b"a: b\n").unwrap_err();
    assert_eq!(err.to_string(), "error decoding document 0: missing kind");
}

#[test]
fn delete_directive_in_a_list_item_needs_a_key() {
    let err = parse_patch(b"machine:\n  certSANs:\n    - $patch: delete\n").unwrap_err();
    assert!(err.to_string().contains("no key:val found"), "{err}");
}

#[test]
fn inner_key_delete_under_a_list_is_rejected() {
    let err = parse_patch(b"machine:\n  network:\n    interfaces:\n      - interface: eth0\n        vip:\n          $patch: delete\n")
        .unwrap_err();
    assert!(
        err.to_string().contains("cannot delete an inner key"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_rejected_like_the_strict_decoder() {
    let err = parse_patch(b"machine:\n  notAField: 1\n").unwrap_err();
    assert!(err.to_string().contains("notAField"), "{err}");
}

#[test]
fn empty_input_is_an_empty_json_patch() {
    // Upstream: no config document, not JSON, but YAML `null` decodes into an
    // empty operation list.
    assert!(matches!(parse_patch(b"").unwrap(), Patch::Json(p) if p.is_empty()));
}

/// A YAML-written JSON patch is decoded into Go maps and re-marshalled as
/// JSON: a nested mapping with a non-string key (`1:`, `true:`) becomes a
/// `map[interface{}]interface{}`, which `encoding/json` refuses.
#[test]
fn yaml_json_patch_value_with_non_string_keys_is_rejected() {
    for patch in [
        "- op: add\n  path: /b\n  value:\n    1: x\n",
        "- op: add\n  path: /b\n  value:\n    - {true: x}\n",
    ] {
        let e = parse_patch(patch.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("unsupported type"), "{patch}: {e}");
    }
    // A quoted key is a string.
    let p = parse_patch(b"- op: add\n  path: /b\n  value:\n    \"1\": x\n").unwrap();
    assert!(matches!(p, Patch::Json(_)));
}

/// The YAML decoder refuses a mapping that repeats a key, so such a text is
/// no JSON patch at all (the strategic error is reported).
#[test]
fn yaml_json_patch_with_a_repeated_key_is_rejected() {
    for patch in [
        "- op: add\n  path: /b\n  value:\n    c: x\n    c: y\n",
        "- op: add\n  path: /b\n  path: /c\n  value: 1\n",
    ] {
        assert!(parse_patch(patch.as_bytes()).is_err(), "{patch}");
    }
}

/// A server takes patches from requests: text that looks like a file name
/// is parsed as a patch (and rejected), never read, even when the file
/// exists and holds a valid patch.
#[test]
fn parsing_never_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("talgen-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("patch.yaml");
    std::fs::write(&file, "machine:\n  env:\n    A: b\n").unwrap();
    let path = file.display().to_string();
    // The same argument through the reading loader is the file's patch...
    let read = read_patch_args(&[path.as_str()]).unwrap();
    assert!(matches!(&read[..], [Patch::Strategic(p)] if p.len() == 1));
    // ...but parsing takes it as the text of a patch, which it is not.
    for text in [path.clone(), format!("@{path}"), "/etc/hostname".to_owned()] {
        let err = talgen_patch::parse_patches(&[text.as_str()]).unwrap_err();
        assert!(
            matches!(&err, talgen_patch::PatchError::Invalid { patch, .. } if patch == "(inline)"),
            "{text}: {err:?}"
        );
        assert!(
            talgen_patch::parse_patch(text.as_bytes()).is_err(),
            "{text}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn named_patches_carry_their_name_into_errors() {
    let p = talgen_patch::parse_patch_named(
        "fleet.yaml: clusters[0].patches[1]",
        b"machine:\n  env:\n    A: b\n",
    )
    .unwrap();
    assert_eq!(p.source(), "fleet.yaml: clusters[0].patches[1]");
    let err =
        talgen_patch::parse_patch_named("common.yaml", b"machine:\n  notAField: 1\n").unwrap_err();
    assert!(err.to_string().starts_with("patch common.yaml: "), "{err}");
}

#[test]
fn files_are_read_relative_to_a_base_directory() {
    let Some(dir) = configpatcher_dir() else {
        return;
    };
    let patches =
        talgen_patch::read_patch_args_in(&dir, &["@strategic.yaml", "patch.json"]).unwrap();
    assert_eq!(patches.len(), 2);
    assert_eq!(patches[0].source(), "@strategic.yaml");
    let err = talgen_patch::read_patch_args_in(&dir, &["@missing.yaml"]).unwrap_err();
    assert_eq!(
        err,
        talgen_patch::PatchError::ReadFile {
            path: "missing.yaml".into(),
            message: err_message(&err),
        }
    );
}

fn err_message(err: &talgen_patch::PatchError) -> String {
    match err {
        talgen_patch::PatchError::ReadFile { message, .. } => message.clone(),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn patch_file_name_follows_talosctl() {
    use talgen_patch::patch_file_name;
    assert_eq!(patch_file_name("@a b.yaml"), Some("a b.yaml"));
    assert_eq!(patch_file_name("p.yaml"), Some("p.yaml"));
    assert_eq!(patch_file_name("machine: {}"), None);
    assert_eq!(patch_file_name("[]"), None);
    assert_eq!(patch_file_name("{}"), None);
    assert_eq!(patch_file_name("a\nb"), None);
}
