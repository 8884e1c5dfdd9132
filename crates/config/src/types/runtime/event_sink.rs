//! `EventSinkConfig`: where Talos streams its events.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// A gRPC event sink address (`host:port`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EventSinkConfig {
    /// The sink's `host:port`.
    pub endpoint: String,
}

impl Document for EventSinkConfig {
    const KIND: &'static str = "EventSinkConfig";
}
