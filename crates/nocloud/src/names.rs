//! Validation of host names and free-form values shared by meta-data and the
//! SMBIOS serial.

use crate::error::{Error, Result};

/// Checks that `hostname` is a DNS name Talos can split into host and domain:
/// dot-separated RFC 1123 labels of 1 to 63 letters, digits or hyphens, not
/// starting or ending with a hyphen, 253 characters at most.
pub fn validate_hostname(hostname: &str) -> Result<()> {
    let bad = |reason: &str| Error::InvalidHostname {
        hostname: hostname.to_string(),
        reason: reason.to_string(),
    };
    if hostname.is_empty() {
        return Err(bad("empty"));
    }
    if hostname.len() > 253 {
        return Err(bad("longer than 253 characters"));
    }
    for label in hostname.split('.') {
        if label.is_empty() {
            return Err(bad("empty label"));
        }
        if label.len() > 63 {
            return Err(bad("label longer than 63 characters"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(bad("only letters, digits, '-' and '.' are allowed"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label starts or ends with '-'"));
        }
    }
    Ok(())
}

/// Checks a free-form single-line value: not empty, no control characters,
/// and none of the `forbidden` characters.
pub(crate) fn validate_token(field: &'static str, value: &str, forbidden: &[char]) -> Result<()> {
    let bad = |reason: String| Error::InvalidValue {
        field,
        value: value.to_string(),
        reason,
    };
    if value.is_empty() {
        return Err(bad("empty".into()));
    }
    if value.chars().any(char::is_control) {
        return Err(bad("contains a control character".into()));
    }
    if let Some(c) = value.chars().find(|c| forbidden.contains(c)) {
        return Err(bad(format!("contains {c:?}")));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        for ok in ["talos", "talos-cp-1", "a.b.example.com", "x1"] {
            validate_hostname(ok).unwrap();
        }
        for bad in ["", "-a", "a-", "a..b", "a_b", "a;b", "a b", &"x".repeat(64)] {
            assert!(validate_hostname(bad).is_err(), "{bad:?} accepted");
        }
    }
}
