//! `EnvironmentConfig`: environment variables for Talos services.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Environment variables given to Talos system services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EnvironmentConfig {
    /// Variable name to value (always written).
    pub variables: BTreeMap<String, String>,
}

impl Document for EnvironmentConfig {
    const KIND: &'static str = "EnvironmentConfig";
}
