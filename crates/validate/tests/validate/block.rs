//! Volume kinds, cases of upstream `types/block/*_test.go`. CEL selector
//! errors are not checked by talgen (no CEL engine); cases that expected
//! one keep only their other errors.

use super::*;

const SYS: &str = "provisioning:\n  diskSelector:\n    match: system_disk\n  minSize: 10GiB\n";
const TPM_KEY: &str = "  keys:\n    - slot: 0\n      tpm: {}\n";

fn named(kind: &str, name: &str, body: &str) -> String {
    format!("kind: {kind}\nname: {name}\n{body}")
}

mod volume_config {
    use super::*;

    fn vc(name: &str, body: &str) -> String {
        named("VolumeConfig", name, body)
    }

    kind_cases! {
        wrong_name: vc("wrong", "") => ["name: only the system volumes"];
        filesystem_config_for_image_cache:
            vc("IMAGECACHE", "filesystem:\n  xfs:\n    minAllocationGroupSize: 128GiB\n")
            => ["filesystem: the IMAGECACHE volume takes no filesystem"];
        min_size_greater_than_max_size:
            vc("EPHEMERAL", "provisioning:\n  minSize: 2.5TiB\n  maxSize: 10GiB\n")
            => ["minimum size exceeds"];
        min_size_negative:
            vc("EPHEMERAL", "provisioning:\n  minSize: -10GiB\n  maxSize: 10GiB\n")
            => ["minimum size is negative"];
        state_provisioning_config:
            vc("STATE", "provisioning:\n  minSize: 2.5GiB\n  maxSize: 10GiB\n")
            => ["provisioning: the STATE volume"];
        state_encryption_lock_to_state:
            vc("STATE", "encryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      static: {passphrase: topsecret}\n    - slot: 1\n      static: {passphrase: topsecret2}\n      lockToState: true\n")
            => ["cannot be locked to STATE"];
        invalid_pcrs:
            vc("STATE", "encryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      tpm:\n        options:\n          pcrs: [24, 25]\n")
            => ["TPM PCR 24", "TPM PCR 25"];
        mount_spec_for_state_volume:
            vc("STATE", "mount:\n  disableAccessTime: true\n") => ["mount: the STATE volume"];
        mount_spec_for_imagecache_volume:
            vc("IMAGECACHE", "mount:\n  secure: true\n") => ["mount: the IMAGECACHE volume"];
        mount_spec_for_etcd_volume_without_provisioning:
            vc("ETCD", "mount:\n  disableAccessTime: true\n") => ["mount: mount options for the ETCD volume"];
        mount_spec_for_cri_volume_without_provisioning:
            vc("CRI", "mount:\n  disableAccessTime: true\n") => ["the CRI volume need"];
        mount_spec_for_kubelet_volume_without_provisioning:
            vc("KUBELET", "mount:\n  disableAccessTime: true\n") => ["the KUBELET volume need"];
        log_promotion_with_secure_mount_is_allowed:
            vc("LOG", "provisioning:\n  maxSize: 50GiB\nmount:\n  secure: true\n") => [];
        etcd_promotion_provisioning_is_allowed:
            vc("ETCD", "provisioning:\n  diskSelector:\n    match: disk.transport == \"nvme\" && !system_disk\n  maxSize: 50GiB\n") => [];
        etcd_promotion_encryption_is_allowed:
            vc("ETCD", "provisioning:\n  maxSize: 50GiB\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      static: {passphrase: topsecret}\n") => [];
        etcd_promotion_trim_is_allowed:
            vc("ETCD", "provisioning:\n  maxSize: 50GiB\ntrim:\n  enabled: true\n") => [];
        valid:
            vc("EPHEMERAL", "provisioning:\n  diskSelector:\n    match: disk.size > 120u * GiB\n  maxSize: 2.5TiB\n  minSize: 10GiB\n") => [];
        valid_negative:
            vc("EPHEMERAL", "provisioning:\n  maxSize: -2GiB\n  minSize: 10GiB\n") => [];
        valid_percentage:
            vc("EPHEMERAL", "provisioning:\n  maxSize: 90%\n  minSize: 10GiB\n") => [];
        // talgen only: size texts Go would have rejected while loading.
        unparsable_sizes:
            vc("EPHEMERAL", "provisioning:\n  minSize: lots\n  maxSize: 120%\n")
            => ["provisioning.minSize", "provisioning.maxSize"];
        scrub_interval_too_small:
            vc("EPHEMERAL", "scrub:\n  interval: 1s\n") => ["scrub.interval: the scrub interval must be at least 10s"];
    }
}

