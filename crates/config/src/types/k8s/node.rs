//! `KubeNodeConfig`: how the node registers with Kubernetes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Node registration: node IP selection, labels, annotations and taints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeNodeConfig {
    /// Whether the kubelet skips registering the node.
    #[serde(
        rename = "skipNodeRegistration",
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_node_registration: Option<bool>,
    /// Whether the node registers under its FQDN.
    #[serde(rename = "registerWithFQDN", skip_serializing_if = "Option::is_none")]
    pub register_with_fqdn: Option<bool>,
    /// How the node IP is chosen (always written, `{}` when empty).
    #[serde(rename = "nodeIP")]
    pub node_ip: NodeIPConfig,
    /// Node labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Node annotations.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Node taints, key to `value:effect`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taints: BTreeMap<String, String>,
}

/// Subnets the node IP is picked from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NodeIPConfig {
    /// Subnets (or `!`-negated subnets) to pick the node IP from.
    #[serde(rename = "validSubnets", skip_serializing_if = "Vec::is_empty")]
    pub valid_subnets: Vec<String>,
}

impl Document for KubeNodeConfig {
    const KIND: &'static str = "KubeNodeConfig";
}
