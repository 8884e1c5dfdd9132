//! Generating bundles: from scratch per contract (Talos `NewBundle`) and
//! from a Kubernetes PKI directory (`NewBundleFromKubernetesPKI`).

use std::path::Path;

use base64::Engine as _;
use talgen_contract::Contract;
use talgen_pki::{random_bytes, Ca, Certificate, CertificateProfile, KeyType, PrivateKey};

use crate::bundle::{Bundle, CertAndKey, Certs, Cluster, KeyPem, Secrets, TrustdInfo};
use crate::{Clock, Error};

/// Alphabet of bootstrap and trustd tokens.
const TOKEN_CHARS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Random bytes at or above this are discarded so `byte % 36` is uniform
/// (252 = 7 * 36).
const TOKEN_BYTE_LIMIT: u8 = 252;

/// Size in bytes of the random cluster id, cluster secret and encryption secrets.
const SECRET_SIZE: usize = 32;

fn gen_err(what: &'static str) -> impl FnOnce(talgen_pki::Error) -> Error {
    move |source| Error::Generate { what, source }
}

/// `n` characters from `[a-z0-9]`, each uniformly distributed.
fn token_part(n: usize) -> Result<String, Error> {
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 32];
    while out.len() < n {
        random_bytes(&mut buf).map_err(gen_err("token"))?;
        for b in buf {
            if out.len() == n {
                break;
            }
            if b < TOKEN_BYTE_LIMIT {
                let c = TOKEN_CHARS
                    .get(usize::from(b) % TOKEN_CHARS.len())
                    .copied()
                    .unwrap_or(b'0');
                out.push(char::from(c));
            }
        }
    }
    Ok(out)
}

/// A kubeadm-style token `[a-z0-9]{6}.[a-z0-9]{16}`.
pub fn generate_token() -> Result<String, Error> {
    Ok(format!("{}.{}", token_part(6)?, token_part(16)?))
}

/// Standard base64 of 32 random bytes (cluster id and secret, encryption secrets).
fn random_secret(what: &'static str) -> Result<String, Error> {
    let mut buf = [0u8; SECRET_SIZE];
    random_bytes(&mut buf).map_err(gen_err(what))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(buf))
}

fn new_ca(
    what: &'static str,
    key_type: KeyType,
    organization: &str,
    clock: &Clock,
) -> Result<CertAndKey, Error> {
    let profile = CertificateProfile::talos_ca(organization, clock.now());
    let ca = Ca::self_signed(key_type, &profile).map_err(gen_err(what))?;
    Ok(CertAndKey {
        crt: ca.cert_pem().to_vec(),
        key: ca.key_pem().to_vec(),
    })
}

fn new_service_account_key(contract: Contract) -> Result<KeyPem, Error> {
    let key_type = if contract.use_rsa_service_account_key() {
        KeyType::Rsa
    } else {
        KeyType::EcdsaP256
    };
    let what = "service account key";
    let key = PrivateKey::generate(key_type).map_err(gen_err(what))?;
    Ok(KeyPem {
        key: key.to_pem().map_err(gen_err(what))?,
    })
}

/// What a partial bundle already has; the rest is generated.
#[derive(Default)]
struct Given {
    etcd: Option<CertAndKey>,
    k8s: Option<CertAndKey>,
    k8s_aggregator: Option<CertAndKey>,
    k8s_service_account: Option<KeyPem>,
    bootstrap_token: Option<String>,
}

impl Bundle {
    /// Generates a complete bundle for `contract` as Talos's `NewBundle`
    /// does: etcd, Kubernetes and aggregator CAs (ECDSA P-256), the OS CA
    /// (Ed25519), the service-account key (RSA-4096 when the contract says
    /// so, else ECDSA P-256), bootstrap and trustd tokens, the AES-CBC or
    /// secretbox encryption secret, and the cluster id and secret. CA
    /// validity starts at `clock.now()`.
    ///
    /// # Errors
    /// When randomness or key generation fails.
    pub fn generate(contract: Contract, clock: Clock) -> Result<Self, Error> {
        Self::populate(Given::default(), contract, clock)
    }