/// Cases shared by the raw and swap volume tests (same rules upstream).
macro_rules! partition_volume_cases {
    ($kind:literal) => {
        fn v(name: &str, body: &str) -> String {
            named($kind, name, body)
        }

        kind_cases! {
            no_name: format!("kind: {}\nprovisioning:\n  minSize: 2.5TiB\n", $kind)
                => ["a name is required", "1 to 34 characters", "disk selector is required"];
            too_long_name: v(&"X".repeat(35), "provisioning:\n  minSize: 2.5TiB\n")
                => ["1 to 34 characters", "disk selector is required"];
            invalid_characters_in_name: v("some/name", "provisioning:\n  minSize: 2.5TiB\n")
                => ["only ASCII letters, digits and hyphens", "disk selector is required"];
            invalid_disk_selector: v("EPHEMERAL", "provisioning:\n  diskSelector:\n    match: disk.size > 120\n")
                => ["a minSize or maxSize is required"];
            min_size_greater_than_max_size:
                v("EPHEMERAL", "provisioning:\n  minSize: 2.5TiB\n  maxSize: 10GiB\n")
                => ["disk selector is required", "minimum size exceeds"];
            no_encryption_provider: v("EPHEMERAL", &format!("{SYS}encryption:\n{TPM_KEY}"))
                => ["\"\" is not a supported encryption provider"];
            no_encryption_keys: v("EPHEMERAL", &format!("{SYS}encryption:\n  provider: luks2\n"))
                => ["at least one encryption key"];
            invalid_encryption_key_slots: v("EPHEMERAL", &format!("{SYS}encryption:\n  provider: luks2\n  keys:\n    - slot: 1\n      tpm: {{}}\n    - slot: 0\n    - slot: 1\n      tpm: {{}}\n"))
                => ["slot 0 needs a type", "key slot 1 is used twice"];
            valid: v("EPHEMERAL", "provisioning:\n  diskSelector:\n    match: system_disk\n  maxSize: 2.5TiB\n  minSize: 10GiB\n") => [];
            valid_encrypted: v("EPHEMERAL", &format!("{SYS}encryption:\n  provider: luks2\n  cipher: aes-xts-plain64\n{TPM_KEY}")) => [];
        }
    };
}

mod raw_volume_config {
    use super::*;
    partition_volume_cases!("RawVolumeConfig");
}

mod swap_volume_config {
    use super::*;
    partition_volume_cases!("SwapVolumeConfig");
}

mod user_volume_config {
    use super::*;

    fn uv(body: &str) -> String {
        named("UserVolumeConfig", "EPHEMERAL", body)
    }

    const BIG: &str = "provisioning:\n  diskSelector:\n    match: disk.size > 120u * GiB\n  maxSize: 2.5TiB\n  minSize: 10GiB\n";

    kind_cases! {
        no_name: "kind: UserVolumeConfig\nprovisioning:\n  diskSelector:\n    match: disk.size > 1u\n  minSize: 2.5TiB\n"
            => ["a name is required", "1 to 34 characters"];
        too_long_name: named("UserVolumeConfig", &"X".repeat(35), "provisioning:\n  diskSelector:\n    match: disk.size > 1u\n  minSize: 2.5TiB\n")
            => ["1 to 34 characters"];
        invalid_characters_in_name: named("UserVolumeConfig", "some/name", "provisioning:\n  diskSelector:\n    match: disk.size > 1u\n  minSize: 2.5TiB\n")
            => ["only ASCII letters"];
        invalid_disk_selector: uv("provisioning:\n  diskSelector:\n    match: disk.size > 120\n")
            => ["a minSize or maxSize is required"];
        min_size_greater_than_max_size: uv("provisioning:\n  minSize: 2.5TiB\n  maxSize: 10GiB\n")
            => ["disk selector is required", "minimum size exceeds"];
        unsupported_filesystem_type: uv(&format!("{BIG}filesystem:\n  type: iso9660\n"))
            => ["filesystem.type: \"iso9660\""];
        no_encryption_provider: uv(&format!("{SYS}encryption:\n{TPM_KEY}"))
            => ["encryption.provider"];
        no_encryption_keys: uv(&format!("{SYS}encryption:\n  provider: luks2\n"))
            => ["at least one encryption key"];
        invalid_encryption_key_slots: uv(&format!("{SYS}encryption:\n  provider: luks2\n  keys:\n    - slot: 1\n      tpm: {{}}\n    - slot: 0\n    - slot: 1\n      tpm: {{}}\n"))
            => ["slot 0 needs a type", "key slot 1 is used twice"];
        prjquota_not_supported: uv(&format!("{SYS}filesystem:\n  type: ext4\n  projectQuotaSupport: true\n"))
            => ["project quotas need an xfs"];
        xfs_options_not_supported: uv(&format!("{SYS}filesystem:\n  type: ext4\n  xfs:\n    minAllocationGroupSize: 128GiB\n"))
            => ["xfs options need an xfs"];
        provisioning_spec_for_directory: uv(&format!("volumeType: directory\n{SYS}"))
            => ["provisioning: a directory volume"];
        encryption_spec_for_directory: uv(&format!("volumeType: directory\nencryption:\n  provider: luks2\n  cipher: aes-xts-plain64\n{TPM_KEY}"))
            => ["encryption: a directory volume"];
        size_for_disk: uv(&format!("volumeType: disk\n{BIG}filesystem:\n  type: ext4\n"))
            => ["takes no minSize, maxSize or grow"];
        filesystem_spec_for_directory: uv("volumeType: directory\nfilesystem:\n  type: vfat\n")
            => ["filesystem: a directory volume"];
        secure_mount_for_directory: uv("volumeType: directory\nmount:\n  secure: false\n") => [];
        disable_access_time_for_directory: uv("volumeType: directory\nmount:\n  disableAccessTime: true\n")
            => ["mount.disableAccessTime"];
        invalid_volume_type: uv(&format!("volumeType: tmpfs\n{SYS}encryption:\n  provider: luks2\n  cipher: aes-xts-plain64\n{TPM_KEY}"))
            => ["volumeType: \"tmpfs\""];
        valid: uv(&format!("{BIG}filesystem:\n  type: ext4\n")) => [];
        valid_partition: uv(&format!("volumeType: partition\n{BIG}filesystem:\n  type: ext4\n")) => [];
        valid_directory: uv("volumeType: directory\n") => [];
        valid_disk: uv("volumeType: disk\nprovisioning:\n  diskSelector:\n    match: disk.size > 120u * GiB\nfilesystem:\n  type: ext4\n") => [];
        valid_encrypted: uv(&format!("{SYS}encryption:\n  provider: luks2\n  cipher: aes-xts-plain64\n{TPM_KEY}")) => [];
    }
}

