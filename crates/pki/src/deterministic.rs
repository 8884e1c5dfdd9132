//! Deterministic issuance: a certificate's serial number (and, for CA
//! profiles, its subject key identifier) and the new leaf key are derived
//! with HKDF-SHA256 from the issuing CA's private key and a caller-chosen
//! [`Seed`]; the signature uses no randomness (RFC 6979 for ECDSA). The
//! same CA, seed and profile therefore give the same bytes, so a credential
//! can be regenerated instead of stored.
//!
//! Without the CA key nobody can predict the derived leaf key: the seed is
//! only the context of an HKDF whose secret is the CA key.

use graviola::hashing::hmac::Hmac;
use graviola::hashing::Sha256;

use crate::key::{KeyType, PrivateKey};
use crate::Error;

/// HKDF-Extract salt, separating these derivations from any other use of
/// the CA key. It names client certificates because that was its first
/// use; it stays as is so existing seeds keep their outputs.
const SALT: &[u8] = b"talgen deterministic client certificate v1";

/// What a deterministic certificate is bound to besides the CA key: an
/// ordered list of fields (say, a purpose tag and every input the
/// credential depends on). Fields are length-prefixed, so no two lists
/// encode alike.
///
/// ```
/// use talgen_pki::Seed;
///
/// let a = Seed::new([b"kubeconfig".as_slice(), b"lab"]);
/// let b = Seed::new([b"kubeconfi".as_slice(), b"glab"]);
/// assert_ne!(a, b);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Seed {
    context: Vec<u8>,
}

impl Seed {
    /// A seed from `fields`, in order.
    pub fn new<I, F>(fields: I) -> Self
    where
        I: IntoIterator<Item = F>,
        F: AsRef<[u8]>,
    {
        let mut context = Vec::new();
        for field in fields {
            let field = field.as_ref();
            context.extend_from_slice(&(field.len() as u64).to_be_bytes());
            context.extend_from_slice(field);
        }
        Self { context }
    }
}

/// How the random parts of an issued certificate are made: its serial
/// number, a CA profile's subject key identifier, a new key, and the
/// signature nonce.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Signing {
    /// From the operating system's random source, as Talos does.
    #[default]
    Random,
    /// Derived from the CA key and the seed, with deterministic
    /// signatures: the same CA, seed and profile give the same bytes.
    /// Ed25519 and ECDSA P-256 CAs can derive new keys; RSA CAs can only
    /// sign a key the caller supplies.
    Deterministic(Seed),
}

/// The HKDF pseudo-random key of one (CA key, seed) pair, expanded per
/// purpose.
pub(crate) struct Derivation {
    prk: [u8; 32],
    context: Vec<u8>,
}

impl Derivation {
    /// HKDF-Extract over the CA key as this crate writes it as PEM.
    pub(crate) fn new(ca_key: &PrivateKey, seed: &Seed) -> Result<Self, Error> {
        let ikm = ca_key.to_pem()?;
        let mut mac = Hmac::<Sha256>::new(SALT);
        mac.update(&ikm);
        Ok(Self {
            prk: block(mac.finish().as_ref()),
            context: seed.context.clone(),
        })
    }

    /// HKDF-Expand, one 32-byte block, with info `context ‖ purpose ‖
    /// counter`.
    fn expand32(&self, purpose: &[u8], counter: u8) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new(self.prk);
        mac.update(&self.context);
        mac.update(purpose);
        mac.update([counter, 1]);
        block(mac.finish().as_ref())
    }

    /// A positive 128-bit serial, the size of siderolabs/crypto's random
    /// ones.
    pub(crate) fn serial(&self) -> [u8; 16] {
        let mut serial = [0u8; 16];
        for (out, b) in serial.iter_mut().zip(self.expand32(b"serial", 0)) {
            *out = b;
        }
        // Zero is not a valid serial number.
        if serial == [0; 16] {
            serial[15] = 1;
        }
        serial
    }

    /// A 20-byte subject key identifier, the size of the random ones.
    pub(crate) fn subject_key_id(&self) -> [u8; 20] {
        let mut id = [0u8; 20];
        for (out, b) in id.iter_mut().zip(self.expand32(b"subject key id", 0)) {
            *out = b;
        }
        id
    }

    /// A private key of `key_type`.
    ///
    /// # Errors
    /// [`Error::DeterministicUnsupported`] for RSA.
    pub(crate) fn key(&self, key_type: KeyType) -> Result<PrivateKey, Error> {
        match key_type {
            KeyType::EcdsaP256 => {
                // Rejection sampling: the first block that is a scalar in
                // [1, n-1].
                let scalar = (0..=u8::MAX)
                    .map(|i| self.expand32(b"p256 key", i))
                    .find(|d| {
                        graviola::key_agreement::p256::StaticPrivateKey::from_bytes(d).is_ok()
                    })
                    .ok_or(Error::Crypto {
                        operation: "deterministic key derivation",
                        reason: "no valid P-256 scalar".into(),
                    })?;
                PrivateKey::from_p256_scalar(&scalar)
            }
            KeyType::Ed25519 => PrivateKey::from_ed25519_seed(&self.expand32(b"ed25519 key", 0)),
            KeyType::Rsa => Err(Error::DeterministicUnsupported { key: "RSA" }),
        }
    }
}

/// The first 32 bytes of an HMAC-SHA256 output (all of it).
fn block(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = *b;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_length_prefixed() {
        let s = Seed::new([b"ab".as_slice(), b"c"]);
        assert_eq!(
            s.context,
            [
                &[0, 0, 0, 0, 0, 0, 0, 2][..],
                b"ab",
                &[0, 0, 0, 0, 0, 0, 0, 1],
                b"c"
            ]
            .concat()
        );
        assert_ne!(s, Seed::new([b"a".as_slice(), b"bc"]));
        assert_ne!(Seed::new::<[&[u8]; 0], &[u8]>([]), Seed::new([b""]));
    }

    #[test]
    fn purposes_expand_apart() {
        let ca = PrivateKey::generate(KeyType::Ed25519).unwrap();
        let d = Derivation::new(&ca, &Seed::new([b"x"])).unwrap();
        assert_ne!(d.expand32(b"serial", 0), d.expand32(b"serial", 1));
        assert_ne!(d.expand32(b"serial", 0), d.expand32(b"p256 key", 0));
        assert_ne!(d.serial(), [0; 16]);
    }

    #[test]
    fn rsa_keys_are_not_derived() {
        let ca = PrivateKey::generate(KeyType::Ed25519).unwrap();
        let d = Derivation::new(&ca, &Seed::new([b"x"])).unwrap();
        assert_eq!(
            d.key(KeyType::Rsa).unwrap_err(),
            Error::DeterministicUnsupported { key: "RSA" }
        );
        assert_eq!(
            d.key(KeyType::Ed25519).unwrap().key_type(),
            KeyType::Ed25519
        );
        assert_eq!(
            d.key(KeyType::EcdsaP256).unwrap().key_type(),
            KeyType::EcdsaP256
        );
    }
}
