//! `UdevRulesConfig`: extra udev rules.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// udev rules added to the system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct UdevRulesConfig {
    /// The rules, one per entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

impl Document for UdevRulesConfig {
    const KIND: &'static str = "UdevRulesConfig";
}
