//! Encryption at rest: a master key (from a file the operator keeps) wraps
//! one random data key per cluster and the server's hashing key; data keys
//! seal the cluster's secrets bundle and its devices' rendered files.
//!
//! Every sealed value is XChaCha20-Poly1305 with a random 192-bit nonce
//! (`nonce || ciphertext || tag`) and associated data naming what it is,
//! so a value moved to another row or column does not open.

use std::fmt;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 24;

/// What can go wrong with keys and sealed values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The master key file is not 32 bytes, raw or as 64 hex digits.
    #[error("master key: {0}")]
    BadMasterKey(String),
    /// Reading the master key file failed.
    #[error("reading master key {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A sealed value did not open: wrong key, or the value was altered.
    #[error("cannot decrypt {0}: wrong key or altered data")]
    Open(String),
    /// The operating system had no randomness to give.
    #[error("no randomness: {0}")]
    Random(String),
}

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(bytes)
}

fn seal(key: &[u8; 32], aad: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce: [u8; NONCE_LEN] = random()?;
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Random("encryption failed".to_owned()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn open(key: &[u8; 32], aad: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let (nonce, body) = sealed
        .split_at_checked(NONCE_LEN)
        .ok_or_else(|| CryptoError::Open(aad.to_owned()))?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Open(aad.to_owned()))
}

/// The operator's master key. `Debug` shows only its id.
#[derive(Clone)]
pub struct MasterKey {
    key: [u8; 32],
    id: String,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

impl MasterKey {
    /// A key from its file contents: 32 raw bytes, or 64 hex digits with
    /// surrounding white space.
    ///
    /// # Errors
    /// [`CryptoError::BadMasterKey`] for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let key: [u8; 32] = if bytes.len() == 32 {
            bytes
                .try_into()
                .map_err(|_| CryptoError::BadMasterKey("not 32 bytes".into()))?
        } else {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| CryptoError::BadMasterKey("not 32 bytes or 64 hex digits".into()))?
                .trim();
            let raw = hex::decode(text).map_err(|_| {
                CryptoError::BadMasterKey(format!(
                    "expected 64 hex digits (or 32 raw bytes), found {} characters",
                    text.len()
                ))
            })?;
            raw.try_into().map_err(|raw: Vec<u8>| {
                CryptoError::BadMasterKey(format!("expected 32 bytes, found {}", raw.len()))
            })?
        };
        Ok(Self::from_key(key))
    }

    /// A new random master key.
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self::from_key(random()?))
    }

    fn from_key(key: [u8; 32]) -> Self {
        let digest = Sha256::new()
            .chain_update(b"talgen master key id\0")
            .chain_update(key)
            .finalize();
        let id = hex::encode(digest.get(..8).unwrap_or_default());
        Self { key, id }
    }

    /// A public fingerprint of the key (16 hex digits), stored beside
    /// what it wraps so the server can tell which key opens a row.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The key as 64 hex digits, for writing a new key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key)
    }

    /// Wraps a data key; `context` names its owner (`cluster/NAME`).
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn wrap(&self, key: &DataKey, context: &str) -> Result<Vec<u8>, CryptoError> {
        seal(&self.key, &format!("talgen key {context}"), &key.0)
    }

    /// Unwraps what [`MasterKey::wrap`] made for the same `context`.
    ///
    /// # Errors
    /// [`CryptoError::Open`] with another key, context or altered bytes.
    pub fn unwrap(&self, wrapped: &[u8], context: &str) -> Result<DataKey, CryptoError> {
        let raw = open(&self.key, &format!("talgen key {context}"), wrapped)?;
        let key: [u8; 32] = raw
            .try_into()
            .map_err(|_| CryptoError::Open(context.to_owned()))?;
        Ok(DataKey(key))
    }
}

/// The master keys a server knows: the first wraps everything new, all of
/// them open what they wrapped. A key file lists one key per line, newest
/// first, so a master key is rotated without downtime: add the new key on
/// top, restart replicas one by one, run `talgen serve rotate-master-key`,
/// then drop the old line.
#[derive(Debug, Clone)]
pub struct Keyring {
    primary: MasterKey,
    older: Vec<MasterKey>,
}

impl From<MasterKey> for Keyring {
    fn from(key: MasterKey) -> Self {
        Self {
            primary: key,
            older: Vec::new(),
        }
    }
}

