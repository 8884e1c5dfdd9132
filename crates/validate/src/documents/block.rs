//! Volume kinds (`types/block/*.go` `Validate` methods): system volume
//! overrides, user/raw/swap/existing/external volumes, zswap and the
//! filesystem trim/scrub schedules.
//!
//! Sizes and enum values are kept as text by the model, so the parse
//! errors Go raises while loading are reported here instead. CEL selectors
//! are only checked for presence (no CEL engine).

use talgen_config::meta::Duration;
use talgen_config::types::block::{
    ByteSize, EncryptionSpec, ExistingVolumeConfig, ExternalVolumeConfig, FilesystemScrubConfig,
    FilesystemSpec, FilesystemTrimConfig, MountSpec, ProvisioningSpec, RawVolumeConfig,
    ScrubConfig, SwapVolumeConfig, TrimConfig, UserVolumeConfig, VolumeConfig, ZswapConfig,
};

use crate::report::Scope;

/// Longest partition label GPT allows Talos to write (`constants.PartitionLabelLength`).
const PARTITION_LABEL_LENGTH: usize = 36;
/// Label prefixes of the volume kinds; the name must fit after them.
const USER_PREFIX: &str = "u-";
const RAW_PREFIX: &str = "r-";
const SWAP_PREFIX: &str = "s-";
const EXTERNAL_PREFIX: &str = "x-";

/// System volumes a VolumeConfig may override.
const SYSTEM_VOLUMES: [&str; 7] = [
    "STATE",
    "EPHEMERAL",
    "IMAGECACHE",
    "ETCD",
    "CRI",
    "KUBELET",
    "LOG",
];

/// Shortest non-zero scrub interval (`block.MinScrubInterval`, 10s).
const MIN_SCRUB_INTERVAL: Duration = Duration::from_secs(10);

/// Highest TPM PCR index.
const MAX_PCR: i64 = 23;

// ---- sizes ----------------------------------------------------------------

/// go-humanize `ParseBytes`: a decimal number (commas ignored), then an
/// optional SI or IEC unit, case-insensitive, spaces around it allowed.
pub(crate) fn parse_bytes(text: &str) -> Result<u64, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: String = number.chars().filter(|&c| c != ',').collect();
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} does not start with a number"))?;
    let unit = unit.trim().to_ascii_lowercase();
    let power = |base: u64, exp: u32| base.pow(exp);
    let multiplier = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => power(1000, 1),
        "ki" | "kib" => power(1024, 1),
        "m" | "mb" => power(1000, 2),
        "mi" | "mib" => power(1024, 2),
        "g" | "gb" => power(1000, 3),
        "gi" | "gib" => power(1024, 3),
        "t" | "tb" => power(1000, 4),
        "ti" | "tib" => power(1024, 4),
        "p" | "pb" => power(1000, 5),
        "pi" | "pib" => power(1024, 5),
        "e" | "eb" => power(1000, 6),
        "ei" | "eib" => power(1024, 6),
        other => return Err(format!("{other:?} is not a size unit")),
    };
    let total = value * multiplier as f64;
    if total >= u64::MAX as f64 {
        return Err(format!("{text:?} is too large"));
    }
    Ok(total as u64)
}

/// A parsed size: its byte value (0 for percentages) and flags.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ParsedSize {
    pub(super) value: u64,
    pub(super) negative: bool,
    pub(super) relative: bool,
}

/// Parses a `ByteSize` text as upstream's `UnmarshalText` does: an optional
/// leading `-`, then a humanized byte count.
pub(super) fn parse_byte_size(text: &str) -> Result<ParsedSize, String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    Ok(ParsedSize {
        value: parse_bytes(rest)?,
        negative,
        relative: false,
    })
}

/// Parses a `Size` text: a percentage when it contains `%`, else a byte size.
pub(super) fn parse_size(text: &str) -> Result<ParsedSize, String> {
    if !text.contains('%') {
        return parse_byte_size(text);
    }
    let Some(body) = text.strip_suffix('%') else {
        return Err(format!("{text:?}: a percentage ends with '%'"));
    };
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let value: f64 = body
        .parse()
        .map_err(|_| format!("{text:?} is not a percentage"))?;
    if !(0.0..=100.0).contains(&value) {
        return Err(format!("{text:?}: a percentage lies between 0 and 100"));
    }
    Ok(ParsedSize {
        value: 0,
        negative,
        relative: true,
    })
}

