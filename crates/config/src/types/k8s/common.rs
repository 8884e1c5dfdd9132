//! Pieces shared by several Kubernetes documents.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;

/// Resource requests and limits of a control plane pod (upstream `ResourcesConfig`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ResourcesConfig {
    /// Resource requests (`cpu`, `memory`...).
    #[serde(skip_serializing_if = "Unstructured::is_empty")]
    pub requests: Unstructured,
    /// Resource limits.
    #[serde(skip_serializing_if = "Unstructured::is_empty")]
    pub limits: Unstructured,
}

impl ResourcesConfig {
    /// go-yaml's zero test: neither requests nor limits.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.limits.is_empty()
    }
}
