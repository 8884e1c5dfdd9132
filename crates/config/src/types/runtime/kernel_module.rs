//! `KernelModuleConfig`: a kernel module to load.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// A kernel module to load, with its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KernelModuleConfig {
    /// Module name.
    pub name: String,
    /// Module parameters, `key=value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<String>,
}

impl Document for KernelModuleConfig {
    const KIND: &'static str = "KernelModuleConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
