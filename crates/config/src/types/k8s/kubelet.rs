//! `KubeletConfig`: the kubelet.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::meta::{Args, Unstructured};
use crate::types::Document;

/// Settings of the kubelet: image, configuration overrides, flags and DNS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeletConfig {
    /// Container image.
    pub image: String,
    /// `KubeletConfiguration` overrides (always written, `{}` when empty).
    pub config: Unstructured,
    /// Extra command-line flags.
    #[serde(rename = "extraArgs", skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_args: Args,
    /// Cluster DNS server addresses.
    #[serde(rename = "clusterDNS", skip_serializing_if = "Vec::is_empty")]
    pub cluster_dns: Vec<String>,
    /// Whether pods default to the runtime's seccomp profile.
    #[serde(
        rename = "defaultRuntimeSeccompProfileEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_runtime_seccomp_profile_enabled: Option<bool>,
}

impl Document for KubeletConfig {
    const KIND: &'static str = "KubeletConfig";
}
