//! Keys, PEM and X.509 certificates with exactly the profiles Talos issues.
//!
//! Ports what Talos's `pkg/machinery/config/generate/secrets` needs from
//! siderolabs/crypto's `x509` package and Go's `crypto/x509`: Ed25519,
//! ECDSA P-256 and RSA-4096 keys written as PEM with Talos's labels,
//! self-signed CAs ([`CertificateProfile::talos_ca`]) and certificates
//! issued by a CA loaded from PEM ([`Ca::issue`]). Certificates are built
//! field by field so subject string types, multi-valued organizations and
//! extension order and criticality match Go's encoder.
//!
//! It does not build chains, check revocation or parse every X.509
//! feature: [`Certificate`] reads only what issuance and validation need.
//! [`Signing::Deterministic`] makes issuance reproducible: key, serial
//! number and signature derived from the CA key and a [`Seed`].
//!
//! All cryptography comes from graviola (see [`RsaKeyGenerator`] for the
//! backend measurements), except deterministic ECDSA signatures, which
//! graviola cannot make: those come from the `p256` crate (RFC 6979).
//!
//! ```
//! use std::time::SystemTime;
//! use talgen_pki::{Ca, CertificateProfile, KeyType};
//!
//! let ca = Ca::self_signed(KeyType::EcdsaP256, &CertificateProfile::talos_ca("etcd", SystemTime::now()))?;
//! let pem = ca.cert_pem();
//! assert!(pem.starts_with(b"-----BEGIN CERTIFICATE-----\n"));
//! let again = Ca::from_pem(ca.cert_pem(), ca.key_pem())?;
//! assert!(again.certificate().is_ca());
//! # Ok::<(), talgen_pki::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod ca;
mod cert;
mod der;
mod deterministic;
mod error;
mod key;
mod oid;
pub mod pem;
mod profile;
mod rsa;
mod time;

pub use ca::{random_bytes, Ca, Issued};
pub use cert::{Certificate, Extension};
pub use deterministic::{Seed, Signing};
pub use error::Error;
pub use key::{KeyType, PrivateKey};
pub use profile::{CertificateProfile, ExtKeyUsage, KeyUsage, CA_VALIDITY};
pub use rsa::{default_rsa_generator, GraviolaRsa, RsaKeyGenerator};
pub use time::rfc3339;

/// Hooks for the fuzz targets; not part of the API.
#[doc(hidden)]
pub mod internal {
    /// Parses arbitrary bytes as PEM, keys and certificates; a decoded
    /// block with a Talos label must re-encode and decode to itself.
    // A fuzz hook reports a broken round trip by panicking.
    #[allow(clippy::panic)]
    pub fn fuzz_pem(data: &[u8]) {
        if let Ok(block) = crate::pem::decode(data) {
            if let Some(label) = crate::pem::Label::from_name(&block.label) {
                let again = crate::pem::decode(&crate::pem::encode(label, &block.der));
                assert_eq!(
                    again.as_ref(),
                    Ok(&block),
                    "PEM re-encoding changed the block"
                );
            }
            let _ = crate::Certificate::from_der(&block.der);
        }
        if let Ok(key) = crate::PrivateKey::from_pem(data) {
            let pem = key.to_pem();
            let Ok(pem) = pem else {
                panic!("a loaded key failed to encode: {pem:?}");
            };
            assert!(
                crate::PrivateKey::from_pem(&pem).is_ok(),
                "re-encoded key does not load"
            );
        }
        let _ = crate::Certificate::from_pem(data);
    }
}
