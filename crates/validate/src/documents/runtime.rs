//! Runtime kinds (`types/runtime/*.go`).

use talgen_config::types::runtime::UnattendedInstallConfig;

use crate::mode::Mode;
use crate::report::Scope;

pub(super) fn unattended_install(d: &UnattendedInstallConfig, _mode: Mode, s: &mut Scope<'_>) {
    if d.installer.image.is_empty() {
        s.warn(
            "installer.image",
            "no installer image: installing fails unless Talos booted from an Image Factory asset",
        );
    }
    // The CEL expression itself is not type-checked here (no CEL engine).
    if d.provisioning.disk_selector.match_expr.is_empty() {
        s.error(
            "provisioning.diskSelector.match",
            "a disk match expression is required",
        );
    }
}
