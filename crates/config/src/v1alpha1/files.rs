//! Files written to the host (`machine.files`) and their octal mode.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::meta::go::nullable;

/// A file Talos writes (or appends to) at boot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.MachineFile"))]
#[serde(default, deny_unknown_fields)]
pub struct MachineFile {
    /// The file body.
    #[serde(rename = "content", deserialize_with = "nullable")]
    pub content: String,
    /// The mode bits, written in `0o` octal.
    #[serde(rename = "permissions", deserialize_with = "nullable")]
    pub permissions: FileMode,
    /// The absolute path.
    #[serde(rename = "path", deserialize_with = "nullable")]
    pub path: String,
    /// What to do: `create`, `append` or `overwrite`.
    #[serde(rename = "op", deserialize_with = "nullable")]
    pub op: String,
}

/// Unix permission bits of a [`MachineFile`], written as an octal integer
/// literal (`0o644`) the way Talos's custom marshaler does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FileMode(pub u32);

impl fmt::Display for FileMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0o{:o}", self.0)
    }
}

impl Serialize for FileMode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Go returns an `!!int`-tagged node; go-yaml drops the tag and
        // writes the octal text plain.
        talgen_yaml::serialize_plain(&self.to_string(), serializer)
    }
}

impl<'de> Deserialize<'de> for FileMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // go-yaml reads the mode as a plain unsigned integer.
        u32::deserialize(deserializer).map(FileMode)
    }
}
