//! Container runtime documents (upstream `types/cri`): registries, image cache, CRI overrides.

use serde::{Deserialize, Serialize};

use crate::meta::{CertificateAndKey, Unstructured};
use crate::types::{Document, Url};

/// `RegistryMirrorConfig`: mirrors for one image registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryMirrorConfig {
    /// The mirrored registry host (e.g. `docker.io`, or `*`).
    pub name: String,
    /// Mirror endpoints, tried in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<RegistryEndpoint>,
    /// Do not fall back to the registry itself.
    #[serde(rename = "skipFallback", skip_serializing_if = "Option::is_none")]
    pub skip_fallback: Option<bool>,
}

/// One mirror endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryEndpoint {
    /// The mirror URL.
    pub url: Url,
    /// Use the endpoint path as is, without `/v2/`.
    #[serde(rename = "overridePath", skip_serializing_if = "Option::is_none")]
    pub override_path: Option<bool>,
}

impl Document for RegistryMirrorConfig {
    const KIND: &'static str = "RegistryMirrorConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// `RegistryAuthConfig`: credentials for one registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryAuthConfig {
    /// The registry host.
    pub name: String,
    /// User name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// Password.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub password: String,
    /// Base64 `user:password`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub auth: String,
    /// Identity token.
    #[serde(rename = "identityToken", skip_serializing_if = "String::is_empty")]
    pub identity_token: String,
}

impl Document for RegistryAuthConfig {
    const KIND: &'static str = "RegistryAuthConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// `RegistryTLSConfig`: TLS settings for one registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryTLSConfig {
    /// The registry host.
    pub name: String,
    /// Client certificate and key.
    #[serde(rename = "clientIdentity", skip_serializing_if = "Option::is_none")]
    pub client_identity: Option<CertificateAndKey>,
    /// CA certificate, PEM.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ca: String,
    /// Skip server certificate verification.
    #[serde(rename = "insecureSkipVerify", skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
}

impl Document for RegistryTLSConfig {
    const KIND: &'static str = "RegistryTLSConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// `ImageCacheConfig`: the node-local image cache.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ImageCacheConfig {
    /// Local cache settings (always written).
    pub local: LocalImageCacheConfig,
}

/// Whether the local image cache is on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LocalImageCacheConfig {
    /// Enables the cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl Document for ImageCacheConfig {
    const KIND: &'static str = "ImageCacheConfig";
}

/// `CRIBaseRuntimeSpecConfig`: overrides of the OCI base runtime spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CRIBaseRuntimeSpecConfig {
    /// Fields merged over the default spec.
    #[serde(skip_serializing_if = "Unstructured::is_empty")]
    pub overrides: Unstructured,
}

impl Document for CRIBaseRuntimeSpecConfig {
    const KIND: &'static str = "CRIBaseRuntimeSpecConfig";
}

/// `CRICustomizationConfig`: an extra containerd configuration fragment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CRICustomizationConfig {
    /// The fragment's name.
    pub name: String,
    /// TOML content.
    pub content: String,
}

impl Document for CRICustomizationConfig {
    const KIND: &'static str = "CRICustomizationConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
