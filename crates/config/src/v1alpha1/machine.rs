//! The `machine:` section: node identity, PKI, kubelet, network, install and
//! host settings (upstream `MachineConfig` and its small helper structs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Endpoint, FeaturesConfig, InstallConfig, KubeletConfig, MachineDisk, MachineFile,
    NetworkConfig, RegistriesConfig, SystemDiskEncryptionConfig,
};
use crate::meta::go::{is_zero, nullable};
use crate::meta::{Duration, PemEncodedCertificate, PemEncodedCertificateAndKey, Unstructured};

use super::is_none_or_empty;

/// Environment variables, name → value (upstream `Env`, a plain Go map).
pub type Env = BTreeMap<String, String>;

/// The node role written in `machine.type`: `init`, `controlplane` or `worker`.
pub const MACHINE_TYPES: [&str; 3] = ["init", "controlplane", "worker"];

/// Settings of one node: its role, credentials, kubelet, network, disks and OS-level tweaks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.MachineConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct MachineConfig {
    /// The node role (`controlplane`, `worker`, or the legacy `init`); always written.
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub machine_type: String,
    /// The bootstrap token nodes use to join the Talos PKI; always written.
    #[serde(rename = "token", deserialize_with = "nullable")]
    pub token: String,
    /// The Talos API certificate authority (key only on control planes).
    #[serde(rename = "ca", skip_serializing_if = "Option::is_none")]
    pub ca: Option<PemEncodedCertificateAndKey>,
    /// Extra CA certificates trusted by the Talos API.
    #[serde(
        rename = "acceptedCAs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub accepted_cas: Vec<PemEncodedCertificate>,
    /// Extra names for the Talos API certificate; written as `[]` when empty.
    #[serde(rename = "certSANs", deserialize_with = "nullable")]
    pub cert_sans: Vec<String>,
    /// Per-node switches for control plane components.
    #[serde(rename = "controlPlane", skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<MachineControlPlaneConfig>,
    /// Kubelet settings.
    #[serde(rename = "kubelet", skip_serializing_if = "Option::is_none")]
    pub kubelet: Option<KubeletConfig>,
    /// Static pod manifests run by the kubelet.
    #[serde(
        rename = "pods",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub pods: Vec<Unstructured>,
    /// Host networking (hostname, interfaces, resolvers).
    #[serde(rename = "network", skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkConfig>,
    /// Extra disks to partition and mount.
    #[serde(
        rename = "disks",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub disks: Vec<MachineDisk>,
    /// Where and how Talos installs itself.
    #[serde(rename = "install", skip_serializing_if = "Option::is_none")]
    pub install: Option<InstallConfig>,
    /// Files written to the host at boot.
    #[serde(
        rename = "files",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub files: Vec<MachineFile>,
    /// Environment variables for Talos services.
    #[serde(
        rename = "env",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub env: Env,
    /// Time synchronisation settings.
    #[serde(rename = "time", skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeConfig>,
    /// Kernel parameters set through `/proc/sys`.
    #[serde(
        rename = "sysctls",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub sysctls: BTreeMap<String, String>,
    /// Values written under `/sys`.
    #[serde(
        rename = "sysfs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub sysfs: BTreeMap<String, String>,
    /// Image registry mirrors and credentials; left out when it has neither.
    #[serde(
        rename = "registries",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub registries: RegistriesConfig,
    /// Encryption of the STATE and EPHEMERAL partitions.
    #[serde(
        rename = "systemDiskEncryption",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_disk_encryption: Option<SystemDiskEncryptionConfig>,
    /// Optional Talos features.
    #[serde(rename = "features", skip_serializing_if = "Option::is_none")]
    pub features: Option<FeaturesConfig>,
    /// Extra udev rules.
    #[serde(rename = "udev", skip_serializing_if = "Option::is_none")]
    pub udev: Option<UdevConfig>,
    /// Where service logs are shipped.
    #[serde(rename = "logging", skip_serializing_if = "Option::is_none")]
    pub logging: Option<LoggingConfig>,
    /// Kernel modules to load.
    #[serde(rename = "kernel", skip_serializing_if = "Option::is_none")]
    pub kernel: Option<KernelConfig>,
    /// Seccomp profiles installed on the host.
    #[serde(rename = "seccompProfiles", skip_serializing_if = "is_none_or_empty")]
    pub seccomp_profiles: Option<Vec<MachineSeccompProfile>>,
    /// Overrides merged into the default OCI runtime spec.
    #[serde(
        rename = "baseRuntimeSpecOverrides",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub base_runtime_spec_overrides: Unstructured,
    /// Labels put on the Kubernetes node.
    #[serde(
        rename = "nodeLabels",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub node_labels: BTreeMap<String, String>,
    /// Annotations put on the Kubernetes node.
    #[serde(
        rename = "nodeAnnotations",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub node_annotations: BTreeMap<String, String>,
    /// Taints put on the Kubernetes node, key → `value:effect`.
    #[serde(
        rename = "nodeTaints",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub node_taints: BTreeMap<String, String>,
}

