//! Storage documents (upstream `types/storage`): LVM and software RAID.

use serde::{Deserialize, Serialize};

use crate::types::block::{ByteSize, Size};
use crate::types::enum_text::{lvm_volume_type, md_level, md_metadata};
use crate::types::runtime::CelExpression;
use crate::types::{is_zero, Document};

macro_rules! named {
    ($ty:ident, $kind:literal) => {
        impl Document for $ty {
            const KIND: &'static str = $kind;

            fn name(&self) -> Option<&str> {
                Some(&self.name)
            }
        }
    };
}

/// A CEL selector over volumes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VolumeMatch {
    /// The expression.
    #[serde(rename = "match", skip_serializing_if = "CelExpression::is_empty")]
    pub match_expr: CelExpression,
}

/// `LVMVolumeGroupConfig`: an LVM volume group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LVMVolumeGroupConfig {
    /// Group name.
    pub name: String,
    /// Physical volumes (always written).
    pub provisioning: LVMVolumeGroupProvisioning,
}
named!(LVMVolumeGroupConfig, "LVMVolumeGroupConfig");

/// Physical volumes of a volume group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LVMVolumeGroupProvisioning {
    /// Selector of the physical volumes.
    #[serde(rename = "volumeSelector", skip_serializing_if = "is_zero")]
    pub volume_selector: VolumeMatch,
}

/// `LVMLogicalVolumeConfig`: an LVM logical volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LVMLogicalVolumeConfig {
    /// Volume name.
    pub name: String,
    /// Volume type (text form; always written, `linear` when empty).
    #[serde(rename = "type", serialize_with = "lvm_volume_type::serialize")]
    pub lv_type: String,
    /// Mirror count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirrors: Option<u32>,
    /// Stripe count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripes: Option<u32>,
    /// Group and size (always written).
    pub provisioning: LVMLogicalVolumeProvisioning,
}
named!(LVMLogicalVolumeConfig, "LVMLogicalVolumeConfig");

/// Group and size of a logical volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LVMLogicalVolumeProvisioning {
    /// Volume group (always written).
    #[serde(rename = "volumeGroup")]
    pub volume_group: String,
    /// Minimum size.
    #[serde(rename = "minSize", skip_serializing_if = "ByteSize::is_empty")]
    pub min_size: ByteSize,
    /// Maximum size.
    #[serde(rename = "maxSize", skip_serializing_if = "Size::is_empty")]
    pub max_size: Size,
}

/// `RAIDArrayConfig`: a software RAID array.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RAIDArrayConfig {
    /// Array name.
    pub name: String,
    /// RAID level (text form; always written, `raid1` when empty).
    #[serde(serialize_with = "md_level::serialize")]
    pub level: String,
    /// Metadata format (text form; `1.0` is left out).
    #[serde(
        skip_serializing_if = "md_metadata::is_zero",
        serialize_with = "md_metadata::serialize"
    )]
    pub metadata: String,
    /// Member selection (always written).
    pub provisioning: RAIDProvisioningSpec,
}
named!(RAIDArrayConfig, "RAIDArrayConfig");

/// Members of a RAID array.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RAIDProvisioningSpec {
    /// Selector of member volumes (always written).
    #[serde(rename = "volumeSelector")]
    pub volume_selector: VolumeMatch,
}
