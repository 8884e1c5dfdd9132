//! Documents newer contracts write beside (or instead of) legacy v1alpha1
//! fields: discovery, unattended install, host DNS, sysctls, volumes and
//! trim, security profile, registries, hostname and KubeSpan (upstream
//! `init.go`/`worker.go` tails, `block.go`, `security_profile.go`,
//! `registry.go`, `network.go`).

use talgen_config::meta::Duration;
use talgen_config::types::{block, cluster, cri, network, runtime, Url};
use talgen_config::v1alpha1 as v1;
use talgen_gourl::GoUrl;

use crate::constants;
use crate::documents::DocList;
use crate::error::Error;
use crate::input::{Input, MachineType};

impl Input {
    /// Legacy `machine.registries` up to v1.11; later contracts use
    /// documents (see [`Input::push_registry_documents`]).
    pub(crate) fn apply_legacy_registries(&self, machine: &mut v1::MachineConfig) {
        let c = self.options.contract;
        if c.multidoc_network_config_supported() {
            return;
        }
        let mut regs = v1::RegistriesConfig::default();
        if c.kubernetes_alternate_image_registries() {
            regs.mirrors.insert(
                "k8s.gcr.io".to_owned(),
                v1::RegistryMirrorConfig {
                    endpoints: constants::K8S_GCR_ALTERNATE_ENDPOINTS
                        .iter()
                        .map(|e| (*e).to_owned())
                        .collect(),
                    ..Default::default()
                },
            );
        }
        for (host, endpoints) in &self.options.registry_mirrors {
            regs.mirrors.insert(
                host.clone(),
                v1::RegistryMirrorConfig {
                    endpoints: endpoints.clone(),
                    ..Default::default()
                },
            );
        }
        for (host, ca) in &self.options.registry_ca_certs {
            let entry = regs.config.entry(host.clone()).or_default();
            entry.tls.get_or_insert_with(Default::default).ca =
                talgen_config::meta::Base64Bytes(ca.as_bytes().to_vec());
        }
        for host in &self.options.registry_insecure_skip_verify {
            let entry = regs.config.entry(host.clone()).or_default();
            entry
                .tls
                .get_or_insert_with(Default::default)
                .insecure_skip_verify = Some(true);
        }
        machine.registries = regs;
    }

    /// Registry mirror and TLS documents from v1.12 on, sorted by kind then
    /// registry host like upstream.
    fn push_registry_documents(&self, docs: &mut DocList) -> Result<(), Error> {
        if !self.options.contract.multidoc_network_config_supported() {
            return Ok(());
        }
        for (host, endpoints) in &self.options.registry_mirrors {
            let mut endpoint_list = Vec::with_capacity(endpoints.len());
            for ep in endpoints {
                let u = GoUrl::parse(ep).map_err(|source| Error::InvalidRegistryEndpoint {
                    host: host.clone(),
                    endpoint: ep.clone(),
                    source,
                })?;
                endpoint_list.push(cri::RegistryEndpoint {
                    url: Url(u.to_string()),
                    ..Default::default()
                });
            }
            docs.push(cri::RegistryMirrorConfig {
                name: host.clone(),
                endpoints: endpoint_list,
                ..Default::default()
            });
        }
        let tls_hosts: std::collections::BTreeSet<&String> = self
            .options
            .registry_ca_certs
            .keys()
            .chain(self.options.registry_insecure_skip_verify.iter())
            .collect();
        for host in tls_hosts {
            let mut tls = cri::RegistryTLSConfig {
                name: host.clone(),
                ..Default::default()
            };
            if let Some(ca) = self.options.registry_ca_certs.get(host) {
                tls.ca = ca.clone();
            }
            if self.options.registry_insecure_skip_verify.contains(host) {
                tls.insecure_skip_verify = Some(true);
            }
            docs.push(tls);
        }
        Ok(())
    }

