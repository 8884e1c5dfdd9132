//! Hardware documents (upstream `types/hardware`).

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// `PCIDriverRebindConfig`: binds a PCI device to another driver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PCIDriverRebindConfig {
    /// The PCI device address.
    pub name: String,
    /// The driver to bind it to.
    #[serde(rename = "targetDriver")]
    pub target_driver: String,
}

impl Document for PCIDriverRebindConfig {
    const KIND: &'static str = "PCIDriverRebindConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
