//! The typed secrets bundle and its `secrets.yaml` form.
//!
//! The YAML layout is Go's `yaml.Marshal` of Talos's `secrets.Bundle`:
//! sections `cluster`, `secrets`, `trustdinfo`, `certs` in that order,
//! lower-cased Go field names, PEM bytes as standard base64, and the two
//! encryption secrets left out when empty (`omitempty`).

use serde::{Deserialize, Serialize};
use talgen_pki::{Ca, PrivateKey};

use crate::error::{Problem, ProblemKind};
use crate::{Clock, Error};

/// The marker Talos writes instead of a private key's base64 when the key
/// has been redacted; kept as-is in both directions.
pub const REDACTED: &str = "******";

/// A PEM certificate with its PEM private key (Go `PEMEncodedCertificateAndKey`).
/// `Debug` shows the certificate but never the key.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct CertAndKey {
    /// The certificate, PEM text.
    pub crt: Vec<u8>,
    /// The private key, PEM text.
    pub key: Vec<u8>,
}

impl std::fmt::Debug for CertAndKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertAndKey")
            .field("crt", &String::from_utf8_lossy(&self.crt))
            .field("key", &format_args!("<{} bytes redacted>", self.key.len()))
            .finish()
    }
}

impl std::fmt::Debug for KeyPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPem")
            .field("key", &format_args!("<{} bytes redacted>", self.key.len()))
            .finish()
    }
}

/// Which optional parts of a bundle [`Bundle::validate_for`] requires,
/// mirroring the Kubernetes and etcd switches of Talos's version contract
/// (`talosctl gen config --skip-k8s-etcd` turns both off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationScope {
    /// Require the Kubernetes secrets: bootstrap token, one encryption
    /// secret, Kubernetes and aggregator CAs, service-account key.
    pub kubernetes: bool,
    /// Require the etcd CA.
    pub etcd: bool,
}

impl ValidationScope {
    /// Every part required, as [`Bundle::validate`] checks.
    pub const ALL: Self = Self {
        kubernetes: true,
        etcd: true,
    };

    /// Neither Kubernetes nor etcd secrets required: only the cluster
    /// identity, the trustd token and the OS CA.
    pub const WITHOUT_KUBERNETES_AND_ETCD: Self = Self {
        kubernetes: false,
        etcd: false,
    };
}

impl Default for ValidationScope {
    /// [`ValidationScope::ALL`].
    fn default() -> Self {
        Self::ALL
    }
}

impl CertAndKey {
    /// Loads the pair as a CA able to issue certificates.
    ///
    /// # Errors
    /// Bad PEM, or a key that does not match the certificate.
    pub fn ca(&self) -> Result<Ca, talgen_pki::Error> {
        Ca::from_pem(&self.crt, &self.key)
    }
}

/// A PEM private key on its own (Go `PEMEncodedKey`). `Debug` never shows
/// the key.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct KeyPem {
    /// The private key, PEM text.
    pub key: Vec<u8>,
}

impl KeyPem {
    /// Parses the key.
    ///
    /// # Errors
    /// Bad PEM or an unsupported key type.
    pub fn private_key(&self) -> Result<PrivateKey, talgen_pki::Error> {
        PrivateKey::from_pem(&self.key)
    }
}

/// Cluster-wide identity (discovery cluster id and secret).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cluster {
    /// Cluster id, base64 of 32 random bytes.
    pub id: String,
    /// Cluster secret, base64 of 32 random bytes.
    pub secret: String,
}

/// Kubernetes secrets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Secrets {
    /// kubeadm-style bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`.
    pub bootstrap_token: String,
    /// AES-CBC encryption secret (contracts before v1.3); empty when unused.
    pub aescbc_encryption_secret: String,
    /// Secretbox encryption secret (since v1.3); empty when unused.
    pub secretbox_encryption_secret: String,
}

/// trustd credentials.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustdInfo {
    /// trustd token, same shape as the bootstrap token.
    pub token: String,
}

