//! `KubeAuditPolicyConfig`: the API server audit policy.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// Carries the API server audit policy as a free-form Kubernetes object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAuditPolicyConfig {
    /// The configuration object, written whole.
    pub configuration: Unstructured,
}

impl Document for KubeAuditPolicyConfig {
    const KIND: &'static str = "KubeAuditPolicyConfig";
}
