//! Deterministic issuance: the leaf key and serial number derived with
//! HKDF-SHA256 from the CA key and the certificate's inputs, and ECDSA
//! signatures made with RFC 6979 nonces, so identical inputs give
//! identical bytes.
//!
//! The certificate itself is still built by `talgen_pki` (same fields,
//! extensions and encodings as a random one); only its serial number and
//! signature are replaced afterwards.

use graviola::hashing::hmac::Hmac;
use graviola::hashing::Sha256;
use graviola::signing::eddsa::Ed25519SigningKey;
use p256::ecdsa::signature::Signer as _;
use talgen_pki::pem::{self, Label};
use talgen_pki::{Ca, Certificate, CertificateProfile, KeyType, PrivateKey};

use crate::der::{self, Element};
use crate::Error;

/// Salt separating this derivation from any other use of the CA key.
const SALT: &[u8] = b"talgen deterministic client certificate v1";

/// A secret pseudo-random key from HKDF-Extract (RFC 5869) over the CA
/// key; expanded per purpose.
pub(crate) struct Derivation {
    prk: Vec<u8>,
    context: Vec<u8>,
}

impl Derivation {
    /// Binds the CA's private key and every input field (length-prefixed,
    /// so no two field lists encode alike).
    pub(crate) fn new(ca: &Ca, fields: &[&[u8]]) -> Result<Self, Error> {
        let ikm = ca.key().to_pem().map_err(|e| Error::Deterministic {
            operation: "CA key encoding",
            reason: e.to_string(),
        })?;
        let mut mac = Hmac::<Sha256>::new(SALT);
        mac.update(&ikm);
        let prk = mac.finish().as_ref().to_vec();
        let mut context = Vec::new();
        for f in fields {
            context.extend_from_slice(&(f.len() as u64).to_be_bytes());
            context.extend_from_slice(f);
        }
        Ok(Self { prk, context })
    }

    /// HKDF-Expand for `purpose`, 32 bytes (one HMAC block).
    pub(crate) fn expand32(&self, purpose: &[u8], counter: u8) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new(&self.prk);
        mac.update(&self.context);
        mac.update(purpose);
        mac.update([counter, 1]);
        let mut out = [0u8; 32];
        out.copy_from_slice(mac.finish().as_ref());
        out
    }

    /// A 128-bit positive serial, like a random one of siderolabs/crypto.
    pub(crate) fn serial(&self) -> [u8; 16] {
        let block = self.expand32(b"serial", 0);
        let mut serial = [0u8; 16];
        serial.copy_from_slice(block.get(..16).unwrap_or(&[0; 16]));
        // Zero is not a valid serial.
        if serial == [0; 16] {
            serial[15] = 1;
        }
        serial
    }

    /// A private key of `key_type` (the CA's type, as Talos picks it).
    pub(crate) fn key(&self, key_type: KeyType) -> Result<PrivateKey, Error> {
        let pem = match key_type {
            KeyType::EcdsaP256 => {
                // Rejection sampling: the first block that is a valid scalar.
                let scalar = (0..=u8::MAX)
                    .map(|i| self.expand32(b"p256 key", i))
                    .find(|d| p256::SecretKey::from_slice(d).is_ok())
                    .ok_or_else(|| Error::Deterministic {
                        operation: "key derivation",
                        reason: "no valid P-256 scalar".into(),
                    })?;
                pem::encode(Label::EcPrivateKey, &sec1_p256(&scalar))
            }
            KeyType::Ed25519 => {
                let seed = self.expand32(b"ed25519 key", 0);
                pem::encode(Label::Ed25519PrivateKey, &pkcs8_ed25519(&seed))
            }
            _ => return Err(Error::DeterministicUnsupported { key: "RSA" }),
        };
        PrivateKey::from_pem(&pem).map_err(|e| Error::Deterministic {
            operation: "key derivation",
            reason: e.to_string(),
        })
    }
}

