//! `KubeClusterConfig`: the cluster's name and control plane endpoint.

use serde::{Deserialize, Serialize};

use crate::types::{Document, Url};

/// Names the cluster and its control plane endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeClusterConfig {
    /// The cluster name.
    #[serde(rename = "clusterName")]
    pub cluster_name: String,
    /// The control plane endpoint URL.
    pub endpoint: Url,
}

impl Document for KubeClusterConfig {
    const KIND: &'static str = "KubeClusterConfig";
}
