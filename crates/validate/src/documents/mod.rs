//! Rules for the multi-document kinds: each kind's own `Validate` and its
//! `V1Alpha1ConflictValidate` against the legacy document.

mod cluster;
mod conflicts;
mod k8s;
mod network;
mod runtime;

use talgen_config::Document;

use crate::mode::{Mode, Options};
use crate::report::Report;

pub(crate) use conflicts::conflicts;

/// How problems of a document are attributed: `Kind` or `Kind/name`.
pub(crate) fn doc_id(doc: &Document) -> String {
    match doc.name() {
        Some(name) => format!("{}/{}", doc.kind(), name),
        None => doc.kind().to_owned(),
    }
}

/// Runs the document's own rules.
pub(crate) fn validate(doc: &Document, mode: Mode, options: &Options, report: &mut Report) {
    let mut s = report.doc(doc_id(doc));
    let s = &mut s;
    match doc {
        Document::KubeletConfig(d) => k8s::kubelet(d, options, s),
        Document::KubeAPIServerConfig(d) => k8s::api_server(d, options, s),
        Document::KubeControllerManagerConfig(d) => k8s::controller_manager(d, options, s),
        Document::KubeSchedulerConfig(d) => k8s::scheduler(d, options, s),
        Document::KubeProxyConfig(d) => k8s::proxy(d, options, s),
        Document::KubeNodeConfig(d) => k8s::node(d, s),
        Document::KubeClusterConfig(d) => k8s::cluster(d, s),
        Document::KubeNetworkConfig(d) => k8s::network(d, s),
        Document::KubePrismConfig(d) => k8s::kubeprism(d, s),
        Document::KubeAPIServerCAConfig(d) => k8s::api_server_ca(d, s),
        Document::KubeAggregatorCAConfig(d) => k8s::aggregator_ca(d, s),
        Document::KubeServiceAccountConfig(d) => k8s::service_account(d, s),
        Document::KubeTalosAPIAccessConfig(d) => k8s::talos_api_access(d, s),
        Document::KubeInlineManifestConfig(d) => k8s::inline_manifest(d, s),
        Document::KubeExternalManifestConfig(d) => k8s::external_manifest(d, s),
        Document::KubeStaticPodConfig(d) => k8s::static_pod(d, s),
        Document::KubeEtcdEncryptionConfig(d) => k8s::etcd_encryption(d, s),
        Document::KubeAuthorizerConfig(d) => k8s::authorizer(d, s),
        Document::DiscoveryIdentityConfig(d) => cluster::discovery_identity(d, s),
        Document::DiscoveryServiceConfig(d) => cluster::discovery_service(d, s),
        Document::KubeSpanConfig(d) => network::kubespan(d, s),
        Document::HostnameConfig(d) => network::hostname(d, s),
        Document::UnattendedInstallConfig(d) => runtime::unattended_install(d, mode, s),
        _ => {}
    }
}
