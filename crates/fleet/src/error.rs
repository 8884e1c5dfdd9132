//! What can be wrong with a fleet file, said with where it is.

use std::fmt;

/// Where in the fleet file a problem is: the file, the cluster and node it
/// concerns, the field, and the line (1-based, 0 when unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The fleet file as named by the caller.
    pub file: String,
    /// The line of the cluster, node or value concerned.
    pub line: usize,
    /// The cluster's name.
    pub cluster: Option<String>,
    /// The node's host name.
    pub node: Option<String>,
    /// The field, dotted (`network.ip`).
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(c) = &self.cluster {
            write!(f, ": cluster {c}")?;
        }
        if let Some(n) = &self.node {
            write!(f, ", node {n}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        Ok(())
    }
}

/// A fleet file that cannot be used, or a part of it that cannot.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// The file is not YAML of the fleet file's shape (unknown field, wrong
    /// type...); the parser's message carries the line.
    #[error("{file}: {message}")]
    Syntax {
        /// The fleet file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A value breaks a rule of the fleet model.
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Box<Location>,
        /// What is wrong.
        message: String,
    },
    /// A patch file could not be read.
    #[error("{at}: reading patch {path}: {source}")]
    ReadPatch {
        /// Where the patch is named.
        at: Box<Location>,
        /// The path as resolved against the fleet file's directory.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A patch is not a patch.
    #[error("{at}: {source}")]
    Patch {
        /// Where the patch is named.
        at: Box<Location>,
        /// What the patch parser reported.
        #[source]
        source: talgen_patch::PatchError,
    },
}

impl FleetError {
    /// Where the problem is, for errors that know.
    pub fn location(&self) -> Option<&Location> {
        match self {
            FleetError::Syntax { .. } => None,
            FleetError::Invalid { at, .. }
            | FleetError::ReadPatch { at, .. }
            | FleetError::Patch { at, .. } => Some(at.as_ref()),
        }
    }

    /// The cluster the problem belongs to, if any.
    pub fn cluster(&self) -> Option<&str> {
        self.location().and_then(|l| l.cluster.as_deref())
    }
}
