//! The admin kubeconfig, issued offline from the Kubernetes CA of a secrets
//! bundle (ports Talos's `pkg/kubeconfig/generate.go`, which only runs on a
//! node; `talosctl` fetches its output).

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use talgen_pki::{CertificateProfile, ExtKeyUsage, KeyUsage, Seed, Signing};
use talgen_secrets::Bundle;
use talgen_yaml::Node;

use crate::talosconfig::check_lifetime;
use crate::Error;

/// Default lifetime of the admin client certificate: 365 days (Talos's
/// `KubernetesAdminCertDefaultLifetime`).
pub const KUBE_ADMIN_CERT_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// How far back the certificate's validity starts, so nodes with a clock
/// slightly behind accept it (Talos's `allowedTimeSkew`).
pub const KUBE_ADMIN_CLOCK_SKEW: Duration = Duration::from_secs(10);

/// Common name of the admin certificate (the Kubernetes user).
pub const KUBE_ADMIN_COMMON_NAME: &str = "admin";

/// Organization of the admin certificate (the cluster-admin group).
pub const KUBE_ADMIN_ORGANIZATION: &str = "system:masters";

/// How the client key, serial number and signature are produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Issuance {
    /// Fresh random key and serial, "now" from the bundle clock, as Talos.
    #[default]
    Random,
    /// Key and serial derived from the CA key and all inputs, RFC 6979
    /// signatures, issued as if at `issued_at`: the same inputs give the
    /// same bytes.
    Deterministic {
        /// The instant standing for "now" (validity starts 10 s earlier).
        issued_at: SystemTime,
    },
}

/// Inputs of an admin kubeconfig beyond cluster name, endpoint and secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeconfigOptions {
    /// Client certificate lifetime, counted from "now".
    pub crt_ttl: Duration,
    /// Random or deterministic issuance.
    pub issuance: Issuance,
}

impl Default for KubeconfigOptions {
    fn default() -> Self {
        Self {
            crt_ttl: KUBE_ADMIN_CERT_TTL,
            issuance: Issuance::Random,
        }
    }
}

/// An admin kubeconfig: one cluster, one user `admin@NAME`, one context
/// `admin@NAME` (namespace `default`) selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kubeconfig {
    /// The cluster name (the cluster entry's name).
    pub cluster_name: String,
    /// The API server URL.
    pub server: String,
    /// PEM certificates the client trusts for the server.
    pub certificate_authority: Vec<u8>,
    /// The client certificate PEM.
    pub client_certificate: Vec<u8>,
    /// The client key PEM.
    pub client_key: Vec<u8>,
}

impl Kubeconfig {
    /// The user and context name, `admin@NAME`.
    pub fn context_name(&self) -> String {
        format!("{KUBE_ADMIN_COMMON_NAME}@{}", self.cluster_name)
    }

    /// The file as client-go's `clientcmd.Write` writes it: the `v1.Config`
    /// JSON form (empty certificate data omitted, like its `omitempty`
    /// fields) converted by `sigs.k8s.io/yaml.JSONToYAML`, i.e. yaml.v2's
    /// [`talgen_yaml::v2::marshal`] (keys sorted, 2-space indentation,
    /// sequences not indented under their key).
    pub fn to_yaml(&self) -> String {
        let user = self.context_name();
        let cluster = fields([
            ("server", Some(Node::from(self.server.as_str()))),
            (
                "certificate-authority-data",
                base64_data(&self.certificate_authority),
            ),
        ]);
        let auth = fields([
            (
                "client-certificate-data",
                base64_data(&self.client_certificate),
            ),
            ("client-key-data", base64_data(&self.client_key)),
        ]);
        let config = Node::mapping([
            ("kind", Node::from("Config")),
            ("apiVersion", Node::from("v1")),
            (
                "clusters",
                Node::sequence([Node::mapping([
                    ("name", Node::from(self.cluster_name.as_str())),
                    ("cluster", cluster),
                ])]),
            ),
            (
                "users",
                Node::sequence([Node::mapping([
                    ("name", Node::from(user.as_str())),
                    ("user", auth),
                ])]),
            ),
            (
                "contexts",
                Node::sequence([Node::mapping([
                    ("name", Node::from(user.as_str())),
                    (
                        "context",
                        Node::mapping([
                            ("cluster", self.cluster_name.as_str()),
                            ("user", user.as_str()),
                            ("namespace", "default"),
                        ]),
                    ),
                ])]),
            ),
            ("current-context", Node::from(user.as_str())),
        ]);
        talgen_yaml::v2::marshal(&config)
    }
}