/// The CAs and keys of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Certs {
    /// etcd CA (ECDSA P-256 when generated).
    pub etcd: CertAndKey,
    /// Kubernetes CA (ECDSA P-256 when generated).
    pub k8s: CertAndKey,
    /// Kubernetes aggregator / front-proxy CA (ECDSA P-256 when generated).
    pub k8s_aggregator: CertAndKey,
    /// Kubernetes service-account signing key (ECDSA P-256 before v1.7,
    /// RSA-4096 since).
    pub k8s_service_account: KeyPem,
    /// Talos API CA (Ed25519 when generated).
    pub os: CertAndKey,
}

/// A Talos secrets bundle: everything secret a cluster's configs are
/// generated from (Go `secrets.Bundle`).
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// Cluster identity.
    pub cluster: Cluster,
    /// Kubernetes secrets.
    pub secrets: Secrets,
    /// trustd credentials.
    pub trustd_info: TrustdInfo,
    /// CAs and keys.
    pub certs: Certs,
    /// Comment lines that preceded the YAML in the file the bundle was
    /// loaded from, each with its newline; written back in front of the YAML
    /// so hand-annotated files (like Talos's own test bundle) round-trip
    /// byte for byte. Empty for generated bundles, as `talosctl` writes none.
    pub head_comment: String,
    /// Time source for certificates issued from this bundle; not part of
    /// the file and not compared by `==`.
    pub clock: Clock,
}

impl PartialEq for Bundle {
    fn eq(&self, other: &Self) -> bool {
        self.cluster == other.cluster
            && self.secrets == other.secrets
            && self.trustd_info == other.trustd_info
            && self.certs == other.certs
            && self.head_comment == other.head_comment
    }
}

impl Eq for Bundle {}

/// The problem with a CA pair, if any: absent, or a key or certificate
/// that does not parse (the key is looked at first).
///
/// Like Talos (`validatePEMEncodedCertificateAndKey` in
/// `generate/secrets/utils.go`), whether the key belongs to the
/// certificate is not checked here; issuing from such a CA fails later.
fn check_pair(field: &str, pair: &CertAndKey) -> Option<Problem> {
    let kind = if pair.crt.is_empty() && pair.key.is_empty() {
        ProblemKind::Missing
    } else {
        let parsed = PrivateKey::from_pem(&pair.key)
            .and_then(|_| talgen_pki::Certificate::from_pem(&pair.crt));
        ProblemKind::Invalid(parsed.err()?)
    };
    Some(Problem {
        field: field.to_string(),
        kind,
    })
}

// ---- YAML shapes -------------------------------------------------------

