//! `DiscoveryServiceConfig`: one cluster discovery registry.

use serde::{Deserialize, Serialize};

use crate::types::{Document, Url};

/// A discovery service endpoint, named (`default` is the public service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DiscoveryServiceConfig {
    /// The registry's name.
    pub name: String,
    /// The service URL (always written).
    pub endpoint: Url,
}

impl Document for DiscoveryServiceConfig {
    const KIND: &'static str = "DiscoveryServiceConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
