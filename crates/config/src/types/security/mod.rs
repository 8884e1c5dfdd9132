//! Security documents (upstream `types/security`): trusted CA roots and image verification.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// `TrustedRootsConfig`: extra CA certificates added to the system trust store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TrustedRootsConfig {
    /// The bundle's name.
    pub name: String,
    /// PEM certificates.
    pub certificates: String,
}

impl Document for TrustedRootsConfig {
    const KIND: &'static str = "TrustedRootsConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// `ImageVerificationConfig`: signature rules for container images.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ImageVerificationConfig {
    /// Rules, first match wins.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ImageVerificationRule>,
}

impl Document for ImageVerificationConfig {
    const KIND: &'static str = "ImageVerificationConfig";
}

/// One image verification rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ImageVerificationRule {
    /// Image reference pattern.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// Skip verification for matching images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<bool>,
    /// Refuse matching images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deny: Option<bool>,
    /// Keyless (sigstore) verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyless: Option<ImageKeylessVerifier>,
    /// Public key verification.
    #[serde(rename = "publicKey", skip_serializing_if = "Option::is_none")]
    pub public_key: Option<ImagePublicKeyVerifier>,
}

/// Keyless signature identity to require.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ImageKeylessVerifier {
    /// OIDC issuer.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub issuer: String,
    /// Certificate subject.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// Certificate subject pattern.
    #[serde(rename = "subjectRegex", skip_serializing_if = "String::is_empty")]
    pub subject_regex: String,
}

/// Public key to verify signatures with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ImagePublicKeyVerifier {
    /// The certificate or key, PEM.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub certificate: String,
}
