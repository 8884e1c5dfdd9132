//! Command-line argument maps (`meta.Args`): each value one string or a list.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Extra command-line flags for a Kubernetes component, flag name → value.
///
/// Keys sort like Go map keys on encode; a value repeats the flag when it
/// is a list.
pub type Args = BTreeMap<String, ArgValue>;

/// One flag value: a single string or a list of strings (`meta.ArgValue`).
///
/// Go keeps both halves in one struct and prefers the list when it is set;
/// a value with neither encodes as `null`, which is what an empty string
/// round-trips to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// One value, written as a plain string (empty means unset).
    Single(String),
    /// Several values, written as a sequence (possibly empty: `[]`).
    List(Vec<String>),
}

impl Default for ArgValue {
    fn default() -> Self {
        ArgValue::Single(String::new())
    }
}

impl ArgValue {
    /// The flag values in order: one, several, or none for an empty string.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ArgValue::Single(s) if s.is_empty() => Vec::new(),
            ArgValue::Single(s) => vec![s.as_str()],
            ArgValue::List(items) => items.iter().map(String::as_str).collect(),
        }
    }
}

impl From<&str> for ArgValue {
    fn from(s: &str) -> Self {
        ArgValue::Single(s.to_owned())
    }
}

impl From<String> for ArgValue {
    fn from(s: String) -> Self {
        ArgValue::Single(s)
    }
}

impl From<Vec<String>> for ArgValue {
    fn from(items: Vec<String>) -> Self {
        ArgValue::List(items)
    }
}

impl Serialize for ArgValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ArgValue::List(items) => items.serialize(serializer),
            ArgValue::Single(s) if s.is_empty() => serializer.serialize_unit(),
            ArgValue::Single(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for ArgValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArgVisitor;

        impl<'de> Visitor<'de> for ArgVisitor {
            type Value = ArgValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }

            // Go decodes any scalar into the string half, so numbers and
            // booleans are kept as their text.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(v.to_owned()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(v.to_string()))
            }

            fn visit_unit<E: de::Error>(self) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(String::new()))
            }

            fn visit_none<E: de::Error>(self) -> Result<ArgValue, E> {
                Ok(ArgValue::Single(String::new()))
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ArgValue, D::Error> {
                ArgValue::deserialize(d)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ArgValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(ArgValue::List(items))
            }
        }

        deserializer.deserialize_any(ArgVisitor)
    }
}
