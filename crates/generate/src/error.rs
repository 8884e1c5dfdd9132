//! The crate's error type.

use talgen_gourl::UrlError;

/// Everything that can stop config generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No Kubernetes version was given.
    #[error("kubernetes version must be specified")]
    MissingKubernetesVersion,
    /// The control-plane endpoint is not a URL Go would parse.
    #[error("invalid control plane endpoint {endpoint:?}: {source}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What the URL parser rejected.
        source: UrlError,
    },
    /// The custom CNI manifest URL is not a URL Go would parse.
    #[error("failed to parse custom CNI URL {url:?}: {source}")]
    InvalidCniUrl {
        /// The URL as given.
        url: String,
        /// What the URL parser rejected.
        source: UrlError,
    },
    /// A registry mirror endpoint is not a URL Go would parse.
    #[error("failed to parse registry mirror endpoint {endpoint:?} of {host:?}: {source}")]
    InvalidRegistryEndpoint {
        /// Registry host the mirror belongs to.
        host: String,
        /// The endpoint as given.
        endpoint: String,
        /// What the URL parser rejected.
        source: UrlError,
    },
    /// A pod or service subnet is not a CIDR prefix.
    #[error("invalid {what} subnet {subnet:?}")]
    InvalidSubnet {
        /// "pod" or "service".
        what: &'static str,
        /// The subnet text.
        subnet: String,
    },
    /// A network option could not be applied.
    #[error("network option: {0}")]
    NetworkOption(String),
    /// A new secrets bundle could not be made.
    #[error("secrets: {0}")]
    Secrets(String),
    /// The generated documents do not form a valid container, or the
    /// container could not be encoded.
    #[error("config container: {0}")]
    Container(#[source] talgen_config::Error),
}
