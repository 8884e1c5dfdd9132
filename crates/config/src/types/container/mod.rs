//! Container documents (upstream `types/container`): extra containers run by Talos.

use serde::{Deserialize, Serialize};

use crate::types::Document;

/// `ContainerConfig`: a container Talos runs beside its own services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerConfig {
    /// Container name.
    pub name: String,
    /// Image reference (always written).
    pub image: String,
    /// Entrypoint override.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    /// Arguments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Working directory.
    #[serde(rename = "workingDir", skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// User and group.
    #[serde(rename = "runAs", skip_serializing_if = "Option::is_none")]
    pub run_as: Option<ContainerRunAs>,
    /// Environment, `KEY=value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<String>,
    /// Mounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<ContainerMount>,
    /// Security settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<ContainerSecurity>,
    /// Network settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<ContainerNetwork>,
    /// Resource limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ContainerResources>,
    /// Start dependencies.
    #[serde(rename = "dependsOn", skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<ContainerDependsOn>,
}

impl Document for ContainerConfig {
    const KIND: &'static str = "ContainerConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// User and group a container runs as.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerRunAs {
    /// User ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<i32>,
    /// Group ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gid: Option<i32>,
}

/// One mount: a user volume, a tmpfs or a host path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerMount {
    /// A user volume.
    #[serde(rename = "userVolume", skip_serializing_if = "Option::is_none")]
    pub user_volume: Option<UserVolumeMount>,
    /// A tmpfs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<TmpfsMount>,
    /// A host path.
    #[serde(rename = "hostPath", skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathMount>,
}

/// A user volume mount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct UserVolumeMount {
    /// Volume name.
    pub name: String,
    /// Mount point in the container.
    pub destination: String,
    /// Mount options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A tmpfs mount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TmpfsMount {
    /// Mount point in the container.
    pub destination: String,
    /// Size.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub size: String,
    /// Mount options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A host path mount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct HostPathMount {
    /// Host path.
    pub source: String,
    /// Mount point in the container.
    pub destination: String,
    /// Mount options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// Container security settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerSecurity {
    /// Security profile (text form).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// Capabilities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<ContainerCapabilities>,
}

/// Added and dropped capabilities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerCapabilities {
    /// Added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<String>,
    /// Dropped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drop: Vec<String>,
}

/// Container network mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerNetwork {
    /// Mode (text form).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mode: String,
}

/// Container resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerResources {
    /// Limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ContainerResourceLimits>,
}

/// CPU and memory limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerResourceLimits {
    /// CPU limit.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cpu: String,
    /// Memory limit.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub memory: String,
}

/// What must be ready before the container starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ContainerDependsOn {
    /// Paths that must exist.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Networks that must be up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<String>,
    /// Wait for time sync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<bool>,
    /// Containers that must run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<String>,
}
