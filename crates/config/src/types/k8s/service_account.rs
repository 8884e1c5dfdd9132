//! `KubeServiceAccountConfig`: service account token issuing and acceptance.

use serde::{Deserialize, Serialize};

use crate::types::{is_zero, Document, Url};

/// The service account token issuer, and the extra keys/issuers accepted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeServiceAccountConfig {
    /// The key and URL tokens are issued with (always written).
    pub issuer: IssuerServiceAccountConfig,
    /// Further keys, issuers and audiences accepted.
    #[serde(skip_serializing_if = "is_zero")]
    pub accepted: AcceptedServiceAccountConfig,
}

/// The signing key and issuer URL of service account tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct IssuerServiceAccountConfig {
    /// The signing private key, PEM.
    #[serde(rename = "privateKey")]
    pub private_key: String,
    /// The issuer URL.
    #[serde(rename = "issuerURL")]
    pub issuer_url: Url,
}

/// Extra public keys, issuers and audiences accepted when validating tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct AcceptedServiceAccountConfig {
    /// Extra public keys, PEM.
    #[serde(rename = "publicKeys", skip_serializing_if = "Vec::is_empty")]
    pub public_keys: Vec<String>,
    /// Extra issuer URLs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<Url>,
    /// Accepted audiences.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

impl Document for KubeServiceAccountConfig {
    const KIND: &'static str = "KubeServiceAccountConfig";
}
