//! Device secrets and admin tokens: generated here, stored only as keyed
//! hashes, checked in constant time.
//!
//! Both are high-entropy random strings, so a keyed hash (HMAC-SHA-256
//! under a server key) is enough to make a stolen database useless for
//! logging in; a slow password hash would only cost CPU on every boot
//! request.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Random bytes in a device secret or token (160 bits).
const SECRET_BYTES: usize = 20;

/// A secret shown once to its owner: a device's seed password or an admin
/// token. `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A new random secret: 40 lowercase hex digits, safe in a URL's
    /// user-info part.
    ///
    /// # Errors
    /// When the operating system has no randomness to give.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Self(hex::encode(bytes)))
    }

    /// Wraps a secret given by a caller (a token read from a file).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The secret's text, for the one place it is shown.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// What a hash is for: the same secret text hashes differently per use.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// A device's seed password.
    Device,
    /// An admin API bearer token.
    Token,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Device => b"talgen device secret\0",
            Purpose::Token => b"talgen admin token\0",
        }
    }
}

/// The keyed hash of secrets, under a 256-bit server key.
#[derive(Clone)]
pub struct SecretHasher {
    key: [u8; 32],
}

impl fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHasher([redacted])")
    }
}

impl SecretHasher {
    /// A hasher under `key`.
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// HMAC-SHA-256 of `secret` for `purpose`.
    pub fn hash(&self, purpose: Purpose, secret: &str) -> [u8; 32] {
        // A 32-byte key is always a valid HMAC key; the fallback is never taken.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) else {
            return [0; 32];
        };
        mac.update(purpose.label());
        mac.update(secret.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether `secret` hashes to `stored`, in time that does not depend
    /// on where they differ. A missing `stored` (unknown device) still
    /// costs one hash, so both failures take the same time.
    pub fn verify(&self, purpose: Purpose, secret: &str, stored: Option<&[u8]>) -> bool {
        let got = self.hash(purpose, secret);
        match stored {
            Some(stored) => bool::from(got.as_slice().ct_eq(stored)),
            None => {
                let _ = bool::from(got.as_slice().ct_eq(&[0u8; 32]));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_hex_and_redacted() {
        let a = Secret::generate().unwrap();
        let b = Secret::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 40);
        assert!(a
            .expose()
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(format!("{a:?} {a}"), "[redacted] [redacted]");
    }

    #[test]
    fn hashes_depend_on_key_purpose_and_text() {
        let h = SecretHasher::new([7; 32]);
        let s = h.hash(Purpose::Device, "abc");
        assert!(h.verify(Purpose::Device, "abc", Some(&s)));
        assert!(!h.verify(Purpose::Device, "abd", Some(&s)));
        assert!(!h.verify(Purpose::Token, "abc", Some(&s)));
        assert!(!h.verify(Purpose::Device, "abc", None));
        assert!(!SecretHasher::new([8; 32]).verify(Purpose::Device, "abc", Some(&s)));
        assert!(!h.verify(Purpose::Device, "abc", Some(&s[..31])));
    }
}
