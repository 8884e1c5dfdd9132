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

/// Permission bits, written in octal as `0o644`.
///
/// Known deviation: Go writes the octal text as an untagged int scalar
/// (`mode: 0o644`); until the encoder can emit raw scalars this encodes
/// as the string `"0o644"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EtcFileMode(pub u32);

impl fmt::Display for EtcFileMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0o{:o}", self.0)
    }
}

impl Serialize for EtcFileMode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
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
