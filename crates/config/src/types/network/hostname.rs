//! `HostnameConfig`: the node's hostname, fixed or generated.

use serde::{Deserialize, Serialize};

use crate::types::{go_enum, Document};

go_enum! {
    /// How a hostname is generated (`nethelpers.AutoHostnameKind`).
    AutoHostnameKind {
        /// No generated hostname.
        Off = "off",
        /// Legacy: derived from the node address.
        TalosAddr = "talos-addr",
        /// Stable, derived from the machine identity.
        Stable = "stable",
    }
}

/// The hostname: either generated (`auto`) or given (`hostname`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct HostnameConfig {
    /// Generate a hostname of this kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto: Option<AutoHostnameKind>,
    /// A fixed hostname.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hostname: String,
}

impl Document for HostnameConfig {
    const KIND: &'static str = "HostnameConfig";
}
