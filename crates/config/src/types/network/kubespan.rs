//! `KubeSpanConfig` and `KubeSpanEndpointsConfig`: the WireGuard mesh between nodes.

use serde::{Deserialize, Serialize};

use crate::types::net::{AddrPort, Prefix};
use crate::types::Document;

/// KubeSpan settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeSpanConfig {
    /// Enables KubeSpan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Route pod networks over KubeSpan.
    #[serde(
        rename = "advertiseKubernetesNetworks",
        skip_serializing_if = "Option::is_none"
    )]
    pub advertise_kubernetes_networks: Option<bool>,
    /// Let traffic bypass peers that are down.
    #[serde(
        rename = "allowDownPeerBypass",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_down_peer_bypass: Option<bool>,
    /// Learn extra endpoints from peers.
    #[serde(
        rename = "harvestExtraEndpoints",
        skip_serializing_if = "Option::is_none"
    )]
    pub harvest_extra_endpoints: Option<bool>,
    /// Link MTU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// Endpoint and network filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<KubeSpanFiltersConfig>,
}

impl Document for KubeSpanConfig {
    const KIND: &'static str = "KubeSpanConfig";
}

/// Filters on advertised endpoints and networks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeSpanFiltersConfig {
    /// Endpoint filters (`!`-negated CIDRs allowed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// Networks not advertised.
    #[serde(
        rename = "excludeAdvertisedNetworks",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub exclude_advertised_networks: Vec<Prefix>,
}

/// Extra endpoints this node announces to KubeSpan peers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeSpanEndpointsConfig {
    /// Announced `address:port` endpoints (always written).
    #[serde(rename = "extraAnnouncedEndpoints")]
    pub extra_announced_endpoints: Vec<AddrPort>,
}

impl Document for KubeSpanEndpointsConfig {
    const KIND: &'static str = "KubeSpanEndpointsConfig";
}
