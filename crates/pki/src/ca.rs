//! Certificate authorities: Talos's self-signed CAs and issuing leaf
//! certificates from a CA loaded from PEM.

use crate::cert::Certificate;
use crate::der;
use crate::deterministic::{Derivation, Signing};
use crate::key::{KeyType, PrivateKey};
use crate::profile::CertificateProfile;
use crate::time;
use crate::Error;

/// A CA certificate with its private key, plus the PEM text both came from
/// (or were written as), so loaded CAs are passed on byte for byte.
#[derive(Debug)]
pub struct Ca {
    cert: Certificate,
    key: PrivateKey,
    cert_pem: Vec<u8>,
    key_pem: Vec<u8>,
}

/// A freshly issued certificate with its new private key, both as PEM.
#[derive(Debug)]
pub struct Issued {
    /// The certificate.
    pub certificate: Certificate,
    /// The certificate's private key.
    pub key: PrivateKey,
    /// The certificate as PEM.
    pub cert_pem: Vec<u8>,
    /// The key as PEM with Talos's label.
    pub key_pem: Vec<u8>,
}

impl Ca {
    /// Creates a self-signed CA with a new key of `key_type`, a 128-bit
    /// random serial and a random 20-byte subject key identifier, as
    /// siderolabs/crypto's `NewSelfSignedCertificateAuthority` does.
    ///
    /// # Errors
    /// When key generation, randomness or signing fails.
    pub fn self_signed(key_type: KeyType, profile: &CertificateProfile) -> Result<Self, Error> {
        let key = PrivateKey::generate(key_type)?;
        let mut ski = [0u8; 20];
        random_bytes(&mut ski)?;
        let serial = random_serial()?;
        let subject = profile.subject();
        let der = build(
            profile,
            &subject,
            &subject,
            &key,
            &key,
            &serial,
            Some(&ski),
            None,
            Nonce::Random,
        )?;
        let cert = Certificate::from_der(&der)?;
        let cert_pem = cert.to_pem();
        let key_pem = key.to_pem()?;
        Ok(Self {
            cert,
            key,
            cert_pem,
            key_pem,
        })
    }

    /// Loads a CA from its PEM certificate and key, checking that the key
    /// belongs to the certificate.
    ///
    /// # Errors
    /// Bad PEM, a certificate or key that does not parse, or
    /// [`Error::KeyMismatch`].
    pub fn from_pem(cert_pem: &[u8], key_pem: &[u8]) -> Result<Self, Error> {
        // The key first, as Talos's validation reports key problems first.
        let key = PrivateKey::from_pem(key_pem)?;
        let cert = Certificate::from_pem(cert_pem)?;
        if key.public_key_der()? != cert.public_key_der() {
            return Err(Error::KeyMismatch);
        }
        Ok(Self {
            cert,
            key,
            cert_pem: cert_pem.to_vec(),
            key_pem: key_pem.to_vec(),
        })
    }

    /// The CA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The CA private key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// The certificate PEM.
    pub fn cert_pem(&self) -> &[u8] {
        &self.cert_pem
    }

    /// The key PEM.
    pub fn key_pem(&self) -> &[u8] {
        &self.key_pem
    }

    /// The key type Talos gives certificates issued by this CA
    /// (siderolabs/crypto `NewKeyPair`): the CA's own key type.
    pub fn leaf_key_type(&self) -> KeyType {
        self.key.key_type()
    }

    /// Issues a certificate for `subject_key` with `profile`, signed by this
    /// CA: issuer is the CA's subject as encoded in its certificate, the
    /// authority key identifier is the CA's subject key identifier, and the
    /// signature algorithm follows the CA key (Ed25519, ECDSA-SHA256 or
    /// RSA-SHA512). Serial number and signature are random
    /// ([`Signing::Random`]).
    ///
    /// # Errors
    /// When randomness or signing fails.
    pub fn issue(
        &self,
        profile: &CertificateProfile,
        subject_key: &PrivateKey,
    ) -> Result<Certificate, Error> {
        self.issue_using(profile, subject_key, &Signing::Random)
    }

    /// Like [`Ca::issue`], with the serial number, subject key identifier
    /// and signature made as `signing` says. A deterministic certificate is
    /// checked against this CA before it is returned.
    ///
    /// # Errors
    /// When randomness or signing fails, or a deterministic signature does
    /// not verify.
    pub fn issue_using(
        &self,
        profile: &CertificateProfile,
        subject_key: &PrivateKey,
        signing: &Signing,
    ) -> Result<Certificate, Error> {
        let derivation = self.derivation(signing)?;
        self.issue_derived(profile, subject_key, derivation.as_ref())
    }

    /// Generates a key of [`Ca::leaf_key_type`] and issues a certificate
    /// for it.
    ///
    /// # Errors
    /// When key generation, randomness or signing fails.
    pub fn issue_with_new_key(&self, profile: &CertificateProfile) -> Result<Issued, Error> {
        self.issue_with_new_key_using(profile, &Signing::Random)
    }

