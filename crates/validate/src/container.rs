//! Rules spanning several documents (upstream `Container.validateContainer`):
//! host DNS in container mode, discovery identity, KubeSpan needing
//! discovery, container dependencies, etcd encryption on control planes,
//! control-plane-only kinds.

use talgen_config::types::network::DNSProtocol;
use talgen_config::{Container, Document};

use crate::mode::Mode;
use crate::report::Report;
use crate::v1alpha1::MachineType;

/// Kinds that only make sense on control plane machines.
const CONTROL_PLANE_ONLY: &[&str] = &[
    "KubeAdmissionControlConfig",
    "KubeAggregatorCAConfig",
    "KubeAPIServerConfig",
    "KubeAuditPolicyConfig",
    "KubeAuthenticationConfig",
    "KubeAuthorizerConfig",
    "KubeControllerManagerConfig",
    "KubeCoreDNSConfig",
    "KubeEtcdEncryptionConfig",
    "KubeFlannelCNIConfig",
    "KubeProxyConfig",
    "KubeSchedulerConfig",
    "KubeServiceAccountConfig",
    "KubeTalosAPIAccessConfig",
];

/// Effective host DNS switches: `(enabled, forwardKubeDNSToHost)`.
fn host_dns(config: &Container) -> Option<(bool, bool)> {
    // A ResolverConfig wins only when it enables host DNS.
    let from_doc = config.documents().iter().find_map(|d| match d {
        Document::ResolverConfig(r) if r.host_dns.enabled == Some(true) => {
            Some((true, r.host_dns.forward_kube_dns_to_host == Some(true)))
        }
        _ => None,
    });
    from_doc.or_else(|| {
        let h = config
            .v1alpha1()?
            .machine
            .as_ref()?
            .features
            .as_ref()?
            .host_dns
            .as_ref()?;
        Some((
            h.enabled == Some(true),
            h.forward_kube_dns_to_host == Some(true),
        ))
    })
}

/// Whether cluster discovery through the discovery service is on.
fn discovery_enabled(config: &Container) -> bool {
    let legacy = config
        .v1alpha1()
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.discovery.as_ref())
        .is_some_and(|d| d.enabled == Some(true) && d.registries.service.is_enabled());
    legacy || config.has("DiscoveryServiceConfig")
}

/// The cluster identity: legacy `.cluster.id`/`.secret` when either is
/// set, else the first DiscoveryIdentityConfig.
fn identity(config: &Container) -> Option<(String, String)> {
    let legacy = config
        .v1alpha1()
        .and_then(|c| c.cluster.as_ref())
        .filter(|c| !c.id.is_empty() || !c.secret.is_empty())
        .map(|c| (c.id.clone(), c.secret.clone()));
    legacy.or_else(|| {
        config.documents().iter().find_map(|d| match d {
            Document::DiscoveryIdentityConfig(i) => {
                Some((i.cluster_id.clone(), i.cluster_secret.clone()))
            }
            _ => None,
        })
    })
}

/// Whether KubeSpan is enabled (a KubeSpanConfig wins over v1alpha1).
fn kubespan_enabled(config: &Container) -> bool {
    let doc = config.documents().iter().find_map(|d| match d {
        Document::KubeSpanConfig(k) => Some(k.enabled == Some(true)),
        _ => None,
    });
    doc.unwrap_or_else(|| {
        config
            .v1alpha1()
            .and_then(|c| c.machine.as_ref())
            .and_then(|m| m.network.as_ref())
            .and_then(|n| n.kubespan.as_ref())
            .is_some_and(|k| k.enabled == Some(true))
    })
}

pub(crate) fn validate(config: &Container, mode: Mode, report: &mut Report) {
    let mut s = report.doc("");
    let host_dns = host_dns(config);
    if mode.in_container() {
        match host_dns {
            None => s.error("hostDNS", "container mode needs a host DNS configuration"),
            Some((enabled, forward)) => {
                if !enabled {
                    s.error("hostDNS.enabled", "container mode needs host DNS enabled");
                }
                if !forward {
                    s.error(
                        "hostDNS.forwardKubeDNSToHost",
                        "container mode needs Kubernetes DNS forwarded to the host",
                    );
                }
            }
        }
    }

    let encrypted_dns = config.documents().iter().any(|d| match d {
        Document::ResolverConfig(r) => r
            .nameservers
            .iter()
            .any(|n| n.protocol != DNSProtocol::Do53),
        _ => false,
    });
    if encrypted_dns && !host_dns.is_some_and(|(enabled, _)| enabled) {
        s.error(
            "ResolverConfig.nameservers",
            "DNS over TLS or HTTPS needs host DNS enabled",
        );
    }

    let discovery = discovery_enabled(config);
    if discovery {
        let id = identity(config);
        if id.as_ref().is_none_or(|(id, _)| id.is_empty()) {
            s.error(
                "DiscoveryIdentityConfig.clusterID",
                "cluster discovery needs a cluster id (.cluster.id or DiscoveryIdentityConfig)",
            );
        }
        if id.as_ref().is_none_or(|(_, secret)| secret.is_empty()) {
            s.error(
                "DiscoveryIdentityConfig.clusterSecret",
                "cluster discovery needs a cluster secret (.cluster.secret or DiscoveryIdentityConfig)",
            );
        }
    }

    let containers: Vec<_> = config
        .documents()
        .iter()
        .filter_map(|d| match d {
            Document::ContainerConfig(c) => Some(c),
            _ => None,
        })
        .collect();
    for e in crate::documents::dependency_problems(&containers) {
        s.error("ContainerConfig.dependsOn.containers", e);
    }

    if kubespan_enabled(config) && !discovery {
        s.error("KubeSpanConfig", "KubeSpan needs cluster discovery enabled");
    }

    let machine_type = MachineType::of(config.v1alpha1().and_then(|c| c.machine.as_ref()));
    // Without a v1alpha1 document upstream reads the type as unknown.
    let control_plane = config.v1alpha1().and_then(|c| c.machine.as_ref()).is_some()
        && machine_type.is_control_plane();
    if control_plane {
        let legacy_cluster = config.v1alpha1().and_then(|c| c.cluster.as_ref());
        let api_server_ca = config.has("KubeAPIServerCAConfig")
            || legacy_cluster.is_some_and(|c| c.ca.is_some() || !c.accepted_cas.is_empty());
        let legacy_encryption = legacy_cluster.is_some_and(|c| {
            !c.secretbox_encryption_secret.is_empty() || !c.aescbc_encryption_secret.is_empty()
        });
        if api_server_ca && !legacy_encryption && !config.has("KubeEtcdEncryptionConfig") {
            s.error(
                "KubeEtcdEncryptionConfig",
                "a control plane running kube-apiserver needs an etcd encryption configuration",
            );
        }
    }

    let mut cp_only: Vec<&str> = config
        .documents()
        .iter()
        .map(Document::kind)
        .filter(|k| CONTROL_PLANE_ONLY.contains(k))
        .collect();
    cp_only.sort_unstable();
    cp_only.dedup();
    if !cp_only.is_empty() && !control_plane {
        s.error(
            "",
            format!("these kinds are only allowed on control plane machines: {cp_only:?}"),
        );
    }
}
