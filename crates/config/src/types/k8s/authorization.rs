//! `KubeAuthorizerConfig`: one authorizer of the API server's chain.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// One entry of the API server's authorizer chain (`Node`, `RBAC`, `Webhook`...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAuthorizerConfig {
    /// The authorizer's name, unique in the chain.
    pub name: String,
    /// The authorizer type.
    #[serde(rename = "type")]
    pub authorizer_type: String,
    /// Webhook settings, for `Webhook` authorizers.
    #[serde(skip_serializing_if = "Unstructured::is_empty")]
    pub webhook: Unstructured,
}

impl Document for KubeAuthorizerConfig {
    const KIND: &'static str = "KubeAuthorizerConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
