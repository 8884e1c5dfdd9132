//! Recovering a bundle from an existing controlplane config (Talos
//! `NewBundleFromConfig`, `talosctl gen secrets --from-controlplane-config`).
//!
//! The secrets sit in the v1alpha1 document (`machine.ca`, `machine.token`,
//! `cluster.*`) and, from contract v1.14 on, partly in separate documents
//! (`KubeAPIServerCAConfig`, `KubeAggregatorCAConfig`,
//! `KubeServiceAccountConfig`, `DiscoveryIdentityConfig`,
//! `KubeEtcdEncryptionConfig`). A separate document wins over the v1alpha1
//! field, as Talos's config accessors prefer it. The config is read as
//! plain YAML so any contract's layout works without the typed model.

use talgen_yaml::Node;

use crate::bundle::{Bundle, CertAndKey, Certs, Cluster, KeyPem, Secrets, TrustdInfo};
use crate::error::{Problem, ProblemKind};
use crate::{Clock, Error};

/// A string scalar at `path` under `node`, or empty.
fn text(node: Option<&Node>, path: &[&str]) -> String {
    let mut cur = node;
    for key in path {
        cur = cur.and_then(|n| n.get(key));
    }
    match cur {
        Some(Node::String(s)) => s.to_string(),
        _ => String::new(),
    }
}

fn kind_doc<'a>(docs: &'a [Node], kind: &str) -> Option<&'a Node> {
    docs.iter()
        .find(|d| d.get("kind").and_then(Node::as_str) == Some(kind))
}

/// The secretbox key Talos extracts from a free-form encryption config:
/// among the resource blocks that cover `secrets`, in order, the first
/// whose first provider is secretbox with at least one key gives that
/// first key's secret; blocks whose first provider is anything else are
/// skipped.
fn secretbox_from_encryption_config(config: Option<&Node>) -> Option<String> {
    let resources = config?.get("resources")?.as_sequence()?;
    resources
        .iter()
        .filter(|r| {
            r.get("resources")
                .and_then(Node::as_sequence)
                .is_some_and(|rs| rs.iter().any(|x| x.as_str() == Some("secrets")))
        })
        .find_map(|block| {
            let provider = block.get("providers")?.as_sequence()?.first()?;
            let key = provider
                .get("secretbox")?
                .get("keys")?
                .as_sequence()?
                .first()?;
            Some(text(Some(key), &["secret"]))
        })
}

/// The bootstrap token as Talos rebuilds it from its id and secret halves:
/// text with exactly one dot is kept, anything else has no halves and
/// becomes `.`.
fn bootstrap_token(token: &str) -> String {
    if token.split('.').count() == 2 {
        token.to_string()
    } else {
        ".".to_string()
    }
}

