//! Kubernetes API server policies generation writes by default, as data:
//! Pod Security admission, audit policy, anonymous authentication and the
//! authorizer chain (upstream `types/k8s` `Default*` constructors and
//! `v1alpha1.APIServerDefaultAuditPolicy`).

use std::collections::BTreeMap;

use talgen_config::meta::{Unstructured, Value};

fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Unstructured {
    match map(entries) {
        Value::Map(object) => Unstructured::from(object),
        _ => Unstructured::new(),
    }
}

fn s(text: &str) -> Value {
    Value::from(text)
}

/// Name of the Pod Security admission plugin.
pub(crate) const POD_SECURITY_PLUGIN: &str = "PodSecurity";

/// Pod Security admission: enforce `baseline`, audit and warn `restricted`,
/// `kube-system` exempt.
pub(crate) fn pod_security_configuration() -> Unstructured {
    object([
        (
            "apiVersion",
            s("pod-security.admission.config.k8s.io/v1alpha1"),
        ),
        ("kind", s("PodSecurityConfiguration")),
        (
            "defaults",
            map([
                ("enforce", s("baseline")),
                ("enforce-version", s("latest")),
                ("audit", s("restricted")),
                ("audit-version", s("latest")),
                ("warn", s("restricted")),
                ("warn-version", s("latest")),
            ]),
        ),
        (
            "exemptions",
            map([
                ("usernames", Value::Seq(Vec::new())),
                ("runtimeClasses", Value::Seq(Vec::new())),
                ("namespaces", Value::Seq(vec![s("kube-system")])),
            ]),
        ),
    ])
}

/// Audit policy logging every request at `Metadata` level.
pub(crate) fn audit_policy() -> Unstructured {
    object([
        ("apiVersion", s("audit.k8s.io/v1")),
        ("kind", s("Policy")),
        ("rules", Value::Seq(vec![map([("level", s("Metadata"))])])),
    ])
}

/// Structured authentication: anonymous access to the health endpoints only, no JWT issuers.
pub(crate) fn authentication() -> Unstructured {
    let path = |p: &str| map([("path", s(p))]);
    object([
        (
            "anonymous",
            map([
                (
                    "conditions",
                    Value::Seq(vec![path("/livez"), path("/readyz"), path("/healthz")]),
                ),
                ("enabled", Value::Bool(true)),
            ]),
        ),
        ("jwt", Value::Seq(Vec::new())),
    ])
}

/// The authorizer chain, in order: `(name, type)`.
pub(crate) const AUTHORIZERS: [(&str, &str); 2] = [("node", "Node"), ("rbac", "RBAC")];

/// Etcd encryption of Secrets: secretbox key `key2` first, then the legacy
/// AES-CBC secret as secretbox key `key1`. Names and order must stay as
/// upstream so clusters moving to the document form keep decrypting.
pub(crate) fn etcd_encryption(secretbox: &str, aescbc: &str) -> Unstructured {
    let provider = |name: &str, secret: &str| {
        map([(
            "secretbox",
            map([(
                "keys",
                Value::Seq(vec![map([("name", s(name)), ("secret", s(secret))])]),
            )]),
        )])
    };
    let mut providers = Vec::new();
    if !secretbox.is_empty() {
        providers.push(provider("key2", secretbox));
    }
    if !aescbc.is_empty() {
        providers.push(provider("key1", aescbc));
    }
    object([(
        "resources",
        Value::Seq(vec![map([
            ("providers", Value::Seq(providers)),
            ("resources", Value::Seq(vec![s("secrets")])),
        ])]),
    )])
}