impl Keyring {
    /// Keys from a key file's contents: 32 raw bytes, or lines of 64 hex
    /// digits (blank lines and `#` comments skipped), newest first.
    ///
    /// # Errors
    /// [`CryptoError::BadMasterKey`] naming the line.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        if bytes.len() == 32 && std::str::from_utf8(bytes).is_err() {
            return Ok(MasterKey::from_bytes(bytes)?.into());
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            CryptoError::BadMasterKey("not 32 bytes or lines of 64 hex digits".into())
        })?;
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            keys.push(MasterKey::from_bytes(line.as_bytes()).map_err(|e| match e {
                CryptoError::BadMasterKey(m) => {
                    CryptoError::BadMasterKey(format!("line {}: {m}", i + 1))
                }
                other => other,
            })?);
        }
        let mut keys = keys.into_iter();
        let primary = keys
            .next()
            .ok_or_else(|| CryptoError::BadMasterKey("no key in the file".into()))?;
        Ok(Self {
            primary,
            older: keys.collect(),
        })
    }

    /// Reads a key file ([`Keyring::from_bytes`]).
    ///
    /// # Errors
    /// [`CryptoError::Read`] or [`CryptoError::BadMasterKey`].
    pub fn read_file(path: &Path) -> Result<Self, CryptoError> {
        let bytes = std::fs::read(path).map_err(|source| CryptoError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// The key new values are wrapped with.
    pub fn primary(&self) -> &MasterKey {
        &self.primary
    }

    fn all(&self) -> impl Iterator<Item = &MasterKey> {
        std::iter::once(&self.primary).chain(&self.older)
    }

    /// Unwraps with the key whose id is `key_id` when known, else with
    /// each key in turn.
    ///
    /// # Errors
    /// [`CryptoError::Open`] when no key opens it.
    pub fn unwrap(
        &self,
        wrapped: &[u8],
        context: &str,
        key_id: Option<&str>,
    ) -> Result<DataKey, CryptoError> {
        if let Some(k) = key_id.and_then(|id| self.all().find(|k| k.id() == id)) {
            return k.unwrap(wrapped, context);
        }
        for k in self.all() {
            if let Ok(dk) = k.unwrap(wrapped, context) {
                return Ok(dk);
            }
        }
        Err(CryptoError::Open(context.to_owned()))
    }

    /// The ids of every key, primary first.
    pub fn ids(&self) -> Vec<&str> {
        self.all().map(MasterKey::id).collect()
    }
}

/// A random 256-bit key sealing one cluster's data. `Debug` is redacted.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

impl DataKey {
    /// A new random data key.
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self(random()?))
    }

    /// The raw key bytes (the server's hashing key is a data key too).
    pub fn bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Seals `plaintext`; `what` names the value (`secrets/NAME`).
    ///
    /// # Errors
    /// [`CryptoError::Random`].
    pub fn seal(&self, what: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        seal(&self.0, what, plaintext)
    }

    /// Opens what [`DataKey::seal`] made for the same `what`.
    ///
    /// # Errors
    /// [`CryptoError::Open`].
    pub fn open(&self, what: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open(&self.0, what, sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_key_forms() {
        let hex64 = "00".repeat(31) + "ff";
        let a = MasterKey::from_bytes(format!("{hex64}\n").as_bytes()).unwrap();
        let mut raw = [0u8; 32];
        raw[31] = 0xff;
        let b = MasterKey::from_bytes(&raw).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.to_hex(), hex64);
        assert_eq!(format!("{a:?}"), format!("MasterKey({})", a.id()));
        for bad in [&b"short"[..], b"zz", &[0u8; 33]] {
            assert!(matches!(
                MasterKey::from_bytes(bad),
                Err(CryptoError::BadMasterKey(_))
            ));
        }
    }

    #[test]
    fn wrapped_keys_open_only_with_their_key_and_context() {
        let m = MasterKey::generate().unwrap();
        let other = MasterKey::generate().unwrap();
        let dk = DataKey::generate().unwrap();
        let w = m.wrap(&dk, "cluster/a").unwrap();
        assert_eq!(m.unwrap(&w, "cluster/a").unwrap().bytes(), dk.bytes());
        assert!(m.unwrap(&w, "cluster/b").is_err());
        assert!(other.unwrap(&w, "cluster/a").is_err());
        let mut bent = w.clone();
        if let Some(last) = bent.last_mut() {
            *last ^= 1;
        }
        assert!(m.unwrap(&bent, "cluster/a").is_err());
        assert!(m.unwrap(&w[..10], "cluster/a").is_err());
    }

    #[test]
    fn keyrings_open_with_any_key_and_wrap_with_the_first() {
        let old = MasterKey::generate().unwrap();
        let new = MasterKey::generate().unwrap();
        let dk = DataKey::generate().unwrap();
        let w = old.wrap(&dk, "c").unwrap();
        let ring = Keyring::from_bytes(
            format!("# rotated\n{}\n\n{}\n", new.to_hex(), old.to_hex()).as_bytes(),
        )
        .unwrap();
        assert_eq!(ring.primary().id(), new.id());
        assert_eq!(ring.ids(), [new.id(), old.id()]);
        assert_eq!(
            ring.unwrap(&w, "c", Some(old.id())).unwrap().bytes(),
            dk.bytes()
        );
        assert_eq!(ring.unwrap(&w, "c", None).unwrap().bytes(), dk.bytes());
        assert!(Keyring::from(new.clone()).unwrap(&w, "c", None).is_err());
        let err = Keyring::from_bytes(format!("{}\nnope\n", new.to_hex()).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(Keyring::from_bytes(b"\n# only comments\n").is_err());
    }

    #[test]
    fn sealed_values_are_bound_to_their_name() {
        let dk = DataKey::generate().unwrap();
        let s1 = dk.seal("x", b"hello").unwrap();
        let s2 = dk.seal("x", b"hello").unwrap();
        assert_ne!(s1, s2, "nonces differ");
        assert_eq!(dk.open("x", &s1).unwrap(), b"hello");
        assert!(dk.open("y", &s1).is_err());
        assert!(!s1.windows(5).any(|w| w == b"hello"));
    }
}
