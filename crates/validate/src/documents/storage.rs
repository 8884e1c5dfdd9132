//! LVM and software RAID kinds (`types/storage/*.go` `Validate` methods).
//!
//! The model keeps the enum fields (`type`, `level`, `metadata`) as text,
//! so the decode-time rejection of unknown values happens here. CEL volume
//! selectors are only checked for presence (no CEL engine).

use talgen_config::types::storage::{
    LVMLogicalVolumeConfig, LVMVolumeGroupConfig, RAIDArrayConfig,
};

use super::block::{parse_byte_size, parse_size};
use crate::report::Scope;

/// Longest LVM volume group or logical volume name.
const MAX_LVM_NAME_LENGTH: usize = 63;
/// Longest RAID array name.
const MAX_RAID_NAME_LENGTH: usize = 32;

/// Logical volume layouts (enumer names of `LVMLogicalVolumeType`).
const LV_TYPES: [&str; 4] = ["linear", "raid1", "raid0", "raid10"];
/// RAID levels (`MDLevel`).
const RAID_LEVELS: [&str; 1] = ["raid1"];
/// RAID metadata formats (`MDMetadata`).
const RAID_METADATA: [&str; 2] = ["1.0", "1.2"];

/// The name rules shared by the three kinds.
fn name(name: &str, max: usize, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "a name is required");
    }
    if name.is_empty() || name.len() > max {
        s.error("name", format!("must be 1 to {max} characters long"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        s.error("name", "may only hold ASCII letters, digits, '-' and '_'");
    }
}

/// An enum field decoded the enumer way: exact or lower-cased match; the
/// empty text stands for the zero value.
fn enum_value(text: &str, allowed: &[&str], path: &str, s: &mut Scope<'_>) -> Option<String> {
    if text.is_empty() {
        return allowed.first().map(|v| (*v).to_owned());
    }
    let lower = text.to_ascii_lowercase();
    if allowed.contains(&lower.as_str()) {
        Some(lower)
    } else {
        s.error(path, format!("{text:?} is not one of {allowed:?}"));
        None
    }
}

fn volume_selector(expr: &str, s: &mut Scope<'_>) {
    if expr.is_empty() {
        s.error(
            "provisioning.volumeSelector.match",
            "a volume selector is required",
        );
    } else if let Err(e) = crate::cel::check_bool(expr, crate::cel::Env::Volume) {
        s.error(
            "provisioning.volumeSelector.match",
            format!("not a valid volume selector: {e}"),
        );
    }
}

pub(super) fn lvm_logical_volume(d: &LVMLogicalVolumeConfig, s: &mut Scope<'_>) {
    name(&d.name, MAX_LVM_NAME_LENGTH, s);
    let lv_type = enum_value(&d.lv_type, &LV_TYPES, "type", s).unwrap_or_default();
    let mirrors_ok = matches!(lv_type.as_str(), "raid1" | "raid10");
    let stripes_ok = matches!(lv_type.as_str(), "raid0" | "raid10");
    if let Some(m) = d.mirrors {
        if !mirrors_ok {
            s.error(
                "mirrors",
                format!("only raid1 and raid10 take mirrors, not {lv_type}"),
            );
        } else if m < 1 {
            s.error("mirrors", "must be at least 1");
        }
    }
    if let Some(n) = d.stripes {
        if !stripes_ok {
            s.error(
                "stripes",
                format!("only raid0 and raid10 take stripes, not {lv_type}"),
            );
        } else if n < 2 {
            s.error("stripes", "must be at least 2");
        }
    }
    let p = &d.provisioning;
    if p.volume_group.is_empty() {
        s.error("provisioning.volumeGroup", "a volume group is required");
    }
    let max = if p.max_size.is_empty() {
        None
    } else {
        parse_size(&p.max_size.0)
            .map_err(|e| s.error("provisioning.maxSize", e))
            .ok()
    };
    let min = if p.min_size.is_empty() {
        None
    } else {
        parse_byte_size(&p.min_size.0)
            .map_err(|e| s.error("provisioning.minSize", e))
            .ok()
    };
    // Upstream's zero test means "unset", not "0 bytes".
    if p.max_size.is_empty() {
        s.error("provisioning.maxSize", "a maximum size is required");
    }
    if max.as_ref().is_some_and(|m| m.negative) {
        s.error("provisioning.maxSize", "the maximum size is negative");
    }
    if let (Some(min), Some(max)) = (&min, &max) {
        if !max.relative && min.value > max.value {
            s.error(
                "provisioning.minSize",
                "the minimum size exceeds the maximum",
            );
        }
    }
}

pub(super) fn lvm_volume_group(d: &LVMVolumeGroupConfig, s: &mut Scope<'_>) {
    name(&d.name, MAX_LVM_NAME_LENGTH, s);
    volume_selector(&d.provisioning.volume_selector.match_expr.0, s);
}

pub(super) fn raid_array(d: &RAIDArrayConfig, s: &mut Scope<'_>) {
    name(&d.name, MAX_RAID_NAME_LENGTH, s);
    enum_value(&d.level, &RAID_LEVELS, "level", s);
    enum_value(&d.metadata, &RAID_METADATA, "metadata", s);
    volume_selector(&d.provisioning.volume_selector.match_expr.0, s);
}