impl Bundle {
    /// Extracts the secrets bundle from a controlplane machine config (all
    /// documents of the file).
    ///
    /// # Errors
    /// [`Error::Yaml`] when the text is not YAML or has no v1alpha1
    /// document, [`Error::Invalid`] for base64 that does not decode or a
    /// bundle that does not validate.
    pub fn from_controlplane_config(config: &str, clock: Clock) -> Result<Self, Error> {
        let docs = talgen_yaml::from_str_documents(config).map_err(|e| Error::Yaml {
            message: e.to_string(),
        })?;
        let v1 = docs
            .iter()
            .find(|d| d.get("version").and_then(Node::as_str) == Some("v1alpha1"))
            .ok_or_else(|| Error::Yaml {
                message: "no v1alpha1 machine config document".into(),
            })?;
        let machine = v1.get("machine");
        let cluster = v1.get("cluster");
        let mut problems = Vec::new();
        let mut b64 = |field: &str, value: String| -> Vec<u8> {
            crate::bundle::decode_base64(&value).unwrap_or_else(|why| {
                problems.push(Problem {
                    field: field.to_string(),
                    kind: ProblemKind::BadBase64(why),
                });
                Vec::new()
            })
        };
        let mut b64_pair = |field: &str, node: Option<&Node>| CertAndKey {
            crt: b64(&format!("{field}.crt"), text(node, &["crt"])),
            key: b64(&format!("{field}.key"), text(node, &["key"])),
        };
        let os = b64_pair("machine.ca", machine.and_then(|m| m.get("ca")));
        let etcd = b64_pair(
            "cluster.etcd.ca",
            cluster
                .and_then(|c| c.get("etcd"))
                .and_then(|e| e.get("ca")),
        );
        let pem_pair = |doc: &Node| CertAndKey {
            crt: text(Some(doc), &["issuingCA", "cert"]).into_bytes(),
            key: text(Some(doc), &["issuingCA", "key"]).into_bytes(),
        };
        let k8s = match kind_doc(&docs, "KubeAPIServerCAConfig") {
            Some(doc) => pem_pair(doc),
            None => b64_pair("cluster.ca", cluster.and_then(|c| c.get("ca"))),
        };
        let k8s_aggregator = match kind_doc(&docs, "KubeAggregatorCAConfig") {
            Some(doc) => pem_pair(doc),
            None => b64_pair(
                "cluster.aggregatorCA",
                cluster.and_then(|c| c.get("aggregatorCA")),
            ),
        };
        let sa_key = match kind_doc(&docs, "KubeServiceAccountConfig") {
            Some(doc) => text(Some(doc), &["issuer", "privateKey"]).into_bytes(),
            None => b64(
                "cluster.serviceAccount.key",
                text(cluster, &["serviceAccount", "key"]),
            ),
        };
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        let (id, secret) = match kind_doc(&docs, "DiscoveryIdentityConfig") {
            Some(doc) => (
                text(Some(doc), &["clusterID"]),
                text(Some(doc), &["clusterSecret"]),
            ),
            None => (text(cluster, &["id"]), text(cluster, &["secret"])),
        };
        let mut secretbox = text(cluster, &["secretboxEncryptionSecret"]);
        if let Some(doc) = kind_doc(&docs, "KubeEtcdEncryptionConfig") {
            if let Some(s) = secretbox_from_encryption_config(doc.get("config")) {
                secretbox = s;
            }
        }
        let bundle = Self {
            cluster: Cluster { id, secret },
            secrets: Secrets {
                bootstrap_token: bootstrap_token(&text(cluster, &["token"])),
                aescbc_encryption_secret: text(cluster, &["aescbcEncryptionSecret"]),
                secretbox_encryption_secret: secretbox,
            },
            trustd_info: TrustdInfo {
                token: text(machine, &["token"]),
            },
            certs: Certs {
                etcd,
                k8s,
                k8s_aggregator,
                k8s_service_account: KeyPem { key: sa_key },
                os,
            },
            head_comment: String::new(),
            clock,
        };
        bundle.validate()?;
        Ok(bundle)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// pkg/machinery/config/types/v1alpha1/v1alpha1_clusterconfig.go
    /// (`clusterToken.ID`/`Secret`) joined by `NewBundleFromConfig`.
    #[test]
    fn bootstrap_token_is_rebuilt_from_its_halves() {
        assert_eq!(
            bootstrap_token("abcdef.0123456789abcdef"),
            "abcdef.0123456789abcdef"
        );
        assert_eq!(bootstrap_token("x."), "x.");
        assert_eq!(bootstrap_token(""), ".");
        assert_eq!(bootstrap_token("nodot"), ".");
        assert_eq!(bootstrap_token("a.b.c"), ".");
    }

    /// pkg/machinery/config/generate/secrets/bundle.go `NewBundleFromConfig`:
    /// a block whose first provider is not secretbox does not end the search.
    #[test]
    fn secretbox_search_skips_blocks_without_a_leading_secretbox() {
        let config = talgen_yaml::from_str(
            "resources:\n\
             - resources: [configmaps]\n\
             \x20 providers: [{secretbox: {keys: [{name: a, secret: wrong}]}}]\n\
             - resources: [secrets]\n\
             \x20 providers: [{identity: {}}, {secretbox: {keys: [{name: b, secret: skipped}]}}]\n\
             - resources: [secrets]\n\
             \x20 providers: [{secretbox: {keys: []}}]\n\
             - resources: [pods, secrets]\n\
             \x20 providers: [{secretbox: {keys: [{name: c, secret: right}, {name: d, secret: later}]}}]\n",
        )
        .unwrap();
        assert_eq!(
            secretbox_from_encryption_config(Some(&config)).as_deref(),
            Some("right")
        );
    }
}
