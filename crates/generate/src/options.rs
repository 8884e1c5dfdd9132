//! Generation options: one field per `generate.With*` option of Talos
//! (`pkg/machinery/config/generate/options.go`), with the same defaults.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use talgen_config::v1alpha1::{MachineDisk, NetworkConfig};
use talgen_contract::Contract;

use crate::constants;
use crate::input::MachineType;

/// The closure behind a [`NetworkOption`].
type NetworkFn = dyn Fn(MachineType, &mut NetworkConfig) -> Result<(), String> + Send + Sync;

/// A change to the legacy `machine.network` section, applied per machine
/// type (upstream `v1alpha1.NetworkConfigOption`). Any option makes the
/// section present even on contracts that would otherwise leave it out.
#[derive(Clone)]
pub struct NetworkOption(Arc<NetworkFn>);

impl NetworkOption {
    /// Wraps a function editing the network section of a `MachineType` config.
    pub fn new(
        f: impl Fn(MachineType, &mut NetworkConfig) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(f))
    }

    /// Applies the option.
    pub(crate) fn apply(&self, t: MachineType, net: &mut NetworkConfig) -> Result<(), String> {
        (self.0)(t, net)
    }
}

impl fmt::Debug for NetworkOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NetworkOption(..)")
    }
}

impl PartialEq for NetworkOption {
    /// Options are equal only when they share the same function.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything that shapes generated configs besides the cluster name,
/// endpoint and Kubernetes version. `Default` matches upstream's
/// `DefaultOptions` (DNS domain `cluster.local`, newest contract). The
/// talosconfig options of upstream (`WithRoles`, `WithEndpointList`) live in
/// `talgen_client::TalosconfigOptions`, since that crate issues it.
///
/// Fields that upstream keeps as "unset versus set" (`KubePrismPort`,
/// `DiscoveryEnabled`, ...) are `Option`s here, because an explicit value
/// and the contract default generate different configs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Version contract to generate for; [`Contract::LATEST`] stands for
    /// upstream's "current" (no `--talos-version`).
    pub contract: Contract,
    /// Leave Kubernetes out of the configs (upstream `DisableKubernetes`).
    pub disable_kubernetes: bool,
    /// Leave etcd out of the configs (upstream `DisableEtcd`).
    pub disable_etcd: bool,
    /// Secrets to embed; a fresh bundle for the contract is made when `None`.
    pub secrets: Option<talgen_secrets::Bundle>,
    /// Verbose console logging for every service (`debug: true`).
    pub debug: bool,
    /// Disk to install Talos to.
    pub install_disk: String,
    /// Installer image.
    pub install_image: String,
    /// Extra kernel arguments passed by the installer.
    pub install_extra_kernel_args: Vec<String>,
    /// Extra disks to partition and mount (legacy `machine.disks`).
    pub machine_disks: Vec<MachineDisk>,
    /// Changes to the legacy `machine.network` section.
    pub network_options: Vec<NetworkOption>,
    /// Kernel parameters (sysctls) to set.
    pub sysctls: BTreeMap<String, String>,
    /// Registry mirror endpoints per registry host.
    pub registry_mirrors: BTreeMap<String, Vec<String>>,
    /// PEM CA certificate per registry host.
    pub registry_ca_certs: BTreeMap<String, String>,
    /// Registry hosts whose TLS certificate is not verified.
    pub registry_insecure_skip_verify: BTreeSet<String>,
    /// Cluster DNS domain.
    pub dns_domain: String,
    /// URL of a CNI manifest replacing the default flannel.
    pub cni_custom_url: String,
    /// Let workloads run on control-plane nodes.
    pub allow_scheduling_on_control_planes: bool,
    /// Port the local API server listens on; 0 keeps Talos's default.
    pub local_api_server_port: u16,
    /// Extra SANs for the API server and machine certificates.
    pub additional_sans: Vec<String>,
    /// Cluster discovery; `None` behaves as enabled.
    pub discovery_enabled: Option<bool>,
    /// KubePrism port: `None` follows the contract, `Some(0)` disables it.
    pub kube_prism_port: Option<u16>,
    /// Force CoreDNS to forward to the host DNS resolver; `None` follows the contract.
    pub host_dns_forward_kube_dns_to_host: Option<bool>,
    /// KubeSpan; `None` leaves it out of the config.
    pub kubespan_enabled: Option<bool>,
    /// Do not write an `UnattendedInstallConfig` document (v1.14+).
    pub skip_unattended_install_config: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            contract: Contract::LATEST,
            disable_kubernetes: false,
            disable_etcd: false,
            secrets: None,
            debug: false,
            install_disk: String::new(),
            install_image: String::new(),
            install_extra_kernel_args: Vec::new(),
            machine_disks: Vec::new(),
            network_options: Vec::new(),
            sysctls: BTreeMap::new(),
            registry_mirrors: BTreeMap::new(),
            registry_ca_certs: BTreeMap::new(),
            registry_insecure_skip_verify: BTreeSet::new(),
            dns_domain: constants::DEFAULT_DNS_DOMAIN.to_owned(),
            cni_custom_url: String::new(),
            allow_scheduling_on_control_planes: false,
            local_api_server_port: 0,
            additional_sans: Vec::new(),
            discovery_enabled: None,
            kube_prism_port: None,
            host_dns_forward_kube_dns_to_host: None,
            kubespan_enabled: None,
            skip_unattended_install_config: false,
        }
    }
}

impl Options {
    /// Adds mirror endpoints for a registry host, after any already given
    /// (upstream `WithRegistryMirror` appends).
    pub fn add_registry_mirror(&mut self, host: &str, endpoints: &[&str]) -> &mut Self {
        self.registry_mirrors
            .entry(host.to_owned())
            .or_default()
            .extend(endpoints.iter().map(|e| (*e).to_owned()));
        self
    }

    /// Merges sysctls, later values winning (upstream `WithSysctls`).
    pub fn add_sysctls<'a>(
        &mut self,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> &mut Self {
        for (k, v) in params {
            self.sysctls.insert(k.to_owned(), v.to_owned());
        }
        self
    }
}
