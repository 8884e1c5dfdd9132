//! The generation input: cluster identity plus [`Options`], resolved once
//! (secrets bundle made if absent, networks picked) and then turned into
//! any number of configs (upstream `generate.go`).

use std::net::IpAddr;

use talgen_gourl::GoUrl;

use crate::cache::Derived;
use crate::constants;
use crate::error::Error;
use crate::options::Options;
use crate::secrets::Material;

/// The role a generated config is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MachineType {
    /// The legacy first control-plane node that bootstraps etcd.
    Init,
    /// A control-plane node.
    ControlPlane,
    /// A worker node.
    Worker,
}

impl MachineType {
    /// The `machine.type` value Talos writes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Init => "init",
            Self::ControlPlane => "controlplane",
            Self::Worker => "worker",
        }
    }
}

/// Everything needed to generate a cluster's configs, ready to render.
#[derive(Debug, Clone)]
pub struct Input {
    pub(crate) options: Options,
    pub(crate) secrets: Material,
    pub(crate) bundle: talgen_secrets::Bundle,
    pub(crate) cluster_name: String,
    /// The endpoint as given.
    pub(crate) endpoint: String,
    /// The endpoint parsed the Go way.
    pub(crate) endpoint_url: GoUrl,
    pub(crate) kubernetes_version: String,
    pub(crate) pod_nets: Vec<String>,
    pub(crate) service_nets: Vec<String>,
    /// Values shared by every config rendered from this input.
    pub(crate) derived: Derived,
}

impl Input {
    /// Prepares generation for cluster `cluster_name` reached at `endpoint`
    /// (e.g. `https://10.0.0.1:6443`), running `kubernetes_version` (no
    /// leading `v`). A secrets bundle for the options' contract is generated
    /// when the options carry none; discovery defaults to enabled.
    pub fn new(
        cluster_name: &str,
        endpoint: &str,
        kubernetes_version: &str,
        mut options: Options,
    ) -> Result<Self, Error> {
        if kubernetes_version.is_empty() {
            return Err(Error::MissingKubernetesVersion);
        }
        // Upstream checks the whole endpoint string for an IPv6 address, so
        // only a bare IPv6 literal (not a URL) selects IPv6 networks.
        let ipv6 = matches!(talgen_gourl::parse_addr(endpoint), Ok(IpAddr::V6(_)));
        let (pod, service) = if ipv6 {
            (
                constants::DEFAULT_IPV6_POD_CIDR,
                constants::DEFAULT_IPV6_SERVICE_CIDR,
            )
        } else {
            (
                constants::DEFAULT_IPV4_POD_CIDR,
                constants::DEFAULT_IPV4_SERVICE_CIDR,
            )
        };
        let endpoint_url = GoUrl::parse(endpoint).map_err(|source| Error::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            source,
        })?;
        let bundle = match options.secrets.take() {
            Some(b) => b,
            None => crate::secrets::new_bundle(options.contract)?,
        };
        options.discovery_enabled.get_or_insert(true);
        let secrets = Material::from_bundle(&bundle);
        let pod_nets = vec![pod.to_owned()];
        let service_nets = vec![service.to_owned()];
        let derived = Derived::new(
            &options,
            &secrets,
            &endpoint_url,
            kubernetes_version,
            &pod_nets,
            &service_nets,
        );
        Ok(Self {
            secrets,
            bundle,
            options,
            cluster_name: cluster_name.to_owned(),
            endpoint: endpoint.to_owned(),
            endpoint_url,
            kubernetes_version: kubernetes_version.to_owned(),
            pod_nets,
            service_nets,
            derived,
        })
    }

    /// The control-plane endpoint as given.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The cluster name.
    pub fn cluster_name(&self) -> &str {
        &self.cluster_name
    }

    /// The options generation runs with (secrets moved out to [`Input::bundle`]).
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The secrets bundle embedded in every config.
    pub fn bundle(&self) -> &talgen_secrets::Bundle {
        &self.bundle
    }

    /// SANs of the API server certificate: the endpoint's host name (up to
    /// the v1.11 contract), then the additional SANs.
    pub fn api_server_sans(&self) -> Vec<String> {
        let mut sans = Vec::new();
        if self.options.contract.populate_cluster_sans_from_endpoint() {
            sans.push(self.endpoint_url.hostname().to_owned());
        }
        sans.extend(self.options.additional_sans.iter().cloned());
        sans
    }

    /// The control-plane endpoint as Go's URL printer writes it.
    pub(crate) fn endpoint_string(&self) -> String {
        self.derived.endpoint.clone()
    }

    /// Whether Kubernetes documents are left out (upstream `KubernetesDisabled`).
    pub(crate) fn kubernetes_disabled(&self) -> bool {
        self.options.disable_kubernetes
    }

    /// Component image `repository:vVERSION`.
    pub(crate) fn image(&self, repository: &str) -> String {
        let d = &self.derived;
        let cached = match repository {
            constants::KUBELET_IMAGE => &d.kubelet_image,
            constants::KUBE_APISERVER_IMAGE => &d.apiserver_image,
            constants::KUBE_CONTROLLER_MANAGER_IMAGE => &d.controller_manager_image,
            constants::KUBE_SCHEDULER_IMAGE => &d.scheduler_image,
            constants::KUBE_PROXY_IMAGE => &d.proxy_image,
            _ => return constants::image(repository, &self.kubernetes_version),
        };
        cached.clone()
    }
}
