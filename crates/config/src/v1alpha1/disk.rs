//! Extra disks (`machine.disks`) and system disk encryption
//! (`machine.systemDiskEncryption`).

use std::fmt;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::humanize::{format_bytes, parse_bytes};
use crate::meta::go::{is_zero, nullable};
use crate::meta::GoString;

/// An extra disk and the partitions to create on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.MachineDisk"))]
#[serde(default, deny_unknown_fields)]
pub struct MachineDisk {
    /// The disk path.
    #[serde(
        rename = "device",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub device: String,
    /// Partitions in order.
    #[serde(
        rename = "partitions",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub partitions: Vec<DiskPartition>,
}

/// One partition of an extra disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.DiskPartition"))]
#[serde(default, deny_unknown_fields)]
pub struct DiskPartition {
    /// The size; zero (left out) fills the disk.
    #[serde(
        rename = "size",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub size: DiskSize,
    /// Where the partition is mounted.
    #[serde(
        rename = "mountpoint",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mountpoint: String,
}

/// Encryption settings of the system partitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.SystemDiskEncryptionConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct SystemDiskEncryptionConfig {
    /// Encryption of STATE.
    #[serde(rename = "state", skip_serializing_if = "Option::is_none")]
    pub state: Option<EncryptionConfig>,
    /// Encryption of EPHEMERAL.
    #[serde(rename = "ephemeral", skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<EncryptionConfig>,
}

/// How one partition is encrypted: provider, key slots and cipher.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionConfig {
    /// The encryption provider (`luks2`).
    #[serde(rename = "provider", deserialize_with = "nullable")]
    pub provider: String,
    /// Key slots; written as `[]` when empty.
    #[serde(rename = "keys", deserialize_with = "nullable")]
    pub keys: Vec<EncryptionKey>,
    /// The cipher name.
    #[serde(
        rename = "cipher",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cipher: String,
    /// The key size in bits.
    #[serde(
        rename = "keySize",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub key_size: u64,
    /// The sector size.
    #[serde(
        rename = "blockSize",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub block_size: u64,
    /// Performance flags.
    #[serde(
        rename = "options",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub options: Vec<String>,
}

/// One key slot and where its key comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionKey"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKey {
    /// A fixed passphrase.
    #[serde(rename = "static", skip_serializing_if = "Option::is_none")]
    pub static_key: Option<EncryptionKeyStatic>,
    /// A key derived from the node identity.
    #[serde(rename = "nodeID", skip_serializing_if = "Option::is_none")]
    pub node_id: Option<EncryptionKeyNodeId>,
    /// A key sealed by a KMS endpoint.
    #[serde(rename = "kms", skip_serializing_if = "Option::is_none")]
    pub kms: Option<EncryptionKeyKms>,
    /// The LUKS slot number; always written.
    #[serde(rename = "slot", deserialize_with = "nullable")]
    pub slot: i64,
    /// A key sealed by the TPM.
    #[serde(rename = "tpm", skip_serializing_if = "Option::is_none")]
    pub tpm: Option<EncryptionKeyTpm>,
}

/// A fixed passphrase key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionKeyStatic"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyStatic {
    /// The passphrase.
    #[serde(
        rename = "passphrase",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub passphrase: String,
}

/// A key sealed by a network KMS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionKeyKms"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyKms {
    /// The KMS endpoint.
    #[serde(rename = "endpoint", deserialize_with = "nullable")]
    pub endpoint: String,
}

/// A key sealed by the TPM.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionKeyTpm"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyTpm {
    /// Refuse to enroll unless Secure Boot is on.
    #[serde(
        rename = "checkSecurebootStatusOnEnroll",
        skip_serializing_if = "Option::is_none"
    )]
    pub check_secureboot_status_on_enroll: Option<bool>,
}

/// A key derived from the node identity; it has no settings and encodes as `{}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EncryptionKeyNodeId"))]
#[serde(default, deny_unknown_fields)]
pub struct EncryptionKeyNodeId {}

/// A partition size in bytes, written human-readable (`100 MB`) when that
/// form parses back to the same number, else as a plain integer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DiskSize(pub u64);

/// The YAML scalar a [`DiskSize`] is written as.
enum DiskSizeText {
    Human(String),
    Bytes(u64),
}

impl DiskSize {
    /// Go's choice of form: human text only for multiples of 1000 that
    /// survive a format/parse round trip.
    fn text(self) -> DiskSizeText {
        if self.0.is_multiple_of(1000) {
            let human = format_bytes(self.0);
            if parse_bytes(&human) == Ok(self.0) {
                return DiskSizeText::Human(human);
            }
        }
        DiskSizeText::Bytes(self.0)
    }
}

impl fmt::Display for DiskSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            DiskSizeText::Human(s) => f.write_str(&s),
            DiskSizeText::Bytes(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for DiskSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            DiskSizeText::Human(s) => serializer.serialize_str(&s),
            DiskSizeText::Bytes(n) => serializer.serialize_u64(n),
        }
    }
}

impl<'de> Deserialize<'de> for DiskSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = GoString::deserialize(deserializer)?.0;
        parse_bytes(&text).map(DiskSize).map_err(de::Error::custom)
    }
}
