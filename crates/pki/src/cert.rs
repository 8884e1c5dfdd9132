//! Parsed X.509 certificates: just the fields Talos needs to issue from a
//! CA, check a key against its certificate and verify a chain.

use std::time::SystemTime;

use graviola::hashing::{Sha256, Sha384};
use graviola::signing::ecdsa::{VerifyingKey as EcdsaPublic, P256};
use graviola::signing::eddsa::Ed25519VerifyingKey;
use graviola::signing::rsa::VerifyingKey as RsaPublic;

use crate::der::{self, Reader};
use crate::oid;
use crate::pem::{self, Label};
use crate::time;
use crate::Error;

/// One certificate extension as found in the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The extension's object identifier in dotted form.
    pub oid: String,
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The DER value inside the extension's OCTET STRING.
    pub value: Vec<u8>,
}

/// An X.509 certificate, kept as its DER bytes plus the parsed fields
/// certificate issuance and validation need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Vec<u8>,
    serial: Vec<u8>,
    signature_algorithm: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
    not_before: SystemTime,
    not_after: SystemTime,
    public_key: Vec<u8>,
    extensions: Vec<Extension>,
    signature: Vec<u8>,
}

impl Certificate {
    /// Reads the first `CERTIFICATE` PEM block of `data`.
    ///
    /// # Errors
    /// No PEM block, another label, or DER that is not a certificate.
    pub fn from_pem(data: &[u8]) -> Result<Self, Error> {
        let block = pem::decode(data)?;
        if block.label != Label::Certificate.as_str() {
            return Err(Error::UnexpectedPemLabel {
                expected: Label::Certificate.as_str(),
                found: block.label,
            });
        }
        Self::from_der(&block.der)
    }

