//! A serde `Deserializer` over the parse tree, with go-yaml's decoding rules.
//!
//! Ports the typed half of go-yaml's `decoder` as Talos uses it (strict, known
//! fields only): any non-null scalar decodes into a string field as written;
//! null leaves a field at its zero value; YAML 1.1 `yes`/`no`/`on`/`off` are
//! still accepted for bool fields. Errors carry the path and position of the
//! offending node.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::{Kind, Node, Resolved};
use crate::error::Position;

/// A decoding failure, located once (innermost wins) and given a path as it
/// travels out of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeError {
    pub(crate) message: String,
    /// Key of an unknown field, when that is what went wrong.
    pub(crate) unknown_field: Option<String>,
    /// Path segments, innermost first.
    path: Vec<String>,
    pub(crate) position: Option<Position>,
}

impl DeError {
    fn at(message: String, node: &Node) -> Self {
        DeError {
            message,
            unknown_field: None,
            path: Vec::new(),
            position: Some(node.pos),
        }
    }

    /// The dotted path from the document root, e.g. `configuration.rules[0]`.
    pub(crate) fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.path.iter().rev() {
            if !seg.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }

    fn locate(mut self, node: &Node) -> Self {
        if self.position.is_none() {
            self.position = Some(node.pos);
        }
        self
    }

    fn within(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            unknown_field: None,
            path: Vec::new(),
            position: None,
        }
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DeError {
            message: format!("unknown field {field:?}"),
            unknown_field: Some(field.to_owned()),
            path: Vec::new(),
            position: None,
        }
    }
}

/// Deserializes one node.
#[derive(Clone, Copy)]
pub(crate) struct NodeDe<'a> {
    node: &'a Node,
    /// Top-level keys to pass over (a document's `apiVersion` and `kind`,
    /// which the typed structs hold as constants instead of fields).
    skip_keys: &'a [&'a str],
}

impl<'a> NodeDe<'a> {
    /// A deserializer for `node`.
    pub(crate) fn new(node: &'a Node) -> Self {
        NodeDe {
            node,
            skip_keys: &[],
        }
    }

    /// A deserializer for a document root whose `skip` keys are not fields.
    pub(crate) fn document(node: &'a Node, skip: &'a [&'a str]) -> Self {
        NodeDe {
            node,
            skip_keys: skip,
        }
    }

    fn mismatch(&self, want: &str) -> DeError {
        let shown = match self.node.scalar() {
            Some(v) => format!("{} `{}`", self.node.tag_name(), truncate(v)),
            None => self.node.tag_name().to_owned(),
        };
        DeError::at(format!("cannot unmarshal {shown} into {want}"), self.node)
    }

    fn int(&self) -> Result<Option<i128>, DeError> {
        match self.node.resolve() {
            Some(Resolved::Null) => Ok(None),
            Some(Resolved::Int(i)) => Ok(Some(i128::from(i))),
            Some(Resolved::Uint(u)) => Ok(Some(i128::from(u))),
            Some(Resolved::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(Some(f as i128)),
            _ => Err(self.mismatch("an integer")),
        }
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(37).collect();
        t.push_str("...");
        t
    } else {
        s.to_owned()
    }
}

macro_rules! int_method {
    ($method:ident, $ty:ty, $visit:ident, $name:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let value = self.int()?.unwrap_or(0);
            let value = <$ty>::try_from(value).map_err(|_| self.mismatch($name))?;
            visitor
                .$visit(value)
                .map_err(|e: DeError| e.locate(self.node))
        }
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            Kind::Seq(items) => visitor.visit_seq(SeqDe { items, index: 0 }),
            Kind::Map(entries) => visitor.visit_map(MapDe::new(entries, self.skip_keys)),
            Kind::Scalar { .. } => match self.node.resolve() {
                Some(Resolved::Null) | None => visitor.visit_unit(),
                Some(Resolved::Bool(b)) => visitor.visit_bool(b),
                Some(Resolved::Int(i)) => visitor.visit_i64(i),
                Some(Resolved::Uint(u)) => visitor.visit_u64(u),
                Some(Resolved::Float(f)) => visitor.visit_f64(f),
                Some(Resolved::Str(s)) => visitor.visit_str(s),
            },
        };
        r.map_err(|e: DeError| e.locate(self.node))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = match self.node.resolve() {
            Some(Resolved::Null) => false,
            Some(Resolved::Bool(b)) => b,
            // go-yaml keeps YAML 1.1 booleans for bool-typed targets.
            Some(Resolved::Str(s)) if self.node.tag_name() == "!!str" => match s {
                "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => true,
                "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => false,
                _ => return Err(self.mismatch("bool")),
            },
            _ => return Err(self.mismatch("bool")),
        };
        visitor
            .visit_bool(value)
            .map_err(|e: DeError| e.locate(self.node))
    }

