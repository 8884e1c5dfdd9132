//! The volume documents themselves.

use serde::{Deserialize, Serialize};

use super::specs::{
    EncryptionSpec, MountSpec, ProvisioningSpec, ScrubConfig, SystemVolumeFilesystemSpec,
    TrimConfig, XFSSpec,
};
use crate::meta::Duration;
use crate::types::enum_text::{filesystem_type, serialize_lower_opt};
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

/// `VolumeConfig`: overrides for a system volume (`EPHEMERAL`, `IMAGE-CACHE`...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VolumeConfig {
    /// The system volume's name.
    pub name: String,
    /// Where and how big.
    #[serde(skip_serializing_if = "is_zero")]
    pub provisioning: ProvisioningSpec,
    /// Filesystem options.
    #[serde(skip_serializing_if = "is_zero")]
    pub filesystem: SystemVolumeFilesystemSpec,
    /// Encryption.
    #[serde(skip_serializing_if = "EncryptionSpec::is_empty")]
    pub encryption: EncryptionSpec,
    /// Mount options.
    #[serde(skip_serializing_if = "is_zero")]
    pub mount: MountSpec,
    /// Trim schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<TrimConfig>,
    /// Scrub schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrub: Option<ScrubConfig>,
}
named!(VolumeConfig, "VolumeConfig");

/// `UserVolumeConfig`: a volume for workloads, mounted under `/var/mnt`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct UserVolumeConfig {
    /// Volume name.
    pub name: String,
    /// Volume type (text form: `partition`, `directory`, `disk`...).
    #[serde(
        rename = "volumeType",
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_lower_opt"
    )]
    pub volume_type: Option<String>,
    /// Where and how big.
    #[serde(skip_serializing_if = "is_zero")]
    pub provisioning: ProvisioningSpec,
    /// Filesystem.
    #[serde(skip_serializing_if = "FilesystemSpec::is_empty")]
    pub filesystem: FilesystemSpec,
    /// Encryption.
    #[serde(skip_serializing_if = "EncryptionSpec::is_empty")]
    pub encryption: EncryptionSpec,
    /// Mount options.
    #[serde(skip_serializing_if = "is_zero")]
    pub mount: UserMountSpec,
    /// Trim schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<TrimConfig>,
    /// Scrub schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrub: Option<ScrubConfig>,
}
named!(UserVolumeConfig, "UserVolumeConfig");

/// Filesystem of a user volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FilesystemSpec {
    /// Filesystem type (text form; `none` is left out).
    #[serde(
        rename = "type",
        skip_serializing_if = "filesystem_type::is_zero",
        serialize_with = "filesystem_type::serialize"
    )]
    pub filesystem_type: String,
    /// Project quota support.
    #[serde(
        rename = "projectQuotaSupport",
        skip_serializing_if = "Option::is_none"
    )]
    pub project_quota_support: Option<bool>,
    /// XFS options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xfs: Option<XFSSpec>,
}

impl FilesystemSpec {
    /// Upstream `IsZero`: type `none` (or unset), no quota setting, no XFS options.
    pub fn is_empty(&self) -> bool {
        filesystem_type::is_zero(&self.filesystem_type)
            && self.project_quota_support.is_none()
            && self.xfs.is_none()
    }
}

/// Mount options of a user volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct UserMountSpec {
    /// Mount with `noatime`.
    #[serde(rename = "disableAccessTime", skip_serializing_if = "Option::is_none")]
    pub disable_access_time: Option<bool>,
    /// Mount securely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
}

/// `RawVolumeConfig`: an unformatted partition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RawVolumeConfig {
    /// Volume name.
    pub name: String,
    /// Where and how big.
    #[serde(skip_serializing_if = "is_zero")]
    pub provisioning: ProvisioningSpec,
    /// Encryption.
    #[serde(skip_serializing_if = "EncryptionSpec::is_empty")]
    pub encryption: EncryptionSpec,
}
named!(RawVolumeConfig, "RawVolumeConfig");

