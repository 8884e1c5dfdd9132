//! SideroLink (upstream `types/siderolink`): the management tunnel to Omni.

use serde::{Deserialize, Serialize};

use crate::types::{Document, Url};

/// `SideroLinkConfig`: where the node's SideroLink tunnel connects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SideroLinkConfig {
    /// The SideroLink API URL (always written).
    #[serde(rename = "apiUrl")]
    pub api_url: Url,
    /// A token identifying this machine.
    #[serde(rename = "uniqueToken", skip_serializing_if = "String::is_empty")]
    pub unique_token: String,
}

impl Document for SideroLinkConfig {
    const KIND: &'static str = "SideroLinkConfig";
}
