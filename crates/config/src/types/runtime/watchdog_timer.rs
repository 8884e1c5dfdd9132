//! `WatchdogTimerConfig`: the hardware watchdog.

use serde::{Deserialize, Serialize};

use crate::meta::Duration;
use crate::types::Document;

/// Which watchdog device to arm, and its timeout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WatchdogTimerConfig {
    /// Watchdog device path.
    pub device: String,
    /// Timeout.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub timeout: Duration,
}

impl Document for WatchdogTimerConfig {
    const KIND: &'static str = "WatchdogTimerConfig";
}
