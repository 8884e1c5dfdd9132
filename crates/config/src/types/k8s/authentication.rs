//! `KubeAuthenticationConfig`: the API server structured authentication configuration.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// Carries the API server structured authentication configuration as a free-form Kubernetes object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAuthenticationConfig {
    /// The configuration object, written whole.
    pub configuration: Unstructured,
}

impl Document for KubeAuthenticationConfig {
    const KIND: &'static str = "KubeAuthenticationConfig";
}
