//! The `cluster:` section: cluster identity and secrets, the control plane
//! endpoint, pod/service networking, etcd, CoreDNS and extra manifests.

use std::collections::BTreeMap;
use std::fmt;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    ApiServerConfig, ClusterDiscoveryConfig, ControllerManagerConfig, ProxyConfig, SchedulerConfig,
};
use crate::meta::go::{is_zero, nullable};
use crate::meta::{
    check_url, Args, Duration, GoString, PemEncodedCertificate, PemEncodedCertificateAndKey,
    PemEncodedKey,
};

use super::is_none_or_empty;

/// Cluster-wide settings shared by every node: identity, secrets, components and add-ons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ClusterConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// The cluster ID used by discovery (base64).
    #[serde(
        rename = "id",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub id: String,
    /// The shared secret used by discovery (base64).
    #[serde(
        rename = "secret",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub secret: String,
    /// The Kubernetes API endpoint.
    #[serde(rename = "controlPlane", skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<ControlPlaneConfig>,
    /// The cluster name.
    #[serde(
        rename = "clusterName",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cluster_name: String,
    /// Pod and service networking.
    #[serde(rename = "network", skip_serializing_if = "Option::is_none")]
    pub network: Option<ClusterNetworkConfig>,
    /// The Kubernetes bootstrap token (`abcdef.0123456789abcdef`).
    #[serde(
        rename = "token",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub token: String,
    /// Key for AES-CBC encryption of secrets at rest.
    #[serde(
        rename = "aescbcEncryptionSecret",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub aescbc_encryption_secret: String,
    /// Key for secretbox encryption of secrets at rest.
    #[serde(
        rename = "secretboxEncryptionSecret",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub secretbox_encryption_secret: String,
    /// The Kubernetes certificate authority.
    #[serde(rename = "ca", skip_serializing_if = "Option::is_none")]
    pub ca: Option<PemEncodedCertificateAndKey>,
    /// Extra CA certificates Kubernetes trusts.
    #[serde(
        rename = "acceptedCAs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub accepted_cas: Vec<PemEncodedCertificate>,
    /// The front-proxy (aggregation layer) CA.
    #[serde(rename = "aggregatorCA", skip_serializing_if = "Option::is_none")]
    pub aggregator_ca: Option<PemEncodedCertificateAndKey>,
    /// The key signing service account tokens.
    #[serde(rename = "serviceAccount", skip_serializing_if = "Option::is_none")]
    pub service_account: Option<PemEncodedKey>,
    /// kube-apiserver settings.
    #[serde(rename = "apiServer", skip_serializing_if = "Option::is_none")]
    pub api_server: Option<ApiServerConfig>,
    /// kube-controller-manager settings.
    #[serde(rename = "controllerManager", skip_serializing_if = "Option::is_none")]
    pub controller_manager: Option<ControllerManagerConfig>,
    /// kube-proxy settings.
    #[serde(rename = "proxy", skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyConfig>,
    /// kube-scheduler settings.
    #[serde(rename = "scheduler", skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<SchedulerConfig>,
    /// Cluster member discovery.
    #[serde(rename = "discovery", skip_serializing_if = "Option::is_none")]
    pub discovery: Option<ClusterDiscoveryConfig>,
    /// etcd settings and CA.
    #[serde(rename = "etcd", skip_serializing_if = "Option::is_none")]
    pub etcd: Option<EtcdConfig>,
    /// CoreDNS settings.
    #[serde(rename = "coreDNS", skip_serializing_if = "Option::is_none")]
    pub core_dns: Option<CoreDns>,
    /// An external cloud controller manager.
    #[serde(
        rename = "externalCloudProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_cloud_provider: Option<ExternalCloudProviderConfig>,
    /// URLs of extra manifests applied at bootstrap.
    #[serde(rename = "extraManifests", skip_serializing_if = "is_none_or_empty")]
    pub extra_manifests: Option<Vec<String>>,
    /// HTTP headers used when fetching extra manifests.
    #[serde(
        rename = "extraManifestHeaders",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_manifest_headers: BTreeMap<String, String>,
    /// Manifests given inline and applied at bootstrap.
    #[serde(rename = "inlineManifests", skip_serializing_if = "is_none_or_empty")]
    pub inline_manifests: Option<Vec<ClusterInlineManifest>>,
    /// The generated admin kubeconfig.
    #[serde(rename = "adminKubeconfig", skip_serializing_if = "Option::is_none")]
    pub admin_kubeconfig: Option<AdminKubeconfigConfig>,
    /// Older name of `allowSchedulingOnControlPlanes`.
    #[serde(
        rename = "allowSchedulingOnMasters",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_scheduling_on_masters: Option<bool>,
    /// Whether workloads may run on control plane nodes.
    #[serde(
        rename = "allowSchedulingOnControlPlanes",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_scheduling_on_control_planes: Option<bool>,
}

/// Where the Kubernetes API is reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ControlPlaneConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ControlPlaneConfig {
    /// The canonical API URL (`https://host:6443`); written as `null` when unset.
    #[serde(rename = "endpoint")]
    pub endpoint: Option<Endpoint>,
    /// The port the API server listens on locally; zero (left out) means 6443.
    #[serde(
        rename = "localAPIServerPort",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub local_api_server_port: i64,
}

