//! The `machine.registries` section: image pull mirrors, TLS and credentials.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::meta::go::{is_zero, nullable};
use crate::meta::{Base64Bytes, PemEncodedCertificateAndKey};

/// Mirrors and per-registry settings for image pulls.
/// Go stores it by value with `omitempty`, so it is left out when both maps are empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.RegistriesConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct RegistriesConfig {
    /// Mirrors per registry host (`*` matches any).
    #[serde(
        rename = "mirrors",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mirrors: BTreeMap<String, RegistryMirrorConfig>,
    /// TLS and auth settings per registry host.
    #[serde(
        rename = "config",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub config: BTreeMap<String, RegistryConfig>,
}

/// Where pulls for one registry are sent instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.RegistryMirrorConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryMirrorConfig {
    /// Mirror URLs tried in order; always written.
    #[serde(rename = "endpoints", deserialize_with = "nullable")]
    pub endpoints: Vec<String>,
    /// Use the endpoint path as is, without `/v2`.
    #[serde(rename = "overridePath", skip_serializing_if = "Option::is_none")]
    pub override_path: Option<bool>,
    /// Do not fall back to the original registry.
    #[serde(rename = "skipFallback", skip_serializing_if = "Option::is_none")]
    pub skip_fallback: Option<bool>,
}

/// TLS and credentials for talking to one registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.RegistryConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryConfig {
    /// TLS settings.
    #[serde(rename = "tls", skip_serializing_if = "Option::is_none")]
    pub tls: Option<RegistryTlsConfig>,
    /// Credentials.
    #[serde(rename = "auth", skip_serializing_if = "Option::is_none")]
    pub auth: Option<RegistryAuthConfig>,
}

/// Registry credentials, in Docker config terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.RegistryAuthConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryAuthConfig {
    /// The user name.
    #[serde(
        rename = "username",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub username: String,
    /// The password.
    #[serde(
        rename = "password",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub password: String,
    /// Base64 `user:password`.
    #[serde(
        rename = "auth",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub auth: String,
    /// A token used instead of a password.
    #[serde(
        rename = "identityToken",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub identity_token: String,
}

/// TLS settings for one registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.RegistryTlsConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct RegistryTlsConfig {
    /// Client certificate and key.
    #[serde(rename = "clientIdentity", skip_serializing_if = "Option::is_none")]
    pub client_identity: Option<PemEncodedCertificateAndKey>,
    /// CA certificates (PEM) to trust, written base64-encoded.
    #[serde(
        rename = "ca",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ca: Base64Bytes,
    /// Skip server certificate checks.
    #[serde(rename = "insecureSkipVerify", skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
}

impl RegistriesConfig {
    /// Whether neither mirrors nor per-registry settings are present.
    pub fn is_empty(&self) -> bool {
        self.mirrors.is_empty() && self.config.is_empty()
    }
}

impl RegistryMirrorConfig {
    /// A mirror list pointing at `endpoints`, with no other settings.
    pub fn new(endpoints: impl IntoIterator<Item = impl Into<String>>) -> Self {
        RegistryMirrorConfig {
            endpoints: endpoints.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}
