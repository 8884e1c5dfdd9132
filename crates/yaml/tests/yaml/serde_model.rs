//! serde conversions (structs, maps, options, enums, `from_node`) and
//! parsing (Go typing of plain scalars, tags, aliases, errors).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use talgen_yaml::{from_node, from_str, from_str_documents, to_node, to_string, Error, Node};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Doc {
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    debug: Option<bool>,
    persist: Option<bool>,
    files: Vec<File>,
    labels: BTreeMap<String, String>,
    mode: Mode,
    id: Id,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct File {
    path: String,
    #[serde(rename = "permissions")]
    perms: u32,
    content: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Metal,
    Container,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Id(u64);

fn sample() -> Doc {
    Doc {
        version: "v1alpha1".into(),
        debug: None,
        persist: None,
        files: vec![File {
            path: "/etc/a".into(),
            perms: 420,
            content: "line1\nline2\n".into(),
        }],
        labels: [("z", "1"), ("a", "true")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        mode: Mode::Container,
        id: Id(7),
    }
}

const SAMPLE_YAML: &str = "version: v1alpha1\npersist: null\nfiles:\n    - path: /etc/a\n      permissions: 420\n      content: |\n        line1\n        line2\nlabels:\n    a: \"true\"\n    z: \"1\"\nmode: container\nid: 7\n";

#[test]
fn struct_fields_keep_order_and_options_follow_serde() {
    assert_eq!(to_string(&sample()).unwrap(), SAMPLE_YAML);
}

#[test]
fn from_node_reads_back_the_typed_value() {
    let node = from_str(SAMPLE_YAML).unwrap();
    let doc: Doc = from_node(node).unwrap();
    assert_eq!(doc, sample());
}

#[test]
fn from_node_reads_scalars_into_strings_like_go() {
    #[derive(Deserialize)]
    struct S {
        a: String,
        b: String,
        c: String,
    }
    let s: S = from_node(from_str("a: 42\nb: true\nc: 1.5\n").unwrap()).unwrap();
    assert_eq!(
        (s.a.as_str(), s.b.as_str(), s.c.as_str()),
        ("42", "true", "1.5")
    );
}

#[test]
fn from_node_reports_shape_errors() {
    let err = from_node::<Vec<String>>(from_str("a: b\n").unwrap()).unwrap_err();
    assert!(matches!(err, Error::Custom { .. }), "{err:?}");
}

#[test]
fn hash_maps_are_sorted_like_go_maps() {
    let map: HashMap<String, i32> = (0..20).map(|i| (format!("k{i}"), i)).collect();
    let text = to_string(&map).unwrap();
    let keys: Vec<&str> = text.lines().map(|l| l.split(':').next().unwrap()).collect();
    let want: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    assert_eq!(keys, want);
}

#[test]
fn node_mappings_keep_their_order_inside_models() {
    #[derive(Serialize)]
    struct Wrap {
        extra: Node,
    }
    let w = Wrap {
        extra: Node::mapping([("z", 1i64), ("a", 2i64)]),
    };
    assert_eq!(to_string(&w).unwrap(), "extra:\n    z: 1\n    a: 2\n");
}

#[test]
fn bytes_are_sequences_of_integers() {
    struct Bytes<'a>(&'a [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    assert_eq!(to_string(&Bytes(&[1, 255])).unwrap(), "- 1\n- 255\n");
}

#[test]
fn unit_struct_is_an_empty_mapping_and_unit_is_null() {
    #[derive(Serialize)]
    struct Empty;
    assert_eq!(to_string(&Empty).unwrap(), "{}\n");
    assert_eq!(to_string(&()).unwrap(), "null\n");
}

#[test]
fn enum_variants_with_data_are_single_entry_mappings() {
    #[derive(Serialize)]
    enum E {
        New(u8),
        Tuple(u8, u8),
        Struct { a: u8 },
    }
    assert_eq!(to_string(&E::New(1)).unwrap(), "New: 1\n");
    assert_eq!(
        to_string(&E::Tuple(1, 2)).unwrap(),
        "Tuple:\n    - 1\n    - 2\n"
    );
    assert_eq!(
        to_string(&E::Struct { a: 1 }).unwrap(),
        "Struct:\n    a: 1\n"
    );
}

#[test]
fn out_of_range_128_bit_integers_are_rejected() {
    assert!(matches!(
        to_node(&(1u128 << 64)),
        Err(Error::Unrepresentable { .. })
    ));
    assert_eq!(to_node(&(-1i128)).unwrap(), Node::Int(-1));
}

#[test]
fn plain_scalars_are_typed_like_go() {
    let node = from_str(
        "a: true\nb: 0x1F\nc: 1e3\nd: ~\ne: \"1\"\nf: yes\ng: 2024-01-31\nh: 08\ni: 18446744073709551615\nj: 0o17\nk: -0\nl: 1_000\nm: '~'\n",
    )
    .unwrap();
    let want = Node::mapping([
        ("a", Node::Bool(true)),
        ("b", Node::Int(31)),
        ("c", Node::Float(1000.0)),
        ("d", Node::Null),
        ("e", Node::string("1")),
        ("f", Node::string("yes")),
        ("g", Node::string("2024-01-31")),
        ("h", Node::Float(8.0)),
        ("i", Node::Uint(u64::MAX)),
        ("j", Node::Int(15)),
        ("k", Node::Float(-0.0)),
        ("l", Node::Int(1000)),
        ("m", Node::string("~")),
    ]);
    assert_eq!(node, want);
}

#[test]
fn explicit_core_tags_are_honoured() {
    let node = from_str("a: !!str 12\nb: !!float 3\nc: !custom 5\n").unwrap();
    assert_eq!(
        node,
        Node::mapping([
            ("a", Node::string("12")),
            ("b", Node::Float(3.0)),
            ("c", Node::string("5"))
        ])
    );
    let err = from_str("a: !!int abc\n").unwrap_err();
    assert!(matches!(err, Error::TagMismatch { line: 1, .. }), "{err:?}");
}

#[test]
fn aliases_are_expanded() {
    let node = from_str("a: &x\n    b: 1\nc: *x\n").unwrap();
    assert_eq!(node.get("c"), node.get("a"));
    assert_eq!(node.get("c").and_then(|c| c.get("b")), Some(&Node::Int(1)));
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(matches!(from_str(&text), Err(Error::Unsupported { .. })));
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = from_str("a: b\nc: [d\n").unwrap_err();
    match err {
        Error::Syntax { line, .. } => assert!(line >= 2, "line {line}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn documents_split_and_empty_input_is_null() {
    let docs = from_str_documents("a: 1\n---\nb: 2\n---\n").unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2], Node::Null);
    assert_eq!(from_str("").unwrap(), Node::Null);
    assert!(matches!(
        from_str("a: 1\n---\nb: 2\n"),
        Err(Error::DocumentCount { found: 2 })
    ));
}

#[test]
fn comments_are_dropped() {
    let node = from_str("# head\na: 1 # right\n# foot\n").unwrap();
    assert_eq!(node, Node::mapping([("a", 1i64)]));
}

#[test]
fn plain_scalar_node_writes_go_tagged_ints() {
    #[derive(Serialize)]
    struct F {
        #[serde(serialize_with = "mode")]
        permissions: u32,
    }
    fn mode<S: serde::Serializer>(m: &u32, s: S) -> Result<S::Ok, S::Error> {
        talgen_yaml::serialize_plain(&format!("0o{m:o}"), s)
    }
    assert_eq!(
        to_string(&F { permissions: 0o644 }).unwrap(),
        "permissions: 0o644\n"
    );
    let back: u32 = from_node(Node::Plain("0o644".into())).unwrap();
    assert_eq!(back, 0o644);
}

#[test]
fn node_deserializes_from_other_formats_in_order() {
    let node: Node = serde_saphyr::from_str("z: 1\na: [x]\n").unwrap();
    assert_eq!(
        node,
        Node::mapping([("z", Node::Int(1)), ("a", Node::sequence(["x"]))])
    );
}
