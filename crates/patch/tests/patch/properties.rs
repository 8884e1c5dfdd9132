//! Properties of patch application.

use proptest::prelude::*;

const BASE: &str = "version: v1alpha1\nmachine:\n    type: worker\n    env:\n        A: a\n    network:\n        interfaces:\n            - interface: eth0\n              dhcp: true\n";

fn apply(config: &str, patch: &str) -> String {
    let p = talgen_patch::parse_patches(&[patch]).unwrap();
    String::from_utf8(talgen_patch::apply(config.as_bytes(), &p).unwrap()).unwrap()
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}"
}

proptest! {
    /// A patch that sets nothing leaves a (canonically encoded) config as is.
    #[test]
    fn empty_strategic_patch_is_identity(empty in prop::sample::select(vec![
        "machine: {}", "machine:\n  env: {}\n", "version: v1alpha1\nmachine:\n  network: {}\n",
    ])) {
        let canonical = talgen_config::load(BASE).unwrap().encode().unwrap();
        prop_assert_eq!(apply(&canonical, empty), canonical);
    }

    /// Maps and keyed lists merge idempotently.
    #[test]
    fn map_patch_is_idempotent(k in key(), v in key(), name in key(), mtu in 1u32..9000) {
        let patch = format!(
            "machine:\n  env:\n    {k}: {v}\n  network:\n    interfaces:\n      - interface: {name}\n        mtu: {mtu}\n"
        );
        let once = apply(BASE, &patch);
        let twice = apply(&once, &patch);
        prop_assert_eq!(once, twice);
    }

    /// A zero value in the patch never overrides (Go's merge skips it).
    #[test]
    fn zero_scalars_do_not_override(v in key()) {
        let set = apply(BASE, &format!("machine:\n  env:\n    A: {v}\n"));
        let zeroed = apply(&set, "machine:\n  env:\n    A: \"\"\n");
        prop_assert_eq!(set, zeroed);
    }

    /// JSON patch `test` succeeds exactly when the value is there.
    #[test]
    fn json_test_op(v in key()) {
        let config = format!("machine:\n  env:\n    A: {v}\n");
        let ok = format!(r#"[{{"op":"test","path":"/machine/env/A","value":"{v}"}}]"#);
        let p = talgen_patch::parse_patches(&[ok]).unwrap();
        prop_assert!(talgen_patch::apply(config.as_bytes(), &p).is_ok());
        let bad = format!(r#"[{{"op":"test","path":"/machine/env/A","value":"{v}x"}}]"#);
        let p = talgen_patch::parse_patches(&[bad]).unwrap();
        prop_assert!(talgen_patch::apply(config.as_bytes(), &p).is_err());
    }

    /// Whatever a JSON patch writes (folded, quoted or literal), the YAML
    /// reads back as the same string, under a short or a long key.
    #[test]
    fn json_patch_output_round_trips(
        value in "[ a-z0-9:#'\"\\\t\n%*-]{0,240}",
        long_key in any::<bool>(),
    ) {
        let escaped: String = value
            .chars()
            .map(|c| match c {
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                '\n' => "\\n".to_string(),
                '\t' => "\\t".to_string(),
                c => c.to_string(),
            })
            .collect();
        let key = if long_key { "k".repeat(130) } else { "k".to_string() };
        let out = apply(
            "{}",
            &format!(r#"[{{"op":"add","path":"/{key}","value":"{escaped}"}}]"#),
        );
        let doc = talgen_yaml::from_str(&out).unwrap();
        let talgen_yaml::Node::Mapping(pairs) = doc else {
            panic!("{out}")
        };
        prop_assert_eq!(pairs.len(), 1);
        prop_assert_eq!(&pairs[0].1, &talgen_yaml::Node::String(value.clone().into()), "{}", out);
    }

    /// Loading and applying arbitrary text never panics.
    #[test]
    fn arbitrary_input_never_panics(patch in ".{0,200}", config in ".{0,200}") {
        if let Ok(p) = talgen_patch::parse_patch(patch.as_bytes()) {
            let _ = talgen_patch::apply(config.as_bytes(), &[p]);
        }
    }
}

#[test]
fn zero_number_overrides_a_string_field() {
    let out = apply(
        "machine:\n  sysctls:\n    a: \"1\"\n",
        "machine:\n  sysctls:\n    a: 0\n",
    );
    assert!(out.contains("a: 0") || out.contains("a: \"0\""), "{out}");
}

/// Like Go, an empty struct in the patch creates the missing section:
/// `cluster: {}` turns `cluster: null` into `cluster: {}`.
#[test]
fn empty_section_in_patch_creates_it() {
    let canonical = talgen_config::load(BASE).unwrap().encode().unwrap();
    assert!(canonical.ends_with("cluster: null\n"));
    assert!(apply(&canonical, "cluster: {}").ends_with("cluster: {}\n"));
}

#[test]
fn appended_list_is_not_idempotent_like_upstream() {
    let once = apply(BASE, "machine:\n  certSANs: [a]\n");
    let twice = apply(&once, "machine:\n  certSANs: [a]\n");
    assert_eq!(twice.matches("- a").count(), 2);
}
