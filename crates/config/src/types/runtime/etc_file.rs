//! `EtcFileConfig`: a user-managed file under `/etc`.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::types::Document;

/// A file under `/etc` with its permissions and contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EtcFileConfig {
    /// File name under `/etc`.
    pub name: String,
    /// Permission bits.
    pub mode: EtcFileMode,
    /// File contents.
    pub contents: String,
}

impl Document for EtcFileConfig {
    const KIND: &'static str = "EtcFileConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// Permission bits, written as an unquoted octal literal (`0o644`) the way
/// Talos's custom marshaler does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EtcFileMode(pub u32);

impl fmt::Display for EtcFileMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0o{:o}", self.0)
    }
}

impl Serialize for EtcFileMode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Go hands go-yaml an `!!int` node holding the octal text; the tag is
        // implicit for it, so the scalar comes out plain and unquoted.
        talgen_yaml::serialize_plain(&self.to_string(), serializer)
    }
}

impl<'de> Deserialize<'de> for EtcFileMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mode = u32::deserialize(deserializer)?;
        if mode > 0o7777 {
            return Err(de::Error::custom(format!("invalid file mode {mode:o}")));
        }
        Ok(EtcFileMode(mode))
    }
}
