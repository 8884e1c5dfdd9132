//! `KubeInlineManifestConfig`: a manifest carried in the config itself.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// A Kubernetes manifest applied at bootstrap, given inline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeInlineManifestConfig {
    /// The manifest's name.
    pub name: String,
    /// The manifest text.
    pub manifest: String,
}

impl Document for KubeInlineManifestConfig {
    const KIND: &'static str = "KubeInlineManifestConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
