//! `SecurityProfileConfig`: workload isolation switches.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Workload isolation settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SecurityProfileConfig {
    /// Whether workloads are isolated from the host.
    #[serde(rename = "workloadIsolation", skip_serializing_if = "Option::is_none")]
    pub workload_isolation: Option<bool>,
}

impl Document for SecurityProfileConfig {
    const KIND: &'static str = "SecurityProfileConfig";
}
