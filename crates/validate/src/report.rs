//! Validation results: problems with the document and field they concern.

use std::fmt;

/// Whether a problem makes the config invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The config is rejected.
    Error,
    /// The config is accepted, but something deserves attention.
    Warning,
}

/// One finding: which document, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The document: `v1alpha1`, a kind, or `Kind/name` for named kinds;
    /// empty for rules spanning several documents.
    pub document: String,
    /// Dotted path of the field from the document root (`machine.install.disk`),
    /// empty when the problem concerns the document as a whole.
    pub path: String,
    /// What is wrong, in talgen's words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.document.is_empty(), self.path.is_empty()) {
            (true, true) => write!(f, "{}", self.message),
            (true, false) => write!(f, "{}: {}", self.path, self.message),
            (false, true) => write!(f, "{}: {}", self.document, self.message),
            (false, false) => write!(f, "{}: {}: {}", self.document, self.path, self.message),
        }
    }
}

/// Everything validation found, errors and warnings apart, each list in the
/// order the rules ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that make the config invalid.
    pub errors: Vec<Problem>,
    /// Problems that do not.
    pub warnings: Vec<Problem>,
}

impl Report {
    /// Whether no error was found (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// A recorder for problems of one document.
    pub(crate) fn doc(&mut self, document: impl Into<String>) -> Scope<'_> {
        Scope {
            report: self,
            document: document.into(),
        }
    }
}

/// Records problems against one document.
pub(crate) struct Scope<'a> {
    report: &'a mut Report,
    document: String,
}

impl Scope<'_> {
    fn problem(&self, path: &str, message: String) -> Problem {
        Problem {
            document: self.document.clone(),
            path: path.to_owned(),
            message,
        }
    }

    /// Records an error at `path`.
    pub(crate) fn error(&mut self, path: &str, message: impl Into<String>) {
        let p = self.problem(path, message.into());
        self.report.errors.push(p);
    }

    /// Records a warning at `path`.
    pub(crate) fn warn(&mut self, path: &str, message: impl Into<String>) {
        let p = self.problem(path, message.into());
        self.report.warnings.push(p);
    }

    /// Number of warnings recorded so far (all documents).
    pub(crate) fn warning_count(&self) -> usize {
        self.report.warnings.len()
    }

    /// Turns the warnings recorded since `from` into errors, prefixed as
    /// strict mode reports them.
    pub(crate) fn promote_warnings(&mut self, from: usize) {
        let promoted: Vec<Problem> = self.report.warnings.drain(from..).collect();
        for mut p in promoted {
            p.message = format!("warning: {}", p.message);
            self.report.errors.push(p);
        }
    }
}