/// A JSON object of the fields that are present.
fn fields<const N: usize>(pairs: [(&'static str, Option<Node>); N]) -> Node {
    Node::mapping(pairs.into_iter().filter_map(|(k, v)| Some((k, v?))))
}

/// A `[]byte` field with `omitempty`: base64 text, absent when empty.
fn base64_data(bytes: &[u8]) -> Option<Node> {
    (!bytes.is_empty()).then(|| Node::from(STANDARD.encode(bytes)))
}

/// Issues the admin client certificate from the bundle's Kubernetes CA as
/// Talos does: CN `admin`, O `system:masters`, a key of the CA's type
/// (ECDSA P-256 for generated bundles), digital signature + key
/// encipherment, client auth, valid from now − 10 s to now + `crt_ttl`;
/// then wraps it in a kubeconfig for `cluster_name` at `endpoint`.
///
/// # Errors
/// Empty inputs, [`Error::LoadCa`], [`Error::InvalidLifetime`],
/// [`Error::Issue`], or for deterministic issuance an RSA CA
/// ([`Error::DeterministicUnsupported`]).
pub fn generate_kubeconfig(
    cluster_name: &str,
    endpoint: &str,
    bundle: &Bundle,
    options: &KubeconfigOptions,
) -> Result<Kubeconfig, Error> {
    check_text("cluster name", cluster_name)?;
    check_text("endpoint", endpoint)?;
    let ca = bundle.k8s_ca().map_err(|source| Error::LoadCa {
        ca: "Kubernetes",
        source,
    })?;
    let now = match options.issuance {
        Issuance::Random => bundle.clock.now(),
        Issuance::Deterministic { issued_at } => issued_at,
    };
    check_lifetime(now, options.crt_ttl)?;
    let not_before =
        now.checked_sub(KUBE_ADMIN_CLOCK_SKEW)
            .ok_or_else(|| Error::InvalidLifetime {
                reason: "start before the epoch".into(),
            })?;
    let not_after = now + options.crt_ttl;
    let profile = CertificateProfile::new(not_before, not_after)
        .common_name(KUBE_ADMIN_COMMON_NAME)
        .organizations([KUBE_ADMIN_ORGANIZATION])
        .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
        .ext_key_usage([ExtKeyUsage::ClientAuth]);
    let signing = match options.issuance {
        Issuance::Random => Signing::Random,
        Issuance::Deterministic { .. } => {
            let secs = |t: SystemTime| {
                t.duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0)
                    .to_be_bytes()
            };
            Signing::Deterministic(Seed::new([
                b"kubeconfig admin".as_slice(),
                cluster_name.as_bytes(),
                endpoint.as_bytes(),
                &secs(not_before),
                &secs(not_after),
            ]))
        }
    };
    let issued =
        ca.issue_with_new_key_using(&profile, &signing)
            .map_err(|source| match source {
                talgen_pki::Error::DeterministicUnsupported { key } => {
                    Error::DeterministicUnsupported { key }
                }
                source => Error::Issue {
                    what: "Kubernetes admin client certificate",
                    source,
                },
            })?;
    Ok(Kubeconfig {
        cluster_name: cluster_name.to_string(),
        server: lowercase_scheme(endpoint),
        certificate_authority: bundle.certs.k8s.crt.clone(),
        client_certificate: issued.cert_pem,
        client_key: issued.key_pem,
    })
}

/// The endpoint with its URL scheme lower-cased, as Go's `url.Parse`
/// stores it and `URL.String` writes it back (Talos writes the server URL
/// from the parsed cluster endpoint); the rest is kept as given.
fn lowercase_scheme(endpoint: &str) -> String {
    let scheme_len = endpoint.find(':').filter(|&n| {
        endpoint.get(..n).is_some_and(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
    });
    match scheme_len {
        Some(n) => {
            let (scheme, rest) = endpoint.split_at(n);
            format!("{}{rest}", scheme.to_ascii_lowercase())
        }
        None => endpoint.to_string(),
    }
}

fn check_text(field: &'static str, value: &str) -> Result<(), Error> {
    let reason = if value.is_empty() {
        "must not be empty"
    } else if value.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput {
        field,
        reason: reason.into(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// pkg/kubeconfig/generate.go writes `ClusterEndpoint().String()`,
    /// and Go's URL parser lower-cases the scheme.
    #[test]
    fn scheme_is_lower_cased_and_the_rest_kept() {
        assert_eq!(
            lowercase_scheme("HTTPS://Example.COM:6443"),
            "https://Example.COM:6443"
        );
        assert_eq!(
            lowercase_scheme("https://[fd00::1]:6443"),
            "https://[fd00::1]:6443"
        );
        assert_eq!(lowercase_scheme("[FD00::1]:6443"), "[FD00::1]:6443");
        assert_eq!(lowercase_scheme("Host:6443"), "host:6443");
    }
}