    /// Legacy `machine.network` and stable-hostname feature: network options
    /// applied, an empty section kept for contracts before v1.13, KubeSpan
    /// in the section before v1.13.
    pub(crate) fn apply_legacy_network(
        &self,
        t: MachineType,
        machine: &mut v1::MachineConfig,
    ) -> Result<(), Error> {
        let c = self.options.contract;
        if !self.options.network_options.is_empty() {
            let mut net = v1::NetworkConfig::default();
            for opt in &self.options.network_options {
                opt.apply(t, &mut net).map_err(Error::NetworkOption)?;
            }
            machine.network = Some(net);
        }
        if machine.network.is_none() && !c.kube_span_multidoc_config() {
            machine.network = Some(v1::NetworkConfig::default());
        }
        if c.stable_hostname_enabled() && !c.multidoc_network_config_supported() {
            if let Some(f) = machine.features.as_mut() {
                f.stable_hostname = Some(true);
            }
        }
        if let Some(enabled) = self.options.kubespan_enabled {
            if !c.kube_span_multidoc_config() {
                if let Some(net) = machine.network.as_mut() {
                    net.kubespan = Some(v1::NetworkKubeSpan {
                        enabled: Some(enabled),
                        ..Default::default()
                    });
                }
            }
        }
        Ok(())
    }

    /// Hostname and KubeSpan documents.
    fn push_network_documents(&self, docs: &mut DocList) {
        let c = self.options.contract;
        if c.multidoc_network_config_supported() {
            docs.push(network::HostnameConfig {
                auto: Some(network::AutoHostnameKind::Stable),
                ..Default::default()
            });
        }
        if let Some(enabled) = self.options.kubespan_enabled {
            if c.kube_span_multidoc_config() {
                docs.push(network::KubeSpanConfig {
                    enabled: Some(enabled),
                    ..Default::default()
                });
            }
        }
    }

    /// The multi-document kinds that follow the v1alpha1 document, in
    /// upstream order, up to (not including) the Kubernetes documents.
    pub(crate) fn push_documents(&self, docs: &mut DocList) -> Result<(), Error> {
        let c = self.options.contract;
        let s = &self.secrets;
        if self.options.discovery_enabled.unwrap_or(false) && c.discovery_service_multidoc_config()
        {
            docs.push(cluster::DiscoveryServiceConfig {
                name: "default".to_owned(),
                endpoint: Url(constants::DEFAULT_DISCOVERY_SERVICE_ENDPOINT.to_owned()),
            });
        }
        if c.discovery_identity_multidoc_config() {
            docs.push(cluster::DiscoveryIdentityConfig {
                cluster_id: s.cluster_id.clone(),
                cluster_secret: s.cluster_secret.clone(),
            });
        }
        // The disk selector comes from the install disk, so no disk, no document.
        if c.unattended_install_config()
            && !self.options.install_disk.is_empty()
            && !self.options.skip_unattended_install_config
        {
            let mut doc = runtime::UnattendedInstallConfig::default();
            doc.installer.image = self.options.install_image.clone();
            doc.provisioning.wipe = Some(false);
            doc.provisioning.disk_selector.match_expr =
                runtime::CelExpression(self.derived.install_disk_match.clone());
            docs.push(doc);
        }
        if c.host_dns_enabled() && c.host_dns_multidoc_config() {
            docs.push(network::ResolverConfig {
                host_dns: network::HostDNSConfig {
                    enabled: Some(true),
                    forward_kube_dns_to_host: self.forward_kube_dns_to_host().then_some(true),
                    ..Default::default()
                },
                ..Default::default()
            });
        }
        if !self.options.sysctls.is_empty() && c.multidoc_sysctl_config_supported() {
            docs.push(runtime::SysctlConfig {
                params: self.options.sysctls.clone(),
            });
        }
        if c.filesystem_trim_enabled_by_default() {
            let mut ephemeral = block::VolumeConfig {
                name: constants::EPHEMERAL_PARTITION_LABEL.to_owned(),
                ..Default::default()
            };
            ephemeral.mount.secure = Some(true);
            docs.push(ephemeral);
            docs.push(block::FilesystemTrimConfig {
                interval: Duration::from_hours(constants::DEFAULT_FILESYSTEM_TRIM_INTERVAL_HOURS),
            });
        }
        if c.workload_isolation_enabled_by_default() {
            docs.push(runtime::SecurityProfileConfig {
                workload_isolation: Some(true),
            });
        }
        self.push_registry_documents(docs)?;
        self.push_network_documents(docs);
        Ok(())
    }
}