    /// Parses a DER certificate.
    ///
    /// # Errors
    /// When `der` is not a well-formed X.509 v1–v3 certificate.
    pub fn from_der(der_bytes: &[u8]) -> Result<Self, Error> {
        let outer = der::single(der_bytes, der::TAG_SEQUENCE, "certificate")?;
        let mut r = Reader::new(outer.content);
        let tbs = r.expect(der::TAG_SEQUENCE, "tbsCertificate")?;
        let outer_alg = r.expect(der::TAG_SEQUENCE, "signatureAlgorithm")?;
        let sig = r.expect(der::TAG_BIT_STRING, "signature")?;
        let signature = match sig.content.split_first() {
            Some((0, bits)) => bits.to_vec(),
            _ => return Err(Error::MalformedDer { what: "signature" }),
        };

        let mut t = Reader::new(tbs.content);
        if t.peek_tag() == Some(0xa0) {
            t.next("version")?;
        }
        let serial = t.expect(der::TAG_INTEGER, "serialNumber")?;
        let alg = t.expect(der::TAG_SEQUENCE, "signature")?;
        if alg.raw != outer_alg.raw {
            return Err(Error::MalformedDer {
                what: "signature algorithm mismatch",
            });
        }
        let issuer = t.expect(der::TAG_SEQUENCE, "issuer")?;
        let validity = t.expect(der::TAG_SEQUENCE, "validity")?;
        let subject = t.expect(der::TAG_SEQUENCE, "subject")?;
        let spki = t.expect(der::TAG_SEQUENCE, "subjectPublicKeyInfo")?;

        let mut v = Reader::new(validity.content);
        let nb = v.next("notBefore")?;
        let na = v.next("notAfter")?;
        let not_before =
            time::decode(nb.tag, nb.content).ok_or(Error::MalformedDer { what: "notBefore" })?;
        let not_after =
            time::decode(na.tag, na.content).ok_or(Error::MalformedDer { what: "notAfter" })?;

        let mut extensions = Vec::new();
        while !t.is_empty() {
            let el = t.next("tbsCertificate")?;
            if el.tag == 0xa3 {
                extensions = parse_extensions(el.content)?;
            }
        }

        Ok(Self {
            der: der_bytes.to_vec(),
            tbs: tbs.raw.to_vec(),
            serial: serial.content.to_vec(),
            signature_algorithm: alg.raw.to_vec(),
            issuer: issuer.raw.to_vec(),
            subject: subject.raw.to_vec(),
            not_before,
            not_after,
            public_key: spki.raw.to_vec(),
            extensions,
            signature,
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate as a `CERTIFICATE` PEM block, as Go writes it.
    pub fn to_pem(&self) -> Vec<u8> {
        pem::encode(Label::Certificate, &self.der)
    }

    /// The serial number's big-endian two's-complement content bytes.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// The DER subject name.
    pub fn subject_der(&self) -> &[u8] {
        &self.subject
    }

    /// The DER issuer name.
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> SystemTime {
        self.not_before
    }

    /// End of the validity period.
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn public_key_der(&self) -> &[u8] {
        &self.public_key
    }

    /// The extensions in certificate order.
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The subject key identifier, when the certificate has one.
    pub fn subject_key_id(&self) -> Option<Vec<u8>> {
        let ext = self.extension(oid::SUBJECT_KEY_ID)?;
        let el = der::single(&ext.value, der::TAG_OCTET_STRING, "subjectKeyIdentifier").ok()?;
        Some(el.content.to_vec())
    }

    /// Whether basic constraints mark this certificate as a CA.
    pub fn is_ca(&self) -> bool {
        let Some(ext) = self.extension(oid::BASIC_CONSTRAINTS) else {
            return false;
        };
        let Ok(seq) = der::single(&ext.value, der::TAG_SEQUENCE, "basicConstraints") else {
            return false;
        };
        let mut r = Reader::new(seq.content);
        matches!(r.next("cA"), Ok(el) if el.tag == der::TAG_BOOLEAN && el.content == [0xff])
    }

    fn extension(&self, arcs: &[u64]) -> Option<&Extension> {
        let want = oid::dotted(&oid::content(arcs));
        self.extensions.iter().find(|e| e.oid == want)
    }

    /// Checks that `issuer`'s key made this certificate's signature.
    ///
    /// # Errors
    /// [`Error::BadSignature`] when it does not verify, or an unsupported
    /// algorithm.
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), Error> {
        verify(
            &issuer.public_key,
            &self.signature_algorithm,
            &self.tbs,
            &self.signature,
        )
    }
}

fn parse_extensions(explicit: &[u8]) -> Result<Vec<Extension>, Error> {
    let seq = der::single(explicit, der::TAG_SEQUENCE, "extensions")?;
    let mut r = Reader::new(seq.content);
    let mut out = Vec::new();
    while !r.is_empty() {
        let ext = r.expect(der::TAG_SEQUENCE, "extension")?;
        let mut e = Reader::new(ext.content);
        let id = e.expect(der::TAG_OID, "extnID")?;
        let mut critical = false;
        if e.peek_tag() == Some(der::TAG_BOOLEAN) {
            critical = e.next("critical")?.content == [0xff];
        }
        let value = e.expect(der::TAG_OCTET_STRING, "extnValue")?;
        out.push(Extension {
            oid: oid::dotted(id.content),
            critical,
            value: value.content.to_vec(),
        });
    }
    Ok(out)
}

/// Verifies `signature` over `message` with the SubjectPublicKeyInfo `spki`
/// and the signature AlgorithmIdentifier `alg`.
pub(crate) fn verify(
    spki: &[u8],
    alg: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    crate::error::ensure_cpu()?;
    let seq = der::single(spki, der::TAG_SEQUENCE, "subjectPublicKeyInfo")?;
    let mut r = Reader::new(seq.content);
    let key_alg = r.expect(der::TAG_SEQUENCE, "algorithm")?;
    let bits = r.expect(der::TAG_BIT_STRING, "subjectPublicKey")?;
    let key_bytes = match bits.content.split_first() {
        Some((0, rest)) => rest,
        _ => {
            return Err(Error::MalformedDer {
                what: "subjectPublicKey",
            })
        }
    };
    let key_oid = Reader::new(key_alg.content).expect(der::TAG_OID, "algorithm")?;

    let alg_seq = der::single(alg, der::TAG_SEQUENCE, "signatureAlgorithm")?;
    let sig_oid = Reader::new(alg_seq.content).expect(der::TAG_OID, "algorithm")?;
    let sig_oid = sig_oid.content;
    let is = |arcs: &[u64]| sig_oid == oid::content(arcs).as_slice();
    let bad = |_| Error::BadSignature;

    if key_oid.content == oid::content(oid::ED25519).as_slice() && is(oid::ED25519) {
        let key = Ed25519VerifyingKey::from_bytes(key_bytes).map_err(bad)?;
        return key.verify(signature, message).map_err(bad);
    }
    if key_oid.content == oid::content(oid::EC_PUBLIC_KEY).as_slice() {
        let key = EcdsaPublic::<P256>::from_x962_uncompressed(key_bytes).map_err(bad)?;
        if is(oid::ECDSA_WITH_SHA256) {
            return key
                .verify_asn1::<Sha256>(&[message], signature)
                .map_err(bad);
        }
        if is(oid::ECDSA_WITH_SHA384) {
            return key
                .verify_asn1::<Sha384>(&[message], signature)
                .map_err(bad);
        }
    }
    if key_oid.content == oid::content(oid::RSA_ENCRYPTION).as_slice() {
        let key = RsaPublic::from_pkcs1_der(key_bytes).map_err(bad)?;
        if is(oid::SHA256_WITH_RSA) {
            return key.verify_pkcs1_sha256(signature, message).map_err(bad);
        }
        if is(oid::SHA384_WITH_RSA) {
            return key.verify_pkcs1_sha384(signature, message).map_err(bad);
        }
        if is(oid::SHA512_WITH_RSA) {
            return key.verify_pkcs1_sha512(signature, message).map_err(bad);
        }
    }
    Err(Error::UnsupportedAlgorithm {
        oid: oid::dotted(sig_oid),
    })
}
