//! Values every rendered config of one [`Input`] shares, worked out once
//! when the input is made: the printed endpoint, component image names,
//! the CA material as PEM text, parsed networks and the default API server
//! policies. Rendering then only copies them into documents.

use talgen_config::meta::Unstructured;
use talgen_config::types::net::Prefix;
use talgen_gourl::{go_quote, GoUrl};

use crate::constants;
use crate::k8s_defaults;
use crate::options::Options;
use crate::secrets::Material;

/// Per-input values derived from the options and secrets.
#[derive(Debug, Clone)]
pub(crate) struct Derived {
    /// The endpoint as Go's URL printer writes it.
    pub(crate) endpoint: String,
    pub(crate) kubelet_image: String,
    pub(crate) apiserver_image: String,
    pub(crate) controller_manager_image: String,
    pub(crate) scheduler_image: String,
    pub(crate) proxy_image: String,
    /// PEM text of the Kubernetes CA certificate and key.
    pub(crate) k8s_crt: String,
    pub(crate) k8s_key: String,
    /// PEM text of the aggregator CA certificate and key.
    pub(crate) aggregator_crt: String,
    pub(crate) aggregator_key: String,
    /// PEM text of the service account key.
    pub(crate) service_account_key: String,
    /// Pod and service networks, or `None` when one does not parse (the
    /// error is then reported by the slow path at render time).
    pub(crate) pod_prefixes: Option<Vec<Prefix>>,
    pub(crate) service_prefixes: Option<Vec<Prefix>>,
    /// CEL expression selecting the install disk.
    pub(crate) install_disk_match: String,
    pub(crate) pod_security: Unstructured,
    pub(crate) audit_policy: Unstructured,
    pub(crate) authentication: Unstructured,
    pub(crate) etcd_encryption: Unstructured,
}

fn pem_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn parse_all(nets: &[String]) -> Option<Vec<Prefix>> {
    nets.iter().map(|n| n.parse().ok()).collect()
}

impl Derived {
    /// Works out the shared values for one input.
    pub(crate) fn new(
        options: &Options,
        secrets: &Material,
        endpoint: &GoUrl,
        kubernetes_version: &str,
        pod_nets: &[String],
        service_nets: &[String],
    ) -> Self {
        let image = |repository: &str| constants::image(repository, kubernetes_version);
        Self {
            endpoint: endpoint.to_string(),
            kubelet_image: image(constants::KUBELET_IMAGE),
            apiserver_image: image(constants::KUBE_APISERVER_IMAGE),
            controller_manager_image: image(constants::KUBE_CONTROLLER_MANAGER_IMAGE),
            scheduler_image: image(constants::KUBE_SCHEDULER_IMAGE),
            proxy_image: image(constants::KUBE_PROXY_IMAGE),
            k8s_crt: pem_text(&secrets.k8s.crt),
            k8s_key: pem_text(&secrets.k8s.key),
            aggregator_crt: pem_text(&secrets.k8s_aggregator.crt),
            aggregator_key: pem_text(&secrets.k8s_aggregator.key),
            service_account_key: pem_text(&secrets.k8s_service_account_key),
            pod_prefixes: parse_all(pod_nets),
            service_prefixes: parse_all(service_nets),
            install_disk_match: format!("disk.dev_path == {}", go_quote(&options.install_disk)),
            pod_security: k8s_defaults::pod_security_configuration(),
            audit_policy: k8s_defaults::audit_policy(),
            authentication: k8s_defaults::authentication(),
            etcd_encryption: k8s_defaults::etcd_encryption(
                &secrets.secretbox_encryption_secret,
                &secrets.aescbc_encryption_secret,
            ),
        }
    }
}
