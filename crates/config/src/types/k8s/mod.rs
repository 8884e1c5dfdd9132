//! Kubernetes documents (upstream `types/k8s`): cluster identity, node and
//! kubelet settings, control plane components, CAs and API server policies.

mod admission_control;
mod aggregator_ca;
mod apiserver;
mod apiserver_ca;
mod audit_policy;
mod authentication;
mod authorization;
mod cluster;
mod common;
mod controller_manager;
mod coredns;
mod credential_provider;
mod etcd_encryption;
mod external_manifest;
mod flannel;
mod inline_manifest;
mod kubelet;
mod kubeprism;
mod network;
mod node;
mod proxy;
mod scheduler;
mod service_account;
mod static_pod;
mod talos_api_access;

pub use admission_control::KubeAdmissionControlConfig;
pub use aggregator_ca::KubeAggregatorCAConfig;
pub use apiserver::KubeAPIServerConfig;
pub use apiserver_ca::KubeAPIServerCAConfig;
pub use audit_policy::KubeAuditPolicyConfig;
pub use authentication::KubeAuthenticationConfig;
pub use authorization::KubeAuthorizerConfig;
pub use cluster::KubeClusterConfig;
pub use common::ResourcesConfig;
pub use controller_manager::KubeControllerManagerConfig;
pub use coredns::KubeCoreDNSConfig;
pub use credential_provider::KubeCredentialProviderConfig;
pub use etcd_encryption::KubeEtcdEncryptionConfig;
pub use external_manifest::KubeExternalManifestConfig;
pub use flannel::KubeFlannelCNIConfig;
pub use inline_manifest::KubeInlineManifestConfig;
pub use kubelet::KubeletConfig;
pub use kubeprism::KubePrismConfig;
pub use network::KubeNetworkConfig;
pub use node::{KubeNodeConfig, NodeIPConfig};
pub use proxy::KubeProxyConfig;
pub use scheduler::KubeSchedulerConfig;
pub use service_account::{
    AcceptedServiceAccountConfig, IssuerServiceAccountConfig, KubeServiceAccountConfig,
};
pub use static_pod::KubeStaticPodConfig;
pub use talos_api_access::KubeTalosAPIAccessConfig;
