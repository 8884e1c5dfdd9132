//! Private keys of the three kinds Talos uses, with Talos's PEM forms.

use graviola::hashing::Sha256;
use graviola::signing::ecdsa::{SigningKey as EcdsaKey, P256};
use graviola::signing::eddsa::Ed25519SigningKey;
use graviola::signing::rsa::SigningKey as RsaKey;

use crate::der;
use crate::oid;
use crate::pem::{self, Label};
use crate::rsa::{default_rsa_generator, RsaKeyGenerator};
use crate::Error;

/// The key algorithms Talos generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// Ed25519 (the Talos OS CA and talosconfig client certificates).
    Ed25519,
    /// ECDSA on NIST P-256 (etcd and Kubernetes CAs, early service-account keys).
    EcdsaP256,
    /// RSA with a 4096-bit modulus (service-account keys since v1.7). Keys
    /// loaded from files may have other sizes.
    Rsa,
}

enum Inner {
    Ed25519(Ed25519SigningKey),
    EcdsaP256(EcdsaKey<P256>),
    Rsa(Box<RsaKey>),
}

/// A private key, able to sign certificates and to write itself as PEM
/// with the label Talos uses for its kind.
pub struct PrivateKey {
    inner: Inner,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("type", &self.key_type())
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Generates a fresh key; RSA keys are 4096 bits, made by the
    /// measured-fastest backend (see [`crate::RsaKeyGenerator`]).
    ///
    /// # Errors
    /// When the random source or the backend fails.
    pub fn generate(key_type: KeyType) -> Result<Self, Error> {
        Self::generate_with(key_type, default_rsa_generator())
    }

    /// Like [`PrivateKey::generate`], with an explicit RSA backend.
    ///
    /// # Errors
    /// When the random source or the backend fails.
    pub fn generate_with(key_type: KeyType, rsa: &dyn RsaKeyGenerator) -> Result<Self, Error> {
        crate::error::ensure_cpu()?;
        let inner = match key_type {
            KeyType::Ed25519 => Inner::Ed25519(
                Ed25519SigningKey::generate()
                    .map_err(|e| Error::crypto("Ed25519 key generation", e))?,
            ),
            KeyType::EcdsaP256 => Inner::EcdsaP256(
                EcdsaKey::<P256>::generate()
                    .map_err(|e| Error::crypto("ECDSA key generation", e))?,
            ),
            KeyType::Rsa => {
                let der = rsa.generate_4096_pkcs1()?;
                Inner::Rsa(Box::new(
                    RsaKey::from_pkcs1_der(&der).map_err(|e| bad_key("RSA", e))?,
                ))
            }
        };
        Ok(Self { inner })
    }

    /// Reads a PEM private key the way Talos does: `RSA PRIVATE KEY`
    /// (PKCS#1), `EC PRIVATE KEY` (SEC 1, P-256), `ED25519 PRIVATE KEY` or
    /// `PRIVATE KEY` (PKCS#8). Text around the block is ignored.
    ///
    /// # Errors
    /// No PEM block, an unsupported label, or a body that does not decode.
    pub fn from_pem(data: &[u8]) -> Result<Self, Error> {
        crate::error::ensure_cpu()?;
        let block = pem::decode(data)?;
        let inner = match Label::from_name(&block.label) {
            Some(Label::RsaPrivateKey) => Inner::Rsa(Box::new(
                RsaKey::from_pkcs1_der(&block.der).map_err(|e| bad_key("RSA", e))?,
            )),
            Some(Label::EcPrivateKey) => Inner::EcdsaP256(
                EcdsaKey::<P256>::from_sec1_der(&block.der).map_err(|e| bad_key("ECDSA", e))?,
            ),
            Some(Label::Ed25519PrivateKey) => Inner::Ed25519(
                Ed25519SigningKey::from_pkcs8_der(&block.der).map_err(|e| bad_key("Ed25519", e))?,
            ),
            Some(Label::PrivateKey) => Self::from_pkcs8(&block.der)?,
            _ => return Err(Error::UnsupportedKeyType { label: block.label }),
        };
        Ok(Self { inner })
    }

