//! `KubePrismConfig`: the node-local API server load balancer.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// Enables KubePrism on a local port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubePrismConfig {
    /// Local port KubePrism listens on.
    pub port: i64,
    /// TLS server name used towards the API servers.
    #[serde(rename = "tlsServerName", skip_serializing_if = "String::is_empty")]
    pub tls_server_name: String,
}

impl Document for KubePrismConfig {
    const KIND: &'static str = "KubePrismConfig";
}
