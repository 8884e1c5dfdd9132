//! Control plane components under `cluster:`: API server (with admission and
//! authorization plugins), controller manager, scheduler and kube-proxy.

use serde::{Deserialize, Serialize};

use super::Env;
use crate::meta::go::{is_zero, nullable};
use crate::meta::{Args, Unstructured};

/// How kube-apiserver runs: image, flags, volumes, SANs, admission, audit and authorization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ApiServerConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ApiServerConfig {
    /// The kube-apiserver image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// Extra flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
    /// Extra host paths mounted into the pod.
    #[serde(
        rename = "extraVolumes",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_volumes: Vec<VolumeMountConfig>,
    /// Extra environment variables.
    #[serde(
        rename = "env",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub env: Env,
    /// Extra names in the serving certificate.
    #[serde(
        rename = "certSANs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cert_sans: Vec<String>,
    /// Turn the legacy PodSecurityPolicy plugin off.
    #[serde(
        rename = "disablePodSecurityPolicy",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_pod_security_policy: Option<bool>,
    /// Admission plugin configurations.
    #[serde(
        rename = "admissionControl",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub admission_control: Vec<AdmissionPluginConfig>,
    /// The audit `Policy` object.
    #[serde(
        rename = "auditPolicy",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub audit_policy: Unstructured,
    /// Pod resource requests and limits.
    #[serde(rename = "resources", skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesConfig>,
    /// Authorizers of the structured authorization config.
    #[serde(
        rename = "authorizationConfig",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub authorization_config: Vec<AuthorizationConfigAuthorizerConfig>,
}

/// One admission plugin and its configuration object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.AdmissionPluginConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct AdmissionPluginConfig {
    /// The plugin name (e.g. `PodSecurity`).
    #[serde(rename = "name", deserialize_with = "nullable")]
    pub name: String,
    /// The plugin configuration; written as `{}` when empty.
    #[serde(rename = "configuration", deserialize_with = "nullable")]
    pub configuration: Unstructured,
}

/// One authorizer of the API server authorization chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.AuthorizationConfigAuthorizerConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct AuthorizationConfigAuthorizerConfig {
    /// The authorizer type (`Node`, `RBAC`, `Webhook`).
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub authorizer_type: String,
    /// A unique name.
    #[serde(rename = "name", deserialize_with = "nullable")]
    pub name: String,
    /// Webhook settings for `Webhook` authorizers.
    #[serde(
        rename = "webhook",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub webhook: Unstructured,
}

/// How kube-controller-manager runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.ControllerManagerConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct ControllerManagerConfig {
    /// The image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// Extra flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
    /// Extra host paths mounted into the pod.
    #[serde(
        rename = "extraVolumes",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_volumes: Vec<VolumeMountConfig>,
    /// Extra environment variables.
    #[serde(
        rename = "env",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub env: Env,
    /// Pod resource requests and limits.
    #[serde(rename = "resources", skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesConfig>,
}

/// How kube-proxy runs, if at all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ProxyConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ProxyConfig {
    /// Do not deploy kube-proxy.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// The image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// The proxy mode (`iptables`, `ipvs`, `nftables`).
    #[serde(
        rename = "mode",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mode: String,
    /// Extra flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
}

/// How kube-scheduler runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.SchedulerConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct SchedulerConfig {
    /// The image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// Extra flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
    /// Extra host paths mounted into the pod.
    #[serde(
        rename = "extraVolumes",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_volumes: Vec<VolumeMountConfig>,
    /// Extra environment variables.
    #[serde(
        rename = "env",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub env: Env,
    /// Pod resource requests and limits.
    #[serde(rename = "resources", skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesConfig>,
    /// A `KubeSchedulerConfiguration` object.
    #[serde(
        rename = "config",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub config: Unstructured,
}

/// A host path mounted into a control plane pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.VolumeMountConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct VolumeMountConfig {
    /// The path on the host.
    #[serde(rename = "hostPath", deserialize_with = "nullable")]
    pub host_path: String,
    /// The path in the container.
    #[serde(rename = "mountPath", deserialize_with = "nullable")]
    pub mount_path: String,
    /// Mount read-only; left out when false.
    #[serde(
        rename = "readonly",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub read_only: bool,
}

/// Resource requests and limits of a control plane pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ResourcesConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct ResourcesConfig {
    /// Requested resources (`cpu`, `memory`).
    #[serde(
        rename = "requests",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub requests: Unstructured,
    /// Resource limits.
    #[serde(
        rename = "limits",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub limits: Unstructured,
}

impl AdmissionPluginConfig {
    /// A plugin entry named `name` with `configuration`.
    pub fn new(name: impl Into<String>, configuration: Unstructured) -> Self {
        AdmissionPluginConfig {
            name: name.into(),
            configuration,
        }
    }
}

impl AuthorizationConfigAuthorizerConfig {
    /// An authorizer of `authorizer_type` named `name`, without webhook settings.
    pub fn new(authorizer_type: impl Into<String>, name: impl Into<String>) -> Self {
        AuthorizationConfigAuthorizerConfig {
            authorizer_type: authorizer_type.into(),
            name: name.into(),
            webhook: Unstructured::default(),
        }
    }
}
