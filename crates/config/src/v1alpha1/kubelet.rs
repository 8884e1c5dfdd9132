//! The `machine.kubelet` section: kubelet image, flags, mounts and node IP selection.

use serde::{Deserialize, Serialize};

use crate::meta::go::{is_zero, nullable};
use crate::meta::{Args, Unstructured};

/// How Talos runs the kubelet on this node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KubeletConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct KubeletConfig {
    /// The kubelet image reference.
    #[serde(
        rename = "image",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub image: String,
    /// DNS server addresses handed to pods.
    #[serde(
        rename = "clusterDNS",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cluster_dns: Vec<String>,
    /// Extra kubelet command-line flags.
    #[serde(
        rename = "extraArgs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_args: Args,
    /// Extra host paths mounted into the kubelet container.
    #[serde(
        rename = "extraMounts",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_mounts: Vec<ExtraMount>,
    /// Fields merged into the generated `KubeletConfiguration`.
    #[serde(
        rename = "extraConfig",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_config: Unstructured,
    /// A `CredentialProviderConfig` for image credential plugins.
    #[serde(
        rename = "credentialProviderConfig",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub credential_provider_config: Unstructured,
    /// Whether pods get the runtime default seccomp profile.
    #[serde(
        rename = "defaultRuntimeSeccompProfileEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_runtime_seccomp_profile_enabled: Option<bool>,
    /// Whether the node registers under its fully qualified name.
    #[serde(rename = "registerWithFQDN", skip_serializing_if = "Option::is_none")]
    pub register_with_fqdn: Option<bool>,
    /// How the node IP is picked.
    #[serde(rename = "nodeIP", skip_serializing_if = "Option::is_none")]
    pub node_ip: Option<KubeletNodeIpConfig>,
    /// Run the kubelet without registering a Node object.
    #[serde(
        rename = "skipNodeRegistration",
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_node_registration: Option<bool>,
    /// Whether the static manifest directory is ignored.
    #[serde(
        rename = "disableManifestsDirectory",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_manifests_directory: Option<bool>,
}

/// Subnets the kubelet node IP is chosen from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KubeletNodeIpConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct KubeletNodeIpConfig {
    /// CIDRs (a leading `!` excludes) to pick the node IP from.
    #[serde(
        rename = "validSubnets",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub valid_subnets: Vec<String>,
}

/// A bind mount into the kubelet container, in OCI mount terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ExtraMount"))]
#[serde(default, deny_unknown_fields)]
pub struct ExtraMount {
    /// The path inside the container.
    #[serde(rename = "destination", deserialize_with = "nullable")]
    pub destination: String,
    /// The mount type, usually `bind`.
    #[serde(
        rename = "type",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mount_type: String,
    /// The host path.
    #[serde(
        rename = "source",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub source: String,
    /// Mount options such as `rshared`.
    #[serde(
        rename = "options",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub options: Vec<String>,
    /// User ID mappings for the mount.
    #[serde(
        rename = "uidMappings",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub uid_mappings: Vec<LinuxIdMapping>,
    /// Group ID mappings for the mount.
    #[serde(
        rename = "gidMappings",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub gid_mappings: Vec<LinuxIdMapping>,
}

/// A range of IDs mapped from the container to the host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.LinuxIdMapping"))]
#[serde(default, deny_unknown_fields)]
pub struct LinuxIdMapping {
    /// First ID inside the container.
    #[serde(rename = "containerID", deserialize_with = "nullable")]
    pub container_id: u32,
    /// First ID on the host.
    #[serde(rename = "hostID", deserialize_with = "nullable")]
    pub host_id: u32,
    /// How many IDs the range covers.
    #[serde(rename = "size", deserialize_with = "nullable")]
    pub size: u32,
}
