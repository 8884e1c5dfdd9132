//! Go's `strconv.ParseBool`, which pflag runs on `--flag=value` for
//! boolean flags.
//!
//! ```
//! use talgen_gourl::strconv::parse_bool;
//!
//! assert_eq!(parse_bool("T"), Ok(true));
//! assert_eq!(
//!     parse_bool("yes").unwrap_err().to_string(),
//!     r#"strconv.ParseBool: parsing "yes": invalid syntax"#,
//! );
//! ```

use crate::quote::go_quote;

/// Go's `*strconv.NumError` for [`parse_bool`]: the text is not one of the
/// spellings Go accepts (`ParseBool` has no range errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("strconv.ParseBool: parsing {}: invalid syntax", go_quote(input))]
pub struct ParseBoolError {
    /// The refused text.
    pub input: String,
}

/// Go's `strconv.ParseBool`: `1 t T TRUE true True` are true,
/// `0 f F FALSE false False` are false, anything else (`yes`, `on`,
/// `tRUE`, surrounding spaces) is refused.
pub fn parse_bool(text: &str) -> Result<bool, ParseBoolError> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(ParseBoolError {
            input: text.to_owned(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_bool_accepts_gos_spellings_only() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        for bad in ["", "yes", "on", "tRUE", "FaLsE", " true", "2"] {
            assert!(parse_bool(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parse_bool_error_quotes_like_go() {
        let msg = |t: &str| parse_bool(t).unwrap_err().to_string();
        assert_eq!(
            msg("on"),
            r#"strconv.ParseBool: parsing "on": invalid syntax"#
        );
        assert_eq!(msg(""), r#"strconv.ParseBool: parsing "": invalid syntax"#);
        assert_eq!(
            msg("a\u{1}\"b"),
            r#"strconv.ParseBool: parsing "a\x01\"b": invalid syntax"#
        );
    }
}
