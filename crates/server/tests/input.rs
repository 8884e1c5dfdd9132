//! Properties of the admin API's input parsing: ids follow their grammar
//! exactly, and no body, however odd, makes the parsers panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use talgen_server::id::is_valid_id;
use talgen_server::model::{ClusterCreate, DeviceCreate};
use talgen_server::render;

fn grammar(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[ -~\n]{0,40}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("10.0.0.1/24"),
            Just("@x"),
            Just("machine: {}"),
            Just("[{\"op\":\"add\"}]")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("ip".to_owned()),
                    Just("gateway".to_owned()),
                    Just("dns".to_owned()),
                    Just("machine".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn ids_follow_their_grammar(s in "[a-z0-9A-Z_.-]{0,70}") {
        prop_assert_eq!(is_valid_id(&s), grammar(&s));
    }

    #[test]
    fn odd_bodies_are_errors_not_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = serde_json::from_slice::<ClusterCreate>(&bytes);
        let _ = serde_json::from_slice::<DeviceCreate>(&bytes);
    }

    #[test]
    fn networks_and_patches_parse_or_fail_cleanly(v in json_value(), list in prop::collection::vec(json_value(), 0..4)) {
        let _ = render::network(Some(&v));
        match render::patch_texts("patches", &list) {
            Ok(texts) => {
                prop_assert_eq!(texts.len(), list.len());
                for t in &texts {
                    prop_assert!(!t.trim_start().starts_with('@'));
                }
            }
            Err(e) => prop_assert!(e.status() == 400, "{e}"),
        }
    }
}