    fn from_pkcs8(der: &[u8]) -> Result<Inner, Error> {
        if let Ok(k) = Ed25519SigningKey::from_pkcs8_der(der) {
            return Ok(Inner::Ed25519(k));
        }
        if let Ok(k) = EcdsaKey::<P256>::from_pkcs8_der(der) {
            return Ok(Inner::EcdsaP256(k));
        }
        RsaKey::from_pkcs8_der(der)
            .map(|k| Inner::Rsa(Box::new(k)))
            .map_err(|e| bad_key("PKCS#8", e))
    }

    /// The key's algorithm.
    pub fn key_type(&self) -> KeyType {
        match self.inner {
            Inner::Ed25519(_) => KeyType::Ed25519,
            Inner::EcdsaP256(_) => KeyType::EcdsaP256,
            Inner::Rsa(_) => KeyType::Rsa,
        }
    }

    /// The key as PEM with Talos's label for its kind, byte for byte as
    /// siderolabs/crypto writes it: Ed25519 as PKCS#8 v1 under
    /// `ED25519 PRIVATE KEY`, ECDSA as SEC 1 with curve and public key under
    /// `EC PRIVATE KEY`, RSA as PKCS#1 under `RSA PRIVATE KEY`.
    ///
    /// # Errors
    /// Only if the backend fails to encode the key.
    pub fn to_pem(&self) -> Result<Vec<u8>, Error> {
        let mut buf = vec![0u8; 8192];
        Ok(match &self.inner {
            Inner::Ed25519(k) => {
                pem::encode(Label::Ed25519PrivateKey, &ed25519_pkcs8_v1(&k.as_seed()))
            }
            Inner::EcdsaP256(k) => {
                let der = k
                    .to_sec1_der(&mut buf)
                    .map_err(|e| Error::crypto("ECDSA key encoding", e))?;
                pem::encode(Label::EcPrivateKey, der)
            }
            Inner::Rsa(k) => {
                let der = k
                    .to_pkcs1_der(&mut buf)
                    .map_err(|e| Error::crypto("RSA key encoding", e))?;
                pem::encode(Label::RsaPrivateKey, der)
            }
        })
    }

    /// The DER SubjectPublicKeyInfo of the public half.
    ///
    /// # Errors
    /// Only if the backend fails to encode the key.
    pub fn public_key_der(&self) -> Result<Vec<u8>, Error> {
        let mut buf = vec![0u8; 4096];
        let der = match &self.inner {
            Inner::Ed25519(k) => k.public_key().to_spki_der(&mut buf),
            Inner::EcdsaP256(k) => k.to_spki_der(&mut buf),
            Inner::Rsa(k) => k.public_key().to_spki_der(&mut buf),
        }
        .map_err(|e| Error::crypto("public key encoding", e))?;
        Ok(der.to_vec())
    }

    /// The AlgorithmIdentifier of signatures made by this key, as Go picks
    /// it for Talos certificates: Ed25519, ECDSA with SHA-256, RSA PKCS#1
    /// v1.5 with SHA-512.
    pub(crate) fn signature_algorithm(&self) -> Vec<u8> {
        match self.inner {
            Inner::Ed25519(_) => der::sequence(&[&der::oid(oid::ED25519)]),
            Inner::EcdsaP256(_) => der::sequence(&[&der::oid(oid::ECDSA_WITH_SHA256)]),
            Inner::Rsa(_) => der::sequence(&[
                &der::oid(oid::SHA512_WITH_RSA),
                &der::tlv(der::TAG_NULL, &[]),
            ]),
        }
    }