    /// Like [`Ca::issue_with_new_key`], with the key, serial number, subject
    /// key identifier and signature made as `signing` says: with
    /// [`Signing::Deterministic`] the same CA, seed and profile give the
    /// same certificate and key, byte for byte.
    ///
    /// # Errors
    /// When key generation, randomness or signing fails, or
    /// [`Error::DeterministicUnsupported`] for a deterministic key of an
    /// RSA CA.
    pub fn issue_with_new_key_using(
        &self,
        profile: &CertificateProfile,
        signing: &Signing,
    ) -> Result<Issued, Error> {
        let derivation = self.derivation(signing)?;
        let key = match &derivation {
            Some(d) => d.key(self.leaf_key_type())?,
            None => PrivateKey::generate(self.leaf_key_type())?,
        };
        let certificate = self.issue_derived(profile, &key, derivation.as_ref())?;
        Ok(Issued {
            cert_pem: certificate.to_pem(),
            key_pem: key.to_pem()?,
            certificate,
            key,
        })
    }

    fn derivation(&self, signing: &Signing) -> Result<Option<Derivation>, Error> {
        match signing {
            Signing::Random => Ok(None),
            Signing::Deterministic(seed) => Derivation::new(&self.key, seed).map(Some),
        }
    }

    /// Issues with random values, or with values from `derivation`.
    fn issue_derived(
        &self,
        profile: &CertificateProfile,
        subject_key: &PrivateKey,
        derivation: Option<&Derivation>,
    ) -> Result<Certificate, Error> {
        let serial = match derivation {
            Some(d) => d.serial(),
            None => random_serial()?,
        };
        let skid = match (profile.is_ca, derivation) {
            (false, _) => None,
            (true, Some(d)) => Some(d.subject_key_id()),
            (true, None) => {
                let mut id = [0u8; 20];
                random_bytes(&mut id)?;
                Some(id)
            }
        };
        let subject = profile.subject();
        // Go sets the authority key id only when issuer and subject differ.
        let akid = if self.cert.subject_der() != subject.as_slice() {
            self.cert.subject_key_id()
        } else {
            None
        };
        let nonce = match derivation {
            Some(_) => Nonce::Deterministic,
            None => Nonce::Random,
        };
        let der = build(
            profile,
            &subject,
            self.cert.subject_der(),
            subject_key,
            &self.key,
            &serial,
            skid.as_ref().map(|s| &s[..]),
            akid.as_deref(),
            nonce,
        )?;
        let cert = Certificate::from_der(&der)?;
        if nonce == Nonce::Deterministic {
            // A deterministic signature repeats whatever a fault made of
            // it; checking it also proves the CA key matches its
            // certificate.
            cert.verify_signed_by(&self.cert)?;
        }
        Ok(cert)
    }
}

/// How a certificate's signature is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nonce {
    /// The backend's randomized signing.
    Random,
    /// No randomness (RFC 6979 for ECDSA).
    Deterministic,
}

/// A 128-bit random serial (siderolabs/crypto `NewSerialNumber`).
fn random_serial() -> Result<[u8; 16], Error> {
    let mut serial = [0u8; 16];
    random_bytes(&mut serial)?;
    Ok(serial)
}

/// Fills `buf` from the operating system's random source.
///
/// # Errors
/// When the random source fails.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    graviola::random::fill(buf).map_err(|e| Error::crypto("random source", e))
}

/// Assembles and signs a certificate in Go's field and extension order.
#[allow(clippy::too_many_arguments)]
fn build(
    profile: &CertificateProfile,
    subject: &[u8],
    issuer: &[u8],
    subject_key: &PrivateKey,
    signer: &PrivateKey,
    serial: &[u8; 16],
    subject_key_id: Option<&[u8]>,
    authority_key_id: Option<&[u8]>,
    nonce: Nonce,
) -> Result<Vec<u8>, Error> {
    let sig_alg = signer.signature_algorithm();
    let spki = subject_key.public_key_der()?;
    let validity = der::sequence(&[
        &time::encode(profile.not_before),
        &time::encode(profile.not_after),
    ]);
    let subject_is_empty = subject == [0x30, 0];
    let exts = profile.extensions(subject_key_id, authority_key_id, subject_is_empty);
    let mut parts: Vec<Vec<u8>> = vec![
        der::tlv(0xa0, &der::small_integer(2)),
        der::unsigned_integer(serial),
        sig_alg.clone(),
        issuer.to_vec(),
        validity,
        subject.to_vec(),
        spki,
    ];
    if !exts.is_empty() {
        parts.push(der::tlv(0xa3, &der::tlv(der::TAG_SEQUENCE, &exts.concat())));
    }
    let tbs = der::tlv(der::TAG_SEQUENCE, &parts.concat());
    let signature = match nonce {
        Nonce::Random => signer.sign(&tbs)?,
        Nonce::Deterministic => signer.sign_deterministic(&tbs)?,
    };
    Ok(der::sequence(&[
        &tbs,
        &sig_alg,
        &der::bit_string(&signature),
    ]))
}
