//! The `cluster.discovery` section: how nodes find each other (Kubernetes
//! registry and the discovery service).

use serde::{Deserialize, Serialize};

use crate::meta::go::{is_zero, nullable};

/// Cluster member discovery and its two registries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.ClusterDiscoveryConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterDiscoveryConfig {
    /// Whether discovery runs.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The registries; always written, `{}`-valued ones included.
    #[serde(rename = "registries", deserialize_with = "nullable")]
    pub registries: DiscoveryRegistriesConfig,
}

/// The two discovery registries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.DiscoveryRegistriesConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct DiscoveryRegistriesConfig {
    /// Discovery through Kubernetes node annotations.
    #[serde(rename = "kubernetes", deserialize_with = "nullable")]
    pub kubernetes: RegistryKubernetesConfig,
    /// Discovery through the Sidero discovery service.
    #[serde(rename = "service", deserialize_with = "nullable")]
    pub service: RegistryServiceConfig,
}

/// The Kubernetes-based discovery registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.RegistryKubernetesConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryKubernetesConfig {
    /// Turns this registry off.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// The discovery-service registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.RegistryServiceConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryServiceConfig {
    /// Turns this registry off.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// The service URL; empty means the public Sidero service.
    #[serde(
        rename = "endpoint",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub endpoint: String,
}

/// The public discovery service used when no endpoint is set.
pub const DEFAULT_DISCOVERY_SERVICE_ENDPOINT: &str = "https://discovery.talos.dev/";

impl ClusterDiscoveryConfig {
    /// Whether discovery runs (unset means no).
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(false)
    }
}

impl RegistryKubernetesConfig {
    /// Whether the registry is used (it is unless disabled).
    pub fn is_enabled(&self) -> bool {
        !self.disabled.unwrap_or(false)
    }
}

impl RegistryServiceConfig {
    /// Whether the registry is used (it is unless disabled).
    pub fn is_enabled(&self) -> bool {
        !self.disabled.unwrap_or(false)
    }

    /// The effective endpoint: the configured one or the public service.
    pub fn effective_endpoint(&self) -> &str {
        if self.endpoint.is_empty() {
            DEFAULT_DISCOVERY_SERVICE_ENDPOINT
        } else {
            &self.endpoint
        }
    }
}
