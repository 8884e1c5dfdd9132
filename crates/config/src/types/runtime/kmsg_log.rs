//! `KmsgLogConfig`: streaming of kernel logs.

use serde::{Deserialize, Serialize};

use crate::types::{Document, Url};

/// A destination for kernel log messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KmsgLogConfig {
    /// The destination's name.
    pub name: String,
    /// Where logs are sent (`tcp://` or `udp://`).
    pub url: Url,
}

impl Document for KmsgLogConfig {
    const KIND: &'static str = "KmsgLogConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
