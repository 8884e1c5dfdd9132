//! `KubeControllerManagerConfig`: the kube-controller-manager static pod.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ResourcesConfig;
use crate::meta::Args;
use crate::types::Document;

/// Settings of the kube-controller-manager pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeControllerManagerConfig {
    /// Whether the pod runs at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
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
}

impl Document for KubeControllerManagerConfig {
    const KIND: &'static str = "KubeControllerManagerConfig";
}
