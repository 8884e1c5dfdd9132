//! `KubeStaticPodConfig`: an extra static pod run by the kubelet.

use serde::{Deserialize, Serialize};

use crate::meta::Unstructured;
use crate::types::Document;

/// A static pod manifest, named.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeStaticPodConfig {
    /// The pod's name.
    pub name: String,
    /// The pod object.
    pub pod: Unstructured,
}

impl Document for KubeStaticPodConfig {
    const KIND: &'static str = "KubeStaticPodConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