// ---- shared specs ---------------------------------------------------------

/// Whether a provisioning spec asks for anything (upstream `ProvisioningRequested`).
fn provisioning_requested(p: &ProvisioningSpec) -> bool {
    !p.disk_selector.match_expr.is_empty()
        || p.grow.is_some()
        || !p.min_size.is_empty()
        || !p.max_size.is_empty()
}

/// Upstream `ProvisioningSpec.Validate(required, sizeSupported)`.
fn provisioning(p: &ProvisioningSpec, required: bool, sizes: bool, s: &mut Scope<'_>) {
    if !p.disk_selector.match_expr.is_empty() {
        if let Err(e) = crate::cel::check_bool(&p.disk_selector.match_expr.0, crate::cel::Env::Disk)
        {
            s.error(
                "provisioning.diskSelector.match",
                format!("not a valid disk selector: {e}"),
            );
        }
    } else if required {
        s.error(
            "provisioning.diskSelector.match",
            "a disk selector is required",
        );
    }
    let min = sized(&p.min_size, "provisioning.minSize", s);
    let max = if p.max_size.is_empty() {
        None
    } else {
        match parse_size(&p.max_size.0) {
            Ok(v) => Some(v),
            Err(e) => {
                s.error("provisioning.maxSize", e);
                None
            }
        }
    };
    if !sizes {
        if !p.min_size.is_empty() || !p.max_size.is_empty() || p.grow.is_some() {
            s.error(
                "provisioning",
                "this volume type takes no minSize, maxSize or grow",
            );
        }
        return;
    }
    match (min, max) {
        // Percentages and sizes counted from the end are not comparable.
        (Some(min), Some(max)) if !max.relative && !max.negative && min.value > max.value => {
            s.error(
                "provisioning.minSize",
                "the minimum size exceeds the maximum",
            );
        }
        _ if required && p.min_size.is_empty() && p.max_size.is_empty() => {
            s.error("provisioning", "a minSize or maxSize is required");
        }
        _ => {}
    }
    if min.is_some_and(|m| m.negative) {
        s.error("provisioning.minSize", "the minimum size is negative");
    }
}

/// Parses a byte size field, reporting a parse failure; `None` when unset or bad.
fn sized(size: &ByteSize, path: &str, s: &mut Scope<'_>) -> Option<ParsedSize> {
    if size.is_empty() {
        return None;
    }
    parse_byte_size(&size.0).map_err(|e| s.error(path, e)).ok()
}

/// Upstream `EncryptionSpec.Validate`: a LUKS2 provider, keys with distinct
/// slots, each of some type, TPM PCRs in range.
fn encryption(e: &EncryptionSpec, s: &mut Scope<'_>) {
    if e.is_empty() {
        return;
    }
    if !e.provider.eq_ignore_ascii_case("luks2") {
        s.error(
            "encryption.provider",
            format!(
                "{:?} is not a supported encryption provider (luks2)",
                e.provider
            ),
        );
    }
    if e.keys.is_empty() {
        s.error("encryption.keys", "at least one encryption key is required");
    }
    let mut seen = Vec::with_capacity(e.keys.len());
    for key in &e.keys {
        if seen.contains(&key.slot) {
            s.error(
                "encryption.keys",
                format!("key slot {} is used twice", key.slot),
            );
        }
        seen.push(key.slot);
        if key.static_key.is_none()
            && key.node_id.is_none()
            && key.kms.is_none()
            && key.tpm.is_none()
        {
            s.error(
                "encryption.keys",
                format!(
                    "the key in slot {} needs a type (static, nodeID, kms or tpm)",
                    key.slot
                ),
            );
        }
        let pcrs = key
            .tpm
            .as_ref()
            .and_then(|t| t.options.as_ref())
            .map_or(&[][..], |o| &o.pcrs[..]);
        for pcr in pcrs.iter().filter(|p| !(0..=MAX_PCR).contains(*p)) {
            s.error(
                "encryption.keys.tpm.options.pcrs",
                format!("TPM PCR {pcr} is outside 0-{MAX_PCR}"),
            );
        }
    }
}

