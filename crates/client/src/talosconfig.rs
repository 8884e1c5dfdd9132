//! The talosconfig file: Talos's client configuration (ports
//! `pkg/machinery/client/config` and `generate/talosconfig.go`).

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};
use talgen_pki::{CertificateProfile, Issued};
use talgen_secrets::Bundle;

use crate::roles::Roles;
use crate::Error;

/// Default lifetime of a talosconfig client certificate: 365 days
/// (Talos's `TalosAPIDefaultCertificateValidityDuration`).
pub const TALOS_API_CERT_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// A talosconfig: the selected context and every named context, with
/// fields in Go's declaration order so encoding matches `talosctl`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talosconfig {
    /// The name of the context used by default; may be empty.
    #[serde(default, deserialize_with = "null_as_default")]
    pub context: String,
    /// The contexts by name (written sorted, as Go sorts map keys).
    #[serde(default, deserialize_with = "null_as_default")]
    pub contexts: BTreeMap<String, Context>,
}

/// The credentials and targets of one cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// Single endpoint of talosconfigs from before endpoint lists; moved
    /// into [`Context::endpoints`] on load, so it is only written when set
    /// by hand.
    #[serde(
        rename = "target",
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub deprecated_target: String,
    /// Talos API endpoints; always written, `[]` when empty.
    #[serde(default, deserialize_with = "null_as_default")]
    pub endpoints: Vec<String>,
    /// Default target nodes.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub nodes: Vec<String>,
    /// Base64 of the OS CA certificate PEM.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub ca: String,
    /// Base64 of the client certificate PEM.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub crt: String,
    /// Base64 of the client key PEM.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub key: String,
    /// Other authentication methods (Omni); omitted when empty.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Auth::is_empty"
    )]
    pub auth: Auth,
    /// Cluster name for proxied (Omni) access.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub cluster: String,
    /// HTTP proxy to reach the endpoints through.
    #[serde(
        rename = "proxy-url",
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub proxy_url: String,
}

impl Context {
    /// The OS CA certificate PEM (decoded [`Context::ca`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the field is not base64.
    pub fn ca_pem(&self) -> Result<Vec<u8>, Error> {
        decode_field("ca", &self.ca)
    }

    /// The client certificate PEM (decoded [`Context::crt`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the field is not base64.
    pub fn crt_pem(&self) -> Result<Vec<u8>, Error> {
        decode_field("crt", &self.crt)
    }

    /// The client key PEM (decoded [`Context::key`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the field is not base64.
    pub fn key_pem(&self) -> Result<Vec<u8>, Error> {
        decode_field("key", &self.key)
    }
}

fn decode_field(field: &'static str, value: &str) -> Result<Vec<u8>, Error> {
    STANDARD.decode(value).map_err(|e| Error::InvalidInput {
        field,
        reason: e.to_string(),
    })
}

/// Authentication other than client certificates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auth {
    /// HTTP basic credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<Basic>,
    /// SideroV1 signature identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siderov1: Option<SideroV1>,
}

impl Auth {
    /// Whether no method is set (Go omits the whole struct then).
    pub fn is_empty(&self) -> bool {
        self.basic.is_none() && self.siderov1.is_none()
    }
}

/// HTTP basic credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basic {
    /// User name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub username: String,
    /// Password.
    #[serde(default, deserialize_with = "null_as_default")]
    pub password: String,
}

/// SideroV1 API signature identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideroV1 {
    /// The identity (an e-mail address).
    #[serde(default, deserialize_with = "null_as_default")]
    pub identity: String,
}

/// A context renamed by [`Talosconfig::merge`] because its name was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// The name in the merged-in file.
    pub from: String,
    /// The name it got.
    pub to: String,
}

impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} -> {:?}", self.from, self.to)
    }
}

/// Go's decoder refuses a mapping that repeats a key when it decodes that
/// mapping into a struct or map; these are the mappings a talosconfig
/// decodes (the top level, `contexts`, each context, `auth` and its
/// methods). Mappings under unknown keys are skipped, as in Go.
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
    unique(Some(doc), "talosconfig")?;
    let contexts = doc.get("contexts");
    unique(contexts, "contexts")?;
    for (_, ctx) in contexts
        .and_then(talgen_yaml::Node::as_mapping)
        .into_iter()
        .flatten()
    {
        unique(Some(ctx), "context")?;
        let auth = ctx.get("auth");
        unique(auth, "auth")?;
        for method in ["basic", "siderov1"] {
            unique(auth.and_then(|a| a.get(method)), method)?;
        }
    }
    Ok(())
}

