//! `KubeProxyConfig`: the kube-proxy daemonset.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ResourcesConfig;
use crate::meta::{Args, Unstructured};
use crate::types::Document;

/// Settings of kube-proxy: whether it runs, its image, mode and configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeProxyConfig {
    /// Whether kube-proxy is deployed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Container image.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// Proxy mode (`iptables`, `ipvs`, `nftables`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mode: String,
    /// `KubeProxyConfiguration` overrides (always written, `{}` when empty).
    pub config: Unstructured,
    /// Extra command-line flags.
    #[serde(rename = "extraArgs", skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_args: Args,
    /// Resource requests and limits.
    #[serde(skip_serializing_if = "ResourcesConfig::is_empty")]
    pub resources: ResourcesConfig,
}

impl Document for KubeProxyConfig {
    const KIND: &'static str = "KubeProxyConfig";
}