    /// Builds a bundle from a Kubernetes PKI directory (as kubeadm lays it
    /// out: `ca.crt`/`ca.key`, `etcd/ca.crt`/`etcd/ca.key`,
    /// `front-proxy-ca.crt`/`front-proxy-ca.key`, `sa.key`) and a bootstrap
    /// token (generated when empty); the OS CA and the other secrets are
    /// generated. The PEM files are kept byte for byte.
    ///
    /// # Errors
    /// A missing directory or file, or a key or certificate that does not
    /// parse, named by path. As in Talos, a CA key need not match its
    /// certificate.
    pub fn from_kubernetes_pki(
        dir: &Path,
        bootstrap_token: &str,
        contract: Contract,
        clock: Clock,
    ) -> Result<Self, Error> {
        let meta = std::fs::metadata(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(Error::NotADirectory {
                path: dir.to_path_buf(),
            });
        }
        let read = |rel: &str| {
            let path = dir.join(rel);
            std::fs::read(&path).map_err(|source| Error::Io { path, source })
        };
        let pair = |crt: &str, key: &str| -> Result<CertAndKey, Error> {
            let pair = CertAndKey {
                crt: read(crt)?,
                key: read(key)?,
            };
            // Both must parse, key first; as in Talos, they need not match.
            PrivateKey::from_pem(&pair.key)
                .map_err(|source| Error::Pki {
                    path: dir.join(key),
                    source,
                })
                .and_then(|_| {
                    Certificate::from_pem(&pair.crt).map_err(|source| Error::Pki {
                        path: dir.join(crt),
                        source,
                    })
                })?;
            Ok(pair)
        };
        let k8s = pair("ca.crt", "ca.key")?;
        let etcd = pair("etcd/ca.crt", "etcd/ca.key")?;
        let k8s_aggregator = pair("front-proxy-ca.crt", "front-proxy-ca.key")?;
        let sa = KeyPem {
            key: read("sa.key")?,
        };
        sa.private_key().map_err(|source| Error::Pki {
            path: dir.join("sa.key"),
            source,
        })?;
        let given = Given {
            etcd: Some(etcd),
            k8s: Some(k8s),
            k8s_aggregator: Some(k8s_aggregator),
            k8s_service_account: Some(sa),
            bootstrap_token: Some(bootstrap_token.to_string()).filter(|t| !t.is_empty()),
        };
        Self::populate(given, contract, clock)
    }

    fn populate(given: Given, contract: Contract, clock: Clock) -> Result<Self, Error> {
        let etcd = match given.etcd {
            Some(p) => p,
            None => new_ca("etcd CA", KeyType::EcdsaP256, "etcd", &clock)?,
        };
        let k8s = match given.k8s {
            Some(p) => p,
            None => new_ca("Kubernetes CA", KeyType::EcdsaP256, "kubernetes", &clock)?,
        };
        // Talos asks for common name "front-proxy", but the self-signed CA
        // path only copies organizations, so the subject is empty.
        let k8s_aggregator = match given.k8s_aggregator {
            Some(p) => p,
            None => new_ca("aggregator CA", KeyType::EcdsaP256, "", &clock)?,
        };
        let k8s_service_account = match given.k8s_service_account {
            Some(k) => k,
            None => new_service_account_key(contract)?,
        };
        let os = new_ca("OS CA", KeyType::Ed25519, "talos", &clock)?;

        let bootstrap_token = match given.bootstrap_token {
            Some(t) => t,
            None => generate_token()?,
        };
        let encryption = random_secret("encryption secret")?;
        let (aescbc_encryption_secret, secretbox_encryption_secret) =
            if contract.secretbox_encryption_supported() {
                (String::new(), encryption)
            } else {
                (encryption, String::new())
            };
        Ok(Self {
            cluster: Cluster {
                id: random_secret("cluster id")?,
                secret: random_secret("cluster secret")?,
            },
            secrets: Secrets {
                bootstrap_token,
                aescbc_encryption_secret,
                secretbox_encryption_secret,
            },
            trustd_info: TrustdInfo {
                token: generate_token()?,
            },
            certs: Certs {
                etcd,
                k8s,
                k8s_aggregator,
                k8s_service_account,
                os,
            },
            head_comment: String::new(),
            clock,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_kubeadm_shape() {
        for _ in 0..50 {
            let t = generate_token().unwrap();
            let (a, b) = t.split_once('.').unwrap();
            assert_eq!(a.len(), 6);
            assert_eq!(b.len(), 16);
            assert!(a
                .bytes()
                .chain(b.bytes())
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        }
    }

    #[test]
    fn token_characters_are_roughly_uniform() {
        let mut counts = [0usize; 36];
        let text = token_part(36 * 400).unwrap();
        for c in text.bytes() {
            let i = TOKEN_CHARS.iter().position(|x| *x == c).unwrap();
            counts[i] += 1;
        }
        // Expected 400 each; a biased generator (no rejection) gives the
        // first four characters about 3% more, which this cannot detect,
        // but a broken one (e.g. only digits) fails.
        assert!(counts.iter().all(|n| (250..=550).contains(n)), "{counts:?}");
    }
}
