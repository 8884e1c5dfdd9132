//! `KubeCoreDNSConfig`: the CoreDNS deployment.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Whether CoreDNS is deployed, and with which image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeCoreDNSConfig {
    /// Whether CoreDNS is deployed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Container image.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
}

impl Document for KubeCoreDNSConfig {
    const KIND: &'static str = "KubeCoreDNSConfig";
}
