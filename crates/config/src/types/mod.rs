//! Multi-document config kinds (`apiVersion: v1alpha1`, `kind: ...`), grouped like upstream
//! `pkg/machinery/config/types/<group>/`.
//!
//! Each kind is a plain struct with public fields in Go declaration order and
//! `Default`; its `kind` and `apiVersion` are the associated constants of
//! [`Document`], written first on encode and checked on load. Field attributes
//! state Go's emptiness rules: `Option` for pointer+`omitempty`, a skip test
//! for value+`omitempty`, nothing for fields Go always writes.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

pub mod block;
pub mod cluster;
pub mod container;
pub mod cri;
mod enum_text;
pub mod extensions;
pub mod hardware;
pub mod k8s;
pub mod net;
pub mod network;
pub mod runtime;
pub mod security;
pub mod siderolink;
pub mod storage;
pub use crate::meta::Url;

/// The `apiVersion` every multi-document kind uses today.
pub const API_VERSION_V1ALPHA1: &str = "v1alpha1";

/// A config document kind other than the legacy v1alpha1 one (compare
/// k8s-openapi's `Resource`): its `kind`/`apiVersion` and, for kinds that
/// can appear several times, its name.
pub trait Document {
    /// The `kind:` value.
    const KIND: &'static str;
    /// The `apiVersion:` value.
    const API_VERSION: &'static str = API_VERSION_V1ALPHA1;

    /// The document's `name` for named kinds (several may coexist, one per name), else `None`.
    fn name(&self) -> Option<&str> {
        None
    }
}

/// Serializes a document as Talos encodes it: `apiVersion` and `kind` first,
/// then the kind's own fields.
pub struct WithMeta<'a, D>(pub &'a D);

impl<D: Document + Serialize> Serialize for WithMeta<'_, D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(MetaInjector {
            inner: serializer,
            api_version: D::API_VERSION,
            kind: D::KIND,
        })
    }
}

/// A serializer that forwards one struct to `inner`, writing the two meta
/// fields before the struct's own.
struct MetaInjector<S> {
    inner: S,
    api_version: &'static str,
    kind: &'static str,
}

#[derive(Debug)]
struct NotAStruct;

impl fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a config document must serialize as a struct")
    }
}

macro_rules! reject {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom(NotAStruct))
            }
        )*
    };
}

impl<S: Serializer> Serializer for MetaInjector<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    reject!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let mut st = self.inner.serialize_struct(name, len + 2)?;
        st.serialize_field("apiVersion", self.api_version)?;
        st.serialize_field("kind", self.kind)?;
        Ok(st)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(ser::Error::custom(NotAStruct))
    }
}

/// go-yaml's `omitempty` test for values whose zero is their `Default`
/// (numbers, strings, slices, maps, structs of such fields).
pub(crate) fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Declares a Go integer enum that encodes as its text name (enumer's
/// `-linecomment -text`); the first variant is Go's zero value. Decoding
/// looks the name up as enumer does: exact first, then case-insensitively.
macro_rules! go_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            #[default]
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// The text form Talos writes.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($text),+];
                const VALUES: &[$name] = &[$($name::$variant),+];
                let index = $crate::types::go_enum_decode(deserializer, NAMES)?;
                VALUES
                    .get(index)
                    .copied()
                    .ok_or_else(|| serde::de::Error::unknown_variant("", NAMES))
            }
        }
    };
}
pub(crate) use go_enum;

/// Decodes a [`go_enum!`] value's text to its index in `names`: the exact
/// name first, then the first name equal ignoring ASCII case (enumer's
/// lower-case map).
pub(crate) fn go_enum_decode<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    names
        .iter()
        .position(|name| *name == text)
        .or_else(|| {
            names
                .iter()
                .position(|name| name.eq_ignore_ascii_case(&text))
        })
        .ok_or_else(|| serde::de::Error::unknown_variant(&text, names))
}
