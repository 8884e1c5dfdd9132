//! Specs shared by the volume documents: provisioning, encryption, sizes, mounts.

use serde::{Deserialize, Serialize};

use crate::meta::Duration;
use crate::types::enum_text::encryption_provider;
use crate::types::is_zero;
use crate::types::runtime::CelExpression;

/// A byte size kept as written (`10GiB`, `500MB`, `1048576`); empty means unset.
///
/// Go keeps the raw text and writes it back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ByteSize(pub String);

impl ByteSize {
    /// Whether no size is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A byte size or a percentage (`80%`), kept as written; empty means unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Size(pub String);

impl Size {
    /// Whether no size is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where and how big a volume is provisioned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ProvisioningSpec {
    /// Which disk to put it on.
    #[serde(rename = "diskSelector", skip_serializing_if = "is_zero")]
    pub disk_selector: DiskSelector,
    /// Grow to fill free space.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grow: Option<bool>,
    /// Minimum size.
    #[serde(rename = "minSize", skip_serializing_if = "ByteSize::is_empty")]
    pub min_size: ByteSize,
    /// Maximum size.
    #[serde(rename = "maxSize", skip_serializing_if = "Size::is_empty")]
    pub max_size: Size,
}

/// A CEL disk selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DiskSelector {
    /// The expression, over `disk` and `system_disk`.
    #[serde(rename = "match", skip_serializing_if = "CelExpression::is_empty")]
    pub match_expr: CelExpression,
}

/// XFS filesystem options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct XFSSpec {
    /// Minimum allocation group size.
    #[serde(
        rename = "minAllocationGroupSize",
        skip_serializing_if = "ByteSize::is_empty"
    )]
    pub min_allocation_group_size: ByteSize,
}

/// Filesystem options of a system volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SystemVolumeFilesystemSpec {
    /// XFS options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xfs: Option<XFSSpec>,
}

/// Mount options of a system volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MountSpec {
    /// Mount with `nosuid,nodev` and friends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Mount with `noatime`.
    #[serde(rename = "disableAccessTime", skip_serializing_if = "Option::is_none")]
    pub disable_access_time: Option<bool>,
}

/// Periodic trim of a volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TrimConfig {
    /// Enables trim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
}

/// Periodic scrub of a volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ScrubConfig {
    /// Enables scrub.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
}

/// Volume encryption.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionSpec {
    /// Provider (`luks2`), as text (always written, `none` when empty).
    #[serde(serialize_with = "encryption_provider::serialize")]
    pub provider: String,
    /// Key slots (always written).
    pub keys: Vec<EncryptionKey>,
    /// Cipher.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cipher: String,
    /// Key size.
    #[serde(rename = "keySize", skip_serializing_if = "is_zero")]
    pub key_size: u64,
    /// Block size.
    #[serde(rename = "blockSize", skip_serializing_if = "is_zero")]
    pub block_size: u64,
    /// Performance options.
    #[serde(rename = "options", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Allow discards.
    #[serde(rename = "allowDiscards", skip_serializing_if = "Option::is_none")]
    pub allow_discards: Option<bool>,
}

impl EncryptionSpec {
    /// Upstream `IsZero`: no provider and no keys (other fields do not count).
    pub fn is_empty(&self) -> bool {
        encryption_provider::is_zero(&self.provider) && self.keys.is_empty()
    }
}

/// One key slot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKey {
    /// Slot number (always written).
    pub slot: i64,
    /// Static passphrase.
    #[serde(rename = "static", skip_serializing_if = "Option::is_none")]
    pub static_key: Option<EncryptionKeyStatic>,
    /// Key derived from the node ID.
    #[serde(rename = "nodeID", skip_serializing_if = "Option::is_none")]
    pub node_id: Option<EncryptionKeyNodeID>,
    /// Key sealed by a KMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms: Option<EncryptionKeyKMS>,
    /// Key sealed by the TPM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpm: Option<EncryptionKeyTPM>,
    /// Lock the key to the STATE partition.
    #[serde(rename = "lockToState", skip_serializing_if = "Option::is_none")]
    pub lock_to_state: Option<bool>,
}

/// A static passphrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyStatic {
    /// The passphrase.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub passphrase: String,
}

/// A node-ID-derived key (no settings).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyNodeID {}

/// A KMS-sealed key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyKMS {
    /// KMS endpoint (always written).
    pub endpoint: String,
}

/// A TPM-sealed key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyTPM {
    /// PCR options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<EncryptionKeyTPMOptions>,
    /// Check Secure Boot state when enrolling.
    #[serde(
        rename = "checkSecurebootStatusOnEnroll",
        skip_serializing_if = "Option::is_none"
    )]
    pub check_secureboot_status_on_enroll: Option<bool>,
}

/// PCRs a TPM key is bound to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyTPMOptions {
    /// PCR numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pcrs: Vec<i64>,
}
