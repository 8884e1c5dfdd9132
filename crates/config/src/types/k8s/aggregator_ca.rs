//! `KubeAggregatorCAConfig`: the front-proxy (aggregation layer) CA.

use serde::{Deserialize, Serialize};

use crate::meta::CertificateAndKey;
use crate::types::Document;

/// Holds the front-proxy (aggregation layer) CA: the issuing certificate and key, and extra accepted CAs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KubeAggregatorCAConfig {
    /// The CA that issues certificates, with its key.
    #[serde(rename = "issuingCA", skip_serializing_if = "Option::is_none")]
    pub issuing_ca: Option<CertificateAndKey>,
    /// Further CA certificates (PEM) accepted during rotation.
    #[serde(rename = "acceptedCAs", skip_serializing_if = "Vec::is_empty")]
    pub accepted_cas: Vec<String>,
}

impl Document for KubeAggregatorCAConfig {
    const KIND: &'static str = "KubeAggregatorCAConfig";
}
