//! A serde `Deserializer` reading typed values out of a [`Node`]
//! (see [`from_node`]).

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::error::Error;
use crate::float::go_float;
use crate::node::Node;

/// Converts a [`Node`] into any `DeserializeOwned` type, e.g. a typed config
/// document after merging patches at the node level.
///
/// Like Go's decoder, a scalar read into a string field yields its text
/// (`42` → `"42"`, `true` → `"true"`); numbers are written back in Go's
/// form, so the original spelling of a plain number (`1.10`, `0x1F`) is not
/// recovered. `null` reads as `None`, unit, or the empty string.
pub fn from_node<T: DeserializeOwned>(node: Node) -> Result<T, Error> {
    T::deserialize(node)
}

impl IntoDeserializer<'_, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    Some(match node {
        Node::Null => String::new(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => u.to_string(),
        Node::Float(f) => go_float(*f),
        Node::String(s) | Node::Plain(s) => s.to_string(),
        Node::Sequence(_) | Node::Mapping(_) => return None,
    })
}

fn describe(node: &Node) -> de::Unexpected<'_> {
    match node {
        Node::Null => de::Unexpected::Unit,
        Node::Bool(b) => de::Unexpected::Bool(*b),
        Node::Int(i) => de::Unexpected::Signed(*i),
        Node::Uint(u) => de::Unexpected::Unsigned(*u),
        Node::Float(f) => de::Unexpected::Float(*f),
        Node::String(s) | Node::Plain(s) => de::Unexpected::Str(s),
        Node::Sequence(_) => de::Unexpected::Seq,
        Node::Mapping(_) => de::Unexpected::Map,
    }
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Int(i) => visitor.visit_i64(i),
            Node::Uint(u) => visitor.visit_u64(u),
            Node::Float(f) => visitor.visit_f64(f),
            Node::String(s) => visitor.visit_string(s.into_owned()),
            // Read like the same text parsed from a plain scalar.
            Node::Plain(s) => match crate::parse::plain_node(s.into_owned()) {
                Node::Plain(s) | Node::String(s) => visitor.visit_string(s.into_owned()),
                typed => typed.deserialize_any(visitor),
            },
            Node::Sequence(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Node::Mapping(pairs) => {
                let mut map = MapDeserializer::new(pairs.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match scalar_text(&self) {
            Some(text) => visitor.visit_string(text),
            None => Err(de::Error::invalid_type(describe(&self), &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            other => Err(de::Error::invalid_type(describe(&other), &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Mapping(pairs) if pairs.is_empty() => visitor.visit_unit(),
            other => Err(de::Error::invalid_type(describe(&other), &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::String(variant) => visitor.visit_enum(variant.into_deserializer()),
            Node::Mapping(mut pairs) if pairs.len() == 1 => {
                let (key, value) = pairs.pop().unwrap_or_default();
                visitor.visit_enum(EnumAccess { key, value })
            }
            other => Err(de::Error::invalid_type(describe(&other), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        seq tuple tuple_struct map struct identifier
    }
}

/// A `{variant: value}` mapping read as an enum.
struct EnumAccess {
    key: Node,
    value: Node,
}

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = Error;
    type Variant = VariantAccess;

    fn variant_seed<S: de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, VariantAccess), Error> {
        let variant = seed.deserialize(self.key)?;
        Ok((variant, VariantAccess(self.value)))
    }
}

/// The value part of a `{variant: value}` enum.
struct VariantAccess(Node);

impl<'de> de::VariantAccess<'de> for VariantAccess {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Node::Null => Ok(()),
            other => Err(de::Error::invalid_type(describe(&other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<S: de::DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self.0, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self.0, visitor)
    }
}
