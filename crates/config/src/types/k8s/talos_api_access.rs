//! `KubeTalosAPIAccessConfig`: access to the Talos API from inside the cluster.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Which roles and namespaces may reach the Talos API from pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeTalosAPIAccessConfig {
    /// Talos roles pods may be granted.
    #[serde(rename = "allowedRoles", skip_serializing_if = "Vec::is_empty")]
    pub allowed_roles: Vec<String>,
    /// Namespaces whose pods may be granted access.
    #[serde(
        rename = "allowedKubernetesNamespaces",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_kubernetes_namespaces: Vec<String>,
}

impl Document for KubeTalosAPIAccessConfig {
    const KIND: &'static str = "KubeTalosAPIAccessConfig";
}