/// Go decodes `null` into a field as its zero value.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl Talosconfig {
    /// A talosconfig with the single context `name`, selected, holding the
    /// CA and client certificate PEMs base64-encoded (Go `NewConfig`).
    pub fn new(
        name: &str,
        endpoints: Vec<String>,
        ca_pem: &[u8],
        crt_pem: &[u8],
        key_pem: &[u8],
    ) -> Self {
        let context = Context {
            endpoints,
            ca: STANDARD.encode(ca_pem),
            crt: STANDARD.encode(crt_pem),
            key: STANDARD.encode(key_pem),
            ..Context::default()
        };
        Self {
            context: name.to_string(),
            contexts: BTreeMap::from([(name.to_string(), context)]),
        }
    }

    /// Reads a talosconfig as `talosctl` does: the first YAML document,
    /// unknown keys ignored, each legacy `target` appended to its context's
    /// endpoints. Text without any YAML document (empty, blank or only
    /// comments) is an error, as Go's decoder reports end of file.
    ///
    /// # Errors
    /// [`Error::ParseTalosconfig`] for bad YAML, no document, or a wrong
    /// shape.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        let parse = |reason: String| Error::ParseTalosconfig { reason };
        let docs = talgen_yaml::from_str_documents(text).map_err(|e| parse(e.to_string()))?;
        let Some(doc) = docs.into_iter().next() else {
            return Err(parse("EOF".into()));
        };
        // An empty first document (`---` alone) decodes to nothing in Go.
        if doc == talgen_yaml::Node::Null {
            return Ok(Self::default());
        }
        check_unique_keys(&doc).map_err(parse)?;
        let mut config: Self = talgen_yaml::from_node(doc).map_err(|e| parse(e.to_string()))?;
        for ctx in config.contexts.values_mut() {
            if !ctx.deprecated_target.is_empty() {
                ctx.endpoints
                    .push(std::mem::take(&mut ctx.deprecated_target));
            }
        }
        Ok(config)
    }

    /// The talosconfig as `talosctl` writes it (Go's YAML encoder, 4-space
    /// indentation, contexts sorted).
    ///
    /// # Errors
    /// [`Error::Encode`], which plain strings never cause.
    pub fn to_yaml(&self) -> Result<String, Error> {
        talgen_yaml::to_string(self).map_err(|e| Error::Encode {
            what: "talosconfig",
            reason: e.to_string(),
        })
    }

    /// Adds every context of `other`; a name already present becomes
    /// `NAME-1`, `NAME-2`... (the first free one), and `other`'s selected
    /// context, if any, becomes the selected one under its new name.
    /// Returns the renames made.
    ///
    /// Contexts are merged in name order, so the outcome is deterministic;
    /// Go walks a map and may number clashing names differently when the
    /// merged-in file itself holds names like `a` and `a-1`.
    pub fn merge(&mut self, other: Self) -> Vec<Rename> {
        let mut renames = Vec::new();
        let mut mapped = BTreeMap::new();
        for (name, ctx) in other.contexts {
            let mut merged = name.clone();
            let mut i = 1u64;
            while self.contexts.contains_key(&merged) {
                merged = format!("{name}-{i}");
                i += 1;
            }
            if merged != name {
                renames.push(Rename {
                    from: name.clone(),
                    to: merged.clone(),
                });
            }
            self.contexts.insert(merged.clone(), ctx);
            mapped.insert(name, merged);
        }
        if !other.context.is_empty() {
            // A selected context that the file does not define maps to ""
            // in Go (lookup of a missing map key).
            self.context = mapped.remove(&other.context).unwrap_or_default();
        }
        renames
    }
}

/// Inputs of a talosconfig beyond the cluster name and secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalosconfigOptions {
    /// Talos API endpoints (empty by default, like `talosctl gen config`).
    pub endpoints: Vec<String>,
    /// Default target nodes.
    pub nodes: Vec<String>,
    /// Roles granted by the client certificate.
    pub roles: Roles,
    /// Client certificate lifetime.
    pub crt_ttl: Duration,
}

