//! Runtime documents (upstream `types/runtime`): kernel parameters, files,
//! logging and event sinks, installation, OOM handling and the like.

mod environment;
mod etc_file;
mod event_sink;
mod kernel_module;
mod kmsg_log;
mod oom;
mod security_profile;
mod sysctl;
mod udev_rules;
mod unattended_install;
mod watchdog_timer;

pub use environment::EnvironmentConfig;
pub use etc_file::{EtcFileConfig, EtcFileMode};
pub use event_sink::EventSinkConfig;
pub use kernel_module::KernelModuleConfig;
pub use kmsg_log::KmsgLogConfig;
pub use oom::OOMConfig;
pub use security_profile::SecurityProfileConfig;
pub use sysctl::{SysctlConfig, SysfsConfig};
pub use udev_rules::UdevRulesConfig;
pub use unattended_install::{
    DiskSelectorSpec, InstallerSpec, ProvisioningSpec, UnattendedInstallConfig,
};
pub use watchdog_timer::WatchdogTimerConfig;

use serde::{Deserialize, Serialize};

/// A CEL expression kept as its source text (upstream `cel.Expression`);
/// empty means unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CelExpression(pub String);

impl CelExpression {
    /// Whether no expression is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for CelExpression {
    fn from(s: &str) -> Self {
        CelExpression(s.to_owned())
    }
}