/// Pod and service networking of the cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ClusterNetworkConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ClusterNetworkConfig {
    /// Which CNI to deploy.
    #[serde(rename = "cni", skip_serializing_if = "Option::is_none")]
    pub cni: Option<CniConfig>,
    /// The cluster DNS domain (`cluster.local`).
    #[serde(rename = "dnsDomain", deserialize_with = "nullable")]
    pub dns_domain: String,
    /// Pod CIDRs.
    #[serde(rename = "podSubnets", deserialize_with = "nullable")]
    pub pod_subnets: Vec<String>,
    /// Service CIDRs.
    #[serde(rename = "serviceSubnets", deserialize_with = "nullable")]
    pub service_subnets: Vec<String>,
}

/// The CNI plugin Talos deploys: built-in flannel, custom manifests, or none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.CniConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct CniConfig {
    /// `flannel`, `custom` or `none`.
    #[serde(
        rename = "name",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub name: String,
    /// Manifest URLs for a `custom` CNI.
    #[serde(
        rename = "urls",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub urls: Vec<String>,
    /// Tuning of the built-in flannel.
    #[serde(rename = "flannel", skip_serializing_if = "Option::is_none")]
    pub flannel: Option<FlannelCniConfig>,
}

/// Tuning of the built-in flannel CNI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.FlannelCniConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct FlannelCniConfig {
    /// Extra flanneld flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Vec<String>,
    /// Also deploy kube-network-policies.
    #[serde(
        rename = "kubeNetworkPoliciesEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_network_policies_enabled: Option<bool>,
}

/// etcd: image, CA, flags and which subnets it uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.EtcdConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct EtcdConfig {
    /// The etcd image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// The etcd CA; written as `null` when unset.
    #[serde(rename = "ca")]
    pub ca: Option<PemEncodedCertificateAndKey>,
    /// Extra etcd flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
    /// Older name of `advertisedSubnets`, one subnet.
    #[serde(
        rename = "subnet",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub subnet: String,
    /// Subnets the advertised peer address is chosen from.
    #[serde(
        rename = "advertisedSubnets",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub advertised_subnets: Vec<String>,
    /// Subnets etcd listens on.
    #[serde(
        rename = "listenSubnets",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub listen_subnets: Vec<String>,
}

/// The CoreDNS deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.CoreDns"))]
#[serde(default, deny_unknown_fields)]
pub struct CoreDns {
    /// Do not deploy CoreDNS.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// The CoreDNS image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
}

/// An external cloud controller manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.ExternalCloudProviderConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalCloudProviderConfig {
    /// Whether Kubernetes runs with an external cloud provider.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Manifest URLs deploying it.
    #[serde(
        rename = "manifests",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub manifests: Vec<String>,
}

/// The admin kubeconfig Talos issues.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.AdminKubeconfigConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct AdminKubeconfigConfig {
    /// Lifetime of its client certificate; zero (left out) means one year.
    #[serde(
        rename = "certLifetime",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cert_lifetime: Duration,
}

/// A manifest given inline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.ClusterInlineManifest")
)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterInlineManifest {
    /// A unique name for the manifest.
    #[serde(rename = "name", deserialize_with = "nullable")]
    pub name: String,
    /// The YAML body; leading tabs and line breaks are dropped on load.
    #[serde(rename = "contents", deserialize_with = "manifest_contents")]
    pub contents: String,
}

/// The pod checkpointer of very old Talos versions, kept for completeness.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.PodCheckpointer"))]
#[serde(default, deny_unknown_fields)]
pub struct PodCheckpointer {
    /// The checkpointer image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
}

/// Decodes inline manifest contents, dropping leading `\t \n \v \f \r`
/// (but not spaces), as upstream `ClusterInlineManifests` does on load.
fn manifest_contents<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text: String = nullable(d)?;
    Ok(text
        .trim_start_matches(['\t', '\n', '\u{b}', '\u{c}', '\r'])
        .to_owned())
}

/// The Kubernetes API endpoint URL, written back as given (Go's `Endpoint`).
///
/// See [`crate::meta::Url`] for how the text is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Endpoint(pub String);

impl Endpoint {
    /// Wraps `url` after a loose syntax check.
    ///
    /// # Errors
    /// When the text is not a URL Go's `url.Parse` would accept.
    pub fn parse(url: &str) -> Result<Self, crate::meta::InvalidUrl> {
        check_url(url).map(Endpoint)
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = GoString::deserialize(deserializer)?.0;
        Endpoint::parse(&text).map_err(de::Error::custom)
    }
}

impl ControlPlaneConfig {
    /// The API server port used when `localAPIServerPort` is zero.
    pub const DEFAULT_LOCAL_API_SERVER_PORT: i64 = 6443;

    /// The effective local API server port.
    pub fn effective_local_api_server_port(&self) -> i64 {
        if self.local_api_server_port == 0 {
            Self::DEFAULT_LOCAL_API_SERVER_PORT
        } else {
            self.local_api_server_port
        }
    }
}

impl ClusterNetworkConfig {
    /// The cluster DNS domain used when none is given.
    pub const DEFAULT_DNS_DOMAIN: &'static str = "cluster.local";
    /// The IPv4 pod subnet used when none is given.
    pub const DEFAULT_POD_SUBNET: &'static str = "10.244.0.0/16";
    /// The IPv4 service subnet used when none is given.
    pub const DEFAULT_SERVICE_SUBNET: &'static str = "10.96.0.0/12";
}

impl CniConfig {
    /// A CNI section naming `name` (`flannel`, `custom`, `none`) and nothing else.
    pub fn named(name: impl Into<String>) -> Self {
        CniConfig {
            name: name.into(),
            ..Default::default()
        }
    }
}