impl Default for TalosconfigOptions {
    fn default() -> Self {
        Self {
            endpoints: Vec::new(),
            nodes: Vec::new(),
            roles: Roles::default(),
            crt_ttl: TALOS_API_CERT_TTL,
        }
    }
}

/// Issues a Talos API client certificate from the bundle's OS CA, as Talos
/// does (`NewAdminCertificateAndKey`): a new key of the CA's type (Ed25519
/// for generated bundles), organizations = the roles, no common name, key
/// usage digital signature, client auth, valid from the bundle clock's now
/// (no skew allowance) for `ttl`.
///
/// # Errors
/// [`Error::LoadCa`], [`Error::InvalidLifetime`] or [`Error::Issue`].
pub fn issue_admin_certificate(
    bundle: &Bundle,
    roles: &Roles,
    ttl: Duration,
) -> Result<Issued, Error> {
    let ca = bundle
        .os_ca()
        .map_err(|source| Error::LoadCa { ca: "OS", source })?;
    let now = bundle.clock.now();
    check_lifetime(now, ttl)?;
    let profile = CertificateProfile::talos_admin(&roles.as_strings(), now, ttl);
    ca.issue_with_new_key(&profile)
        .map_err(|source| Error::Issue {
            what: "admin client certificate",
            source,
        })
}

/// Builds the talosconfig `talosctl gen config` writes for `cluster_name`
/// (Go `Input.Talosconfig`), plus the nodes option of `talosctl config`.
///
/// # Errors
/// An empty cluster name, or any error of [`issue_admin_certificate`].
pub fn generate_talosconfig(
    cluster_name: &str,
    bundle: &Bundle,
    options: &TalosconfigOptions,
) -> Result<Talosconfig, Error> {
    if cluster_name.is_empty() {
        return Err(Error::InvalidInput {
            field: "cluster name",
            reason: "must not be empty".into(),
        });
    }
    let issued = issue_admin_certificate(bundle, &options.roles, options.crt_ttl)?;
    let mut config = Talosconfig::new(
        cluster_name,
        options.endpoints.clone(),
        &bundle.certs.os.crt,
        &issued.cert_pem,
        &issued.key_pem,
    );
    if let Some(ctx) = config.contexts.get_mut(cluster_name) {
        ctx.nodes = options.nodes.clone();
    }
    Ok(config)
}

