//! Kubernetes as separate `Kube*` documents, from the v1.14 contract on
//! (upstream `kubernetes.go`): settings every node needs, then the control
//! plane's components, CAs and API server policies.

use talgen_config::meta::CertificateAndKey;
use talgen_config::types::k8s;
use talgen_config::types::Url;

use crate::constants;
use crate::documents::DocList;
use crate::error::Error;
use crate::input::Input;
use crate::k8s_defaults;

impl Input {
    /// Whether the `Kube*` documents are written at all.
    fn kube_documents_enabled(&self) -> bool {
        !self.kubernetes_disabled() && self.options.contract.multidoc_kubernetes_config_supported()
    }

    /// Documents every node gets: cluster identity, node labels and taints,
    /// kubelet, networks, the API server CA and KubePrism.
    pub(crate) fn push_kubernetes_common(
        &self,
        docs: &mut DocList,
        control_plane: bool,
    ) -> Result<(), Error> {
        if !self.kube_documents_enabled() {
            return Ok(());
        }
        let c = self.options.contract;
        docs.push(k8s::KubeClusterConfig {
            cluster_name: self.cluster_name.clone(),
            endpoint: Url(self.endpoint_string()),
        });

        let mut node = k8s::KubeNodeConfig::default();
        if control_plane {
            node.labels.insert(
                constants::LABEL_NODE_ROLE_CONTROL_PLANE.to_owned(),
                String::new(),
            );
            if c.add_exclude_from_external_load_balancer() {
                node.labels.insert(
                    constants::LABEL_EXCLUDE_FROM_EXTERNAL_LB.to_owned(),
                    String::new(),
                );
            }
            if !self.options.allow_scheduling_on_control_planes {
                node.taints.insert(
                    constants::LABEL_NODE_ROLE_CONTROL_PLANE.to_owned(),
                    constants::TAINT_EFFECT_NO_SCHEDULE.to_owned(),
                );
            }
        }
        docs.push(node);

        docs.push(k8s::KubeletConfig {
            image: self.image(constants::KUBELET_IMAGE),
            default_runtime_seccomp_profile_enabled: Some(true),
            ..Default::default()
        });

        let prefixes = |what: &'static str, cached: &Option<Vec<_>>, nets: &[String]| {
            if let Some(parsed) = cached {
                return Ok(parsed.clone());
            }
            nets.iter()
                .map(|n| {
                    n.parse().map_err(|_| Error::InvalidSubnet {
                        what,
                        subnet: n.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        docs.push(k8s::KubeNetworkConfig {
            dns_domain: self.options.dns_domain.clone(),
            pod_subnets: prefixes("pod", &self.derived.pod_prefixes, &self.pod_nets)?,
            service_subnets: prefixes(
                "service",
                &self.derived.service_prefixes,
                &self.service_nets,
            )?,
            ..Default::default()
        });

        let d = &self.derived;
        let mut ca = k8s::KubeAPIServerCAConfig::default();
        if control_plane {
            ca.issuing_ca = Some(CertificateAndKey {
                cert: d.k8s_crt.clone(),
                key: d.k8s_key.clone(),
            });
        } else {
            ca.accepted_cas = vec![d.k8s_crt.clone()];
        }
        docs.push(ca);

        // Enabled by default on this path; an explicit 0 disables.
        let port = self
            .options
            .kube_prism_port
            .unwrap_or(constants::DEFAULT_KUBEPRISM_PORT);
        if port > 0 {
            docs.push(k8s::KubePrismConfig {
                port: i64::from(port),
                ..Default::default()
            });
        }
        Ok(())
    }

    /// Control-plane-only documents: aggregator CA, admission, audit,
    /// authentication, authorizers, etcd encryption, service account, the
    /// four components, CNI and CoreDNS.
    pub(crate) fn push_kubernetes_control_plane(&self, docs: &mut DocList, cni_url: Option<&str>) {
        if !self.kube_documents_enabled() {
            return;
        }
        let d = &self.derived;
        docs.push(k8s::KubeAggregatorCAConfig {
            issuing_ca: Some(CertificateAndKey {
                cert: d.aggregator_crt.clone(),
                key: d.aggregator_key.clone(),
            }),
            ..Default::default()
        });
        docs.push(k8s::KubeAdmissionControlConfig {
            name: k8s_defaults::POD_SECURITY_PLUGIN.to_owned(),
            configuration: d.pod_security.clone(),
        });
        docs.push(k8s::KubeAuditPolicyConfig {
            configuration: d.audit_policy.clone(),
        });
        docs.push(k8s::KubeAuthenticationConfig {
            configuration: d.authentication.clone(),
        });
        for (name, kind) in k8s_defaults::AUTHORIZERS {
            docs.push(k8s::KubeAuthorizerConfig {
                name: name.to_owned(),
                authorizer_type: kind.to_owned(),
                ..Default::default()
            });
        }
        docs.push(k8s::KubeEtcdEncryptionConfig {
            config: d.etcd_encryption.clone(),
        });
        docs.push(k8s::KubeServiceAccountConfig {
            issuer: k8s::IssuerServiceAccountConfig {
                private_key: d.service_account_key.clone(),
                issuer_url: Url(d.endpoint.clone()),
            },
            ..Default::default()
        });
        docs.push(k8s::KubeAPIServerConfig {
            image: self.image(constants::KUBE_APISERVER_IMAGE),
            cert_extra_sans: self.api_server_sans(),
            api_port: (self.options.local_api_server_port != 0)
                .then(|| i64::from(self.options.local_api_server_port)),
            ..Default::default()
        });
        docs.push(k8s::KubeControllerManagerConfig {
            image: self.image(constants::KUBE_CONTROLLER_MANAGER_IMAGE),
            ..Default::default()
        });
        docs.push(k8s::KubeSchedulerConfig {
            image: self.image(constants::KUBE_SCHEDULER_IMAGE),
            ..Default::default()
        });
        docs.push(k8s::KubeProxyConfig {
            image: self.image(constants::KUBE_PROXY_IMAGE),
            ..Default::default()
        });
        if self.options.cni_custom_url.is_empty() {
            docs.push(k8s::KubeFlannelCNIConfig {
                backend_type: constants::FLANNEL_DEFAULT_BACKEND.to_owned(),
                backend_port: constants::FLANNEL_DEFAULT_BACKEND_PORT,
                ..Default::default()
            });
        }
        docs.push(k8s::KubeCoreDNSConfig {
            enabled: Some(true),
            ..Default::default()
        });
        if let Some(url) = cni_url {
            docs.push(k8s::KubeExternalManifestConfig {
                name: "custom-cni".to_owned(),
                url: Url(url.to_owned()),
                ..Default::default()
            });
        }
    }
}
