//! `DiscoveryIdentityConfig`: the cluster's discovery identity.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// The cluster ID and secret that members use to find each other.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DiscoveryIdentityConfig {
    /// The cluster ID (base64).
    #[serde(rename = "clusterID")]
    pub cluster_id: String,
    /// The cluster secret (base64) encrypting discovery data.
    #[serde(rename = "clusterSecret")]
    pub cluster_secret: String,
}

impl Document for DiscoveryIdentityConfig {
    const KIND: &'static str = "DiscoveryIdentityConfig";
}
