//! `KubeEtcdEncryptionConfig`: encryption at rest of Kubernetes resources.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// The API server's `EncryptionConfiguration`, as a free-form object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeEtcdEncryptionConfig {
    /// The encryption configuration (always written).
    pub config: Unstructured,
}

impl Document for KubeEtcdEncryptionConfig {
    const KIND: &'static str = "KubeEtcdEncryptionConfig";
}
