//! The `machine.features` section: opt-in Talos behaviours and their defaults.

use serde::{Deserialize, Serialize};

use crate::meta::go::{is_zero, nullable};

/// Optional Talos behaviours, most of them switched on by generation for newer contracts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.FeaturesConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct FeaturesConfig {
    /// Role-based access control for the Talos API.
    #[serde(rename = "rbac", skip_serializing_if = "Option::is_none")]
    pub rbac: Option<bool>,
    /// Derive a stable default hostname from the machine identity.
    #[serde(rename = "stableHostname", skip_serializing_if = "Option::is_none")]
    pub stable_hostname: Option<bool>,
    /// Talos API access from inside Kubernetes.
    #[serde(
        rename = "kubernetesTalosAPIAccess",
        skip_serializing_if = "Option::is_none"
    )]
    pub kubernetes_talos_api_access: Option<KubernetesTalosApiAccessConfig>,
    /// Make the Talos API check client certificate key usage.
    #[serde(
        rename = "apidCheckExtKeyUsage",
        skip_serializing_if = "Option::is_none"
    )]
    pub apid_check_ext_key_usage: Option<bool>,
    /// Enable project quotas on the EPHEMERAL filesystem.
    #[serde(rename = "diskQuotaSupport", skip_serializing_if = "Option::is_none")]
    pub disk_quota_support: Option<bool>,
    /// The node-local Kubernetes API load balancer.
    #[serde(rename = "kubePrism", skip_serializing_if = "Option::is_none")]
    pub kube_prism: Option<KubePrism>,
    /// The host-level caching DNS resolver.
    #[serde(rename = "hostDNS", skip_serializing_if = "Option::is_none")]
    pub host_dns: Option<HostDnsConfig>,
    /// The node-local image cache.
    #[serde(rename = "imageCache", skip_serializing_if = "Option::is_none")]
    pub image_cache: Option<ImageCacheConfig>,
    /// How node addresses are ordered (`v1` when empty).
    #[serde(
        rename = "nodeAddressSortAlgorithm",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub node_address_sort_algorithm: String,
}

/// The KubePrism local load balancer in front of the API servers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KubePrism"))]
#[serde(default, deny_unknown_fields)]
pub struct KubePrism {
    /// Whether it runs.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The local port; left out when zero, which means 7445.
    #[serde(
        rename = "port",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub port: i64,
}

/// Image cache settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ImageCacheConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ImageCacheConfig {
    /// Whether the node serves images from its local cache.
    #[serde(rename = "localEnabled", skip_serializing_if = "Option::is_none")]
    pub local_enabled: Option<bool>,
}

/// Which Kubernetes workloads may reach the Talos API, and with which roles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.KubernetesTalosApiAccessConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct KubernetesTalosApiAccessConfig {
    /// Whether the access is granted at all.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Talos roles service accounts may ask for (e.g. `os:reader`).
    #[serde(
        rename = "allowedRoles",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub allowed_roles: Vec<String>,
    /// Namespaces whose service accounts may ask.
    #[serde(
        rename = "allowedKubernetesNamespaces",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub allowed_kubernetes_namespaces: Vec<String>,
}

/// The caching DNS resolver Talos runs on the host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.HostDnsConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct HostDnsConfig {
    /// Whether it runs.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether CoreDNS forwards to it instead of the upstream servers.
    #[serde(
        rename = "forwardKubeDNSToHost",
        skip_serializing_if = "Option::is_none"
    )]
    pub forward_kube_dns_to_host: Option<bool>,
    /// Whether it answers for cluster member hostnames.
    #[serde(rename = "resolveMemberNames", skip_serializing_if = "Option::is_none")]
    pub resolve_member_names: Option<bool>,
}

/// The KubePrism port used when none is set.
pub const DEFAULT_KUBE_PRISM_PORT: i64 = 7445;

impl FeaturesConfig {
    /// Whether disk quota support is on (unset means off).
    pub fn disk_quota_support_enabled(&self) -> bool {
        self.disk_quota_support.unwrap_or(false)
    }
}

impl KubePrism {
    /// Whether KubePrism runs (unset means no).
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(false)
    }

    /// The effective port: the configured one, or [`DEFAULT_KUBE_PRISM_PORT`].
    pub fn effective_port(&self) -> i64 {
        if self.port == 0 {
            DEFAULT_KUBE_PRISM_PORT
        } else {
            self.port
        }
    }
}

impl HostDnsConfig {
    /// Whether the host resolver runs (unset means no).
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(false)
    }
}
