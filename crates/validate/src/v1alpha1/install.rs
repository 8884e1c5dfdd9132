//! `machine.install` (deprecated in favour of `UnattendedInstallConfig`, but
//! still checked when present).

use std::collections::HashSet;

use talgen_config::v1alpha1::{InstallDiskSelector, MachineConfig};

use crate::mode::Mode;
use crate::report::Scope;

/// Disk types a v1alpha1 install disk selector understands.
const DISK_TYPES: &[&str] = &["nvme", "sd", "hdd", "ssd"];

/// Whether a disk selector turns into a disk match expression, or why not
/// (upstream `InstallConfig.DiskMatchExpression`).
pub(super) fn selector_expression(sel: &InstallDiskSelector) -> Result<(), String> {
    if !sel.name.is_empty() {
        return Err("selecting the install disk by name is not supported".to_owned());
    }
    if !sel.disk_type.is_empty() && !DISK_TYPES.contains(&sel.disk_type.as_str()) {
        return Err(format!(
            "disk type {:?} is not one of {DISK_TYPES:?}",
            sel.disk_type
        ));
    }
    Ok(())
}

pub(super) fn validate_install(m: &MachineConfig, mode: Mode, s: &mut Scope<'_>) {
    let Some(install) = m.install.as_ref().filter(|_| mode.requires_install()) else {
        return;
    };
    let mut has_matcher = false;
    if let Some(sel) = &install.disk_selector {
        match selector_expression(sel) {
            Ok(()) => has_matcher = true,
            Err(e) => s.error("machine.install.diskSelector", e),
        }
    }
    if install.disk.is_empty() && !has_matcher {
        s.error(
            "machine.install.disk",
            "an install disk or a disk selector is required",
        );
    }
    if !install.extra_kernel_args.is_empty() && install.grub_use_uki_cmdline == Some(true) {
        s.error(
            "machine.install.extraKernelArgs",
            "cannot be combined with grubUseUKICmdline",
        );
    }
}

/// System extensions listed in the install section: no duplicates, and a
/// deprecation warning.
pub(super) fn validate_extensions(m: &MachineConfig, s: &mut Scope<'_>) {
    let Some(install) = &m.install else { return };
    let mut seen = HashSet::new();
    for (i, ext) in install.extensions.iter().enumerate() {
        if !seen.insert(ext.image.as_str()) {
            s.error(
                &format!("machine.install.extensions[{i}].image"),
                format!("system extension {:?} is listed twice", ext.image),
            );
        }
    }
    if !seen.is_empty() {
        s.warn(
            "machine.install.extensions",
            "deprecated: build boot assets with the extensions instead",
        );
    }
}
