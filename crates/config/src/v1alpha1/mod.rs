//! The legacy `v1alpha1` machine config document (`version: v1alpha1`):
//! a typed port of upstream `pkg/machinery/config/types/v1alpha1`.
//!
//! Every struct lists its fields in Go's order and states Go's emptiness rule
//! in its type, so `talgen_yaml::to_string(&config)` writes the bytes go-yaml
//! writes for the same Go value:
//!
//! - Go pointer with `omitempty` → `Option<T>`, left out when `None`;
//! - Go pointer without `omitempty` → `Option<T>`, written as `null` when `None`;
//! - Go value with `omitempty` → plain `T`, left out when it equals its zero value;
//! - Go value without `omitempty` → plain `T`, always written (`certSANs: []`);
//! - Talos `omitonlyifnil` → `Option<Vec<T>>`; with comments disabled go-yaml
//!   honours only `omitempty`, so an empty list is left out as well.
//!
//! Decoding is strict like Talos's loader: unknown keys anywhere are errors,
//! `null` leaves a field at its zero value. Nothing here applies defaults;
//! default values live in `effective_*` / `is_enabled` helpers.

mod cluster;
mod components;
mod discovery;
mod disk;
mod features;
mod files;
mod humanize;
mod install;
mod kubelet;
mod machine;
mod network;
mod registry;

pub use cluster::{
    AdminKubeconfigConfig, ClusterConfig, ClusterInlineManifest, ClusterNetworkConfig, CniConfig,
    ControlPlaneConfig, CoreDns, Endpoint, EtcdConfig, ExternalCloudProviderConfig,
    FlannelCniConfig, PodCheckpointer,
};
pub use components::{
    AdmissionPluginConfig, ApiServerConfig, AuthorizationConfigAuthorizerConfig,
    ControllerManagerConfig, ProxyConfig, ResourcesConfig, SchedulerConfig, VolumeMountConfig,
};
pub use discovery::{
    ClusterDiscoveryConfig, DiscoveryRegistriesConfig, RegistryKubernetesConfig,
    RegistryServiceConfig, DEFAULT_DISCOVERY_SERVICE_ENDPOINT,
};
pub use disk::{
    DiskPartition, DiskSize, EncryptionConfig, EncryptionKey, EncryptionKeyKms,
    EncryptionKeyNodeId, EncryptionKeyStatic, EncryptionKeyTpm, MachineDisk,
    SystemDiskEncryptionConfig,
};
pub use features::{
    FeaturesConfig, HostDnsConfig, ImageCacheConfig, KubePrism, KubernetesTalosApiAccessConfig,
    DEFAULT_KUBE_PRISM_PORT,
};
pub use files::{FileMode, MachineFile};
pub use install::{
    InstallConfig, InstallDiskSelector, InstallDiskSizeMatcher, InstallExtensionConfig,
    InvalidSizeCondition,
};
pub use kubelet::{ExtraMount, KubeletConfig, KubeletNodeIpConfig, LinuxIdMapping};
pub use machine::{
    Env, KernelConfig, KernelModuleConfig, LoggingConfig, LoggingDestination, MachineConfig,
    MachineControlPlaneConfig, MachineControllerManagerConfig, MachineSchedulerConfig,
    MachineSeccompProfile, TimeConfig, UdevConfig, MACHINE_TYPES,
};
pub use network::{
    Bond, Bridge, BridgePort, BridgeVlan, Device, DeviceVipConfig, DeviceWireguardConfig,
    DeviceWireguardPeer, DhcpOptions, ExtraHost, KubeSpanFilters, NetworkConfig,
    NetworkDeviceSelector, NetworkKubeSpan, Route, Stp, VipEquinixMetalConfig, VipHcloudConfig,
    Vlan,
};
pub use registry::{
    RegistriesConfig, RegistryAuthConfig, RegistryConfig, RegistryMirrorConfig, RegistryTlsConfig,
};

use serde::{Deserialize, Serialize};

/// `skip_serializing_if` for `omitonlyifnil` lists: go-yaml without comments
/// drops empty lists too, since it only sees the `omitempty` part of the tag.
pub(crate) fn is_none_or_empty<T>(v: &Option<Vec<T>>) -> bool {
    v.as_ref().is_none_or(Vec::is_empty)
}

/// The whole v1alpha1 document: a version marker, two legacy switches, and
/// the `machine` and `cluster` sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Config"))]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Always `v1alpha1` ([`Config::VERSION`]).
    #[serde(rename = "version", deserialize_with = "crate::meta::go::nullable")]
    pub version: String,
    /// Legacy switch for verbose console logging.
    #[serde(rename = "debug", skip_serializing_if = "Option::is_none")]
    pub debug: Option<bool>,
    /// Legacy switch telling Talos to keep the config on disk.
    #[serde(rename = "persist", skip_serializing_if = "Option::is_none")]
    pub persist: Option<bool>,
    /// Node settings; written as `null` when unset.
    #[serde(rename = "machine")]
    pub machine: Option<MachineConfig>,
    /// Cluster settings; written as `null` when unset.
    #[serde(rename = "cluster")]
    pub cluster: Option<ClusterConfig>,
}

impl Config {
    /// The value of the `version` key of this document.
    pub const VERSION: &'static str = "v1alpha1";
}

impl Default for Config {
    /// An empty document that still carries `version: v1alpha1`.
    fn default() -> Self {
        Config {
            version: Self::VERSION.to_owned(),
            debug: None,
            persist: None,
            machine: None,
            cluster: None,
        }
    }
}
