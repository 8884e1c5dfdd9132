//! The error type of this crate.

/// Everything that can go wrong while reading, generating or signing keys
/// and certificates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input holds no complete PEM block.
    #[error("failed to parse PEM block")]
    NoPemBlock,
    /// A PEM block has a label other than the one expected here.
    #[error("unexpected PEM block {found:?}, want {expected:?}")]
    UnexpectedPemLabel {
        /// The label required here.
        expected: &'static str,
        /// The label found.
        found: String,
    },
    /// A private key PEM block has a label that names no supported key type.
    #[error("unsupported key type: {label:?}")]
    UnsupportedKeyType {
        /// The label found.
        label: String,
    },
    /// A DER structure is truncated or not what it should be.
    #[error("malformed DER in {what}")]
    MalformedDer {
        /// Which structure was being read.
        what: &'static str,
    },
    /// A private key body could not be decoded as its label says.
    #[error("failed to parse {kind} key: {reason}")]
    BadKey {
        /// The key kind, e.g. `ECDSA`.
        kind: &'static str,
        /// What the decoder reported.
        reason: String,
    },
    /// A certificate uses an algorithm this crate does not implement.
    #[error("unsupported algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The dotted object identifier.
        oid: String,
    },
    /// A private key does not belong to the certificate it is paired with.
    #[error("private key does not match the certificate's public key")]
    KeyMismatch,
    /// A signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The processor lacks features the cryptography backend needs
    /// (x86-64 from about 2013 on: AES-NI, PCLMULQDQ, BMI1, ADX, AVX2; or
    /// aarch64).
    #[error("this CPU lacks the instructions the cryptography backend needs (AES-NI, PCLMULQDQ, BMI1, ADX, AVX2)")]
    UnsupportedCpu,
    /// Deterministic issuance cannot derive a key of this kind.
    #[error("deterministic issuance does not support {key} keys")]
    DeterministicUnsupported {
        /// The key kind, e.g. `RSA`.
        key: &'static str,
    },
    /// Key generation, signing or the random source failed.
    #[error("{operation} failed: {reason}")]
    Crypto {
        /// What was being done.
        operation: &'static str,
        /// What the backend reported.
        reason: String,
    },
}

/// Fails with [`Error::UnsupportedCpu`] instead of letting the backend
/// abort on a processor it cannot run on.
pub(crate) fn ensure_cpu() -> Result<(), Error> {
    if graviola::util::is_cpu_supported() {
        Ok(())
    } else {
        Err(Error::UnsupportedCpu)
    }
}

impl Error {
    pub(crate) fn crypto(operation: &'static str, err: impl std::fmt::Debug) -> Self {
        Self::Crypto {
            operation,
            reason: format!("{err:?}"),
        }
    }
}
