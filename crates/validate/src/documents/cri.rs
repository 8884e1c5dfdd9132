//! Registry kinds (`types/cri/registry_*.go` `Validate` methods).

use talgen_config::types::cri::{RegistryAuthConfig, RegistryMirrorConfig, RegistryTLSConfig};

use crate::pem;
use crate::report::Scope;

fn registry_name(name: &str, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "the registry name is required");
    }
}

pub(super) fn mirror(d: &RegistryMirrorConfig, s: &mut Scope<'_>) {
    registry_name(&d.name, s);
    for (i, ep) in d.endpoints.iter().enumerate() {
        let path = format!("endpoints[{i}].url");
        let url = ep.url.as_str();
        if url.is_empty() {
            s.error(&path, "an endpoint URL is required");
            continue;
        }
        // Go lower-cases the scheme while parsing; a URL without one has
        // an empty scheme.
        let scheme = url
            .split_once(':')
            .map(|(sc, _)| sc)
            .filter(|sc| {
                sc.starts_with(|c: char| c.is_ascii_alphabetic())
                    && sc
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            })
            .unwrap_or("")
            .to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            s.error(&path, format!("the scheme {scheme:?} is not http or https"));
        }
    }
}

pub(super) fn auth(d: &RegistryAuthConfig, s: &mut Scope<'_>) {
    registry_name(&d.name, s);
    let username = !d.username.is_empty();
    let token = !d.identity_token.is_empty();
    if username && token {
        s.error(
            "identityToken",
            "username/password and identityToken exclude each other",
        );
    }
    if !d.auth.is_empty() && (username || token) {
        s.error("auth", "auth excludes username/password and identityToken");
    }
}

pub(super) fn tls(d: &RegistryTLSConfig, s: &mut Scope<'_>) {
    registry_name(&d.name, s);
    if !d.ca.is_empty() && !pem::block_types(&d.ca).iter().any(|t| t == "CERTIFICATE") {
        s.error("ca", "the CA holds no PEM certificate");
    }
    if let Some(id) = &d.client_identity {
        if let Err(e) = pem::check_cert_and_key(&id.cert, &id.key) {
            s.error("clientIdentity", format!("client identity: {e}"));
        }
    }
}
