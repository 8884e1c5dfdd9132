//! A serde `Serializer` that builds a [`Node`] with Go's `yaml.Marshal`
//! semantics (see [`to_node`]).

use std::borrow::Cow;

use serde::ser::{self, Serialize};

use crate::error::Error;
use crate::float::widen_f32;
use crate::node::{Node, ORDERED_MAPPING, PLAIN_SCALAR};
use crate::sort::sort_pairs;

/// Converts any `Serialize` value into a [`Node`] the way go-yaml represents
/// the corresponding Go value.
///
/// - serde structs become mappings in field order (Go struct fields);
/// - serde maps become mappings sorted in Go's map-key order;
/// - `None` and `()` become `null`; unit structs become `{}` (Go `struct{}`);
/// - newtype structs are transparent; unit enum variants become their name;
///   other variants become a one-entry mapping `{variant: value}`;
/// - byte slices become sequences of integers, as Go writes a `[]byte`;
/// - `f32` values keep their 32-bit shortest digits (Go formats `float32`
///   with precision 32).
///
/// Skipping empty fields (Go's `omitempty`) is the model's job, with
/// `#[serde(skip_serializing_if = ...)]`.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    value.serialize(NodeSerializer)
}

/// Serializes `text` as a scalar written plain, for serde models of Go
/// types whose `MarshalYAML` returns a tagged `yaml.Node` (e.g. Talos's
/// `FileMode` writing `0o644` as `!!int`). Use it from a `Serialize` impl or
/// with `#[serde(serialize_with = ...)]` on a `String` field. Serializers
/// other than this crate's see a plain string.
pub fn serialize_plain<S: ser::Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(PLAIN_SCALAR, text)
}

/// The serializer behind [`to_node`].
struct NodeSerializer;

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = StructBuilder;
    type SerializeStructVariant = VariantBuilder<StructBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Node, Error> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, Error> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, Error> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, Error> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, Error> {
        Ok(Node::Int(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, Error> {
        i64::try_from(v)
            .map(Node::Int)
            .or_else(|_| u64::try_from(v).map(Node::Uint))
            .map_err(|_| Error::Unrepresentable {
                what: format!("integer {v} (outside 64 bits)"),
            })
    }
    fn serialize_u8(self, v: u8) -> Result<Node, Error> {
        Ok(Node::Uint(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, Error> {
        Ok(Node::Uint(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, Error> {
        Ok(Node::Uint(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, Error> {
        Ok(Node::Uint(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, Error> {
        u64::try_from(v)
            .map(Node::Uint)
            .map_err(|_| Error::Unrepresentable {
                what: format!("integer {v} (outside 64 bits)"),
            })
    }
    fn serialize_f32(self, v: f32) -> Result<Node, Error> {
        Ok(Node::Float(widen_f32(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Error> {
        Ok(Node::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Node, Error> {
        Ok(Node::String(Cow::Owned(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<Node, Error> {
        Ok(Node::String(Cow::Owned(v.to_owned())))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Error> {
        Ok(Node::Sequence(
            v.iter().map(|b| Node::Uint(u64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Error> {
        Ok(Node::Mapping(Vec::new()))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        Ok(Node::String(Cow::Borrowed(variant)))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        if name == ORDERED_MAPPING {
            // A `Node::Mapping` being re-serialized: keep its order.
            return value.serialize(OrderedMapSerializer);
        }
        if name == PLAIN_SCALAR {
            return match value.serialize(self)? {
                Node::String(text) => Ok(Node::Plain(text)),
                other => Ok(other),
            };
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        Ok(Node::Mapping(vec![(
            Node::String(Cow::Borrowed(variant)),
            to_node(value)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0).min(4096))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            pairs: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
            sorted: true,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<StructBuilder, Error> {
        Ok(StructBuilder(Vec::with_capacity(len)))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Ok(VariantBuilder {
            variant,
            inner: StructBuilder(Vec::with_capacity(len)),
        })
    }
}

/// Collects sequence items.
pub(crate) struct SeqBuilder(Vec<Node>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(to_node(value)?);
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Sequence(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, Error> {
        ser::SerializeSeq::end(self)
    }
}

/// Collects map entries; sorts them in Go's key order at the end unless the
/// map is a re-serialized ordered [`Node::Mapping`].
pub(crate) struct MapBuilder {
    pairs: Vec<(Node, Node)>,
    key: Option<Node>,
    sorted: bool,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(to_node(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| Error::Custom {
            message: "map value serialized before its key".to_owned(),
        })?;
        self.pairs.push((key, to_node(value)?));
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Mapping(if self.sorted {
            sort_pairs(self.pairs)
        } else {
            self.pairs
        }))
    }
}

/// Collects struct fields in declaration order.
pub(crate) struct StructBuilder(Vec<(Node, Node)>);

impl ser::SerializeStruct for StructBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        // Field names are static: the key borrows the name, no copy.
        self.0
            .push((Node::String(Cow::Borrowed(key)), to_node(value)?));
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Mapping(self.0))
    }
}

/// Wraps a tuple or struct variant as `{variant: ...}`.
pub(crate) struct VariantBuilder<T> {
    variant: &'static str,
    inner: T,
}

impl VariantBuilder<SeqBuilder> {
    fn wrap(variant: &'static str, value: Node) -> Node {
        Node::Mapping(vec![(Node::String(Cow::Borrowed(variant)), value)])
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Node, Error> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(VariantBuilder::wrap(self.variant, inner))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<StructBuilder> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Node, Error> {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(VariantBuilder::wrap(self.variant, inner))
    }
}

/// Serializes the inside of an ordered [`Node::Mapping`]: only its map form
/// is accepted, and the order is kept.
struct OrderedMapSerializer;

impl OrderedMapSerializer {
    fn refuse() -> Error {
        Error::Custom {
            message: "ordered mapping wrapper must contain a map".to_owned(),
        }
    }
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*);)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Node, Error> {
            Err(Self::refuse())
        })*
    };
}

impl ser::Serializer for OrderedMapSerializer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Node, Error>;
    type SerializeTuple = ser::Impossible<Node, Error>;
    type SerializeTupleStruct = ser::Impossible<Node, Error>;
    type SerializeTupleVariant = ser::Impossible<Node, Error>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = ser::Impossible<Node, Error>;
    type SerializeStructVariant = ser::Impossible<Node, Error>;

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Node, Error> {
        Err(Self::refuse())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Node, Error> {
        Err(Self::refuse())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Node, Error> {
        Err(Self::refuse())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Self::refuse())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Self::refuse())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Self::refuse())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Self::refuse())
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            pairs: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
            sorted: false,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Self::refuse())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Self::refuse())
    }
}
