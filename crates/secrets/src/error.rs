//! The error type of this crate.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a secrets bundle, named by its YAML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The YAML path of the field, e.g. `certs.etcd` or `cluster.secret`.
    pub field: String,
    /// What is wrong with it.
    pub kind: ProblemKind,
}

/// What is wrong with one field of a secrets bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The field or section is absent or empty.
    Missing,
    /// The value is not valid standard base64.
    BadBase64(String),
    /// The PEM certificate or key does not parse, or they do not match.
    Invalid(talgen_pki::Error),
    /// Neither of the two encryption secrets is set.
    NoEncryptionSecret,
    /// Both encryption secrets are set.
    BothEncryptionSecrets,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.kind {
            ProblemKind::Missing => write!(f, "{field} is required"),
            ProblemKind::BadBase64(why) => write!(f, "{field} is not valid base64: {why}"),
            ProblemKind::Invalid(err) => write!(f, "{field} is invalid: {err}"),
            ProblemKind::NoEncryptionSecret => write!(
                f,
                "one of [secrets.secretboxencryptionsecret, secrets.aescbcencryptionsecret] is required"
            ),
            ProblemKind::BothEncryptionSecrets => write!(
                f,
                "only one of [secrets.secretboxencryptionsecret, secrets.aescbcencryptionsecret] is allowed"
            ),
        }
    }
}

/// Everything that can go wrong while loading, generating or writing a
/// secrets bundle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not YAML of the secrets bundle's shape.
    #[error("secrets bundle is not valid yaml: {message}")]
    Yaml {
        /// What the parser reported.
        message: String,
    },
    /// The bundle parsed but some fields are missing or invalid; every
    /// problem found is listed.
    #[error("invalid secrets bundle: {}", list(problems))]
    Invalid {
        /// All problems, in field order.
        problems: Vec<Problem>,
    },
    /// Writing the bundle as YAML failed.
    #[error("encoding secrets bundle: {0}")]
    Encode(#[from] talgen_yaml::Error),
    /// Key or certificate generation failed.
    #[error("generating {what}: {source}")]
    Generate {
        /// Which secret was being made.
        what: &'static str,
        /// The underlying failure.
        source: talgen_pki::Error,
    },
    /// A file of a Kubernetes PKI directory could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying failure.
        source: std::io::Error,
    },
    /// A file of a Kubernetes PKI directory holds an invalid key or certificate.
    #[error("{path}: {source}")]
    Pki {
        /// The file (for a pair, the certificate).
        path: PathBuf,
        /// The underlying failure.
        source: talgen_pki::Error,
    },
    /// The Kubernetes PKI path is not a directory.
    #[error("{path:?} is not a directory")]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
