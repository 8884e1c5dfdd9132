//! The `version: v1alpha1` document of generated configs (upstream
//! `init.go`, `controlplane.go`, `worker.go`): which legacy fields each
//! contract fills. Settings that later contracts moved to their own
//! documents are left empty here when the contract says so.

use talgen_config::meta::{PemEncodedCertificateAndKey, PemEncodedKey};
use talgen_config::v1alpha1 as v1;

use crate::constants;
use crate::input::{Input, MachineType};

/// `Some(value)` unless `hide` (upstream `nilIf`).
fn unless<T>(hide: bool, value: impl FnOnce() -> T) -> Option<T> {
    (!hide).then(value)
}

/// `Some(true)` for true, `None` for false (upstream `ptrOrNil`).
fn true_or_none(b: bool) -> Option<bool> {
    b.then_some(true)
}

impl Input {
    /// Whether CoreDNS forwards to the host resolver: forced by the option
    /// or by the contract (upstream ORs the two).
    pub(crate) fn forward_kube_dns_to_host(&self) -> bool {
        self.options
            .host_dns_forward_kube_dns_to_host
            .unwrap_or(false)
            || self.options.contract.host_dns_forward_kube_dns_to_host()
    }

    /// `machine.features`, shared by all machine types.
    fn features(&self) -> v1::FeaturesConfig {
        let c = self.options.contract;
        let mut f = v1::FeaturesConfig::default();
        if !c.hide_rbac_and_key_usage() {
            f.rbac = Some(true);
            if c.apid_ext_key_usage_check_enabled() {
                f.apid_check_ext_key_usage = Some(true);
            }
        }
        if c.disk_quota_support_enabled() {
            f.disk_quota_support = Some(true);
        }
        if !c.multidoc_kubernetes_config_supported() {
            // An explicit port wins over the contract default; 0 disables.
            let port = match self.options.kube_prism_port {
                Some(p) => Some(p),
                None if c.kube_prism_enabled() => Some(constants::DEFAULT_KUBEPRISM_PORT),
                None => None,
            };
            if let Some(port) = port.filter(|p| *p > 0) {
                f.kube_prism = Some(v1::KubePrism {
                    enabled: Some(true),
                    port: i64::from(port),
                });
            }
        }
        if c.host_dns_enabled() && !c.host_dns_multidoc_config() {
            f.host_dns = Some(v1::HostDnsConfig {
                enabled: Some(true),
                forward_kube_dns_to_host: true_or_none(self.forward_kube_dns_to_host()),
                ..Default::default()
            });
        }
        f
    }

    /// `machine.kubelet` up to v1.13.
    fn kubelet(&self) -> Option<v1::KubeletConfig> {
        let c = self.options.contract;
        unless(c.multidoc_kubernetes_config_supported(), || {
            v1::KubeletConfig {
                image: self.image(constants::KUBELET_IMAGE),
                default_runtime_seccomp_profile_enabled: true_or_none(
                    c.kubelet_default_runtime_seccomp_profile_enabled(),
                ),
                disable_manifests_directory: true_or_none(c.kubelet_manifests_directory_disabled()),
                ..Default::default()
            }
        })
    }

    /// `machine.install` up to v1.13 (later: `UnattendedInstallConfig`).
    fn install(&self) -> Option<v1::InstallConfig> {
        let c = self.options.contract;
        unless(c.unattended_install_config(), || v1::InstallConfig {
            disk: self.options.install_disk.clone(),
            image: self.options.install_image.clone(),
            extra_kernel_args: self.options.install_extra_kernel_args.clone(),
            wipe: Some(false),
            grub_use_uki_cmdline: true_or_none(c.grub_use_uki_cmdline_default()),
            ..Default::default()
        })
    }

    /// The `machine:` section before registries and network are added.
    fn machine(&self, t: MachineType) -> v1::MachineConfig {
        let c = self.options.contract;
        let s = &self.secrets;
        let mut m = v1::MachineConfig {
            machine_type: t.as_str().to_owned(),
            token: s.trustd_token.clone(),
            cert_sans: self.options.additional_sans.clone(),
            kubelet: self.kubelet(),
            install: self.install(),
            disks: self.options.machine_disks.clone(),
            features: Some(self.features()),
            ..Default::default()
        };
        // Workers get the OS CA certificate without its key.
        m.ca = Some(match t {
            MachineType::Worker => PemEncodedCertificateAndKey {
                crt: s.os.crt.clone(),
                key: Vec::new(),
            },
            _ => s.os.clone(),
        });
        if !c.multidoc_sysctl_config_supported() {
            m.sysctls = self.options.sysctls.clone();
        }
        if t != MachineType::Worker
            && c.add_exclude_from_external_load_balancer()
            && !c.multidoc_kubernetes_config_supported()
        {
            m.node_labels.insert(
                constants::LABEL_EXCLUDE_FROM_EXTERNAL_LB.to_owned(),
                String::new(),
            );
        }
        m
    }

    /// `cluster.discovery` up to v1.13 (later: `DiscoveryServiceConfig`).
    fn discovery(&self) -> Option<v1::ClusterDiscoveryConfig> {
        let c = self.options.contract;
        let enabled = self.options.discovery_enabled?;
        if c.discovery_service_multidoc_config() {
            return None;
        }
        let mut d = v1::ClusterDiscoveryConfig {
            enabled: Some(enabled),
            ..Default::default()
        };
        if c.kubernetes_discovery_backend_disabled() {
            d.registries.kubernetes.disabled = Some(true);
        }
        Some(d)
    }

