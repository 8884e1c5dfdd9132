//! System extension services (upstream `types/runtime/extensions`).

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// `ExtensionServiceConfig`: files and environment for one extension service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExtensionServiceConfig {
    /// The extension service's name.
    pub name: String,
    /// Files mounted into the service.
    #[serde(rename = "configFiles", skip_serializing_if = "Vec::is_empty")]
    pub config_files: Vec<ConfigFile>,
    /// Environment variables, `KEY=value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<String>,
}

/// One file given to an extension service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// File contents.
    pub content: String,
    /// Where it is mounted.
    #[serde(rename = "mountPath")]
    pub mount_path: String,
}

impl Document for ExtensionServiceConfig {
    const KIND: &'static str = "ExtensionServiceConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
