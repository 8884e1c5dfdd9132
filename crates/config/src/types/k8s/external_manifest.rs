//! `KubeExternalManifestConfig`: a manifest fetched from a URL at bootstrap.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{Document, Url};

/// A Kubernetes manifest downloaded from `url` and applied at bootstrap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeExternalManifestConfig {
    /// The manifest's name.
    pub name: String,
    /// HTTP headers sent with the download.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Where to download it from.
    pub url: Url,
}

impl Document for KubeExternalManifestConfig {
    const KIND: &'static str = "KubeExternalManifestConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