    /// Signs `message` with the algorithm of [`Self::signature_algorithm`].
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.inner {
            Inner::Ed25519(k) => Ok(k.sign(message).to_vec()),
            Inner::EcdsaP256(k) => {
                let mut buf = [0u8; 128];
                let sig = k
                    .sign_asn1::<Sha256>(&[message], &mut buf)
                    .map_err(|e| Error::crypto("ECDSA signing", e))?;
                Ok(sig.to_vec())
            }
            Inner::Rsa(k) => {
                let mut buf = vec![0u8; k.modulus_len_bytes()];
                let sig = k
                    .sign_pkcs1_sha512(&mut buf, message)
                    .map_err(|e| Error::crypto("RSA signing", e))?;
                Ok(sig.to_vec())
            }
        }
    }
}

impl PrivateKey {
    /// A P-256 key from its private scalar, via a SEC 1 `ECPrivateKey`
    /// without the optional public key (the backend recomputes it).
    pub(crate) fn from_p256_scalar(scalar: &[u8; 32]) -> Result<Self, Error> {
        let sec1 = der::sequence(&[
            &der::small_integer(1),
            &der::tlv(der::TAG_OCTET_STRING, scalar),
            &der::tlv(0xa0, &der::oid(oid::PRIME256V1)),
        ]);
        let key = EcdsaKey::<P256>::from_sec1_der(&sec1).map_err(|e| bad_key("ECDSA", e))?;
        Ok(Self {
            inner: Inner::EcdsaP256(key),
        })
    }

    /// An Ed25519 key from its 32-byte seed.
    pub(crate) fn from_ed25519_seed(seed: &[u8; 32]) -> Result<Self, Error> {
        let key = Ed25519SigningKey::from_pkcs8_der(&ed25519_pkcs8_v1(seed))
            .map_err(|e| bad_key("Ed25519", e))?;
        Ok(Self {
            inner: Inner::Ed25519(key),
        })
    }

    /// Like [`Self::sign`], without randomness: the same key and message
    /// give the same signature. Ed25519 and RSA PKCS#1 v1.5 signatures are
    /// deterministic already; ECDSA uses RFC 6979 nonces with SHA-256.
    ///
    /// graviola always mixes fresh randomness into its RFC 6979 nonce and
    /// offers no way to leave it out, so this one operation uses the `p256`
    /// crate; every other operation of this crate is graviola's.
    pub(crate) fn sign_deterministic(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        use p256::ecdsa::signature::Signer as _;

        let Inner::EcdsaP256(k) = &self.inner else {
            return self.sign(message);
        };
        let mut buf = [0u8; 256];
        let sec1 = k
            .to_sec1_der(&mut buf)
            .map_err(|e| Error::crypto("ECDSA key encoding", e))?;
        let seq = der::single(sec1, der::TAG_SEQUENCE, "ECPrivateKey")?;
        let mut fields = der::Reader::new(seq.content);
        fields.expect(der::TAG_INTEGER, "ECPrivateKey version")?;
        let scalar = fields.expect(der::TAG_OCTET_STRING, "ECPrivateKey privateKey")?;
        let signer = p256::ecdsa::SigningKey::from_slice(scalar.content)
            .map_err(|e| Error::crypto("ECDSA key conversion", e))?;
        let sig: p256::ecdsa::Signature = signer
            .try_sign(message)
            .map_err(|e| Error::crypto("ECDSA signing", e))?;
        let (r, s) = sig.split_bytes();
        Ok(der::sequence(&[
            &der::unsigned_integer(&r),
            &der::unsigned_integer(&s),
        ]))
    }
}

/// PKCS#8 v1 for an Ed25519 seed, the form Go's `MarshalPKCS8PrivateKey`
/// writes (no embedded public key, unlike PKCS#8 v2).
fn ed25519_pkcs8_v1(seed: &[u8; 32]) -> Vec<u8> {
    der::sequence(&[
        &der::small_integer(0),
        &der::sequence(&[&der::oid(oid::ED25519)]),
        &der::tlv(
            der::TAG_OCTET_STRING,
            &der::tlv(der::TAG_OCTET_STRING, seed),
        ),
    ])
}

fn bad_key(kind: &'static str, err: impl std::fmt::Debug) -> Error {
    Error::BadKey {
        kind,
        reason: format!("{err:?}"),
    }
}
