//! RSA-4096 key generation behind a small trait, so the backend can be
//! swapped after measuring.
//!
//! RSA-4096 generation dominates bulk secrets generation: Talos makes the
//! service-account key RSA-4096 from contract v1.7 on, and one key takes
//! from a tenth of a second to several seconds depending on how soon primes
//! turn up. The candidates were measured on the project machine (2 shared
//! cores, x86-64 with ADX/BMI2/AVX-512), release build, November 2026.
//!
//! Run 1: 100 keys per backend, one backend after the other, machine
//! lightly loaded:
//!
//! | backend | median | mean | min – max | p10 – p90 |
//! | --- | --- | --- | --- | --- |
//! | graviola 0.4.4 | 0.420 s | 0.482 s | 0.058 – 1.588 s | 0.108 – 1.023 s |
//! | aws-lc-rs 1.19.0 | 0.617 s | 0.664 s | 0.140 – 1.942 s | 0.251 – 1.217 s |
//! | rsa 0.10.0 | 0.840 s | 0.904 s | 0.075 – 2.856 s | 0.285 – 1.815 s |
//!
//! Run 2: 120 keys per backend, interleaved (one key from each backend per
//! round, so all see the same load), while other builds kept both cores
//! busy; everything is slower, the order is the same:
//!
//! | backend | median | mean | min – max | p10 – p90 |
//! | --- | --- | --- | --- | --- |
//! | graviola 0.4.4 | 0.605 s | 0.862 s | 0.086 – 4.075 s | 0.210 – 2.122 s |
//! | aws-lc-rs 1.19.0 | 0.708 s | 0.878 s | 0.132 – 4.285 s | 0.296 – 1.574 s |
//! | rsa 0.10.0 | 0.712 s | 0.982 s | 0.092 – 3.601 s | 0.291 – 2.211 s |
//!
//! Go's `crypto/rsa` (Go 1.27) takes about 0.9 s mean per key on a quiet
//! machine, so there graviola is about 1.9x faster on the mean. Graviola is
//! pure Rust plus checked-in assembly (no C toolchain, unlike aws-lc-rs),
//! and it also covers Ed25519 and ECDSA P-256, so the whole crate uses it.
//! Its RSA key generation is not hardened against side channels, which is
//! acceptable for a command-line generator run on the operator's machine.
//! It needs x86-64 with BMI2/ADX/AVX2 or aarch64.

use crate::Error;

/// A source of RSA-4096 private keys, returned as PKCS#1 DER.
pub trait RsaKeyGenerator {
    /// Short backend name for reports.
    fn name(&self) -> &'static str;

    /// Generates one RSA-4096 key with public exponent 65537.
    ///
    /// # Errors
    /// When the random source or the backend fails.
    fn generate_4096_pkcs1(&self) -> Result<Vec<u8>, Error>;
}

/// The backend chosen by measurement: graviola.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraviolaRsa;

impl RsaKeyGenerator for GraviolaRsa {
    fn name(&self) -> &'static str {
        "graviola"
    }

    fn generate_4096_pkcs1(&self) -> Result<Vec<u8>, Error> {
        use graviola::signing::rsa::{KeySize, SigningKey};
        let key = SigningKey::generate(KeySize::Rsa4096)
            .map_err(|e| Error::crypto("RSA key generation", e))?;
        let mut buf = vec![0u8; 8192];
        let der = key
            .to_pkcs1_der(&mut buf)
            .map_err(|e| Error::crypto("RSA key encoding", e))?;
        Ok(der.to_vec())
    }
}

/// The generator [`crate::PrivateKey::generate`] uses.
pub fn default_rsa_generator() -> &'static dyn RsaKeyGenerator {
    &GraviolaRsa
}
