//! Discovery kinds (`types/cluster/*.go`).

use base64::Engine as _;
use talgen_config::types::cluster::{DiscoveryIdentityConfig, DiscoveryServiceConfig};

use crate::report::Scope;

/// Size of the cluster secret once decoded (`constants.DefaultClusterSecretSize`).
const CLUSTER_SECRET_SIZE: usize = 32;

pub(super) fn discovery_identity(d: &DiscoveryIdentityConfig, s: &mut Scope<'_>) {
    // Upstream returns at the first problem.
    if d.cluster_id.is_empty() {
        return s.error("clusterID", "the cluster id is required");
    }
    if d.cluster_secret.is_empty() {
        return s.error("clusterSecret", "the cluster secret is required");
    }
    match base64::engine::general_purpose::STANDARD.decode(&d.cluster_secret) {
        Err(e) => s.error("clusterSecret", format!("not base64: {e}")),
        Ok(raw) if raw.len() != CLUSTER_SECRET_SIZE => s.error(
            "clusterSecret",
            format!("decodes to {} bytes, not {CLUSTER_SECRET_SIZE}", raw.len()),
        ),
        Ok(_) => {}
    }
}

pub(super) fn discovery_service(d: &DiscoveryServiceConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        return s.error("name", "a name is required");
    }
    let url = d.endpoint.as_str();
    if url.is_empty() {
        return s.error("endpoint", "an endpoint is required");
    }
    let u = crate::net::config_url(url);
    if u.scheme.is_empty() {
        return s.error("endpoint", "the endpoint needs a scheme");
    }
    if !matches!(u.scheme.as_str(), "http" | "https" | "grpc") {
        return s.error("endpoint", "the scheme must be http, https or grpc");
    }
    if u.hostname().is_empty() {
        s.error("endpoint", "the endpoint needs a host");
    }
}
