//! Certificate authorities: Talos's self-signed CAs and issuing leaf
//! certificates from a CA loaded from PEM.

use crate::cert::Certificate;
use crate::der;
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
        let subject = profile.subject();
        let der = build(profile, &subject, &subject, &key, &key, Some(&ski), None)?;
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
    /// RSA-SHA512).
    ///
    /// # Errors
    /// When randomness or signing fails.
    pub fn issue(
        &self,
        profile: &CertificateProfile,
        subject_key: &PrivateKey,
    ) -> Result<Certificate, Error> {
        let subject = profile.subject();
        let skid = if profile.is_ca {
            let mut id = [0u8; 20];
            random_bytes(&mut id)?;
            Some(id)
        } else {
            None
        };
        // Go sets the authority key id only when issuer and subject differ.
        let akid = if self.cert.subject_der() != subject.as_slice() {
            self.cert.subject_key_id()
        } else {
            None
        };
        let der = build(
            profile,
            &subject,
            self.cert.subject_der(),
            subject_key,
            &self.key,
            skid.as_ref().map(|s| &s[..]),
            akid.as_deref(),
        )?;
        Certificate::from_der(&der)
    }

    /// Generates a key of [`Ca::leaf_key_type`] and issues a certificate
    /// for it.
    ///
    /// # Errors
    /// When key generation, randomness or signing fails.
    pub fn issue_with_new_key(&self, profile: &CertificateProfile) -> Result<Issued, Error> {
        let key = PrivateKey::generate(self.leaf_key_type())?;
        let certificate = self.issue(profile, &key)?;
        Ok(Issued {
            cert_pem: certificate.to_pem(),
            key_pem: key.to_pem()?,
            certificate,
            key,
        })
    }
}

/// Fills `buf` from the operating system's random source.
///
/// # Errors
/// When the random source fails.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    graviola::random::fill(buf).map_err(|e| Error::crypto("random source", e))
}

/// Assembles and signs a certificate in Go's field and extension order.
fn build(
    profile: &CertificateProfile,
    subject: &[u8],
    issuer: &[u8],
    subject_key: &PrivateKey,
    signer: &PrivateKey,
    subject_key_id: Option<&[u8]>,
    authority_key_id: Option<&[u8]>,
) -> Result<Vec<u8>, Error> {
    // A 128-bit random serial (siderolabs/crypto `NewSerialNumber`).
    let mut serial = [0u8; 16];
    random_bytes(&mut serial)?;
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
        der::unsigned_integer(&serial),
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
    let signature = signer.sign(&tbs)?;
    Ok(der::sequence(&[
        &tbs,
        &sig_alg,
        &der::bit_string(&signature),
    ]))
}
