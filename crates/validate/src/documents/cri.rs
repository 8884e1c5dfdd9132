//! CRI kinds (`types/cri/*.go` `Validate` methods): registries, the base
//! runtime spec overrides and containerd customizations.

use talgen_config::types::cri::{
    CRIBaseRuntimeSpecConfig, CRICustomizationConfig, RegistryAuthConfig, RegistryMirrorConfig,
    RegistryTLSConfig,
};

use super::oci_spec;
use crate::report::Scope;
use crate::{labels, pem};

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
        let scheme = crate::net::config_url(url).scheme;
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
    if !d.ca.is_empty() && !pem::has_certificate(&d.ca) {
        s.error("ca", "the CA holds no parsable PEM certificate");
    }
    if let Some(id) = &d.client_identity {
        // Only the PEM framing of the client pair is checked upstream.
        if let Err(e) = pem::check_cert_and_key(&id.cert, &id.key, false) {
            s.error("clientIdentity", format!("client identity: {e}"));
        }
    }
}

/// The name of the CRI customization Talos keeps for the legacy
/// `/etc/cri/conf.d` fragment (`config.LegacyCRICustomizationConfigName`).
const LEGACY_CUSTOMIZATION_NAME: &str = "customization";

pub(super) fn base_runtime_spec(d: &CRIBaseRuntimeSpecConfig, s: &mut Scope<'_>) {
    if let Err(e) = oci_spec::check_object(&d.overrides.object, oci_spec::SPEC, "") {
        s.error(
            "overrides",
            format!("does not fit the OCI runtime spec: {e}"),
        );
    }
}

pub(super) fn customization(d: &CRICustomizationConfig, s: &mut Scope<'_>) {
    if let Err(e) = labels::check_qualified_name(&d.name) {
        s.error("name", e);
    }
    if d.name == LEGACY_CUSTOMIZATION_NAME {
        s.error(
            "name",
            format!("{LEGACY_CUSTOMIZATION_NAME:?} is reserved for the legacy CRI customization"),
        );
    }
}