/// `SwapVolumeConfig`: a swap partition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SwapVolumeConfig {
    /// Volume name.
    pub name: String,
    /// Where and how big.
    #[serde(skip_serializing_if = "is_zero")]
    pub provisioning: ProvisioningSpec,
    /// Encryption.
    #[serde(skip_serializing_if = "EncryptionSpec::is_empty")]
    pub encryption: EncryptionSpec,
}
named!(SwapVolumeConfig, "SwapVolumeConfig");

/// `ExistingVolumeConfig`: mounts an existing partition as a user volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExistingVolumeConfig {
    /// Volume name.
    pub name: String,
    /// How to find the partition.
    #[serde(skip_serializing_if = "is_zero")]
    pub discovery: VolumeDiscoverySpec,
    /// Mount options.
    #[serde(skip_serializing_if = "is_zero")]
    pub mount: ExistingMountSpec,
    /// Trim schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<TrimConfig>,
    /// Scrub schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrub: Option<ScrubConfig>,
}
named!(ExistingVolumeConfig, "ExistingVolumeConfig");

/// How an existing volume is found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VolumeDiscoverySpec {
    /// Volume selector.
    #[serde(rename = "volumeSelector", skip_serializing_if = "is_zero")]
    pub volume_selector: VolumeSelector,
}

/// A CEL volume selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VolumeSelector {
    /// The expression, over `volume` and `disk`.
    #[serde(rename = "match", skip_serializing_if = "CelExpression::is_empty")]
    pub match_expr: CelExpression,
}

/// Mount options of an existing volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExistingMountSpec {
    /// Mount read-only.
    #[serde(rename = "readOnly", skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Mount with `noatime`.
    #[serde(rename = "disableAccessTime", skip_serializing_if = "Option::is_none")]
    pub disable_access_time: Option<bool>,
    /// Mount securely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
}

/// `ExternalVolumeConfig`: a network or virtiofs filesystem mounted as a user volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExternalVolumeConfig {
    /// Volume name.
    pub name: String,
    /// Filesystem type (text form; always written, `none` when empty).
    #[serde(
        rename = "filesystemType",
        serialize_with = "filesystem_type::serialize"
    )]
    pub filesystem_type: String,
    /// Mount options.
    #[serde(skip_serializing_if = "is_zero")]
    pub mount: ExternalMountSpec,
}
named!(ExternalVolumeConfig, "ExternalVolumeConfig");

/// Mount options of an external volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ExternalMountSpec {
    /// Mount read-only.
    #[serde(rename = "readOnly", skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Mount with `noatime`.
    #[serde(rename = "disableAccessTime", skip_serializing_if = "Option::is_none")]
    pub disable_access_time: Option<bool>,
    /// Mount securely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// virtiofs source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtiofs: Option<VirtiofsMountSpec>,
}

/// A virtiofs share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VirtiofsMountSpec {
    /// The share tag.
    pub tag: String,
}

/// `FilesystemTrimConfig`: how often filesystems are trimmed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FilesystemTrimConfig {
    /// Trim interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
}

impl Document for FilesystemTrimConfig {
    const KIND: &'static str = "FilesystemTrimConfig";
}

/// `FilesystemScrubConfig`: how often filesystems are scrubbed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FilesystemScrubConfig {
    /// Scrub interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
}

impl Document for FilesystemScrubConfig {
    const KIND: &'static str = "FilesystemScrubConfig";
}

/// `ZswapConfig`: compressed swap cache.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ZswapConfig {
    /// Maximum pool size, percent of RAM.
    #[serde(rename = "maxPoolPercent", skip_serializing_if = "Option::is_none")]
    pub max_pool_percent: Option<i64>,
    /// Enables the shrinker.
    #[serde(rename = "shrinkerEnabled", skip_serializing_if = "Option::is_none")]
    pub shrinker_enabled: Option<bool>,
}

impl Document for ZswapConfig {
    const KIND: &'static str = "ZswapConfig";
}
