//! The crate's error type: what can stop validation before it starts.

/// Failures outside the validation verdict itself: unreadable or
/// unparsable configs and bad arguments.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The config did not load (syntax, unknown kind or field, wrong type,
    /// duplicate document); the inner error names document and position.
    #[error("loading config: {0}")]
    Load(#[source] talgen_config::Error),
    /// The runtime mode is not `metal`, `cloud`, `container` or `metal-agent`.
    #[error("unknown runtime mode {0:?} (expected metal, cloud, container or metal-agent)")]
    UnknownMode(String),
    /// The Talos release to validate for is not one talgen knows the
    /// Kubernetes support window of.
    #[error("no kubernetes compatibility data for talos release {0:?}")]
    UnsupportedTalosVersion(String),
}
