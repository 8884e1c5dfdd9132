//! The server's errors, each with the HTTP status it answers with.

use crate::crypto::CryptoError;
use crate::store::StoreError;

/// Why an API call or a fetch failed. The message is for the caller: it
/// never holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The request is malformed or breaks a rule (400).
    #[error("{0}")]
    Invalid(String),
    /// Credentials are missing or wrong (401).
    #[error("unauthorized")]
    Unauthorized,
    /// The token's role may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such cluster, device or revision (404, admin API only).
    #[error("{0}")]
    NotFound(String),
    /// The name is taken, or the change conflicts with the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// The request is well-formed but the configs cannot be made from it
    /// (a patch that does not apply for the cluster's contract) (422).
    #[error("{0}")]
    Unprocessable(String),
    /// Not ready yet, or the database is unreachable (503).
    #[error("{0}")]
    Unavailable(String),
    /// Something that should not happen (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Invalid(_) => 400,
            ApiError::Unauthorized => 401,
            ApiError::Forbidden(_) => 403,
            ApiError::NotFound(_) => 404,
            ApiError::Conflict(_) => 409,
            ApiError::Unprocessable(_) => 422,
            ApiError::Unavailable(_) => 503,
            ApiError::Internal(_) => 500,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::NotFound(m) => ApiError::NotFound(m),
            StoreError::Unavailable(m) => {
                ApiError::Unavailable(format!("database unavailable: {m}"))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CryptoError> for ApiError {
    fn from(e: CryptoError) -> Self {
        ApiError::Internal(e.to_string())
    }
}
