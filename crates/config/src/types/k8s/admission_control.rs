//! `KubeAdmissionControlConfig`: configuration of one API server admission plugin.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// Configures one admission plugin of the API server, named after it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAdmissionControlConfig {
    /// The plugin name, e.g. `PodSecurity`.
    pub name: String,
    /// The plugin's configuration object.
    pub configuration: Unstructured,
}

impl Document for KubeAdmissionControlConfig {
    const KIND: &'static str = "KubeAdmissionControlConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
