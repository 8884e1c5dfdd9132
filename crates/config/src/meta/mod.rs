//! Value types shared by several document kinds (PEM blobs, durations,
//! free-form maps, URLs, addresses), ported from upstream
//! `pkg/machinery/config/types/meta` plus the few siderolabs/crypto and Go
//! standard library types whose YAML form Talos relies on.

mod args;
mod duration;
mod network;
mod pem;
mod unstructured;
mod url;

pub use args::{ArgValue, Args};
pub use duration::{Duration, ParseDurationError};
pub use network::{Addr, AddrPort, InvalidAddr, Prefix};
pub use pem::{
    Base64Bytes, CertificateAndKey, PemEncodedCertificate, PemEncodedCertificateAndKey,
    PemEncodedKey, REDACTED,
};
pub use unstructured::{Unstructured, Value};
pub use url::{InvalidUrl, Url};

pub(crate) use pem::GoString;
pub(crate) use url::check_url;

pub(crate) mod go;

use serde::{Deserialize, Serialize};

/// The `apiVersion`/`kind` header of the multi-document kinds (`meta.Meta`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Meta {
    /// The document's API version (`v1alpha1`); left out when empty.
    #[serde(
        rename = "apiVersion",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub api_version: String,
    /// The document kind, always written.
    #[serde(default)]
    pub kind: String,
}
