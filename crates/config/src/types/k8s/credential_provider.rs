//! `KubeCredentialProviderConfig`: the kubelet image credential provider configuration.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// Carries the kubelet image credential provider configuration as a free-form Kubernetes object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeCredentialProviderConfig {
    /// The configuration object, written whole.
    pub configuration: Unstructured,
}

impl Document for KubeCredentialProviderConfig {
    const KIND: &'static str = "KubeCredentialProviderConfig";
}