    int_method!(deserialize_i8, i8, visit_i8, "int8");
    int_method!(deserialize_i16, i16, visit_i16, "int16");
    int_method!(deserialize_i32, i32, visit_i32, "int32");
    int_method!(deserialize_i64, i64, visit_i64, "int64");
    int_method!(deserialize_u8, u8, visit_u8, "uint8");
    int_method!(deserialize_u16, u16, visit_u16, "uint16");
    int_method!(deserialize_u32, u32, visit_u32, "uint32");
    int_method!(deserialize_u64, u64, visit_u64, "uint64");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = match self.node.resolve() {
            Some(Resolved::Null) => 0.0,
            Some(Resolved::Int(i)) => i as f64,
            Some(Resolved::Uint(u)) => u as f64,
            Some(Resolved::Float(f)) => f,
            _ => return Err(self.mismatch("float64")),
        };
        visitor
            .visit_f64(value)
            .map_err(|e: DeError| e.locate(self.node))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = match &self.node.kind {
            _ if self.node.is_null() => "",
            Kind::Scalar { value, .. } => value.as_str(),
            _ => return Err(self.mismatch("string")),
        };
        visitor
            .visit_str(value)
            .map_err(|e: DeError| e.locate(self.node))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.mismatch("null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            Kind::Seq(items) => visitor.visit_seq(SeqDe { items, index: 0 }),
            _ if self.node.is_null() => visitor.visit_seq(SeqDe {
                items: &[],
                index: 0,
            }),
            _ => return Err(self.mismatch("a sequence")),
        };
        r.map_err(|e: DeError| e.locate(self.node))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            Kind::Map(entries) => visitor.visit_map(MapDe::new(entries, self.skip_keys)),
            _ if self.node.is_null() => visitor.visit_map(MapDe::new(&[], &[])),
            _ => return Err(self.mismatch("a mapping")),
        };
        r.map_err(|e: DeError| e.locate(self.node))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.kind {
            Kind::Scalar { value, .. } => visitor
                .visit_enum(value.as_str().into_deserializer())
                .map_err(|e: DeError| e.locate(self.node)),
            _ => Err(self.mismatch("a string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqDe<'a> {
    items: &'a [Node],
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.get(self.index) else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(NodeDe::new(item))
            .map(Some)
            .map_err(|e| e.locate(item).within(format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len().saturating_sub(self.index))
    }
}

struct MapDe<'a> {
    entries: &'a [(Node, Node)],
    index: usize,
    skip_keys: &'a [&'a str],
}

impl<'a> MapDe<'a> {
    fn new(entries: &'a [(Node, Node)], skip_keys: &'a [&'a str]) -> Self {
        MapDe {
            entries,
            index: 0,
            skip_keys,
        }
    }
}

fn key_name(key: &Node) -> String {
    match key.scalar() {
        Some(s) => s.to_owned(),
        None => key.tag_name().to_owned(),
    }
}

impl<'de> de::MapAccess<'de> for MapDe<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        loop {
            let Some((key, _)) = self.entries.get(self.index) else {
                return Ok(None);
            };
            if key.scalar().is_some_and(|k| self.skip_keys.contains(&k)) {
                self.index += 1;
                continue;
            }
            return seed.deserialize(NodeDe::new(key)).map(Some).map_err(|e| {
                let e = DeError {
                    position: Some(key.pos),
                    ..e
                };
                e.within(key_name(key))
            });
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, value)) = self.entries.get(self.index) else {
            return Err(de::Error::custom(
                "value requested past the end of a mapping",
            ));
        };
        self.index += 1;
        seed.deserialize(NodeDe::new(value))
            .map_err(|e| e.locate(value).within(key_name(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len().saturating_sub(self.index))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;
    use crate::loader::node::parse_stream;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Inner {
        #[serde(default)]
        port: u16,
        #[serde(default)]
        names: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[serde(default)]
        name: String,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        inner: Vec<Inner>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
    }

    fn load(src: &str) -> Result<Outer, DeError> {
        let docs = parse_stream(src).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        Outer::deserialize(NodeDe::new(root))
    }

    #[test]
    fn decodes_scalars_into_strings_as_written() {
        let out = load("name: 0x10\nflag: yes\nlabels: {a: 1, b: ~}\n").unwrap();
        assert_eq!(out.name, "0x10");
        assert_eq!(out.flag, Some(true));
        assert_eq!(out.labels["a"], "1");
        assert_eq!(out.labels["b"], "");
    }

    #[test]
    fn unknown_field_is_located_with_its_path() {
        let err = load("name: x\ninner:\n  - port: 1\n  - port: 2\n    extra: 3\n").unwrap_err();
        assert_eq!(err.unknown_field.as_deref(), Some("extra"));
        assert_eq!(err.path(), "inner[1].extra");
        assert_eq!(err.position, Some(Position { line: 5, column: 5 }));
    }

    #[test]
    fn wrong_type_is_located_with_its_path() {
        let err = load("inner:\n  - port: 70000\n").unwrap_err();
        assert_eq!(err.path(), "inner[0].port");
        assert!(err.message.contains("uint16"), "{}", err.message);
        assert_eq!(
            err.position,
            Some(Position {
                line: 2,
                column: 11
            })
        );

        let err = load("name: [a]\n").unwrap_err();
        assert_eq!(err.message, "cannot unmarshal !!seq into string");
    }
}