    /// `cluster.network` up to v1.13.
    fn cluster_network(&self, cni_url: Option<String>) -> Option<v1::ClusterNetworkConfig> {
        let c = self.options.contract;
        unless(c.multidoc_kubernetes_config_supported(), || {
            v1::ClusterNetworkConfig {
                dns_domain: self.options.dns_domain.clone(),
                pod_subnets: self.pod_nets.clone(),
                service_subnets: self.service_nets.clone(),
                cni: cni_url.map(|url| v1::CniConfig {
                    name: constants::CUSTOM_CNI.to_owned(),
                    urls: vec![url],
                    ..Default::default()
                }),
            }
        })
    }

    /// The `cluster:` section of init and controlplane configs.
    fn cluster_control_plane(&self, cni_url: Option<String>) -> v1::ClusterConfig {
        let c = self.options.contract;
        let s = &self.secrets;
        let multidoc_k8s = c.multidoc_kubernetes_config_supported();
        let identity_doc = c.discovery_identity_multidoc_config();
        let mut cl = v1::ClusterConfig::default();
        if !identity_doc {
            cl.id = s.cluster_id.clone();
            cl.cluster_name = self.cluster_name.clone();
            cl.secret = s.cluster_secret.clone();
        }
        cl.control_plane = unless(multidoc_k8s, || v1::ControlPlaneConfig {
            endpoint: Some(v1::Endpoint(self.endpoint_string())),
            local_api_server_port: i64::from(self.options.local_api_server_port),
        });
        if !multidoc_k8s {
            let mut api = v1::ApiServerConfig {
                image: self.image(constants::KUBE_APISERVER_IMAGE),
                cert_sans: self.api_server_sans(),
                ..Default::default()
            };
            if c.pod_security_admission_enabled() {
                api.admission_control = vec![v1::AdmissionPluginConfig {
                    name: crate::k8s_defaults::POD_SECURITY_PLUGIN.to_owned(),
                    configuration: self.derived.pod_security.clone(),
                }];
            }
            if c.api_server_audit_policy_supported() {
                api.audit_policy = self.derived.audit_policy.clone();
            }
            if !c.hide_disable_psp() {
                api.disable_pod_security_policy = Some(true);
            }
            cl.api_server = Some(api);
            cl.controller_manager = Some(v1::ControllerManagerConfig {
                image: self.image(constants::KUBE_CONTROLLER_MANAGER_IMAGE),
                ..Default::default()
            });
            cl.proxy = Some(v1::ProxyConfig {
                image: self.image(constants::KUBE_PROXY_IMAGE),
                ..Default::default()
            });
            cl.scheduler = Some(v1::SchedulerConfig {
                image: self.image(constants::KUBE_SCHEDULER_IMAGE),
                ..Default::default()
            });
            cl.ca = Some(s.k8s.clone());
            cl.aggregator_ca = Some(s.k8s_aggregator.clone());
            cl.service_account = Some(PemEncodedKey {
                key: s.k8s_service_account_key.clone(),
            });
            if c.secretbox_encryption_supported() {
                cl.secretbox_encryption_secret = s.secretbox_encryption_secret.clone();
            } else {
                cl.aescbc_encryption_secret = s.aescbc_encryption_secret.clone();
            }
        }
        if !self.options.disable_etcd {
            cl.etcd = Some(v1::EtcdConfig {
                ca: Some(s.etcd.clone()),
                ..Default::default()
            });
        }
        cl.network = self.cluster_network(cni_url);
        if !self.kubernetes_disabled() {
            cl.token = s.bootstrap_token.clone();
        }
        if self.options.allow_scheduling_on_control_planes && !multidoc_k8s {
            if c.kubernetes_allow_scheduling_on_control_planes() {
                cl.allow_scheduling_on_control_planes = Some(true);
            } else {
                cl.allow_scheduling_on_masters = Some(true);
            }
        }
        cl.discovery = self.discovery();
        cl
    }

    /// The `cluster:` section of worker configs.
    fn cluster_worker(&self) -> v1::ClusterConfig {
        let c = self.options.contract;
        let s = &self.secrets;
        let multidoc_k8s = c.multidoc_kubernetes_config_supported();
        let mut cl = v1::ClusterConfig::default();
        if !c.discovery_identity_multidoc_config() {
            cl.id = s.cluster_id.clone();
            cl.secret = s.cluster_secret.clone();
        }
        cl.token = s.bootstrap_token.clone();
        cl.control_plane = unless(multidoc_k8s, || v1::ControlPlaneConfig {
            endpoint: Some(v1::Endpoint(self.endpoint_string())),
            local_api_server_port: 0,
        });
        // Workers write the CNI URL as given, control planes as re-printed.
        let cni =
            (!self.options.cni_custom_url.is_empty()).then(|| self.options.cni_custom_url.clone());
        cl.network = self.cluster_network(cni);
        if !multidoc_k8s {
            cl.ca = Some(PemEncodedCertificateAndKey {
                crt: s.k8s.crt.clone(),
                key: Vec::new(),
            });
        }
        cl.discovery = self.discovery();
        if c.cluster_name_for_workers() && !multidoc_k8s {
            cl.cluster_name = self.cluster_name.clone();
        }
        cl
    }

    /// The v1alpha1 document for `t`, before registries and network
    /// settings are added by [`Input::apply_registries`] and
    /// [`Input::apply_network`].
    pub(crate) fn legacy_document(&self, t: MachineType, cni_url: Option<String>) -> v1::Config {
        let cluster = match t {
            MachineType::Worker => self.cluster_worker(),
            _ => self.cluster_control_plane(cni_url),
        };
        v1::Config {
            version: "v1alpha1".to_owned(),
            debug: Some(self.options.debug),
            persist: Some(true),
            machine: Some(self.machine(t)),
            cluster: Some(cluster),
        }
    }
}
