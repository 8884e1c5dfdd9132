//! The `machine.install` section: target disk (by path or selector), installer
//! image, kernel arguments and bootloader switches.

use std::fmt;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::humanize::parse_bytes;
use crate::meta::go::{is_zero, nullable};
use crate::meta::GoString;

/// Where and how Talos installs itself to disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.InstallConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct InstallConfig {
    /// The target disk path (e.g. `/dev/sda`).
    #[serde(
        rename = "disk",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub disk: String,
    /// Disk properties picking the target instead of a path.
    #[serde(rename = "diskSelector", skip_serializing_if = "Option::is_none")]
    pub disk_selector: Option<InstallDiskSelector>,
    /// Extra kernel command-line arguments.
    #[serde(
        rename = "extraKernelArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_kernel_args: Vec<String>,
    /// The installer image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// System extension images (legacy).
    #[serde(
        rename = "extensions",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extensions: Vec<InstallExtensionConfig>,
    /// Whether a bootloader is installed.
    #[serde(rename = "bootloader", skip_serializing_if = "Option::is_none")]
    pub bootloader: Option<bool>,
    /// Whether the disk is wiped first; written as `null` when unset.
    #[serde(rename = "wipe")]
    pub wipe: Option<bool>,
    /// Mark the partition bootable for legacy BIOS.
    #[serde(rename = "legacyBIOSSupport", skip_serializing_if = "Option::is_none")]
    pub legacy_bios_support: Option<bool>,
    /// Make GRUB boot with the command line baked into the UKI.
    #[serde(rename = "grubUseUKICmdline", skip_serializing_if = "Option::is_none")]
    pub grub_use_uki_cmdline: Option<bool>,
}

/// Disk properties picking the install target; every set property must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.InstallDiskSelector"))]
#[serde(default, deny_unknown_fields)]
pub struct InstallDiskSelector {
    /// A size condition such as `>= 100GB`.
    #[serde(rename = "size", skip_serializing_if = "Option::is_none")]
    pub size: Option<InstallDiskSizeMatcher>,
    /// The disk name (glob).
    #[serde(
        rename = "name",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub name: String,
    /// The disk model (glob).
    #[serde(
        rename = "model",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub model: String,
    /// The disk serial (glob).
    #[serde(
        rename = "serial",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub serial: String,
    /// The disk modalias (glob).
    #[serde(
        rename = "modalias",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub modalias: String,
    /// The disk UUID (glob).
    #[serde(
        rename = "uuid",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub uuid: String,
    /// The disk WWID (glob).
    #[serde(
        rename = "wwid",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub wwid: String,
    /// The disk type: `ssd`, `hdd`, `nvme` or `sd`.
    #[serde(
        rename = "type",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub disk_type: String,
    /// The disk bus path (glob).
    #[serde(
        rename = "busPath",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub bus_path: String,
}

/// A system extension image to install.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.InstallExtensionConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct InstallExtensionConfig {
    /// The image reference.
    #[serde(rename = "image", deserialize_with = "nullable")]
    pub image: String,
}

/// A disk size condition as written (`>= 1TB`, `<2GB`, `128GB`), kept
/// verbatim apart from surrounding whitespace, which Go trims on load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallDiskSizeMatcher {
    condition: String,
    op: String,
    size: u64,
}

/// Why a disk size condition was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSizeCondition {
    /// The rejected condition.
    pub condition: String,
    /// The parser's complaint about the size part.
    pub reason: String,
}

impl fmt::Display for InvalidSizeCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to parse disk size {}: {}",
            self.condition, self.reason
        )
    }
}

impl std::error::Error for InvalidSizeCondition {}

/// Comparison operators a size condition may start with, longest first so
/// that `>=` wins over `>`.
const SIZE_OPERATORS: [&str; 5] = [">=", "<=", "==", ">", "<"];

impl InstallDiskSizeMatcher {
    /// Parses a condition: an optional operator then a size with optional
    /// unit, in go-humanize's syntax.
    ///
    /// # Errors
    /// When the size part is not a number with a known unit.
    pub fn new(condition: &str) -> Result<Self, InvalidSizeCondition> {
        let condition = condition.trim();
        let op = SIZE_OPERATORS
            .iter()
            .find(|op| condition.starts_with(**op))
            .copied()
            .unwrap_or("");
        let rest = condition.get(op.len()..).unwrap_or("");
        let size = parse_bytes(rest.trim()).map_err(|reason| InvalidSizeCondition {
            condition: condition.to_owned(),
            reason,
        })?;
        Ok(InstallDiskSizeMatcher {
            condition: condition.to_owned(),
            op: op.to_owned(),
            size,
        })
    }

    /// The condition text as it is written back.
    pub fn condition(&self) -> &str {
        &self.condition
    }

    /// The comparison operator, empty for an exact match.
    pub fn op(&self) -> &str {
        &self.op
    }

    /// The size in bytes the disk is compared with.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl Serialize for InstallDiskSizeMatcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.condition)
    }
}

impl<'de> Deserialize<'de> for InstallDiskSizeMatcher {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = GoString::deserialize(deserializer)?.0;
        InstallDiskSizeMatcher::new(&text).map_err(de::Error::custom)
    }
}

impl InstallConfig {
    /// An install section targeting `disk` with `wipe: false`, as generation writes it.
    pub fn with_disk(disk: impl Into<String>) -> Self {
        InstallConfig {
            disk: disk.into(),
            wipe: Some(false),
            ..Default::default()
        }
    }
}
