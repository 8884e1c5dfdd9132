//! `UnattendedInstallConfig`: installing Talos to disk without interaction.

use serde::{Deserialize, Serialize};

use super::CelExpression;
use crate::types::Document;

/// Which installer image to use and which disk to install to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct UnattendedInstallConfig {
    /// Reboot after installing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reboot: Option<bool>,
    /// Installer settings (always written, `{}` when empty).
    pub installer: InstallerSpec,
    /// Target disk selection (always written).
    pub provisioning: ProvisioningSpec,
}

impl Document for UnattendedInstallConfig {
    const KIND: &'static str = "UnattendedInstallConfig";
}

/// The installer image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct InstallerSpec {
    /// Installer image reference.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
}

/// Which disk to install to, and whether to wipe it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "UnattendedInstallProvisioningSpec")
)]
#[serde(default, deny_unknown_fields)]
pub struct ProvisioningSpec {
    /// Disk selector.
    #[serde(
        rename = "diskSelector",
        skip_serializing_if = "DiskSelectorSpec::is_empty"
    )]
    pub disk_selector: DiskSelectorSpec,
    /// Wipe the disk first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wipe: Option<bool>,
}

/// A CEL expression matching the install disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DiskSelectorSpec {
    /// The expression, over `disk`.
    #[serde(rename = "match", skip_serializing_if = "CelExpression::is_empty")]
    pub match_expr: CelExpression,
}

impl DiskSelectorSpec {
    /// Upstream `IsZero`: no expression.
    pub fn is_empty(&self) -> bool {
        self.match_expr.is_empty()
    }
}