#[derive(Serialize, Deserialize, Default)]
struct FileBundle {
    #[serde(default)]
    cluster: Option<FileCluster>,
    #[serde(default)]
    secrets: Option<FileSecrets>,
    #[serde(default)]
    trustdinfo: Option<FileTrustd>,
    #[serde(default)]
    certs: Option<FileCerts>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileCluster {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    secret: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileSecrets {
    #[serde(default)]
    bootstraptoken: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    aescbcencryptionsecret: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    secretboxencryptionsecret: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileTrustd {
    #[serde(default)]
    token: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileCerts {
    #[serde(default)]
    etcd: Option<FileCertAndKey>,
    #[serde(default)]
    k8s: Option<FileCertAndKey>,
    #[serde(default)]
    k8saggregator: Option<FileCertAndKey>,
    #[serde(default)]
    k8sserviceaccount: Option<FileKey>,
    #[serde(default)]
    os: Option<FileCertAndKey>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileCertAndKey {
    #[serde(default)]
    crt: Option<String>,
    #[serde(default)]
    key: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileKey {
    #[serde(default)]
    key: Option<String>,
}

#[allow(clippy::ref_option)] // serde's skip_serializing_if passes &Option
fn is_empty(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(str::is_empty)
}

fn encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn encode_key(bytes: &[u8]) -> String {
    if bytes == REDACTED.as_bytes() {
        REDACTED.to_string()
    } else {
        encode(bytes)
    }
}

/// Base64 as Go's `StdEncoding` reads it (padding required, trailing bits
/// not checked, line breaks ignored).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    let cleaned: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    engine.decode(cleaned).map_err(|e| e.to_string())
}

/// Go's YAML decoder refuses a mapping that repeats a key when it decodes
/// that mapping into a struct; these are the mappings of a bundle (the top
/// level, its four sections and each certificate or key). Mappings under
/// unknown keys are not decoded, so repeats there pass, as in Go.
fn check_unique_keys(doc: &talgen_yaml::Node) -> Result<(), String> {
    fn unique(node: Option<&talgen_yaml::Node>, what: &str) -> Result<(), String> {
        let Some(pairs) = node.and_then(talgen_yaml::Node::as_mapping) else {
            return Ok(());
        };
        for (i, (key, _)) in pairs.iter().enumerate() {
            if pairs.iter().skip(i + 1).any(|(other, _)| other == key) {
                let name = key
                    .as_str()
                    .map_or_else(|| format!("{key:?}"), str::to_string);
                return Err(format!("{what}: mapping key {name:?} already defined"));
            }
        }
        Ok(())
    }
    unique(Some(doc), "bundle")?;
    for section in ["cluster", "secrets", "trustdinfo", "certs"] {
        unique(doc.get(section), section)?;
    }
    let certs = doc.get("certs");
    for name in ["etcd", "k8s", "k8saggregator", "k8sserviceaccount", "os"] {
        unique(certs.and_then(|c| c.get(name)), &format!("certs.{name}"))?;
    }
    Ok(())
}

/// Leading whole lines that are YAML comments, kept verbatim.
fn head_comment(text: &str) -> &str {
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('#') && line.ends_with('\n') {
            end += line.len();
        } else {
            break;
        }
    }
    text.get(..end).unwrap_or_default()
}

impl Bundle {
    /// Parses `secrets.yaml` text and validates it: every field present,
    /// exactly one encryption secret, every certificate and key valid PEM.
    /// All problems are reported together, each naming its field.
    ///
    /// # Errors
    /// [`Error::Yaml`] for text that is not YAML of the right shape,
    /// [`Error::Invalid`] listing every bad or missing field.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        let bundle = Self::from_yaml_unvalidated(text)?;
        bundle.validate()?;
        Ok(bundle)
    }

    /// Parses `secrets.yaml` text like Talos's `LoadBundle`, without the
    /// validation of [`Bundle::from_yaml`]: only the first YAML document is
    /// read, unknown keys are ignored, absent fields stay empty. Bad base64
    /// is still an error, as in Go.
    ///
    /// # Errors
    /// [`Error::Yaml`] for text that is not YAML of the right shape,
    /// [`Error::Invalid`] for values that are not base64.
    pub fn from_yaml_unvalidated(text: &str) -> Result<Self, Error> {
        // Like Go's `yaml.NewDecoder(f).Decode` in Talos's `LoadBundle`, only
        // the first document counts; anything after it is never looked at.
        // Checks on the first document as a whole, when the stream parses
        // (a syntax error further on is Go's decoder's business only once
        // it reads that far, so it is not one here).
        let docs = talgen_yaml::from_str_documents(text).ok();
        let single = docs.as_ref().is_some_and(|d| d.len() == 1);
        if let Some(first) = docs.and_then(|docs| docs.into_iter().next()) {
            // An explicitly empty first document (`---` alone) is the one
            // Go decodes, not a reason to look further.
            if first == talgen_yaml::Node::Null {
                return Err(Error::Yaml {
                    message: "the document is empty".into(),
                });
            }
            check_unique_keys(&first).map_err(|message| Error::Yaml { message })?;
        }
        // Repeated keys outside the bundle's own mappings are never looked
        // at by Go; inside them they were refused above.
        let mut options = serde_saphyr::Options::default();
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
        // A single document reads as fast from the text as a whole; any
        // other stream, or an error, goes through the document reader
        // (which stops after the first and words its errors).
        let fast = single
            .then(|| {
                serde_saphyr::from_str_with_options::<Option<FileBundle>>(text, options.clone())
            })
            .and_then(Result::ok);
        let file = match fast {
            Some(file) => Some(file),
            None => {
                let mut reader = text.as_bytes();
                let first =
                    serde_saphyr::read_with_options::<_, Option<FileBundle>>(&mut reader, options)
                        .next();
                first.transpose().map_err(|e| Error::Yaml {
                    message: e.to_string(),
                })?
            }
        };
        let Some(file) = file.flatten() else {
            return Err(Error::Yaml {
                message: "the document is empty".into(),
            });
        };
        let mut problems = Vec::new();
        let mut b64 = |field: &str, value: Option<String>, key: bool| -> Vec<u8> {
            let value = value.unwrap_or_default();
            if key && value == REDACTED {
                return value.into_bytes();
            }
            match decode_base64(&value) {
                Ok(bytes) => bytes,
                Err(why) => {
                    problems.push(Problem {
                        field: field.to_string(),
                        kind: ProblemKind::BadBase64(why),
                    });
                    Vec::new()
                }
            }
        };
        let mut pair = |name: &str, p: Option<FileCertAndKey>| -> CertAndKey {
            let p = p.unwrap_or_default();
            CertAndKey {
                crt: b64(&format!("certs.{name}.crt"), p.crt, false),
                key: b64(&format!("certs.{name}.key"), p.key, true),
            }
        };
        let certs = file.certs.unwrap_or_default();
        let etcd = pair("etcd", certs.etcd);
        let k8s = pair("k8s", certs.k8s);
        let k8s_aggregator = pair("k8saggregator", certs.k8saggregator);
        let os = pair("os", certs.os);
        let sa_key = b64(
            "certs.k8sserviceaccount.key",
            certs.k8sserviceaccount.unwrap_or_default().key,
            true,
        );
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        let cluster = file.cluster.unwrap_or_default();
        let secrets = file.secrets.unwrap_or_default();
        Ok(Self {
            cluster: Cluster {
                id: cluster.id.unwrap_or_default(),
                secret: cluster.secret.unwrap_or_default(),
            },
            secrets: Secrets {
                bootstrap_token: secrets.bootstraptoken.unwrap_or_default(),
                aescbc_encryption_secret: secrets.aescbcencryptionsecret.unwrap_or_default(),
                secretbox_encryption_secret: secrets.secretboxencryptionsecret.unwrap_or_default(),
            },
            trustd_info: TrustdInfo {
                token: file
                    .trustdinfo
                    .unwrap_or_default()
                    .token
                    .unwrap_or_default(),
            },
            certs: Certs {
                etcd,
                k8s,
                k8s_aggregator,
                k8s_service_account: KeyPem { key: sa_key },
                os,
            },
            head_comment: head_comment(text).to_string(),
            clock: Clock::System,
        })
    }

    /// The bundle as `secrets.yaml`, byte for byte what `talosctl gen
    /// secrets` writes (after [`Bundle::head_comment`], if any).
    ///
    /// # Errors
    /// Only if the YAML encoder fails, which it does not for this shape.
    pub fn to_yaml(&self) -> Result<String, Error> {
        let pair = |p: &CertAndKey| FileCertAndKey {
            crt: Some(encode(&p.crt)),
            key: Some(encode_key(&p.key)),
        };
        let file = FileBundle {
            cluster: Some(FileCluster {
                id: Some(self.cluster.id.clone()),
                secret: Some(self.cluster.secret.clone()),
            }),
            secrets: Some(FileSecrets {
                bootstraptoken: Some(self.secrets.bootstrap_token.clone()),
                aescbcencryptionsecret: Some(self.secrets.aescbc_encryption_secret.clone()),
                secretboxencryptionsecret: Some(self.secrets.secretbox_encryption_secret.clone()),
            }),
            trustdinfo: Some(FileTrustd {
                token: Some(self.trustd_info.token.clone()),
            }),
            certs: Some(FileCerts {
                etcd: Some(pair(&self.certs.etcd)),
                k8s: Some(pair(&self.certs.k8s)),
                k8saggregator: Some(pair(&self.certs.k8s_aggregator)),
                k8sserviceaccount: Some(FileKey {
                    key: Some(encode_key(&self.certs.k8s_service_account.key)),
                }),
                os: Some(pair(&self.certs.os)),
            }),
        };
        let yaml = talgen_yaml::to_string(&file)?;
        Ok(format!("{}{yaml}", self.head_comment))
    }

    /// Checks the bundle as Talos's `Bundle.Validate` does for contracts
    /// with Kubernetes and etcd; [`Bundle::validate_for`] with the full scope.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem found.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_for(ValidationScope::ALL)
    }

    /// Checks the parts of the bundle that `scope` needs, as Talos's
    /// `Bundle.Validate` does with a contract that may disable Kubernetes
    /// or etcd: the cluster id and secret, the trustd token and the OS CA
    /// always; the bootstrap token, one encryption secret, the Kubernetes
    /// and aggregator CAs and the service-account key only with
    /// Kubernetes; the etcd CA only with etcd. Keys and certificates must
    /// parse; as in Talos, a key need not belong to its certificate.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem found.
    pub fn validate_for(&self, scope: ValidationScope) -> Result<(), Error> {
        let mut problems = Vec::new();
        let mut missing = |field: &str, value: &str| {
            if value.is_empty() {
                problems.push(Problem {
                    field: field.to_string(),
                    kind: ProblemKind::Missing,
                });
            }
        };
        missing("cluster.id", &self.cluster.id);
        missing("cluster.secret", &self.cluster.secret);
        if scope.kubernetes {
            missing("secrets.bootstraptoken", &self.secrets.bootstrap_token);
            let (aescbc, secretbox) = (
                &self.secrets.aescbc_encryption_secret,
                &self.secrets.secretbox_encryption_secret,
            );
            if aescbc.is_empty() && secretbox.is_empty() {
                problems.push(Problem {
                    field: "secrets".into(),
                    kind: ProblemKind::NoEncryptionSecret,
                });
            }
            if !aescbc.is_empty() && !secretbox.is_empty() {
                problems.push(Problem {
                    field: "secrets".into(),
                    kind: ProblemKind::BothEncryptionSecrets,
                });
            }
        }
        if self.trustd_info.token.is_empty() {
            problems.push(Problem {
                field: "trustdinfo.token".into(),
                kind: ProblemKind::Missing,
            });
        }
        if scope.etcd {
            problems.extend(check_pair("certs.etcd", &self.certs.etcd));
        }
        if scope.kubernetes {
            problems.extend(check_pair("certs.k8s", &self.certs.k8s));
            problems.extend(check_pair(
                "certs.k8saggregator",
                &self.certs.k8s_aggregator,
            ));
            let sa = &self.certs.k8s_service_account;
            if sa.key.is_empty() {
                problems.push(Problem {
                    field: "certs.k8sserviceaccount".into(),
                    kind: ProblemKind::Missing,
                });
            } else if let Err(e) = sa.private_key() {
                problems.push(Problem {
                    field: "certs.k8sserviceaccount.key".into(),
                    kind: ProblemKind::Invalid(e),
                });
            }
        }
        problems.extend(check_pair("certs.os", &self.certs.os));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid { problems })
        }
    }

    /// The etcd CA, ready to issue certificates.
    ///
    /// # Errors
    /// When the stored PEM is invalid.
    pub fn etcd_ca(&self) -> Result<Ca, talgen_pki::Error> {
        self.certs.etcd.ca()
    }

    /// The Kubernetes CA.
    ///
    /// # Errors
    /// When the stored PEM is invalid.
    pub fn k8s_ca(&self) -> Result<Ca, talgen_pki::Error> {
        self.certs.k8s.ca()
    }

    /// The Kubernetes aggregator CA.
    ///
    /// # Errors
    /// When the stored PEM is invalid.
    pub fn k8s_aggregator_ca(&self) -> Result<Ca, talgen_pki::Error> {
        self.certs.k8s_aggregator.ca()
    }

    /// The Talos API (OS) CA.
    ///
    /// # Errors
    /// When the stored PEM is invalid.
    pub fn os_ca(&self) -> Result<Ca, talgen_pki::Error> {
        self.certs.os.ca()
    }
}
