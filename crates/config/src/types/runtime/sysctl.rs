//! `SysctlConfig` and `SysfsConfig`: kernel parameters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Kernel parameters set through `/proc/sys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SysctlConfig {
    /// Parameter name to value (always written).
    pub params: BTreeMap<String, String>,
}

impl Document for SysctlConfig {
    const KIND: &'static str = "SysctlConfig";
}

/// Kernel parameters set through `/sys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SysfsConfig {
    /// Parameter path to value (always written).
    pub params: BTreeMap<String, String>,
}

impl Document for SysfsConfig {
    const KIND: &'static str = "SysfsConfig";
}
