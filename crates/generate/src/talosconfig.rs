//! The client configuration written beside machine configs (`talosconfig`),
//! in Talos's format (`pkg/machinery/client/config`): one context named
//! after the cluster, holding the OS CA and a fresh admin client certificate.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Serialize;

/// A talosconfig with one context, as `talosctl gen config` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Talosconfig {
    /// Name of the selected context (the cluster name).
    pub context: String,
    /// Contexts by name.
    pub contexts: BTreeMap<String, TalosconfigContext>,
}

/// Credentials and endpoints for one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalosconfigContext {
    /// Talos API endpoints; written as `[]` when empty.
    pub endpoints: Vec<String>,
    /// Base64 of the PEM OS CA certificate.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ca: String,
    /// Base64 of the PEM client certificate.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub crt: String,
    /// Base64 of the PEM client private key.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
}

impl Talosconfig {
    /// A talosconfig whose only context is `name` (upstream `NewConfig`).
    pub fn new(
        name: &str,
        endpoints: Vec<String>,
        ca_crt_pem: &[u8],
        client_crt_pem: &[u8],
        client_key_pem: &[u8],
    ) -> Self {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let ctx = TalosconfigContext {
            endpoints,
            ca: b64(ca_crt_pem),
            crt: b64(client_crt_pem),
            key: b64(client_key_pem),
        };
        Self {
            context: name.to_owned(),
            contexts: BTreeMap::from([(name.to_owned(), ctx)]),
        }
    }
}

impl Talosconfig {
    /// Encodes the talosconfig as `talosctl` writes it.
    pub fn encode(&self) -> Result<String, crate::Error> {
        talgen_yaml::to_string(self).map_err(|e| crate::Error::Encode {
            kind: "talosconfig".to_owned(),
            message: e.to_string(),
        })
    }
}

impl crate::Input {
    /// A talosconfig for this cluster: the options' endpoints, the OS CA,
    /// and a new admin client certificate (Ed25519 for a generated OS CA)
    /// with one organization per role, valid for one year from the bundle's
    /// clock (upstream `Input.Talosconfig`).
    pub fn talosconfig(&self) -> Result<Talosconfig, crate::Error> {
        let secrets_err = |e: talgen_pki::Error| crate::Error::Secrets(e.to_string());
        let ca = self.bundle.os_ca().map_err(secrets_err)?;
        let mut roles = self.options.roles.clone();
        roles.sort();
        roles.dedup();
        let profile = talgen_pki::CertificateProfile::talos_admin(
            &roles,
            self.bundle.clock.now(),
            std::time::Duration::from_secs(crate::constants::CLIENT_CERT_VALIDITY_SECS),
        );
        let issued = ca.issue_with_new_key(&profile).map_err(secrets_err)?;
        Ok(Talosconfig::new(
            &self.cluster_name,
            self.options.endpoint_list.clone(),
            &self.secrets.os.crt,
            &issued.cert_pem,
            &issued.key_pem,
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use base64::Engine as _;
    use talgen_contract::Contract;
    use talgen_pki::Certificate;

    use crate::{Input, Options};

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn input() -> Input {
        // v1.6 keeps bundle generation fast (no RSA service-account key).
        let opts = Options {
            contract: Contract::V1_6,
            ..Options::default()
        };
        Input::new("demo", "https://10.0.0.1:6443", "1.29.0", opts).unwrap()
    }

    #[test]
    fn client_certificate_follows_talos_admin_profile() {
        let input = input();
        let cfg = input.talosconfig().unwrap();
        let ctx = &cfg.contexts["demo"];
        let b64 = base64::engine::general_purpose::STANDARD;
        let crt = Certificate::from_pem(&b64.decode(&ctx.crt).unwrap()).unwrap();
        let ca = Certificate::from_pem(&b64.decode(&ctx.ca).unwrap()).unwrap();
        crt.verify_signed_by(&ca).unwrap();
        let lifetime = crt.not_after().duration_since(crt.not_before()).unwrap();
        assert_eq!(lifetime.as_secs(), 365 * 24 * 3600);
        assert!(contains(crt.subject_der(), b"os:admin"));
        // No common name attribute (OID 2.5.4.3).
        assert!(!contains(
            crt.subject_der(),
            &[0x06, 0x03, 0x55, 0x04, 0x03]
        ));
        // Ed25519 public key (OID 1.3.101.112).
        assert!(contains(
            crt.public_key_der(),
            &[0x06, 0x03, 0x2b, 0x65, 0x70]
        ));
        let eku = crt
            .extensions()
            .iter()
            .find(|e| e.oid == "2.5.29.37")
            .unwrap();
        // id-kp-clientAuth only.
        assert_eq!(
            eku.value,
            [0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02]
        );
        let ku = crt
            .extensions()
            .iter()
            .find(|e| e.oid == "2.5.29.15")
            .unwrap();
        // digitalSignature only.
        assert_eq!(ku.value, [0x03, 0x02, 0x07, 0x80]);
        let key_pem = b64.decode(&ctx.key).unwrap();
        assert!(key_pem.starts_with(b"-----BEGIN ED25519 PRIVATE KEY-----"));
    }

    #[test]
    fn encodes_with_empty_endpoints() {
        let text = input().talosconfig().unwrap().encode().unwrap();
        assert!(text.starts_with(
            "context: demo\ncontexts:\n    demo:\n        endpoints: []\n        ca: "
        ));
    }
}