/// Rejects lifetimes that are zero or overflow the calendar.
pub(crate) fn check_lifetime(start: SystemTime, ttl: Duration) -> Result<(), Error> {
    if ttl.is_zero() {
        return Err(Error::InvalidLifetime {
            reason: "must be positive".into(),
        });
    }
    // X.509 times stop at year 9999.
    const MAX: Duration = Duration::from_secs(253_402_300_799);
    match start.checked_add(ttl) {
        Some(end)
            if end
                .duration_since(SystemTime::UNIX_EPOCH)
                .is_ok_and(|d| d <= MAX) =>
        {
            Ok(())
        }
        _ => Err(Error::InvalidLifetime {
            reason: format!("{}s runs past the year 9999", ttl.as_secs()),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ctx(endpoint: &str) -> Context {
        Context {
            endpoints: vec![endpoint.into()],
            ..Context::default()
        }
    }

    #[test]
    fn encodes_like_talosctl() {
        let c = Talosconfig::new("dev", vec![], b"A", b"B", b"C");
        assert_eq!(
            c.to_yaml().unwrap(),
            "context: dev\ncontexts:\n    dev:\n        endpoints: []\n        ca: QQ==\n        crt: Qg==\n        key: Qw==\n"
        );
    }

    #[test]
    fn legacy_target_becomes_an_endpoint() {
        let c = Talosconfig::from_yaml(
            "context: a\ncontexts:\n  a:\n    target: 10.0.0.1\n    endpoints: [10.0.0.2]\n    extra: 1\n",
        )
        .unwrap();
        let a = &c.contexts["a"];
        assert_eq!(a.endpoints, vec!["10.0.0.2", "10.0.0.1"]);
        assert!(a.deprecated_target.is_empty());
        assert_eq!(
            c.to_yaml().unwrap(),
            "context: a\ncontexts:\n    a:\n        endpoints:\n            - 10.0.0.2\n            - 10.0.0.1\n"
        );
    }

    #[test]
    fn nulls_read_as_empty_and_no_document_is_an_error() {
        // pkg/machinery/client/config/config.go `ReadFrom`: decoding a
        // stream without documents fails with io.EOF.
        for empty in ["", "\n", "# only a comment\n"] {
            assert!(
                matches!(
                    Talosconfig::from_yaml(empty),
                    Err(Error::ParseTalosconfig { .. })
                ),
                "{empty:?}"
            );
        }
        let c = Talosconfig::from_yaml("context: ~\ncontexts:\n  a:\n    endpoints: ~\n").unwrap();
        assert_eq!(c.contexts["a"], Context::default());
        assert_eq!(
            Talosconfig::default().to_yaml().unwrap(),
            "context: \"\"\ncontexts: {}\n"
        );
    }

    /// go.yaml.in/yaml/v4 refuses repeated keys in any mapping it decodes
    /// (internal/libyaml/constructor.go, `UniqueKeys`), but skips unknown
    /// keys' values; an empty first document decodes to nothing.
    #[test]
    fn repeated_keys_and_empty_documents_like_go() {
        for text in [
            "context: a\ncontext: b\n",
            "contexts:\n  a: {}\n  a: {}\n",
            "contexts:\n  a:\n    endpoints: []\n    endpoints: [x]\n",
            "contexts:\n  a:\n    auth:\n      basic: {username: u, username: v}\n",
        ] {
            assert!(
                matches!(
                    Talosconfig::from_yaml(text),
                    Err(Error::ParseTalosconfig { .. })
                ),
                "{text:?}"
            );
        }
        let c = Talosconfig::from_yaml("context: a\nextra: {k: 1, k: 2}\n").unwrap();
        assert_eq!(c.context, "a");
        assert_eq!(
            Talosconfig::from_yaml("---\n").unwrap(),
            Talosconfig::default()
        );
        assert_eq!(
            Talosconfig::from_yaml("---\n---\ncontext: b\n").unwrap(),
            Talosconfig::default()
        );
    }

    #[test]
    fn auth_round_trips_in_field_order() {
        let text = "context: o\ncontexts:\n    o:\n        endpoints:\n            - omni.example\n        auth:\n            siderov1:\n                identity: me@example.com\n        cluster: prod\n        proxy-url: http://proxy:8080\n";
        let c = Talosconfig::from_yaml(text).unwrap();
        assert_eq!(c.to_yaml().unwrap(), text);
    }

    #[test]
    fn merge_renames_clashes_like_talosctl() {
        let mut into = Talosconfig {
            context: "a".into(),
            contexts: BTreeMap::from([("a".into(), ctx("1")), ("a-1".into(), ctx("2"))]),
        };
        let from = Talosconfig {
            context: "a".into(),
            contexts: BTreeMap::from([("a".into(), ctx("3")), ("b".into(), ctx("4"))]),
        };
        let renames = into.merge(from);
        assert_eq!(
            renames,
            vec![Rename {
                from: "a".into(),
                to: "a-2".into()
            }]
        );
        assert_eq!(renames[0].to_string(), "\"a\" -> \"a-2\"");
        assert_eq!(into.context, "a-2");
        assert_eq!(into.contexts["a-2"], ctx("3"));
        assert_eq!(into.contexts["a"], ctx("1"));
        assert_eq!(into.contexts["b"], ctx("4"));
    }

    #[test]
    fn merge_keeps_or_clears_the_selected_context() {
        let mut into = Talosconfig {
            context: "a".into(),
            contexts: BTreeMap::from([("a".into(), ctx("1"))]),
        };
        into.merge(Talosconfig {
            context: String::new(),
            contexts: BTreeMap::from([("b".into(), ctx("2"))]),
        });
        assert_eq!(into.context, "a");
        into.merge(Talosconfig {
            context: "missing".into(),
            contexts: BTreeMap::new(),
        });
        assert_eq!(into.context, "");
    }

    #[test]
    fn lifetime_bounds() {
        let now = SystemTime::UNIX_EPOCH;
        assert!(check_lifetime(now, Duration::ZERO).is_err());
        assert!(check_lifetime(now, Duration::from_secs(1)).is_ok());
        assert!(check_lifetime(now, Duration::from_secs(u64::MAX / 4)).is_err());
    }
}