/// Issues `profile` for `key` from `ca` with the given serial and a
/// deterministic signature.
pub(crate) fn issue(
    ca: &Ca,
    profile: &CertificateProfile,
    key: &PrivateKey,
    serial: &[u8; 16],
) -> Result<Certificate, Error> {
    let fail = |reason: String| Error::Deterministic {
        operation: "signing",
        reason,
    };
    let template = ca.issue(profile, key).map_err(|source| Error::Issue {
        what: "client certificate",
        source,
    })?;
    let malformed = || fail("issued certificate is malformed".into());
    let (outer, _) = der::next(template.der()).ok_or_else(malformed)?;
    let parts = der::elements(outer.content).ok_or_else(malformed)?;
    let [tbs, sig_alg, _sig] = parts.as_slice() else {
        return Err(malformed());
    };
    let mut fields = der::elements(tbs.content).ok_or_else(malformed)?;
    let serial_der = der::unsigned_integer(serial);
    let (serial_el, _) = der::next(&serial_der).ok_or_else(malformed)?;
    // TBSCertificate: [0] version, then the serial number.
    match fields.get_mut(1) {
        Some(el) if el.tag == der::TAG_INTEGER => *el = serial_el,
        _ => return Err(malformed()),
    }
    let tbs = der::tlv(der::TAG_SEQUENCE, &encode(&fields));
    let signature = sign(ca, &tbs)?;
    let mut bits = vec![0u8];
    bits.extend_from_slice(&signature);
    let cert = der::tlv(
        der::TAG_SEQUENCE,
        &[
            tbs,
            der::tlv(sig_alg.tag, sig_alg.content),
            der::tlv(der::TAG_BIT_STRING, &bits),
        ]
        .concat(),
    );
    let cert = Certificate::from_der(&cert).map_err(|e| fail(e.to_string()))?;
    cert.verify_signed_by(ca.certificate())
        .map_err(|e| fail(e.to_string()))?;
    Ok(cert)
}

fn encode(elements: &[Element<'_>]) -> Vec<u8> {
    elements
        .iter()
        .flat_map(|e| der::tlv(e.tag, e.content))
        .collect()
}

/// Signs with the CA key without randomness: RFC 6979 for ECDSA (SHA-256,
/// as Go signs with P-256 keys), plain Ed25519 otherwise.
fn sign(ca: &Ca, message: &[u8]) -> Result<Vec<u8>, Error> {
    let fail = |reason: String| Error::Deterministic {
        operation: "signing",
        reason,
    };
    let key = ca.key();
    let pem = key.to_pem().map_err(|e| fail(e.to_string()))?;
    let block = pem::decode(&pem).map_err(|e| fail(e.to_string()))?;
    match key.key_type() {
        KeyType::EcdsaP256 => {
            let scalar = sec1_scalar(&block.der).ok_or_else(|| fail("bad SEC 1 key".into()))?;
            let signer =
                p256::ecdsa::SigningKey::from_slice(scalar).map_err(|e| fail(e.to_string()))?;
            let sig: p256::ecdsa::Signature =
                signer.try_sign(message).map_err(|e| fail(e.to_string()))?;
            let (r, s) = sig.split_bytes();
            Ok(der::tlv(
                der::TAG_SEQUENCE,
                &[der::unsigned_integer(&r), der::unsigned_integer(&s)].concat(),
            ))
        }
        KeyType::Ed25519 => {
            let k = Ed25519SigningKey::from_pkcs8_der(&block.der)
                .map_err(|e| fail(format!("{e:?}")))?;
            Ok(k.sign(message).to_vec())
        }
        _ => Err(Error::DeterministicUnsupported { key: "RSA" }),
    }
}

/// The private scalar of a SEC 1 `ECPrivateKey`.
fn sec1_scalar(der_bytes: &[u8]) -> Option<&[u8]> {
    let (seq, _) = der::next(der_bytes)?;
    let fields = der::elements(seq.content)?;
    match fields.get(1) {
        Some(el) if el.tag == der::TAG_OCTET_STRING => Some(el.content),
        _ => None,
    }
}

/// OID 1.2.840.10045.3.1.7 (prime256v1), DER encoded.
const OID_P256: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// OID 1.3.101.112 (Ed25519), DER encoded.
const OID_ED25519: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];

/// A SEC 1 key without the optional public key (the loader recomputes it).
fn sec1_p256(scalar: &[u8; 32]) -> Vec<u8> {
    der::tlv(
        der::TAG_SEQUENCE,
        &[
            vec![der::TAG_INTEGER, 1, 1],
            der::tlv(der::TAG_OCTET_STRING, scalar),
            der::tlv(0xa0, &OID_P256),
        ]
        .concat(),
    )
}

/// PKCS#8 v1 for an Ed25519 seed.
fn pkcs8_ed25519(seed: &[u8; 32]) -> Vec<u8> {
    der::tlv(
        der::TAG_SEQUENCE,
        &[
            vec![der::TAG_INTEGER, 1, 0],
            der::tlv(der::TAG_SEQUENCE, &OID_ED25519),
            der::tlv(
                der::TAG_OCTET_STRING,
                &der::tlv(der::TAG_OCTET_STRING, seed),
            ),
        ]
        .concat(),
    )
}
