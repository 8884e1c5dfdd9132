//! Block device documents (upstream `types/block`): system and user
//! volumes, swap, zswap, and filesystem trim/scrub schedules.

mod specs;
mod volumes;

pub use specs::{
    ByteSize, DiskSelector, EncryptionKey, EncryptionKeyKMS, EncryptionKeyNodeID,
    EncryptionKeyStatic, EncryptionKeyTPM, EncryptionKeyTPMOptions, EncryptionSpec, MountSpec,
    ProvisioningSpec, ScrubConfig, Size, SystemVolumeFilesystemSpec, TrimConfig, XFSSpec,
};
pub use volumes::{
    ExistingMountSpec, ExistingVolumeConfig, ExternalMountSpec, ExternalVolumeConfig,
    FilesystemScrubConfig, FilesystemSpec, FilesystemTrimConfig, RawVolumeConfig, SwapVolumeConfig,
    UserMountSpec, UserVolumeConfig, VirtiofsMountSpec, VolumeConfig, VolumeDiscoverySpec,
    VolumeSelector, ZswapConfig,
};