fn trim(t: Option<&TrimConfig>, s: &mut Scope<'_>) {
    if t.is_some_and(|t| t.interval.0 < 0) {
        s.error("trim.interval", "the trim interval is negative");
    }
}

fn scrub_interval(interval: Duration, path: &str, s: &mut Scope<'_>) {
    if interval.0 != 0 && interval < MIN_SCRUB_INTERVAL {
        s.error(
            path,
            format!("the scrub interval must be at least {MIN_SCRUB_INTERVAL}"),
        );
    }
}

fn scrub(c: Option<&ScrubConfig>, s: &mut Scope<'_>) {
    if let Some(c) = c {
        scrub_interval(c.interval, "scrub.interval", s);
    }
}

/// The name rules shared by the user-facing volume kinds: required, at most
/// `max` bytes when `max` is given, ASCII letters, digits and `-` only.
fn volume_name(name: &str, max: Option<usize>, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "a name is required");
    }
    if let Some(max) = max {
        if name.is_empty() || name.len() > max {
            s.error(
                "name",
                format!("the name must be 1 to {max} characters long"),
            );
        }
    }
    if name
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == '-'))
    {
        s.error(
            "name",
            "the name may hold only ASCII letters, digits and hyphens",
        );
    }
}

/// Upstream `FilesystemSpec.Validate` (returns at the first problem).
fn filesystem(f: &FilesystemSpec, s: &mut Scope<'_>) {
    let fs = f.filesystem_type.to_ascii_lowercase();
    if !matches!(fs.as_str(), "" | "none" | "xfs" | "ext4" | "btrfs") {
        return s.error(
            "filesystem.type",
            format!(
                "{:?} is not a supported filesystem (xfs, ext4, btrfs)",
                f.filesystem_type
            ),
        );
    }
    if f.project_quota_support == Some(true) && fs != "xfs" {
        return s.error(
            "filesystem.projectQuotaSupport",
            "project quotas need an xfs filesystem",
        );
    }
    if f.xfs.is_some() && fs != "xfs" {
        s.error("filesystem.xfs", "xfs options need an xfs filesystem");
    }
}

// ---- kinds ----------------------------------------------------------------

pub(super) fn volume(d: &VolumeConfig, s: &mut Scope<'_>) {
    let name = d.name.as_str();
    if !SYSTEM_VOLUMES.contains(&name) {
        return s.error(
            "name",
            format!("only the system volumes {SYSTEM_VOLUMES:?} can be configured"),
        );
    }
    let mount_set = d.mount != MountSpec::default();
    match name {
        "STATE" => {
            if d.provisioning != ProvisioningSpec::default() {
                s.error(
                    "provisioning",
                    "the STATE volume cannot be provisioned differently",
                );
            }
            if d.encryption
                .keys
                .iter()
                .any(|k| k.lock_to_state == Some(true))
            {
                s.error(
                    "encryption.keys.lockToState",
                    "keys of the STATE volume cannot be locked to STATE",
                );
            }
            if mount_set {
                s.error("mount", "the STATE volume takes no mount options");
            }
        }
        "IMAGECACHE" => {
            if mount_set {
                s.error("mount", "the IMAGECACHE volume takes no mount options");
            }
            // The image cache is always ext4; xfs options would be ignored.
            if d.filesystem != Default::default() {
                s.error(
                    "filesystem",
                    "the IMAGECACHE volume takes no filesystem options",
                );
            }
        }
        "ETCD" | "CRI" | "KUBELET" | "LOG"
            if mount_set && !provisioning_requested(&d.provisioning) =>
        {
            s.error(
                "mount",
                format!(
                    "mount options for the {name} volume need it provisioned on its own partition"
                ),
            );
        }
        _ => {}
    }
    provisioning(&d.provisioning, false, true, s);
    encryption(&d.encryption, s);
    trim(d.trim.as_ref(), s);
    scrub(d.scrub.as_ref(), s);
}

