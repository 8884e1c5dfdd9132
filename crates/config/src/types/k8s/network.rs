//! `KubeNetworkConfig`: the cluster's DNS domain and pod/service subnets.

use serde::{Deserialize, Serialize};

use crate::types::net::Prefix;
use crate::types::{is_zero, Document};

/// Cluster networking: DNS domain, pod and service CIDRs, node mask sizes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeNetworkConfig {
    /// The cluster DNS domain.
    #[serde(rename = "dnsDomain")]
    pub dns_domain: String,
    /// Pod subnets (always written).
    #[serde(rename = "podSubnets")]
    pub pod_subnets: Vec<Prefix>,
    /// Service subnets (always written).
    #[serde(rename = "serviceSubnets")]
    pub service_subnets: Vec<Prefix>,
    /// Per-node IPv4 pod CIDR mask size.
    #[serde(rename = "nodeCIDRMaskSizeIPv4", skip_serializing_if = "is_zero")]
    pub node_cidr_mask_size_ipv4: i64,
    /// Per-node IPv6 pod CIDR mask size.
    #[serde(rename = "nodeCIDRMaskSizeIPv6", skip_serializing_if = "is_zero")]
    pub node_cidr_mask_size_ipv6: i64,
}

impl Document for KubeNetworkConfig {
    const KIND: &'static str = "KubeNetworkConfig";
}
