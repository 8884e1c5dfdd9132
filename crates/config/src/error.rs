//! The crate's error type: everything that can go wrong loading or encoding config documents.

use std::fmt;

/// Where in a YAML stream something was found: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number, starting at 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Identifies a document of a stream in error messages: its index, and the
/// `apiVersion`, `kind` and `name` it declares (empty when absent), written
/// like Talos does (`apiVersion/kind/name`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentRef {
    /// Index of the document among the non-empty documents of the stream, from 0.
    pub index: usize,
    /// The `apiVersion` it declares, or empty.
    pub api_version: String,
    /// The `kind` it declares (`v1alpha1` for the legacy document), or empty.
    pub kind: String,
    /// The `name` it declares, or empty.
    pub name: String,
    /// Where the document's top-level mapping starts.
    pub position: Position,
}

impl fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "document #{} {}/{}/{} ({})",
            self.index, self.api_version, self.kind, self.name, self.position
        )
    }
}

/// Errors from loading, building and encoding config documents.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed YAML.
    #[error("yaml syntax error at {position}: {message}")]
    Syntax {
        /// What the parser complained about.
        message: String,
        /// Where it complained.
        position: Position,
    },
    /// The input nests deeper, or expands aliases further, than the loader allows.
    #[error("yaml input too complex at {position}: {message}")]
    TooComplex {
        /// Which limit was hit.
        message: String,
        /// Where it was hit.
        position: Position,
    },
    /// A document of the stream is a scalar or a sequence instead of a mapping.
    #[error("expected a yaml mapping document at {position}")]
    NotAMapping {
        /// Where the offending document starts.
        position: Position,
    },
    /// The stream holds no document at all (or only empty ones).
    #[error("config not found: the input holds no document")]
    NoDocuments,
    /// A document has `apiVersion` but no `kind`.
    #[error("error decoding {document}: missing kind")]
    MissingKind {
        /// The offending document.
        document: Box<DocumentRef>,
    },
    /// A document has `kind` but no `apiVersion`.
    #[error("error decoding {document}: missing apiVersion")]
    MissingApiVersion {
        /// The offending document.
        document: Box<DocumentRef>,
    },
    /// The `kind` and `apiVersion` pair names no known document type.
    #[error(
        "error decoding {document}: unknown document kind {kind:?} with apiVersion {api_version:?}"
    )]
    UnknownKind {
        /// The offending document.
        document: Box<DocumentRef>,
        /// The kind it declares.
        kind: String,
        /// The apiVersion it declares.
        api_version: String,
    },
    /// The `kind` or `apiVersion` value is not a plain string.
    #[error("error decoding {document}: {field} is not a string")]
    BadMeta {
        /// The offending document.
        document: Box<DocumentRef>,
        /// `kind` or `apiVersion`.
        field: &'static str,
    },
    /// A document carries a key its kind does not define.
    #[error("error decoding {document}: unknown field {field:?} at {path} ({position})")]
    UnknownField {
        /// The offending document.
        document: Box<DocumentRef>,
        /// The unknown key.
        field: String,
        /// Dotted path to the key from the document root.
        path: String,
        /// Where the key is.
        position: Position,
    },
    /// A value does not fit the type of its field.
    #[error("error decoding {document}: {message} at {path} ({position})")]
    InvalidValue {
        /// The offending document.
        document: Box<DocumentRef>,
        /// What is wrong with the value.
        message: String,
        /// Dotted path to the value from the document root.
        path: String,
        /// Where the value is.
        position: Position,
    },
    /// Two documents share the same apiVersion, kind and name.
    #[error("duplicate document {api_version}/{kind}/{name} is not allowed ({position})")]
    DuplicateDocument {
        /// Their apiVersion.
        api_version: String,
        /// Their kind.
        kind: String,
        /// Their name (empty for unnamed kinds).
        name: String,
        /// Where the second one starts.
        position: Position,
    },
    /// A container was built with two documents of the same kind and name.
    #[error("duplicate document: {id}")]
    DuplicateInContainer {
        /// `Kind/name` of the repeated document.
        id: String,
    },
    /// A container was built with two legacy v1alpha1 documents.
    #[error("duplicate v1alpha1.Config")]
    DuplicateV1Alpha1,
    /// Two documents of kinds that exclude each other configure the same object.
    #[error("conflicting documents: {first} and {second}")]
    ConflictingDocuments {
        /// `Kind/name` of the first document.
        first: String,
        /// `Kind/name` of the second document.
        second: String,
    },
    /// Two link documents configure the same network link.
    #[error("conflicting link configurations: {first} and {second} both configure {link:?}")]
    ConflictingLinks {
        /// `Kind/name` of the first claimant.
        first: String,
        /// `Kind/name` of the second claimant.
        second: String,
        /// The link both configure.
        link: String,
    },
    /// The YAML encoder refused a document.
    #[error("encoding {kind} failed: {message}")]
    Encode {
        /// Kind of the document being encoded.
        kind: String,
        /// The encoder's complaint.
        message: String,
    },
}