pub(super) fn user_volume(d: &UserVolumeConfig, s: &mut Scope<'_>) {
    volume_name(&d.name, Some(PARTITION_LABEL_LENGTH - USER_PREFIX.len()), s);
    let vtype = d.volume_type.as_deref().unwrap_or("partition");
    match vtype.to_ascii_lowercase().as_str() {
        "directory" => {
            if d.provisioning != ProvisioningSpec::default() {
                s.error("provisioning", "a directory volume takes no provisioning");
            }
            if !d.encryption.is_empty() {
                s.error("encryption", "a directory volume cannot be encrypted");
            }
            if d.filesystem != FilesystemSpec::default() {
                s.error("filesystem", "a directory volume takes no filesystem");
            }
            if d.mount.disable_access_time.is_some() {
                s.error(
                    "mount.disableAccessTime",
                    "a directory volume takes no disableAccessTime",
                );
            }
        }
        kind @ ("disk" | "partition") => {
            provisioning(&d.provisioning, true, kind == "partition", s);
            filesystem(&d.filesystem, s);
            encryption(&d.encryption, s);
        }
        _ => s.error(
            "volumeType",
            format!("{vtype:?} is not a supported volume type (partition, disk, directory)"),
        ),
    }
    trim(d.trim.as_ref(), s);
    scrub(d.scrub.as_ref(), s);
}

pub(super) fn raw_volume(d: &RawVolumeConfig, s: &mut Scope<'_>) {
    volume_name(&d.name, Some(PARTITION_LABEL_LENGTH - RAW_PREFIX.len()), s);
    provisioning(&d.provisioning, true, true, s);
    encryption(&d.encryption, s);
}

pub(super) fn swap_volume(d: &SwapVolumeConfig, s: &mut Scope<'_>) {
    volume_name(&d.name, Some(PARTITION_LABEL_LENGTH - SWAP_PREFIX.len()), s);
    provisioning(&d.provisioning, true, true, s);
    encryption(&d.encryption, s);
}

pub(super) fn existing_volume(d: &ExistingVolumeConfig, s: &mut Scope<'_>) {
    volume_name(&d.name, None, s);
    let expr = &d.discovery.volume_selector.match_expr.0;
    if expr.is_empty() {
        s.error(
            "discovery.volumeSelector.match",
            "a volume selector is required",
        );
    } else if let Err(e) = crate::cel::check_bool(expr, crate::cel::Env::Volume) {
        s.error(
            "discovery.volumeSelector.match",
            format!("not a valid volume selector: {e}"),
        );
    }
    trim(d.trim.as_ref(), s);
    scrub(d.scrub.as_ref(), s);
}

pub(super) fn external_volume(d: &ExternalVolumeConfig, s: &mut Scope<'_>) {
    volume_name(
        &d.name,
        Some(PARTITION_LABEL_LENGTH - EXTERNAL_PREFIX.len()),
        s,
    );
    if d.filesystem_type.eq_ignore_ascii_case("virtiofs") {
        match &d.mount.virtiofs {
            None => s.error("mount.virtiofs", "a virtiofs mount needs its settings"),
            Some(v) if v.tag.is_empty() => {
                s.error("mount.virtiofs.tag", "a virtiofs tag is required")
            }
            Some(_) => {}
        }
    } else {
        s.error(
            "filesystemType",
            format!(
                "{:?} is not a supported external filesystem (virtiofs)",
                d.filesystem_type
            ),
        );
    }
}

pub(super) fn filesystem_trim(d: &FilesystemTrimConfig, s: &mut Scope<'_>) {
    if d.interval.0 < 0 {
        s.error("interval", "the trim interval is negative");
    }
}

pub(super) fn filesystem_scrub(d: &FilesystemScrubConfig, s: &mut Scope<'_>) {
    scrub_interval(d.interval, "interval", s);
}

pub(super) fn zswap(d: &ZswapConfig, s: &mut Scope<'_>) {
    if d.max_pool_percent.is_some_and(|p| !(0..=100).contains(&p)) {
        s.error(
            "maxPoolPercent",
            "maxPoolPercent must lie between 0 and 100",
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn humanized_sizes() {
        assert_eq!(parse_bytes("10GiB"), Ok(10 << 30));
        assert_eq!(parse_bytes("2.5 TB"), Ok(2_500_000_000_000));
        assert_eq!(parse_bytes("1,024"), Ok(1024));
        assert!(parse_bytes("ten").is_err());
        assert!(parse_bytes("10 XB").is_err());
        assert!(parse_byte_size("-10GiB").unwrap().negative);
        assert!(parse_size("90%").unwrap().relative);
        assert!(parse_size("-5%").unwrap().negative);
        assert!(parse_size("101%").is_err());
        assert!(parse_size("5%x").is_err());
    }
}
