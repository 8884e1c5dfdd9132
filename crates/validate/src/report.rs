//! Validation results: problems with the document and field they concern.

use std::fmt;

/// Whether a problem makes the config invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The config is rejected.
    Error,
    /// The config is accepted, but something deserves attention.
    Warning,
}

/// One finding: which document, which field, what is wrong. Serialises as
/// `{"document", "path", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
/// order the rules ran. Serialises as `{"errors": [...], "warnings": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_report_serialises_with_its_fields_in_order() {
        let problem = |path: &str, message: &str| Problem {
            document: "v1alpha1".into(),
            path: path.into(),
            message: message.into(),
        };
        let report = Report {
            errors: vec![problem("machine.install.disk", "is \"required\"\n")],
            warnings: vec![problem("", "w")],
        };
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"errors":[{"document":"v1alpha1","path":"machine.install.disk","message":"is \"required\"\n"}],"warnings":[{"document":"v1alpha1","path":"","message":"w"}]}"#
        );
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            r#""warning""#
        );
    }
}
