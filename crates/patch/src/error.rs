//! The error type of the patch crate.

/// Everything that can go wrong loading or applying a patch.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum PatchError {
    /// A `@file` patch (or a bare file name) could not be read.
    #[error("reading patch file {path}: {message}")]
    ReadFile {
        /// The file name as given.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The input is neither a config patch nor a JSON patch.
    #[error("patch {patch}: {message}")]
    Invalid {
        /// Which patch (its argument, or `#N` for inline ones).
        patch: String,
        /// Why it was rejected.
        message: String,
    },
    /// A patch failed to apply; `source` says why.
    #[error("applying patch {patch}: {source}")]
    Apply {
        /// Which patch (its argument, or `(inline)`).
        patch: String,
        /// What went wrong.
        source: Box<PatchError>,
    },
    /// A YAML or JSON document could not be parsed.
    #[error("decode error: {0}")]
    Parse(String),
    /// A `$patch: delete` directive is malformed.
    #[error("error processing patch delete statements in document {document}: {message}")]
    DeleteDirective {
        /// Index of the patch document (0-based).
        document: usize,
        /// Why it was rejected.
        message: String,
    },
    /// A `$patch: delete` selector could not be applied (for instance it
    /// matched nothing); the message follows upstream's wording.
    #[error("{message}")]
    DeleteFailed {
        /// The dotted path of the selector.
        path: String,
        /// `apiVersion/kind` of the targeted document.
        document: String,
        /// The full message.
        message: String,
    },
    /// The merge met two values Go cannot merge (e.g. a string and a map).
    #[error("merge {document}: at {path}: type mismatch left {left} right {right}")]
    MergeTypeMismatch {
        /// `apiVersion/kind` of the document.
        document: String,
        /// Dotted path of the value.
        path: String,
        /// Go type of the config's value.
        left: String,
        /// Go type of the patch's value.
        right: String,
    },
    /// JSON6902 patches only work on single-document configs.
    #[error("JSON6902 patches are not supported for multi-document machine configuration")]
    JsonPatchMultiDoc,
    /// A JSON6902 operation failed.
    #[error("failure applying rfc6902 patches to talos machine config: {0}")]
    JsonPatch(String),
    /// The config (or a patch document) is not valid for its kind.
    #[error("{0}")]
    Config(String),
    /// The input config holds no document.
    #[error("config not found")]
    NoConfig,
    /// The patched config no longer loads as a Talos config (what loading
    /// its text would report).
    #[error(transparent)]
    Load(#[from] talgen_config::Error),
}

/// Result alias for this crate.
pub type Result<T, E = PatchError> = std::result::Result<T, E>;
