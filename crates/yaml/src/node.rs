//! The YAML tree: Go values as `yaml.Marshal` sees them, with mapping order kept.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Name of the newtype wrapper under which [`Node`] serializes an ordered
/// mapping, so that [`crate::to_node`] keeps its order instead of sorting it
/// like a Go map. Other serializers see a transparent newtype.
pub(crate) const ORDERED_MAPPING: &str = "$talgen_yaml::OrderedMapping";

/// Name of the newtype wrapper under which a [`Node::Plain`] scalar travels
/// through serde (other serializers see a transparent string).
pub(crate) const PLAIN_SCALAR: &str = "$talgen_yaml::Plain";

/// A YAML value with Go typing: each scalar remembers the Go kind it stands
/// for, which decides how the emitter writes it.
///
/// Mappings keep their entries in the order given; the emitter never sorts.
/// ([`crate::to_node`] sorts serde *maps* the way Go sorts map keys and keeps
/// serde *structs* in field order, like Go.)
#[derive(Debug, Clone, Default)]
pub enum Node {
    /// Go `nil`: written as `null`.
    #[default]
    Null,
    /// A Go `bool`.
    Bool(bool),
    /// A Go signed integer.
    Int(i64),
    /// A Go unsigned integer (parsing yields this only above `i64::MAX`).
    Uint(u64),
    /// A Go `float64`, written like Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
    Float(f64),
    /// A Go `string`; the emitter picks plain, quoted or literal style.
    ///
    /// Borrowed for text known at compile time (struct field names, which
    /// are most mapping keys), so building a tree does not copy them.
    String(Cow<'static, str>),
    /// A scalar whose text already reads back as the intended type, like
    /// the `yaml.Node{Tag: "!!int", Value: "0o644"}` Talos's `FileMode`
    /// marshals to: written plain unless the text cannot be plain. Typed
    /// models produce it with [`crate::serialize_plain`].
    Plain(Cow<'static, str>),
    /// A sequence (Go slice or array).
    Sequence(Vec<Node>),
    /// A mapping as ordered key/value pairs (Go struct or map).
    Mapping(Vec<(Node, Node)>),
}

impl Node {
    /// A string scalar.
    pub fn string(s: impl Into<String>) -> Node {
        Node::String(Cow::Owned(s.into()))
    }

    /// A mapping from pairs, in the order given.
    pub fn mapping<K: Into<Node>, V: Into<Node>>(pairs: impl IntoIterator<Item = (K, V)>) -> Node {
        Node::Mapping(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// A sequence from items, in the order given.
    pub fn sequence<T: Into<Node>>(items: impl IntoIterator<Item = T>) -> Node {
        Node::Sequence(items.into_iter().map(Into::into).collect())
    }

    /// True for [`Node::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    /// The text of a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence.
    pub fn as_sequence(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The items of a sequence, mutably.
    pub fn as_sequence_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The pairs of a mapping.
    pub fn as_mapping(&self) -> Option<&Vec<(Node, Node)>> {
        match self {
            Node::Mapping(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// The pairs of a mapping, mutably.
    pub fn as_mapping_mut(&mut self) -> Option<&mut Vec<(Node, Node)>> {
        match self {
            Node::Mapping(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// The value under string key `key` of a mapping (first match).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_mapping()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The value under string key `key` of a mapping, mutably (first match).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_mapping_mut()?
            .iter_mut()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

/// Structural equality; an [`Node::Int`] and a [`Node::Uint`] holding the
/// same number are equal (they print the same).
impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Null, Node::Null) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Int(a), Node::Int(b)) => a == b,
            (Node::Uint(a), Node::Uint(b)) => a == b,
            (Node::Int(i), Node::Uint(u)) | (Node::Uint(u), Node::Int(i)) => {
                u64::try_from(*i).is_ok_and(|i| i == *u)
            }
            (Node::Float(a), Node::Float(b)) => a == b,
            (Node::String(a), Node::String(b)) | (Node::Plain(a), Node::Plain(b)) => a == b,
            (Node::Sequence(a), Node::Sequence(b)) => a == b,
            (Node::Mapping(a), Node::Mapping(b)) => a == b,
            _ => false,
        }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Node {
        Node::String(Cow::Owned(s.to_owned()))
    }
}

impl From<String> for Node {
    fn from(s: String) -> Node {
        Node::String(Cow::Owned(s))
    }
}

impl From<bool> for Node {
    fn from(b: bool) -> Node {
        Node::Bool(b)
    }
}

impl From<i64> for Node {
    fn from(i: i64) -> Node {
        Node::Int(i)
    }
}

impl From<u64> for Node {
    fn from(u: u64) -> Node {
        Node::Uint(u)
    }
}

impl From<f64> for Node {
    fn from(f: f64) -> Node {
        Node::Float(f)
    }
}

impl From<Vec<Node>> for Node {
    fn from(items: Vec<Node>) -> Node {
        Node::Sequence(items)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Int(i) => serializer.serialize_i64(*i),
            Node::Uint(u) => serializer.serialize_u64(*u),
            Node::Float(f) => serializer.serialize_f64(*f),
            Node::String(s) => serializer.serialize_str(s),
            Node::Plain(s) => crate::ser::serialize_plain(s, serializer),
            Node::Sequence(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Mapping(pairs) => {
                serializer.serialize_newtype_struct(ORDERED_MAPPING, &OrderedPairs(pairs))
            }
        }
    }
}

/// The pairs of a mapping, serialized as a serde map.
struct OrderedPairs<'a>(&'a [(Node, Node)]);

impl Serialize for OrderedPairs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Builds a [`Node`] from any self-describing serde format. Order of maps is
/// kept. Scalar kinds are whatever the format reports: for YAML text prefer
/// [`crate::from_str`], which resolves plain scalars exactly like Go.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any yaml value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        // Go decodes integers into `int` when they fit.
        Ok(i64::try_from(v).map_or(Node::Uint(v), Node::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some((k, v)) = map.next_entry()? {
            pairs.push((k, v));
        }
        Ok(Node::Mapping(pairs))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Sequence(
            v.iter().map(|b| Node::Int(i64::from(*b))).collect(),
        ))
    }
}
