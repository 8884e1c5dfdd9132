//! `machine.disks` and `machine.systemDiskEncryption`.

use std::collections::HashSet;

use talgen_config::v1alpha1::{EncryptionConfig, MachineConfig};

use crate::report::Scope;

/// Only the last partition of a disk may take the rest of it (size 0);
/// entries written as `null` (indexes in `null_disks`) are rejected.
pub(super) fn validate(m: &MachineConfig, null_disks: &[usize], s: &mut Scope<'_>) {
    for (i, disk) in m.disks.iter().enumerate() {
        if null_disks.contains(&i) {
            s.error(
                &format!("machine.disks[{i}]"),
                "a disk entry cannot be null",
            );
            continue;
        }
        let last = disk.partitions.len().saturating_sub(1);
        for (j, p) in disk.partitions.iter().enumerate() {
            if p.size.0 == 0 && j != last {
                s.error(
                    &format!("machine.disks[{i}].partitions[{j}].size"),
                    format!(
                        "only the last partition of {:?} may fill the disk",
                        disk.device
                    ),
                );
            }
        }
    }
}

/// Encryption of the EPHEMERAL and STATE partitions: keys present, slots
/// unique, each key with a method.
pub(super) fn validate_encryption(m: &MachineConfig, s: &mut Scope<'_>) {
    let Some(enc) = &m.system_disk_encryption else {
        return;
    };
    for (label, cfg) in [("ephemeral", &enc.ephemeral), ("state", &enc.state)] {
        if let Some(cfg) = cfg {
            check_partition(label, cfg, s);
        }
    }
}

fn check_partition(label: &str, cfg: &EncryptionConfig, s: &mut Scope<'_>) {
    let path = format!("machine.systemDiskEncryption.{label}");
    let upper = label.to_uppercase();
    if cfg.keys.is_empty() {
        s.error(
            &format!("{path}.keys"),
            format!("{upper}: no encryption key is given"),
        );
    }
    let mut slots = HashSet::new();
    for (i, key) in cfg.keys.iter().enumerate() {
        let kpath = format!("{path}.keys[{i}]");
        if !slots.insert(key.slot) {
            s.error(
                &format!("{kpath}.slot"),
                format!("{upper}: key slot {} is used twice", key.slot),
            );
        }
        if key.node_id.is_none()
            && key.static_key.is_none()
            && key.kms.is_none()
            && key.tpm.is_none()
        {
            s.error(
                &kpath,
                format!(
                    "{upper}: the key in slot {} has no method (static, nodeID, kms, tpm)",
                    key.slot
                ),
            );
        }
    }
}
