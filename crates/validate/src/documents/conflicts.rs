//! Multi-document kinds that replace a v1alpha1 section may not be used
//! while that section is still set (upstream `V1Alpha1ConflictValidate`).

use talgen_config::v1alpha1::Config;
use talgen_config::Document;

use super::doc_id;
use crate::report::Report;

/// Records the conflict, if any, between `doc` and the legacy document.
pub(crate) fn conflicts(doc: &Document, cfg: &Config, report: &mut Report) {
    if let Some((path, message)) = conflict(doc, cfg) {
        report.doc(doc_id(doc)).error(path, message);
    }
}

/// The v1alpha1 field that conflicts with `doc` and why.
fn conflict(doc: &Document, cfg: &Config) -> Option<(&'static str, String)> {
    let m = cfg.machine.as_ref();
    let c = cfg.cluster.as_ref();
    let kubelet = m.and_then(|m| m.kubelet.as_ref());
    let features = m.and_then(|m| m.features.as_ref());
    let network = m.and_then(|m| m.network.as_ref());
    let api_server = c.and_then(|c| c.api_server.as_ref());
    let replaced = |path: &'static str, what: &str| {
        Some((
            path,
            format!("{what} is already set in the v1alpha1 document ({path}); keep only one"),
        ))
    };
    let admission = api_server.is_some_and(|a| !a.admission_control.is_empty());

    match doc {
        Document::KubeletConfig(_) if kubelet.is_some() => {
            replaced("machine.kubelet", "the kubelet")
        }
        Document::KubeCredentialProviderConfig(_) if kubelet.is_some() => {
            replaced("machine.kubelet", "the legacy kubelet section")
        }
        Document::KubeNodeConfig(_) => {
            let c_has = |f: fn(&talgen_config::v1alpha1::ClusterConfig) -> bool| c.is_some_and(f);
            if c_has(|c| c.allow_scheduling_on_control_planes.is_some()) {
                return replaced(
                    "cluster.allowSchedulingOnControlPlanes",
                    "scheduling on control planes",
                );
            }
            if c_has(|c| c.allow_scheduling_on_masters.is_some()) {
                return replaced(
                    "cluster.allowSchedulingOnMasters",
                    "scheduling on control planes",
                );
            }
            if let Some(k) = kubelet {
                if k.skip_node_registration.is_some() {
                    return replaced("machine.kubelet.skipNodeRegistration", "node registration");
                }
                if k.register_with_fqdn.is_some() {
                    return replaced("machine.kubelet.registerWithFQDN", "registration with FQDN");
                }
                if k.node_ip.is_some() {
                    return replaced("machine.kubelet.nodeIP", "node IP selection");
                }
            }
            // The model cannot tell an empty map from an absent one; an
            // empty map has no effect either way.
            if m.is_some_and(|m| !m.node_labels.is_empty()) {
                return replaced("machine.nodeLabels", "node labels");
            }
            if m.is_some_and(|m| !m.node_annotations.is_empty()) {
                return replaced("machine.nodeAnnotations", "node annotations");
            }
            if m.is_some_and(|m| !m.node_taints.is_empty()) {
                return replaced("machine.nodeTaints", "node taints");
            }
            None
        }
        Document::KubeClusterConfig(_) => {
            if c.is_some_and(|c| !c.cluster_name.is_empty()) {
                return replaced("cluster.clusterName", "the cluster name");
            }
            if c.and_then(|c| c.control_plane.as_ref())
                .is_some_and(|cp| cp.endpoint.is_some())
            {
                return replaced("cluster.controlPlane.endpoint", "the cluster endpoint");
            }
            None
        }
        Document::KubeNetworkConfig(_) if c.is_some_and(|c| c.network.is_some()) => {
            replaced("cluster.network", "the cluster network")
        }
        Document::KubeFlannelCNIConfig(_) if c.is_some_and(|c| c.network.is_some()) => {
            replaced("cluster.network", "the cluster network (with its CNI)")
        }
        Document::KubePrismConfig(_) if features.is_some_and(|f| f.kube_prism.is_some()) => {
            replaced("machine.features.kubePrism", "KubePrism")
        }
        Document::KubeAPIServerCAConfig(_) if c.is_some_and(|c| c.ca.is_some()) => {
            replaced("cluster.ca", "the kube-apiserver CA")
        }
        Document::KubeAggregatorCAConfig(_) if c.is_some_and(|c| c.aggregator_ca.is_some()) => {
            replaced("cluster.aggregatorCA", "the aggregator CA")
        }
        Document::KubeAPIServerConfig(_) => {
            if api_server.is_some() {
                return replaced("cluster.apiServer", "the kube-apiserver");
            }
            if c.and_then(|c| c.control_plane.as_ref())
                .is_some_and(|cp| cp.local_api_server_port != 0)
            {
                return replaced(
                    "cluster.controlPlane.localAPIServerPort",
                    "the kube-apiserver port",
                );
            }
            None
        }
        Document::KubeAuditPolicyConfig(_)
            if api_server.is_some_and(|a| !a.audit_policy.is_empty()) =>
        {
            replaced("cluster.apiServer.auditPolicy", "the audit policy")
        }
        Document::KubeAdmissionControlConfig(_) if admission => replaced(
            "cluster.apiServer.admissionControl",
            "admission plugin configuration",
        ),
        // Quirk (upstream types/k8s/authorization.go): the authorizer kind
        // checks the legacy admission plugins, not the legacy authorizers.
        Document::KubeAuthorizerConfig(_) if admission => replaced(
            "cluster.apiServer.admissionControl",
            "admission plugin configuration",
        ),
        Document::KubeControllerManagerConfig(_) => {
            if c.is_some_and(|c| c.controller_manager.is_some()) {
                return replaced("cluster.controllerManager", "the kube-controller-manager");
            }
            if m.and_then(|m| m.control_plane.as_ref())
                .is_some_and(|cp| cp.controller_manager.is_some())
            {
                return replaced(
                    "machine.controlPlane.controllerManager",
                    "the kube-controller-manager",
                );
            }
            None
        }
        Document::KubeSchedulerConfig(_) => {
            if c.is_some_and(|c| c.scheduler.is_some()) {
                return replaced("cluster.scheduler", "the kube-scheduler");
            }
            if m.and_then(|m| m.control_plane.as_ref())
                .is_some_and(|cp| cp.scheduler.is_some())
            {
                return replaced("machine.controlPlane.scheduler", "the kube-scheduler");
            }
            None
        }
        Document::KubeCoreDNSConfig(_) if c.is_some_and(|c| c.core_dns.is_some()) => {
            replaced("cluster.coreDNS", "CoreDNS")
        }
        Document::KubeEtcdEncryptionConfig(_)
            if c.is_some_and(|c| {
                !c.secretbox_encryption_secret.is_empty() || !c.aescbc_encryption_secret.is_empty()
            }) =>
        {
            replaced("cluster.secretboxEncryptionSecret", "etcd encryption")
        }
        Document::KubeProxyConfig(_) if c.is_some_and(|c| c.proxy.is_some()) => {
            replaced("cluster.proxy", "kube-proxy")
        }
        Document::KubeServiceAccountConfig(_) if c.is_some_and(|c| c.service_account.is_some()) => {
            replaced("cluster.serviceAccount", "the service account key")
        }
        Document::KubeTalosAPIAccessConfig(_)
            if features.is_some_and(|f| f.kubernetes_talos_api_access.is_some()) =>
        {
            replaced(
                "machine.features.kubernetesTalosAPIAccess",
                "Talos API access",
            )
        }
        Document::DiscoveryIdentityConfig(_)
            if c.is_some_and(|c| !c.id.is_empty() || !c.secret.is_empty()) =>
        {
            replaced("cluster.id", "the cluster identity")
        }
        Document::DiscoveryServiceConfig(_) if c.is_some_and(|c| c.discovery.is_some()) => {
            replaced("cluster.discovery", "cluster discovery")
        }
        Document::HostnameConfig(_) => {
            if network.is_some_and(|n| !n.hostname.is_empty()) {
                return replaced("machine.network.hostname", "a static hostname");
            }
            if features.is_some_and(|f| f.stable_hostname == Some(true)) {
                return replaced("machine.features.stableHostname", "a stable hostname");
            }
            None
        }
        Document::KubeSpanConfig(_) if network.is_some_and(|n| n.kubespan.is_some()) => {
            replaced("machine.network.kubespan", "KubeSpan")
        }
        Document::ResolverConfig(r) => {
            let n = network?;
            if !n.search_domains.is_empty() {
                return replaced("machine.network.searchDomains", "search domains");
            }
            if n.nameservers
                .iter()
                .any(|ns| crate::net::parse_ip(ns).is_some())
            {
                return replaced("machine.network.nameservers", "nameservers");
            }
            if n.disable_search_domain == Some(true) {
                return replaced(
                    "machine.network.disableSearchDomain",
                    "search domain handling",
                );
            }
            let host_dns_set = r.host_dns != Default::default();
            if host_dns_set && features.is_some_and(|f| f.host_dns.is_some()) {
                return replaced("machine.features.hostDNS", "host DNS");
            }
            None
        }
        Document::TimeSyncConfig(_) => {
            let t = m.and_then(|m| m.time.as_ref())?;
            if t.disabled == Some(true) {
                return replaced("machine.time.disabled", "disabling time sync");
            }
            if !t.servers.is_empty() {
                return replaced("machine.time.servers", "time servers");
            }
            if t.boot_timeout != Default::default() {
                return replaced("machine.time.bootTimeout", "the time sync boot timeout");
            }
            None
        }
        Document::UnattendedInstallConfig(_) if m.is_some_and(|m| m.install.is_some()) => {
            replaced("machine.install", "the install section")
        }
        Document::CRIBaseRuntimeSpecConfig(_)
            if m.is_some_and(|m| !m.base_runtime_spec_overrides.is_empty()) =>
        {
            replaced(
                "machine.baseRuntimeSpecOverrides",
                "base runtime spec overrides",
            )
        }
        Document::ImageCacheConfig(_) if features.is_some_and(|f| f.image_cache.is_some()) => {
            replaced("machine.features.imageCache", "the image cache")
        }
        Document::VolumeConfig(v) => {
            let enc = m.and_then(|m| m.system_disk_encryption.as_ref())?;
            let legacy = match v.name.as_str() {
                "STATE" => enc.state.is_some(),
                "EPHEMERAL" => enc.ephemeral.is_some(),
                _ => false,
            };
            (legacy && v.encryption != Default::default()).then(|| {
                (
                    "machine.systemDiskEncryption",
                    format!(
                        "{} encryption is set both here and in the v1alpha1 document",
                        v.name
                    ),
                )
            })
        }
        _ => None,
    }
}
