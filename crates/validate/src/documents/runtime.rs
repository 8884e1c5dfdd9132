//! Runtime kinds (`types/runtime/*.go`).

use talgen_config::meta::Duration;
use talgen_config::types::extensions::ExtensionServiceConfig;
use talgen_config::types::runtime::{
    EnvironmentConfig, EtcFileConfig, EventSinkConfig, KernelModuleConfig, KmsgLogConfig,
    OOMConfig, SysctlConfig, SysfsConfig, UnattendedInstallConfig, WatchdogTimerConfig,
};

use crate::mode::Mode;
use crate::report::Scope;

pub(super) fn unattended_install(d: &UnattendedInstallConfig, _mode: Mode, s: &mut Scope<'_>) {
    if d.installer.image.is_empty() {
        s.warn(
            "installer.image",
            "no installer image: installing fails unless Talos booted from an Image Factory asset",
        );
    }
    let expr = &d.provisioning.disk_selector.match_expr.0;
    if expr.is_empty() {
        s.error(
            "provisioning.diskSelector.match",
            "a disk match expression is required",
        );
    } else if let Err(e) = crate::cel::check_bool(expr, crate::cel::Env::Disk) {
        s.error(
            "provisioning.diskSelector.match",
            format!("not a valid disk selector: {e}"),
        );
    }
}

/// Shortest non-zero watchdog timeout (`runtime.MinWatchdogTimeout`, 10s).
const MIN_WATCHDOG_TIMEOUT: Duration = Duration::from_secs(10);

/// Files under `/etc` Talos writes itself.
const MANAGED_ETC_FILES: [&str; 7] = [
    "resolv.conf",
    "hosts",
    "machine-id",
    "extensions.yaml",
    "localtime",
    "os-release",
    "xattr.conf",
];

/// Directories under `/etc` Talos owns.
const MANAGED_ETC_DIRS: [&str; 12] = [
    "apparmor.d/",
    "apparmor/",
    "ca-certificates/",
    "cni/",
    "cri/",
    "iscsi/",
    "kubernetes/",
    "lvm/",
    "nvme/",
    "pki/",
    "selinux/",
    "ssl/",
];

pub(super) fn event_sink(d: &EventSinkConfig, s: &mut Scope<'_>) {
    if let Err(e) = talgen_gourl::net::split_host_port(&d.endpoint) {
        s.error("endpoint", format!("not a host:port endpoint: {e}"));
    }
}

/// Upstream `KmsgLogV1Alpha1.Validate` (returns at the first problem).
pub(super) fn kmsg_log(d: &KmsgLogConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        return s.error("name", "a name is required");
    }
    let url = d.url.as_str();
    if url.is_empty() {
        return s.error("url", "a URL is required");
    }
    let u = crate::net::config_url(url);
    if !matches!(u.scheme.as_str(), "tcp" | "udp") {
        return s.error("url", "the URL scheme must be tcp:// or udp://");
    }
    if !matches!(u.decoded_path().as_str(), "" | "/") {
        return s.error("url", "the URL takes no path");
    }
    if u.port().is_empty() {
        s.error("url", "the URL needs a port");
    }
}

/// Upstream `WatchdogTimerV1Alpha1.Validate` (returns at the first problem).
pub(super) fn watchdog_timer(d: &WatchdogTimerConfig, s: &mut Scope<'_>) {
    if d.device.is_empty() {
        return s.error("device", "a watchdog device is required");
    }
    if d.timeout.0 != 0 && d.timeout < MIN_WATCHDOG_TIMEOUT {
        s.error(
            "timeout",
            format!("the watchdog timeout must be at least {MIN_WATCHDOG_TIMEOUT}"),
        );
    }
}

pub(super) fn environment(d: &EnvironmentConfig, s: &mut Scope<'_>) {
    for key in d.variables.keys() {
        let mut chars = key.chars();
        let posix = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !posix {
            s.error(
                "variables",
                format!("{key:?} is not a POSIX environment variable name"),
            );
        }
    }
}

pub(super) fn oom(d: &OOMConfig, s: &mut Scope<'_>) {
    // The CEL expressions themselves are not type-checked (no CEL engine).
    if d.sample_interval.0 < 0 {
        s.error("sampleInterval", "the sample interval is negative");
    }
}

pub(super) fn sysctl(d: &SysctlConfig, s: &mut Scope<'_>) {
    if d.params.contains_key("") {
        s.error("params", "a sysctl key is empty");
    }
}

pub(super) fn sysfs(d: &SysfsConfig, s: &mut Scope<'_>) {
    if d.params.contains_key("") {
        s.error("params", "a sysfs key is empty");
    }
}

pub(super) fn kernel_module(d: &KernelModuleConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "a module name is required");
    }
}

/// Upstream `EtcFileConfigV1Alpha1.Validate`.
pub(super) fn etc_file(d: &EtcFileConfig, s: &mut Scope<'_>) {
    let name = d.name.as_str();
    if name.is_empty() {
        return s.error("name", "the file name under /etc is required");
    }
    if !talgen_gourl::filepath::is_local(name) || name.starts_with('.') {
        return s.error(
            "name",
            format!("{name:?} must be a relative path inside /etc"),
        );
    }
    let managed = MANAGED_ETC_FILES.contains(&name)
        || MANAGED_ETC_DIRS
            .iter()
            .any(|dir| name == dir.trim_end_matches('/') || name.starts_with(dir));
    if managed {
        s.error("name", format!("/etc/{name} is managed by Talos"));
    }
}

/// Upstream `extensions.ServiceConfigV1Alpha1.Validate` (returns at the
/// first problem).
pub(super) fn extension_service(d: &ExtensionServiceConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        return s.error("name", "the extension service name is required");
    }
    if d.config_files.is_empty() && d.environment.is_empty() {
        return s.error(
            "configFiles",
            format!(
                "extension {:?} has neither config files nor environment",
                d.name
            ),
        );
    }
    for (i, f) in d.config_files.iter().enumerate() {
        if f.content.is_empty() {
            return s.error(
                &format!("configFiles[{i}].content"),
                format!("a config file of extension {:?} has no content", d.name),
            );
        }
        if f.mount_path.is_empty() {
            return s.error(
                &format!("configFiles[{i}].mountPath"),
                format!("a config file of extension {:?} has no mount path", d.name),
            );
        }
    }
}