mod existing_volume_config {
    use super::*;

    kind_cases! {
        no_name: "kind: ExistingVolumeConfig\ndiscovery:\n  volumeSelector:\n    match: volume.partition_label == \"foo\"\n"
            => ["a name is required"];
        invalid_characters_in_name: named("ExistingVolumeConfig", "some/name", "discovery:\n  volumeSelector:\n    match: volume.partition_label == \"foo\"\n")
            => ["only ASCII letters"];
        // talgen only: the selector itself is required.
        missing_volume_selector: named("ExistingVolumeConfig", "EPHEMERAL", "")
            => ["discovery.volumeSelector.match"];
        valid: named("ExistingVolumeConfig", "EPHEMERAL", "discovery:\n  volumeSelector:\n    match: volume.partition_label == \"foo\"\n") => [];
    }
}

mod external_volume_config {
    use super::*;

    const VIRTIOFS: &str = "mount:\n  virtiofs:\n    tag: Data\n";

    kind_cases! {
        no_name: format!("kind: ExternalVolumeConfig\nfilesystemType: virtiofs\n{VIRTIOFS}")
            => ["a name is required", "1 to 34 characters"];
        invalid_characters_in_name: named("ExternalVolumeConfig", "some/name", &format!("filesystemType: virtiofs\n{VIRTIOFS}"))
            => ["only ASCII letters"];
        no_mount_spec: named("ExternalVolumeConfig", "EPHEMERAL", "filesystemType: virtiofs\n")
            => ["mount.virtiofs"];
        invalid_type: named("ExternalVolumeConfig", "EPHEMERAL", &format!("filesystemType: ext4\n{VIRTIOFS}"))
            => ["filesystemType: \"ext4\""];
        empty_type: named("ExternalVolumeConfig", "EPHEMERAL", VIRTIOFS)
            => ["filesystemType"];
        valid_virtiofs: named("ExternalVolumeConfig", "EPHEMERAL", &format!("filesystemType: virtiofs\n{VIRTIOFS}")) => [];
    }
}

mod filesystem_schedules {
    use super::*;

    kind_cases! {
        trim_minimal: "kind: FilesystemTrimConfig\n" => [];
        trim_full: "kind: FilesystemTrimConfig\ninterval: 168h\n" => [];
        trim_negative_interval: "kind: FilesystemTrimConfig\ninterval: -1s\n" => ["interval: the trim interval is negative"];
        scrub_minimal: "kind: FilesystemScrubConfig\n" => [];
        scrub_full: "kind: FilesystemScrubConfig\ninterval: 168h\n" => [];
        scrub_too_small_interval: "kind: FilesystemScrubConfig\ninterval: 1s\n" => ["at least 10s"];
        zswap_minimal: "kind: ZswapConfig\n" => [];
        zswap_full: "kind: ZswapConfig\nmaxPoolPercent: 50\nshrinkerEnabled: true\n" => [];
        zswap_invalid_percent: "kind: ZswapConfig\nmaxPoolPercent: 150\n" => ["maxPoolPercent"];
    }
}
