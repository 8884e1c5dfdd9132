//! `KubeFlannelCNIConfig`: the built-in Flannel CNI.

use serde::{Deserialize, Serialize};

use super::ResourcesConfig;
use crate::meta::Unstructured;
use crate::types::{is_zero, Document};

/// Settings of the Flannel CNI deployed by Talos.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeFlannelCNIConfig {
    /// Flannel backend type (`vxlan`...).
    #[serde(rename = "backendType")]
    pub backend_type: String,
    /// Backend UDP port (0: Flannel's default).
    #[serde(rename = "backendPort", skip_serializing_if = "is_zero")]
    pub backend_port: u16,
    /// Backend MTU (0: automatic).
    #[serde(rename = "backendMTU", skip_serializing_if = "is_zero")]
    pub backend_mtu: u32,
    /// Extra backend settings.
    #[serde(
        rename = "backendExtraConfig",
        skip_serializing_if = "Unstructured::is_empty"
    )]
    pub backend_extra_config: Unstructured,
    /// Resource requests and limits.
    #[serde(skip_serializing_if = "ResourcesConfig::is_empty")]
    pub resources: ResourcesConfig,
    /// Extra flanneld flags.
    #[serde(rename = "extraArgs", skip_serializing_if = "Vec::is_empty")]
    pub extra_args: Vec<String>,
    /// Whether Flannel also enforces network policies.
    #[serde(
        rename = "kubeNetworkPoliciesEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_network_policies_enabled: Option<bool>,
}

impl Document for KubeFlannelCNIConfig {
    const KIND: &'static str = "KubeFlannelCNIConfig";
}
