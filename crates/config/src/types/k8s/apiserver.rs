//! `KubeAPIServerConfig`: the kube-apiserver static pod.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ResourcesConfig;
use crate::meta::Args;
use crate::types::Document;

/// Settings of the kube-apiserver pod: image, flags, environment, port and SANs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAPIServerConfig {
    /// Container image.
    pub image: String,
    /// Extra command-line flags.
    #[serde(rename = "extraArgs", skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_args: Args,
    /// Extra environment variables.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Resource requests and limits.
    #[serde(skip_serializing_if = "ResourcesConfig::is_empty")]
    pub resources: ResourcesConfig,
    /// Port the API server listens on.
    #[serde(rename = "apiPort", skip_serializing_if = "Option::is_none")]
    pub api_port: Option<i64>,
    /// Extra subject alternative names for the serving certificate.
    #[serde(rename = "certExtraSANs", skip_serializing_if = "Vec::is_empty")]
    pub cert_extra_sans: Vec<String>,
    /// Whether the pod gets startup probes.
    #[serde(rename = "startupProbes", skip_serializing_if = "Option::is_none")]
    pub startup_probes: Option<bool>,
}

impl Document for KubeAPIServerConfig {
    const KIND: &'static str = "KubeAPIServerConfig";
}
