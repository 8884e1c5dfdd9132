//! The error type of this crate.

/// Everything that can go wrong while reading, merging or issuing client
/// credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A talosconfig is not valid YAML or does not have the talosconfig shape.
    #[error("failed to parse talosconfig: {reason}")]
    ParseTalosconfig {
        /// What the YAML reader reported.
        reason: String,
    },
    /// A value could not be encoded as YAML.
    #[error("failed to encode {what} as YAML: {reason}")]
    Encode {
        /// Which document was being written.
        what: &'static str,
        /// What the encoder reported.
        reason: String,
    },
    /// A role name is not one Talos grants.
    #[error("unknown roles: {}", roles.join(", "))]
    UnknownRoles {
        /// Every unknown name, in the order given.
        roles: Vec<String>,
    },
    /// A required input is empty or malformed.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input's name, e.g. `cluster name`.
        field: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// The certificate lifetime is zero or pushes the expiry out of range.
    #[error("invalid certificate lifetime: {reason}")]
    InvalidLifetime {
        /// Why it was rejected.
        reason: String,
    },
    /// A CA from the secrets bundle could not be loaded.
    #[error("failed to load the {ca} CA")]
    LoadCa {
        /// Which CA, e.g. `Kubernetes`.
        ca: &'static str,
        /// The underlying failure.
        #[source]
        source: talgen_pki::Error,
    },
    /// Issuing or encoding a certificate or key failed.
    #[error("failed to issue the {what}")]
    Issue {
        /// Which credential, e.g. `admin client certificate`.
        what: &'static str,
        /// The underlying failure.
        #[source]
        source: talgen_pki::Error,
    },
    /// Deterministic issuance does not support this CA key.
    #[error("deterministic issuance does not support {key} CA keys")]
    DeterministicUnsupported {
        /// The CA key kind.
        key: &'static str,
    },
}
