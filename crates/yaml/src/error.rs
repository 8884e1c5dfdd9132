//! The crate's single error type.

use std::fmt;

/// Everything that can go wrong while converting, parsing or decoding YAML.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input text is not valid YAML; `line` is 1-based, `column` 0-based,
    /// both as reported by the parser.
    #[error("invalid yaml at line {line}, column {column}: {message}")]
    Syntax {
        /// Line of the offending character (1-based).
        line: usize,
        /// Column of the offending character (0-based).
        column: usize,
        /// What the parser objected to.
        message: String,
    },
    /// The input uses a YAML feature this crate deliberately does not model.
    #[error("unsupported yaml at line {line}, column {column}: {feature}")]
    Unsupported {
        /// Line of the offending node (1-based).
        line: usize,
        /// Column of the offending node (0-based).
        column: usize,
        /// The feature, e.g. "alias to an undefined anchor".
        feature: String,
    },
    /// A scalar carries an explicit core tag its text does not satisfy
    /// (for example `!!int abc`).
    #[error("cannot read {text:?} as {tag} at line {line}, column {column}")]
    TagMismatch {
        /// The scalar text.
        text: String,
        /// The explicit tag, e.g. `!!int`.
        tag: String,
        /// Line of the scalar (1-based).
        line: usize,
        /// Column of the scalar (0-based).
        column: usize,
    },
    /// `from_str` expected one document but found none or several.
    #[error("expected exactly one yaml document, found {found}")]
    DocumentCount {
        /// How many documents the stream held.
        found: usize,
    },
    /// A Rust value has no YAML form with Go semantics (e.g. a 128-bit
    /// integer outside the 64-bit range).
    #[error("cannot represent {what} in yaml")]
    Unrepresentable {
        /// What was rejected.
        what: String,
    },
    /// A serde `Serialize` or `Deserialize` implementation reported an error,
    /// or a node did not have the shape the target type needs.
    #[error("{message}")]
    Custom {
        /// The message from serde or the implementation.
        message: String,
    },
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Custom {
            message: msg.to_string(),
        }
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Custom {
            message: msg.to_string(),
        }
    }
}
