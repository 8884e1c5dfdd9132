//! The text of `hashicorp/go-multierror`'s `*Error` with its default list
//! format, which talosctl returns when it reports several problems at once.
//!
//! ```
//! use talgen_gourl::multierror::MultiError;
//!
//! let err = MultiError::new(["a", "b"]);
//! assert_eq!(err.to_string(), "2 errors occurred:\n\t* a\n\t* b\n\n");
//! ```

use std::fmt;

/// Several errors reported as one, printed as go-multierror prints them:
/// a count line, one tab-indented `* ` line per error, a blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiError {
    errors: Vec<String>,
}

impl MultiError {
    /// The errors' texts, in order.
    pub fn new<I>(errors: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        Self {
            errors: errors.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    /// The errors' texts.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }
}

impl fmt::Display for MultiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.as_slice() {
            [one] => write!(f, "1 error occurred:\n\t* {one}\n\n"),
            many => {
                write!(f, "{} errors occurred:\n\t", many.len())?;
                for (i, e) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n\t")?;
                    }
                    write!(f, "* {e}")?;
                }
                f.write_str("\n\n")
            }
        }
    }
}

impl std::error::Error for MultiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multierror_text_counts_and_bullets_like_go() {
        assert_eq!(
            MultiError::new(["invalid output type: \"bogus\""]).to_string(),
            "1 error occurred:\n\t* invalid output type: \"bogus\"\n\n"
        );
        assert_eq!(
            MultiError::new(["a", "b", "c"]).to_string(),
            "3 errors occurred:\n\t* a\n\t* b\n\t* c\n\n"
        );
        // go-multierror prints an empty list the same way.
        assert_eq!(
            MultiError::new(Vec::<String>::new()).to_string(),
            "0 errors occurred:\n\t\n\n"
        );
        assert_eq!(MultiError::new([1, 2]).errors(), ["1", "2"]);
    }
}