/// A named seccomp profile and its JSON-like body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.MachineSeccompProfile")
)]
#[serde(default, deny_unknown_fields)]
pub struct MachineSeccompProfile {
    /// File name of the profile.
    #[serde(rename = "name", deserialize_with = "nullable")]
    pub name: String,
    /// The profile itself; written as `{}` when empty.
    #[serde(rename = "value", deserialize_with = "nullable")]
    pub value: Unstructured,
}

/// Per-node switches for the control plane components Talos runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.MachineControlPlaneConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct MachineControlPlaneConfig {
    /// Controller manager switch.
    #[serde(rename = "controllerManager", skip_serializing_if = "Option::is_none")]
    pub controller_manager: Option<MachineControllerManagerConfig>,
    /// Scheduler switch.
    #[serde(rename = "scheduler", skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<MachineSchedulerConfig>,
}

/// Whether this node runs kube-controller-manager.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.MachineControllerManagerConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct MachineControllerManagerConfig {
    /// Set to stop running the component on this node.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Whether this node runs kube-scheduler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.MachineSchedulerConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct MachineSchedulerConfig {
    /// Set to stop running the component on this node.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Time synchronisation: NTP servers and the boot wait.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.TimeConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct TimeConfig {
    /// Turns time synchronisation off.
    #[serde(rename = "disabled", skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// NTP servers to use instead of the default.
    #[serde(
        rename = "servers",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub servers: Vec<String>,
    /// How long boot waits for a first sync; left out when zero.
    #[serde(
        rename = "bootTimeout",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub boot_timeout: Duration,
}

/// Extra udev rules for the host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.UdevConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct UdevConfig {
    /// Rule lines, one per entry.
    #[serde(
        rename = "rules",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub rules: Vec<String>,
}

/// Destinations service logs are streamed to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.LoggingConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct LoggingConfig {
    /// The destinations; written as `[]` when empty.
    #[serde(rename = "destinations", deserialize_with = "nullable")]
    pub destinations: Vec<LoggingDestination>,
}

/// One log receiver: a `tcp://` or `udp://` endpoint and a format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.LoggingDestination"))]
#[serde(default, deny_unknown_fields)]
pub struct LoggingDestination {
    /// Where to send the logs; written as `null` when unset.
    #[serde(rename = "endpoint")]
    pub endpoint: Option<Endpoint>,
    /// The wire format (`json_lines`).
    #[serde(rename = "format", deserialize_with = "nullable")]
    pub format: String,
    /// Extra tags attached to every message.
    #[serde(
        rename = "extraTags",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_tags: BTreeMap<String, String>,
}

/// Kernel modules to load at boot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KernelConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct KernelConfig {
    /// The modules, in load order.
    #[serde(
        rename = "modules",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub modules: Vec<KernelModuleConfig>,
}

/// One kernel module and its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KernelModuleConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct KernelModuleConfig {
    /// The module name.
    #[serde(rename = "name", deserialize_with = "nullable")]
    pub name: String,
    /// Parameters as `key=value` strings.
    #[serde(
        rename = "parameters",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub parameters: Vec<String>,
}

impl MachineConfig {
    /// Whether the node runs the control plane (`init` counts as one).
    pub fn is_control_plane(&self) -> bool {
        self.machine_type == "controlplane" || self.machine_type == "init"
    }
}
