//! Names that travel in URLs: cluster names and device ids.

use crate::error::ApiError;

/// The longest name: a DNS label.
pub const MAX_ID_LEN: usize = 63;

/// Whether `s` is a valid cluster name or device id: a lowercase letter or
/// digit, then up to 62 lowercase letters, digits or hyphens.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.bytes();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        _ => return false,
    }
    s.len() <= MAX_ID_LEN
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Checks a name given by an API caller; `what` names it in the error.
///
/// # Errors
/// [`ApiError::Invalid`] naming the rule.
pub fn check_id(what: &str, s: &str) -> Result<(), ApiError> {
    if is_valid_id(s) {
        Ok(())
    } else {
        Err(ApiError::Invalid(format!(
            "{what} {s:?} is not valid: use 1 to {MAX_ID_LEN} lowercase letters, digits and \
             hyphens, starting with a letter or digit"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["a", "0", "store-0001-cp1", "a-", &"a".repeat(63)] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "A",
            "a_b",
            "a.b",
            "ä",
            &"a".repeat(64),
            "a/b",
            "..",
            "a b",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
